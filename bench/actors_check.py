"""Rough check of the actor resolver alone on the PLOVER gold records of events_dev.jsonl.

For each record from ``plover_gsr_cameo`` with a gold source country, take the subject (nsubj/nsubjpass) of
the event verb (the root, or the clause a root "said" reports), resolve it with ActorResolver, and count how
often the first actor's country is one of the record's gold source countries. Misses include parse errors and
subjects the gold codes from elsewhere in the sentence: a rough figure for the resolver alone, not the coder.
Halves split by a hash of the record id, to see whether a rule generalises.

    .venv/bin/python bench/actors_check.py [--show-misses]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter

from spacy.tokens import Token

from dragoman.actors import ActorResolver
from dragoman.nlp import load_nlp
from dragoman.paths import shared_dir


def _root(doc) -> Token:
    sent = next(iter(doc.sents))
    return sent.root


REPORTING = frozenset({"say", "tell", "report", "announce", "add", "claim", "state", "quote", "write"})


def _event_verb(doc) -> Token:
    """The root verb, or the clause it reports ("X attacked Y, officials said" -> attacked)."""
    root = _root(doc)
    if root.lemma_ in REPORTING:
        ccomp = next((c for c in root.children if c.dep_ == "ccomp"), None)
        if ccomp is not None:
            return ccomp
    return root


def _subject(doc) -> Token | None:
    verb = _event_verb(doc)
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass")), None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="print the source-side misses")
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None or not (shared / "eval" / "events_dev.jsonl").exists():
        print("skip: shared/eval/events_dev.jsonl not found (set DRAGOMAN_SHARED)", file=sys.stderr)
        return 0
    records = [json.loads(line) for line in (shared / "eval" / "events_dev.jsonl").open(encoding="utf-8")]
    records = [r for r in records if r["origin"] == "plover_gsr_cameo"]
    nlp = load_nlp()
    resolver = ActorResolver()
    resolver.setup(nlp)
    stats: dict[str, Counter] = {"source": Counter()}
    misses: list[str] = []
    texts = [r["text"] for r in records]
    for rec, doc in zip(records, nlp.pipe(texts, batch_size=16), strict=True):
        resolver.annotate(doc)
        half = "A" if int(hashlib.sha256(rec["id"].encode()).hexdigest(), 16) % 2 == 0 else "B"
        for side, pick in (("source", _subject),):
            gold = {e[f"{side}_country"] for e in rec["events"] if e[f"{side}_country"]}
            if not gold:
                continue
            c = stats[side]
            c["gold"] += 1
            c[f"gold{half}"] += 1
            tok = pick(doc)
            ms = resolver.actors_for(tok, resolver.new_context(rec.get("published"))) if tok is not None else []
            got = [m.actor.country for m in ms if m.actor.country]
            if got:
                c["resolved"] += 1
            if got and got[0] in gold:
                c["hit"] += 1
                c[f"hit{half}"] += 1
            elif side == "source":
                misses.append(f"  gold={sorted(gold)} got={got} head={tok.text if tok else None!r}: {rec['text'][:110]}")
    print("command: .venv/bin/python bench/actors_check.py")
    for side, c in stats.items():
        n = c["gold"] or 1
        print(f"{side}: {c['hit']}/{c['gold']} = {c['hit'] / n:.3f} country match "
              f"(resolved an actor with a country for {c['resolved']}; "
              f"half A {c['hitA']}/{c['goldA']}, half B {c['hitB']}/{c['goldB']})")
    if args.show_misses:
        print("source misses:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
