"""Query layer for event mentions (and, once built, stories): the one place their SQL lives.

The CLI, the API and the dashboard call these functions; none of them writes SQL of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dragoman.model import FACTUAL, FACTUALITIES
from dragoman.store.db import Store


def like_literal(text: str) -> str:
    """``text`` as a LIKE pattern that matches it literally: its ``%``, ``_`` and ``\\`` escaped with ``\\``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


Values = str | Sequence[str] | None


def values(value: Values) -> list[str]:
    """A filter's values: a comma-separated string ("asserted,reported"), or a list of them (a repeated
    option), split, stripped and de-duplicated in order; empty pieces are dropped."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for piece in str(item).split(","):
            piece = piece.strip()
            if piece and piece not in out:
                out.append(piece)
    return out


def _one_of(column: str, wanted: list[str]) -> tuple[str, list[Any]]:
    if len(wanted) == 1:
        return f"{column} = ?", wanted
    return f"{column} IN ({', '.join('?' * len(wanted))})", wanted


@dataclass
class EventFilter:
    """Filters shared by ``dragoman events``, the API and the dashboard. ``None`` means no constraint.

    Each text filter but ``article_id``, ``since`` and ``until`` takes several values, as a list or a
    comma-separated string, and matches any of them ("factuality=asserted,reported"); different filters combine
    with AND. ``factual`` keeps what happened (:data:`dragoman.model.FACTUAL`) when no factuality is given.
    """

    actor: Values = None  # matches source or target: code, name or the words in the text (case-insensitive)
    country: Values = None  # source or target country
    source_country: Values = None
    target_country: Values = None
    cameo: Values = None  # code prefix: "19", "190", "1951"
    root: Values = None
    plover: Values = None
    quad_class: int | Sequence[int] | str | None = None
    factuality: Values = None
    since: str | None = None  # event date range overlaps [since, until]
    until: str | None = None
    article_id: str | None = None
    min_confidence: float | None = None
    no_statements: bool = False  # leave out bare public statements (CAMEO root 01)
    factual: bool = False  # only asserted, reported and historical events (unless factuality says otherwise)
    raw: bool = False  # the coding as the coder made it: analysts' corrections not applied

    def mentions_table(self) -> str:
        """The relation mentions are read from: the coded rows with the analysts' corrections applied (and what
        they marked wrong left out), or with ``raw`` the coded rows as they are."""
        return "mentions" if self.raw else "mentions_applied"

    def stories_table(self) -> str:
        """The relation stories are read from (as :meth:`mentions_table`)."""
        return "stories" if self.raw else "stories_applied"

    def factualities(self) -> list[str]:
        """The factualities asked for (validated), or with ``factual`` and none asked, the factual ones."""
        wanted = values(self.factuality)
        unknown = [f for f in wanted if f not in FACTUALITIES]
        if unknown:
            raise ValueError(f"unknown factuality {unknown[0]!r}; one of {', '.join(FACTUALITIES)}")
        return wanted or (list(FACTUAL) if self.factual else [])

    def quad_classes(self) -> list[int]:
        """The QuadClasses asked for (1 to 4), from an int, a list or a comma-separated string."""
        raw = self.quad_class
        items = [raw] if isinstance(raw, int) else values(raw)
        try:
            quads = [int(q) for q in items]
        except (TypeError, ValueError) as exc:
            raise ValueError(f"QuadClass must be 1 to 4, not {raw!r}") from exc
        if any(not 1 <= q <= 4 for q in quads):
            raise ValueError(f"QuadClass must be 1 to 4, not {raw!r}")
        return quads

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []

        def add(clause: str, p: list[Any]) -> None:
            clauses.append(clause)
            params.extend(p)

        actors = values(self.actor)
        if actors:
            columns = ("source_code", "source_name", "source_text", "target_code", "target_name", "target_text")
            likes = [f"%{like_literal(a.lower())}%" for a in actors]
            add("(" + " OR ".join(f"lower(coalesce({c},'')) LIKE ? ESCAPE '\\'" for c in columns for _ in likes) + ")",
                [like for _ in columns for like in likes])
        countries = [c.upper() for c in values(self.country)]
        if countries:
            src, p1 = _one_of("source_country", countries)
            tgt, p2 = _one_of("target_country", countries)
            add(f"({src} OR {tgt})", p1 + p2)
        for column, given in (("source_country", self.source_country), ("target_country", self.target_country)):
            wanted = [c.upper() for c in values(given)]
            if wanted:
                add(*_one_of(column, wanted))
        prefixes = values(self.cameo)
        if prefixes:
            add("(" + " OR ".join("starts_with(cameo, ?)" for _ in prefixes) + ")", prefixes)
        roots = [r.zfill(2) for r in values(self.root)]
        if roots:
            add(*_one_of("cameo_root", roots))
        plover = [p.upper() for p in values(self.plover)]
        if plover:
            add(*_one_of("plover", plover))
        quads = self.quad_classes()
        if quads:
            add(*_one_of("quad_class", quads))
        facts = self.factualities()
        if facts:
            add(*_one_of("factuality", facts))
        if self.since:
            add("coalesce(date_end, date_start) >= CAST(? AS DATE)", [self.since])
        if self.until:
            add("coalesce(date_start, date_end) <= CAST(? AS DATE)", [self.until])
        if self.article_id:
            add("article_id = ?", [self.article_id])
        if self.min_confidence is not None:
            add("confidence >= ?", [self.min_confidence])
        if self.no_statements:
            clauses.append("cameo_root <> '01'")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


CURSOR_PATTERN = r"^(\d{4}-\d{2}-\d{2}|none)~[^~]{1,200}$"


def mention_cursor(record: dict[str, Any]) -> str:
    """Where a page that ends with ``record`` ends, as ``query_mentions(after=...)`` takes it: its event date
    (``none`` when undated) and id, ``~`` between them."""
    start = (record.get("date") or {}).get("start")
    return f"{start or 'none'}~{record['id']}"


def _after(cursor: str) -> tuple[str, list[Any]]:
    """The rows after ``cursor`` in listing order (event date descending, undated last, then id)."""
    if not re.match(CURSOR_PATTERN, cursor):
        raise ValueError(f"not a page cursor: {cursor!r} (DATE~ID, as a page's `next` gives it)")
    day, _, mention_id = cursor.partition("~")
    if day == "none":
        return "(date_start IS NULL AND id > ?)", [mention_id]
    return ("(date_start < CAST(? AS DATE) OR date_start IS NULL OR (date_start = CAST(? AS DATE) AND id > ?))",
            [day, day, mention_id])


def query_mentions(
    store: Store, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0,
    after: str | None = None,
) -> list[dict[str, Any]]:
    """Mention records (the schema's shape) matching the filter, newest first; from ``offset``, or the page
    after a cursor (``after``: :func:`mention_cursor` of the last record of the page before), which is as
    quick at the millionth row as at the first."""
    flt = flt or EventFilter()
    where, params = flt.where()
    if after:
        clause, more = _after(after)
        where = f"{where} AND {clause}" if where else f" WHERE {clause}"
        params = [*params, *more]
    table = flt.mentions_table()
    # newest first; the id (content-derived) makes the order total and stable. Fewer sort keys keep deep pages
    # of a large store fast (bench/api_load.py).
    order = "date_start DESC NULLS LAST, id"
    if limit is None:
        sql = f"SELECT record FROM {table}{where} ORDER BY {order}"
        if offset:
            sql += " OFFSET ?"
            params = [*params, int(offset)]
    else:
        # Page over the narrow sort columns first, then fetch only that page's records: a deep page then sorts
        # a few small columns instead of carrying every record through the sort.
        # (the page's records from the tables, not the view: a corrected one from its fix)
        record = "m.record" if flt.raw else "coalesce(f.record, m.record)"
        fixes = "" if flt.raw else " LEFT JOIN mention_fixes f ON f.id = page.id"
        sql = (
            f"WITH page AS (SELECT id, date_start FROM {table}{where} ORDER BY {order} LIMIT ? OFFSET ?) "
            f"SELECT {record} FROM page JOIN mentions m USING (id){fixes} "
            "ORDER BY page.date_start DESC NULLS LAST, page.id"
        )
        params = [*params, int(limit), int(offset)]
    with store.connect(read_only=True) as con:
        return [json.loads(r[0]) for r in con.execute(sql, params).fetchall()]


def count_mentions(store: Store, flt: EventFilter | None = None) -> int:
    flt = flt or EventFilter()
    where, params = flt.where()
    with store.connect(read_only=True) as con:
        return int(con.execute(f"SELECT count(*) FROM {flt.mentions_table()}{where}", params).fetchone()[0])


def get_mention(store: Store, mention_id: str, raw: bool = False) -> dict[str, Any] | None:
    """One mention's record, its corrections applied (``None`` if an analyst marked it wrong), or ``raw``."""
    table = EventFilter(raw=raw).mentions_table()
    with store.connect(read_only=True) as con:
        row = con.execute(f"SELECT record FROM {table} WHERE id = ?", [mention_id]).fetchone()
    return json.loads(row[0]) if row else None
