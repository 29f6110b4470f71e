"""Selection: which of a sentence's events are coded, with which actors (components of
:class:`dragoman.coder.Coder`).

A sentence often holds several candidate events: a statement and what was said, an attack and the killing it
caused, the main clause's event and others reported in passing. These components drop the ones that are only
another's content or consequence, fill in the countries of actors named without one, rank what is left by
confidence and keep the sentence's best events (``settings.MAX_EVENTS_PER_SENTENCE``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from spacy.tokens import Span, Token

from dragoman import roots, settings
from dragoman.actors import REGIONS, ActorResolver
from dragoman.coder.context import ArgActor, Assessed, Scored, SentenceContext
from dragoman.events import Candidate
from dragoman.events.lexicon import word_lists
from dragoman.model import Actor, Toponym

# Actor prefixes that are not states (organisations, regions): never a domestic default.
NON_STATE_PREFIXES = frozenset({"IGO", "NGO", "IMG", "MNC"}) | REGIONS
FACTUAL = ("asserted", "reported")
NON_FACTUAL = ("predicted", "hypothetical", "negated")


class Suppositions:
    """Component: an event the text only supposes ("would", "could", "should", "if") is no event, unless it is
    the speaker's own stated intention, which the intention recoder has made a statement of intent by then;
    ``settings.KEEP_HYPOTHETICAL`` keeps them (as ``hypothetical``)."""

    def __call__(self, s: SentenceContext) -> None:
        if settings.KEEP_HYPOTHETICAL:
            return
        kept = []
        for a in s.assessed:
            if a.factuality == "hypothetical":
                s.non_events.append((a.cand, "only supposed"))
            else:
                kept.append(a)
        s.assessed = kept


class EmbeddedEvents:
    """Component: an event that is what another says, asks or threatens, or the consequence of another, is not
    an event of its own (``Assessed`` events marked in ``SentenceContext.dropped``)."""

    def __call__(self, s: SentenceContext) -> None:
        dropped: set[int] = set()
        assessed = s.assessed
        for i, inner in enumerate(assessed):
            for j, outer in enumerate(assessed):
                if i == j:
                    continue
                if consequence_of(inner.cand, outer.cand):
                    dropped.add(i)
                    continue
                if outer.code[:2] not in roots.CONTENT or not embedded_in(inner.cand, outer.cand):
                    continue
                # a statement whose content is a factual event is attribution; otherwise the content is
                # what was said, asked or threatened, not a second event
                if outer.code[:2] == roots.STATEMENT and inner.factuality in FACTUAL:
                    dropped.add(j)
                else:
                    dropped.add(i)
        s.dropped = dropped


class CountryFilling:
    """Component: a role named without a country takes one from context, and an act aimed at a place targets
    that place's country (fills ``ArgActor.filled``)."""

    def __call__(self, s: SentenceContext) -> None:
        chunk = s.chunk
        offset, tops = chunk.offset, chunk.toponyms
        s_lo, s_hi = offset + s.sent.start_char, offset + s.sent.end_char
        # countries the sentence names, as actors of any event (dropped ones too) or as places
        named = {m.actor.country for a in s.assessed for pair in a.pairs for m in (pair[0].mention, pair[1].mention)
                 if m is not None and m.actor.country and m.actor.country not in NON_STATE_PREFIXES}
        named |= {t.country for t in tops if s_lo <= t.start < s_hi and t.country}
        tally = chunk.state.countries
        for k, a in enumerate(s.assessed):
            if k in s.dropped:
                continue
            for src, tgt in a.pairs:
                violent = a.code[:2] in roots.VIOLENT
                where = event_place_countries(a.cand.trigger, tops, offset)
                fill_country(src, tgt, s.sent, tops, offset, named, tally, violent, where)
                fill_country(tgt, src, s.sent, tops, offset, named, tally, violent, where)
                place_as_target(a, tgt, tops, offset)
                keep_sides_apart(src, tgt)


