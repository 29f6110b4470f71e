"""The `dragoman` command group, what every command shares (the store option, the exit codes, the date type),
and how a command opens the store. Commands live in sibling modules, one per command group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import click

from dragoman.version import __version__

if TYPE_CHECKING:
    from dragoman.store.db import Store

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # the batch ran, but some inputs were refused (each named on stderr)
EXIT_USAGE = 2  # bad options or arguments (click's own convention)
EXIT_NOTHING_DONE = 3  # no input could be read at all

DATE = click.DateTime(formats=["%Y-%m-%d"])


@dataclass
class CliState:
    db: str | None
    quiet: bool


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dragoman")
@click.option("--db", type=click.Path(dir_okay=False), default=None, envvar="DRAGOMAN_DB",
              help="Store file (default ./dragoman.duckdb, or $DRAGOMAN_DB).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary; errors still go to stderr.")
@click.pass_context
def main(ctx: click.Context, db: str | None, quiet: bool) -> None:
    """Dragoman: code news articles into political events (CAMEO and PLOVER), with evidence."""
    ctx.obj = CliState(db=db, quiet=quiet)


def input_status(done: int, refused: int, *, nothing_done_if_empty: bool = False) -> int:
    """The exit status of a command that reads inputs: 0 all read, 1 some refused (each already named on
    stderr), 3 nothing done: none ``done`` and some refused (or, with ``nothing_done_if_empty``, none done at
    all). ``done`` counts what the command got out of its inputs (articles read, claims found)."""
    if done == 0 and (refused or nothing_done_if_empty):
        return EXIT_NOTHING_DONE
    return EXIT_SOME_FAILED if refused else EXIT_OK


def open_store(state: CliState, read_only: bool = True) -> Store:
    """The store named by ``--db`` (or the default); a store that cannot be opened is a one-line error."""
    from dragoman.store.db import Store, StoreError

    try:
        return Store(state.db, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def iso_day(value: datetime | None) -> str | None:
    """A :data:`DATE` option's value as ``YYYY-MM-DD``."""
    return value.date().isoformat() if value is not None else None
