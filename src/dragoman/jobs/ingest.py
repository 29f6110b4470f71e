"""The ingest job: read inputs (the ``ingest`` stage), give each article its identity, language and duplicate
link, code the English originals (the coder), write batches to the store, and assign their mentions to stories
(the ``analysis`` stage, through :mod:`dragoman.jobs.stories`).

Crash safety comes from three properties: batches are written in one transaction each, their story assignment
included (a kill loses at most the batch in flight, and never leaves mentions without a story); an article
already stored is skipped (so a re-run resumes); and every decision about an article depends only on the
articles before it in the deterministic input order (so the resumed run decides exactly what the uninterrupted
one would have). Nothing here reads the clock. A run also assigns any mentions it finds without a story (an
older Dragoman, killed between a batch's commit and its story assignment, left them so).

Locking: coding, and clustering a batch's stories, happen outside the store's exclusive lock (readers go on);
the writer holds it only for each batch's transaction, which writes the rows and the stories planned for them
(:func:`dragoman.jobs.stories.plan_batch`).

Isolation: whatever goes wrong with one input costs only that input, and becomes one :class:`Failure`
(``INPUT[:LINE]: reason``) while the run goes on. A reader that raises something unexpected ends that input (the
articles it gave before are kept); an article that cannot be identified is skipped; an article the coder fails
on, or whose mentions the store refuses, is stored uncoded with the reason in ``articles.code_error``
(``dragoman recode`` codes it later); an article the store refuses outright is left out.

The test-only hook ``$DRAGOMAN_TEST_PAUSE=STAGE:N`` pauses the run (forever, to be killed) at the Nth batch it
writes: ``batch`` (before coding it), ``stories`` (its rows written, its stories not yet assigned, in the
transaction) or ``commit`` (just after its commit), printing ``test pause at STAGE:N`` on stderr first.

Identity: an article's id is the input's own (JSONL ``id``, feed entry id, canonical URL), else a hash of its
normalised text and its outlet (see :func:`dragoman.ingest.sources.identify`).

:func:`ingest` reads sources (files, folders, feeds, URLs); :func:`ingest_articles` takes :class:`Article`
records already read (the API's submissions). Both go through the same per-article steps.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dragoman import settings
from dragoman.analysis.claims import claims_coder
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.dedup import DedupIndex
from dragoman.ingest.sources import Input, Reader, expand, finalise, identify
from dragoman.ingest.types import Failure
from dragoman.jobs.stories import StoryCache, apply_plan, assign_stories_in, plan_batch, reassign_orphans
from dragoman.model import Article, EventMention
from dragoman.store import articles as queries
from dragoman.store.claims import write_claims_in
from dragoman.store.db import StoreError
from dragoman.store.stories import story_inputs_fingerprint

if TYPE_CHECKING:
    import httpx
    from datasketch import MinHash

    from dragoman.ingest.fetch import Resolver
    from dragoman.store.db import Store


# An article as written: the article, its MinHash signature, its mentions (None: not coded) and why it could
# not be coded (None: it was, or it was not to be).
Row = tuple[Article, list[int], list[EventMention] | None, str | None]


class ArticleCoder(Protocol):
    """What ingest needs of the event coder (``dragoman.coder.Coder``)."""

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]: ...


class Progress(Protocol):
    """Progress reporting: ``start`` once with the number of inputs, ``advance`` after each input is read."""

    def start(self, total: int) -> None: ...

    def advance(self, label: str) -> None: ...


@dataclass
class IngestSummary:
    """What an ingest did. Counts are of articles; ``failures`` name each input (or part) that was refused."""

    inputs: int = 0
    read: int = 0  # articles read from the inputs, stored before or not
    ingested: int = 0  # newly stored
    already_stored: int = 0  # skipped: their id was stored before (or earlier in this run)
    exact_duplicates: int = 0
    near_duplicates: int = 0
    non_english: Counter[str] = field(default_factory=Counter)  # language -> newly stored articles
    coded: int = 0
    mentions: int = 0
    code_errors: int = 0  # stored uncoded: the coder failed on them, or the store refused their mentions
    failures: list[Failure] = field(default_factory=list)
    # Inputs whose id was stored with a different text: the stored version is kept (ingest never rewrites).
    changed: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return self.exact_duplicates + self.near_duplicates

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs, "read": self.read, "ingested": self.ingested,
            "already_stored": self.already_stored, "exact_duplicates": self.exact_duplicates,
            "near_duplicates": self.near_duplicates, "non_english": dict(sorted(self.non_english.items())),
            "coded": self.coded, "mentions": self.mentions, "code_errors": self.code_errors,
            "failed": [str(f) for f in self.failures],
            "changed": list(self.changed),
        }


def default_coder() -> ArticleCoder:
    """The event coder with the built-in lexicons, reading count claims as it codes (it loads spaCy and the
    lexicons: built only when coding)."""
    return claims_coder()


def ingest(
    sources: Iterable[str | Path],
    store: Store,
    *,
    published: str | date | None = None,
    allow_private: bool = False,
    code: bool = True,
    coder_factory: Callable[[], ArticleCoder] | None = None,
    progress: Progress | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    batch_size: int | None = None,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Read ``sources`` into ``store``: deduplicated, language-tagged, English originals coded (``code``) in
    ``workers`` processes (:class:`dragoman.jobs.parallel.ProcessCoder`; 1: in this one), in transactions of
    ``batch_size`` articles per coding process (default ``settings.INGEST_BATCH_SIZE``, or
    ``settings.INGEST_PARALLEL_BATCH_SIZE`` with several processes).

    Failures are collected in the summary and passed to ``on_failure`` as they happen; the run goes on.
    """
    fallback = normalise_date(published)
    if published is not None and fallback is None:
        raise ValueError(f"--published {published!r} is not a date (YYYY-MM-DD) of a sane year "
                         f"({settings.PUBLISHED_MIN_YEAR}..{settings.PUBLISHED_MAX_YEAR})")
    summary = IngestSummary()
    reader = Reader(allow_private=allow_private, resolver=resolver, transport=transport)
    if coder_factory is None and workers > 1:
        from dragoman.jobs.parallel import ProcessCoder

        coder_factory = partial(ProcessCoder, workers)
        batch_size = (batch_size or settings.INGEST_PARALLEL_BATCH_SIZE) * workers
    batch_size = batch_size or settings.INGEST_BATCH_SIZE
    run = Run(store, summary, code=code, coder_factory=coder_factory or default_coder, fallback=fallback,
               batch_size=batch_size, on_failure=on_failure)
    try:
        _read_into(run, reader, sources, summary, progress)
    finally:
        run.close()
    return summary


