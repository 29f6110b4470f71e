"""Mentions in a real DuckDB file: schema migrations, batch writes, filters, round trips."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dragoman.model import Actor, Article, Coder, EventDate, EventMention, Evidence, Location
from dragoman.store import Store, StoreError
from dragoman.store.events import EventFilter, count_mentions, get_mention, query_mentions
from dragoman.store.schema import SCHEMA_VERSION


def mention(n: int, article_id: str, src: str, tgt: str | None, cameo: str, day: str, fact: str = "asserted") -> EventMention:
    return EventMention(
        id=f"m{n}", article_id=article_id,
        source=Actor(code=src + "GOV", country=src, sector="GOV", name=None, text=src),
        target=Actor(code=tgt, country=tgt, text=tgt) if tgt else None,
        cameo=cameo, cameo_root=cameo[:2], plover="ASSAULT" if cameo[:2] >= "18" else "CONSULT", plover_mode=None,
        quad_class=4 if cameo[:2] >= "14" else 1, goldstein=-10.0 if cameo[:2] >= "18" else 1.0,
        date=EventDate(day, day, "day"), location=Location(name="Baghdad", country="IRQ", lat=33.34, lon=44.4,
                                                           geonameid=98182, precision="city"),
        factuality=fact, evidence=Evidence(sentence=f"Sentence {n}.", start=0, end=12, trigger="x"),
        coder=Coder(version="test", lexicons="abc"), confidence=0.7,
    )


def article(aid: str) -> Article:
    return Article(article_id=aid, text=f"Text of {aid}.", content_hash=f"h-{aid}", published="2020-06-14",
                   source="Outlet", language="en")


@pytest.fixture()
def filled(store_path: Path) -> Store:
    store = Store(store_path)
    store.write_batch([
        (article("a1"), None, [mention(1, "a1", "USA", "IRN", "195", "2020-01-03"),
                               mention(2, "a1", "IRN", "USA", "112", "2020-01-05", "reported")]),
        (article("a2"), None, [mention(3, "a2", "IRQ", "USA", "036", "2020-06-11")]),
        (article("a3"), None, None),
    ])
    return store


def test_migrations_create_versioned_schema(store_path: Path) -> None:
    Store(store_path)
    con = duckdb.connect(str(store_path))
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert {"articles", "mentions", "stories", "actors", "places", "schema_version"} <= tables
    # opening again migrates nothing and keeps the version
    assert Store(store_path).schema_version() == SCHEMA_VERSION


def test_newer_store_is_refused(store_path: Path) -> None:
    Store(store_path)
    con = duckdb.connect(str(store_path))
    con.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(store_path)


def test_round_trip_and_filters(filled: Store) -> None:
    rows = query_mentions(filled)
    assert len(rows) == 3 and count_mentions(filled) == 3
    one = get_mention(filled, "m1")
    assert one == mention(1, "a1", "USA", "IRN", "195", "2020-01-03").to_dict()
    assert {r["id"] for r in query_mentions(filled, EventFilter(country="IRN"))} == {"m1", "m2"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(source_country="IRQ"))} == {"m3"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(root="19"))} == {"m1"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(cameo="03"))} == {"m3"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(plover="consult"))} == {"m2", "m3"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(quad_class=4))} == {"m1"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(factuality="reported"))} == {"m2"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(since="2020-06-01"))} == {"m3"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(until="2020-01-04"))} == {"m1"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(article_id="a1"))} == {"m1", "m2"}
    assert {r["id"] for r in query_mentions(filled, EventFilter(actor="irngov"))} == {"m2"}
    assert len(query_mentions(filled, limit=2)) == 2 and len(query_mentions(filled, limit=2, offset=2)) == 1


def test_rewriting_a_batch_adds_nothing_and_actors_places_are_kept(filled: Store) -> None:
    before = filled.count("mentions")
    assert filled.write_batch([(article("a1"), None, [mention(9, "a1", "USA", "IRN", "195", "2020-01-03")])]) == 0
    assert filled.count("mentions") == before
    assert filled.count("actors") >= 3 and filled.count("places") == 1


def test_failed_batch_leaves_store_unchanged(filled: Store) -> None:
    before = (filled.count("articles"), filled.count("mentions"))
    broken = mention(10, "a9", "USA", None, "190", "2020-02-02")
    broken.cameo_root = None  # violates NOT NULL: the whole batch must roll back
    with pytest.raises(duckdb.Error):
        filled.write_batch([(article("a8"), None, []), (article("a9"), None, [broken])])
    assert (filled.count("articles"), filled.count("mentions")) == before
