"""Properties of every reader under arbitrary and hostile input (hypothesis): nothing raises out of a reader (only
:class:`Failure`s, and never the "unexpected error" of the safety net), each input is read in bounded time, every
article's strings are valid UTF-8, and a good article among bad lines or entries is still read."""

from __future__ import annotations

import gzip
import html as html_escape
import ipaddress
import json
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dragoman.ingest.dates import normalise_date
from dragoman.ingest.fetch import blocked_reason
from dragoman.ingest.sources import Input, Reader
from dragoman.ingest.types import Failure, printable
from dragoman.model import Article
from dragoman.nlp import split_chunks

# Each example is one file read through the real reader: a few seconds each at most, however hostile.
SECONDS_PER_INPUT = 10
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD_TEXT = (
    "Farmers in northern Kenya blocked a highway near Isiolo on Thursday to protest against the sale of grazing "
    "land, and police dispersed them with tear gas, a county official said."
)
GOOD_ID = "good-article-1"

# Fragments that have broken readers before, mixed by the strategies below.
HOSTILE_JSON = st.sampled_from([
    "{}", "[]", "null", '"text"', "{" * 5000, "[" * 20_000 + "]" * 20_000, '{"text": "\\ud800\\udfff"}',
    '{"text": 1' + "0" * 5000 + "}", '{"text": "' + GOOD_TEXT + '", "views": ' + "9" * 6000 + "}",
    '{"text": "' + GOOD_TEXT + '", "published": "9999-12-31T23:59:59-05:00"}', '{"text": "\u0000"}',
    '{"text": "short"}', '{"text": ["list"]}', "\xff\xfe", "   ", "\t\r", '{"a":' * 300 + "1" + "}" * 300,
    '{"text": "' + GOOD_TEXT + '", "id": {"nested": [1, 2]}, "published": 20240506}', "NaN", "-Infinity",
])
HOSTILE_MARKUP = st.sampled_from([
    "<p " + " ".join(f"a{i}=x" for i in range(500)) + ">x</p>", "<div>" * 600, "</div>" * 50, "<b>x</b>" * 300,
    "<script>if (a<b) {}</script>", "<!-- <p> -->", "<![CDATA[ <p> ]]>", "&#xD800;", "&#0;", "<p/>" * 50,
    '<script type="application/ld+json">' + '{"a":' * 2000 + "1" + "}" * 2000 + "</script>",
    '<script type="application/ld+json">{"datePublished": "9999-99-99"}</script>',
    '<meta property="article:published_time" content="0001-01-01T00:00:00+14:00">', "<svg><svg><svg>",
    "<table><tr><td>" * 100, "<p>" * 400, "\x00", "<\xff>", "<html><html><body><body>",
])


