"""The embedded DuckDB store: one file, schema-versioned, short-lived connections, batch writes in transactions.

A connection is opened per operation and closed right after, so another process (a server, a second ingest)
can open the file between our writes. Every connection is taken under the store's reader-writer lock
(:mod:`dragoman.store.lock`: readers share it, a writer holds it alone), so DuckDB's own file lock, which lets
one process write or several read but never both, is never contended. Every batch is one transaction: a crash
leaves the batch out entirely.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from dragoman import settings
from dragoman.model import Article, EventMention
from dragoman.store.lock import LockTimeout, StoreLock
from dragoman.store.schema import MIGRATIONS, SCHEMA_VERSION


def utcnow() -> datetime:
    """The store's clock for its ``TIMESTAMP`` columns (feeds, alerts): UTC, naive, to the microsecond."""
    return datetime.now(UTC).replace(tzinfo=None)


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


# An article row to write: the article, its MinHash signature, its coded mentions (``None``: not coded) and,
# optionally, why it could not be coded (``code_error``).
ArticleRow = tuple[Article, Sequence[int] | None, Sequence[EventMention] | None] | tuple[
    Article, Sequence[int] | None, Sequence[EventMention] | None, str | None]


def article_row(a: Article, minhash: Sequence[int] | None, coded: bool) -> list[Any]:
    return [
        a.article_id, a.content_hash, a.title, a.url, a.published, a.source, a.author, a.language, a.origin,
        a.text, json.dumps(a.extra, ensure_ascii=False, sort_keys=True) if a.extra else None,
        a.duplicate_of, a.duplicate_kind, list(minhash) if minhash is not None else None, coded,
    ]


_COLUMN_TYPES: dict[str, dict[str, str]] = {}  # table -> column -> DuckDB type
_ARROW_TYPES = {"VARCHAR": "string", "JSON": "string", "DATE": "string", "DOUBLE": "float64", "BIGINT": "int64",
                "INTEGER": "int32", "TINYINT": "int8", "BOOLEAN": "bool_"}


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], *, or_ignore: bool = False) -> None:
    """``INSERT [OR IGNORE] INTO table (columns)`` these rows in one statement, through an Arrow table (DuckDB's
    ``executemany`` runs one statement per row: milliseconds each, which a writer holding the store's lock cannot
    afford for thousands of rows). Each value is cast to its column's type as a bound parameter would be; rows
    whose values Arrow cannot take as such go through ``executemany``. With ``or_ignore``, rows whose key is
    stored already are skipped (callers pass no two rows of one key)."""
    if not rows:
        return
    names = ", ".join(columns)
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    types = _COLUMN_TYPES.get(table)
    if types is None:  # (the schema is the store's: the same in every store of this version)
        types = _COLUMN_TYPES[table] = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = 'main'", [table]).fetchall())
    import pyarrow as pa  # (here: commands that never write do not pay for importing it)

    try:
        arrays = [pa.array([row[i] for row in rows], type=getattr(pa, _ARROW_TYPES[types[c]])())
                  for i, c in enumerate(columns)]
    except (KeyError, TypeError, ValueError, OverflowError, UnicodeError, ArithmeticError, pa.ArrowException):
        con.executemany(f"{verb} INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
                        [list(r) for r in rows])
        return
    view = f"_bulk_{table}"
    con.complete()  # (DuckDB registers no table while a caller's last result is unfinished: finish it)
    con.register(view, pa.table(arrays, names=[f"c{i}" for i in range(len(columns))]))
    try:
        casts = ", ".join(f"CAST(c{i} AS {types[c]})" for i, c in enumerate(columns))
        con.execute(f"{verb} INTO {table} ({names}) SELECT {casts} FROM {view}")
    finally:
        con.unregister(view)


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the store has ``table`` (a store of an older schema opened read-only may not)."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
                            "AND table_schema = 'main'", [table]).fetchone()[0])


