"""Place-name recognition: the recognisers the geo stage runs over a parsed doc, in order.

spaCy's small model tags many places and misses many more (small towns come out as ORG, PERSON or nothing).
So besides its GPE/LOC/FAC entities, capitalised names are places by their surroundings: after a locative
preposition or "the town of", a road number, the object of a verb acting on places, a name ending in a street
or facility word, a name the gazetteer knows well, a demonym before a territory noun, a name coordinated with
a place. Each recogniser in :data:`RECOGNISERS` finds one of these; they run in that order over one
:class:`Scan`, and a token an earlier one took (or set aside) is not looked at again, so the order matters.

A name is not a place where it stands for an actor ("Peru said", "relations between A and B":
:func:`nonliteral`), in a dateline ("FRESNO, Calif. (AP) -"), or inside a person's or organisation's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from dragoman import settings
from dragoman.geo.gazetteer import (
    ADMIN1,
    ADMIN2,
    CAPITAL,
    CITY,
    CONTINENT,
    COUNTRY,
    REGION,
    Gazetteer,
    Place,
    normalize,
)
from dragoman.geo.words import GeoWords
from dragoman.nlp import doc_text

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entities of these labels are never places themselves (a place name inside them is not a mention either).
BLOCK_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
# Tokens of these labels are not part of an unknown place name (PERSON aside: the model calls many towns so).
UNPLACE_LABELS = {"PERSON", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "NORP",
                  "LANGUAGE", "EVENT", "WORK_OF_ART", "LAW"}
_ROAD_NUMBER = re.compile(r"^[AMB]\d{1,4}(?:\(M\))?$")  # British road numbers: "A361", "M62", "A3(M)"

Candidates = list[tuple[int, bool]]  # gazetteer rows a name can mean, True when only by an alternate name


@dataclass
class Mention:
    """A place name found in a doc, with the gazetteer rows it can mean; resolution picks one."""

    start: int  # doc char offsets
    end: int
    text: str
    cands: Candidates
    label: str  # the model's entity label, or the recogniser that found it (PREP, ROAD, OBJ, GAZ, CONJ...)
    feature_override: str | None = None  # "point" for a facility named after its city
    within: set[str] | None = None  # country/admin1 codes an apposition restricts to
    fixed: Place | None = None  # resolved without a gazetteer choice (a demonym)
    type: str = "literal"  # how the name is used (model.ToponymType)
    kind_hint: int | None = None  # the kind of place the words around it say it is ("the province of X")
    # the mentions coordinated with it ("Ohio, Utah and X"); by identity, left out of comparisons
    siblings: list[Mention] | None = field(default=None, compare=False, repr=False)


# nonliteral()'s reasons -> the toponym type a name set aside for that reason is reported with
TYPE_OF_REASON = {"actor": "metonym", "modifier": "modifier"}


class Scan:
    """One doc being scanned for place names: the tokens already taken, the mentions found so far, and the
    look-ups the recognisers share."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, words: GeoWords, literal_only: bool,
                 demonym_country: Callable[[str], str | None],
                 continents: Callable[[], dict[str, str]], keep_nonliteral: bool = False,
                 stop_names: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self.gaz = gazetteer
        self.words = words
        self.literal_only = literal_only  # False: keep modifiers ("a Kigali hotel") and unknown names
        # True: names set aside as metonyms, modifiers or demonyms are mentions too, with their type
        self.keep_nonliteral = keep_nonliteral
        self.stop_names = stop_names  # normalised names that are never a small town (gazetteer.stop_names)
        self.demonym_country = demonym_country
        self.continents = continents
        self.found: list[Mention] = []
        self.taken = [False] * len(doc)  # tokens a recogniser used (or set aside): later ones skip them
        self.blocked = [False] * len(doc)  # tokens of a person, organisation... entity
        for ent in doc.ents:
            if ent.label_ in BLOCK_LABELS:
                for t in ent:
                    self.blocked[t.i] = True

    def take(self, tokens: Iterable[Token]) -> None:
        for t in tokens:
            self.taken[t.i] = True

    def add(self, mention: Mention, tokens: Iterable[Token]) -> None:
        """Record a mention and take its tokens."""
        self.found.append(mention)
        self.take(tokens)

    def mention(self, span: Span, cands: Candidates, label: str) -> Mention:
        return Mention(span.start_char, span.end_char, span.text, cands, label)

    def set_aside(self, span: Span, why: str | None, label: str) -> None:
        """Take a name that is no literal place here; with ``keep_nonliteral`` it is a mention of its type
        (``why``: a :func:`nonliteral` reason, or a toponym type)."""
        if self.keep_nonliteral and why is not None:
            cands = self.lookup(span.text)
            if cands:
                m = self.mention(span, cands, label)
                m.type = TYPE_OF_REASON.get(why, why)
                self.found.append(m)
        self.take(span)

    # ------------------------------------------------------------ what a name is
    def lookup(self, text: str) -> Candidates:
        """The gazetteer rows ``text`` can mean ("Iraq's" as "Iraq"); an acronym is never a town."""
        g = self.gaz
        cands = g.lookup(text)
        if not cands and text.endswith("'s"):
            cands = g.lookup(text[:-2])
        letters = text.replace(".", "")
        if cands and letters.isupper() and len(letters) <= 5:
            # "EU", "NATO", "OAS": an acronym is not the town "Eu" or "Nato"; it may be a country ("UK").
            cands = [(r, a) for r, a in cands
                     if g.place(r).kind not in (CITY, CAPITAL) or g.place(r).name == text]
        if cands and (normalize(text) in self.stop_names or self.demonym_country(text) is not None):
            # An organisation, a person, a common word or a demonym ("Spanish") is not a small town of
            # its name; a large city of the name stays possible ("Jackson", "Victoria").
            cands = [(r, a) for r, a in cands if g.place(r).kind not in (CITY, CAPITAL, ADMIN2)
                     or g.place(r).population >= settings.GEO_STOP_NAME_MAX_POPULATION]
        return cands

    def generic(self, span: Span) -> bool:
        """A lone common word ("West", "Valley"): a place only when the text says which."""
        return len(span) == 1 and span[0].lower_ in self.words.generic_words

    def strong(self, span: Span, cands: Candidates) -> bool:
        """Is a name the NER did not tag likely a place? Only if it can mean a large or well-known place."""
        if span[0].is_sent_start and len(span) == 1:
            return False
        if len(span) == 1 and span[0].pos_ != "PROPN":
            return False
        best = 0
        for row, alt in cands:
            p = self.gaz.place(row)
            if alt:
                continue
            if p.kind in (COUNTRY, REGION, CONTINENT, ADMIN1, CAPITAL):
                return True
            best = max(best, p.population)
        return best >= settings.GEO_MIN_UNTAGGED_POPULATION

    def inner(self, span: Span) -> tuple[Span, Candidates] | None:
        """The longest sub-span of a multi-word name the gazetteer knows ("Lusaka" in "Lusaka airport")."""
        if span[0].lower_ in self.words.directions and len(span) > 1:  # "East Texas", "Northern Chile"
            sub = span[1:]
            cands = self.lookup(sub.text)
            if cands and self.strong(sub, cands):
                return span, cands
        for n in range(len(span) - 1, 0, -1):
            sub = span[:n]  # the place comes first: "Lusaka airport", "Dundee Hospital"
            if not all(self.capitalised(x) for x in sub) or self.generic(sub):
                continue
            cands = self.lookup(sub.text)
            if cands and self.strong(sub, cands):
                return sub, cands
        return None

    def dropped(self, span: Span) -> str | None:
        """Why a name is no place mention here: it stands for an actor ("actor"), or (in literal mode) for
        whose something is ("modifier"); None when it is one."""
        why = nonliteral(span, self.words)
        return why if why == "actor" or (why == "modifier" and self.literal_only) else None

    def capitalised(self, t: Token) -> bool:
        return t.is_alpha and t.text[:1].isupper() or t.text in self.words.dotted_abbreviations_cased

    def place_word(self, t: Token) -> bool:
        """A word that continues a place name into a bigger or smaller place ("Kano State", "Harlow
        Street")."""
        w = t.lower_.rstrip(".")
        words = self.words
        return (w in words.street_words or w in words.facility_heads or w in words.place_nouns
                or w in words.admin_words)

    def name_end(self, j: int, max_words: int = 4) -> int:
        """End of the capitalised name starting at token j: "Tal Qarnab", "Dayr Al-Hanna", "Ras
        al-Wadi"."""
        doc, taken = self.doc, self.taken
        k, n_words = j, 0
        if (j + 2 < len(doc) and doc[j].lower_ in self.words.name_particles and doc[j + 1].text == "-"
                and not doc[j].whitespace_ and not doc[j + 1].whitespace_ and self.capitalised(doc[j + 2])
                and not taken[j + 1] and not taken[j + 2]):
            k = j + 2  # "al-Khums", "as-Sib": a name may begin with its article
        while k < len(doc) and n_words < max_words and not taken[k]:
            t = doc[k]
            if self.capitalised(t):
                k, n_words = k + 1, n_words + 1
            elif (t.text in ("-", "'", "\u2019") and k > j and not doc[k - 1].whitespace_
                  and not t.whitespace_ and k + 1 < len(doc) and doc[k + 1].is_alpha and not taken[k + 1]):
                k += 2  # "Al-Hanna", "Na'iri": one word
                n_words += 1
            elif (t.lower_ in self.words.name_particles and k > j and not t.whitespace_ and k + 1 < len(doc)
                  and doc[k + 1].text == "-"):
                k += 1  # "Ras al-Wadi"
            else:
                break
        while k > j and not self.capitalised(doc[k - 1]) and not doc[k - 1].is_alpha:
            k -= 1
        return k

    def compound_start(self, head: Token) -> int:
        """The first token of the capitalised compound name ending at ``head`` ("Kafr" of "Kafr Nabl")."""
        j = head.i
        doc = self.doc
        while (j > 0 and doc[j - 1].dep_ == "compound" and doc[j - 1].head.i == head.i
               and self.capitalised(doc[j - 1])):
            j -= 1
        return j


