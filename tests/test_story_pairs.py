"""The pair rules of story clustering that look inside one article: one speaker's statements on one day, and a
headline with the lead it sums up (dragoman.analysis.stories.pair), on mentions written out by hand."""

from __future__ import annotations

from datetime import date

from dragoman.analysis.stories import M, cluster, content_words, pair


def mention(n: int, sentence: str, *, article: str = "a1", root: str = "01", cameo: str = "010",
            source: dict | None = None, target: dict | None = None, day: str | None = "2024-06-03",
            stated: bool = True, start: int | None = None, body_start: int = 0) -> M:
    src, tgt = source or {}, target or {}
    start = 100 * n if start is None else start
    record = {"source": source, "target": target, "cameo": cameo, "cameo_root": root, "plover": "CONSULT",
              "plover_mode": None, "quad_class": 1, "goldstein": 0.0, "factuality": "asserted", "location": None,
              "date": {"start": day, "end": day, "precision": "day", "text": "on Monday" if stated else None},
              "evidence": {"sentence": sentence, "start": start, "end": start + 50}}
    d = date.fromisoformat(day) if day else None
    return M(id=f"m{n}", article_id=article, published="2024-06-04", outlet="daily", sentence_start=start,
             cameo=cameo, root=root, factuality="asserted", confidence=0.7,
             src=(src.get("country"), src.get("sector")), tgt=(tgt.get("country"), tgt.get("sector")), d0=d, d1=d,
             loc=(None,) * 6, words=content_words(sentence), record=record, body_start=body_start)


MINISTER = {"code": "NORGOV", "country": "NOR", "sector": "GOV", "name": "Ingrid Solberg"}
OTHER_MINISTER = {"code": "NORGOV", "country": "NOR", "sector": "GOV", "name": "Tor Haugen"}
OFFICIALS = {"code": "NORGOV", "country": "NOR", "sector": "GOV", "name": None}


def test_one_speakers_quotes_on_one_day_are_one_statement() -> None:
    a = mention(1, "The minister said the fishing quotas would be reviewed by the autumn.", source=MINISTER)
    b = mention(2, "Talks with the coastal communities were going well, she said.", source=MINISTER)
    ok, _score, reasons = pair(a, b)
    assert ok, reasons
    assert "one speaker" in reasons["evidence"]
    assert len(cluster([a, b])) == 1


def test_two_speakers_or_two_days_or_two_articles_stay_apart() -> None:
    a = mention(1, "The minister said the fishing quotas would be reviewed by the autumn.", source=MINISTER)
    other = mention(2, "Talks with the coastal communities were going well, he said.", source=OTHER_MINISTER)
    nameless = mention(3, "Talks with the coastal communities were going well, officials said.", source=OFFICIALS)
    later = mention(4, "Talks with the coastal communities were going well, she said.", source=MINISTER,
                    day="2024-05-20")
    elsewhere = mention(5, "Talks with the coastal communities were going well, she said.", source=MINISTER,
                        article="a2")
    for b in (other, nameless, later, elsewhere):
        ok, _score, reasons = pair(a, b)
        assert not ok or "one speaker" not in reasons.get("evidence", ""), (b.id, reasons)


def test_a_headline_joins_the_lead_it_sums_up() -> None:
    head = mention(1, "Dockers walk out at northern port", root="14", cameo="143", day="2024-06-04", stated=False,
                   start=0, body_start=36, source={"code": "NORLAB", "country": "NOR", "sector": "LAB", "name": None})
    lead = mention(2, "Hundreds of harbour workers stopped work in Tromsø on Sunday over a pay offer.", root="14",
                   cameo="143", day="2024-06-02", start=36, body_start=36,
                   source={"code": "NORLAB", "country": "NOR", "sector": "LAB", "name": None})
    ok, _score, reasons = pair(head, lead)
    assert ok, reasons
    assert reasons["evidence"] == "a headline and the lead it sums up"
    # the same sentence far into the body is no lead: the headline's default date and the wording keep them apart
    deep = mention(3, lead.record["evidence"]["sentence"], root="14", cameo="143", day="2024-06-02", start=5000,
                   body_start=36, source=lead.record["source"])
    assert not pair(head, deep)[0]


def _placed(n: int, sentence: str, *, place: tuple, day: tuple[str, str], stated: bool, article: str = "a1",
            target: dict | None = None) -> M:
    m = mention(n, sentence, root="04", cameo="043", source={"code": "AUTGOV", "country": "AUT", "sector": "GOV",
                                                            "name": None},
                target=target or {"code": "HUNGOV", "country": "HUN", "sector": "GOV", "name": None},
                article=article, stated=stated)
    m.d0, m.d1 = date.fromisoformat(day[0]), date.fromisoformat(day[1])
    m.record["date"].update(start=day[0], end=day[1], precision="day" if day[0] == day[1] else "week")
    m.loc = place
    m.record["location"] = {"name": place[0], "country": place[1], "geonameid": place[4], "precision": place[5]}
    return m


GRAZ = ("Graz", "AUT", 47.07, 15.44, 2778067, "city")
LINZ = ("Linz", "AUT", 48.31, 14.29, 2772400, "city")


