"""Alerts: a baseline at creation, each new matching story once, deliveries to a file and a webhook (guarded
unless allowed), retried when they fail; and what `/api/feeds` and `/api/alerts` serve."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from feed_server import FeedServer, story_text

from dragoman import settings
from dragoman.api import create_app
from dragoman.ingest.feedlist import feed_spec
from dragoman.jobs.alerts import check_alerts, deliver_owed
from dragoman.jobs.ingest import ingest_articles
from dragoman.model import Article
from dragoman.store.alerts import Alert, add_alert, alert_hits, list_alerts
from dragoman.store.db import Store
from dragoman.store.events import EventFilter
from dragoman.store.feeds import add_feed
from dragoman.store.stories import query_stories

NOW = __import__("datetime").datetime(2026, 1, 5, 12, 0, 0)


def _articles(numbers: list[int]) -> list[Article]:
    return [Article(article_id=f"alert-{n}", text=story_text(n), published="2024-05-02", source="Test Wire")
            for n in numbers]


def test_alerts_fire_once_per_new_story_and_deliver(tmp_path: Path, coder) -> None:
    store = Store(tmp_path / "alerts.duckdb")
    ingest_articles(_articles([1, 2]), store, coder_factory=lambda: coder)
    before = {s["story_id"] for s in query_stories(store)}
    assert before
    with FeedServer() as site:
        hook = site.base + "/hook?token=secret"
        add_alert(store, Alert("guarded", EventFilter(), to_stdout=False, webhook=hook), NOW)
        add_alert(store, Alert("allowed", EventFilter(), to_stdout=False, webhook=hook, allow_private=True,
                               to_file=str(tmp_path / "out" / "hits.jsonl")), NOW)
        printed: list[dict] = []
        assert check_alerts(store, printed.append) == 0  # the stories stored before are the baseline

        ingest_articles(_articles([3, 4, 5]), store, coder_factory=lambda: coder)
        new = {s["story_id"] for s in query_stories(store)} - before
        assert new
        fired = check_alerts(store, printed.append)
        assert fired == 2 * len(new) and not printed  # (neither alert prints)
        posted = {p["story"]["story_id"] for p in site.posts}
        assert posted == new and len(site.posts) == len(new)
        filed = [json.loads(line) for line in (tmp_path / "out" / "hits.jsonl").read_text().splitlines()]
        assert {h["story"]["story_id"] for h in filed} == new and all(h["alert"] == "allowed" for h in filed)
        # the webhook at a loopback address, not allowed: refused by the URL guard, owed, retried, given up
        guarded = alert_hits(store, "guarded")
        assert {h["story_id"] for h in guarded} == new
        assert all(h["pending"] == ["webhook"] and "loopback" in h["last_error"] for h in guarded)
        for _ in range(settings.ALERT_DELIVERY_ATTEMPTS + 2):
            deliver_owed(store)
        assert len(site.posts) == len(new)  # nothing more reached the server
        # nothing fires twice
        assert check_alerts(store, printed.append) == 0
        # an alert added now takes every story as its baseline
        add_alert(store, Alert("late", EventFilter(country=["GEO"])), NOW)
        assert check_alerts(store, printed.append, names=["late"]) == 0

        add_feed(store, feed_spec(site.base + "/feeds/a.xml", "wire", "10m"), NOW)
        api = _serve(store.path)
        feeds = httpx.get(f"{api}/api/feeds").json()
        assert feeds["total"] == 1 and feeds["items"][0]["name"] == "wire" and not feeds["items"][0]["paused"]
        alerts = httpx.get(f"{api}/api/alerts", params={"latest": 2}).json()
        by_name = {a["name"]: a for a in alerts["items"]}
        assert by_name["allowed"]["hits"] == len(new) and len(by_name["allowed"]["latest"]) == min(2, len(new))
        assert "secret" not in json.dumps(alerts) and "to_file" not in by_name["allowed"]
        assert by_name["allowed"]["to"] == ["file", "webhook"]
    assert [a.name for a in list_alerts(store)] == ["allowed", "guarded", "late"]


def _serve(db: Path) -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the API did not start")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}"
