"""Correcting the coding: record an analyst's correction (or undo one) and bring the stories along, in one
transaction, so every query, export and aggregate sees it at once; export the corrections as sentence-level
gold, to score a coder (or a lexicon not yet installed) against the analyst's own judgement.

The correction and its bookkeeping are :mod:`dragoman.store.corrections`; this job adds the stories: a mention
corrected into another CAMEO root or factuality moves to another story block, one marked wrong leaves its
story, so the blocks the article's mentions fall in, before and after, are re-clustered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dragoman.jobs.stories import assign_stories_in, blocks_of
from dragoman.store import Store
from dragoman.store.corrections import (
    Correction,
    CorrectionError,
    NotFound,
    add_correction,
    corrections_gold,
    read_correction,
    undo_correction,
)
from dragoman.store.db import utcnow

__all__ = ["Correction", "CorrectionError", "NotFound", "correct", "export_gold", "undo"]


def _article_of(con: Any, correction: Correction | dict[str, Any]) -> str | None:
    if isinstance(correction, dict):
        return correction["article_id"] if correction["kind"] == "mention" else None
    if not correction.mention_id:
        return None
    row = con.execute("SELECT article_id FROM mentions WHERE id = ?", [correction.mention_id]).fetchone()
    return row[0] if row else None


def correct(store: Store, correction: Correction) -> dict[str, Any]:
    """Record ``correction`` and re-assign the stories it changes. Returns the stored correction. Raises
    :class:`CorrectionError` for one the store cannot take (its reason named)."""
    with store.transaction() as con:
        article_id = _article_of(con, correction)
        before = blocks_of(con, [article_id]) if article_id else set()
        stored = add_correction(con, correction, utcnow())
        if article_id:
            assign_stories_in(con, [article_id], blocks=before)
    return stored


def undo(store: Store, correction_id: str, analyst: str | None = None) -> dict[str, Any]:
    """Undo a correction (kept, marked undone) and re-assign the stories it had changed."""
    with store.transaction() as con:
        found = read_correction(con, correction_id)
        if found is None:
            raise NotFound(f"no correction {correction_id!r}")
        article_id = _article_of(con, found)
        before = blocks_of(con, [article_id]) if article_id else set()
        undone = undo_correction(con, correction_id, analyst, utcnow())
        if article_id:
            assign_stories_in(con, [article_id], blocks=before)
    return undone


def export_gold(store: Store, path: str | Path) -> int:
    """Write the corrections as sentence-level gold (the format of ``events_dev.jsonl``, one judged sentence
    per line) to ``path``. Returns the number of sentences."""
    records = corrections_gold(store)
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)