class Ranking:
    """Component: the sentence's events, best first, each with all its actor pairs ("Kenyan and Ugandan
    officials" → two); at most ``max_events`` distinct triggers, except violent happenings reported in passing
    and acts coordinated with a kept one
    (``SentenceContext.scored``)."""

    def __init__(self, max_events: int) -> None:
        self.max_events = max_events

    def __call__(self, s: SentenceContext) -> None:
        scored = [Scored(confidence(a, src, tgt), a, src, tgt)
                  for k, a in enumerate(s.assessed) if k not in s.dropped for src, tgt in a.pairs]
        scored.sort(key=lambda x: (-x.confidence, x.event.cand.trigger.i))
        seen: set[tuple] = set()
        triggers: set[int] = set()
        # the violent verbs the sentence keeps: a violent noun that is their argument names the same attack
        violent = {x.event.cand.trigger.i for x in scored if x.event.cand.kind == "verb"
                   and x.event.code[:2] in roots.VIOLENT and x.confidence >= settings.MIN_EVENT_CONFIDENCE}
        kept: list[Scored] = []
        for x in scored:
            a, src, tgt = x.event, x.source, x.target
            if x.confidence < settings.MIN_EVENT_CONFIDENCE:
                continue
            key = (src.actor.code if src.actor else None, tgt.actor.code if tgt.actor else None,
                   "ASSAULT" if a.code[:2] in roots.VIOLENT else a.code[:2])
            if key in seen or names_kept_violence(a, violent):
                continue
            if (a.cand.trigger.i not in triggers and len(triggers) >= self.max_events
                    and not own_happening(a)
                    and not (a.code[:2] != roots.STATEMENT and coordinated_with(a.cand.trigger, triggers))):
                continue
            triggers.add(a.cand.trigger.i)
            seen.add(key)
            kept.append(x)
        # the sentence's main event first ("rallies turned violent when police fired tear gas": the rallies),
        # the more certain first among events of one clause level
        kept.sort(key=lambda x: clause_depth(x.event.cand))
        s.scored = kept


# ---------------------------------------------------------------- the rules
def names_kept_violence(a: Assessed, violent: set[int]) -> bool:
    """ "Chadian air strikes hit a clinic": a violent noun that is the subject or object of a violent verb the
    sentence keeps names that same attack, not a second one."""
    t = a.cand.trigger
    if a.cand.kind != "noun" or a.code[:2] not in roots.VIOLENT:
        return False
    if t.dep_ == "pobj" and t.head.lower_ in ("in", "by") and t.head.head.i in violent:
        return True  # "civilians were killed in Chadian air strikes": the strikes are the killing
    return t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.head.i in violent


def embedded_in(inner: Candidate, outer: Candidate) -> bool:
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
            if outer.code[:2] == roots.STATEMENT and t.dep_ == "dobj" and inner.kind == "noun":
                return True  # "released a summary of the call": the statement is about the call
            return t.dep_ in ("dobj", "nsubjpass", "attr") and "acl" in hops
        t = parent
    return False


def consequence_of(inner: Candidate, outer: Candidate) -> bool:
    """"Rebels shelled the town, killing 12": a participle clause of the same kind of violence is one event."""
    t = inner.trigger
    return (
        t.dep_ == "advcl" and t.tag_ == "VBG" and t.head.i == outer.trigger.i
        and inner.code[:2] in roots.VIOLENT and outer.code[:2] in roots.VIOLENT
    )


def coordinated_with(trigger: Token, kept: set[int]) -> bool:
    """"Iran condemned the strike and called on the UN to act": an act coordinated with a kept one is an event of
    its own (a second event of the sentence)."""
    t = trigger
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
        if t.i in kept:
            return True
    return any(c.i in kept for c in trigger.conjuncts)


def own_happening(a: Assessed) -> bool:
    """A violent nominal event with its own actors, date or place ("during an Ethiopian army offensive inside
    Eritrea on Friday") is reported in passing but is a happening of its own: kept beyond the per-sentence
    limit."""
    named = any(m.actor.code for m in (*a.sources, *a.targets))
    if a.cand.kind == "noun" and a.code[:2] == roots.PROTEST and a.cand.happening and a.factuality in FACTUAL:
        # "marches broke out in the port, with shops set alight": the protest is news beside the violence
        return a.cand.trigger.dep_ in ("nsubj", "nsubjpass")
    return (a.cand.kind == "noun" and (named or not a.cand.happening) and a.code[:2] in roots.VIOLENT
            and a.factuality in FACTUAL)


