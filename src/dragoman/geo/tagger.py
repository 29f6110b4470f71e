"""Place recognition and resolution (``PlaceTagger.find``) and event location (``PlaceTagger.event_location``).

Recognition: spaCy's GPE/LOC/FAC entities, plus capitalised name sequences the gazetteer knows (the small model
misses many): after a locative preposition or "the town of", coordinated with a known place, ending in a road or
facility word, or "X-based"; less metonymic uses by syntactic role ("Iraq said", "relations between Harare and
London", "sold arms to Saudi Arabia", "the people of Mexico": an actor, not a place), datelines ("OAKLAND, Calif.
(AP) -"), acronyms that only look like towns ("EU", "NATO") and demonyms ("Iranian" is not a place; "on Iraqi
soil", "the Greek islands" name the country's territory, country precision).

Event location: a place attached to the trigger or its arguments by a locative preposition or as a modifier, else
one in the trigger's clause, else a locative adjunct elsewhere in the sentence ("In Kandahar, ... said gunmen
killed"); never a place that fills the event's source/target slot ("Turkey accused Greece"), unless the verb acts on
places ("shelled Aleppo"). Among attached places the most specific wins (an unknown village before its city).

Resolution: every gazetteer row a name can mean gets a prior (log population plus a bonus by kind: countries
and capitals are what news usually means) and context bonuses: the article's countries (from its other places
and from the caller's actors), a "City, Region" apposition, and the region of another place of the article. So
"Washington" in an article about Iraq policy is the US capital, "Georgia" beside Tbilisi is the country, and
"Paris" beside Dallas is in Texas.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dragoman import settings
from dragoman.geo.gazetteer import (
    ADMIN1,
    CAPITAL,
    CITY,
    CONTINENT,
    COUNTRY,
    REGION,
    Gazetteer,
    Place,
    demonyms,
    load_gazetteer,
    normalize,
)
from dragoman.model import Location, Toponym
from dragoman.nlp import doc_text

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entities of these labels are never places themselves (a place name inside them is not a mention either).
BLOCK_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
# Nouns that, after a demonym, denote the country's territory ("on Iraqi soil").
TERRITORY_NOUNS = {"soil", "territory", "territories", "airspace", "waters", "land", "border", "borders", "side",
                   "capital", "island", "islands", "coast", "coastline", "mainland", "countryside", "city", "cities",
                   "town", "towns", "village", "villages", "shores", "frontier", "province", "provinces",
                   "desert", "mountains", "hinterland"}
# Adjectives of continents, for "European flights"-type uses next to a territory noun ("the European mainland").
CONTINENT_ADJECTIVES = {"european": "Europe", "african": "Africa", "asian": "Asia", "antarctic": "Antarctica"}
# Facility heads that make "Baghdad airport" a point inside Baghdad rather than an organisation.
FACILITY_HEADS = {"airport", "base", "port", "harbour", "harbor", "camp", "prison", "square", "hospital",
                  "station", "bridge", "embassy", "consulate", "palace", "stadium", "university", "checkpoint",
                  "crossing", "refinery", "compound", "hotel", "mosque", "church", "market", "district"}
# Prepositions that attach a place to an event ("killed in Baghdad"); STRONG_PREPS are unambiguous about it.
LOC_PREPS = {"in", "at", "near", "inside", "outside", "on", "across", "into", "throughout", "around", "within",
             "off", "from", "to", "toward", "towards", "along", "over", "between", "through", "of",
             "nearby", "by", "onto", "beyond", "behind", "under", "against"}
STRONG_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "around", "within", "into"}
# "the town of Buinaksk": a name after "of" following one of these is a place.
PLACE_NOUNS = {"town", "city", "village", "district", "province", "region", "area", "camp", "suburb", "port",
               "island", "neighbourhood", "neighborhood", "governorate", "state", "county", "capital", "municipality",
               "villages", "towns", "cities", "outskirts", "center", "centre"}
UNPLACE_LABELS = {"PERSON", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "NORP",
                  "LANGUAGE", "EVENT", "WORK_OF_ART", "LAW"}
GUIDE_PREPS = {"in", "at", "near", "to", "from", "into", "inside", "outside", "across", "around", "through",
               "via", "toward", "towards", "throughout"}
DIRECTIONS = {"eastern", "western", "northern", "southern", "central", "north", "south", "east", "west",
              "northeastern", "northwestern", "southeastern", "southwestern", "rural", "downtown", "suburban"}
STREET_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "drive", "boulevard", "blvd", "lane", "square",
                "estate", "cathedral", "basilica", "castle", "library", "plantation", "canal", "falls", "heights",
                "bridge", "highway", "motorway", "park", "stadium", "airport", "hospital", "church", "theatre",
                "theater", "prison", "palace", "racecourse", "mall", "chapel", "plaza", "lagoon"}
ROAD_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "drive", "boulevard", "blvd", "lane", "highway", "motorway",
              "estate", "square"}
ADMIN_WORDS = {"governorate", "oblast", "prefecture", "county", "state", "province", "region", "district", "city", "lga",
               "municipality", "township", "parish", "borough"}
KIND_BONUS = {CITY: 0.0, CAPITAL: 1.0, ADMIN1: -0.7, COUNTRY: 2.0, REGION: 1.5, CONTINENT: 2.0}
ALT_PENALTY = 0.6
SPECIFICITY = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5}


@dataclass
class _Mention:
    start: int  # doc char offsets
    end: int
    text: str
    cands: list[tuple[int, bool]]
    label: str
    feature_override: str | None = None  # "point" for a facility named after its city
    within: set[str] | None = None  # country/admin1 codes an apposition restricts to
    fixed: Place | None = None  # resolved without a gazetteer choice (a demonym)


class PlaceTagger:
    """Finds toponyms in parsed text and resolves them; loads the gazetteer once, lazily."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gaz = gazetteer
        self._demonyms: dict[str, str] | None = None
        self._last_doc: Doc | None = None
        self._canonical: dict[int, str] = {}  # geonameid -> gazetteer name, for Location.name
        self._last_mentions: list[_Mention] = []

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = load_gazetteer()
        return self._gaz

    @property
    def data_hash(self) -> str:
        return self.gazetteer.data_hash

    # ------------------------------------------------------------ recognition
    def _demonym_country(self, word: str) -> str | None:
        if self._demonyms is None:
            self._demonyms = demonyms()
        return self._demonyms.get(normalize(word))

    def _lookup(self, text: str) -> list[tuple[int, bool]]:
        g = self.gazetteer
        cands = g.lookup(text)
        if not cands and text.endswith("'s"):
            cands = g.lookup(text[:-2])
        letters = text.replace(".", "")
        if cands and letters.isupper() and len(letters) <= 5:
            # "EU", "NATO", "OAS": an acronym is not the town "Eu" or "Nato"; it can be a country or region ("UK").
            cands = [(r, a) for r, a in cands if g.place(r).kind not in (CITY, CAPITAL) or g.place(r).name == text]
        return cands

    @staticmethod
    def _nonliteral(span: Span) -> str | None:
        """Why a place name is not a literal place here, or None.

        "actor": used for its government, people or team (subject of an agentive verb, partner of
        "with"/"against"); "modifier": a modifier, possessor or object of a non-motion verb ("U.S. officials",
        "Iraq's militias", "urged China"): not a place in a list of places, but it may still place an event
        ("a Baghdad restaurant was destroyed")."""
        doc = span.doc
        if span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ == "based":
            return None  # "a Pittsburgh-based company": where it is
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:  # "in Spain, Italy and Cyprus": as the first one
            root = root.head
        head = root.head
        if root.dep_ in ("nsubjpass", "dative"):
            return "actor"
        if (root.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX")
                and head.lemma_ not in settings.GEO_LITERAL_SUBJECT_VERBS):
            return "actor"
        if root.dep_ == "pobj" and head.lower_ in ("with", "against", "by", "versus", "vs", "like", "than", "for"):
            above = head.head.lemma_.lower()
            if not ((head.lower_ == "with" and above in ("border", "frontier", "boundary"))
                    or (head.lower_ == "for" and above in ("leave", "depart", "head", "sail", "bound", "set", "fly"))):
                return "actor"  # but "the border with Mexico", "left for Washington" are places
        if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in settings.GEO_OF_ACTOR_NOUNS:
            return "modifier"
        if root.dep_ == "pobj" and head.lower_ == "between" and head.head.lemma_.lower() in settings.GEO_RELATION_NOUNS:
            return "actor"  # "relations between Harare and London"
        if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in settings.GEO_TO_ACTOR_HEADS:
            return "actor"  # "sold artillery to Saudi Arabia", "a loss to San Antonio"
        if root.dep_ == "pobj" and head.lower_ == "on" and head.head.lemma_.lower() in settings.GEO_ON_ACTOR_HEADS:
            return "actor"  # "blamed on Russia", "pressure on Georgia"
        if root.dep_ == "pobj" and head.lower_ == "from" and head.head.lemma_.lower() in settings.GEO_FROM_ACTOR_HEADS:
            return "actor"  # "permission from Georgia", "independent from Azerbaijan"
        if (root.dep_ == "appos" and head.tag_ == "NNS"
                and head.lemma_.lower() in ("country", "state", "nation", "member", "ally", "partner")):
            return "modifier"  # "several EU countries - Austria, Slovakia and Cyprus -": countries as actors
        if root.dep_ in ("dobj", "obj") and head.pos_ == "VERB" and head.lemma_ not in settings.GEO_LITERAL_OBJECT_VERBS:
            return "modifier"
        modifier = (root.dep_ in ("compound", "amod", "nmod") and head.pos_ in ("NOUN", "PROPN") and head.i > root.i)
        possessor = root.dep_ == "poss" or any(t.tag_ == "POS" for t in span.doc[span.end:span.end + 1])
        if ((modifier or possessor) and head.ent_type_ not in PLACE_LABELS
                and head.lemma_.lower() not in settings.GEO_PART_NOUNS):
            return "modifier"
        return None

    @staticmethod
    def _generic(span: Span) -> bool:
        """A lone common word ("West", "Valley"): a place only when the text says which."""
        return len(span) == 1 and span[0].lower_ in settings.GEO_GENERIC_WORDS

    def _mentions(self, doc: Doc, literal_only: bool = True) -> list[_Mention]:
        """Place mentions of a doc; ``literal_only=False`` keeps modifiers ("a Baghdad restaurant")."""

        def dropped(span: Span) -> bool:
            why = self._nonliteral(span)
            return why == "actor" or (why == "modifier" and literal_only)

        out: list[_Mention] = []
        taken = [False] * len(doc)
        blocked = [False] * len(doc)
        for ent in doc.ents:
            if ent.label_ in BLOCK_LABELS:
                for t in ent:
                    blocked[t.i] = True
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS:
                continue
            span = ent
            while len(span) > 1 and span[0].lower_ in ("the", "a", "an"):
                span = span[1:]
            if dropped(span) or self._generic(span) or _dateline(span):
                for t in span:
                    taken[t.i] = True
                continue
            cands = self._lookup(span.text)
            m = _Mention(span.start_char, span.end_char, span.text, cands, ent.label_)
            if not cands and len(span) > 1:
                inner = self._inner(span)
                if inner is not None:
                    s2, c2 = inner
                    m = _Mention(s2.start_char, s2.end_char, s2.text, c2, ent.label_)
                    if span[-1].lower_ in FACILITY_HEADS:
                        m.feature_override = "point" if ent.label_ == "FAC" else None
            if literal_only and not m.cands and len(span) == 1 and (
                    not (span.root.dep_ == "pobj" and span.root.head.lower_ in GUIDE_PREPS)
                    or (span.text.isupper() and len(span.text) > 1)):
                # A lone name the gazetteer does not know, not after "in"/"at"...: a person or an organisation far
                # more often than a village ("Buhari said", "Nollywood").
                taken[span.start] = True
                continue
            out.append(m)
            for t in span:
                taken[t.i] = True
        # "in Riverdale", "at Coggeshall", "in eastern Ghouta": after a locative preposition, a capitalised name
        # the gazetteer knows is a place whatever the model tagged it (it often calls small towns ORG/PERSON).
        for t in doc:
            place_of = t.lower_ == "of" and t.i > 0 and doc[t.i - 1].lemma_.lower() in PLACE_NOUNS
            if (t.lower_ not in GUIDE_PREPS or t.dep_ != "prep") and not place_of:
                continue
            j = t.i + 1
            while j < len(doc) and (doc[j].lower_ in ("the",) or doc[j].lower_ in DIRECTIONS):
                j += 1
            k = _name_end(doc, j, taken)
            if k == j or any(taken[x] for x in range(j, k)):
                continue
            ent_end = max((doc[x].ent_iob_ == "I" and x for x in range(k, min(k + 3, len(doc)))), default=0)
            if doc[k - 1].ent_type_ and k < len(doc) and doc[k].ent_iob_ == "I" and ent_end:
                continue  # the model's entity goes on past the name: "in Franklin Roosevelt's ..."
            if t.lower_ == "to" and t.i > 0 and doc[t.i - 1].lower_ == "according":
                continue  # "according to Davis": a source, not a place
            found = False
            for n in range(k - j, 0, -1):
                span = doc[j:j + n]
                if not _capitalised(span[-1]):
                    continue
                cands = self._lookup(span.text)
                if cands and n < k - j and not _place_word(doc[j + n]):
                    break  # "from Doris Lindenwald", "at Riverdale Lukoil": part of a longer name
                if self._generic(span) and n == k - j and j > 0 and doc[j - 1].lower_ == "the" and t.lower_ in (
                        "in", "across", "throughout") and span[0].lower_ not in settings.GEO_NOT_REGION_WORDS:
                    # "in the West", "across the Gulf", "here in the Valley": a region the article has in mind
                    out.append(_Mention(span.start_char, span.end_char, span.text, [], "PREP"))
                    taken[span.start] = True
                    found = True
                    break
                if cands and not self._generic(span):
                    out.append(_Mention(span.start_char, span.end_char, span.text, cands, "PREP"))
                    for x in span:
                        taken[x.i] = True
                    found = True
                    break
            if not found:
                # Unknown to the gazetteer ("near Tal Maksour"): kept only where events are placed, since a
                # name after "in" is a place far more often than not, but its coordinates are unknown.
                span = doc[j:k]
                owner = k < len(doc) and doc[k].tag_ == "POS"  # "around ChevronTexaco's terminal": an owner
                if not literal_only and not owner and (t.lower_ in STRONG_PREPS or place_of) and not self._generic(span) and not any(
                        x.ent_type_ in UNPLACE_LABELS - {"PERSON"} or x.lower_ in settings.GEO_GENERIC_WORDS
                        for x in span):
                    out.append(_Mention(span.start_char, span.end_char, span.text, [], "PREP?"))
                    for x in span:
                        taken[x.i] = True
        # "a crash on the A120", "via the A436, A40 and A429": British road numbers.
        for t in doc:
            if taken[t.i] or not _ROAD_NUMBER.match(t.text):
                continue
            listed = t.dep_ == "conj" and _ROAD_NUMBER.match(t.head.text) is not None
            if (t.i > 0 and doc[t.i - 1].lower_ == "the") or listed:
                out.append(_Mention(t.idx, t.idx + len(t.text), t.text, [], "ROAD"))
                taken[t.i] = True
        # "stormed Mainok", "Kisangani was captured": the object of a verb acting on places is a place (where events
        # are placed; the model tags many such towns ORG or PERSON, so the gazetteer must know those).
        if not literal_only:
            for t in doc:
                if (t.dep_ not in ("dobj", "obj", "nsubjpass") or taken[t.i] or not _capitalised(t) or t.pos_ != "PROPN"
                        or t.head.lemma_.lower() not in settings.GEO_LITERAL_OBJECT_VERBS):
                    continue
                j = t.i
                while j > 0 and doc[j - 1].dep_ == "compound" and doc[j - 1].head.i == t.i and _capitalised(doc[j - 1]):
                    j -= 1
                span = doc[j:t.i + 1]
                if any(taken[x.i] for x in span) or self._generic(span) or span[0].is_sent_start:
                    continue
                cands = self._lookup(span.text)
                if not cands and any(x.ent_type_ and x.ent_type_ not in PLACE_LABELS for x in span):
                    continue
                out.append(_Mention(span.start_char, span.end_char, span.text, cands, "OBJ" if cands else "PREP?"))
                for x in span:
                    taken[x.i] = True
        # "Royal Street", "Colchester General Hospital": a capitalised name ending in a facility word is a point
        # (the gazetteer rarely has it: the article's main city stands in for its coordinates).
        for t in doc:
            if t.lower_.rstrip(".") not in STREET_WORDS or not _capitalised(t) or taken[t.i]:
                continue
            # The model often calls "Dubonet Drive" or "Northwestern Memorial Hospital" an ORG or a PERSON: a road
            # word ending that entity, or a facility word when the name follows "in/at/near...", overrides it.
            ends_entity = bool(t.ent_type_) and (t.i + 1 == len(doc) or doc[t.i + 1].ent_iob_ != "I")
            locative = t.dep_ == "pobj" and t.head.lower_ in GUIDE_PREPS
            overrides = ends_entity and t.ent_type_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART") and (
                t.lower_.rstrip(".") in ROAD_WORDS or locative)

            def free(x: int, t: Token = t, overrides: bool = overrides) -> bool:
                return not blocked[x] or (overrides and doc[x].ent_type_ == t.ent_type_)

            j = t.i
            while j > 0 and _capitalised(doc[j - 1]) and not taken[j - 1] and free(j - 1) and t.i - j < 4:
                j -= 1
            # (is_sent_start, not .sent: Token.sent walks the doc's sentences on every call)
            if j == t.i or (bool(doc[j].is_sent_start) and t.i - j == 1 and doc[j].pos_ != "PROPN"):
                continue
            span = doc[j:t.i + 1]
            out.append(_Mention(span.start_char, span.end_char, span.text, self._lookup(span.text), "FAC",
                                feature_override=None))
            for x in span:
                taken[x.i] = True
        # Capitalised sequences the model missed but the gazetteer knows (longest match first).
        i = 0
        while i < len(doc):
            t = doc[i]
            if taken[t.i] or blocked[t.i] or not _capitalised(t):
                i += 1
                continue
            hit = None
            for n in range(min(4, len(doc) - i), 0, -1):
                span = doc[i:i + n]
                if any(taken[x.i] or blocked[x.i] or not _capitalised(x) for x in span):
                    continue
                cands = self._lookup(span.text)
                if cands and not self._generic(span) and self._strong(span, cands):
                    hit = (span, cands)
                    break
            if hit is not None and hit[0].end < len(doc):
                nxt = doc[hit[0].end]
                if _capitalised(nxt) and not nxt.is_sent_start and not blocked[nxt.i] and not _place_word(nxt):
                    hit = None  # "Frederick Wu", "Lombard Odier": a longer name begins with a place name
            if hit is None:
                i += 1
                continue
            span, cands = hit
            if not dropped(span):
                out.append(_Mention(span.start_char, span.end_char, span.text, cands, "GAZ"))
            for x in span:
                taken[x.i] = True
            i = span.end
        # "on Iraqi soil": a demonym naming the territory of its country.
        for t in doc:
            if taken[t.i] or t.head.lemma_.lower() not in TERRITORY_NOUNS or t.dep_ not in ("amod", "compound"):
                continue
            iso3 = self._demonym_country(t.text)
            row = self.gazetteer.country_row(iso3) if iso3 else None
            if row is None and t.lower_ in CONTINENT_ADJECTIVES:
                row = next((r for r, _ in self.gazetteer.lookup(CONTINENT_ADJECTIVES[t.lower_])
                            if self.gazetteer.place(r).kind == CONTINENT), None)
            if row is not None:
                out.append(_Mention(t.idx, t.idx + len(t.text), t.text, [(row, False)], "DEMONYM",
                                    fixed=self.gazetteer.place(row)))
        out.extend(self._conjuncts(doc, out, taken, blocked, dropped))
        out.sort(key=lambda m: m.start)
        self._appositions(doc, out)
        lines = _datelines(doc_text(doc))
        if lines and literal_only:  # "OAKLAND, Calif. (AP) -": where the story was filed, not a place of the story
            out = [m for m in out if not any(a < m.end and m.start < b for a, b in lines)]
        return out

    def _conjuncts(self, doc: Doc, found: list[_Mention], taken: list[bool], blocked: list[bool],
                   dropped: Callable[[Span], bool]) -> list[_Mention]:
        """ "in Zilina, Nitra, Presov and Kosice": names coordinated with a place the gazetteer knows are places
        too, whatever their size or the model's tag (it often calls the last ones PERSON or ORG)."""
        out: list[_Mention] = []
        for m in found:
            if m.label in ("PREP?", "DEMONYM"):
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for c in span.root.conjuncts:
                if taken[c.i] or not _capitalised(c) or c.ent_type_ in UNPLACE_LABELS - {"PERSON"}:
                    continue
                j = c.i
                while j > 0 and doc[j - 1].dep_ == "compound" and doc[j - 1].head.i == c.i and _capitalised(doc[j - 1]):
                    j -= 1
                name = doc[j:c.i + 1]
                if any(taken[x.i] for x in name) or self._generic(name):
                    continue
                if doc[j].ent_iob_ == "I" or (c.i + 1 < len(doc) and doc[c.i + 1].ent_iob_ == "I"):
                    continue  # the model's entity goes on past the name: "Italy Inc", "Mr Paris Hilton"
                cands = self._lookup(name.text)
                if not cands or dropped(name):
                    continue
                out.append(_Mention(name.start_char, name.end_char, name.text, cands, "CONJ"))
                for x in name:
                    taken[x.i] = True
        return out

    def _inner(self, span: Span) -> tuple[Span, list[tuple[int, bool]]] | None:
        """The longest sub-span of a multi-word name the gazetteer knows ("Baghdad" in "Baghdad airport")."""
        if span[0].lower_ in DIRECTIONS and len(span) > 1:  # "East Texas", "Northern Syria"
            sub = span[1:]
            cands = self._lookup(sub.text)
            if cands and self._strong(sub, cands):
                return span, cands
        for n in range(len(span) - 1, 0, -1):
            sub = span[:n]  # the place comes first: "Baghdad airport", "Colchester Hospital"
            if not all(_capitalised(x) for x in sub) or self._generic(sub):
                continue
            cands = self._lookup(sub.text)
            if cands and self._strong(sub, cands):
                return sub, cands
        return None

    def _strong(self, span: Span, cands: list[tuple[int, bool]]) -> bool:
        """Is a name the NER did not tag likely a place? Only if it can mean a large or well-known place."""
        if span[0].is_sent_start and len(span) == 1:
            return False
        if len(span) == 1 and span[0].pos_ != "PROPN":
            return False
        g = self.gazetteer
        best = 0
        for row, alt in cands:
            p = g.place(row)
            if alt:
                continue
            if p.kind in (COUNTRY, REGION, CONTINENT, ADMIN1, CAPITAL):
                return True
            best = max(best, p.population)
        return best >= settings.GEO_MIN_UNTAGGED_POPULATION

    def _appositions(self, doc: Doc, mentions: list[_Mention]) -> None:
        """ "Paris, Texas": a name followed by ", Region" is looked for inside that region."""
        g = self.gazetteer
        for a, b in zip(mentions, mentions[1:], strict=False):
            between = doc_text(doc)[a.end:b.start]
            if between.strip() != ",":
                continue
            areas: set[str] = set()
            for row, _alt in b.cands:
                p = g.place(row)
                if p.kind == ADMIN1 and p.admin1:
                    areas.add(p.admin1)
                elif p.kind == COUNTRY and p.country2:
                    areas.add(p.country2)
            if any(g.place(row).admin1 in areas or g.place(row).country2 in areas for row, _ in a.cands):
                a.within = areas

    # ------------------------------------------------------------ resolution
    def _prior(self, p: Place, alt: bool) -> float:
        s = math.log10(p.population + 10) + KIND_BONUS[p.kind]
        return s - (ALT_PENALTY if alt else 0.0)

    def find(self, doc: Doc, article_id: str, offset: int = 0,
             context_countries: Iterable[str] = ()) -> list[Toponym]:
        """Toponyms of a parsed chunk, with article offsets (``offset`` = the chunk's start in the article)."""
        mentions = _not_named_actors(doc, self._mentions(doc))
        return self._resolve(mentions, article_id, offset, Counter(c for c in context_countries if c))

    def _resolve(self, mentions: list[_Mention], article_id: str, offset: int, ctx_given: Counter,
                 extra_points: Iterable[Place] = ()) -> list[Toponym]:
        # Pass 1: prior only (and appositions), to learn the article's countries and regions.
        first: list[Place | None] = [self._choose(m, Counter(ctx_given), set(), []) for m in mentions]
        chosen: list[Place | None] = []
        for k, m in enumerate(mentions):
            if m.fixed is not None:
                chosen.append(m.fixed)
                continue
            ctx = Counter(ctx_given)
            areas: set[str] = set()
            points: list[Place] = list(extra_points)
            for j, p in enumerate(first):
                if j == k or p is None or normalize(mentions[j].text) == normalize(m.text):
                    continue
                if p.country3:
                    ctx[p.country3] += 1
                if p.kind == ADMIN1 and p.admin1:
                    areas.add(p.admin1)
                if p.kind in (CITY, CAPITAL):
                    points.append(p)
            chosen.append(self._choose(m, ctx, areas, points))
        focus = _focus(chosen)
        out: list[Toponym] = []
        for m, p in zip(mentions, chosen, strict=True):
            if p is None:
                if m.label == "GAZ":
                    continue
                if m.label == "PREP?":
                    out.append(Toponym(article_id, m.start + offset, m.end + offset, m.text))
                    continue
                # A name the gazetteer lacks (a street, a village): the article's main city is the best guess.
                out.append(Toponym(article_id, m.start + offset, m.end + offset, m.text, None,
                                   focus.lat if focus else None, focus.lon if focus else None,
                                   focus.country3 if focus else None, "city" if focus else None))
                continue
            feature = m.feature_override or p.feature
            if p.geonameid:
                self._canonical[p.geonameid] = p.name
            out.append(Toponym(article_id, m.start + offset, m.end + offset, m.text, p.geonameid, p.lat, p.lon,
                               p.country3, feature))  # type: ignore[arg-type]
        return out

    def _choose(self, m: _Mention, ctx: Counter, areas: set[str], points: list[Place]) -> Place | None:
        if m.fixed is not None:
            return m.fixed
        if not m.cands:
            return None
        g = self.gazetteer
        total = sum(ctx.values()) or 1
        best, best_s = None, -1e9
        places = [(g.place(row), alt) for row, alt in m.cands]
        # "New York", "Baghdad": a city named like the region it lies in is what a bare name means.
        city_areas = {p.admin1 for p, _ in places if p.kind in (CITY, CAPITAL) and p.population >= 100_000}
        said_region = m.text.split()[-1].lower() in ("state", "province", "governorate", "region", "county")
        for p, alt in places:
            s = self._prior(p, alt)
            if p.kind == ADMIN1 and p.admin1 in city_areas and not said_region:
                s -= 3.0
            if m.within is not None and (p.admin1 in m.within or p.country2 in m.within):
                s += 5.0
            if p.country3 and ctx:
                s += settings.GEO_CONTEXT_WEIGHT * ctx.get(p.country3, 0) / total
                if ctx.get(p.country3, 0) == 0:
                    s -= settings.GEO_FOREIGN_PENALTY
            if p.admin1 and p.kind in (CITY, CAPITAL) and p.admin1 in areas:
                s += 2.0
            if points and p.kind in (CITY, CAPITAL) and any(_km(p, q) < 150 for q in points if q.index != p.index):
                s += 1.0
            if s > best_s:
                best, best_s = p, s
        return best

    # ------------------------------------------------------------ event location
    def _doc_mentions(self, doc: Doc) -> list[_Mention]:
        """All place mentions of a doc, modifiers included (cached for the last doc: events come in doc order)."""
        if self._last_doc is not doc:
            self._last_doc, self._last_mentions = doc, _not_named_actors(doc, self._mentions(doc, literal_only=False))
        return self._last_mentions

    def event_location(self, trigger: Token, argument_heads: list[Token], toponyms: list[Toponym],
                       offset: int = 0) -> Location | None:
        """The place of an event: one attached to its trigger or arguments, else one in its sentence, else None."""
        best = self.event_toponym(trigger, argument_heads, toponyms, offset)
        if best is None:
            return None
        name = self._canonical.get(best.geonameid, best.name) if best.geonameid else best.name
        return Location(name=name, country=best.country, lat=best.lat, lon=best.lon,
                        geonameid=best.geonameid, precision=best.feature or "city", text=best.name)

    def event_toponym(self, trigger: Token, argument_heads: list[Token], toponyms: list[Toponym],
                      offset: int = 0) -> Toponym | None:
        """The toponym ``event_location`` builds its answer from (evaluation needs its span)."""
        sent = trigger.sent
        doc = trigger.doc
        lo, hi = sent.start_char + offset, sent.end_char + offset
        in_sent = [t for t in toponyms if lo <= t.start < hi]
        # Places the list leaves out as non-literal ("an upscale Baghdad restaurant") can still place an event.
        extra = [m for m in self._doc_mentions(doc) if lo <= m.start + offset < hi
                 and not any(t.start < m.end + offset and m.start + offset < t.end for t in toponyms)]
        literal = {id(t) for t in in_sent}
        if extra:
            ctx = Counter(t.country for t in toponyms if t.country)
            in_sent += self._resolve(extra, toponyms[0].article_id if toponyms else "", offset, ctx)
        if not in_sent:
            return None
        anchors = {trigger.i} | {a.i for a in argument_heads}
        # "A bomber blew himself up in north Iraq, killing six": a participle or coordinated verb shares the
        # place of the verb it hangs from.
        if trigger.dep_ in settings.GEO_EVENTLOC_SHARED_DEPS and trigger.head.pos_ in ("VERB", "AUX"):
            anchors.add(trigger.head.i)
        ranked: list[tuple[tuple[int, int, int], Toponym]] = []
        for t in in_sent:
            span = doc.char_span(t.start - offset, t.end - offset, alignment_mode="expand")
            if span is None:
                continue
            if not _place_role(span.root, trigger, anchors - {trigger.i}):
                continue  # "Turkey accused Greece", "Washington sanctioned Tehran": an actor, not where
            rank, dist = _attachment(span.root, anchors)
            # A name the gazetteer lacks is most often a village, quarter or site: more specific than a city.
            spec = SPECIFICITY.get(t.feature or "city", 1) if t.lat is not None else settings.GEO_UNKNOWN_SPECIFICITY
            # Attached places: the most specific ("Zamalka in the East Ghouta"), then the first; others: nearest.
            if id(t) not in literal and span.root.head.lemma_.lower() in settings.GEO_AGENT_NOUNS:
                continue  # "a US airstrike", "Israeli troops": whose, not where
            key = (rank, spec, span.start) if rank <= 1 else (rank, 0, abs(span.root.i - trigger.i))
            if rank > 1 and settings.GEO_EVENTLOC_SENTENCE_FALLBACK and self._locative(span):
                # "a place stated in the same sentence for it": a locative adjunct elsewhere in it, after any
                # place of the trigger's own clause; the nearest first.
                key = (1, 9, abs(span.root.i - trigger.i))
            ranked.append((key, t))
        if not ranked:
            return None
        ranked.sort(key=lambda x: x[0])
        key, best = ranked[0]
        if key[0] > settings.GEO_EVENTLOC_MAX_RANK:
            return None
        return best

    @staticmethod
    def _locative(span: Span) -> bool:
        """A place named as a location: the object of "in/at/near/inside..." (or a conjunct of one), or a
        dateline ("MOGADISHU -")."""
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        return root.dep_ == "pobj" and root.head.lower_ in STRONG_PREPS


