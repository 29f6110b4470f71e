"""The FastAPI app: read endpoints over the query layer, a token-guarded write endpoint, and the dashboard.

No SQL here: every read goes through the store's query modules (:mod:`dragoman.store.events`,
:mod:`dragoman.store.articles`, :mod:`dragoman.store.analytics`, :mod:`dragoman.store.stories`,
:mod:`dragoman.store.claims`). The routes are in :mod:`dragoman.api.routes`, one router per concern; what they
share (the store per request, the filter, the error shapes) in :mod:`dragoman.api.deps` and
:mod:`dragoman.api.errors`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from dragoman.api.deps import LOCK_WAIT_S
from dragoman.api.errors import add_error_handlers
from dragoman.api.routes import ROUTERS
from dragoman.api.security import guard
from dragoman.version import __version__
from dragoman.web import STATIC_DIR


def create_app(db: str | Path, token: str | None = None, *, lock_wait_s: float = LOCK_WAIT_S,
               parquet: str | Path | None = None) -> FastAPI:
    """The API and dashboard over the store at ``db`` (or, read-only, the batch dataset at ``parquet``).
    The write endpoint is on only with a ``token``, and never over a dataset."""
    app = FastAPI(
        title="Dragoman",
        version=__version__,
        description="Coded political event mentions (CAMEO/PLOVER) with their evidence. Errors are JSON "
                    "objects with an `error` and a `reason`.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: the OpenAPI document is at /openapi.json
        redoc_url=None,
    )
    # What the routes read: the store (or dataset), the write token, how long a request waits for the lock,
    # and the write endpoint's coder (built on its first submission) and the lock that serialises submissions.
    app.state.db_path = Path(db)
    app.state.parquet = Path(parquet) if parquet is not None else None
    app.state.token = (token or None) if parquet is None else None
    app.state.lock_wait_s = lock_wait_s
    app.state.coder = None
    app.state.write_lock = threading.Lock()

    app.middleware("http")(guard)
    add_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
