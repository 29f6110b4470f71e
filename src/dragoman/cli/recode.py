"""`dragoman recode [ARTICLE_ID...]`: code stored articles again (the job is :mod:`dragoman.jobs.recode`)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

import click

from dragoman.cli.app import DATE, CliState, input_status, iso_day, main, open_store

if TYPE_CHECKING:
    from dragoman.ingest.types import Failure
    from dragoman.jobs.recode import RecodeSummary


@main.command("recode")
@click.argument("article_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True,
              help="Every original English article the current coder and lexicons have not coded yet (after an "
                   "upgrade or a lexicon change; run it again after an interruption and it goes on).")
@click.option("--force", is_flag=True, help="With --all: code every article again, even those already current.")
@click.option("--source", default=None, help="Only this outlet's articles (case-insensitive).")
@click.option("--since", type=DATE, default=None, help="Only articles published on or after this date.")
@click.option("--until", type=DATE, default=None, help="Only articles published on or before this date.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles per transaction (default settings.INGEST_BATCH_SIZE).")
@click.option("--stories", "stories_only", is_flag=True,
              help="Re-code nothing: re-assign every stored mention to stories with the current rules (after "
                   "an upgrade or a change of the STORY_* settings); story ids are kept where membership allows.")
@click.pass_obj
def recode_cmd(state: CliState, article_ids: tuple[str, ...], everything: bool, force: bool, source: str | None,
               since: datetime | None, until: datetime | None, batch_size: int | None, stories_only: bool) -> None:
    """Code stored articles again, replacing their mentions and re-assigning their stories: the ARTICLE_IDs
    given, or with --all every original English article; by default those never coded (`ingest --no-code`:
    store now, code later) or whose coding failed. --source, --since and --until narrow any of these.

    Each batch is its own transaction, so an interrupted run keeps what it finished. The summary says how the
    mentions changed (added, removed, recoded, unchanged); each new mention records the coder that coded its
    article before (`coder.previous`).

    Exit status: 0 all coded, 1 some were refused (each named on stderr), 3 none could be coded.
    """
    from dragoman import settings
    from dragoman.jobs.recode import recode

    if everything and article_ids:
        raise click.UsageError("give ARTICLE_IDs or --all, not both")
    if force and not everything:
        raise click.UsageError("--force goes with --all")
    store = open_store(state, read_only=False)
    if stories_only:
        if everything or article_ids:
            raise click.UsageError("--stories re-assigns every story: give no ARTICLE_IDs nor --all")
        from dragoman.jobs.stories import assign_stories

        written = assign_stories(store)
        if not state.quiet:
            click.echo(f"re-assigned every mention: {written} story(ies)")
        return

    def report(failure: Failure) -> None:
        click.echo(f"error: {failure}", err=True)

    def progress(summary: RecodeSummary) -> None:
        if not state.quiet and sys.stderr.isatty():
            click.echo(f"\r{summary.coded + len(summary.failures)}/{summary.selected} article(s)", err=True, nl=False)

    try:
        summary = recode(store, list(article_ids) or None, everything=everything, force=force, source=source,
                         since=iso_day(since), until=iso_day(until), on_failure=report, on_batch=progress,
                         batch_size=batch_size or settings.INGEST_BATCH_SIZE)
    except ImportError as exc:
        raise click.ClickException(f"the event coder cannot be loaded ({exc})") from exc
    if not state.quiet:
        if sys.stderr.isatty() and summary.selected:
            click.echo("", err=True)
        click.echo(f"recoded {summary.coded} of {summary.selected} article(s): {summary.mentions} event mention(s) "
                   f"({summary.added} added, {summary.removed} removed, {summary.recoded} recoded, "
                   f"{summary.unchanged} unchanged)"
                   + (f"; {len(summary.failures)} failed" if summary.failures else ""))
    sys.exit(input_status(summary.coded, len(summary.failures)))
