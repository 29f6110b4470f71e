"""`dragoman feeds`: the feeds `dragoman watch` polls (add, import a YAML/OPML list, list, status, pause,
resume, remove). The feed list lives in the store (:mod:`dragoman.store.feeds`)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from dragoman.cli.app import CliState, main, open_store
from dragoman.cli.output import simple_table

if TYPE_CHECKING:
    from dragoman.store.db import Store


def _duration(text: float | None) -> str:
    if text is None:
        return "-"
    seconds = float(text)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


@main.group("feeds")
def feeds_group() -> None:
    """The feeds `dragoman watch` polls: add, import, list, status, pause, resume, remove."""


@feeds_group.command("add")
@click.argument("url")
@click.option("--every", default=None, help="How often to poll: 90s, 15m, 2h, 1d (default 15m).")
@click.option("--name", default=None, help="A short name for the feed (default: its host and path).")
@click.pass_obj
def feeds_add(state: CliState, url: str, every: str | None, name: str | None) -> None:
    """Watch the RSS/Atom feed at URL."""
    from dragoman.ingest.feedlist import feed_spec
    from dragoman.store.db import utcnow
    from dragoman.store.feeds import FeedExists, add_feed

    try:
        spec = feed_spec(url, name, every)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    try:
        add_feed(open_store(state, read_only=False), spec, utcnow())
    except FeedExists as exc:
        raise click.ClickException(str(exc)) from exc
    if not state.quiet:
        click.echo(f"watching {spec.name}: {spec.url}, every {_duration(spec.every_s)}")


@feeds_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def feeds_import(state: CliState, path: str) -> None:
    """Watch the feeds of a YAML feed list (`kind: feed-list`) or an OPML file; feeds watched already take the
    file's schedule. Nothing is imported if the file has a problem."""
    added, updated, unchanged = import_feed_list(open_store(state, read_only=False), path)
    if not state.quiet:
        click.echo(f"{added} feed(s) added, {updated} updated, {unchanged} unchanged")


def import_feed_list(store: Store, path: str) -> tuple[int, int, int]:
    """Import a feed list into the store: (added, updated, unchanged). Its problems are printed, and the command
    exits 1 without importing anything, when it has any."""
    from dragoman.ingest.feedlist import read_feed_list
    from dragoman.store.db import utcnow
    from dragoman.store.feeds import FeedExists, import_feeds

    specs, problems = read_feed_list(path)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        sys.exit(1)
    try:
        added, updated = import_feeds(store, specs, utcnow())
    except FeedExists as exc:
        raise click.ClickException(str(exc)) from exc
    return added, updated, len(specs) - added - updated


@feeds_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_obj
def feeds_list(state: CliState, fmt: str) -> None:
    """The watched feeds: name, URL, schedule, and why a paused one is paused."""
    from dragoman.store.feeds import list_feeds

    feeds = list_feeds(open_store(state))
    if fmt == "jsonl":
        for feed in feeds:
            click.echo(json.dumps({k: feed[k] for k in ("name", "url", "every_s", "paused", "paused_reason",
                                                       "added_at")}, ensure_ascii=False))
        return
    simple_table(["name", "every", "url", "state"],
           [[f["name"], _duration(f["every_s"]), f["url"],
             f"paused: {f['paused_reason']}" if f["paused"] else "watching"] for f in feeds])
    click.echo(f"{len(feeds)} feed(s)", err=True)


@feeds_group.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_obj
def feeds_status(state: CliState, fmt: str) -> None:
    """Each feed's last poll (when, answer, new/duplicate/failed items, coded mentions), its totals and when it
    is next due."""
    from dragoman.store.feeds import list_feeds

    feeds = list_feeds(open_store(state))
    if fmt == "jsonl":
        for feed in feeds:
            click.echo(json.dumps(feed, ensure_ascii=False, sort_keys=True))
        return
    rows = []
    for f in feeds:
        last = f["last_poll"] or {}
        polled = f["last_polled"] or "never"
        last_counts = (f"{last.get('new', 0)}/{last.get('duplicate', 0)}/{last.get('failed', 0)}/"
                       f"{last.get('mentions', 0)}") if last else "-"
        totals = f"{f['items_new']}/{f['items_duplicate']}/{f['items_failed']}/{f['mentions']}"
        answer = f["last_status"] or "-"
        next_due = "paused" if f["paused"] else (f["next_due"] or "now")
        rows.append([f["name"], polled, answer, last_counts, totals, str(f["failures"]), next_due])
    simple_table(["name", "last poll", "answer", "last new/dup/failed/mentions", "total", "failures", "next"], rows)
    for f in feeds:
        if f["paused"]:
            click.echo(f"paused {f['name']}: {f['paused_reason']}", err=True)


@feeds_group.command("pause")
@click.argument("feed")
@click.option("--reason", default="paused by hand", show_default=True)
@click.pass_obj
def feeds_pause(state: CliState, feed: str, reason: str) -> None:
    """Stop polling FEED (a name or URL) until it is resumed."""
    from dragoman.store.db import utcnow
    from dragoman.store.feeds import set_paused

    if set_paused(open_store(state, read_only=False), feed, reason, utcnow()) is None:
        raise click.ClickException(f"no feed {feed!r}")


@feeds_group.command("resume")
@click.argument("feed")
@click.pass_obj
def feeds_resume(state: CliState, feed: str) -> None:
    """Poll FEED (a name or URL) again, at once, its failures forgotten."""
    from dragoman.store.db import utcnow
    from dragoman.store.feeds import set_paused

    if set_paused(open_store(state, read_only=False), feed, None, utcnow()) is None:
        raise click.ClickException(f"no feed {feed!r}")


@feeds_group.command("remove")
@click.argument("feed")
@click.pass_obj
def feeds_remove(state: CliState, feed: str) -> None:
    """Stop watching FEED (a name or URL). Its articles stay in the store."""
    from dragoman.store.feeds import remove_feed

    name = remove_feed(open_store(state, read_only=False), feed)
    if name is None:
        raise click.ClickException(f"no feed {feed!r}")
    if not state.quiet:
        click.echo(f"removed {name}")

