"""Factuality of an event mention from its clause: negated, hypothetical, predicted, reported or asserted.

``historical`` needs the resolved date and is decided by the pipeline once the time stage has run.
The cue lists live in ``data/factuality.yaml`` (kind ``factuality-cues``): a mapping of list name -> words,
every list of :data:`_LIST_KEYS` required.

Scope: a cue counts where it governs the event. The event's own clause counts whole (its negation, modals,
future auxiliaries, adverbs, a condition on it); so do the verbs it is the complement of ("did not try to
attack", "is likely to attack"), and a coordinated verb it shares a subject with ("will enter and search").
A clause the event is only mentioned in does not: a negation two clauses up ("did not mention the decision to
withdraw"), the other half of "did not comment but condemned", what is said about an event noun ("the strike
was not authorised"). A noun event takes its clause's cues only through a verb of occurrence or conduct ("no
talks were held", "will launch an offensive").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from dragoman.events.lexicon import FACTUALITY_KIND
from dragoman.lexicons import Problem, check_kind, line_of, read_checked, read_yaml

FACTUALITY_FILE = Path(__file__).resolve().parent / "data" / "factuality.yaml"
_LIST_KEYS = (
    "reporting_verbs", "evidential_verbs", "reporting_nouns", "attribution_preps", "reporting_adverbs",
    "evidential_modifiers", "future_auxiliaries", "future_governors", "future_adverbs", "future_adjectives",
    "future_modifiers", "attempt_verbs", "hypothetical_auxiliaries", "hypothetical_marks", "condition_marks",
    "hypothetical_adverbs", "hypothetical_governors", "hypothetical_adjectives", "hypothetical_modifiers",
    "hypothetical_determiners", "negation_words", "negation_governors", "noun_negation_governors",
    "negative_arguments", "support_verbs", "future_nouns", "hypothetical_nouns", "temporal_marks",
)
# Clause links we climb when looking for what governs an event: complements, not coordination.
_COMPLEMENT_DEPS = {"xcomp", "ccomp", "acomp", "advcl", "acl", "relcl", "pcomp", "prep", "pobj", "dobj", "nsubj",
                    "nsubjpass", "attr", "conj", "appos", "npadvmod"}
_VERBAL = ("VERB", "AUX")
_NOMINAL = ("NOUN", "PROPN")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")


@dataclass(frozen=True)
class Cues:
    reporting_verbs: frozenset[str]
    evidential_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    attribution_preps: frozenset[str]
    reporting_adverbs: frozenset[str]
    evidential_modifiers: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_governors: frozenset[str]
    future_adverbs: frozenset[str]
    future_adjectives: frozenset[str]
    future_modifiers: frozenset[str]
    attempt_verbs: frozenset[str]
    hypothetical_auxiliaries: frozenset[str]
    hypothetical_marks: frozenset[str]
    condition_marks: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    hypothetical_adjectives: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    hypothetical_determiners: frozenset[str]  # "any strike": any one of its kind, not one that happened
    negation_words: frozenset[str]
    negation_governors: frozenset[str]
    noun_negation_governors: frozenset[str]
    negative_arguments: frozenset[str]
    support_verbs: frozenset[str]
    future_nouns: frozenset[str]
    hypothetical_nouns: frozenset[str]
    temporal_marks: frozenset[str]  # a present-tense clause they open under a future one is future too
    hash: str


def read_cues(path: Path, problems: list[Problem]) -> Cues | None:
    """The cues of a ``factuality-cues`` file, or ``None`` with every problem (file and line) added."""
    data = read_yaml(path, problems)
    if data is None or not check_kind(path, FACTUALITY_KIND, problems):
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "top level must be a mapping of list name -> words"))
        return None
    found = len(problems)
    values = {}
    for key in _LIST_KEYS:
        items = data.get(key)
        if not isinstance(items, list) or not items:
            said = "must be a non-empty list" if key in data else "is missing (a non-empty list)"
            problems.append(Problem(str(path), line_of(data, key), f"'{key}' {said}"))
            continue
        odd = [v for v in items if not isinstance(v, str)]
        if odd:  # a bare on/off/yes/no is a YAML boolean, a bare number an int: neither matches a word
            problems.append(Problem(str(path), line_of(data, key), f"'{key}': {odd[0]!r} is not a word; quote it"))
            continue
        values[key] = frozenset(v.lower() for v in items)
    for key in sorted(set(data) - set(_LIST_KEYS) - {"version", "kind", "__line__", "__lines__"}):
        problems.append(Problem(str(path), line_of(data, key), f"unknown key {key!r}"))
    if len(problems) > found:
        return None
    return Cues(**values, hash=hashlib.sha256(path.read_bytes()).hexdigest()[:12])


@lru_cache(maxsize=1)
def load_cues(path: Path = FACTUALITY_FILE) -> Cues:
    """The factuality cues; :class:`dragoman.lexicons.LexiconError` naming every problem's file and line."""
    return read_checked(read_cues, path, "factuality cues")


