"""Every error is a JSON object with an ``error`` (the status in words) and a ``reason``; the handlers that make
them, and the error responses the routes declare in the OpenAPI document."""

from __future__ import annotations

import json
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
                405: "method not allowed", 411: "length required", 413: "request too large", 422: "refused",
                503: "unavailable"}


def api_error(status: int, reason: str) -> HTTPException:
    """The exception a route raises to answer ``status`` with ``reason``."""
    return HTTPException(status_code=status, detail=reason)


def not_found(what: str) -> dict[int | str, dict[str, Any]]:
    """The error responses of a route that looks up one ``what``: the shared ones and a 404."""
    return {**ERROR_RESPONSES, 404: {"model": ErrorBody, "description": f"No such {what}"}}


def json_error(status: int, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": STATUS_NAMES.get(status, "error"), "reason": reason}, status_code=status,
                        headers=headers)


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return json_error(exc.status_code, str(exc.detail), exc.headers)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(x) for x in first.get("loc", ()))
    reason = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
    detail = json.loads(json.dumps(errors, default=str))
    return JSONResponse({"error": "invalid request", "reason": reason, "detail": detail}, status_code=422)


async def _store_error(_request: Request, exc: StoreError) -> JSONResponse:
    return json_error(503, str(exc))


async def _duckdb_error(_request: Request, exc: QueryError) -> JSONResponse:
    return json_error(400, f"query failed: {exc}".splitlines()[0][:300])


def add_error_handlers(app: FastAPI) -> None:
    """Answer HTTP errors, invalid requests, an unavailable store and failed queries in the one JSON shape."""
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreError, _store_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueryError, _duckdb_error)  # type: ignore[arg-type]
