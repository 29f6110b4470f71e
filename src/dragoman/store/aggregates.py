"""Counts of events per group and period: dyad-months, country-weeks, actor-years, place-quarters.

An aggregate counts stories by default (one per real-world event, so ten articles about one strike count
once), or mentions on request; only factual events unless the filter says otherwise (the caller's
:class:`~dragoman.store.events.EventFilter`, with ``factual`` on by default in ``dragoman aggregate``). Each row
gives the count, the Goldstein sum and mean, the QuadClass shares and the distinct articles and outlets that
report the group's events in the period. Every group has a row for every period from the first to the last
(the filter's ``since``/``until`` where given), zeros where nothing happened, so a series plots without gaps.

Groups (``by``):

================ =======================================================================================
``dyad``         source and target actor codes (directed; events missing either actor are left out)
``country-dyad`` source and target countries (directed)
``country``      each country among the source's and target's (an event between two counts for both)
``actor``        each actor code among source and target (likewise)
``place``        the event's place (name and country)
``all``          one group: every matching event
================ =======================================================================================

``measure`` splits each group further by CAMEO root, QuadClass or PLOVER type. Events with no date are left
out (their number is in :attr:`Aggregate.undated`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dragoman.store.events import EventFilter
from dragoman.store.stories import story_where

GROUPS = ("dyad", "country-dyad", "country", "actor", "place", "all")
PERIODS = ("day", "week", "month", "quarter", "year")
MEASURES = ("root", "quad", "plover")
UNITS = ("stories", "mentions")
_STEP = {"day": "INTERVAL 1 DAY", "week": "INTERVAL 7 DAY", "month": "INTERVAL 1 MONTH",
         "quarter": "INTERVAL 3 MONTH", "year": "INTERVAL 1 YEAR"}
_MEASURE_COLUMN = {"root": "cameo_root", "quad": "CAST(quad_class AS VARCHAR)", "plover": "plover"}
# group -> (its key columns, how each event's keys are made from its row, the condition to take part)
_KEYS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "dyad": (("source", "target"), "source_code AS source, target_code AS target",
             "source_code IS NOT NULL AND target_code IS NOT NULL"),
    "country-dyad": (("source_country", "target_country"), "source_country, target_country",
                     "source_country IS NOT NULL AND target_country IS NOT NULL"),
    "country": (("country",), "UNNEST(list_distinct(list_filter([source_country, target_country], "
                              "lambda x: x IS NOT NULL))) AS country",
                "coalesce(source_country, target_country) IS NOT NULL"),
    "actor": (("actor",), "UNNEST(list_distinct(list_filter([source_code, target_code], "
                          "lambda x: x IS NOT NULL))) AS actor",
              "coalesce(source_code, target_code) IS NOT NULL"),
    "place": (("place", "place_country"), "loc_name AS place, loc_country AS place_country",
              "loc_name IS NOT NULL"),
    "all": ((), "", "TRUE"),
}
COUNT_COLUMNS = ("events", "goldstein_sum", "goldstein_mean", "quad1_share", "quad2_share", "quad3_share",
                 "quad4_share", "articles", "outlets")


@dataclass(frozen=True)
class AggregateSpec:
    """What to count: ``by`` one of :data:`GROUPS`, per ``period`` (:data:`PERIODS`), split by ``measure``
    (:data:`MEASURES`, or ``None``), counting ``unit`` (stories or mentions) that match ``flt``; ``top`` keeps
    the groups with the most events (``None``: all); ``fill`` adds the zero rows of empty periods."""

    by: str = "dyad"
    period: str = "month"
    measure: str | None = None
    unit: str = "stories"
    flt: EventFilter | None = None
    top: int | None = None
    fill: bool = True

    def check(self) -> None:
        for name, value, allowed in (("by", self.by, GROUPS), ("period", self.period, PERIODS),
                                     ("unit", self.unit, UNITS)):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if self.measure is not None and self.measure not in MEASURES:
            raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {self.measure!r}")
        if self.top is not None and self.top < 1:
            raise ValueError("top must be at least 1")

    @property
    def key_columns(self) -> tuple[str, ...]:
        keys = _KEYS[self.by][0]
        return (*keys, self.measure) if self.measure else keys


@dataclass
class Aggregate:
    """An aggregate's rows (an Arrow table: the key columns, ``period``, then :data:`COUNT_COLUMNS`) and how
    many matching events had no date (left out)."""

    table: Any  # pyarrow.Table
    undated: int
    spec: AggregateSpec

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame, ``period`` as datetimes (so a plot has a time axis)."""
        import pandas as pd

        frame = self.table.to_pandas()
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def to_pylist(self) -> list[dict[str, Any]]:
        rows = self.table.to_pylist()
        for row in rows:
            if isinstance(row.get("period"), date):
                row["period"] = row["period"].isoformat()
        return rows


