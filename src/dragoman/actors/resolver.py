"""Actor resolution: which actor(s) does an argument noun phrase denote?

One PhraseMatcher pass per Doc (attribute LOWER, then a casing check on the few matched spans, so "US" is not
"us" and "Turkey" is not "turkey") finds every lexicon phrase and stores it on ``doc.spans["actors"]``. Given the
head token of an argument NP, :meth:`ActorResolver.actors_for` reads only that NP's dependency neighbourhood:

* a named person or organisation at the head (or in apposition, or "known as ...") wins; a person is coded by
  office while in office on the article date, else by an explicit title in the NP, else by ``sector_default``;
* a role head ("officials", "troops", "the prime minister") takes its sector from the role table and its
  country from, in order: country/demonym/capital modifiers (coordinated ones expand: "Kenyan and Ugandan
  officials" -> two actors), an organisation or person modifier ("Hezbollah fighters", "Lula's government"),
  an "of"/"from" phrase, and only as a last resort a location phrase ("police in Nairobi"): a location says
  where the actor is, not whose it is, so it never overrides a modifier;
* a titled role with a country and an office ("the Pakistani prime minister") names the office holder on the
  article date when the people lexicon knows one;
* a country name is the country; a capital used as an actor is that country's government (metonym);
* pronouns and bare titles ("he", "the prime minister") resolve to the most recent compatible actor of the
  article when that is unambiguous, else to nothing (pronouns) or the role alone (titles); so do a bare
  definite group ("the group", "the militia", "the army") and an unlisted person's surname. Such an actor
  carries its :class:`~dragoman.model.Antecedent`, the earlier words it was resolved to;
* a phrase names an actor by its head and modifiers: "US-led coalition" is the leader's military, "Turkish-backed
  rebels" and "pro-Iranian militias" are not Turkish or Iranian (a backer or a stance is no owner), "Kurdish
  forces" are rebels of no state, "aid agencies" are NGOs and "European powers" the region's governments; the
  actor's text is the whole phrase, and :attr:`ActorMention.country_from` says which context may still give a
  country to a phrase that names none.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from dragoman import settings
from dragoman.actors.lexicon import REGIONS, WORDS_FILE, Entry, Lexicon, Period, load_lexicon, parse_date
from dragoman.lexicons import load_word_lists
from dragoman.model import Actor, Antecedent

SPAN_KEY = "actors"
_INDEX_KEY = "dragoman.actors.index"
_TEXT_KEY = "dragoman.actors.text"

if not Span.has_extension("actor_entry"):
    # (entry id, alias form) of an actor span; stored in the span's kb_id/id so it survives serialisation.
    Span.set_extension("actor_entry", getter=lambda s: (s.kb_id_ or None, s.id_ or None))

MentionKind = str  # country | person | org | role | pronoun | title

# The English words of the resolver's constructions live in data/words.yaml, each list with what it is for.
_WORDS = load_word_lists(WORDS_FILE, required=(
    "person_pronouns", "plural_pronouns", "thing_pronouns", "partitives", "collectives", "affix_not_owner",
    "stance_prefixes", "former", "location_preps", "origin_preps", "naming_verbs", "dummy_it_verbs",
    "dummy_it_adjectives", "definite_determiners", "leader_affixes", "stateless_peoples", "motion_verbs",
    "destination_preps"))
# Pronoun -> what it can refer to.
_PRONOUNS = {
    **dict.fromkeys(sorted(_WORDS["person_pronouns"]), "person"),
    **dict.fromkeys(sorted(_WORDS["plural_pronouns"]), "plural"),
    **dict.fromkeys(sorted(_WORDS["thing_pronouns"]), "thing"),
}
# Quantity heads whose "of" phrase is the actor ("thousands of Chadian herders", "a group of diplomats").
_PARTITIVES = _WORDS["partitives"]
# Collective heads that take their sector from a role modifier ("opposition groups", "rebel coalition").
_COLLECTIVES = _WORDS["collectives"]
# "Eritrean-backed rebels" are not Eritrean: a country joined to these by a hyphen is not the actor's.
_AFFIX_NOT_OWNER = _WORDS["affix_not_owner"]
# "pro-Russian militias" are not Russian either: a stance prefix before the hyphenated country.
_STANCE_PREFIXES = _WORDS["stance_prefixes"]
_FORMER = _WORDS["former"]
_LOCATION_PREPS = _WORDS["location_preps"]
_ORIGIN_PREPS = _WORDS["origin_preps"]
_NAMING_VERBS = _WORDS["naming_verbs"]
_NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod", "nummod", "det", "quantmod", "flat"})
_DUMMY_IT_VERBS = _WORDS["dummy_it_verbs"]
# "it is likely/clear/time ...": extraposition, not a reference ("Chile says it is ready" is one).
_DUMMY_IT_ADJ = _WORDS["dummy_it_adjectives"]
# "the president", "this minister": a bare title that refers back to one person.
_DEFINITE_DETERMINERS = _WORDS["definite_determiners"]
# "US-led coalition": the country is the coalition's leader, coded as the leader's military.
_LEADER_AFFIXES = _WORDS["leader_affixes"]
# "Kurdish forces": an armed body of a people without a state is a rebel one.
_STATELESS_PEOPLES = _WORDS["stateless_peoples"]
# "travelled to Oslo": the place a motion verb goes to is the event's place, not its target.
_MOTION_VERBS = _WORDS["motion_verbs"]
_DESTINATION_PREPS = _WORDS["destination_preps"]
# How far back (in sentences) a pronoun looks for its antecedent, and a bare group ("the group", "the army").
_PRONOUN_LOOKBACK = 3
_GROUP_LOOKBACK = 5

# Which context may give a country to an actor its phrase names without one (ActorMention.country_from):
# any: a place in the phrase, the other side of the event, the sentence, the article (a bare role is domestic);
# places: only a place the phrase or its sentence names, never another actor nor the article's country
# ("pro-Iranian militias", "Kurdish fighters": their side is not the country they fight or that backs them);
# local: places, and the article's own country, but never another actor ("Kurdish fighters": a people
# without a state fights where the article is, not for the state it fights);
# phrase: only a place in the phrase itself ("members", "a spokesman", an unlisted person: anyone's).
CountryFrom = str


@dataclass
class ActorMention:
    """An actor denoted by (part of) a noun phrase, with where it is in the Doc text."""

    actor: Actor
    start: int  # character offsets into doc.text
    end: int
    head_i: int  # token index of the NP head the actor was read from
    kind: MentionKind
    entry_id: str | None = None  # lexicon entry ("person:ali-khamenei"), when one was used
    metonym: bool = False  # a capital or seat standing for a government ("Washington said")
    office: str | None = None  # the office a title or person holds here ("prime_minister")
    country_from: CountryFrom = "any"  # which context may fill a missing country (see CountryFrom)
    # where the phrase names a backer or a stance ("Turkish-backed", "backed by Iran"): no place there is its own
    backers: tuple[tuple[int, int], ...] = ()


@dataclass
class _Seen:
    """A mention remembered for coreference."""

    sent: int
    mention: ActorMention
    category: str  # person | group | org | thing
    role_id: str | None
    offset: int = 0  # the chunk's offset in the article when it was seen
    subject: bool = False  # the subject of its clause (what "it" in a later sentence most likely is)


@dataclass
class ArticleContext:
    """Per-article state: the date (for office periods) and the actors named so far (for coreference)."""

    published: date | None = None
    history: list[_Seen] = field(default_factory=list)
    names: dict[str, _Seen] = field(default_factory=dict)  # surname of a titled, unlisted person
    sentence: int = 0
    offset: int = 0  # the current chunk's offset in the article text (antecedents are in article offsets)
    nested: bool = False  # a scratch context for one in-sentence lookup: no further lookups from it
    # Memos: a resolution depends only on (doc, token) and this context's state, which only observe() changes,
    # so (sentence, len(history)) keys them exactly. They make observe() nearly free after coding a sentence.
    # Values keep their Doc so a recycled id() of a freed chunk Doc can never hit.
    memo: dict[tuple[int, int, int, int], tuple[Doc, list[ActorMention]]] = field(default_factory=dict, repr=False)
    sentence_seen: dict[tuple[int, int, int, int], tuple[Doc, list[_Seen]]] = field(default_factory=dict,
                                                                                     repr=False)


@dataclass
class _MatcherState:
    vocab: Vocab
    matcher: PhraseMatcher
    surfaces: dict[str, list[tuple[str, ...]]]  # alias key -> token texts of its surfaces (for the case check)


class ActorResolver:
    """Loads the actor lexicons once and resolves argument noun phrases to actors."""

    def __init__(self, extra_files: Sequence[str | Path] = (), *, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or load_lexicon(extra_files)
        self.lexicon_hash: str = self.lexicon.hash
        self._offices = self.lexicon.offices_index()
        self._states: dict[int, _MatcherState] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------------------ matching

    def setup(self, nlp: Language) -> None:
        """Build the PhraseMatcher for ``nlp``'s vocab with ``nlp``'s own tokenizer (call once per nlp)."""
        self._state(nlp.vocab, nlp.tokenizer)

    def _state(self, vocab: Vocab, tokenizer=None) -> _MatcherState:
        st = self._states.get(id(vocab))
        if st is not None and st.vocab is vocab:
            return st
        with self._lock:
            st = self._states.get(id(vocab))
            if st is not None and st.vocab is vocab:
                return st
            if tokenizer is None:  # annotate() before setup(): the default English tokenizer rules
                tokenizer = spacy.blank("en", vocab=vocab).tokenizer
            matcher = PhraseMatcher(vocab, attr="LOWER")
            surfaces: dict[str, list[tuple[str, ...]]] = {}
            keys: list[str] = []
            texts: list[str] = []
            for key, aliases in self.lexicon.aliases.items():
                for a in aliases:
                    keys.append(key)
                    texts.append(a.surface)
            for key, pattern in zip(keys, tokenizer.pipe(texts), strict=True):
                toks = tuple(t.text for t in pattern)
                bucket = surfaces.setdefault(key, [])
                if toks not in bucket:
                    bucket.append(toks)
                    matcher.add(key, [pattern])
            st = _MatcherState(vocab, matcher, surfaces)
            self._states[id(vocab)] = st
            return st

    def annotate(self, doc: Doc) -> Doc:
        """Find every lexicon phrase in ``doc`` and store them on ``doc.spans["actors"]`` (label = entry kind,
        kb_id = entry id, id = alias form). One PhraseMatcher call; the checks below touch matched spans only."""
        st = self._state(doc.vocab)
        found: list[Span] = []
        strings = doc.vocab.strings
        for match_id, start, end in st.matcher(doc):
            key = strings[match_id]
            aliases = self.lexicon.aliases.get(key)
            if not aliases:
                continue
            words = tuple(t.text for t in doc[start:end])
            if not any(_case_ok(s, words) for s in st.surfaces.get(key, ()) if len(s) == len(words)):
                continue
            alias = aliases[0]
            entry = self.lexicon.entries[alias.entry_id]
            span = doc[start:end]
            if entry.kind == "role" and len(span) == 1 and span[0].pos_ in ("ADJ", "VERB", "ADV", "ADP", "AUX"):
                continue  # "general strike", "military operation", "heads to"
            if entry.kind == "country" and span[0].ent_type_ == "PERSON" and span[-1].ent_type_ == "PERSON" and (
                start > 0 and doc[start - 1].ent_type_ == "PERSON" or end < len(doc) and doc[end].ent_type_ == "PERSON"
            ):
                continue  # "George Washington", "Michael Jordan"
            if entry.kind == "country" and entry.country in REGIONS and (
                    alias.form == "name" or span.text.islower() and not self._on_role(span)):
                # "European powers", "western diplomats" are actors; "in Europe", "the western province of
                # Herat" say where
                continue
            found.append(Span(doc, start, end, label=entry.kind, kb_id=entry.id, span_id=alias.form))
        spans = filter_spans(found)  # longest wins: "Kataib Hezbollah" over "Hezbollah"
        doc.spans[SPAN_KEY] = spans
        doc.user_data[_INDEX_KEY] = {t: n for n, s in enumerate(spans) for t in range(s.start, s.end)}
        return doc

    def _on_role(self, span: Span) -> bool:
        """Whether ``span`` modifies a role word ("western diplomats", "western powers")."""
        head = span.root.head
        return span.root.dep_ in ("amod", "compound") and any(
            self.lexicon.entries[a.entry_id].kind == "role" for a in self.lexicon.aliases.get(head.lower_, ()))

    def _span_at(self, token: Token) -> Span | None:
        doc = token.doc
        if SPAN_KEY not in doc.spans or _INDEX_KEY not in doc.user_data:
            self.annotate(doc)
        n = doc.user_data[_INDEX_KEY].get(token.i)
        return doc.spans[SPAN_KEY][n] if n is not None else None

    def _entry(self, span: Span) -> Entry:
        return self.lexicon.entries[span.kb_id_]

    # ------------------------------------------------------------------------------------------ public API

    def new_context(self, published: str | date | None = None) -> ArticleContext:
        """Fresh per-article state; ``published`` (ISO date or datetime) decides who holds an office.
        An unreadable date counts as unknown: people are then coded by their most recent office."""
        day: date | None = published if isinstance(published, date) else None
        if isinstance(published, str) and published.strip():
            try:
                day = parse_date(published.strip()[:10], end=False)
            except ValueError:
                day = None
        return ArticleContext(published=day)

    def actors_for(self, token: Token, ctx: ArticleContext | None = None) -> list[ActorMention]:
        """The actor(s) the NP headed by ``token`` denotes; coordinated heads expand ("Iran and Iraq")."""
        ctx = ctx or ArticleContext()
        key = (id(token.doc), token.i, ctx.sentence, len(ctx.history))
        cached = ctx.memo.get(key)
        if cached is not None and cached[0] is token.doc:
            return list(cached[1])
        heads = [token]
        if token.dep_ != "conj":
            heads += [c for c in token.conjuncts if c.i > token.i and c.pos_ in ("NOUN", "PROPN", "PRON")]
        out: list[ActorMention] = []
        seen: set[tuple[str | None, str | None]] = set()
        for h in heads:
            for m in self._resolve(h, ctx, depth=0):
                ident = (m.actor.code, m.actor.name)
                if ident not in seen:
                    seen.add(ident)
                    out.append(m)
        ctx.memo[key] = (token.doc, list(out))
        return out

    def actors_in(self, span: Span, ctx: ArticleContext | None = None) -> list[ActorMention]:
        """All actors named inside ``span`` (e.g. an attribution "according to the Brazilian foreign ministry")."""
        ctx = ctx or ArticleContext()
        out: list[ActorMention] = []
        seen: set[tuple[int, str | None, str | None]] = set()
        for head in self._np_heads(span):
            for m in self.actors_for(head, ctx):
                if m.start >= span.start_char - 1 and m.end <= span.end_char + 1:
                    key = (m.head_i, m.actor.code, m.actor.name)
                    if key not in seen:
                        seen.add(key)
                        out.append(m)
        return out

    def observe(self, sentence: Span, ctx: ArticleContext) -> None:
        """Remember the actors a sentence names, for later pronouns and bare titles (call once per sentence)."""
        # Resolve against the state the coder saw (memo hits), then advance the state.
        found = [(head, m) for head in self._np_heads(sentence) for m in self.actors_for(head, ctx)]
        ctx.sentence += 1
        for head, m in found:
            self._remember(m, head, ctx)

    @staticmethod
    def is_destination(token: Token) -> bool:
        """Whether ``token`` is where a motion verb goes ("travelled to Oslo", "arrived in Ankara", "flew to
        Paris and Rome"): a place, the event's location, never its target."""
        while token.dep_ == "conj" and token.head.i != token.i:
            token = token.head
        prep = token.head
        if token.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in _DESTINATION_PREPS:
            return False
        verb = prep.head
        return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in _MOTION_VERBS

    def np_head(self, span: Span, within: Span) -> Token:
        """The head of the noun phrase an actor span sits in, inside ``within`` ("the Saudi embassy" for
        "Saudi"), so that the phrase, not the bare name, is resolved."""
        h = span.root
        while h.dep_ in _NP_LEFT_DEPS | {"case"} and h.head.i != h.i and (
            within.start <= h.head.i < within.end
        ) and h.head.pos_ in ("NOUN", "PROPN") and h.head.i > h.i:
            h = h.head
        return h

    @staticmethod
    def is_backer(span: Span) -> bool:
        """Whether a country or organisation is named only as a backer or a stance ("Turkish-backed",
        "pro-Iranian", "UN-brokered"): no actor of the text, nor a country the article is about."""
        if span.label_ not in ("country", "org"):
            return False
        if _affix_not_owner(span):
            return True
        # "rebels backed by Turkey", "a militia which is funded by Iran"
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        by = root.head
        return (root.dep_ == "pobj" and by.lower_ == "by" and by.dep_ in ("agent", "prep")
                and by.head.dep_ in ("acl", "relcl") and by.head.lower_ in _AFFIX_NOT_OWNER)

    # ------------------------------------------------------------------------------------------ internals

    def _np_heads(self, span: Span) -> list[Token]:
        """NP heads of the actor spans inside ``span``, in text order (one per NP)."""
        doc = span.doc
        if SPAN_KEY not in doc.spans or _INDEX_KEY not in doc.user_data:
            self.annotate(doc)
        index = doc.user_data[_INDEX_KEY]
        group = doc.spans[SPAN_KEY]
        numbers = sorted({n for i in range(span.start, span.end) if (n := index.get(i)) is not None})
        heads: dict[int, Token] = {}
        for s in (group[n] for n in numbers):
            if s.start < span.start or s.end > span.end:
                continue
            h = s.root
            while h.dep_ in _NP_LEFT_DEPS | {"conj", "cc", "case", "appos"} and h.head.i != h.i and (
                span.start <= h.head.i < span.end
            ) and h.head.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM"):
                h = h.head
            if h.dep_ == "pobj" and h.head.head.lower_ in _PARTITIVES and h.head.lower_ == "of":
                h = h.head.head  # "thousands of Tamils": the partitive heads the NP
            heads.setdefault(h.i, h)
        return [heads[i] for i in sorted(heads)]

    def _remember(self, m: ActorMention, head: Token, ctx: ArticleContext) -> None:
        if m.actor.country is None and m.kind not in ("person",):
            return  # a bare role ("officials") is no antecedent worth having
        entry = self.lexicon.entries.get(m.entry_id or "")
        span = self._span_at(head)
        role = self._entry(span) if span is not None and span.label_ == "role" else None
        if m.kind in ("person", "title") and (role is None or role.role_kind == "person") and not _plural(head, span):
            category = "person"
        elif m.kind == "org" or (entry is not None and entry.kind == "org"):
            category = "org"
        elif _plural(head, span) or (span is not None and span.id_ == "people"):
            category = "group"
        else:
            category = "thing"
        subject = _clause_subject(head)
        seen = _Seen(ctx.sentence, m, category, role.id if role else None, ctx.offset, subject)
        ctx.history.append(seen)
        if m.kind == "person" and m.entry_id is None and head.pos_ == "PROPN":
            ctx.names.setdefault(head.lower_, seen)
        if m.kind == "title" and m.actor.name is None:
            # "Mali's president, Ibrahim Keita": the unlisted name in apposition is this title's holder
            for c in head.rights:
                if c.dep_ == "appos" and c.pos_ == "PROPN" and self._span_at(c) is None:
                    ctx.names.setdefault(c.lower_, seen)

    def _resolve(self, h: Token, ctx: ArticleContext, depth: int) -> list[ActorMention]:
        if depth > 3:
            return []
        low = h.lower_
        if low in _PRONOUNS and h.pos_ == "PRON":
            return self._pronoun(h, ctx)
        span = self._span_at(h)
        if span is None and low in _PARTITIVES:
            pobj = _pobj(h, "of")
            if pobj is not None:
                return self._resolve_with_conj(pobj, ctx, depth + 1)
        left = _left_region(h)
        found = [s for s in self._spans_in(left) if s is not span]
        # "Turkish-backed", "pro-Iranian", "UN-brokered": a backer or a stance, not the owner
        linked = [s for s in found if s.label_ in ("country", "org") and _affix_not_owner(s)]
        mods = [s for s in found if all(s is not x for x in linked)]
        role_entry = self._entry(span) if span is not None and span.label_ == "role" else None
        armed_head = low in _COLLECTIVES or (role_entry is not None and role_entry.sector == "MIL")
        leaders = [s for s in linked if _hyphen_affix(s) in _LEADER_AFFIXES]
        if leaders and armed_head and not any(s.label_ == "country" for s in mods):
            mods += leaders  # "US-led coalition", "Saudi-led forces": the leader's military
            linked = [s for s in linked if all(s is not x for x in leaders)]
        # "rebels backed by Turkey", "the militia, which is backed by Iran": the backer is not the owner either
        backing = [c for c in h.rights if c.dep_ in ("acl", "relcl") and c.lower_ in _AFFIX_NOT_OWNER]
        stateless = any(t.lower_ in _STATELESS_PEOPLES for t in left)
        backers = [_affix_span(s) for s in linked] + [h.doc[c.left_edge.i:c.right_edge.i + 1] for c in backing]
        adjust = _PhraseAdjust(
            extras=[_affix_span(s) for s in linked] + _modifier_words(h, left),
            country_from="places" if backers else "local" if stateless else "any", stateless=stateless,
            backers=tuple((b.start_char, b.end_char) for b in backers))
        return adjust(self._resolve_phrase(h, span, ctx, depth, left, mods, leaders), _text(h.doc))

    def _resolve_phrase(self, h: Token, span: Span | None, ctx: ArticleContext, depth: int, left: list[Token],
                        mods: list[Span], leaders: list[Span]) -> list[ActorMention]:
        low = h.lower_
        former = any(t.lower_ in _FORMER for t in left)
        entity = None
        if span is not None and span.label_ in ("person", "org"):
            entity = span
        named = self._named_right(h)  # apposition / "known as"
        if entity is not None:
            if self._stale_surname(entity, ctx, mods):
                return []  # "her neighbour, Chrétien": a first or last name alone, of someone long out of office
            return [self._entity_mention(entity, h, ctx, mods, former)]
        if span is not None and span.label_ == "country":
            if span.id_ == "people":
                # CAMEO codes a people by where it lives: "ethnic Uzbeks in Kyrgyzstan" -> KGZ CVL.
                loc = self._location_country(h, _LOCATION_PREPS | {"of"})
                if loc and loc != self._entry(span).country:
                    actor = Actor(code=Actor.make_code(loc, "CVL"), country=loc, sector="CVL", text=span.text)
                    return [ActorMention(actor, span.start_char, span.end_char, h.i, "role", None)]
            return [self._country_mention(span, h)]
        if span is not None and span.label_ == "role":
            role = self._entry(span)
            if named is not None and named.label_ in ("person", "org") and not self._stale_surname(named, ctx, mods):
                return [self._entity_mention(named, named.root, ctx, mods, former, text_from=h)]
            return self._role_mentions(role, span, h, ctx, mods, former, depth)
        # Not in the lexicon: an unlisted proper name with a title, a collective with a role modifier, ...
        if named is not None and named.label_ in ("person", "org"):
            if self._stale_surname(named, ctx, mods):
                return []
            return [self._entity_mention(named, named.root, ctx, mods, former, text_from=h)]
        roles = [s for s in mods if s.label_ == "role"]
        if h.pos_ == "PROPN" and roles:
            return self._titled_unlisted(h, roles[-1], ctx, mods, former)
        if h.pos_ == "PROPN" and h.lower_ in ctx.names:
            return [_as_coref(ctx.names[h.lower_], h, "person")]  # the surname of a person named earlier
        name = _person_name(h)
        if name is not None:
            for ap in (c for c in h.rights if c.dep_ == "appos"):
                # "Salma Idris, Sudan's leading rights activist": the apposition says who she is
                described = [m for m in self._resolve(ap, ctx, depth + 1) if m.actor.code]
                if described:
                    m = described[0]
                    start = min(name.start_char, m.start)
                    actor = replace(m.actor, text=_text(h.doc)[start:m.end])
                    return [replace(m, actor=actor, start=start, head_i=h.i, kind="person")]
            return [self._unlisted_person(h, name, mods, former)]
        orgs = [s for s in mods if s.label_ == "org"]
        if low in _COLLECTIVES and orgs and not roles:  # "the Nigerian Boko Haram group"
            return [self._entity_mention(orgs[-1], h, ctx, [], former)]
        if low in _COLLECTIVES and roles:
            title = roles[-1]
            return self._role_mentions(self._entry(title), title, h, ctx, [m for m in mods if m is not title],
                                       former, depth)
        if low in _COLLECTIVES and leaders:  # "the US-led coalition"
            country = self._entry(leaders[0]).country
            start, end = self._extent(h, leaders, h)
            actor = Actor(code=Actor.make_code(country, "MIL"), country=country, sector="MIL",
                          text=_text(h.doc)[start:end])
            return [ActorMention(actor, start, end, h.i, "role")]
        if low in _COLLECTIVES and not mods and not _plural(h, None) and _has_definite_det(h):
            found = self._bare_group(h, ctx, None)  # "the group said": the organisation named just before
            return [found] if found is not None else []
        return []

    def _resolve_with_conj(self, h: Token, ctx: ArticleContext, depth: int) -> list[ActorMention]:
        out = self._resolve(h, ctx, depth)
        for c in h.conjuncts:
            if c.i > h.i and c.pos_ in ("NOUN", "PROPN"):
                out += self._resolve(c, ctx, depth)
        return out

    def _spans_in(self, tokens: Iterable[Token]) -> list[Span]:
        out: list[Span] = []
        seen: set[int] = set()
        for t in tokens:
            s = self._span_at(t)
            if s is not None and s.start not in seen:
                seen.add(s.start)
                out.append(s)
        return out

    def _named_right(self, h: Token) -> Span | None:
        """An entity named in apposition ("the president, Lula da Silva") or by "known as X"."""
        for c in h.rights:
            target: Token | None = None
            if c.dep_ == "appos":
                target = c
            elif c.dep_ in ("acl", "relcl") and c.lemma_ in _NAMING_VERBS:
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ == "as":
                        target = _pobj(cc, None)
                    elif cc.dep_ in ("oprd", "attr", "dobj") and target is None:
                        target = cc
            if target is not None:
                s = self._span_at(target)
                if s is not None and s.label_ in ("person", "org"):
                    return s
        return None

    # ---------------------------------------------------------------------- building mentions

    def _stale_surname(self, span: Span, ctx: ArticleContext, mods: list[Span]) -> bool:
        """Whether a one-word name of a listed person ("Chrétien", "Zedillo") is unlikely to mean them: all their
        offices ended more than ``settings.ACTOR_BARE_NAME_YEARS`` before the article, no title goes with the
        name, and the article has not named them in full before. (Many people share a surname or a first name
        with a former leader.)"""
        if len(span) != 1 or ctx.published is None or any(m.label_ == "role" for m in mods):
            return False
        e = self._entry(span)
        if e.kind != "person" or not e.periods or any(p.end is None for p in e.periods):
            return False
        ended = max(p.end for p in e.periods if p.end is not None)
        if (ctx.published - ended).days <= 365 * settings.ACTOR_BARE_NAME_YEARS:
            return False
        return not any(seen.mention.entry_id == e.id for seen in ctx.history)

    def _entity_mention(self, span: Span, h: Token, ctx: ArticleContext, mods: list[Span], former: bool,
                        text_from: Token | None = None) -> ActorMention:
        e = self._entry(span)
        day = ctx.published
        titles = [self._entry(s) for s in mods if s.label_ == "role"]
        office = None
        if e.kind == "person":
            period = _active(e.periods, day)
            country = (period.country if period else None) or e.country
            if period is not None:
                sector, office = period.sector or "GOV", period.office
            elif titles and titles[-1].sector:
                sector = titles[-1].sector  # out of office: the explicit title says what they are here
            else:
                sector = e.sector
            if former:
                sector, office = "ELI", None
            code = Actor.make_code(country, sector)
            kind = "person"
        else:
            period = _active(e.periods, day, dated_only=True)
            country = (period.country if period else None) or e.country
            sector = (period.sector if period else None) or e.sector
            code = e.code if (e.code and not (period and period.sector)) else Actor.make_code(country, sector)
            kind = "org"
        if country is None:
            country = self._modifier_country(mods, ctx)
            code = Actor.make_code(country, sector)
        first = text_from if text_from is not None else h
        start, end = self._extent(first, [span, *mods], h)
        actor = Actor(code=code, country=country, sector=sector, name=e.name, text=_text(h.doc)[start:end],
                      wikidata=e.wikidata)
        return ActorMention(actor, start, end, h.i, kind, e.id, metonym=e.org_type == "seat", office=office)

    def _country_mention(self, span: Span, h: Token) -> ActorMention:
        e = self._entry(span)
        metonym = span.id_ == "capital"
        sector = "GOV" if metonym else None  # "Washington said" is the US government
        actor = Actor(code=Actor.make_code(e.country, sector), country=e.country, sector=sector,
                      name=e.name, text=span.text, wikidata=e.wikidata)
        return ActorMention(actor, span.start_char, span.end_char, h.i, "country", e.id, metonym=metonym)

    def _role_mentions(self, role: Entry, span: Span, h: Token, ctx: ArticleContext, mods: list[Span],
                       former: bool, depth: int) -> list[ActorMention]:
        doc = h.doc
        countries = _coordinated_countries([s for s in mods if s.label_ == "country"])
        orgs = [s for s in mods if s.label_ == "org"]
        people = [s for s in mods if s.label_ == "person"]
        sector = role.sector
        base_name: str | None = None
        antecedent: Antecedent | None = None
        of_body: ActorMention | None = None  # "leaders of the opposition coalition": whose sector they share
        country_from: CountryFrom = "any"
        leaders = [s for s in mods if s.label_ == "country" and _hyphen_affix(s) in _LEADER_AFFIXES]
        country_list: list[tuple[str | None, Span | None]] = []
        if countries:
            country_list = [(self._entry(s).country, s) for s in countries]
        elif orgs:
            org_m = self._entity_mention(orgs[-1], orgs[-1].root, ctx, [], False)
            country_list = [(org_m.actor.country, orgs[-1])]
            sector = _org_role_sector(role, org_m.actor.sector)
            base_name = org_m.actor.name
        elif people:
            pm = self._entity_mention(people[-1], people[-1].root, ctx, [], False)
            country_list = [(pm.actor.country, people[-1])]
        else:
            poss = next((c for c in h.lefts if c.dep_ == "poss" and (
                c.lower_ in _PRONOUNS or c.lower_ in _COLLECTIVES)), None)
            if poss is not None:  # "his government", "the group's leader": the possessor's
                ref = (self._pronoun(poss, ctx) if poss.lower_ in _PRONOUNS and poss.pos_ == "PRON"
                       else self._resolve(poss, ctx, depth + 1))
                if ref and ref[0].actor.country:
                    country_list = [(ref[0].actor.country, None)]
                    entry = self.lexicon.entries.get(ref[0].entry_id or "")
                    if entry is not None and entry.kind == "org":
                        sector = _org_role_sector(role, ref[0].actor.sector)
                        base_name = ref[0].actor.name
                    antecedent = ref[0].actor.antecedent
            if not country_list:
                for prep in (c for c in h.rights if c.dep_ == "prep" and c.lower_ in _ORIGIN_PREPS):
                    pobj = _pobj(prep, None)
                    if pobj is None:
                        continue
                    inner = self._resolve_with_conj(pobj, ctx, depth + 1)
                    for m in inner:
                        if role.sector is None and m.actor.sector and sector is None:
                            # "leaders of the opposition coalition": the body's sector, even with no country
                            sector, of_body = m.actor.sector, m
                        if m.actor.country:
                            country_list.append((m.actor.country, None))
                            if m.kind == "org" and not base_name:
                                base_name = m.actor.name
                    if not inner and sector is None:
                        # "members of the Lebanese Armenian community": a country on a body the lexicon lacks
                        body = [s for s in self._spans_in(_left_region(pobj))
                                if s.label_ == "country" and not _affix_not_owner(s)]
                        if body:
                            country_list = [(self._entry(body[0]).country, body[0])]
                    if country_list or of_body is not None:
                        break
        generic = sector is None and not country_list  # "members", "a spokesman": anyone's
        if of_body is not None and not country_list:
            generic, country_from = False, of_body.country_from
        if sector is None:
            sector = "GOV"  # a generic role ("leaders", "spokesman") of a country speaks for its government
        if former and role.role_kind == "person":
            sector = "ELI"
        if not country_list and role.country:
            country_list = [(role.country, None)]  # "aid agencies" -> NGO, "jihadist groups" -> IMG
        if not country_list and role.role_kind == "states" and any(
                t.dep_ in ("amod", "compound", "nmod") for t in h.lefts):
            # "Gulf states", "world powers": several states the lexicon has no code for, kept with their words
            start, end = self._extent(h, [span, *mods, *_modifier_words(h, _left_region(h))], h)
            actor = Actor(code=Actor.make_code(None, sector), country=None, sector=sector, text=_text(doc)[start:end])
            return [ActorMention(actor, start, end, h.i, "role", country_from="phrase")]
        owner_body: Span | None = None
        if not country_list and role.role_kind == "instrument":
            # "navy gunboats", "government warplanes": a body names the owner, its country from the context
            owner_body = next((s for s in reversed(mods) if s.label_ == "role"
                               and self._entry(s).role_kind == "group"), None)
            if owner_body is not None:
                sector = self._entry(owner_body).sector or "GOV"
                loc = self._location_country(h)
                country_list = [(loc, None)]
        if not country_list and role.role_kind in ("instrument", "states"):
            return []  # "the attacks", "helicopters", "countries": no owner named, no actor
        if not country_list:
            # A bare singular title ("the prime minister") may name someone already mentioned, and a bare group
            # ("the militia", "the army") the body of that kind named just before.
            if role.role_kind == "person" and not _plural(h, span) and _definite(h):
                found = self._bare_title(role, h, ctx)
                if found is not None:
                    return [found]
            if role.role_kind == "group" and not _plural(h, span) and _has_definite_det(h) and not mods:
                found = self._bare_group(h, ctx, role)
                if found is not None:
                    return [found]
            loc = self._location_country(h)
            country_list = [(loc, None)] if loc else [(None, None)]
        out: list[ActorMention] = []
        singular_title = role.role_kind == "person" and not _plural(h, span)
        # A name in apposition the lexicon lacks ("Mali's president, Ibrahim Keita") is the holder the text
        # means: the dictionary's holder on that day would be another person (or it is out of date).
        named_unlisted = any(c.dep_ == "appos" and c.pos_ == "PROPN" and self._span_at(c) is None
                             for c in h.rights)
        for country, mod in country_list:
            used = [span] + ([mod] if mod is not None else []) + leaders + ([owner_body] if owner_body else [])
            start, end = self._extent(h, used, h)
            name, wd, office = base_name, None, role.office if singular_title else None
            # Only a country names an office's holder: "the Pakistani prime minister". An IGO modifier does not
            # ("the UN secretary-general" and NATO's share the IGO prefix).
            by_country = mod is None or mod.label_ == "country"
            if (singular_title and role.office and country and ctx.published and not former and by_country
                    and not named_unlisted):
                holder = self._holder(country, role.office, ctx.published)
                if holder is not None:
                    name, wd = holder.name, holder.wikidata
            actor = Actor(code=Actor.make_code(country, sector), country=country, sector=sector, name=name,
                          text=_text(doc)[start:end], wikidata=wd, antecedent=antecedent)
            entry_id = None
            if name and name != base_name:
                entry_id = next((e.id for e in self._holders(country, role.office) if e.name == name), None)
            kind = "title" if singular_title and country else "role"
            out.append(ActorMention(actor, start, end, h.i, kind, entry_id, office=office,
                                    country_from="phrase" if generic and country is None else country_from))
        return out

    def _titled_unlisted(self, h: Token, title: Span, ctx: ArticleContext, mods: list[Span],
                         former: bool) -> list[ActorMention]:
        """A person the lexicon does not list, described by a title: "Zambia's President Joseph Mwale"."""
        role = self._entry(title)
        country = self._modifier_country([m for m in mods if m is not title], ctx)
        sector = role.sector
        orgs = [m for m in mods if m.label_ == "org"]
        if orgs and role.sector is None:
            sector = self._entity_mention(orgs[-1], orgs[-1].root, ctx, [], False).actor.sector
        sector = "ELI" if former else (sector or "GOV")
        start, end = self._extent(h, mods, h)
        actor = Actor(code=Actor.make_code(country, sector), country=country, sector=sector, name=None,
                      text=_text(h.doc)[start:end])
        return [ActorMention(actor, start, end, h.i, "person", None, office=role.office)]

    def _unlisted_person(self, h: Token, name: Span, mods: list[Span], former: bool) -> ActorMention:
        """A person the lexicon does not list, named without a title ("British teenager Amina Khan"): kept
        with the words, and a country only if the phrase gives one; no sector is invented."""
        countries = _coordinated_countries([s for s in mods if s.label_ == "country"])
        country = self._entry(countries[0]).country if countries else None
        sector = "ELI" if former and country else None
        start, end = self._extent(h, [name, *countries], h)
        actor = Actor(code=Actor.make_code(country, sector), country=country, sector=sector,
                      text=_text(h.doc)[start:end])
        return ActorMention(actor, start, end, h.i, "person", None, country_from="phrase")

    def _modifier_country(self, mods: list[Span], ctx: ArticleContext) -> str | None:
        countries = _coordinated_countries([s for s in mods if s.label_ == "country"])
        if countries:
            return self._entry(countries[0]).country
        for s in mods:
            if s.label_ in ("org", "person"):
                m = self._entity_mention(s, s.root, ctx, [], False)
                if m.actor.country:
                    return m.actor.country
        return None

    def _location_country(self, h: Token, preps: frozenset[str] = _LOCATION_PREPS) -> str | None:
        """Last resort: "police in Nairobi" -> KEN. Only countries and capitals in the lexicon count."""
        for prep in (c for c in h.rights if c.dep_ == "prep" and c.lower_ in preps):
            pobj = _pobj(prep, None)
            if pobj is None:
                continue
            s = self._span_at(pobj)
            if s is not None and s.label_ == "country":
                return self._entry(s).country
        return None

    def _extent(self, h: Token, spans: Iterable[Span | None], head: Token) -> tuple[int, int]:
        start, end = h.idx, h.idx + len(h)
        for s in spans:
            if s is None:
                continue
            start, end = min(start, s.start_char), max(end, s.end_char)
        end = max(end, head.idx + len(head))
        return start, end

    # ---------------------------------------------------------------------- offices and coreference

    def _holders(self, country: str | None, office: str | None) -> list[Entry]:
        return [e for _, e in self._offices.get((country or "", office or ""), [])]

    def _holder(self, country: str, office: str, day: date) -> Entry | None:
        found = {e.id: e for p, e in self._offices.get((country, office), []) if p.holds(day)}
        return next(iter(found.values())) if len(found) == 1 else None

    def _bare_title(self, role: Entry, h: Token, ctx: ArticleContext) -> ActorMention | None:
        """"the prime minister" -> the one actor of the article so far who held that title, if unambiguous."""
        # Titles may point far back, so the whole article so far is searched (unlike pronouns).
        history = ctx.history + self._sentence_seen(h, ctx)
        cands = [s for s in history if s.category == "person" and (
            (role.office and s.mention.office == role.office) or s.role_id == role.id)]
        best = _unambiguous(cands)
        return _as_coref(best, h, "title") if best is not None else None

    def _bare_group(self, h: Token, ctx: ArticleContext, role: Entry | None) -> ActorMention | None:
        """"the group" -> the organisation named most recently; "the militia", "the army" -> the body of that
        kind (the same role word, or an organisation of its sector) named most recently: only when the most
        recent sentence that names any agrees on one actor."""
        def fits(s: _Seen) -> bool:
            m = s.mention
            if m.metonym or not m.actor.country:
                return False
            if role is None:
                return s.category == "org"
            # the same role word ("the Syrian army" ... "the army"), or a named body of the role's sector
            # ("Kataib Hezbollah fighters" ... "the militia")
            named = s.category == "org" or (m.actor.name is not None and s.category != "person")
            return s.role_id == role.id or (named and role.sector is not None and m.actor.sector == role.sector)

        inside = [s for s in self._sentence_seen(h, ctx) if fits(s)]
        if inside:
            best = _unambiguous(inside)
            return _as_coref(best, h, "group") if best is not None else None
        by_sent: dict[int, list[_Seen]] = {}
        for s in ctx.history:
            if s.sent > ctx.sentence - _GROUP_LOOKBACK and fits(s):
                by_sent.setdefault(s.sent, []).append(s)
        if not by_sent:
            return None
        best = _unambiguous(by_sent[max(by_sent)])
        return _as_coref(best, h, "group") if best is not None else None

    def _pronoun(self, h: Token, ctx: ArticleContext) -> list[ActorMention]:
        want = _PRONOUNS[h.lower_]
        compatible = {"person": ("person",), "plural": ("group", "org"), "thing": ("thing", "org")}[want]
        # Same sentence first (the coder asks before observe() has seen this sentence), then earlier ones.
        if want == "thing" and _dummy_it(h):
            return []  # "it was a good visit", "it seems": no referent
        inside = [s for s in self._sentence_seen(h, ctx) if s.category in compatible]
        if inside:
            best = _unambiguous(inside)
            return [_as_coref(best, h, "pronoun")] if best is not None else []
        by_sent: dict[int, list[_Seen]] = {}
        for s in ctx.history:
            # "it" in a later sentence stands for a state or organisation only where that was a clause's subject:
            # other nouns of that sentence ("the plan", "the war") are as likely and no actor is remembered for them
            if s.category in compatible and s.sent > ctx.sentence - _PRONOUN_LOOKBACK and (
                    want != "thing" or s.subject):
                by_sent.setdefault(s.sent, []).append(s)
        if not by_sent:
            return []
        best = _unambiguous(by_sent[max(by_sent)])
        return [_as_coref(best, h, "pronoun")] if best is not None else []

    def _sentence_seen(self, h: Token, ctx: ArticleContext) -> list[_Seen]:
        """Actors named earlier in ``h``'s own sentence, as coreference candidates."""
        if ctx.nested:
            return []  # "Iraq and its allies" would otherwise look itself up forever
        sent = h.sent
        key = (id(h.doc), sent.start, ctx.sentence, len(ctx.history))
        hit = ctx.sentence_seen.get(key)
        seen = hit[1] if hit is not None and hit[0] is h.doc else None
        if seen is None:  # the whole sentence once; each pronoun keeps what precedes it
            tmp = ArticleContext(published=ctx.published, names=dict(ctx.names), sentence=ctx.sentence + 1,
                                 nested=True, offset=ctx.offset)
            for head in self._np_heads(sent):
                for m in self.actors_for(head, tmp):
                    self._remember(m, head, tmp)
            seen = tmp.history
            ctx.sentence_seen[key] = (h.doc, seen)
        return [s for s in seen if s.mention.head_i < h.i and s.mention.end <= h.idx]



# ---------------------------------------------------------------------------------------------- helpers


def _clause_subject(head: Token) -> bool:
    """Whether ``head`` is the subject of a clause, or a conjunct or possessor of one ("Iran and Iraq said",
    "Iran's army said")."""
    t = head
    for _ in range(3):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return True
        if t.dep_ not in ("conj", "poss", "compound") or t.head.i == t.i:
            return False
        t = t.head
    return False


def _text(doc: Doc) -> str:
    """``doc.text`` joins every token on each call: keep one copy per Doc."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def _case_ok(alias: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Does the text's casing fit the alias? Lowercase aliases match any casing; "US" needs "US" (or an
    all-caps headline), "Turkey" needs a capital T."""
    for a, w in zip(alias, words, strict=True):
        letters = [c for c in a if c.isalpha()]
        if not letters or a.islower():
            continue
        if w.isupper() and len(w) > 1:
            continue  # ALL-CAPS text matches anything
        if a.isupper() and len(letters) > 1:
            if len(letters) >= 4 and w[:1].isupper() and w[1:] == w[1:].lower():
                continue  # house styles write long acronyms as names: "Isis", "Nato", "Unicef"
            if w != a and not w.isupper():
                return False
        elif a[0].isupper() and a[1:] == a[1:].lower():
            if not w[:1].isupper():
                return False
        elif w != a and not w[:1].isupper():
            return False  # mixed-case alias ("McGregor"): exact, or at least capitalised
    return True


def _left_region(h: Token) -> list[Token]:
    """The NP's pre-head material: left dependents of the head and, recursively, theirs."""
    out: list[Token] = []
    for c in h.lefts:
        if c.dep_ in ("punct", "cc", "prep", "relcl", "advcl", "mark", "aux", "nsubj", "dobj"):
            continue
        out.extend(c.subtree)
    return out


def _hyphen_affix(span: Span) -> str | None:
    """The word after a hyphen on ``span`` ("US-led" -> "led"), if any."""
    doc, i = span.doc, span.end
    return doc[i + 1].lower_ if i + 1 < len(doc) and doc[i].text == "-" else None


def _affix_span(span: Span) -> Span:
    """``span`` with its stance prefix or hyphenated affix: "pro-Iranian", "Turkish-backed" (for the text)."""
    doc, start, end = span.doc, span.start, span.end
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in _STANCE_PREFIXES:
        start -= 2
    if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in _AFFIX_NOT_OWNER:
        end += 2
    return doc[start:end]


@dataclass
class _PhraseAdjust:
    """What a phrase's modifiers say beyond its owner: backers and stances widen the actor's text and limit the
    context that may give it a country; a stateless people makes an armed body a rebel one."""

    extras: list[Span]
    country_from: CountryFrom
    stateless: bool
    backers: tuple[tuple[int, int], ...] = ()

    def __call__(self, found: list[ActorMention], text: str) -> list[ActorMention]:
        if not (self.extras or self.stateless or self.country_from != "any" or self.backers):
            return found
        out = []
        for m in found:
            if m.kind in ("pronoun", "group") or m.actor.antecedent is not None and m.kind != "role":
                out.append(m)
                continue
            start = min([m.start] + [s.start_char for s in self.extras])
            end = max([m.end] + [s.end_char for s in self.extras])
            actor = replace(m.actor, text=text[start:end])
            if self.stateless and actor.sector in ("MIL", "COP") and m.kind == "role":
                actor = replace(actor, sector="REB", code=Actor.make_code(actor.country, "REB"))
            country_from = m.country_from
            if actor.country is None and country_from == "any":
                country_from = self.country_from
            out.append(replace(m, actor=actor, start=start, end=end, country_from=country_from,
                               backers=self.backers))
        return out


def _person_name(h: Token) -> Span | None:
    """The person name ``h`` ends ("Amina Khan"), when the parser tags one there."""
    if h.pos_ != "PROPN" or h.ent_type_ != "PERSON":
        return None
    doc = h.doc
    if h.i + 1 < len(doc) and doc[h.i + 1].ent_iob_ == "I":
        return None  # not the name's last word
    start = h.i
    while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == "PERSON":
        start -= 1
    return doc[start:h.i + 1]


def _modifier_words(h: Token, left: list[Token]) -> list[Span]:
    """The NP's words before the head that describe it ("Kurdish", "senior", "government"), without the
    determiner, numbers and punctuation at its left edge: they belong in the actor's text."""
    words = sorted((t for t in left if t.i < h.i), key=lambda t: t.i)
    while words and (words[0].dep_ in ("det", "predet", "nummod", "quantmod", "punct", "cc")
                     or words[0].pos_ in ("DET", "NUM", "PUNCT")):
        words.pop(0)
    return [h.doc[words[0].i:h.i]] if words else []


def _has_definite_det(h: Token) -> bool:
    """"the group", "this militia": a definite determiner, and no other modifier before the head."""
    lefts = [c for c in h.lefts if c.dep_ not in ("punct",)]
    return bool(lefts) and all(c.dep_ == "det" and c.lower_ in _DEFINITE_DETERMINERS for c in lefts)


def _affix_not_owner(span: Span) -> bool:
    """"Eritrean-backed", "UN-brokered", "pro-Russian": a hyphenated country is not the NP's owner."""
    doc = span.doc
    i, j = span.end, span.start
    if j >= 2 and doc[j - 1].text == "-" and doc[j - 2].lower_ in _STANCE_PREFIXES:
        return True  # "pro-Russian militias" are not Russian, "anti-American" ones not American

    return i + 1 < len(doc) and doc[i].text == "-" and doc[i + 1].lower_ in _AFFIX_NOT_OWNER


def _coordinated_countries(spans: list[Span]) -> list[Span]:
    """Country modifiers: all of a coordination ("US and Iraqi"), else the leftmost ("Bosnian Serb forces")."""
    if len(spans) <= 1:
        return spans
    roots = {s.root.i: s for s in spans}
    linked = [s for s in spans if s.root.dep_ == "conj" and s.root.head.i in roots]
    if linked:
        first = roots[linked[0].root.head.i]
        group = [first] + [s for s in spans if s is not first and (
            s.root.dep_ == "conj" and s.root.head.i in roots)]
        return sorted(group, key=lambda s: s.start)
    return [min(spans, key=lambda s: s.start)]


def _pobj(prep: Token, word: str | None) -> Token | None:
    """The object of ``prep`` (or of ``prep``'s "word" child when ``word`` is given)."""
    if word is not None:
        prep = next((c for c in prep.rights if c.dep_ == "prep" and c.lower_ == word), None)  # type: ignore[assignment]
        if prep is None:
            return None
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def _plural(h: Token, span: Span | None) -> bool:
    if span is not None and span.id_ in ("plural", "people"):
        return True
    return h.tag_ in ("NNS", "NNPS")


def _definite(h: Token) -> bool:
    dets = [c for c in h.lefts if c.dep_ in ("det", "poss")]
    return not dets or any(d.lower_ in _DEFINITE_DETERMINERS for d in dets)


def _active(periods: tuple[Period, ...], day: date | None, dated_only: bool = False) -> Period | None:
    """The period in force on ``day`` (the latest-starting if several); with no date, the latest one
    (people: their most recent office) unless ``dated_only``."""
    if not periods:
        return None
    if day is None:
        if dated_only:
            return None
        return max(periods, key=lambda p: p.start or date.min)
    active = [p for p in periods if p.holds(day)]
    return max(active, key=lambda p: p.start or date.min) if active else None


def _org_role_sector(role: Entry, org_sector: str | None) -> str | None:
    """Sector of "ORG role": generic roles take the org's ("Hamas leaders"); armed roles of a rebel org stay REB."""
    if role.sector is None:
        return org_sector or "GOV"
    if role.sector == "MIL" and org_sector == "REB":
        return "REB"
    return role.sector


def _dummy_it(h: Token) -> bool:
    """Expletive "it": "it seems", "it is likely that", "it was a good visit" (a predicate noun)."""
    if h.dep_ == "expl" or h.head.lemma_ in _DUMMY_IT_VERBS:
        return True
    if h.head.lemma_ == "be":
        for c in h.head.children:
            if c.dep_ == "attr" or (c.dep_ == "acomp" and c.lemma_ in _DUMMY_IT_ADJ):
                return True
    return False


def _unambiguous(cands: list[_Seen]) -> _Seen | None:
    """The antecedent when the candidates agree: one actor code and at most one entity name among them
    ("Hezbollah" and "its fighters" agree; two different IRQGOV people do not). Prefers a named mention."""
    if not cands:
        return None
    codes = {c.mention.actor.code for c in cands}
    names = {c.mention.actor.name for c in cands if c.mention.actor.name}
    if len(names) > 1:
        return None
    if len(codes) != 1:
        # a country and one part of it ("Bosnian Serbs said their forces ... their withdrawal"): the part
        countries = {c.mention.actor.country for c in cands}
        parts = [c for c in cands if c.mention.actor.sector]
        if len(countries) != 1 or None in countries or len({c.mention.actor.code for c in parts}) != 1:
            return None
        return parts[-1]
    named = [c for c in cands if c.mention.actor.name]
    return (named or cands)[-1]


def _as_coref(seen: _Seen, h: Token, kind: MentionKind) -> ActorMention:
    """A pronoun, bare title, surname or bare group standing for an earlier mention: the same actor, this
    token's text and offsets, and the earlier words (the first naming, along a chain) as its antecedent."""
    m = seen.mention
    start, end = h.idx, h.idx + len(h)
    if kind in ("title", "group"):
        left = [t for t in h.subtree if t.i <= h.i and t.dep_ != "det"]
        start = min([start] + [t.idx for t in left])
    antecedent = m.actor.antecedent or Antecedent(m.start + seen.offset, m.end + seen.offset, m.actor.text or "")
    actor = replace(m.actor, text=_text(h.doc)[start:end], antecedent=antecedent)
    return ActorMention(actor, start, end, h.i, kind, m.entry_id, metonym=m.metonym, office=m.office,
                        country_from=m.country_from)
