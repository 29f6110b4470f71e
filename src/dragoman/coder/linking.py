"""Argument linking: from a trigger's argument heads to the actors on each side, its factuality, the speaker's
stated intention, the attribution, and the source/target pairs (components of :class:`dragoman.coder.Coder`).

Each component reads the sentence's :class:`~dragoman.coder.context.Assessed` events and adds to them; the
resolver (:class:`dragoman.actors.ActorResolver`) says which actor a noun phrase denotes.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from dragoman import roots
from dragoman.actors import ActorMention, ActorResolver, ArticleContext
from dragoman.coder.context import ArgActor, Assessed, SentenceContext
from dragoman.events import (
    DEFAULT_TARGET_SLOTS,
    Candidate,
    Cues,
    EventEngine,
    IntentTable,
    classify,
    intention_governor,
    slot_heads,
    subject_of,
)
from dragoman.events.eventiveness import POLITICAL_SECTORS, disaster_sentence
from dragoman.events.factuality import own_modality
from dragoman.model import Actor, Attribution


class ActorFinder:
    """The actors of argument heads, as the linking components look for them."""

    def __init__(self, resolver: ActorResolver) -> None:
        self.resolver = resolver

    def actors(self, heads: list[Token], ctx: ArticleContext, inside: bool = False,
               phrase_only: bool = False) -> list[ActorMention]:
        """Actors of argument heads; ``inside``: else the first actor named within the phrase (for targets:
        "condemned the prospect of Peru-Chile talks"); ``phrase_only``: only that inner actor."""
        found: list[ActorMention] = []
        for h in heads:
            got = [] if phrase_only else self.resolver.actors_for(h, ctx)
            if self.resolver.is_destination(h):
                # "travelled to Oslo", "arrived in Norway": the place of the event, not its target
                found.extend(m for m in got if m.kind != "country")
                continue
            if not got and not phrase_only:
                # "Maria Duarte, Chile's deputy foreign minister, said": the apposition names the actor
                for ap in (c for c in h.children if c.dep_ == "appos"):
                    got = self.resolver.actors_for(ap, ctx)
                    if got:
                        break
            if not got and inside and h.pos_ in ("NOUN", "PROPN"):
                # "the prospect of Peru-Chile talks": the actors named inside the phrase (not inside a clause
                # on it: "a neighbour which claims to guard the EU's frontier" is not the EU)
                lo, hi = h.left_edge.i, h.right_edge.i + 1
                phrase = h.doc[lo:hi]
                for span in h.doc.spans.get("actors", []):
                    if (lo <= span.start and span.end <= hi and span.label_ in ("country", "person", "org")
                            and not inside_clause(span.root, h) and not self.resolver.is_backer(span)):
                        # the noun phrase the name sits in: "the Saudi embassy", not "Saudi"
                        np_head = self.resolver.np_head(span, phrase)
                        inner = []
                        if np_head.i != span.root.i:
                            inner = [m for m in self.resolver.actors_for(np_head, ctx)
                                     if m.start <= span.start_char and span.end_char <= m.end]
                        got.extend(inner or self.resolver.actors_for(span.root, ctx))
                    if got:
                        break  # the first actor named in the phrase: the phrase names one party
            found.extend(got)
        unique: dict[tuple, ActorMention] = {}
        for m in found:
            unique.setdefault((m.actor.code, m.actor.name, m.start), m)
        return list(unique.values())

    def complement_targets(self, trigger: Token, ctx: ArticleContext) -> list[ActorMention]:
        """Who a verbal act is about when it has no object: "demanded that the UN mission leave" → the UN."""
        for c in trigger.children:
            if c.dep_ in ("ccomp", "parataxis"):
                # (not an extraposed "it": "said it was wrong that ...")
                got = self.actors([s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")
                                   and s.lower_ != "it"], ctx)
            elif c.dep_ == "xcomp":
                got = []
                for slot in DEFAULT_TARGET_SLOTS:
                    got = self.actors(slot_heads(c, slot), ctx, inside=True)
                    if got:
                        break
                if not got:  # "cut off gas supplies to X": the recipient hangs on the object
                    got = self.actors([g for o in slot_heads(c, "dobj") for g in slot_heads(o, "pobj:to")], ctx,
                                      inside=True)
            else:
                continue
            if got:
                return got
        return []


class ArgumentLinker:
    """Component: each candidate's source and target actors (``Assessed.sources`` / ``targets``)."""

    def __init__(self, finder: ActorFinder, engine: EventEngine | None = None) -> None:
        self.finder = finder
        self.engine = engine

    def __call__(self, s: SentenceContext) -> None:
        ctx = s.chunk.state.actors
        s.assessed = []
        for cand in s.candidates:
            find = self.finder.actors
            sources = find(cand.source_heads, ctx)
            if not sources:
                sources = find(relative_antecedent(cand.trigger), ctx)
            if not sources and self.engine is not None and cand.kind == "verb" and cand.code[:2] in roots.VIOLENT:
                sources = self._attackers(cand, ctx)

            def others(found: list[ActorMention], sources: list[ActorMention] = sources) -> list[ActorMention]:
                return [t for t in found if not any(same_actor(x, t) for x in sources)]

            targets = others(find(cand.target_heads, ctx, inside=True))
            if not targets and cand.kind == "verb":
                # the first slot holds no actor, or only the source itself ("recalled its envoy from
                # Sweden", "shared files with Interpol"): try the others in order
                taken = {h.i for h in cand.source_heads}
                for slot in cand.entry.target or DEFAULT_TARGET_SLOTS:
                    heads = [h for h in slot_heads(cand.trigger, slot) if h.i not in taken]
                    targets = others(find(heads, ctx, inside=True)) if heads else []
                    if targets:
                        break
            if not targets and (cand.code[:2] in roots.VERBAL or cand.consumed):
                targets = others(self.finder.complement_targets(cand.trigger, ctx))
            s.assessed.append(Assessed(cand=cand, code=cand.code, sources=sources, targets=targets))


    def _attackers(self, cand: Candidate, ctx: ArticleContext) -> list[ActorMention]:
        """Whose attack did it, when the doer of a violent verb is an attack ("a Chadian air force onslaught
        killed 40", "were killed in Chadian and Sudanese air strikes"): the owner the attack noun names."""
        assert self.engine is not None
        t = cand.trigger
        means = [h for h in cand.source_heads if self.engine.violent_noun(h)]
        objects = [g for p in t.children if p.dep_ in ("prep", "agent") and p.lower_ in ("in", "by")
                   for g in p.children if g.dep_ == "pobj"]
        means += [g for o in objects for g in (o, *o.conjuncts) if self.engine.violent_noun(g)]
        for noun in means:
            owners = [c for c in noun.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
            owners += [j for c in owners for j in c.conjuncts]  # "Chadian and Sudanese air strikes"
            if noun.dep_ == "conj" and noun.head.ent_type_ in ("NORP", "GPE") and noun.head.i < noun.i:
                owners.append(noun.head)  # the same, parsed as "[Chadian] and [Sudanese air strikes]"
            # the "by" phrase may hang lower in the parse: "an attack on a patrol by Kosovar gunmen"
            owners += [g for p in noun.subtree if p.dep_ == "prep" and p.lower_ == "by"
                       and not inside_clause(p, noun) for g in p.children if g.dep_ == "pobj"]
            found = [m for m in self.finder.actors(owners, ctx) if m.actor.code]
            # "a Chadian air force onslaught": the air force, not also the bare country it belongs to
            found = [m for m in found if m.actor.sector or not any(
                o.actor.sector and o.actor.country == m.actor.country for o in found)]
            if found:
                return found
        return []


class SenseByActors:
    """Component: a trigger whose sense depends on who acts ("warned" by an aid agency is a comment, by a state
    a threat) is re-coded once its source actor is known, by the entry's rules with a ``source`` condition; an
    event the rules say is none is dropped."""

    def __init__(self, engine: EventEngine) -> None:
        self.engine = engine

    def __call__(self, s: SentenceContext) -> None:
        kept = []
        for a in s.assessed:
            entry = a.cand.entry
            if not any(rule.needs_actors for rule in entry.rules):
                kept.append(a)
                continue
            rule, _used = self.engine.matching_rule(entry, a.cand.trigger, actor_kinds(a.sources))
            code = (None if entry.only_rules else entry.code) if rule is None else rule.code
            if code is None:
                s.non_events.append((a.cand, "no event for this source"))
                continue
            a.code = code
            a.cand.rule_matched = rule is not None and rule.code is not None
            kept.append(a)
        s.assessed = kept


def actor_kinds(mentions: list[ActorMention]) -> frozenset[str]:
    """The codes an actor condition can name: each actor's country (or IGO/NGO/IMG prefix) and sector."""
    kinds: set[str] = set()
    for m in mentions:
        actor = m.actor
        code = actor.code or ""
        kinds.update(k for k in (actor.country, actor.sector, code[:3], code[3:6]) if k)
    return frozenset(kinds)


class DisasterReports:
    """Component: in a sentence that tells of a disaster or an accident and of no violence, nothing is violence
    and only what a named actor does is an event ("the government declared an emergency")."""

    def __call__(self, s: SentenceContext) -> None:
        if not s.assessed or not disaster_sentence(s.sent):
            return
        kept = []
        for a in s.assessed:
            if a.code[:2] in roots.VIOLENT or not a.sources:
                s.non_events.append((a.cand, "a disaster or an accident"))
            else:
                kept.append(a)
        s.assessed = kept


class PoliticalSpeakers:
    """Component: a public statement (CAMEO 01) or a visit (042, 043) is a political event only when a political
    actor makes it: a state, a government, armed or security body, party, court, legislature, international or
    non-governmental organisation ("his mother said", "two tourists travelled to the island" are none)."""

    def __call__(self, s: SentenceContext) -> None:
        kept = []
        for a in s.assessed:
            needs = a.code[:2] == roots.STATEMENT or a.code in roots.VISITS
            if needs and not any(political(m.actor) for m in a.sources):
                s.non_events.append((a.cand, "a statement or visit by no political actor"))
            else:
                kept.append(a)
        s.assessed = kept


def political(actor: Actor) -> bool:
    """A state (a bare country code), an organisation with an IGO/NGO/IMG code, or a political sector."""
    code = actor.code or ""
    if actor.country and not actor.sector and (code == actor.country or not code):
        return True
    if code[:3] in ("IGO", "NGO", "IMG"):
        return True
    return bool(actor.sector) and actor.sector in POLITICAL_SECTORS


class FactualityClassifier:
    """Component: whether each event happened, is expected, supposed or denied, and where the text attributes it
    (``Assessed.factuality`` / ``attributed``; :func:`dragoman.events.classify`)."""

    def __init__(self, cues: Cues) -> None:
        self.cues = cues

    def __call__(self, s: SentenceContext) -> None:
        for a in s.assessed:
            cand = a.cand
            a.factuality, a.attributed = classify(cand.anchor, self.cues, trigger=cand.trigger,
                                                  supported=cand.kind == "light")


class IntentionRecoder:
    """Component: an act that is only the speaker's own stated intention ("the minister said the army would
    strike") is coded as the statement of intent, which happened (``intent.yaml``)."""

    def __init__(self, intent: IntentTable, finder: ActorFinder, cues: Cues | None = None) -> None:
        self.intent = intent
        self.finder = finder
        self.cues = cues

    def __call__(self, s: SentenceContext) -> None:
        ctx = s.chunk.state.actors
        for a in s.assessed:
            if a.factuality not in ("predicted", "hypothetical"):
                continue
            governor = intention_governor(a.cand.anchor, self.intent)
            recoded = self.intent.recode(a.code) if governor is not None else None
            if recoded is None:
                continue
            sources = a.sources
            # "Oslo says it is keen to mediate": a predicate adjective's subject is its copula's
            holder = governor.head if governor.pos_ == "ADJ" and governor.dep_ in ("acomp", "attr") else governor
            stated = own_modality(holder, self.cues)
            if stated is not None:
                # "was not keen to mediate", "might be eager to sign": no intention was stated
                a.factuality = stated
                continue
            speakers = self.finder.actors(subject_of(holder), ctx)
            said = {m.actor.country for m in speakers if m.actor.country}
            own = {m.actor.country for m in sources}
            if not (speakers and (not sources or own & said or (said and own == {None}))):
                continue
            # a role without a country is the speaker's
            if sources and own == {None}:
                country = sorted(said)[0]
                sources = [replace(m, actor=replace(m.actor, country=country,
                                                    code=Actor.make_code(country, m.actor.sector)))
                           for m in sources]
            a.code, a.sources = recoded, sources or speakers
            attributed = a.attributed
            own_words = attributed is not None and attributed.head is not None and any(
                attributed.head.i == x.i or attributed.head.is_ancestor(x) for x in subject_of(holder))
            a.factuality = "asserted" if attributed is None or own_words else "reported"
            if own_words:
                a.attributed = None


class AttributionResolver:
    """Component: who a reported event is attributed to (``Assessed.attribution``)."""

    def __init__(self, finder: ActorFinder) -> None:
        self.finder = finder

    def __call__(self, s: SentenceContext) -> None:
        ctx = s.chunk.state.actors
        for a in s.assessed:
            attributed = a.attributed
            if attributed is None:
                continue
            who = self.finder.actors([attributed.head], ctx) if attributed.head is not None else []
            actor = who[0].actor if who else None
            if actor is not None and actor.country is None and attributed.head is not None:
                # "a spokesman for Ethiopia's prime minister's office": the country named inside the phrase
                inner = self.finder.actors([attributed.head], ctx, inside=True, phrase_only=True)
                if inner and inner[0].actor.country:
                    country = inner[0].actor.country
                    actor = replace(actor, country=country, code=Actor.make_code(country, actor.sector))
            a.attribution = Attribution(text=attributed.text, actor=actor)


class Pairing:
    """Component: each event's source/target pairs; an event with none is dropped (``Assessed.pairs``)."""

    def __call__(self, s: SentenceContext) -> None:
        for a in s.assessed:
            sources, targets = a.sources, a.targets
            if not any(m.actor.code for m in (*sources, *targets)):
                # only people the lexicon does not know ("Amina Okafor said"): nothing to code an event by
                sources, targets = [], []
            a.pairs = actor_pairs(sources, targets, a.code[:2], specific=a.cand.rule_matched or a.cand.happening,
                                  aimed=aimed_elsewhere(a.cand.trigger))
        s.assessed = [a for a in s.assessed if a.pairs]


# ---------------------------------------------------------------- shared rules
def relative_antecedent(trigger: Token) -> list[Token]:
    """"… camps in neighbouring Chad – which has warned …": when the parser hangs the relative clause on
    the wrong word, the name just before the relative pronoun is its antecedent."""
    rel = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("which", "who")]
    if not rel:
        return []
    i = rel[0].i - 1
    doc = trigger.doc
    while i >= 0 and rel[0].i - i <= 3 and doc[i].is_punct:
        i -= 1
    return [doc[i]] if i >= 0 and rel[0].i - i <= 3 and doc[i].pos_ == "PROPN" else []


