"""Judging count claims against the store: each claim with the store's verdict under ``store`` (supports,
contradicts, cannot_judge), computed against the stories the store holds now."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dragoman.analysis.claims import NO_PERIOD, claim_blocks, claim_period, verdict
from dragoman.store import claims as claim_rows
from dragoman.store.db import Store


def judge_claims(store: Store, claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims (stored or not) with the store's verdict added under ``store``."""
    judged = []
    with store.connect(read_only=True) as con:
        for claim in claims:
            period = claim_period(claim)
            if period is None:
                judged.append({**claim, "store": dict(NO_PERIOD)})
                continue
            start, end = period
            stories = claim_rows.claim_stories(con, claim_blocks(claim), start, end, claim.get("target_country"))
            coverage = claim_rows.weeks_covered(con, start, end)
            judged.append({**claim, "store": verdict(claim, stories, coverage)})
    return judged


def stored_claims(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stored claims, by publication date then id, each with ``store``: the verdict, the count the store holds
    for the claim's period, the period's coverage, why, and the matching story ids."""
    return judge_claims(store, claim_rows.query_claims(store, limit=limit, offset=offset))
