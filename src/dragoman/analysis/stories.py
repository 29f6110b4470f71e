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
* **Within one article** three constructions of news writing are evidence enough, the gates above still
  holding: one speaker's verbal acts on one day (a briefing spread over quoted sentences: :func:`one_voice`,
  the speaker named on both sides, a pronoun only shortly after its name); a headline and the lead it sums up
  (:func:`headline_and_lead`); a later, vaguer mention of the event at the same city or province with the same
  country in the same role (:func:`same_article_thread`).
* **Score.** Root, date, place, actors and wording (Jaccard overlap of content words) are each scored in
  [0, 1] and weighted (``STORY_WEIGHTS``); the best-scoring member must reach ``STORY_MIN_SCORE``. A mention
  joins the story it scores best with, else founds a new one. Every join records its anchor (the member it
  matched best), the score and each rule's verdict: ``dragoman story ID`` prints them.
* **Blocking.** Besides the blocks, a story whose dated members' ranges a mention's dates cannot meet is
  passed over without a pair test (``Story.dates_exclude``, exactly the date gate): clustering a block costs
  about its number of stories per mention, not its number of mentions.
* **Fields.** A story's fields are the vote of its members (:mod:`dragoman.analysis.story_fields`).

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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dragoman import settings
from dragoman.analysis.speakers import Speaker, anchor_pronouns, same_speaker
from dragoman.analysis.story_fields import story_fields
from dragoman.geo.distance import haversine_km
from dragoman.model import PRECISION_RANK, stable_id

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
    body_start: int = 0  # where the article's body begins after its headline (0: no headline in the text)
    # for a pronoun speaker ("he said"), the speaker it stands for (analysis.speakers.anchor_pronouns)
    pronoun_speaker: Speaker | None = None

    @property
    def signature(self) -> tuple:
        """Everything :func:`pair` reads of a mention but its id and offsets (which matter only within its own
        sentence): two mentions of one signature get one verdict against any third."""
        cached = self.__dict__.get("_signature")
        if cached is None:
            def actor(role: str) -> tuple:
                a = self.record.get(role) or {}
                return a.get("code"), a.get("name"), a.get("text"), a.get("country"), a.get("sector")

            cached = self.__dict__["_signature"] = (
                self.article_id, self.cameo, self.root, self.factuality, self.src, self.tgt, self.d0, self.d1,
                self.loc, self.admin1, self.words, self.dated, self.headline, self.in_lead, actor("source"),
                actor("target"), (self.record.get("evidence") or {}).get("sentence"), self.pronoun_speaker)
        return cached

    @property
    def admin1(self) -> str | None:
        """The first-level region its place is or lies in (GeoNames "CC.code"), when known."""
        return (self.record.get("location") or {}).get("admin1")

    @property
    def headline(self) -> bool:
        """Whether the mention was coded from the article's headline."""
        return self.sentence_start < self.body_start

    @property
    def in_lead(self) -> bool:
        """Whether the mention is in the lead the headline sums up (the body's first ``HEADLINE_LEAD_CHARS``)."""
        return self.body_start <= self.sentence_start < self.body_start + settings.HEADLINE_LEAD_CHARS

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
    # the latest start and the earliest end of its dated members' ranges (headlines aside): a dated mention
    # outside them fails the date gate against one of them, so the story is passed over without a pair test
    latest_start: date | None = None
    earliest_end: date | None = None

    # the members with a signature no earlier member has (pair() gives members of one signature one verdict),
    # and the members of each sentence (a mention's own sentence is the exception: compared member by member)
    distinct: list[M] = field(default_factory=list)
    signatures: set[tuple] = field(default_factory=set)
    by_sentence: dict[tuple[str, int], list[M]] = field(default_factory=dict)

    def add(self, m: M) -> None:
        self.members.append(m)
        if m.signature not in self.signatures:
            self.signatures.add(m.signature)
            self.distinct.append(m)
        self.by_sentence.setdefault((m.article_id, m.sentence_start), []).append(m)
        if m.d0 and m.d1 and not m.headline:
            self.latest_start = m.d0 if self.latest_start is None else max(self.latest_start, m.d0)
            self.earliest_end = m.d1 if self.earliest_end is None else min(self.earliest_end, m.d1)

    def to_compare(self, m: M) -> list[M]:
        """The members ``m`` must be compared with: one of each signature, and those of ``m``'s own sentence
        (what pair() tells of them depends on their offsets). A report repeated a thousand times in one
        article is compared once, not a thousand times."""
        own = self.by_sentence.get((m.article_id, m.sentence_start))
        if not own:
            return self.distinct
        shown = {id(x) for x in self.distinct}
        return self.distinct + [x for x in own if id(x) not in shown]

    def dates_exclude(self, m: M) -> bool:
        """Whether ``m``'s dates fail the date gate against a member (exactly what :func:`rule_date` would
        find): a blocking test that spares the pair tests of stories far away in time."""
        if self.latest_start is None or self.earliest_end is None or not (m.d0 and m.d1) or m.headline:
            return False
        slack = timedelta(days=settings.STORY_DATE_SLACK_DAYS)
        return m.d1 + slack < self.latest_start or self.earliest_end + slack < m.d0

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
    widest = max(_span_days(a), _span_days(b))
    if widest > settings.STORY_DATE_MAX_DAYS:  # "since 2013": a background period, not when a happening was
        return False, 0.0, f"a date spans {widest} days: a period, not a happening's date"
    coarse = widest > settings.STORY_COARSE_DATE_DAYS
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
    # a first-level region holds the places that lie in it, and no other: a city in the next province is elsewhere
    a1, b1 = a.admin1, b.admin1
    region = PRECISION_RANK["admin1"]
    if a1 and b1 and (ra == region or rb == region):
        if a1 == b1:
            return True, _SCORE["place_within_country"], f"{bn if rb > ra else an} contains {an if rb > ra else bn}"
        return False, 0.0, f"{an if ra <= rb else bn} lies outside {bn if ra <= rb else an}"
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