def nonliteral(span: Span, words: GeoWords) -> str | None:
    """Why a place name is not a literal place here, or None.

    "actor": used for its government, people or team (subject of an agentive verb, partner of
    "with"/"against"); "modifier": a modifier, possessor or object of a non-motion verb ("Chilean
    officials", "Chad's militias", "urged Japan"): not a place in a list of places, but it may still place an
    event ("a Kigali hotel was destroyed")."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ == "based":
        return None  # "a Leeds-based charity": where it is
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:  # "in Spain, Italy and Cyprus": as the first one
        root = root.head
    head = root.head
    if root.dep_ in ("nsubjpass", "dative"):
        return "actor"
    if (root.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX")
            and head.lemma_ not in words.literal_subject_verbs):
        return "actor"
    if root.dep_ == "pobj":
        why = _nonliteral_object(head, words)
        if why is not None:
            return why
    if (root.dep_ == "appos" and head.tag_ == "NNS" and head.lemma_.lower() in words.member_nouns):
        return "modifier"  # "three Nordic states - Norway, Finland and Iceland -": countries as actors
    if root.dep_ in ("dobj", "obj") and head.pos_ == "VERB" and head.lemma_ not in words.literal_object_verbs:
        return "modifier"
    modifier = (root.dep_ in ("compound", "amod", "nmod") and head.pos_ in ("NOUN", "PROPN")
                and head.i > root.i)
    possessor = root.dep_ == "poss" or any(t.tag_ == "POS" for t in span.doc[span.end:span.end + 1])
    if ((modifier or possessor) and head.ent_type_ not in PLACE_LABELS
            and not _site_head(head, words)):
        return "modifier"
    return None


def _site_head(head: Token, words: GeoWords) -> bool:
    """Does a place modifying ``head`` say where it is ("Mali's north", "a Mombasa court", "the Lagos office")
    rather than whose ("Ghanaian officials")? The noun, or the last noun of its compound ("the Lagos bus
    station"), names a part of the place or a site in it."""
    lemma = head.lemma_.lower()
    # ("patrolled Lusaka Saturday": a date the parser hung the name on says nothing of whose)
    return (lemma in words.part_nouns or lemma in words.site_nouns or head.lower_ in words.site_nouns
            or head.lower_ in words.date_words)


def _nonliteral_object(prep: Token, words: GeoWords) -> str | None:
    """Why the object of the preposition ``prep`` is not a literal place, or None (see :func:`nonliteral`)."""
    above = prep.head.lemma_.lower()
    # but "the frontier with Chad", "left for Lima" are places
    to_a_place = ((prep.lower_ == "with" and above in words.boundary_nouns)
                  or (prep.lower_ == "for" and above in words.departure_verbs))
    if prep.lower_ in words.actor_prepositions and not to_a_place:
        return "actor"
    if prep.lower_ == "of" and above in words.of_actor_nouns:
        return "modifier"
    if prep.lower_ == "between" and above in words.relation_nouns:
        return "actor"  # "relations between Quito and Lima"
    if prep.lower_ == "to" and above in words.to_actor_heads:
        return "actor"  # "sold rifles to Ghana", "a defeat to Leicester"
    if prep.lower_ == "on" and above in words.on_actor_heads:
        return "actor"  # "blamed on Uganda", "pressure on Belarus"
    if prep.lower_ == "from" and above in words.from_actor_heads:
        return "actor"  # "approval from Brussels", "independent from Portugal"
    return None


def _dateline(span: Span) -> bool:
    """ "WASHINGTON (Reuters) -": where the story was filed, not a place of the story."""
    text = span.text
    before = doc_text(span.doc)[max(0, span.start_char - 2):span.start_char]
    return text.isupper() and len(text) > 3 and (span.start_char == 0 or "\n" in before)


# ---------------------------------------------------------------- the recognisers, in the order they run
def tagged_places(scan: Scan) -> None:
    """Places the model tagged (GPE, LOC, FAC), leading articles trimmed. One standing for an actor, a lone
    generic word or a dateline is set aside; an unknown multi-word name falls back on its longest part the
    gazetteer knows ("Lusaka" of "Lusaka airport", a point when the model called it a facility)."""
    doc, words = scan.doc, scan.words
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        span = _trim(ent, words)
        why = scan.dropped(span) or ("dateline" if _dateline(span) else None)
        if why or scan.generic(span):
            scan.set_aside(span, why, ent.label_)
            continue
        m = scan.mention(span, scan.lookup(span.text), ent.label_)
        if not m.cands and len(span) > 1:
            inner = scan.inner(span)
            if inner is not None:
                sub, cands = inner
                m = scan.mention(sub, cands, ent.label_)
                if span[-1].lower_ in words.facility_heads:
                    m.feature_override = "point" if ent.label_ == "FAC" else None
        if scan.literal_only and not m.cands and len(span) == 1 and _unplaced_lone_name(span, words):
            # A lone name the gazetteer does not know, not after "in"/"at"...: a person or an organisation far
            # more often than a village ("Okafor said", a coined brand name).
            scan.taken[span.start] = True
            continue
        scan.add(m, span)


def _trim(ent: Span, words: GeoWords) -> Span:
    """An entity without its leading article and trailing day or month ("Lusaka Saturday": the model's span
    often runs on into the date)."""
    span = ent
    while len(span) > 1 and span[0].lower_ in words.articles:
        span = span[1:]
    while len(span) > 1 and span[-1].lower_.rstrip(".") in words.date_words:
        span = span[:-1]
    return span


def other_entities(scan: Scan) -> None:
    """A country, region, capital or large city the model tagged as a person, an organisation or a group
    ("patrolled Maputo", "the Accra home", "in the capital Lusaka"): the whole entity (its trailing date
    aside) must be the place's name, not part of a longer name ("Paris Hilton"), and no title may precede it
    ("Mr Jackson"). Standing for an actor, it is set aside like any place name."""
    doc, words = scan.doc, scan.words
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "NORP"):
            continue
        span = _trim(ent, words)
        if any(scan.taken[t.i] for t in span) or not all(scan.capitalised(t) for t in span):
            continue
        if span.start > 0 and (doc[span.start - 1].lower_.rstrip(".") in words.person_titles
                               or scan.capitalised(doc[span.start - 1]) and not doc[span.start - 1].is_sent_start):
            continue
        if ent.label_ == "NORP" and scan.demonym_country(span.text) is not None:
            continue
        cands = scan.lookup(span.text)
        if not cands or scan.generic(span) or not scan.strong(span, cands):
            continue
        why = scan.dropped(span)
        if why is not None:
            scan.set_aside(span, why, "ENT")
            continue
        scan.add(scan.mention(span, cands, "ENT"), span)


