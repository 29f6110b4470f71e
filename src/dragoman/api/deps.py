"""What the routes depend on: the store opened for one request, the event filter and the paging parameters.

Each request opens its own short read-only connections (:class:`ServingStore`), each under the store's shared
lock, so the server never holds the store between requests and ``dragoman ingest`` can write to the same file
while it runs; a request that meets an ingest batch mid-write waits for its transaction to end (at most
``settings.API_LOCK_WAIT_S``, then 503). These are plain functions: FastAPI runs them in its thread pool.
"""

from __future__ import annotations

import hmac
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from pydantic import Field

from dragoman import settings
from dragoman.api.errors import api_error
from dragoman.model import FACTUALITIES
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


MAX_VALUES = 50  # values of one repeatable filter
_FACTUALITY = "|".join(FACTUALITIES)


def _items(max_length: int, pattern: str | None = None) -> Any:
    """A repeatable filter's item: bounded, and where the values are a closed set, one or more of them
    comma-separated (so a schema-valid request is one the filter accepts)."""
    return Annotated[str, Field(min_length=1, max_length=max_length, pattern=pattern)]


def _many(given: list[str] | None) -> list[str] | None:
    """A repeatable filter's values (each may be comma-separated; the schema bounds how many and how long)."""
    if not given:
        return None
    return [piece.strip() for item in given for piece in item.split(",") if piece.strip()] or None


def event_filter(
    actor: Annotated[list[_items(200)] | None, Query(
        max_length=MAX_VALUES, description="Source or target code, name or words; repeatable or comma-separated")] = None,
    country: Annotated[list[_items(200, r"^[A-Za-z]{3}(,[A-Za-z]{3})*$")] | None, Query(
        max_length=MAX_VALUES, description="Source or target country, ISO alpha-3; repeatable or comma-separated")] = None,
    source_country: Annotated[list[_items(200, r"^[A-Za-z]{3}(,[A-Za-z]{3})*$")] | None, Query(
        max_length=MAX_VALUES)] = None,
    target_country: Annotated[list[_items(200, r"^[A-Za-z]{3}(,[A-Za-z]{3})*$")] | None, Query(
        max_length=MAX_VALUES)] = None,
    cameo: Annotated[list[_items(200, r"^[0-9]{1,4}(,[0-9]{1,4})*$")] | None, Query(
        max_length=MAX_VALUES, description="CAMEO code or prefix; repeatable or comma-separated")] = None,
    root: Annotated[list[_items(200, r"^[0-9]{1,2}(,[0-9]{1,2})*$")] | None, Query(
        max_length=MAX_VALUES, description="CAMEO root, e.g. 04; repeatable or comma-separated")] = None,
    plover: Annotated[list[_items(400, r"^[A-Za-z_]{1,40}(,[A-Za-z_]{1,40})*$")] | None, Query(
        max_length=MAX_VALUES, description="PLOVER type; repeatable or comma-separated")] = None,
    quad_class: Annotated[list[_items(20, r"^[1-4](,[1-4])*$")] | None, Query(
        max_length=MAX_VALUES, description="QuadClass 1-4; repeatable or comma-separated")] = None,
    factuality: Annotated[list[_items(200, rf"^({_FACTUALITY})(,({_FACTUALITY}))*$")] | None, Query(
        max_length=MAX_VALUES, description=f"Any of {', '.join(FACTUALITIES)}; repeatable or comma-separated")] = None,
    factual: Annotated[bool, Query(description="Only asserted, reported and historical events")] = False,
    since: Annotated[date | None, Query(description="Events on or after (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="Events on or before (YYYY-MM-DD)")] = None,
    article: Annotated[str | None, Query(max_length=200, description="Only this article's events")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Calibrated confidence at least")] = None,
    statements: Annotated[bool, Query(description="Include bare public statements (CAMEO root 01)")] = True,
    source: Annotated[str | None, Query(max_length=100, description="Source actor: exact code, PREFIX*, or name")] = None,
    target: Annotated[str | None, Query(max_length=100, description="Target actor: exact code, PREFIX*, or name")] = None,
    symmetric: Annotated[bool, Query(description="The source-target dyad in either direction")] = False,
    actor_code: Annotated[str | None, Query(
        max_length=100, description="This actor code (or PREFIX*) as source or target")] = None,
    place: Annotated[str | None, Query(max_length=200, description="Event place name (exact)")] = None,
    place_country: Annotated[str | None, Query(max_length=10, description="Event place country")] = None,
    place_precision: Annotated[Literal["point", "city", "admin2", "admin1", "country", "region"] | None, Query(
        description="Event place precision (country: placed in a country as a whole)")] = None,
    raw: Annotated[bool, Query(description="The coding as the coder made it, analysts' corrections not applied")] = False,
) -> ViewFilter:
    """The filters of ``dragoman events`` and the dashboard's chart links, as query parameters."""
    return ViewFilter(
        source=source or None, target=target or None, actor_code=actor_code or None, place=place or None,
        place_country=place_country or None, place_precision=place_precision, symmetric=symmetric,
        actor=_many(actor), country=_many(country),
        source_country=_many(source_country), target_country=_many(target_country),
        cameo=_many(cameo), root=_many(root), plover=_many(plover),
        quad_class=_many(quad_class), factuality=_many(factuality), factual=factual,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None, article_id=article or None, min_confidence=min_confidence,
        no_statements=not statements, raw=raw,
    )


def require_token(request: Request, authorization: str | None) -> None:
    """Refuse a write without the server's token (403 when the server has none: writes are off)."""
    expected = request.app.state.token
    if expected is None:
        raise api_error(403, "writes are off: start the server with --token or $DRAGOMAN_TOKEN")
    scheme, _, given = (authorization or "").strip().partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise api_error(401, "missing or wrong token (Authorization: Bearer TOKEN)")


def writer(request: Request) -> ServingStore:
    """The store opened for one write (callers hold ``app.state.write_lock``)."""
    state = request.app.state
    return ServingStore(state.db_path, read_only=False, wait_s=max(state.lock_wait_s, 10.0))


Db = Annotated[ServingStore, Depends(open_store)]
Filter = Annotated[ViewFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=0, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
Raw = Annotated[bool, Query(description="The coding as the coder made it, analysts' corrections not applied")]
