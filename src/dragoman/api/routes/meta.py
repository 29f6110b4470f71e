"""``/api/health`` and ``/api/facets``: what the server serves, and what the filter bar offers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from dragoman.api.deps import Db, Raw
from dragoman.api.errors import ERROR_RESPONSES
from dragoman.store import analytics
from dragoman.version import __version__

router = APIRouter(tags=["meta"])


@router.get("/api/health")
def health(request: Request) -> dict[str, Any]:
    """Liveness, the store path and whether the write endpoint is on."""
    db_path: Path = request.app.state.db_path
    return {"status": "ok", "version": __version__, "store": str(db_path), "store_exists": db_path.exists(),
            "write_enabled": request.app.state.token is not None}


@router.get("/api/facets", responses=ERROR_RESPONSES)
def get_facets(s: Db, raw: Raw = False) -> dict[str, Any]:
    """What the filter bar offers: date range, countries, PLOVER types, CAMEO roots, factualities, and the
    number of active corrections."""
    return analytics.facets(s, raw=raw)
