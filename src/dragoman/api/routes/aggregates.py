"""Aggregates of the matching mentions: actors, time series, the actor network, places."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from dragoman import settings
from dragoman.api.deps import Db, Filter, Limit, Offset
from dragoman.api.errors import ERROR_RESPONSES, api_error
from dragoman.api.models import ErrorBody, NetworkBody, Page, SeriesBody
from dragoman.store import analytics

router = APIRouter(tags=["aggregates"])


@router.get("/api/actors", response_model=Page, responses=ERROR_RESPONSES)
def actors(s: Db, flt: Filter, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Actors of the matching mentions, with how often each is source, target and either."""
    total, items = analytics.list_actors(s, flt, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/api/series", response_model=SeriesBody, responses=ERROR_RESPONSES)
def series(s: Db, flt: Filter, interval: Literal["day", "week", "month"] = "month") -> dict[str, Any]:
    """Counts per day/week/month (by event date): total, per QuadClass and shares, summed and mean
    Goldstein. With ``source``/``target``, the dyad's series (``symmetric``: both directions); without,
    the timeline of all matches. Undated mentions are left out."""
    periods = analytics.series(s, flt, interval=interval)
    return {"interval": interval, "source": flt.source, "target": flt.target, "periods": periods}


@router.get(
    "/api/aggregate",
    responses={**ERROR_RESPONSES, 200: {"content": {"application/json": {}, "text/csv": {},
                                                    "application/vnd.apache.parquet": {}},
                                        "description": "The aggregate's rows (JSON), or a CSV/Parquet file"},
               422: {"model": ErrorBody, "description": "An aggregate too large to answer (narrow it, or a top N)"}},
)
def aggregate(
    s: Db,
    flt: Filter,
    by: Literal["dyad", "country-dyad", "country", "actor", "place", "all"] = "dyad",
    period: Literal["day", "week", "month", "quarter", "year"] = "month",
    measure: Literal["root", "quad", "plover"] | None = None,
    count: Literal["stories", "mentions"] = "stories",
    top: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    fill: bool = True,
    all_factualities: Annotated[bool, Query(description="Count forecasts, hypotheticals and negations too")] = False,
    format: Literal["json", "csv", "parquet"] = "json",
) -> Any:
    """Events per group and period (as ``dragoman aggregate``): count, Goldstein sum and mean, QuadClass
    shares, distinct articles and outlets, with zero rows for empty periods. Stories are counted unless
    ``count=mentions``; only factual events unless ``all_factualities`` or a ``factuality`` is given."""
    from dragoman.store.aggregates import AggregateSpec
    from dragoman.store.aggregates import aggregate as run

    flt.factual = not all_factualities
    spec = AggregateSpec(by=by, period=period, measure=measure, unit=count, flt=flt, top=top, fill=fill)
    try:
        result = run(s, spec, max_rows=settings.API_AGGREGATE_MAX_ROWS)
    except ValueError as exc:
        raise api_error(422, str(exc)) from exc
    if format == "json":
        return {"by": by, "period": period, "measure": measure, "count": count, "undated": result.undated,
                "columns": result.table.column_names, "rows": result.to_pylist()}
    import io

    from dragoman.store.cells import write_table

    buf = io.BytesIO()
    write_table(result.table, format, buf)
    media = "application/vnd.apache.parquet" if format == "parquet" else "text/csv; charset=utf-8"
    return Response(buf.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="aggregate.{format}"'})


@router.get("/api/network", response_model=NetworkBody, responses=ERROR_RESPONSES)
def network(s: Db, flt: Filter, limit: Annotated[int, Query(ge=1, le=2000)] = 200) -> dict[str, Any]:
    """The actor network: nodes, and directed edges weighted by count per QuadClass."""
    return analytics.actor_network(s, flt, limit=limit)


@router.get("/api/places", response_model=Page, responses=ERROR_RESPONSES)
def places(s: Db, flt: Filter, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
    """Event locations with their event counts (and coordinates where known)."""
    total, items = analytics.list_places(s, flt, limit=limit)
    return {"total": total, "limit": limit, "offset": 0, "items": items}
