"""HTML pages to articles: main text and metadata with trafilatura, publication time from the page's metadata.

trafilatura drops navigation, footers and asides and finds the title, site name, author and canonical URL. Its
date is a calendar date in the page's own time zone, so the publication *timestamp* is first read from the
well-known metadata fields (Open Graph, schema.org, Dublin Core) and converted to a UTC date; trafilatura's
date is the fallback. Its "extensive search" of the page text for dates is off: a date is never guessed.
"""

from __future__ import annotations

import json
import re

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.utils import load_html

from dragoman.ingest.dates import normalise_date
from dragoman.model import Article

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "pubdate", "publishdate", "publish_date", "publication_date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.created", "date", "sailthru.date", "parsely-pub-date",
)
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre",
               "section", "article", "ul", "ol", "table", "figure", "figcaption", "hr")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class HtmlError(ValueError):
    """No article could be extracted from a page; the message is the reason."""


def published_from_meta(tree: lxml.html.HtmlElement) -> str | None:
    """The publication date (UTC) from the page's metadata fields, in ``_DATE_META`` order of trust."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = meta.get("content")
        if key in _DATE_META and value and key not in found:
            found[key] = value
    for el in tree.xpath("//*[@itemprop='datePublished'][@datetime]"):
        found.setdefault("datepublished", el.get("datetime"))
    for script in tree.xpath("//script[@type='application/ld+json']"):
        value = _jsonld_date(script.text_content())
        if value:
            found.setdefault("datepublished", value)
    for key in _DATE_META:
        if key in found:
            day = normalise_date(found[key])
            if day:
                return day
    return None


def _jsonld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                return node["datePublished"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def parse_html(content: bytes | str, *, origin: str, url: str | None = None) -> Article:
    """One page as an :class:`Article` (``article_id`` left empty when the page has no canonical URL).

    Paragraphs are separated by a blank line; the headline, when trafilatura keeps it as the first paragraph,
    stays in the text and ``extra["body_start"]`` says where the body begins.
    """
    tree = load_html(content)
    if tree is None:
        raise HtmlError("not a readable HTML document")
    published = published_from_meta(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        raise HtmlError("no article text found in the page")
    paragraphs = [p.strip() for p in doc.text.splitlines() if p.strip()]
    text = "\n\n".join(paragraphs)
    extra: dict[str, object] = {}
    title = (doc.title or "").strip() or None
    if title and paragraphs and paragraphs[0] == title and len(paragraphs) > 1:
        extra["body_start"] = len(paragraphs[0]) + 2
    canonical = (doc.url or "").strip() or None
    return Article(
        article_id=canonical or "",
        text=text,
        title=title,
        url=canonical or url,
        published=published or normalise_date(doc.date),
        source=(doc.sitename or "").strip() or (doc.hostname or None),
        author=(doc.author or "").strip() or None,
        origin=origin,
        extra=extra,
    )


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per block, blank-line separated."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return html.strip()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(root.text_content()))
    return "\n\n".join(p for p in paragraphs if p)
