"""RSS and Atom feeds (feedparser): one article per entry, full text from the entry's content.

An entry's text is its ``content`` (``content:encoded``, Atom ``content``), else its ``description``/summary.
Feeds that carry only teasers are common on the web, so for a feed fetched from a URL an entry with little text
is fetched from its link (through the same guarded fetch); a local feed file is never a reason to go online.

Bounds: at most ``settings.FEED_MAX_ENTRIES`` entries are read (the document is cut before the next one, so the
rest is never parsed), a feed with more markup than ``settings.FEED_MAX_TAGS`` tags is refused before parsing
(feedparser sanitises every escaped tag in Python), and an entry shorter than ``settings.MIN_ARTICLE_CHARS`` is
refused like any other article that short.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import feedparser

from dragoman import settings
from dragoman.ingest.dates import normalise_date
from dragoman.ingest.html import fragment_text, markup_problem
from dragoman.ingest.types import Failure
from dragoman.model import Article, stable_id

# Parser complaints that do not mean the feed is broken.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)

# Given an entry's link, return the article at it (raises on failure); None: links are not followed.
LinkFetcher = Callable[[str], Article]

# The start of an RSS/RDF item or an Atom entry (a namespace prefix allowed).
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
# A numeric character reference, escaped any number of times ("&amp;#xD800;" is one once entries are unescaped).
_CHAR_REF = re.compile(rb"&((?:amp;)*)#(?:[xX]([0-9A-Fa-f]+)|([0-9]+))(;?)")


def _valid_char_ref(m: re.Match[bytes]) -> bytes:
    digits = m.group(2) or m.group(3)
    code = -1 if len(digits) > 8 else int(digits, 16) if m.group(2) else int(digits)  # -1: far past U+10FFFF
    if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return m.group(0)
    return b"&" + m.group(1) + b"#xFFFD" + m.group(4)


def valid_char_refs(content: bytes) -> bytes:
    """Character references to no character (a surrogate, past U+10FFFF) as U+FFFD: feedparser's lenient
    parser turns them into characters it cannot encode, and raises."""
    return _CHAR_REF.sub(_valid_char_ref, content) if b"&" in content and b"#" in content else content


def looks_like_feed(head: bytes) -> bool:
    """Whether the start of a document is an RSS, RDF or Atom feed rather than a web page."""
    sample = head[:2048].lstrip().lower()
    return any(tag in sample for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def _first_entries(content: bytes, limit: int) -> tuple[bytes, bool]:
    """The document cut before its entry number ``limit + 1`` and closed again; whether it was cut."""
    for seen, m in enumerate(_ENTRY_START.finditer(content)):
        if seen == limit:
            head = content[:m.start()]
            sample = content[:2048].lower()
            if b"<rss" in sample:
                closing = b"</channel></rss>"
            elif b"<rdf:rdf" in sample:
                closing = b"</rdf:RDF>"
            else:
                closing = b"</feed>"
            return head + closing, True
    return content, False


@dataclass
class FeedEntry:
    """One entry of a feed: ``key`` names it for good (its id, else its link, else a hash of what it says),
    ``article`` is what the feed itself says of it (its text may be a teaser, or empty)."""

    key: str
    link: str | None
    article: Article


@dataclass
class FeedDocument:
    """A parsed feed: its entries (or each entry's failure) and what is wrong with the document itself:
    ``unreadable`` (no entries at all: not a feed, malformed, empty), ``recovered`` (malformed, but entries were
    read) and ``cut`` (more entries than ``settings.FEED_MAX_ENTRIES``)."""

    outlet: str | None = None
    entries: list[FeedEntry | Failure] = field(default_factory=list)
    unreadable: Failure | None = None
    recovered: Failure | None = None
    cut: Failure | None = None

    @property
    def problems(self) -> list[Failure]:
        return [p for p in (self.unreadable, self.recovered, self.cut) if p is not None]


def read_feed(content: bytes, *, origin: str) -> FeedDocument:
    """The entries of one feed document, in document order, each named ``origin#entry N`` when it fails."""
    document = FeedDocument()
    content, cut = _first_entries(content, settings.FEED_MAX_ENTRIES)
    problem = markup_problem(content, max_tags=settings.FEED_MAX_TAGS, escaped=True)
    if problem:
        document.unreadable = Failure(origin, problem)
        return document
    parsed = feedparser.parse(valid_char_refs(content))
    broken = bool(parsed.bozo) and not isinstance(parsed.bozo_exception, _BENIGN) and not cut
    if not parsed.entries:
        if broken:
            document.unreadable = Failure(origin, f"malformed feed ({parsed.bozo_exception})")
        elif not parsed.version:
            document.unreadable = Failure(origin, "not an RSS or Atom feed")
        else:
            document.unreadable = Failure(origin, "feed has no entries")
        return document
    if broken:
        document.recovered = Failure(origin, f"malformed feed ({parsed.bozo_exception}); reading the entries recovered")
    document.outlet = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries[:settings.FEED_MAX_ENTRIES], start=1):
        try:
            document.entries.append(_entry(entry, f"{origin}#entry{number}", document.outlet))
        except Exception as exc:  # one odd entry costs that entry, not the rest of the feed
            document.entries.append(
                Failure(f"{origin}#entry{number}", f"unreadable entry ({type(exc).__name__}: {exc})"))
    if cut:
        document.cut = Failure(origin, f"more than {settings.FEED_MAX_ENTRIES} entries: only the first "
                                       f"{settings.FEED_MAX_ENTRIES} were read (settings.FEED_MAX_ENTRIES)")
    return document


