"""Hostile and careless input: one bad input costs only itself. Each case here was once a crash, a hang or an
amplification that ended or swamped a whole `dragoman ingest`; each must now be a :class:`Failure` (or a clean
article), quickly, with a bounded number of error lines."""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import dragoman.cli.ingest  # noqa: F401 - registers the commands on `main`
from dragoman import settings
from dragoman.cli.app import main
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.fetch import FetchError, blocked_reason, fetch
from dragoman.ingest.sources import read_sources
from dragoman.ingest.types import Failure, printable
from dragoman.jobs.ingest import ingest
from dragoman.model import Article, stable_id
from dragoman.nlp import split_chunks
from dragoman.store.db import Store

BODY = (
    "Ministers from Ghana and Togo met in Lome on Wednesday to settle a dispute over fishing rights along "
    "their maritime border, a spokesman for the Ghanaian government said."
)
PUBLIC = "93.184.216.34"


def read(*paths: str | Path, **kwargs) -> tuple[list[Article], list[Failure]]:
    items = list(read_sources([str(p) for p in paths], **kwargs))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Failure)]


def good_line(key: str = "good-1") -> str:
    return json.dumps({"id": key, "text": BODY, "published": "2024-05-06"})


# ---------------------------------------------------------------- JSON Lines: crashes


def test_deeply_nested_json_line_is_a_failure_and_the_next_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + good_line() + "\n", encoding="utf-8")
    articles, failures = read(path)
    assert [a.article_id for a in articles] == ["good-1"]
    assert [f.origin for f in failures] == [f"{path}:1"] and "nested" in failures[0].reason


def test_nesting_inside_a_record_is_bounded(tmp_path: Path) -> None:
    deep: object = "leaf"
    for _ in range(settings.JSON_MAX_DEPTH + 5):
        deep = {"k": deep}
    path = tmp_path / "deep-extra.jsonl"
    path.write_text(json.dumps({"text": BODY, "meta": deep}) + "\n" + good_line() + "\n", encoding="utf-8")
    articles, (failure,) = read(path)
    assert [a.article_id for a in articles] == ["good-1"] and "nested" in failure.reason


def test_lone_surrogate_escapes_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text(
        '{"id": "s-1", "text": "' + BODY + ' \\ud800", "title": "Fish \\udfff talks", "source": "\\udbff",'
        ' "\\ud801key": ["\\udc00"]}\n',
        encoding="utf-8",
    )
    (article,), failures = read(path)
    assert not failures
    assert article.text.endswith("\ufffd") and article.title == "Fish \ufffd talks"
    assert article.extra == {"\ufffdkey": ["\ufffd"]}
    for value in (article.text, article.title, article.source, article.article_id, article.content_hash):
        value.encode("utf-8")  # valid UTF-8 everywhere
    store = Store(tmp_path / "s.duckdb")
    summary = ingest([path], store, code=False)
    assert summary.ingested == 1 and not summary.failures


def test_stable_id_accepts_any_string() -> None:
    assert stable_id("\ud800") != stable_id("\ud801")
    assert stable_id("plain") == stable_id("plain")


def test_huge_integer_is_kept_as_digits(tmp_path: Path) -> None:
    path = tmp_path / "bigint.jsonl"
    digits = "7" * 5000
    path.write_text('{"id": "n-1", "text": "' + BODY + '", "views": ' + digits + "}\n" + good_line() + "\n",
                    encoding="utf-8")
    articles, failures = read(path)
    assert not failures
    assert [a.article_id for a in articles] == ["n-1", "good-1"]
    assert articles[0].extra["views"] == digits


def test_out_of_range_publication_years_are_not_dates(tmp_path: Path) -> None:
    for raw in ("9999-12-31", "0001-01-01", "9999-12-31T23:59:59-05:00", "1700-05-01", "2200-01-01"):
        assert normalise_date(raw) is None, raw
    assert normalise_date("2024-02-29") == "2024-02-29"
    assert normalise_date(f"{settings.PUBLISHED_MIN_YEAR}-01-01") is not None
    path = tmp_path / "years.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"y{i}", "text": BODY, "published": p})
                              for i, p in enumerate(("9999-12-31", "0001-01-01", "2024-05-06"))) + "\n",
                    encoding="utf-8")
    articles, failures = read(path)
    assert not failures
    assert [a.published for a in articles] == [None, None, "2024-05-06"]
    assert articles[0].extra["published_raw"] == "9999-12-31"


