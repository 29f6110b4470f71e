"""`dragoman aggregate`: events counted per dyad, country, actor or place and per period
(:mod:`dragoman.store.aggregates`), as a table, CSV, JSON Lines or Parquet."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.filters import event_filter_options, pop_filter

TABLE_ROWS = 100


@main.command("aggregate")
@click.option("--by", "by", type=click.Choice(["dyad", "country-dyad", "country", "actor", "place", "all"]),
              default="dyad", show_default=True,
              help="dyad: source and target actor codes; country-dyad: their countries; country or actor: each "
                   "one involved (an event counts for both sides); place: the event's place; all: one series.")
@click.option("--period", type=click.Choice(["day", "week", "month", "quarter", "year"]), default="month",
              show_default=True, help="By event date (weeks start on Monday); undated events are left out.")
@click.option("--measure", type=click.Choice(["root", "quad", "plover"]), default=None,
              help="Split each group by CAMEO root, QuadClass or PLOVER type.")
@click.option("--count", "unit", type=click.Choice(["stories", "mentions"]), default="stories", show_default=True,
              help="stories: one per real-world event; mentions: one per coded sentence.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N groups with the most events.")
@click.option("--no-fill", is_flag=True, help="Leave out the zero rows of periods with no events.")
@event_filter_options(factual_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl", "parquet"]), default="table",
              show_default=True)
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help=f"At most this many rows (default: all; the table shows {TABLE_ROWS}).")
@click.option("--parquet", "parquet", type=click.Path(exists=True, file_okay=False), default=None,
              help="Count in a `dragoman batch` dataset folder instead of the store.")
@click.option("-o", "--output", default="-", show_default=True, help="Output file, or - for stdout.")
@click.pass_obj
def aggregate_cmd(state: CliState, by: str, period: str, measure: str | None, unit: str, top: int | None,
                  no_fill: bool, fmt: str, limit: int | None, parquet: str | None, output: str,
                  **options: Any) -> None:
    """Count events per group and period: count, Goldstein sum and mean, QuadClass shares, distinct articles
    and outlets. Every group has a row for every period in the range (zeros where nothing happened).

    Only factual events (asserted, reported, historical) count unless --all-factualities or --factuality
    says otherwise.

    \b
      dragoman aggregate --by dyad --period month --top 10
      dragoman aggregate --by country --period week --root 18,19 --format csv -o violence.csv
    """
    from dragoman.store import Store, StoreError
    from dragoman.store.aggregates import AggregateSpec, aggregate
    from dragoman.store.parquet import DatasetError, ParquetDataset

    if fmt == "parquet" and output == "-":
        raise click.UsageError("parquet is a binary file format: give an output file with -o FILE")
    spec = AggregateSpec(by=by, period=period, measure=measure, unit=unit, flt=pop_filter(options), top=top,
                         fill=not no_fill)
    try:
        store = ParquetDataset(parquet) if parquet else Store(state.db, read_only=True)
        result = aggregate(store, spec)
    except (StoreError, DatasetError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    table = result.table
    total = table.num_rows
    if limit is not None:
        table = table.slice(0, limit)
    elif fmt == "table":
        table = table.slice(0, TABLE_ROWS)
    _write(table, fmt, output)
    if state.quiet:
        return
    shown = f"showing {table.num_rows} of {total} row(s) (use --limit N, or --format csv|jsonl|parquet for all)" if (
        fmt == "table" and table.num_rows < total and limit is None) else f"{table.num_rows} of {total} row(s)"
    click.echo(f"{shown}; counting {unit}" + (f"; {result.undated} undated left out" if result.undated else ""),
               err=True)


def _write(table: Any, fmt: str, output: str) -> None:
    if fmt in ("csv", "parquet"):
        from dragoman.store.cells import write_table

        write_table(table, fmt, sys.stdout.buffer if output == "-" else output)
        if output == "-":
            sys.stdout.buffer.flush()
        return
    rows = table.to_pylist()
    with nullcontext(sys.stdout) if output == "-" else Path(output).open("w", encoding="utf-8") as handle:
        if fmt == "jsonl":
            import json

            for row in rows:
                handle.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
            return
        from rich.console import Console
        from rich.table import Table

        view = Table(show_lines=False)
        for name in table.column_names:
            view.add_column(name, overflow="fold", justify="left" if name == "period" else "right")
        for row in rows:
            view.add_row(*(_cell(v) for v in row.values()))
        Console(file=handle, width=200 if not handle.isatty() else None).print(view)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
