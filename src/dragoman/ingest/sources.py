"""Inputs to articles: files (.txt, .html/.htm, .jsonl, feeds, and .gz of those), directories and URLs.

Everything here yields :class:`Article` or :class:`Failure` lazily, one input at a time, so a bad input costs
only itself: it becomes a ``Failure`` naming it (``path``, ``path:line``, ``URL``) and the reader moves on.
Identity, language and duplicates are decided later (``runner``); readers only say what the input says.

Hostile or careless input costs only itself, and only so much: nothing a reader meets raises out of
:meth:`Reader.read` (an unexpected error becomes that input's failure); one input reports at most
``settings.MAX_PROBLEMS_PER_INPUT`` problems one by one and counts the rest; a ``.gz`` stops decompressing at the
size cap or past ``settings.GZIP_MAX_RATIO`` times its size; JSON is bounded in nesting; every string an
article carries (text, title, labels, origins) is valid Unicode, and a file name that is not UTF-8 is shown with
``\\xNN`` escapes.

Text files: an aggregator's trailer ("Source » levantdaily", "Related articles") is cut from the end and its
outlet recorded as ``source``; a first line that reads as a headline becomes ``title`` but **stays in the
text**, so every offset into the text is the file's own, and ``extra["body_start"]`` marks where the body
begins for readers that want to skip the headline.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from dragoman import settings
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.feeds import looks_like_feed, parse_feed
from dragoman.ingest.fetch import Fetched, FetchError, Resolver, fetch
from dragoman.ingest.html import HtmlError, parse_html
from dragoman.ingest.language import detect_language
from dragoman.ingest.textclean import content_hash, normalise, split_title, strip_trailer, valid_text
from dragoman.ingest.types import Failure
from dragoman.model import Article, stable_id

Item = Article | Failure

_KINDS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
          ".jsonl": "jsonl", ".ndjson": "jsonl", ".xml": "feed", ".rss": "feed", ".atom": "feed"}
# JSONL keys that are Article fields; any other key is kept in Article.extra.
_JSONL_FIELDS = {"id", "url", "title", "published", "source", "author", "text"}


class InputError(ValueError):
    """An input that cannot be read as an article; the message is the reason."""


class DecompressionBomb(InputError):
    """A .gz file whose decompressed stream outgrew ``settings.GZIP_MAX_RATIO`` times its size."""


def display_name(name: str) -> str:
    """A path or URL as it is printed and stored: bytes of a file name that are not UTF-8 (os gives them as
    lone surrogates) as ``\\xNN`` escapes, so the name is valid UTF-8 and still says which file it is."""
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate os.fsencode cannot map back to a byte
        return valid_text(name)


@dataclass(frozen=True)
class Input:
    """One thing to read: a file (``path``) or a URL (``url``). ``label`` is how messages name it."""

    label: str
    path: Path | None = None
    url: str | None = None


def is_url(source: str) -> bool:
    return "://" in source


def kind_of(name: str) -> str | None:
    """The reader for a file name (``.gz`` looks at the inner suffix), or ``None`` when the name does not say."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return _KINDS.get(Path(lower).suffix)


def expand(sources: Iterable[str | Path]) -> list[Input | Failure]:
    """Sources to inputs, in the order given; a directory's readable files recursively, sorted by relative path
    (so runs are deterministic), hidden files and files of unknown kind skipped."""
    found: list[Input | Failure] = []
    for source in sources:
        text = str(source)
        if is_url(text):
            found.append(Input(label=display_name(text), url=text))
            continue
        path = Path(source)
        if path.is_dir():
            files = [
                f for f in path.rglob("*")
                if f.is_file() and kind_of(f.name)
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            ]
            files.sort(key=lambda f: f.relative_to(path).as_posix())
            found.extend(Input(label=display_name(str(f)), path=f) for f in files)
        elif path.is_file():
            found.append(Input(label=display_name(text), path=path))
        elif path.exists():
            found.append(Failure(display_name(text), "not a regular file or directory"))
        else:
            found.append(Failure(display_name(text), "no such file or directory"))
    return found


