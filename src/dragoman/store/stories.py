"""Stories in the store (one per real-world happening; clustered by :mod:`dragoman.analysis.stories`, written
by the story assignment job :mod:`dragoman.jobs.stories`).

Story records have the mention shape, extended: ``story_id``, ``num_mentions``, ``num_articles``,
``num_sources``, ``first_seen``/``last_seen``, the best-attested date and place with the alternatives kept,
a confidence that grows with independent sources, and ``mention_ids``. :class:`EventFilter` applies to the
story's own fields; its ``article_id`` selects the stories an article reports.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import duckdb

from dragoman.store.db import ArticleRow, Store, bulk_insert
from dragoman.store.events import EventFilter
from dragoman.store.schema import MIGRATIONS


def story_where(flt: EventFilter | None) -> tuple[str, list[Any]]:
    """The WHERE clause of ``flt`` over the stories table (its ``article_id``: the stories the article reports)."""
    flt = flt or EventFilter()
    article_id = flt.article_id
    where, params = replace(flt, article_id=None).where()
    if article_id:
        clause = f"story_id IN (SELECT story_id FROM {flt.mentions_table()} WHERE article_id = ?)"
        where = f"{where} AND {clause}" if where else f" WHERE {clause}"
        params = [*params, article_id]
    return where, params


def live_story_id(con: duckdb.DuckDBPyConnection, story_id: str) -> str | None:
    """On ``con``: the live id for ``story_id`` (itself, or the story an old id was merged into), or ``None``."""
    if con.execute("SELECT 1 FROM stories WHERE story_id = ?", [story_id]).fetchone():
        return story_id
    # (an alias whose story is gone too, its mentions re-coded away, resolves to nothing)
    row = con.execute("SELECT a.story_id FROM story_aliases a JOIN stories s USING (story_id) WHERE a.alias = ?",
                      [story_id]).fetchone()
    return row[0] if row else None


def resolve_story_id(store: Store, story_id: str) -> str | None:
    """The live id for ``story_id`` (:func:`live_story_id`), or ``None``."""
    with store.connect(read_only=True) as con:
        return live_story_id(con, story_id)


def query_stories(
    store: Store, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Story records matching the filter, newest first, then best supported."""
    flt = flt or EventFilter()
    where, params = story_where(flt)
    sql = (f"SELECT record FROM {flt.stories_table()}{where} "
           "ORDER BY date_start DESC NULLS LAST, num_sources DESC, num_mentions DESC, story_id")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, int(limit), int(offset)]
    elif offset:
        sql += " OFFSET ?"
        params = [*params, int(offset)]
    with store.connect(read_only=True) as con:
        return [json.loads(r[0]) for r in con.execute(sql, params).fetchall()]


def count_stories(store: Store, flt: EventFilter | None = None) -> int:
    flt = flt or EventFilter()
    where, params = story_where(flt)
    with store.connect(read_only=True) as con:
        return int(con.execute(f"SELECT count(*) FROM {flt.stories_table()}{where}", params).fetchone()[0])


