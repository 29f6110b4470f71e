"""Size fields of an event mention: how many were killed, injured, arrested (PLOVER's dead/injured/arrested),
read from the mention's sentence where it states them.

``sizes_in(sent, trigger)`` → ``{"killed": (n, kind) | None, "injured": ..., "arrested": ...}`` with ``kind``
one of ``"exact"`` ("17 people"), ``"at_least"`` ("at least 17", "more than 17") or ``"vague"`` ("dozens",
"about 20"). A count belongs to a cue word (killed, dead, wounded, detained ...) when the parse attaches it to
the cue's arguments ("killed 17 miners", "17 miners were killed", "17 dead", "a death toll of 17") or it
stands right before it; when a sentence has several cues of one kind, the one nearest the trigger wins.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from dragoman import settings
from dragoman.events.lexicon import load_number_words, word_lists

# The English words live in data files: the cue words of each count (data/words.yaml, with what each list is
# for) and the number words with their values (data/numbers.yaml).
_KILLED, _INJURED, _ARRESTED = word_lists("killed_cues", "injured_cues", "arrested_cues")
CUES: dict[str, frozenset[str]] = {"killed": _KILLED, "injured": _INJURED, "arrested": _ARRESTED}
_NUMBER_WORDS = load_number_words()
WORDS = _NUMBER_WORDS.cardinals
ORDINALS = _NUMBER_WORDS.ordinals
SCALE = _NUMBER_WORDS.scales
(_AT_LEAST_WORDS, _ABOUT_WORDS, _UNCOUNTED_VAGUE, _PARTITIVE_COUNTS,
 _SUBJECT_COUNTED_VERBS) = word_lists("at_least_phrases", "about_phrases", "uncounted_vague_words",
                                      "partitive_count_heads", "subject_counted_verbs")
# Longest first, so that a phrase is never cut short by a shorter one it starts with.
AT_LEAST = tuple(sorted(_AT_LEAST_WORDS, key=lambda w: (-len(w), w)))
ABOUT = tuple(sorted(_ABOUT_WORDS, key=lambda w: (-len(w), w)))
_VAGUE_HEADS = frozenset(w.split()[-1] for w in settings.CLAIM_VAGUE_RANGES) - _UNCOUNTED_VAGUE
_NUM = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


def parse_number(text: str) -> tuple[int, str] | None:
    """A count phrase → (number, kind): "17" → (17, exact), "at least 17" → (17, at_least), "dozens" →
    (24, vague) (the low end of ``settings.CLAIM_VAGUE_RANGES``), "twenty-five" → (25, exact)."""
    t = " ".join(text.lower().replace("-", " ").split())
    kind = "exact"
    for p in AT_LEAST:
        if t.startswith(p + " "):
            kind, t = "at_least", t[len(p) + 1:]
            break
    else:
        for p in ABOUT:
            if t.startswith(p + " "):
                kind, t = "vague", t[len(p) + 1:]
                break
    t = t.removeprefix("the ")
    for word, (lo, _hi) in sorted(settings.CLAIM_VAGUE_RANGES.items(), key=lambda kv: -len(kv[0])):
        if t == word or t.startswith(word + " of") or t == word.rstrip("s"):
            return (lo, "vague") if word not in ("a dozen",) else (12, "vague" if kind == "exact" else kind)
    words = t.split()
    if not words:
        return None
    total, current, seen = 0, 0, False
    for w in words:
        w = w.rstrip(".,")
        if _NUM.match(w):
            current += int(w.replace(",", ""))
            seen = True
        elif w in WORDS:
            v = WORDS[w]
            current = current * v if v == 100 and current else current + v
            seen = True
        elif w in SCALE and seen:
            total += (current or 1) * SCALE[w]
            current = 0
        elif w == "and" and seen:
            continue
        else:
            break
    if not seen:
        return None
    return total + current, kind


def _count_of(tok: Token) -> tuple[int, str] | None:
    """The count a noun (or number) carries: its nummod with quantifier words, "dozens of X", or itself."""
    if tok.like_num or tok.lower_ in WORDS:
        lo = min((t.i for t in tok.subtree), default=tok.i)
        for k in (3, 2, 1):  # "at least 17", "more than 40", "about 20"
            if tok.i - k >= tok.sent.start and tok.doc[tok.i - k: tok.i].text.lower() in AT_LEAST + ABOUT:
                lo = min(lo, tok.i - k)
                break
        return parse_number(tok.doc[lo: tok.i + 1].text)
    for c in tok.children:
        if c.dep_ == "nummod" or (c.like_num and c.dep_ in ("amod", "quantmod", "compound")):
            lo = min(t.i for t in c.subtree)
            return parse_number(tok.doc[lo: c.i + 1].text)
    # "dozens of students": the head is the quantity word
    if tok.lower_ in {w.split()[-1] for w in settings.CLAIM_VAGUE_RANGES} | _PARTITIVE_COUNTS:
        lo = min(t.i for t in tok.subtree)
        return parse_number(tok.doc[lo: tok.i + 1].text)
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head is not tok:
        return _count_of(head.head) if head.head.lower_ in _PARTITIVE_COUNTS else None
    return None


def _cue_count(cue: Token) -> tuple[int, str] | None:
    args: list[Token] = []
    if cue.i > cue.sent.start and cue.dep_ not in ("nsubj", "nsubjpass"):  # "12 dead and 30 injured"
        prev = cue.doc[cue.i - 1]
        if prev.like_num or prev.lower_ in WORDS or prev.lower_ in _VAGUE_HEADS:
            return _count_of(prev) or parse_number(prev.text)
    if cue.pos_ in ("VERB", "AUX") or cue.tag_ in ("VBN", "VBD", "VBG"):
        deps = ("dobj", "nsubjpass", "attr") + (("nsubj",) if cue.lemma_ in _SUBJECT_COUNTED_VERBS else ())
        args += [c for c in cue.children if c.dep_ in deps]
        if cue.dep_ in ("acl", "amod", "relcl") and cue.head.pos_ in ("NOUN", "PROPN", "NUM"):
            args.append(cue.head)  # "17 people killed", "the 40 detained"
    else:
        # "13 dead", "five wounded": a number right before an adjective or noun cue
        if cue.i > cue.sent.start:
            prev = cue.doc[cue.i - 1]
            if prev.like_num or prev.lower_ in WORDS:
                return _count_of(prev)
        args += [c for c in cue.children if c.dep_ in ("nummod", "pobj", "prep", "appos")]
        head = cue.head
        if head.i != cue.i and head.pos_ in ("VERB", "AUX"):
            if cue.dep_ == "nsubj":  # "the death toll climbed to 17"
                args += [c for c in head.children if c.dep_ in ("attr", "dobj")]
                for p in [c for c in head.children if c.dep_ == "prep"]:
                    args += [c for c in p.children if c.dep_ == "pobj"]
            elif cue.dep_ in ("advmod", "oprd", "acomp", "xcomp", "dobj", "prt", "ccomp"):  # "shot dead six guards"
                args += [c for c in head.children if c.dep_ in ("dobj", "nsubjpass") and c.i != cue.i]
        if cue.dep_ in ("amod", "acomp", "attr", "oprd") or cue.head.pos_ in ("NOUN", "NUM"):
            args.append(cue.head)
        # "a death toll of 13": of → pobj
        for p in [c for c in cue.children if c.dep_ == "prep"]:
            args += [c for c in p.children if c.dep_ == "pobj"]
    for a in args:
        got = _count_of(a)
        if got is not None:
            return got
    # "13 dead", "five wounded": a number right before an adjective cue
    if cue.i > cue.sent.start:
        prev = cue.doc[cue.i - 1]
        if prev.like_num or prev.lower_ in WORDS:
            return _count_of(prev)
    return None


def sizes_in(sent: Span, trigger: Token) -> dict[str, tuple[int, str] | None]:
    """Killed, injured and arrested counts stated in ``sent`` (nearest ``trigger`` when several)."""
    out: dict[str, tuple[int, str] | None] = {k: None for k in CUES}
    best: dict[str, int] = {}
    for tok in sent:
        lemma, lower = tok.lemma_.lower(), tok.lower_
        for kind, cues in CUES.items():
            if lemma not in cues and lower not in cues:
                continue
            if lemma == "round" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
                continue
            got = _cue_count(tok)
            if got is None:
                continue
            dist = abs(tok.i - trigger.i)
            if kind not in best or dist < best[kind]:
                best[kind], out[kind] = dist, got
    return out
