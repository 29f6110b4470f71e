"""Batch coding at scale: shards of input coded in parallel (the map), stories across shards (the reduce), and a
Parquet dataset partitioned by publication month. ``dragoman batch`` is the command; :func:`run_batch` the API.

* :mod:`dragoman.batch.shards` -- deterministic shard plans (one per file, big JSONL split by line ranges)
* :mod:`dragoman.batch.worker` -- ``code_shard``: one shard to Parquet, atomically, with a done marker
* :mod:`dragoman.batch.engines` -- ``run_local`` (process pool) and ``run_dask`` (dask.distributed)
* :mod:`dragoman.batch.reduce` -- global duplicates, stories, the month-partitioned tables
* :mod:`dragoman.batch.run` -- the whole run, resumable, and ``manifest.json``

Query a dataset in place with :class:`dragoman.store.parquet.ParquetDataset`, or load it into a store with
:func:`dragoman.store.parquet.import_dataset`.
"""

from dragoman.batch.run import BatchSummary, run_batch
from dragoman.batch.shards import Shard, plan_shards

__all__ = ["BatchSummary", "Shard", "plan_shards", "run_batch"]
