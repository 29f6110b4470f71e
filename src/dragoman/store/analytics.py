"""Query layer for aggregates over event mentions: actors with counts, time series (timeline and dyads),
the actor network, places with counts, filter facets, filtered downloads, and an article's coded spans.

The API and the dashboard call these functions; SQL lives here (and in :mod:`dragoman.store.events`), never in
the faces. Every function opens its own short-lived read-only connection through :class:`Store`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from dragoman.store.cells import write_table
from dragoman.store.db import MENTION_COLUMNS, Store
from dragoman.store.events import EventFilter, query_mentions

INTERVALS = ("day", "week", "month")
DOWNLOAD_FORMATS = ("csv", "parquet")
# Columns of a filtered download: the flat mention columns, up to the JSON record (which is left out).
DOWNLOAD_COLUMNS = MENTION_COLUMNS[:MENTION_COLUMNS.index("record")]
ORDER = "date_start DESC NULLS LAST, article_id, sentence_start, confidence DESC, id"


@dataclass
class ViewFilter(EventFilter):
    """:class:`EventFilter` plus what the dashboard's chart elements link to: a dyad's source and target actor
    (``source``/``target``: an exact code, a code prefix ending in ``*``, or an entity name; ``symmetric``: in
    either direction), one actor code (or ``PREFIX*``) on either side (``actor_code``), and an event place
    (``place``, with ``place_country`` and ``place_precision``: "country" for events placed in a country as a
    whole)."""

    source: str | None = None
    target: str | None = None
    symmetric: bool = False
    actor_code: str | None = None
    place: str | None = None
    place_country: str | None = None
    place_precision: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        where, params = super().where()
        sides = [(side, actor) for side, actor in (("source", self.source), ("target", self.target)) if actor]
        if sides:
            clauses, p = zip(*(_actor_match(side, actor) for side, actor in sides), strict=True)
            clause, dyad_params = " AND ".join(clauses), [x for ps in p for x in ps]
            if self.symmetric and len(sides) == 2:  # (source B and target A too)
                back = [_actor_match("source", self.target or ""), _actor_match("target", self.source or "")]
                clause = f"(({clause}) OR ({back[0][0]} AND {back[1][0]}))"
                dyad_params += back[0][1] + back[1][1]
            where = _and(where, clause)
            params += dyad_params
        if self.actor_code:
            code = self.actor_code.upper()
            if code.endswith("*"):
                where = _and(where, "(starts_with(coalesce(source_code, ''), ?) OR starts_with(coalesce(target_code, ''), ?))")
                params += [code[:-1]] * 2
            else:
                where = _and(where, "(source_code = ? OR target_code = ?)")
                params += [code] * 2
        if self.place:
            where = _and(where, "loc_name = ?")
            params.append(self.place)
        if self.place_country:
            where = _and(where, "loc_country = ?")
            params.append(self.place_country.upper())
        if self.place_precision:
            where = _and(where, "loc_precision = ?")
            params.append(self.place_precision)
        return where, params


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


def _actor_match(side: str, actor: str) -> tuple[str, list[Any]]:
    """An actor of a dyad: its exact code, a code prefix ending in ``*`` ("IRN*" matches IRNGOV), or its entity
    name (case-insensitive)."""
    if actor.endswith("*"):
        return f"starts_with(upper(coalesce({side}_code, '')), ?)", [actor[:-1].upper()]
    return (
        f"(upper(coalesce({side}_code, '')) = ? OR lower(coalesce({side}_name, '')) = ?)",
        [actor.upper(), actor.lower()],
    )


def _read(store: Store, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with store.connect(read_only=True) as con:
        return con.execute(sql, params).fetchall()


# ---------------------------------------------------------------- actors


def list_actors(
    store: Store, flt: EventFilter | None = None, limit: int = 100, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """Actors of the matching mentions with how often each is source, target and either; most frequent first.

    Returns ``(total number of actors, one page of them)``. An actor is its code and (entity) name.
    """
    flt = flt or EventFilter()
    where, params = flt.where()
    table = flt.mentions_table()
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT source_code, source_name, source_country, source_sector,
                   target_code, target_name, target_country, target_sector FROM {table}{where}),
        sides AS (
            SELECT source_code AS code, source_name AS name, source_country AS country, source_sector AS sector,
                   1 AS as_source, 0 AS as_target FROM m WHERE source_code IS NOT NULL
            UNION ALL
            SELECT target_code, target_name, target_country, target_sector, 0, 1 FROM m WHERE target_code IS NOT NULL
        ),
        agg AS (
            SELECT code, name, any_value(country) AS country, any_value(sector) AS sector,
                   sum(as_source)::BIGINT AS as_source, sum(as_target)::BIGINT AS as_target, count(*) AS mentions
            FROM sides GROUP BY code, name
        )
        SELECT code, name, country, sector, as_source, as_target, mentions, count(*) OVER () AS total
        FROM agg ORDER BY mentions DESC, code, name NULLS FIRST LIMIT ? OFFSET ?
    """
    rows = _read(store, sql, [*params, int(limit), int(offset)])
    total = int(rows[0][7]) if rows else _count_actors(store, table, where, params)
    keys = ("code", "name", "country", "sector", "as_source", "as_target", "mentions")
    return total, [dict(zip(keys, r[:7], strict=True)) for r in rows]


