"""Pairwise precision and recall of story clustering on the project's own test corpus (tests/data/stories).

    .venv/bin/python bench/stories_pairs.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_stories_cluster import ARTICLES, _ingest, _labels, pairwise  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = _ingest(Path(tmp) / "s.duckdb", [ARTICLES])
        labels = _labels(store)
        p, r = pairwise(labels)
    labelled = sum(1 for g, _ in labels.values() if g)
    print("command: .venv/bin/python bench/stories_pairs.py")
    print(f"labelled mentions {labelled}; pairwise precision {p:.3f}, recall {r:.3f}")


if __name__ == "__main__":
    main()
