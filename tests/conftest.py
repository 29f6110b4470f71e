"""Shared fixtures: the shared folder (skip when absent), a parsed-once coder, temp stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.paths import shared_dir


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared (evaluation files and corpora) is not beside the repository")
    return d


@pytest.fixture(scope="session")
def coder():
    """The coder ingest and batch use: the event coder, reading count claims from its own parse."""
    from dragoman.analysis.claims import claims_coder

    return claims_coder()


@pytest.fixture(scope="session")
def nlp():
    """The project's spaCy pipeline (loaded once)."""
    from dragoman.nlp import load_nlp

    return load_nlp()


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"
