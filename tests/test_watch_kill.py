"""A watcher killed with SIGKILL at random moments and restarted leaves the store an uninterrupted watcher
leaves, row for row; SIGTERM stops it cleanly after the article in hand."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from feed_server import Feed, FeedServer, FeedVersion, Item

from dragoman.store.db import Store

DRAGOMAN = str(Path(sys.executable).parent / "dragoman")
FEEDS = {  # items repeat across feeds, so duplicates and story joins depend on the order of storing
    "/feeds/east.xml": [1, 2, 3, 4, 5],
    "/feeds/west.xml": [4, 6, 7, 8, 9],
    "/feeds/north.xml": [2, 10, 11, 12, 9],
    "/feeds/south.xml": [13, 14, 1, 15, 16],
}
# What must be equal; the columns that say *when* something happened (first_seen, fired_at) are left out.
TABLES = {
    "articles": "SELECT * EXCLUDE (minhash) FROM articles ORDER BY article_id",
    "minhashes": "SELECT article_id, minhash FROM articles ORDER BY article_id",
    "mentions": "SELECT * FROM mentions ORDER BY id",
    "stories": "SELECT * FROM stories ORDER BY story_id",
    "story_links": "SELECT * FROM story_links ORDER BY mention_id",
    "story_aliases": "SELECT * FROM story_aliases ORDER BY alias",
    "claims": "SELECT * FROM claims ORDER BY claim_id",
    "feed_items": "SELECT * EXCLUDE (first_seen) FROM feed_items ORDER BY feed, item_key",
    "alert_hits": "SELECT alert, story_id, baseline, record FROM alert_hits ORDER BY alert, story_id",
    "feeds": "SELECT name, url, etag, failures, polls, items_new, items_duplicate, items_failed, mentions "
             "FROM feeds ORDER BY name",
}


def _site() -> FeedServer:
    site = FeedServer()
    for path, numbers in FEEDS.items():
        site.feeds[path] = Feed(versions=[FeedVersion([Item(n) for n in numbers], f'"{path}"')])
    return site


def _prepare(db: Path, base: str, hits: Path) -> None:
    for path in FEEDS:
        name = path.rsplit("/", 1)[1].removesuffix(".xml")
        subprocess.run([DRAGOMAN, "--db", str(db), "feeds", "add", base + path, "--every", "1h", "--name", name],
                       check=True, capture_output=True)
    subprocess.run([DRAGOMAN, "--db", str(db), "alert", "add", "all", "--to-file", str(hits)], check=True,
                   capture_output=True)


def _watch(db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([DRAGOMAN, "--db", str(db), "watch", "--once", "--allow-private", "--host-interval", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _tables(db: Path) -> dict[str, list[tuple]]:
    with Store(db, read_only=True).connect(read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}


def test_sigkill_at_random_moments_loses_and_repeats_nothing(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("DRAGOMAN_KILL_SEED", "20261202")))
    with _site() as site:
        whole = tmp_path / "whole.duckdb"
        _prepare(whole, site.base, tmp_path / "whole-hits.jsonl")
        began = time.monotonic()
        finished = _watch(whole)
        assert finished.wait(timeout=300) == 0, finished.stderr.read().decode() if finished.stderr else ""
        span = time.monotonic() - began

        killed = tmp_path / "killed.duckdb"
        _prepare(killed, site.base, tmp_path / "killed-hits.jsonl")
        kills = 0
        for _ in range(40):
            process = _watch(killed)
            try:
                # (within the first half of a whole run: each kill leaves work for the next, so there are many)
                process.wait(timeout=rng.uniform(0.2, max(1.0, span * 0.5)))
                break  # it finished before its moment came: the store is complete
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
            if kills >= 8:
                break
        last = _watch(killed)  # and once more, uninterrupted, to finish what the kills left
        assert last.wait(timeout=300) == 0
        assert kills >= 5

    whole_rows, killed_rows = _tables(whole), _tables(killed)
    assert len(whole_rows["articles"]) == 16 and whole_rows["mentions"] and whole_rows["stories"]
    for table in TABLES:
        assert killed_rows[table] == whole_rows[table], f"{table} differs after {kills} kills"
    # alerts fire once per story, whatever the kills: every story once in the file (at least once: a kill between
    # a delivery and its record may repeat that one hit)
    fired = [line for line in (tmp_path / "killed-hits.jsonl").read_text().splitlines() if line]
    story_ids = {row[1] for row in killed_rows["alert_hits"]}
    import json

    assert {json.loads(line)["story"]["story_id"] for line in fired} == story_ids


def test_sigterm_stops_after_the_article_in_hand(tmp_path: Path) -> None:
    with _site() as site:
        db = tmp_path / "term.duckdb"
        _prepare(db, site.base, tmp_path / "hits.jsonl")
        process = subprocess.Popen([DRAGOMAN, "--db", str(db), "watch", "--allow-private", "--host-interval", "0"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        for line in process.stderr:  # wait for the first feed to be stored
            if "new," in line:
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        rest = process.stderr.read()
        assert "SIGTERM: stopping after the article in hand" in rest and "stopped" in rest
        rows = _tables(db)
        stored = {r[0] for r in rows["articles"]}
        recorded = {r[2] for r in rows["feed_items"] if r[2]}
        assert stored == recorded  # every stored article has its item's row, and no item row lacks its article
        # a restart finishes the job
        assert subprocess.run([DRAGOMAN, "--db", str(db), "watch", "--once", "--allow-private", "--host-interval",
                               "0"], capture_output=True, timeout=300).returncode == 0
        assert len(_tables(db)["articles"]) == 16
