"""Query layer for the article side of the store: listing, reading back, the dedup index, and exports.

The CLI (and any API) calls these functions; SQL lives here and nowhere in the interfaces. Every function
opens its own short-lived connection through :class:`Store` and returns plain Python values.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from dragoman.model import Article
from dragoman.store.cells import safe_sql
from dragoman.store.db import Store

EXPORT_TABLES: dict[str, str] = {
    # table -> the key that orders its rows (stable exports, diffable between runs)
    "articles": "article_id",
    "mentions": "id",
    "stories": "story_id",
    "actors": "code, name",
    "places": "place_key",
    "story_links": "mention_id",
    "claims": "claim_id",
}
EXPORT_FORMATS = ("parquet", "csv", "jsonl")

# Columns a listing shows (everything but the MinHash signature, which is for machines).
LIST_COLUMNS = (
    "article_id", "published", "source", "language", "title", "url", "author", "origin",
    "duplicate_of", "duplicate_kind", "coded", "content_hash", "extra", "text",
)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _record(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    record = {c: _iso(v) for c, v in zip(columns, row, strict=True)}
    if isinstance(record.get("extra"), str):
        record["extra"] = json.loads(record["extra"])
    return record


def dedup_rows(store: Store) -> list[tuple[str, str, str | None, str | None, list[int] | None]]:
    """``(article_id, content_hash, published, duplicate_of, minhash)`` of every stored article, by id."""
    with store.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT article_id, content_hash, published, duplicate_of, minhash FROM articles ORDER BY article_id"
        ).fetchall()
    return [(r[0], r[1], _iso(r[2]), r[3], r[4]) for r in rows]


def list_articles(
    store: Store,
    *,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    language: str | None = None,
    duplicates: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
    text: bool = True,
) -> list[dict[str, Any]]:
    """Stored articles as records, oldest first (undated last), then by id: ``limit`` of them from ``offset``,
    with their ``text`` or not.

    ``source`` matches the outlet case-insensitively; ``since``/``until`` bound the publication date
    (inclusive, undated articles excluded); ``duplicates`` True keeps only copies, False only originals.
    """
    where, params = _article_filter(source, since, until, language, duplicates)
    columns = LIST_COLUMNS if text else tuple(c for c in LIST_COLUMNS if c != "text")
    sql = f"SELECT {', '.join(columns)} FROM articles{where} ORDER BY published NULLS LAST, article_id"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit) if limit is not None else 2**62, int(offset)]
    with store.connect(read_only=True) as con:
        rows = con.execute(sql, params).fetchall()
    return [_record(columns, r) for r in rows]


def count_articles(store: Store, *, source: str | None = None, since: str | None = None,
                   until: str | None = None, language: str | None = None, duplicates: bool | None = None) -> int:
    """How many stored articles :func:`list_articles` would list with these filters (and no limit)."""
    where, params = _article_filter(source, since, until, language, duplicates)
    with store.connect(read_only=True) as con:
        return int(con.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])


def _article_filter(source: str | None, since: str | None, until: str | None, language: str | None,
                    duplicates: bool | None) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if source:
        where.append("lower(source) = lower(?)")
        params.append(source)
    if since:
        where.append("published >= CAST(? AS DATE)")
        params.append(since)
    if until:
        where.append("published <= CAST(? AS DATE)")
        params.append(until)
    if language:
        where.append("language = ?")
        params.append(language)
    if duplicates is True:
        where.append("duplicate_of IS NOT NULL")
    elif duplicates is False:
        where.append("duplicate_of IS NULL")
    return (" WHERE " + " AND ".join(where)) if where else "", params


def get_article(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article's record (text and metadata), or ``None``."""
    with store.connect(read_only=True) as con:
        row = con.execute(
            f"SELECT {', '.join(LIST_COLUMNS)} FROM articles WHERE article_id = ?", [article_id]
        ).fetchone()
        if row is None:
            return None
        record = _record(LIST_COLUMNS, row)
        record["code_error"] = _code_error(con, article_id)
        record["copies"] = [
            {"article_id": r[0], "source": r[1], "duplicate_kind": r[2]}
            for r in con.execute(
                "SELECT article_id, source, duplicate_kind FROM articles WHERE duplicate_of = ? ORDER BY article_id",
                [article_id],
            ).fetchall()
        ]
        record["mentions"] = int(
            con.execute("SELECT count(*) FROM mentions_applied WHERE article_id = ?", [article_id]).fetchone()[0]
        )
    return record


