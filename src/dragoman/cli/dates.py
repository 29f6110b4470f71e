"""`dragoman dates`: list articles' time expressions. (`dragoman eval dates` is in :mod:`dragoman.cli.evaluate`.)"""

from __future__ import annotations

import sys
from typing import IO

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.inputs import InputTally, check_published, read_inputs
from dragoman.cli.output import Listing

TABLE_COLUMNS = ("article_id", "start", "end", "type", "value", "mod", "text")
TABLE_LINE = "{:<18} {:>6} {:>6} {:<8} {:<12} {:<5} {}"


@main.command("dates")
@click.argument("sources", nargs=-1, required=True)
@click.option("--published", help="Publication date (YYYY-MM-DD) for articles that carry none.")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True,
              help='jsonl: lines {"id", "text", "published" or "dct"}, id used as article_id.')
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Output file (default stdout).")
@click.pass_obj
def dates_cmd(state: CliState, sources: tuple[str, ...], published: str | None, input_format: str, fmt: str,
              output: IO[str]) -> None:
    """List each article's time expressions (TIMEX3 type and value, resolved against the publication date)."""
    from dragoman.coder import time_expressions

    check_published(published)
    tally = InputTally()
    articles = tally.articles(read_inputs(sources, input_format, published, records_by_suffix=True))
    listing = Listing(output, fmt, TABLE_COLUMNS, TABLE_LINE)
    n = 0
    for _article, exprs in time_expressions(articles):
        n += 1
        for expr in exprs:
            listing.write(expr.to_dict())
    if not state.quiet:
        click.echo(f"{n} article(s): {listing.rows} time expression(s)" + tally.failed_note(), err=True)
    sys.exit(tally.exit_status())