def read_bytes(name: str, data: bytes) -> tuple[list[Article], list[Failure], float]:
    """``data`` as a file called ``name``, read through the real reader; the time it took."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        start = time.monotonic()
        items = list(Reader().read(Input(label=str(path), path=path)))
        elapsed = time.monotonic() - start
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Failure)], elapsed


def check_sound(articles: list[Article], failures: list[Failure], elapsed: float) -> None:
    assert elapsed < SECONDS_PER_INPUT
    for failure in failures:
        assert not failure.reason.startswith("unexpected error"), str(failure)
        str(failure).encode("utf-8")
    for article in articles:
        for value in (article.text, article.title, article.source, article.author, article.origin,
                      article.article_id, article.url):
            if value is not None:
                value.encode("utf-8")
        json.dumps(article.extra, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- arbitrary bytes, every kind


@PROPERTY
@given(data=st.binary(max_size=4000),
       name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.xml", "a.rss", "a.unknown", "a.atom"]))
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    check_sound(*read_bytes(name, data))


@PROPERTY
@given(data=st.binary(max_size=4000), name=st.sampled_from(["a.txt.gz", "a.jsonl.gz", "a.html.gz", "a.xml.gz"]),
       how=st.sampled_from(["compressed", "truncated", "raw"]))
def test_arbitrary_gzip_never_raises(data: bytes, name: str, how: str) -> None:
    packed = gzip.compress(data)
    content = {"compressed": packed, "truncated": packed[: max(1, len(packed) // 2)], "raw": data}[how]
    check_sound(*read_bytes(name, content))


@PROPERTY
@given(text=st.text(max_size=3000), name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.xml"]))
def test_arbitrary_text_never_raises(text: str, name: str) -> None:
    check_sound(*read_bytes(name, text.encode("utf-8", "surrogatepass")))


# ---------------------------------------------------------------- structured hostile input, a good article inside


@PROPERTY
@given(before=st.lists(HOSTILE_JSON | st.text(max_size=200), max_size=30),
       after=st.lists(HOSTILE_JSON | st.text(max_size=200), max_size=30), gz=st.booleans())
def test_jsonl_good_line_among_bad_ones_is_read(before: list[str], after: list[str], gz: bool) -> None:
    good = json.dumps({"id": GOOD_ID, "text": GOOD_TEXT})
    lines = [line.replace("\n", " ") for line in before] + [good] + [line.replace("\n", " ") for line in after]
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    articles, failures, elapsed = read_bytes("mixed.jsonl.gz" if gz else "mixed.jsonl",
                                             gzip.compress(data) if gz else data)
    check_sound(articles, failures, elapsed)
    assert GOOD_ID in [a.article_id for a in articles]


@PROPERTY
@given(pieces=st.lists(HOSTILE_MARKUP | st.text(max_size=100), max_size=12), where=st.integers(0, 12))
def test_html_never_raises_and_is_bounded(pieces: list[str], where: int) -> None:
    body = pieces[:where] + [f"<article><h1>Highway blocked</h1><p>{GOOD_TEXT}</p><p>{GOOD_TEXT}</p></article>"]
    page = "<html><head><title>Highway blocked</title></head><body>" + "".join(body + pieces[where:])
    check_sound(*read_bytes("page.html", page.encode("utf-8", "surrogatepass")))


@PROPERTY
@given(bad=st.lists(HOSTILE_MARKUP | st.text(max_size=80) | st.just(""), max_size=25), where=st.integers(0, 25),
       escaped=st.booleans())
def test_feed_good_entry_among_bad_ones_is_read(bad: list[str], where: int, escaped: bool) -> None:
    def item(guid: str, body: str) -> str:
        content = html_escape.escape(body) if escaped else html_escape.escape(body, quote=False)
        return f"<item><guid>{guid}</guid><title>t</title><description>{content}</description></item>"

    items = [item(f"bad-{i}", body) for i, body in enumerate(bad)]
    items.insert(min(where, len(items)), item(GOOD_ID, f"<p>{GOOD_TEXT}</p>"))
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Rift Wire</title>' + "".join(items)
            + "</channel></rss>")
    articles, failures, elapsed = read_bytes("feed.xml", feed.encode("utf-8", "surrogatepass"))
    check_sound(articles, failures, elapsed)
    # Unless one entry has more markup than a whole feed may, or a NUL byte marks the document as binary.
    if all(len(b) < 300 and "\x00" not in b for b in bad):
        assert GOOD_ID in [a.article_id for a in articles]


# ---------------------------------------------------------------- the pieces under the readers


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab .!?\n\t\u00a0\u3000\u2026\"'"), max_size=3000),
       max_chars=st.integers(5, 400), max_paragraph=st.integers(5, 800))
@example(text="ab aabba \u00a0\u3000 bab", max_chars=5, max_paragraph=5)  # a dropped blank between two pieces
def test_chunks_cover_the_text_within_the_limits(text: str, max_chars: int, max_paragraph: int) -> None:
    pieces = split_chunks(text, max_chars, max_paragraph)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(len(piece) <= max(max_chars, max_paragraph) for _, piece in pieces)
    # only whitespace-only stretches are dropped: where one was, the words either side stay apart
    covered = "".join(piece if k == 0 or pieces[k - 1][0] + len(pieces[k - 1][1]) == offset else " " + piece
                      for k, (offset, piece) in enumerate(pieces))
    assert covered.split() == text.split()
    for (o1, p1), (o2, _) in zip(pieces, pieces[1:], strict=False):
        assert o1 + len(p1) <= o2


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_printable_is_one_safe_line(text: str) -> None:
    shown = printable(text)
    shown.encode("utf-8")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029\u202e" for c in shown)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.none()))
def test_dates_are_sane_or_none(value: object) -> None:
    day = normalise_date(value)
    assert day is None or (len(day) == 10 and 1800 <= int(day[:4]) <= 2100)


@settings(max_examples=500, deadline=None)
@given(st.ip_addresses())
def test_only_global_unicast_passes_the_guard(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    if blocked_reason(str(ip)) is not None:
        return
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    assert ip.is_global and not (ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_link_local)
    if isinstance(ip, ipaddress.IPv6Address):
        assert ip in ipaddress.ip_network("2000::/3") and not ip.is_site_local


def _reference_lines(data: bytes, limit: int) -> list[tuple[int, bytes | None]]:
    """What the JSON Lines reader must see: numbered non-blank lines from their first non-blank byte, an
    over-long one as None."""
    out: list[tuple[int, bytes | None]] = []
    parts = data.split(b"\n")
    for number, part in enumerate(parts, start=1):
        content = part.lstrip()
        if not content.strip():
            continue
        out.append((number, None if len(content) > limit else content + (b"\n" if number < len(parts) else b"")))
    return out


@settings(max_examples=400, deadline=None)
@given(data=st.lists(st.sampled_from([b"\n", b" ", b"\t", b"\r\n", b"{}", b"ab", b"x" * 7, b"\x0c"]), max_size=80)
       .map(b"".join), block=st.integers(1, 9), limit=st.integers(1, 12))
def test_line_scanner_matches_splitting_lines(data: bytes, block: int, limit: int) -> None:
    import io

    from dragoman.ingest import sources

    saved = sources._BLOCK
    sources._BLOCK = block  # small blocks: every way a line can straddle two reads
    try:
        got = list(sources._lines(io.BytesIO(data), limit))
    finally:
        sources._BLOCK = saved
    assert got == _reference_lines(data, limit)
