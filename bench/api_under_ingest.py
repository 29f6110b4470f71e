"""API errors and latency while `dragoman ingest` writes to the store the API serves, over real HTTP on 127.0.0.1.

    .venv/bin/python bench/api_under_ingest.py [--clients 50] [--requests 40] [--corpus PATH] [--batch-size N]
                                               [--no-code] [--keep DIR]

It ingests the corpus (default ../shared/corpus/guardian_syria/articles.jsonl; skipped with a message if absent)
once without load, for reference; then starts a real `dragoman serve` on an empty store and the same
`dragoman ingest` into it, and once the first batch is in, ``--clients`` concurrent clients make ``--requests``
requests each across the endpoints (mentions pages and filters, stories, one mention, articles and one article,
series, network, places, facets, `/`, a static file). It prints the errors (any reply but 200), p50/p95/p99 per
kind and overall, how many requests were made while the ingest was writing, and whether the store the loaded
ingest built equals the reference, every table row for row. Goal: no error, overall p95 at most 1 s, identical
tables.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import httpx

from dragoman.paths import shared_dir
from dragoman.store import Store

DRAGOMAN = str(Path(sys.executable).with_name("dragoman"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dump(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


def ingest_command(db: Path, corpus: Path, batch_size: int | None, code: bool) -> list[str]:
    cmd = [DRAGOMAN, "--db", str(db), "-q", "ingest", str(corpus)]
    return cmd + (["--batch-size", str(batch_size)] if batch_size else []) + ([] if code else ["--no-code"])


class Load:
    """The clients' shared state: ids seen in replies (so a request for one mention or article names one that
    exists: ingest only adds), timings per kind, and errors."""

    def __init__(self, ingest: subprocess.Popen) -> None:
        self.ingest = ingest
        self.mention_ids: list[str] = []
        self.article_ids: list[str] = []
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.during_ingest = 0

    def requests(self, n: int) -> tuple[str, str, dict]:
        """The ``n``th request of the mix."""
        mix = [
            ("mentions page", "/api/mentions", {"limit": 50}),
            ("mentions filtered", "/api/mentions", {"country": "SYR", "limit": 50}),
            ("mentions filtered", "/api/mentions", {"quad_class": 4, "since": "2011-01-01", "limit": 20,
                                                    "offset": 20}),
            ("mentions filtered", "/api/mentions", {"actor": "assad", "limit": 20}),
            ("stories", "/api/stories", {"limit": 20}),
            ("one mention", "mention", {}),
            ("articles", "/api/articles", {"limit": 20}),
            ("one article", "article", {}),
            ("series", "/api/series", {"interval": "month"}),
            ("network", "/api/network", {"limit": 100}),
            ("places", "/api/places", {"limit": 200}),
            ("facets", "/api/facets", {}),
            ("/", "/", {}),
            ("static", "/static/app.js", {}),
        ]
        return mix[n % len(mix)]

    async def client(self, base: str, number: int, count: int) -> None:
        rng = random.Random(number)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=httpx.Limits(max_connections=1)) as http:
            for i in range(count):
                kind, path, params = self.requests(number + i)
                if path == "mention":
                    path = f"/api/mentions/{rng.choice(self.mention_ids)}" if self.mention_ids else "/api/mentions"
                elif path == "article":
                    path = f"/api/articles/{rng.choice(self.article_ids)}" if self.article_ids else "/api/articles"
                writing = self.ingest.poll() is None
                started = time.perf_counter()
                try:
                    r = await http.get(path, params=params)
                except httpx.HTTPError as exc:
                    self.errors.append(f"{kind} {path}: {type(exc).__name__}: {exc}")
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                self.during_ingest += writing and self.ingest.poll() is None
                self.times.setdefault(kind, []).append(elapsed)
                if r.status_code != 200:
                    self.errors.append(f"{kind} {path}: {r.status_code} {r.text[:160]}")
                elif path == "/api/mentions":
                    self.mention_ids.extend(m["id"] for m in r.json()["items"][:5])
                elif path == "/api/articles":
                    self.article_ids.extend(a["article_id"] for a in r.json()["items"][:5])


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=40, help="requests per client")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--batch-size", type=int, default=None, help="ingest's --batch-size (default: its own)")
    ap.add_argument("--no-code", action="store_true", help="ingest --no-code (quicker; no mentions or stories)")
    ap.add_argument("--keep", type=Path, default=None, help="write the two stores here and keep them")
    ap.add_argument("--reference", type=Path, default=None,
                    help="a store of this corpus ingested without load before (--keep wrote it): reused")
    ap.add_argument("--idle", action="store_true",
                    help="no ingest: the same load on the reference store, for comparison")
    args = ap.parse_args()
    shared = shared_dir()
    corpus = args.corpus or (shared / "corpus" / "guardian_syria" / "articles.jsonl" if shared else None)
    if corpus is None or not corpus.is_file():
        print(f"skipped: the corpus {corpus or '../shared/corpus/guardian_syria/articles.jsonl'} is not here")
        return 0
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    tmp = tempfile.TemporaryDirectory(prefix="dragoman-under-ingest-")
    folder = args.keep or Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    reference, served = folder / "reference.duckdb", folder / "served.duckdb"
    for old in folder.glob("served.duckdb*"):
        old.unlink()
    env = dict(os.environ)

    if args.reference is not None:
        reference, alone_s, reference_rc = args.reference, float("nan"), 0
        print(f"reference: {reference} (ingested before)")
    else:
        for old in folder.glob("reference.duckdb*"):
            old.unlink()
        started = time.perf_counter()
        done = subprocess.run(ingest_command(reference, corpus, args.batch_size, not args.no_code), env=env,
                              capture_output=True, text=True)
        alone_s, reference_rc = time.perf_counter() - started, done.returncode
        if reference_rc not in (0, 1):
            print(f"the reference ingest failed ({reference_rc}): {done.stderr[-500:]}")
            return 1
        print(f"reference ingest without load: {alone_s:.1f} s (exit {reference_rc})")
    if args.idle:
        shutil.copy(reference, served)
    else:
        Store(served)  # an empty store with its schema: the server needs one to start
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([DRAGOMAN, "-q", "--db", str(served), "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ingest = None
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        started = time.perf_counter()
        command = ["true"] if args.idle else ingest_command(served, corpus, args.batch_size, not args.no_code)
        ingest = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while ingest.poll() is None and httpx.get(f"{base}/api/facets", timeout=60).json()["articles"] == 0:
            time.sleep(0.2)  # start the load once the first batch is in: it then meets every later write
        load = Load(ingest)
        load_started = time.perf_counter()

        async def run_clients() -> None:
            await asyncio.gather(*(load.client(base, n, args.requests) for n in range(args.clients)))

        asyncio.run(run_clients())
        load_s = time.perf_counter() - load_started
        still_writing = ingest.poll() is None
        _, ingest_err = ingest.communicate()
        loaded_s = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        if ingest is not None and ingest.poll() is None:
            ingest.kill()

    every = [t for ts in load.times.values() for t in ts]
    print(f"load: {args.clients} clients x {args.requests} requests = {args.clients * args.requests} in "
          f"{load_s:.1f} s; {load.during_ingest} answered while the ingest was writing"
          f"{'' if still_writing else ' (the ingest finished before the load did)'}")
    print(f"ingest under load: {loaded_s:.1f} s (exit {ingest.returncode}); alone: {alone_s:.1f} s")
    print(f"errors: {len(load.errors)} of {args.clients * args.requests}")
    for e in load.errors[:10]:
        print(f"  {e}")
    print(f"{'kind':<20}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, ts in sorted(load.times.items()):
        print(f"{kind:<20}{len(ts):>6}{pct(ts, 0.5):>10.1f}{pct(ts, 0.95):>10.1f}{pct(ts, 0.99):>10.1f}")
    p95 = pct(every, 0.95) if every else float("nan")
    print(f"{'all':<20}{len(every):>6}{pct(every, 0.5):>10.1f}{p95:>10.1f}{pct(every, 0.99):>10.1f}")
    got, expected = dump(served), dump(reference)
    differ = [t for t in sorted(set(got) | set(expected)) if got.get(t) != expected.get(t)]
    print("ingest result under load: " + ("identical to the run without load, every table row for row "
                                          f"({', '.join(f'{t} {len(rows)}' for t, rows in expected.items())})"
                                          if not differ else f"DIFFERS in {', '.join(differ)}"))
    ok = not load.errors and p95 <= 1000 and not differ and ingest.returncode == reference_rc
    print(f"goal (0 errors, p95 <= 1000 ms, identical result): {'met' if ok else 'NOT met'}")
    if ingest.returncode != reference_rc:
        print(f"  the loaded ingest exited {ingest.returncode}: {ingest_err[-300:]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
