"""The time stage: each kind of expression resolved against a fixed publication date (our own sentences),
TIMEX3 values and bounds, ordinals left alone, and event dates attached through the parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.model import EventDate, TimeExpression
from dragoman.nlp import load_nlp
from dragoman.time import TimeTagger
from dragoman.time.calendar import bounds
from dragoman.time.lexicon import LexiconError, load_lexicon

PUB = "2019-09-22"  # a Sunday, ISO week 2019-W38


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


# (sentence, surface, type, value, mod) — published 2019-09-22 unless the case says otherwise.
CASES = [
    ("The delegations met on September 17 in Nairobi.", "September 17", "DATE", "2019-09-17", None),
    ("The ambassador was recalled last month.", "last month", "DATE", "2019-08", None),
    ("The militia was banned last year.", "last year", "DATE", "2018", None),
    ("Relations between the two neighbours soured in January.", "January", "DATE", "2019-01", None),
    ("The two leaders will meet in January.", "January", "DATE", "2020-01", None),
    ("There have been a dozen raids on the camp since October.", "October", "DATE", "2018-10", None),
    ("Crowds filled the squares in late 2018.", "late 2018", "DATE", "2018", "END"),
    ("The governor resigned Tuesday after the vote.", "Tuesday", "DATE", "2019-09-17", None),
    ("The minister will travel to Cairo on Tuesday.", "Tuesday", "DATE", "2019-09-24", None),
    ("Troops crossed the border earlier this week.", "earlier this week", "DATE", "2019-W38", None),
    ("The council will vote next week.", "next week", "DATE", "2019-W39", None),
    ("Insurgents have controlled the valley for years.", "years", "DURATION", "PXY", None),
    ("The rebels seized the town two years ago.", "two years ago", "DATE", "2017", None),
    ("The envoy arrived six days ago.", "six days ago", "DATE", "2019-09-16", None),
    ("Police arrested the suspect yesterday.", "yesterday", "DATE", "2019-09-21", None),
    ("The court will rule tomorrow.", "tomorrow", "DATE", "2019-09-23", None),
    ("Prices have risen over the past three years.", "the past three years", "DURATION", "P3Y", None),
    ("The treaty was signed on April 14, 1994.", "April 14, 1994", "DATE", "1994-04-14", None),
    ("The army withdrew in mid-1997.", "mid-1997", "DATE", "1997", "MID"),
    ("The mission ends in early November.", "early November", "DATE", "2019-11", "START"),
    ("Parliament will be dissolved at the end of this month.", "the end of this month", "DATE", "2019-09", "END"),
    ("The movement grew in the 1990s.", "the 1990s", "DATE", "199", None),
    ("The junta ruled in the late 1960s.", "the late 1960s", "DATE", "196", "END"),
    ("The temple dates from the 11th century.", "the 11th century", "DATE", "10", None),
    ("The ministry now controls the ports.", "now", "DATE", "PRESENT_REF", None),
    ("The ministry currently controls the ports.", "currently", "DATE", "PRESENT_REF", None),
    ("The ministry recently took over the ports.", "recently", "DATE", "PAST_REF", None),
    ("Talks may resume in the near future.", "the near future", "DATE", "FUTURE_REF", None),
    ("Exports fell in the first quarter of 2017.", "the first quarter of 2017", "DATE", "2017-Q1", None),
    ("Fighting intensified this spring.", "this spring", "DATE", "2019-SP", None),
    ("The ceasefire collapsed in the summer of 2014.", "the summer of 2014", "DATE", "2014-SU", None),
    ("Budget cuts were approved in fiscal 2016.", "fiscal 2016", "DATE", "2016", None),
    ("Patrols are carried out daily.", "daily", "SET", "P1D", None),
    ("The envoy landed at 9 a.m. Tuesday.", "9 a.m. Tuesday", "TIME", "2019-09-17T09:00", None),
]


@pytest.mark.parametrize(("sentence", "surface", "ttype", "value", "mod"), CASES, ids=[c[1] for c in CASES])
def test_relative_and_absolute_expressions(tagger, nlp, sentence, surface, ttype, value, mod) -> None:
    e = only(tagger, nlp, sentence)
    assert (e.text, e.type, e.value, e.mod) == (surface, ttype, value, mod)
    assert sentence[e.start:e.end] == e.text


def test_other_publication_dates(tagger, nlp) -> None:
    # Quarters take the publication year; "last fall" in January is the previous autumn; weeks are ISO weeks.
    assert only(tagger, nlp, "Sales dropped 8% in the second quarter.", "2003-08-05").value == "2003-Q2"
    assert only(tagger, nlp, "Construction started last fall.", "2004-01-20").value == "2003-FA"
    assert only(tagger, nlp, "She resigned six weeks ago.", "2006-05-14").value == "2006-W13"
    assert only(tagger, nlp, "The strike ended last Wednesday.", "2011-06-01").value == "2011-05-25"


def test_earnings_year_ago_follows_the_quarter(tagger, nlp) -> None:
    found = tag(tagger, nlp, "Revenue climbed in the second quarter from $8 billion a year earlier.", "2004-08-10")
    assert [(e.text, e.value) for e in found] == [("the second quarter", "2004-Q2"), ("a year earlier", "2003-Q2")]


def test_following_year_is_anaphoric(tagger, nlp) -> None:
    found = tag(tagger, nlp, "She joined the cabinet on 3 April 2004, and the following year she resigned.",
                "2008-07-01")
    assert [e.value for e in found] == ["2004-04-03", "2005"]


def test_ordinals_and_counts_are_not_dates(tagger, nlp) -> None:
    assert tag(tagger, nlp, "It was the 7th raid on the depot.") == []
    assert tag(tagger, nlp, "The plant employs 2000 workers and made 1990 units.") == []
    assert tag(tagger, nlp, "Officials may visit the site and march to the square.") == []
    # A day-of-month ordinal after "on" is a date.
    assert only(tagger, nlp, "The envoy returned on the 19th.").value == "2019-09-19"


def test_ranges_and_precision(tagger, nlp) -> None:
    e = only(tagger, nlp, "Crowds filled the squares in late 2018.")
    assert (e.range_start, e.range_end, e.precision) == ("2018-09-01", "2018-12-31", "year")
    e = only(tagger, nlp, "The ambassador was recalled last month.")
    assert (e.range_start, e.range_end, e.precision) == ("2019-08-01", "2019-08-31", "month")
    e = only(tagger, nlp, "Durations like for years have no bounds.")
    assert e.type == "DURATION" and e.range_start is None


def test_days_before_is_bounded_by_the_last_day_mentioned(tagger, nlp) -> None:
    text = "The vote was held on September 15. Days before polls opened, a bomb damaged the election office."
    found = tag(tagger, nlp, text)
    days = [e for e in found if e.text.lower().startswith("days")][0]
    assert days.value == "PAST_REF"
    assert (days.range_start, days.range_end) == ("2019-09-05", "2019-09-14")


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
    doc = nlp("Officials said on Tuesday that a drone struck the depot last month.")
    exprs = tagger.find(doc, PUB, "a")
    hit = tagger.event_date(trigger_of(doc, "struck"), exprs, PUB)
    said = tagger.event_date(trigger_of(doc, "said"), exprs, PUB)
    assert (hit.start, hit.end, hit.precision, hit.text) == ("2019-08-01", "2019-08-31", "month", "last month")
    assert (said.start, said.end, said.text) == ("2019-09-17", "2019-09-17", "Tuesday")


def test_event_date_falls_back_to_sentence_then_publication(tagger, nlp) -> None:
    doc = nlp("In late 2018, gunmen attacked a convoy. Ottawa approved a loan.")
    exprs = tagger.find(doc, PUB, "a")
    attacked = tagger.event_date(trigger_of(doc, "attacked"), exprs, PUB)
    assert (attacked.start, attacked.end, attacked.mod) == ("2018-09-01", "2018-12-31", "END")
    approved = tagger.event_date(trigger_of(doc, "approved"), exprs, PUB)
    assert approved == EventDate("2019-09-15", PUB, "unknown", None, None)  # a past act: the week up to it
    assert tagger.event_date(trigger_of(doc, "approved"), exprs, None) == EventDate(None, None, "unknown")


def test_event_date_with_chunk_offset(tagger, nlp) -> None:
    doc = nlp("A drone struck the depot last month.")
    exprs = tagger.find(doc, PUB, "a", offset=500)
    d = tagger.event_date(trigger_of(doc, "struck"), exprs, PUB, offset=500)
    assert d.text == "last month"


def test_historical(tagger) -> None:
    assert tagger.is_historical(EventDate("2018-09-01", "2018-12-31", "year", "END"), PUB)
    assert not tagger.is_historical(EventDate("2019-08-01", "2019-09-08", "month"), PUB)  # 14 days back
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
def test_seed_article_dates_lie_in_the_answer_keys_ranges(tagger, nlp, shared: Path) -> None:
    """In the sentence of each event the seed's answer key requires (key read at run time), every bounded time
    expression lies inside the date range the key gives that event; most of those sentences have one."""
    seed = shared / "corpus" / "seed"
    if not (seed / "gold.json").exists():
        pytest.skip("seed article not in ../shared/corpus/seed")
    key = json.loads((seed / "gold.json").read_text(encoding="utf-8"))
    doc = nlp(sorted(seed.glob("*.txt"))[0].read_text(encoding="utf-8"))
    exprs = [e for e in tagger.find(doc, key["published"], "seed") if e.range_start]
    dated = 0
    for event in key["required"]:
        lo, hi = event["date"]
        for sent in (s for s in doc.sents if event["anchor"] in s.text):
            inside = [e for e in exprs if sent.start_char <= e.start < sent.end_char]
            assert all(lo <= e.range_start and e.range_end <= hi for e in inside), (event["id"], inside)
            dated += bool(inside)
    assert dated * 2 > len(key["required"])


def test_lower_cased_patterns_find_what_the_case_insensitive_ones_find():
    """Each pattern's lower-cased form finds, in the lower-cased text, exactly the spans and groups the
    case-insensitive pattern finds in the text."""
    import re

    from dragoman.time.lexicon import load_lexicon, lower_matchable, lower_regex

    text = ("On Tuesday, 3 MARCH 2020, at 10.30am GMT the envoys met; by Late Spring they had left. Two Weeks "
            "Ago the Ministry said talks would resume Next Month, in the first quarter of 2021.")
    lowered = lower_matchable(text)
    assert lowered == text.lower()
    for pattern in load_lexicon().patterns:
        assert pattern.lower is not None, pattern.name
        expected = [(m.span(), m.groupdict()) for m in pattern.regex.finditer(text)]
        got = [(m.span(), groups) for m, groups in pattern.matches(text, lowered)]
        assert got == expected, pattern.name
    # escapes and group names keep their case; an inline flag is not read
    rx = lower_regex(re.compile(r"(?P<Word>[A-Z]\S+)\s+\W(?P=Word)", re.IGNORECASE))
    assert rx is not None and rx.pattern == r"(?P<Word>[a-z]\S+)\s+\W(?P=Word)"
    assert lower_regex(re.compile(r"(?x) A B", re.IGNORECASE)) is None
    # the dotless i and the long s match "i" and "s" case-insensitively but are their own lower case, and the
    # dotted capital I lower-cases to two characters: a text with one is matched as written
    assert lower_matchable("\u017fome day in September") is None
    assert lower_matchable("Y\u0131ld\u0131z said on 3 March") is None
    assert lower_matchable("\u0130zmir, 3 March") is None
    assert lower_matchable("Últimas noticias: 3 March") == "últimas noticias: 3 march"
    assert lower_matchable("Talks \u2013 on 3 March \u2019") == "talks \u2013 on 3 march \u2019"


def test_lower_cased_matching_is_case_insensitive_matching_for_every_other_letter():
    """Every letter with case forms, tried against each ASCII letter, [a-z], \\w, \\d and \\s: where matching
    lower-cased differs from matching case-insensitively, lower_matchable refuses the text."""
    from dragoman.time.lexicon import case_exceptions, lower_matchable

    differing = case_exceptions()
    assert {"\u0131", "\u017f", "\u0130"} <= differing  # the check finds the known ones
    assert [c for c in sorted(differing) if lower_matchable(f"On 3 March {c}") is not None] == []


def test_texts_with_letters_beyond_ascii_are_tagged_either_way(tagger, nlp):
    """Accented names take the lower-cased path, a dotless i the case-insensitive one; both find the date."""
    for text in ("Éric Dupont said the talks in Genève ended on 3 March 2020.",
                 "Y\u0131ld\u0131z said the talks in Ankara ended on 3 March 2020."):
        found = [e.text for e in tagger.find(nlp(text), "2020-03-05", "a1")]
        assert "3 March 2020" in found, text
