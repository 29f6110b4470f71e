"""The `dragoman` command group and the options every command shares. Commands live in sibling modules."""

from __future__ import annotations

from dataclasses import dataclass

import click

from dragoman.version import __version__

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # the batch ran, but some inputs were refused (each named on stderr)
EXIT_USAGE = 2  # bad options or arguments (click's own convention)
EXIT_NOTHING_DONE = 3  # no input could be read at all


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


@main.group("eval")
def eval_group() -> None:
    """Score Dragoman against a gold file with the reference scorer's rules."""