# ---------------------------------------------------------------- bytes and text


class _Gunzipped:
    """A .gz file's decompressed stream that refuses to grow past ``settings.GZIP_MAX_RATIO`` times the file's
    size (and at least 1 MB): a few kilobytes that inflate to gigabytes are a bomb, not a corpus."""

    def __init__(self, path: Path) -> None:
        self._allowed = max(settings.GZIP_MAX_RATIO * path.stat().st_size, 1 << 20)
        self._stream = gzip.open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._total = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._total += len(data)
        if self._total > self._allowed:
            raise DecompressionBomb(
                f"decompression bomb: decompresses to over {settings.GZIP_MAX_RATIO} times its size; refused"
            )
        return data

    def __enter__(self) -> _Gunzipped:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def _open(path: Path) -> IO[bytes] | _Gunzipped:
    return _Gunzipped(path) if path.name.lower().endswith(".gz") else path.open("rb")


def read_capped(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes (decompressed for .gz), refusing more than ``limit`` (default: the article size cap)."""
    limit = settings.MAX_ARTICLE_BYTES if limit is None else limit
    try:
        if not path.name.lower().endswith(".gz") and path.stat().st_size > limit:
            raise InputError(f"oversized: {path.stat().st_size} bytes, over the {limit}-byte limit")
        with _open(path) as handle:
            data = handle.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({exc})") from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise InputError(f"oversized: more than {limit} bytes")
    return data


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Bytes of a text document as ``str``: UTF-8 (BOM allowed), UTF-16 with a BOM, or a declared charset.

    Binary data (NUL bytes) and undecodable bytes are refused rather than guessed at: a mis-decoded article
    would be coded into nonsense.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"undecodable UTF-16 ({exc.reason} at byte {exc.start})") from exc
    if b"\x00" in data[:8192]:
        raise InputError("binary data, not text")
    encodings = ["utf-8-sig"]
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        encodings.insert(0, charset)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"undecodable: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    raise InputError("undecodable")


def text_article(text: str, *, origin: str) -> Article:
    """A plain-text article: trailer cut from the tail (its outlet kept), headline recorded, body untouched."""
    body, trailer_source = strip_trailer(text)
    if not body.strip():
        raise InputError("empty: no text")
    if len(body.strip()) < settings.MIN_ARTICLE_CHARS:
        raise InputError(f"empty: only {len(body.strip())} characters of text")
    title, body_start = split_title(body)
    extra: dict[str, Any] = {"body_start": body_start} if title else {}
    return Article(article_id="", text=body, title=title, source=trailer_source, origin=origin, extra=extra)


def _check_length(article: Article) -> Article:
    if len(article.text.strip()) < settings.MIN_ARTICLE_CHARS:
        raise InputError(f"empty: only {len(article.text.strip())} characters of text")
    return article


# ---------------------------------------------------------------- JSON Lines


def _json_int(digits: str) -> int | str:
    """A JSON integer; one too long for Python's int conversion (over 4,300 digits) is kept as its digits."""
    try:
        return int(digits)
    except ValueError:
        return digits


_JSON = json.JSONDecoder(parse_int=_json_int)  # one decoder: json.loads with a hook builds one per call


def parse_json(text: str) -> Any:
    """One JSON document, made safe to carry: nesting bounded (``settings.JSON_MAX_DEPTH``), lone surrogates in
    strings and keys replaced, over-long integers kept as digits. Raises :class:`InputError` with the reason."""
    if text.startswith("\ufeff"):
        raise InputError("malformed JSON (a UTF-8 byte order mark inside the file)")
    try:
        value = _JSON.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError(f"malformed JSON (nested over {settings.JSON_MAX_DEPTH} deep)") from exc
    except ValueError as exc:
        raise InputError(f"malformed JSON ({exc})") from exc
    return valid_json(value)


def valid_json(value: Any, depth: int = 0) -> Any:
    """``value`` with lone surrogates replaced in every string and key; :class:`InputError` when it is nested
    deeper than ``settings.JSON_MAX_DEPTH`` (the store and every later ``json.dumps`` must not recurse into it)."""
    if depth > settings.JSON_MAX_DEPTH:
        raise InputError(f"malformed JSON (nested over {settings.JSON_MAX_DEPTH} deep)")
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, dict):
        return {valid_text(str(k)): valid_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [valid_json(v, depth + 1) for v in value]
    return value


def jsonl_article(record: Any) -> Article:
    """One JSONL record (``id``, ``url``, ``title``, ``published``, ``source``, ``text``; others to ``extra``)."""
    if not isinstance(record, dict):
        raise InputError(f"not a JSON object but {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("no \"text\" string")
    extra = {k: v for k, v in record.items() if k not in _JSONL_FIELDS}
    published = normalise_date(record.get("published"))
    if record.get("published") not in (None, "") and published is None:
        extra["published_raw"] = record["published"]  # unreadable: kept, never guessed

    def opt(key: str) -> str | None:
        value = record.get(key)
        return str(value).strip() or None if value is not None else None

    return _check_length(Article(
        article_id=opt("id") or "",
        text=text,
        title=opt("title"),
        url=opt("url"),
        published=published,
        source=opt("source"),
        author=opt("author"),
        extra=extra,
    ))


_BLOCK = 1 << 20  # bytes read at a time from a JSON Lines file
_NOT_BLANK = re.compile(rb"[^ \t\n\r\x0b\x0c]")  # what bytes.strip() keeps


def _lines(handle: IO[bytes] | _Gunzipped, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` of every line that is not blank (from its first non-blank byte, with its newline),
    ``None`` for a line over ``limit`` bytes.

    Blocks are scanned with regular expressions, so runs of blank lines (a .gz of newlines) cost C time, not a
    Python loop per line; a line is never held longer than ``limit`` bytes.
    """
    number = 0  # lines ended (newlines consumed) so far
    buffer = b""
    skipping = False  # inside an oversized line: drop bytes up to its newline
    eof = False
    while not eof:
        block = handle.read(_BLOCK)
        if not block:
            eof = True
        if skipping:
            newline = block.find(b"\n")
            if newline < 0:
                continue
            number += 1
            skipping = False
            block = block[newline + 1:]
        buffer += block
        pos = 0
        while True:
            m = _NOT_BLANK.search(buffer, pos)
            if m is None:
                number += buffer.count(b"\n", pos)
                buffer = b""
                break
            number += buffer.count(b"\n", pos, m.start())
            line_start = m.start()  # leading blanks dropped: JSON ignores them, and they may not pile up
            end = buffer.find(b"\n", line_start)
            if end < 0:  # the line goes on in the next block
                buffer = buffer[line_start:]
                if len(buffer) > limit:
                    yield number + 1, None
                    skipping, buffer = not eof, b""
                    if eof:
                        number += 1
                elif eof and buffer:
                    number += 1
                    yield number, buffer
                    buffer = b""
                break
            number += 1
            line = buffer[line_start:end + 1]
            yield number, (line if len(line) <= limit + 1 else None)
            pos = end + 1


def read_jsonl(path: Path, label: str) -> Iterator[Item]:
    """Stream a JSONL file line by line (each line capped at the article size limit)."""
    limit = settings.MAX_ARTICLE_BYTES
    records = 0
    try:
        if path.stat().st_size == 0:
            yield Failure(label, "empty: no lines")
            return
        with _open(path) as handle:
            for number, raw in _lines(handle, limit):
                records += 1
                origin = f"{label}:{number}"
                if raw is None:
                    yield Failure(origin, f"oversized: line over the {limit}-byte limit")
                    continue
                try:
                    if b"\x00" in raw:
                        raise InputError("binary data, not JSON")
                    try:
                        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                    except UnicodeDecodeError as exc:
                        raise InputError(f"undecodable: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
                    article = jsonl_article(parse_json(line))
                except InputError as exc:
                    yield Failure(origin, str(exc))
                    continue
                article.origin = origin
                yield article
    except DecompressionBomb as exc:
        yield Failure(label, str(exc))
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield Failure(label, f"not a valid gzip file ({exc})")
        return
    except OSError as exc:
        yield Failure(label, f"cannot read ({exc.strerror or exc})")
        return
    if records == 0:
        yield Failure(label, "empty: only blank lines")


# ---------------------------------------------------------------- dispatch


def sniff(data: bytes) -> str:
    """The reader for a document whose name does not say (an unknown suffix, an untyped response)."""
    head = data[:2048].lstrip().lower()
    if looks_like_feed(head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


class Reader:
    """Reads inputs into articles; holds the fetch options so feeds can follow their entries' links."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.transport = transport

    def read(self, item: Input) -> Iterator[Item]:
        """Articles and failures of one input, in document order; never raises.

        Problems of parts of the input (lines, entries) past ``settings.MAX_PROBLEMS_PER_INPUT`` are not
        reported one by one: a last failure with ``more`` counts them. Every article's strings are valid
        Unicode (:func:`valid_article`).
        """
        cap = settings.MAX_PROBLEMS_PER_INPUT
        problems = 0
        try:
            for found in self._read(item):
                if isinstance(found, Failure):
                    if found.origin != item.label:  # a line or an entry: counted against the cap
                        problems += 1
                        if problems > cap:
                            continue
                    yield found
                else:
                    yield valid_article(found)
        except Exception as exc:  # a reader's bug costs this input, never the run
            message = str(exc)
            message = message if len(message) <= 200 else message[:200] + "…"
            yield Failure(item.label, f"unexpected error while reading ({type(exc).__name__}: {message})")
        if problems > cap:
            yield Failure(item.label, f"{problems - cap} more problems", more=problems - cap)

    def _read(self, item: Input) -> Iterator[Item]:
        if item.url is not None:
            yield from self._read_url(item.url)
            return
        assert item.path is not None
        kind = kind_of(item.path.name)
        if kind == "jsonl":
            yield from read_jsonl(item.path, item.label)
            return
        try:
            data = read_capped(item.path)
            if not data.strip():
                raise InputError("empty file")
            kind = kind or sniff(data)
            if kind == "jsonl":  # an unknown suffix that turned out to be JSON Lines
                yield from read_jsonl(item.path, item.label)
                return
            yield from self._read_document(data, kind, origin=item.label)
        except (InputError, HtmlError) as exc:
            yield Failure(item.label, str(exc))

    def _read_document(
        self, data: bytes, kind: str, *, origin: str, url: str | None = None, charset: str | None = None
    ) -> Iterator[Item]:
        if kind == "feed":
            if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise InputError("binary data, not a feed")
            yield from parse_feed(data, origin=origin, fetch_link=self._fetch_page if url else None)
        elif kind == "html":
            if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise InputError("binary data, not HTML")
            article = _check_length(parse_html(data, origin=origin, url=url))
            if url and not article.article_id:
                article.article_id = url
            yield article
        else:
            article = text_article(decode_text(data, charset), origin=origin)
            if url:
                article.url = article.article_id = url
            yield article

    def _fetch(self, url: str) -> Fetched:
        return fetch(url, allow_private=self.allow_private, resolver=self.resolver, transport=self.transport)

    def _fetch_page(self, url: str) -> Article:
        fetched = self._fetch(url)
        article = parse_html(fetched.content, origin=url, url=fetched.url)
        return _check_length(article)

    def _read_url(self, url: str) -> Iterator[Item]:
        label = display_name(url)
        try:
            fetched = self._fetch(url)
            kind = _kind_for_type(fetched.content_type, fetched.content)
            yield from self._read_document(
                fetched.content, kind, origin=label, url=fetched.url, charset=fetched.charset
            )
        except (FetchError, InputError, HtmlError) as exc:
            yield Failure(label, str(exc))


def _kind_for_type(content_type: str, content: bytes) -> str:
    if content_type in ("application/rss+xml", "application/atom+xml"):
        return "feed"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if content_type == "text/plain":
        return "text"
    return "feed" if looks_like_feed(content) else sniff(content)


def valid_article(article: Article) -> Article:
    """``article`` with every string valid Unicode (lone surrogates replaced: the store, hashing and every
    encoder refuse them) and ``extra`` bounded in nesting; offsets into the text are unchanged."""
    for name in ("article_id", "text", "title", "url", "published", "source", "author", "language", "origin"):
        value = getattr(article, name)
        if isinstance(value, str):
            setattr(article, name, valid_text(value))
    try:
        article.extra = valid_json(article.extra)
    except InputError:
        article.extra = {"extra_dropped": "nested too deep"}
    return article


def identify(article: Article) -> Article:
    """Content hash, and the id when the input gave none: a hash of the normalised text and the outlet.

    The outlet is part of it so that the same text from a second outlet is a new article (stored, linked as an
    exact copy), while the same file read twice is the same article (skipped).
    """
    article.content_hash = content_hash(article.text)
    if not article.article_id:
        article.article_id = stable_id(article.content_hash, article.source or "")
    return article


def finalise(article: Article, published: str | None = None) -> Article:
    """Fill what readers leave open: identity (:func:`identify`), the fallback date, the language.

    ``published`` (``--published``) applies only to an article with no date of its own; without either the date
    stays unknown.
    """
    if not article.content_hash:
        identify(article)
    if article.published is None and published is not None:
        article.published = published
    if article.language is None:
        body_start = int(article.extra.get("body_start", 0) or 0)
        article.language = detect_language(article.text[body_start:])
    return article


def read_sources(
    sources: Iterable[str | Path],
    *,
    published: str | None = None,
    allow_private: bool = False,
) -> Iterator[Item]:
    """Articles (finalised: id, content hash, language, fallback date) and failures of ``sources``, in order.

    For callers that code without storing (``dragoman code``); ``ingest`` adds duplicates and the store.
    """
    fallback = normalise_date(published)
    reader = Reader(allow_private=allow_private)
    for item in expand(sources):
        if isinstance(item, Failure):
            yield item
            continue
        for found in reader.read(item):
            yield found if isinstance(found, Failure) else finalise(found, fallback)


def read_text_records(path: str, published: str | None = None) -> Iterator[Article | Failure]:
    """Lines ``{"id", "text", "published"}`` (the shape of the evaluation files; ``dct`` is taken for
    ``published``), ``-`` for standard input. The line's ``id`` is the article id; without one, a hash of the
    text. Malformed lines are failures naming ``path:line``; the rest go on. A date that is not a string of a
    sane year (see :func:`~dragoman.ingest.dates.normalise_date`) is dropped, as the readers do."""
    label = display_name(path)
    try:
        fh = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Failure(label, f"cannot read ({exc.strerror})")
        return
    with fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                try:
                    line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise ValueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
                row = parse_json(line)
                text = row["text"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("empty 'text'")
            except (KeyError, TypeError, ValueError) as exc:  # InputError is a ValueError
                yield Failure(f"{label}:{n}", f"malformed line ({exc})")
                continue
            yield Article(
                article_id=str(row.get("id") or row.get("article_id") or stable_id("text", normalise(text))),
                text=text, published=_record_date(row.get("published") or row.get("dct") or published),
                title=row.get("title"), source=row.get("source"), origin=f"{label}:{n}",
            )


def _record_date(value: object) -> str | None:
    """An evaluation record's date as given (the coder reads its first ten characters), when it is one."""
    if not isinstance(value, str) or normalise_date(value[:10]) is None:
        return None
    return value
