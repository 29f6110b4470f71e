"""Shard planning for `dragoman batch`: deterministic, one shard per file, big JSON Lines split by line ranges
that read back exactly what a whole-file read gives (same articles, same `path:line` origins)."""

from __future__ import annotations

import json
from pathlib import Path

from dragoman.ingest.sources import Input, Reader
from dragoman.ingest.types import Failure
from dragoman.jobs.batch.shards import plan_shards, read_shard
from dragoman.paths import SAMPLES_DIR

TEXT = "Iranian officials said on Monday that the talks with the European delegation in Vienna would resume. " * 2


def _jsonl(path: Path, n: int, bad: set[int] = frozenset()) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(1, n + 1):
            if i in bad:
                fh.write("{not json\n")
            elif i == 4:
                fh.write("\n")  # blank lines are numbered but yield nothing
            else:
                fh.write(json.dumps({"id": f"a{i}", "text": f"{TEXT} Number {i}.", "published": "2020-01-02"}) + "\n")
    return path


def test_plan_is_deterministic_one_shard_per_file_in_ingest_order() -> None:
    first, failures = plan_shards([SAMPLES_DIR], lines_per_shard=100)
    again, _ = plan_shards([SAMPLES_DIR], lines_per_shard=100)
    assert failures == []
    assert first == again
    names = [Path(s.path).name for s in first]
    assert names == sorted(names) and len(names) == 10
    assert [s.index for s in first] == list(range(10))
    assert len({s.name for s in first}) == 10


def test_jsonl_split_by_line_ranges_reads_back_the_whole_file(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "big.jsonl", 23, bad={9})
    shards, _ = plan_shards([path], lines_per_shard=5)
    assert [(s.start_line, s.end_line) for s in shards] == [(1, 6), (6, 11), (11, 16), (16, 21), (21, 24)]
    assert shards[-1].end_byte == path.stat().st_size
    assert [s.describe() for s in shards][0] == f"{path}:1-5"
    split = [item for s in shards for item in read_shard(s)]
    whole = list(Reader().read(Input(label=str(path), path=path)))

    def key(item):
        return ("F", item.origin, item.reason) if isinstance(item, Failure) else ("A", item.origin, item.article_id)

    assert [key(i) for i in split] == [key(i) for i in whole]
    assert ("F", f"{path}:9", "malformed JSON (Expecting property name enclosed in double quotes at column 2)") in [
        key(i) for i in split]


def test_small_jsonl_gz_and_globs(tmp_path: Path) -> None:
    import gzip

    _jsonl(tmp_path / "a.jsonl", 3)
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write((tmp_path / "a.jsonl").read_text(encoding="utf-8") * 5)
    shards, failures = plan_shards([str(tmp_path / "*.jsonl*"), tmp_path / "missing.txt", "https://example.org/x"],
                                   lines_per_shard=2)
    # a.jsonl (3 lines) splits in two; the .gz cannot be seeked into: one shard
    assert [(Path(s.path).name, s.start_line) for s in shards] == [("a.jsonl", 1), ("a.jsonl", 3),
                                                                    ("b.jsonl.gz", None)]
    assert [f.reason for f in failures][0] == "no such file or directory"
    assert "URLs are not read" in failures[1].reason


def test_changed_input_changes_the_fingerprint(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", 3)
    before, _ = plan_shards([path])
    path.write_text(path.read_text(encoding="utf-8") * 2, encoding="utf-8")
    after, _ = plan_shards([path])
    assert before[0].name == after[0].name and before[0].fingerprint != after[0].fingerprint


def test_a_small_file_is_split_so_every_worker_has_work(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "small.jsonl", 249)
    assert len(plan_shards([path])[0]) == 1  # the default size: one shard, one busy worker
    shards, _ = plan_shards([path], min_shards=4)
    assert [(s.start_line, s.end_line) for s in shards] == [(1, 64), (64, 127), (127, 190), (190, 250)]
    assert sum(1 for s in shards for item in read_shard(s)) == 248  # (line 4 is blank)
    # never finer than MIN_SHARD_LINES, and inputs that already make enough shards are left as they are
    assert len(plan_shards([_jsonl(tmp_path / "tiny.jsonl", 30)], min_shards=8)[0]) == 2
    two = [_jsonl(tmp_path / f"f{i}.jsonl", 10) for i in range(4)]
    assert len(plan_shards(two, min_shards=4)[0]) == 4
