"""Time-expression figures on both halves of the TIMEX dev file, and the command that produced them.

    .venv/bin/python bench/time_eval.py [GOLD]      (default ../shared/eval/time_dev.jsonl)

Rules were tuned on the `tune` half only; `check` shows whether they generalise. Same figures as
`dragoman eval dates GOLD --split tune|check` and as shared/eval/score.py on the saved predictions.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dragoman.evaluation.dates import evaluate, format_figures
from dragoman.nlp import load_nlp
from dragoman.paths import shared_dir
from dragoman.time import TimeTagger


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        gold = Path(argv[1])
    else:
        shared = shared_dir()
        if shared is None:
            print("../shared is absent: pass a time_*.jsonl file", file=sys.stderr)
            return 2
        gold = shared / "eval" / "time_dev.jsonl"
    tagger, nlp = TimeTagger(), load_nlp()
    print(f"# time data {tagger.data_hash}; gold {gold}")
    for split in ("tune", "check"):
        t0 = time.perf_counter()
        figures = evaluate(gold, split=split, tagger=tagger, nlp=nlp)
        print(f"$ dragoman eval dates {gold} --split {split}    # {time.perf_counter() - t0:.1f}s")
        print(format_figures(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