def _unplaced_lone_name(span: Span, words: GeoWords) -> bool:
    """A one-word name not introduced by a locative preposition, or an acronym."""
    after_prep = span.root.dep_ == "pobj" and span.root.head.lower_ in words.guide_prepositions
    return not after_prep or (span.text.isupper() and len(span.text) > 1)


def names_after_prepositions(scan: Scan) -> None:
    """ "in Thornbury", "at Pelham", "in western Darfur": after a locative preposition (or "the town
    of"), a capitalised name the gazetteer knows is a place whatever the model tagged it (it often calls small
    towns ORG/PERSON); so is "the West" after "in the"; an unknown name there is kept where events are
    placed."""
    doc, words = scan.doc, scan.words
    for t in doc:
        before = doc[t.i - 1].lemma_.lower() if t.i > 0 and t.lower_ == "of" else ""
        place_of = before in words.place_nouns
        # "the slums of Lima", "the outskirts of Kano": a site of a place (only a known name)
        site_of = not place_of and (before in words.site_nouns or before in words.part_nouns)
        if (t.lower_ not in words.guide_prepositions or t.dep_ != "prep") and not (place_of or site_of):
            continue
        j = t.i + 1
        while j < len(doc) and (doc[j].lower_ == "the" or doc[j].lower_ in words.directions):
            j += 1
        k = scan.name_end(j)
        if k == j or any(scan.taken[x] for x in range(j, k)):
            continue
        if doc[k - 1].ent_type_ and k < len(doc) and doc[k].ent_iob_ == "I":
            continue  # the model's entity goes on past the name: "in Simon Bolivar's ..."
        if t.lower_ == "to" and t.i > 0 and doc[t.i - 1].lower_ == "according":
            continue  # "according to Davis": a source, not a place
        if not _known_name_after(scan, t, j, k) and not site_of:
            _unknown_name_after(scan, t, doc[j:k], place_of)


