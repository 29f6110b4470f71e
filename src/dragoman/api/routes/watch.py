"""``/api/feeds`` and ``/api/alerts``: what `dragoman watch` polls and how each feed's last poll went, and the
saved alerts with their latest hits (the dashboard's "Watching" panel)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from dragoman.api.deps import Db
from dragoman.api.errors import ERROR_RESPONSES
from dragoman.store import alerts as alert_store
from dragoman.store import feeds as feed_store

router = APIRouter(tags=["watch"])


@router.get("/api/feeds", responses=ERROR_RESPONSES)
def feeds(request: Request, s: Db) -> dict[str, Any]:
    """Every watched feed: its schedule, whether it is paused (and why), its last poll (answer, new, duplicate
    and failed items, coded mentions) and its totals. A batch dataset watches no feeds."""
    items = [] if request.app.state.parquet is not None else feed_store.list_feeds(s)
    totals = {k: sum(f[k] for f in items) for k in ("items_new", "items_duplicate", "items_failed", "mentions")}
    return {"total": len(items), "paused": sum(f["paused"] for f in items), "totals": totals, "items": items}


@router.get("/api/alerts", responses=ERROR_RESPONSES)
def alerts(request: Request, s: Db,
           latest: Annotated[int, Query(ge=0, le=100, description="Latest hits per alert")] = 5) -> dict[str, Any]:
    """The saved alerts: filter, outputs, number of hits and the latest hits (each with its story as it was
    when it fired)."""
    found = [] if request.app.state.parquet is not None else alert_store.list_alerts(s, latest=latest)
    items = []
    for alert in found:
        item = alert.to_dict()
        item["webhook"] = _without_secrets(item["webhook"])
        item.pop("to_file", None)  # (a path on the server's disk is nobody's business over HTTP)
        item["to"] = alert.outputs()
        items.append(item)
    return {"total": len(items), "items": items}


def _without_secrets(url: str | None) -> str | None:
    """A webhook URL without its credentials and query (where its tokens usually are)."""
    if not url:
        return url
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        return "(hidden)"
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))