@dataclass
class Attributed:
    """Who a clause is attributed to: the phrase and the token heading it (for actor resolution)."""

    text: str
    head: Token | None


@dataclass
class _Marks:
    negated: bool = False
    hypothetical: bool = False
    predicted: bool = False


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def clause_chain(token: Token, stop: Token | None = None) -> list[Token]:
    """The token and the verbs/nouns governing it up to the sentence root (nearest first)."""
    chain = [token]
    t = token
    while t.head.i != t.i and t.dep_ in _COMPLEMENT_DEPS:
        t = t.head
        chain.append(t)
        if stop is not None and t.i == stop.i:
            break
    return chain


def _clause_head(t: Token) -> Token:
    h = t
    for _ in range(8):
        if h.pos_ in _VERBAL or h.head.i == h.i:
            return h
        h = h.head
    return h


def _auxes(t: Token) -> list[Token]:
    return [c for c in t.children if c.dep_ in ("aux", "auxpass")]


def _is_past(t: Token) -> bool:
    """A finite past or perfect verb: "tried", "was trying", "has tried", "had tried"."""
    auxes = _auxes(t)
    return t.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or (
        t.tag_ == "VBN" and any(_lemma(a) == "have" for a in auxes))


def _has_own_subject(t: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in t.children)


def _negated_here(t: Token, cues: Cues) -> bool:
    for c in t.children:
        if c.dep_ == "neg" or (c.lower_ in cues.negation_words and c.dep_ in ("advmod", "neg")):
            return True
        # "no one was hurt", "killed no civilians", "nobody claimed the attack"
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (
                c.lower_ in cues.negative_arguments
                or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
            return True
    return False


def _future_here(t: Token, cues: Cues) -> bool:
    for c in t.children:
        if c.dep_ in ("aux", "auxpass") and (c.lower_ in cues.future_auxiliaries or _lemma(c) in cues.future_auxiliaries):
            return True
        if c.dep_ == "aux" and c.lower_ == "going":  # "is going to"
            return True
        if c.dep_ == "advmod" and c.lower_ in cues.future_adverbs:
            return True
    return False


def _supposed_here(t: Token, cues: Cues) -> bool:
    for c in t.children:
        low = c.lower_
        if c.dep_ == "aux" and (low in cues.hypothetical_auxiliaries or _lemma(c) in cues.hypothetical_auxiliaries):
            return True
        if c.dep_ == "mark" and low in cues.hypothetical_marks:
            return True
        if c.dep_ == "advmod" and low in cues.hypothetical_adverbs:
            return True
        # the consequence of a condition: "Egypt will cut ties if the talks fail"
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues.condition_marks for m in c.children):
            return True
    return False


def _future_governor(t: Token, cues: Cues) -> bool:
    """Whether ``t`` makes its xcomp a future act: "expects to", "is likely to", "is set to"."""
    if _lemma(t) in cues.future_governors or t.lower_ in cues.future_adjectives:
        return True
    return t.lemma_ == "be" and any(a.lower_ in cues.future_adjectives for a in t.children if a.dep_ == "acomp")


def own_modality(t: Token, cues: Cues | None = None) -> str | None:
    """What ``t``'s own clause marks, without what governs it: "negated" ("was not ready to"), "hypothetical"
    ("might be eager to", "presumably remains keen to"), else ``None``."""
    cues = cues or load_cues()
    if _negated_here(t, cues):
        return "negated"
    return "hypothetical" if _supposed_here(t, cues) else None


def _governor_marks(t: Token, child: Token, cues: Cues, m: _Marks) -> None:
    """What ``t`` makes of the clause ``child`` it governs, by its meaning (deny, demand, plan, be likely)."""
    lem = _lemma(t)
    link = child.dep_
    complement = link in ("xcomp", "ccomp") or (link == "dobj" and child.tag_ == "VBG")  # "denied attacking"
    if complement and lem in cues.negation_governors and not _negated_here(t, cues):
        m.negated = True
    if complement and lem in cues.hypothetical_governors and lem not in cues.future_governors:
        m.hypothetical = True
    if link in ("ccomp", "csubj", "xcomp") and t.lemma_ == "be" and any(
            a.dep_ == "acomp" and a.lower_ in cues.hypothetical_adjectives for a in t.children):
        m.hypothetical = True  # "it is possible that ..."
    if link == "xcomp" and _future_governor(t, cues):
        perfect = any(a.dep_ == "aux" and _lemma(a) == "have" for a in child.children)
        attempted = (lem in cues.attempt_verbs and _is_past(t) and not _negated_here(t, cues)
                     and not _future_here(t, cues) and not _supposed_here(t, cues))
        if perfect:
            m.hypothetical = True  # "is likely to have attacked": a probable past act, not a forecast
        elif not attempted:  # "tried to kill the mayor": the attempt happened
            m.predicted = True
    # the parser often tags a plural present "discuss" as a bare VB: with its own subject and no auxiliary it
    # is finite present all the same
    present = child.tag_ in ("VBP", "VBZ") or (child.tag_ == "VB" and not _auxes(child) and _has_own_subject(child))
    if (link == "advcl" and present and _future_here(t, cues)
            and any(c.dep_ == "mark" and c.lower_ in cues.temporal_marks for c in child.children)):
        m.predicted = True  # "as the two sides meet next week, Iran will try to ..."
    infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
    if infinitival and link == "acl" and t.pos_ == "NOUN":
        # "their wish to annex", "a plan to withdraw": not (yet) done
        if lem in cues.future_nouns:
            m.predicted = True
        elif lem in cues.hypothetical_nouns:
            m.hypothetical = True
    if infinitival and link == "advcl":
        m.hypothetical = True  # a purpose clause: "... to cut off ties with the US"


