"""The middleware every response passes: request size limits, and strict security headers (the dashboard
loads nothing from elsewhere)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from dragoman import settings
from dragoman.api.errors import json_error

MAX_REQUEST_BYTES = settings.MAX_ARTICLE_BYTES + 64_000  # an article plus its metadata, as JSON
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)


async def guard(request: Request, call_next: Any) -> Response:
    """Refuse bodies over the limit (or of unknown length) before reading them; add the security headers."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            too_big = int(length) > MAX_REQUEST_BYTES
        except ValueError:
            return json_error(400, "bad Content-Length")
        if too_big:
            return json_error(413, f"request body over {MAX_REQUEST_BYTES} bytes")
    elif request.method in {"POST", "PUT", "PATCH"} and request.headers.get("transfer-encoding"):
        return json_error(411, "a Content-Length is required")
    response = await call_next(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")
    return response
