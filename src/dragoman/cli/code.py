"""`dragoman code`: code articles into event mentions and print them, without storing them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click

from dragoman.cli.app import CliState, main
from dragoman.cli.inputs import InputTally, check_published, read_inputs
from dragoman.cli.output import FORMATS, emit


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
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Only events at least this sure (confidence is calibrated: 0.8 means right about 8 times in 10).")
@click.option("--no-statements", is_flag=True, help="Leave out bare public statements (CAMEO root 01).")
@click.option("--allow-private", is_flag=True, help="Allow URLs that resolve to private/loopback addresses.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Output file (default stdout).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that code (default: every core when the input files add up to "
                   "settings.PARALLEL_MIN_INPUT_BYTES or more, else 1); the output keeps the input's order.")
@click.pass_obj
def code_cmd(state: CliState, sources: tuple[str, ...], published: str | None, input_format: str, fmt: str,
             lexicons: tuple[str, ...], batch_size: int | None, events_per_sentence: int | None,
             min_confidence: float | None, no_statements: bool, allow_private: bool, output,
             workers: int | None) -> None:
    """Code articles into event mentions without storing them."""
    from dragoman import settings
    from dragoman.coder import Coder
    from dragoman.jobs.parallel import ProcessCoder, input_bytes, workers_for

    check_published(published)
    options = {"extra_lexicons": [str(x) for x in lexicons], "batch_size": batch_size or settings.NLP_BATCH_SIZE,
               "max_events_per_sentence": events_per_sentence or settings.MAX_EVENTS_PER_SENTENCE}
    processes = workers_for(workers, input_bytes(sources))
    coder = ProcessCoder(processes, options, claims=False) if processes > 1 else Coder(**options)
    tally = InputTally()
    articles = tally.articles(read_inputs(sources, input_format, published, allow_private=allow_private))

    def records() -> Iterator[dict[str, Any]]:
        for _article, mentions in coder.code_articles(articles):
            for m in mentions:
                if min_confidence is not None and m.confidence < min_confidence:
                    continue
                if no_statements and m.cameo_root == "01":
                    continue
                yield m.to_dict()

    try:
        n = emit(records(), fmt, output)
    finally:
        if isinstance(coder, ProcessCoder):
            coder.close()
    if not state.quiet:
        click.echo(f"coded {tally.read} article(s): {n} event mention(s)" + tally.failed_note(), err=True)
    sys.exit(tally.exit_status())
