"""The ingest job: read inputs (the ``ingest`` stage), give each article its identity, language and duplicate
link, code the English originals (the coder), write batches to the store, and assign their mentions to stories
(the ``analysis`` stage, through :mod:`dragoman.jobs.stories`).

Crash safety comes from three properties: batches are written in one transaction each (a kill loses at most the
batch in flight); an article already stored is skipped (so a re-run resumes); and every decision about an
article depends only on the articles before it in the deterministic input order (so the resumed run decides
exactly what the uninterrupted one would have). Nothing here reads the clock.

Identity: an article's id is the input's own (JSONL ``id``, feed entry id, canonical URL), else a hash of its
normalised text and its outlet (see :func:`dragoman.ingest.sources.identify`).

:func:`ingest` reads sources (files, folders, feeds, URLs); :func:`ingest_articles` takes :class:`Article`
records already read (the API's submissions). Both go through the same per-article steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dragoman import settings
from dragoman.coder import Coder
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.dedup import DedupIndex
from dragoman.ingest.sources import Input, Reader, expand, finalise, identify
from dragoman.ingest.types import Failure
from dragoman.jobs.stories import assign_stories
from dragoman.model import Article, EventMention
from dragoman.store import articles as queries

if TYPE_CHECKING:
    import httpx
    from datasketch import MinHash

    from dragoman.ingest.fetch import Resolver
    from dragoman.store.db import Store


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
            "coded": self.coded, "mentions": self.mentions, "failed": [str(f) for f in self.failures],
            "changed": list(self.changed),
        }


def default_coder() -> ArticleCoder:
    """The event coder with the built-in lexicons (it loads spaCy and the lexicons: built only when coding)."""
    return Coder()


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
    batch_size: int = settings.INGEST_BATCH_SIZE,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
) -> IngestSummary:
    """Read ``sources`` into ``store``: deduplicated, language-tagged, English originals coded (``code``).

    Failures are collected in the summary and passed to ``on_failure`` as they happen; the run goes on.
    """
    fallback = normalise_date(published)
    if published is not None and fallback is None:
        raise ValueError(f"--published {published!r} is not a date (YYYY-MM-DD) of a sane year "
                         f"({settings.PUBLISHED_MIN_YEAR}..{settings.PUBLISHED_MAX_YEAR})")
    summary = IngestSummary()
    reader = Reader(allow_private=allow_private, resolver=resolver, transport=transport)
    run = _Run(store, summary, code=code, coder_factory=coder_factory or default_coder, fallback=fallback,
               batch_size=batch_size, on_failure=on_failure)
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
        for found in reader.read(item):
            if isinstance(found, Failure):
                run.fail(found)
            else:
                run.take(found)
        if progress is not None:
            progress.advance(item.label)
    run.flush()
    return summary


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
    run = _Run(store, summary, code=code, coder_factory=coder_factory or default_coder, fallback=None,
               batch_size=batch_size, on_failure=on_failure)
    for article in articles:
        summary.inputs += 1
        run.take(article)
    run.flush()
    return summary


class _Run:
    """Takes articles one by one (identity, duplicate link), and writes them in batches: codes the English
    originals of each batch, then stores it in one transaction and assigns its mentions to stories."""

    def __init__(
        self, store: Store, summary: IngestSummary, *, code: bool, coder_factory: Callable[[], ArticleCoder],
        fallback: str | None, batch_size: int, on_failure: Callable[[Failure], None] | None,
    ) -> None:
        self.store = store
        self.summary = summary
        self.code = code
        self.coder_factory = coder_factory
        self.fallback = fallback
        self.batch_size = batch_size
        self.on_failure = on_failure
        self.index = DedupIndex.from_rows(queries.dedup_rows(store))
        self.pending: list[tuple[Article, MinHash]] = []
        self._coder: ArticleCoder | None = None

    def fail(self, failure: Failure) -> None:
        self.summary.failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def take(self, found: Article) -> None:
        """One article as read: skipped when its id is stored, else linked to its original and queued."""
        self.summary.read += 1
        article = identify(found)
        index = self.index
        if article.article_id in index:
            self.summary.already_stored += 1
            if index.content_hashes[article.article_id] != article.content_hash:
                self.summary.changed.append(article.origin or article.article_id)
            return
        finalise(article, self.fallback)
        signature = index.signature(article.text)
        article.duplicate_of, article.duplicate_kind = index.classify(article, signature)
        index.add(article.article_id, article.content_hash, article.published, article.duplicate_of, signature)
        self.pending.append((article, signature))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        self.write(batch)

    def _to_code(self, article: Article) -> bool:
        return self.code and article.duplicate_of is None and article.language == "en"

    def write(self, batch: Sequence[tuple[Article, MinHash]]) -> None:
        if not batch:
            return
        coded: dict[str, list[EventMention]] = {}
        to_code = [a for a, _ in batch if self._to_code(a)]
        if to_code:
            if self._coder is None:
                self._coder = self.coder_factory()
            coded = {a.article_id: list(mentions) for a, mentions in self._coder.code_articles(to_code)}
        rows = [
            (a, [int(v) for v in signature.hashvalues], coded.get(a.article_id) if self._to_code(a) else None)
            for a, signature in batch
        ]
        self.summary.ingested += self.store.write_batch(rows)
        assign_stories(self.store, [a.article_id for a, _ in batch if a.article_id in coded])
        for article, _ in batch:
            if article.duplicate_kind == "exact":
                self.summary.exact_duplicates += 1
            elif article.duplicate_kind == "near":
                self.summary.near_duplicates += 1
            if article.language != "en":
                self.summary.non_english[article.language or "unknown"] += 1
            if article.article_id in coded:
                self.summary.coded += 1
                self.summary.mentions += len(coded[article.article_id])
