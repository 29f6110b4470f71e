"""The event filters every listing, export and aggregate command takes, declared once.

A text filter may be repeated or given comma-separated values (``--factuality asserted,reported`` or
``--root 18 --root 19``): an event matches when it has any of them; different filters must all hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from dragoman.model import FACTUALITIES

F = TypeVar("F", bound=Callable[..., Any])

MANY = " Repeatable, or comma-separated: matches any."
FILTER_NAMES = (
    "actor", "country", "source_country", "target_country", "cameo", "root", "plover", "quad_class", "factuality",
    "since", "until", "article_id", "min_confidence", "no_statements",
)


def _checked(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Check a factuality or QuadClass option at parse time, as the filter checks it, so a typo is a usage error
    naming the option."""
    from dragoman.store.events import EventFilter

    flt = EventFilter(factuality=list(value)) if param.name == "factuality" else EventFilter(quad_class=list(value))
    try:
        flt.factualities()
        flt.quad_classes()
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def event_filter_options(*, factual_default: bool = False) -> Callable[[F], F]:
    """The filter options, as one decorator. With ``factual_default`` (aggregates), only factual events count
    unless ``--all-factualities`` or a ``--factuality`` is given; otherwise ``--factual`` asks for them."""

    def decorate(fn: F) -> F:
        options = [
            click.option("--actor", multiple=True,
                         help="Source or target code, name or words (substring, case-insensitive)." + MANY),
            click.option("--country", multiple=True, help="Source or target country (ISO alpha-3)." + MANY),
            click.option("--source-country", multiple=True, help="Source actor's country." + MANY),
            click.option("--target-country", multiple=True, help="Target actor's country." + MANY),
            click.option("--cameo", multiple=True, help="CAMEO code or prefix, e.g. 19 or 190." + MANY),
            click.option("--root", multiple=True, help="CAMEO root, e.g. 04." + MANY),
            click.option("--plover", multiple=True, help="PLOVER type, e.g. ASSAULT." + MANY),
            click.option("--quad-class", multiple=True, callback=_checked, help="QuadClass, 1 to 4." + MANY),
            click.option("--factuality", multiple=True, callback=_checked,
                         help=f"One of {', '.join(FACTUALITIES)}." + MANY),
            click.option("--since", callback=_iso_date, help="Events on or after this date (YYYY-MM-DD)."),
            click.option("--until", callback=_iso_date, help="Events on or before this date (YYYY-MM-DD)."),
            click.option("--article", "article_id", help="Only this article's events."),
            click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                         help="Only events at least this sure (calibrated: 0.8 means right about 8 times in 10)."),
            click.option("--no-statements", is_flag=True, help="Leave out bare public statements (CAMEO root 01)."),
        ]
        if factual_default:
            options.append(click.option(
                "--all-factualities", "all_factualities", is_flag=True,
                help="Count forecasts, hypotheticals and negations too (by default only asserted, reported and "
                     "historical events count)."))
        else:
            options.append(click.option("--factual", is_flag=True,
                                        help="Only asserted, reported and historical events."))
        options.append(click.option("--raw", is_flag=True,
                                    help="The coding as the coder made it: analysts' corrections not applied."))
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


def pop_filter(kwargs: dict[str, Any]) -> Any:
    """Take the filter options out of a command's keyword arguments and build the :class:`EventFilter`."""
    from dragoman.store.events import EventFilter

    given = {name: kwargs.pop(name) for name in FILTER_NAMES}
    if "all_factualities" in kwargs:
        factual = not kwargs.pop("all_factualities")
    else:
        factual = bool(kwargs.pop("factual", False))
    return EventFilter(**given, factual=factual, raw=bool(kwargs.pop("raw", False)))  # (an option not given is an empty tuple: no constraint)
