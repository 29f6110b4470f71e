"""The built-in actor dictionary (people and organisations): every entry carries an example sentence of our own,
and the real resolver, run over that sentence, finds the entry with the code the dictionary gives it.

A person's example is coded on a date inside their latest office (its middle; an office still held counts up to
:data:`REFERENCE_DAY`), so the expected code is that office's country and sector; a person with no office keeps
their country and ``sector_default``. An organisation's example is coded on :data:`REFERENCE_DAY`: its code, or
its country and sector, as a dated period in force then changes them. All examples are parsed in one batch.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from dragoman.actors import BUILTIN_FILES, ActorResolver
from dragoman.actors.lexicon import Entry, Period
from dragoman.model import Actor

# "Today" for offices still held and for organisations' dated periods: inside every current office.
REFERENCE_DAY = date(2026, 1, 15)
# Offices with no start date are taken to have begun here (only for choosing a date inside them).
EARLIEST_DAY = date(1960, 1, 1)


@pytest.fixture(scope="module")
def resolver(nlp) -> ActorResolver:
    r = ActorResolver()
    r.setup(nlp)
    return r


@pytest.fixture(scope="module")
def entries(resolver) -> list[Entry]:
    builtin = {str(p) for p in BUILTIN_FILES}
    return [e for e in resolver.lexicon.entries.values()
            if e.kind in ("person", "org") and e.source.rsplit(":", 1)[0] in builtin]


@pytest.fixture(scope="module")
def parsed(nlp, resolver, entries):
    """Every example sentence, parsed once and annotated with the dictionary's phrases."""
    texts = sorted({e.example for e in entries if e.example})
    return {t: resolver.annotate(doc) for t, doc in zip(texts, nlp.pipe(texts, batch_size=256), strict=True)}


def coding_day(entry: Entry) -> date:
    """The date an entry's example is coded on: the middle of a person's latest office, else today."""
    if entry.kind != "person" or not entry.periods:
        return REFERENCE_DAY
    latest = max(entry.periods, key=lambda p: p.start or EARLIEST_DAY)
    start = latest.start or EARLIEST_DAY
    end = min(latest.end or REFERENCE_DAY, REFERENCE_DAY) if start <= REFERENCE_DAY else start
    day = start + timedelta(days=(end - start).days // 2)
    # The middle of an office may fall inside a later-starting overlapping one: take the later one's start then.
    later = [p for p in entry.periods if p.holds(day) and (p.start or EARLIEST_DAY) > start]
    return max(later, key=lambda p: p.start or EARLIEST_DAY).start or day if later else day


def _in_force(periods: tuple[Period, ...], day: date) -> Period | None:
    held = [p for p in periods if p.holds(day)]
    return max(held, key=lambda p: p.start or EARLIEST_DAY) if held else None


def expected_code(entry: Entry, day: date) -> str | None:
    """The code the dictionary gives ``entry`` on ``day`` (the resolver's rule, restated from the data)."""
    period = _in_force(entry.periods, day)
    if entry.kind == "person":
        if period is None:
            return Actor.make_code(entry.country, entry.sector)
        return Actor.make_code(period.country or entry.country, period.sector or "GOV")
    if entry.code and not (period and period.sector):
        return entry.code
    country = (period.country if period else None) or entry.country
    sector = (period.sector if period else None) or entry.sector
    return Actor.make_code(country, sector)


def test_every_entry_has_an_example(entries) -> None:
    missing = sorted(e.source.rsplit("/", 1)[-1] for e in entries if not e.example)
    assert not missing, f"{len(missing)} entries without an example, first: {missing[:20]}"


def test_examples_are_distinct(entries) -> None:
    repeated = [t for t, n in Counter(e.example for e in entries if e.example).items() if n > 1]
    assert not repeated, f"examples shared by several entries: {repeated[:10]}"


def test_every_example_codes_its_entry(resolver, entries, parsed) -> None:
    failed = []
    for entry in entries:
        if not entry.example:
            continue
        day = coding_day(entry)
        doc = parsed[entry.example]
        ctx = resolver.new_context(day)
        found = [m for m in resolver.actors_in(doc[:], ctx) if m.entry_id == entry.id]
        want = expected_code(entry, day)
        if not any(m.actor.code == want for m in found):
            got = sorted({str(m.actor.code) for m in found}) or "not found"
            failed.append(f"{entry.source.rsplit('/', 1)[-1]} {entry.id} on {day}: want {want}, got {got}: "
                          f"{entry.example}")
    assert not failed, f"{len(failed)} examples do not code their entry:\n" + "\n".join(failed[:60])


def test_dictionary_size(entries) -> None:
    """The dictionary covers every region: people by the hundred, organisations of each kind."""
    kinds = Counter(e.kind for e in entries)
    assert kinds["person"] >= 1000
    org_types = Counter(e.org_type for e in entries if e.kind == "org")
    assert all(org_types[t] >= 20 for t in ("igo", "ngo", "armed_group", "security", "government", "party")), \
        org_types
