"""The dashboard's page (its assets are the static files mounted at ``/static``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from dragoman.web import STATIC_DIR

router = APIRouter()


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")
