"""The dashboard's page and its static files, from memory: ``async`` routes that touch neither the store nor
the server's thread pool, so the dashboard loads at once even while a writer holds the store."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from dragoman.api.errors import api_error
from dragoman.web import STATIC_DIR

router = APIRouter()

_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json",
          ".md": "text/plain", ".LICENSE": "text/plain"}


def _load(folder: Path) -> dict[str, tuple[bytes, str]]:
    """Every file under ``folder`` by its path there: its bytes and media type (the folder is small)."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        media = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media == "application/json":
            media += "; charset=utf-8"
        files[path.relative_to(folder).as_posix()] = (path.read_bytes(), media)
    return files


STATIC = _load(STATIC_DIR)


@router.get("/", include_in_schema=False)
async def index() -> Response:
    body, media = STATIC["index.html"]
    return Response(body, media_type=media)


@router.get("/static/{path:path}", include_in_schema=False)
async def static(path: str) -> Response:
    found = STATIC.get(path)
    if found is None:
        raise api_error(404, f"no static file {path!r}")
    return Response(found[0], media_type=found[1])
