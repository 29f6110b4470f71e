"""Re-coding stored articles (``dragoman recode``): those the coder failed on or that were stored uncoded
(``ingest --no-code``: store now, code later), the ones named, or every original English article (after an
upgrade or a lexicon change), narrowed by outlet and publication date.

``--all`` codes only the articles the current coder (its version and lexicons, ``articles.coded_with``) has not
coded yet, so a run that was interrupted goes on where it stopped (``force`` codes them all again). Each new
mention keeps the coder that coded its article before in its provenance (``coder.previous``), and the summary
says what changed: mentions added, removed, recoded (the same trigger in the same sentence, coded differently)
and unchanged.

Each batch is coded outside the store's lock (as in ingest), then written in one transaction: each article's
mentions are replaced and the story blocks of its old and new mentions re-clustered, so stories follow the new
coding and none is left pointing at mentions that are gone. An article the coder fails on again keeps its old
mentions, with the new reason in ``code_error`` (a default run picks it up again).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from dragoman import settings
from dragoman.ingest.types import Failure
from dragoman.jobs import ingest as ingest_job
from dragoman.jobs.ingest import ArticleCoder, Coded, code_isolated, coder_fingerprint, describe
from dragoman.jobs.stories import assign_stories_in, blocks_of, reassign_orphans
from dragoman.model import Article, EventMention
from dragoman.store import articles as queries
from dragoman.store.claims import replace_article_claims
from dragoman.store.db import Store, StoreError

if TYPE_CHECKING:
    import duckdb


@dataclass
class RecodeSummary:
    """What a recode did: articles selected, coded (their mentions replaced), mentions they now have, how the
    mentions changed (a mention is one trigger of one sentence: ``recoded`` when its code, actors, date, place
    or factuality changed), and the failures (named articles not to be coded, articles the coder or the store
    refused)."""

    selected: int = 0
    coded: int = 0
    mentions: int = 0
    added: int = 0
    removed: int = 0
    recoded: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)


def recode(
    store: Store,
    article_ids: Sequence[str] | None = None,
    *,
    everything: bool = False,
    force: bool = False,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    coder_factory: Callable[[], ArticleCoder] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_batch: Callable[[RecodeSummary], None] | None = None,
    batch_size: int = settings.INGEST_BATCH_SIZE,
) -> RecodeSummary:
    """Code stored articles again: ``article_ids``, else all originals in English (``everything``: those the
    current coder has not coded yet, or with ``force`` all of them), else those never coded or whose coding
    failed; narrowed to an outlet (``source``) and a publication date range. Their mentions are replaced and
    their stories re-assigned, a batch per transaction; ``on_batch`` hears the running summary after each."""
    summary = RecodeSummary()

    def fail(failure: Failure) -> None:
        summary.failures.append(failure)
        if on_failure is not None:
            on_failure(failure)

    reassign_orphans(store)
    coder: ArticleCoder | None = None
    current: str | None = None
    if everything and not force and article_ids is None:
        coder = (coder_factory or ingest_job.default_coder)()  # (the ingest job's default, looked up now)
        current = coder_fingerprint(coder)
    ids, refused = queries.recode_selection(store, article_ids, everything=everything, source=source, since=since,
                                            until=until, not_coded_with=current)
    for article_id, reason in refused:
        fail(Failure(article_id, reason))
    summary.selected = len(ids)
    for start in range(0, len(ids), max(1, batch_size)):
        articles = queries.read_articles(store, ids[start:start + batch_size])
        if coder is None:
            coder = (coder_factory or ingest_job.default_coder)()
        done = code_isolated(coder, articles)
        coded, errors = done.mentions, done.errors
        stored, changes = _write(store, articles, done)
        for article in articles:
            aid = article.article_id
            if aid in stored and aid in coded:
                summary.coded += 1
                summary.mentions += len(coded[aid])
            else:
                error = errors.get(aid) or stored.get(aid) or "not written"
                fail(Failure(aid, f"not coded: {error}; its earlier coding is kept"))
        for name in ("added", "removed", "recoded", "unchanged"):
            setattr(summary, name, getattr(summary, name) + changes[name])
        if on_batch is not None:
            on_batch(summary)
    return summary


# Each stored mention of the articles: where its trigger is, what makes two codings of one trigger the same event
# (code, actors, date, place, factuality), and the coder that made it.
_SAME_EVENT_SQL = """
SELECT article_id, sentence_start, TRY_CAST(json_extract_string(record, '$.evidence.trigger_start') AS INTEGER),
       cameo, source_code, target_code, CAST(date_start AS VARCHAR), CAST(date_end AS VARCHAR), loc_name,
       factuality, json_extract(record, '$.coder')