def _known_name_after(scan: Scan, prep: Token, j: int, k: int) -> bool:
    """Record the longest known place among the first words of doc[j:k] (or a region "the West"); whether one
    was found."""
    doc, words = scan.doc, scan.words
    for n in range(k - j, 0, -1):
        span = doc[j:j + n]
        if not scan.capitalised(span[-1]):
            continue
        cands = scan.lookup(span.text)
        if cands and n < k - j and not scan.place_word(doc[j + n]):
            return False  # "from Sydney Harcourt", "at Dundee Petroleum": part of a longer name
        if (scan.generic(span) and n == k - j and j > 0 and doc[j - 1].lower_ == "the"
                and prep.lower_ in words.region_prepositions
                and span[0].lower_ not in words.not_region_words):
            # "in the West", "across the Gulf", "up in the Highlands": a region the article has in mind
            scan.found.append(scan.mention(span, [], "PREP"))
            scan.taken[span.start] = True
            return True
        if cands and not scan.generic(span):
            scan.add(scan.mention(span, cands, "PREP"), span)
            return True
    return False


def _unknown_name_after(scan: Scan, prep: Token, span: Span, place_of: bool) -> None:
    """Unknown to the gazetteer ("near Tal Qarnab"): kept only where events are placed, since a name after
    "in" is a place far more often than not, but its coordinates are unknown."""
    if scan.literal_only:
        return
    doc = scan.doc
    owner = span.end < len(doc) and doc[span.end].tag_ == "POS"  # "outside Petrobras's refinery": an owner
    locative = prep.lower_ in scan.words.strong_locative_prepositions or place_of
    if owner or not locative or scan.generic(span):
        return
    if any(x.ent_type_ in UNPLACE_LABELS - {"PERSON"} or x.lower_ in scan.words.generic_words for x in span):
        return
    scan.add(scan.mention(span, [], "PREP?"), span)


