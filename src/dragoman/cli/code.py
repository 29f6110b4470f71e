"""`dragoman code`, `dragoman events`, `dragoman lexicon validate`, `dragoman eval events|seed`."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, CliState, eval_group, main
from dragoman.model import Article

FORMATS = click.Choice(["jsonl", "table", "csv"])
CSV_COLUMNS = (
    "id", "article_id", "source", "target", "cameo", "cameo_root", "plover", "plover_mode", "quad_class",
    "goldstein", "date_start", "date_end", "date_precision", "location", "location_country", "factuality",
    "confidence", "trigger", "sentence",
)


def read_inputs(sources: Iterable[str], input_format: str, published: str | None,
                allow_private: bool = False) -> Iterator[Article | str]:
    """Articles from the sources (or error strings naming the input and the reason)."""
    from dragoman.ingest.sources import read_sources, read_text_records

    if input_format == "jsonl":
        for src in sources:
            for item in read_text_records(src, published):
                yield item if isinstance(item, Article) else str(item)
        return

    for item in read_sources(list(sources), published=published, allow_private=allow_private):
        yield item if isinstance(item, Article) else str(item)


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    return a.get("code") or a.get("name") or "-"


def flat_row(r: dict[str, Any]) -> dict[str, Any]:
    d = r.get("date") or {}
    loc = r.get("location") or {}
    ev = r.get("evidence") or {}
    return {
        "id": r["id"], "article_id": r["article_id"], "source": _actor_label(r.get("source")),
        "target": _actor_label(r.get("target")), "cameo": r["cameo"], "cameo_root": r["cameo_root"],
        "plover": r["plover"], "plover_mode": r.get("plover_mode"), "quad_class": r["quad_class"],
        "goldstein": r["goldstein"], "date_start": d.get("start"), "date_end": d.get("end"),
        "date_precision": d.get("precision"), "location": loc.get("name"), "location_country": loc.get("country"),
        "factuality": r["factuality"], "confidence": r.get("confidence"), "trigger": ev.get("trigger"),
        "sentence": ev.get("sentence"),
    }


def emit(records: Iterable[dict[str, Any]], fmt: str, out) -> int:
    """Write records as JSON Lines, CSV or a readable table; returns how many were written."""
    n = 0
    if fmt == "jsonl":
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for r in records:
            writer.writerow(flat_row(r))
            n += 1
        return n
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("date", "source", "event", "target", "where", "fact.", "evidence"):
        table.add_column(col, overflow="fold")
    for r in records:
        f = flat_row(r)
        date = f["date_start"] if f["date_start"] == f["date_end"] else f"{f['date_start']}..{f['date_end']}"
        event = f"{f['cameo']} {f['plover']}"
        where = f["location"] or "-"
        evidence = f"[{f['trigger']}] {f['sentence'][:140]}"
        table.add_row(str(date), f["source"], event, f["target"], where, f["factuality"], evidence)
        n += 1
    Console(file=out, width=200 if not out.isatty() else None).print(table)
    return n


@main.command("code")
@click.argument("sources", nargs=-1, required=True)
@click.option("--published", help="Publication date (YYYY-MM-DD) for articles that carry none.")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True,
              help="jsonl: lines {id, text, published}, id used as article_id.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Extra actor or trigger lexicon file, merged over the built-in ones (repeatable).")
@click.option("--batch-size", type=int, default=None, help="spaCy batch size.")
@click.option("--events-per-sentence", type=click.IntRange(min=1), default=None,
              help="Distinct events kept per sentence, best first (default settings.MAX_EVENTS_PER_SENTENCE).")
@click.option("--allow-private", is_flag=True, help="Allow URLs that resolve to private/loopback addresses.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Output file (default stdout).")
@click.pass_obj
def code_cmd(state: CliState, sources: tuple[str, ...], published: str | None, input_format: str, fmt: str,
             lexicons: tuple[str, ...], batch_size: int | None, events_per_sentence: int | None,
             allow_private: bool, output) -> None:
    """Code articles into event mentions without storing them."""
    from dragoman import settings
    from dragoman.ingest.dates import normalise_date
    from dragoman.pipeline import Coder

    if published and normalise_date(published) is None:
        raise click.BadParameter(f"{published!r} is not a date (YYYY-MM-DD)", param_hint="--published")
    coder = Coder(extra_lexicons=lexicons, batch_size=batch_size or settings.NLP_BATCH_SIZE,
                  max_events_per_sentence=events_per_sentence or settings.MAX_EVENTS_PER_SENTENCE)
    failures = 0
    articles_seen = 0

    def articles() -> Iterator[Article]:
        nonlocal failures, articles_seen
        for item in read_inputs(sources, input_format, published, allow_private):
            if isinstance(item, str):
                failures += 1
                click.echo(f"error: {item}", err=True)
                continue
            articles_seen += 1
            yield item

    def records() -> Iterator[dict[str, Any]]:
        for _article, mentions in coder.code_articles(articles()):
            for m in mentions:
                yield m.to_dict()

    n = emit(records(), fmt, output)
    if not state.quiet:
        click.echo(f"coded {articles_seen} article(s): {n} event mention(s)"
                   + (f"; {failures} input(s) failed" if failures else ""), err=True)
    if articles_seen == 0 and failures:
        sys.exit(EXIT_NOTHING_DONE)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


@main.command("events")
@click.option("--actor", help="Source or target code, name or words (substring, case-insensitive).")
@click.option("--country", help="Source or target country (ISO alpha-3).")
@click.option("--source-country")
@click.option("--target-country")
@click.option("--cameo", help="CAMEO code or prefix, e.g. 19 or 190.")
@click.option("--root", help="CAMEO root, e.g. 04.")
@click.option("--plover", help="PLOVER type, e.g. ASSAULT.")
@click.option("--quad-class", type=click.IntRange(1, 4))
@click.option("--factuality", type=click.Choice(["asserted", "reported", "historical", "predicted",
                                                 "hypothetical", "negated"]))
@click.option("--since", help="Events on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Events on or before this date (YYYY-MM-DD).")
@click.option("--article", "article_id", help="Only this article's events.")
@click.option("--mentions", "mentions", is_flag=True,
              help="List event mentions (one per coded sentence) instead of stories (one per happening).")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--offset", type=int, default=0)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--parquet", "parquet", type=click.Path(exists=True, file_okay=False), default=None,
              help="Query a `dragoman batch` dataset folder in place instead of the store.")
@click.pass_obj
def events_cmd(state: CliState, fmt: str, limit: int, offset: int, mentions: bool, parquet: str | None,
               **filters: Any) -> None:
    """List stored events: stories (one per real-world happening), or mentions with --mentions."""
    from dragoman.store import Store, StoreError
    from dragoman.store.events import EventFilter, count_mentions, query_mentions
    from dragoman.store.parquet import DatasetError, ParquetDataset
    from dragoman.store.stories import count_stories, query_stories

    query, count, noun = (query_mentions, count_mentions, "mention") if mentions else (
        query_stories, count_stories, "story(ies)")
    try:
        store = ParquetDataset(parquet) if parquet else Store(state.db, read_only=True)
        flt = EventFilter(**filters)
        rows = query(store, flt, limit=limit, offset=offset)
        total = count(store, flt)
    except (StoreError, DatasetError) as exc:
        raise click.ClickException(str(exc)) from exc
    emit(rows, fmt, sys.stdout)
    if not state.quiet:
        click.echo(f"{len(rows)} of {total} {noun}" + ("(s)" if mentions else ""), err=True)


@main.group("lexicon")
def lexicon_group() -> None:
    """Check lexicon and data files (actors, triggers, CAMEO table, time, word lists, ...)."""


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


def _split_records(rows: list[dict[str, Any]], split: str | None) -> list[dict[str, Any]]:
    if not split:
        return rows
    from dragoman.evaluation.split import in_split

    return [r for r in rows if in_split(str(r["id"]), split)]


@eval_group.command("events")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", type=click.Choice(["tune", "check"]), default=None,
              help="Score only one half of the records (chosen by a hash of id).")
@click.option("--pred", "pred_file", type=click.Path(exists=True, dir_okay=False),
              help="Score these predictions instead of coding the gold sentences.")
@click.option("--pred-out", type=click.Path(dir_okay=False), help="Save the predictions (JSON Lines).")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(exists=True, dir_okay=False))
def eval_events(gold_file: str, split: str | None, pred_file: str | None, pred_out: str | None,
                lexicons: tuple[str, ...]) -> None:
    """Code the sentences of an events gold file and print the reference scorer's figures."""
    from dragoman.evaluation.events import read_jsonl, score_events

    gold = _split_records(read_jsonl(gold_file), split)
    preds = read_jsonl(pred_file) if pred_file else code_gold_records(gold, lexicons)
    if pred_out:
        with open(pred_out, "w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    click.echo(json.dumps(score_events(gold, preds), indent=1))


def code_gold_records(gold: list[dict[str, Any]], lexicons: Iterable[str] = ()) -> list[dict[str, Any]]:
    from dragoman.pipeline import Coder

    coder = Coder(extra_lexicons=list(lexicons))
    articles = [Article(article_id=str(r["id"]), text=r["text"], published=r.get("published")) for r in gold]
    return [m.to_dict() for _a, ms in coder.code_articles(articles) for m in ms]


@eval_group.command("seed")
@click.argument("key_file", type=click.Path(exists=True, dir_okay=False))
@click.argument("pred_file", type=click.Path(exists=True, dir_okay=False))
def eval_seed(key_file: str, pred_file: str) -> None:
    """Score an article's mentions (`dragoman code --format jsonl` output) against its answer key."""
    from dragoman.evaluation.events import read_jsonl, score_answer_key

    with open(key_file, encoding="utf-8") as fh:
        key = json.load(fh)
    click.echo(json.dumps(score_answer_key(key, read_jsonl(pred_file)), indent=1))
