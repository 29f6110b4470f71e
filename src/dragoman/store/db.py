"""The embedded DuckDB store: one file, schema-versioned, short-lived connections, batch writes in transactions.

A connection is opened per operation and closed right after, so another process (a server, a second ingest)
can open the file between our writes. Every batch is one transaction: a crash leaves the batch out entirely.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from dragoman import settings
from dragoman.model import Article, EventMention
from dragoman.store.schema import MIGRATIONS, SCHEMA_VERSION


class StoreError(RuntimeError):
    """The store file cannot be opened or is of a newer schema than this Dragoman knows."""


# A query the store could not run (a bad filter value reaching SQL, a corrupt file): what callers catch.
QueryError = duckdb.Error


ARTICLE_COLUMNS = (
    "article_id", "content_hash", "title", "url", "published", "source", "author", "language", "origin",
    "text", "extra", "duplicate_of", "duplicate_kind", "minhash", "coded",
)

MENTION_COLUMNS = (
    "id", "article_id", "story_id",
    "source_code", "source_country", "source_sector", "source_name", "source_text", "source_wikidata",
    "target_code", "target_country", "target_sector", "target_name", "target_text", "target_wikidata",
    "cameo", "cameo_root", "plover", "plover_mode", "quad_class", "goldstein",
    "date_start", "date_end", "date_precision", "date_mod", "date_text",
    "loc_name", "loc_country", "loc_lat", "loc_lon", "loc_geonameid", "loc_precision", "loc_text",
    "factuality", "confidence", "sentence", "sentence_start", "sentence_end", "trigger_text",
    "attribution_text", "record", "killed", "injured", "arrested",
)


def _actor_values(actor: dict[str, Any] | None) -> list[Any]:
    a = actor or {}
    return [a.get("code"), a.get("country"), a.get("sector"), a.get("name"), a.get("text"), a.get("wikidata")]


def mention_row(record: dict[str, Any]) -> list[Any]:
    """Flatten an event mention record (schema dict) into the ``mentions`` table's columns."""
    d = record.get("date") or {}
    loc = record.get("location") or {}
    ev = record.get("evidence") or {}
    att = record.get("attribution") or {}
    return [
        record["id"], record["article_id"], record.get("story_id"),
        *_actor_values(record.get("source")),
        *_actor_values(record.get("target")),
        record["cameo"], record["cameo_root"], record["plover"], record.get("plover_mode"),
        record["quad_class"], record["goldstein"],
        d.get("start"), d.get("end"), d.get("precision"), d.get("mod"), d.get("text"),
        loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon"), loc.get("geonameid"),
        loc.get("precision"), loc.get("text"),
        record["factuality"], record.get("confidence"),
        ev.get("sentence"), ev.get("start"), ev.get("end"), ev.get("trigger"),
        att.get("text"),
        json.dumps(record, ensure_ascii=False, sort_keys=True),
        _size(record.get("killed")), _size(record.get("injured")), _size(record.get("arrested")),
    ]


def _size(value: Any) -> int | None:
    """A size field (``killed``/``injured``/``arrested``): a number, or ``{"number": n, ...}``, or ``[n, kind]``."""
    if isinstance(value, dict):
        value = value.get("number")
    elif isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def article_row(a: Article, minhash: Sequence[int] | None, coded: bool) -> list[Any]:
    return [
        a.article_id, a.content_hash, a.title, a.url, a.published, a.source, a.author, a.language, a.origin,
        a.text, json.dumps(a.extra, ensure_ascii=False, sort_keys=True) if a.extra else None,
        a.duplicate_of, a.duplicate_kind, list(minhash) if minhash is not None else None, coded,
    ]