def _role(x: tuple[str | None, str | None], y: tuple[str | None, str | None], a: M, b: M,
          lenient: bool = True) -> tuple[str, float]:
    if not (x[0] or x[1]) or not (y[0] or y[1]):
        return ("unnamed", _SCORE["actor_one_unnamed"]) if (x[0] or x[1] or y[0] or y[1]) else (
            "both unnamed", _SCORE["actor_both_unnamed"])
    if x[0] and y[0] and x[0] != y[0]:
        # (``lenient``: a country the other names in another role is taken for the coder's confusion; never when
        # the roles are already swapped, where the other role is the one compared)
        if lenient and (x[0] in b.countries or y[0] in a.countries):
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
        options.append([_role(a.src, b.tgt, a, b, lenient=False), _role(a.tgt, b.src, a, b, lenient=False)])
    best = max(options, key=lambda o: (min(s for _, s in o) >= 0, sum(s for _, s in o)))
    reversed_ = best is not straight
    if any(s < 0 for _, s in best):
        return False, 0.0, "actors conflict: " + "; ".join(r for r, _ in best)
    if reversed_:  # the two directions of one interaction: each one's source is the other's target
        return True, sum(s for _, s in best) / 2, ("reciprocal: source/target " + best[0][0] + "; target/source "
                                                   + best[1][0])
    return True, sum(s for _, s in best) / 2, "source " + best[0][0] + "; target " + best[1][0]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def vetoed(a: M, b: M) -> bool:
    """Whether a gate that nothing overrides already fails for ``a`` and ``b`` (root, place, actors, two acts of
    one sentence, two speakers): :func:`cluster` passes a story over on it without scoring the pair."""
    if not rule_root(a, b)[0] or _two_acts_of_one_sentence(a, b):
        return True
    if not rule_place(a, b)[0] or not rule_actors(a, b)[0]:
        return True
    return _verbal(a, b) and not headline_and_lead(a, b) and same_speaker(a, b) is None