def _count_actors(store: Store, table: str, where: str, params: list[Any]) -> int:
    sql = f"""
        WITH m AS (SELECT * FROM {table}{where})
        SELECT count(*) FROM (
            SELECT source_code, source_name FROM m WHERE source_code IS NOT NULL
            UNION SELECT target_code, target_name FROM m WHERE target_code IS NOT NULL)
    """
    return int(_read(store, sql, params)[0][0])


# ---------------------------------------------------------------- time series


def series(store: Store, flt: EventFilter | None = None, *, interval: str = "month") -> list[dict[str, Any]]:
    """Counts per period of the matching dated mentions (by event start date): total, per QuadClass and its
    share, summed and mean Goldstein (a dyad: a :class:`ViewFilter`'s ``source``/``target``, ``symmetric`` for
    both directions). Undated mentions are left out.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
    flt = flt or EventFilter()
    where, params = flt.where()
    where = _and(where, "date_start IS NOT NULL")
    sql = f"""
        SELECT date_trunc('{interval}', date_start)::DATE AS period, count(*) AS n,
               count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2),
               count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4),
               sum(goldstein), avg(goldstein)
        FROM {flt.mentions_table()}{where} GROUP BY period ORDER BY period
    """
    out = []
    for period, n, q1, q2, q3, q4, gsum, gmean in _read(store, sql, params):
        quads = {"1": int(q1), "2": int(q2), "3": int(q3), "4": int(q4)}
        out.append({
            "period": _iso(period),
            "count": int(n),
            "quad_class": quads,
            "quad_share": {k: round(v / n, 4) if n else 0.0 for k, v in quads.items()},
            "goldstein_sum": round(float(gsum or 0.0), 3),
            "goldstein_mean": round(float(gmean or 0.0), 3),
        })
    return out


def period_bounds(period: str, interval: str) -> tuple[str, str]:
    """The first and last day of the period starting on ``period`` (for a chart element's evidence link)."""
    from datetime import timedelta

    start = date.fromisoformat(period)
    if interval == "day":
        end = start
    elif interval == "week":
        end = start + timedelta(days=6)
    else:
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        end = nxt - timedelta(days=1)
    return start.isoformat(), end.isoformat()


# ---------------------------------------------------------------- network


def actor_network(store: Store, flt: EventFilter | None = None, limit: int = 200) -> dict[str, Any]:
    """Directed actor network of the matching mentions that have both a source and a target actor (by code):
    the ``limit`` heaviest edges (count, per-QuadClass counts, mean Goldstein) and the nodes they touch."""
    flt = flt or EventFilter()
    where, params = flt.where()
    where = _and(where, "source_code IS NOT NULL AND target_code IS NOT NULL")
    sql = f"""
        SELECT source_code, target_code, count(*) AS n,
               count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2),
               count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4),
               avg(goldstein), count(*) OVER () AS total
        FROM {flt.mentions_table()}{where} GROUP BY source_code, target_code
        ORDER BY n DESC, source_code, target_code LIMIT ?
    """
    rows = _read(store, sql, [*params, int(limit)])
    edges = []
    nodes: dict[str, dict[str, Any]] = {}
    for s, t, n, q1, q2, q3, q4, gmean, _total in rows:
        edges.append({
            "source": s, "target": t, "count": int(n),
            "quad_class": {"1": int(q1), "2": int(q2), "3": int(q3), "4": int(q4)},
            "goldstein_mean": round(float(gmean or 0.0), 3),
        })
        for code, role in ((s, "out"), (t, "in")):
            node = nodes.setdefault(code, {"id": code, "out": 0, "in": 0, "count": 0})
            node[role] += int(n)
            node["count"] += int(n)
    total = int(rows[0][8]) if rows else 0
    return {
        "nodes": sorted(nodes.values(), key=lambda x: (-x["count"], x["id"])),
        "edges": edges,
        "total_edges": total,
    }


# ---------------------------------------------------------------- places


def list_places(store: Store, flt: EventFilter | None = None, limit: int = 500) -> tuple[int, list[dict[str, Any]]]:
    """Event locations of the matching mentions with their event counts, most events first."""
    flt = flt or EventFilter()
    where, params = flt.where()
    where = _and(where, "loc_name IS NOT NULL")
    sql = f"""
        SELECT loc_name, loc_country, any_value(loc_lat), any_value(loc_lon), any_value(loc_geonameid),
               any_value(loc_precision), count(*) AS n,
               count(*) FILTER (WHERE quad_class >= 3) AS conflict, avg(goldstein), count(*) OVER () AS total
        FROM {flt.mentions_table()}{where} GROUP BY loc_name, loc_country
        ORDER BY n DESC, loc_name, loc_country LIMIT ?
    """
    rows = _read(store, sql, [*params, int(limit)])
    keys = ("name", "country", "lat", "lon", "geonameid", "precision", "count", "conflict", "goldstein_mean")
    places = []
    for r in rows:
        rec = dict(zip(keys, r[:9], strict=True))
        rec["goldstein_mean"] = round(float(rec["goldstein_mean"] or 0.0), 3)
        places.append(rec)
    return (int(rows[0][9]) if rows else 0), places


# ---------------------------------------------------------------- facets


def facets(store: Store, raw: bool = False) -> dict[str, Any]:
    """What the filter bar offers: the date range, countries, PLOVER types, CAMEO roots and factualities (of the
    corrected coding, or ``raw``), and how many corrections are active."""
    table = EventFilter(raw=raw).mentions_table()
    with store.connect(read_only=True) as con:
        lo, hi, n = con.execute(f"SELECT min(date_start), max(coalesce(date_end, date_start)), count(*) FROM {table}"
                                ).fetchone()
        countries = con.execute(
            f"SELECT c, count(*) AS n FROM (SELECT source_country AS c FROM {table} WHERE source_country IS NOT NULL "
            f"UNION ALL SELECT target_country FROM {table} WHERE target_country IS NOT NULL) "
            "GROUP BY c ORDER BY n DESC, c"
        ).fetchall()
        plover = con.execute(f"SELECT plover, count(*) FROM {table} GROUP BY plover ORDER BY 2 DESC, 1").fetchall()
        roots = con.execute(f"SELECT cameo_root, count(*) FROM {table} GROUP BY 1 ORDER BY 1").fetchall()
        fact = con.execute(f"SELECT factuality, count(*) FROM {table} GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        corrections = con.execute("SELECT count(*) FROM corrections WHERE undone_at IS NULL").fetchone()[0]
    return {
        "corrections": int(corrections),
        "mentions": int(n),
        "articles": int(articles),
        "date_min": _iso(lo),
        "date_max": _iso(hi),
        "countries": [{"value": c, "count": int(k)} for c, k in countries],
        "plover": [{"value": c, "count": int(k)} for c, k in plover],
        "cameo_root": [{"value": c, "count": int(k)} for c, k in roots],
        "factuality": [{"value": c, "count": int(k)} for c, k in fact],
    }


# ---------------------------------------------------------------- downloads


def _download(store: Store, sql: str, params: list[Any], fmt: str, limit: int | None) -> bytes:
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"format must be one of {', '.join(DOWNLOAD_FORMATS)}")
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, int(limit)]
    with store.connect(read_only=True) as con:
        table = con.sql(sql, params=params).to_arrow_table()
    buf = io.BytesIO()
    write_table(table, fmt, buf)
    return buf.getvalue()


