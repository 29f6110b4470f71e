"""Event dates from tense and discourse, on sentences written for these tests: an undated past event takes the
story's last explicit time, an earlier one (past perfect, "after asking") the days before it, a forecast keeps
the statement's time with the forecast time beside it, weekdays follow the event's tense, and asides keep
their own dates."""

from __future__ import annotations

import pytest

from dragoman import settings
from dragoman.nlp import load_nlp
from dragoman.time import TimeTagger

PUB = "2021-03-10"  # a Wednesday
RECENT = ("2021-03-03", PUB)  # an undated past act: the settings.TIME_UNDATED_PAST_DAYS up to publication
MONDAY = "2021-03-08"


@pytest.fixture(scope="module")
def tagger() -> TimeTagger:
    return TimeTagger()


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def code(coder, text: str, published: str | None = PUB) -> list[dict]:
    return [m.to_dict() for m in coder.code_text(text, published=published)]


def event(coder, text: str, trigger: str, published: str | None = PUB) -> dict:
    events = [e for e in code(coder, text, published) if e["evidence"]["trigger"] == trigger]
    assert events, f"no event on {trigger!r} in: {text}"
    return events[0]


def span(e: dict) -> tuple[str | None, str | None]:
    return e["date"]["start"], e["date"]["end"]


def test_undated_past_event_takes_the_last_explicit_time_of_the_story(coder) -> None:
    text = ("Syrian government jets bombed a market in Idlib on 3 March. "
            "Rebels shelled army positions near Aleppo in response.")
    e = event(coder, text, "shelled")
    assert span(e) == ("2021-03-03", "2021-03-03")
    assert e["date"]["text"] == "3 March"


def test_the_story_time_does_not_carry_into_a_present_tense_thread(coder) -> None:
    text = ("Syrian government jets bombed a market in Idlib on 3 March. "
            "The city is now calm and the shops are open. "
            "Rebels shelled army positions near Aleppo.")
    assert span(event(coder, text, "shelled")) == RECENT


def test_the_story_time_of_a_historical_aside_does_not_carry(coder) -> None:
    text = ("Ethiopia, whose troops entered Somalia in 2006, is a founder of the regional bloc. "
            "Ethiopian troops shelled the Somali border town of Dolow.")
    assert span(event(coder, text, "shelled")) == RECENT


def test_past_perfect_event_ends_before_its_reference_time(coder) -> None:
    e = event(coder, "Kenyan police said on Monday that they had arrested two Somali smugglers.", "arrested")
    start, end = span(e)
    assert end == "2021-03-07" and start is not None and start < end
    assert e["date"]["precision"] == "unknown"


def test_past_perfect_event_without_any_time_ends_before_publication(coder) -> None:
    e = event(coder, "Rwandan officials said their soldiers had captured a rebel commander.", "captured")
    start, end = span(e)
    assert end == "2021-03-09" and start is not None and start < end
    assert e["factuality"] == "reported"


def test_an_act_done_before_the_main_one_ends_before_it(tagger, nlp) -> None:
    doc = nlp("Greece deported the two Libyan men after asking Libya to issue them travel documents.")
    asking = next(t for t in doc if t.text == "asking")
    d = tagger.date_event(asking, tagger.find(doc, PUB, "a"), PUB)
    assert d.end == "2021-03-09" and d.start is not None and d.start < d.end
    doc = nlp("On Monday, Greece deported the two Libyan men after asking Libya to issue them travel documents.")
    asking = next(t for t in doc if t.text == "asking")
    d = tagger.date_event(asking, tagger.find(doc, PUB, "a"), PUB)
    assert d.end == "2021-03-07" and d.text == "Monday"


def test_a_past_perfect_count_so_far_runs_up_to_its_statement(tagger, nlp) -> None:
    doc = nlp("On Monday, the Ethiopian army said 200 rebels had been captured so far in the offensive.")
    captured = next(t for t in doc if t.text == "captured")
    d = tagger.date_event(captured, tagger.find(doc, PUB, "a"), PUB)
    assert (d.start, d.end) == (MONDAY, MONDAY)


def test_a_threat_is_dated_when_it_was_made_with_the_threatened_time_beside_it(coder) -> None:
    e = event(coder, "Turkey threatened on Tuesday to launch an offensive against Kurdish militias in Syria "
                     "before the summer.", "threatened")
    assert span(e) == ("2021-03-09", "2021-03-09") and e["factuality"] == "asserted"
    assert e["date"]["target"]["start"] == "2021-06-01" and e["date"]["target"]["text"] == "the summer"


