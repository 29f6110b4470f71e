"""A story's fields are the vote of its members (dragoman.analysis.story_fields): properties over random member
sets, and the reciprocal and self-dyad cases written out."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dragoman.analysis.stories import M
from dragoman.analysis.story_fields import actor_key, dyad_of, story_fields, support

ACTORS = [None, {"code": "USAGOV", "country": "USA", "sector": "GOV", "name": "Washington"},
          {"code": "IRQGOV", "country": "IRQ", "sector": "GOV", "name": "Baghdad"},
          {"code": "IRNMIL", "country": "IRN", "sector": "MIL", "name": "Caspian coast guard"},
          {"code": None, "country": None, "sector": None, "name": "the valley watchmen"}]
CODES = [("036", "03", "INTEND", 1, 4.0), ("040", "04", "CONSULT", 1, 1.0), ("043", "04", "CONSULT", 1, 2.8),
         ("190", "19", "ASSAULT", 4, -10.0)]
DATES = [None, ("2024-03-04", "2024-03-04", "day"), ("2024-03-05", "2024-03-05", "day"),
         ("2024-03-01", "2024-03-31", "month")]
PLACES = [None, {"name": "Mosul", "geonameid": 99072, "precision": "city", "country": "IRQ"},
          {"name": "Iraq", "geonameid": 99237, "precision": "country", "country": "IRQ"}]
FACTS = ["asserted", "reported", "historical", "negated"]


@st.composite
def member(draw, n: int) -> M:
    src, tgt = draw(st.sampled_from(ACTORS)), draw(st.sampled_from(ACTORS))
    cameo, root, plover, quad, goldstein = draw(st.sampled_from(CODES))
    when = draw(st.sampled_from(DATES))
    stated = draw(st.booleans())
    place = draw(st.sampled_from(PLACES))
    fact = draw(st.sampled_from(FACTS))
    outlet = draw(st.sampled_from(["wire one", "wire two", "daily"]))
    article = f"{outlet}:{draw(st.integers(0, 3))}"
    record = {
        "source": src, "target": tgt, "cameo": cameo, "cameo_root": root, "plover": plover, "plover_mode": None,
        "quad_class": quad, "goldstein": goldstein, "factuality": fact, "location": place,
        "date": ({"start": when[0], "end": when[1], "precision": when[2], "mod": None,
                  "text": "on Monday" if stated else None} if when else {"start": None, "precision": "unknown"}),
        "evidence": {"sentence": f"sentence {n}", "start": 10 * n, "end": 10 * n + 9},
        "killed": draw(st.sampled_from([None, 3, 7])),
    }
    return M(id=f"m{n}", article_id=article, published="2024-03-06", outlet=outlet, sentence_start=10 * n,
             cameo=cameo, root=root, factuality=fact, confidence=draw(st.sampled_from([0.4, 0.7, 0.9])),
             src=(None, None), tgt=(None, None), d0=None, d1=None, loc=(None,) * 6, words=frozenset(),
             record=record)


@st.composite
def members(draw) -> list[M]:
    n = draw(st.integers(1, 7))
    return [draw(member(i)) for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(members())
def test_no_self_dyad_unless_every_member_naming_an_actor_is_one(ms: list[M]) -> None:
    f = story_fields(ms)
    s, t = actor_key(f["source"]), actor_key(f["target"])
    if s is not None and s == t:
        assert all(dyad_of(m)[0] == dyad_of(m)[1] for m in ms if any(dyad_of(m)))


@settings(max_examples=150, deadline=None)
@given(members())
def test_source_and_target_are_one_members(ms: list[M]) -> None:
    f = story_fields(ms)
    if f["source"] is None and f["target"] is None:
        return
    assert any(m.record["source"] == f["source"] and m.record["target"] == f["target"] for m in ms)
    assert f["vote"]["dyad"]["from"] in {m.id for m in ms}


@settings(max_examples=150, deadline=None)
@given(members())
def test_each_field_has_the_most_support_among_its_members(ms: list[M]) -> None:
    f = story_fields(ms)

    def best(values: dict) -> tuple:
        return max(support(v) for v in values.values())

    def held(key) -> dict:
        out: dict = {}
        for m in ms:
            k = key(m)
            if k is not None:
                out.setdefault(k, []).append(m)
        return out

    codes = held(lambda m: m.cameo)
    assert support(codes[f["cameo"]]) == best(codes)
    holder = next(m for m in ms if m.cameo == f["cameo"] and m.record["cameo_root"] == f["cameo_root"])
    assert (holder.record["plover"], holder.record["quad_class"], holder.record["goldstein"]) == (
        f["plover"], f["quad_class"], f["goldstein"])
    facts = held(lambda m: m.factuality)
    assert support(facts[f["factuality"]]) == best(facts)
    stated = [m for m in ms if m.dated and m.record["date"].get("start")]
    voters = stated or [m for m in ms if m.record["date"].get("start")]
    dates = {}
    for m in voters:
        d = m.record["date"]
        dates.setdefault((d["start"], d["end"]), []).append(m)
    if dates:
        assert support(dates[(f["date"]["start"], f["date"]["end"])]) == best(dates)
    else:
        assert f["date"]["start"] is None
    places = held(lambda m: (m.record["location"] or {}).get("geonameid"))
    if places:
        assert support(places[f["location"]["geonameid"]]) == best(places)
    else:
        assert f["location"] is None
    tolls = [m.record["killed"] for m in ms if m.record["killed"] is not None]
    assert f["killed"] == (max(tolls) if tolls else None)


@settings(max_examples=150, deadline=None)
@given(members())
def test_the_dyad_has_the_most_support(ms: list[M]) -> None:
    f = story_fields(ms)
    symmetric = any(m.root in ("03", "04", "05", "06") for m in ms)

    def fits(m: M, cand: tuple) -> bool:
        s, t = dyad_of(m)
        straight = s in (None, cand[0]) and t in (None, cand[1])
        back = symmetric and s in (None, cand[1]) and t in (None, cand[0])
        return any((s, t)) and (straight or back)

    chosen = (actor_key(f["source"]), actor_key(f["target"]))
    if chosen == (None, None):
        assert not any(any(dyad_of(m)) for m in ms) or all(dyad_of(m)[0] == dyad_of(m)[1] for m in ms
                                                             if any(dyad_of(m)))
        return
    won = support([m for m in ms if fits(m, chosen)])
    for m in ms:
        cand = dyad_of(m)
        if any(cand) and cand[0] != cand[1]:
            assert won >= support([x for x in ms if fits(x, cand)]), (cand, chosen)


@settings(max_examples=100, deadline=None)
@given(members(), st.randoms(use_true_random=False))
def test_the_member_order_does_not_matter(ms: list[M], rnd: random.Random) -> None:
    shuffled = list(ms)
    rnd.shuffle(shuffled)
    assert story_fields(ms) == story_fields(shuffled)


def _talk(n: int, src: dict | None, tgt: dict | None, root: str = "04", cameo: str = "040") -> M:
    record = {"source": src, "target": tgt, "cameo": cameo, "cameo_root": root, "plover": "CONSULT",
              "plover_mode": None, "quad_class": 1, "goldstein": 1.0, "factuality": "asserted", "location": None,
              "date": {"start": "2024-03-04", "end": "2024-03-04", "precision": "day", "text": "on Monday"},
              "evidence": {"sentence": f"sentence {n}", "start": n, "end": n + 1}}
    return M(id=f"t{n}", article_id=f"a{n}", published="2024-03-05", outlet="wire", sentence_start=n, cameo=cameo,
             root=root, factuality="asserted", confidence=0.8, src=(None, None), tgt=(None, None), d0=None,
             d1=None, loc=(None,) * 6, words=frozenset(), record=record)


def test_two_directions_of_talks_are_one_reciprocal_dyad() -> None:
    usa, irq = ACTORS[1], ACTORS[2]
    f = story_fields([_talk(1, usa, irq), _talk(2, irq, usa), _talk(3, usa, irq)])
    assert (f["source"], f["target"], f["reciprocal"]) == (usa, irq, True)
    f = story_fields([_talk(1, usa, irq), _talk(2, usa, irq)])
    assert f["reciprocal"] is False


def test_a_self_dyad_slip_does_not_win_over_a_real_dyad() -> None:
    irq, usa = ACTORS[2], ACTORS[1]
    f = story_fields([_talk(1, irq, irq), _talk(2, irq, irq), _talk(3, usa, irq)])
    assert (f["source"], f["target"]) == (usa, irq)