class Store:
    """A Dragoman store in one DuckDB file. Cheap to create: it holds a path, not a connection."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False,
                 lock_wait_s: float | None = None) -> None:
        self.path = Path(path or settings.default_db_path())
        self.read_only = read_only
        self.lock_wait_s = settings.STORE_LOCK_WAIT_S if lock_wait_s is None else lock_wait_s
        if not read_only:
            self.migrate()
        elif not self.path.exists():
            raise StoreError(f"{self.path}: no such store")

    # ------------------------------------------------------------ connections
    @contextmanager
    def connect(self, read_only: bool | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        ro = self.read_only if read_only is None else read_only
        # DuckDB lets one process write, or several read; another process (a server between requests, an
        # ingest between batches) holds the file only briefly, so wait for it with backoff before giving up.
        deadline = time.monotonic() + self.lock_wait_s
        delay = 0.005
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=ro)
                break
            except duckdb.Error as exc:
                if "lock" not in str(exc).lower() or time.monotonic() + delay > deadline:
                    raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: connections never outlive an operation. Kept for the context-manager API."""

    # ------------------------------------------------------------ schema
    def schema_version(self) -> int:
        with self.connect() as con:
            return self._version(con)

    @staticmethod
    def _version(con: duckdb.DuckDBPyConnection) -> int:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        row = con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> int:
        """Apply missing migrations; returns the schema version. Refuses a store newer than this code."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect(read_only=False) as con:
            current = self._version(con)
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: schema version {current} is newer than this Dragoman ({SCHEMA_VERSION}); upgrade"
                )
            if current == SCHEMA_VERSION:
                return current
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                for number in range(current + 1, SCHEMA_VERSION + 1):
                    con.execute(MIGRATIONS[number - 1])
                    con.execute("INSERT INTO schema_version VALUES (?)", [number])
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
            return SCHEMA_VERSION

    # ------------------------------------------------------------ writes
    def write_batch(
        self,
        articles: Iterable[tuple[Article, Sequence[int] | None, Sequence[EventMention] | None]],
    ) -> int:
        """Write articles (with their MinHash signature and coded mentions) in one transaction.

        Articles already stored are skipped (so re-running a batch is a no-op). Returns the number added.
        """
        rows = list(articles)
        if not rows:
            return 0
        added = 0
        with self.transaction() as con:
            ids = [a.article_id for a, _, _ in rows]
            present = {
                r[0]
                for r in con.execute(
                    "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [ids]
                ).fetchall()
            }
            art_sql = f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
            men_sql = (
                f"INSERT OR IGNORE INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})"
            )
            for article, minhash, mentions in rows:
                if article.article_id in present:
                    continue
                present.add(article.article_id)
                con.execute(art_sql, article_row(article, minhash, coded=mentions is not None))
                records = [m.to_dict() for m in mentions or []]
                if records:
                    con.executemany(men_sql, [mention_row(r) for r in records])
                    self._upsert_actors_places(con, records)
                added += 1
        return added

    @staticmethod
    def _upsert_actors_places(con: duckdb.DuckDBPyConnection, records: list[dict[str, Any]]) -> None:
        actors = set()
        places = set()
        for r in records:
            for role in ("source", "target"):
                a = r.get(role)
                if a and a.get("code"):
                    actors.add((a["code"], a.get("name") or a["code"], a.get("country"), a.get("sector"),
                                a.get("wikidata")))
            loc = r.get("location")
            if loc and loc.get("name"):
                key = str(loc.get("geonameid") or f"{loc['name']}|{loc.get('country')}")
                places.add((key, loc["name"], loc.get("country"), loc.get("lat"), loc.get("lon"),
                            loc.get("geonameid"), loc.get("precision")))
        if actors:
            con.executemany("INSERT OR IGNORE INTO actors VALUES (?, ?, ?, ?, ?)", sorted(actors, key=str))
        if places:
            con.executemany("INSERT OR IGNORE INTO places VALUES (?, ?, ?, ?, ?, ?, ?)", sorted(places, key=str))

    def replace_mentions(self, article_id: str, mentions: Sequence[EventMention]) -> None:
        """Re-code one article: its old mentions are replaced in one transaction."""
        records = [m.to_dict() for m in mentions]
        with self.transaction() as con:
            con.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
            if records:
                con.executemany(
                    f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) VALUES ({', '.join('?' * len(MENTION_COLUMNS))})",
                    [mention_row(r) for r in records],
                )
                self._upsert_actors_places(con, records)
            con.execute("UPDATE articles SET coded = TRUE WHERE article_id = ?", [article_id])

    # ------------------------------------------------------------ reads
    def has_articles(self, article_ids: Sequence[str]) -> set[str]:
        if not article_ids:
            return set()
        with self.connect(read_only=self.read_only) as con:
            return {
                r[0]
                for r in con.execute(
                    "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [list(article_ids)]
                ).fetchall()
            }

    def count(self, table: str) -> int:
        if table not in {"articles", "mentions", "stories", "actors", "places"}:
            raise ValueError(f"unknown table {table!r}")
        with self.connect() as con:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
