"""Coding on every core: the event coder in worker processes, behind the coder's own interface, so `dragoman
ingest` and `dragoman code` use all cores without changing how they store or print.

spaCy holds the GIL while it parses, so threads would not help: each worker process builds its coder once
(``spawn``: nothing of the parent's state is shared, as in `dragoman batch`) and codes chunks of articles; the
parent sends chunks ahead (at most two per worker in flight) and gives the results back in input order. A chunk
that fails raises where its articles would have been given back: the caller's isolation (ingest codes the rest
one by one) applies as with one process. A worker that dies takes the pool with it: the next call starts a
new one.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from dragoman import settings
from dragoman.model import Article, EventMention

Found = dict[str, list[Any]]
_WORKER: dict[str, Any] = {}  # in a worker process: its coder


def _start(options: dict[str, Any], claims: bool) -> None:
    from dragoman.analysis.claims import claims_coder
    from dragoman.coder import Coder

    _WORKER["coder"] = claims_coder(**options) if claims else Coder(**options)


def _code(chunk: list[Article]) -> list[tuple[Article, list[EventMention], Found]]:
    return list(_WORKER["coder"].code_articles_found(chunk))


def _info() -> Any:
    return _WORKER["coder"].info


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class ProcessCoder:
    """The event coder (:class:`dragoman.coder.Coder` with ``options``; with ``claims``, the ingest job's, which
    counts claims as it codes) in ``workers`` processes. A :class:`dragoman.jobs.ingest.ArticleCoder`;
    :meth:`close` ends the workers."""

    def __init__(self, workers: int, options: dict[str, Any] | None = None, *, claims: bool = True,
                 chunk: int = settings.PARALLEL_CHUNK) -> None:
        if workers < 2:
            raise ValueError("a process coder needs at least two workers (one codes in-process)")
        self.workers = workers
        self.options = dict(options or {})
        self.claims = claims
        self.chunk = max(1, chunk)
        self._pool: ProcessPoolExecutor | None = None
        self.info = self._ready()

    def _ready(self) -> Any:
        """Start the workers, each building its coder at once (in parallel), and read the coder's provenance."""
        import multiprocessing

        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start, initargs=(self.options, self.claims))
        infos = [self._pool.submit(_info) for _ in range(self.workers)]
        return [f.result() for f in infos][0]

    def _submit(self, chunk: list[Article]) -> Future:
        if self._pool is None:
            self._ready()
        assert self._pool is not None
        return self._pool.submit(_code, chunk)

    def code_articles_found(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention], Found]]:
        """Code articles in the workers; each with what the claims reader found, in input order."""
        in_flight: deque[Future] = deque()
        chunk: list[Article] = []
        try:
            for article in articles:
                chunk.append(article)
                if len(chunk) == self.chunk:
                    in_flight.append(self._submit(chunk))
                    chunk = []
                    while len(in_flight) > 2 * self.workers:
                        yield from in_flight.popleft().result()
            if chunk:
                in_flight.append(self._submit(chunk))
            while in_flight:
                yield from in_flight.popleft().result()
        except BrokenProcessPool:
            self.close()  # (the next call starts new workers)
            raise
        finally:
            for future in in_flight:
                future.cancel()

    def submit(self, articles: Sequence[Article]) -> Submitted:
        """Start coding ``articles`` and return at once; :meth:`Submitted.results` waits for them."""
        chunks = [list(articles[i:i + self.chunk]) for i in range(0, len(articles), self.chunk)]
        return Submitted(self, [self._submit(c) for c in chunks])

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        for article, mentions, _found in self.code_articles_found(articles):
            yield article, mentions

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class Submitted:
    """Articles sent to a :class:`ProcessCoder`, coding while the caller does something else."""

    def __init__(self, coder: ProcessCoder, futures: list[Future]) -> None:
        self.coder = coder
        self.futures = futures

    def results(self) -> Iterator[tuple[Article, list[EventMention], Found]]:
        """Each article with its mentions and findings, in the order sent (waiting for those not yet coded)."""
        try:
            for future in self.futures:
                yield from future.result()
        except BrokenProcessPool:
            self.coder.close()  # (the next call starts new workers)
            raise


def workers_for(requested: int | None, input_bytes: int) -> int:
    """How many processes to code with: ``requested`` (1: in this process), or by default every core when the
    input is large enough to pay for starting them (:data:`settings.PARALLEL_MIN_INPUT_BYTES`)."""
    if requested is not None:
        return max(1, requested)
    return cores() if input_bytes >= settings.PARALLEL_MIN_INPUT_BYTES else 1


def input_bytes(sources: Iterable[str]) -> int:
    """The size of the local files among ``sources`` (folders summed over their files; URLs count nothing)."""
    from pathlib import Path

    total = 0
    for source in sources:
        path = Path(source)
        try:
            if path.is_file():
                total += path.stat().st_size
            elif path.is_dir():
                total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        except OSError:
            continue
    return total
