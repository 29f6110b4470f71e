"""Export and aggregate speed on a store of N synthetic mentions (default 1,000,000; made with DuckDB SQL as
bench/api_load.py makes them, plus their articles and one story per two mentions), and, with --db, the
round-trip of every export format on a real store (rows written = `dragoman events` counts, same filters).

    .venv/bin/python bench/exports_aggregates.py [--mentions 1000000] [--keep PATH] [--db GUARDIAN_STORE]

Goals (issue 16): export >= 200,000 rows/s; a dyad-month aggregate <= 1 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import api_load  # the synthetic mentions (bench/api_load.py)

from dragoman.store import Store
from dragoman.store.aggregates import AggregateSpec, aggregate
from dragoman.store.events import EventFilter, count_mentions
from dragoman.store.exports import ExportSpec, export_events
from dragoman.store.stories import count_stories


def build(path: Path, n: int) -> None:
    """The synthetic mentions, their articles (eight mentions each) and stories (two mentions each)."""
    api_load.build(path, n)
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("""
        INSERT INTO articles (article_id, content_hash, title, url, published, source, language, text, coded)
        SELECT article_id, md5(article_id), 'A synthetic article', 'https://example.org/' || article_id,
               min(date_start), 'Outlet ' || (hash(article_id) % 40), 'en', 'A synthetic sentence.', TRUE
        FROM mentions GROUP BY article_id
    """)
    con.execute("UPDATE mentions SET story_id = 's' || substr(md5(CAST(CAST(substr(id, 2) AS BIGINT) // 2 AS VARCHAR)), 1, 15)")
    con.execute("""
        INSERT INTO stories (story_id, record, cameo, cameo_root, plover, quad_class, goldstein, source_country,
            target_country, source_code, target_code, date_start, date_end, loc_name, loc_country, loc_lat, loc_lon,
            num_mentions, num_articles, num_sources, first_seen, last_seen, confidence, article_id, founder_id,
            factuality)
        SELECT story_id, any_value(record), any_value(cameo), any_value(cameo_root), any_value(plover),
               any_value(quad_class), any_value(goldstein), any_value(source_country), any_value(target_country),
               any_value(source_code), any_value(target_code), min(date_start), max(date_end), any_value(loc_name),
               any_value(loc_country), any_value(loc_lat), any_value(loc_lon), count(*), count(DISTINCT article_id),
               1, min(date_start), max(date_start), 0.7, min(article_id), min(id), 'asserted'
        FROM mentions GROUP BY story_id
    """)
    con.close()


def timed(label: str, rows_label: str, fn) -> float:
    t0 = time.perf_counter()
    rows = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<40}{rows:>10} {rows_label:<8}{dt:>8.2f} s{rows / dt if dt else 0:>12,.0f} rows/s")
    return dt


def speed(path: Path) -> None:
    store = Store(path, read_only=True)
    out = Path(tempfile.mkdtemp(prefix="dragoman-bench-out-"))
    print(f"{'what':<40}{'rows':>10} {'':<8}{'time':>10}{'rate':>19}")
    export_times = []
    for fmt in ("gdelt", "icews", "plover"):
        for mentions in (True, False):
            unit = "mentions" if mentions else "stories"
            spec = ExportSpec(fmt, mentions=mentions)
            rows: list[int] = []
            dt = timed(f"export {fmt} ({unit})", unit,
                       lambda spec=spec, rows=rows: rows.append(export_events(store, spec, out / "x")) or rows[-1])
            export_times.append((fmt, unit, rows[-1] / dt))
    worst = min(rate for _f, _u, rate in export_times)
    print(f"slowest export: {worst:,.0f} rows/s (goal >= 200,000: {'met' if worst >= 200_000 else 'NOT met'})")
    dyad = []
    for unit in ("mentions", "stories"):
        spec = AggregateSpec(by="dyad", period="month", unit=unit, flt=EventFilter(factual=True))
        dt = timed(f"aggregate dyad-month ({unit})", "rows", lambda spec=spec: aggregate(store, spec).table.num_rows)
        dyad.append(dt)
    for by in ("country", "actor", "place"):
        spec = AggregateSpec(by=by, period="week", flt=EventFilter(factual=True), top=50)
        timed(f"aggregate {by}-week top 50 (stories)", "rows", lambda spec=spec: aggregate(store, spec).table.num_rows)
    print(f"slowest dyad-month aggregate: {max(dyad):.2f} s (goal <= 1 s: {'met' if max(dyad) <= 1 else 'NOT met'})")


def round_trip(db: Path) -> None:
    """Every format, stories and mentions, with and without filters: rows written = the events count."""
    store = Store(db, read_only=True)
    out = Path(tempfile.mkdtemp(prefix="dragoman-bench-rt-"))
    filters = {"none": EventFilter(), "factual": EventFilter(factual=True),
               "SYR,IRQ + root 18-20": EventFilter(country="SYR,IRQ", root=["18", "19", "20"])}
    bad = 0
    for name, flt in filters.items():
        for mentions in (True, False):
            expected = count_mentions(store, flt) if mentions else count_stories(store, flt)
            for fmt in ("gdelt", "icews", "plover"):
                path = out / f"{fmt}.out"
                written = export_events(store, ExportSpec(fmt, mentions=mentions, flt=flt), path)
                with path.open(encoding="utf-8") as handle:
                    if fmt == "gdelt":
                        read = [r for r in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
                        assert all(len(r) == 61 for r in read)
                    elif fmt == "icews":
                        read = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
                    else:
                        read = [json.loads(line) for line in handle]
                ok = written == len(read) == expected
                bad += not ok
                print(f"{name:<22}{'mentions' if mentions else 'stories':<10}{fmt:<8}"
                      f"written {written:>6}  read {len(read):>6}  events {expected:>6}  {'ok' if ok else 'MISMATCH'}")
    print(f"round trip: {'every format matches' if not bad else f'{bad} mismatch(es)'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mentions", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="Build the synthetic store here and keep it")
    ap.add_argument("--db", type=Path, default=None, help="Also check the round trip on this (real) store")
    args = ap.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    path, _tmp = api_load.synthetic_store(args.keep, args.mentions, build)
    speed(path)
    if args.db:
        round_trip(args.db)


if __name__ == "__main__":
    main()
