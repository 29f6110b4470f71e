"""A story's fields, each chosen by a vote of its members.

A story is as right as the reports it gathers, so every field it shows is one its members hold, chosen by the
same rule, and every part of a field comes from one member: a story never pairs one mention's source with
another's target, nor one mention's code with another's name.

**Support.** A value's support is who holds it, counted as ``(outlets, articles, mentions)`` and compared in that
order: two outlets outvote one outlet repeating itself, two articles outvote one article's restatements.

**The votes** (:func:`story_fields`), each recorded under ``vote`` with the support of every value:

* ``dyad`` — the source and target together. The candidates are the members' own dyads with at least one actor
  named. A member supports a candidate when each of its actors is unnamed or equal to the candidate's (by actor
  code, else name); in a story of symmetric acts (``STORY_SYMMETRIC_ROOTS``: talks, cooperation) it also
  supports it the other way round, and the story is *reciprocal* when a member holds the reverse of the chosen
  dyad. Highest support wins, then the candidate with more actors named, then the one more members hold in its
  own direction, then the earliest report's. A self-dyad (the same actor on both sides) is a coder's slip and is
  no candidate unless every member that names an actor is one. Both actors are copied from one member holding the
  chosen dyad (the most confident, then the earliest).
* ``cameo`` — the event code; ties go to the more specific code. The root, PLOVER type and mode, QuadClass and
  Goldstein come with it, from one member holding it.
* ``date`` — among members whose text states the date (all of them when none does); ties go to the narrower
  range, then the earlier.
* ``location`` — among members that name a place (by gazetteer id, else name); ties go to the more specific.
* ``factuality`` — ties go to the schema's precedence (a denial beats an assertion).
* ``killed``, ``injured``, ``arrested`` — not a vote: the largest figure a member reports, as later reports
  revise tolls upward; every figure reported is recorded.

Within a vote, members that hold no value (no date stated, no place) abstain; ``abstained`` counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dragoman import settings
from dragoman.model import FACTUALITY_PRECEDENCE, PRECISION_RANK

if TYPE_CHECKING:
    from dragoman.analysis.stories import M

Support = tuple[int, int, int]  # (outlets, articles, mentions)


def support(members: Sequence[M]) -> Support:
    return (len({m.outlet for m in members}), len({m.article_id for m in members}), len(members))


@dataclass
class Tally:
    """One vote: the values with their support, best first (``ranked[0]`` is the chosen one)."""

    ranked: list[tuple[Any, list[M]]]
    abstained: int

    @property
    def chosen(self) -> Any:
        return self.ranked[0][0] if self.ranked else None

    def holders(self) -> list[M]:
        return self.ranked[0][1] if self.ranked else []

    def to_dict(self, show: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
        return {"values": [{"value": show(v), **_support_dict(ms)} for v, ms in self.ranked],
                "abstained": self.abstained}


def _support_dict(members: Sequence[M]) -> dict[str, int]:
    outlets, articles, mentions = support(members)
    return {"outlets": outlets, "articles": articles, "mentions": mentions}


def tally(members: Sequence[M], key: Callable[[M], Hashable | None],
          tiebreak: Callable[[Any], Any]) -> Tally:
    """Members grouped by ``key`` (``None``: abstains), ranked by support, then ``tiebreak`` (smaller first),
    then the earliest holder."""
    groups: dict[Hashable, list[M]] = {}
    abstained = 0
    for m in members:
        k = key(m)
        if k is None:
            abstained += 1
        else:
            groups.setdefault(k, []).append(m)

    def rank(item: tuple[Hashable, list[M]]) -> tuple:
        value, holders = item
        return (tuple(-n for n in support(holders)), tiebreak(value), min(h.key for h in holders))

    return Tally(sorted(groups.items(), key=rank), abstained)


def representative(holders: Sequence[M]) -> M:
    """The member a chosen value is copied from: the most confident holder, then the earliest."""
    return min(holders, key=lambda m: (-m.confidence, m.key))


# ---------------------------------------------------------------- the dyad
def actor_key(actor: dict[str, Any] | None) -> str | None:
    """An actor's identity for the vote: its CAMEO code, else its name; ``None`` when unnamed."""
    if not actor:
        return None
    if actor.get("code"):
        return str(actor["code"])
    return f"~{str(actor['name']).lower()}" if actor.get("name") else None


def dyad_of(m: M) -> tuple[str | None, str | None]:
    return actor_key(m.record.get("source")), actor_key(m.record.get("target"))


def _fits(held: str | None, wanted: str | None) -> bool:
    return held is None or held == wanted


@dataclass
class DyadVote:
    dyad: tuple[str | None, str | None]
    source: dict[str, Any] | None
    target: dict[str, Any] | None
    reciprocal: bool
    record: dict[str, Any]
    holder: M | None


