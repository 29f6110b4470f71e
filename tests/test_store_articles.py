"""The article query layer: round trips, listing filters, and exports in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from dragoman.jobs.ingest import ingest
from dragoman.model import Article
from dragoman.paths import SAMPLES_DIR
from dragoman.store import articles as queries
from dragoman.store.db import Store


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.duckdb")
    ingest([SAMPLES_DIR], s, code=False)
    return s


def test_round_trip_is_equal(tmp_path: Path) -> None:
    store = Store(tmp_path / "rt.duckdb")
    original = Article(
        article_id="rt-1", text="Body text with “quotes” and accents: é, ñ.\n\nSecond paragraph.",
        content_hash="h1", title="Title", url="https://x.example/a", published="2024-02-29", source="X",
        author="A. Writer", language="en", origin="/tmp/a.jsonl:3", extra={"section": "World", "n": [1, 2]},
    )
    copy = Article(article_id="rt-2", text=original.text, content_hash="h1", language="en",
                   duplicate_of="rt-1", duplicate_kind="exact")
    assert store.write_batch([(original, [1, 2, 3], None), (copy, None, None)]) == 2
    assert store.write_batch([(original, [1, 2, 3], None)]) == 0  # already stored: skipped
    assert queries.read_articles(store) == [original, copy]
    assert queries.read_articles(store, ["rt-2"]) == [copy]
    assert queries.dedup_rows(store) == [("rt-1", "h1", "2024-02-29", None, [1, 2, 3]),
                                         ("rt-2", "h1", None, "rt-1", None)]


def test_list_filters(store: Store) -> None:
    everything = queries.list_articles(store)
    assert len(everything) == 16
    dated = [r["published"] for r in everything if r["published"]]
    assert dated == sorted(dated) and everything[-1]["published"] is None  # oldest first, undated last
    assert {r["article_id"] for r in queries.list_articles(store, source="regional wire")} == {
        "wire-2024-0311-syria", "wire-2024-0314-turkey", "wire-2024-0318-gaza", "wire-2024-0320-yemen",
        "wire-2024-0322-pakistan"}
    window = queries.list_articles(store, since="2024-03-14", until="2024-03-20")
    assert [r["published"] for r in window] == ["2024-03-14", "2024-03-18", "2024-03-20"]
    assert [r["language"] for r in queries.list_articles(store, language="fr")] == ["fr"]
    dups = queries.list_articles(store, duplicates=True)
    assert sorted(r["duplicate_kind"] for r in dups) == ["exact", "near"]
    assert len(queries.list_articles(store, duplicates=False)) == 14
    assert len(queries.list_articles(store, limit=3)) == 3


def test_get_article_with_copies(store: Store) -> None:
    original = next(r for r in queries.list_articles(store) if r["source"] == "levantdaily")
    record = queries.get_article(store, original["article_id"])
    assert record is not None and record["text"].startswith("Jordan hosts")
    assert [c["source"] for c in record["copies"]] == ["gulfwire"]
    assert queries.get_article(store, "no-such-id") is None


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_to_file(store: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"articles.{fmt}"
    queries.export_table(store, "articles", fmt, out)
    if fmt == "parquet":
        rows = duckdb.sql(f"SELECT article_id, minhash FROM read_parquet('{out}') ORDER BY article_id").fetchall()
        assert len(rows) == 16 and len(rows[0][1]) == 128
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert len(rows) == 16 and rows[0]["article_id"] == min(r["article_id"] for r in rows)
    else:
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(rows) == 16 and {"article_id", "text", "duplicate_of"} <= set(rows[0])


@pytest.mark.parametrize("table", ["mentions", "stories", "actors", "places"])
def test_export_other_tables_to_stream(store: Store, table: str) -> None:
    buffer = io.BytesIO()
    queries.export_table(store, table, "csv", buffer)
    assert buffer.getvalue().splitlines()[0]  # the header, even with no rows yet


def test_export_rejects_parquet_to_stream_and_unknown_tables(store: Store) -> None:
    with pytest.raises(ValueError, match="parquet"):
        queries.export_table(store, "articles", "parquet", io.BytesIO())
    with pytest.raises(ValueError, match="unknown table"):
        queries.export_table(store, "schema_version", "csv", io.BytesIO())
