"""Query layer for stories (one per real-world happening; built by :mod:`dragoman.analysis.stories`).

Story records have the mention shape, extended: ``story_id``, ``num_mentions``, ``num_articles``,
``num_sources``, ``first_seen``/``last_seen``, the best-attested date and place with the alternatives kept,
a confidence that grows with independent sources, and ``mention_ids``. :class:`EventFilter` applies to the
story's own fields; its ``article_id`` selects the stories an article reports.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from dragoman.store.db import Store
from dragoman.store.events import EventFilter


def _where(flt: EventFilter | None) -> tuple[str, list[Any]]:
    flt = flt or EventFilter()
    article_id = flt.article_id
    where, params = replace(flt, article_id=None).where()
    if article_id:
        clause = "story_id IN (SELECT story_id FROM mentions WHERE article_id = ?)"
        where = f"{where} AND {clause}" if where else f" WHERE {clause}"
        params = [*params, article_id]
    return where, params


def resolve_story_id(store: Store, story_id: str) -> str | None:
    """The live id for ``story_id`` (itself, or the story an old id was merged into), or ``None``."""
    with store.connect(read_only=True) as con:
        if con.execute("SELECT 1 FROM stories WHERE story_id = ?", [story_id]).fetchone():
            return story_id
        row = con.execute("SELECT story_id FROM story_aliases WHERE alias = ?", [story_id]).fetchone()
    return row[0] if row else None


def query_stories(
    store: Store, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Story records matching the filter, newest first, then best supported."""
    where, params = _where(flt)
    sql = (f"SELECT record FROM stories{where} "
           "ORDER BY date_start DESC NULLS LAST, num_sources DESC, num_mentions DESC, story_id")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, int(limit), int(offset)]
    with store.connect(read_only=True) as con:
        return [json.loads(r[0]) for r in con.execute(sql, params).fetchall()]


def count_stories(store: Store, flt: EventFilter | None = None) -> int:
    where, params = _where(flt)
    with store.connect(read_only=True) as con:
        return int(con.execute(f"SELECT count(*) FROM stories{where}", params).fetchone()[0])


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its mentions, each with ``join``: the member it matched (``anchor``), the score and each
    rule's verdict (the founder's says it founded the story). An old id merged into another resolves to it."""
    live = resolve_story_id(store, story_id)
    if live is None:
        return None
    with store.connect(read_only=True) as con:
        record = json.loads(con.execute("SELECT record FROM stories WHERE story_id = ?", [live]).fetchone()[0])
        rows = con.execute(
            "SELECT m.record, l.anchor_id, l.score, l.reason, a.source, CAST(a.published AS VARCHAR) "
            "FROM mentions m JOIN articles a USING (article_id) LEFT JOIN story_links l ON l.mention_id = m.id "
            "WHERE m.story_id = ? ORDER BY a.published NULLS LAST, m.article_id, m.sentence_start, m.id",
            [live],
        ).fetchall()
        aliases = [r[0] for r in con.execute(
            "SELECT alias FROM story_aliases WHERE story_id = ? ORDER BY alias", [live]).fetchall()]
    mentions = []
    for rec, anchor, score, reason, outlet, published in rows:
        m = json.loads(rec)
        m["outlet"] = outlet
        m["published"] = published
        m["join"] = {"anchor": anchor, "score": score, "reasons": json.loads(reason) if reason else {}}
        mentions.append(m)
    record["mentions"] = mentions
    record["aliases"] = aliases
    if live != story_id:
        record["requested_id"] = story_id
    return record
