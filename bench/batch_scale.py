"""Scale-out of `dragoman batch`: articles/s for the local engine with 1 and 2 workers and the Dask engine
(a LocalCluster of worker processes) with 2, on the Guardian corpus repeated to N articles (distinct ids, one
file per repetition so no shard holds two copies of a text: every article is coded).

    .venv/bin/python bench/batch_scale.py [--articles 500] [--shard-size 25] [--workers 2]

Prints, per configuration: the coding rate (articles / map wall time, worker start-up and model loading
included) and the end-to-end rate (map + reduce), peak RSS of each worker process (getrusage in the worker) and
its resident memory after its first and last shard (flat memory over a run); then the ratios against the
targets (2 workers >= 1.7x one; dask >= 0.85x local) and the projected wall time for 1M articles.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dragoman.paths import shared_dir  # noqa: E402


def make_input(folder: Path, n: int) -> int:
    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is not beside the repository: nothing to measure")
    lines = (shared / "corpus" / "guardian_syria" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln.strip()]
    written, rep = 0, 0
    while written < n:
        with open(folder / f"guardian_r{rep:03d}.jsonl", "w", encoding="utf-8") as fh:
            for line in lines[: n - written]:
                row = json.loads(line)
                row["id"] = f"{row['id']}#r{rep}"
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
        rep += 1
    return written


def run(label: str, inputs: Path, engine: str, workers: int, shard_size: int) -> dict:
    from dragoman.jobs.batch import run_batch

    out = Path(tempfile.mkdtemp(prefix=f"dragoman-bench-{label}-"))
    try:
        t0 = time.perf_counter()
        summary = run_batch([str(inputs)], out, engine=engine, workers=workers, shard_lines=shard_size)
        wall = time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    m = summary.manifest
    per_pid: dict[int, list[dict]] = defaultdict(list)
    for s in m["shards"]:
        per_pid[s["pid"]].append(s)
    procs = [{"pid": pid, "shards": len(ss), "peak_rss_mb": max(s["peak_rss_mb"] for s in ss),
              "rss_first_mb": ss[0]["rss_mb"], "rss_last_mb": ss[-1]["rss_mb"]}
             for pid, ss in sorted(per_pid.items())]
    read = sum(s["read"] for s in m["shards"])
    coded = sum(s["coded"] for s in m["shards"])
    return {"label": label, "engine": engine, "workers": workers, "articles": read, "coded": coded,
            "map_s": m["timings"]["map_s"], "reduce_s": m["timings"]["reduce_s"], "wall_s": round(wall, 2),
            "rate": read / m["timings"]["map_s"], "rate_total": read / wall, "procs": procs,
            "mentions": m["counts"]["mentions"], "stories": m["counts"]["stories"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--shard-size", type=int, default=25)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dragoman-bench-input-"))
    try:
        n = make_input(folder, args.articles)
        print(f"command: .venv/bin/python bench/batch_scale.py --articles {args.articles} "
              f"--shard-size {args.shard_size} --workers {args.workers}")
        print(f"input: {n} articles (Guardian corpus repeated, distinct ids), shards of {args.shard_size} lines; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
        results = [run("local-1", folder, "local", 1, args.shard_size),
                   run(f"local-{args.workers}", folder, "local", args.workers, args.shard_size),
                   run(f"dask-{args.workers}", folder, "dask", args.workers, args.shard_size)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{'config':10} {'articles':>8} {'coded':>6} {'map s':>7} {'reduce s':>8} {'art/s':>7} "
          f"{'art/s e2e':>9}  worker peak RSS MB (rss after first -> last shard)")
    for r in results:
        procs = "; ".join(f"{p['peak_rss_mb']:.0f} ({p['rss_first_mb']:.0f}->{p['rss_last_mb']:.0f}, "
                          f"{p['shards']} shards)" for p in r["procs"])
        print(f"{r['label']:10} {r['articles']:8d} {r['coded']:6d} {r['map_s']:7.1f} {r['reduce_s']:8.1f} "
              f"{r['rate']:7.2f} {r['rate_total']:9.2f}  {procs}")
    one, local, dask = results
    scale = local["rate"] / one["rate"]
    parity = dask["rate"] / local["rate"]
    print(f"\n{args.workers} local workers / 1: {scale:.2f}x (target >= 1.7x) "
          f"{'PASS' if scale >= 1.7 else 'MISS'}")
    print(f"dask / local at {args.workers} workers: {parity:.2f}x (target >= 0.85x) "
          f"{'PASS' if parity >= 0.85 else 'MISS'}")
    per_worker = local["rate"] / args.workers
    for label, rate in ((f"local {args.workers} workers", local["rate"]), ("one worker", one["rate"])):
        hours = 1_000_000 / rate / 3600
        print(f"projected wall time for 1M articles at {label} ({rate:.2f} art/s): {hours:.1f} h")
    print(f"per worker {per_worker:.2f} art/s: 1M articles in 24 h needs about "
          f"{1_000_000 / (per_worker * 86400):.0f} such workers (reduce not included: "
          f"{local['reduce_s']:.1f}s here for {local['articles']} articles)")


if __name__ == "__main__":
    main()
