"""`dragoman export`: events as GDELT, ICEWS or PLOVER files (:mod:`dragoman.store.exports`), or a table of the
store as Parquet, CSV or JSON Lines (:mod:`dragoman.store.articles`), with the filters of `dragoman events`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.filters import event_filter_options, pop_filter
from dragoman.store.articles import EXPORT_TABLES

EVENT_FORMATS = ("gdelt", "icews", "plover")
TABLE_FORMATS = ("parquet", "csv", "jsonl")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice([*EVENT_FORMATS, *TABLE_FORMATS]), default=None,
              help="gdelt: GDELT 2.0 event table (61 tab-separated columns, no header unless --header); icews: "
                   "ICEWS-style TSV; plover: PLOVER JSON Lines in POLECAT's shape; parquet, csv, jsonl: a --table "
                   "as it is stored (default jsonl).")
@click.option("--table", "table", type=click.Choice(list(EXPORT_TABLES)), default=None,
              help="Export this table of the store as it is (parquet, csv or jsonl).")
@click.option("--mentions", is_flag=True,
              help="gdelt/icews/plover: one row per mention (coded sentence) instead of one per story (event).")
@click.option("--header", is_flag=True, help="gdelt: write GDELT's column names as a first row.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows (default: all).")
@event_filter_options()
@click.option("--parquet", "parquet", type=click.Path(exists=True, file_okay=False), default=None,
              help="Export from a `dragoman batch` dataset folder instead of the store.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
@click.pass_obj
def export_cmd(state: CliState, fmt: str | None, table: str | None, mentions: bool, header: bool, limit: int | None,
               parquet: str | None, output: str, **options: Any) -> None:
    """Export events in a standard format, or a whole table.

    \b
      dragoman export --format gdelt --country SYR --since 2019-01-01 -o syria.tsv
      dragoman export --format icews --mentions --factual -o mentions.tsv
      dragoman export --format plover --root 18,19 -o assaults.jsonl
      dragoman export --table stories --format parquet -o stories.parquet

    Every matching row is written unless --limit says otherwise; the count goes to stderr. Filters apply to
    the mentions and stories tables and to every event format.
    """
    from dragoman.store import Store, StoreError
    from dragoman.store import articles as queries
    from dragoman.store.exports import ExportSpec, export_events
    from dragoman.store.parquet import DatasetError, ParquetDataset

    flt = pop_filter(options)
    event_format = fmt in EVENT_FORMATS
    if event_format and table:
        raise click.UsageError(f"--format {fmt} exports events: give no --table")
    if not event_format and not table:
        raise click.UsageError("give --format gdelt|icews|plover for events, or --table TABLE")
    if not event_format and (mentions or header):
        raise click.UsageError("--mentions and --header go with --format gdelt|icews|plover")
    if output == "-" and fmt == "parquet":
        raise click.UsageError("parquet is a binary file format: give an output file with -o FILE")
    path = Path(output) if output != "-" else None
    if path is not None and path.is_dir():
        raise click.UsageError(f"{output}: is a directory; give a file name")
    out: Path | Any = path if path is not None else sys.stdout.buffer
    try:
        store = ParquetDataset(parquet) if parquet else Store(state.db, read_only=True)
        if event_format:
            assert fmt is not None
            rows = export_events(store, ExportSpec(fmt, mentions=mentions, flt=flt, header=header, limit=limit),
                                 out)
            what = ("mention(s)" if mentions else "story(ies)") + f" as {fmt}"
        else:
            assert table is not None
            rows = queries.export_table(store, table, fmt or "jsonl", out, flt=flt, limit=limit)
            what = f"row(s) of {table} ({fmt or 'jsonl'})"
    except (StoreError, DatasetError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not state.quiet:
        click.echo(f"exported {rows} {what}" + (f" to {output}" if path is not None else ""), err=True)
