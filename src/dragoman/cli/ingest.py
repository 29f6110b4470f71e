"""`dragoman ingest`: read sources into the store, deduplicated, language-tagged and coded.

Thin by design: reading and storing is :func:`dragoman.jobs.ingest.ingest`. Heavy imports happen inside the
commands so `dragoman --help` stays fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from dragoman.cli.app import DATE, CliState, input_status, iso_day, main, open_store
from dragoman.cli.output import IngestProgress, ingest_summary

if TYPE_CHECKING:
    from dragoman.ingest.types import Failure


@main.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@click.option("--published", type=DATE, default=None,
              help="Publication date (YYYY-MM-DD) for articles whose metadata has none.")
@click.option("--allow-private", is_flag=True,
              help="Allow URLs that resolve to private, loopback or other internal addresses.")
@click.option("--code/--no-code", "code", default=True, show_default=True,
              help="Code English originals into events while ingesting.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles per transaction and coding process (default settings.INGEST_BATCH_SIZE; "
                   "settings.INGEST_PARALLEL_BATCH_SIZE when several processes code).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that code (default: every core when the input files add up to "
                   "settings.PARALLEL_MIN_INPUT_BYTES or more, else 1).")
@click.pass_obj
def ingest_cmd(state: CliState, sources: tuple[str, ...], published: Any, allow_private: bool, code: bool,
               batch_size: int | None, workers: int | None) -> None:
    """Read SOURCES into the store: .txt, .html/.htm, .jsonl, RSS/Atom feeds, .gz of those, directories
    (recursively, in sorted order) and http(s) URLs.

    Articles are deduplicated (exact copies and near copies are stored linked to their original), tagged with
    their language (only English is coded) and written in batches, so an interrupted run can simply be run
    again. Each refused input is named on stderr with the reason; the others go on.

    Exit status: 0 all read, 1 some inputs failed, 3 nothing could be read.
    """
    from dragoman.jobs.ingest import ingest
    from dragoman.jobs.parallel import input_bytes, workers_for

    store = open_store(state, read_only=False)
    bar = IngestProgress() if not state.quiet and sys.stderr.isatty() else None

    def report(failure: Failure) -> None:
        click.echo(f"error: {failure}", err=True)

    try:
        summary = ingest(
            sources, store, published=iso_day(published), allow_private=allow_private, code=code,
            progress=bar, on_failure=report, batch_size=batch_size,
            workers=workers_for(workers, input_bytes(sources)) if code else 1,
        )
    except ImportError as exc:
        raise click.ClickException(f"the event coder cannot be loaded ({exc}); use --no-code to store "
                                   "articles uncoded") from exc
    except ValueError as exc:  # the job refuses a --published it cannot use (not a date, or out of range)
        raise click.BadParameter(str(exc), param_hint="--published") from exc
    finally:
        if bar is not None:
            bar.stop()
    if not state.quiet:
        click.echo(ingest_summary(summary, coded=code))
    if summary.read == 0 and not summary.failures:
        click.echo("error: no input files of a known kind in " + ", ".join(sources), err=True)
    sys.exit(input_status(summary.read, len(summary.failures), nothing_done_if_empty=True))
