"""`dragoman places`: list articles' toponyms. (`dragoman eval places|eventloc` are in
:mod:`dragoman.cli.evaluate`.)"""

from __future__ import annotations

import sys
from typing import IO

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.inputs import InputTally, read_inputs
from dragoman.cli.output import Listing

TABLE_COLUMNS = ("article_id", "start", "end", "name", "geonameid", "lat", "lon", "country", "feature", "type")
TABLE_LINE = "{:<18} {:>6} {:>6} {:<24} {:>9} {:>9} {:>10} {:<7} {:<8} {}"


@main.command("places")
@click.argument("sources", nargs=-1, required=True)
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True,
              help='jsonl: lines {"id", "text"}, id used as article_id.')
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Output file (default stdout).")
@click.option("--literal-only", is_flag=True,
              help="Only names used as places (type literal): no metonyms (\"Ankara said\"), modifiers "
                   "(\"Ghanaian officials\"), demonyms or datelines.")
@click.pass_obj
def places_cmd(state: CliState, sources: tuple[str, ...], input_format: str, fmt: str, output: IO[str],
               literal_only: bool) -> None:
    """List each article's toponyms, resolved to GeoNames places (lat/lon, country, feature precision), each
    with its type: literal, metonym, modifier, demonym or dateline."""
    from dragoman.coder import toponyms

    tally = InputTally()
    articles = tally.articles(read_inputs(sources, input_format, records_by_suffix=True))
    listing = Listing(output, fmt, TABLE_COLUMNS, TABLE_LINE)
    n = 0
    for _article, tops in toponyms(articles, all_types=not literal_only):
        n += 1
        for top in tops:
            listing.write(top.to_dict())
    if not state.quiet:
        click.echo(f"{n} article(s): {listing.rows} toponym(s)" + tally.failed_note(), err=True)
    sys.exit(tally.exit_status())
