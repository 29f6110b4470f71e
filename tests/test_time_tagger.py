"""The time stage: each kind of expression resolved against a fixed publication date (our own sentences),
TIMEX3 values and bounds, ordinals left alone, and event dates attached through the parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.model import EventDate, TimeExpression
from dragoman.nlp import load_nlp
from dragoman.time import TimeTagger
from dragoman.time.calendar import bounds
from dragoman.time.lexicon import LexiconError, load_lexicon

PUB = "2020-06-14"  # a Sunday, ISO week 2020-W24


@pytest.fixture(scope="module")
def tagger() -> TimeTagger:
    return TimeTagger()


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def tag(tagger: TimeTagger, nlp, text: str, published: str | None = PUB) -> list[TimeExpression]:
    return tagger.find(nlp(text), published, "t")


def only(tagger: TimeTagger, nlp, text: str, published: str | None = PUB) -> TimeExpression:
    found = tag(tagger, nlp, text, published)
    assert len(found) == 1, [(e.text, e.value) for e in found]
    return found[0]


# (sentence, surface, type, value, mod) — published 2020-06-14 unless the case says otherwise.
CASES = [
    ("The delegations met on June 11 in Baghdad.", "June 11", "DATE", "2020-06-11", None),
    ("The ambassador was recalled last month.", "last month", "DATE", "2020-05", None),
    ("The militia was banned last year.", "last year", "DATE", "2019", None),
    ("Relations between the two capitals soured in January.", "January", "DATE", "2020-01", None),
    ("The two leaders will meet in January.", "January", "DATE", "2021-01", None),
    ("There have been a dozen raids on the camp since October.", "October", "DATE", "2019-10", None),
    ("Crowds filled the squares in late 2019.", "late 2019", "DATE", "2019", "END"),
    ("The governor resigned Tuesday after the vote.", "Tuesday", "DATE", "2020-06-09", None),
    ("The minister will travel to Cairo on Tuesday.", "Tuesday", "DATE", "2020-06-16", None),
    ("Troops crossed the border earlier this week.", "earlier this week", "DATE", "2020-W24", None),
    ("The council will vote next week.", "next week", "DATE", "2020-W25", None),
    ("Insurgents have controlled the valley for years.", "years", "DURATION", "PXY", None),
    ("The rebels seized the town two years ago.", "two years ago", "DATE", "2018", None),
    ("The envoy arrived six days ago.", "six days ago", "DATE", "2020-06-08", None),
    ("Police arrested the suspect yesterday.", "yesterday", "DATE", "2020-06-13", None),
    ("The court will rule tomorrow.", "tomorrow", "DATE", "2020-06-15", None),
    ("Prices have risen over the past three years.", "the past three years", "DURATION", "P3Y", None),
    ("The treaty was signed on March 26, 1996.", "March 26, 1996", "DATE", "1996-03-26", None),
    ("The army withdrew in mid-1996.", "mid-1996", "DATE", "1996", "MID"),
    ("The mission ends in early September.", "early September", "DATE", "2020-09", "START"),
    ("Parliament will be dissolved at the end of this month.", "the end of this month", "DATE", "2020-06", "END"),
    ("The movement grew in the 1990s.", "the 1990s", "DATE", "199", None),
    ("The group held power in the late 1970s.", "the late 1970s", "DATE", "197", "END"),
    ("The temple dates from the 11th century.", "the 11th century", "DATE", "10", None),
    ("The ministry now controls the ports.", "now", "DATE", "PRESENT_REF", None),
    ("The ministry currently controls the ports.", "currently", "DATE", "PRESENT_REF", None),
    ("The ministry recently took over the ports.", "recently", "DATE", "PAST_REF", None),
    ("Talks may resume in the near future.", "the near future", "DATE", "FUTURE_REF", None),
    ("Exports fell in the first quarter of 2019.", "the first quarter of 2019", "DATE", "2019-Q1", None),
    ("Fighting intensified this spring.", "this spring", "DATE", "2020-SP", None),
    ("The ceasefire collapsed in the summer of 2014.", "the summer of 2014", "DATE", "2014-SU", None),
    ("Budget cuts were approved in fiscal 2019.", "fiscal 2019", "DATE", "2019", None),
    ("Patrols are carried out daily.", "daily", "SET", "P1D", None),
    ("The envoy landed at 9 a.m. Tuesday.", "9 a.m. Tuesday", "TIME", "2020-06-09T09:00", None),
]


@pytest.mark.parametrize(("sentence", "surface", "ttype", "value", "mod"), CASES, ids=[c[1] for c in CASES])
def test_relative_and_absolute_expressions(tagger, nlp, sentence, surface, ttype, value, mod) -> None:
    e = only(tagger, nlp, sentence)
    assert (e.text, e.type, e.value, e.mod) == (surface, ttype, value, mod)
    assert sentence[e.start:e.end] == e.text


def test_other_publication_dates(tagger, nlp) -> None:
    # Quarters take the publication year; "last fall" in February is the previous autumn; weeks are ISO weeks.
    assert only(tagger, nlp, "Profit fell 5% in the third quarter.", "1999-11-02").value == "1999-Q3"
    assert only(tagger, nlp, "Hiring began last fall.", "1998-02-06").value == "1997-FA"
    assert only(tagger, nlp, "He spoke in a speech six weeks ago.", "1998-03-01").value == "1998-W03"
    assert only(tagger, nlp, "The rally took place last Wednesday.", "1989-11-01").value == "1989-10-25"


def test_earnings_year_ago_follows_the_quarter(tagger, nlp) -> None:
    found = tag(tagger, nlp, "Net income rose in the third quarter from $5 million a year earlier.", "1989-11-02")
    assert [(e.text, e.value) for e in found] == [("the third quarter", "1989-Q3"), ("a year earlier", "1988-Q3")]


def test_following_year_is_anaphoric(tagger, nlp) -> None:
    found = tag(tagger, nlp, "He was promoted on May 22, 1995, and the following year he retired.", "1998-04-18")
    assert [e.value for e in found] == ["1995-05-22", "1996"]


def test_ordinals_and_counts_are_not_dates(tagger, nlp) -> None:
    assert tag(tagger, nlp, "It was the 29th attack against the convoy.") == []
    assert tag(tagger, nlp, "The plant employs 2000 workers and made 1990 units.") == []
    assert tag(tagger, nlp, "Officials may visit the site and march to the square.") == []
    # A day-of-month ordinal after "on" is a date.
    assert only(tagger, nlp, "The envoy returned on the 11th.").value == "2020-06-11"


def test_ranges_and_precision(tagger, nlp) -> None:
    e = only(tagger, nlp, "Crowds filled the squares in late 2019.")
    assert (e.range_start, e.range_end, e.precision) == ("2019-09-01", "2019-12-31", "year")
    e = only(tagger, nlp, "The ambassador was recalled last month.")
    assert (e.range_start, e.range_end, e.precision) == ("2020-05-01", "2020-05-31", "month")
    e = only(tagger, nlp, "Durations like for years have no bounds.")
    assert e.type == "DURATION" and e.range_start is None


def test_days_before_is_bounded_by_the_last_day_mentioned(tagger, nlp) -> None:
    text = "The summit opened on June 11. Days before the summit was due to open, a shell hit the airport."
    found = tag(tagger, nlp, text)
    days = [e for e in found if e.text.lower().startswith("days")][0]
    assert days.value == "PAST_REF"
    assert (days.range_start, days.range_end) == ("2020-06-01", "2020-06-10")


def test_no_publication_date_gives_underspecified_values(tagger, nlp) -> None:
    assert only(tagger, nlp, "The talks began in January.", None).value == "XXXX-01"
    assert only(tagger, nlp, "The talks began on Dec. 3, 2019.", None).value == "2019-12-03"


def test_offsets_are_article_offsets(tagger, nlp) -> None:
    doc = nlp("Talks resumed last month.")
    e = tagger.find(doc, PUB, "a", offset=100)[0]
    assert (e.start, e.end, e.article_id) == (114, 124, "a")


def test_bounds_of_timex_values() -> None:
    assert bounds("2020-05") == ("2020-05-01", "2020-05-31", "month")
    assert bounds("2019", "END") == ("2019-09-01", "2019-12-31", "year")
    assert bounds("2019", "START") == ("2019-01-01", "2019-04-30", "year")
    assert bounds("2019-Q4") == ("2019-10-01", "2019-12-31", "quarter")
    assert bounds("2020-W24") == ("2020-06-08", "2020-06-14", "week")
    assert bounds("2020-W24-WE") == ("2020-06-13", "2020-06-14", "week")
    assert bounds("2019-WI") == ("2019-12-01", "2020-02-29", "season")
    assert bounds("199") == ("1990-01-01", "1999-12-31", "decade")
    assert bounds("2020-06-11") == ("2020-06-11", "2020-06-11", "day")
    assert bounds("PAST_REF") is None


# ------------------------------------------------------------------ event dates
def trigger_of(doc, word: str):
    return [t for t in doc if t.text == word][0]


def test_event_date_attaches_to_the_triggers_clause(tagger, nlp) -> None:
    doc = nlp("Officials said on Tuesday that a rocket hit the base last month.")
    exprs = tagger.find(doc, PUB, "a")
    hit = tagger.event_date(trigger_of(doc, "hit"), exprs, PUB)
    said = tagger.event_date(trigger_of(doc, "said"), exprs, PUB)
    assert (hit.start, hit.end, hit.precision, hit.text) == ("2020-05-01", "2020-05-31", "month", "last month")
    assert (said.start, said.end, said.text) == ("2020-06-09", "2020-06-09", "Tuesday")


def test_event_date_falls_back_to_sentence_then_publication(tagger, nlp) -> None:
    doc = nlp("In late 2019, militias attacked protesters. Washington granted a waiver.")
    exprs = tagger.find(doc, PUB, "a")
    attacked = tagger.event_date(trigger_of(doc, "attacked"), exprs, PUB)
    assert (attacked.start, attacked.end, attacked.mod) == ("2019-09-01", "2019-12-31", "END")
    granted = tagger.event_date(trigger_of(doc, "granted"), exprs, PUB)
    assert granted == EventDate(PUB, PUB, "day", None, None)
    assert tagger.event_date(trigger_of(doc, "granted"), exprs, None) == EventDate(None, None, "unknown")


def test_event_date_with_chunk_offset(tagger, nlp) -> None:
    doc = nlp("A rocket hit the base last month.")
    exprs = tagger.find(doc, PUB, "a", offset=500)
    d = tagger.event_date(trigger_of(doc, "hit"), exprs, PUB, offset=500)
    assert d.text == "last month"


def test_historical(tagger) -> None:
    assert tagger.is_historical(EventDate("2019-09-01", "2019-12-31", "year", "END"), PUB)
    assert not tagger.is_historical(EventDate("2020-05-01", "2020-05-31", "month"), PUB)  # 14 days back
    assert not tagger.is_historical(EventDate(None, None), PUB)
    assert not tagger.is_historical(EventDate("2019-01-01", "2019-12-31", "year"), None)


# ------------------------------------------------------------------ data files
def test_data_hash_is_stable(tagger) -> None:
    assert tagger.data_hash == TimeTagger().data_hash and len(tagger.data_hash) == 16


def test_bad_lexicon_is_refused_with_file_and_entry(tmp_path: Path) -> None:
    from dragoman.time.lexicon import LEXICON_FILE, PATTERNS_FILE

    bad = tmp_path / "lexicon.yaml"
    text = LEXICON_FILE.read_text(encoding="utf-8")
    line = text.splitlines().index("  january: 1") + 1
    bad.write_text(text.replace("january: 1", "january: 13").replace("feb: 2", "feb: 0"), encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        load_lexicon(bad, PATTERNS_FILE)
    # every problem, each with its line
    assert [str(p) for p in exc.value.problems] == [f"{bad}:{line}: months.january: bad value 13",
                                                   f"{bad}:{line + 3}: months.feb: bad value 0"]
    pats = tmp_path / "patterns.yaml"
    pats.write_text("kind: time-patterns\npatterns:\n  - {name: x, kind: nosuch, regex: 'a'}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"patterns.yaml:3: patterns\[0\] \(x\): unknown kind"):
        load_lexicon(LEXICON_FILE, pats)
    pats.write_text("kind: time-patterns\npatterns:\n  - {name: y, kind: year, regex: '{NOSUCH}'}\n  - just text\n",
                    encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        load_lexicon(LEXICON_FILE, pats)
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (3, "patterns[0] (y): unknown placeholders ['NOSUCH']"), (4, "patterns[1]: needs name, kind and regex")]
    with pytest.raises(LexiconError, match=r"patterns.yaml:1: declares kind 'time-patterns'; expected time-lexicon"):
        load_lexicon(pats, PATTERNS_FILE)


# ------------------------------------------------------------------ the seed article (shared, read at run time)
def test_seed_article_dates(tagger, nlp, shared: Path) -> None:
    path = shared / "corpus" / "seed" / "000_c3e4981192742f60.txt"
    if not path.exists():
        pytest.skip("seed article not in ../shared/corpus/seed")
    text = path.read_text(encoding="utf-8")
    exprs = tagger.find(nlp(text), PUB, "seed")
    by_text = {e.text.lower(): e for e in exprs}
    assert by_text["june 11"].value == "2020-06-11"
    assert by_text["january"].value == "2020-01"
    assert by_text["last month"].value == "2020-05"
    late = by_text["late 2019"]
    assert (late.value, late.mod, late.range_start, late.range_end) == ("2019", "END", "2019-09-01", "2019-12-31")
    assert by_text["october"].value == "2019-10"
    assert by_text["years"].type == "DURATION" and by_text["years"].value == "PXY"
    days = by_text["days before"]
    assert days.range_start >= "2020-06-01" and days.range_end <= "2020-06-10"
    assert not any("29th" in e.text for e in exprs)