def test_an_article_coming_back_to_its_event_joins_it() -> None:
    summit = _placed(1, "Hungary's prime minister arrived in Graz on Tuesday for talks with the chancellor.",
                     place=GRAZ, day=("2024-06-04", "2024-06-04"), stated=True)
    later = _placed(2, "The chancellor has hosted the Hungarian leader in Graz to discuss the border fence.",
                    place=GRAZ, day=("2024-05-29", "2024-06-05"), stated=False)
    ok, _score, reasons = pair(summit, later)
    assert ok, reasons
    assert "one article" in reasons["evidence"]
    # elsewhere, or in another article, the week-long range and the different wording keep them apart
    assert not pair(summit, _placed(3, later.record["evidence"]["sentence"], place=LINZ,
                                    day=("2024-05-29", "2024-06-05"), stated=False))[0]
    assert not pair(summit, _placed(4, later.record["evidence"]["sentence"], place=GRAZ, article="a2",
                                    day=("2024-05-29", "2024-06-05"), stated=False))[0]


def _said(n: int, sentence: str, text: str, *, code: str = "NORGOV", name: str | None = None,
          article: str = "a1", start: int | None = None) -> M:
    country, sector = (code[:3], code[3:]) if len(code) > 3 and not code.startswith("NGO") else (None, code[3:])
    return mention(n, sentence, article=article, start=start,
                   source={"code": code, "country": country, "sector": sector or None, "name": name,
                           "text": text})


def test_a_pronoun_speaks_for_the_speaker_named_just_before_it() -> None:
    named = _said(1, "Vassbotn said the quota was not negotiable.", "Vassbotn", start=0)
    pronoun = _said(2, "Coastal towns would suffer, she said.", "she", start=120)
    far = _said(3, "The fleet would be tied up, she said.", "she", start=4000)
    cluster([named, pronoun, far])  # (clustering anchors each pronoun first)
    assert pronoun.pronoun_speaker is not None and far.pronoun_speaker is None
    assert pair(named, pronoun)[0]
    assert not pair(named, far)[0]


def test_two_people_of_one_body_are_two_speakers_and_a_body_keeps_its_initials() -> None:
    spokesman = _said(1, "Ada Okafor, a spokesman for the guard, said the town had fallen.",
                      "Ada Okafor, a spokesman", code="NGAREB", name="River Guard")
    commander = _said(2, "Tunde Bello, the guard's commander, said the advance would go on.",
                      "Tunde Bello, the guard's commander", code="NGAREB", name="River Guard")
    assert not pair(spokesman, commander)[0]
    agency = _said(3, "The Coastal Relief Agency said 40 boats were lost.", "Coastal Relief Agency",
                   code="NGOREF")
    short = _said(4, "The CRA said the storm had wrecked the harbour.", "CRA", code="NGOREF")
    assert pair(agency, short)[0]


def test_statements_of_two_speakers_stay_apart_across_articles() -> None:
    one = _said(1, "Vassbotn said the quota was not negotiable.", "Vassbotn", article="a1")
    other = _said(2, "Haugen said the quota would be reviewed.", "Haugen", article="a2")
    country = _said(3, "Norway said the quota was not negotiable.", "Norway", code="NOR", name="Norway",
                    article="a3")
    assert not pair(one, other)[0]
    assert not pair(one, country)[0]  # a country speaking could be anyone


def test_two_acts_of_one_sentence_are_two_events_one_act_fanned_out_is_one() -> None:
    sentence = "Rebels looted the banks and seized the armoury in Tobruk on Monday."
    looted = mention(1, sentence, root="18", cameo="180", start=0)
    seized = mention(2, sentence, root="18", cameo="180", start=0)
    looted.record["evidence"]["trigger_start"], seized.record["evidence"]["trigger_start"] = 7, 30
    assert pair(looted, seized) == (False, 0.0, {"sentence": "two acts of one sentence"})
    met = "Chad and Niger met Libya's envoy in Tobruk on Monday."
    chad = mention(3, met, root="04", cameo="040", start=100,
                   source={"code": "TCDGOV", "country": "TCD", "sector": "GOV", "name": None})
    niger = mention(4, met, root="04", cameo="040", start=100,
                    source={"code": "NERGOV", "country": "NER", "sector": "GOV", "name": None})
    chad.record["evidence"]["trigger_start"] = niger.record["evidence"]["trigger_start"] = 115
    assert "sentence" not in pair(chad, niger)[2]


def test_someone_of_a_body_or_a_capital_is_no_named_speaker() -> None:
    from dragoman.analysis.speakers import speaker_of

    front = _said(1, "The River Guard said it held the bridge.", "River Guard", code="NGAREB", name="River Guard")
    someone = _said(2, "An RG spokesman said the patrols were regrouping.", "RG spokesman", code="NGAREB",
                    name="River Guard")
    capital = _said(3, "Oslo says the quota is not negotiable.", "Oslo", code="NORGOV", name="Norway")
    assert speaker_of(front) is not None
    assert speaker_of(someone) is None and speaker_of(capital) is None
    assert not pair(front, someone)[0]
