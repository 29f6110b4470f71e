"""`dragoman ingest`, `dragoman articles [show ID]`, `dragoman export`: the article side of the CLI.

Thin by design: reading and storing is :func:`dragoman.jobs.ingest.ingest`, every query is in
:mod:`dragoman.store.articles`. Heavy imports happen inside the commands so `dragoman --help` stays fast.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, CliState, main
from dragoman.store.articles import EXPORT_TABLES

if TYPE_CHECKING:
    from dragoman.ingest.types import Failure
    from dragoman.jobs.ingest import IngestSummary
    from dragoman.store.db import Store

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _store(state: CliState, read_only: bool) -> Store:
    from dragoman.store.db import Store, StoreError

    try:
        return Store(state.db, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _day(value: Any) -> str | None:
    return value.date().isoformat() if value is not None else None


# ---------------------------------------------------------------- ingest


class _Bar:
    """A rich progress bar on stderr, one step per input."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[label]}", style="dim"),
            console=Console(stderr=True), transient=True,
        )
        self._task = self._progress.add_task("ingest", total=None, label="")

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start()

    def advance(self, label: str) -> None:
        self._progress.update(self._task, advance=1, label=label[-50:])

    def stop(self) -> None:
        self._progress.stop()


def format_summary(summary: IngestSummary, coded: bool) -> str:
    """The closing summary: what was stored, linked, left uncoded, and what failed and why."""
    lines = [
        f"ingested {summary.ingested} new article(s) from {summary.inputs} input(s)"
        + (f"; {summary.already_stored} already stored, skipped" if summary.already_stored else "")
    ]
    if summary.duplicates:
        lines.append(
            f"  duplicates: {summary.duplicates} (exact {summary.exact_duplicates}, near "
            f"{summary.near_duplicates}): stored, linked to their original, not coded"
        )
    if summary.non_english:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(summary.non_english.items()))
        lines.append(f"  non-English: {sum(summary.non_english.values())} ({langs}): stored, not coded")
    if coded:
        lines.append(f"  coded: {summary.coded} article(s), {summary.mentions} event mention(s)")
    else:
        lines.append("  not coded (--no-code): run `dragoman code` on the store later")
    if summary.changed:
        lines.append(f"  changed since stored: {len(summary.changed)} (the stored version is kept)")
        lines.extend(f"    {origin}" for origin in summary.changed)
    if summary.failures:
        lines.append(f"  failed: {len(summary.failures)}")
        lines.extend(f"    {f}" for f in summary.failures)
    return "\n".join(lines)


@main.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@click.option("--published", type=DATE, default=None,
              help="Publication date (YYYY-MM-DD) for articles whose metadata has none.")
@click.option("--allow-private", is_flag=True,
              help="Allow URLs that resolve to private, loopback or other internal addresses.")
@click.option("--code/--no-code", "code", default=True, show_default=True,
              help="Code English originals into events while ingesting.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles per transaction (default settings.INGEST_BATCH_SIZE).")
@click.pass_obj
def ingest_cmd(state: CliState, sources: tuple[str, ...], published: Any, allow_private: bool, code: bool,
               batch_size: int | None) -> None:
    """Read SOURCES into the store: .txt, .html/.htm, .jsonl, RSS/Atom feeds, .gz of those, directories
    (recursively, in sorted order) and http(s) URLs.

    Articles are deduplicated (exact copies and near copies are stored linked to their original), tagged with
    their language (only English is coded) and written in batches, so an interrupted run can simply be run
    again. Each refused input is named on stderr with the reason; the others go on.

    Exit status: 0 all read, 1 some inputs failed, 3 nothing could be read.
    """
    from dragoman import settings
    from dragoman.jobs.ingest import ingest

    store = _store(state, read_only=False)
    bar = _Bar() if not state.quiet and sys.stderr.isatty() else None

    def report(failure: Failure) -> None:
        click.echo(f"error: {failure}", err=True)

    try:
        summary = ingest(
            sources, store, published=_day(published), allow_private=allow_private, code=code,
            progress=bar, on_failure=report, batch_size=batch_size or settings.INGEST_BATCH_SIZE,
        )
    except ImportError as exc:
        raise click.ClickException(f"the event coder cannot be loaded ({exc}); use --no-code to store "
                                   "articles uncoded") from exc
    finally:
        if bar is not None:
            bar.stop()
    if not state.quiet:
        click.echo(format_summary(summary, coded=code))
    if summary.read == 0:
        if not summary.failures:
            click.echo("error: no input files of a known kind in " + ", ".join(sources), err=True)
        sys.exit(EXIT_NOTHING_DONE)
    sys.exit(EXIT_SOME_FAILED if summary.failures else EXIT_OK)