def _events(spec: AggregateSpec) -> tuple[str, str, list[Any]]:
    """Two queries: the events (one row each: id, fields, date; a mention with its article and outlet) and,
    for stories, their reports (story id, article, outlet of each member), with their parameters."""
    flt = spec.flt or EventFilter()
    if spec.unit == "mentions":
        where, params = flt.where()
        events = (f"SELECT m.id AS event_id, m.*, coalesce(a.source, m.article_id) AS outlet "
                  f"FROM (SELECT * FROM {flt.mentions_table()}{where}) m LEFT JOIN articles a ON a.article_id = m.article_id")
        return events, "", params
    where, params = story_where(flt)
    events = f"SELECT story_id AS event_id, * FROM {flt.stories_table()}{where}"
    reports = ("SELECT e.event_id, m.article_id, coalesce(a.source, m.article_id) AS outlet "
               f"FROM ev e JOIN {flt.mentions_table()} m ON m.story_id = e.event_id "
               "LEFT JOIN articles a ON a.article_id = m.article_id")
    return events, reports, params


def aggregate_sql(spec: AggregateSpec) -> tuple[str, list[Any]]:
    """The aggregate's query and parameters."""
    spec.check()
    keys, make_keys, takes_part = _KEYS[spec.by]
    events, reports, params = _events(spec)
    group = [*keys]
    select_keys = make_keys
    if spec.measure:
        group.append(spec.measure)
        select_keys = ", ".join(x for x in (make_keys, f"{_MEASURE_COLUMN[spec.measure]} AS {spec.measure}") if x)
    key_list = ", ".join(group)
    key_prefix = f"{key_list}, " if group else ""
    keyed_select = f"{select_keys}, " if select_keys else ""
    trunc = f"CAST(date_trunc('{spec.period}', date_start) AS DATE)"
    def on(left: str, right: str, columns: list[str]) -> str:
        # (a place's country may be unknown: NULL keys match each other)
        return "ON " + " AND ".join(f"{left}.{c} IS NOT DISTINCT FROM {right}.{c}" for c in columns)

    with_period = [*group, "period"]
    if spec.unit == "mentions":  # a mention is its article's: count them as the events are counted
        article_columns, reports_cte = ", article_id, outlet", ""
        mention_reports = ", count(DISTINCT article_id) AS articles, count(DISTINCT outlet) AS outlets"
        counted = "SELECT * FROM per_group"
    else:  # a story's articles are its members': each once per group and period, then counted
        article_columns, mention_reports = "", ""
        reports_cte = f""",
        reports AS ({reports}),
        group_articles AS (
            SELECT {key_prefix}k.period, r.article_id, any_value(r.outlet) AS outlet
            FROM keyed k JOIN reports r ON r.event_id = k.event_id GROUP BY ALL),
        per_reports AS (
            SELECT {key_prefix}period, count(*) AS articles, count(DISTINCT outlet) AS outlets
            FROM group_articles GROUP BY ALL)"""
        counted = f"SELECT g.*, r.articles, r.outlets FROM per_group g LEFT JOIN per_reports r {on('g', 'r', with_period)}"
    top = ""
    if spec.top is not None and group:
        top = f"""
        , ranked AS (SELECT {key_list} FROM counted GROUP BY {key_list}
                     ORDER BY sum(events) DESC, {key_list} LIMIT {int(spec.top)})"""
    groups_source = "ranked" if top else f"(SELECT DISTINCT {key_list} FROM counted)"
    since = spec.flt.since if spec.flt else None
    until = spec.flt.until if spec.flt else None
    bound_params = [b for b in (since, until) if b]
    bounds = f"""
        bounds AS (
            SELECT CAST(date_trunc('{spec.period}', {'CAST(? AS DATE)' if since else 'lo'}) AS DATE) AS lo,
                   CAST(date_trunc('{spec.period}', {'CAST(? AS DATE)' if until else 'hi'}) AS DATE) AS hi
            FROM (SELECT min(period) AS lo, max(period) AS hi FROM counted)),
        periods AS (SELECT CAST(unnest(generate_series(CAST(lo AS TIMESTAMP), CAST(hi AS TIMESTAMP),
                                                        {_STEP[spec.period]})) AS DATE) AS period
                    FROM bounds WHERE lo IS NOT NULL)"""
    if spec.fill:
        grid_groups = f"{groups_source} g CROSS JOIN periods p" if group else "periods p"
        grid = f"SELECT {'g.*, ' if group else ''}p.period FROM {grid_groups}"
    else:
        grid = f"SELECT {key_prefix}period FROM counted" + (
            f" c SEMI JOIN ranked r {on('c', 'r', group)}" if top else "")
    sql = f"""
        WITH ev AS ({events}),
        keyed AS (SELECT {keyed_select}event_id, {trunc} AS period, quad_class, goldstein{article_columns}
                  FROM ev WHERE date_start IS NOT NULL AND {takes_part}){reports_cte},
        per_group AS (
            SELECT {key_prefix}period, count(*) AS events, round(sum(goldstein), 3) AS goldstein_sum,
                   round(avg(goldstein), 4) AS goldstein_mean,
                   round(avg(CAST(quad_class = 1 AS INTEGER)), 4) AS quad1_share,
                   round(avg(CAST(quad_class = 2 AS INTEGER)), 4) AS quad2_share,
                   round(avg(CAST(quad_class = 3 AS INTEGER)), 4) AS quad3_share,
                   round(avg(CAST(quad_class = 4 AS INTEGER)), 4) AS quad4_share{mention_reports}
            FROM keyed GROUP BY ALL),
        counted AS ({counted}){top},
        {bounds.strip()},
        grid AS ({grid})
        SELECT grid.*, coalesce(c.events, 0) AS events, coalesce(c.goldstein_sum, 0.0) AS goldstein_sum,
               c.goldstein_mean, c.quad1_share, c.quad2_share, c.quad3_share, c.quad4_share,
               coalesce(c.articles, 0) AS articles, coalesce(c.outlets, 0) AS outlets
        FROM grid LEFT JOIN counted c {on('grid', 'c', with_period)}
        ORDER BY {key_prefix}period
    """
    return sql, [*params, *bound_params]


