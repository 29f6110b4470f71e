"""`dragoman claims [SOURCE...]`: count claims read from articles, or the stored ones, judged against the
store. Extraction is :mod:`dragoman.analysis.claims`, judging :mod:`dragoman.jobs.claims`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dragoman.cli.app import CliState, input_status, main, open_store
from dragoman.cli.inputs import InputTally, read_inputs
from dragoman.cli.output import claim_line


@main.command("claims")
@click.argument("sources", nargs=-1)
@click.option("--published", help="Publication date (YYYY-MM-DD) for articles that carry none.")
@click.option("--input-format", type=click.Choice(["auto", "jsonl"]), default="auto", show_default=True)
@click.option("--save", is_flag=True, help="Also store the claims read from SOURCE in the store's claims table.")
@click.option("--no-store", is_flag=True, help="Only extract: do not judge against the store.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option("--limit", type=int, default=None, help="At most this many stored claims (no SOURCE).")
@click.pass_obj
def claims_cmd(state: CliState, sources: tuple[str, ...], published: str | None, input_format: str, save: bool,
               no_store: bool, fmt: str, limit: int | None) -> None:
    """Count claims ("the fourth raid since May"): read from SOURCE, or the stored ones; with the store's
    verdict (supports, contradicts, cannot_judge) unless --no-store."""
    from dragoman import settings
    from dragoman.jobs.claims import judge_claims, stored_claims
    from dragoman.store.claims import write_claims

    tally = InputTally()
    if not sources:
        claims = stored_claims(open_store(state), limit=limit)
    else:
        from dragoman.analysis.claims import ClaimExtractor

        articles = tally.articles(read_inputs(sources, input_format, published))
        claims = [c.to_dict() for _a, cs in ClaimExtractor().extract(articles) for c in cs]
        db = Path(state.db or settings.default_db_path())
        if save:
            write_claims(open_store(state, read_only=False), claims)
        if not no_store and db.exists():
            claims = judge_claims(open_store(state), claims)
    for c in claims:
        click.echo(json.dumps(c, ensure_ascii=False) if fmt == "jsonl" else claim_line(c))
    if not state.quiet:
        click.echo(f"{len(claims)} claim(s)", err=True)
    # "Nothing done" here is no claim found while some input was refused.
    sys.exit(input_status(len(claims), tally.refused))
