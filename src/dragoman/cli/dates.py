"""`dragoman dates` (list articles' time expressions) and `dragoman eval dates` (score against TIMEX gold)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, CliState, eval_group, main
from dragoman.model import Article

TABLE_COLUMNS = ("article_id", "start", "end", "type", "value", "mod", "text")


def read_articles(sources: tuple[str, ...], input_format: str, published: str | None) -> Iterator[Article | str]:
    """Articles from the sources, or error strings naming the input and the reason.

    JSON Lines (``--input-format jsonl`` or a ``.jsonl`` name): ``{"id", "text", "published" | "dct"}`` per line,
    the shape of the eval files. Anything else goes through the ingest readers.
    """
    from dragoman.ingest.sources import read_text_records

    rest: list[str] = []
    for src in sources:
        if input_format == "jsonl" or src.endswith(".jsonl"):
            for item in read_text_records(src, published):
                yield item if isinstance(item, Article) else str(item)
        else:
            rest.append(src)
    if rest:
        from dragoman.ingest.sources import read_sources

        for item in read_sources(rest, published=published):
            yield item if isinstance(item, Article) else str(item)


def _table_line(row: dict[str, Any]) -> str:
    cells = ["-" if row.get(k) is None else str(row[k]).replace("\n", " ") for k in TABLE_COLUMNS]
    return "{:<18} {:>6} {:>6} {:<8} {:<12} {:<5} {}".format(*cells)


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
    from dragoman.ingest.dates import normalise_date
    from dragoman.nlp import parse
    from dragoman.time import TimeTagger

    if published and normalise_date(published) is None:
        raise click.BadParameter(f"{published!r} is not a date (YYYY-MM-DD)", param_hint="--published")
    tagger = TimeTagger()
    failures = 0
    seen: dict[str, Article] = {}

    def items() -> Iterator[tuple[str, str]]:
        nonlocal failures
        for item in read_articles(sources, input_format, published):
            if isinstance(item, str):
                failures += 1
                click.echo(f"error: {item}", err=True)
                continue
            seen[item.article_id] = item
            yield item.article_id, item.text

    n = 0
    if fmt == "table":
        output.write(_table_line({k: k for k in TABLE_COLUMNS}) + "\n")
    for chunk in parse(items()):
        art = seen[str(chunk.key)]
        for expr in tagger.find(chunk.doc, art.published, art.article_id, chunk.offset):
            row = expr.to_dict()
            output.write((json.dumps(row, ensure_ascii=False) if fmt == "jsonl" else _table_line(row)) + "\n")
            n += 1
    if not state.quiet:
        click.echo(f"{len(seen)} article(s): {n} time expression(s)"
                   + (f"; {failures} input(s) failed" if failures else ""), err=True)
    if not seen and failures:
        sys.exit(EXIT_NOTHING_DONE)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


@eval_group.command("dates")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", type=click.Choice(["tune", "check"]), default=None,
              help="Score only the half of the records chosen by a hash of their id (default: all).")
@click.option("--pred-out", type=click.Path(dir_okay=False), help="Save the predictions (JSON Lines).")
def eval_dates(gold_file: str, split: str | None, pred_out: str | None) -> None:
    """Tag a time_*.jsonl gold file (its dct is the publication date) and print the reference scorer's figures."""
    from dragoman.evaluation.dates import evaluate, format_figures

    click.echo(format_figures(evaluate(gold_file, split=split, pred_out=pred_out)))
