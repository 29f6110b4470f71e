"""`dragoman eval events|seed|dates|places|eventloc`: score Dragoman against gold files. The scoring is
:mod:`dragoman.evaluation`; this is the command line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import click

from dragoman.cli.app import main
from dragoman.model import Article

_SPLIT = click.option("--split", type=click.Choice(["tune", "check"]), default=None,
                      help="Score only the half of the records chosen by a hash of their id (default: all).")
_PRED_OUT = click.option("--pred-out", type=click.Path(dir_okay=False), help="Save the predictions (JSON Lines).")
_GOLD_FILE = click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))


@main.group("eval")
def eval_group() -> None:
    """Score Dragoman against a gold file with the reference scorer's rules."""


# ---------------------------------------------------------------- events


def _split_records(rows: list[dict[str, Any]], split: str | None) -> list[dict[str, Any]]:
    if not split:
        return rows
    from dragoman.evaluation.split import in_split

    return [r for r in rows if in_split(str(r["id"]), split)]


@eval_group.command("events")
@_GOLD_FILE
@click.option("--split", type=click.Choice(["tune", "check"]), default=None,
              help="Score only one half of the records (chosen by a hash of id).")
@click.option("--pred", "pred_file", type=click.Path(exists=True, dir_okay=False),
              help="Score these predictions instead of coding the gold sentences.")
@_PRED_OUT
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
    """The coder's mentions of the gold records' sentences (each record one article, its id the article id)."""
    from dragoman.coder import Coder

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


# ---------------------------------------------------------------- dates and places


@eval_group.command("dates")
@_GOLD_FILE
@_SPLIT
@_PRED_OUT
def eval_dates(gold_file: str, split: str | None, pred_out: str | None) -> None:
    """Tag a time_*.jsonl gold file (its dct is the publication date) and print the reference scorer's figures."""
    from dragoman.evaluation.dates import evaluate, format_figures

    click.echo(format_figures(evaluate(gold_file, split=split, pred_out=pred_out)))


@eval_group.command("places")
@_GOLD_FILE
@_SPLIT
@_PRED_OUT
def eval_places(gold_file: str, split: str | None, pred_out: str | None) -> None:
    """Find toponyms in a geo_*.jsonl gold file and print the reference scorer's figures."""
    from dragoman.evaluation.places import evaluate

    click.echo(json.dumps(evaluate("places", gold_file, split=split, pred_out=pred_out), indent=1))


@eval_group.command("eventloc")
@_GOLD_FILE
@_SPLIT
@_PRED_OUT
def eval_eventloc(gold_file: str, split: str | None, pred_out: str | None) -> None:
    """Locate the events of an eventloc_*.jsonl gold file and print the reference scorer's figures."""
    from dragoman.evaluation.places import evaluate

    click.echo(json.dumps(evaluate("eventloc", gold_file, split=split, pred_out=pred_out), indent=1))
