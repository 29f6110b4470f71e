"""Reading the articles a command is given (files, folders, URLs, feeds, JSON Lines records), and keeping count
of what was read and what was refused, for the exit status (:func:`dragoman.cli.app.input_status`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import click

from dragoman.cli.app import input_status
from dragoman.model import Article


def read_inputs(sources: Iterable[str], input_format: str = "auto", published: str | None = None, *,
                allow_private: bool = False, records_by_suffix: bool = False) -> Iterator[Article | str]:
    """Articles from the sources, or error strings naming the input and the reason.

    With ``input_format="jsonl"`` every source is JSON Lines records ``{"id", "text", "published" | "dct"}``
    (the shape of the eval files), the id used as article_id; with ``records_by_suffix`` so is any ``.jsonl``
    name. Everything else goes through the ingest readers, after the records.
    """
    from dragoman.ingest.sources import read_sources, read_text_records

    rest: list[str] = []
    for src in sources:
        if input_format == "jsonl" or (records_by_suffix and src.endswith(".jsonl")):
            for item in read_text_records(src, published):
                yield item if isinstance(item, Article) else str(item)
        else:
            rest.append(src)
    if rest:
        for item in read_sources(rest, published=published, allow_private=allow_private):
            yield item if isinstance(item, Article) else str(item)


def check_published(published: str | None) -> None:
    """Refuse a ``--published`` that is not a date, as a usage error."""
    from dragoman.ingest.dates import normalise_date

    if published and normalise_date(published) is None:
        raise click.BadParameter(f"{published!r} is not a date (YYYY-MM-DD)", param_hint="--published")


class InputTally:
    """Passes the articles on, names each refused input on stderr as it comes, and counts both."""

    def __init__(self) -> None:
        self.read = 0
        self.refused = 0

    def articles(self, items: Iterable[Article | str]) -> Iterator[Article]:
        for item in items:
            if isinstance(item, str):
                self.refused += 1
                click.echo(f"error: {item}", err=True)
                continue
            self.read += 1
            yield item

    def failed_note(self) -> str:
        """The end of a summary line: how many inputs failed, if any."""
        return f"; {self.refused} input(s) failed" if self.refused else ""

    def exit_status(self) -> int:
        return input_status(self.read, self.refused)
