"""The FastAPI app: read endpoints over the query layer, a token-guarded write endpoint, and the dashboard.

No SQL here: every read goes through the store's query modules (:mod:`dragoman.store.events`,
:mod:`dragoman.store.articles`, :mod:`dragoman.store.analytics`, :mod:`dragoman.store.stories`,
:mod:`dragoman.store.claims`). The routes are in :mod:`dragoman.api.routes`, one router per concern; what they
share (the store per request, the filter, the error shapes) in :mod:`dragoman.api.deps` and
:mod:`dragoman.api.errors`; what every request passes (the Host check, size limits, security headers) in
:mod:`dragoman.api.security`.

Store work blocks (DuckDB, and the store's lock while a writer commits), so the routes that do it are plain
functions run in the server's thread pool; the dashboard's page and static files are served from memory by
``async`` routes, so they answer at once whatever the store is doing.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI

from dragoman import settings
from dragoman.api.errors import SafeJSONResponse, add_error_handlers
from dragoman.api.routes import ROUTERS
from dragoman.api.security import Guard, HostPolicy
from dragoman.version import __version__


class DragomanAPI(FastAPI):
    """FastAPI with :class:`~dragoman.api.security.Guard` outside everything else, the error handling that
    answers a bug with a 500 included: every response passes it."""

    def build_middleware_stack(self) -> Any:
        return Guard(super().build_middleware_stack(), self.state.hosts)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # the thread pool that runs the routes' store work (settings.API_THREADS says why it is small)
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    yield


def create_app(db: str | Path, token: str | None = None, *, lock_wait_s: float = settings.API_LOCK_WAIT_S,
               parquet: str | Path | None = None, host: str = "127.0.0.1",
               allowed_hosts: Iterable[str] = (), threads: int = settings.API_THREADS) -> FastAPI:
    """The API and dashboard over the store at ``db`` (or, read-only, the batch dataset at ``parquet``).
    The write endpoint is on only with a ``token``, and never over a dataset. ``host`` is the address the
    server is bound to: requests must name it (or ``allowed_hosts``) in their Host header."""
    app = DragomanAPI(
        title="Dragoman",
        version=__version__,
        description="Coded political event mentions (CAMEO/PLOVER) with their evidence. Errors are JSON "
                    "objects with an `error` and a `reason`.",
        docs_url=None,  # the Swagger/ReDoc pages load scripts from a CDN: the OpenAPI document is at /openapi.json
        redoc_url=None,
        default_response_class=SafeJSONResponse,
        lifespan=_lifespan,
    )
    # What the routes read: the store (or dataset), the write token, how long a request waits for the lock,
    # and the write endpoint's coder (built on its first submission) and the lock that serialises submissions.
    app.state.db_path = Path(db)
    app.state.parquet = Path(parquet) if parquet is not None else None
    app.state.token = (token or None) if parquet is None else None
    app.state.lock_wait_s = lock_wait_s
    app.state.coder = None
    app.state.write_lock = threading.Lock()
    app.state.hosts = HostPolicy(host, allowed_hosts)
    app.state.threads = max(1, threads)

    add_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app
