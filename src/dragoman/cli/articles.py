"""`dragoman articles [show ID]`: list stored articles, or show one. Every query is in
:mod:`dragoman.store.articles`."""

from __future__ import annotations

import json
from typing import Any

import click

from dragoman.cli.app import DATE, CliState, iso_day, main, open_store
from dragoman.cli.output import article_lines, write_articles

LIST_FORMATS = click.Choice(["table", "jsonl", "csv"])


@main.group("articles", invoke_without_command=True)
@click.option("--source", default=None, help="Only this outlet (case-insensitive).")
@click.option("--since", type=DATE, default=None, help="Published on or after this date.")
@click.option("--until", type=DATE, default=None, help="Published on or before this date.")
@click.option("--language", default=None, help="Only this language (ISO 639-1, e.g. en, fr).")
@click.option("--duplicates/--no-duplicates", default=None,
              help="Only copies of other articles / only originals (default: both).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many.")
@click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
@click.pass_context
def articles_group(ctx: click.Context, source: str | None, since: Any, until: Any, language: str | None,
                   duplicates: bool | None, limit: int | None, fmt: str) -> None:
    """List stored articles (oldest first), or `articles show ID` for one article's text and metadata."""
    if ctx.invoked_subcommand is not None:
        return
    from dragoman.store import articles as queries

    store = open_store(ctx.obj, read_only=True)
    rows = queries.list_articles(store, source=source, since=iso_day(since), until=iso_day(until),
                                 language=language, duplicates=duplicates, limit=limit)
    write_articles(rows, fmt)


@articles_group.command("show")
@click.argument("article_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def articles_show(state: CliState, article_id: str, fmt: str) -> None:
    """One stored article: its metadata, then its text as the coder reads it."""
    from dragoman.store import articles as queries

    record = queries.get_article(open_store(state, read_only=True), article_id)
    if record is None:
        raise click.ClickException(f"{article_id}: no such article in {state.db or 'the store'}")
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    for line in article_lines(record):
        click.echo(line)
