"""Whether a trigger candidate reports a happening: one specific occurrence that an analyst would count.

Many words that can name an event do not name one where they stand: a standing position or feeling in the
simple present ("Lima regards the movement as a criminal gang", "Hanoi dislikes the plan") or a standing
relation in the present perfect ("Quito has backed the rebels"), a participle
that only describes a noun ("the gangs funded by smugglers", "villages flooded last spring"), a participial
adjunct before another clause that sets its scene ("Landing in Accra, the envoy said ..."), a gerund or
clause used as a subject ("Fencing the border would be costly"), a relative clause in the past perfect that
tells the background of its noun ("a fund which had paid the militias"), a war or conflict named as a lasting
state rather than started or ended ("the legacy of the civil war"), acts summed over months or years ("has
detained hundreds over the past two years"), counted in times ("has shelled the port forty times") or in a
running tally ("some 7,000 villagers have been displaced"), a habit in the present ("they are often detained"),
a gerund that is only talked of ("joked about shelling the port"), a heading inside the text, a question, or a
line of link text or credits. :func:`non_event_reason` says which of these holds (``None``: the candidate may be an event).

The words these rules need are in ``data/words.yaml`` (``stative_verbs``, ``link_text_openers``,
``generic_subject_determiners``, ``disaster_words``, ``violence_words``); the constructions are in the
dependency parse. :func:`disaster_sentence` tells a disaster or accident report (no event of violence, and none
at all unless a named actor acts).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dragoman import settings
from dragoman.events.engine import Candidate
from dragoman.events.lexicon import word_lists
from dragoman.events.sizes import parse_number

(STATIVE_VERBS, LINK_TEXT_OPENERS, GENERIC_DETERMINERS, DISASTER_WORDS, VIOLENCE_WORDS, _SECTORS, SITUATION_NOUNS,
 ONSET_VERBS, PERIOD_UNITS, HABITUAL_ADVERBS, HABIT_NOUNS, GUNFIRE_HEADS, REPEAT_COUNT_WORDS) = word_lists(
    "stative_verbs", "link_text_openers", "generic_subject_determiners", "disaster_words", "violence_words",
    "political_sectors", "situation_nouns", "onset_verbs", "period_units", "habitual_adverbs", "habit_nouns",
    "gunfire_heads", "repeat_count_words")
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


def _present_perfect(t: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'s", "'ve") for c in t.children)


def stative_perfect(t: Token) -> bool:
    """A stative verb in the present perfect ("Ankara has backed the rebels", "has long supported"): a relation
    that has lasted up to now, not a happening."""
    return (t.tag_ == "VBN" and t.lemma_.lower() in STATIVE_VERBS and _present_perfect(t)
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
        # ("the war has killed thousands", "the war was fought along sectarian lines", "fought in the civil war")
        if t.lemma_.lower() in ONSET_VERBS:
            return False
        return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") and _situation(c) for c in t.children) or _took_part_in(t)
    if not _situation(t):
        return False
    head = t.head
    if t.dep_ == "pobj" and head.dep_ in ("prep", "dative"):
        head = head.head  # "went to war", "entered into a conflict"
    elif t.dep_ not in ("dobj", "nsubjpass"):
        return True
    return head.lemma_.lower() not in ONSET_VERBS


def _took_part_in(t: Token) -> bool:
    """An undated active verb done in a war ("students fought in the civil war"): taking part in it, as background
    (a passive or a dated one, "were killed in the war on Sunday", may be one act)."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or any(
            x.ent_type_ in ("DATE", "TIME") for x in t.subtree):
        return False
    return any(p.dep_ == "prep" and p.lower_ in ("in", "during", "throughout")
               and any(o.dep_ == "pobj" and _situation(o) for o in p.children) for p in t.children)


