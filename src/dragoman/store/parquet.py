"""A ``dragoman batch`` dataset (month-partitioned Parquet), queried in place or loaded into a store.

:class:`ParquetDataset` looks like a read-only :class:`~dragoman.store.db.Store` to the query layer: its
``connect()`` yields an in-memory DuckDB connection whose ``articles``, ``mentions``, ``stories`` and
``story_links`` are views over ``read_parquet(DIR/TABLE/**/*.parquet, hive_partitioning = true)`` (each with
the ``published_month`` partition column; a filter on it reads only that month's files). Tables the dataset
lacks are empty tables of the store's schema. So :func:`dragoman.store.events.query_mentions`,
:func:`dragoman.store.stories.query_stories` and the rest work unchanged::

    from dragoman.store.events import EventFilter, query_mentions
    from dragoman.store.parquet import ParquetDataset
    rows = query_mentions(ParquetDataset("out/"), EventFilter(country="SYR"))

:func:`import_dataset` loads a dataset into a store (idempotent).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from dragoman.store.db import ARTICLE_COLUMNS, MENTION_COLUMNS, Store
from dragoman.store.schema import MIGRATIONS

TABLES = ("articles", "mentions", "stories", "story_links")
LINK_COLUMNS = ("mention_id", "story_id", "anchor_id", "score", "reason")
_KEYS = {"articles": "article_id", "mentions": "id", "stories": "story_id", "story_links": "mention_id"}


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


def import_dataset(path: str | Path, store: Store) -> dict[str, int]:
    """Load a dataset's articles, mentions and stories into ``store``; rows already there are kept (so a second
    import adds nothing). Into an empty store the dataset's stories are copied as they are (the reduce step
    built them as a store would); into a store that already holds mentions, the blocks of the new mentions are
    re-clustered with :func:`dragoman.analysis.stories.assign`, so stories span old and new articles."""
    from dragoman.analysis.stories import STORY_COLUMNS, assign

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
        added["articles"] = insert("articles", ARTICLE_COLUMNS)
        if "mentions" in sources:
            new_records = con.execute(
                f"SELECT record FROM {sources['mentions']} WHERE id NOT IN (SELECT id FROM mentions) ORDER BY id"
            ).fetchall()
        else:
            new_records = []
        added["mentions"] = insert("mentions", MENTION_COLUMNS)
        for start in range(0, len(new_records), 5000):
            Store._upsert_actors_places(con, [json.loads(r[0]) for r in new_records[start:start + 5000]])
        if not had_mentions:
            added["stories"] = insert("stories", STORY_COLUMNS)
            added["story_links"] = insert("story_links", LINK_COLUMNS)
    if had_mentions and new_articles:
        added["stories"] = assign(store, new_articles)
    return added