def download_mentions(store: Store, flt: EventFilter | None, fmt: str, limit: int | None = None) -> bytes:
    """The matching mentions' flat columns as a CSV (with header; text cells that would start a spreadsheet
    formula neutralised, :mod:`dragoman.store.cells`) or Parquet file, in listing order."""
    flt = flt or EventFilter()
    where, params = flt.where()
    sql = f"SELECT {', '.join(DOWNLOAD_COLUMNS)} FROM {flt.mentions_table()}{where} ORDER BY {ORDER}"
    return _download(store, sql, params, fmt, limit)


# The flat columns of a stories download: the story's fields and counts (its record and clustering block left out).
STORY_DOWNLOAD_COLUMNS = (
    "story_id", "date_start", "date_end", "date_precision", "source_code", "source_country", "source_sector",
    "source_name", "target_code", "target_country", "target_sector", "target_name", "cameo", "cameo_root", "plover",
    "plover_mode", "quad_class", "goldstein", "factuality", "loc_name", "loc_country", "loc_lat", "loc_lon",
    "loc_precision", "num_mentions", "num_articles", "num_sources", "num_copies", "first_seen", "last_seen",
    "confidence", "killed", "injured", "arrested", "article_id", "founder_id",
)


def download_stories(store: Store, flt: EventFilter | None, fmt: str, limit: int | None = None) -> bytes:
    """The matching stories' flat columns as a CSV or Parquet file (as :func:`download_mentions`), in listing
    order (newest event first, then best supported)."""
    from dragoman.store.stories import story_where

    flt = flt or EventFilter()
    where, params = story_where(flt)
    sql = (f"SELECT {', '.join(STORY_DOWNLOAD_COLUMNS)} FROM {flt.stories_table()}{where} "
           "ORDER BY date_start DESC NULLS LAST, num_sources DESC, num_mentions DESC, story_id")
    return _download(store, sql, params, fmt, limit)


