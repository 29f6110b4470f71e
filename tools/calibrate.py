"""Write src/dragoman/events/data/calibration.tsv from the tune halves of the dev sets (a developer tool).

Codes ../shared/eval/events_dev.jsonl and acled_dev.jsonl with calibration off, labels every mention right or
wrong (dragoman.evaluation.calibration), and fits a non-decreasing step function from raw score to precision on
the records of the tune half only; bench/calibration.py then shows how it holds on the check half::

    .venv/bin/python tools/calibrate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dragoman.coder import Coder  # noqa: E402
from dragoman.evaluation.calibration import label_events, label_snippets  # noqa: E402
from dragoman.evaluation.events import read_jsonl  # noqa: E402
from dragoman.evaluation.split import in_split  # noqa: E402
from dragoman.events.calibration import CALIBRATION_FILE, CALIBRATION_KIND, isotonic_steps  # noqa: E402
from dragoman.model import Article  # noqa: E402
from dragoman.paths import shared_dir  # noqa: E402


def tune_points(coder: Coder, shared: Path) -> list[tuple[float, bool]]:
    points: list[tuple[float, bool]] = []
    for name, label in (("events_dev.jsonl", label_events), ("acled_dev.jsonl", label_snippets)):
        gold = [r for r in read_jsonl(shared / "eval" / name) if in_split(str(r["id"]), "tune")]
        arts = [Article(article_id=str(r["id"]), text=r["text"], published=r.get("published")) for r in gold]
        preds = [m.to_dict() for _a, ms in coder.code_articles(arts) for m in ms]
        points += label(gold, preds)
    return points


def main() -> int:
    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is not beside the repository: nothing to calibrate on")
    points = tune_points(Coder(calibrate=False), shared)
    steps = isotonic_steps(points)
    lines = [
        f"# kind: {CALIBRATION_KIND}",
        "# Raw event score -> the share of mentions with that score that were right on the tune halves of",
        "# events_dev and acled_dev (written by tools/calibrate.py; checked on the check halves by",
        f"# bench/calibration.py). {len(points)} labelled mentions.",
        "raw_from\tconfidence",
    ]
    lines += [f"{0.0 if i == 0 else raw}\t{conf}" for i, (raw, conf) in enumerate(steps)]
    CALIBRATION_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {CALIBRATION_FILE} ({len(steps)} steps from {len(points)} mentions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
