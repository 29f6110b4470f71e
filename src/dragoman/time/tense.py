"""The tense of the clause a span sits in, read from the dependency parse.

Relative names ("in January", "Friday", "the fourth quarter") point back or forward depending on the verb that
governs them: "was strained in January" is the past January, "will meet in January" the next one.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Span, Token

Tense = Literal["past", "present", "future"]

_VERBAL = ("VERB", "AUX")
# Prepositions that only make sense with a past point ("since October", "ago" is inside the expression).
PAST_SIGNALS = frozenset({"since"})


def governing_verb(tok: Token, max_hops: int = 8) -> Token | None:
    """The first verb at or above ``tok`` in the parse (the expression's clause), or None."""
    cur = tok
    for _ in range(max_hops):
        if cur.pos_ in _VERBAL and cur.dep_ not in ("aux", "auxpass"):
            return cur
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return cur if cur.pos_ in _VERBAL else None


def verb_tense(verb: Token, future_aux: frozenset[str], future_verbs: frozenset[str], depth: int = 0) -> Tense | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in future_aux for a in auxes):
        return "future"
    if any(a.lower_ in ("to",) for a in auxes) or verb.tag_ == "VB":
        # An infinitive takes its time from the verb it complements: "expects to close by year-end".
        head = verb.head
        if head is not verb and depth < 3:
            if head.lemma_.lower() in future_verbs or (head.lemma_ == "be" and any(a.lower_ == "to" for a in auxes)):
                return "future"  # "expects to close", "is to resume"
            if head.pos_ in _VERBAL:
                return verb_tense(head, future_aux, future_verbs, depth + 1)
        return "future" if any(a.lower_ == "to" for a in auxes) else None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
        return "past"  # present perfect reports a past event
    if verb.tag_ == "VBN" and not auxes and verb.dep_ in ("acl", "amod", "relcl"):
        return "past"  # reduced relative: "the price cap set on March 9"
    if verb.tag_ in ("VBZ", "VBP", "VBG"):
        if verb.lemma_.lower() in future_verbs and verb.tag_ == "VBG":
            return "future"  # "is going / planning"
        return "present"
    return None


def span_tense(span: Span, future_aux: frozenset[str], future_verbs: frozenset[str]) -> Tense | None:
    """The tense of the clause governing ``span``; "since" shortly before forces the past."""
    doc = span.doc
    # "since October", "since shortly after the May 4 ceasefire": a past point however the clause is worded.

    for tok in doc[max(span.sent.start, span.start - 4):span.start]:
        if tok.lower_ in PAST_SIGNALS:
            return "past"
    verb = governing_verb(span.root)
    if verb is None:
        return None
    return verb_tense(verb, future_aux, future_verbs)
