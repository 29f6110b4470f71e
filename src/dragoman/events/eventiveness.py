"""Whether a trigger candidate reports a happening: one specific occurrence that an analyst would count.

Many words that can name an event do not name one where they stand: a standing position or feeling in the
simple present ("Lima regards the movement as a criminal gang", "Hanoi dislikes the plan") or a standing
relation in the present perfect ("Quito has backed the rebels"), a participle
that only describes a noun ("the gangs funded by smugglers", "villages flooded last spring"), a participial
adjunct before another clause that sets its scene ("Landing in Accra, the envoy said ..."), a gerund or
clause used as a subject ("Fencing the border would be costly"), a relative clause in the past perfect that
tells the background of its noun ("a fund which had paid the militias"), a war or conflict named as a lasting
state rather than started or ended ("the legacy of the civil war"), acts summed over months or years ("has
detained hundreds over the past two years"), a question, or a line of link text or
credits. :func:`non_event_reason` says which of these holds (``None``: the candidate may be an event).

The words these rules need are in ``data/words.yaml`` (``stative_verbs``, ``link_text_openers``,
``generic_subject_determiners``, ``disaster_words``, ``violence_words``); the constructions are in the
dependency parse. :func:`disaster_sentence` tells a disaster or accident report (no event of violence, and none
at all unless a named actor acts).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dragoman.events.engine import Candidate
from dragoman.events.lexicon import word_lists

(STATIVE_VERBS, LINK_TEXT_OPENERS, GENERIC_DETERMINERS, DISASTER_WORDS, VIOLENCE_WORDS, _SECTORS, SITUATION_NOUNS,
 ONSET_VERBS, PERIOD_UNITS) = word_lists(
    "stative_verbs", "link_text_openers", "generic_subject_determiners", "disaster_words", "violence_words",
    "political_sectors", "situation_nouns", "onset_verbs", "period_units")
POLITICAL_SECTORS = frozenset(s.upper() for s in _SECTORS)
# Roots whose participle on a noun still reports the happening ("the villagers killed by the militia").
_VIOLENT_OR_COERCIVE = frozenset({"17", "18", "19", "20"})
_SIMPLE_PRESENT = ("VBZ", "VBP")


def _has_aux(t: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") for c in t.children)


def _has_subject(t: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in t.children)


def link_text(sent: Span) -> bool:
    """A line of links, credits or sign-up invitations inside the text ("Read more: ...")."""
    start = sent.text.strip().lower()
    return any(start.startswith(opener) for opener in LINK_TEXT_OPENERS)


def is_question(sent: Span) -> bool:
    return sent.text.rstrip().rstrip("”\"’'").endswith("?")


def stative_perfect(t: Token) -> bool:
    """A stative verb in the present perfect ("Ankara has backed the rebels", "has long supported"): a relation
    that has lasted up to now, not a happening."""
    return (t.tag_ == "VBN" and t.lemma_.lower() in STATIVE_VERBS
            and any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'s", "'ve") for c in t.children)
            and not any(c.dep_ == "auxpass" for c in t.children))


def stative_present(t: Token) -> bool:
    """A stative verb in the simple present, or any verb in the simple present with a generic subject: a
    standing position or a habit, not a happening."""
    if t.tag_ not in _SIMPLE_PRESENT or _has_aux(t):
        return False
    if t.lemma_.lower() in STATIVE_VERBS:
        return True
    subjects = [c for c in t.children if c.dep_ == "nsubj"]
    return any(d.dep_ == "det" and d.lower_ in GENERIC_DETERMINERS for s in subjects for d in s.children)


def descriptive_participle(t: Token, root: str) -> bool:
    """A participle that describes a noun ("forces stationed in the area", "the Iranian-backed militia"),
    unless it reports violence or coercion done to the noun by a named agent ("civilians killed by shelling")."""
    if t.dep_ not in ("amod", "acl") or t.tag_ not in ("VBN", "VBG"):
        return False
    by_agent = any(c.dep_ == "agent" for c in t.children)
    return not (by_agent and root in _VIOLENT_OR_COERCIVE)


def participial_adjunct(t: Token) -> bool:
    """A participial clause before its head clause that sets the scene ("Landing in Accra, the envoy said
    ..."): no subject, auxiliary or conjunction of its own. (A trailing one, "..., accusing Kabul of
    harbouring the group", often carries the sentence's act and is kept.)"""
    return (t.dep_ == "advcl" and t.tag_ in ("VBG", "VBN") and t.i < t.head.i and not _has_subject(t)
            and not _has_aux(t) and not any(c.dep_ == "mark" for c in t.children))


def clausal_subject(t: Token) -> bool:
    """A gerund or clause that is the subject of another verb ("Fencing the border would be costly")."""
    return t.dep_ in ("csubj", "csubjpass")


def _situation(t: Token) -> bool:
    return t.lemma_.lower() in SITUATION_NOUNS


def lasting_situation(t: Token, kind: str) -> bool:
    """A war, insurgency or occupation named as a lasting state ("the legacy of the war", "since the civil war
    erupted", "a group that has fought an insurgency for decades", "the war has killed thousands"), not one
    occurrence: the noun is the event only as the object of a verb that starts, joins or ends it ("declared war
    on", "went to war"); a verb is none when its subject or object is such a state, unless it is one of those
    verbs."""
    if kind == "verb":
        return t.lemma_.lower() not in ONSET_VERBS and any(
            c.dep_ in ("dobj", "nsubj") and _situation(c) for c in t.children)
    if not _situation(t):
        return False
    head = t.head
    if t.dep_ == "pobj" and head.dep_ in ("prep", "dative"):
        head = head.head  # "went to war", "entered into a conflict"
    elif t.dep_ not in ("dobj", "nsubjpass"):
        return True
    return head.lemma_.lower() not in ONSET_VERBS


def period_summary(t: Token) -> bool:
    """An act told over a stretch of months or years ("has killed 60,000 fighters over the past four years",
    "after months of shelling", "for decades"): a sum of many occurrences, not one."""
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ in PERIOD_UNITS:
        return True  # "months of shelling"
    for prep in (c for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "over", "during", "for", "throughout")):
        if any(o.dep_ == "pobj" and o.lower_ in PERIOD_UNITS for o in prep.children):
            return True
    return False