def undated_sql(spec: AggregateSpec) -> tuple[str, list[Any]]:
    events, _reports, params = _events(spec)
    return f"WITH ev AS ({events}) SELECT count(*) FROM ev WHERE date_start IS NULL", params


def _size_sql(spec: AggregateSpec) -> tuple[str, list[Any]]:
    """How many groups there are and the first and last period: what the filled grid's size follows from."""
    keys, make_keys, takes_part = _KEYS[spec.by]
    events, _reports, params = _events(spec)
    group = [*keys, *([spec.measure] if spec.measure else [])]
    measure = f"{_MEASURE_COLUMN[spec.measure]} AS {spec.measure}" if spec.measure else ""
    select = ", ".join(x for x in (make_keys, measure) if x)
    distinct = f"count(DISTINCT ({', '.join(group)}))" if group else "1"
    return (f"WITH ev AS ({events}), keyed AS (SELECT {select + ', ' if select else ''}"
            f"CAST(date_trunc('{spec.period}', date_start) AS DATE) AS period FROM ev "
            f"WHERE date_start IS NOT NULL AND {takes_part}) "
            f"SELECT {distinct}, min(period), max(period) FROM keyed"), params


def periods_between(lo: date, hi: date, period: str) -> int:
    """How many periods of the kind there are from the one holding ``lo`` to the one holding ``hi``."""
    if hi < lo:
        return 0
    if period == "day":
        return (hi - lo).days + 1
    if period == "week":
        return (hi - lo).days // 7 + 2
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    return {"month": months + 1, "quarter": months // 3 + 2, "year": hi.year - lo.year + 1}[period]


def check_size(con: Any, spec: AggregateSpec, max_rows: int) -> None:
    """Refuse an aggregate whose filled grid would pass ``max_rows``, saying how to narrow it."""
    sql, params = _size_sql(spec)
    groups, lo, hi = con.execute(sql, params).fetchall()[0]
    if spec.flt is not None and spec.flt.since:  # (the range given is filled even where nothing happened)
        since = date.fromisoformat(spec.flt.since)
        lo = min(lo, since) if lo else since
    if spec.flt is not None and spec.flt.until:
        until = date.fromisoformat(spec.flt.until)
        hi = max(hi, until) if hi else until
    if not groups or lo is None or hi is None:
        return
    groups = min(int(groups), spec.top) if spec.top else int(groups)
    rows = groups * periods_between(lo, hi, spec.period)
    if rows > max_rows:
        raise ValueError(
            f"the aggregate would have about {rows:,} rows ({groups:,} groups x {rows // groups:,} {spec.period}s "
            f"from {lo} to {hi}, empty periods as zeros), more than {max_rows:,}: narrow it with a top N of "
            "groups, a date range or a longer period, or leave out the zero rows")


def aggregate(store: Any, spec: AggregateSpec, max_rows: int | None = None) -> Aggregate:
    """Run the aggregate on a store (or a batch dataset). A filled grid of more than ``max_rows`` rows
    (default ``settings.AGGREGATE_MAX_ROWS``) is refused with a :class:`ValueError` saying how to narrow it."""
    from dragoman import settings

    sql, params = aggregate_sql(spec)
    undated, undated_params = undated_sql(spec)
    with store.connect(read_only=True) as con:
        if spec.fill:
            check_size(con, spec, settings.AGGREGATE_MAX_ROWS if max_rows is None else max_rows)
        table = con.sql(sql, params=params).to_arrow_table()
        missing = int(con.execute(undated, undated_params).fetchall()[0][0])
    return Aggregate(table=table, undated=missing, spec=spec)
