"""`dragoman ingest` on one core and on every core, side by side: wall time, articles/s, the ratio, and whether
both stores hold the same mentions and stories (they must: the workers code, the parent stores in input order).

    .venv/bin/python bench/ingest_parallel.py [--input FILE] [--workers N] [--batch-size K]

Default input: the Guardian corpus in ../shared (249 articles). Goal: 2 cores at least 1.8 x one core.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dragoman.jobs.parallel import cores
from dragoman.paths import shared_dir


def run(db: Path, source: Path, workers: int, batch_size: int | None) -> float:
    dragoman = str(Path(sys.executable).parent / "dragoman")
    args = [dragoman, "-q", "--db", str(db), "ingest", str(source), "--workers", str(workers)]
    if batch_size:
        args += ["--batch-size", str(batch_size)]
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def contents(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (*con.execute("SELECT count(*), coalesce(bit_xor(hash(id, record)), 0) FROM mentions").fetchone(),
                *con.execute("SELECT count(*), coalesce(bit_xor(hash(story_id, record)), 0) FROM stories").fetchone())
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=cores())
    ap.add_argument("--batch-size", type=int, default=None)
    args = ap.parse_args()
    source = args.input
    if source is None:
        shared = shared_dir()
        if shared is None:
            sys.exit("no --input and no ../shared beside the repository")
        source = shared / "corpus" / "guardian_syria" / "articles.jsonl"
    articles = sum(1 for line in source.open(encoding="utf-8") if line.strip())
    with tempfile.TemporaryDirectory(prefix="dragoman-bench-") as tmp:
        one, many = Path(tmp) / "one.duckdb", Path(tmp) / "many.duckdb"
        t1 = run(one, source, 1, args.batch_size)
        tn = run(many, source, args.workers, args.batch_size)
        same = contents(one) == contents(many)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(json.dumps({
        "articles": articles, "workers": args.workers,
        "one_core_s": round(t1, 1), "one_core_articles_per_s": round(articles / t1, 2),
        "all_cores_s": round(tn, 1), "all_cores_articles_per_s": round(articles / tn, 2),
        "ratio": round(t1 / tn, 2), "goal": "ratio >= 1.8 on 2 cores", "same_mentions_and_stories": same,
    }, indent=1))


if __name__ == "__main__":
    main()