def test_a_forecast_is_dated_when_it_was_reported_with_the_forecast_time_beside_it(coder) -> None:
    e = event(coder, "Russia will impose new sanctions on Ukraine next year.", "impose")
    assert e["factuality"] == "predicted"
    assert span(e) == (PUB, PUB) and e["date"]["text"] is None
    assert (e["date"]["target"]["start"], e["date"]["target"]["end"]) == ("2022-01-01", "2022-12-31")


def test_a_forecast_takes_the_time_of_the_statement_that_reports_it(coder) -> None:
    e = event(coder, "On Monday, Lebanon's army chief said his troops would deploy along the border next month.",
              "deploy")
    if e["factuality"] == "predicted":  # else recoded as the statement of intent, which also happened on Monday
        assert e["date"]["target"]["start"] == "2021-04-01"
    assert span(e) == (MONDAY, MONDAY)


def test_a_past_time_of_an_open_complement_dates_the_attempt(coder) -> None:
    e = event(coder, "The Chilean envoy sought to strike a secret deal with the Peruvian rebels in February.",
              "sought")
    assert span(e) == ("2021-02-01", "2021-02-28")
    # a later time of the complement is what a threat is about, not when it was made
    e = event(coder, "Peru threatened to close the border with Chile in May.", "threatened")
    assert e["date"]["target"]["start"] == "2021-05-01" and span(e) != ("2021-05-01", "2021-05-31")


def test_a_weekday_after_a_past_event_points_back(coder) -> None:
    e = event(coder, "Police fired tear gas at protesters as they attempted to march on the parliament on Sunday.",
              "fired", published=MONDAY)
    assert span(e) == ("2021-03-07", "2021-03-07")


def test_a_weekday_of_a_future_event_points_forward(coder) -> None:
    e = event(coder, "The foreign ministers of Chile and Peru will meet in Lima on Sunday.", "meet",
              published=MONDAY)
    assert e["date"]["target"]["start"] == "2021-03-14"


def test_an_attempted_act_in_the_past_is_dated_back(tagger, nlp) -> None:
    doc = nlp("Police fired on the crowd as it attempted to cross the bridge on Sunday.")
    assert [e.value for e in tagger.find(doc, MONDAY, "a")] == ["2021-03-07"]


def test_a_gerund_takes_the_tense_of_its_clause(tagger, nlp) -> None:
    doc = nlp("The army said it had found more fighters than it expected before starting the offensive on Saturday.")
    assert [e.value for e in tagger.find(doc, PUB, "a")] == ["2021-03-06"]


def test_since_spans_the_time_up_to_publication_and_is_not_historical(coder) -> None:
    e = event(coder, "Police have arrested 40 journalists since 2015, the union said.", "arrested")
    assert span(e) == ("2015-01-01", PUB)
    assert e["factuality"] == "reported"


def test_a_year_inside_another_noun_does_not_date_the_event(coder) -> None:
    e = event(coder, "Moroccan and Israeli ministers met in Rabat for the first time since the 1994 Casablanca "
                     "summit.", "met")
    assert span(e) == RECENT and e["factuality"] == "asserted"


def test_a_historical_aside_keeps_its_own_date(coder) -> None:
    e = event(coder, "Jordan, which signed a peace treaty with Israel in 1994, condemned the raid on Tuesday.",
              "signed")
    assert span(e) == ("1994-01-01", "1994-12-31") and e["factuality"] == "historical"


def test_a_bare_month_in_the_clause_of_a_past_year_belongs_to_that_year(tagger, nlp) -> None:
    doc = nlp("He spent four months in jail last year after his detention in May.")
    assert [e.value for e in tagger.find(doc, "2021-12-14", "a")][-1] == "2020-05"


def test_a_bare_month_in_another_clause_follows_its_own_tense(tagger, nlp) -> None:
    # news and wire copy jump between years from one sentence to the next: only the same clause carries it
    doc = nlp("Police detained him in Athens last year. He was convicted in September.")
    assert [e.value for e in tagger.find(doc, "2021-12-14", "a")] == ["2020", "2021-09"]


def test_the_reach_of_an_earlier_event_is_a_setting() -> None:
    assert 1 <= settings.TIME_EARLIER_REACH_DAYS <= 60
    assert 0 <= settings.TIME_THREAD_SENTENCES <= 5


def test_an_undated_past_act_is_recent_and_an_undated_statement_is_of_the_day(coder) -> None:
    e = event(coder, "Chadian troops attacked a rebel base near the border.", "attacked")
    assert span(e) == RECENT and e["date"]["precision"] == "unknown"
    e = event(coder, "The Chadian government condemned the attack.", "condemned")
    assert span(e) == (PUB, PUB)