def _code_error(con: Any, article_id: str) -> str | None:
    """Why the article could not be coded, if it could not (``None`` too where the column is missing: a batch
    dataset, or a store of an older schema opened read-only)."""
    cursor = con.execute("SELECT * FROM articles WHERE article_id = ?", [article_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return row[names.index("code_error")] if row is not None and "code_error" in names else None


def recode_selection(store: Store, article_ids: Sequence[str] | None = None, *, everything: bool = False,
                     source: str | None = None, since: str | None = None, until: str | None = None,
                     not_coded_with: str | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """What ``dragoman recode`` codes, by id: the named articles, or every original English article
    (``everything``), or those never coded or whose coding failed; narrowed to an outlet (``source``) and a
    publication date range, and with ``not_coded_with`` to those not yet coded by that coder
    (``version+lexicons``: so an interrupted run goes on where it stopped). Returns ``(ids, refused)``,
    ``refused`` being ``(id, reason)`` for named articles that are not to be coded (unknown, a copy, not
    English)."""
    codable = "duplicate_of IS NULL AND language = 'en'"
    narrow, params = _article_filter(source, since, until, None, None)
    narrow = narrow.replace(" WHERE ", " AND ", 1)
    if not_coded_with:
        narrow += " AND (coded_with IS DISTINCT FROM ? OR code_error IS NOT NULL OR NOT coded)"
        params = [*params, not_coded_with]
    with store.connect(read_only=True) as con:
        if article_ids is None:
            sql = f"SELECT article_id FROM articles WHERE {codable}{narrow}"
            if not everything:
                sql += " AND (NOT coded OR code_error IS NOT NULL)"
            return [r[0] for r in con.execute(sql + " ORDER BY article_id", params).fetchall()], []
        rows = {r[0]: r[1:] for r in con.execute(
            "SELECT article_id, duplicate_of, language FROM articles WHERE article_id IN (SELECT unnest(?))",
            [list(article_ids)]).fetchall()}
    ids: list[str] = []
    refused: list[tuple[str, str]] = []
    for article_id in dict.fromkeys(article_ids):
        if article_id not in rows:
            refused.append((article_id, "no such article"))
        elif rows[article_id][0] is not None:
            refused.append((article_id, f"a copy of {rows[article_id][0]}: copies are not coded"))
        elif rows[article_id][1] != "en":
            refused.append((article_id, f"not English ({rows[article_id][1] or 'unknown'}): only English is coded"))
        else:
            ids.append(article_id)
    return sorted(ids), refused


def read_articles(store: Store, article_ids: Sequence[str] | None = None) -> list[Article]:
    """Stored articles as :class:`Article` records, by id (all of them, or those named)."""
    fields = ("article_id", "text", "content_hash", "title", "url", "published", "source", "author",
              "language", "origin", "extra", "duplicate_of", "duplicate_kind")
    sql = f"SELECT {', '.join(fields)} FROM articles"
    params: list[Any] = []
    if article_ids is not None:
        sql += " WHERE article_id IN (SELECT unnest(?))"
        params.append(list(article_ids))
    sql += " ORDER BY article_id"
    with store.connect(read_only=True) as con:
        rows = con.execute(sql, params).fetchall()
    articles = []
    for row in rows:
        record = _record(fields, row)
        record["extra"] = record["extra"] or {}
        articles.append(Article(**record))
    return articles


def export_table(store: Store, table: str, fmt: str, out: Path | BinaryIO, *, flt: Any = None,
                 limit: int | None = None) -> int:
    """Write a table (rows in key order) with DuckDB's COPY: parquet, csv (with header; text cells that
    would start a spreadsheet formula neutralised, :mod:`dragoman.store.cells`) or jsonl. ``flt`` (an
    :class:`~dragoman.store.events.EventFilter`) selects rows of ``mentions`` or ``stories``; ``limit`` caps the
    rows. Returns the rows written.

    ``out`` is a file path, or a binary stream (stdout) for csv and jsonl: DuckDB writes a temporary file that
    is then copied to it, since COPY can only write to files.
    """
    from dragoman.store.stories import story_where

    if table not in EXPORT_TABLES:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(EXPORT_TABLES)}")
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    if not isinstance(out, Path) and fmt == "parquet":
        raise ValueError("parquet is a binary file format: give an output file")
    where, params = "", []
    if flt is not None:
        where, params = story_where(flt) if table == "stories" else flt.where()
        if where and table not in ("mentions", "stories"):
            raise ValueError(f"the event filters select mentions or stories, not {table}")
    if limit is not None:
        params = [*params, int(limit)]
    options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}[fmt]

    def copy_to(path: Path) -> int:
        target = str(path).replace("'", "''")
        with store.connect(read_only=True) as con:
            columns = "*"
            if fmt == "csv":  # text cells that would start a spreadsheet formula are neutralised
                described = con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
                columns = ", ".join(safe_sql(name) if kind == "VARCHAR" else f'"{name}"' for name, kind, *_ in described)
            query = f"SELECT {columns} FROM {table}{where} ORDER BY {EXPORT_TABLES[table]}"
            if limit is not None:
                query += " LIMIT ?"
            row = con.execute(f"COPY ({query}) TO '{target}' ({options})", params).fetchone()
        return int(row[0]) if row else 0

    return copy_out(copy_to, out, f"{table}.{fmt}")


def copy_out(copy_to: Callable[[Path], int], out: Path | BinaryIO, name: str) -> int:
    """Run ``copy_to`` (a COPY into the file it is given; returns the rows) on ``out`` when it is a path, else on
    a temporary file then copied to the stream ``out`` (COPY can only write to files). Returns the rows."""
    if isinstance(out, Path):
        return copy_to(out)
    with tempfile.TemporaryDirectory(prefix="dragoman-export-") as tmp:
        path = Path(tmp) / name
        n = copy_to(path)
        with path.open("rb") as handle:
            shutil.copyfileobj(handle, out)
    out.flush()
    return n
