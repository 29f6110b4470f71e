"""Is confidence calibrated? A reliability table per half of the dev sets, and the command that printed it.

    .venv/bin/python bench/calibration.py

Codes ../shared/eval/events_dev.jsonl and acled_dev.jsonl, labels each mention right or wrong
(dragoman.evaluation.calibration) and prints, for the tune half (which tools/calibrate.py fitted the table on) and
the check half (which it never saw), how many mentions fall in each confidence band and how many were right.
The target: mentions with confidence >= 0.8 are right at least 80 % of the time on the check half.
"""

from __future__ import annotations

import sys

from dragoman.coder import Coder
from dragoman.evaluation.calibration import label_events, label_snippets, reliability
from dragoman.evaluation.events import read_jsonl
from dragoman.evaluation.split import in_split
from dragoman.model import Article
from dragoman.paths import shared_dir


def main() -> int:
    shared = shared_dir()
    if shared is None:
        print("skip: ../shared is not beside the repository")
        return 0
    calibrated, raw_coder = Coder(), Coder(calibrate=False)
    print("command: .venv/bin/python bench/calibration.py")
    for part in ("tune", "check"):
        points = []
        for name, label in (("events_dev.jsonl", label_events), ("acled_dev.jsonl", label_snippets)):
            gold = [r for r in read_jsonl(shared / "eval" / name) if in_split(str(r["id"]), part)]
            arts = [Article(article_id=str(r["id"]), text=r["text"], published=r.get("published")) for r in gold]
            cal = [m.to_dict() for _a, ms in calibrated.code_articles(arts) for m in ms]
            raw = [m.to_dict() for _a, ms in raw_coder.code_articles(arts) for m in ms]
            points += [(c_conf, r_conf, ok) for (c_conf, ok), (r_conf, _) in zip(label(gold, cal), label(gold, raw),
                                                                                 strict=True)]
        high = [ok for conf, _r, ok in points if conf >= 0.8]
        print(f"{part}: {len(points)} labelled mentions; confidence >= 0.8: {len(high)} mentions, "
              f"precision {sum(high) / len(high) if high else float('nan'):.3f}")
        for row in reliability(points):
            print(f"  {row['band']:12s} {row['mentions']:5d} mentions  {row['right']:5d} right  "
                  f"precision {row['precision'] if row['precision'] is not None else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
