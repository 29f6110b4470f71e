"""Stories: one per real-world happening, linking every mention that reports it.

A *mention* is what one sentence of one article says happened; a *story* groups the mentions of one happening
across sentences, articles and outlets, so that one kidnapping reported 300 times counts once.

The rules (thresholds and weights in :mod:`dragoman.settings`, ``STORY_*``):

* **Blocks.** Mentions are compared only within a block: the same factuality class (things that happened —
  asserted, reported, historical — never join predictions, hypotheticals or denials) and the same group of
  CAMEO roots (``STORY_NEAR_ROOTS``: 18/19/20 may describe one attack; otherwise the root itself).
* **Gates** (all must hold against *every* member of the story — complete linkage, so stories do not chain):
  the roots are equal or a near pair; the date ranges overlap once widened by ``STORY_DATE_SLACK_DAYS``; the
  places are compatible (same place, one more specific than the other within ``STORY_REGION_KM``, two cities
  within ``STORY_CITY_KM``, never two countries); the actors do not conflict (per role: same country, sectors
  equal or one more general — ``STORY_SECTOR_PARENTS`` — or one unnamed; a country that the other mention names
  anywhere, as actor or place, is taken as the coder's confusion rather than a conflict); a mention dated only
  to a month or a year joins only on close wording (``STORY_COARSE_MIN_TEXT``).
* **Score.** Root, date, place, actors and wording (Jaccard overlap of content words) are each scored in
  [0, 1] and weighted (``STORY_WEIGHTS``); the best-scoring member must reach ``STORY_MIN_SCORE``. A mention
  joins the story it scores best with, else founds a new one. Every join records its anchor (the member it
  matched best), the score and each rule's verdict: ``dragoman story ID`` prints them.

**Order independence and ids.** Within a block, mentions are clustered in one canonical order — by the
publication date of their article, then article id, then position — never in ingest order, so the stories are
a function of the stored mentions alone: any ingest order yields the same stories. A story's id is derived from
its *founder*, its first mention in that order (the earliest report): mentions joining later never change it.
Only when an article older than a story's founder arrives later and joins it does the founder change; the old id
is then kept as an alias of the new one (``story_aliases``), so ids once handed out keep resolving.

**Independent support.** Copies of an article (``duplicate_of``) are never coded, so they add no mentions;
``num_sources`` counts distinct outlets among the originals, and the story's confidence grows with them:
``1 - prod(1 - best confidence of each outlet)``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dragoman import settings
from dragoman.geo.distance import haversine_km
from dragoman.model import FACTUALITY_PRECEDENCE, PRECISION_RANK, stable_id

REAL = frozenset({"asserted", "reported", "historical"})
_STOP_WORDS = """
a an the of in on at to for from by with and or but as is was were be been being are has have had it its this that
these those which who whom whose what when where said says say according officials official state media news
on monday tuesday wednesday thursday friday saturday sunday yesterday today week month year late early morning
night evening after before since than more least about near into over against after their his her they he she
there no not also than two one three four five six seven eight nine ten other another such
"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z][a-z\-]+|\d+")
_SCORE = settings.STORY_RULE_SCORES


# ---------------------------------------------------------------- records
@dataclass
class M:
    """A stored mention, with what clustering needs."""

    id: str
    article_id: str
    published: str | None
    outlet: str
    sentence_start: int
    cameo: str
    root: str
    factuality: str
    confidence: float
    src: tuple[str | None, str | None]  # (country, sector)
    tgt: tuple[str | None, str | None]
    d0: date | None
    d1: date | None
    loc: tuple[str | None, str | None, float | None, float | None, int | None, str | None]  # name, cc, lat, lon, gid, prec
    words: frozenset[str]
    record: dict[str, Any]

    @property
    def key(self) -> tuple:
        return (self.published or "9999-12-31", self.article_id, self.sentence_start, self.id)

    @property
    def dated(self) -> bool:
        """Whether the text states the date (not the publication-date default)."""
        return bool((self.record.get("date") or {}).get("text"))

    @property
    def countries(self) -> set[str]:
        return {c for c in (self.src[0], self.tgt[0], self.loc[1]) if c}


