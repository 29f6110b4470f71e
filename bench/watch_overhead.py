"""What watching costs when nothing changes: `dragoman watch` over N feeds that answer 304, its CPU time per poll
and its share of one core at the default schedule (and at the schedule of the run).

    .venv/bin/python bench/watch_overhead.py [--feeds 200] [--every 10] [--seconds 60]

The feeds are served on 127.0.0.1 by tests/feed_server.py (one host, so the per-host pace is set to 0 here:
real feeds are spread over many hosts). The feeds are first watched once (`--once --no-code`, their items
stored), so every later poll is a conditional GET answered 304. Two runs of different lengths give the CPU time
of the polls alone (start-up and the first look at the store cancel out); each run's CPU is the child process's
user + system time.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from feed_server import Feed, FeedServer, FeedVersion, Item  # noqa: E402

from dragoman import settings  # noqa: E402

DRAGOMAN = str(Path(sys.executable).parent / "dragoman")


def child_cpu(args: list[str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, stderr) of one dragoman run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.monotonic()
    done = subprocess.run([DRAGOMAN, *args], capture_output=True, text=True)
    wall = time.monotonic() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"dragoman {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between polls of one feed in the run")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the longer run")
    args = parser.parse_args()
    with FeedServer() as site, tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "watch.duckdb")
        listing = Path(tmp) / "feeds.yaml"
        lines = ["kind: feed-list", "feeds:"]
        for n in range(args.feeds):
            path = f"/feeds/{n}.xml"
            site.feeds[path] = Feed(versions=[FeedVersion([Item(1000 + n, summary=f"Teaser {n} " * 5)], f'"{n}"')])
            lines += [f"  - url: {site.base}{path}", f"    name: feed-{n}", f"    every: {args.every:g}s"]
        listing.write_text("\n".join(lines) + "\n")
        common = ["--db", db, "-q", "watch", "--allow-private", "--host-interval", "0", "--no-code", "--no-alerts"]
        child_cpu(["--db", db, "feeds", "import", str(listing)])
        child_cpu([*common, "--once"])  # every feed's items stored: from now on every answer is a 304
        short = args.seconds / 3
        before_short = len(site.log)
        cpu_short, wall_short, _ = child_cpu([*common, "--for", f"{short:g}s"])
        before_long = len(site.log)
        cpu_long, wall_long, _ = child_cpu([*common, "--for", f"{args.seconds:g}s"])
        polls_short, polls_long = before_long - before_short, len(site.log) - before_long
    not_modified = sum(1 for r in site.log if r[4] == 304)
    polls_per_s = args.feeds / args.every
    cpu_per_poll = (cpu_long - cpu_short) / max(1, polls_long - polls_short)
    share_run = cpu_per_poll * polls_per_s  # (the run's own schedule: every feed every --every seconds)
    share_default = cpu_per_poll * args.feeds / settings.WATCH_DEFAULT_EVERY_S
    print(f"command: .venv/bin/python bench/watch_overhead.py --feeds {args.feeds} --every {args.every:g} "
          f"--seconds {args.seconds:g}")
    print(f"{args.feeds} unchanged feeds; 304 answers served: {not_modified}; polls: {polls_short} in the short run ({wall_short:.1f} s), {polls_long} in the long one ({wall_long:.1f} s)")
    print(f"runs: {short:g} s -> {cpu_short:.2f} s CPU; {args.seconds:g} s -> {cpu_long:.2f} s CPU")
    print(f"CPU per poll (conditional GET, 304, feed row updated): {cpu_per_poll * 1000:.2f} ms")
    print(f"share of one core, every {args.every:g} s: {share_run * 100:.2f} %")
    print(f"share of one core at the default schedule (every {settings.WATCH_DEFAULT_EVERY_S:g} s): "
          f"{share_default * 100:.3f} %  (target <= 1 %)")


if __name__ == "__main__":
    main()
