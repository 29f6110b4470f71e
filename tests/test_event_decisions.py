"""Which sentences hold an event, and which one: the coder's decisions on news prose (our own sentences)."""

from __future__ import annotations

import pytest

from dragoman.model import Article

pytestmark = pytest.mark.slow


def codes(coder, text: str, published: str = "2024-05-10") -> list[tuple[str, str]]:
    return [(m.cameo, m.factuality) for m in coder.code_text(text, published=published)]


@pytest.mark.parametrize("text", [
    "Lima regards the movement as a criminal gang.",                    # a standing position
    "The Ghanaian council dislikes the new tariff plan.",                # a feeling, simple present
    "The gangs funded by smugglers controlled the port.",               # a participle describing a noun
    "Would Paris send troops to the Sahel?",                             # a question
    "Read more: Nigeria arrests four journalists in Abuja.",             # link text
    "Britain could impose sanctions on the junta if the vote is delayed.",  # only supposed
    "Fifteen workers died when a boiler exploded at the chemical plant in Gujarat.",  # an accident
    "Floods hit three provinces in the north, killing at least 40 people.",           # a disaster
    "His mother said the boy had done nothing wrong.",                   # a statement by no political actor
    "Two British tourists travelled to Crete in August.",                # private travel
    "The legacy of the eight-year war must be unlearned in the villages.",                 # a war as background
    "Since the civil war erupted in 2009, the president has put security first.",          # ... and its start
    "The occupation of the island by Indonesian troops lasted 24 years.",                  # a lasting state
    "The civil war has killed tens of thousands of people.",                               # a war's toll
    "Ankara has backed the rebels in the north.",                                          # a standing relation
    "The coalition has killed thousands of fighters over the past four years.",            # a sum over years
    "Villagers fled after months of shelling by the army.",                                # ... and over months
    "The navy has boarded foreign trawlers more than 40 times since 2019.",                # counted in times
    "Some 7,000 villagers have been displaced by the militias.",                           # a running tally
    "The border guards have detained a total of 640 smugglers.",                           # ... a total of
    "Fishermen who stray past the buoys are routinely detained by the coastguard.",         # a habit
    "The senator has joked about shelling the port of Odesa.",                             # talked of
    "The militia has a long history of seizing fishing boats in the gulf.",                # a habit of
])
def test_no_event(coder, text):
    assert codes(coder, text) == []


def test_a_scene_setting_participle_is_not_the_event(coder):
    got = coder.code_text("Landing in Accra, the Norwegian envoy praised the Ghanaian mediation plan.")
    assert [m.cameo for m in got] == ["051"]


def test_a_bare_statement_is_the_01_convention_and_ranks_below_other_events(coder):
    assert codes(coder, "The Peruvian president said the mining dispute was over.") == [("010", "asserted")]
    # a statement whose content is an event is only its attribution
    got = coder.code_text("The Chadian army said it killed twelve insurgents near the lake on Friday.")
    assert [m.cameo_root for m in got] == ["19"] or [m.cameo_root for m in got] == ["18"]


def test_a_warning_is_a_threat_from_a_state_and_a_comment_from_an_aid_agency(coder):
    assert codes(coder, "Israel warned Hezbollah against further attacks.") == [("130", "asserted")]
    got = coder.code_text("The Red Cross warned that thousands of families in the camp faced hunger.")
    assert [m.cameo for m in got] == ["012"]


def test_violence_and_protest_happen_without_named_sides(coder):
    assert [c for c, _f in codes(coder, "Twelve sailors were abducted off the coast of Benin on Monday.")] == ["181"]
    got = codes(coder, "Three grenade attacks in the market of Mogadishu wounded eleven people.")
    assert got and got[0][0][:2] in ("18", "19")
    assert [c for c, _f in codes(coder, "Demonstrations were held in every city of Bangladesh on Friday.")] == ["141"]


def test_violence_by_a_described_doer_and_protest_set_off_by_an_act(coder):
    # a doer only described ("a mob", "hooded raiders") still does violence to people that is counted
    assert [c for c, _f in codes(coder, "Two traders were beaten by a mob in the market of Kano on Sunday.")] == [
        "182"]
    # protests that something set off happened; one that could be set off has not
    assert [c for c, _f in codes(coder, "The verdict sparked demonstrations across Senegal.")] == ["141"]
    assert codes(coder, "The verdict could spark demonstrations across Senegal.") == []
    # a month is not a march
    assert [c for c, _f in codes(coder, "On 3 March the Senegalese army shelled rebel camps in Casamance.")] == ["194"]


def test_a_person_beaten_at_a_march_is_the_beating(coder):
    got = codes(coder, "In 2016, she was beaten unconscious at a student march in Harare.")
    assert [c for c, _f in got] == ["182"] and got[0][1] == "historical"


def test_gunfire_is_not_a_blaze(coder):
    assert [c[:2] for c, _f in codes(coder, "Guards opened fire on a crowd outside the depot in Bukavu.")] == ["19"]
    assert codes(coder, "A fire destroyed the covered market in Bukavu overnight.") == []


def test_domestic_actors_take_the_country_the_act_happens_in(coder):
    got = coder.code_text("Police arrested the retired colonel at the airport in Lyon on Friday.")
    assert got and got[0].source.code == "FRACOP"
    # the victims of an attack are those of the place it struck, not the attackers' compatriots
    got = coder.code_text("Three civilians were killed in Abeche by Sudanese jets.")
    assert got and (got[0].source.code, got[0].target.code) == ("SDNMIL", "TCDCVL")


