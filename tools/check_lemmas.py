"""Check that every trigger lexicon entry's lemma is what spaCy produces for its own example sentence.

Parses each entry's ``example`` with the project's spaCy model and reports entries where

* no token of the example has the trigger lemma (a lemma mismatch: "shelled" -> "shell"), or
* tokens have the lemma but none with the entry's part of speech (VERB/AUX for verbs, NOUN/PROPN for nouns), or
* a particle entry ("crack down") has no token with that particle under the trigger, or
* the entry has no example at all.

Usage: ``python tools/check_lemmas.py [extra_trigger_file.yaml ...]``; exit status 1 when something is reported.
"""

from __future__ import annotations

import sys

from dragoman.events.lexicon import TriggerEntry, load_trigger_lexicon
from dragoman.nlp import load_nlp

POS_OK = {"VERB": {"VERB", "AUX"}, "NOUN": {"NOUN", "PROPN"}}


def check_entry(entry: TriggerEntry, doc) -> str | None:  # noqa: ANN001 - a spaCy Doc
    """A one-line problem description, or None when the example contains the trigger as expected."""
    same_lemma = [t for t in doc if t.lemma_.lower() == entry.lemma]
    if not same_lemma:
        lemmas = " ".join(f"{t.text}/{t.lemma_}" for t in doc if t.is_alpha)
        return f"lemma {entry.lemma!r} not in example ({lemmas})"
    with_pos = [t for t in same_lemma if t.pos_ in POS_OK[entry.pos]]
    if not with_pos:
        found = ", ".join(f"{t.text}/{t.pos_}" for t in same_lemma)
        return f"lemma {entry.lemma!r} found but not as {entry.pos} ({found})"
    if entry.particle:
        words = entry.particle.split()
        for tok in with_pos:
            kids = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "advmod")}
            if all(w in kids for w in words):
                return None
        return f"particle {entry.particle!r} not attached to {entry.lemma!r}"
    return None


def main(argv: list[str]) -> int:
    lex = load_trigger_lexicon(argv)
    entries = [e for group in lex.entries.values() for e in group]
    entries.sort(key=lambda e: (e.file, e.line))
    nlp = load_nlp()
    problems = 0
    missing = [e for e in entries if not e.example]
    for e in missing:
        print(f"{e.file}:{e.line}: {e.trigger} ({e.pos}): no example")
    problems += len(missing)
    with_ex = [e for e in entries if e.example]
    for entry, doc in zip(with_ex, nlp.pipe(e.example for e in with_ex), strict=True):
        msg = check_entry(entry, doc)
        if msg:
            problems += 1
            print(f"{entry.file}:{entry.line}: {entry.trigger} ({entry.pos}): {msg}")
    print(f"{len(entries)} entries checked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
