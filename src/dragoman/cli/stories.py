"""`dragoman story ID`: one story explained. Clustering is :mod:`dragoman.analysis.stories`, the query
:mod:`dragoman.store.stories`."""

from __future__ import annotations

import json

import click

from dragoman.cli.app import CliState, main, open_store
from dragoman.cli.output import story_lines


@main.command("story")
@click.argument("story_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def story_cmd(state: CliState, story_id: str, fmt: str) -> None:
    """One story: its best-attested fields, and each mention with why it joined."""
    from dragoman.store.stories import get_story

    story = get_story(open_store(state), story_id)
    if story is None:
        raise click.ClickException(f"no story {story_id!r}")
    if fmt == "json":
        click.echo(json.dumps(story, ensure_ascii=False, indent=1))
        return
    for line in story_lines(story):
        click.echo(line)
