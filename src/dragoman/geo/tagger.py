"""Place recognition and resolution (``PlaceTagger.find``) and event location
(``PlaceTagger.event_location``).

Recognition (the recognisers of :mod:`dragoman.geo.recognisers`, in order): spaCy's GPE/LOC/FAC entities, plus
capitalised name sequences the gazetteer knows (the small model misses many): after a locative preposition or
"the town of", coordinated with a known place, ending in a road or facility word, or "X-based"; less
metonymic uses by syntactic role ("Peru said", "relations between Quito and Lima", "sold rifles to Ghana",
"the people of Malawi": an actor, not a place), datelines ("FRESNO, Calif. (AP) -"), acronyms that only look
like towns ("EU", "NATO") and demonyms ("Iranian" is not a place; "on Kenyan soil", "the Danish islands" name
the country's territory, country precision).

Event location: a place attached to the trigger or its arguments by a locative preposition or as a modifier,
else one in the trigger's clause, else a locative adjunct elsewhere in the sentence ("In Mopti, ... said
bandits killed"); never a place that fills the event's source/target slot ("Turkey accused Greece"), unless
the verb acts on places ("shelled Kidal"). Among attached places the most specific wins (an unknown village
before its city).

Resolution: every gazetteer row a name can mean gets a prior (log population plus a bonus by kind: countries
and capitals are what news usually means) and context bonuses: the article's countries (from its other places
and from the caller's actors), a "City, Region" apposition, and the region of another place of the article. So
"Washington" in an article about Iraq policy is the US capital, "Georgia" beside Tbilisi is the country, and
"Paris" beside Dallas is in Texas.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from dragoman import settings
from dragoman.geo.distance import haversine_km
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
    continent_adjectives,
    demonyms,
    load_gazetteer,
    normalize,
    stop_names,
)
from dragoman.geo.recognisers import (
    RECOGNISERS,
    Mention,
    Scan,
    datelines,
    hint_kinds,
    not_named_actors,
    restrict_appositions,
)
from dragoman.geo.words import GeoWords, load_geo_words
from dragoman.model import PRECISION_RANK, Location, Toponym
from dragoman.nlp import doc_text

# The prior of a reading: log population plus a bonus by kind (news mostly means countries and capitals).
KIND_BONUS = {CITY: settings.GEO_KIND_PRIOR["city"], CAPITAL: settings.GEO_KIND_PRIOR["capital"],
              ADMIN1: settings.GEO_KIND_PRIOR["admin1"], COUNTRY: settings.GEO_KIND_PRIOR["country"],
              REGION: settings.GEO_KIND_PRIOR["region"], CONTINENT: settings.GEO_KIND_PRIOR["continent"],
              ADMIN2: settings.GEO_KIND_PRIOR["admin2"]}


class PlaceTagger:
    """Finds toponyms in parsed text and resolves them; loads the gazetteer once, lazily."""

    def __init__(self, gazetteer: Gazetteer | None = None, words: GeoWords | None = None) -> None:
        self._gaz = gazetteer
        self.words = words or load_geo_words()
        self._demonyms: dict[str, str] | None = None
        self._continents: dict[str, str] | None = None
        self._last_doc: Doc | None = None
        self._canonical: dict[int, str] = {}  # geonameid -> gazetteer name, for Location.name
        self._last_mentions: list[Mention] = []
        self._stop_names: frozenset[str] | None = None
        self._dateline_doc: Doc | None = None
        self._dateline: tuple[Toponym, int] | None = None

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

    def _continent_adjectives(self) -> dict[str, str]:
        if self._continents is None:
            self._continents = continent_adjectives()
        return self._continents

    def _mentions(self, doc: Doc, literal_only: bool = True, keep_nonliteral: bool = False) -> list[Mention]:
        """Place mentions of a doc in text order: what the recognisers find, each in turn
        (``literal_only=False`` keeps modifiers, "a Kigali hotel", and names the gazetteer lacks, for
        placing events; ``keep_nonliteral`` keeps metonyms, modifiers, demonyms and datelines with their
        type)."""
        scan = Scan(doc, self.gazetteer, self.words, literal_only, self._demonym_country,
                    self._continent_adjectives, keep_nonliteral=keep_nonliteral, stop_names=self.stop_names)
        for recognise in RECOGNISERS:
            recognise(scan)
        mentions = sorted(scan.found, key=lambda m: m.start)
        restrict_appositions(self.gazetteer, doc, mentions)
        _link_coordinated(doc, mentions)
        hint_kinds(doc, mentions, self.words)
        if literal_only:  # "FRESNO, Calif. (AP) -": where the story was filed, not a place of the story
            lines = datelines(doc_text(doc), self.words)
            for m in mentions:
                if any(a < m.end and m.start < b for a, b in lines):
                    m.type = "dateline"
            if not keep_nonliteral:
                mentions = [m for m in mentions if m.type == "literal"]
        return mentions

    @property
    def stop_names(self) -> frozenset[str]:
        if self._stop_names is None:
            self._stop_names = stop_names()
        return self._stop_names

    # ------------------------------------------------------------ resolution
    def _prior(self, p: Place, alt: bool) -> float:
        s = math.log10(p.population + 10) + KIND_BONUS[p.kind]
        return s - (settings.GEO_ALT_NAME_PENALTY if alt else 0.0)

    def find(self, doc: Doc, article_id: str, offset: int = 0, context_countries: Iterable[str] = (),
             all_types: bool = False) -> list[Toponym]:
        """Literal toponyms of a parsed chunk, with article offsets (``offset`` = the chunk's start in the
        article); ``all_types`` adds the names used otherwise (metonyms, modifiers, demonyms, datelines), each
        with its ``type``. Only literal toponyms and datelines inform the resolution of the others."""
        mentions = not_named_actors(doc, self._mentions(doc, keep_nonliteral=all_types))
        return self._resolve(mentions, article_id, offset, Counter(c for c in context_countries if c))

    def _resolve(self, mentions: list[Mention], article_id: str, offset: int, ctx_given: Counter,
                 extra_points: Iterable[Place] = ()) -> list[Toponym]:
        """Toponyms of the mentions, each resolved in two passes: by its prior alone, then with what the
        other mentions' first readings say about the article (its countries, regions and cities)."""
        first: list[Place | None] = [self._choose(m, Counter(ctx_given), set(), []) for m in mentions]
        chosen: list[Place | None] = []
        for k, m in enumerate(mentions):
            if m.fixed is not None:
                chosen.append(m.fixed)
                continue
            ctx, areas, points = _article_context(k, mentions, first, ctx_given, extra_points)
            chosen.append(self._choose(m, ctx, areas, points, _sibling_kind(m, mentions, first)))
        focus = _focus([p for m, p in zip(mentions, chosen, strict=True) if m.type == "literal"])
        out: list[Toponym] = []
        for m, p in zip(mentions, chosen, strict=True):
            toponym = self._toponym(m, p, focus, article_id, offset)
            if toponym is not None:
                out.append(toponym)
        return out

    def _toponym(self, m: Mention, p: Place | None, focus: Place | None, article_id: str,
                 offset: int) -> Toponym | None:
        """The toponym of a mention resolved to ``p`` (None: the gazetteer has no reading for it)."""
        start, end = m.start + offset, m.end + offset
        if p is None:
            if m.label == "GAZ":
                return None
            if m.label == "PREP?":
                return Toponym(article_id, start, end, m.text, type=m.type)  # type: ignore[arg-type]
            # A name the gazetteer lacks (a street, a village): the article's main city is the best guess.
            return Toponym(article_id, start, end, m.text, None, focus.lat if focus else None,
                           focus.lon if focus else None, focus.country3 if focus else None,
                           "city" if focus else None, m.type)  # type: ignore[arg-type]
        feature = m.feature_override or p.feature
        if p.geonameid:
            self._canonical[p.geonameid] = p.name
        return Toponym(article_id, start, end, m.text, p.geonameid, p.lat, p.lon, p.country3,
                       feature, m.type, admin1=p.admin1)  # type: ignore[arg-type]

    def _choose(self, m: Mention, ctx: Counter, areas: set[str], points: list[Place],
                sibling_kind: int | None = None) -> Place | None:
        if m.fixed is not None:
            return m.fixed
        if not m.cands:
            return None
        g = self.gazetteer
        total = sum(ctx.values()) or 1
        best, best_s = None, -1e9
        places = [(g.place(row), alt) for row, alt in m.cands]
        # "New York", "Baghdad": a city named like the region it lies in is what a bare name means.
        city_areas = {p.admin1 for p, _ in places if p.kind in (CITY, CAPITAL)
                      and p.population >= settings.GEO_CITY_LIKE_REGION_POPULATION}
        said_region = m.text.split()[-1].lower() in self.words.region_name_words
        hint = m.kind_hint if m.kind_hint is not None else sibling_kind
        for p, alt in places:
            s = self._prior(p, alt)
            if hint is not None and (p.kind == hint or (hint == CITY and p.kind == CAPITAL)):
                # "the province of Limpopo", "states such as Ohio or Washington": the kind the text says
                s += settings.GEO_KIND_HINT_BONUS
            if p.kind == ADMIN1 and p.admin1 in city_areas and not said_region:
                s -= settings.GEO_REGION_NAMED_LIKE_CITY_COST
            if m.within is not None and (p.admin1 in m.within or p.country2 in m.within):
                s += settings.GEO_WITHIN_BONUS
            if p.country3 and ctx:
                s += settings.GEO_CONTEXT_WEIGHT * ctx.get(p.country3, 0) / total
                if ctx.get(p.country3, 0) == 0:
                    s -= settings.GEO_FOREIGN_PENALTY
            if p.admin1 and p.kind in (CITY, CAPITAL) and p.admin1 in areas:
                s += settings.GEO_SAME_REGION_BONUS
            if points and p.kind in (CITY, CAPITAL) and any(haversine_km(p.lat, p.lon, q.lat, q.lon)
                                                            < settings.GEO_NEAR_POINT_KM
                                                            for q in points if q.index != p.index):
                s += settings.GEO_NEAR_POINT_BONUS
            if s > best_s:
                best, best_s = p, s
        return best

    # ------------------------------------------------------------ event location
    def _doc_mentions(self, doc: Doc) -> list[Mention]:
        """All place mentions of a doc, modifiers included (cached for the last doc: events come in doc order)."""
        if self._last_doc is not doc:
            self._last_doc, self._last_mentions = doc, not_named_actors(doc, self._mentions(doc, literal_only=False))
        return self._last_mentions

    def event_location(self, trigger: Token, argument_heads: list[Token], toponyms: list[Toponym],
                       offset: int = 0, speech: bool = False) -> Location | None:
        """The place of an event: one attached to its trigger or arguments, else one in its sentence, else None.
        ``speech``: a verbal act (a statement, demand, criticism, threat), placed only by what is attached to it
        ("said in Ankara"); the places of what it is about are not where it was said."""
        best = self.event_toponym(trigger, argument_heads, toponyms, offset, speech)
        if best is None:
            return None
        name = self._canonical.get(best.geonameid, best.name) if best.geonameid else best.name
        return Location(name=name, country=best.country, lat=best.lat, lon=best.lon,
                        geonameid=best.geonameid, precision=best.feature or "city", text=best.name,
                        admin1=best.admin1)

    def event_toponym(self, trigger: Token, argument_heads: list[Token], toponyms: list[Toponym],
                      offset: int = 0, speech: bool = False) -> Toponym | None:
        """The toponym ``event_location`` builds its answer from (evaluation needs its span)."""
        best = self._own_toponym(trigger, argument_heads, toponyms, offset, speech)
        if best is None:
            # "DAMASCUS, Syria (AP) - Shells hit a school on Monday": the lead's events happened where the
            # story was filed unless their sentence says where
            best = self._dateline_toponym(trigger, offset)
        return best

    def _own_toponym(self, trigger: Token, argument_heads: list[Token], toponyms: list[Toponym],
                     offset: int, speech: bool = False) -> Toponym | None:
        """The best place the event's sentence gives it, or None."""
        in_sent, literal = self._sentence_toponyms(trigger, toponyms, offset)
        if not in_sent:
            return None
        # "was shot and killed near ...": verbs coordinated with the trigger are the same happening.
        own = ({trigger.i} | {a.i for a in argument_heads}
               | {c.i for c in trigger.children if c.dep_ == "conj" and c.pos_ == "VERB"
                  and c.i - trigger.i <= settings.GEO_EVENTLOC_SAME_ACT_GAP})
        if trigger.dep_ == "relcl" and any(c.lower_ == "where" for c in trigger.children):
            own.add(trigger.head.i)  # "in the Kibera neighborhood, where a grenade wounded nine": that place
        anchors = set(own)
        # "A bomber blew himself up in north Iraq, killing six": a participle or coordinated verb shares the
        # place of the verb it hangs from (after a place of its own).
        verb = trigger
        for _ in range(settings.GEO_EVENTLOC_SHARED_LEVELS):  # "..., killing six and wounding ten"
            if verb.dep_ not in settings.GEO_EVENTLOC_SHARED_DEPS or verb.head.pos_ not in ("VERB", "AUX"):
                break
            verb = verb.head
            anchors.add(verb.i)
        ranked: list[tuple[tuple[int, ...], Toponym]] = []
        spans = [trigger.doc.char_span(t.start - offset, t.end - offset, alignment_mode="expand") for t in in_sent]
        roots = [sp.root for sp in spans if sp is not None]
        # what a verbal act says or asks, and of whom, is not where it was made: "told the EU to take back the
        # fighters captured in Mali" was not said in Mali
        content = ({w.i for c in trigger.children if c.dep_ in ("ccomp", "xcomp", "dobj", "dative", "prep")
                    and not (c.dep_ == "prep" and c.lower_ in self.words.strong_locative_prepositions) for w in c.subtree}
                   if speech else set())
        for t, sp in zip(in_sent, spans, strict=True):
            if content and sp is not None and sp.root.i in content:
                continue
            key = self._rank_key(t, id(t) in literal, trigger, anchors, own, offset, roots)
            if key is not None:
                ranked.append((key, t))
        if not ranked:
            return None
        ranked.sort(key=lambda x: x[0])
        key, best = ranked[0]
        if key[0] > settings.GEO_EVENTLOC_MAX_RANK:
            return None
        return best

    def _dateline_toponym(self, trigger: Token, offset: int) -> Toponym | None:
        """The article's dateline place, for an event in one of the lead's first sentences after it."""
        doc = trigger.doc
        if offset != 0:  # only an article's first chunk opens with its dateline
            return None
        if self._dateline_doc is not doc:
            self._dateline_doc, self._dateline = doc, self._find_dateline(doc)
        if self._dateline is None:
            return None
        top, lead_end = self._dateline
        return top if top.end <= trigger.idx and trigger.sent.start_char < lead_end else None

    def _find_dateline(self, doc: Doc) -> tuple[Toponym, int] | None:
        """The dateline place of a doc that opens with one (resolved, type "dateline") and where the lead it
        places ends: the end of its paragraph, or of the sentences ``GEO_DATELINE_LEAD_SENTENCES`` allows."""
        text = doc_text(doc)
        lines = [(a, b) for a, b in datelines(text, self.words) if a <= settings.GEO_DATELINE_MAX_START]
        if not lines:
            return None
        a, b = lines[0]
        found = [m for m in self._mentions(doc, keep_nonliteral=True) if a <= m.start < b and m.cands]
        if not found:
            city = text[a:b].split(",")[0].strip()
            cands = self.gazetteer.lookup(city)
            if not cands:
                return None
            found = [Mention(a, a + len(city), city, cands, "DATELINE", type="dateline")]
        restrict_appositions(self.gazetteer, doc, found)
        tops = self._resolve(found[:2], "", 0, Counter())
        if not tops or tops[0].lat is None:
            return None
        top = replace(tops[0], type="dateline")
        paragraph = text.find("\n\n", b)
        lead_end = len(text) if paragraph < 0 else paragraph
        sentences = [s for s in doc.sents if s.end_char > b][:settings.GEO_DATELINE_LEAD_SENTENCES]
        if sentences:
            lead_end = min(lead_end, sentences[-1].end_char)
        return top, lead_end

    def _sentence_toponyms(self, trigger: Token, toponyms: list[Toponym],
                           offset: int) -> tuple[list[Toponym], set[int]]:
        """The toponyms of the trigger's sentence, and the ids of those that are literal places: places the
        list leaves out as non-literal ("a crowded Kigali hotel") can still place an event."""
        sent = trigger.sent
        lo, hi = sent.start_char + offset, sent.end_char + offset
        in_sent = [t for t in toponyms if lo <= t.start < hi]
        extra = [m for m in self._doc_mentions(trigger.doc) if lo <= m.start + offset < hi
                 and not any(t.start < m.end + offset and m.start + offset < t.end for t in toponyms)]
        literal = {id(t) for t in in_sent}
        if extra:
            ctx = Counter(t.country for t in toponyms if t.country)
            in_sent += self._resolve(extra, toponyms[0].article_id if toponyms else "", offset, ctx)
        return in_sent, literal

    def _rank_key(self, t: Toponym, literal: bool, trigger: Token, anchors: set[int], own: set[int],
                  offset: int, roots: list[Token] = ()) -> tuple[int, ...] | None:  # type: ignore[assignment]
        """How well a toponym places the event (lower is better), or None when it cannot."""
        span = trigger.doc.char_span(t.start - offset, t.end - offset, alignment_mode="expand")
        if span is None:
            return None
        if not _place_role(span.root, trigger, anchors - {trigger.i}, self.words):
            return None  # "Turkey accused Greece", "Washington sanctioned Tehran": an actor, not where
        if _whose_actor(span.root, trigger, anchors, t.feature, self.words):
            return None  # "Kenya's Eliud Kipchoge won", "two skaters of Canada won": whose the actor is
        rank, _steps, reached = _attachment(span.root, anchors, self.words)
        # The trigger's own places first, then its subject's ("police in Ulster patrolled the streets in
        # Belfast"), then those of the verb it hangs from.
        other = 2 if reached not in own else int(reached is not None and _subject_of(trigger.doc[reached], trigger))
        if rank == 1 and _acted_on(span.root, trigger, self.words):
            rank = 0  # "captured Gao", "shelled the town": the place acted on is where
        # "in Nairobi's Eastleigh district", "the London borough of Camden": the place that contains another
        # named with it comes after it
        outer = int(_container(span.root, roots, self.words))
        # A name the gazetteer lacks is most often a village, quarter or site: more specific than a city.
        spec = (PRECISION_RANK.get(t.feature or "city", 1) if t.lat is not None
                else settings.GEO_UNKNOWN_SPECIFICITY)
        # Attached places: the most specific ("Gao in the Mopti Region"), then the first; others: nearest.
        if not literal and span.root.head.lemma_.lower() in self.words.agent_nouns:
            return None  # "a Saudi airstrike", "Chilean troops": whose, not where
        if rank > 1 and settings.GEO_EVENTLOC_SENTENCE_FALLBACK and self._locative(span):
            # "a place stated in the same sentence for it": a locative adjunct elsewhere in it, after any
            # place of the trigger's own clause; the nearest first.
            return (1, 1, 9, 0, abs(span.root.i - trigger.i))
        return (rank, other, spec, outer, span.start) if rank <= 1 else (rank, 1, 0, 0, abs(span.root.i - trigger.i))

    def _locative(self, span: Span) -> bool:
        """A place named as a location: the object of "in/at/near/inside..." (or a conjunct of one), or a
        dateline ("HARARE -")."""
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        return root.dep_ == "pobj" and root.head.lower_ in self.words.strong_locative_prepositions