def place_as_target(a: Assessed, tgt: ArgActor, tops: list[Toponym], offset: int) -> None:
    """An act aimed at a place rather than an actor ("shelled the capital", "fired at targets in the valley",
    "cut off gas supplies to the enclave") targets that place's country, not its government. The place a
    motion verb goes to ("flew to Oslo") is the event's location, never its target."""
    actor = tgt.actor
    root = a.code[:2]
    if actor is not None:
        if tgt.mention is not None and tgt.mention.metonym and root in roots.PLACE_TARGET:
            tgt.filled = replace(actor, code=actor.country, sector=None)
        return
    trigger = a.cand.trigger
    verbal = root in roots.VERBAL or root == roots.INVESTIGATE
    spans: list[tuple[int, int]] = []
    for c in trigger.children:
        if c.dep_ == "prep" and any(ActorResolver.is_destination(g) for g in c.children):
            continue  # "travelled to Oslo": where the event happens, not whom it is aimed at
        if c.dep_ in ("dobj", "xcomp", "dative", "prep", "attr") and not (
            verbal and c.dep_ == "prep" and c.lower_ in ("in", "at", "during", "from")
        ):
            spans.append((c.left_edge.idx + offset, c.right_edge.idx + len(c.right_edge.text) + offset))
    if not spans or (verbal and root not in roots.PLACE_TARGET and not any(
            c.dep_ in ("dobj", "xcomp") for c in trigger.children)):
        return
    for top in tops:
        if top.country and any(lo <= top.start and top.end <= hi for lo, hi in spans):
            tgt.filled = Actor(code=top.country, country=top.country, name=top.name, text=top.name)
            return


# Sectors whose members often act outside their own country: their country is not the place of the act.
FOREIGN_CAPABLE = frozenset({"MIL", "SPY", "IGO", "NGO", "MED"})
(EVENT_PLACE_PREPS,) = word_lists("event_place_preps")


def event_place_countries(trigger: Token, tops: list[Toponym], offset: int) -> set[str]:
    """The countries of the places the act is said to happen at ("arrested him at the airport in Lyon",
    "were killed in Abeche"): the toponyms under the trigger's own locative prepositions."""
    spans = [(p.left_edge.idx + offset, p.right_edge.idx + len(p.right_edge) + offset) for p in trigger.children
             if p.dep_ == "prep" and p.lower_ in EVENT_PLACE_PREPS]
    return {t.country for t in tops if t.country and any(lo <= t.start and t.end <= hi for lo, hi in spans)}


