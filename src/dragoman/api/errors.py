"""Every error is a JSON object with an ``error`` (the status in words) and a ``reason``; the handlers that make
them (a bug's reply too: a 500 that says no more), and the error responses the routes declare in the OpenAPI
document. Replies are written as ASCII JSON (:class:`SafeJSONResponse`), so no text a client sent, a lone
surrogate included, can make writing the reply itself fail."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from dragoman.api.models import ErrorBody
from dragoman.store.db import QueryError, StoreError

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request"},
    503: {"model": ErrorBody, "description": "The store is missing, busy, or a part of it is not available"},
}

STATUS_NAMES = {400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
                405: "method not allowed", 411: "length required", 413: "request too large",
                421: "misdirected request", 422: "refused", 500: "internal error", 503: "unavailable"}

log = logging.getLogger("dragoman.api")


class SafeJSONResponse(JSONResponse):
    """JSON written as ASCII (every other character escaped): valid whatever strings it holds."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"),
                          default=str).encode("ascii")


def api_error(status: int, reason: str) -> HTTPException:
    """The exception a route raises to answer ``status`` with ``reason``."""
    return HTTPException(status_code=status, detail=reason)


def not_found(what: str) -> dict[int | str, dict[str, Any]]:
    """The error responses of a route that looks up one ``what``: the shared ones and a 404."""
    return {**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": f"No such {what}"}}


def json_error(status: int, reason: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return SafeJSONResponse({"error": STATUS_NAMES.get(status, "error"), "reason": reason, **extra},
                            status_code=status, headers=headers)


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return json_error(exc.status_code, str(exc.detail), exc.headers)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    # What was wrong and where, never the input itself (it may be megabytes, or hostile).
    detail = [{"type": str(e.get("type", "")), "loc": [str(x) for x in e.get("loc", ())][:10],
               "msg": str(e.get("msg", "invalid"))[:300]} for e in exc.errors()[:20]]
    first = detail[0] if detail else {}
    where = ".".join(first.get("loc", ()))
    reason = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
    return SafeJSONResponse({"error": "invalid request", "reason": reason, "detail": detail}, status_code=422)


async def _store_error(_request: Request, exc: StoreError) -> JSONResponse:
    return json_error(503, str(exc))


async def _duckdb_error(_request: Request, exc: QueryError) -> JSONResponse:
    return json_error(400, f"query failed: {exc}".splitlines()[0][:300])


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return json_error(500, "the server failed on this request (the error is in its log)")


def add_error_handlers(app: FastAPI) -> None:
    """Answer HTTP errors, invalid requests, an unavailable store, failed queries and bugs in the one JSON shape."""
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreError, _store_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueryError, _duckdb_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _internal_error)