def names_before_area_nouns(scan: Scan) -> None:
    """ "the Kibera neighborhood", "Kitgum district", "Ras Tanura city", "the Oakwood area": a capitalised name
    before a word for a populated place or a division of one names that place, whatever the model tagged it
    (it often calls such villages ORG or PERSON). A name the gazetteer lacks is kept where events are placed;
    in a list of places only a known one (the name alone is the place, with its coordinates)."""
    doc, words = scan.doc, scan.words
    for t in doc:
        if t.lemma_.lower() not in words.area_nouns or not t.is_lower or scan.taken[t.i]:
            continue
        names = [c for c in t.children if c.dep_ == "compound" and c.i < t.i and scan.capitalised(c)]
        if not names:
            continue
        end = t.i
        while end > 0 and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i == t.i and (
                not scan.capitalised(doc[end - 1])):
            end -= 1  # "the Kibera shopping district": the name ends before the common nouns
        start = end
        while (start > 0 and end - start < 4 and not scan.taken[start - 1]
               and (scan.capitalised(doc[start - 1]) or (
                   doc[start - 1].text in ("-", "'", "\u2019") and start - 1 > 0 and not doc[start - 1].whitespace_
                   and scan.capitalised(doc[start - 2])) or doc[start - 1].lower_ in words.name_particles)
               and doc[start - 1].ent_type_ not in UNPLACE_LABELS - {"PERSON"}):
            start -= 1
        while start < end and (doc[start].lower_ in words.name_particles or not doc[start].is_alpha):
            start += 1
        if start == end or any(scan.taken[x] for x in range(start, end)):
            continue
        span = doc[start:end]
        if span[0].is_sent_start and len(span) == 1 and span[0].pos_ != "PROPN":
            continue
        if scan.generic(span) or (len(span) == 1 and span[0].lower_ in words.directions):
            continue
        cands = scan.lookup(span.text)
        if not cands and span.text.endswith("s") and len(span) == 1 and t.lemma_ != t.lower_:
            continue  # "the Kurds areas"
        if cands:
            scan.add(scan.mention(span, cands, "AREA"), span)
        elif not scan.literal_only:
            scan.add(scan.mention(span, [], "PREP?"), span)