# ---------------------------------------------------------------- an article's spans


def _find(text: str, needle: str | None, lo: int, hi: int) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text``, preferring [lo, hi) (the mention's sentence), else anywhere."""
    if not needle:
        return None
    at = text.find(needle, lo, hi)
    if at < 0:
        at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else None


def mention_spans(text: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The character spans (into the article text) of a mention's source, target, trigger, date and place.

    Actor and trigger spans are stored offsets; the date and place are located by their recorded text, within
    the mention's sentence first. Spans that cannot be placed are left out.
    """
    ev = record.get("evidence") or {}
    lo, hi = int(ev.get("start") or 0), int(ev.get("end") or len(text))
    spans: list[dict[str, Any]] = []

    def add(role: str, span: Any, label: str | None) -> None:
        if not span:
            return
        start, end = int(span[0]), int(span[1])
        if 0 <= start < end <= len(text):
            spans.append({"role": role, "start": start, "end": end, "label": label})

    def actor_label(actor: dict[str, Any] | None) -> str | None:
        if not actor:
            return None
        return " ".join(str(x) for x in (actor.get("code"), actor.get("name")) if x) or None

    add("source", record.get("source_span"), actor_label(record.get("source")))
    add("target", record.get("target_span"), actor_label(record.get("target")))
    if ev.get("trigger_start") is not None and ev.get("trigger_end") is not None:
        add("trigger", (ev["trigger_start"], ev["trigger_end"]),
            f"CAMEO {record.get('cameo')} · {record.get('plover')} · QuadClass {record.get('quad_class')} "
            f"· Goldstein {record.get('goldstein')}")
    d = record.get("date") or {}
    add("date", _find(text, d.get("text"), lo, hi), f"{d.get('start')}..{d.get('end')} ({d.get('precision')})")
    loc = record.get("location") or {}
    add("place", _find(text, loc.get("text") or loc.get("name"), lo, hi),
        f"{loc.get('name')}, {loc.get('country')}" if loc else None)
    return spans


def article_mentions_with_spans(store: Store, article_id: str, text: str, raw: bool = False) -> list[dict[str, Any]]:
    """The article's mentions (corrected, or ``raw``), each with its ``spans`` into ``text`` (the article's text)."""
    mentions = query_mentions(store, EventFilter(article_id=article_id, raw=raw))
    mentions.sort(key=lambda m: ((m.get("evidence") or {}).get("start") or 0, m["id"]))
    for m in mentions:
        m["spans"] = mention_spans(text, m)
    return mentions
