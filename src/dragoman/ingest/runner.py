"""The ingest stage end to end: read inputs, give each article its identity, language and duplicate link, code
the English originals, and write batches to the store.

Crash safety comes from three properties: batches are written in one transaction each (a kill loses at most the
batch in flight); an article already stored is skipped (so a re-run resumes); and every decision about an
article depends only on the articles before it in the deterministic input order (so the resumed run decides
exactly what the uninterrupted one would have). Nothing here reads the clock.

Identity: an article's id is the input's own (JSONL ``id``, feed entry id, canonical URL), else a hash of its
normalised text and its outlet (see :func:`dragoman.ingest.sources.identify`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dragoman import settings
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.dedup import DedupIndex
from dragoman.ingest.sources import Input, Reader, expand, finalise, identify
from dragoman.ingest.types import Failure
from dragoman.model import Article, EventMention
from dragoman.store import articles as queries

if TYPE_CHECKING:
    import httpx
    from datasketch import MinHash

    from dragoman.ingest.fetch import Resolver
    from dragoman.store.db import Store


class ArticleCoder(Protocol):
    """What ingest needs of the event coder (``dragoman.pipeline.Coder``)."""

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
    """The pipeline's coder, imported only when coding (it loads spaCy and the lexicons)."""
    from dragoman.pipeline import Coder

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
        raise ValueError(f"--published {published!r} is not a date (YYYY-MM-DD)")
    summary = IngestSummary()
    index = DedupIndex.from_rows(queries.dedup_rows(store))
    reader = Reader(allow_private=allow_private, resolver=resolver, transport=transport)
    run = _Run(store, summary, code=code, coder_factory=coder_factory or default_coder)

    def fail(failure: Failure) -> None:
        summary.failures.append(failure)
        if on_failure is not None:
            on_failure(failure)

    inputs = expand(sources)
    summary.inputs = sum(isinstance(i, Input) for i in inputs)
    if progress is not None:
        progress.start(len(inputs))
    pending: list[tuple[Article, MinHash]] = []
    for item in inputs:
        if isinstance(item, Failure):
            fail(item)
            if progress is not None:
                progress.advance(item.origin)
            continue
        for found in reader.read(item):
            if isinstance(found, Failure):
                fail(found)
                continue
            summary.read += 1
            article = identify(found)
            if article.article_id in index:
                summary.already_stored += 1
                if index.content_hashes[article.article_id] != article.content_hash:
                    summary.changed.append(article.origin or article.article_id)
                continue
            finalise(article, fallback)
            signature = index.signature(article.text)
            article.duplicate_of, article.duplicate_kind = index.classify(article, signature)
            index.add(article.article_id, article.content_hash, article.published, article.duplicate_of, signature)
            pending.append((article, signature))
            if len(pending) >= batch_size:
                run.write(pending)
                pending = []
        if progress is not None:
            progress.advance(item.label)
    run.write(pending)
    return summary


class _Run:
    """Writes batches: codes the English originals of each, then stores it in one transaction."""

    def __init__(
        self, store: Store, summary: IngestSummary, *, code: bool, coder_factory: Callable[[], ArticleCoder]
    ) -> None:
        self.store = store
        self.summary = summary
        self.code = code
        self.coder_factory = coder_factory
        self._coder: ArticleCoder | None = None

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
        from dragoman.analysis.stories import assign  # the analysis stage, after the store (issue #5)

        assign(self.store, [a.article_id for a, _ in batch if a.article_id in coded])
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
