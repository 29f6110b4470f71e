"""`dragoman events`: list stored stories, or mentions, matching filters (from the store or a batch dataset)."""

from __future__ import annotations

import sys
from typing import Any

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.output import FORMATS, emit


@main.command("events")
@click.option("--actor", help="Source or target code, name or words (substring, case-insensitive).")
@click.option("--country", help="Source or target country (ISO alpha-3).")
@click.option("--source-country")
@click.option("--target-country")
@click.option("--cameo", help="CAMEO code or prefix, e.g. 19 or 190.")
@click.option("--root", help="CAMEO root, e.g. 04.")
@click.option("--plover", help="PLOVER type, e.g. ASSAULT.")
@click.option("--quad-class", type=click.IntRange(1, 4))
@click.option("--factuality", type=click.Choice(["asserted", "reported", "historical", "predicted",
                                                 "hypothetical", "negated"]))
@click.option("--since", help="Events on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Events on or before this date (YYYY-MM-DD).")
@click.option("--article", "article_id", help="Only this article's events.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Only events at least this sure (confidence is calibrated: 0.8 means right about 8 times in 10).")
@click.option("--no-statements", is_flag=True, help="Leave out bare public statements (CAMEO root 01).")
@click.option("--mentions", "mentions", is_flag=True,
              help="List event mentions (one per coded sentence) instead of stories (one per happening).")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--offset", type=int, default=0)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--parquet", "parquet", type=click.Path(exists=True, file_okay=False), default=None,
              help="Query a `dragoman batch` dataset folder in place instead of the store.")
@click.pass_obj
def events_cmd(state: CliState, fmt: str, limit: int, offset: int, mentions: bool, parquet: str | None,
               **filters: Any) -> None:
    """List stored events: stories (one per real-world happening), or mentions with --mentions."""
    from dragoman.store import Store, StoreError
    from dragoman.store.events import EventFilter, count_mentions, query_mentions
    from dragoman.store.parquet import DatasetError, ParquetDataset
    from dragoman.store.stories import count_stories, query_stories

    query, count, noun = (query_mentions, count_mentions, "mention") if mentions else (
        query_stories, count_stories, "story(ies)")
    try:
        store = ParquetDataset(parquet) if parquet else Store(state.db, read_only=True)
        flt = EventFilter(**filters)
        rows = query(store, flt, limit=limit, offset=offset)
        total = count(store, flt)
    except (StoreError, DatasetError) as exc:
        raise click.ClickException(str(exc)) from exc
    emit(rows, fmt, sys.stdout)
    if not state.quiet:
        click.echo(f"{len(rows)} of {total} {noun}" + ("(s)" if mentions else ""), err=True)