def _read_into(run: Run, reader: Reader, sources: Iterable[str | Path], summary: IngestSummary,
               progress: Progress | None) -> None:
    inputs = expand(sources)
    summary.inputs = sum(isinstance(i, Input) for i in inputs)
    if progress is not None:
        progress.start(len(inputs))
    for item in inputs:
        if isinstance(item, Failure):
            run.fail(item)
            if progress is not None:
                progress.advance(item.origin)
            continue
        for found in _guarded(reader.read(item), item.label):
            if isinstance(found, Failure):
                run.fail(found)
            else:
                run.take(found)  # an article's own trouble is its own failure
        if progress is not None:
            progress.advance(item.label)
    run.flush()


def ingest_articles(
    articles: Iterable[Article],
    store: Store,
    *,
    code: bool = True,
    coder_factory: Callable[[], ArticleCoder] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    batch_size: int = settings.INGEST_BATCH_SIZE,
) -> IngestSummary:
    """Store :class:`Article` records already read (as a reader gives them: identity, language and duplicate
    link are decided here), coding the English originals; the same steps as :func:`ingest`."""
    summary = IngestSummary()
    run = Run(store, summary, code=code, coder_factory=coder_factory or default_coder, fallback=None,
               batch_size=batch_size, on_failure=on_failure)
    for article in articles:
        summary.inputs += 1
        run.take(article)
    run.flush()
    return summary


