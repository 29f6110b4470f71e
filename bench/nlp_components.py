"""The fast paths give the slow paths' output: spaCy's stock attribute ruler and lemmatizer against
``dragoman.nlp.components``, and the time patterns matched case-insensitively against lower-cased.

    .venv/bin/python bench/nlp_components.py [--only corpus|eval] [--limit N]

Texts: the Guardian corpus and every text of ../shared/eval/*.jsonl. For each token, compares tag, part of
speech, features, lemma, dependency, head and entity between the two pipelines (the same model, so any
difference is the components'); for each time pattern, the spans and groups of every match. Prints the counts,
each side's parsing time, and the command.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dragoman import settings  # noqa: E402
from dragoman.paths import shared_dir  # noqa: E402


def texts_of(shared: Path, only: str | None, limit: int | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if only in (None, "corpus"):
        with open(shared / "corpus" / "guardian_syria" / "articles.jsonl", encoding="utf-8") as fh:
            out["guardian corpus"] = [json.loads(line)["text"] for line in fh if line.strip()][:limit]
    if only in (None, "eval"):
        for path in sorted((shared / "eval").glob("*.jsonl")):
            with open(path, encoding="utf-8") as fh:
                rows = [json.loads(line) for line in fh if line.strip()]
            out[path.name] = [r["text"] for r in rows if isinstance(r.get("text"), str) and r["text"].strip()][:limit]
    return out


def annotations(doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]


def compare_pipelines(texts: list[str]) -> tuple[int, int, float, float]:
    """(tokens, differing tokens, stock seconds, fast seconds)."""
    from dragoman.nlp import load_nlp, split_chunks

    pieces = [p for text in texts for _offset, p in split_chunks(text)]
    seen: list[list[list[tuple]]] = []
    seconds: list[float] = []
    for stock in (True, False):
        nlp = load_nlp(stock=stock)
        t0 = time.perf_counter()
        docs = list(nlp.pipe(pieces, batch_size=settings.NLP_BATCH_SIZE))
        seconds.append(time.perf_counter() - t0)
        seen.append([annotations(d) for d in docs])
    tokens = sum(len(d) for d in seen[0])
    differing = sum(a != b for da, db in zip(*seen, strict=True) for a, b in zip(da, db, strict=True))
    return tokens, differing, seconds[0], seconds[1]


def compare_time_patterns(texts: list[str]) -> tuple[int, int, int]:
    """(texts matched lower-cased, texts matched as written because :func:`lower_matchable` refuses them,
    pattern runs whose matches differ)."""
    from dragoman.time.lexicon import load_lexicon, lower_matchable

    patterns = load_lexicon().patterns
    fast = fallback = differing = 0
    for text in texts:
        lowered = lower_matchable(text)
        if lowered is None:
            fallback += 1
            continue
        fast += 1
        for p in patterns:
            expected = [(m.span(), groups) for m, groups in p.matches(text, None)]
            got = [(m.span(), groups) for m, groups in p.matches(text, lowered)]
            differing += expected != got
    return fast, fallback, differing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["corpus", "eval"])
    ap.add_argument("--limit", type=int, help="at most this many texts of each file")
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is not beside the repository: nothing to compare")
    print(f"command: {' '.join([Path(sys.executable).name, 'bench/nlp_components.py', *sys.argv[1:]])}")
    print(f"{'texts':22s} {'n':>6s} {'tokens':>9s} {'differing':>9s} {'stock s':>8s} {'fast s':>7s} "
          f"{'time: lower':>11s} {'as written':>10s} {'differing':>9s}")
    total_diff = 0
    for name, texts in texts_of(shared, args.only, args.limit).items():
        tokens, differing, slow_s, fast_s = compare_pipelines(texts)
        lowered, written, patterns_differing = compare_time_patterns(texts)
        total_diff += differing + patterns_differing
        print(f"{name:22s} {len(texts):6d} {tokens:9d} {differing:9d} {slow_s:8.1f} {fast_s:7.1f} "
              f"{lowered:11d} {written:10d} {patterns_differing:9d}", flush=True)
    from dragoman.time.lexicon import case_exceptions, lower_matchable

    exceptions = case_exceptions()
    unguarded = sorted(c for c in exceptions if lower_matchable(c) is not None)
    print(f"characters where lower-cased matching is not case-insensitive matching: "
          f"{' '.join(f'U+{ord(c):04X}' for c in sorted(exceptions))}; left to the lower-cased path: {len(unguarded)}")
    total_diff += len(unguarded)
    print("same output" if total_diff == 0 else f"DIFFERENT: {total_diff} tokens, pattern runs or characters differ")
    sys.exit(0 if total_diff == 0 else 1)


if __name__ == "__main__":
    main()
