"""`dragoman lexicon validate`: check actor, trigger and CAMEO lexicon files, every problem by file and line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dragoman.cli.app import EXIT_OK, EXIT_SOME_FAILED, main


@main.group("lexicon")
def lexicon_group() -> None:
    """Check actor and trigger lexicon files."""


@lexicon_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def lexicon_validate(files: tuple[str, ...]) -> None:
    """Report every problem of each lexicon file by file and line; exit 1 if any."""
    from dragoman.actors.lexicon import validate_file as validate_actor_file
    from dragoman.events.lexicon import is_trigger_lexicon, validate_cameo_file, validate_trigger_file

    bad = 0
    for f in files:
        path = Path(f)
        if path.suffix == ".tsv" and path.read_text(encoding="utf-8", errors="replace").startswith("code\t"):
            problems = validate_cameo_file(path)
        elif path.suffix in (".yaml", ".yml") and is_trigger_lexicon(path):
            problems = validate_trigger_file(path)
        else:
            problems = validate_actor_file(path)
        for p in problems:
            click.echo(str(p))
        bad += bool(problems)
        if not problems:
            click.echo(f"{f}: ok", err=True)
    sys.exit(EXIT_SOME_FAILED if bad else EXIT_OK)