# ---------------------------------------------------------------- articles

LIST_FORMATS = click.Choice(["table", "jsonl", "csv"])


@main.group("articles", invoke_without_command=True)
@click.option("--source", default=None, help="Only this outlet (case-insensitive).")
@click.option("--since", type=DATE, default=None, help="Published on or after this date.")
@click.option("--until", type=DATE, default=None, help="Published on or before this date.")
@click.option("--language", default=None, help="Only this language (ISO 639-1, e.g. en, fr).")
@click.option("--duplicates/--no-duplicates", default=None,
              help="Only copies of other articles / only originals (default: both).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many.")
@click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
@click.pass_context
def articles_group(ctx: click.Context, source: str | None, since: Any, until: Any, language: str | None,
                   duplicates: bool | None, limit: int | None, fmt: str) -> None:
    """List stored articles (oldest first), or `articles show ID` for one article's text and metadata."""
    if ctx.invoked_subcommand is not None:
        return
    from dragoman.store import articles as queries

    store = _store(ctx.obj, read_only=True)
    rows = queries.list_articles(store, source=source, since=_day(since), until=_day(until), language=language,
                                 duplicates=duplicates, limit=limit)
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(queries.LIST_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "extra": json.dumps(row["extra"], ensure_ascii=False) if row["extra"] else ""})
    else:
        _article_table(rows)


def _article_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, pad_edge=False)
    table.add_column("id", style="cyan", overflow="fold", min_width=16, max_width=40)
    table.add_column("published", width=10)
    table.add_column("source", overflow="fold")
    table.add_column("lang", width=4)
    table.add_column("duplicate of", style="yellow", overflow="fold", min_width=16)
    table.add_column("title")
    for r in rows:
        dup = f"{r['duplicate_of']} ({r['duplicate_kind']})" if r["duplicate_of"] else ""
        table.add_row(r["article_id"], r["published"] or "", r["source"] or "", r["language"] or "", dup,
                      _clip(r["title"] or "", 60))
    # Piped output is not cut to a terminal's 80 columns.
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    click.echo(f"{len(rows)} article(s)", err=True)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@articles_group.command("show")
@click.argument("article_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def articles_show(state: CliState, article_id: str, fmt: str) -> None:
    """One stored article: its metadata, then its text as the coder reads it."""
    from dragoman.store import articles as queries

    record = queries.get_article(_store(state, read_only=True), article_id)
    if record is None:
        raise click.ClickException(f"{article_id}: no such article in {state.db or 'the store'}")
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    for key in ("article_id", "title", "published", "source", "author", "url", "language", "origin",
                "content_hash", "duplicate_of", "duplicate_kind", "coded", "mentions"):
        value = record.get(key)
        if value is not None and value != "":
            click.echo(f"{key + ':':<15} {value}")
    if record["copies"]:
        copies = ", ".join(f"{c['article_id']} ({c['duplicate_kind']}, {c['source'] or '?'})"
                           for c in record["copies"])
        click.echo(f"{'copies:':<15} {copies}")
    if record["extra"]:
        click.echo(f"{'extra:':<15} {json.dumps(record['extra'], ensure_ascii=False, sort_keys=True)}")
    click.echo("")
    click.echo(record["text"])


# ---------------------------------------------------------------- export


@main.command("export")
@click.option("--table", "table", required=True,
              type=click.Choice(list(EXPORT_TABLES)))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="Output file, or - for stdout (csv and jsonl only).")
@click.pass_obj
def export_cmd(state: CliState, table: str, fmt: str, output: str) -> None:
    """Export a whole table, rows in key order (parquet and csv via DuckDB's COPY)."""
    from dragoman.store import articles as queries

    if output == "-" and fmt == "parquet":
        raise click.UsageError("parquet is a binary file format: give an output file with -o FILE")
    store = _store(state, read_only=True)
    if output == "-":
        queries.export_table(store, table, fmt, sys.stdout.buffer)
        return
    path = Path(output)
    if path.is_dir():
        raise click.UsageError(f"{output}: is a directory; give a file name")
    queries.export_table(store, table, fmt, path)
    if not state.quiet:
        click.echo(f"exported {table} to {output} ({fmt})", err=True)