def vote_dyad(members: Sequence[M]) -> DyadVote:
    """The story's dyad (see the module docstring)."""
    symmetric = any(m.root in settings.STORY_SYMMETRIC_ROOTS for m in members)
    dyads = {m.id: dyad_of(m) for m in members}
    named = [m for m in members if any(dyads[m.id])]
    # (a self-dyad is a candidate only when every member that names an actor names the same one on both sides)
    all_self = bool(named) and all(dyads[m.id][0] == dyads[m.id][1] for m in named)
    candidates = sorted({dyads[m.id] for m in named if all_self or dyads[m.id][0] != dyads[m.id][1]},
                        key=lambda d: (d[0] or "", d[1] or ""))
    scored = []
    for cand in candidates:
        straight = [m for m in named if _fits(dyads[m.id][0], cand[0]) and _fits(dyads[m.id][1], cand[1])]
        backwards = [m for m in named if symmetric and m not in straight
                     and _fits(dyads[m.id][0], cand[1]) and _fits(dyads[m.id][1], cand[0])]
        own = [m for m in named if dyads[m.id] == cand]
        scored.append((cand, straight + backwards, own, backwards))
    if not scored:
        tally_record = {"values": [], "abstained": len(members), "reciprocal": False}
        return DyadVote((None, None), None, None, False, tally_record, None)

    def rank(item) -> tuple:
        cand, holders, own, _ = item
        return (tuple(-n for n in support(holders)), -sum(1 for k in cand if k), tuple(-n for n in support(own)),
                min(m.key for m in own))

    scored.sort(key=rank)
    cand, holders, own, backwards = scored[0]
    holder = representative(own)
    reciprocal = any(dyads[m.id][0] and dyads[m.id][1] and dyads[m.id] == (cand[1], cand[0]) and cand[0] != cand[1]
                     for m in backwards)
    record = {
        "values": [{"value": {"source": c[0], "target": c[1]}, **_support_dict(h)} for c, h, _, _ in scored],
        "abstained": len(members) - len(named), "reciprocal": reciprocal, "from": holder.id,
    }
    return DyadVote(cand, holder.record.get("source"), holder.record.get("target"), reciprocal, record, holder)


# ---------------------------------------------------------------- every field
def _width(start: str | None, end: str | None) -> int:
    try:
        return (date.fromisoformat(str(end)) - date.fromisoformat(str(start))).days
    except (TypeError, ValueError):
        return 10_000


def _date_key(m: M) -> tuple[str, str | None, str | None] | None:
    d = m.record.get("date") or {}
    return (d["start"], d.get("end"), d.get("precision")) if d.get("start") else None


def _place_key(m: M) -> str | None:
    loc = m.record.get("location") or {}
    if not loc.get("name"):
        return None
    return f"g{loc['geonameid']}" if loc.get("geonameid") else f"~{str(loc['name']).lower()}"


def _place_rank(m: M) -> int:
    loc = m.record.get("location") or {}
    return PRECISION_RANK.get(loc.get("precision") or "city", 1)


def story_fields(members: Sequence[M]) -> dict[str, Any]:
    """The fields of a story of ``members``, each chosen by its vote, and ``vote``: every tally."""
    members = sorted(members, key=lambda m: m.key)
    votes: dict[str, Any] = {}
    dyad = vote_dyad(members)
    votes["dyad"] = dyad.record

    codes = tally(members, lambda m: m.cameo, lambda c: (-len(c), c))
    code_rec = representative(codes.holders()).record
    votes["cameo"] = codes.to_dict()

    voters = [m for m in members if m.dated] or members
    dates = tally(voters, _date_key, lambda k: (_width(k[0], k[1]), k[0]))
    dates.abstained += len(members) - len(voters)
    if dates.ranked:
        d = representative(dates.holders()).record["date"]
        date_rec = {"start": d.get("start"), "end": d.get("end"), "precision": d.get("precision"),
                    "mod": d.get("mod"), "text": d.get("text")}
    else:
        date_rec = {"start": None, "end": None, "precision": "unknown", "mod": None, "text": None}
    votes["date"] = dates.to_dict(lambda k: {"start": k[0], "end": k[1], "precision": k[2]})

    by_place = {}
    for m in members:
        k = _place_key(m)
        if k is not None:
            by_place.setdefault(k, _place_rank(m))
    places = tally(members, _place_key, lambda k: (by_place[k], k))
    place_of = {k: representative(ms).record.get("location") or {} for k, ms in places.ranked}
    location = place_of[places.chosen] if places.ranked else None
    votes["location"] = places.to_dict(lambda k: place_of[k].get("name"))

    order = FACTUALITY_PRECEDENCE
    facts = tally(members, lambda m: m.factuality, lambda f: order.index(f) if f in order else len(order))
    votes["factuality"] = facts.to_dict()

    sizes: dict[str, int | None] = {}
    for name in ("killed", "injured", "arrested"):
        reported = sorted({v for v in (_size_of(m.record, name) for m in members) if v is not None}, reverse=True)
        sizes[name] = reported[0] if reported else None
        if reported:
            votes[name] = {"rule": "largest reported", "values": reported}
    evidence_from = dyad.holder or representative(members)
    return {
        "source": dyad.source, "target": dyad.target, "reciprocal": dyad.reciprocal,
        "cameo": codes.chosen, "cameo_root": code_rec["cameo_root"], "plover": code_rec["plover"],
        "plover_mode": code_rec.get("plover_mode"), "quad_class": code_rec["quad_class"],
        "goldstein": code_rec["goldstein"],
        "date": date_rec, "location": location, "factuality": facts.chosen,
        "killed": sizes["killed"], "injured": sizes["injured"], "arrested": sizes["arrested"],
        "evidence": evidence_from.record.get("evidence"), "attribution": evidence_from.record.get("attribution"),
        "coder": evidence_from.record.get("coder"),
        "date_alternatives": [{"start": k[0], "end": k[1], "precision": k[2], "num_sources": support(ms)[0],
                               "num_mentions": len(ms)} for k, ms in dates.ranked[1:]],
        "location_alternatives": [{**place_of[k], "num_sources": support(ms)[0], "num_mentions": len(ms)}
                                  for k, ms in places.ranked[1:]],
        "vote": votes,
    }


def _size_of(record: dict[str, Any], name: str) -> int | None:
    v = record.get(name)
    if isinstance(v, dict):
        v = v.get("number")
    elif isinstance(v, (list, tuple)):
        v = v[0] if v else None
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
