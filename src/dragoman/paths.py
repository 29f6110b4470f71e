"""Where packaged data lives, and where the shared evaluation material is looked for."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = PACKAGE_DIR / "samples"


def shared_dir() -> Path | None:
    """The read-only ``shared`` folder beside the repository (or ``DRAGOMAN_SHARED``), if present."""
    env = os.environ.get("DRAGOMAN_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(PACKAGE_DIR.parents[2] / "shared")  # repo/src/dragoman -> ../shared
    candidates.append(Path.cwd().parent / "shared")
    for c in candidates:
        if (c / "eval").is_dir() or (c / "corpus").is_dir():
            return c
    return None


GUARDIAN_CORPUS = Path("corpus") / "guardian_syria" / "articles.jsonl"


def guardian_corpus() -> Path | None:
    """The shared Guardian corpus (``corpus/guardian_syria/articles.jsonl`` under :func:`shared_dir`), if present."""
    shared = shared_dir()
    path = shared / GUARDIAN_CORPUS if shared else None
    return path if path is not None and path.exists() else None