@dataclass
class Story:
    founder: M
    members: list[M] = field(default_factory=list)
    joins: dict[str, tuple[str | None, float | None, dict[str, Any]]] = field(default_factory=dict)

    @property
    def story_id(self) -> str:
        return story_id_for(self.founder.id)


def story_id_for(founder_mention_id: str) -> str:
    return "s" + stable_id("story", founder_mention_id, length=15)


def block_of(root: str, factuality: str) -> str:
    group = next((sorted(g)[0] for g in settings.STORY_NEAR_ROOTS if root in g), root)
    return f"{'real' if factuality in REAL else factuality}:{group}"


def content_words(sentence: str) -> frozenset[str]:
    out = set()
    for w in _WORD.findall(sentence.lower()):
        if w in _STOP or len(w) < 3 and not w.isdigit():
            continue
        out.add(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w)
    return frozenset(out)


def _day(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------- the pair rules
def rule_root(a: M, b: M) -> tuple[bool, float, str]:
    if a.root == b.root:
        return True, _SCORE["root_same"], f"same CAMEO root {a.root}"
    if any(a.root in g and b.root in g for g in settings.STORY_NEAR_ROOTS):
        return True, _SCORE["root_near"], f"near roots {a.root}/{b.root}"
    return False, 0.0, f"roots {a.root}/{b.root} differ"


def _span_days(m: M) -> int:
    return (m.d1 - m.d0).days + 1 if m.d0 and m.d1 else 10_000


def rule_date(a: M, b: M, text: float) -> tuple[bool, float, str]:
    if not (a.d0 and a.d1 and b.d0 and b.d1):
        return (text >= settings.STORY_COARSE_MIN_TEXT, _SCORE["date_unknown"], "a date unknown")
    slack = timedelta(days=settings.STORY_DATE_SLACK_DAYS)
    if a.d1 + slack < b.d0 or b.d1 + slack < a.d0:
        return False, 0.0, f"dates {a.d0}..{a.d1} and {b.d0}..{b.d1} do not overlap"
    coarse = max(_span_days(a), _span_days(b)) > settings.STORY_COARSE_DATE_DAYS
    if coarse:
        ok = text >= settings.STORY_COARSE_MIN_TEXT
        return ok, _SCORE["date_coarse"], ("coarse dates overlap, wording close" if ok else
                                           "coarse dates overlap, wording differs")
    if a.d0 == b.d0 and a.d1 == b.d1:
        score = _SCORE["date_same_day"] if _span_days(a) == 1 else _SCORE["date_overlap"]
        return True, score, f"same date {a.d0}" + ("" if a.d0 == a.d1 else f"..{a.d1}")
    return True, _SCORE["date_overlap"], f"dates overlap within {settings.STORY_DATE_SLACK_DAYS} day(s)"


def rule_place(a: M, b: M) -> tuple[bool, float, str]:
    an, ac, alat, alon, agid, aprec = a.loc
    bn, bc, blat, blon, bgid, bprec = b.loc
    if not an and not bn:
        return True, _SCORE["place_none"], "no place on either side"
    if not an or not bn:
        return True, _SCORE["place_one_side"], "place named on one side only"
    if (agid and agid == bgid) or an.lower() == bn.lower():
        return True, _SCORE["place_same"], f"same place {an}"
    if ac and bc and ac != bc:
        return False, 0.0, f"places in different countries ({an}, {bn})"
    ra, rb = PRECISION_RANK.get(aprec or "city", 1), PRECISION_RANK.get(bprec or "city", 1)
    if max(ra, rb) >= PRECISION_RANK["country"]:
        same = ac and bc and ac == bc
        score = _SCORE["place_within_country"] if same else _SCORE["place_within"]
        return True, score, f"{bn if rb > ra else an} contains {an if rb > ra else bn}"
    if alat is None or blat is None or alon is None or blon is None:
        return True, _SCORE["place_uncompared"], f"{an} / {bn}: no coordinates to compare"
    km = haversine_km(alat, alon, blat, blon)
    if max(ra, rb) <= PRECISION_RANK["city"]:
        if km <= settings.STORY_CITY_KM:
            return True, _SCORE["place_near_city"], f"{an} and {bn} are {km:.0f} km apart"
        return False, 0.0, f"{an} and {bn} are {km:.0f} km apart"
    if km <= settings.STORY_REGION_KM:
        return True, _SCORE["place_near_region"], f"{an} and {bn} compatible ({km:.0f} km)"
    return False, 0.0, f"{an} and {bn} are {km:.0f} km apart"


def _sector_ok(x: str | None, y: str | None) -> bool:
    if not x or not y or x == y:
        return True
    xs, ys = x[:3], y[:3]
    if xs == ys or x.startswith(y) or y.startswith(x):
        return True
    parents = settings.STORY_SECTOR_PARENTS
    return ys in parents.get(xs, ()) or xs in parents.get(ys, ())


def _role(x: tuple[str | None, str | None], y: tuple[str | None, str | None], a: M, b: M) -> tuple[str, float]:
    if not (x[0] or x[1]) or not (y[0] or y[1]):
        return ("unnamed", _SCORE["actor_one_unnamed"]) if (x[0] or x[1] or y[0] or y[1]) else (
            "both unnamed", _SCORE["actor_both_unnamed"])
    if x[0] and y[0] and x[0] != y[0]:
        if x[0] in b.countries or y[0] in a.countries:
            return f"{x[0]}/{y[0]} named elsewhere in the other", _SCORE["actor_named_elsewhere"]
        return f"{x[0]}≠{y[0]}", -1.0
    if not _sector_ok(x[1], y[1]):
        return f"sectors {x[1]}≠{y[1]}", -1.0
    exact = x == y
    return ("same" if exact else "compatible") + f" {(x[0] or '') + (x[1] or '')}/{(y[0] or '') + (y[1] or '')}", (
        _SCORE["actor_same"] if exact else _SCORE["actor_compatible"])


def rule_actors(a: M, b: M) -> tuple[bool, float, str]:
    straight = [_role(a.src, b.src, a, b), _role(a.tgt, b.tgt, a, b)]
    options = [straight]
    if a.root in settings.STORY_SYMMETRIC_ROOTS or b.root in settings.STORY_SYMMETRIC_ROOTS:
        options.append([_role(a.src, b.tgt, a, b), _role(a.tgt, b.src, a, b)])
    best = max(options, key=lambda o: (min(s for _, s in o) >= 0, sum(s for _, s in o)))
    if any(s < 0 for _, s in best):
        return False, 0.0, "actors conflict: " + "; ".join(r for r, _ in best)
    return True, sum(s for _, s in best) / 2, "source " + best[0][0] + "; target " + best[1][0]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pair(a: M, b: M) -> tuple[bool, float, dict[str, Any]]:
    """Whether ``a`` and ``b`` may report the same happening, their score, and each rule's verdict."""
    w = settings.STORY_WEIGHTS
    text = jaccard(a.words, b.words)
    verdicts = {
        "root": rule_root(a, b), "date": rule_date(a, b, text), "place": rule_place(a, b),
        "actors": rule_actors(a, b),
    }
    ok = all(v[0] for v in verdicts.values())
    # a root and a date are not enough: something specific must be shared (both sides naming the same country
    # in a role, the same city or point, or similar wording)
    named = any(x[0] and x[0] == y[0] for x, y in ((a.src, b.src), (a.tgt, b.tgt), (a.src, b.tgt), (a.tgt, b.src)))
    specific = named or verdicts["place"][1] >= _SCORE["place_near_city"] or text >= settings.STORY_TEXT_SIMILAR
    if ok and not specific:
        ok = False
        verdicts["evidence"] = (False, 0.0, "nothing specific shared (no common named country, city or wording)")
    if ok and (not a.dated or not b.dated) and text < settings.STORY_UNDATED_MIN_TEXT:
        # a date that is only the publication day says little: background sentences share it too
        ok = False
        verdicts["evidence"] = (False, 0.0, f"a date is only the publication day and the wording differs ({text:.2f})")
    score = sum(w[k] * verdicts[k][1] for k in ("root", "date", "place", "actors")) + w["text"] * min(1.0, text / settings.STORY_TEXT_SIMILAR)
    score = round(score, 4)
    reasons = {k: v[2] for k, v in verdicts.items()}
    reasons["text"] = f"wording overlap {text:.2f}" + (" (similar)" if text >= settings.STORY_TEXT_SIMILAR else "")
    if a.article_id == b.article_id:
        reasons["article"] = "same article"
    return ok, round(score, 4), reasons


def cluster(mentions: Iterable[M]) -> list[Story]:
    """Stories of one block's mentions. Deterministic: the input order does not matter."""
    stories: list[Story] = []
    for m in sorted(mentions, key=lambda x: x.key):
        best: tuple[float, Story, M, dict[str, Any]] | None = None
        for s in stories:
            top: tuple[float, M, dict[str, Any]] | None = None
            vetoed = False
            for x in s.members:
                ok, score, reasons = pair(m, x)
                if not ok:
                    vetoed = True
                    break
                if top is None or score > top[0]:
                    top = (score, x, reasons)
            if vetoed or top is None or top[0] < settings.STORY_MIN_SCORE:
                continue
            if best is None or top[0] > best[0]:
                best = (top[0], s, top[1], top[2])
        if best is None:
            s = Story(founder=m, members=[m])
            s.joins[m.id] = (None, None, {"founded": "no compatible story: founds this one"})
            stories.append(s)
        else:
            score, s, anchor, reasons = best
            s.members.append(m)
            s.joins[m.id] = (anchor.id, score, reasons)
    return stories


# ---------------------------------------------------------------- the story record
def _best(counter: dict[Any, set[str]], tiebreak) -> tuple[Any, list[tuple[Any, int]]]:
    ranked = sorted(counter.items(), key=lambda kv: (-len(kv[1]), tiebreak(kv[0])))
    return ranked[0][0], [(k, len(v)) for k, v in ranked]


def _size_of(record: dict[str, Any], name: str) -> int | None:
    v = record.get(name)
    if isinstance(v, dict):
        v = v.get("number")
    elif isinstance(v, (list, tuple)):
        v = v[0] if v else None
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def story_record(s: Story, copies: int = 0) -> dict[str, Any]:
    """The story in the mention shape, extended: counts, support, best-attested date and place, alternatives."""
    members = sorted(s.members, key=lambda x: x.key)
    founder = s.founder.record
    outlets = sorted({m.outlet for m in members})

    def by_outlet(key) -> dict[Any, set[str]]:
        out: dict[Any, set[str]] = defaultdict(set)
        for m in members:
            k = key(m)
            if k is not None:
                out[k].add(m.outlet)
        return out

    cameo, _ = _best(by_outlet(lambda m: m.cameo), lambda c: (-len(c), c))
    rec = next(m.record for m in members if m.cameo == cameo)

    def actor_key(role: str):
        def get(m: M):
            a = m.record.get(role)
            return json.dumps(a, sort_keys=True) if a and (a.get("code") or a.get("name")) else None
        return get

    actors = {}
    for role in ("source", "target"):
        got = by_outlet(actor_key(role))
        if got:
            best, _ = _best(got, lambda k: (-len(json.loads(k).get("code") or ""), k))
            actors[role] = json.loads(best)
        else:
            actors[role] = None

    def date_key(m: M):
        d = m.record.get("date") or {}
        return (d.get("start"), d.get("end"), d.get("precision")) if d.get("start") else None

    dates = by_outlet(date_key)
    if dates:
        best_date, date_alts = _best(dates, lambda k: (_width(k), k))
        date_rec = {"start": best_date[0], "end": best_date[1], "precision": best_date[2], "mod": None, "text": None}
    else:
        date_rec, date_alts = {"start": None, "end": None, "precision": "unknown", "mod": None, "text": None}, []

    def loc_key(m: M):
        loc = m.record.get("location")
        return json.dumps(loc, sort_keys=True) if loc and loc.get("name") else None

    locs = by_outlet(loc_key)
    if locs:
        best_loc, loc_alts = _best(locs, lambda k: (PRECISION_RANK.get(json.loads(k).get("precision") or "city", 1), k))
        location = json.loads(best_loc)
    else:
        location, loc_alts = None, []
    facts = by_outlet(lambda m: m.factuality)
    factuality, _ = _best(facts, lambda f: FACTUALITY_PRECEDENCE[::-1].index(f) if f in FACTUALITY_PRECEDENCE else 9)
    best_by_outlet: dict[str, float] = {}
    for m in members:
        best_by_outlet[m.outlet] = max(best_by_outlet.get(m.outlet, 0.0), m.confidence)
    miss = 1.0
    for c in best_by_outlet.values():
        miss *= 1.0 - max(0.0, min(1.0, c))
    published = sorted(m.published for m in members if m.published)
    sizes = {}
    for name in ("killed", "injured", "arrested"):
        vals = [v for v in (_size_of(m.record, name) for m in members) if v is not None]
        sizes[name] = max(vals) if vals else None
    sid = s.story_id
    return {
        "id": sid,
        "story_id": sid,
        "article_id": s.founder.article_id,
        "source": actors["source"],
        "target": actors["target"],
        "cameo": cameo,
        "cameo_root": rec["cameo_root"],
        "plover": rec["plover"],
        "plover_mode": rec.get("plover_mode"),
        "quad_class": rec["quad_class"],
        "goldstein": rec["goldstein"],
        "date": date_rec,
        "date_alternatives": [{"start": k[0], "end": k[1], "precision": k[2], "num_sources": n}
                              for k, n in date_alts[1:]],
        "location": location,
        "location_alternatives": [{**json.loads(k), "num_sources": n} for k, n in loc_alts[1:]],
        "factuality": factuality,
        "confidence": round(1.0 - miss, 4),
        "evidence": founder.get("evidence"),
        "attribution": founder.get("attribution"),
        "coder": founder.get("coder"),
        "killed": sizes["killed"],
        "injured": sizes["injured"],
        "arrested": sizes["arrested"],
        "founder_id": s.founder.id,
        "num_mentions": len(members),
        "num_articles": len({m.article_id for m in members}),
        "num_sources": len(outlets),
        "num_copies": copies,
        "outlets": outlets,
        "first_seen": published[0] if published else None,
        "last_seen": published[-1] if published else None,
        "mention_ids": [m.id for m in members],
        "article_ids": sorted({m.article_id for m in members}),
    }


def _width(k: tuple) -> int:
    try:
        return (date.fromisoformat(k[1]) - date.fromisoformat(k[0])).days
    except (TypeError, ValueError):
        return 10_000


# ---------------------------------------------------------------- from the store's rows
def mention_from_row(r: dict[str, Any]) -> M:
    """A stored mention (a row of :func:`dragoman.store.stories.clustering_rows`) as clustering sees it."""
    record = json.loads(r["record"])
    for name in ("killed", "injured", "arrested"):
        if r[name] is not None and record.get(name) is None:
            record[name] = r[name]
    return M(
        id=r["id"], article_id=r["article_id"], published=r["published"],
        outlet=(r["outlet"] or r["article_id"]).strip().lower(), sentence_start=r["sentence_start"] or 0,
        cameo=r["cameo"], root=r["cameo_root"], factuality=r["factuality"], confidence=float(r["confidence"]),
        src=(r["source_country"], r["source_sector"]), tgt=(r["target_country"], r["target_sector"]),
        d0=_day(r["date_start"]), d1=_day(r["date_end"]),
        loc=(r["loc_name"], r["loc_country"], r["loc_lat"], r["loc_lon"], r["loc_geonameid"], r["loc_precision"]),
        words=content_words(r["sentence"] or ""), record=record,
    )
