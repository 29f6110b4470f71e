"""`dragoman watch`: poll the watched feeds until stopped, storing and coding what is new, firing alerts.

The job is :class:`dragoman.jobs.watch.Watcher`. SIGTERM or Ctrl-C stops it after the article in hand (a second
Ctrl-C ends it at once, losing nothing committed). Status lines go to stderr, alert hits to stdout as JSON Lines.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

from dragoman.cli.app import CliState, main, open_store


@main.command("watch")
@click.option("--feeds", "feed_list", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Import this YAML/OPML feed list first (as `feeds import`).")
@click.option("--once", is_flag=True, help="Poll each feed that is due once, then stop.")
@click.option("--for", "duration", default=None, help="Stop after this long (90s, 15m, 2h).")
@click.option("--allow-private", is_flag=True,
              help="Allow feeds and pages at private, loopback or other internal addresses.")
@click.option("--host-interval", type=click.FloatRange(min=0), default=None,
              help="Seconds between two requests to one host (default settings.WATCH_HOST_INTERVAL_S; a "
                   "robots.txt Crawl-delay asks for longer).")
@click.option("--host-concurrency", type=click.IntRange(min=1), default=None,
              help="Requests in flight to one host at once (default settings.WATCH_HOST_CONCURRENCY).")
@click.option("--timeout", "fetch_timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds one fetch may take in all (default settings.FETCH_TIMEOUT_S).")
@click.option("--code/--no-code", "code", default=True, show_default=True,
              help="Code English originals into events as they arrive.")
@click.option("--alerts/--no-alerts", "alerts", default=True, show_default=True,
              help="Check the saved alerts after each poll that stored something.")
@click.pass_obj
def watch_cmd(state: CliState, feed_list: str | None, once: bool, duration: str | None, allow_private: bool,
              host_interval: float | None, host_concurrency: int | None, fetch_timeout: float | None,
              code: bool, alerts: bool) -> None:
    """Poll the watched feeds (`dragoman feeds add`) on their schedules: fetch new items' pages politely
    (robots.txt, conditional GET, a pace per host, backoff on errors), store, deduplicate and code them, update
    stories, and fire alerts (`dragoman alert add`).

    One status line per poll goes to stderr; alert hits go to stdout as JSON Lines.

    Exit status: 0 done (or stopped by a signal), 1 a feed list with problems, 2 usage.
    """
    from dragoman.cli.feeds import import_feed_list
    from dragoman.ingest.feedlist import parse_duration
    from dragoman.jobs.watch import Watcher, WatchOptions

    seconds = None
    if duration is not None:
        try:
            seconds = parse_duration(duration)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--for") from exc
    store = open_store(state, read_only=False)
    if feed_list is not None:
        import_feed_list(store, feed_list)

    def report(poll: Any) -> None:
        if not state.quiet:
            click.echo(f"watch: {poll.line()}", err=True)

    def failure(f: Any) -> None:
        click.echo(f"error: {f}", err=True)

    def emit(hit: dict[str, Any]) -> None:
        from dragoman.jobs.alerts import hit_line

        sys.stdout.write(hit_line(hit) + "\n")
        sys.stdout.flush()

    options = WatchOptions(allow_private=allow_private, host_interval=host_interval,
                           host_concurrency=host_concurrency, fetch_timeout=fetch_timeout, code=code,
                           alerts=alerts)
    watcher = Watcher(store, options, on_report=report, on_alert=emit, on_failure=failure)
    interrupted = {"count": 0}

    def on_signal(signum: int, _frame: Any) -> None:
        interrupted["count"] += 1
        if interrupted["count"] > 1 and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: now (what is committed stays)
        if not state.quiet:
            click.echo(f"watch: {signal.Signals(signum).name}: stopping after the article in hand", err=True)
        watcher.stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        summary = watcher.run(once=once, duration=seconds)
    except KeyboardInterrupt:
        click.echo("watch: interrupted", err=True)
        sys.exit(130)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not state.quiet:
        click.echo(f"watch: {summary.polls} poll(s), {summary.new} new, {summary.duplicate} duplicate, "
                   f"{summary.failed} failed, {summary.mentions} mentions coded, {summary.alerts_fired} alert "
                   f"hit(s), {summary.requests} request(s)" + (" · stopped" if summary.stopped else ""), err=True)