def get_story(store: Store, story_id: str, raw: bool = False) -> dict[str, Any] | None:
    """One story with its mentions, each with ``join``: the member it matched (``anchor``), the score and each
    rule's verdict (the founder's says it founded the story). An old id merged into another resolves to it.
    Corrections are applied (a story marked wrong is ``None``) unless ``raw``."""
    live = resolve_story_id(store, story_id)
    if live is None:
        return None
    tables = EventFilter(raw=raw)
    with store.connect(read_only=True) as con:
        found = con.execute(f"SELECT record FROM {tables.stories_table()} WHERE story_id = ?", [live]).fetchone()
        if found is None:
            return None
        record = json.loads(found[0])
        rows = con.execute(
            "SELECT m.record, l.anchor_id, l.score, l.reason, a.source, CAST(a.published AS VARCHAR) "
            f"FROM {tables.mentions_table()} m JOIN articles a USING (article_id) LEFT JOIN story_links l ON l.mention_id = m.id "
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


# ---------------------------------------------------------------- writing stories (the story assignment job)
STORY_COLUMNS = (
    "story_id", "record", "cameo", "cameo_root", "plover", "plover_mode", "quad_class", "goldstein",
    "source_country", "source_sector", "source_code", "source_name", "source_text",
    "target_country", "target_sector", "target_code", "target_name", "target_text",
    "date_start", "date_end", "date_precision", "loc_name", "loc_country", "loc_lat", "loc_lon", "loc_precision",
    "num_mentions", "num_articles", "num_sources", "num_copies", "first_seen", "last_seen", "confidence",
    "article_id", "founder_id", "block", "factuality", "killed", "injured", "arrested",
)
LINK_COLUMNS = ("mention_id", "story_id", "anchor_id", "score", "reason")

# What clustering reads of each mention of an original article (copies are never coded).
_CLUSTERING_SQL = """
SELECT m.id, m.article_id, CAST(a.published AS VARCHAR) AS published,
       coalesce(a.source, a.article_id) AS outlet, m.sentence_start,
       m.cameo, m.cameo_root, m.factuality, coalesce(m.confidence, 0.5) AS confidence,
       m.source_country, m.source_sector, m.target_country, m.target_sector,
       m.date_start, m.date_end, m.loc_name, m.loc_country, m.loc_lat, m.loc_lon, m.loc_geonameid, m.loc_precision,
       m.sentence, m.record, m.killed, m.injured, m.arrested,
       TRY_CAST(json_extract_string(a.extra, '$.body_start') AS INTEGER) AS body_start
FROM mentions_applied m JOIN articles a USING (article_id)
WHERE a.duplicate_of IS NULL
"""


def clustering_rows(con: duckdb.DuckDBPyConnection,
                    pairs: Sequence[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """Every mention of an original article (or only those whose ``(CAMEO root, factuality)`` is one of
    ``pairs``), with its article's date and outlet, as named columns."""
    sql, params = _CLUSTERING_SQL, []
    if pairs is not None:
        if not pairs:
            return []
        sql += " AND m.cameo_root || chr(31) || m.factuality IN (SELECT unnest(?))"
        params = [sorted({f"{root}\x1f{fact}" for root, fact in pairs})]
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def roots_and_factualities(con: duckdb.DuckDBPyConnection,
                           article_ids: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The distinct (CAMEO root, factuality) pairs of these articles' mentions (of all mentions: ``None``)."""
    if article_ids is None:
        rows = con.execute("SELECT DISTINCT cameo_root, factuality FROM mentions_applied ORDER BY ALL").fetchall()
    else:
        rows = con.execute(
            "SELECT DISTINCT cameo_root, factuality FROM mentions_applied WHERE article_id IN (SELECT unnest(?)) "
            "ORDER BY ALL",
            [list(article_ids)],
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def copies_per_original(con: duckdb.DuckDBPyConnection, originals: Sequence[str] | None = None) -> Counter[str]:
    """How many stored copies each original article has (each of ``originals``, or every one)."""
    sql, params = "SELECT duplicate_of FROM articles WHERE duplicate_of IS NOT NULL", []
    if originals is not None:
        sql += " AND duplicate_of IN (SELECT unnest(?))"
        params = [sorted(set(originals))]
    return Counter(r[0] for r in con.execute(sql, params).fetchall())


def story_of_mentions(con: duckdb.DuckDBPyConnection, mention_ids: Sequence[str] | None = None) -> dict[str, str]:
    """mention id -> the story it is in now, for the mentions that have one (of ``mention_ids``, or all)."""
    sql, params = "SELECT m.id, m.story_id FROM mentions_applied m WHERE m.story_id IS NOT NULL", []
    if mention_ids is not None:
        sql += " AND m.id IN (SELECT unnest(?))"
        params = [list(mention_ids)]
    return {r[0]: r[1] for r in con.execute(sql, params).fetchall()}


def story_inputs_fingerprint(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> tuple:
    """A digest of everything story assignment reads for the blocks of ``pairs`` (their mentions, with their
    articles' date, outlet and copies; every copy): equal digests, equal inputs. The ingest job plans a batch's
    stories outside the store's exclusive lock and checks this under it before writing the plan."""
    keys = sorted({f"{root}\x1f{fact}" for root, fact in pairs})
    mentions = con.execute(
        "SELECT count(*), coalesce(bit_xor(hash(m.id, m.story_id, m.record, a.published, a.source, "
        "a.duplicate_of)), 0) FROM mentions_applied m JOIN articles a USING (article_id) "
        "WHERE m.cameo_root || chr(31) || m.factuality IN (SELECT unnest(?))", [keys]).fetchone()
    copies = con.execute("SELECT count(*), coalesce(bit_xor(hash(article_id, duplicate_of)), 0) FROM articles "
                         "WHERE duplicate_of IS NOT NULL").fetchone()
    return (*mentions, *copies)


def batch_clustering_rows(rows: Sequence[ArticleRow]) -> tuple[list[dict[str, Any]], Counter[str]]:
    """What clustering reads of a batch's own mentions (as :func:`clustering_rows`, by the same statement, in
    a scratch in-memory database of the store's schema), and the batch's copies per original: so its stories
    can be planned before the batch is written."""
    con = duckdb.connect()
    try:
        for migration in MIGRATIONS:
            con.execute(migration)
        Store.insert_articles(con, rows)
        return clustering_rows(con), copies_per_original(con)
    finally:
        con.close()


def orphaned_articles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Original articles with a mention that is in no story (left by an older Dragoman killed between a batch's
    commit and its story assignment): the story assignment job re-assigns them."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT m.article_id FROM mentions_applied m JOIN articles a USING (article_id) "
        "WHERE m.story_id IS NULL AND a.duplicate_of IS NULL ORDER BY 1").fetchall()]


def story_row(rec: dict[str, Any], block: str) -> list[Any]:
    """A story record as a row of ``stories`` (:data:`STORY_COLUMNS`)."""
    s, t = rec["source"] or {}, rec["target"] or {}
    d, loc = rec["date"] or {}, rec["location"] or {}
    return [
        rec["story_id"], json.dumps(rec, ensure_ascii=False, sort_keys=True), rec["cameo"], rec["cameo_root"],
        rec["plover"], rec["plover_mode"], rec["quad_class"], rec["goldstein"],
        s.get("country"), s.get("sector"), s.get("code"), s.get("name"), s.get("text"),
        t.get("country"), t.get("sector"), t.get("code"), t.get("name"), t.get("text"),
        d.get("start"), d.get("end"), d.get("precision"), loc.get("name"), loc.get("country"), loc.get("lat"),
        loc.get("lon"), loc.get("precision"),
        rec["num_mentions"], rec["num_articles"], rec["num_sources"], rec["num_copies"], rec["first_seen"],
        rec["last_seen"], rec["confidence"], rec["article_id"], rec["founder_id"], block, rec["factuality"],
        rec["killed"], rec["injured"], rec["arrested"],
    ]


def replace_blocks(
    con: duckdb.DuckDBPyConnection, blocks: Sequence[str], story_rows: Sequence[Sequence[Any]],
    link_rows: Sequence[Sequence[Any]], members: Sequence[tuple[str, str]],
) -> dict[str, set[str]]:
    """Replace these blocks' stories and links with new ones (a few statements for them all), and point each
    member mention (``(story_id, mention_id)``) at its story. Returns the ids each block had before."""
    wanted = sorted(set(blocks))
    old_ids: dict[str, set[str]] = {b: set() for b in wanted}
    for block, story_id in con.execute("SELECT block, story_id FROM stories WHERE block IN (SELECT unnest(?))",
                                       [wanted]).fetchall():
        old_ids[block].add(story_id)
    con.execute("DELETE FROM story_links WHERE story_id IN "
                "(SELECT story_id FROM stories WHERE block IN (SELECT unnest(?)))", [wanted])
    con.execute("DELETE FROM stories WHERE block IN (SELECT unnest(?))", [wanted])
    if story_rows:
        bulk_insert(con, "stories", STORY_COLUMNS, story_rows)
        bulk_insert(con, "story_links", LINK_COLUMNS, link_rows)
        import pyarrow as pa

        con.complete()  # (see bulk_insert)
        con.register("_members", pa.table({"story_id": pa.array([m[0] for m in members], pa.string()),
                                           "id": pa.array([m[1] for m in members], pa.string())}))
        try:  # (a member already in its story is left alone: its row is unchanged)
            for table in ("mentions", "mention_fixes"):  # (a corrected mention's row of corrected values too)
                con.execute(f"UPDATE {table} SET story_id = _members.story_id, "
                            "record = json_merge_patch(record, json_object('story_id', _members.story_id)) "
                            f"FROM _members WHERE {table}.id = _members.id "
                            f"AND {table}.story_id IS DISTINCT FROM _members.story_id")
        finally:
            con.unregister("_members")
    from dragoman.store.corrections import refresh_story_fixes  # (corrections read the stories' rows)

    refresh_story_fixes(con)  # the stories' own corrections follow them to their new rows
    return old_ids


def add_aliases(con: duckdb.DuckDBPyConnection, aliases: Sequence[tuple[str, str]]) -> None:
    """Keep old story ids (``(alias, story_id)``) resolving to the stories they were merged into."""
    if aliases:
        con.executemany("INSERT OR REPLACE INTO story_aliases VALUES (?, ?)", [list(a) for a in aliases])


def drop_live_aliases(con: duckdb.DuckDBPyConnection) -> None:
    """An id that names a live story again is no alias."""
    con.execute("DELETE FROM story_aliases WHERE alias IN (SELECT story_id FROM stories)")
