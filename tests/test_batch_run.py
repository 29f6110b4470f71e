"""`dragoman batch` end to end on the bundled samples: the local and the Dask engines give identical rows in
every table; the stories are those a single-process store builds; a killed run resumes; the dataset is queried
in place (`events --parquet`) and imported into a store (`import`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from dragoman.cli import main
from dragoman.jobs.batch import run_batch
from dragoman.jobs.batch.reduce import TABLES
from dragoman.jobs.dataset import import_dataset
from dragoman.paths import SAMPLES_DIR
from dragoman.store.db import Store
from dragoman.store.events import EventFilter, query_mentions
from dragoman.store.parquet import ParquetDataset
from dragoman.store.stories import query_stories

PUBLISHED = "2024-01-01"
SHARD_LINES = 2  # splits the five-line JSONL sample in three


def _run(out: Path, engine: str, workers: int = 2):
    return run_batch([SAMPLES_DIR], out, engine=engine, workers=workers, shard_lines=SHARD_LINES,
                     published=PUBLISHED, dask_processes=False)


@pytest.fixture(scope="module")
def local_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "local"
    _run(out, "local")
    return out


@pytest.fixture(scope="module")
def dask_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "dask"
    _run(out, "dask")  # a LocalCluster of two single-threaded workers (threads here, to start fast)
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory, coder) -> Store:
    from dragoman.jobs.ingest import ingest

    store = Store(tmp_path_factory.mktemp("ref") / "ref.duckdb")
    ingest([SAMPLES_DIR], store, published=PUBLISHED, coder_factory=lambda: coder)
    return store


def _rows(source, table: str) -> list[tuple]:
    with source.connect() as con:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "published_month"]
        return con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()


def _stories(source) -> dict[str, list[str]]:
    with source.connect() as con:
        rows = con.execute("SELECT story_id, mention_id FROM story_links ORDER BY story_id, mention_id").fetchall()
    out: dict[str, list[str]] = {}
    for story_id, mention_id in rows:
        out.setdefault(story_id, []).append(mention_id)
    return out


def test_local_and_dask_engines_give_identical_rows(local_out: Path, dask_out: Path) -> None:
    a, b = ParquetDataset(local_out), ParquetDataset(dask_out)
    assert set(a.sources) == set(TABLES)
    for table in TABLES:
        rows = _rows(a, table)
        assert rows, table
        assert rows == _rows(b, table), table


def test_stories_and_duplicates_match_a_single_process_store(local_out: Path, reference: Store) -> None:
    ds = ParquetDataset(local_out)
    assert _stories(ds) == _stories(reference)
    for table in ("articles", "mentions", "stories", "story_links"):
        assert _rows(ds, table) == _rows(reference, table), table
    with ds.connect() as con:
        kinds = dict(con.execute("SELECT duplicate_kind, count(*) FROM articles GROUP BY ALL").fetchall())
    assert kinds == {None: 14, "exact": 1, "near": 1}


def test_dataset_is_partitioned_by_month_with_a_manifest(local_out: Path) -> None:
    manifest = json.loads((local_out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert len(manifest["shards"]) == 12 and all(s["status"] == "done" for s in manifest["shards"])
    assert manifest["counts"]["articles"] == 16 and manifest["counts"]["months"] == ["2024-01", "2024-03", "2024-04"]
    assert isinstance(manifest["coder"]["lexicons"], str) and manifest["coder"]["lexicons"]
    months = sorted(p.name for p in (local_out / "mentions").iterdir())
    assert months == ["published_month=2024-01", "published_month=2024-03", "published_month=2024-04"]
    assert not list(local_out.rglob(".*tmp*")) and not (local_out / ".work").exists()


def test_resume_skips_finished_shards_redoes_partial_ones_and_ignores_temp_files(local_out: Path,
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "resumed"
    shutil.copytree(local_out, out)
    before = {t: _rows(ParquetDataset(out), t) for t in TABLES}
    shards = out / "_shards"
    markers = sorted(shards.glob("*.json"))
    # a worker killed mid-shard: its marker still says partial and its files are missing or half written
    partial = markers[5]
    record = json.loads(partial.read_text(encoding="utf-8"))
    partial.write_text(json.dumps({**record, "status": "partial"}), encoding="utf-8")
    partial.with_name(partial.name.replace(".json", ".mentions.parquet")).unlink()
    garbage = shards / f".{markers[2].stem}.articles.parquet.tmp-host-1-1"
    garbage.write_bytes(b"PAR1 half a file")
    # the whole run killed during the reduce: a staging folder left behind
    (out / ".staging" / "articles").mkdir(parents=True)
    (out / ".staging" / "articles" / "part-0.parquet").write_bytes(b"PAR1 half")
    pids = {m.name: json.loads(m.read_text(encoding="utf-8"))["pid"] for m in markers}

    summary = run_batch([SAMPLES_DIR], out, engine="dask", workers=1, shard_lines=SHARD_LINES,
                        published=PUBLISHED, dask_processes=False)
    assert (summary.shards, summary.skipped, summary.coded_now) == (12, 11, 1)
    assert not garbage.exists() and not (out / ".staging").exists()
    assert json.loads(partial.read_text(encoding="utf-8"))["status"] == "done"
    unchanged = {m.name: json.loads(m.read_text(encoding="utf-8"))["pid"] for m in markers if m != partial}
    assert unchanged == {k: v for k, v in pids.items() if k != partial.name}
    assert {t: _rows(ParquetDataset(out), t) for t in TABLES} == before
    assert [s["resumed"] for s in summary.manifest["shards"]].count(False) == 1


def test_events_parquet_queries_the_dataset_in_place(local_out: Path, reference: Store) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["-q", "events", "--parquet", str(local_out), "--format", "jsonl", "--limit", "1000"])
    assert res.exit_code == 0, res.output
    stories = [json.loads(line) for line in res.output.splitlines()]
    assert stories == query_stories(reference, limit=1000)
    res = runner.invoke(main, ["-q", "events", "--parquet", str(local_out), "--mentions", "--country", "JOR",
                               "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    got = [json.loads(line)["id"] for line in res.output.splitlines()]
    assert got and got == [m["id"] for m in query_mentions(reference, EventFilter(country="JOR"), limit=100)]
    assert query_mentions(ParquetDataset(local_out), EventFilter(root="19")) == query_mentions(
        reference, EventFilter(root="19"))


def test_import_loads_the_dataset_idempotently(local_out: Path, reference: Store, tmp_path: Path) -> None:
    db = tmp_path / "imported.duckdb"
    res = CliRunner().invoke(main, ["--db", str(db), "import", str(local_out)])
    assert res.exit_code == 0, res.output
    assert "imported 16 article(s)" in res.output
    store = Store(db)
    for table in ("articles", "mentions", "stories", "story_links", "actors", "places", "claims"):
        assert _rows(store, table) == _rows(reference, table), table
    assert _rows(store, "claims")  # the samples' count claims, read by the batch workers as ingest reads them
    again = import_dataset(local_out, store)
    assert again == {"articles": 0, "mentions": 0, "stories": 0, "story_links": 0, "claims": 0}


def test_import_into_a_store_with_articles_reclusters(local_out: Path, reference: Store, tmp_path: Path,
                                                      coder) -> None:
    from dragoman.jobs.ingest import ingest

    store = Store(tmp_path / "partly.duckdb")
    ingest([SAMPLES_DIR / "06_wire.jsonl"], store, published=PUBLISHED, coder_factory=lambda: coder)
    import_dataset(local_out, store)
    assert _stories(store) == _stories(reference)
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 16


def test_the_api_serves_a_dataset_in_place(local_out: Path, reference: Store) -> None:
    """`dragoman serve --parquet DIR`: the API reads the batch dataset as it reads a store."""
    from fastapi.testclient import TestClient

    from dragoman.api import create_app

    client = TestClient(create_app(local_out / "missing.duckdb", token="t", parquet=local_out),
                        base_url="http://127.0.0.1")  # (the server answers only the host it serves)
    got = client.get("/api/mentions", params={"limit": 1000}).json()
    assert got["total"] == reference.count("mentions")
    from dragoman.store.events import query_mentions

    assert {m["id"] for m in got["items"]} == {m["id"] for m in query_mentions(reference)}
    assert client.get("/api/stories").status_code == 200
    # a dataset is read-only: the write endpoint is off even with a token
    assert client.post("/api/articles", json={"text": "x" * 50}, headers={"Authorization": "Bearer t"}).status_code == 403
