"""Aggregates of the matching mentions: actors, time series, the actor network, places."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from dragoman.api.deps import Db, Filter, Limit, Offset
from dragoman.api.errors import ERROR_RESPONSES
from dragoman.api.models import NetworkBody, Page, SeriesBody
from dragoman.store import analytics

router = APIRouter(tags=["aggregates"])


@router.get("/api/actors", response_model=Page, responses=ERROR_RESPONSES)
def actors(s: Db, flt: Filter, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Actors of the matching mentions, with how often each is source, target and either."""
    total, items = analytics.list_actors(s, flt, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


@router.get("/api/series", response_model=SeriesBody, responses=ERROR_RESPONSES)
def series(
    s: Db,
    flt: Filter,
    interval: Literal["day", "week", "month"] = "month",
    symmetric: bool = False,
) -> dict[str, Any]:
    """Counts per day/week/month (by event date): total, per QuadClass and shares, summed and mean
    Goldstein. With ``source``/``target``, the dyad's series (``symmetric``: both directions); without,
    the timeline of all matches. Undated mentions are left out."""
    if symmetric and flt.source and flt.target:
        src, tgt = flt.source, flt.target
        flt.source = flt.target = None
        periods = analytics.series(s, flt, source=src, target=tgt, interval=interval, symmetric=True)
        flt.source, flt.target = src, tgt
    else:
        periods = analytics.series(s, flt, interval=interval)
    return {"interval": interval, "source": flt.source, "target": flt.target, "periods": periods}


@router.get("/api/network", response_model=NetworkBody, responses=ERROR_RESPONSES)
def network(s: Db, flt: Filter, limit: Annotated[int, Query(ge=1, le=2000)] = 200) -> dict[str, Any]:
    """The actor network: nodes, and directed edges weighted by count per QuadClass."""
    return analytics.actor_network(s, flt, limit=limit)


@router.get("/api/places", response_model=Page, responses=ERROR_RESPONSES)
def places(s: Db, flt: Filter, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
    """Event locations with their event counts (and coordinates where known)."""
    total, items = analytics.list_places(s, flt, limit=limit)
    return {"total": total, "limit": limit, "offset": 0, "items": items}
