"""Story assignment: re-cluster the blocks that new mentions fall in and write their stories, in one transaction.

The rules are :mod:`dragoman.analysis.stories` (pure: mentions in, stories out); every statement that reads or
writes the store is in :mod:`dragoman.store.stories`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence

from dragoman.analysis.stories import M, block_of, cluster, mention_from_row, story_record
from dragoman.store import stories as story_rows
from dragoman.store.db import Store


def assign_stories(store: Store, article_ids: Sequence[str] | None = None) -> int:
    """Re-cluster the blocks the mentions of ``article_ids`` fall in (all blocks when ``None``) and write their
    stories, links and aliases in one transaction. Returns the number of stories written."""
    with store.transaction() as con:
        if article_ids is None:
            blocks = None
        else:
            if not article_ids:
                return 0
            blocks = {block_of(root, fact) for root, fact in story_rows.roots_and_factualities(con, article_ids)}
            if not blocks:
                return 0
        by_block: dict[str, list[M]] = defaultdict(list)
        for row in story_rows.clustering_rows(con):
            m = mention_from_row(row)
            b = block_of(m.root, m.factuality)
            if blocks is None or b in blocks:
                by_block[b].append(m)
        copies = story_rows.copies_per_original(con)
        old = story_rows.story_of_mentions(con)
        written = 0
        for block in sorted(by_block):
            stories = cluster(by_block[block])
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