def _place_role(tok: Token, trigger: Token, args: set[int], words: GeoWords) -> bool:
    """False when a place name fills an actor slot of the event: it is the source or target argument itself (or
    a subject/object/agent of the trigger), unless the verb acts on places ("shelled Kidal", "Rutana was
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
    literal_verb = trigger.lemma_.lower() in words.literal_object_verbs
    return literal_verb and root.dep_ in ("dobj", "obj", "nsubjpass")


def _attachment(tok: Token, anchors: set[int], words: GeoWords) -> tuple[int, int, int | None]:
    """(rank, steps, the anchor reached): 0 = hangs from the trigger or an argument through a preposition or
    as a modifier of them ("in Kigali", "a Kigali hotel"), 1 = otherwise in the trigger's clause, or
    in a clause that only says where or when it happened ("after leaving his Cairo office", "a motorist
    driving through the valley was shot"), 2 = elsewhere."""
    steps = 0
    # A modifier of a subject is whose the agent is ("Chilean troops seized"), not where.

    via = tok.dep_ in ("compound", "amod", "poss", "nmod") and tok.head.dep_ not in ("nsubj", "nsubjpass")
    cur = tok
    seen_verb = scene_verb = False
    while steps <= 12:
        if cur.i in anchors and steps > 0:
            if seen_verb:
                return 2, steps, cur.i
            return (0, steps, cur.i) if via and not scene_verb else (1, steps, cur.i)
        if cur.dep_ == "prep" and cur.lower_ in words.locative_prepositions:
            via = True
        if cur.head.i == cur.i:
            break
        nxt = cur.head
        # ("including" and "following" tagged as verbs are prepositions there)
        if nxt.pos_ in ("VERB", "AUX") and nxt.i not in anchors and nxt.dep_ != "prep":
            if _scene_clause(nxt, words) and not seen_verb:
                scene_verb = True
            else:
                seen_verb = True
        cur = nxt
        steps += 1
    return 2, steps + 10, None


def _scene_clause(verb: Token, words: GeoWords) -> bool:
    """A clause that sets the scene of the verb above it: "after leaving X", "while driving through X", "a
    motorist driving through X" (a participle on a noun), not a relative or reported clause."""
    if verb.dep_ == "pcomp":
        return verb.head.lower_ in words.scene_prepositions
    if verb.dep_ == "acl":
        return verb.tag_ in ("VBG", "VBN")
    if verb.dep_ == "advcl":
        return any(c.dep_ in ("mark", "advmod") and c.lower_ in words.scene_prepositions for c in verb.children)
    return False


def _subject_of(tok: Token, trigger: Token) -> bool:
    return tok.head.i == trigger.i and tok.dep_ in ("nsubj", "nsubjpass") and tok.i != trigger.i


def _acted_on(tok: Token, trigger: Token, words: GeoWords) -> bool:
    """Is a place the object of a verb acting on places ("captured Gao", "Gao was captured")?"""
    root = tok
    while root.dep_ in ("conj", "appos") and root.head.i != root.i:
        root = root.head
    return (root.head.i == trigger.i and root.dep_ in ("dobj", "obj", "nsubjpass")
            and trigger.lemma_.lower() in words.literal_object_verbs)


def _whose_actor(tok: Token, trigger: Token, anchors: set[int], feature: str | None, words: GeoWords) -> bool:
    """A place that only says whose an argument is: a modifier or possessor of the active subject ("Kenya's
    Eliud Kipchoge won") or of another argument that is no site ("protested Belgium's plans"), or the origin
    of an argument ("two skaters of Canada won", "a man from Bielefeld was killed")."""
    root = tok
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    head = root.head
    if root.dep_ in ("compound", "amod", "poss", "nmod"):
        if head.head.i not in anchors or head.head.pos_ not in ("VERB", "AUX"):
            return False
        if head.dep_ == "nsubj":  # "Kenya's Kipchoge won" (but "Houston police shot": local forces act there)
            return feature in ("country", "region", None)
        if head.head.lemma_.lower() in words.literal_object_verbs:
            return False  # "patrolled Iraq's northern skies", "bombed the capital's largest slum"
        site = (head.lemma_.lower() in words.site_nouns or head.lemma_.lower() in words.place_nouns
                or head.lemma_.lower() in words.part_nouns or head.ent_type_ in ("GPE", "LOC", "FAC"))
        return head.dep_ in ("dobj", "obj", "nsubjpass") and not site
    if root.dep_ == "pobj" and head.lower_ in words.origin_prepositions:
        noun = head.head
        if noun.head.i not in anchors or noun.lemma_.lower() in words.place_nouns:
            return False
        argument = noun.dep_ in ("dobj", "obj", "nsubjpass")
        return noun.dep_ == "nsubj" or (argument and (head.lower_ == "from" or noun.pos_ == "PROPN"))
    return False


def _container(tok: Token, roots: list[Token], words: GeoWords) -> bool:
    """Does the place ``tok`` contain another place named in the same phrase: "Baghdad" of "Baghdad's al-Amil
    district", "London" of "the London borough of Camden"?"""
    head = tok.head
    if tok.dep_ not in ("compound", "poss", "nmod", "amod") or head.lemma_.lower() not in words.area_nouns:
        return False
    for r in roots:
        if r.i == tok.i:
            continue
        if r.head.i == head.i and r.dep_ in ("compound", "nmod") and r.i > tok.i:
            return True
        if r.dep_ == "pobj" and r.head.lower_ == "of" and r.head.head.i == head.i:
            return True
    return False



def _article_context(k: int, mentions: list[Mention], first: list[Place | None], ctx_given: Counter,
                     extra_points: Iterable[Place]) -> tuple[Counter, set[str], list[Place]]:
    """What the other mentions' first readings say about the article, for resolving mention ``k``: its
    countries (counted), first-level regions and cities (another mention of the same name does not count)."""
    ctx = Counter(ctx_given)
    areas: set[str] = set()
    points: list[Place] = list(extra_points)
    own = normalize(mentions[k].text)
    for j, p in enumerate(first):
        if j == k or p is None or mentions[j].type != "literal" or normalize(mentions[j].text) == own:
            continue
        if p.country3:
            ctx[p.country3] += 1
        if p.kind == ADMIN1 and p.admin1:
            areas.add(p.admin1)
        if p.kind in (CITY, CAPITAL):
            points.append(p)
    return ctx, areas, points


def _link_coordinated(doc: Doc, mentions: list[Mention]) -> None:
    """Note which mentions are coordinated with which ("in Ohio, Utah and Washington")."""
    roots: dict[int, int] = {}
    for k, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            roots[span.root.i] = k
    for k, m in enumerate(mentions):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        linked = [mentions[roots[c.i]] for c in span.root.conjuncts if c.i in roots and roots[c.i] != k]
        if linked:
            m.siblings = linked


def _sibling_kind(m: Mention, mentions: list[Mention], first: list[Place | None]) -> int | None:
    """The kind of place all of a mention's coordinated mentions (among ``mentions``) first read as
    (first-level regions or countries; a city among them says nothing), or None."""
    if not m.siblings:
        return None
    reading = {id(x): p for x, p in zip(mentions, first, strict=True)}
    kinds = {p.kind for x in m.siblings if (p := reading.get(id(x))) is not None}
    return kinds.pop() if len(kinds) == 1 and kinds <= {ADMIN1, COUNTRY} else None


def _focus(chosen: list[Place | None]) -> Place | None:
    """The most mentioned city of the article (ties: the first), used for names the gazetteer lacks."""
    counts = Counter(p.index for p in chosen if p is not None and p.kind in (CITY, CAPITAL))
    if not counts:
        return None
    top = counts.most_common(1)[0][0]
    return next(p for p in chosen if p is not None and p.index == top)
