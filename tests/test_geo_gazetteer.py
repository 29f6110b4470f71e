"""The gazetteer: built from registry data plus our TSVs, compact in memory, cached, looked up by name."""

from __future__ import annotations

import numpy as np
import pytest

from dragoman.geo.gazetteer import (
    ADMIN1,
    CAPITAL,
    COUNTRY,
    REGION,
    Gazetteer,
    data_hash,
    load_gazetteer,
    normalize,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_normalize_ignores_case_accents_dots_and_the() -> None:
    assert normalize("The U.S.") == normalize("US") == "us"
    assert normalize("Saint-Étienne") == "saint etienne"


def test_compact_in_memory(gaz: Gazetteer) -> None:
    assert len(gaz) > 200_000  # cities500 + countries + regions
    assert gaz.nbytes() < 40_000_000  # numpy arrays only: no per-name Python objects
    assert all(isinstance(v, np.ndarray) for v in gaz.a.values())


def test_kinds_and_coordinates(gaz: Gazetteer) -> None:
    iraq = gaz.place(gaz.country_row("IRQ"))
    assert iraq.kind == COUNTRY and abs(iraq.lat - 33) < 2 and abs(iraq.lon - 44) < 2
    baghdad = [gaz.place(r) for r, _ in gaz.lookup("Baghdad")]
    assert any(p.kind == CAPITAL and p.country3 == "IRQ" for p in baghdad)
    assert any(gaz.place(r).kind == ADMIN1 for r, _ in gaz.lookup("Texas"))
    assert any(gaz.place(r).kind == REGION for r, _ in gaz.lookup("Middle East"))
    assert any(gaz.place(r).kind == ADMIN1 for r, _ in gaz.lookup("Calif."))  # an alias of aliases.tsv
    assert gaz.lookup("Qwxzyville") == []


def test_every_country_has_coordinates(gaz: Gazetteer) -> None:
    rows = np.nonzero(gaz.a["kind"] == COUNTRY)[0]
    assert len(rows) > 240
    assert not np.any((gaz.a["lat"][rows] == 0) & (gaz.a["lon"][rows] == 0))


def test_cache_is_reused(gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    import dragoman.geo.gazetteer as mod

    monkeypatch.setattr(mod, "_build", lambda: pytest.fail("rebuilt although cached"))
    again = Gazetteer.load()
    assert again.data_hash == gaz.data_hash == data_hash()
    assert len(again) == len(gaz)