def kind_hint(noun: str, words: GeoWords) -> int | None:
    """The kind of place a word for one says ("the province of X": a first-level region; "X town": a city)."""
    if noun in words.admin2_nouns:
        return ADMIN2
    if noun in words.region_name_words:
        return ADMIN1
    if noun in words.settlement_nouns:
        return CITY
    return None


def road_numbers(scan: Scan) -> None:
    """ "a pile-up on the B4051", "along the A361, A44 and B4035": British road numbers."""
    doc = scan.doc
    for t in doc:
        if scan.taken[t.i] or not _ROAD_NUMBER.match(t.text):
            continue
        listed = t.dep_ == "conj" and _ROAD_NUMBER.match(t.head.text) is not None
        if (t.i > 0 and doc[t.i - 1].lower_ == "the") or listed:
            scan.add(Mention(t.idx, t.idx + len(t.text), t.text, [], "ROAD"), [t])


def objects_of_place_verbs(scan: Scan) -> None:
    """ "stormed Koundou", "Rutana was captured": the object of a verb acting on places is a place (only
    where events are placed; the model tags many such towns ORG or PERSON, so the gazetteer must know
    those)."""
    if scan.literal_only:
        return
    doc = scan.doc
    for t in doc:
        if (t.dep_ not in ("dobj", "obj", "nsubjpass") or scan.taken[t.i] or not scan.capitalised(t)
                or t.pos_ != "PROPN" or t.head.lemma_.lower() not in scan.words.literal_object_verbs):
            continue
        span = doc[scan.compound_start(t):t.i + 1]
        if any(scan.taken[x.i] for x in span) or scan.generic(span) or span[0].is_sent_start:
            continue
        cands = scan.lookup(span.text)
        if not cands and any(x.ent_type_ and x.ent_type_ not in PLACE_LABELS for x in span):
            continue
        scan.add(scan.mention(span, cands, "OBJ" if cands else "PREP?"), span)


def facility_names(scan: Scan) -> None:
    """ "Mercer Street", "Harrogate General Hospital": a capitalised name ending in a street or facility word
    is a point (the gazetteer rarely has it: the article's main city stands in for its coordinates)."""
    doc, words = scan.doc, scan.words
    for t in doc:
        if t.lower_.rstrip(".") not in words.street_words or not scan.capitalised(t) or scan.taken[t.i]:
            continue
        # The model often calls "Calloway Drive" or "Eastfield Memorial Hospital" an ORG or a PERSON: a road
        # word ending that entity, or a facility word when the name follows "in/at/near...", overrides it.
        ends_entity = bool(t.ent_type_) and (t.i + 1 == len(doc) or doc[t.i + 1].ent_iob_ != "I")
        locative = t.dep_ == "pobj" and t.head.lower_ in words.guide_prepositions
        overrides = ends_entity and t.ent_type_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART") and (
            t.lower_.rstrip(".") in words.road_words or locative)
        j = t.i
        while (j > 0 and scan.capitalised(doc[j - 1]) and not scan.taken[j - 1] and t.i - j < 4
               and (not scan.blocked[j - 1] or (overrides and doc[j - 1].ent_type_ == t.ent_type_))):
            j -= 1
        # (is_sent_start, not .sent: Token.sent walks the doc's sentences on every call)
        if j == t.i or (bool(doc[j].is_sent_start) and t.i - j == 1 and doc[j].pos_ != "PROPN"):
            continue
        span = doc[j:t.i + 1]
        scan.add(scan.mention(span, scan.lookup(span.text), "FAC"), span)


