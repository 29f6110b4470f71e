"""API latency under load: a store of N synthetic mentions (default 1,000,000, made with DuckDB SQL), uvicorn in a
subprocess, and at least 200 real HTTP requests of a fixed mix; prints p50/p95 per request kind and overall.

    .venv/bin/python bench/api_load.py [--mentions 1000000] [--requests 240] [--keep PATH] [--corrections N]

Mix (cycled in order): broad date range pages with totals, deep pages (the page after a cursor near the end, as a
client paging with `next` asks), filtered totals (country, QuadClass), dyad series (month/week), network, places,
actors; and, timed apart and left out of "all", deep pages by offset. Goal: overall p95 under 100 ms.
Every query reads the mentions through analysts' corrections (the view ``mentions_applied``); ``--corrections N``
gives N mentions, spread over the store, a row of corrected values (every other one marked wrong, the rest
recoded), as N corrections would, to measure what corrections cost.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from dragoman.store import Store

COUNTRIES = ["USA", "RUS", "CHN", "IRN", "IRQ", "ISR", "PSE", "SYR", "TUR", "UKR", "SAU", "EGY", "MLI", "AFG", "PAK"]


def build(path: Path, n: int) -> None:
    Store(path)  # schema
    import duckdb

    cs = "[" + ",".join(f"'{c}'" for c in COUNTRIES) + "]"
    con = duckdb.connect(str(path))
    con.execute(f"""
        INSERT INTO mentions (id, article_id, source_code, source_country, source_sector, target_code, target_country,
            target_sector, cameo, cameo_root, plover, quad_class, goldstein, date_start, date_end, date_precision,
            loc_name, loc_country, loc_lat, loc_lon, factuality, confidence, sentence, sentence_start, sentence_end,
            trigger_text, record)
        SELECT printf('m%09d', i), printf('a%07d', i // 8),
            sc || 'GOV', sc, 'GOV', tc, tc, NULL,
            printf('%02d0', r), printf('%02d', r), 'CONSULT', 1 + (i % 4), ((i * 7) % 21) - 10.0,
            DATE '2015-01-01' + CAST(i % 3650 AS INTEGER), DATE '2015-01-01' + CAST(i % 3650 AS INTEGER), 'day',
            'Place ' || (i % 500), sc, (i % 140) - 70.0, (i % 340) - 170.0, 'asserted', 0.7,
            'A synthetic sentence.', 0, 21, 'met',
            json_object('id', printf('m%09d', i), 'article_id', printf('a%07d', i // 8), 'cameo', printf('%02d0', r),
                        'source', json_object('code', sc || 'GOV', 'country', sc), 'target', json_object('code', tc),
                        'quad_class', 1 + (i % 4), 'factuality', 'asserted',
                        'date', json_object('start', DATE '2015-01-01' + CAST(i % 3650 AS INTEGER)),
                        'evidence', json_object('sentence', 'A synthetic sentence.', 'start', 0, 'end', 21))
        FROM (SELECT i, {cs}[1 + (i % 15)] AS sc, {cs}[1 + ((i * 7 + 3) % 15)] AS tc, 1 + (i % 20) AS r
              FROM range({n}) t(i))
    """)
    con.close()


def synthetic_store(keep: Path | None, n: int, make=None) -> tuple[Path, tempfile.TemporaryDirectory]:
    """The store of ``n`` synthetic mentions to measure on: ``keep`` if it exists, else built (by ``make``,
    default :func:`build`) there or in a temporary folder (returned too: the store lives as long as it)."""
    tmp = tempfile.TemporaryDirectory(prefix="dragoman-bench-")
    path = keep or Path(tmp.name) / "bench.duckdb"
    if not path.exists():
        t0 = time.perf_counter()
        (make or build)(path, n)
        print(f"built {n:,} mentions in {time.perf_counter() - t0:.1f} s: {path}")
    return path, tmp


def add_fixes(path: Path, n: int) -> None:
    """N mentions' corrected values, as the corrections' bookkeeping writes them (the rest as coded)."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("DELETE FROM mention_fixes")
    if n:
        total = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        step = max(1, total // n)
        con.execute(f"""
            INSERT INTO mention_fixes
            SELECT * EXCLUDE (n) REPLACE ('190' AS cameo, '19' AS cameo_root, 'ASSAULT' AS plover, 4 AS quad_class,
                                          -10.0 AS goldstein), (n // {step}) % 2 = 0, ['bench']
            FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM mentions) WHERE n % {step} = 0 LIMIT {n}""")
    con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mix(total: int) -> list[tuple[str, str, dict]]:
    kinds = [
        ("broad page+total", "/api/mentions", {"since": "2015-01-01", "until": "2024-12-31", "limit": 50}),
        ("deep page", "/api/mentions", {"after": None, "limit": 50}),  # a cursor near the end: see main()
        ("filtered total", "/api/mentions", {"country": "IRN", "quad_class": 4, "limit": 0}),
        ("dyad series", "/api/series", {"source": "USAGOV", "target": "RUS", "interval": "month"}),
        ("dyad series", "/api/series", {"source": "IRN*", "target": "ISR", "interval": "week", "since": "2020-01-01"}),
        ("network", "/api/network", {"limit": 200}),
        ("places", "/api/places", {"country": "SYR", "limit": 500}),
        ("actors", "/api/actors", {"limit": 50}),
    ]
    return kinds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mentions", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=240)
    ap.add_argument("--keep", type=Path, default=None, help="Build the store here and keep it")
    ap.add_argument("--corrections", type=int, default=0, help="Mentions with corrected values (default 0)")
    args = ap.parse_args()
    path, _tmp = synthetic_store(args.keep, args.mentions)
    add_fixes(path, args.corrections)
    port = free_port()
    dragoman = str(Path(sys.executable).parent / "dragoman")
    server = subprocess.Popen([dragoman, "-q", "--db", str(path), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    times: dict[str, list[float]] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(200):
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            kinds = mix(args.mentions)
            # a client pages deep with the cursor of the page before (`next`); offsets are timed apart, as what
            # a client that jumps to a page number pays
            total = client.get("/api/mentions", params={"limit": 0}).json()["total"]  # (corrections leave some out)
            near_end = client.get("/api/mentions", params={"offset": total - 101, "limit": 1}).json()
            for kind in kinds:
                if "after" in kind[2]:
                    kind[2]["after"] = near_end["next"]
            kinds.append(("deep page, offset", "/api/mentions", {"offset": total - 100, "limit": 50}))
            for warm in kinds:  # one warm-up round, not timed
                client.get(warm[1], params=warm[2]).raise_for_status()
            for i in range(args.requests):
                kind, url, params = kinds[i % len(kinds)]
                t0 = time.perf_counter()
                r = client.get(url, params=params)
                dt = (time.perf_counter() - t0) * 1000
                r.raise_for_status()
                times.setdefault(kind, []).append(dt)
    finally:
        server.terminate()
        server.wait(timeout=10)
    def pct(xs: list[float], p: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]
    every = [t for kind, ts in times.items() if kind != "deep page, offset" for t in ts]
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"{'kind':<18}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}")
    for kind, ts in times.items():
        print(f"{kind:<18}{len(ts):>5}{statistics.median(ts):>10.1f}{pct(ts, 0.95):>10.1f}")
    print(f"{'all (no offsets)':<18}{len(every):>5}{statistics.median(every):>10.1f}{pct(every, 0.95):>10.1f}"
          f"   (goal: p95 < 100 ms: {'met' if pct(every, 0.95) < 100 else 'NOT met'})")


if __name__ == "__main__":
    main()
