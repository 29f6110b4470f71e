"""Place recognition, disambiguation and event location on sentences of our own."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from dragoman.evaluation.places import argument_heads
from dragoman.geo import PlaceTagger
from dragoman.model import Toponym
from dragoman.nlp import load_nlp


@pytest.fixture(scope="module")
def tagger() -> PlaceTagger:
    return PlaceTagger()


def _parse(text: str) -> Doc:
    return load_nlp()(text)


def _find(tagger: PlaceTagger, text: str, **kw) -> list[Toponym]:
    return tagger.find(_parse(text), "t", **kw)


def _one(tops: list[Toponym], name: str) -> Toponym:
    hits = [t for t in tops if t.name == name]
    assert hits, f"{name} not found in {[t.name for t in tops]}"
    return hits[0]


def test_washington_in_iraq_policy_article_is_the_us_capital(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "Lawmakers in Washington argued over Iraq policy while militias near Mosul regrouped.")
    w = _one(tops, "Washington")
    assert (w.country, w.feature) == ("USA", "city") and abs(w.lat - 38.9) < 0.5


def test_georgia_beside_tbilisi_is_the_country(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "Crowds marched in Tbilisi on Sunday, and opposition parties across Georgia joined them.")
    g = _one(tops, "Georgia")
    assert (g.country, g.feature) == ("GEO", "country")


def test_georgia_beside_atlanta_is_the_us_state(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "The senator flew from Chicago to Atlanta, Georgia on Tuesday.")
    assert (_one(tops, "Georgia").country, _one(tops, "Georgia").feature) == ("USA", "admin1")


def test_paris_france_vs_paris_texas_by_context(tagger: PlaceTagger) -> None:
    fr = _one(_find(tagger, "Tourists filled the cafes in Paris while rail strikes spread to Lyon and Marseille."),
              "Paris")
    assert fr.country == "FRA"
    tx = _one(_find(tagger, "The rodeo in Paris drew ranchers from Dallas and Tyler for the weekend."), "Paris")
    assert tx.country == "USA" and abs(tx.lat - 33.66) < 0.5


def test_context_countries_from_the_caller(tagger: PlaceTagger) -> None:
    text = "Officials met in Paris on Monday."
    assert _one(_find(tagger, text), "Paris").country == "FRA"
    assert _one(_find(tagger, text, context_countries=["USA"] * 20), "Paris").country == "USA"


def test_demonym_alone_is_not_a_place(tagger: PlaceTagger) -> None:
    assert _find(tagger, "The Iranian delegation and French diplomats left the meeting early.") == []


def test_on_nigerian_soil_is_nigeria_at_country_precision(tagger: PlaceTagger) -> None:
    doc = _parse("Two smugglers were killed in a shootout on Nigerian soil last year.")
    tops = tagger.find(doc, "t")
    nigerian = _one(tops, "Nigerian")
    assert (nigerian.country, nigerian.feature) == ("NGA", "country")
    trig = next(t for t in doc if t.text == "killed")
    loc = tagger.event_location(trig, argument_heads(trig), tops)
    assert loc is not None and (loc.name, loc.country, loc.precision) == ("Nigeria", "NGA", "country")


def test_shell_inside_a_city_airport_is_the_city(tagger: PlaceTagger) -> None:
    doc = _parse("Late on Tuesday a mortar round fell inside Lusaka airport, police said.")
    tops = tagger.find(doc, "t")
    trig = next(t for t in doc if t.text == "fell")
    loc = tagger.event_location(trig, argument_heads(trig), tops)
    assert loc is not None and (loc.name, loc.country, loc.precision) == ("Lusaka", "ZMB", "city")


def test_metonymic_subject_is_not_a_place(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "Russia said it would respond, and troops were deployed in Ukraine.")
    assert [t.name for t in tops] == ["Ukraine"]


def test_offsets_are_article_offsets(tagger: PlaceTagger) -> None:
    text = "Heavy rain flooded streets in Lagos overnight."
    tops = tagger.find(_parse(text), "a1", offset=100)
    lagos = _one(tops, "Lagos")
    assert (lagos.article_id, lagos.start - 100, lagos.end - 100) == ("a1", text.index("Lagos"), text.index("Lagos") + 5)


def test_event_location_none_without_a_place(tagger: PlaceTagger) -> None:
    doc = _parse("The minister resigned on Friday after weeks of protests.")
    trig = next(t for t in doc if t.text == "resigned")
    assert tagger.event_location(trig, argument_heads(trig), tagger.find(doc, "t")) is None


def test_event_location_prefers_the_attached_place(tagger: PlaceTagger) -> None:
    doc = _parse("After talks in Cairo ended, gunmen attacked a checkpoint near Rafah on Sunday.")
    tops = tagger.find(doc, "t")
    trig = next(t for t in doc if t.text == "attacked")
    loc = tagger.event_location(trig, argument_heads(trig), tops)
    assert loc is not None and loc.text == "Rafah"


def test_data_hash_is_stable(tagger: PlaceTagger) -> None:
    assert tagger.data_hash == PlaceTagger().data_hash and len(tagger.data_hash) == 16


def _event_loc(tagger: PlaceTagger, text: str, verb: str):
    doc = _parse(text)
    trig = next(t for t in doc if t.text == verb)
    return tagger.event_location(trig, argument_heads(trig), tagger.find(doc, "t"))


@pytest.mark.parametrize("text,verb", [
    ("Turkey accused Greece of violating its airspace.", "accused"),
    ("Washington sanctioned Tehran over the missile tests.", "sanctioned"),
    ("Russia criticised Ukraine on Tuesday.", "criticised"),
])
def test_actor_arguments_are_not_the_event_location(tagger: PlaceTagger, text: str, verb: str) -> None:
    assert _event_loc(tagger, text, verb) is None


def test_actor_argument_passed_by_the_coder_is_not_the_location(tagger: PlaceTagger) -> None:
    doc = _parse("Officials said Iran warned Israel on Sunday.")
    trig = next(t for t in doc if t.text == "warned")
    heads = [t for t in doc if t.text in ("Iran", "Israel")]  # the coder's source/target heads
    assert tagger.event_location(trig, heads, tagger.find(doc, "t")) is None


def test_actor_arguments_do_not_hide_the_attached_place(tagger: PlaceTagger) -> None:
    loc = _event_loc(tagger, "Turkey accused Syria of massing troops in Idlib.", "accused")
    assert loc is None or loc.text == "Idlib"
    loc = _event_loc(tagger, "London sanctioned Minsk after a mortar round fell inside Lusaka airport.", "fell")
    assert loc is not None and (loc.name, loc.precision) == ("Lusaka", "city")


def test_place_object_of_a_verb_acting_on_places_is_the_location(tagger: PlaceTagger) -> None:
    loc = _event_loc(tagger, "Government troops shelled Aleppo on Friday.", "shelled")
    assert loc is not None and loc.text == "Aleppo"


def test_locative_adjunct_elsewhere_in_the_sentence(tagger: PlaceTagger) -> None:
    loc = _event_loc(tagger, "In Mopti, the regional governor said bandits killed three herders.", "killed")
    assert loc is not None and loc.text == "Mopti"


def test_dateline_is_not_a_place_of_the_story(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "FRESNO, Calif. (AP) - Farm workers marched through Modesto on Friday.")
    assert [t.name for t in tops] == ["Modesto"]


def test_dateline_credit_may_name_an_agency_among_other_words(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "LAGOS, Nigeria (Reuters Health) - Nurses in Ibadan walked out over unpaid wages.")
    assert [t.name for t in tops] == ["Ibadan"]


def test_british_road_numbers_are_places(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "Lorries were sent along the A361, A44 and B4035 while the bridge was repaired.")
    assert [t.name for t in tops] == ["A361", "A44", "B4035"]


def test_people_of_a_country_is_not_a_literal_place(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "The government of Chile thanked the people of Norway for the aid sent to Antofagasta.")
    assert [t.name for t in tops] == ["Antofagasta"]


def test_demonym_before_a_territory_noun_is_the_country(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "Hundreds of tourists were stranded on the Danish islands after the storm.")
    danish = _one(tops, "Danish")
    assert (danish.country, danish.feature) == ("DNK", "country")


def test_place_name_inside_a_person_name_is_not_a_place(tagger: PlaceTagger) -> None:
    tops = _find(tagger, "The prize went to Florence Okoye, according to Carson, at a dinner in Toronto.")
    assert [t.name for t in tops] == ["Toronto"]


def test_a_dateline_places_the_leads_events_that_name_no_place(tagger: PlaceTagger) -> None:
    text = ("NAIROBI, Kenya (AP) - Police fired tear gas at protesters on Monday. Officials said calm had "
            "returned.\n\nLater, gunmen attacked a convoy.")
    fired = _event_loc(tagger, text, "fired")
    assert fired is not None and (fired.name, fired.precision) == ("Nairobi", "city")
    assert _event_loc(tagger, text, "attacked") is None  # past the lead's paragraph
    loc = _event_loc(tagger, "NAIROBI, Kenya (AP) - Police fired tear gas at protesters in Mombasa.", "fired")
    assert loc is not None and loc.name == "Mombasa"  # the sentence's own place wins
