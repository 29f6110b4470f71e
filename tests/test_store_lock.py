"""Readers never wait on DuckDB's lock: the store's reader-writer lock (readers shared, a writer alone, a turnstile
so a waiting writer is not starved), across threads and processes; the API serves `/` and its static files without
touching the store; and API clients see no error while `dragoman ingest` writes to the same file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from dragoman.store import Store, StoreError
from dragoman.store.lock import LockOrderError, LockTimeout, StoreLock


def in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_readers_share_the_lock(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / "s.duckdb")
    both = threading.Barrier(2, timeout=5)

    def reader() -> None:
        with lock.hold(exclusive=False, timeout=2):
            both.wait()  # both inside at once

    threads = [in_thread(reader) for _ in range(2)]
    for t in threads:
        t.join(5)
    assert not both.broken


def test_a_writer_excludes_readers_and_writers(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / "s.duckdb")
    inside, leave = threading.Event(), threading.Event()

    def writer() -> None:
        with lock.hold(exclusive=True):
            inside.set()
            leave.wait(5)

    t = in_thread(writer)
    assert inside.wait(5)
    for exclusive in (False, True):
        with pytest.raises(LockTimeout), lock.hold(exclusive=exclusive, timeout=0.2):
            pass
    leave.set()
    t.join(5)
    with lock.hold(exclusive=False, timeout=1):
        pass  # free again; the abandoned waits left nothing behind


def test_a_waiting_writer_is_not_starved_by_new_readers(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / "s.duckdb")
    order: list[str] = []
    first_in, first_out = threading.Event(), threading.Event()

    def first_reader() -> None:
        with lock.hold(exclusive=False):
            first_in.set()
            first_out.wait(5)
            order.append("first reader out")  # still inside: the writer can only follow

    def writer() -> None:
        with lock.hold(exclusive=True):
            order.append("writer")

    def late_reader() -> None:
        with lock.hold(exclusive=False):
            order.append("late reader")

    threads = [in_thread(first_reader)]
    assert first_in.wait(5)
    threads.append(in_thread(writer))
    time.sleep(1.0)  # the writer now waits for the first reader, in the turnstile (slow CI machines too)
    threads.append(in_thread(late_reader))
    time.sleep(1.0)
    assert order == []  # the late reader waits behind the writer, although the lock is only shared now
    first_out.set()
    for t in threads:
        t.join(5)
    assert order == ["first reader out", "writer", "late reader"]


def test_the_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / "s.duckdb")
    with lock.hold(exclusive=True, timeout=1), lock.hold(exclusive=False, timeout=1), lock.hold(exclusive=True):
        assert lock.held() == "exclusive"
    assert lock.held() is None
    with lock.hold(exclusive=False, timeout=1), pytest.raises(LockOrderError), lock.hold(exclusive=True):
        pass


HOLD = """
import sys, time
from dragoman.store.lock import StoreLock
with StoreLock(sys.argv[1]).hold(exclusive=True):
    print("held", flush=True)
    time.sleep(60)
