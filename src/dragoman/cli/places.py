"""`dragoman places` (list articles' toponyms) and `dragoman eval places|eventloc` (score against gold)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, CliState, eval_group, main
from dragoman.model import Article

TABLE_COLUMNS = ("article_id", "start", "end", "name", "geonameid", "lat", "lon", "country", "feature")


def read_articles(sources: tuple[str, ...], input_format: str) -> Iterator[Article | str]:
    """Articles from the sources (JSON Lines ``{"id", "text"}``, or anything the ingest readers take)."""
    from dragoman.ingest.sources import read_text_records

    rest: list[str] = []
    for src in sources:
        if input_format == "jsonl" or src.endswith(".jsonl"):
            for item in read_text_records(src):
                yield item if isinstance(item, Article) else str(item)
        else:
            rest.append(src)
    if rest:
        from dragoman.ingest.sources import read_sources

        for item in read_sources(rest):
            yield item if isinstance(item, Article) else str(item)


def _table_line(row: dict[str, Any]) -> str:
    cells = ["-" if row.get(k) is None else str(row[k]).replace("\n", " ") for k in TABLE_COLUMNS]
    return "{:<18} {:>6} {:>6} {:<24} {:>9} {:>9} {:>10} {:<7} {}".format(*cells)


@main.command("places")
@click.argument("sources", nargs=-1, required=True)
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True,
              help='jsonl: lines {"id", "text"}, id used as article_id.')
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Output file (default stdout).")
@click.pass_obj
def places_cmd(state: CliState, sources: tuple[str, ...], input_format: str, fmt: str, output: IO[str]) -> None:
    """List each article's toponyms, resolved to GeoNames places (lat/lon, country, feature precision)."""
    from dragoman.geo import PlaceTagger
    from dragoman.nlp import parse

    tagger = PlaceTagger()
    failures = 0
    seen: set[str] = set()

    def items() -> Iterator[tuple[str, str]]:
        nonlocal failures
        for item in read_articles(sources, input_format):
            if isinstance(item, str):
                failures += 1
                click.echo(f"error: {item}", err=True)
                continue
            seen.add(item.article_id)
            yield item.article_id, item.text

    n = 0
    if fmt == "table":
        output.write(_table_line({k: k for k in TABLE_COLUMNS}) + "\n")
    for chunk in parse(items()):
        for top in tagger.find(chunk.doc, str(chunk.key), offset=chunk.offset):
            row = top.to_dict()
            output.write((json.dumps(row, ensure_ascii=False) if fmt == "jsonl" else _table_line(row)) + "\n")
            n += 1
    if not state.quiet:
        click.echo(f"{len(seen)} article(s): {n} toponym(s)" + (f"; {failures} input(s) failed" if failures else ""),
                   err=True)
    if not seen and failures:
        sys.exit(EXIT_NOTHING_DONE)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


_SPLIT = click.option("--split", type=click.Choice(["tune", "check"]), default=None,
                      help="Score only the half of the records chosen by a hash of their id (default: all).")
_PRED_OUT = click.option("--pred-out", type=click.Path(dir_okay=False), help="Save the predictions (JSON Lines).")


@eval_group.command("places")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))
@_SPLIT
@_PRED_OUT
def eval_places(gold_file: str, split: str | None, pred_out: str | None) -> None:
    """Find toponyms in a geo_*.jsonl gold file and print the reference scorer's figures."""
    from dragoman.evaluation.places import evaluate

    click.echo(json.dumps(evaluate("places", gold_file, split=split, pred_out=pred_out), indent=1))


@eval_group.command("eventloc")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))
@_SPLIT
@_PRED_OUT
def eval_eventloc(gold_file: str, split: str | None, pred_out: str | None) -> None:
    """Locate the events of an eventloc_*.jsonl gold file and print the reference scorer's figures."""
    from dragoman.evaluation.places import evaluate

    click.echo(json.dumps(evaluate("eventloc", gold_file, split=split, pred_out=pred_out), indent=1))
