"""`dragoman lexicon validate`: check actor, trigger and CAMEO lexicon files, every problem by file and line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dragoman.cli.app import EXIT_OK, EXIT_SOME_FAILED, main


@main.group("lexicon")
def lexicon_group() -> None:
    """Check lexicon and data files (actors, triggers, CAMEO table, time, geo, word lists, ...)."""


@lexicon_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def lexicon_validate(files: tuple[str, ...]) -> None:
    """Report every problem of each lexicon or data file (read as the kind it declares) by file and line; exit 1
    if any."""
    from dragoman.coder.validate import validate_file

    bad = 0
    for f in files:
        problems = validate_file(Path(f))
        for p in problems:
            click.echo(str(p))
        bad += bool(problems)
        if not problems:
            click.echo(f"{f}: ok", err=True)
    sys.exit(EXIT_SOME_FAILED if bad else EXIT_OK)
