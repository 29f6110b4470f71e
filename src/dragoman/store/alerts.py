"""Alerts: saved story queries and the stories each has fired for (``dragoman alert``, ``dragoman watch``).

An alert is an :class:`~dragoman.store.events.EventFilter` over stories and where its hits go (standard output,
a file, a webhook). When it is added, the stories that match already are recorded as its *baseline*: it fires
for stories that come to match later, once each. A story that merges into another carries its id as an alias,
so the merged story does not fire again for an alert that fired for (or had as baseline) either.

Delivery is an outbox: a hit is written with the outputs it still owes (``pending``) in one transaction, then
delivered, and each output crossed off as it succeeds. A process killed between the two delivers on its next
run; one killed between a delivery and its crossing-off delivers that one again (at least once, never lost).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from dragoman.store.db import Store, has_table
from dragoman.store.events import EventFilter
from dragoman.store.stories import story_where

ALERT_COLUMNS = ("name", "filter", "to_stdout", "to_file", "webhook", "allow_private", "created_at", "last_checked")


class AlertExists(ValueError):
    """An alert of that name exists already."""


@dataclass
class Alert:
    """A saved query and its outputs."""

    name: str
    filter: EventFilter
    to_stdout: bool = True
    to_file: str | None = None
    webhook: str | None = None
    allow_private: bool = False
    created_at: str | None = None
    last_checked: str | None = None
    hits: int = 0
    latest: list[dict[str, Any]] = field(default_factory=list)

    def outputs(self) -> list[str]:
        """The outputs a hit owes, in delivery order."""
        return [o for o, on in (("stdout", self.to_stdout), ("file", self.to_file), ("webhook", self.webhook)) if on]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["filter"] = filter_dict(self.filter)
        return d


def filter_dict(flt: EventFilter) -> dict[str, Any]:
    """The filter's constraints as JSON-ready values (what is unset left out)."""
    out = {}
    for key, value in asdict(flt).items():
        if value in (None, (), [], False, ""):
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def _iso(value: Any) -> Any:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def _alert(row: Sequence[Any]) -> Alert:
    values = dict(zip(ALERT_COLUMNS, row, strict=True))
    return Alert(name=values["name"], filter=EventFilter(**json.loads(values["filter"])),
                 to_stdout=values["to_stdout"], to_file=values["to_file"], webhook=values["webhook"],
                 allow_private=values["allow_private"], created_at=_iso(values["created_at"]),
                 last_checked=_iso(values["last_checked"]))


def _matching_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    where, params = story_where(flt)
    return f"SELECT story_id, record FROM {flt.stories_table()}{where}", params


def add_alert(store: Store, alert: Alert, now: datetime) -> int:
    """Save an alert; the stories that match it now are its baseline (it does not fire for them). Returns their
    number. Raises :class:`AlertExists`."""
    select, params = _matching_sql(alert.filter)
    with store.transaction() as con:
        if con.execute("SELECT 1 FROM alerts WHERE name = ?", [alert.name]).fetchone():
            raise AlertExists(f"an alert named {alert.name!r} exists already")
        con.execute("INSERT INTO alerts (name, filter, to_stdout, to_file, webhook, allow_private, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [alert.name, json.dumps(filter_dict(alert.filter), sort_keys=True), alert.to_stdout,
                     alert.to_file, alert.webhook, alert.allow_private, now])
        con.execute(f"INSERT INTO alert_hits (alert, story_id, baseline, fired_at) "
                    f"SELECT ?, story_id, TRUE, ? FROM ({select})", [alert.name, now, *params])
        return int(con.execute("SELECT count(*) FROM alert_hits WHERE alert = ?", [alert.name]).fetchone()[0])


def remove_alert(store: Store, name: str) -> bool:
    with store.transaction() as con:
        if not con.execute("SELECT 1 FROM alerts WHERE name = ?", [name]).fetchone():
            return False
        con.execute("DELETE FROM alert_hits WHERE alert = ?", [name])
        con.execute("DELETE FROM alerts WHERE name = ?", [name])
    return True


