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

Reading threads of one process share one shared lock and one open resource (:meth:`StoreLock.read`: the
store's read-only DuckDB instance, whose opening costs more than most queries): each still passes the turnstile,
so a waiting writer stops them joining, and the last one out closes the resource and releases the lock, at once
if someone waits in the turnstile, else after a short linger (``settings.STORE_READ_LINGER_S``), so the next
request reuses it. A writer of the same process releases an idle one before it waits.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:  # POSIX; elsewhere the store falls back on DuckDB's own lock (and its retries)
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class LockTimeout(TimeoutError):
    """The lock was not granted before the deadline (another process holds the store)."""


class LockOrderError(RuntimeError):
    """A thread that holds the store for reading asked to write: it would wait for itself forever."""


_held = threading.local()  # per thread: lock path -> [exclusive?, depth, resource read through (or None)]


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


class _ProcessReads:
    """The reading threads of one store in this process: how many read now, the shared lock they hold together,
    and the resource they share (opened by the first, closed after the last)."""

    def __init__(self) -> None:
        self.mutex = threading.Lock()
        self.count = 0
        self.fd: int | None = None
        self.resource: Any = None
        self.close: Callable[[Any], None] | None = None
        self.identity: tuple[int, int, int, int] | None = None  # the store file's, when it was opened
        self.timer: threading.Timer | None = None
        # whether a reading thread of this process is in the turnstile (set by the one that is: one at a time), so
        # that the last reader out does not take it for a waiting writer and close what that thread comes to use
        self.in_gate = False

    def release(self) -> None:
        """Close the resource and release the lock (called with ``mutex`` held, when no thread reads)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.resource is not None and self.close is not None:
            try:
                self.close(self.resource)
            finally:
                self.resource = None
                if self.fd is not None:
                    os.close(self.fd)
                    self.fd = None

    def release_later(self, delay: float) -> None:
        """Release after ``delay`` unless a reader comes back first (``mutex`` held)."""
        timer = threading.Timer(delay, self._expire)
        timer.daemon = True
        self.timer = timer
        timer.start()

    def _expire(self) -> None:
        with self.mutex:
            if self.count == 0 and self.timer is threading.current_thread():
                self.timer = None
                self.release()


_process_reads: dict[str, _ProcessReads] = {}
_process_reads_mutex = threading.Lock()
_inherited: list[Any] = []  # a forked child's copies of its parent's open stores, never closed (see below)


def _forget_in_child() -> None:
    """A forked child holds none of its parent's locks or open stores: it drops its copies (closing a copy of a
    descriptor releases nothing the parent holds)."""
    global _process_reads_mutex
    for reads in _process_reads.values():
        if reads.fd is not None:
            os.close(reads.fd)
        if reads.resource is not None:
            # closing a DuckDB instance copied mid-flight would join worker threads the child does not have
            _inherited.append(reads.resource)
    _process_reads.clear()
    _process_reads_mutex = threading.Lock()
    _held.__dict__.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


@atexit.register
def _release_at_exit() -> None:
    """Close the idle shared stores before the interpreter goes down: a linger timer (a daemon thread) closing one
    during finalisation would be stopped inside DuckDB, which aborts the process."""
    with _process_reads_mutex:
        every = list(_process_reads.values())
    for reads in every:
        with reads.mutex:
            if reads.count == 0:
                reads.release()


def _file_identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells a replaced or rewritten store file from the one opened: under the lock nobody writes it while
    the shared instance is open, so any change was made outside the lock (a file moved over it, a copy)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def _gate_busy(path: Path) -> bool:
    """Whether someone is in the turnstile now (a writer waiting, most likely): one try, no waiting."""
    fd = _open(path)
    if fd is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


class StoreLock:
    """The reader-writer lock of the store at ``db_path`` (see the module docstring)."""

    def __init__(self, db_path: str | Path) -> None:
        db = Path(db_path)
        self.db_path = db
        self.lock_path = db.with_name(db.name + ".lock")
        self.gate_path = db.with_name(db.name + ".gate")
        self._key = str(self.lock_path.absolute())

    def _reads(self) -> _ProcessReads:
        with _process_reads_mutex:
            return _process_reads.setdefault(self._key, _ProcessReads())

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
        holdings[self._key] = [exclusive, 1, None]
        try:
            yield
        finally:
            del holdings[self._key]
            if fd is not None:
                os.close(fd)  # releases the lock

    @contextmanager
    def read(self, timeout: float | None, open_resource: Callable[[], Any], close_resource: Callable[[Any], None],
             checkout: Callable[[Any], Any], linger: float = 0.0) -> Iterator[Any]:
        """Hold the lock for reading, with this process's other readers (see the module docstring), and yield
        ``checkout(resource)`` (made while no other thread touches the resource): the resource is opened by
        ``open_resource`` when no thread of this process holds it, and closed by ``close_resource`` after the
        last reader. :class:`LockTimeout` after ``timeout`` seconds."""
        holdings = _holdings()
        entry = holdings.get(self._key)
        reads = self._reads()
        if entry is not None and entry[2] is None:  # the thread holds the lock through hold()
            if entry[0]:
                raise LockOrderError(f"{self.lock_path}: a shared read asked inside an exclusive hold")
            with self.hold(exclusive=False):  # (a plain shared hold: a resource of its own)
                resource = open_resource()
                try:
                    yield checkout(resource)
                finally:
                    close_resource(resource)
            return
        if entry is not None:  # re-entered by a thread that reads already
            entry[1] += 1
            try:
                with reads.mutex:
                    handle = checkout(entry[2])
                yield handle
            finally:
                entry[1] -= 1
            return
        if fcntl is None:
            resource = open_resource()
            try:
                yield checkout(resource)
            finally:
                close_resource(resource)
            return
        deadline = None if timeout is None else time.monotonic() + timeout
        gate = _open(self.gate_path)
        passing = False
        try:
            if gate is not None:
                try:
                    _flock(gate, fcntl.LOCK_EX, deadline)  # the turnstile: behind any waiting writer
                except LockTimeout:
                    gate = None  # the helper thread owns (and closes) it now
                    raise
                reads.in_gate = passing = True
            with reads.mutex:
                if reads.timer is not None:
                    reads.timer.cancel()
                    reads.timer = None
                if reads.resource is not None and reads.count == 0 and \
                        _file_identity(self.db_path) != reads.identity:
                    reads.release()  # the store file was replaced meanwhile: open the new one
                if reads.resource is None:
                    fd = _open(self.lock_path)
                    if fd is not None:
                        try:
                            _flock(fd, fcntl.LOCK_SH, deadline)
                        except LockTimeout:
                            fd = None  # (the helper thread's now)
                            raise
                    try:
                        reads.resource = open_resource()
                    except BaseException:
                        if fd is not None:
                            os.close(fd)
                        raise
                    reads.fd, reads.close = fd, close_resource
                    reads.identity = _file_identity(self.db_path)
                reads.count += 1
                resource = reads.resource
                try:
                    handle = checkout(resource)
                except BaseException:
                    self._leave(reads, linger)
                    raise
        finally:
            if passing:
                reads.in_gate = False
            if gate is not None:
                os.close(gate)
        holdings[self._key] = [False, 1, resource]
        try:
            yield handle
        finally:
            del holdings[self._key]
            with reads.mutex:
                self._leave(reads, linger)

    def _leave(self, reads: _ProcessReads, linger: float) -> None:
        """One reader fewer (``mutex`` held): the last closes the resource, at once if someone is in the
        turnstile (a writer waits), else after ``linger``."""
        reads.count -= 1
        if reads.count == 0:
            if linger <= 0 or (not reads.in_gate and _gate_busy(self.gate_path)):
                reads.release()
            else:
                reads.release_later(linger)

    def release_idle_reads(self) -> None:
        """Close this process's shared read resource now if no thread reads (a writer of this process is about
        to wait for the lock, and DuckDB opens no read-write connection beside a read-only one)."""
        reads = self._reads()
        with reads.mutex:
            if reads.count == 0:
                reads.release()

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
            if exclusive:
                self.release_idle_reads()  # (readers of this process still in flight close it when they leave)
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