def known_names(scan: Scan) -> None:
    """Capitalised sequences the model missed but the gazetteer knows as a large or well-known place (longest
    match first)."""
    doc = scan.doc
    taken, blocked = scan.taken, scan.blocked
    i = 0
    while i < len(doc):
        t = doc[i]
        if taken[t.i] or blocked[t.i] or not scan.capitalised(t):
            i += 1
            continue
        hit = None
        for n in range(min(4, len(doc) - i), 0, -1):
            span = doc[i:i + n]
            if any(taken[x.i] or blocked[x.i] or not scan.capitalised(x) for x in span):
                continue
            cands = scan.lookup(span.text)
            if cands and not scan.generic(span) and scan.strong(span, cands):
                hit = (span, cands)
                break
        if hit is not None and hit[0].end < len(doc):
            nxt = doc[hit[0].end]
            if (scan.capitalised(nxt) and not nxt.is_sent_start and not blocked[nxt.i]
                    and not scan.place_word(nxt)):
                hit = None  # "Florence Okoye", "Jersey Telecom": a longer name begins with a place name
        if hit is None:
            i += 1
            continue
        span, cands = hit
        why = scan.dropped(span)
        if why is None:
            scan.found.append(scan.mention(span, cands, "GAZ"))
            scan.take(span)
        else:
            scan.set_aside(span, why, "GAZ")
        i = span.end


def demonym_territories(scan: Scan) -> None:
    """ "on Kenyan soil": a demonym before a territory noun names the territory of its country (country
    precision); a continent's adjective its continent ("the European mainland"). Takes no token."""
    gaz = scan.gaz
    for t in scan.doc:
        if (scan.taken[t.i] or t.head.lemma_.lower() not in scan.words.territory_nouns
                or t.dep_ not in ("amod", "compound")):
            continue
        iso3 = scan.demonym_country(t.text)
        row = gaz.country_row(iso3) if iso3 else None
        continents = scan.continents()
        if row is None and t.lower_ in continents:
            row = next((r for r, _ in gaz.lookup(continents[t.lower_]) if gaz.place(r).kind == CONTINENT),
                       None)
        if row is not None:
            scan.found.append(Mention(t.idx, t.idx + len(t.text), t.text, [(row, False)], "DEMONYM",
                                      fixed=gaz.place(row)))


def demonym_words(scan: Scan) -> None:
    """ "the Iranian delegation", "French diplomats": with ``keep_nonliteral``, a demonym is a mention of type
    demonym, resolved to its country (it names no place, so literal lists leave it out)."""
    if not scan.keep_nonliteral:
        return
    gaz = scan.gaz
    for t in scan.doc:
        if scan.taken[t.i] or not scan.capitalised(t) or t.pos_ not in ("ADJ", "PROPN", "NOUN"):
            continue
        iso3 = scan.demonym_country(t.text)
        row = gaz.country_row(iso3) if iso3 else None
        if row is None or any(m.start <= t.idx < m.end for m in scan.found):
            continue
        scan.found.append(Mention(t.idx, t.idx + len(t.text), t.text, [(row, False)], "DEMONYM",
                                  fixed=gaz.place(row), type="demonym"))
        scan.taken[t.i] = True


def conjuncts(scan: Scan) -> None:
    """ "in Tartu, Narva, Parnu and Viljandi": names coordinated with a place found so far are places too,
    whatever their size or the model's tag (it often calls the last ones PERSON or ORG), if the gazetteer
    knows them."""
    doc = scan.doc
    for m in list(scan.found):  # the places found before this recogniser, not the conjuncts it adds
        if m.label in ("PREP?", "DEMONYM"):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for c in span.root.conjuncts:
            if scan.taken[c.i] or not scan.capitalised(c) or c.ent_type_ in UNPLACE_LABELS - {"PERSON"}:
                continue
            j = scan.compound_start(c)
            name = doc[j:c.i + 1]
            if any(scan.taken[x.i] for x in name) or scan.generic(name):
                continue
            if doc[j].ent_iob_ == "I" or (c.i + 1 < len(doc) and doc[c.i + 1].ent_iob_ == "I"):
                continue  # the model's entity goes on past the name: "Italy Inc", "Mr Paris Hilton"
            cands = scan.lookup(name.text)
            if not cands:
                continue
            why = scan.dropped(name)
            if why is not None:
                scan.set_aside(name, why, "CONJ")
                continue
            scan.add(scan.mention(name, cands, "CONJ"), name)


