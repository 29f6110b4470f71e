"""Speed and memory of the coder against spaCy parsing alone, on the Guardian corpus.

    .venv/bin/python bench/throughput.py [--limit N] [--batch-size B]

Three sides, each in a fresh subprocess (so its peak RSS is its own), same model, batch size and one process:
spaCy's full pipeline with its stock components (the baseline the ratio is taken against), the same pipeline
with the faster components the coder uses (``dragoman.nlp.components``: same output), and the full coder.
Prints articles/s for each, the ratio of the coder to the stock pipeline, and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dragoman import settings  # noqa: E402
from dragoman.paths import shared_dir  # noqa: E402


def load_articles(limit: int | None):
    from dragoman.model import Article

    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is not beside the repository: nothing to measure")
    path = shared / "corpus" / "guardian_syria" / "articles.jsonl"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append(Article(article_id=str(row["id"]), text=row["text"], published=row.get("published")))
            if limit and len(out) >= limit:
                break
    return out


def run_side(side: str, limit: int | None, batch_size: int) -> dict:
    articles = load_articles(limit)
    chars = sum(len(a.text) for a in articles)
    if side in ("parse", "parse-fast"):
        from dragoman.nlp import load_nlp, parse

        nlp = load_nlp(stock=side == "parse")
        nlp("warm up")
        t0 = time.perf_counter()
        n = sum(1 for _ in parse(((a.article_id, a.text) for a in articles), batch_size=batch_size, nlp=nlp))
        elapsed = time.perf_counter() - t0
        extra = {"chunks": n}
    else:
        from dragoman.coder import Coder

        coder = Coder(batch_size=batch_size)
        coder.code_text("Warm up: Iran accused Israel.", published="2020-01-01")
        t0 = time.perf_counter()
        mentions = sum(len(m) for _a, m in coder.code_articles(articles))
        elapsed = time.perf_counter() - t0
        extra = {"mentions": mentions}
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"side": side, "articles": len(articles), "chars": chars, "seconds": round(elapsed, 2),
            "articles_per_s": round(len(articles) / elapsed, 2), "peak_rss_mb": round(rss_mb), **extra}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=settings.NLP_BATCH_SIZE)
    ap.add_argument("--side", choices=["parse", "parse-fast", "coder"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.side:
        print(json.dumps(run_side(args.side, args.limit, args.batch_size)))
        return
    results = {}
    for side in ("parse", "parse-fast", "coder"):
        cmd = [sys.executable, __file__, "--side", side, "--batch-size", str(args.batch_size)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results[side] = json.loads(out.stdout.strip().splitlines()[-1])
    p, f, c = results["parse"], results["parse-fast"], results["coder"]
    print(f"command: {' '.join([Path(sys.executable).name, 'bench/throughput.py', *sys.argv[1:]])}")
    print(f"articles: {p['articles']} ({p['chars']} chars), batch size {args.batch_size}, 1 process")
    print(f"spaCy parse only : {p['articles_per_s']:7.2f} articles/s  peak RSS {p['peak_rss_mb']} MB"
          "  (stock components)")
    print(f"spaCy, fast parts: {f['articles_per_s']:7.2f} articles/s  peak RSS {f['peak_rss_mb']} MB"
          "  (the coder's attribute ruler and lemmatizer)")
    print(f"full coder       : {c['articles_per_s']:7.2f} articles/s  peak RSS {c['peak_rss_mb']} MB"
          f"  ({c['mentions']} mentions)")
    print(f"coder / parse    : {c['articles_per_s'] / p['articles_per_s']:.3f}")


if __name__ == "__main__":
    main()