def same_actor(a: ActorMention, b: ActorMention) -> bool:
    """The same entity, or a country and one of its own parts ("France" and "Emmanuel Macron")."""

    if a.start == b.start or (a.actor.name is not None and a.actor.name == b.actor.name):
        return True
    if _refers_back_to(a, b) or _refers_back_to(b, a):
        return True  # "Kenyan officials said they would respond": "they" are the officials
    return a.actor.country == b.actor.country and (a.actor.sector is None or b.actor.sector is None) and (
        a.kind == "country" or b.kind == "country")


def _refers_back_to(a: ActorMention, b: ActorMention) -> bool:
    """Whether ``a`` (a pronoun, title or "the group") was resolved to the words ``b`` names."""
    ante = a.actor.antecedent
    return ante is not None and a.actor.code == b.actor.code and ante.text == b.actor.text


def aimed_elsewhere(trigger: Token) -> bool:
    """Whether the act has an object of its own that is not the subjects themselves ("Chadian and Nigerien jets
    bombed the camps"): then coordinated subjects act together, not on each other."""
    return trigger.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("dobj", "obj") and c.lower_ not in ("other", "another") for c in trigger.children)


def actor_pairs(sources: list[ActorMention], targets: list[ActorMention], root: str,
                specific: bool = False, aimed: bool = False) -> list[tuple[ArgActor, ArgActor]]:
    """Source/target pairs; an attack with neither side named counts only on specific evidence (a rule).
    Coordinated subjects of a reciprocal act with no object of its own did it with each other ("Peru and Chile
    held talks" with each other; ``aimed``: "Peruvian and Chilean jets bombed the camps" did not bomb each other)."""
    if sources and targets:
        return [(ArgActor(s), ArgActor(t)) for s in sources[:3] for t in targets[:3] if not same_actor(s, t)]
    if len(sources) >= 2 and root in roots.RECIPROCAL and not (aimed and root in roots.VIOLENT):
        return [(ArgActor(a), ArgActor(b)) for a in sources[:3] for b in sources[:3]
                if a is not b and a.actor.country != b.actor.country]
    if sources:
        return [(ArgActor(s), ArgActor(None)) for s in sources[:3]]
    if targets:
        return [(ArgActor(None), ArgActor(t)) for t in targets[:3]]
    if (root in roots.VIOLENT or root == roots.PROTEST) and specific:
        return [(ArgActor(None), ArgActor(None))]
    return []


def inside_clause(token: Token, head: Token) -> bool:
    """Whether ``token`` sits in a finite clause attached below ``head`` (relative, complement, adverbial)."""
    t = token
    while t.i != head.i and t.head.i != t.i:
        if t.dep_ in ("relcl", "ccomp", "advcl"):
            return True
        t = t.head
    return False
