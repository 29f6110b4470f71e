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
from collections import Counter
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


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every table of the store, row for row."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in sorted(tables)}
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


# ---------------------------------------------------------------- SIGKILL at chosen moments of a coded run

# Six happenings, each reported four times in other words (by other outlets, on other days), so stories gather
# mentions from several batches; every article also carries a sentence of its own.
REPORTS = (
    ("Ghanaian and Togolese officials met in Accra on 4 March 2024 to discuss security along their border.",
     "Ghana hosted talks with Togo in Accra on 4 March 2024 on patrols along the frontier, the ministry said.",
     "Security chiefs from Togo met their Ghanaian counterparts in Accra on 4 March 2024, officials said.",
     "Togo and Ghana held border security talks in the Ghanaian capital on 4 March 2024."),
    ("Bolivian police arrested 23 protesters in La Paz on 6 March 2024 after clashes over fuel prices.",
     "Police detained 23 people in La Paz on 6 March 2024 during protests against fuel prices, Bolivia said.",
     "Twenty-three demonstrators were arrested by Bolivian police in La Paz on 6 March 2024.",
     "Bolivia's interior ministry said officers arrested 23 protesters in La Paz on 6 March 2024."),
    ("Vietnam accused China of ramming a fishing boat near the Paracel Islands on 8 March 2024.",
     "Hanoi accused Beijing on 8 March 2024 of ramming a Vietnamese fishing boat near the Paracels.",
     "Vietnam's foreign ministry accused China on 8 March 2024 of attacking a fishing vessel at sea.",
     "On 8 March 2024 Vietnam accused Chinese ships of ramming one of its fishing boats."),
    ("Kazakhstan and Uzbekistan signed an agreement on water sharing in Astana on 10 March 2024.",
     "Uzbekistan and Kazakhstan signed a water-sharing deal in Astana on 10 March 2024, both governments said.",
     "The presidents of Kazakhstan and Uzbekistan signed a pact on shared rivers in Astana on 10 March 2024.",
     "A water agreement was signed by Kazakhstan and Uzbekistan in Astana on 10 March 2024."),
    ("Rebels attacked an army post in northern Mali on 12 March 2024, killing nine soldiers.",
     "Nine Malian soldiers were killed when rebels attacked their post in northern Mali on 12 March 2024.",
     "The Malian army said rebels attacked a base in the north on 12 March 2024 and killed nine troops.",
     "Insurgents attacked a military post in northern Mali on 12 March 2024, the army said."),
    ("Chile's president visited Argentina on 14 March 2024 for talks on lithium mining.",
     "The Chilean president travelled to Buenos Aires on 14 March 2024 to discuss lithium with Argentina.",
     "Argentina received Chile's president on 14 March 2024 for talks on lithium, officials said.",
     "Chile and Argentina held talks on lithium mining in Buenos Aires on 14 March 2024."),
)
ASIDES = (
    "Markets were calm.", "Rain fell across the region overnight.", "The talks followed months of preparation.",
    "A second meeting is planned.", "Local radio carried the news.", "Schools stayed open.",
    "Analysts expect little change.", "The statement gave no further detail.", "Traffic was heavy in the city.",
    "Officials declined to comment further.", "The weather delayed several flights.", "Shops reopened later.",
)


def coded_corpus(folder: Path) -> None:
    """24 articles in two JSON Lines files: each happening's reports spread across the input order."""
    rows = []
    for variant in range(4):
        for happening, reports in enumerate(REPORTS):
            n = variant * len(REPORTS) + happening
            rows.append({"id": f"r{n:02d}", "text": f"{reports[variant]} {ASIDES[n % len(ASIDES)]}",
                         "source": f"outlet{variant}", "published": f"2024-03-{15 + variant:02d}"})
    for part, chunk in enumerate((rows[:12], rows[12:])):
        (folder / f"part{part}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")


def kill_when_paused(command: list[str], env: dict[str, str], pause: str) -> subprocess.Popen:
    """Run ``command`` with the test-only hook ``DRAGOMAN_TEST_PAUSE=pause`` and SIGKILL it where it pauses."""
    import queue

    proc = subprocess.Popen(command, env={**env, "DRAGOMAN_TEST_PAUSE": pause}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        if f"test pause at {pause}" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"{pause}: the run did not reach its pause ({proc.returncode})"
    return proc


def test_sigkill_at_chosen_moments_of_a_coded_run_then_rerun_gives_identical_tables(tmp_path: Path) -> None:
    """Kills land where the hook pauses: before a batch is coded, after a batch's rows are written but before its
    stories are assigned (where an older Dragoman committed and could be killed), and after a batch's commit.
    Each kill interrupts the re-run of the one before; the store the last run finishes equals an uninterrupted
    run's, every table row for row (stories, their links and aliases included)."""
    script = Path(sys.executable).with_name("dragoman")
    if not script.exists():
        pytest.skip("the dragoman console script is not installed beside this Python")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    coded_corpus(corpus)

    def command(db: Path) -> list[str]:
        return [str(script), "--db", str(db), "-q", "ingest", "--batch-size", "2", str(corpus)]

    env = dict(os.environ)
    reference = tmp_path / "reference.duckdb"
    done = subprocess.run(command(reference), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = dump(reference)
    assert len(expected["articles"]) == 24
    per_story = Counter(row[2] for row in expected["mentions"])
    assert per_story and max(per_story.values()) >= 3  # stories gather mentions from several batches
    assert None not in per_story

    db = tmp_path / "killed.duckdb"
    stages = []
    for pause in ("stories:1", "commit:1", "batch:2", "stories:2", "stories:3", "commit:2"):
        kill_when_paused(command(db), env, pause)
        stages.append(pause)
        got = dump(db)
        assert not any(row[2] is None for row in got["mentions"]), f"{pause}: mentions without a story"
    finished = subprocess.run(command(db), env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert dump(db) == expected, f"after kills at {stages}: tables differ from the uninterrupted run"
