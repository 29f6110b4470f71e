"""`dragoman ingest`, `articles`, `articles show`, `export` from the command line, and crash safety under SIGKILL."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import dragoman.cli.ingest  # noqa: F401 - registers the commands on `main`, whatever else the CLI holds
from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, main
from dragoman.paths import SAMPLES_DIR


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_samples_twice_and_read_back(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    code, out, err = run(db, "ingest", "--no-code", "--published", "2024-03-10", str(SAMPLES_DIR))
    assert code == EXIT_OK, err
    assert "ingested 16 new article(s)" in out
    assert "duplicates: 2 (exact 1, near 1)" in out and "non-English: 1 (fr 1)" in out
    code, out, _ = run(db, "ingest", "--no-code", str(SAMPLES_DIR))
    assert code == EXIT_OK and "ingested 0 new article(s)" in out and "16 already stored" in out

    code, out, _ = run(db, "articles", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == EXIT_OK and len(rows) == 16
    code, out, _ = run(db, "articles", "--duplicates", "--format", "jsonl")
    dups = [json.loads(line) for line in out.splitlines()]
    assert sorted(d["duplicate_kind"] for d in dups) == ["exact", "near"]
    code, out, _ = run(db, "articles", "--language", "fr", "--format", "csv")
    assert out.splitlines()[0].startswith("article_id,") and len(out.strip().splitlines()) >= 2
    code, out, _ = run(db, "articles", "--source", "Regional Wire", "--since", "2024-03-14", "--limit", "2")
    assert code == EXIT_OK and "wire-2024-0314-turkey" in out and "wire-2024-0322-pakistan" not in out

    exact = next(d for d in dups if d["duplicate_kind"] == "exact")
    code, out, _ = run(db, "articles", "show", exact["article_id"])
    assert code == EXIT_OK and "duplicate_of:" in out and exact["duplicate_of"] in out
    assert "Jordanian, Israeli and Palestinian officials met in Amman" in out
    code, _, err = run(db, "articles", "show", "nope")
    assert code == 1 and "nope: no such article" in err


def test_export_formats(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    run(db, "ingest", "--no-code", str(SAMPLES_DIR / "06_wire.jsonl"))
    code, out, _ = run(db, "export", "--table", "articles", "--format", "jsonl")
    assert code == EXIT_OK and len(out.splitlines()) == 5
    code, out, _ = run(db, "export", "--table", "articles", "--format", "csv", "-o", "-")
    assert out.splitlines()[0].startswith("article_id,") and len(out.splitlines()) > 5
    code, _, err = run(db, "export", "--table", "articles", "--format", "parquet")
    assert code == 2 and "parquet" in err
    target = tmp_path / "a.parquet"
    code, _, _ = run(db, "export", "--table", "articles", "--format", "parquet", "-o", str(target))
    assert code == EXIT_OK
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{target}')").fetchall() == [(5,)]
    code, out, _ = run(db, "export", "--table", "mentions", "--format", "csv")
    assert code == EXIT_OK and out.startswith("id,")


def test_exit_codes_and_errors_name_the_input(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    code, out, err = run(db, "ingest", "--no-code", str(tmp_path / "bin.txt"), str(SAMPLES_DIR / "06_wire.jsonl"))
    assert code == EXIT_SOME_FAILED
    assert f"{tmp_path / 'bin.txt'}: binary data, not text" in err
    assert "ingested 5 new" in out and "failed: 1" in out
    code, _, err = run(db, "ingest", "--no-code", str(tmp_path / "missing.txt"))
    assert code == EXIT_NOTHING_DONE and "missing.txt: no such file or directory" in err
    code, _, _ = run(db, "ingest", "--no-code", "--published", "yesterday", str(SAMPLES_DIR))
    assert code == 2
    code, out, _ = run(db, "-q", "ingest", "--no-code", str(SAMPLES_DIR / "06_wire.jsonl"))
    assert code == EXIT_OK and out == ""


def test_url_guard_and_allow_private_over_real_http(tmp_path: Path) -> None:
    (tmp_path / "www").mkdir()
    for name in ("04_gulfherald_sanctions.html", "07_feed.xml"):
        (tmp_path / "www" / name).write_bytes((SAMPLES_DIR / name).read_bytes())

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(tmp_path / "www"), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        db = tmp_path / "cli.duckdb"
        code, _, err = run(db, "ingest", "--no-code", f"{base}/04_gulfherald_sanctions.html")
        assert code == EXIT_NOTHING_DONE and "loopback address; refused" in err and base in err
        code, out, err = run(db, "ingest", "--no-code", "--allow-private", f"{base}/04_gulfherald_sanctions.html",
                             f"{base}/07_feed.xml")
        assert code == EXIT_OK, err
        assert "ingested 4 new" in out
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------- SIGKILL at random moments, then re-run

WORDS = (
    "minister", "talks", "border", "troops", "sanctions", "aid", "protest", "ceasefire", "embassy", "militia",
    "envoy", "parliament", "election", "strike", "convoy", "refugees", "summit", "treaty", "accused", "warned",
    "condemned", "agreed", "rejected", "met", "visited", "Cairo", "Baghdad", "Ankara", "Tehran", "Beirut",
    "Amman", "Riyadh", "Khartoum", "Tripoli", "Sanaa", "officials", "spokesman", "army",
)


def synthetic_corpus(folder: Path, seed: int = 7) -> None:
    """~200 short articles in 5 JSONL files and a few .txt files, with exact and near copies across files."""
    rng = random.Random(seed)
    texts: list[str] = []
    for f in range(5):
        lines = []
        for n in range(40):
            roll = rng.random()
            if texts and roll < 0.1:
                text = rng.choice(texts)  # exact copy from another outlet
            elif texts and roll < 0.2:
                words = rng.choice(texts).split()
                words[rng.randrange(len(words))] = rng.choice(WORDS)  # a light edit
                text = " ".join(words)
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(60)) + "."
            texts.append(text)
            lines.append(json.dumps({"id": f"f{f}-{n}", "text": text, "source": f"outlet{n % 3}",
                                     "published": f"2024-0{1 + f}-{1 + n % 28:02d}"}))
        (folder / f"part{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n in range(6):
        (folder / f"note{n}.txt").write_text(f"Headline {n}\n\n{rng.choice(texts)}\n\nSource » agg{n}\n")


TABLES = ("articles", "mentions", "stories", "actors", "places", "schema_version")


def dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


def kill_after_commit(proc: subprocess.Popen, db: Path, commits: int, jitter: float) -> None:
    """SIGKILL ``proc`` once the store file has changed ``commits`` times (then ``jitter`` seconds later)."""
    seen, last = 0, None
    deadline = time.monotonic() + 60
    while proc.poll() is None and seen < commits and time.monotonic() < deadline:
        stamp = db.stat().st_mtime_ns if db.exists() else None
        if stamp != last:
            seen, last = seen + (stamp is not None), stamp
        time.sleep(0.002)
    time.sleep(jitter)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_sigkill_at_random_moments_then_rerun_gives_identical_tables(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("dragoman")
    if not script.exists():
        pytest.skip("the dragoman console script is not installed beside this Python")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    synthetic_corpus(corpus)

    def command(db: Path) -> list[str]:
        return [str(script), "--db", str(db), "-q", "ingest", "--no-code", "--batch-size", "3", str(corpus)]

    env = dict(os.environ)  # hash randomisation stays on: decisions must not depend on set order
    reference = tmp_path / "reference.duckdb"
    done = subprocess.run(command(reference), env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    expected = dump(reference)
    assert len(expected["articles"]) == 206
    assert {row[12] for row in expected["articles"]} == {None, "exact", "near"}  # copies were linked

    rng = random.Random(2024)
    interrupted = 0
    for point in range(4):
        db = tmp_path / f"killed{point}.duckdb"
        kills = 2 if point == 0 else 1  # once, a re-run is killed too
        for _ in range(kills):
            proc = subprocess.Popen(command(db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Kill after a random number of commits (each rewrites the store file) plus a random delay, so the
            # kill lands mid-run however loaded the machine is: before, between or inside batch writes.
            kill_after_commit(proc, db, commits=rng.randint(1, 70), jitter=rng.uniform(0, 0.05))
            interrupted += proc.returncode == -signal.SIGKILL
        if db.exists():
            assert len(dump(db)["articles"]) <= len(expected["articles"])
        finished = subprocess.run(command(db), env=env, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        assert dump(db) == expected, f"kill point {point}: tables differ from the uninterrupted run"
    assert interrupted >= 3, "the runs finished before they could be killed: the test proved nothing"
