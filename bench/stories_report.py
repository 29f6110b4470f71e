"""Stories on the Guardian Syria corpus: mentions, stories, the ratio, 10 sampled merges and 10 near-misses.

    .venv/bin/python bench/stories_report.py [--db PATH] [--keep]

Reads ../shared/corpus/guardian_syria/articles.jsonl at run time (skips with a message when absent), ingests it
into a temporary store (or --db), and prints the figures and the samples to read by hand.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from dragoman.analysis.stories import block_of, mention_from_row, pair
from dragoman.jobs.ingest import ingest
from dragoman.model import stable_id
from dragoman.paths import shared_dir
from dragoman.store import Store
from dragoman.store.stories import clustering_rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--samples", type=int, default=10)
    args = ap.parse_args()
    shared = shared_dir()
    src = shared / "corpus" / "guardian_syria" / "articles.jsonl" if shared else None
    if src is None or not src.exists():
        print("skip: ../shared/corpus/guardian_syria/articles.jsonl is absent")
        return 0
    tmp = tempfile.TemporaryDirectory()
    path = Path(args.db) if args.db else Path(tmp.name) / "g.duckdb"
    store = Store(path)
    t0 = time.time()
    ingest([str(src)], store)
    took = time.time() - t0
    with store.connect(read_only=True) as con:
        n_m = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        n_s = con.execute("SELECT count(*) FROM stories").fetchone()[0]
        n_a = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]
        multi = con.execute("SELECT count(*), max(num_mentions), sum(num_articles > 1) FROM stories "
                            "WHERE num_mentions > 1").fetchone()
        real = con.execute("SELECT count(*) FROM stories WHERE block LIKE 'real:%'").fetchone()[0]
        ms = [mention_from_row(r) for r in clustering_rows(con)]
        sid = dict(con.execute("SELECT id, story_id FROM mentions").fetchall())
    print(f"command: .venv/bin/python bench/stories_report.py   (ingest + stories {took:.0f} s)")
    print(f"articles (originals) {n_a}; mentions {n_m}; stories {n_s} ({real} of things that happened); "
          f"ratio mentions/stories {n_m / max(1, n_s):.2f}")
    print(f"stories with >1 mention {multi[0]} (largest {multi[1]}); spanning >1 article {multi[2]}")
    by_block = defaultdict(list)
    for m in ms:
        by_block[block_of(m.root, m.factuality)].append(m)
    merges, near = [], []
    for ms_ in by_block.values():
        for a, b in itertools.combinations(sorted(ms_, key=lambda x: x.key), 2):
            if a.article_id == b.article_id:
                continue
            ok, score, reasons = pair(a, b)
            if sid[a.id] == sid[b.id]:
                merges.append((stable_id(a.id, b.id), a, b, score, reasons))
            elif ok or score >= 0.45:
                near.append((stable_id(a.id, b.id), a, b, score, reasons))
    for title, rows in (("sampled merges (same story, different articles)", merges),
                        ("sampled near-misses (different stories; gates passed or score >= 0.45)", near)):
        print(f"\n== {title}: {len(rows)} pairs, {min(args.samples, len(rows))} shown")
        for _k, a, b, score, reasons in sorted(rows)[: args.samples]:
            print(f"- score {score}  {a.cameo} vs {b.cameo}  {a.d0} / {b.d0}")
            print(f"    A [{a.article_id}] {a.record['evidence']['sentence'][:200]}")
            print(f"    B [{b.article_id}] {b.record['evidence']['sentence'][:200]}")
            print("    " + "; ".join(f"{k}: {v}" for k, v in reasons.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