def _guarded(found: Iterator[Article | Failure], label: str) -> Iterator[Article | Failure]:
    """A reader's items; a reader that raises (a bug, or a file it did not foresee) ends with one failure, and
    the articles it gave before stay given."""
    given = 0
    while True:
        try:
            item = next(found)
        except StopIteration:
            return
        except Exception as exc:
            yield Failure(label, f"reading stopped by an unexpected error ({describe(exc)}); "
                                 f"{given} article(s) read before it kept")
            return
        given += isinstance(item, Article)
        yield item


def describe(exc: BaseException) -> str:
    """An exception in one line a terminal can show: its type and message, control characters escaped, capped."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = "".join(c if c == " " or unicodedata.category(c)[0] not in "CZ" else ascii(c)[1:-1] for c in text)
    return text if len(text) <= 300 else text[:299] + "…"


def _pause(stage: str, batch: int) -> None:
    """The test-only hook (``$DRAGOMAN_TEST_PAUSE=STAGE:N``, see the module docstring): wait here to be killed."""
    if os.environ.get("DRAGOMAN_TEST_PAUSE") == f"{stage}:{batch}":
        print(f"dragoman: test pause at {stage}:{batch}", file=sys.stderr, flush=True)
        time.sleep(3600)


@dataclass
class Coded:
    """A batch as coded: mentions by article id, the coder's error by article id, and what the coder's
    observers found by article id (``{"claims": [...]}``; absent when the coder has no observers)."""

    mentions: dict[str, list[EventMention]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    found: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    coded_with: str | None = None  # the coder's ``version+lexicons`` (None: a coder that does not say)

    def claims(self, article_ids: Iterable[str]) -> list[dict[str, Any]]:
        return [c for a in article_ids for c in self.found.get(a, {}).get("claims", [])]


def _coded(coder: ArticleCoder, articles: Sequence[Article]
           ) -> Iterator[tuple[Article, list[EventMention], dict[str, list[Any]] | None]]:
    """The coder's output, with its observers' findings when it has observers (``None``: it reads no claims)."""
    with_found = getattr(coder, "code_articles_found", None)
    if with_found is not None:
        yield from with_found(articles)
    else:
        for article, mentions in coder.code_articles(articles):
            yield article, mentions, None


def coder_fingerprint(coder: ArticleCoder) -> str | None:
    """The coder's ``version+lexicons`` (:attr:`dragoman.model.Coder.fingerprint`), if it says (``info``)."""
    info = getattr(coder, "info", None)
    fingerprint = getattr(info, "fingerprint", None)
    return fingerprint if isinstance(fingerprint, str) else None


def code_isolated(coder: ArticleCoder, articles: Sequence[Article]) -> Coded:
    """Code ``articles``. A coder that raises on one article kills its batch (the generator is gone): the
    articles it had not yet given back are then coded one by one, so only the one it fails on is lost to
    coding."""
    out = Coded(coded_with=coder_fingerprint(coder))
    try:
        for article, mentions, found in _coded(coder, articles):
            out.mentions[article.article_id] = list(mentions)
            if found is not None:
                out.found[article.article_id] = found
    except Exception:
        for article in articles:
            if article.article_id in out.mentions:
                continue
            try:
                for done, mentions, found in _coded(coder, [article]):
                    out.mentions[done.article_id] = list(mentions)
                    if found is not None:
                        out.found[done.article_id] = found
            except Exception as exc:
                out.errors[article.article_id] = describe(exc)
    return out


