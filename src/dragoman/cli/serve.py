"""`dragoman serve`: the REST API and the dashboard over a store (:mod:`dragoman.api`)."""

from __future__ import annotations

import click

from dragoman.cli.app import CliState, main


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token", envvar="DRAGOMAN_TOKEN", default=None,
              help="Turns on the write endpoint (POST /api/articles), which then needs this bearer token "
                   "(or $DRAGOMAN_TOKEN). Off without one.")
@click.option("--parquet", "parquet", type=click.Path(exists=True, file_okay=False), default=None,
              help="Serve a `dragoman batch` dataset folder (read-only, queried in place) instead of a store.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable). By default only the --host "
                   "address is answered (and localhost for a loopback one): other names are refused, which stops "
                   "DNS rebinding.")
@click.pass_obj
def serve_cmd(state: CliState, host: str, port: int, token: str | None, parquet: str | None,
              allow_hosts: tuple[str, ...]) -> None:
    """Serve the REST API (OpenAPI document at /openapi.json) and the dashboard (at /) over the store.

    The server opens short read-only connections per request, under the store's shared lock, so `dragoman
    ingest` can add to the same store while it runs (requests wait for its transactions, never fail on them).
    """
    from pathlib import Path

    from dragoman import settings

    try:
        import uvicorn

        from dragoman.api import create_app
    except ImportError as exc:
        raise click.ClickException(f"the API needs the 'api' extra: pip install 'dragoman[api]' ({exc})") from exc
    db = Path(state.db or settings.default_db_path())
    if parquet is None and not db.exists():
        raise click.ClickException(f"{db}: no such store; run `dragoman --db {db} demo` or `dragoman ingest` first")
    if parquet is not None and token:
        click.echo("note: a Parquet dataset is served read-only; --token is ignored", err=True)
    app = create_app(db, token=token, parquet=parquet, host=host, allowed_hosts=allow_hosts)
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    click.echo(f"Dragoman dashboard: http://{shown}:{port}/   API: http://{shown}:{port}/openapi.json   "
               f"({'dataset ' + parquet if parquet else f'store {db}'}; writes {'on' if token and not parquet else 'off'}); "
               "Ctrl-C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning" if state.quiet else "info")
