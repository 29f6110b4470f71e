"""The tense of the clause a span sits in, read from the dependency parse.

Relative names ("in January", "Friday", "the fourth quarter") point back or forward depending on the verb that
governs them: "was strained in January" is the past January, "will meet in January" the next one. Events are
dated by their clause's aspect as well: what "had" happened is earlier than the time the story is at.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Span, Token

Tense = Literal["past", "present", "future"]
# The tense of an event's clause with its perfect: "had shelled" (pluperfect) happened before the time the story
# is at, "has captured" (perfect) up to now.
Aspect = Literal["past", "pluperfect", "perfect", "present", "future"]

_VERBAL = ("VERB", "AUX")
# Prepositions that only make sense with a past point ("since October", "ago" is inside the expression).
PAST_SIGNALS = frozenset({"since"})
# Links by which a gerund or participle hangs in another clause and takes its time ("before starting the
# offensive on Saturday", "leaving the town").
_NONFINITE_LINKS = frozenset({"pcomp", "advcl", "xcomp", "conj", "acl"})


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


def _auxes(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def is_past(verb: Token) -> bool:
    """A finite past or perfect verb: "tried", "was trying", "has tried", "had tried"."""
    auxes = _auxes(verb)
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or (
        verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes))


def verb_tense(verb: Token, future_aux: frozenset[str], future_verbs: frozenset[str], depth: int = 0,
               attempt_verbs: frozenset[str] = frozenset()) -> Tense | None:
    """The tense of the clause ``verb`` heads. ``attempt_verbs`` govern an act that was attempted when they are
    past ("attempted to escape on Thursday" is the past Wednesday)."""
    auxes = _auxes(verb)
    if any(a.lower_ in future_aux for a in auxes):
        return "future"
    if any(a.lower_ in ("to",) for a in auxes) or verb.tag_ == "VB":
        # An infinitive takes its time from the verb it complements: "expects to close by year-end".
        head = verb.head
        if head is not verb and depth < 3:
            if head.lemma_.lower() in attempt_verbs and is_past(head):
                return "past"  # "tried to storm the town on Sunday"
            if head.lemma_.lower() in future_verbs or (head.lemma_ == "be" and any(a.lower_ == "to" for a in auxes)):
                return "future"  # "expects to close", "is to resume"
            if head.pos_ in _VERBAL:
                return verb_tense(head, future_aux, future_verbs, depth + 1, attempt_verbs)
        return "future" if any(a.lower_ == "to" for a in auxes) else None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
        return "past"  # present perfect reports a past event
    if verb.tag_ == "VBN" and not auxes and verb.dep_ in ("acl", "amod", "relcl"):
        return "past"  # reduced relative: "the price cap set on March 9"
    if verb.tag_ == "VBG" and not auxes and verb.dep_ in _NONFINITE_LINKS and depth < 3:
        # a gerund or participle has the time of the clause it hangs in: "before starting the offensive on
        # Saturday" in a past report is the past Saturday
        head = governing_verb(verb.head) if verb.head.i != verb.i else None
        if head is not None and head.i != verb.i:
            inherited = verb_tense(head, future_aux, future_verbs, depth + 1, attempt_verbs)
            if inherited is not None:
                return inherited
    if verb.tag_ in ("VBZ", "VBP", "VBG"):
        if verb.lemma_.lower() in future_verbs and verb.tag_ == "VBG":
            return "future"  # "is going / planning"
        return "present"
    return None


def clause_aspect(verb: Token, future_aux: frozenset[str], future_verbs: frozenset[str],
                  attempt_verbs: frozenset[str] = frozenset()) -> Aspect | None:
    """The tense of ``verb``'s clause with its perfect: "had seized" pluperfect, "having seized" too (done before
    the clause it hangs from), "has seized" perfect, else :func:`verb_tense`."""
    auxes = _auxes(verb)
    haves = [a for a in auxes if a.lemma_ == "have"]
    participle = verb.tag_ == "VBN" or any(a.lower_ == "been" for a in auxes)
    if haves and participle:
        if any(a.tag_ == "VBD" for a in haves) or any(a.lower_ == "having" for a in haves):
            return "pluperfect"
        if any(a.tag_ in ("VBZ", "VBP") for a in haves):
            return "perfect"
    return verb_tense(verb, future_aux, future_verbs, attempt_verbs=attempt_verbs)


def span_tense(span: Span, future_aux: frozenset[str], future_verbs: frozenset[str],
               attempt_verbs: frozenset[str] = frozenset()) -> Tense | None:
    """The tense of the clause governing ``span``; "since" shortly before forces the past."""
    doc = span.doc
    # "since October", "since shortly after the May 4 ceasefire": a past point however the clause is worded.

    for tok in doc[max(span.sent.start, span.start - 4):span.start]:
        if tok.lower_ in PAST_SIGNALS:
            return "past"
    verb = governing_verb(span.root)
    if verb is None:
        return None
    return verb_tense(verb, future_aux, future_verbs, attempt_verbs=attempt_verbs)