def _place_role(tok: Token, trigger: Token, args: set[int]) -> bool:
    """False when a place name fills an actor slot of the event: it is the source or target argument itself (or
    a subject/object/agent of the trigger), unless the verb acts on places ("shelled Idlib", "Kisangani was
    captured"), where that argument is where the event happened."""
    root = tok
    while root.dep_ == "conj" and root.head.i != root.i:  # "Spain, Italy and Cyprus": as the first one
        root = root.head
    slot = root.i in args or tok.i in args
    if root.head.i == trigger.i and root.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "dative", "attr", "oprd"):
        slot = True
    if root.dep_ == "pobj" and root.head.dep_ == "agent" and root.head.head.i == trigger.i:
        slot = True
    if not slot:
        return True
    literal_verb = trigger.lemma_.lower() in settings.GEO_LITERAL_OBJECT_VERBS
    return literal_verb and root.dep_ in ("dobj", "obj", "nsubjpass")


def _attachment(tok: Token, anchors: set[int]) -> tuple[int, int]:
    """(rank, steps): 0 = hangs from the trigger or an argument through a preposition or as a modifier of
    them ("in Baghdad", "a Baghdad restaurant"), 1 = otherwise in the trigger's clause, 2 = elsewhere."""
    steps = 0
    # A modifier of a subject is whose the agent is ("U.S. troops captured"), not where.
    via = tok.dep_ in ("compound", "amod", "poss", "nmod") and tok.head.dep_ not in ("nsubj", "nsubjpass")
    cur = tok
    seen_verb = False
    while steps <= 12:
        if cur.i in anchors and steps > 0:
            if seen_verb:
                return 2, steps
            return (0, steps) if via else (1, steps)
        if cur.dep_ == "prep" and cur.lower_ in LOC_PREPS:
            via = True
        if cur.head.i == cur.i:
            break
        nxt = cur.head
        if nxt.pos_ in ("VERB", "AUX") and nxt.i not in anchors:
            seen_verb = True
        cur = nxt
        steps += 1
    return 2, steps + 10


