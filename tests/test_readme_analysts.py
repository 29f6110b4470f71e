"""The README's "For analysts" snippets run as written: the shell commands make the files, then the pandas,
Polars and DuckDB snippets read them (Polars when installed), and the R one when `Rscript` is installed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from dragoman.cli import main
from dragoman.jobs.ingest import ingest
from dragoman.paths import SAMPLES_DIR
from dragoman.store import Store
from dragoman.store.events import EventFilter
from dragoman.store.stories import count_stories

README = Path(__file__).resolve().parents[1] / "README.md"


def snippet(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    block = text.split(f"<!-- {name} -->")[1].split(f"<!-- /{name} -->")[0]
    return re.search(r"```[a-z]+\n(.*?)```", block, flags=re.S).group(1)


def shell_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8").split("## For analysts")[1]
    block = re.search(r"```sh\n(.*?)```", text, flags=re.S).group(1)
    return [shlex.split(line.split("#")[0])[1:] for line in block.splitlines() if line.startswith("dragoman ")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory, coder) -> Path:
    """A folder holding the store the snippets name (the bundled samples, coded) and the files the README's
    shell commands write into it."""
    where = tmp_path_factory.mktemp("analysts")
    store = Store(where / "dragoman.duckdb")
    ingest([SAMPLES_DIR], store, coder_factory=lambda: coder)
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(where)
    try:
        for args in shell_commands():
            result = runner.invoke(main, ["--db", "dragoman.duckdb", *args])
            assert result.exit_code == 0, (args, result.output)
    finally:
        os.chdir(old)
    for name in ("events.tsv", "icews.tsv", "events.jsonl", "dyad_month.csv"):
        assert (where / name).stat().st_size > 0, name
    return where


def run_python(code: str, folder: Path) -> dict:
    old = Path.cwd()
    os.chdir(folder)
    try:
        scope: dict = {}
        exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the README's own snippet
        return scope
    finally:
        os.chdir(old)


def test_the_pandas_snippet_reads_every_file_and_charts_a_dyad_month_series(folder: Path) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    scope = run_python(snippet("analyst-python"), folder)
    store = Store(folder / "dragoman.duckdb", read_only=True)
    factual = count_stories(store, EventFilter(factual=True))
    assert len(scope["gdelt"].columns) == 61 and len(scope["gdelt"]) == factual
    assert len(scope["icews"]) == count_stories(store, EventFilter(country="SYR,IRQ")) > 0
    assert len(scope["plover"]) == count_stories(store, EventFilter(root="18,19")) > 0
    assert scope["counts"]["events"].sum() > 0 and not scope["wide"].empty


def test_the_polars_snippet(folder: Path) -> None:
    pytest.importorskip("polars")
    scope = run_python(snippet("analyst-polars"), folder)
    assert scope["top"].height > 0


def test_the_duckdb_snippet(folder: Path) -> None:
    statements = [s for s in snippet("analyst-duckdb").split(";") if s.strip().replace("\n", "")]
    con = duckdb.connect(str(folder / "dragoman.duckdb"), read_only=True)
    old = Path.cwd()
    os.chdir(folder)
    try:
        results = [con.execute(s).fetchall() for s in statements if not s.strip().startswith("--") or "SELECT" in s]
    finally:
        os.chdir(old)
        con.close()
    assert len(results) == 2 and all(results)
    assert all(re.fullmatch(r"\d{3,4}", str(row[2])) for row in results[1])


def test_the_r_snippet(folder: Path) -> None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed (Debian: r-base-core)")
    result = subprocess.run([rscript, "-e", snippet("analyst-r") + "\ncat(nrow(icews), nrow(dyads))\n"],
                            cwd=folder, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    icews_rows, dyad_rows = (int(x) for x in result.stdout.split()[-2:])
    assert icews_rows > 0 and dyad_rows > 0