def period_summary(t: Token) -> bool:
    """An act told over a stretch of months or years ("has killed 60,000 fighters over the past four years",
    "after months of shelling", "for decades"): a sum of many occurrences, not one."""
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lower_ in PERIOD_UNITS:
        return True  # "months of shelling"
    for prep in (c for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "over", "during", "for", "throughout")):
        if any(o.dep_ == "pobj" and o.lower_ in PERIOD_UNITS for o in prep.children):
            return True
    return False


def counted_repeats(t: Token) -> bool:
    """An act counted in times ("has used the gas more than 50 times", "struck the town dozens of times"): a tally
    of many occurrences, not one."""
    for c in t.children:
        if c.dep_ not in ("npadvmod", "advmod", "dobj", "pobj"):
            continue
        words = list(c.subtree)
        if any(w.lower_ == "times" for w in words) and any(
                w.like_num or w.lower_ in REPEAT_COUNT_WORDS for w in words):
            return True
    return False


def cumulative_tally(t: Token) -> bool:
    """An act in the present perfect done to a great many ("some 7,000 villagers have been displaced", "has
    detained a total of 640 smugglers"): a running tally of many acts, not one event."""
    if not _present_perfect(t):
        return False
    for patient in (c for c in t.children if c.dep_ in ("dobj", "nsubjpass")):
        if patient.lemma_.lower() == "total" and any(c.dep_ == "prep" and c.lower_ == "of" for c in patient.children):
            return True  # "a total of 640"
        counted = [patient] if patient.like_num else [c for c in patient.children if c.dep_ == "nummod"]
        for number in counted:
            words = " ".join(x.text for x in number.subtree if x.i <= number.i)
            value = parse_number(words) or parse_number(number.text)
            if value is not None and value[0] >= settings.EVENT_TALLY_MIN_COUNT:
                return True
    return False


def habitual_present(t: Token) -> bool:
    """A verb in the simple present, active or passive, with an adverb of frequency ("guards usually get blamed",
    "reporters are routinely detained"): a habit, not a happening."""
    auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
    present = (t.tag_ in _SIMPLE_PRESENT and not auxes) or (
        t.tag_ == "VBN" and len(auxes) == 1 and auxes[0].dep_ == "auxpass" and auxes[0].tag_ in _SIMPLE_PRESENT)
    present = present or (t.tag_ == "VBN" and any(a.lemma_ == "get" and a.tag_ in _SIMPLE_PRESENT for a in auxes))
    return present and any(c.dep_ == "advmod" and c.lower_ in HABITUAL_ADVERBS for c in t.children)


def topic_gerund(t: Token) -> bool:
    """A gerund that is what somebody talks, thinks or has a habit of ("joked about shelling the port", "a
    history of mounting raids"): the subject matter, not a happening."""
    if t.tag_ != "VBG" or t.dep_ != "pcomp":
        return False
    prep = t.head
    if prep.lower_ == "about":
        return True
    return prep.lower_ == "of" and prep.head.lemma_.lower() in HABIT_NOUNS


def body_heading(sent: Span) -> bool:
    """A heading inside the text ("The coalition's bombing record"): no verb and no closing stop."""
    if sent.start == 0:
        return False  # the first line may be the headline, which reports the story's event
    text = sent.text.rstrip().rstrip("”\"’'")
    return not text.endswith((".", "!", "?", ":")) and not any(t.pos_ in ("VERB", "AUX") for t in sent)


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
    if body_heading(sent):
        return "a heading inside the text"
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
    if cand.kind == "verb" and counted_repeats(t):
        return "a tally of repeated acts"
    if cand.kind == "verb" and cumulative_tally(t):
        return "a running tally (present perfect, a great many)"
    if cand.kind == "verb" and habitual_present(t):
        return "a habit (simple present with an adverb of frequency)"
    if cand.kind == "verb" and topic_gerund(t):
        return "a gerund naming what is talked of or habitual"
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
    if any(t.lower_ == "fire" and t.head.lemma_.lower() in GUNFIRE_HEADS for t in sent):
        return False  # "opened fire", "under fire": gunfire, not a blaze
    words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    return bool(words & DISASTER_WORDS) and not words & VIOLENCE_WORDS
