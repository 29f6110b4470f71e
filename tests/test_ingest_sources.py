"""Readers: every input kind gives the right article, every bad input a failure naming it, and the batch goes on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dragoman import settings
from dragoman.ingest import sources
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.language import detect_language
from dragoman.ingest.sources import read_sources
from dragoman.ingest.textclean import content_hash, split_title, strip_trailer
from dragoman.ingest.types import Failure
from dragoman.model import Article
from dragoman.paths import SAMPLES_DIR

BODY = (
    "Officials from Egypt and Sudan met in Cairo on Monday to discuss the dam on the Blue Nile, the Egyptian "
    "foreign ministry said. The two sides agreed to meet again next month."
)


def read(*paths: str | Path, **kwargs) -> tuple[list[Article], list[Failure]]:
    items = list(read_sources([str(p) for p in paths], **kwargs))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Failure)]


# ---------------------------------------------------------------- text


def test_seed_trailer_is_cut_and_body_offsets_kept(shared: Path) -> None:
    path = next((shared / "corpus" / "seed").glob("*.txt"))
    raw = path.read_text(encoding="utf-8")
    (article,), failures = read(path)
    assert not failures
    assert raw.startswith(article.text)  # only the tail is cut: every offset is the file's own
    tail = raw[len(article.text):]
    assert tail.strip() and article.source and article.source in tail  # the trailer named the outlet
    assert article.text.rstrip()[-1] in '.!?"\u201d'  # the body ends in prose
    assert article.title == raw.splitlines()[0].strip()
    body_start = article.extra["body_start"]
    assert raw[:body_start].endswith("\n") and not article.text[body_start].isspace()
    assert article.language == "en" and article.published is None



def test_trailer_lines_only_at_the_end() -> None:
    text = "Headline\n\nSource: the body mentions a source line.\n\nLast paragraph.\n\nSource » Reuters\n\nRelated\n"
    body, source = strip_trailer(text)
    assert source == "Reuters"
    assert body == "Headline\n\nSource: the body mentions a source line.\n\nLast paragraph."
    assert strip_trailer("Just prose.\n") == ("Just prose.", None)


def test_title_line_rules() -> None:
    assert split_title("A headline\n\nBody text.") == ("A headline", 12)
    assert split_title("A sentence of prose ends with a period.\n\nBody.") == (None, 0)
    assert split_title("No blank line after it\nBody.") == (None, 0)


def test_txt_published_option_and_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (article,), _ = read(tmp_path / "a.txt", published="2024-01-02")
    assert article.published == "2024-01-02"
    assert article.content_hash == content_hash(BODY)
    assert article.article_id and article.title is None
    (again,), _ = read(tmp_path / "a.txt")
    assert again.article_id == article.article_id and again.published is None  # never invented


def test_content_hash_ignores_case_and_spacing() -> None:
    assert content_hash("Talks  began\non Monday.") == content_hash("talks began on monday.")
    assert content_hash("Talks began on Monday.") != content_hash("Talks began on Tuesday.")


# ---------------------------------------------------------------- html, jsonl, feeds, gz, directories


def test_html_sample_metadata_and_text() -> None:
    (article,), failures = read(SAMPLES_DIR / "04_gulfherald_sanctions.html")
    assert not failures
    assert article.article_id == article.url == "https://gulfherald.example/world/2024/03/12/us-sanctions-iran-oil-shipping"
    assert article.source == "Gulf Herald" and article.author == "Samira Haddad"
    assert article.published == "2024-03-12"
    assert article.title == "US sanctions shipping network accused of moving Iranian oil"
    assert "imposed sanctions on six companies" in article.text
    for boilerplate in ("Subscribe", "Privacy policy", "Most read", "Ten recipes"):
        assert boilerplate not in article.text


def test_html_published_time_is_converted_to_utc(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Late news</title>"
        '<meta property="article:published_time" content="2024-03-05T23:30:00-05:00"></head>'
        f"<body><article><h1>Late news</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    )
    (tmp_path / "late.html").write_text(page, encoding="utf-8")
    (article,), _ = read(tmp_path / "late.html", published="2000-01-01")
    assert article.published == "2024-03-06"  # metadata wins over --published, in UTC


def test_jsonl_fields_and_extra_keys() -> None:
    articles, failures = read(SAMPLES_DIR / "06_wire.jsonl")
    assert not failures and len(articles) == 5
    first = articles[0]
    assert first.article_id == "wire-2024-0311-syria"
    assert first.source == "Regional Wire" and first.published == "2024-03-11"
    assert first.extra == {"section": "Middle East"}
    assert first.origin.endswith("06_wire.jsonl:1")
    gaza = next(a for a in articles if a.article_id == "wire-2024-0318-gaza")
    assert gaza.published == "2024-03-18"  # 20:45 at +02:00 is 18:45 UTC


def test_feed_file_entries() -> None:
    articles, failures = read(SAMPLES_DIR / "07_feed.xml")
    assert not failures and [a.article_id for a in articles] == [
        "horizon-2024-04-08-libya", "horizon-2024-04-09-ethiopia", "horizon-2024-04-10-bolivia"]
    libya, ethiopia, _ = articles
    assert libya.author == "Leila Mansour" and libya.published == "2024-04-08"
    assert libya.text.count("\n\n") == 2 and "<p>" not in libya.text
    assert ethiopia.published == "2024-04-10"  # Tue 23:30 at -05:00 is Wednesday in UTC
    assert "Fano militias" in ethiopia.text  # full text from the description


def test_gz_of_each_kind(tmp_path: Path) -> None:
    for name in ("06_wire.jsonl", "07_feed.xml", "04_gulfherald_sanctions.html", "03_darfur_aid.txt"):
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress((SAMPLES_DIR / name).read_bytes()))
    plain, _ = read(*(SAMPLES_DIR / n for n in ("06_wire.jsonl", "07_feed.xml", "04_gulfherald_sanctions.html",
                                                   "03_darfur_aid.txt")))
    zipped, failures = read(*(tmp_path / f"{n}.gz" for n in ("06_wire.jsonl", "07_feed.xml",
                                                               "04_gulfherald_sanctions.html", "03_darfur_aid.txt")))
    assert not failures
    assert [(a.article_id, a.text) for a in zipped] == [(a.article_id, a.text) for a in plain]


def test_directory_is_recursive_sorted_and_skips_unknown(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second. " + BODY, encoding="utf-8")
    (tmp_path / "a.txt").write_text("First. " + BODY, encoding="utf-8")
    (tmp_path / "c.txt").write_text("Third. " + BODY, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden. " + BODY, encoding="utf-8")
    articles, failures = read(tmp_path)
    assert not failures
    assert [a.text.split(".")[0] for a in articles] == ["First", "Second", "Third"]


def test_samples_folder_reads_cleanly() -> None:
    articles, failures = read(SAMPLES_DIR)
    assert not failures
    assert 12 <= len(articles) <= 16
    assert {a.language for a in articles} == {"en", "fr"}


def test_language_identification() -> None:
    assert detect_language(BODY) == "en"
    assert detect_language((SAMPLES_DIR / "10_tunisie_manifestation.txt").read_text(encoding="utf-8")) == "fr"
    assert detect_language("Hola.") == "en"  # too short to judge


def test_dates_normalised_to_utc_day() -> None:
    assert normalise_date("2024-03-05") == "2024-03-05"
    assert normalise_date("2024-03-05T23:30:00-05:00") == "2024-03-06"
    assert normalise_date("2024-03-05T10:00:00Z") == "2024-03-05"
    assert normalise_date("Tue, 05 Mar 2024 23:30:00 -0500") == "2024-03-06"
    assert normalise_date("last Tuesday") is None and normalise_date("2024-02-30") is None


# ---------------------------------------------------------------- bad inputs


def test_bad_inputs_are_named_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    bad = {
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "empty.txt": b"",
        "blank.txt": b"   \n\n  ",
        "short.txt": b"Too short.",
        "latin1.txt": "Le ministre a été reçu à Paris mardi pour des négociations.".encode("latin-1") * 3,
        "big.txt": b"word " * 300,
        "broken.xml": b"<?xml version='1.0'?><rss><channel><title>x</title",
        "notafeed.xml": b"<?xml version='1.0'?><catalog><book>Dune</book></catalog>",
        "nothing.html": b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "bad.gz": b"this is not gzip data at all",
        "locked.txt": BODY.encode(),
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    lines = [json.dumps({"id": "ok-1", "text": BODY}), "{not json", json.dumps(["a", "list"]),
             json.dumps({"id": "no-text"}), "", json.dumps({"id": "ok-2", "text": BODY + " More."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(settings, "MAX_ARTICLE_BYTES", 1000)
    real_open = sources._open

    def locked(path: Path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path)

    monkeypatch.setattr(sources, "_open", locked)
    names = [*bad, "feed.jsonl"]
    articles, failures = read(*(tmp_path / n for n in names), good, tmp_path / "missing.txt")
    assert sorted(a.article_id for a in articles if a.article_id.startswith("ok")) == ["ok-1", "ok-2"]
    assert any(a.origin == str(good) for a in articles)  # the batch went on past every bad input
    reasons = {f.origin.replace(str(tmp_path) + "/", ""): f.reason for f in failures}
    expected = {
        "binary.txt": "binary", "empty.txt": "empty", "blank.txt": "empty", "short.txt": "empty",
        "latin1.txt": "undecodable", "big.txt": "oversized", "broken.xml": "malformed feed",
        "notafeed.xml": "not an RSS or Atom feed", "nothing.html": "empty",
        "bad.gz": "not a valid gzip", "locked.txt": "cannot read (Permission denied)",
        "feed.jsonl:2": "malformed JSON", "feed.jsonl:3": "not a JSON object", "feed.jsonl:4": "no \"text\"",
        "missing.txt": "no such file",
    }
    for origin, words in expected.items():
        assert origin in reasons, f"{origin} not reported: {sorted(reasons)}"
        assert words in reasons[origin], f"{origin}: {reasons[origin]!r}"
    assert str(failures[0]) == f"{failures[0].origin}: {failures[0].reason}"


def test_oversized_jsonl_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_ARTICLE_BYTES", 600)
    lines = [json.dumps({"id": "big", "text": "x " * 1000}), json.dumps({"id": "fine", "text": BODY})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, failures = read(tmp_path / "a.jsonl")
    assert [a.article_id for a in articles] == ["fine"]
    assert failures[0].origin.endswith("a.jsonl:1") and "oversized" in failures[0].reason


def test_bad_published_in_jsonl_is_kept_raw_not_guessed(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x", "text": BODY, "published": "soon"}) + "\n")
    (article,), _ = read(tmp_path / "a.jsonl")
    assert article.published is None and article.extra["published_raw"] == "soon"