def list_alerts(store: Store, latest: int = 5) -> list[Alert]:
    """Every alert, by name, with its number of hits and its ``latest`` hits (newest first)."""
    if not store.path.exists():
        return []
    with store.connect(read_only=True) as con:
        if not has_table(con, "alerts"):  # (a store of an older schema, opened read-only: nothing watched)
            return []
        alerts = [_alert(r) for r in con.execute(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts ORDER BY name").fetchall()]
        for alert in alerts:
            alert.hits = int(con.execute("SELECT count(*) FROM alert_hits WHERE alert = ? AND NOT baseline",
                                         [alert.name]).fetchone()[0])
            alert.latest = hits_in(con, alert.name, latest)
    return alerts


def get_alert(store: Store, name: str) -> Alert | None:
    with store.connect(read_only=True) as con:
        row = con.execute(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts WHERE name = ?", [name]).fetchone()
    return _alert(row) if row else None


def hits_in(con: duckdb.DuckDBPyConnection, name: str, limit: int | None = None) -> list[dict[str, Any]]:
    """An alert's hits (baseline left out), newest first: the story as it was when it fired, and what is owed."""
    sql = ("SELECT story_id, fired_at, record, pending, last_error FROM alert_hits WHERE alert = ? AND NOT baseline "
           "ORDER BY fired_at DESC, story_id")
    params: list[Any] = [name]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [{"story_id": s, "fired_at": _iso(f), "story": json.loads(r) if r else None, "pending": list(p or []),
             "last_error": e} for s, f, r, p, e in con.execute(sql, params).fetchall()]


def alert_hits(store: Store, name: str, limit: int | None = None) -> list[dict[str, Any]]:
    with store.connect(read_only=True) as con:
        return hits_in(con, name, limit)


def fire_new(store: Store, alerts: Sequence[Alert], now: datetime) -> list[tuple[Alert, str, dict[str, Any]]]:
    """Record, in one transaction, every story that matches an alert and has not fired for it (nor any story
    merged into it): each with the outputs it owes. Returns ``(alert, story_id, hit record)``, in the order the
    stories were first seen."""
    fired: list[tuple[Alert, str, dict[str, Any]]] = []
    with store.transaction() as con:
        for alert in alerts:
            select, params = _matching_sql(alert.filter)
            rows = con.execute(
                f"SELECT m.story_id, m.record FROM ({select}) m JOIN stories s USING (story_id) "
                "WHERE NOT EXISTS (SELECT 1 FROM alert_hits h WHERE h.alert = ? AND (h.story_id = m.story_id "
                "OR h.story_id IN (SELECT alias FROM story_aliases a WHERE a.story_id = m.story_id))) "
                "ORDER BY s.first_seen NULLS LAST, m.story_id", [*params, alert.name]).fetchall()
            outputs = alert.outputs()
            for story_id, record in rows:
                hit = {"alert": alert.name, "fired_at": _iso(now), "story": json.loads(record)}
                con.execute("INSERT INTO alert_hits (alert, story_id, baseline, fired_at, record, pending) "
                            "VALUES (?, ?, FALSE, ?, ?, ?)",
                            [alert.name, story_id, now, json.dumps(hit["story"], sort_keys=True), outputs])
                fired.append((alert, story_id, hit))
            con.execute("UPDATE alerts SET last_checked = ? WHERE name = ?", [now, alert.name])
    return fired


def owed(store: Store, max_attempts: int) -> list[tuple[Alert, str, dict[str, Any], list[str]]]:
    """Hits with outputs still owed (a delivery failed, or the process stopped before it), tried fewer than
    ``max_attempts`` times: ``(alert, story_id, hit record, outputs)``, oldest first."""
    if not store.path.exists():
        return []
    with store.connect(read_only=True) as con:
        if not has_table(con, "alerts"):  # (a store of an older schema, opened read-only: nothing watched)
            return []
        rows = con.execute(
            f"SELECT {', '.join('a.' + c for c in ALERT_COLUMNS)}, h.story_id, h.fired_at, h.record, h.pending "
            "FROM alert_hits h JOIN alerts a ON a.name = h.alert WHERE len(coalesce(h.pending, [])) > 0 "
            "AND h.attempts < ? ORDER BY h.fired_at, h.alert, h.story_id", [max_attempts]).fetchall()
    out = []
    for row in rows:
        alert = _alert(row[:len(ALERT_COLUMNS)])
        story_id, fired_at, record, pending = row[len(ALERT_COLUMNS):]
        hit = {"alert": alert.name, "fired_at": _iso(fired_at), "story": json.loads(record) if record else None}
        out.append((alert, story_id, hit, list(pending)))
    return out


def delivered(store: Store, alert: str, story_id: str, left: Sequence[str], error: str | None,
              tried: bool) -> None:
    """Record a delivery: the outputs still owed (``left``), the last error, and one more attempt if ``tried``
    (an output that failed)."""
    with store.transaction() as con:
        con.execute("UPDATE alert_hits SET pending = ?, last_error = ?, attempts = attempts + ? "
                    "WHERE alert = ? AND story_id = ?", [list(left), error, 1 if tried else 0, alert, story_id])