def _two_acts_of_one_sentence(a: M, b: M) -> bool:
    """One sentence's two acts ("banks were looted and weapons seized") are two events; one act coded once per
    pair of actors ("A and B met C") is left to the other rules."""
    if a.article_id != b.article_id or a.sentence_start != b.sentence_start:
        return False
    ta, tb = _trigger_start(a), _trigger_start(b)
    return ta is not None and tb is not None and ta != tb


def _verbal(a: M, b: M) -> bool:
    """Whether both are verbal acts, which are one event per speaker and occasion (``STORY_ONE_VOICE_ROOTS``)."""
    return a.root in settings.STORY_ONE_VOICE_ROOTS and b.root in settings.STORY_ONE_VOICE_ROOTS


def pair(a: M, b: M) -> tuple[bool, float, dict[str, Any]]:
    """Whether ``a`` and ``b`` may report the same happening, their score, and each rule's verdict."""
    if _two_acts_of_one_sentence(a, b):
        return False, 0.0, {"sentence": "two acts of one sentence"}
    text = jaccard(a.words, b.words)
    verdicts = {
        "root": rule_root(a, b), "date": rule_date(a, b, text), "place": rule_place(a, b),
        "actors": rule_actors(a, b),
    }
    thread = same_article_thread(a, b)
    if thread and not verdicts["date"][0]:
        verdicts["date"] = (True, _SCORE["date_coarse"], "one article's dates, one within the other")
    headline = headline_and_lead(a, b)
    if headline and not verdicts["date"][0]:
        # a headline is written in the present ("Rebels seize airport"): its date is its lead's, not a day of its own
        undated = not (a.dated if a.headline else b.dated)
        if undated:
            verdicts["date"] = (True, _SCORE["date_unknown"], "a headline takes its lead's date")
    if not headline and _verbal(a, b):
        # a statement is one event per speaker and occasion: two speakers, or one not named, are two events
        speaker = same_speaker(a, b)
        verdicts["speaker"] = (True, 1.0, f"one speaker ({speaker})") if speaker else (
            False, 0.0, "verbal acts of two speakers, or of a speaker not named")
    ok = all(v[0] for v in verdicts.values())
    voice = headline or one_voice(a, b) or thread
    if ok and voice:
        verdicts["evidence"] = (True, 1.0, voice)
        return _scored(a, b, verdicts, text)
    # a root and a date are not enough: something specific must be shared: both actors' countries, the same
    # city or point, or similar wording. One country in common is not: a war has many attacks on one country's
    # soil in a week, a capital many statements
    def both(pairs: tuple) -> bool:
        return all(x[0] and x[0] == y[0] for x, y in pairs)

    actors = both(((a.src, b.src), (a.tgt, b.tgt))) or both(((a.src, b.tgt), (a.tgt, b.src)))
    specific = actors or _city_match(a, b, verdicts["place"][1]) or text >= settings.STORY_TEXT_SIMILAR
    one_country = any(x[0] and x[0] == y[0] for x, y in ((a.src, b.src), (a.tgt, b.tgt), (a.src, b.tgt),
                                                          (a.tgt, b.src)))
    same_day = a.dated and b.dated and a.d0 == a.d1 == b.d0 == b.d1 is not None and a.root == b.root
    if ok and not specific and one_country and same_day:
        # enough only for the one story it could be (cluster() checks that no other story is compatible)
        verdicts["evidence"] = (True, 0.0, WEAK_EVIDENCE)
    elif ok and not specific:
        ok = False
        verdicts["evidence"] = (False, 0.0, "nothing specific shared (no common country, city or wording)")
    if ok and (not a.dated or not b.dated) and text < settings.STORY_UNDATED_MIN_TEXT:
        # a date that is only the publication day says little: background sentences share it too
        ok = False
        verdicts["evidence"] = (False, 0.0, f"a date is only the publication day and the wording differs ({text:.2f})")
    return _scored(a, b, verdicts, text, ok)


WEAK_EVIDENCE = "one root and one country in common on one stated day, and no other story it could be"


