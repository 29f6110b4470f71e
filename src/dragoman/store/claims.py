"""Count claims in the store (extracted by :mod:`dragoman.analysis.claims`), and the statements that judging a
claim needs: the stories of its period and how well the store covers that period (:mod:`dragoman.jobs.claims`
turns them into a verdict)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import duckdb

from dragoman.store.db import Store, bulk_insert

CLAIM_COLUMNS = (
    "claim_id", "article_id", "published", "sentence", "sentence_start", "anchor", "counted", "cameo", "cameo_root",
    "plover", "source_country", "target_country", "target_text", "period_start", "period_end", "period_text",
    "number", "number_kind", "record",
)


def claim_row(claim: dict[str, Any]) -> list[Any]:
    """A claim record (``Claim.to_dict()``) as a row of ``claims`` (:data:`CLAIM_COLUMNS`)."""
    return [claim.get(k) for k in CLAIM_COLUMNS[:-1]] + [json.dumps(claim, ensure_ascii=False, sort_keys=True)]


def write_claims(store: Store, claims: Iterable[dict[str, Any]]) -> int:
    """Store claim records (``Claim.to_dict()``); a claim already stored is replaced. Returns how many."""
    claims = list(claims)
    if not claims:
        return 0
    with store.transaction() as con:
        return write_claims_in(con, claims)


def write_claims_in(con: duckdb.DuckDBPyConnection, claims: Sequence[dict[str, Any]]) -> int:
    """:func:`write_claims` on ``con``, in the caller's transaction (ingest writes a batch's claims with its
    articles)."""
    rows = [claim_row(c) for c in claims]
    if not rows:
        return 0
    ids = sorted({r[0] for r in rows})
    con.execute("DELETE FROM claims WHERE claim_id IN (SELECT unnest(?))", [ids])
    latest = {r[0]: r for r in rows}  # (a claim read twice in one batch is stored once)
    bulk_insert(con, "claims", CLAIM_COLUMNS, list(latest.values()))
    return len(latest)


def replace_article_claims(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str],
                           claims: Sequence[dict[str, Any]]) -> int:
    """On ``con``: the claims of re-coded articles are replaced by those read now. Returns how many."""
    if article_ids:
        con.execute("DELETE FROM claims WHERE article_id IN (SELECT unnest(?))", [sorted(set(article_ids))])
    return write_claims_in(con, claims)


def claim_stories(con: duckdb.DuckDBPyConnection, blocks: Sequence[str], start: str, end: str,
                  target_country: str | None) -> list[tuple[str, int | None, int | None, int | None]]:
    """``(story_id, killed, injured, arrested)`` of the stories of these blocks whose dates meet the period,
    with a mention targeting ``target_country`` (or placed there with no target) when one is given."""
    sql = ("SELECT s.story_id, s.killed, s.injured, s.arrested FROM stories s WHERE s.block IN (SELECT unnest(?)) "
           "AND coalesce(s.date_end, s.date_start) >= CAST(? AS DATE) AND coalesce(s.date_start, s.date_end) "
           "<= CAST(? AS DATE)")
    params: list[Any] = [list(blocks), start, end]
    if target_country:
        sql += (" AND EXISTS (SELECT 1 FROM mentions m WHERE m.story_id = s.story_id AND "
                "(m.target_country = ? OR m.loc_country = ? AND m.target_country IS NULL))")
        params += [target_country, target_country]
    return [tuple(r) for r in con.execute(sql + " ORDER BY s.story_id", params).fetchall()]


def weeks_covered(con: duckdb.DuckDBPyConnection, start: str, end: str) -> float:
    """The share of the period's weeks in which the store holds at least one original article."""
    d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
    if d1 < d0:
        d0, d1 = d1, d0
    weeks = (d1 - d0).days // 7 + 1
    rows = con.execute(
        "SELECT DISTINCT CAST(floor(date_diff('day', CAST(? AS DATE), published) / 7) AS INTEGER) FROM articles "
        "WHERE duplicate_of IS NULL AND published BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)",
        [d0.isoformat(), d0.isoformat(), d1.isoformat()],
    ).fetchall()
    return len(rows) / weeks


def query_claims(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stored claims (their records), by publication date then id. :mod:`dragoman.jobs.claims` adds the store's
    verdict to each."""
    sql = "SELECT record FROM claims ORDER BY published NULLS LAST, article_id, sentence_start, claim_id"
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [int(limit), int(offset)]
    with store.connect(read_only=True) as con:
        return [json.loads(r[0]) for r in con.execute(sql, params).fetchall()]


def count_claims(store: Store) -> int:
    with store.connect(read_only=True) as con:
        return int(con.execute("SELECT count(*) FROM claims").fetchone()[0])