FROM mentions WHERE article_id IN (SELECT unnest(?))
"""


def _key(m: EventMention) -> tuple[Any, ...]:
    return (m.article_id, m.evidence.start, m.evidence.trigger_start)


def _content(m: EventMention) -> tuple[Any, ...]:
    return (m.cameo, m.source.code if m.source else None, m.target.code if m.target else None,
            m.date.start if m.date else None, m.date.end if m.date else None,
            m.location.name if m.location else None, m.factuality)


def _changes(old_rows: list[tuple[Any, ...]], new: Sequence[EventMention]) -> Counter[str]:
    """How the new mentions differ from the old rows, one trigger of one sentence at a time."""
    old: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for row in old_rows:
        old.setdefault(tuple(row[:3]), []).append(tuple(row[3:10]))
    out: Counter[str] = Counter()
    for m in new:
        before = old.get(_key(m))
        if not before:
            out["added"] += 1
            continue
        content = _content(m)
        if content in before:
            before.remove(content)
            out["unchanged"] += 1
        else:
            before.pop(0)
            out["recoded"] += 1
    out["removed"] = sum(len(v) for v in old.values())
    return out


def _previous_coders(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str],
                     old_rows: list[tuple[Any, ...]]) -> dict[str, dict[str, str]]:
    """Each article's earlier coder: its stored mentions' provenance, else its ``coded_with``."""
    out: dict[str, dict[str, str]] = {}
    for row in old_rows:
        if row[0] not in out and row[10]:
            info = json.loads(row[10])
            out[row[0]] = {"version": str(info.get("version")), "lexicons": str(info.get("lexicons"))}
    rest = [a for a in article_ids if a not in out]
    if rest:
        for article_id, coded_with in con.execute(
                "SELECT article_id, coded_with FROM articles WHERE article_id IN (SELECT unnest(?))", [rest]).fetchall():
            if coded_with and "+" in coded_with:
                version, lexicons = coded_with.split("+", 1)
                out[article_id] = {"version": version, "lexicons": lexicons}
    return out


def _write(store: Store, articles: Sequence[Article], done: Coded) -> tuple[dict[str, str | None], Counter[str]]:
    """Write a batch's new coding in one transaction (else each article in its own, to find the one the store
    refuses). Returns, per article written, ``None`` or why its mentions were refused; and how they changed."""
    try:
        with store.transaction() as con:
            _stories, changes = _replace(con, [a.article_id for a in articles], done)
        return {a.article_id: None for a in articles}, changes
    except StoreError:
        raise
    except Exception:
        pass
    written: dict[str, str | None] = {}
    changes: Counter[str] = Counter()
    for article in articles:
        try:
            with store.transaction() as con:
                changes += _replace(con, [article.article_id], done)[1]
            written[article.article_id] = None
        except StoreError:
            raise
        except Exception as exc:
            reason = f"the store refused its mentions: {describe(exc)}"
            with store.transaction() as con:
                Store.replace_coding(con, article.article_id, None, reason)
            written[article.article_id] = reason
            done.mentions.pop(article.article_id, None)
    return written, changes


def _replace(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], done: Coded) -> tuple[int, Counter[str]]:
    """Replace the articles' coding and count claims, and re-assign the stories of their old and new mentions,
    on ``con``. Each new mention keeps its article's earlier coder in its provenance. Returns the stories
    written and how the mentions changed."""
    recoded = [a for a in article_ids if a in done.mentions]
    old_blocks = blocks_of(con, recoded) if recoded else set()
    old_rows = con.execute(_SAME_EVENT_SQL, [recoded]).fetchall() if recoded else []
    previous = _previous_coders(con, recoded, old_rows) if recoded else {}
    new_mentions: list[EventMention] = []
    for article_id in article_ids:
        mentions = done.mentions.get(article_id)
        if mentions is not None and article_id in previous:
            mentions = [replace(m, coder=replace(m.coder, previous=previous[article_id])) for m in mentions]
            done.mentions[article_id] = mentions
        Store.replace_coding(con, article_id, mentions, done.errors.get(article_id))
        new_mentions += mentions or []
    Store.mark_coded_with(con, recoded, done.coded_with)
    # (a coder that reads no claims leaves the stored ones alone)
    replace_article_claims(con, [a for a in recoded if a in done.found], done.claims(recoded))
    written = assign_stories_in(con, recoded, blocks=old_blocks)
    return written, _changes(old_rows, new_mentions)


def replace_mentions(store: Store, article_id: str, mentions: Sequence[EventMention]) -> int:
    """Re-code one article with mentions made elsewhere (a user's own coder): its old mentions are replaced and
    the stories of its old and new mentions re-assigned, in one transaction (its count claims are left as they
    are). Returns the stories written."""
    with store.transaction() as con:
        return _replace(con, [article_id], Coded(mentions={article_id: list(mentions)}))[0]
