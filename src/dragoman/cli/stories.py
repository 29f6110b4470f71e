"""`dragoman story ID` and `dragoman claims [SOURCE...]`: stories explained, count claims judged.

Thin by design: clustering is :mod:`dragoman.analysis.stories`, claims :mod:`dragoman.analysis.claims`, every
query :mod:`dragoman.store.stories` / :mod:`dragoman.store.claims`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, CliState, main


def _open(state: CliState, read_only: bool = True):
    from dragoman.store import Store, StoreError

    try:
        return Store(state.db, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("story")
@click.argument("story_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def story_cmd(state: CliState, story_id: str, fmt: str) -> None:
    """One story: its best-attested fields, and each mention with why it joined."""
    from dragoman.store.stories import get_story

    story = get_story(_open(state), story_id)
    if story is None:
        raise click.ClickException(f"no story {story_id!r}")
    if fmt == "json":
        click.echo(json.dumps(story, ensure_ascii=False, indent=1))
        return
    d = story["date"] or {}
    loc = story.get("location") or {}
    lab = lambda a: (a or {}).get("code") or (a or {}).get("name") or "-"  # noqa: E731
    click.echo(f"story {story['story_id']}" + (f" (asked for {story['requested_id']})" if "requested_id" in story else ""))
    click.echo(f"  {lab(story['source'])} {story['cameo']} {story['plover']} {lab(story['target'])}  "
               f"{d.get('start')}..{d.get('end')} ({d.get('precision')})  {loc.get('name') or '-'}  "
               f"{story['factuality']}  confidence {story['confidence']}")
    click.echo(f"  {story['num_mentions']} mention(s), {story['num_articles']} article(s), {story['num_sources']} "
               f"outlet(s) ({', '.join(story['outlets'])}), {story['num_copies']} copy(ies) not counted; seen "
               f"{story['first_seen']}..{story['last_seen']}")
    for alt in story.get("date_alternatives", []):
        click.echo(f"  other date: {alt['start']}..{alt['end']} ({alt['num_sources']} outlet(s))")
    for alt in story.get("location_alternatives", []):
        click.echo(f"  other place: {alt.get('name')} ({alt['num_sources']} outlet(s))")
    for size in ("killed", "injured", "arrested"):
        if story.get(size) is not None:
            click.echo(f"  {size}: {story[size]}")
    for m in story["mentions"]:
        j = m["join"]
        how = "founded the story" if j["anchor"] is None else f"joined via {j['anchor']} (score {j['score']})"
        click.echo(f"- {m['id']} [{m['outlet']} {m['published']}] {m['cameo']} {lab(m['source'])}->{lab(m['target'])}: "
                   f"{how}")
        click.echo(f"    \"{m['evidence']['sentence'][:160]}\"")
        for rule, why in j["reasons"].items():
            click.echo(f"    {rule}: {why}")


def _claim_line(c: dict[str, Any]) -> str:
    v = c.get("store") or {}
    period = f"{c['period_start']}..{c['period_end']}" if c.get("period_start") else "no period"
    return (f"{c['article_id']}: {c['number_kind']} {c['number']} {c['counted']} ({c['cameo']} {c['plover']}"
            f"{', target ' + c['target_country'] if c.get('target_country') else ''}) {period}  "
            f"[{c['anchor']}]" + (f"\n    store: {v['verdict']} — {v['why']}" if v else ""))


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
    """Count claims ("the 29th attack since October"): read from SOURCE, or the stored ones; with the store's
    verdict (supports, contradicts, cannot_judge) unless --no-store."""
    from pathlib import Path

    from dragoman import settings
    from dragoman.jobs.claims import judge_claims, stored_claims
    from dragoman.store.claims import write_claims

    failures = 0
    if not sources:
        claims = stored_claims(_open(state), limit=limit)
    else:
        from dragoman.analysis.claims import ClaimExtractor
        from dragoman.cli.code import read_inputs

        def articles():
            nonlocal failures
            for item in read_inputs(sources, input_format, published):
                if isinstance(item, str):
                    failures += 1
                    click.echo(f"error: {item}", err=True)
                    continue
                yield item

        claims = [c.to_dict() for _a, cs in ClaimExtractor().extract(articles()) for c in cs]
        db = Path(state.db or settings.default_db_path())
        if save:
            write_claims(_open(state, read_only=False), claims)
        if not no_store and db.exists():
            claims = judge_claims(_open(state), claims)
    for c in claims:
        click.echo(json.dumps(c, ensure_ascii=False) if fmt == "jsonl" else _claim_line(c))
    if not state.quiet:
        click.echo(f"{len(claims)} claim(s)", err=True)
    if sources and failures and not claims:
        sys.exit(EXIT_NOTHING_DONE)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)
