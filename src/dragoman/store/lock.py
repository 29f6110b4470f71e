"""A cross-process reader-writer lock beside a store file, taken around every connection to it.

DuckDB lets one process open a file read-write, or many processes open it read-only, never both: a reader that
meets a writer's connection (or the other way round) fails with "Could not set lock". So every process that
opens the store through :class:`dragoman.store.db.Store` takes this lock first: readers share it, a writer holds
it alone, and DuckDB's own lock is then never contended.

Two files beside ``DB`` carry it, with ``fcntl.flock`` (released by the kernel when a process dies, so a killed
ingest never leaves the store locked):

* ``DB.lock`` — the lock itself: shared by readers, exclusive for a writer;
* ``DB.gate`` — a turnstile: everyone passes it (exclusively, for an instant) on the way in, and a writer stays
  in it until it holds ``DB.lock``. A waiting writer so stops new readers from joining the ones it waits for:
  a stream of readers never starves it, and readers wait at most one writer's transaction.

Waiting blocks in the kernel (nobody polls). ``flock`` has no timeout, so a bounded wait blocks in a helper
thread and gives up at the deadline; the helper releases the lock as soon as it gets it late.

Locks are per thread and re-entrant: a thread that holds the lock and opens another connection to the same store
(a read inside a write transaction) does not wait for itself. Where the lock files cannot be created (a store
in a read-only folder, which no writer can change either), readers go without.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX; elsewhere the store falls back on DuckDB's own lock (and its retries)
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class LockTimeout(TimeoutError):
    """The lock was not granted before the deadline (another process holds the store)."""


class LockOrderError(RuntimeError):
    """A thread that holds the store for reading asked to write: it would wait for itself forever."""


_held = threading.local()  # per thread: lock path -> [exclusive?, depth]


def _holdings() -> dict[str, list]:
    if not hasattr(_held, "locks"):
        _held.locks = {}
    return _held.locks


def _open(path: Path) -> int | None:
    """A descriptor of the lock file (created if need be), or ``None`` where it can be neither created nor read."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        try:
            return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None


def _flock(fd: int, operation: int, deadline: float | None) -> None:
    """Lock ``fd`` (``LOCK_SH`` or ``LOCK_EX``) by ``deadline`` (``time.monotonic()``; ``None``: no limit).

    On :class:`LockTimeout` the descriptor belongs to the helper thread, which closes it: callers then must not.
    """
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    if deadline is None:
        fcntl.flock(fd, operation)
        return
    granted = threading.Event()
    state = threading.Lock()
    outcome: dict[str, object] = {}

    def wait() -> None:
        try:
            fcntl.flock(fd, operation)
        except OSError as exc:
            outcome["error"] = exc
        with state:
            if outcome.get("abandoned"):
                os.close(fd)  # too late: the caller has given up; closing releases the lock
                return
            granted.set()

    threading.Thread(target=wait, name="store-lock-wait", daemon=True).start()
    if not granted.wait(max(0.0, deadline - time.monotonic())):
        with state:
            if not granted.is_set():
                outcome["abandoned"] = True
                raise LockTimeout
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]


class StoreLock:
    """The reader-writer lock of the store at ``db_path`` (see the module docstring)."""

    def __init__(self, db_path: str | Path) -> None:
        db = Path(db_path)
        self.lock_path = db.with_name(db.name + ".lock")
        self.gate_path = db.with_name(db.name + ".gate")
        self._key = str(self.lock_path.absolute())

    def held(self) -> str | None:
        """``"exclusive"``, ``"shared"`` or ``None``: what this thread holds."""
        entry = _holdings().get(self._key)
        return None if entry is None else ("exclusive" if entry[0] else "shared")

    @contextmanager
    def hold(self, exclusive: bool, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock (``exclusive`` for a writer) for the ``with`` block; wait at most ``timeout`` seconds
        (``None``: as long as it takes), else :class:`LockTimeout`."""
        holdings = _holdings()
        entry = holdings.get(self._key)
        if entry is not None:  # re-entered by the thread that holds it
            if exclusive and not entry[0]:
                raise LockOrderError(f"{self.lock_path}: asked to write while this thread holds it for reading")
            entry[1] += 1
            try:
                yield
            finally:
                entry[1] -= 1
            return
        if fcntl is None:
            yield
            return
        fd = self._acquire(exclusive, timeout)
        holdings[self._key] = [exclusive, 1]
        try:
            yield
        finally:
            del holdings[self._key]
            if fd is not None:
                os.close(fd)  # releases the lock

    def _acquire(self, exclusive: bool, timeout: float | None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        gate = _open(self.gate_path)
        lock = _open(self.lock_path)
        if lock is None:  # no lock file and none can be made: a read-only folder, where nobody writes
            if gate is not None:
                os.close(gate)
            return None
        try:
            if gate is not None:
                try:
                    _flock(gate, fcntl.LOCK_EX, deadline)
                except LockTimeout:
                    gate = None  # the helper thread owns (and closes) it now
                    raise
            try:
                _flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, deadline)
            except LockTimeout:
                lock = None
                raise
        except BaseException:
            if lock is not None:
                os.close(lock)
            raise
        finally:
            if gate is not None:
                os.close(gate)  # out of the turnstile: the next one may pass
        return lock
