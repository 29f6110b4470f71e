"""What the routes depend on: the store opened for one request, the event filter and the paging parameters.

Each request opens its own short read-only connections (:class:`ServingStore`), each under the store's shared
lock, so the server never holds the store between requests and ``dragoman ingest`` can write to the same file
while it runs; a request that meets an ingest batch mid-write waits for its transaction to end (at most
``settings.API_LOCK_WAIT_S``, then 503). These are plain functions: FastAPI runs them in its thread pool.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from dragoman import settings
from dragoman.api.errors import api_error
from dragoman.store.analytics import ViewFilter
from dragoman.store.db import Store

MAX_PAGE = 1000


class ServingStore(Store):
    """A :class:`Store` for serving: read-only by default, and its connections wait at most ``wait_s`` for a
    writer's transaction (a request must not hang as long as a batch job may)."""

    def __init__(self, path: str | Path, read_only: bool = True, wait_s: float = settings.API_LOCK_WAIT_S) -> None:
        super().__init__(path, read_only=read_only, lock_wait_s=wait_s)


def open_store(request: Request) -> ServingStore:
    """A read-only store for one request (connections are opened by each query and closed right after); or a
    batch dataset of Parquet files queried in place (``dragoman serve --parquet DIR``)."""
    if request.app.state.parquet is not None:
        from dragoman.store.parquet import DatasetError, ParquetDataset

        try:
            return ParquetDataset(request.app.state.parquet)  # type: ignore[return-value]  # store-like
        except DatasetError as exc:
            raise api_error(503, str(exc)) from exc
    db_path: Path = request.app.state.db_path
    if not db_path.exists():
        raise api_error(503, f"no store at {db_path}: run `dragoman ingest` or `dragoman demo` first")
    return ServingStore(db_path, read_only=True, wait_s=request.app.state.lock_wait_s)


def event_filter(
    actor: Annotated[str | None, Query(max_length=200, description="Source or target code, name or words")] = None,
    country: Annotated[str | None, Query(max_length=10, description="Source or target country (ISO alpha-3)")] = None,
    source_country: Annotated[str | None, Query(max_length=10)] = None,
    target_country: Annotated[str | None, Query(max_length=10)] = None,
    cameo: Annotated[str | None, Query(max_length=10, description="CAMEO code or prefix")] = None,
    root: Annotated[str | None, Query(max_length=2, description="CAMEO root, e.g. 04")] = None,
    plover: Annotated[str | None, Query(max_length=40)] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
    factuality: Annotated[
        Literal["asserted", "reported", "historical", "predicted", "hypothetical", "negated"] | None, Query()
    ] = None,
    since: Annotated[date | None, Query(description="Events on or after (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="Events on or before (YYYY-MM-DD)")] = None,
    article: Annotated[str | None, Query(max_length=200, description="Only this article's events")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Calibrated confidence at least")] = None,
    statements: Annotated[bool, Query(description="Include bare public statements (CAMEO root 01)")] = True,
    source: Annotated[str | None, Query(max_length=100, description="Source actor: exact code, PREFIX*, or name")] = None,
    target: Annotated[str | None, Query(max_length=100, description="Target actor: exact code, PREFIX*, or name")] = None,
    actor_code: Annotated[str | None, Query(max_length=100, description="This actor code as source or target")] = None,
    place: Annotated[str | None, Query(max_length=200, description="Event place name (exact)")] = None,
    place_country: Annotated[str | None, Query(max_length=10, description="Event place country")] = None,
) -> ViewFilter:
    """The filters of ``dragoman events`` and the dashboard's chart links, as query parameters."""
    return ViewFilter(
        source=source or None, target=target or None, actor_code=actor_code or None, place=place or None,
        place_country=place_country or None,
        actor=actor or None, country=country or None, source_country=source_country or None,
        target_country=target_country or None, cameo=cameo or None, root=root or None, plover=plover or None,
        quad_class=quad_class, factuality=factuality, since=since.isoformat() if since else None,
        until=until.isoformat() if until else None, article_id=article or None, min_confidence=min_confidence,
        no_statements=not statements,
    )


Db = Annotated[ServingStore, Depends(open_store)]
Filter = Annotated[ViewFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=0, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
