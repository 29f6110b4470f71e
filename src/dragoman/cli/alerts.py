"""`dragoman alert`: saved story queries that `dragoman watch` checks after each poll (add, list, hits, check,
remove). The alerts live in the store (:mod:`dragoman.store.alerts`); checking and delivery is
:mod:`dragoman.jobs.alerts`."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from dragoman.cli.app import CliState, main, open_store
from dragoman.cli.filters import event_filter_options, pop_filter


@main.group("alert")
def alert_group() -> None:
    """Saved queries: each new story that matches one is reported once (stdout, a file, a webhook)."""


@alert_group.command("add")
@click.argument("name")
@event_filter_options()
@click.option("--to-file", "to_file", type=click.Path(dir_okay=False), default=None,
              help="Append each hit to this file as a JSON line.")
@click.option("--webhook", default=None, help="POST each hit as JSON to this http(s) URL.")
@click.option("--allow-private", is_flag=True,
              help="Let the webhook be at a private, loopback or other internal address.")
@click.option("--stdout/--no-stdout", "to_stdout", default=None,
              help="Print each hit on `watch`'s stdout (default: on unless --to-file or --webhook).")
@click.pass_obj
def alert_add(state: CliState, name: str, to_file: str | None, webhook: str | None, allow_private: bool,
              to_stdout: bool | None, **filters: Any) -> None:
    """Save the alert NAME: any `dragoman events` filter over stories. Stories that match now are its baseline;
    it fires for each story that comes to match later, once."""
    from dragoman.ingest.feedlist import check_feed_url, check_name
    from dragoman.store.alerts import Alert, AlertExists, add_alert
    from dragoman.store.db import utcnow

    try:
        name = check_name(name, "alert")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from exc
    flt = pop_filter(filters)
    if webhook is not None:
        try:
            webhook = check_feed_url(webhook)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--webhook") from exc
    stdout = to_stdout if to_stdout is not None else not (to_file or webhook)
    if not (stdout or to_file or webhook):
        raise click.UsageError("the alert has nowhere to go: give --stdout, --to-file or --webhook")
    alert = Alert(name=name, filter=flt, to_stdout=stdout, to_file=to_file, webhook=webhook,
                  allow_private=allow_private)
    try:
        baseline = add_alert(open_store(state, read_only=False), alert, utcnow())
    except AlertExists as exc:
        raise click.ClickException(str(exc)) from exc
    if not state.quiet:
        click.echo(f"alert {name}: {baseline} stories match already (not reported); each new one will be "
                   f"reported to {', '.join(alert.outputs())}")


@alert_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_obj
def alert_list(state: CliState, fmt: str) -> None:
    """The alerts: their filter, outputs, hits and latest hit."""
    from dragoman.cli.output import simple_table
    from dragoman.store.alerts import filter_dict, list_alerts

    alerts = list_alerts(open_store(state), latest=1)
    if fmt == "jsonl":
        for alert in alerts:
            click.echo(json.dumps(alert.to_dict(), ensure_ascii=False, sort_keys=True))
        return
    rows = []
    for a in alerts:
        latest = a.latest[0] if a.latest else None
        rows.append([a.name, json.dumps(filter_dict(a.filter), ensure_ascii=False), ", ".join(a.outputs()),
                     str(a.hits), f"{latest['fired_at']} {latest['story_id']}" if latest else "-"])
    simple_table(["name", "filter", "to", "hits", "latest"], rows)


@alert_group.command("hits")
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.pass_obj
def alert_hits_cmd(state: CliState, name: str, limit: int) -> None:
    """NAME's hits, newest first, as JSON Lines (the story as it was when it fired)."""
    from dragoman.store.alerts import alert_hits, get_alert

    store = open_store(state)
    if get_alert(store, name) is None:
        raise click.ClickException(f"no alert {name!r}")
    for hit in alert_hits(store, name, limit):
        click.echo(json.dumps({"alert": name, **hit}, ensure_ascii=False, sort_keys=True))


@alert_group.command("check")
@click.argument("names", nargs=-1)
@click.pass_obj
def alert_check(state: CliState, names: tuple[str, ...]) -> None:
    """Check the alerts (all, or NAMES) now, outside `watch` (after an `ingest`, from cron): new hits are
    delivered, and those owed from before retried."""
    from dragoman.jobs.alerts import check_alerts, deliver_owed, hit_line
    from dragoman.store.alerts import get_alert

    store = open_store(state, read_only=False)
    for name in names:
        if get_alert(store, name) is None:
            raise click.ClickException(f"no alert {name!r}")

    def emit(hit: dict[str, Any]) -> None:
        sys.stdout.write(hit_line(hit) + "\n")

    deliver_owed(store, emit)
    fired = check_alerts(store, emit, names=list(names) or None)
    if not state.quiet:
        click.echo(f"{fired} new hit(s)", err=True)


@alert_group.command("remove")
@click.argument("name")
@click.pass_obj
def alert_remove(state: CliState, name: str) -> None:
    """Delete the alert NAME and its hits."""
    from dragoman.store.alerts import remove_alert

    if not remove_alert(open_store(state, read_only=False), name):
        raise click.ClickException(f"no alert {name!r}")
