"""Batch coding at scale: shards of input coded in parallel (the map), stories across shards (the reduce), and a
Parquet dataset partitioned by publication month. ``dragoman batch`` is the command; :func:`run_batch` the API.

* :mod:`dragoman.jobs.batch.shards` -- deterministic shard plans (one per file, big JSONL split by line ranges)
* :mod:`dragoman.jobs.batch.worker` -- ``code_shard``: one shard to Parquet, atomically, with a done marker
* :mod:`dragoman.jobs.batch.engines` -- ``run_local`` (process pool) and ``run_dask`` (dask.distributed)
* :mod:`dragoman.jobs.batch.reduce` -- global duplicates, stories, the month-partitioned tables
* :mod:`dragoman.jobs.batch.run` -- the whole run, resumable, and ``manifest.json``

Query a dataset in place with :class:`dragoman.store.parquet.ParquetDataset`, or load it into a store with
:func:`dragoman.jobs.dataset.import_dataset`.
"""

from dragoman.jobs.batch.run import BatchSummary, run_batch
from dragoman.jobs.batch.shards import Shard, plan_shards

__all__ = ["BatchSummary", "Shard", "plan_shards", "run_batch"]