def _clause_marks(verb: Token, cues: Cues, m: _Marks) -> None:
    """Negation, modality and tense of the clause ``verb`` heads, and of what governs it within scope."""
    t = verb
    own = neg = True  # whether t's own modality (and negation) scope over the event
    governed = True  # whether t's meaning as a governor does ("denied", "plans to", "is likely to")
    child: Token | None = None
    for _ in range(12):
        if child is not None and governed:
            _governor_marks(t, child, cues, m)
            if child.dep_ in ("ccomp", "advcl", "acl"):
                governed = False  # past a clause boundary only that one governor counts
        if own:
            if neg and _negated_here(t, cues):
                m.negated = True
            if _supposed_here(t, cues):
                m.hypothetical = True
            if _future_here(t, cues):
                m.predicted = True
        if child is not None and (_lemma(t) in cues.reporting_verbs or _lemma(t) in cues.evidential_verbs):
            break  # what it governs is what somebody said or believes
        if t.head.i == t.i or t.dep_ not in _COMPLEMENT_DEPS:
            break
        link = t.dep_
        if link == "conj":
            # a conjunct with its own subject or auxiliaries is its own clause; one that shares them takes
            # their modality, and their negation only under "or"/"nor" ("did not fire or advance")
            shared = not _has_own_subject(t) and not _auxes(t)
            own = own and shared
            neg = neg and shared and any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in t.head.children)
        elif link == "advcl" and t.tag_ == "VBG" and not any(c.dep_ == "mark" for c in t.children):
            neg = False  # "will withdraw, leaving the town undefended": the modality carries, a negation not
        elif link in ("ccomp", "advcl", "acl"):
            own = neg = False  # the governor's meaning counts (deny, plan, purpose), its modifiers do not
        elif link == "pcomp" and t.tag_ == "VBG" and t.head.dep_ == "prep" and t.head.head.pos_ == "NOUN":
            # "the prospect of cutting troops", "a plan for withdrawing": the noun says it has not happened
            noun = _lemma(t.head.head)
            if noun in cues.future_nouns:
                m.predicted = True
            elif noun in cues.hypothetical_nouns:
                m.hypothetical = True
            break
        elif link != "xcomp":  # xcomp: "did not try to attack", "will try to attack" are the event's clause
            break  # a noun or preposition the event hangs from: what governs that is another clause
        child, t = t, t.head


def _noun_marks(noun: Token, cues: Cues, m: _Marks) -> Attributed | None:
    """The event noun's own cues: "no talks", "the planned offensive", "a possible attack", "the alleged raid"."""
    attributed = None
    for c in noun.children:
        low = c.lower_
        if c.dep_ == "det" and low == "no":
            m.negated = True
        if c.dep_ == "det" and low in cues.hypothetical_determiners:
            m.hypothetical = True
        if c.dep_ in ("amod", "compound", "advmod"):
            if low in cues.future_modifiers:
                m.predicted = True
            elif low in cues.hypothetical_modifiers:
                m.hypothetical = True
            elif low in cues.evidential_modifiers and attributed is None:
                attributed = Attributed(c.text, None)
    return attributed


def _governed_noun(noun: Token, verb: Token, cues: Cues, m: _Marks) -> None:
    """A noun event that is the object of a verb of planning, asking or preventing: "threatened an offensive",
    "called for talks", "foiled an attack"."""
    direct = noun.head.i == verb.i and noun.dep_ in ("dobj", "nsubjpass")
    via_prep = (noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.i == verb.i)
    if not (direct or via_prep):
        return
    lem = _lemma(verb)
    if lem in cues.noun_negation_governors and not _negated_here(verb, cues):
        m.negated = True
    elif lem in cues.hypothetical_governors and lem not in cues.future_governors:
        m.hypothetical = True
    elif lem in cues.future_governors and direct:
        m.predicted = True