def _city_match(a: M, b: M, place_score: float) -> bool:
    """Whether the two places are one city or point (or two near ones), not just one country or region."""
    finest = min(PRECISION_RANK.get(a.loc[5] or "city", 1), PRECISION_RANK.get(b.loc[5] or "city", 1))
    return bool(a.loc[0] and b.loc[0]) and finest <= PRECISION_RANK["admin2"] and (
        place_score >= _SCORE["place_near_city"])


def _trigger_start(m: M) -> int | None:
    return (m.record.get("evidence") or {}).get("trigger_start")


def _scored(a: M, b: M, verdicts: dict[str, tuple[bool, float, str]], text: float,
            ok: bool = True) -> tuple[bool, float, dict[str, Any]]:
    w = settings.STORY_WEIGHTS
    score = sum(w[k] * verdicts[k][1] for k in ("root", "date", "place", "actors")) + w["text"] * min(
        1.0, text / settings.STORY_TEXT_SIMILAR)
    reasons = {k: v[2] for k, v in verdicts.items()}
    reasons["text"] = f"wording overlap {text:.2f}" + (" (similar)" if text >= settings.STORY_TEXT_SIMILAR else "")
    if a.article_id == b.article_id:
        reasons["article"] = "same article"
    return ok, round(score, 4), reasons


def _contains(a: M, b: M) -> bool:
    return bool(a.d0 and a.d1 and b.d0 and b.d1 and (a.d0 <= b.d0 and b.d1 <= a.d1 or b.d0 <= a.d0 and a.d1 <= b.d1))


def same_article_thread(a: M, b: M) -> str | None:
    """Why two mentions of one article follow one happening, or ``None``: the same place (a city, or a
    province, named on both), the same country in the same role, and one's dates within the other's. An article
    comes back to its event in later paragraphs, often more vaguely dated (the present perfect of "the summit
    has opened" spans the week), and the date gate's call for close wording would keep them apart. The other
    gates still apply: the same root group, actors that do not conflict."""
    if a.article_id != b.article_id or not _contains(a, b):
        return None
    an, bn = a.loc[0], b.loc[0]
    same_place = an and bn and ((a.loc[4] and a.loc[4] == b.loc[4]) or an.lower() == bn.lower())
    if not same_place or PRECISION_RANK.get(a.loc[5] or "city", 1) > PRECISION_RANK["admin1"]:
        return None
    straight = [(a.src, b.src), (a.tgt, b.tgt)]
    if a.root in settings.STORY_SYMMETRIC_ROOTS:
        straight += [(a.src, b.tgt), (a.tgt, b.src)]
    shared = next((x[0] for x, y in straight if x[0] and x[0] == y[0]), None)
    return f"one article, the same country in a role ({shared}), one's dates within the other's" if shared else None


def headline_and_lead(a: M, b: M) -> str | None:
    """Why two mentions are the headline of an article and the lead it sums up, or ``None``. (They must still
    pass the gates: the same root group, actors and places that do not conflict.)"""
    if a.article_id != b.article_id or a.headline == b.headline:
        return None
    return "a headline and the lead it sums up" if (b if a.headline else a).in_lead else None


def one_voice(a: M, b: M) -> str | None:
    """Why two verbal acts of one article are one occasion, or ``None``: the same speaker, the same root
    (``STORY_ONE_VOICE_ROOTS``) and the same date. Reporters spread one briefing, interview or statement over
    several sentences ("X said ... she added ... X said"), each coded as an act of its own."""
    if a.article_id != b.article_id or a.root != b.root or not _verbal(a, b):
        return None
    if (a.d0, a.d1) != (b.d0, b.d1) or a.d0 is None:
        return None
    speaker = same_speaker(a, b)
    if speaker is None:
        return None
    return f"one speaker ({speaker}) on one day in one article: one occasion"


