"""Story assignment: re-cluster the blocks that new mentions fall in and write their stories.

The rules are :mod:`dragoman.analysis.stories` (pure: mentions in, stories out); every statement that reads or
writes the store is in :mod:`dragoman.store.stories`. :func:`assign_stories_in` works inside a transaction the
caller holds (the ingest job assigns a batch's stories in the batch's own transaction, so no kill can leave its
mentions without a story); :func:`assign_stories` opens one of its own. Both load only the mentions of the
blocks they re-cluster, so the writer's transaction stays short however large the store grows.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from dragoman.analysis.stories import M, block_of, cluster, mention_from_row, story_record
from dragoman.store import stories as story_rows
from dragoman.store.db import Store

if TYPE_CHECKING:
    import duckdb


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
    by_block: dict[str, list[M]] = defaultdict(list)
    for row in story_rows.clustering_rows(con, None if wanted is None else pairs):
        m = mention_from_row(row)
        by_block[block_of(m.root, m.factuality)].append(m)
    members_of = [m for ms in by_block.values() for m in ms]
    copies = story_rows.copies_per_original(con, sorted({m.article_id for m in members_of}))
    old = story_rows.story_of_mentions(con, [m.id for m in members_of])
    written = 0
    for block in sorted(set(by_block) | (wanted or set())):
        stories = cluster(by_block.get(block, []))
        new_ids = {s.story_id for s in stories}
        rows, links, members = [], [], []
        moved: dict[str, Counter[str]] = defaultdict(Counter)
        for s in stories:
            n_copies = sum(copies.get(a, 0) for a in {m.article_id for m in s.members})
            rows.append(story_rows.story_row(story_record(s, n_copies), block))
            for m in s.members:
                anchor, score, reasons = s.joins[m.id]
                links.append([m.id, s.story_id, anchor, score, json.dumps(reasons, ensure_ascii=False)])
                members.append((s.story_id, m.id))
                if old.get(m.id) and old[m.id] not in new_ids:
                    moved[old[m.id]][s.story_id] += 1
        old_ids = story_rows.replace_block(con, block, rows, links, members)
        # an id that is gone lives on as an alias of the story that took most of its mentions
        for gone in sorted(old_ids - new_ids):
            if gone in moved:
                target = sorted(moved[gone].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                story_rows.add_alias(con, gone, target)
        story_rows.drop_live_aliases(con)
        written += len(stories)
    return written


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
