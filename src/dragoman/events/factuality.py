"""Factuality of an event mention from its clause: negated, hypothetical, predicted, reported or asserted.

``historical`` needs the resolved date and is decided by the pipeline once the time stage has run.
The cue lists live in ``data/factuality.yaml`` (kind ``factuality-cues``): a mapping of list name -> words,
every list of :data:`_LIST_KEYS` required.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from dragoman.events.lexicon import FACTUALITY_KIND
from dragoman.lexicons import Problem, check_kind, line_of, raise_if, read_yaml

FACTUALITY_FILE = Path(__file__).resolve().parent / "data" / "factuality.yaml"
_LIST_KEYS = (
    "reporting_verbs", "attribution_preps", "reporting_adverbs", "future_auxiliaries", "future_governors",
    "future_adverbs", "future_adjectives", "hypothetical_auxiliaries", "hypothetical_marks",
    "hypothetical_adverbs", "hypothetical_governors", "negation_words", "negation_governors", "future_nouns",
    "hypothetical_nouns", "temporal_marks",
)
# Clause links we climb when looking for what governs an event: complements, not coordination.
_COMPLEMENT_DEPS = {"xcomp", "ccomp", "acomp", "advcl", "acl", "relcl", "pcomp", "prep", "pobj", "dobj", "nsubj",
                    "nsubjpass", "attr", "conj", "appos", "npadvmod"}


@dataclass(frozen=True)
class Cues:
    reporting_verbs: frozenset[str]
    attribution_preps: frozenset[str]
    reporting_adverbs: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_governors: frozenset[str]
    future_adverbs: frozenset[str]
    future_adjectives: frozenset[str]
    hypothetical_auxiliaries: frozenset[str]
    hypothetical_marks: frozenset[str]
    hypothetical_adverbs: frozenset[str]
    hypothetical_governors: frozenset[str]
    negation_words: frozenset[str]
    negation_governors: frozenset[str]
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
        values[key] = frozenset(str(v).lower() for v in items)
    for key in sorted(set(data) - set(_LIST_KEYS) - {"version", "kind", "__line__", "__lines__"}):
        problems.append(Problem(str(path), line_of(data, key), f"unknown key {key!r}"))
    if len(problems) > found:
        return None
    return Cues(**values, hash=hashlib.sha256(path.read_bytes()).hexdigest()[:12])


@lru_cache(maxsize=1)
def load_cues(path: Path = FACTUALITY_FILE) -> Cues:
    """The factuality cues; :class:`dragoman.lexicons.LexiconError` naming every problem's file and line."""
    problems: list[Problem] = []
    cues = read_cues(path, problems)
    raise_if(problems, "factuality cues")
    assert cues is not None
    return cues


@dataclass
class Attributed:
    """Who a clause is attributed to: the phrase and the token heading it (for actor resolution)."""

    text: str
    head: Token | None


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


def _own_modifiers(t: Token) -> list[Token]:
    return [c for c in t.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "mark", "prep", "npadvmod")]


def _is_future_predicate(t: Token, cues: Cues) -> bool:
    for c in t.children:
        low = c.lower_
        if c.dep_ in ("aux", "auxpass") and (low in cues.future_auxiliaries or _lemma(c) in cues.future_auxiliaries):
            return True
        # "is going to", "are expected to", "is likely to"
        if c.dep_ in ("aux",) and low == "going":
            return True
    if t.dep_ == "xcomp":
        gov = t.head
        if _lemma(gov) in cues.future_governors or gov.lower_ in cues.future_adjectives:
            return True
        if gov.lemma_ == "be" and any(a.lower_ in cues.future_adjectives for a in gov.children if a.dep_ == "acomp"):
            return True
    if t.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in t.children):
        # "are due to end" parses with the event as xcomp of "due"
        pass
    return False