class _StoryIndex:
    """Stories by the months their founder's dates span (a story's dated range only narrows as members join, so
    its founder's months hold it), so that a dated mention is compared only with the stories of its months and
    those dated by no range (:meth:`near`, in founding order: the clustering does not change)."""

    def __init__(self) -> None:
        self.by_month: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.undated: list[int] = []

    @staticmethod
    def _months(d0: date, d1: date) -> Iterator[tuple[int, int]]:
        y, mo = d0.year, d0.month
        while (y, mo) <= (d1.year, d1.month):
            yield y, mo
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)

    def add(self, n: int, founder: M) -> None:
        if founder.d0 and founder.d1 and not founder.headline:
            for month in self._months(founder.d0, founder.d1):
                self.by_month[month].append(n)
        else:
            self.undated.append(n)

    def near(self, m: M, stories: list[Story]) -> list[Story]:
        if not (m.d0 and m.d1) or m.headline:
            return stories
        slack = timedelta(days=settings.STORY_DATE_SLACK_DAYS)
        found = set(self.undated)
        for month in self._months(m.d0 - slack, m.d1 + slack):
            found.update(self.by_month.get(month, ()))
        return [stories[n] for n in sorted(found)]


def cluster(mentions: Iterable[M], memo: dict[tuple[str, str], tuple] | None = None) -> list[Story]:
    """Stories of one block's mentions. Deterministic: the input order does not matter. ``memo`` keeps each
    pair's verdict across calls (the ingest job clusters a block again for every batch, over mostly the same
    mentions): only a caller whose mentions never change between calls may pass one."""
    stories: list[Story] = []
    index = _StoryIndex()
    mentions = sorted(mentions, key=lambda x: x.key)
    anchor_pronouns(mentions)
    for m in mentions:
        best: tuple[float, Story, M, dict[str, Any]] | None = None
        candidates = 0
        for s in index.near(m, stories):
            if s.dates_exclude(m):
                continue
            top: tuple[float, M, dict[str, Any]] | None = None
            refused = False
            strong = False
            for x in s.to_compare(m):
                verdict = memo.get((m.id, x.id)) if memo is not None else None
                if verdict is None:
                    verdict = (False, 0.0, {}) if vetoed(m, x) else pair(m, x)
                    if memo is not None:
                        memo[(m.id, x.id)] = verdict
                ok, score, reasons = verdict
                if not ok:
                    refused = True
                    break
                strong = strong or reasons.get("evidence") != WEAK_EVIDENCE
                if top is None or score > top[0]:
                    top = (score, x, reasons)
            if refused or top is None or top[0] < settings.STORY_MIN_SCORE:
                continue
            candidates += 1
            # (a story joined on weak evidence alone ranks below any joined on something specific)
            rank = top[0] + (1.0 if strong else 0.0)
            if best is None or rank > best[0]:
                best = (rank, s, top[1], top[2])
        if best is not None and best[0] < 1.0 and candidates > 1:
            best = None  # one country in common, and several stories it could be: none is chosen
        if best is None:
            s = Story(founder=m)
            s.add(m)
            s.joins[m.id] = (None, None, {"founded": "no compatible story: founds this one"})
            index.add(len(stories), m)
            stories.append(s)
        else:
            rank, s, anchor, reasons = best
            s.add(m)
            s.joins[m.id] = (anchor.id, round(rank - 1.0 if rank >= 1.0 else rank, 4), reasons)
    return stories


# ---------------------------------------------------------------- the story record
def story_record(s: Story, copies: int = 0) -> dict[str, Any]:
    """The story in the mention shape, extended: counts, support, and each field chosen by a vote of its members
    (:mod:`dragoman.analysis.story_fields`, every tally kept under ``vote``)."""
    members = sorted(s.members, key=lambda x: x.key)
    fields = story_fields(members)
    outlets = sorted({m.outlet for m in members})
    best_by_outlet: dict[str, float] = {}
    for m in members:
        best_by_outlet[m.outlet] = max(best_by_outlet.get(m.outlet, 0.0), m.confidence)
    miss = 1.0
    for c in best_by_outlet.values():
        miss *= 1.0 - max(0.0, min(1.0, c))
    published = sorted(m.published for m in members if m.published)
    sid = s.story_id
    return {
        "id": sid,
        "story_id": sid,
        "article_id": s.founder.article_id,
        **fields,
        "confidence": round(1.0 - miss, 4),
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
        words=content_words(r["sentence"] or ""), record=record, body_start=int(r.get("body_start") or 0),
    )
