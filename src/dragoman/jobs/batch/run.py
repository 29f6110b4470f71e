"""``dragoman batch`` end to end: plan shards, skip the finished ones, map the rest on an engine, reduce,
write ``manifest.json``.

Resuming: a shard whose marker says ``done`` (and whose input file has the same size and modification time)
is skipped; any other state -- a ``partial`` marker, a missing file, a changed input -- is cleaned and redone.
Leftover temporary files (``.NAME.tmp-*``, from a killed worker) are removed before the map. The manifest is
written last, atomically: a dataset folder with a manifest whose ``status`` is ``complete`` is whole.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dragoman.jobs.batch.shards import DEFAULT_SHARD_LINES, Shard, plan_shards
from dragoman.jobs.batch.worker import SHARDS_DIR, ShardResult, read_marker, shard_paths, write_json_atomic
from dragoman.version import __version__

MANIFEST = "manifest.json"
ENGINES = ("local", "dask")


@dataclass
class BatchSummary:
    shards: int = 0
    skipped: int = 0  # finished by an earlier run
    coded_now: int = 0
    failures: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def read(self) -> int:
        return sum(s.get("read", 0) for s in self.manifest.get("shards", []))


def _clean(out: Path, shards: Sequence[Shard], force: bool) -> tuple[list[Shard], dict[int, dict[str, Any]]]:
    """Remove temporary leftovers and unfinished or obsolete shard files; the shards still to do, and the
    markers of those already done."""
    sdir = out / SHARDS_DIR
    sdir.mkdir(parents=True, exist_ok=True)
    for leftover in list(sdir.glob(".*.tmp-*")) + list(out.glob(".*.tmp-*")):
        leftover.unlink(missing_ok=True)
    todo: list[Shard] = []
    done: dict[int, dict[str, Any]] = {}
    for shard in shards:
        marker = None if force else read_marker(out, shard)
        if marker is None:
            for path in shard_paths(out, shard.name).values():
                path.unlink(missing_ok=True)
            todo.append(shard)
        else:
            done[shard.index] = marker
    names = {s.name for s in shards}
    for path in sdir.iterdir():  # shards of an earlier plan (inputs changed, another shard size)
        if path.name.split(".", 1)[0] not in names:
            path.unlink(missing_ok=True)
    return todo, done


def run_batch(
    sources: Iterable[str | Path],
    out_dir: str | Path,
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    shard_lines: int = DEFAULT_SHARD_LINES,
    force: bool = False,
    on_result: Callable[[ShardResult], None] | None = None,
    dask_processes: bool = True,
    published: str | None = None,
) -> BatchSummary:
    """Code ``sources`` into the Parquet dataset ``out_dir`` (see :mod:`dragoman.jobs.batch`)."""
    from dragoman.ingest.dates import normalise_date
    from dragoman.jobs.batch.engines import run_dask, run_local
    from dragoman.jobs.batch.reduce import TABLES, reduce_shards

    fallback = normalise_date(published)
    if published is not None and fallback is None:
        raise ValueError(f"published {published!r} is not a date (YYYY-MM-DD)")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    sources = [str(s) for s in sources]
    workers = workers or os.cpu_count() or 1
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    # (twice the workers: a worker that finishes early takes another shard)
    shards, failures = plan_shards(sources, shard_lines, min_shards=2 * workers)
    timings["plan_s"] = round(time.perf_counter() - t0, 3)
    todo, done = _clean(out, shards, force)
    summary = BatchSummary(shards=len(shards), skipped=len(done), failures=[str(f) for f in failures])
    t1 = time.perf_counter()
    if todo:
        if engine == "dask":
            results = run_dask(todo, out, workers, scheduler, on_result=on_result, processes=dask_processes,
                               published=fallback)
        else:
            results = run_local(todo, out, workers, on_result=on_result, published=fallback)
        for r in results:
            done[r.index] = r.to_dict()
    summary.coded_now = len(todo)
    timings["map_s"] = round(time.perf_counter() - t1, 3)
    t2 = time.perf_counter()
    summary.counts = reduce_shards(out, shards)
    timings["reduce_s"] = round(time.perf_counter() - t2, 3)
    timings["total_s"] = round(time.perf_counter() - t0, 3)
    markers = [done[s.index] for s in shards]
    for m in markers:
        summary.failures.extend(m.get("failures", []))
    coders = sorted({(m.get("coder") or {}).get("lexicons", "") for m in markers} - {""})
    summary.manifest = {
        "status": "complete",
        "dragoman_version": __version__,
        "coder": {"version": __version__, "lexicons": coders[0] if len(coders) == 1 else coders},
        "inputs": sources,
        "engine": engine,
        "workers": workers,
        "scheduler": scheduler,
        "shard_lines": shard_lines,
        "shards_planned": len(shards),
        "published": fallback,
        "host": platform.node(),
        "tables": {t: f"{t}/published_month=YYYY-MM/*.parquet" for t in TABLES},
        "counts": summary.counts,
        "timings": timings,
        "input_failures": [str(f) for f in failures],
        "shards": [{
            "name": s.name, "input": s.describe(), "status": done[s.index].get("status"),
            "resumed": s not in todo, **{k: done[s.index].get(k) for k in (
                "read", "articles", "repeated_ids", "exact_in_shard", "coded", "mentions", "failures", "seconds",
                "peak_rss_mb", "rss_mb", "pid", "host")},
        } for s in shards],
    }
    write_json_atomic(out / MANIFEST, summary.manifest)
    return summary