def classify(trigger: Token, cues: Cues | None = None) -> tuple[str, Attributed | None]:
    """Factuality (without ``historical``) and attribution of the event whose clause is headed by ``trigger``."""
    cues = cues or load_cues()
    sent = trigger.sent
    chain = clause_chain(trigger)
    negated = hypothetical = predicted = False
    for depth, t in enumerate(chain):
        mods = _own_modifiers(t) if t.pos_ in ("VERB", "AUX") or depth == 0 else []
        for c in mods:
            low = c.lower_
            if c.dep_ == "neg" or (low in cues.negation_words and c.dep_ in ("advmod", "neg")):
                negated = True
            if c.dep_ in ("aux",) and (low in cues.hypothetical_auxiliaries or _lemma(c) in cues.hypothetical_auxiliaries):
                hypothetical = True
            if c.dep_ == "mark" and low in cues.hypothetical_marks:
                hypothetical = True
            if c.dep_ == "advmod" and low in cues.hypothetical_adverbs:
                hypothetical = True
            if c.dep_ == "advmod" and low in cues.future_adverbs:
                predicted = True
        # a determiner "no" on the event noun: "no talks were held"
        if depth == 0 and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            negated = True
        if t.pos_ in ("VERB", "AUX") and _is_future_predicate(t, cues):
            predicted = True
        if depth > 0:
            lem = _lemma(t)
            child = chain[depth - 1]
            if child.dep_ in ("xcomp", "ccomp") and lem in cues.negation_governors:
                negated = True
            if child.dep_ in ("xcomp", "ccomp") and lem in cues.hypothetical_governors and lem not in cues.future_governors:
                hypothetical = True
            if child.dep_ == "xcomp" and (lem in cues.future_governors or t.lower_ in cues.future_adjectives):
                predicted = True
            # a present-tense temporal clause under a future main clause is future too:
            # "as the two delegations meet, Kenya will push for ..."
            if (
                child.dep_ == "advcl"
                and any(m.dep_ == "mark" and m.lower_ in cues.temporal_marks for m in child.children)
                and child.tag_ in ("VBP", "VBZ")
                and _is_future_predicate(t, cues)
            ):
                predicted = True
            infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            if infinitival and child.dep_ == "acl" and t.pos_ == "NOUN":
                # "their wish to annex", "a plan to withdraw": not (yet) done
                if lem in cues.future_nouns:
                    predicted = True
                elif lem in cues.hypothetical_nouns:
                    hypothetical = True
            if infinitival and child.dep_ == "advcl":
                hypothetical = True  # a purpose clause: "massed troops to close the border"

        # stop climbing at a reporting verb: what it governs is what somebody said
        if depth > 0 and _lemma(t) in cues.reporting_verbs:
            break
    attribution = find_attribution(trigger, sent, cues)
    if negated:
        return "negated", attribution
    if hypothetical:
        return "hypothetical", attribution
    if predicted:
        return "predicted", attribution
    if attribution is not None:
        return "reported", attribution
    return "asserted", None


def find_attribution(trigger: Token, sent: Span, cues: Cues | None = None) -> Attributed | None:
    """The source a clause is attributed to: "according to X", or the subject of a reporting verb above it."""
    cues = cues or load_cues()
    for t in sent:
        if t.lower_ in cues.attribution_preps and t.dep_ == "prep":
            objs = [g for c in t.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            objs += [c for c in t.children if c.dep_ == "pobj"]
            if objs:
                head = objs[0]
                span = sent.doc[head.left_edge.i: head.right_edge.i + 1]
                return Attributed(f"according to {span.text}", head)
    for t in clause_chain(trigger)[1:]:
        if _lemma(t) in cues.reporting_verbs and t.pos_ in ("VERB", "AUX"):
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                head = subj[0]
                span = sent.doc[head.left_edge.i: head.right_edge.i + 1]
                return Attributed(f"{span.text} {t.text}", head)
            return Attributed(t.text, None)
    # "X said" as a parenthetical after the clause: parsed with the event as ccomp of the reporting verb root
    root = sent.root
    if (
        root.i != trigger.i and _lemma(root) in cues.reporting_verbs and not trigger.is_ancestor(root)
        and any(c.dep_ in ("ccomp", "parataxis") and (c.i == trigger.i or c.is_ancestor(trigger)) for c in root.children)
    ):
        subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        head = subj[0] if subj else None
        text = sent.doc[head.left_edge.i: head.right_edge.i + 1].text + f" {root.text}" if head else root.text
        return Attributed(text, head)
    if any(t.lower_ in cues.reporting_adverbs for t in sent):
        return Attributed(next(t.text for t in sent if t.lower_ in cues.reporting_adverbs), None)
    return None
