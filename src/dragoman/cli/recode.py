"""`dragoman recode [ARTICLE_ID...]`: code stored articles again (the job is :mod:`dragoman.jobs.recode`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from dragoman.cli.app import CliState, input_status, main, open_store

if TYPE_CHECKING:
    from dragoman.ingest.types import Failure


@main.command("recode")
@click.argument("article_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True,
              help="Re-code every original English article (after a lexicon or coder change).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles per transaction (default settings.INGEST_BATCH_SIZE).")
@click.option("--stories", "stories_only", is_flag=True,
              help="Re-code nothing: re-assign every stored mention to stories with the current rules (after "
                   "an upgrade or a change of the STORY_* settings); story ids are kept where membership allows.")
@click.pass_obj
def recode_cmd(state: CliState, article_ids: tuple[str, ...], everything: bool, batch_size: int | None,
               stories_only: bool) -> None:
    """Code stored articles again, replacing their mentions and re-assigning their stories: the ARTICLE_IDs
    given, or with --all every original English article; by default those never coded (`ingest --no-code`) or
    whose coding failed.

    Exit status: 0 all coded, 1 some were refused (each named on stderr), 3 none could be coded.
    """
    from dragoman import settings
    from dragoman.jobs.recode import recode

    if everything and article_ids:
        raise click.UsageError("give ARTICLE_IDs or --all, not both")
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

    try:
        summary = recode(store, list(article_ids) or None, everything=everything, on_failure=report,
                         batch_size=batch_size or settings.INGEST_BATCH_SIZE)
    except ImportError as exc:
        raise click.ClickException(f"the event coder cannot be loaded ({exc})") from exc
    if not state.quiet:
        click.echo(f"recoded {summary.coded} article(s): {summary.mentions} event mention(s)"
                   + (f"; {len(summary.failures)} failed" if summary.failures else ""))
    sys.exit(input_status(summary.coded, len(summary.failures)))
