"""The reduce step: global duplicate decisions, stories across shards, and the month-partitioned dataset.

1. **Duplicates.** The shards' articles are walked in the global order (shard, then position) through the same
   :class:`dragoman.ingest.dedup.DedupIndex` that ``dragoman ingest`` uses, with the MinHash signatures the
   workers computed: a repeated id is dropped (ingest skips it as already stored), a later exact or near copy
   is linked to its original (``duplicate_of``) and its mentions are dropped -- a copy is never coded in a
   store, so it lends no support to a story (``num_copies`` counts it). The decisions are exactly ingest's.
2. **Stories.** Articles and mentions go into a scratch store (the real schema) and
   :func:`dragoman.jobs.stories.assign_stories` clusters every block, building its records from the mention rows
   with the store's own loader -- so the stories are, by construction, the ones a single-process store holds.
3. **Dataset.** Each table is written with DuckDB ``COPY ... PARTITION_BY`` into Hive-style
   ``published_month=YYYY-MM`` folders (``unknown`` for undated rows), rows sorted by key: articles and
   mentions by their article's publication month, stories and their join explanations by the month the story
   was first reported. Tables are written to a staging folder and renamed into place, so no half-written file
   is ever visible under a final name.

The reduce runs on one machine, after the map. It holds one DedupIndex (about 1 KB per article) and, while
clustering, the clustering record of every mention (``assign_stories`` loads them all, as it does in a store).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dragoman.ingest.dedup import DedupIndex
from dragoman.jobs.batch.shards import Shard
from dragoman.jobs.batch.worker import shard_paths
from dragoman.jobs.stories import assign_stories
from dragoman.model import Article
from dragoman.store import parquet as dataset
from dragoman.store.db import Store
from dragoman.store.parquet import TABLES

if TYPE_CHECKING:
    import duckdb


def duplicate_decisions(con: duckdb.DuckDBPyConnection, article_files: Sequence[Path]) -> tuple[pa.Table, int]:
    """``(_shard, _pos, duplicate_of, duplicate_kind)`` of every article kept, in the global order, and the
    number of repeated ids dropped."""
    index = DedupIndex()
    shards: list[int] = []
    poss: list[int] = []
    dup_of: list[str | None] = []
    kinds: list[str | None] = []
    repeated = 0
    for rows in dataset.shard_signatures(con, article_files):
        for shard, pos, article_id, content_hash, published, minhash in rows:
            if article_id in index:
                repeated += 1
                continue
            signature = index._from_values(minhash)
            probe = Article(article_id=article_id, text="", content_hash=content_hash, published=published)
            of, kind = index.classify(probe, signature)
            index.add(article_id, content_hash, published, of, signature)
            shards.append(shard)
            poss.append(pos)
            dup_of.append(of)
            kinds.append(kind)
    table = pa.table({"_shard": pa.array(shards, pa.int32()), "_pos": pa.array(poss, pa.int32()),
                      "duplicate_of": pa.array(dup_of, pa.string()), "duplicate_kind": pa.array(kinds, pa.string())})
    return table, repeated


def _shard_coders(out: Path, shards: Sequence[Shard]) -> pa.Table:
    """``(_shard, coded_with)``: the coder (``version+lexicons``) each shard's done marker names."""
    import json

    index: list[int] = []
    coded_with: list[str | None] = []
    for shard in shards:
        try:
            info = json.loads(shard_paths(out, shard.name)["marker"].read_text(encoding="utf-8")).get("coder") or {}
        except (OSError, ValueError):
            info = {}
        index.append(shard.index)
        coded_with.append(f"{info['version']}+{info['lexicons']}" if info.get("version") and info.get("lexicons")
                          else None)
    return pa.table({"_shard": pa.array(index, pa.int32()), "coded_with": pa.array(coded_with, pa.string())})


def reduce_shards(out_dir: str | Path, shards: Sequence[Shard]) -> dict[str, Any]:
    """Build the final dataset under ``out_dir`` from the finished shards; returns the counts."""
    out = Path(out_dir)
    work = out / ".work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ordered = sorted(shards, key=lambda s: s.index)
    article_files = [shard_paths(out, s.name)["articles"] for s in ordered]
    mention_files = [shard_paths(out, s.name)["mentions"] for s in ordered]
    # (a shard coded by a Dragoman that read no claims has no claims file)
    claim_files = [f for f in (shard_paths(out, s.name)["claims"] for s in ordered) if f.exists()]
    store = Store(work / "reduce.duckdb")
    counts: dict[str, Any] = {}
    with store.transaction() as con:
        if article_files:
            decisions, counts["repeated_ids"] = duplicate_decisions(con, article_files)
            dataset.load_shards(con, article_files, mention_files, decisions, claim_files,
                                coders=_shard_coders(out, ordered))
        else:
            counts["repeated_ids"] = 0
    counts["stories"] = assign_stories(store)
    staging = out / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    with store.connect() as con:
        dataset.export_tables(con, staging)
        counts.update(dataset.dataset_counts(con))
    for table in TABLES:  # swap each table in: the old one is renamed away first, then removed
        final = out / table
        old = out / f".old-{table}"
        if old.exists():
            shutil.rmtree(old)
        if final.exists():
            final.rename(old)
        (staging / table).rename(final)
        if old.exists():
            shutil.rmtree(old)
    shutil.rmtree(staging)
    shutil.rmtree(work)
    return counts
