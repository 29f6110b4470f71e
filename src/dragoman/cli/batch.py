"""`dragoman batch` (code many inputs in parallel into a Parquet dataset) and `dragoman import` (load one into
the store). The work is :mod:`dragoman.jobs.batch` and :mod:`dragoman.store.parquet`; this is the command line."""

from __future__ import annotations

import sys
from typing import Any

import click

from dragoman.cli.app import DATE, CliState, input_status, iso_day, main


@main.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Dataset folder: Parquet partitioned by publication month, plus manifest.json.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
              help="local: processes on this machine (default); dask: a Dask cluster (--scheduler) or a "
                   "LocalCluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (implies --engine dask).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores; ignored with --scheduler).")
@click.option("--shard-size", type=click.IntRange(min=1), default=None,
              help="Lines per shard when a JSON Lines file is split (default 500).")
@click.option("--published", type=DATE, default=None,
              help="Publication date (YYYY-MM-DD) for articles whose metadata has none.")
@click.option("--force", is_flag=True, help="Redo every shard, even those an earlier run finished.")
@click.pass_obj
def batch_cmd(state: CliState, inputs: tuple[str, ...], out_dir: str, engine: str | None, scheduler: str | None,
              workers: int | None, shard_size: int | None, published: Any, force: bool) -> None:
    """Code INPUT... (files, folders, globs, .jsonl(.gz) shards) in parallel into a Parquet dataset: articles,
    mentions and stories, partitioned by publication month, with a manifest.

    Coding is the map step over shards (one per file; big JSON Lines files split by lines); stories are built
    across all shards afterwards, as a single store would build them. Re-running skips finished shards and
    redoes unfinished ones. Query the result with `dragoman events --parquet DIR`, or load it with
    `dragoman import DIR`.
    """
    from dragoman.jobs.batch.engines import EngineError
    from dragoman.jobs.batch.run import run_batch
    from dragoman.jobs.batch.shards import DEFAULT_SHARD_LINES

    engine = engine or ("dask" if scheduler else "local")
    if scheduler and engine != "dask":
        raise click.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")

    def progress(result: Any) -> None:
        if not state.quiet:
            click.echo(f"  shard {result.name} ({result.input}): {result.articles} article(s), "
                       f"{result.mentions} mention(s) in {result.seconds:.1f}s", err=True)

    try:
        summary = run_batch(inputs, out_dir, engine=engine, workers=workers, scheduler=scheduler,
                            shard_lines=shard_size or DEFAULT_SHARD_LINES, force=force, on_result=progress,
                            published=iso_day(published))
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc
    for failure in summary.failures:
        click.echo(f"error: {failure}", err=True)
    c = summary.counts
    if not state.quiet:
        t = summary.manifest.get("timings", {})
        click.echo(
            f"batch: {summary.shards} shard(s) ({summary.skipped} already done), {c.get('articles', 0)} article(s) "
            f"({c.get('duplicates', 0)} duplicate(s)), {c.get('coded', 0)} coded, {c.get('mentions', 0)} "
            f"mention(s), {c.get('stories', 0)} stor(ies) in {t.get('total_s', 0):.1f}s -> {out_dir}")
    sys.exit(input_status(summary.read, len(summary.failures), nothing_done_if_empty=True))


@main.command("import")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.pass_obj
def import_cmd(state: CliState, dataset: str) -> None:
    """Load a `dragoman batch` dataset (articles, mentions, stories) into the store; rows already stored are
    kept, so importing twice adds nothing."""
    from dragoman.jobs.dataset import import_dataset
    from dragoman.store.db import Store, StoreError
    from dragoman.store.parquet import DatasetError

    try:
        added = import_dataset(dataset, Store(state.db))
    except (StoreError, DatasetError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not state.quiet:
        click.echo(f"imported {added['articles']} article(s), {added['mentions']} mention(s), "
                   f"{added['stories']} stor(ies) from {dataset}")