def test_what_is_used_or_dropped_says_the_act(coder):
    assert [c for c, _f in codes(coder, "Police used tear gas against the students outside the parliament in Dakar.")] == [
        "175"]
    assert [c for c, _f in codes(coder, "Army warplanes dropped chlorine canisters on the town of Ouaddai.")] == [
        "2041"]
    assert codes(coder, "The Chadian opposition dropped its demand for a recount.") == []
    # the owner of a weapon may be a body the context places ("army warplanes" of the country named)
    got = coder.code_text("Chadian army warplanes dropped bombs on rebel camps near Abeche.")
    assert got and got[0].cameo == "195" and got[0].source.code == "TCDMIL"


def test_the_main_event_comes_first_and_a_protest_beside_violence_is_kept(coder):
    got = codes(coder, "Peaceful rallies in two Chilean cities turned violent on Tuesday when police used tear gas "
                       "to break up the marchers.")
    assert [c for c, _f in got] == ["141", "175"]
    text = "Marches against the fuel price broke out in Lagos on Tuesday, with shops set alight."
    assert [c for c, _f in codes(coder, text)] == ["141"]
    # after "with", the past form is passive: the shops are what was set alight (property destroyed)
    sent = next(iter(coder.nlp(text).sents))
    assert ("set", "1712", ["shops"]) in [(c.trigger.text, c.code, [h.text for h in c.target_heads])
                                          for c in coder.engine.candidates(sent)]


def test_any_strike_has_not_happened_and_resolve_is_an_intention(coder):
    assert codes(coder, "The Danish premier has the backing of parliament to join any strike against the rebels.") == []
    assert not [c for c, _f in codes(coder, "Dock workers joined any strike in the port of Aarhus.") if c[:2] == "14"]
    # resolve stated of oneself is the intention (CAMEO 13x for force), not the act
    assert codes(coder, "The Ecuadorian army remains determined to retake the river port.") == [("138", "asserted")]


def test_what_a_crowd_does_is_protest(coder):
    for text in ("Students chanted slogans outside the parliament in Yerevan.",
                 "Thousands of farmers took to the streets of Warsaw on Monday.",
                 "Youths threw stones at the police in the old town of Hebron."):
        got = coder.code_text(text)
        assert got and got[0].cameo_root == "14", text


def test_two_coordinated_acts_are_two_events(coder):
    got = coder.code_text("Iran condemned the strike and called on the United Nations to act.")
    assert sorted(m.cameo_root for m in got) == ["02", "11"]


def test_a_headline_repeated_by_the_lead_is_coded_once(coder):
    text = "Kenyan police arrest opposition leader\n\nKenyan police arrested the opposition leader in Nairobi."
    article = Article(article_id="h", text=text, published="2024-03-05", title="Kenyan police arrest opposition leader",
                      extra={"body_start": text.index("Kenyan police arrested")})
    mentions = next(iter(coder.code_articles([article])))[1]
    assert len(mentions) == 1 and mentions[0].evidence.start >= article.extra["body_start"]


def test_confidence_is_calibrated(coder):
    from dragoman.events.calibration import load_calibration

    calibration = load_calibration()
    assert calibration.steps and all(0 <= c <= 1 for _r, c in calibration.steps)
    confs = [c for _r, c in calibration.steps]
    assert confs == sorted(confs)
    m = coder.code_text("Gunmen killed three policemen at a checkpoint in Zamfara on Sunday.")[0]
    assert m.confidence in set(confs)


def test_a_political_visit_is_an_event(coder):
    assert [m.cameo for m in coder.code_text("The Kenyan foreign minister travelled to Addis Ababa on Monday.")] == [
        "042"]


def test_a_war_is_an_event_where_it_is_declared_and_the_acts_of_war_stay_events(coder):
    assert [c for c, _ in codes(coder, "Paraguay declared war on Bolivia on Monday.")]
    assert [c for c, _ in codes(coder, "Chadian troops attacked rebel positions near the border on Friday.")] == ["190"]
    # a group's lasting insurgency, told in a relative clause, is background to the sentence's own act
    assert [c[:2] for c, _ in codes(coder, "The separatists, who have fought an insurgency against the state "
                                          "for three decades, denied the claim.")] == ["01"]


def test_allies_acting_together_on_a_third_are_not_each_others_target(coder):
    pairs = {(m.source.code if m.source else None, m.target.code if m.target else None)
             for m in coder.code_text("Chadian and Nigerien jets bombed the camps.", published="2024-05-10")}
    assert pairs and all(target is None for _, target in pairs)
    pairs = {(m.source.code, m.target.code)
             for m in coder.code_text("Chadian and Nigerien troops clashed near the border.", published="2024-05-10")}
    assert ("TCDMIL", "NERMIL") in pairs


def test_a_violent_noun_that_is_the_argument_of_a_violent_verb_is_that_same_attack(coder):
    events = coder.code_text("Chadian air strikes hit a clinic near the border.", published="2024-05-10")
    assert [m.cameo[:2] for m in events] == ["19"]


def test_naming_what_one_speaks_of_is_a_statement_not_a_call(coder):
    assert [c for c, _ in codes(coder, "The Peruvian foreign minister called the border closure a red line.")] == ["010"]
    assert [c for c, _ in codes(coder, "The Kenyan president called his Ugandan counterpart on Monday.")] == ["041"]
    # a name given in passing describes; the march is the event
    assert [c[:2] for c, _ in codes(coder, "Hundreds of students joined what organisers called a silent march "
                                          "through Lima.")] == ["14"]
