"""The coder: articles in, event mentions out. It runs the stages in order over each parsed article:

    nlp (spaCy docs) → actors (who) → events (triggers, codes, factuality) → time (when) → geo (where)

and assembles the schema's event mention records. One :class:`Coder` loads every model and lexicon once and is
reused for any number of articles; ``code_articles`` streams, so memory does not grow with the input.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Span, Token

from dragoman import settings
from dragoman.actors import ActorMention, ActorResolver
from dragoman.coder.validate import split_user_lexicons
from dragoman.events.engine import (
    DEFAULT_TARGET_SLOTS,
    JUDGEMENTS_FILE,
    Candidate,
    EventEngine,
    slot_heads,
    subject_of,
)
from dragoman.events.factuality import classify, load_cues
from dragoman.events.intent import intention_governor, load_intent_table
from dragoman.events.lexicon import CAMEO_TABLE, code_info, load_trigger_lexicon
from dragoman.events.sizes import sizes_in
from dragoman.geo import PlaceTagger
from dragoman.ingest.textclean import normalise
from dragoman.model import (
    Actor,
    Article,
    Attribution,
    EventDate,
    EventMention,
    Evidence,
    TimeExpression,
    Toponym,
    stable_id,
)
from dragoman.model import (
    Coder as CoderInfo,
)
from dragoman.nlp import load_nlp, parse
from dragoman.time import TimeTagger
from dragoman.version import __version__

# Roots whose events may be coded with neither side named ("a rocket landed inside the airport").
UNKNOWN_ACTOR_ROOTS = frozenset({"18", "19", "20"})
# Roots where "A and B <verb>" with no target means they did it with each other.
RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06", "19"})
STATEMENT_ROOT = "01"
# Material acts whose target may be a place's country when no actor is named.
PLACE_TARGET_ROOTS = frozenset({"06", "07", "08", "13", "14", "15", "16", "17", "18", "19", "20", "02", "10"})
# Actor prefixes that are not states: never a domestic default.
NON_STATE_PREFIXES = frozenset({"IGO", "NGO", "IMG", "MNC"})
# Verbal acts whose object may be the subject of their complement ("demanded that the US leave").
VERBAL_ROOTS = frozenset({"01", "02", "03", "10", "11", "12", "13"})
# Acts whose complement is their content (what was said, asked, threatened, denied), not a separate event.
CONTENT_ROOTS = frozenset({"01", "02", "03", "10", "11", "12", "13", "14"})


def text_article_id(text: str) -> str:
    """The id of a text given without one (the same as ``ingest.sources.read_text_records`` gives)."""
    return stable_id("text", normalise(text))


@dataclass
class _Assessed:
    cand: Candidate
    code: str
    pairs: list[tuple[_ArgActor, _ArgActor]]
    factuality: str
    attribution: Attribution | None


@dataclass
class _ArgActor:
    mention: ActorMention | None
    filled: Actor | None = None  # the actor with its country filled in from context (never mutate a mention's)

    @property
    def actor(self) -> Actor | None:
        if self.filled is not None:
            return self.filled
        return self.mention.actor if self.mention else None

    @property
    def span(self) -> tuple[int, int] | None:
        return (self.mention.start, self.mention.end) if self.mention else None


class Coder:
    """Codes articles into :class:`EventMention` records. Build once, reuse."""

    def __init__(
        self,
        extra_lexicons: Sequence[str | Path] = (),
        batch_size: int = settings.NLP_BATCH_SIZE,
        with_time: bool = True,
        with_geo: bool = True,
        max_events_per_sentence: int = settings.MAX_EVENTS_PER_SENTENCE,
    ) -> None:
        # extra lexicons: the option's, then any listed in $DRAGOMAN_LEXICONS (os.pathsep-separated)
        extras = [Path(p) for p in extra_lexicons] + settings.extra_lexicon_files()
        trigger_files, actor_files = split_user_lexicons(extras)  # by the kind each file declares
        self.nlp = load_nlp()
        self.batch_size = batch_size
        self.max_events_per_sentence = max_events_per_sentence
        self.resolver = ActorResolver(extra_files=actor_files)
        self.resolver.setup(self.nlp)
        self.triggers = load_trigger_lexicon(trigger_files)
        self.engine = EventEngine(self.triggers)
        self.cues = load_cues()
        self.intent = load_intent_table()
        self.time = TimeTagger() if with_time else None
        self.places = PlaceTagger() if with_geo else None
        parts = [
            self.triggers.hash, self.resolver.lexicon_hash, self.cues.hash, self.intent.hash,
            self.time.data_hash if self.time else "-", self.places.data_hash if self.places else "-",
            hashlib.sha256(CAMEO_TABLE.read_bytes()).hexdigest()[:12],
            hashlib.sha256(JUDGEMENTS_FILE.read_bytes()).hexdigest()[:12],
        ]
        self.info = CoderInfo(version=__version__, lexicons=stable_id(*parts, length=16))

    # ------------------------------------------------------------ public API
    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        """Code articles lazily, in input order."""
        pending: dict[int, Article] = {}

        def items() -> Iterator[tuple[object, str]]:
            for n, article in enumerate(articles):
                pending[n] = article
                yield n, article.text

        chunks = parse(items(), batch_size=self.batch_size, nlp=self.nlp)
        for key, group in itertools.groupby(chunks, key=lambda c: c.key):
            article = pending.pop(key)  # type: ignore[arg-type]
            yield article, self._code_article(article, group)

    def code_text(self, text: str, published: str | None = None, article_id: str | None = None) -> list[EventMention]:
        article = Article(article_id=article_id or text_article_id(text), text=text, published=published)
        return next(iter(self.code_articles([article])))[1]

    # ------------------------------------------------------------ one article
    def _code_article(self, article: Article, chunks: Iterable) -> list[EventMention]:
        ctx = self.resolver.new_context(published=article.published)
        out: list[EventMention] = []
        tally: Counter[str] = Counter()  # countries the article's actors name: the default for bare roles
        for chunk in chunks:
            doc, offset = chunk.doc, chunk.offset
            self.resolver.annotate(doc)
            exprs = self.time.find(doc, article.published, article.article_id, offset) if self.time else []
            sentences = list(doc.sents)  # doc.sents walks the whole doc on each access: take it once
            countries = self._named_countries(doc, ctx)
            tally.update(countries)
            tops = self.places.find(doc, article.article_id, offset, context_countries=sorted(countries)) if self.places else []
            for sent in sentences:
                out.extend(self._code_sentence(article, sent, offset, ctx, exprs, tops, tally))
                self.resolver.observe(sent, ctx)
        return out

    @staticmethod
    def _relative_antecedent(trigger: Token) -> list[Token]:
        """"… and neighbouring Turkey – which has threatened …": when the parser hangs the relative clause on
        the wrong noun, the name just before the relative pronoun is its antecedent."""
        rel = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("which", "who")]
        if not rel:
            return []
        i = rel[0].i - 1
        doc = trigger.doc
        while i >= 0 and rel[0].i - i <= 3 and doc[i].is_punct:
            i -= 1
        return [doc[i]] if i >= 0 and rel[0].i - i <= 3 and doc[i].pos_ == "PROPN" else []

    def _named_countries(self, doc, ctx) -> list[str]:
        """Countries of the actors a chunk names, once per mention (place disambiguation, domestic defaults)."""
        found: list[str] = []
        for span in doc.spans.get("actors", []):
            if span.label_ in ("country", "person", "org"):
                found.extend(m.actor.country for m in self.resolver.actors_for(span.root, ctx)
                             if m.actor.country and m.actor.country not in NON_STATE_PREFIXES)
        return found

    @staticmethod
    def _place_as_target(a: _Assessed, tgt: _ArgActor, tops: list[Toponym], offset: int) -> None:
        """An act aimed at a place rather than an actor ("shelled the capital Juba", "fired at targets in
        Jericho", "cut off electricity to Nakhichevan") targets that place's country, not its government."""
        actor = tgt.actor
        root = a.code[:2]
        if actor is not None:
            if tgt.mention is not None and tgt.mention.metonym and root in PLACE_TARGET_ROOTS:
                tgt.filled = replace(actor, code=actor.country, sector=None)
            return
        trigger = a.cand.trigger
        verbal = root in VERBAL_ROOTS or root == "09"
        spans: list[tuple[int, int]] = []
        for c in trigger.children:
            if c.dep_ in ("dobj", "xcomp", "dative", "prep", "attr") and not (
                verbal and c.dep_ == "prep" and c.lower_ in ("in", "at", "during", "from")
            ):
                spans.append((c.left_edge.idx + offset, c.right_edge.idx + len(c.right_edge.text) + offset))
        if not spans or (verbal and root not in PLACE_TARGET_ROOTS and not any(
                c.dep_ in ("dobj", "xcomp") for c in trigger.children)):
            return
        for top in tops:
            if top.country and any(lo <= top.start and top.end <= hi for lo, hi in spans):
                tgt.filled = Actor(code=top.country, country=top.country, name=top.name,
                                   text=top.name)
                return

    @staticmethod
    def _fill_country(arg: _ArgActor, other: _ArgActor, sent: Span, tops: list[Toponym], offset: int,
                      sentence_countries: set[str], tally: Counter[str]) -> None:
        """A role with no country ("the judge", "protesters") is domestic: take the country from a place in
        its own phrase, else from the other side of the event, else from the only country the sentence names,
        else from the country that dominates the article. (Not from who reports it: a foreign embassy may
        speak of another state's army.)"""
        actor = arg.actor
        if actor is None or actor.country or not actor.sector:
            return
        country = None
        m = arg.mention
        if m is not None:
            head = sent.doc[m.head_i] if 0 <= m.head_i < len(sent.doc) else None
            if head is not None:
                lo, hi = head.left_edge.idx + offset, head.right_edge.idx + len(head.right_edge.text) + offset
                inside = {t.country for t in tops if lo <= t.start and t.end <= hi and t.country}
                if len(inside) == 1:
                    country = inside.pop()
        if country is None and other.actor is not None and other.actor.country not in (None, *NON_STATE_PREFIXES):
            country = other.actor.country
        if country is None and len(sentence_countries) == 1:
            country = next(iter(sentence_countries))
        if country is None and tally:
            top, n = tally.most_common(1)[0]
            if n >= settings.DOMESTIC_DEFAULT_SHARE * sum(tally.values()):
                country = top
        if country:
            arg.filled = replace(actor, country=country, code=Actor.make_code(country, actor.sector))

    def _actors(self, heads: list[Token], ctx, inside: bool = False, phrase_only: bool = False) -> list[ActorMention]:
        """Actors of argument heads; ``inside``: else the first actor named within the phrase (for targets:
        "denounced the prospect of US-Iraq talks"); ``phrase_only``: only that inner actor."""
        found: list[ActorMention] = []
        for h in heads:
            got = [] if phrase_only else self.resolver.actors_for(h, ctx)
            if not got and not phrase_only:
                # "Hassan al-Kaabi, Iraq's deputy speaker, said": the apposition names the actor
                for ap in (c for c in h.children if c.dep_ == "appos"):
                    got = self.resolver.actors_for(ap, ctx)
                    if got:
                        break
            if not got and inside and h.pos_ in ("NOUN", "PROPN"):
                # "the prospect of US-Iraq talks": the actors named inside the phrase (not inside a clause
                # on it: "a country which is supposed to protect Nato's borders" is not Nato)
                lo, hi = h.left_edge.i, h.right_edge.i + 1
                for span in h.doc.spans.get("actors", []):
                    if (lo <= span.start and span.end <= hi and span.label_ in ("country", "person", "org")
                            and not _inside_clause(span.root, h)):
                        got.extend(self.resolver.actors_for(span.root, ctx))
                    if got:
                        break  # the first actor named in the phrase: gold counts the phrase once
            found.extend(got)
        unique: dict[tuple, ActorMention] = {}
        for m in found:
            unique.setdefault((m.actor.code, m.actor.name, m.start), m)
        return list(unique.values())

    def _complement_targets(self, trigger: Token, ctx) -> list[ActorMention]:
        """Who a verbal act is about when it has no object: "demanded that the US leave" → the US."""
        for c in trigger.children:
            if c.dep_ in ("ccomp", "parataxis"):
                # (not an extraposed "it": "said it is unacceptable that ...")
                got = self._actors([s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")
                                    and s.lower_ != "it"], ctx)
            elif c.dep_ == "xcomp":
                got = []
                for slot in DEFAULT_TARGET_SLOTS:
                    got = self._actors(slot_heads(c, slot), ctx, inside=True)
                    if got:
                        break
                if not got:  # "cut off electricity to X": the recipient hangs on the object
                    got = self._actors([g for o in slot_heads(c, "dobj") for g in slot_heads(o, "pobj:to")], ctx,
                                       inside=True)
            else:
                continue
            if got:
                return got
        return []

    def _assess(self, cand: Candidate, ctx) -> _Assessed | None:
        """Resolve a candidate's actors, factuality and final code (intentions recoded)."""
        sources = self._actors(cand.source_heads, ctx)
        if not sources:
            sources = self._actors(self._relative_antecedent(cand.trigger), ctx)

        def others(found: list[ActorMention]) -> list[ActorMention]:
            return [t for t in found if not any(self._same(s, t) for s in sources)]

        targets = others(self._actors(cand.target_heads, ctx, inside=True))
        if not targets and cand.kind == "verb":
            # the first slot holds no actor, or only the source itself ("recalled its ambassador from
            # Israel", "shared evidence with the US"): try the others in order
            taken = {h.i for h in cand.source_heads}
            for slot in cand.entry.target or DEFAULT_TARGET_SLOTS:
                heads = [h for h in slot_heads(cand.trigger, slot) if h.i not in taken]
                targets = others(self._actors(heads, ctx, inside=True)) if heads else []
                if targets:
                    break
        if not targets and (cand.code[:2] in VERBAL_ROOTS or cand.consumed):
            targets = others(self._complement_targets(cand.trigger, ctx))
        factuality, attributed = classify(cand.anchor, self.cues)
        code = cand.code
        if factuality in ("predicted", "hypothetical"):
            governor = intention_governor(cand.anchor, self.intent)
            recoded = self.intent.recode(code) if governor is not None else None
            if recoded is not None:
                speakers = self._actors(subject_of(governor), ctx)
                said = {m.actor.country for m in speakers if m.actor.country}
                own = {m.actor.country for m in sources}
                if speakers and (not sources or own & said or (said and own == {None})):
                    # the act is the speaker's own stated intention ("the minister said the army would strike"):
                    # code the statement of intent, which happened; a role without a country is the speaker's
                    if sources and own == {None}:
                        country = sorted(said)[0]
                        sources = [replace(m, actor=replace(m.actor, country=country,
                                                            code=Actor.make_code(country, m.actor.sector)))
                                   for m in sources]
                    code, sources = recoded, sources or speakers
                    own_words = attributed is not None and attributed.head is not None and any(
                        attributed.head.i == s.i or attributed.head.is_ancestor(s) for s in subject_of(governor))
                    factuality = "asserted" if attributed is None or own_words else "reported"
                    if own_words:
                        attributed = None
        attribution = None
        if attributed is not None:
            who = self._actors([attributed.head], ctx) if attributed.head is not None else []
            actor = who[0].actor if who else None
            if actor is not None and actor.country is None and attributed.head is not None:
                # "a spokesman for Ethiopia's prime minister's office": the country named inside the phrase
                inner = self._actors([attributed.head], ctx, inside=True, phrase_only=True)
                if inner and inner[0].actor.country:
                    country = inner[0].actor.country
                    actor = replace(actor, country=country, code=Actor.make_code(country, actor.sector))
            attribution = Attribution(text=attributed.text, actor=actor)
        pairs = self._pairs(sources, targets, code[:2], specific=cand.rule_matched)
        if not pairs:
            return None
        return _Assessed(cand, code, pairs, factuality, attribution)

    @staticmethod
    def _embedded_in(inner: Candidate, outer: Candidate) -> bool:
        """Whether ``inner`` is said, asked, threatened or accused inside ``outer``'s complement: a clausal
        complement, a purpose clause ("protested to demand"), or a noun's complement on the object ("rejected
        the demand to cut ties")."""
        t = inner.trigger
        hops: list[str] = []
        purpose = any(c.dep_ == "aux" and c.lower_ == "to" for c in inner.trigger.children)
        while t.head.i != t.i:
            parent = t.head
            hops.append(t.dep_)
            if parent.i == outer.trigger.i:
                if t.dep_ in ("ccomp", "xcomp", "prep", "pcomp", "parataxis"):
                    return True
                if t.dep_ == "advcl" and purpose and len(hops) == 1:
                    return True
                if outer.code[:2] == STATEMENT_ROOT and t.dep_ == "dobj" and inner.kind == "noun":
                    return True  # "released accounts of a phone call": the statement is about the call
                return t.dep_ in ("dobj", "nsubjpass", "attr") and "acl" in hops
            t = parent
        return False

    @staticmethod
    def _own_happening(a: _Assessed) -> bool:
        """A violent nominal event with its own actors, date or place ("amid a Turkish military campaign inside
        Syria last weekend") is reported in passing but is a happening of its own: kept beyond the per-sentence
        limit."""
        return a.cand.kind == "noun" and a.code[:2] in UNKNOWN_ACTOR_ROOTS and a.factuality in ("asserted", "reported")

    @staticmethod
    def _consequence_of(inner: Candidate, outer: Candidate) -> bool:
        """"Rebels shelled the town, killing 12": a participle clause of the same kind of violence is one event."""
        t = inner.trigger
        return (
            t.dep_ == "advcl" and t.tag_ == "VBG" and t.head.i == outer.trigger.i
            and inner.code[:2] in UNKNOWN_ACTOR_ROOTS and outer.code[:2] in UNKNOWN_ACTOR_ROOTS
        )

    def _code_sentence(
        self,
        article: Article,
        sent: Span,
        offset: int,
        ctx,
        exprs: list[TimeExpression],
        tops: list[Toponym],
        tally: Counter[str] | None = None,
    ) -> list[EventMention]:
        assessed = [a for a in (self._assess(c, ctx) for c in self.engine.candidates(sent)) if a is not None]
        dropped: set[int] = set()
        for i, inner in enumerate(assessed):
            for j, outer in enumerate(assessed):
                if i == j:
                    continue
                if self._consequence_of(inner.cand, outer.cand):
                    dropped.add(i)
                    continue
                if outer.code[:2] not in CONTENT_ROOTS or not self._embedded_in(inner.cand, outer.cand):
                    continue
                # a statement whose content is a factual event is attribution; otherwise the content is
                # what was said, asked or threatened, not a second event
                if outer.code[:2] == STATEMENT_ROOT and inner.factuality in ("asserted", "reported"):
                    dropped.add(j)
                else:
                    dropped.add(i)
        scored = []
        s_lo, s_hi = offset + sent.start_char, offset + sent.end_char
        named = {m.actor.country for a in assessed for pair in a.pairs for m in (pair[0].mention, pair[1].mention)
                 if m is not None and m.actor.country and m.actor.country not in NON_STATE_PREFIXES}
        named |= {t.country for t in tops if s_lo <= t.start < s_hi and t.country}
        for k, a in enumerate(assessed):
            if k in dropped:
                continue
            for src, tgt in a.pairs:
                self._fill_country(src, tgt, sent, tops, offset, named, tally or Counter())
                self._fill_country(tgt, src, sent, tops, offset, named, tally or Counter())
                self._place_as_target(a, tgt, tops, offset)
                scored.append((self._confidence(a, src, tgt), a, src, tgt))
        scored.sort(key=lambda s: (-s[0], s[1].cand.trigger.i))
        seen: set[tuple] = set()
        triggers: set[int] = set()
        mentions: list[EventMention] = []
        for conf, a, src, tgt in scored:
            if conf < settings.MIN_EVENT_CONFIDENCE:
                continue
            key = (src.actor.code if src.actor else None, tgt.actor.code if tgt.actor else None,
                   "ASSAULT" if a.code[:2] in UNKNOWN_ACTOR_ROOTS else a.code[:2])
            if key in seen:
                continue
            # the sentence's best events, each with all its actor pairs ("US and Iraqi officials" → two)
            if (a.cand.trigger.i not in triggers and len(triggers) >= self.max_events_per_sentence
                    and not self._own_happening(a)):
                continue
            triggers.add(a.cand.trigger.i)
            seen.add(key)
            mentions.append(self._mention(article, sent, offset, a, src, tgt, conf, exprs, tops))
        return mentions

    @staticmethod
    def _same(a: ActorMention, b: ActorMention) -> bool:
        """The same entity, or a country and one of its own parts ("the US" and "Donald Trump")."""
        if a.start == b.start or (a.actor.name is not None and a.actor.name == b.actor.name):
            return True
        return a.actor.country == b.actor.country and (a.actor.sector is None or b.actor.sector is None) and (
            a.kind == "country" or b.kind == "country")

    def _pairs(
        self, sources: list[ActorMention], targets: list[ActorMention], root: str, specific: bool = False
    ) -> list[tuple[_ArgActor, _ArgActor]]:
        """Source/target pairs; an attack with neither side named counts only on specific evidence (a rule)."""
        if sources and targets:
            return [(_ArgActor(s), _ArgActor(t)) for s in sources[:3] for t in targets[:3] if not self._same(s, t)]
        if len(sources) >= 2 and root in RECIPROCAL_ROOTS:
            return [(_ArgActor(a), _ArgActor(b)) for a in sources[:3] for b in sources[:3]
                    if a is not b and a.actor.country != b.actor.country]
        if sources:
            return [(_ArgActor(s), _ArgActor(None)) for s in sources[:3]]
        if targets:
            return [(_ArgActor(None), _ArgActor(t)) for t in targets[:3]]
        if root in UNKNOWN_ACTOR_ROOTS and specific:
            return [(_ArgActor(None), _ArgActor(None))]
        return []

    @staticmethod
    def _confidence(a: _Assessed, src: _ArgActor, tgt: _ArgActor) -> float:
        cand = a.cand
        conf = 0.45
        # what the sentence says happened comes before what someone expects, wants or denies
        conf -= settings.NONFACTUAL_PENALTY if a.factuality in ("predicted", "hypothetical", "negated") else 0.0
        conf += 0.2 if src.actor is not None else 0.0
        conf += 0.15 if tgt.actor is not None else 0.0
        conf += 0.08 if cand.rule_matched else 0.0
        conf -= {"verb": 0.0, "light": 0.03, "noun": 0.08}[cand.kind]
        # main-clause events first: gold usually codes the sentence's main event
        depth = 0
        t = cand.anchor
        while t.head.i != t.i and depth < 6:
            if t.dep_ not in ("conj", "ccomp", "parataxis"):
                depth += 1
            t = t.head
        conf -= 0.04 * depth
        return max(0.0, min(1.0, conf))

    def _mention(
        self,
        article: Article,
        sent: Span,
        offset: int,
        assessed: _Assessed,
        src: _ArgActor,
        tgt: _ArgActor,
        confidence: float,
        exprs: list[TimeExpression],
        tops: list[Toponym],
    ) -> EventMention:
        cand, factuality, attribution = assessed.cand, assessed.factuality, assessed.attribution
        info = code_info(assessed.code)
        if self.time is not None:
            date = self.time.event_date(cand.anchor, exprs, article.published, offset)
            if (factuality in ("asserted", "reported") and article.published and date.end and date.start
                    and date.start <= article.published < date.end):
                # what the text says happened "this month" or "this year" happened by the publication day
                date = replace(date, end=article.published)
            if factuality in ("asserted", "reported") and self.time.is_historical(date, article.published):
                factuality = "historical"
        else:
            date = EventDate(article.published, article.published, "day" if article.published else "unknown")
        location = None
        if self.places is not None:
            heads = [*cand.source_heads, *cand.target_heads]
            location = self.places.event_location(cand.anchor, heads, tops, offset)
        # the sentence without the whitespace around it (a blank line before or after is not part of it)
        s_start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        s_end = offset + sent.start_char + len(sent.text.rstrip())
        t_start, t_end = cand.trigger_span
        shift = lambda span: (span[0] + offset, span[1] + offset) if span else None  # noqa: E731
        evidence = Evidence(
            sentence=article.text[s_start:s_end], start=s_start, end=s_end, trigger=cand.trigger_text,
            trigger_start=t_start + offset, trigger_end=t_end + offset,
        )
        mention_id = stable_id(
            article.article_id, s_start, t_start + offset, info.code,
            src.actor.code if src.actor else None, tgt.actor.code if tgt.actor else None,
            __version__, self.info.lexicons,
        )
        sizes = {k: ({"number": v[0], "kind": v[1]} if v else None) for k, v in sizes_in(sent, cand.trigger).items()}
        return EventMention(
            killed=sizes.get("killed"), injured=sizes.get("injured"), arrested=sizes.get("arrested"),
            id=mention_id, article_id=article.article_id, source=src.actor, target=tgt.actor,
            cameo=info.code, cameo_root=info.root, plover=info.plover, plover_mode=info.plover_mode,
            quad_class=info.quad_class, goldstein=info.goldstein, date=date, location=location,
            factuality=factuality, evidence=evidence, coder=self.info, confidence=confidence,
            attribution=attribution, source_span=shift(src.span), target_span=shift(tgt.span),
        )


def _inside_clause(token: Token, head: Token) -> bool:
    """Whether ``token`` sits in a finite clause attached below ``head`` (relative, complement, adverbial)."""
    t = token
    while t.i != head.i and t.head.i != t.i:
        if t.dep_ in ("relcl", "ccomp", "advcl"):
            return True
        t = t.head
    return False


_DEFAULT: Coder | None = None


def default_coder() -> Coder:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Coder()
    return _DEFAULT


def code_text(text: str, published: str | None = None, article_id: str | None = None) -> list[dict]:
    return [m.to_dict() for m in default_coder().code_text(text, published=published, article_id=article_id)]
