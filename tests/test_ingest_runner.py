"""The ingest run: identity, duplicates (exact and near, across runs and within one), language, the coder hook."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from dragoman.ingest.dedup import DedupIndex, shingles
from dragoman.jobs.ingest import IngestSummary, ingest
from dragoman.model import Actor, Article, Coder, EventDate, EventMention, Evidence, stable_id
from dragoman.paths import SAMPLES_DIR
from dragoman.store import articles as queries
from dragoman.store.db import Store

STORY = (
    "Turkish and Greek foreign ministers met in Athens on Monday to discuss maritime borders in the eastern "
    "Mediterranean, the Greek foreign ministry said. The two sides agreed to set up working groups on trade, "
    "energy and migration and to hold further talks in Ankara later this year. A Turkish diplomat said the "
    "meeting had been constructive but that disagreements over exploration rights near Cyprus remained. The "
    "European Union welcomed the talks and urged both countries to avoid unilateral steps at sea."
)


class FakeCoder:
    """Stands in for ``dragoman.coder.Coder``: one mention per article, and a record of what it was given."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        for a in articles:
            self.seen.append(a.article_id)
            yield a, [mention(a)]


def mention(a: Article) -> EventMention:
    return EventMention(
        id=stable_id(a.article_id, "m"), article_id=a.article_id,
        source=Actor(code="GRC", country="GRC"), target=Actor(code="TUR", country="TUR"),
        cameo="040", cameo_root="04", plover="CONSULT", plover_mode=None, quad_class=1, goldstein=1.0,
        date=EventDate(start=a.published, end=a.published, precision="day"), location=None,
        factuality="asserted", evidence=Evidence(sentence=a.text[:40], start=0, end=40),
        coder=Coder(version="test", lexicons="test"),
    )


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_samples_ingest_link_copies_and_flag_french(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    fake = FakeCoder()
    summary = ingest([SAMPLES_DIR], store, published="2024-03-10", coder_factory=lambda: fake)
    assert summary.ingested == 16 and not summary.failures
    assert (summary.exact_duplicates, summary.near_duplicates) == (1, 1)
    assert dict(summary.non_english) == {"fr": 1}
    rows = {r["origin"].rsplit("/", 1)[-1]: r for r in queries.list_articles(store)}
    copy, edited = rows["08_amman_talks_copy.txt"], rows["09_darfur_aid_edited.txt"]
    assert copy["duplicate_of"] == rows["01_amman_talks.txt"]["article_id"] and copy["duplicate_kind"] == "exact"
    assert copy["source"] == "gulfwire"  # its own outlet kept
    assert edited["duplicate_of"] == rows["03_darfur_aid.txt"]["article_id"] and edited["duplicate_kind"] == "near"
    french = rows["10_tunisie_manifestation.txt"]
    assert french["language"] == "fr" and not french["coded"]
    # Only English originals went to the coder; they are stored as coded with their mentions.
    assert len(fake.seen) == 13 == summary.coded
    assert copy["article_id"] not in fake.seen and french["article_id"] not in fake.seen
    assert store.count("mentions") == 13
    assert rows["01_amman_talks.txt"]["coded"] and not copy["coded"]


def test_second_run_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([SAMPLES_DIR], store, code=False)
    before = queries.read_articles(store)
    again = ingest([SAMPLES_DIR, SAMPLES_DIR / "06_wire.jsonl"], store, code=False)
    assert again.ingested == 0 and again.already_stored == again.read == 21
    assert queries.read_articles(store) == before


def test_changed_text_under_a_stored_id_is_reported_not_rewritten(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": STORY}])], store, code=False)
    summary = ingest([write_jsonl(tmp_path / "b.jsonl", [{"id": "x", "text": STORY + " Updated."}])], store,
                     code=False)
    assert summary.already_stored == 1 and summary.changed == [f"{tmp_path / 'b.jsonl'}:1"]
    assert queries.read_articles(store)[0].text == STORY


def test_no_code_never_imports_the_coder(tmp_path: Path) -> None:
    def explode():
        raise AssertionError("coder created with code=False")

    summary = ingest([SAMPLES_DIR / "06_wire.jsonl"], Store(tmp_path / "s.duckdb"), code=False,
                     coder_factory=explode)
    assert summary.ingested == 5 and summary.coded == 0


def test_duplicates_within_one_batch_and_across_runs(tmp_path: Path) -> None:
    edited = STORY.replace("on Monday", "on Monday evening").replace("welcomed", "praised")
    rows = [
        {"id": "a", "text": STORY, "source": "Outlet A", "published": "2024-02-02"},
        {"id": "b", "text": STORY.upper(), "source": "Outlet B"},  # exact after normalisation
        {"id": "c", "text": edited, "source": "Outlet C"},
        {"id": "d", "text": "Something else entirely: " + STORY[::-1], "source": "Outlet D"},
    ]
    store = Store(tmp_path / "s.duckdb")
    ingest([write_jsonl(tmp_path / "one.jsonl", rows)], store, code=False)
    got = {a.article_id: (a.duplicate_of, a.duplicate_kind) for a in queries.read_articles(store)}
    assert got == {"a": (None, None), "b": ("a", "exact"), "c": ("a", "near"), "d": (None, None)}
    # Later runs: copies of stored articles are linked to them too.
    later = [{"id": "e", "text": STORY, "source": "Outlet E"},
             {"id": "f", "text": edited.replace("trade", "commerce"), "source": "Outlet F"}]
    summary = ingest([write_jsonl(tmp_path / "two.jsonl", later)], store, code=False)
    assert (summary.exact_duplicates, summary.near_duplicates) == (1, 1)
    got = {a.article_id: (a.duplicate_of, a.duplicate_kind) for a in queries.read_articles(store)}
    assert got["e"] == ("a", "exact") and got["f"] == ("a", "near")


def test_same_text_two_outlets_without_ids(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(STORY + "\n\nSource » outlet-one\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text(STORY + "\n\nSource » outlet-two\n", encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    ingest([tmp_path], store, code=False)
    one, two = sorted(queries.read_articles(store), key=lambda a: a.origin or "")
    assert one.content_hash == two.content_hash and one.article_id != two.article_id
    assert two.duplicate_of == one.article_id and two.duplicate_kind == "exact"


def test_near_duplicate_original_is_the_earliest_published_match() -> None:
    index = DedupIndex()
    for aid, published in (("z-late", "2024-05-01"), ("m-early", "2024-01-01")):
        text = STORY if aid == "z-late" else STORY.replace("Athens", "Athens, Greece,")
        index.add(aid, aid, published, None, index.signature(text))
    probe = Article(article_id="p", text=STORY.replace("Monday", "Tuesday"), content_hash="p")
    assert index.classify(probe, index.signature(probe.text)) == ("m-early", "near")


def test_shingles_of_short_texts() -> None:
    assert shingles("Two words") == {b"two words"}
    assert len(shingles("one two three four five six")) == 2


def test_published_option_validated(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a date"):
        ingest([SAMPLES_DIR], Store(tmp_path / "s.duckdb"), published="tomorrow", code=False)


def test_failures_reported_and_good_inputs_kept(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    reported = []
    summary = ingest([tmp_path / "bad.txt", SAMPLES_DIR / "06_wire.jsonl", tmp_path / "nope.html"],
                     Store(tmp_path / "s.duckdb"), code=False, on_failure=reported.append)
    assert isinstance(summary, IngestSummary) and summary.ingested == 5
    assert [f.origin for f in reported] == [str(tmp_path / "bad.txt"), str(tmp_path / "nope.html")]
    assert summary.to_dict()["failed"][0].endswith("bad.txt: binary data, not text")
