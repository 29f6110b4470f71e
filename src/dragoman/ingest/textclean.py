"""Plain-text clean-up: aggregator trailers, title lines, and the normal form used for hashing.

Offsets everywhere index into ``Article.text``, and the evaluation anchors sentences of the body as the file
has them, so clean-up here only ever cuts the *tail* of a text: the body keeps every character (and therefore
every offset) it had in the file.
"""

from __future__ import annotations

import re
import unicodedata

from dragoman import settings
from dragoman.model import stable_id

# A trailer line names the outlet the aggregator copied from: "Source » levantdaily", "Source: Reuters".
_SOURCE_LINE = re.compile(r"^\s*(?:source|via|originally published (?:by|at|in))\s*[»:>|\-–—]+\s*(?P<src>\S.{0,60}?)\s*$",
                          re.IGNORECASE)
# Aggregator furniture that follows the article: "Related articles", "Read more", "You may also like", ...

_FURNITURE_LINE = re.compile(
    r"^\s*(?:you may (?:also )?(?:be interested(?: in)?|like)|related(?: articles| stories| news)?|"
    r"read more|more from .{1,40}|recommended(?: for you)?|share (?:this|on) .{0,30}|advertisement)\s*[:.…]*\s*$",
    re.IGNORECASE,
)


def strip_trailer(text: str) -> tuple[str, str | None]:
    """Cut aggregator trailer lines off the end of ``text``; returns ``(body, source named by the trailer)``.

    Only whole trailing lines that match a trailer pattern are removed, walking up from the end and stopping at
    the first line of prose, so a body line is never touched. The body is a prefix of ``text``. The walk moves an
    index and copies only each line, so a text of a million trailer-like lines costs linear time.
    """
    source: str | None = None
    end = _rstripped_end(text, len(text))
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        m = _SOURCE_LINE.match(line)
        if m:
            source = source or m.group("src").strip()
        elif not _FURNITURE_LINE.match(line):
            break
        end = _rstripped_end(text, start)
    return text[:end], source


def _rstripped_end(text: str, end: int) -> int:
    """The ``e`` with ``text[:e] == text[:end].rstrip()``, without copying ``text``."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


_TITLE_LINE = re.compile(rf"[ \t]*(?P<title>[^\n]{{1,{settings.TITLE_MAX_CHARS}}}?)[ \t]*\r?\n[ \t]*\r?\n\s*")


def split_title(text: str) -> tuple[str | None, int]:
    """A first line that reads as a headline (short, one line, then a blank line) is the title.

    Returns ``(title, body_start)``: ``body_start`` is the offset where the body begins in ``text``. The title
    stays inside the text (offsets unchanged); callers record ``body_start`` so a reader can skip it.
    """
    m = _TITLE_LINE.match(text)
    if not m:
        return None, 0
    title = m.group("title").strip()
    # A headline does not end like a sentence of prose and has a few words, not a whole paragraph.
    if not title or title.endswith((".", ",", ";", ":")) and not title.endswith("..."):
        return None, 0
    if len(title.split()) > settings.TITLE_MAX_WORDS:
        return None, 0
    return title, m.end()


_WS = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` with every lone surrogate (a ``"\\ud800"`` escape in JSON, a stray character reference) replaced
    by U+FFFD, so it is valid Unicode that encodes to UTF-8 everywhere; length and offsets are unchanged."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def normalise(text: str) -> str:
    """The form compared for identity: Unicode NFKC, case-folded, whitespace collapsed.

    Two copies that differ only in line wrapping, curly versus straight spacing or letter case hash the same.
    """
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for exact copies whatever their outlet."""
    return stable_id(normalise(text), length=32)