def test_text_records_keep_only_sane_dates(tmp_path: Path) -> None:
    from dragoman.ingest.sources import read_text_records

    path = tmp_path / "records.jsonl"
    rows = [{"id": "r1", "text": BODY, "published": "9999-12-31"}, {"id": "r2", "text": BODY, "dct": 20240506},
            {"id": "r3", "text": BODY, "dct": "2019-03-04"}, {"id": "r4", "text": "\ud800 " + BODY}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n[[[" + "[" * 50_000 + "\n", encoding="utf-8")
    items = list(read_text_records(str(path)))
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.published for a in articles] == [None, None, "2019-03-04", None]
    assert "\ud800" not in articles[3].text
    assert [type(i).__name__ for i in items] == ["Article"] * 4 + ["Failure"]


# ---------------------------------------------------------------- file names


def test_file_name_with_non_utf8_bytes_is_read_and_stored(tmp_path: Path) -> None:
    raw_dir = os.fsencode(tmp_path)
    name = os.path.join(raw_dir, b"r\xe9sum\xe9-\xff.txt")
    with open(name, "wb") as handle:
        handle.write(BODY.encode("utf-8"))
    store = Store(tmp_path / "names.duckdb")
    summary = ingest([tmp_path], store, code=False)
    assert summary.ingested == 1 and not summary.failures
    (article,), _ = read(tmp_path)
    assert article.origin is not None and article.origin.endswith("r\\xe9sum\\xe9-\\xff.txt")
    article.origin.encode("utf-8")


def test_error_lines_escape_control_characters(tmp_path: Path) -> None:
    failure = Failure("evil\x1b[2J\x1b]0;owned\x07.txt", "bad\nline\ud800 \u202e")
    text = str(failure)
    assert text == "evil\\x1b[2J\\x1b]0;owned\\x07.txt: bad\\nline\\ud800 \\u202e"
    assert printable("caf\u00e9 \u0634\u0627\u0645 \t") == "caf\u00e9 \u0634\u0627\u0645 \\t"
    path = tmp_path / "evil\x1b[31mred\x1b[0m.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 10)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "c.duckdb"), "ingest", "--no-code", str(path)])
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout
    assert "evil\\x1b[31mred" in result.stderr


# ---------------------------------------------------------------- HTML


def _page(body: str, head: str = "") -> str:
    return f"<html><head><title>Fish talks</title>{head}</head><body><article>{body}</article></body></html>"


def test_deeply_nested_json_ld_in_html(tmp_path: Path) -> None:
    ld = '{"a": ' * 50_000 + "1" + "}" * 50_000
    path = tmp_path / "ld.html"
    path.write_text(_page(f"<p>{BODY}</p><p>{BODY}</p>",
                          f'<script type="application/ld+json">{ld}</script>'), encoding="utf-8")
    (article,), failures = read(path)
    assert not failures and article.published is None


def test_wide_json_ld_is_searched_in_linear_time(tmp_path: Path) -> None:
    ld = json.dumps([{"x": i} for i in range(200_000)] + [{"datePublished": "2024-05-06T10:00:00Z"}])
    path = tmp_path / "wide.html"
    path.write_text(_page(f"<p>{BODY}</p><p>{BODY}</p>",
                          f'<script type="application/ld+json">{ld}</script>'), encoding="utf-8")
    start = time.monotonic()
    (article,), _ = read(path)
    assert article.published == "2024-05-06" and time.monotonic() - start < 10


@pytest.mark.parametrize("markup,reason", [
    ("<p " + " ".join(f"a{i}=x" for i in range(60_000)) + f">{BODY}</p>", "attributes"),
    ("<b>x</b>" * 100_000 + f"<p>{BODY}</p>", "tags"),
    ("<div>" * 5_000 + f"<p>{BODY}</p>" + "</div>" * 5_000, "nested"),
])
def test_markup_bombs_are_refused_before_parsing(tmp_path: Path, markup: str, reason: str) -> None:
    path = tmp_path / "bomb.html"
    path.write_text(_page(markup), encoding="utf-8")
    start = time.monotonic()
    articles, (failure,) = read(path)
    assert not articles and reason in failure.reason and "markup" in failure.reason
    assert time.monotonic() - start < 3


def test_script_and_unclosed_paragraphs_are_not_markup_bombs(tmp_path: Path) -> None:
    script = ("<script>" + "if (a<b && c<d) { x = 1; }\n" * 3_000 + "</script>"
              + "<!-- an old layout: " + "<td><b>x</b></td>" * 30_000 + " -->")
    paragraphs = "".join(f"<p>{BODY} Paragraph {i}." for i in range(800))  # never closed, as HTML allows
    path = tmp_path / "ok.html"
    path.write_text(_page(paragraphs, script), encoding="utf-8")
    (article,), failures = read(path)
    assert not failures and "Paragraph 799" in article.text


def test_markup_bomb_over_http_is_refused() -> None:
    bomb = _page("<p " + " ".join(f"a{i}=x" for i in range(60_000)) + f">{BODY}</p>")

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html"}, text=bomb)

    from dragoman.ingest.sources import Input, Reader

    reader = Reader(resolver=lambda h, p: [PUBLIC], transport=httpx.MockTransport(handle))
    start = time.monotonic()
    (failure,) = list(reader.read(Input(label="http://news.example/bomb", url="http://news.example/bomb")))
    assert isinstance(failure, Failure) and "attributes" in failure.reason
    assert time.monotonic() - start < 3


# ---------------------------------------------------------------- long text without paragraphs


def test_long_paragraphs_are_split_at_sentences_then_spaces() -> None:
    sentence = "The council in Accra voted on Monday to extend the curfew by a week. "
    text = sentence * 20_000 + "x" * 50_000 + " tail"
    pieces = split_chunks(text, max_chars=20_000)
    assert all(len(piece) <= 20_000 for _, piece in pieces)
    assert "".join(piece for _, piece in pieces) == text  # contiguous, nothing lost, offsets exact
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert pieces[0][1].endswith("week. ")  # cut after a sentence, not inside one


def test_short_texts_and_paragraph_breaks_are_chunked_as_before() -> None:
    assert split_chunks("short text", max_chars=100) == [(0, "short text")]
    text = ("A" * 60 + "\n\n") * 5
    assert [o for o, _ in split_chunks(text, max_chars=130)] == [0, 124, 248]


def test_over_a_million_characters_parse_without_e088() -> None:
    import spacy

    from dragoman.nlp import parse

    nlp = spacy.blank("en")
    nlp.max_length = 5_000
    text = "Talks in Dakar ended without a deal and both sides left the hall " * 1_000
    chunks = list(parse([("k", text)], nlp=nlp, max_chars=4_000, max_paragraph=4_000))
    assert len(chunks) > 10 and all(len(c.doc.text) <= 4_000 for c in chunks)


# ---------------------------------------------------------------- dates the time tagger sees


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01", "2024-05-06"])
def test_time_tagger_cannot_overflow(nlp, published: str) -> None:
    from dragoman.time.tagger import TimeTagger

    doc = nlp(
        "Last year the fleet sailed on March 3 and will return next month, 3,000,000 days ago or "
        "in 10,000 years from now, on Friday, this winter, the following year, 900000 weeks later, "
        "the fourth quarter, a year earlier, in the 2090s, days before the talks, on the 29th, next century."
    )
    tagger = TimeTagger()
    found = tagger.find(doc, published, "a1")
    assert found
    for token in doc:
        tagger.event_date(token, found, published)


# ---------------------------------------------------------------- amplification


def test_gz_of_empty_objects_gives_a_bounded_number_of_error_lines(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl.gz"
    path.write_bytes(gzip.compress(b"{}\n" * 3_500_000, 9))
    assert path.stat().st_size < 20_000
    start = time.monotonic()
    articles, failures = read(path)
    assert time.monotonic() - start < 15
    assert not articles and len(failures) <= settings.MAX_PROBLEMS_PER_INPUT + 2
    assert any("decompression bomb" in f.reason for f in failures)
    assert str(failures[-1]).startswith("…and ") and str(failures[-1]).endswith(f"more problems in {path}")


def test_many_bad_lines_around_a_good_one(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text("{}\n" * 500 + good_line() + "\n" + "not json\n" * 500, encoding="utf-8")
    articles, failures = read(path)
    assert [a.article_id for a in articles] == ["good-1"]
    assert len(failures) == settings.MAX_PROBLEMS_PER_INPUT + 1
    assert failures[-1].more == 1000 - settings.MAX_PROBLEMS_PER_INPUT


def test_gz_of_newlines_is_quick_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n" * 100_000_000, 9))
    start = time.monotonic()
    articles, failures = read(path)
    assert time.monotonic() - start < 5
    assert not articles and len(failures) == 1 and "decompression bomb" in failures[0].reason


def test_file_of_blank_lines_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n \r\n\t\n" * 100_000)
    start = time.monotonic()
    _, (failure,) = read(path)
    assert "empty" in failure.reason and time.monotonic() - start < 2


@pytest.mark.parametrize("name", ["page.html.gz", "story.txt.gz", "feed.xml.gz"])
def test_gz_documents_stop_at_the_size_cap(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(b" " * 50_000_000, 9))
    start = time.monotonic()
    _, (failure,) = read(path)
    assert "oversized" in failure.reason or "decompression bomb" in failure.reason
    assert time.monotonic() - start < 3


def _feed(items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Wire</title>{items}</channel></rss>'


def test_feed_entries_under_the_minimum_size_are_refused(tmp_path: Path) -> None:
    items = "".join(f"<item><guid>e{i}</guid><description>x</description></item>" for i in range(300))
    items += f"<item><guid>full</guid><description>{BODY}</description></item>"
    path = tmp_path / "tiny.xml"
    path.write_text(_feed(items), encoding="utf-8")
    articles, failures = read(path)
    assert [a.article_id for a in articles] == ["full"]
    assert len(failures) == settings.MAX_PROBLEMS_PER_INPUT + 1 and "characters" in failures[0].reason


def test_feed_entry_count_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "FEED_MAX_ENTRIES", 50)
    items = "".join(f"<item><guid>e{i}</guid><description>{BODY} Entry {i}.</description></item>"
                    for i in range(400))
    path = tmp_path / "long.xml"
    path.write_text(_feed(items), encoding="utf-8")
    articles, failures = read(path)
    assert [a.article_id for a in articles] == [f"e{i}" for i in range(50)]
    (failure,) = failures
    assert "more than 50 entries" in failure.reason


def test_feed_with_a_markup_bomb_in_an_entry(tmp_path: Path) -> None:
    escaped = ("&lt;b&gt;x&lt;/b&gt;" * 100_000) + BODY
    path = tmp_path / "bomb.xml"
    path.write_text(_feed(f"<item><guid>b</guid><description>{escaped}</description></item>"), encoding="utf-8")
    start = time.monotonic()
    articles, (failure,) = read(path)
    assert not articles and "markup" in failure.reason and time.monotonic() - start < 3


@pytest.mark.parametrize("ref", ["&#xD800;", "&amp;#xDFFF;", "&#99999999;", "&amp;#" + "9" * 5000 + ";"])
@pytest.mark.parametrize("broken", [False, True])
def test_feed_character_references_to_no_character(tmp_path: Path, ref: str, broken: bool) -> None:
    # A broken document goes to feedparser's lenient parser, which used to raise on these.
    item = f"<item><guid>cr</guid><description>{ref} {BODY}</description></item>" + ("<oops" if broken else "")
    path = tmp_path / "refs.xml"
    path.write_text(_feed(item), encoding="utf-8")
    articles, failures = read(path)
    assert [a.article_id for a in articles] == ["cr"]
    assert not any("unexpected" in f.reason for f in failures)


# ---------------------------------------------------------------- the URL guard


@pytest.mark.parametrize("address", [
    "192.0.0.192", "192.0.0.9", "192.0.0.170", "192.88.99.1", "198.18.0.1", "0.1.2.3", "255.255.255.255",
    "fec0::1", "3fff::1", "2001:db8::1", "2001::1", "2001:20::1", "100::1", "5f00::1", "64:ff9b:1::1",
    "::ffff:192.0.0.192", "::ffff:127.0.0.1", "::127.0.0.1", "::ffff:0:a00:1", "64:ff9b::c000:c0",
    "2002:c000:c0::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "4000::1", "fd00::1", "ff02::1",
])
def test_only_global_unicast_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is not None, address


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "2a00:1450:4001::200e",
                                     "::ffff:8.8.8.8", "2002:808:808::1"])
def test_global_unicast_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None, address


@pytest.mark.parametrize("location", ["http://[::1", "http://exa mple.com/", "http://news.example:99999/",
                                      "http://\x00/", "https://[fe80::1%eth0]/"])
def test_malformed_redirect_location_is_a_fetch_error(location: str) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    with pytest.raises(FetchError):
        fetch("http://news.example/a", resolver=lambda h, p: [PUBLIC], transport=httpx.MockTransport(handle))


def test_any_transport_error_is_a_fetch_error() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.DecodingError("broken gzip body")

    with pytest.raises(FetchError, match="DecodingError"):
        fetch("http://news.example/a", resolver=lambda h, p: [PUBLIC], transport=httpx.MockTransport(handle))


def test_a_server_trickling_headers_is_cut_at_the_overall_deadline() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"X")  # one byte of a header line every 0.2 s: no read ever times out
                except OSError:
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    start = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timed out"):
            fetch(f"http://127.0.0.1:{port}/slow", allow_private=True, timeout=1.0)
        assert time.monotonic() - start < 3
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


# ---------------------------------------------------------------- never an exception out of a reader


def test_reader_turns_an_unexpected_error_into_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dragoman.ingest import sources

    def broken(*args, **kwargs):
        raise RuntimeError("surprise")

    monkeypatch.setattr(sources, "text_article", broken)
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(good_line() + "\n", encoding="utf-8")
    articles, (failure,) = read(tmp_path / "a.txt", tmp_path / "b.jsonl")
    assert [a.article_id for a in articles] == ["good-1"]
    assert "RuntimeError: surprise" in failure.reason
