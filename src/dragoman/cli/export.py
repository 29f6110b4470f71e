"""`dragoman export`: a whole table of the store as Parquet, CSV or JSON Lines (:mod:`dragoman.store.articles`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dragoman.cli.app import CliState, main, open_store
from dragoman.store.articles import EXPORT_TABLES


@main.command("export")
@click.option("--table", "table", required=True,
              type=click.Choice(list(EXPORT_TABLES)))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="Output file, or - for stdout (csv and jsonl only).")
@click.pass_obj
def export_cmd(state: CliState, table: str, fmt: str, output: str) -> None:
    """Export a whole table, rows in key order (parquet and csv via DuckDB's COPY)."""
    from dragoman.store import articles as queries

    if output == "-" and fmt == "parquet":
        raise click.UsageError("parquet is a binary file format: give an output file with -o FILE")
    store = open_store(state, read_only=True)
    if output == "-":
        queries.export_table(store, table, fmt, sys.stdout.buffer)
        return
    path = Path(output)
    if path.is_dir():
        raise click.UsageError(f"{output}: is a directory; give a file name")
    queries.export_table(store, table, fmt, path)
    if not state.quiet:
        click.echo(f"exported {table} to {output} ({fmt})", err=True)