def parse_feed(content: bytes, *, origin: str, fetch_link: LinkFetcher | None = None) -> Iterator[Article | Failure]:
    """Articles (and failures, named ``origin#entry N``) of one feed document, in document order."""
    document = read_feed(content, origin=origin)
    if document.unreadable is not None:
        yield document.unreadable
        return
    if document.recovered is not None:
        yield document.recovered
    for entry in document.entries:
        yield entry if isinstance(entry, Failure) else entry_article(entry, fetch_link)
    if document.cut is not None:
        yield document.cut


def _entry_text(entry: Any) -> str:
    for block in entry.get("content") or []:
        value = block.get("value") or ""
        text = fragment_text(value) if "html" in (block.get("type") or "html") else value.strip()
        if text:
            return text
    summary = entry.get("summary") or ""
    kind = (entry.get("summary_detail") or {}).get("type") or "text/html"
    return fragment_text(summary) if "html" in kind else summary.strip()


def _entry(entry: Any, origin: str, outlet: str | None) -> FeedEntry:
    text = _entry_text(entry)
    link = (entry.get("link") or "").strip() or None
    title = (entry.get("title") or "").strip() or None
    published = normalise_date(entry.get("published_parsed") or entry.get("updated_parsed"))
    source = ((entry.get("source") or {}).get("title") or outlet)
    given_id = (entry.get("id") or "").strip()
    article = Article(
        article_id=given_id or link or "",
        text=text,
        title=title,
        url=link,
        published=published,
        source=source,
        author=(entry.get("author") or "").strip() or None,
        origin=origin,
    )
    key = given_id or link or stable_id("feed-entry", title or "", text)
    return FeedEntry(key=key, link=link, article=article)


def with_page(article: Article, page: Article) -> Article:
    """The feed's article with the text of its page: the feed's metadata wins, the page fills what it lacks."""
    article.text = page.text
    article.extra = {**page.extra, **article.extra}
    article.title = article.title or page.title
    article.published = article.published or page.published
    article.author = article.author or page.author
    article.source = article.source or page.source
    return article


def checked_entry(article: Article, origin: str) -> Article | Failure:
    """The article, or the failure of an entry with no text or too little of it."""
    length = len(article.text.strip())
    if not length:
        return Failure(origin, "entry has no text")
    if length < settings.MIN_ARTICLE_CHARS:
        return Failure(origin, f"empty: only {length} characters of text")
    return article


def entry_article(entry: FeedEntry, fetch_link: LinkFetcher | None) -> Article | Failure:
    """The article of an entry: the feed's text, or its page's when the feed gives only a teaser and links are
    followed (``fetch_link``); a teaser is kept when the page fails."""
    article, origin = entry.article, entry.article.origin or entry.key
    if len(article.text) < settings.FEED_ENTRY_MIN_CHARS and entry.link and fetch_link is not None:
        try:
            page = fetch_link(entry.link)
        except Exception as exc:  # any failure of one entry's page is that entry's failure
            if len(article.text) >= settings.MIN_ARTICLE_CHARS:
                return article  # keep the teaser rather than nothing
            return Failure(origin, f"entry has no text and its link failed ({exc})")
        with_page(article, page)
    return checked_entry(article, origin)