Recogniser = Callable[[Scan], None]
# The order matters: a token a recogniser takes is not looked at by the ones after it.
RECOGNISERS: tuple[Recogniser, ...] = (
    tagged_places,
    other_entities,
    names_after_prepositions,
    names_before_area_nouns,
    road_numbers,
    objects_of_place_verbs,
    facility_names,
    known_names,
    demonym_territories,
    conjuncts,
    demonym_words,
)


# ---------------------------------------------------------------- after recognition
def hint_kinds(doc: Doc, mentions: list[Mention], words: GeoWords) -> None:
    """ "the province of X", "X village", "X County": the kind of place the word around a name says
    (``kind_hint``), whichever recogniser found it."""
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.i > 0:
            m.kind_hint = kind_hint(doc[root.head.i - 1].lemma_.lower(), words)
        elif span.end < len(doc) and doc[span.end].is_lower:
            m.kind_hint = kind_hint(doc[span.end].lemma_.lower(), words)


def restrict_appositions(gaz: Gazetteer, doc: Doc, mentions: list[Mention]) -> None:
    """ "Paris, Texas": a name followed by ", Region" is looked for inside that region (``within``)."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        between = doc_text(doc)[a.end:b.start]
        if between.strip() != ",":
            continue
        areas: set[str] = set()
        for row, _alt in b.cands:
            p = gaz.place(row)
            if p.kind == ADMIN1 and p.admin1:
                areas.add(p.admin1)
            elif p.kind == COUNTRY and p.country2:
                areas.add(p.country2)
        if any(gaz.place(row).admin1 in areas or gaz.place(row).country2 in areas for row, _ in a.cands):
            a.within = areas


@lru_cache(maxsize=4)
def dateline_pattern(words: GeoWords) -> re.Pattern[str]:
    """An upper-case place (", Region" optional) before an agency's credit "(AP)", a dash or a date. A credit
    may name the agency among other capitalised words: an agency's service or owner ("(Reuters Health)")."""
    agencies = "|".join(re.escape(a) for a in sorted(words.news_agencies_cased))
    credit = rf"(?:[A-Z][A-Za-z]+ )*(?:{agencies})(?: [A-Z][A-Za-z]+)*"
    months = "|".join(re.escape(form) for month in sorted(words.dateline_months)
                      for form in (month.title(), month.upper()))
    return re.compile(
        r"(?<![\w,])(?:\(|By\s+)?([A-Z][A-Z.'&]+(?:\s+[A-Z][A-Z.'&]+){0,3}"
        r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2})?)"
        rf"\)?,*\s*(?=\((?:{credit}|[A-Z][A-Za-z]+ ?[A-Za-z]* ?News)\)"

        rf"|[\u2014\u2013]|--?\s|(?:{months})[a-zA-Z]*\.?\s+\d)"
    )


def datelines(text: str, words: GeoWords) -> list[tuple[int, int]]:
    """Char ranges of datelines: "FRESNO, Calif. (AP) -" is where the story was filed, not a place of it."""

    out = []
    for m in dateline_pattern(words).finditer(text):
        city = m.group(1).split(",")[0]
        if sum(c.isalpha() for c in city) >= 3 and city.upper() == city:
            out.append((m.start(1), m.end(1)))
    return out


def not_named_actors(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Drop names an earlier stage annotated as an organisation or a person (``doc.spans["actors"]``, when the
    coder ran the actor stage): "Hamas" is not the German town a gazetteer alias points to."""
    names = [(s.start_char, s.end_char) for s in doc.spans.get("actors", []) if s.label_ in ("org", "person")]
    if not names:
        return mentions
    return [m for m in mentions if not any(lo <= m.start and m.end <= hi for lo, hi in names)]
