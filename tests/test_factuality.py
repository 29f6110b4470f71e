"""Factuality from the event's own clause, on sentences written for these tests: negation only where it
scopes over the event, conditionals and possibilities, attempts that happened, reported speech and evidentials
with their attribution."""

from __future__ import annotations

import pytest

from dragoman import settings
from dragoman.events import classify, load_cues
from dragoman.nlp import load_nlp

PUB = "2021-03-10"


@pytest.fixture(autouse=True)
def keep_supposed_events(monkeypatch) -> None:
    monkeypatch.setattr(settings, "KEEP_HYPOTHETICAL", True)  # so hypothetical events are there to look at


def event(coder, text: str, trigger: str) -> dict:
    events = [m.to_dict() for m in coder.code_text(text, published=PUB)]
    found = [e for e in events if e["evidence"]["trigger"] == trigger]
    assert found, f"no event on {trigger!r} in: {text} ({[e['evidence']['trigger'] for e in events]})"
    return found[0]


def factuality_of(coder, text: str, trigger: str) -> str:
    return event(coder, text, trigger)["factuality"]


# ---------------------------------------------------------------- negation scope
def test_negation_of_the_event_itself(coder) -> None:
    assert factuality_of(coder, "Saudi Arabia did not attack Yemen on Friday.", "attack") == "negated"
    assert factuality_of(coder, "Chad's army never attacked the rebels in Libya.", "attacked") == "negated"


def test_negation_of_a_clause_that_only_mentions_the_event(coder) -> None:
    text = "France's president did not mention his government's decision to withdraw troops from Mali."
    assert factuality_of(coder, text, "withdraw") == "asserted"


def test_negation_of_one_conjunct_is_not_the_others(coder) -> None:
    text = "The Syrian government did not comment but condemned the Turkish incursion."
    assert factuality_of(coder, text, "condemned") == "asserted"


def test_negation_of_what_is_said_about_an_event_noun(coder) -> None:
    text = "The Israeli strike on the Syrian convoy was not authorised by the cabinet."
    assert factuality_of(coder, text, "strike") == "asserted"


def test_negation_through_a_support_verb(coder) -> None:
    assert factuality_of(coder, "Armenia and Azerbaijan held no talks on Sunday.", "talks") == "negated"
    text = "Armenian and Azerbaijani officials did not hold talks in Moscow."
    assert factuality_of(coder, text, "talks") == "negated"


# ---------------------------------------------------------------- conditionals and possibilities
def test_the_consequence_of_a_condition_is_hypothetical(coder) -> None:
    assert factuality_of(coder, "Egypt will cut ties with Sudan if the talks fail.", "cut") == "hypothetical"


def test_what_only_appears_to_have_happened_is_hypothetical(coder) -> None:
    text = "Turkish troops appear to have withdrawn from the Syrian border town."
    assert factuality_of(coder, text, "withdrawn") == "hypothetical"


def test_a_likely_past_act_is_not_a_prediction(coder) -> None:
    text = "Iranian forces are likely to have attacked the Saudi oil tanker."
    assert factuality_of(coder, text, "attacked") == "hypothetical"


def test_a_possible_attack_is_hypothetical(nlp_doc) -> None:
    doc = nlp_doc("Officials in Nairobi warned of a possible attack on the embassy.")
    attack = next(t for t in doc if t.text == "attack")
    assert classify(attack, load_cues())[0] == "hypothetical"


# ---------------------------------------------------------------- attempts and plans
def test_an_attempted_attack_in_the_past_happened(coder) -> None:
    assert factuality_of(coder, "Gunmen tried to kill the mayor of Kandahar on Sunday.", "kill") == "asserted"


def test_an_act_still_to_come_is_predicted(coder) -> None:
    assert factuality_of(coder, "Gunmen will try to kill the mayor of Kandahar.", "kill") == "predicted"


def test_the_act_that_follows_a_past_act_is_not_predicted(coder) -> None:
    text = "The Belgian woman will be tried in Brussels after surrendering to Kurdish forces in Syria."
    assert factuality_of(coder, text, "surrendering") == "asserted"


# ---------------------------------------------------------------- reported speech and evidentials
def test_according_to_a_source(coder) -> None:
    e = event(coder, "Houthi rebels fired missiles at Saudi Arabia, according to residents of the town.", "fired")
    assert e["factuality"] == "reported" and e["attribution"]["text"] == "according to residents of the town"


def test_a_monitor_said_after_the_clause(coder) -> None:
    e = event(coder, "Russian jets bombed a hospital in Idlib overnight, the monitor said.", "bombed")
    assert e["factuality"] == "reported" and e["attribution"]["text"] == "the monitor said"


def test_said_before_its_subject_after_the_clause(coder) -> None:
    e = event(coder, "Russian jets bombed a hospital in Idlib overnight, said a spokesman for the rescuers.", "bombed")
    assert e["factuality"] == "reported" and "spokesman" in e["attribution"]["text"]


def test_a_claim(coder) -> None:
    e = event(coder, "Azerbaijan claimed its forces had shot down an Armenian helicopter.", "shot down")
    assert e["factuality"] == "reported" and "Azerbaijan" in e["attribution"]["text"]


def test_reportedly(coder) -> None:
    e = event(coder, "Sudanese troops reportedly attacked an Ethiopian militia near the border.", "attacked")
    assert e["factuality"] == "reported" and e["attribution"]["text"] == "reportedly"


def test_what_is_believed_to_have_happened_is_reported(coder) -> None:
    e = event(coder, "The Syrian army is believed to have killed 30 rebel fighters near Deraa.", "killed")
    assert e["factuality"] == "reported" and e["attribution"]["text"]


def test_an_alleged_attack_is_reported(nlp_doc) -> None:
    doc = nlp_doc("Ukraine condemned the alleged attack on its embassy in Minsk.")
    attack = next(t for t in doc if t.text == "attack")
    factuality, attributed = classify(attack, load_cues())
    assert factuality == "reported" and attributed is not None and attributed.text == "alleged"


# ---------------------------------------------------------------- historical
def test_an_event_that_ended_long_before_publication_is_historical(coder) -> None:
    e = event(coder, "Jordan, which signed a peace treaty with Israel in 1994, condemned the raid on Tuesday.",
              "signed")
    assert e["factuality"] == "historical"


@pytest.fixture(scope="module")
def nlp_doc():
    return load_nlp()


def test_a_gerund_after_a_noun_of_prospect_is_predicted(nlp_doc) -> None:
    doc = nlp_doc("Ottawa is weighing the prospect of withdrawing its trainers from the country.")
    verb = next(t for t in doc if t.text == "withdrawing")
    assert classify(verb, load_cues())[0] == "predicted"


def test_a_present_clause_under_a_future_one_is_predicted_whatever_its_tag(nlp_doc) -> None:
    # the parser tags the plural present "negotiate" as a bare form here; it is still a finite clause
    doc = nlp_doc("As Peru and Chile negotiate the terms of the deal, Bolivia will try to join the talks.")
    verb = next(t for t in doc if t.text == "negotiate")
    assert verb.tag_ in ("VB", "VBP")
    assert classify(verb, load_cues())[0] == "predicted"