def fill_country(arg: ArgActor, other: ArgActor, sent: Span, tops: list[Toponym], offset: int,
                 sentence_countries: set[str], tally: Counter[str], violent: bool = False,
                 event_place: set[str] | None = None) -> None:
    """A role with no country ("the judge", "protesters") is domestic: take the country from a place in
    its own phrase, else (unless it is of a sector that acts abroad) from the place the act happens at, else
    from the other side of the event (in violence only when that side acts at home: not an army or a state,
    which may strike abroad), else from the only country the sentence names, else from the country that dominates the article. (Not from who reports it: a foreign embassy may
    speak of another state's army.) The phrase may allow less (``ActorMention.country_from``): "pro-Iranian
    militias" only the one country the sentence names as a place (not where it names the backer), never the
    other side's nor the article's; "Kurdish fighters" that place or the article's country, never the other
    side's; "members", "a spokesman" or an unlisted person only a place in their own phrase."""
    actor = arg.actor
    if actor is None or actor.country or not actor.sector:
        return
    country = None
    m = arg.mention
    allowed = m.country_from if m is not None else "any"
    if allowed in ("places", "local"):
        # only the places the sentence names, not where it names a backer ("rebels backed by Turkey")
        backers = [(lo + offset, hi + offset) for lo, hi in m.backers] if m is not None else []
        s_lo, s_hi = offset + sent.start_char, offset + sent.end_char
        sentence_countries = {t.country for t in tops if s_lo <= t.start < s_hi and t.country
                              and not any(lo <= t.start < hi for lo, hi in backers)}
    if m is not None:
        head = sent.doc[m.head_i] if 0 <= m.head_i < len(sent.doc) else None
        if head is not None:
            lo, hi = head.left_edge.idx + offset, head.right_edge.idx + len(head.right_edge.text) + offset
            inside = {t.country for t in tops if lo <= t.start and t.end <= hi and t.country}
            if len(inside) == 1:
                country = inside.pop()
    if country is None and allowed == "phrase":
        return
    if country is None and allowed == "any" and actor.sector not in FOREIGN_CAPABLE and event_place and len(
            event_place) == 1:
        # police, courts, civilians: those of the country the act happens in ("police arrested him at the
        # airport in Lyon"); an army may act abroad
        country = next(iter(event_place))
    # (in violence, an army or a state named by its country may strike abroad: "Russian air strikes killed
    # civilians" are not Russian civilians; police, courts and governments act at home)
    abroad = violent and other.actor is not None and other.actor.sector in (None, "MIL")
    if (country is None and allowed == "any" and other.actor is not None and not abroad
            and other.actor.country not in (None, *NON_STATE_PREFIXES)):
        country = other.actor.country
    if country is None and len(sentence_countries) == 1:
        country = next(iter(sentence_countries))
    if country is None and tally and allowed in ("any", "local"):
        top, n = tally.most_common(1)[0]
        if n >= settings.DOMESTIC_DEFAULT_SHARE * sum(tally.values()):
            country = top
    if country:
        arg.filled = replace(actor, country=country, code=Actor.make_code(country, actor.sector))


def keep_sides_apart(src: ArgActor, tgt: ArgActor) -> None:
    """An event never has the same actor on both sides by inference: when a filled-in country makes the two
    sides one code ("rebels attacked Kurdish fighters" -> SYRREB on both), the filled side keeps its phrase
    without the country. Both sides named so in the text ("Syrian rebels fought Syrian rebels") stand."""
    if src.actor is None or tgt.actor is None or src.actor.code != tgt.actor.code:
        return
    for side in (tgt, src):
        # (a place's country as the target is the codebook's convention: "Nigerians rallied in Lagos" NGA->NGA)
        if side.filled is not None and side.mention is not None and side.filled.country != side.mention.actor.country:
            side.filled = None
            return


def confidence(a: Assessed, src: ArgActor, tgt: ArgActor) -> float:
    """How sure the coder is of one pair of an event (``settings.CONFIDENCE_*``)."""
    cand = a.cand
    conf = settings.CONFIDENCE_BASE
    # what the sentence says happened comes before what someone expects, wants or denies
    conf -= settings.NONFACTUAL_PENALTY if a.factuality in NON_FACTUAL else 0.0
    conf += settings.CONFIDENCE_SOURCE_NAMED if src.actor is not None else 0.0
    conf += settings.CONFIDENCE_TARGET_NAMED if tgt.actor is not None else 0.0
    conf += settings.CONFIDENCE_RULE_MATCHED if cand.rule_matched else 0.0
    conf -= settings.CONFIDENCE_TRIGGER_KIND_COST[cand.kind]
    # a bare public statement ranks below any other event of its sentence (the CAMEO 01 convention)
    conf -= settings.CONFIDENCE_STATEMENT_COST if a.code[:2] == roots.STATEMENT else 0.0
    # main-clause events first: gold usually codes the sentence's main event
    conf -= settings.CONFIDENCE_CLAUSE_DEPTH_COST * clause_depth(cand)
    return max(0.0, min(1.0, conf))


def clause_depth(cand: Candidate) -> int:
    """How far below the sentence's main clause the event's anchor sits (coordination, complements of speech
    and parentheticals do not count: "X said Y attacked Z" reports Y's attack as the main news)."""
    depth = 0
    t = cand.anchor
    while t.head.i != t.i and depth < settings.CONFIDENCE_MAX_CLAUSE_DEPTH:
        if t.dep_ not in ("conj", "ccomp", "parataxis"):
            depth += 1
        t = t.head
    return depth
