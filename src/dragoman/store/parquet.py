"""A ``dragoman batch`` dataset (month-partitioned Parquet), queried in place or loaded into a store.

:class:`ParquetDataset` looks like a read-only :class:`~dragoman.store.db.Store` to the query layer: its
``connect()`` yields an in-memory DuckDB connection whose ``articles``, ``mentions``, ``stories``,
``story_links`` and ``claims`` are views over ``read_parquet(DIR/TABLE/**/*.parquet, hive_partitioning = true)`` (each with
the ``published_month`` partition column; a filter on it reads only that month's files). Tables the dataset
lacks are empty tables of the store's schema. So :func:`dragoman.store.events.query_mentions`,
:func:`dragoman.store.stories.query_stories` and the rest work unchanged::

    from dragoman.store.events import EventFilter, query_mentions
    from dragoman.store.parquet import ParquetDataset
    rows = query_mentions(ParquetDataset("out/"), EventFilter(country="SYR"))

:func:`insert_dataset` loads a dataset's rows into a store (the import job, :mod:`dragoman.jobs.dataset`,
re-clusters stories when the store already held mentions); :func:`load_shards`, :func:`export_tables` and
:func:`dataset_counts` are the statements of the batch reduce step.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from dragoman.store.claims import CLAIM_COLUMNS
from dragoman.store.db import ARTICLE_COLUMNS, MENTION_COLUMNS, Store
from dragoman.store.schema import MIGRATIONS
from dragoman.store.stories import LINK_COLUMNS, STORY_COLUMNS

TABLES = ("articles", "mentions", "stories", "story_links", "claims")
_KEYS = {"articles": "article_id", "mentions": "id", "stories": "story_id", "story_links": "mention_id",
         "claims": "claim_id"}


class DatasetError(ValueError):
    """The folder is not a ``dragoman batch`` dataset."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tables(root: Path) -> dict[str, str]:
    """Each table the dataset has files for, as a ``read_parquet(...)`` expression."""
    found = {}
    for table in TABLES:
        if any((root / table).glob("**/*.parquet")):
            found[table] = (f"read_parquet({_quote(str(root / table) + '/**/*.parquet')}, "
                            "hive_partitioning = true, union_by_name = true)")
    return found


