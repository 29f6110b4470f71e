"""Engines: who runs :func:`dragoman.jobs.batch.worker.code_shard` over the shards. Both give identical results.

* ``local``: a process pool on this machine (``spawn`` context; each process builds its coder once). A process
  that dies (killed, out of memory) breaks the pool: the engine starts a new one for the shards not yet done,
  at most ``retries`` times; shards already finished are on disk and stay done.
* ``dask``: ``dask.distributed`` -- a running scheduler (``Client(address)``), or a ``LocalCluster`` of
  ``workers`` single-threaded worker processes. Dask reschedules the shard of a lost worker (``retries``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from dragoman.jobs.batch.shards import Shard
from dragoman.jobs.batch.worker import ShardResult, code_shard

OnResult = Callable[[ShardResult], None]


class EngineError(RuntimeError):
    """The engine could not finish the shards (workers kept dying, the scheduler is unreachable)."""


def run_local(shards: Sequence[Shard], out_dir: str | Path, workers: int, on_result: OnResult | None = None,
              retries: int = 2, published: str | None = None) -> list[ShardResult]:
    """Code ``shards`` with ``workers`` processes on this machine; results in completion order."""
    import multiprocessing

    out = str(Path(out_dir).resolve())
    pending = {s.index: s for s in shards}
    results: list[ShardResult] = []
    attempt = 0
    while pending:
        ctx = multiprocessing.get_context("spawn")
        try:
            with ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending))), mp_context=ctx) as pool:
                futures = {pool.submit(code_shard, s, out, published): s.index for s in sorted(pending.values(),
                                                                                 key=lambda s: s.index)}
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for f in done:
                        index = futures.pop(f)
                        result = f.result()
                        pending.pop(index, None)
                        results.append(result)
                        if on_result is not None:
                            on_result(result)
        except BrokenProcessPool as exc:
            attempt += 1
            if attempt > retries:
                raise EngineError(f"worker processes died {attempt} times; {len(pending)} shard(s) not done "
                                  "(finished shards are kept: run again to resume)") from exc
    return results


def run_dask(shards: Sequence[Shard], out_dir: str | Path, workers: int, scheduler: str | None = None,
             on_result: OnResult | None = None, retries: int = 2, processes: bool = True,
             published: str | None = None) -> list[ShardResult]:
    """Code ``shards`` on a Dask cluster: the one at ``scheduler``, or a ``LocalCluster`` of ``workers``
    processes (threads when ``processes`` is false: only for tests). ``out_dir`` must be the same path on
    every worker (shared storage)."""
    from dask.distributed import Client, LocalCluster, as_completed

    out = str(Path(out_dir).resolve())
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise EngineError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    results: list[ShardResult] = []
    try:
        ordered = sorted(shards, key=lambda s: s.index)
        run = uuid.uuid4().hex[:8]
        futures = [client.submit(code_shard, s, out, published, key=f"dragoman-shard-{s.name}-{run}", pure=False,
                                 retries=retries, priority=-s.index) for s in ordered]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_result is not None:
                on_result(result)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results
