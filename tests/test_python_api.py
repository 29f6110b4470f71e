"""The documented Python API works as the package docstring and README show."""

from __future__ import annotations

from pathlib import Path

import dragoman
from dragoman.jobs.ingest import ingest
from dragoman.paths import SAMPLES_DIR
from dragoman.store.events import EventFilter, query_mentions


def test_code_text_returns_schema_records() -> None:
    events = dragoman.code_text("On March 3, Kenyan and Ugandan officials began talks in Nairobi.", published="2021-03-05")
    assert events and events[0]["cameo_root"] == "04"
    assert {e["source"]["country"] for e in events} == {"KEN", "UGA"}
    assert events[0]["date"]["start"] == "2021-03-03"



def test_open_store_ingest_and_query(tmp_path: Path) -> None:
    with dragoman.open_store(tmp_path / "events.duckdb") as store:
        summary = ingest([SAMPLES_DIR], store)
        assert summary.ingested >= 10 and summary.mentions > 0
        rows = query_mentions(store, EventFilter(country="IRQ"))
    assert rows and all("IRQ" in ((r["source"] or {}).get("country"), (r["target"] or {}).get("country"))
                        for r in rows)
