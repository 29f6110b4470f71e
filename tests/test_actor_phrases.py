

def test_an_unlisted_person_is_kept_with_words_and_no_invented_code(nlp, resolver) -> None:
    [m] = resolve(nlp, resolver, "Amina Okafor condemned the ruling outside the court.", "Okafor")
    assert (m.actor.code, m.actor.country, m.actor.text, m.kind) == (None, None, "Amina Okafor", "person")
    [m] = resolve(nlp, resolver, "Nigerian lawyer Amina Okafor condemned the ruling.", "Okafor")
    assert (m.actor.code, m.actor.country) == ("NGA", "NGA")  # the phrase gives the country, not the role


def test_a_spokesman_for_an_actor_is_its_own(nlp, resolver) -> None:
    [m] = resolve(nlp, resolver, "A spokesman for the Kenyan government denied the report.", "spokesman")
    assert m.actor.country == "KEN"


def test_members_of_a_body_the_lexicon_lacks_take_its_country(nlp, resolver) -> None:
    [m] = resolve(nlp, resolver, "Members of the Lebanese Armenian community marched in Beirut.", "Members")
    assert m.actor.country == "LBN"


def test_a_region_named_as_a_place_is_no_actor(nlp, resolver) -> None:
    doc = resolver.annotate(nlp("Thousands of migrants tried to reach Europe by sea."))
    assert [s.text for s in doc.spans["actors"] if s.label_ == "country"] == []
    assert resolve(nlp, resolver, "Fighting spread to the western province of Herat.", "province") == []
