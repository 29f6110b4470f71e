"""What stories and count claims cost at ingest: the Guardian corpus ingested twice into fresh stores, once as
`dragoman ingest` does (coding, claims read from the coder's parse, stories clustered per batch), once coding
only (the plain coder, story assignment switched off), and the ratio of the two times.

    .venv/bin/python bench/ingest_overhead.py [--limit N] [--keep PATH]

Reads ../shared/corpus/guardian_syria/articles.jsonl at run time (skips with a message when absent). The coding
only run is first, so the disk cache favours the full run no more than the other. ``--keep`` keeps the full
run's store (for bench/stories_report.py --db).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from dragoman.coder import Coder
from dragoman.jobs import ingest as ingest_job
from dragoman.paths import guardian_corpus
from dragoman.store import Store


def run(src: Path, path: Path, full: bool) -> tuple[float, dict]:
    store = Store(path)
    saved = ingest_job.plan_batch, ingest_job.assign_stories_in
    if not full:  # coding only: no claims (the plain coder), no stories
        ingest_job.plan_batch = lambda store, rows, cache=None: None
        ingest_job.assign_stories_in = lambda con, article_ids=None, **kw: 0
    try:
        t0 = time.perf_counter()
        summary = ingest_job.ingest([str(src)], store, coder_factory=None if full else Coder)
        took = time.perf_counter() - t0
    finally:
        ingest_job.plan_batch, ingest_job.assign_stories_in = saved
    counts = {t: store.count(t) for t in ("articles", "mentions", "stories")}
    with store.connect(read_only=True) as con:
        counts["claims"] = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    counts["coded"] = summary.coded
    if summary.failures:  # (a run that failed to store is no baseline)
        raise SystemExit(f"ingest failed: {summary.failures[:3]}")
    return took, counts


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--keep", help="keep the full run's store at this path")
    args = ap.parse_args()
    corpus = guardian_corpus()
    if corpus is None:
        print("skip: ../shared/corpus/guardian_syria/articles.jsonl is absent")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        src = corpus
        if args.limit:
            src = Path(tmp) / "articles.jsonl"
            src.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[: args.limit]),
                           encoding="utf-8")
        bare, bare_counts = run(src, Path(tmp) / "bare.duckdb", full=False)
        full_path = Path(args.keep) if args.keep else Path(tmp) / "full.duckdb"
        full, full_counts = run(src, full_path, full=True)
    print("command: .venv/bin/python bench/ingest_overhead.py " + " ".join(sys.argv[1:]))
    print(f"coding only:              {bare:7.1f} s  {json.dumps(bare_counts)}")
    print(f"with claims and stories:  {full:7.1f} s  {json.dumps(full_counts)}")
    print(f"ratio {full / bare:.3f} (target <= 1.15)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
