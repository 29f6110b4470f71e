"""`dragoman demo`: ingest the bundled sample articles and show what was found — the first thing a newcomer runs."""

from __future__ import annotations

import sys

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.output import emit, ingest_summary


@main.command("demo")
@click.option("--limit", type=int, default=25, show_default=True, help="Event mentions to show.")
@click.pass_obj
def demo_cmd(state: CliState, limit: int) -> None:
    """Ingest and code the sample articles shipped with Dragoman into the store, then show the events."""
    from rich.console import Console

    from dragoman.jobs.ingest import ingest
    from dragoman.paths import SAMPLES_DIR
    from dragoman.store import Store
    from dragoman.store.events import EventFilter, count_mentions, query_mentions

    console = Console(stderr=False)
    store = Store(state.db)
    console.print(f"[bold]Dragoman demo[/bold]: ingesting the sample articles in {SAMPLES_DIR} into {store.path}")
    summary = ingest([SAMPLES_DIR], store, on_failure=lambda f: click.echo(f"error: {f}", err=True))
    click.echo(ingest_summary(summary, coded=True))
    total = count_mentions(store)
    rows = query_mentions(store, EventFilter(), limit=limit)
    click.echo(f"\n{total} event mention(s) stored; the first {len(rows)}:")
    emit(rows, "table", sys.stdout)
    db = store.path
    click.echo(
        f"\nNext: `dragoman --db {db} events --country IRQ`, `dragoman --db {db} articles`, "
        f"`dragoman --db {db} export --format gdelt -o events.tsv` (or icews, plover), "
        f"`dragoman --db {db} aggregate --by country --period month`."
    )
    click.echo(f"Dashboard: run `dragoman --db {db} serve` and open http://127.0.0.1:8000/ in a browser.")
