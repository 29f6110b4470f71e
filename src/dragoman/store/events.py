"""Query layer for event mentions (and, once built, stories): the one place their SQL lives.

The CLI, the API and the dashboard call these functions; none of them writes SQL of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dragoman.store.db import Store


def like_literal(text: str) -> str:
    """``text`` as a LIKE pattern that matches it literally: its ``%``, ``_`` and ``\\`` escaped with ``\\``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class EventFilter:
    """Filters shared by ``dragoman events``, the API and the dashboard. ``None`` means no constraint."""

    actor: str | None = None  # matches source or target: code, name or the words in the text (case-insensitive)
    country: str | None = None  # source or target country
    source_country: str | None = None
    target_country: str | None = None
    cameo: str | None = None  # code prefix: "19", "190", "1951"
    root: str | None = None
    plover: str | None = None
    quad_class: int | None = None
    factuality: str | None = None
    since: str | None = None  # event date range overlaps [since, until]
    until: str | None = None
    article_id: str | None = None
    min_confidence: float | None = None
    no_statements: bool = False  # leave out bare public statements (CAMEO root 01)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            like = f"%{like_literal(self.actor.lower())}%"
            columns = ("source_code", "source_name", "source_text", "target_code", "target_name", "target_text")
            clauses.append("(" + " OR ".join(f"lower(coalesce({c},'')) LIKE ? ESCAPE '\\'" for c in columns) + ")")
            params += [like] * 6
        if self.country:
            clauses.append("(source_country = ? OR target_country = ?)")
            params += [self.country.upper()] * 2
        if self.source_country:
            clauses.append("source_country = ?")
            params.append(self.source_country.upper())
        if self.target_country:
            clauses.append("target_country = ?")
            params.append(self.target_country.upper())
        if self.cameo:
            clauses.append("starts_with(cameo, ?)")
            params.append(self.cameo)
        if self.root:
            clauses.append("cameo_root = ?")
            params.append(self.root.zfill(2))
        if self.plover:
            clauses.append("plover = ?")
            params.append(self.plover.upper())
        if self.quad_class is not None:
            clauses.append("quad_class = ?")
            params.append(int(self.quad_class))
        if self.factuality:
            clauses.append("factuality = ?")
            params.append(self.factuality)
        if self.since:
            clauses.append("coalesce(date_end, date_start) >= CAST(? AS DATE)")
            params.append(self.since)
        if self.until:
            clauses.append("coalesce(date_start, date_end) <= CAST(? AS DATE)")
            params.append(self.until)
        if self.article_id:
            clauses.append("article_id = ?")
            params.append(self.article_id)
        if self.min_confidence is not None:
            clauses.append("confidence >= ?")
            params.append(self.min_confidence)
        if self.no_statements:
            clauses.append("cameo_root <> '01'")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def query_mentions(
    store: Store, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Mention records (the schema's shape) matching the filter, newest first."""
    flt = flt or EventFilter()
    where, params = flt.where()
    # newest first; the id (content-derived) makes the order total and stable. Fewer sort keys keep deep pages
    # of a large store fast (bench/api_load.py).
    order = "date_start DESC NULLS LAST, id"
    if limit is None:
        sql = f"SELECT record FROM mentions{where} ORDER BY {order}"
    else:
        # Page over the narrow sort columns first, then fetch only that page's records: a deep page then sorts
        # a few small columns instead of carrying every record through the sort.
        sql = (
            f"WITH page AS (SELECT id, date_start FROM mentions{where} ORDER BY {order} LIMIT ? OFFSET ?) "
            f"SELECT m.record FROM page JOIN mentions m USING (id) ORDER BY page.date_start DESC NULLS LAST, page.id"
        )
        params = [*params, int(limit), int(offset)]
    with store.connect(read_only=True) as con:
        return [json.loads(r[0]) for r in con.execute(sql, params).fetchall()]


def count_mentions(store: Store, flt: EventFilter | None = None) -> int:
    where, params = (flt or EventFilter()).where()
    with store.connect(read_only=True) as con:
        return int(con.execute(f"SELECT count(*) FROM mentions{where}", params).fetchone()[0])


def get_mention(store: Store, mention_id: str) -> dict[str, Any] | None:
    with store.connect(read_only=True) as con:
        row = con.execute("SELECT record FROM mentions WHERE id = ?", [mention_id]).fetchone()
    return json.loads(row[0]) if row else None
