"""Shard planning: inputs to a deterministic list of shards, the unit of work of ``dragoman batch``.

One shard per input file, in the order :func:`dragoman.ingest.sources.expand` gives (arguments in order,
folders recursively in sorted order); a plain ``.jsonl``/``.ndjson`` file with more lines than the shard size
(smaller where the inputs would give fewer shards than the workers need: a 249-line file for two workers is
four shards) is split into line ranges (the planner counts lines once and records each range's byte offsets, so a worker
seeks straight to its range). A ``.gz`` file is one shard (it cannot be seeked into): split big compressed
dumps into several files. Globs are expanded here (sorted) when the shell did not.

The global order of articles -- shard index, then position in the shard -- is exactly the order in which
``dragoman ingest`` of the same inputs would read them, which is what lets the reduce step take the same
duplicate decisions (and hence build the same stories) as a single-process store.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dragoman.ingest.sources import Input, Reader, expand, kind_of, read_jsonl
from dragoman.ingest.types import Failure
from dragoman.model import Article, stable_id

DEFAULT_SHARD_LINES = 500
MIN_SHARD_LINES = 20  # a finer split than this costs more in shard overhead than it gains in balance


@dataclass(frozen=True)
class Shard:
    """One unit of work: a whole input file, or the lines ``[start_line, end_line)`` (1-based) of a JSONL file."""

    index: int
    label: str  # the input as messages and ``origin`` name it
    path: str
    start_line: int | None = None
    end_line: int | None = None
    start_byte: int | None = None
    end_byte: int | None = None
    size: int = 0  # the file's size and modification time: a finished shard of a changed file is redone
    mtime_ns: int = 0

    @property
    def name(self) -> str:
        """File-name-safe and deterministic: the position in the plan and a hash of what the shard covers."""
        return f"{self.index:06d}-{stable_id(self.label, self.start_line, self.end_line, length=10)}"

    @property
    def fingerprint(self) -> list[int]:
        return [self.size, self.mtime_ns]

    def describe(self) -> str:
        return self.label if self.start_line is None else f"{self.label}:{self.start_line}-{self.end_line - 1}"


def _expand_globs(sources: Iterable[str | Path]) -> list[str]:
    out: list[str] = []
    for source in sources:
        text = str(source)
        if "://" not in text and glob.has_magic(text) and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            out.extend(matches if matches else [text])
        else:
            out.append(text)
    return out


def _line_ranges(path: Path, lines_per_shard: int) -> list[tuple[int, int, int, int]]:
    """``(start_line, end_line, start_byte, end_byte)`` ranges of ``lines_per_shard`` lines each."""
    ranges: list[tuple[int, int, int, int]] = []
    start_line, start_byte, number, offset = 1, 0, 0, 0
    with path.open("rb") as fh:
        for raw in fh:
            number += 1
            offset += len(raw)
            if number - start_line + 1 == lines_per_shard:
                ranges.append((start_line, number + 1, start_byte, offset))
                start_line, start_byte = number + 1, offset
    if number >= start_line:
        ranges.append((start_line, number + 1, start_byte, offset))
    return ranges


def _splittable(path: Path) -> bool:
    return kind_of(path.name) == "jsonl" and not path.name.lower().endswith(".gz")


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def shard_lines_for(inputs: Sequence[Input], lines_per_shard: int, min_shards: int) -> int:
    """The lines per shard that gives at least ``min_shards`` shards (so every worker has work) where the
    inputs are too few for that at ``lines_per_shard``: the splittable lines spread evenly, at least
    :data:`MIN_SHARD_LINES` a shard; else ``lines_per_shard``."""
    if min_shards <= 1:
        return lines_per_shard
    splittable = [i.path for i in inputs if i.path is not None and _splittable(i.path)]
    whole = len(inputs) - len(splittable)
    lines = sum(_count_lines(path) for path in splittable)
    if whole + -(-lines // lines_per_shard) >= min_shards:
        return lines_per_shard
    wanted = max(1, min_shards - whole)
    return max(MIN_SHARD_LINES, min(lines_per_shard, -(-lines // wanted)))


def plan_shards(sources: Iterable[str | Path], lines_per_shard: int = DEFAULT_SHARD_LINES, min_shards: int = 1
                ) -> tuple[list[Shard], list[Failure]]:
    """The shards of ``sources`` (deterministic for the same inputs and ``min_shards``) and the inputs that
    cannot be read. With ``min_shards`` (twice the workers, say), JSON Lines files are split finer when the
    inputs would make fewer shards than that (:func:`shard_lines_for`)."""
    if lines_per_shard < 1:
        raise ValueError("lines_per_shard must be at least 1")
    shards: list[Shard] = []
    failures: list[Failure] = []
    inputs: list[Input] = []
    for item in expand(_expand_globs(sources)):
        if isinstance(item, Failure):
            failures.append(item)
        elif item.path is None:
            failures.append(Failure(item.label, "URLs are not read by `dragoman batch`: fetch them first, or "
                                                "use `dragoman ingest`"))
        else:
            inputs.append(item)
    lines_per_shard = shard_lines_for(inputs, lines_per_shard, min_shards)
    for item in inputs:
        assert item.path is not None
        stat = item.path.stat()
        common = {"label": item.label, "path": str(item.path.resolve()), "size": stat.st_size,
                  "mtime_ns": stat.st_mtime_ns}
        if _splittable(item.path):
            ranges = _line_ranges(item.path, lines_per_shard)
            if len(ranges) > 1:
                for start, end, b0, b1 in ranges:
                    shards.append(Shard(index=len(shards), start_line=start, end_line=end, start_byte=b0,
                                        end_byte=b1, **common))
                continue
        shards.append(Shard(index=len(shards), **common))
    return shards, failures


def read_shard(shard: Shard, reader: Reader | None = None) -> Iterator[Article | Failure]:
    """The shard's articles and failures, in document order, with the ``origin`` a whole-file read gives
    (``path:line`` numbered from the file's first line). Not finalised: the caller gives identity."""
    reader = reader or Reader()
    if shard.start_line is None:
        yield from reader.read(Input(label=shard.label, path=Path(shard.path)))
        return
    assert shard.start_byte is not None and shard.end_byte is not None
    # The ingest reader validates each line (size cap, encoding, JSON, fields); it reads whole files, so the
    # range goes to a private temporary file and the line numbers are shifted back.
    with open(shard.path, "rb") as src:
        src.seek(shard.start_byte)
        data = src.read(shard.end_byte - shard.start_byte)
    fd, tmp = tempfile.mkstemp(prefix="dragoman-shard-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        del data
        shift = shard.start_line - 1
        prefix = f"{shard.label}:"
        for item in read_jsonl(Path(tmp), shard.label):
            origin = item.origin if isinstance(item, Failure) else item.origin or ""
            if origin.startswith(prefix) and origin[len(prefix):].isdigit():
                origin = f"{prefix}{int(origin[len(prefix):]) + shift}"
            if isinstance(item, Failure):
                yield Failure(origin, item.reason)
            else:
                item.origin = origin
                yield item
    finally:
        os.unlink(tmp)
