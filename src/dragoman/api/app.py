"""The FastAPI app: read endpoints over the query layer, a token-guarded write endpoint, and the dashboard.

No SQL here: every read goes through :mod:`dragoman.store.events`, :mod:`dragoman.store.articles`,
:mod:`dragoman.store.analytics` (and the stories/claims modules). Each request opens its own short read-only
connection (:class:`ServingStore`), so the server never holds the store's lock between requests and
``dragoman ingest`` can write to the same file while it runs; a request that meets an ingest batch mid-write
waits briefly (bounded) for it.
"""

from __future__ import annotations

import hmac
import importlib
import json
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from dragoman import settings
from dragoman.ingest.sources import identify, jsonl_article
from dragoman.jobs.ingest import default_coder, ingest, ingest_articles
from dragoman.store import analytics
from dragoman.store import articles as article_queries
from dragoman.store.analytics import ViewFilter
from dragoman.store.db import QueryError, Store, StoreError
from dragoman.store.events import EventFilter, count_mentions, get_mention, query_mentions
from dragoman.version import __version__
from dragoman.web import STATIC_DIR

LOCK_WAIT_S = 2.0  # how long a request waits for an ingest batch to release the store
MAX_PAGE = 1000
MAX_DOWNLOAD_ROWS = 1_000_000
MAX_REQUEST_BYTES = settings.MAX_ARTICLE_BYTES + 64_000  # an article plus its metadata, as JSON
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)


class ServingStore(Store):
    """A :class:`Store` for serving: read-only by default, and its connections wait only ``LOCK_WAIT_S`` for
    another process's write lock (a request must not hang as long as a batch job may)."""

    def __init__(self, path: str | Path, read_only: bool = True, wait_s: float = LOCK_WAIT_S) -> None:
        super().__init__(path, read_only=read_only, lock_wait_s=wait_s)


# ---------------------------------------------------------------- response shapes (for the OpenAPI document)


class ErrorBody(BaseModel):
    error: str
    reason: str


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class SeriesBody(BaseModel):
    interval: str
    source: str | None
    target: str | None
    periods: list[dict[str, Any]]


class NetworkBody(BaseModel):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    total_edges: int


class Submission(BaseModel):
    """An article to code: its ``text`` (with optional metadata), or a ``url`` fetched under ingest's guard."""

    text: str | None = Field(default=None, max_length=settings.MAX_ARTICLE_BYTES)
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=1000)
    published: date | None = None
    source: str | None = Field(default=None, max_length=200)
    id: str | None = Field(default=None, max_length=200)


class SubmissionResult(BaseModel):
    ingested: int
    article_ids: list[str]
    mentions: int
    summary: dict[str, Any]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request"},
    503: {"model": ErrorBody, "description": "The store is missing, busy, or a part of it is not available"},
}


def _error(status: int, reason: str) -> HTTPException:
    return HTTPException(status_code=status, detail=reason)


# ---------------------------------------------------------------- filters


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
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
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
    )


Filter = Annotated[ViewFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=0, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]


