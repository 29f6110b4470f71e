"""Alerts: check the saved queries against the store's stories and deliver each new hit once.

:func:`check_alerts` records every new hit with the outputs it owes (:func:`dragoman.store.alerts.fire_new`,
one transaction) and then delivers them: a JSON line to standard output (through the caller's ``emit``), a
JSON line appended to a file, a JSON POST to a webhook (through the URL guard, unless the alert was added with
``--allow-private``). An output that fails stays owed and is tried again at the next check, up to
``settings.ALERT_DELIVERY_ATTEMPTS`` tries; :func:`deliver_owed` retries them (and delivers what a killed run
had recorded but not sent).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dragoman import settings
from dragoman.ingest.fetch import FetchError, post_json
from dragoman.store import alerts as alert_store
from dragoman.store.db import utcnow

if TYPE_CHECKING:
    from dragoman.store.alerts import Alert
    from dragoman.store.db import Store

# Writes one hit (a JSON-ready dict) to standard output; None: the caller prints nothing.
AlertOutput = Callable[[dict[str, Any]], None]


def hit_line(hit: dict[str, Any]) -> str:
    """A hit as one JSON line (the shape of stdout, file and webhook deliveries)."""
    return json.dumps(hit, ensure_ascii=False, sort_keys=True)


def _append(path: str, line: str) -> None:
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _deliver(alert: Alert, hit: dict[str, Any], outputs: list[str], emit: AlertOutput | None,
             poster: Callable[..., int]) -> tuple[list[str], str | None]:
    """Try each owed output; returns those still owed and the last error."""
    left: list[str] = []
    error = None
    line = hit_line(hit)
    for output in outputs:
        try:
            if output == "stdout":
                if emit is None:
                    left.append(output)  # (nobody to print it: owed until a run that prints)
                    continue
                emit(hit)
            elif output == "file" and alert.to_file:
                _append(alert.to_file, line)
            elif output == "webhook" and alert.webhook:
                poster(alert.webhook, line.encode("utf-8"), allow_private=alert.allow_private)
        except (OSError, FetchError) as exc:
            left.append(output)
            error = f"{output}: {exc}"
    return left, error


def check_alerts(store: Store, emit: AlertOutput | None = None, *, names: list[str] | None = None,
                 poster: Callable[..., int] = post_json) -> int:
    """Fire the alerts (all, or those ``names``) for their new stories and deliver the hits. Returns the hits."""
    alerts = alert_store.list_alerts(store, latest=0)
    if names is not None:
        alerts = [a for a in alerts if a.name in names]
    if not alerts:
        return 0
    fired = alert_store.fire_new(store, alerts, utcnow())
    for alert, story_id, hit in fired:
        left, error = _deliver(alert, hit, alert.outputs(), emit, poster)
        if left != alert.outputs() or error:
            alert_store.delivered(store, alert.name, story_id, left, error, tried=error is not None)
    return len(fired)


def deliver_owed(store: Store, emit: AlertOutput | None = None, *, poster: Callable[..., int] = post_json) -> int:
    """Deliver the hits still owed (earlier deliveries that failed, or a run killed before it delivered).
    Returns the deliveries that succeeded."""
    done = 0
    for alert, story_id, hit, outputs in alert_store.owed(store, settings.ALERT_DELIVERY_ATTEMPTS):
        left, error = _deliver(alert, hit, outputs, emit, poster)
        if left != outputs or error:
            alert_store.delivered(store, alert.name, story_id, left, error, tried=error is not None)
        done += len(outputs) - len(left)
    return done
