"""`dragoman corrections`: an analyst's corrections of the coding (add, list, undo, export as gold). The
corrections live in the store (:mod:`dragoman.store.corrections`); applying one and bringing the stories
along is :mod:`dragoman.jobs.corrections`."""

from __future__ import annotations

import getpass
import json
from typing import Any

import click

from dragoman.cli.app import CliState, main, open_store


def _analyst(given: str | None) -> str:
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # (no user name in a bare container)
        return "unknown"


def _fields(pairs: tuple[str, ...]) -> dict[str, Any]:
    from dragoman.store.corrections import FIELDS

    fields: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE", param_hint="--set")
        if name not in FIELDS:
            raise click.BadParameter(f"unknown field {name!r}; one of {', '.join(FIELDS)}", param_hint="--set")
        fields[name] = value
    return fields


def _set_help() -> str:
    return ("FIELD=VALUE to correct (repeatable): cameo, plover, plover_mode, source, source_name, target, "
            "target_name, date (YYYY-MM-DD or START/END), place, place_country, place_lat, place_lon, factuality; "
            "'none' clears an actor, a date or a place.")


@main.group("corrections")
def corrections_group() -> None:
    """Correct the coding: mark a mention or story wrong, confirm it, or fix its fields, with a reason.
    Corrections are applied in every query, export and aggregate (`--raw` shows the coding as coded), and
    follow their mentions through `dragoman recode`."""


@corrections_group.command("add")
@click.argument("target")
@click.option("--story", "is_story", is_flag=True, help="TARGET is a story id (default: a mention id).")
@click.option("--wrong", "action", flag_value="wrong", help="No such event: leave it out everywhere.")
@click.option("--confirm", "action", flag_value="confirm", help="Coded right (counts as gold when exported).")
@click.option("--set", "pairs", multiple=True, metavar="FIELD=VALUE", help=_set_help())
@click.option("--reason", "-m", default=None, help="Why (kept with the correction).")
@click.option("--analyst", default=None, help="Who corrects (default: the user name).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def corrections_add(state: CliState, target: str, is_story: bool, action: str | None, pairs: tuple[str, ...],
                    reason: str | None, analyst: str | None, fmt: str) -> None:
    """Correct the mention (or, with --story, the story) TARGET: --wrong, --confirm, or --set FIELD=VALUE."""
    from dragoman.jobs.corrections import Correction, CorrectionError, correct

    if pairs and action:
        raise click.UsageError(f"--{action} sets no fields: give either --{action} or --set")
    if not pairs and not action:
        raise click.UsageError("say what is wrong: --wrong, --confirm, or --set FIELD=VALUE")
    correction = Correction(action=action or "fix", mention_id=None if is_story else target,
                            story_id=target if is_story else None, fields=_fields(pairs), reason=reason,
                            analyst=_analyst(analyst))
    try:
        stored = correct(open_store(state, read_only=False), correction)
    except CorrectionError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(stored, ensure_ascii=False, sort_keys=True, default=str))
    elif not state.quiet:
        click.echo(_line(stored))


def _line(c: dict[str, Any]) -> str:
    what = c["action"]
    if what == "fix":
        what = "fix " + ", ".join(f"{k}: {c['original'].get(k)!r} -> {v!r}" for k, v in (c["fields"] or {}).items())
    target = c["mention_id"] or c["story_id"]
    state = "undone" if not c["active"] else ("applied" if c["applied"] else "not applied (its mention is gone)")
    return f"{c['correction_id']} {c['kind']} {target}: {what} [{state}]"


@corrections_group.command("list")
@click.option("--active", is_flag=True, help="Only corrections not undone.")
@click.option("--article", "article_id", default=None, help="Only this article's.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many (newest first).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_obj
def corrections_list(state: CliState, active: bool, article_id: str | None, limit: int | None, fmt: str) -> None:
    """The corrections, newest first: what was corrected, from what to what, who, when and why."""
    from dragoman.cli.output import simple_table
    from dragoman.store.corrections import list_corrections

    total, items = list_corrections(open_store(state), active_only=active, article_id=article_id, limit=limit)
    if fmt == "jsonl":
        for c in items:
            click.echo(json.dumps(c, ensure_ascii=False, sort_keys=True, default=str))
        return
    if not items:
        click.echo("no corrections")
        return
    rows = []
    for c in items:
        change = c["action"] if c["action"] != "fix" else ", ".join(
            f"{k} {c['original'].get(k)} -> {v}" for k, v in (c["fields"] or {}).items())
        state_text = "undone" if not c["active"] else ("applied" if c["applied"] else "unapplied")
        rows.append([c["correction_id"], c["kind"], c["mention_id"] or c["story_id"], change, c["analyst"] or "",
                     c["created_at"], state_text, c["reason"] or ""])
    simple_table(["id", "of", "mention/story", "correction", "analyst", "when", "state", "reason"], rows)
    if total > len(items):
        click.echo(f"{len(items)} of {total} shown")


@corrections_group.command("undo")
@click.argument("correction_ids", nargs=-1, required=True)
@click.option("--analyst", default=None, help="Who undoes (default: the user name).")
@click.pass_obj
def corrections_undo(state: CliState, correction_ids: tuple[str, ...], analyst: str | None) -> None:
    """Undo corrections (each is kept, marked undone): the coding counts as coded again."""
    from dragoman.jobs.corrections import CorrectionError, undo

    store = open_store(state, read_only=False)
    failed = 0
    for correction_id in correction_ids:
        try:
            done = undo(store, correction_id, _analyst(analyst))
        except CorrectionError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        if not state.quiet:
            click.echo(_line(done))
    if failed:
        raise SystemExit(1 if failed < len(correction_ids) else 3)


@corrections_group.command("export")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.pass_obj
def corrections_export(state: CliState, out: str) -> None:
    """Write every judged sentence as sentence-level gold (the format of events_dev.jsonl) to OUT, so
    `dragoman eval events OUT` scores the coder (or `--lexicon` a lexicon not yet installed) against your own
    judgement. A sentence's events are what you left standing: its mentions with your corrections applied
    (one marked wrong is no event; one you did not judge is taken as coded)."""
    from dragoman.jobs.corrections import export_gold

    n = export_gold(open_store(state), out)
    if not state.quiet:
        click.echo(f"{n} judged sentence(s) written to {out}; score them with: dragoman eval events {out}")