def background_relative(t: Token) -> bool:
    """A relative clause in the past perfect: the background of its noun, told before the story's events."""
    if t.dep_ != "relcl":
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in t.children)


def non_event_reason(cand: Candidate) -> str | None:
    """Why the candidate names no happening where it stands, or ``None`` when it may."""
    t = cand.trigger if cand.kind == "verb" else cand.anchor
    sent = cand.trigger.sent
    if link_text(sent):
        return "link text or credits"
    if is_question(sent):
        return "a question"
    if cand.kind == "verb":
        if stative_present(t):
            return "a standing position or habit (simple present)"
        if stative_perfect(t):
            return "a standing relation (present perfect of a stative verb)"
        if descriptive_participle(t, cand.code[:2]):
            return "a participle describing a noun"
    if cand.kind in ("verb", "noun") and lasting_situation(cand.trigger, cand.kind):
        return "a lasting war or conflict named as background"
    if cand.kind in ("verb", "noun") and period_summary(cand.trigger):
        return "a sum of acts over months or years"
    if cand.kind in ("verb", "light"):
        if participial_adjunct(t):
            return "a participial adjunct of another clause"
        if clausal_subject(t):
            return "a clause used as a subject"
        if background_relative(t):
            return "background in a past-perfect relative clause"
    return None


def disaster_sentence(sent: Span) -> bool:
    """A sentence that tells of a disaster or an accident and of no deliberate violence ("fifteen workers died
    when a boiler exploded", "floods hit the north"): it reports no political event of violence, and only what a
    named actor does in it (a government declaring an emergency) can be one."""
    words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    return bool(words & DISASTER_WORDS) and not words & VIOLENCE_WORDS
