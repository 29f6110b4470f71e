"""Re-coding stored articles (``dragoman recode``): those the coder failed on or that were stored uncoded
(``--no-code``), the ones named, or every original English article (after a lexicon change).

Each batch is coded outside the store's lock (as in ingest), then written in one transaction: each article's
mentions are replaced and the story blocks of its old and new mentions re-clustered, so stories follow the new
coding and none is left pointing at mentions that are gone. An article the coder fails on again keeps its old
mentions, with the new reason in ``code_error`` (a default run picks it up again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dragoman import settings
from dragoman.ingest.types import Failure
from dragoman.jobs import ingest as ingest_job
from dragoman.jobs.ingest import ArticleCoder, Coded, code_isolated, describe
from dragoman.jobs.stories import assign_stories_in, blocks_of, reassign_orphans
from dragoman.model import Article, EventMention
from dragoman.store import articles as queries
from dragoman.store.claims import replace_article_claims
from dragoman.store.db import Store, StoreError

if TYPE_CHECKING:
    import duckdb


@dataclass
class RecodeSummary:
    """What a recode did: articles selected, coded (their mentions replaced), mentions they now have, and the
    failures (named articles not to be coded, articles the coder or the store refused)."""

    selected: int = 0
    coded: int = 0
    mentions: int = 0
    failures: list[Failure] = field(default_factory=list)


def recode(
    store: Store,
    article_ids: Sequence[str] | None = None,
    *,
    everything: bool = False,
    coder_factory: Callable[[], ArticleCoder] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    batch_size: int = settings.INGEST_BATCH_SIZE,
) -> RecodeSummary:
    """Code stored articles again: ``article_ids``, else all originals in English (``everything``), else
    those never coded or whose coding failed. Their mentions are replaced and their stories re-assigned."""
    summary = RecodeSummary()

    def fail(failure: Failure) -> None:
        summary.failures.append(failure)
        if on_failure is not None:
            on_failure(failure)

    reassign_orphans(store)
    ids, refused = queries.recode_selection(store, article_ids, everything=everything)
    for article_id, reason in refused:
        fail(Failure(article_id, reason))
    summary.selected = len(ids)
    coder: ArticleCoder | None = None
    for start in range(0, len(ids), max(1, batch_size)):
        articles = queries.read_articles(store, ids[start:start + batch_size])
        if coder is None:
            coder = (coder_factory or ingest_job.default_coder)()  # (the ingest job's default, looked up now)
        done = code_isolated(coder, articles)
        coded, errors = done.mentions, done.errors
        stored = _write(store, articles, done)
        for article in articles:
            aid = article.article_id
            if aid in stored and aid in coded:
                summary.coded += 1
                summary.mentions += len(coded[aid])
            else:
                error = errors.get(aid) or stored.get(aid) or "not written"
                fail(Failure(aid, f"not coded: {error}; its earlier coding is kept"))
    return summary


def _write(store: Store, articles: Sequence[Article], done: Coded) -> dict[str, str | None]:
    """Write a batch's new coding in one transaction (else each article in its own, to find the one the store
    refuses). Returns, per article written, ``None``, or why its mentions were refused."""
    try:
        with store.transaction() as con:
            _replace(con, [a.article_id for a in articles], done)
        return {a.article_id: None for a in articles}
    except StoreError:
        raise
    except Exception:
        pass
    written: dict[str, str | None] = {}
    for article in articles:
        try:
            with store.transaction() as con:
                _replace(con, [article.article_id], done)
            written[article.article_id] = None
        except StoreError:
            raise
        except Exception as exc:
            reason = f"the store refused its mentions: {describe(exc)}"
            with store.transaction() as con:
                Store.replace_coding(con, article.article_id, None, reason)
            written[article.article_id] = reason
            done.mentions.pop(article.article_id, None)
    return written


def _replace(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], done: Coded) -> int:
    """Replace the articles' coding and count claims, and re-assign the stories of their old and new mentions,
    on ``con``. Returns the stories written."""
    recoded = [a for a in article_ids if a in done.mentions]
    old_blocks = blocks_of(con, recoded) if recoded else set()
    for article_id in article_ids:
        Store.replace_coding(con, article_id, done.mentions.get(article_id), done.errors.get(article_id))
    # (a coder that reads no claims leaves the stored ones alone)
    replace_article_claims(con, [a for a in recoded if a in done.found], done.claims(recoded))
    return assign_stories_in(con, recoded, blocks=old_blocks)


def replace_mentions(store: Store, article_id: str, mentions: Sequence[EventMention]) -> int:
    """Re-code one article with mentions made elsewhere (a user's own coder): its old mentions are replaced and
    the stories of its old and new mentions re-assigned, in one transaction (its count claims are left as they
    are). Returns the stories written."""
    with store.transaction() as con:
        return _replace(con, [article_id], Coded(mentions={article_id: list(mentions)}))