def _not_named_actors(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Drop names an earlier stage annotated as an organisation or a person (``doc.spans["actors"]``, when the
    coder ran the actor stage): "Hamas" is not the German town a gazetteer alias points to."""
    names = [(s.start_char, s.end_char) for s in doc.spans.get("actors", []) if s.label_ in ("org", "person")]
    if not names:
        return mentions
    return [m for m in mentions if not any(lo <= m.start and m.end <= hi for lo, hi in names)]


def _dateline(span: Span) -> bool:
    """ "WASHINGTON (Reuters) -": where the story was filed, not a place of the story."""
    text = span.text
    before = doc_text(span.doc)[max(0, span.start_char - 2):span.start_char]
    return text.isupper() and len(text) > 3 and (span.start_char == 0 or "\n" in before)


_DATELINE = re.compile(
    r"(?<![\w,])(?:\(|By\s+)?([A-Z][A-Z.'&]+(?:\s+[A-Z][A-Z.'&]+){0,3}(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2})?)"
    r"\)?,*\s*(?=\((?:AP|AFP|Reuters|CNN|UPI|Xinhua|dpa|[A-Z][A-Za-z]+ ?[A-Za-z]* ?News|Thomson Reuters[A-Za-z ]*)\)"
    r"|[\u2014\u2013]|--?\s|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT"
    r"|NOV|DEC)[a-zA-Z]*\.?\s+\d)"
)


def _datelines(text: str) -> list[tuple[int, int]]:
    """Char ranges of datelines: an upper-case place (", Region" optional) before "(AP)", a dash or a date."""
    out = []
    for m in _DATELINE.finditer(text):
        city = m.group(1).split(",")[0]
        if sum(c.isalpha() for c in city) >= 3 and city.upper() == city:
            out.append((m.start(1), m.end(1)))
    return out


_ROAD_NUMBER = re.compile(r"^[AMB]\d{1,4}(?:\(M\))?$")
_NAME_PARTICLES = {"al", "el", "ad", "ar", "as", "ash", "an", "at", "az", "ed", "es", "ul", "bin", "ibn", "abu"}


def _name_end(doc: Doc, j: int, taken: list[bool], max_words: int = 4) -> int:
    """End of the capitalised name starting at token j: "Tal Maksour", "Dahiyat Al-Assad", "Ras al-Ain"."""
    k, words = j, 0
    while k < len(doc) and words < max_words and not taken[k]:
        t = doc[k]
        if _capitalised(t):
            k, words = k + 1, words + 1
        elif (t.text in ("-", "'", "\u2019") and k > j and not doc[k - 1].whitespace_ and not t.whitespace_
              and k + 1 < len(doc) and doc[k + 1].is_alpha and not taken[k + 1]):
            k += 2  # "Al-Assad", "Sa'eed": one word
            words += 1
        elif t.lower_ in _NAME_PARTICLES and k > j and not t.whitespace_ and k + 1 < len(doc) and doc[k + 1].text == "-":
            k += 1  # "Ras al-Ain"
        else:
            break
    while k > j and not _capitalised(doc[k - 1]) and not doc[k - 1].is_alpha:
        k -= 1
    return k


def _place_word(t: Token) -> bool:
    """A word that continues a place name into a bigger or smaller place ("Baghdad Province", "Kent Street")."""
    w = t.lower_.rstrip(".")
    return w in STREET_WORDS or w in FACILITY_HEADS or w in PLACE_NOUNS or w in ADMIN_WORDS


def _capitalised(t: Token) -> bool:
    return t.is_alpha and t.text[:1].isupper() or t.text in ("U.S.", "U.K.", "U.A.E.", "U.N.")


def _km(a: Place, b: Place) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _focus(chosen: list[Place | None]) -> Place | None:
    """The most mentioned city of the article (ties: the first), used for names the gazetteer lacks."""
    counts = Counter(p.index for p in chosen if p is not None and p.kind in (CITY, CAPITAL))
    if not counts:
        return None
    top = counts.most_common(1)[0][0]
    return next(p for p in chosen if p is not None and p.index == top)