class ParquetDataset:
    """A read-only, store-like view of a dataset folder (see the module docstring)."""

    read_only = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise DatasetError(f"{self.path}: no such folder")
        self.sources = _tables(self.path)
        if not self.sources and not (self.path / "manifest.json").is_file():
            raise DatasetError(f"{self.path}: not a dragoman batch dataset (no manifest.json, no Parquet tables)")

    @contextmanager
    def connect(self, read_only: bool | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect()
        try:
            for migration in MIGRATIONS:  # empty tables of the store's schema for anything missing
                con.execute(migration)
            for table, source in self.sources.items():
                con.execute(f"DROP TABLE {table}")
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM {source}")
            yield con
        finally:
            con.close()

    def manifest(self) -> dict[str, Any] | None:
        try:
            return json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        with self.connect() as con:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# ---------------------------------------------------------------- building a dataset (the batch reduce step)
PARTITION = "published_month"
_MONTH = "coalesce(strftime({col}, '%Y-%m'), 'unknown')"
_EXPORTS = {
    "articles": f"SELECT *, {_MONTH.format(col='published')} AS {PARTITION} FROM articles ORDER BY article_id",
    "mentions": (f"SELECT m.*, {_MONTH.format(col='a.published')} AS {PARTITION} FROM mentions_applied m "
                 "JOIN articles a USING (article_id) ORDER BY m.id"),
    "stories": f"SELECT *, {_MONTH.format(col='first_seen')} AS {PARTITION} FROM stories_applied ORDER BY story_id",
    "story_links": (f"SELECT l.*, {_MONTH.format(col='s.first_seen')} AS {PARTITION} FROM story_links l "
                    "JOIN stories s USING (story_id) ORDER BY l.mention_id"),
    "claims": f"SELECT *, {_MONTH.format(col='published')} AS {PARTITION} FROM claims ORDER BY claim_id",
}


def _sql_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(_quote(str(p)) for p in paths) + "]"


def shard_signatures(con: duckdb.DuckDBPyConnection, article_files: Sequence[Path],
                     batch: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    """``(_shard, _pos, article_id, content_hash, published, minhash)`` of the shards' articles in the global
    order (shard, then position), a batch of rows at a time."""
    cur = con.execute(
        f"SELECT _shard, _pos, article_id, content_hash, published, minhash FROM read_parquet({_sql_list(article_files)}) "
        "ORDER BY _shard, _pos")
    while rows := cur.fetchmany(batch):
        yield rows


def load_shards(con: duckdb.DuckDBPyConnection, article_files: Sequence[Path], mention_files: Sequence[Path],
                decisions: pa.Table, claim_files: Sequence[Path] = (), coders: pa.Table | None = None) -> None:
    """Insert the shards' articles with their duplicate decisions (``_shard, _pos, duplicate_of,
    duplicate_kind``; articles without one were repeated ids, dropped) and the coder of their shard (``coders``:
    ``_shard, coded_with``), and the mentions and count claims of the originals, each once, in the global
    order."""
    con.execute("SET preserve_insertion_order = true")
    con.register("decisions", decisions)
    con.register("coders", coders if coders is not None else pa.table(
        {"_shard": pa.array([], pa.int32()), "coded_with": pa.array([], pa.string())}))
    a_cols = [c for c in ARTICLE_COLUMNS if c not in ("duplicate_of", "duplicate_kind", "coded")]
    coded = "d.duplicate_of IS NULL AND a.language = 'en'"
    con.execute(
        f"INSERT INTO articles ({', '.join(a_cols)}, duplicate_of, duplicate_kind, coded, coded_with) "
        f"SELECT {', '.join('a.' + c for c in a_cols)}, d.duplicate_of, d.duplicate_kind, {coded}, "
        f"CASE WHEN {coded} THEN c.coded_with END "
        f"FROM read_parquet({_sql_list(article_files)}) a JOIN decisions d USING (_shard, _pos) "
        "LEFT JOIN coders c USING (_shard) ORDER BY a._shard, a._pos")
    con.execute(
        f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
        f"SELECT {', '.join('m.' + c for c in MENTION_COLUMNS)} "
        f"FROM read_parquet({_sql_list(mention_files)}) m JOIN decisions d USING (_shard, _pos) "
        "WHERE d.duplicate_of IS NULL "
        "QUALIFY row_number() OVER (PARTITION BY m.id ORDER BY m._shard, m._pos, m._seq) = 1 "
        "ORDER BY m._shard, m._pos, m._seq")
    if claim_files:
        con.execute(
            f"INSERT INTO claims ({', '.join(CLAIM_COLUMNS)}) "
            f"SELECT {', '.join('c.' + col for col in CLAIM_COLUMNS)} "
            f"FROM read_parquet({_sql_list(claim_files)}) c JOIN decisions d USING (_shard, _pos) "
            "WHERE d.duplicate_of IS NULL "
            "QUALIFY row_number() OVER (PARTITION BY c.claim_id ORDER BY c._shard, c._pos, c._seq) = 1 "
            "ORDER BY c._shard, c._pos, c._seq")
    con.unregister("decisions")
    con.unregister("coders")


def export_tables(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Write every table of the store as Hive-partitioned Parquet under ``folder/TABLE/``, rows in key order."""
    con.execute("SET threads = 1")  # one writer: deterministic files
    for table in TABLES:
        target = str(folder / table).replace("'", "''")
        (folder / table).mkdir()
        con.execute(f"COPY ({_EXPORTS[table]}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, "
                    f"PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'part-{{i}}')")


def dataset_counts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the manifest records of a built dataset: articles, duplicates, coded, mentions and months."""
    row = con.execute(
        "SELECT count(*), count(duplicate_of), count(*) FILTER (duplicate_kind = 'exact'), "
        "count(*) FILTER (duplicate_kind = 'near'), count(*) FILTER (coded) FROM articles").fetchone()
    counts: dict[str, Any] = dict(articles=row[0], duplicates=row[1], exact_duplicates=row[2],
                                  near_duplicates=row[3], coded=row[4])
    counts["mentions"] = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    counts["claims"] = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    counts["months"] = [r[0] for r in con.execute(
        f"SELECT DISTINCT {_MONTH.format(col='published')} FROM articles ORDER BY 1").fetchall()]
    return counts


# ---------------------------------------------------------------- loading a dataset into a store
def insert_dataset(path: str | Path, store: Store) -> tuple[dict[str, int], list[str], bool]:
    """Insert a dataset's rows that the store lacks, in one transaction: articles, mentions (with their actors
    and places), and — into a store that held no mentions — the dataset's stories and links as they are.
    Returns the rows added per table, the new article ids, and whether the store held mentions before (then
    the caller re-clusters the new articles' blocks)."""
    dataset = ParquetDataset(path)
    sources = dataset.sources
    added = {t: 0 for t in TABLES}
    new_articles: list[str] = []
    with store.transaction() as con:
        had_mentions = int(con.execute("SELECT count(*) FROM mentions").fetchone()[0]) > 0

        def insert(table: str, columns: tuple[str, ...]) -> int:
            if table not in sources:
                return 0
            key = _KEYS[table]
            cols = ", ".join(columns)
            before = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {sources[table]} "
                        f"WHERE {key} NOT IN (SELECT {key} FROM {table}) ORDER BY {key}")
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) - before

        if "articles" in sources:
            new_articles = [r[0] for r in con.execute(
                f"SELECT article_id FROM {sources['articles']} WHERE article_id NOT IN "
                "(SELECT article_id FROM articles) ORDER BY article_id").fetchall()]
        with_coder = "coded_with" in [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {sources['articles']}"
                                                                 ).fetchall()] if "articles" in sources else False
        added["articles"] = insert("articles", (*ARTICLE_COLUMNS, "coded_with") if with_coder else ARTICLE_COLUMNS)
        if "mentions" in sources:
            new_records = con.execute(
                f"SELECT record FROM {sources['mentions']} WHERE id NOT IN (SELECT id FROM mentions) ORDER BY id"
            ).fetchall()
        else:
            new_records = []
        added["mentions"] = insert("mentions", MENTION_COLUMNS)
        for start in range(0, len(new_records), 5000):
            Store._upsert_actors_places(con, [json.loads(r[0]) for r in new_records[start:start + 5000]])
        added["claims"] = insert("claims", CLAIM_COLUMNS)
        if not had_mentions:
            added["stories"] = insert("stories", STORY_COLUMNS)
            added["story_links"] = insert("story_links", LINK_COLUMNS)
    return added, new_articles, had_mentions