def _first_per_key(rows: Sequence[Sequence[Any]], key_length: int) -> list[Sequence[Any]]:
    """The rows, but only the first of those whose first ``key_length`` values repeat an earlier row's."""
    seen: set[tuple] = set()
    out = []
    for row in rows:
        key = tuple(row[:key_length])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


_CURRENT: set[Path] = set()  # stores this process found at the current schema


class Store:
    """A Dragoman store in one DuckDB file. Cheap to create: it holds a path, not a connection."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False,
                 lock_wait_s: float | None = None) -> None:
        self.path = Path(path or settings.default_db_path())
        self.read_only = read_only
        self.lock_wait_s = settings.STORE_LOCK_WAIT_S if lock_wait_s is None else lock_wait_s
        self.lock = StoreLock(self.path)
        if not read_only:
            self.migrate()
        elif not self.path.exists():
            raise StoreError(f"{self.path}: no such store")
        elif self.path not in _CURRENT:
            # A reader of a store an older Dragoman wrote upgrades it first (migrations only add), so its
            # queries find what they read; checked once per store and process.
            with self.connect(read_only=True) as con:
                current = self._version(con)
            if current < SCHEMA_VERSION:
                self.migrate()
            _CURRENT.add(self.path)

    # ------------------------------------------------------------ connections
    @contextmanager
    def connect(self, read_only: bool | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one operation, under the store's lock (shared to read, exclusive to write), closed at
        the end of the ``with`` block. Reads are cursors of one read-only DuckDB instance that the reading
        threads of this process share (opening the file costs more than most queries); it is closed, and the
        shared lock released, just after the last of them. A thread that holds the lock for writing and opens
        another connection gets a read-write one too (DuckDB refuses to mix both in one process)."""
        ro = self.read_only if read_only is None else read_only
        if ro and self.lock.held() == "exclusive":
            ro = False
        try:
            if ro:  # the threads of this process read through one DuckDB instance (see store/lock.py)
                reading = self.lock.read(self.lock_wait_s, open_resource=lambda: self._open(True),
                                         close_resource=lambda con: con.close(), checkout=lambda con: con.cursor(),
                                         linger=settings.STORE_READ_LINGER_S)
                with reading as con:
                    try:
                        yield con
                    finally:
                        con.close()
                return
            with self.lock.hold(exclusive=True, timeout=self.lock_wait_s):
                con = self._open(False)
                try:
                    yield con
                finally:
                    con.close()
        except LockTimeout as exc:
            raise StoreError(f"{self.path}: the store is busy: another process has held it for over "
                             f"{self.lock_wait_s:g} s") from exc

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        # Under the lock no Dragoman process holds DuckDB's own lock; one that does not take ours (an older
        # Dragoman, the duckdb shell) may, briefly: wait for it with backoff before giving up.
        deadline = time.monotonic() + self.lock_wait_s
        delay = 0.005
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as exc:
                if "lock" not in str(exc).lower() or time.monotonic() + delay > deadline:
                    raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.1)

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
        with self.connect(read_only=self.read_only or self.path.exists()) as con:
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
        if self.path.exists():  # most opens find the schema current: check under the shared lock only
            with self.connect(read_only=True) as con:
                current = self._version(con)
            if current == SCHEMA_VERSION:
                return current
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
    def write_batch(self, articles: Iterable[ArticleRow]) -> int:
        """Write articles (with their MinHash signature and coded mentions) in one transaction.

        Articles already stored are skipped (so re-running a batch is a no-op). Returns the number added.
        """
        rows = list(articles)
        if not rows:
            return 0
        with self.transaction() as con:
            return len(self.insert_articles(con, rows))

    @staticmethod
    def insert_articles(con: duckdb.DuckDBPyConnection, rows: Sequence[ArticleRow]) -> list[str]:
        """Insert article rows (and their mentions, actors and places) on ``con``, inside the caller's
        transaction; articles already stored are skipped. Returns the ids added."""
        ids = [row[0].article_id for row in rows]
        present = {
            r[0]
            for r in con.execute(
                "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [ids]
            ).fetchall()
        }
        columns = (*ARTICLE_COLUMNS, "code_error")
        art_sql = f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        added = []
        groups: list[list[dict[str, Any]]] = []  # each article's mention records, in order
        for article, minhash, mentions, *error in rows:
            if article.article_id in present:
                continue
            present.add(article.article_id)
            con.execute(art_sql, [*article_row(article, minhash, coded=mentions is not None),
                                  error[0] if error else None])
            groups.append([m.to_dict() for m in mentions or []])
            added.append(article.article_id)
        records = [r for group in groups for r in group]
        if records:  # the first mention of an id wins (as one INSERT OR IGNORE after another)
            bulk_insert(con, "mentions", MENTION_COLUMNS, _first_per_key([mention_row(r) for r in records], 1),
                        or_ignore=True)
            Store._upsert_actors_places(con, *groups)
        return added

    @staticmethod
    def _upsert_actors_places(con: duckdb.DuckDBPyConnection, *groups: list[dict[str, Any]]) -> None:
        """The actors and places of mention records (in groups, one per article, each in sorted order; the first
        of one key wins, and a stored one wins over all)."""
        actor_rows: list[tuple] = []
        place_rows: list[tuple] = []
        for records in groups:
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
            actor_rows += sorted(actors, key=str)
            place_rows += sorted(places, key=str)
        bulk_insert(con, "actors", ("code", "name", "country", "sector", "wikidata"), _first_per_key(actor_rows, 2),
                    or_ignore=True)
        bulk_insert(con, "places", ("place_key", "name", "country", "lat", "lon", "geonameid", "precision"),
                    _first_per_key(place_rows, 1), or_ignore=True)

    @staticmethod
    def replace_coding(con: duckdb.DuckDBPyConnection, article_id: str, mentions: Sequence[EventMention] | None,
                       code_error: str | None = None) -> None:
        """On ``con``, in the caller's transaction: the article's new coding. With ``mentions`` its old mentions
        (and their story links) are replaced and it is marked coded; with ``None`` (coding failed again) its
        mentions are kept and only ``code_error`` is recorded."""
        if mentions is None:
            con.execute("UPDATE articles SET code_error = ? WHERE article_id = ?", [code_error, article_id])
            return
        records = [m.to_dict() for m in mentions]
        con.execute("DELETE FROM story_links WHERE mention_id IN (SELECT id FROM mentions WHERE article_id = ?)",
                    [article_id])
        con.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
        if records:
            bulk_insert(con, "mentions", MENTION_COLUMNS, [mention_row(r) for r in records])
            Store._upsert_actors_places(con, records)
        con.execute("UPDATE articles SET coded = TRUE, code_error = NULL WHERE article_id = ?", [article_id])
        from dragoman.store.corrections import refresh_mention_fixes  # (it reads the rows written here)

        refresh_mention_fixes(con, [article_id])  # analysts' corrections follow the mentions they corrected

    @staticmethod
    def mark_coded_with(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], coded_with: str | None) -> None:
        """On ``con``: record which coder (``version+lexicons``) coded these articles."""
        if article_ids and coded_with:
            con.execute("UPDATE articles SET coded_with = ? WHERE article_id IN (SELECT unnest(?))",
                        [coded_with, list(article_ids)])

    # ------------------------------------------------------------ reads
    def has_articles(self, article_ids: Sequence[str]) -> set[str]:
        if not article_ids:
            return set()
        with self.connect(read_only=True) as con:
            return {
                r[0]
                for r in con.execute(
                    "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [list(article_ids)]
                ).fetchall()
            }

    def count(self, table: str) -> int:
        if table not in {"articles", "mentions", "stories", "actors", "places"}:
            raise ValueError(f"unknown table {table!r}")
        with self.connect(read_only=True) as con:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