@dataclass
class InFlight:
    """A batch sent to a coder's worker processes (``handle``: its ``submit``), to be stored when coded."""

    coder: ArticleCoder
    batch: Sequence[tuple[Article, MinHash]]
    to_code: Sequence[Article]
    handle: Any

    def collect(self) -> tuple[Sequence[tuple[Article, MinHash]], Coded]:
        """The batch and its coding; a batch whose coding failed is coded again one article at a time."""
        out = Coded(coded_with=coder_fingerprint(self.coder))
        try:
            for article, mentions, found in self.handle.results():
                out.mentions[article.article_id] = list(mentions)
                out.found[article.article_id] = found
        except Exception:
            out = code_isolated(self.coder, self.to_code)
        return self.batch, out


class TransactionHook(Protocol):
    """What a caller of :class:`Run` adds to each batch's transaction (the watcher: the rows of the feed items
    whose articles the batch stores): ``write`` inside it, ``committed`` once it is committed."""

    def write(self, con: Any) -> None: ...

    def committed(self) -> None: ...


class Run:
    """Takes articles one by one (identity, duplicate link), and writes them in batches: codes the English
    originals of each batch, then stores it and assigns its mentions to stories, in one transaction.

    ``hook`` writes rows of the caller's own in every batch's transaction (see :class:`TransactionHook`)."""

    def __init__(
        self, store: Store, summary: IngestSummary, *, code: bool, coder_factory: Callable[[], ArticleCoder],
        fallback: str | None, batch_size: int, on_failure: Callable[[Failure], None] | None,
        hook: TransactionHook | None = None,
    ) -> None:
        self.store = store
        self.summary = summary
        self.code = code
        self.coder_factory = coder_factory
        self.fallback = fallback
        self.batch_size = batch_size
        self.on_failure = on_failure
        reassign_orphans(store)
        self.index = DedupIndex.from_rows(queries.dedup_rows(store))
        self.pending: list[tuple[Article, MinHash]] = []
        self.batches = 0
        self._coder: ArticleCoder | None = None
        self.story_cache = StoryCache()
        self.hook = hook
        self._in_flight: InFlight | None = None  # a batch coding in worker processes, not yet stored

    def close(self) -> None:
        """End the coder's worker processes, if it has any."""
        close = getattr(self._coder, "close", None)
        if close is not None:
            close()

    def is_stored(self, article: Article) -> bool:
        """Whether the article's id (given, or derived from its text by :func:`identify`) is stored already, or
        taken earlier in this run."""
        return identify(article).article_id in self.index

    def fail(self, failure: Failure) -> None:
        self.summary.failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def take(self, found: Article) -> None:
        """One article as read: skipped when its id is stored, else linked to its original and queued. Whatever
        goes wrong with it is its own failure."""
        self.summary.read += 1
        try:
            queued = self._queue(found)
        except Exception as exc:
            self.fail(Failure(found.origin or found.article_id or "article", f"skipped: {describe(exc)}"))
            return
        if queued and len(self.pending) >= self.batch_size:
            self.flush()

    def _queue(self, found: Article) -> bool:
        article = identify(found)
        index = self.index
        if article.article_id in index:
            self.summary.already_stored += 1
            if index.content_hashes[article.article_id] != article.content_hash:
                self.summary.changed.append(article.origin or article.article_id)
            return False
        finalise(article, self.fallback)
        signature = index.signature(article.text)
        article.duplicate_of, article.duplicate_kind = index.classify(article, signature)
        index.add(article.article_id, article.content_hash, article.published, article.duplicate_of, signature)
        self.pending.append((article, signature))
        return True

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        self.write(batch)
        if self._in_flight is not None:  # the last batch, coding in the workers
            self._store_batch(*self._in_flight.collect())
            self._in_flight = None

    def _to_code(self, article: Article) -> bool:
        return self.code and article.duplicate_of is None and article.language == "en"

    def write(self, batch: Sequence[tuple[Article, MinHash]]) -> None:
        if not batch:
            return
        self.batches += 1
        _pause("batch", self.batches)
        coded = Coded()
        to_code = [a for a, _ in batch if self._to_code(a)]
        if to_code:  # outside the store's lock: readers go on meanwhile
            if self._coder is None:
                self._coder = self.coder_factory()
            submit = getattr(self._coder, "submit", None)
            if submit is not None and self.hook is None:
                # a coder in worker processes codes this batch while the one before is stored
                started = InFlight(self._coder, batch, to_code, submit(to_code))
                before, self._in_flight = self._in_flight, started
                if before is not None:
                    self._store_batch(*before.collect())
                return
            coded = code_isolated(self._coder, to_code)
        if self._in_flight is not None:  # (batches are stored in the order they were read)
            self._store_batch(*self._in_flight.collect())
            self._in_flight = None
        self._store_batch(batch, coded)

    def _store_batch(self, batch: Sequence[tuple[Article, MinHash]], coded: Coded) -> None:
        rows: list[Row] = [(a, [int(v) for v in signature.hashvalues], coded.mentions.get(a.article_id),
                            coded.errors.get(a.article_id)) for a, signature in batch]
        try:
            stored = set(self._store(rows, coded, pause=True))
        except StoreError:
            raise
        except Exception:  # the store refused a row: write the batch's articles one by one to find it
            stored = set()
            for n, row in enumerate(rows):
                rows[n], added = self._store_alone(row, coded)
                stored.update(added)
        self.summary.ingested += len(stored)
        for article, _minhash, mentions, error in rows:
            if article.article_id not in stored:
                continue
            if article.duplicate_kind == "exact":
                self.summary.exact_duplicates += 1
            elif article.duplicate_kind == "near":
                self.summary.near_duplicates += 1
            if article.language != "en":
                self.summary.non_english[article.language or "unknown"] += 1
            if mentions is not None:
                self.summary.coded += 1
                self.summary.mentions += len(mentions)
            elif error is not None:
                self.summary.code_errors += 1
                self.fail(Failure(article.origin or article.article_id,
                                  f"not coded: {error}; stored uncoded (`dragoman recode` codes it later)"))
        _pause("commit", self.batches)

    def _store(self, rows: Sequence[Row], coded: Coded, *, pause: bool = False) -> list[str]:
        """Write rows, their count claims, and assign their mentions to stories, in one transaction. Returns the
        ids added.

        The stories are clustered first, outside the exclusive lock (:func:`plan_batch`), and written in the
        transaction if nothing they were clustered from changed meanwhile; else clustered again in it."""
        plan = plan_batch(self.store, rows, self.story_cache)
        with self.store.transaction() as con:
            fingerprint = story_inputs_fingerprint(con, plan.pairs) if plan is not None else None
            added = self.store.insert_articles(con, rows)
            new = set(added)
            new_coded = [a.article_id for a, _, mentions, _ in rows if a.article_id in new and mentions is not None]
            self.store.mark_coded_with(con, new_coded, coded.coded_with)
            write_claims_in(con, coded.claims(new_coded))
            if pause:
                _pause("stories", self.batches)
            if plan is None or len(added) != len(rows) or apply_plan(con, plan, fingerprint) is None:
                if plan is not None:  # (the plan could not be used: what the cache holds may be stale)
                    self.story_cache.clear()
                assign_stories_in(con, new_coded)
            if self.hook is not None:
                self.hook.write(con)
        if self.hook is not None:
            self.hook.committed()
        return added

    def _store_alone(self, row: Row, coded: Coded) -> tuple[Row, list[str]]:
        """One article of a batch the store refused, in a transaction of its own: with its mentions (and claims),
        else uncoded with the reason, else not at all (reported). Returns the row as stored and the ids added."""
        article, minhash, mentions, _error = row
        try:
            return row, self._store([row], coded)
        except StoreError:
            raise
        except Exception as exc:
            reason = describe(exc)
        if mentions is not None:
            uncoded = (article, minhash, None, f"the store refused its mentions: {reason}")
            try:
                return uncoded, self._store([uncoded], Coded())
            except StoreError:
                raise
            except Exception as exc:
                reason = describe(exc)
        self.fail(Failure(article.origin or article.article_id, f"not stored: {reason}"))
        return row, []
