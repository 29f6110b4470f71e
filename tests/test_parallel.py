"""Coding on every core: `dragoman code` and `dragoman ingest` with worker processes give exactly what one
process gives (the same mentions in the same order, the same stories), and the default uses every core only for
an input large enough to pay for starting the workers."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from click.testing import CliRunner

from dragoman import settings
from dragoman.cli import main
from dragoman.jobs.ingest import ingest
from dragoman.jobs.parallel import ProcessCoder, cores, input_bytes, workers_for
from dragoman.model import Article
from dragoman.paths import SAMPLES_DIR
from dragoman.store import Store


def _code(workers: int) -> list[dict]:
    result = CliRunner().invoke(main, ["code", str(SAMPLES_DIR), "--format", "jsonl", "--workers", str(workers)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_code_on_two_processes_is_code_on_one() -> None:
    one, two = _code(1), _code(2)
    assert one and [m["id"] for m in two] == [m["id"] for m in one]
    assert two == one


def _contents(path: Path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (con.execute("SELECT count(*), bit_xor(hash(id, record)) FROM mentions").fetchone(),
                con.execute("SELECT count(*), bit_xor(hash(story_id, record)) FROM stories").fetchone(),
                con.execute("SELECT count(*) FROM claims").fetchone())
    finally:
        con.close()


def test_ingest_on_two_processes_stores_what_one_stores(tmp_path, coder) -> None:
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    # (small batches, so several are in flight; a transaction holds batch_size articles per process)
    ingest([SAMPLES_DIR], Store(one), coder_factory=lambda: coder, batch_size=6)
    summary = ingest([SAMPLES_DIR], Store(two), workers=2, batch_size=3)
    assert summary.coded > 5 and not summary.failures
    assert _contents(two) == _contents(one)


def test_a_process_coder_keeps_the_input_order_and_says_its_coder() -> None:
    articles = [Article(article_id=f"a{i}", text=f"Chile recalled its ambassador from Peru on day {i}.",
                        published="2024-01-02") for i in range(7)]
    coder = ProcessCoder(2, claims=False, chunk=2)
    try:
        assert [a.article_id for a, _m, _f in coder.code_articles_found(articles)] == [a.article_id for a in articles]
        submitted = coder.submit(articles[:3])
        assert [a.article_id for a, _m, _f in submitted.results()] == ["a0", "a1", "a2"]
        assert coder.info.fingerprint
    finally:
        coder.close()


def test_every_core_only_for_an_input_worth_it(tmp_path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("{}\n")
    big = tmp_path / "big"
    big.mkdir()
    (big / "a.jsonl").write_bytes(b"x" * settings.PARALLEL_MIN_INPUT_BYTES)
    assert input_bytes([str(small), str(big), "https://example.org/feed"]) == 3 + settings.PARALLEL_MIN_INPUT_BYTES
    assert workers_for(None, input_bytes([str(small)])) == 1
    assert workers_for(None, input_bytes([str(big)])) == cores()
    assert workers_for(3, 0) == 3 and workers_for(1, 10**9) == 1


def test_transactions_hold_more_articles_when_several_processes_code(tmp_path, monkeypatch) -> None:
    """Each coding process's share of a transaction: INGEST_PARALLEL_BATCH_SIZE by default (the parent
    re-clusters stories once per transaction, on the cores the coders use), the option's when given."""
    import dragoman.jobs.ingest as ingest_job

    sizes: list[int] = []

    class Recording(ingest_job.Run):
        def __init__(self, *args, **kwargs) -> None:
            sizes.append(kwargs["batch_size"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(ingest_job, "Run", Recording)
    store = Store(tmp_path / "s.duckdb")
    ingest([], store)
    ingest([], store, workers=2)
    ingest([], store, workers=2, batch_size=5)
    ingest([], store, batch_size=5)
    assert sizes == [settings.INGEST_BATCH_SIZE, 2 * settings.INGEST_PARALLEL_BATCH_SIZE, 10, 5]
