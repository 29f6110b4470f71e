"""Watched feeds and the items seen in them (``dragoman feeds``, ``dragoman watch``): the one place their SQL
lives.

A feed's row is its schedule (``every_s``, ``next_due``), what the server last said (``etag``,
``last_modified``, ``last_status``, ``last_error``), its failures in a row and, when it is paused, why. Its
items are keyed by the entry's id (else its link): an item in ``feed_items`` is never fetched again, unless it
failed and has tries left. The watcher writes an item's row in the transaction that stores its article, so a
kill never separates the two.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from dragoman.ingest.feedlist import FeedSpec
from dragoman.store.db import Store, has_table

FEED_COLUMNS = (
    "name", "url", "every_s", "added_at", "paused_reason", "paused_at", "etag", "last_modified", "last_polled",
    "last_status", "last_error", "failures", "next_due", "polls", "items_new", "items_duplicate", "items_failed",
    "mentions", "last_poll",
)


class FeedExists(ValueError):
    """A feed of that name or URL is watched already."""


def _iso(value: Any) -> Any:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def _feed(row: Sequence[Any]) -> dict[str, Any]:
    feed = {c: _iso(v) for c, v in zip(FEED_COLUMNS, row, strict=True)}
    feed["last_poll"] = json.loads(feed["last_poll"]) if feed["last_poll"] else None
    feed["paused"] = feed["paused_reason"] is not None
    return feed


def add_feed(store: Store, spec: FeedSpec, now: datetime) -> None:
    """Watch a new feed, due at once. Raises :class:`FeedExists` when its name or URL is taken."""
    with store.transaction() as con:
        taken = con.execute("SELECT name, url FROM feeds WHERE name = ? OR url = ?", [spec.name, spec.url]).fetchone()
        if taken:
            raise FeedExists(f"a feed named {taken[0]!r} watches {taken[1]} already")
        con.execute("INSERT INTO feeds (name, url, every_s, added_at) VALUES (?, ?, ?, ?)",
                    [spec.name, spec.url, spec.every_s, now])


def import_feeds(store: Store, specs: Sequence[FeedSpec], now: datetime) -> tuple[int, int]:
    """Add the feeds of a list; a feed watched already (same URL) takes the list's schedule. Returns (added,
    updated). A name taken by another URL is an error (:class:`FeedExists`), and nothing is imported."""
    added = updated = 0
    with store.transaction() as con:
        for spec in specs:
            by_url = con.execute("SELECT name, every_s FROM feeds WHERE url = ?", [spec.url]).fetchone()
            if by_url:
                if by_url[1] != spec.every_s:
                    con.execute("UPDATE feeds SET every_s = ? WHERE url = ?", [spec.every_s, spec.url])
                    updated += 1
                continue
            taken = con.execute("SELECT url FROM feeds WHERE name = ?", [spec.name]).fetchone()
            if taken:
                raise FeedExists(f"the name {spec.name!r} is taken by {taken[0]}: give {spec.url} another name")
            con.execute("INSERT INTO feeds (name, url, every_s, added_at) VALUES (?, ?, ?, ?)",
                        [spec.name, spec.url, spec.every_s, now])
            added += 1
    return added, updated


def _name_of(con: duckdb.DuckDBPyConnection, name_or_url: str) -> str | None:
    row = con.execute("SELECT name FROM feeds WHERE name = ? OR url = ? ORDER BY name = ? DESC LIMIT 1",
                      [name_or_url, name_or_url, name_or_url]).fetchone()
    return row[0] if row else None


def remove_feed(store: Store, name_or_url: str) -> str | None:
    """Stop watching a feed (by name or URL) and forget its items (their articles stay). Returns its name, or
    ``None`` when there is no such feed."""
    with store.transaction() as con:
        name = _name_of(con, name_or_url)
        if name is None:
            return None
        con.execute("DELETE FROM feed_items WHERE feed = ?", [name])
        con.execute("DELETE FROM feeds WHERE name = ?", [name])
    return name


def set_paused(store: Store, name_or_url: str, reason: str | None, now: datetime) -> str | None:
    """Pause a feed with a reason, or (``reason=None``) resume it, due at once and its failures forgotten.
    Returns its name, or ``None`` when there is no such feed."""
    with store.transaction() as con:
        name = _name_of(con, name_or_url)
        if name is None:
            return None
        if reason is None:
            con.execute("UPDATE feeds SET paused_reason = NULL, paused_at = NULL, failures = 0, next_due = NULL "
                        "WHERE name = ?", [name])
        else:
            con.execute("UPDATE feeds SET paused_reason = ?, paused_at = ? WHERE name = ?", [reason, now, name])
    return name


def list_feeds(store: Store) -> list[dict[str, Any]]:
    """Every watched feed, by name: its schedule, state and counts."""
    if not store.path.exists():
        return []
    with store.connect(read_only=True) as con:
        if not has_table(con, "feeds"):  # (a store of an older schema, opened read-only: nothing watched)
            return []
        rows = con.execute(f"SELECT {', '.join(FEED_COLUMNS)} FROM feeds ORDER BY name").fetchall()
    return [_feed(r) for r in rows]


def get_feed(store: Store, name_or_url: str) -> dict[str, Any] | None:
    with store.connect(read_only=True) as con:
        name = _name_of(con, name_or_url)
        if name is None:
            return None
        row = con.execute(f"SELECT {', '.join(FEED_COLUMNS)} FROM feeds WHERE name = ?", [name]).fetchone()
    return _feed(row)


def due_feeds(store: Store, now: datetime) -> list[dict[str, Any]]:
    """The feeds due for a poll (not paused, never polled or due by ``now``), most overdue first, then by name."""
    with store.connect(read_only=True) as con:
        rows = con.execute(
            f"SELECT {', '.join(FEED_COLUMNS)} FROM feeds WHERE paused_reason IS NULL "
            "AND (next_due IS NULL OR next_due <= ?) ORDER BY next_due NULLS FIRST, name", [now]).fetchall()
    return [_feed(r) for r in rows]


def next_due(store: Store) -> datetime | None:
    """When the next feed falls due (``None``: no feed is watched, or all are paused)."""
    with store.connect(read_only=True) as con:
        row = con.execute("SELECT min(coalesce(next_due, TIMESTAMP '1970-01-01')) FROM feeds "
                          "WHERE paused_reason IS NULL").fetchone()
    return row[0] if row else None


@dataclass
class ItemRow:
    """One item of a feed as the watcher leaves it: ``stored`` (its article is in the store), ``duplicate`` (the
    store had its article already), ``failed`` (``reason``; tried ``attempts`` times) or ``skipped`` (robots.txt
    forbids its page and the feed has no text for it). ``text_from`` says where the stored text came from:
    ``page`` or ``feed`` (the page could not be had: the feed's own text, flagged on the article too)."""

    key: str
    article_id: str | None
    status: str
    text_from: str | None = None
    reason: str | None = None
    attempts: int = 1


def seen_items(store: Store, feed: str, keys: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Of these item keys, those the feed has seen: key -> (status, attempts)."""
    if not keys:
        return {}
    with store.connect(read_only=True) as con:
        rows = con.execute("SELECT item_key, status, attempts FROM feed_items WHERE feed = ? "
                           "AND item_key IN (SELECT unnest(?))", [feed, list(keys)]).fetchall()
    return {key: (status, attempts) for key, status, attempts in rows}


def write_items_in(con: duckdb.DuckDBPyConnection, feed: str, items: Sequence[ItemRow], now: datetime) -> None:
    """On ``con``, in the caller's transaction: the items' rows (an item seen before is replaced, keeping when it
    was first seen). An item recorded ``stored`` whose article the store does not hold (the store refused it) is
    recorded as failed."""
    if not items:
        return
    ids = [i.article_id for i in items if i.status == "stored" and i.article_id]
    present = {r[0] for r in con.execute("SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))",
                                         [ids]).fetchall()} if ids else set()
    for item in items:
        status, reason = item.status, item.reason
        if status == "stored" and item.article_id not in present:
            status, reason = "failed", reason or "the store refused its article"
        con.execute(
            "INSERT INTO feed_items (feed, item_key, article_id, status, text_from, reason, attempts, first_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed, item_key) DO UPDATE SET "
            "article_id = excluded.article_id, status = excluded.status, text_from = excluded.text_from, "
            "reason = excluded.reason, attempts = excluded.attempts",
            [feed, item.key, item.article_id, status, item.text_from, reason, item.attempts, now])


@dataclass
class PollState:
    """What one poll leaves in the feed's row. ``etag``/``last_modified`` are saved only with
    ``keep_validators`` (a poll that left items for later must fetch the whole feed next time, or a 304 would
    hide them). ``pause`` pauses the feed with that reason."""

    polled_at: datetime
    status: str
    next_due: datetime
    failures: int
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    keep_validators: bool = False
    pause: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # new, duplicate, failed, mentions
    details: dict[str, Any] = field(default_factory=dict)  # for `feeds status`: the poll's own summary


def write_poll_in(con: duckdb.DuckDBPyConnection, feed: str, state: PollState) -> None:
    """On ``con``, in the caller's transaction: the feed's row after a poll."""
    c = state.counts
    last_poll = json.dumps({**state.details, **c, "status": state.status}, sort_keys=True)
    sets = ["last_polled = ?", "last_status = ?", "last_error = ?", "failures = ?", "next_due = ?",
            "polls = polls + 1", "items_new = items_new + ?", "items_duplicate = items_duplicate + ?",
            "items_failed = items_failed + ?", "mentions = mentions + ?", "last_poll = ?"]
    params: list[Any] = [state.polled_at, state.status, state.error, state.failures, state.next_due,
                         c.get("new", 0), c.get("duplicate", 0), c.get("failed", 0), c.get("mentions", 0), last_poll]
    if state.keep_validators:
        sets += ["etag = ?", "last_modified = ?"]
        params += [state.etag, state.last_modified]
    if state.pause is not None:
        sets += ["paused_reason = ?", "paused_at = ?"]
        params += [state.pause, state.polled_at]
    con.execute(f"UPDATE feeds SET {', '.join(sets)} WHERE name = ?", [*params, feed])


def write_polls(store: Store, polls: Sequence[tuple[str, PollState]]) -> None:
    """Several feeds' rows in one transaction (the polls that stored nothing: one write for all of them)."""
    if not polls:
        return
    with store.transaction() as con:
        for feed, state in polls:
            write_poll_in(con, feed, state)


def feed_items(store: Store, feed: str | None = None) -> list[dict[str, Any]]:
    """The items seen, by feed and key (for tests and `feeds status --items`)."""
    where, params = (" WHERE feed = ?", [feed]) if feed else ("", [])
    columns = ("feed", "item_key", "article_id", "status", "text_from", "reason", "attempts", "first_seen")
    with store.connect(read_only=True) as con:
        rows = con.execute(f"SELECT {', '.join(columns)} FROM feed_items{where} ORDER BY feed, item_key",
                           params).fetchall()
    return [{c: _iso(v) for c, v in zip(columns, r, strict=True)} for r in rows]
