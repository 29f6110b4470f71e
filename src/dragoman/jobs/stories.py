"""Story assignment: re-cluster the blocks that new mentions fall in and write their stories.

The rules are :mod:`dragoman.analysis.stories` (pure: mentions in, stories out); every statement that reads or
writes the store is in :mod:`dragoman.store.stories`. Assignment loads only the mentions of the blocks it
re-clusters. Clustering a block compares each mention with the members of every story before it, so it grows
with the block: seconds for a few thousand mentions. Three ways in:

* :func:`assign_stories_in` clusters and writes on a connection the caller holds (inside its transaction);
* :func:`assign_stories` does so in a transaction of its own;
* :func:`plan_batch` clusters a batch's stories *before* the batch is written, from the store's rows read
  under the shared lock and the batch's own rows, and :func:`apply_plan` writes them in the batch's
  transaction if what the plan read is unchanged (:func:`~dragoman.store.stories.story_inputs_fingerprint`).
  The ingest job so holds the store's exclusive lock only to write, while readers go on during the clustering,
  and the batch's rows and stories still commit together (no kill leaves mentions without a story).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dragoman.analysis.stories import M, block_of, cluster, mention_from_row, story_record
from dragoman.store import stories as story_rows
from dragoman.store.db import ArticleRow, Store

if TYPE_CHECKING:
    import duckdb


@dataclass
class BlockStories:
    """One block's stories as clustered: rows of ``stories`` and ``story_links``, each member's story, and the
    old stories whose mentions moved (old id -> new id -> how many)."""

    block: str
    rows: list[list[Any]]
    links: list[list[Any]]
    members: list[tuple[str, str]]
    moved: dict[str, Counter[str]]
    new_ids: set[str]


class StoryCache:
    """What the batches of one ingest run share, so that clustering a block again for each batch costs little
    more than its new mentions: the stored mentions as clustering reads them, each pair's verdict, and each
    story's record and row by its membership. Stored mentions do not change during an ingest run; when another
    writer changed the store (the plan's fingerprint no longer matches), the ingest job clears the cache."""

    def __init__(self) -> None:
        self.mentions: dict[str, M] = {}
        self.pairs: dict[tuple[str, str], tuple] = {}
        self.records: dict[tuple, tuple[dict[str, Any], list[Any]]] = {}

    def clear(self) -> None:
        self.mentions.clear()
        self.pairs.clear()
        self.records.clear()

    def mention(self, row: dict[str, Any]) -> M:
        m = self.mentions.get(row["id"])
        if m is None:
            m = self.mentions[row["id"]] = mention_from_row(row)
        return m


@dataclass
class Plan:
    """A batch's stories, clustered before the batch is written, and the digest of what was read to do it."""

    pairs: list[tuple[str, str]]
    fingerprint: tuple
    blocks: list[BlockStories]


def assign_stories(store: Store, article_ids: Sequence[str] | None = None) -> int:
    """Re-cluster the blocks the mentions of ``article_ids`` fall in (all blocks when ``None``) and write their
    stories, links and aliases in one transaction. Returns the number of stories written."""
    with store.transaction() as con:
        return assign_stories_in(con, article_ids)


def blocks_of(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> set[str]:
    """The story blocks the mentions of these articles fall in."""
    return {block_of(root, fact) for root, fact in story_rows.roots_and_factualities(con, article_ids)}


def assign_stories_in(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str] | None = None, *,
                      blocks: Iterable[str] = ()) -> int:
    """:func:`assign_stories` on ``con``, inside the caller's transaction. ``blocks`` are re-clustered too (the
    blocks re-coded articles had mentions in: emptied, their stories go). Returns the number of stories
    written."""
    if article_ids is None:
        wanted = None
    else:
        wanted = (blocks_of(con, article_ids) if article_ids else set()) | set(blocks)
        if not wanted:
            return 0
    pairs = [(root, fact) for root, fact in story_rows.roots_and_factualities(con)
             if wanted is None or block_of(root, fact) in wanted]
    mentions = [mention_from_row(row) for row in story_rows.clustering_rows(con, None if wanted is None else pairs)]
    articles = sorted({m.article_id for m in mentions})
    copies = story_rows.copies_per_original(con, articles)
    old = story_rows.story_of_mentions(con, [m.id for m in mentions])
    return _write(con, _cluster(mentions, copies, old, wanted or set()))


def plan_batch(store: Store, rows: Sequence[ArticleRow], cache: StoryCache | None = None) -> Plan | None:
    """The stories of a batch not yet written (``rows``, as :meth:`Store.insert_articles` takes them), clustered
    from the store as it is now and the batch's own mentions; ``None`` when the batch has no mention. ``cache``:
    what earlier batches of the same run worked out (:class:`StoryCache`)."""
    batch, batch_copies = story_rows.batch_clustering_rows(rows)
    if not batch:
        return None
    new_pairs = {(r["cameo_root"], r["factuality"]) for r in batch}
    wanted = {block_of(root, fact) for root, fact in new_pairs}
    with store.connect(read_only=True) as con:
        pairs = sorted(p for p in set(story_rows.roots_and_factualities(con)) | new_pairs if block_of(*p) in wanted)
        fingerprint = story_rows.story_inputs_fingerprint(con, pairs)
        stored = [cache.mention(row) if cache is not None else mention_from_row(row)
                  for row in story_rows.clustering_rows(con, pairs)]
        copies = story_rows.copies_per_original(con, sorted({m.article_id for m in stored}))
        old = story_rows.story_of_mentions(con, [m.id for m in stored])
    mentions = stored + [mention_from_row(row) for row in batch]
    members = {m.article_id for m in mentions}
    copies.update({a: n for a, n in batch_copies.items() if a in members})
    return Plan(pairs, fingerprint, _cluster(mentions, copies, old, wanted, cache))


def apply_plan(con: duckdb.DuckDBPyConnection, plan: Plan, fingerprint: tuple) -> int | None:
    """Write a plan's stories on ``con`` (in the batch's transaction, its rows written) if ``fingerprint`` (of
    the store before the batch's rows, taken in this transaction) is the plan's; else ``None``: another writer
    changed what the plan read, and the caller assigns the stories afresh."""
    if fingerprint != plan.fingerprint:
        return None
    return _write(con, plan.blocks)


def _cluster(mentions: Sequence[M], copies: Counter[str], old: dict[str, str],
             blocks: Iterable[str], cache: StoryCache | None = None) -> list[BlockStories]:
    """Cluster each block (those of ``mentions``, and ``blocks``, emptied or not) into story rows."""
    by_block: dict[str, list[M]] = defaultdict(list)
    for m in mentions:
        by_block[block_of(m.root, m.factuality)].append(m)
    out = []
    for block in sorted(set(by_block) | set(blocks)):
        stories = cluster(by_block.get(block, []), cache.pairs if cache is not None else None)
        new_ids = {s.story_id for s in stories}
        done = BlockStories(block, [], [], [], defaultdict(Counter), new_ids)
        for s in stories:
            n_copies = sum(copies.get(a, 0) for a in {m.article_id for m in s.members})
            key = (block, s.founder.id, tuple(m.id for m in s.members), n_copies)
            cached = cache.records.get(key) if cache is not None else None
            if cached is None:
                record = story_record(s, n_copies)
                cached = (record, story_rows.story_row(record, block))
                if cache is not None:
                    cache.records[key] = cached
            done.rows.append(cached[1])
            for m in s.members:
                anchor, score, reasons = s.joins[m.id]
                done.links.append([m.id, s.story_id, anchor, score, json.dumps(reasons, ensure_ascii=False)])
                done.members.append((s.story_id, m.id))
                if old.get(m.id) and old[m.id] not in new_ids:
                    done.moved[old[m.id]][s.story_id] += 1
        out.append(done)
    return out


def _write(con: duckdb.DuckDBPyConnection, blocks: Sequence[BlockStories]) -> int:
    """Replace the blocks' stories and links; returns the number of stories written."""
    old_ids = story_rows.replace_blocks(
        con, [b.block for b in blocks], [r for b in blocks for r in b.rows], [x for b in blocks for x in b.links],
        [m for b in blocks for m in b.members])
    # an id that is gone lives on as an alias of the story that took most of its mentions (story ids belong to
    # one block: the blocks' aliases never meet)
    aliases = []
    for done in blocks:
        for gone in sorted(old_ids[done.block] - done.new_ids):
            if gone in done.moved:
                aliases.append((gone, sorted(done.moved[gone].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]))
    story_rows.add_aliases(con, aliases)
    story_rows.drop_live_aliases(con)
    return sum(len(b.rows) for b in blocks)


def reassign_orphans(store: Store) -> int:
    """Assign the mentions that are in no story (left by an older Dragoman killed between a batch's commit and
    its story assignment) to stories. Returns the number of articles they belonged to."""
    with store.connect(read_only=True) as con:
        if not story_rows.orphaned_articles(con):
            return 0
    with store.transaction() as con:
        orphans = story_rows.orphaned_articles(con)
        if orphans:
            assign_stories_in(con, orphans)
    return len(orphans)