def classify(token: Token, cues: Cues | None = None, trigger: Token | None = None,
             supported: bool = False) -> tuple[str, Attributed | None]:
    """Factuality (without ``historical``) and attribution of the event whose clause is headed by ``token``.

    ``trigger``, for an event named by a noun, is that noun (``token`` is then the verb of its clause): the
    noun's own modifiers count, and the clause's only when its verb is one of occurrence or conduct
    (``support_verbs``) or ``supported`` says it is the light verb that hands its event to the noun ("held
    talks"). A noun passed as ``token`` is read the same way, with its clause's verb found in the parse.
    """
    cues = cues or load_cues()
    m = _Marks()
    noun: Token | None = None
    if trigger is not None and trigger.i != token.i and trigger.pos_ in _NOMINAL:
        noun = trigger
    elif token.pos_ in _NOMINAL:
        noun, token = token, _clause_head(token)
    evidential = None
    if noun is not None:
        evidential = _noun_marks(noun, cues, m)
        if token.i != noun.i and (supported or _lemma(token) in cues.support_verbs):
            _clause_marks(token, cues, m)
        elif token.i != noun.i:
            _governed_noun(noun, token, cues, m)
    else:
        _clause_marks(token, cues, m)
        if _lemma(token) in cues.support_verbs and any(
                c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ in cues.hypothetical_determiners
                                         for d in c.children) for c in token.children):
            m.hypothetical = True  # "to join any strike": the verb hands its event to a noun that is any one
    attribution = find_attribution(token, token.sent, cues) or evidential
    if m.negated:
        return "negated", attribution
    if m.hypothetical:
        return "hypothetical", attribution
    if m.predicted:
        return "predicted", attribution
    if attribution is not None:
        return "reported", attribution
    return "asserted", None


def _phrase(head: Token) -> str:
    return head.doc[head.left_edge.i: head.right_edge.i + 1].text


def _attributed_to_verb(verb: Token, link: Token) -> Attributed:
    """The source behind a reporting or evidential verb: its subject ("the monitor said"), the agent of a passive
    ("was reported by state media"), or, for "is believed to", "is said to", only the verb."""
    passive = any(c.dep_ == "auxpass" for c in verb.children) or (verb.tag_ == "VBN" and link.dep_ == "xcomp")
    if passive:
        agents = [g for a in verb.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        if agents:
            return Attributed(f"{verb.text} by {_phrase(agents[0])}", agents[0])
        auxes = [a.text for a in verb.children if a.dep_ in ("aux", "auxpass") and a.i < verb.i]
        return Attributed(" ".join([*auxes, verb.text]), None)
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        return Attributed(f"{_phrase(subj[0])} {verb.text}", subj[0])
    return Attributed(verb.text, None)


def find_attribution(trigger: Token, sent: Span, cues: Cues | None = None) -> Attributed | None:
    """The source a clause is attributed to: "according to X", the subject of a reporting or evidential verb
    above it ("the monitor said", "officials believe"), a report it is the content of ("amid claims that"),
    or an adverb ("reportedly")."""
    cues = cues or load_cues()
    for t in sent:
        if t.lower_ in cues.attribution_preps and t.dep_ == "prep":
            objs = [g for c in t.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            objs += [c for c in t.children if c.dep_ == "pobj"]
            if objs:
                head = objs[0]
                return Attributed(f"according to {_phrase(head)}", head)
    chain = clause_chain(trigger)
    for below, t in zip(chain, chain[1:], strict=False):
        lem = _lemma(t)
        if t.pos_ in _VERBAL and (lem in cues.reporting_verbs or (
                lem in cues.evidential_verbs and below.dep_ in ("ccomp", "xcomp"))):
            return _attributed_to_verb(t, below)
        if t.pos_ == "NOUN" and lem in cues.reporting_nouns and below.dep_ in ("acl", "ccomp"):
            return Attributed(t.doc[t.left_edge.i: t.i + 1].text, None)  # "amid claims that ..."
    # "X said" as a parenthetical after the clause: parsed with the event as ccomp of the reporting verb root
    root = sent.root
    if (
        root.i != trigger.i and _lemma(root) in cues.reporting_verbs and not trigger.is_ancestor(root)
        and any(c.dep_ in ("ccomp", "parataxis") and (c.i == trigger.i or c.is_ancestor(trigger)) for c in root.children)
    ):
        subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        head = subj[0] if subj else None
        text = _phrase(head) + f" {root.text}" if head else root.text
        return Attributed(text, head)
    if any(t.lower_ in cues.reporting_adverbs for t in sent):
        return Attributed(next(t.text for t in sent if t.lower_ in cues.reporting_adverbs), None)
    return None