"""


def test_the_lock_works_across_processes_and_dies_with_its_holder(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    Store(db)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match="busy"):
            Store(db, read_only=True, lock_wait_s=0.3).count("articles")
        waited: list[float] = []

        def read() -> None:
            started = time.monotonic()
            Store(db, read_only=True, lock_wait_s=10).count("articles")
            waited.append(time.monotonic() - started)

        t = in_thread(read)
        time.sleep(0.3)
        proc.kill()  # the kernel releases a dead process's lock: the waiting reader goes on at once
        t.join(5)
        assert waited  # it went on (a reader still waiting would have its 10 s left)
    finally:
        proc.kill()
        proc.wait(5)


def test_every_connection_takes_the_lock_and_nested_ones_do_not_wait(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    with store.transaction() as con:
        assert store.lock.held() == "exclusive"
        con.execute("INSERT INTO actors VALUES ('X', 'X', NULL, NULL, NULL)")
        # a read inside the write does not wait for itself (a connection of its own: the row is not yet seen)
        assert store.count("actors") == 0
    with store.connect(read_only=True):
        assert store.lock.held() == "shared"
    assert store.lock.held() is None


def test_reading_threads_of_a_process_share_one_open_store_and_let_writers_in(tmp_path: Path,
                                                                             monkeypatch) -> None:
    import duckdb

    import dragoman.store.db as db_module
    from dragoman import settings
    from dragoman.store.lock import _gate_busy

    monkeypatch.setattr(settings, "STORE_READ_LINGER_S", 600.0)  # longer than the test: nothing expires in it
    store = Store(tmp_path / "s.duckdb")
    opened: list[bool] = []
    real_connect = duckdb.connect
    monkeypatch.setattr(db_module.duckdb, "connect",
                        lambda *a, **k: opened.append(k.get("read_only", False)) or real_connect(*a, **k))
    reads = store.lock._reads()
    try:
        for _ in range(5):
            store.count("articles")
        assert opened == [True] and reads.resource is not None  # opened once, reused by the next reads
        # threads read at once through the one instance, each on a cursor of its own (while this one reads too,
        # so that the instance is in use throughout)
        counts: list[int] = []
        with store.connect(read_only=True):
            threads = [in_thread(lambda: counts.append(store.count("articles"))) for _ in range(8)]
            for t in threads:
                t.join(10)
        assert counts == [0] * 8 and opened == [True]
        with store.transaction() as con:  # a writer of the same process: the idle read instance is closed first
            con.execute("INSERT INTO actors VALUES ('Y', 'Y', NULL, NULL, NULL)")
        assert store.count("actors") == 1 and opened == [True, False, True]
        # another process's writer that waits in the turnstile gets in as soon as the readers of this one leave,
        # without the linger
        with store.connect(read_only=True) as con:
            proc = subprocess.Popen([sys.executable, "-c", HOLD, str(store.path)], stdout=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 30
            while not _gate_busy(store.lock.gate_path) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert con.execute("SELECT count(*) FROM actors").fetchone()[0] == 1
        try:
            assert reads.resource is None and reads.fd is None
            assert proc.stdout.readline().strip() == "held"
        finally:
            proc.kill()
            proc.wait(5)
    finally:
        store.lock.release_idle_reads()


def test_a_replaced_store_file_is_opened_anew(tmp_path: Path, monkeypatch) -> None:
    import shutil

    from dragoman import settings

    monkeypatch.setattr(settings, "STORE_READ_LINGER_S", 600.0)  # the old instance is still open when it is replaced
    a, b = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    try:
        with b.transaction() as con:
            con.execute("INSERT INTO actors VALUES ('Z', 'Z', NULL, NULL, NULL)")
        assert a.count("actors") == 0 and a.lock._reads().resource is not None
        shutil.copy(b.path, tmp_path / "a.tmp")
        (tmp_path / "a.tmp").replace(a.path)
        assert a.count("actors") == 1
    finally:
        a.lock.release_idle_reads()
        b.lock.release_idle_reads()


# ---------------------------------------------------------------- the API while the store is held


@pytest.fixture()
def locked_app(tmp_path: Path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from dragoman.api import create_app

    db = tmp_path / "s.duckdb"
    Store(db)
    app = create_app(db, lock_wait_s=0.3)
    inside, leave = threading.Event(), threading.Event()

    def writer() -> None:
        with StoreLock(db).hold(exclusive=True):
            inside.set()
            leave.wait(20)

    t = in_thread(writer)
    assert inside.wait(5)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    leave.set()
    t.join(5)


def test_the_dashboard_and_static_files_do_not_wait_for_the_store(locked_app) -> None:
    for path in ("/", "/static/app.js", "/static/vendor/countries-110m.json", "/api/health"):
        r = locked_app.get(path)  # a read of the store would answer 503 (busy) after the app's 0.3 s
        assert r.status_code == 200, path
    assert locked_app.get("/static/app.js").headers["content-type"].startswith(("text/javascript",
                                                                               "application/javascript"))
    assert locked_app.get("/static/nope.js").status_code == 404
    assert locked_app.get("/static/../app.py").status_code == 404


def test_a_request_that_waits_too_long_is_a_503_with_a_reason(locked_app) -> None:
    r = locked_app.get("/api/mentions")
    assert r.status_code == 503 and "busy" in r.json()["reason"]


# ---------------------------------------------------------------- readers while `dragoman ingest` writes


def test_concurrent_clients_see_no_error_while_ingest_writes(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from test_api_http import LiveServer

    from dragoman.api import create_app

    script = Path(sys.executable).with_name("dragoman")
    if not script.exists():
        pytest.skip("the dragoman console script is not installed beside this Python")
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"n{n}", "text": f"Item {n}: the port authority of town {n} "
                                          f"reported {n * 3} arrivals and {n * 5} departures on day {n}."}) + "\n"
                              for n in range(150)), encoding="utf-8")
    db = tmp_path / "shared.duckdb"
    Store(db)
    errors: list[str] = []
    done = threading.Event()
    with LiveServer(create_app(db)) as server:
        proc = subprocess.Popen([str(script), "--db", str(db), "-q", "ingest", "--no-code", "--batch-size", "1",
                                 str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ))

        def client() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                while not done.is_set():
                    for path in ("/api/articles?limit=5", "/api/mentions?limit=5", "/api/facets", "/"):
                        r = http.get(path)
                        if r.status_code != 200:
                            errors.append(f"{path}: {r.status_code} {r.text[:200]}")

        clients = [in_thread(client) for _ in range(8)]
        out, err = proc.communicate(timeout=240)
        done.set()
        for t in clients:
            t.join(30)
    assert proc.returncode == 0, err
    assert not errors, errors[:5]
    assert Store(db, read_only=True).count("articles") == 150
