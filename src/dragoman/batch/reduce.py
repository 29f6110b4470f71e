"""The reduce step: global duplicate decisions, stories across shards, and the month-partitioned dataset.

1. **Duplicates.** The shards' articles are walked in the global order (shard, then position) through the same
   :class:`dragoman.ingest.dedup.DedupIndex` that ``dragoman ingest`` uses, with the MinHash signatures the
   workers computed: a repeated id is dropped (ingest skips it as already stored), a later exact or near copy
   is linked to its original (``duplicate_of``) and its mentions are dropped -- a copy is never coded in a
   store, so it lends no support to a story (``num_copies`` counts it). The decisions are exactly ingest's.
2. **Stories.** Articles and mentions go into a scratch store (the real schema) and
   :func:`dragoman.analysis.stories.assign` clusters every block, building its records from the mention rows
   with the store's own loader -- so the stories are, by construction, the ones a single-process store holds.
3. **Dataset.** Each table is written with DuckDB ``COPY ... PARTITION_BY`` into Hive-style
   ``published_month=YYYY-MM`` folders (``unknown`` for undated rows), rows sorted by key: articles and
   mentions by their article's publication month, stories and their join explanations by the month the story
   was first reported. Tables are written to a staging folder and renamed into place, so no half-written file
   is ever visible under a final name.

The reduce runs on one machine, after the map. It holds one DedupIndex (about 1 KB per article) and, while
clustering, the clustering record of every mention (``assign`` loads them all, as it does in a store).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from dragoman.batch.shards import Shard
from dragoman.batch.worker import shard_paths
from dragoman.model import Article
from dragoman.store.db import ARTICLE_COLUMNS, MENTION_COLUMNS, Store

TABLES = ("articles", "mentions", "stories", "story_links")
PARTITION = "published_month"
_MONTH = "coalesce(strftime({col}, '%Y-%m'), 'unknown')"
_EXPORTS = {
    "articles": f"SELECT *, {_MONTH.format(col='published')} AS {PARTITION} FROM articles ORDER BY article_id",
    "mentions": (f"SELECT m.*, {_MONTH.format(col='a.published')} AS {PARTITION} FROM mentions m "
                 "JOIN articles a USING (article_id) ORDER BY m.id"),
    "stories": f"SELECT *, {_MONTH.format(col='first_seen')} AS {PARTITION} FROM stories ORDER BY story_id",
    "story_links": (f"SELECT l.*, {_MONTH.format(col='s.first_seen')} AS {PARTITION} FROM story_links l "
                    "JOIN stories s USING (story_id) ORDER BY l.mention_id"),
}


def _sql_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def duplicate_decisions(con: duckdb.DuckDBPyConnection, article_files: Sequence[Path]) -> tuple[pa.Table, int]:
    """``(_shard, _pos, duplicate_of, duplicate_kind)`` of every article kept, in the global order, and the
    number of repeated ids dropped."""
    from dragoman.ingest.dedup import DedupIndex

    index = DedupIndex()
    shards: list[int] = []
    poss: list[int] = []
    dup_of: list[str | None] = []
    kinds: list[str | None] = []
    repeated = 0
    cur = con.execute(
        f"SELECT _shard, _pos, article_id, content_hash, published, minhash FROM read_parquet({_sql_list(article_files)}) "
        "ORDER BY _shard, _pos")
    while rows := cur.fetchmany(5000):
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


def reduce_shards(out_dir: str | Path, shards: Sequence[Shard]) -> dict[str, Any]:
    """Build the final dataset under ``out_dir`` from the finished shards; returns the counts."""
    from dragoman.analysis.stories import assign

    out = Path(out_dir)
    work = out / ".work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ordered = sorted(shards, key=lambda s: s.index)
    article_files = [shard_paths(out, s.name)["articles"] for s in ordered]
    mention_files = [shard_paths(out, s.name)["mentions"] for s in ordered]
    store = Store(work / "reduce.duckdb")
    counts: dict[str, Any] = {}
    with store.transaction() as con:
        con.execute("SET preserve_insertion_order = true")
        if article_files:
            decisions, counts["repeated_ids"] = duplicate_decisions(con, article_files)
            con.register("decisions", decisions)
            a_cols = [c for c in ARTICLE_COLUMNS if c not in ("duplicate_of", "duplicate_kind", "coded")]
            con.execute(
                f"INSERT INTO articles ({', '.join(a_cols)}, duplicate_of, duplicate_kind, coded) "
                f"SELECT {', '.join('a.' + c for c in a_cols)}, d.duplicate_of, d.duplicate_kind, "
                "d.duplicate_of IS NULL AND a.language = 'en' "
                f"FROM read_parquet({_sql_list(article_files)}) a JOIN decisions d USING (_shard, _pos) "
                "ORDER BY a._shard, a._pos")
            con.execute(
                f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                f"SELECT {', '.join('m.' + c for c in MENTION_COLUMNS)} "
                f"FROM read_parquet({_sql_list(mention_files)}) m JOIN decisions d USING (_shard, _pos) "
                "WHERE d.duplicate_of IS NULL "
                "QUALIFY row_number() OVER (PARTITION BY m.id ORDER BY m._shard, m._pos, m._seq) = 1 "
                "ORDER BY m._shard, m._pos, m._seq")
            con.unregister("decisions")
        else:
            counts["repeated_ids"] = 0
    counts["stories"] = assign(store)
    staging = out / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    with store.connect() as con:
        con.execute("SET threads = 1")  # one writer: deterministic files
        for table in TABLES:
            target = str(staging / table).replace("'", "''")
            (staging / table).mkdir()
            con.execute(f"COPY ({_EXPORTS[table]}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, "
                        f"PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part-{{i}}')")
        row = con.execute(
            "SELECT count(*), count(duplicate_of), count(*) FILTER (duplicate_kind = 'exact'), "
            "count(*) FILTER (duplicate_kind = 'near'), count(*) FILTER (coded) FROM articles").fetchone()
        counts.update(articles=row[0], duplicates=row[1], exact_duplicates=row[2], near_duplicates=row[3],
                      coded=row[4])
        counts["mentions"] = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        counts["months"] = [r[0] for r in con.execute(
            f"SELECT DISTINCT {_MONTH.format(col='published')} FROM articles ORDER BY 1").fetchall()]
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
