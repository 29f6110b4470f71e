"""`dragoman watch` against a news site on 127.0.0.1 (tests/feed_server.py): feeds that change, repeat items,
answer 304 and 429, a robots.txt that forbids a path, a page that hangs; and the parts it is built of."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from feed_server import FeedServer, FeedVersion, Item, story_text

from dragoman.ingest.feedlist import parse_duration, read_feed_list
from dragoman.ingest.fetch import retry_after_seconds
from dragoman.ingest.polite import PoliteFetcher, RobotsForbidden, backoff_delay
from dragoman.store.db import Store

DRAGOMAN = [str(Path(sys.executable).parent / "dragoman")]


def dragoman(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DRAGOMAN, "--db", str(db), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})


# ---------------------------------------------------------------- parts


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 7 ") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10.0)
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0  # (in the past)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("9" * 400) == 999999999.0  # (no giant number from a hostile header)


def test_backoff_doubles_with_jitter_and_stops_at_its_cap() -> None:
    rng = random.Random(5)
    waits = [backoff_delay(n, 10.0, 100.0, rng) for n in range(1, 8)]
    for n, wait in enumerate(waits, start=1):
        expected = min(100.0, 10.0 * 2 ** (n - 1))
        assert expected <= wait <= expected * 1.25
    assert len({round(w, 6) for w in waits[-3:]}) == 3  # jittered: clients that failed together spread out


def test_durations() -> None:
    assert parse_duration("15m") == 900
    assert parse_duration("90s") == parse_duration("90") == parse_duration(90) == 90
    assert parse_duration("2h") == 7200 and parse_duration("1d") == 86400
    for bad in ("soon", "-5m", "0s", True):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_feed_lists_yaml_and_opml(tmp_path: Path) -> None:
    good = tmp_path / "feeds.yaml"
    good.write_text("kind: feed-list\nfeeds:\n  - url: https://news.example.org/world.rss\n    every: 30m\n"
                    "  - https://wire.example.net/feed\n  - url: https://other.example.com/a.xml\n    name: other\n")
    specs, problems = read_feed_list(good)
    assert not problems
    assert [(s.name, s.every_s) for s in specs] == [("news.example.org-world.rss", 1800),
                                                     ("wire.example.net-feed", 900), ("other", 900)]
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: feed-list\nfeeds:\n  - url: https://a.example.org/x\n  - url: ftp://b.example.org/y\n"
                   "  - url: https://c.example.org/z\n    every: sometimes\n  - url: https://d.example.org/\n"
                   "    colour: red\n")
    specs, problems = read_feed_list(bad)
    assert [p.line for p in problems] == [4, 5, 7]
    assert "http(s)" in problems[0].message and "duration" in problems[1].message and "colour" in problems[2].message
    opml = tmp_path / "list.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
                    '<outline text="Region"><outline text="Wire One" type="rss" xmlUrl="https://one.example.org/rss"'
                    ' every="5m"/><outline text="Two" type="rss" xmlUrl="https://two.example.org/atom"/></outline>'
                    '</body></opml>')
    specs, problems = read_feed_list(opml)
    assert not problems
    assert [(s.name, s.url, s.every_s) for s in specs] == [("Wire-One", "https://one.example.org/rss", 300),
                                                           ("Two", "https://two.example.org/atom", 900)]


def test_polite_fetcher_obeys_robots_and_paces_a_host() -> None:
    with FeedServer() as site:
        site.feeds["/feeds/a.xml"] = _feed([Item(1)], "e1")
        fetcher = PoliteFetcher(allow_private=True, host_interval=0.3)
        with pytest.raises(RobotsForbidden, match="forbids"):
            fetcher.get(site.base + "/private/page.html")
        for _ in range(3):
            fetcher.get(site.base + "/pages/1.html")
        assert not site.requests("/private/")
        starts = [r[0] for r in site.log]
        assert [r[2] for r in site.log] == ["/robots.txt"] + ["/pages/1.html"] * 3  # robots.txt asked once
        gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
        assert min(gaps) >= 0.25, gaps


def _feed(items: list[Item], etag: str) -> object:
    from feed_server import Feed

    return Feed(versions=[FeedVersion(items, f'"{etag}"')])


# ---------------------------------------------------------------- dragoman watch, end to end


def test_watch_end_to_end(tmp_path: Path) -> None:
    from feed_server import Feed

    long_summary = story_text(40)  # a feed text long enough to store when the page cannot be had
    with FeedServer(slow_s=6.0) as site:
        site.feeds["/feeds/world.xml"] = Feed(
            versions=[FeedVersion([Item(1), Item(2), Item(3), Item(4, link="/private/4.html", summary=long_summary),
                                   Item(5, link="/slow/5.html", summary=story_text(50))], '"w1"'),
                      FeedVersion([Item(6), Item(1), Item(2), Item(3), Item(4, link="/private/4.html",
                                   summary=long_summary), Item(5, link="/slow/5.html", summary=story_text(50))],
                                  '"w2"')],
            switch_after=[2])
        site.feeds["/feeds/region.xml"] = Feed(versions=[FeedVersion([Item(3), Item(7)], '"r1"')])
        site.feeds["/feeds/busy.xml"] = Feed(versions=[FeedVersion([Item(8)], '"b1"')],
                                             script={1: (429, {"Retry-After": "3"})})
        site.slow.add("/slow/5.html")
        db = tmp_path / "watch.duckdb"
        for path, name in (("/feeds/world.xml", "world"), ("/feeds/region.xml", "region"),
                           ("/feeds/busy.xml", "busy"), ("/private/feed.xml", "hidden")):
            assert dragoman(db, "feeds", "add", site.base + path, "--every", "1s", "--name", name).returncode == 0
        hits_file = tmp_path / "hits.jsonl"
        added = dragoman(db, "alert", "add", "everything", "--to-file", str(hits_file), "--stdout")
        assert added.returncode == 0, added.stderr
        run = dragoman(db, "watch", "--allow-private", "--for", "25s", "--host-interval", "0.05", "--timeout", "2",
                       timeout=180)
        assert run.returncode == 0, run.stderr
        log = list(site.log)

    store = Store(db, read_only=True)
    with store.connect(read_only=True) as con:
        articles = dict(con.execute("SELECT article_id, extra FROM articles").fetchall())
        items = con.execute("SELECT feed, item_key, status, text_from FROM feed_items ORDER BY feed, item_key"
                            ).fetchall()
        stories = {r[0] for r in con.execute("SELECT story_id FROM stories").fetchall()}
        paused = dict(con.execute("SELECT name, paused_reason FROM feeds").fetchall())

    # every item stored once; the item two feeds carry is a duplicate in the second
    assert sorted(articles) == [f"wire-{n}" for n in range(1, 9)]
    assert sorted(i[2] for i in items if i[1] == "wire-3") == ["duplicate", "stored"]
    # robots.txt: the forbidden page and the forbidden feed never requested; the page's item stored from the
    # feed's text, flagged; the feed paused with the reason
    assert not [r for r in log if r[2].startswith("/private/")]
    four = json.loads(articles["wire-4"])
    assert four["text_from"] == "feed" and "robots.txt" in four["page_error"]
    assert paused["hidden"] and "robots.txt" in paused["hidden"]
    assert "robots.txt" in dragoman(db, "feeds", "list").stdout
    # the page that hangs: given up at the timeout, its item stored from the feed's text
    five = json.loads(articles["wire-5"])
    assert five["text_from"] == "feed" and "timed out" in five["page_error"]
    # validators: the second request for a feed is conditional, and answered 304
    world = [r for r in log if r[2] == "/feeds/world.xml"]
    assert world[0][3].get("If-None-Match") is None
    assert world[1][3].get("If-None-Match") == '"w1"' and world[1][4] == 304
    assert any(r[3].get("If-None-Match") == '"w2"' and r[4] == 304 for r in world[3:])
    assert "wire-6" in articles  # the new item of the feed's second version
    # backoff: after the 429, nothing is asked of the host until its Retry-After has passed
    t429 = next(r[0] for r in log if r[4] == 429)
    during = [r for r in log if t429 < r[0] < t429 + 2.8]
    assert not during, during
    assert any(r[2] == "/feeds/busy.xml" and r[4] == 200 for r in log)
    # the status lines
    assert "not modified (304)" in run.stderr and "1 new" in run.stderr
    # alerts: each story once, on stdout and in the file
    printed = [json.loads(line) for line in run.stdout.splitlines()]
    filed = [json.loads(line) for line in hits_file.read_text().splitlines()]
    assert printed == filed
    fired = [h["story"]["story_id"] for h in printed]
    assert len(fired) == len(set(fired)) and set(fired) <= stories and fired
    again = dragoman(db, "alert", "check")
    assert again.returncode == 0 and again.stdout == ""  # nothing fires twice
    status = dragoman(db, "feeds", "status", "--format", "jsonl")
    world_status = next(json.loads(line) for line in status.stdout.splitlines() if '"world"' in line)
    assert world_status["items_new"] >= 5 and world_status["failures"] == 0