def _optional_module(name: str) -> Any:
    """The stories/claims query modules, which may not be in this build yet: 503 with the reason if so."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise _error(503, f"{name} is not available in this build ({exc})") from exc


def open_store(request: Request) -> ServingStore:
    """A read-only store for one request (connections are opened by each query and closed right after); or a
    batch dataset of Parquet files queried in place (``dragoman serve --parquet DIR``)."""
    if request.app.state.parquet is not None:
        from dragoman.store.parquet import DatasetError, ParquetDataset

        try:
            return ParquetDataset(request.app.state.parquet)  # type: ignore[return-value]  # store-like
        except DatasetError as exc:
            raise _error(503, str(exc)) from exc
    db_path: Path = request.app.state.db_path
    if not db_path.exists():
        raise _error(503, f"no store at {db_path}: run `dragoman ingest` or `dragoman demo` first")
    return ServingStore(db_path, read_only=True, wait_s=request.app.state.lock_wait_s)


Db = Annotated[ServingStore, Depends(open_store)]

# ---------------------------------------------------------------- the app


def create_app(db: str | Path, token: str | None = None, *, lock_wait_s: float = LOCK_WAIT_S,
               parquet: str | Path | None = None) -> FastAPI:
    """The API and dashboard over the store at ``db`` (or, read-only, the batch dataset at ``parquet``).
    The write endpoint is on only with a ``token``, and never over a dataset."""
    db_path = Path(db)
    app = FastAPI(
        title="Dragoman",
        version=__version__,
        description="Coded political event mentions (CAMEO/PLOVER) with their evidence. Errors are JSON "
                    "objects with an `error` and a `reason`.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: the OpenAPI document is at /openapi.json
        redoc_url=None,
    )
    app.state.db_path = db_path
    app.state.parquet = Path(parquet) if parquet is not None else None
    app.state.token = (token or None) if parquet is None else None
    write_lock = threading.Lock()
    coder_holder: dict[str, Any] = {}

    app.state.lock_wait_s = lock_wait_s

    # ------------------------------------------------------------ middleware and errors

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        length = request.headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > MAX_REQUEST_BYTES
            except ValueError:
                return _json_error(400, "bad Content-Length")
            if too_big:
                return _json_error(413, f"request body over {MAX_REQUEST_BYTES} bytes")
        elif request.method in {"POST", "PUT", "PATCH"} and request.headers.get("transfer-encoding"):
            return _json_error(411, "a Content-Length is required")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _json_error(exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        reason = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        detail = json.loads(json.dumps(errors, default=str))
        return JSONResponse({"error": "invalid request", "reason": reason, "detail": detail}, status_code=422)

    @app.exception_handler(StoreError)
    async def store_error(_request: Request, exc: StoreError) -> JSONResponse:
        return _json_error(503, str(exc))

    @app.exception_handler(QueryError)
    async def query_error(_request: Request, exc: QueryError) -> JSONResponse:
        return _json_error(400, f"query failed: {exc}".splitlines()[0][:300])

    # ------------------------------------------------------------ dashboard

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # ------------------------------------------------------------ meta

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness, the store path and whether the write endpoint is on."""
        return {"status": "ok", "version": __version__, "store": str(db_path), "store_exists": db_path.exists(),
                "write_enabled": app.state.token is not None}

    @app.get("/api/facets", tags=["meta"], responses=ERROR_RESPONSES)
    def get_facets(s: Db) -> dict[str, Any]:
        """What the filter bar offers: date range, countries, PLOVER types, CAMEO roots, factualities."""
        return analytics.facets(s)

    # ------------------------------------------------------------ mentions

    @app.get(
        "/api/mentions", tags=["events"], response_model=Page,
        responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}},
                                            "description": "A page of mentions (JSON), or all as CSV/Parquet"}},
    )
    def mentions(s: Db, flt: Filter, limit: Limit = 50, offset: Offset = 0,
                 format: Literal["json", "csv", "parquet"] = "json") -> Any:
        """Event mentions matching the filters, newest first: a page with the total, or every match (up to a
        million) as a CSV or Parquet download."""
        if format != "json":
            body = analytics.download_mentions(s, flt, format, limit=MAX_DOWNLOAD_ROWS)
            media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
            return Response(body, media_type=media,
                            headers={"Content-Disposition": f'attachment; filename="mentions.{format}"'})
        items = query_mentions(s, flt, limit=limit, offset=offset)
        return {"total": count_mentions(s, flt), "limit": limit, "offset": offset, "items": items}

    @app.get("/api/mentions/{mention_id}", tags=["events"],
             responses={**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": "No such mention"}})
    def mention(mention_id: str, s: Db) -> dict[str, Any]:
        """One mention with its evidence: the record, its article's metadata, and its spans in the text."""
        record = get_mention(s, mention_id)
        if record is None:
            raise _error(404, f"no mention {mention_id!r}")
        art = article_queries.get_article(s, record["article_id"])
        spans = analytics.mention_spans(art["text"], record) if art else []
        meta = {k: art.get(k) for k in ("article_id", "title", "published", "source", "url")} if art else None
        return {"mention": record, "article": meta, "spans": spans}

    # ------------------------------------------------------------ stories and claims

    @app.get("/api/stories", tags=["events"], response_model=Page, responses=ERROR_RESPONSES)
    def stories(s: Db, flt: Filter, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stories (mentions of one real-world event, merged across articles) matching the filters."""
        mod = _optional_module("dragoman.store.stories")
        items = mod.query_stories(s, flt, limit, offset)
        return {"total": mod.count_stories(s, flt), "limit": limit, "offset": offset, "items": items}

    @app.get("/api/stories/{story_id}", tags=["events"],
             responses={**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": "No such story"}})
    def story(story_id: str, s: Db) -> dict[str, Any]:
        """One story with its mentions (the evidence)."""
        mod = _optional_module("dragoman.store.stories")
        record = mod.get_story(s, story_id)
        if record is None:
            raise _error(404, f"no story {story_id!r}")
        return record

    @app.get("/api/claims", tags=["events"], response_model=Page, responses=ERROR_RESPONSES)
    def claims(s: Db, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Claims with their verdicts."""
        from dragoman.jobs.claims import stored_claims
        from dragoman.store.claims import count_claims

        return {"total": count_claims(s), "limit": limit, "offset": offset, "items": stored_claims(s, limit, offset)}

    # ------------------------------------------------------------ articles

    @app.get("/api/articles", tags=["articles"], response_model=Page, responses=ERROR_RESPONSES)
    def articles(
        s: Db,
        source: Annotated[str | None, Query(max_length=200)] = None,
        since: date | None = None,
        until: date | None = None,
        language: Annotated[str | None, Query(max_length=10)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Stored articles (metadata, without their text), oldest first."""
        rows = article_queries.list_articles(
            s, source=source or None, since=since.isoformat() if since else None,
            until=until.isoformat() if until else None, language=language or None,
        )
        page = [{k: v for k, v in r.items() if k != "text"} for r in rows[offset: offset + limit]]
        return {"total": len(rows), "limit": limit, "offset": offset, "items": page}

    @app.get("/api/articles/{article_id:path}", tags=["articles"],
             responses={**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": "No such article"}})
    def article(article_id: str, s: Db) -> dict[str, Any]:
        """One article's text and metadata, and its coded mentions, each with the character offsets of its
        source, target, trigger, date and place in the text (``spans``)."""
        record = article_queries.get_article(s, article_id)
        if record is None:
            raise _error(404, f"no article {article_id!r}")
        record["mentions"] = analytics.article_mentions_with_spans(s, article_id, record["text"])
        return record

    # ------------------------------------------------------------ aggregates

    @app.get("/api/actors", tags=["aggregates"], response_model=Page, responses=ERROR_RESPONSES)
    def actors(s: Db, flt: Filter, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        """Actors of the matching mentions, with how often each is source, target and either."""
        total, items = analytics.list_actors(s, flt, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/series", tags=["aggregates"], response_model=SeriesBody, responses=ERROR_RESPONSES)
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

    @app.get("/api/network", tags=["aggregates"], response_model=NetworkBody, responses=ERROR_RESPONSES)
    def network(s: Db, flt: Filter, limit: Annotated[int, Query(ge=1, le=2000)] = 200) -> dict[str, Any]:
        """The actor network: nodes, and directed edges weighted by count per QuadClass."""
        return analytics.actor_network(s, flt, limit=limit)

    @app.get("/api/places", tags=["aggregates"], response_model=Page, responses=ERROR_RESPONSES)
    def places(s: Db, flt: Filter, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
        """Event locations with their event counts (and coordinates where known)."""
        total, items = analytics.list_places(s, flt, limit=limit)
        return {"total": total, "limit": limit, "offset": 0, "items": items}

    # ------------------------------------------------------------ write

    @app.post(
        "/api/articles", tags=["articles"], response_model=SubmissionResult, status_code=201,
        responses={
            401: {"model": ErrorBody, "description": "Missing or wrong token"},
            403: {"model": ErrorBody, "description": "The write endpoint is off (no token configured)"},
            413: {"model": ErrorBody, "description": "Request too large"},
            422: {"model": ErrorBody, "description": "Refused input (bad URL, blocked address, empty text)"},
            503: {"model": ErrorBody, "description": "The store is busy"},
        },
    )
    def submit(
        body: Submission,
        authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None,
    ) -> dict[str, Any]:
        """Submit an article for coding: its text, or a URL fetched under the same guard as `dragoman ingest`
        (public addresses only). Needs `Authorization: Bearer TOKEN` with the token the server started with."""
        expected = app.state.token
        if expected is None:
            raise _error(403, "the write endpoint is off: start the server with --token or $DRAGOMAN_TOKEN")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise _error(401, "missing or wrong token (Authorization: Bearer TOKEN)")
        if bool(body.text) == bool(body.url):
            raise _error(422, "give exactly one of text or url")
        with write_lock:
            return _submit(body)

    def _coder() -> Any:
        if "coder" not in coder_holder:
            coder_holder["coder"] = default_coder()
        return coder_holder["coder"]

    def _submit(body: Submission) -> dict[str, Any]:
        writer = ServingStore(db_path, read_only=False, wait_s=max(lock_wait_s, 10.0))
        ids: list[str] = []
        if body.text:
            record = {k: v for k, v in body.model_dump().items() if v not in (None, "") and k != "url"}
            if body.published:
                record["published"] = body.published.isoformat()
            try:
                article = jsonl_article(record)
                article.origin = "POST /api/articles"
                ids.append(identify(article).article_id)
            except Exception as exc:  # the reader's own refusal, with its reason
                raise _error(422, f"article refused: {exc}") from exc
            summary = ingest_articles([article], writer, coder_factory=_coder)
        else:
            summary = ingest([str(body.url)], writer, coder_factory=_coder, allow_private=False)
        if summary.failures:
            raise _error(422, "; ".join(str(f) for f in summary.failures))
        n = sum(count_mentions(writer, EventFilter(article_id=i)) for i in ids)
        return {"ingested": summary.ingested, "article_ids": ids, "mentions": n if ids else summary.mentions,
                "summary": summary.to_dict()}

    return app


def _json_error(status: int, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    names = {400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found", 405: "method not allowed",
             411: "length required", 413: "request too large", 422: "refused", 503: "unavailable"}
    return JSONResponse({"error": names.get(status, "error"), "reason": reason}, status_code=status, headers=headers)
