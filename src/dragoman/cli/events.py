"""`dragoman events`: list stored stories, or mentions, matching filters (from the store or a batch dataset)."""

from __future__ import annotations

import sys
from typing import Any

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.filters import event_filter_options, pop_filter
from dragoman.cli.output import emit

# The terminal table shows one screenful unless --limit says otherwise; machine formats write every match.
TABLE_ROWS = 100


@main.command("events")
@event_filter_options()
@click.option("--mentions", "mentions", is_flag=True,
              help="List event mentions (one per coded sentence) instead of stories (one per happening).")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help=f"At most this many (default: all for jsonl and csv, {TABLE_ROWS} for the table).")
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "parquet"]), default="table",
              show_default=True, help="parquet: the CSV's columns, to the file -o names.")
@click.option("-o", "--output", default=None, help="Write to this file (needed for parquet) instead of stdout.")
@click.option("--parquet", "parquet", type=click.Path(exists=True, file_okay=False), default=None,
              help="Query a `dragoman batch` dataset folder in place instead of the store.")
@click.pass_obj
def events_cmd(state: CliState, fmt: str, limit: int | None, offset: int, mentions: bool, parquet: str | None,
               output: str | None, **options: Any) -> None:
    """List stored events: stories (one per real-world happening), or mentions with --mentions.

    jsonl, csv and parquet write every matching event (use --limit for fewer); the table shows the first 100
    and says how many there are. For GDELT, ICEWS or PLOVER files, use `dragoman export`.
    """
    from dragoman.cli.output import write_parquet
    from dragoman.store import Store, StoreError
    from dragoman.store.events import count_mentions, query_mentions
    from dragoman.store.parquet import DatasetError, ParquetDataset
    from dragoman.store.stories import count_stories, query_stories

    if fmt == "parquet" and not output:
        raise click.UsageError("parquet is a binary file format: give an output file with -o FILE")
    query, count, noun = (query_mentions, count_mentions, "mention(s)") if mentions else (
        query_stories, count_stories, "story(ies)")
    flt = pop_filter(options)
    shown = limit if limit is not None else (TABLE_ROWS if fmt == "table" else None)
    try:
        store = ParquetDataset(parquet) if parquet else Store(state.db, read_only=True)
        rows = query(store, flt, limit=shown, offset=offset)
        total = count(store, flt)
    except (StoreError, DatasetError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "parquet":
        write_parquet(rows, str(output))
    elif output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            emit(rows, fmt, handle)
    else:
        emit(rows, fmt, sys.stdout)
    if state.quiet:
        return
    if fmt == "table" and limit is None and len(rows) < total - offset:
        click.echo(f"showing {len(rows)} of {total} {noun} (use --limit N, or --format jsonl|csv for all)",
                   err=True)
    else:
        click.echo(f"{len(rows)} of {total} {noun}", err=True)
