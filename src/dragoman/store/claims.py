"""Query layer for count claims (extracted by :mod:`dragoman.analysis.claims`): stored claims, each with the
store's verdict computed against the stories it holds now (supports, contradicts, cannot_judge)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from dragoman.store.db import Store

CLAIM_COLUMNS = (
    "claim_id", "article_id", "published", "sentence", "sentence_start", "anchor", "counted", "cameo", "cameo_root",
    "plover", "source_country", "target_country", "target_text", "period_start", "period_end", "period_text",
    "number", "number_kind", "record",
)


def write_claims(store: Store, claims: Iterable[dict[str, Any]]) -> int:
    """Store claim records (``Claim.to_dict()``); a claim already stored is replaced. Returns how many."""
    rows = [[c.get(k) for k in CLAIM_COLUMNS[:-1]] + [json.dumps(c, ensure_ascii=False, sort_keys=True)]
            for c in claims]
    if not rows:
        return 0
    with store.transaction() as con:
        con.executemany("DELETE FROM claims WHERE claim_id = ?", [[r[0]] for r in rows])
        con.executemany(f"INSERT INTO claims ({', '.join(CLAIM_COLUMNS)}) VALUES "
                        f"({', '.join('?' * len(CLAIM_COLUMNS))})", rows)
    return len(rows)


def judge_claims(store: Store, claims: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims (stored or not) with the store's verdict added under ``store``."""
    from dragoman.analysis.claims import judge

    with store.connect(read_only=True) as con:
        return [{**c, "store": judge(con, c)} for c in claims]


def query_claims(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stored claims, by publication date then id, each with ``store``: the verdict, the count the store holds
    for the claim's period, the period's coverage, why, and the matching story ids."""
    sql = "SELECT record FROM claims ORDER BY published NULLS LAST, article_id, sentence_start, claim_id"
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [int(limit), int(offset)]
    with store.connect(read_only=True) as con:
        records = [json.loads(r[0]) for r in con.execute(sql, params).fetchall()]
    return judge_claims(store, records)


def count_claims(store: Store) -> int:
    with store.connect(read_only=True) as con:
        return int(con.execute("SELECT count(*) FROM claims").fetchone()[0])
