"""HTML pages to articles: main text and metadata with trafilatura, publication time from the page's metadata.

trafilatura drops navigation, footers and asides and finds the title, site name, author and canonical URL. Its
date is a calendar date in the page's own time zone, so the publication *timestamp* is first read from the
well-known metadata fields (Open Graph, schema.org, Dublin Core) and converted to a UTC date; trafilatura's
date is the fallback. Its "extensive search" of the page text for dates is off: a date is never guessed.
"""

from __future__ import annotations

import json
import re
from collections import deque

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.utils import load_html

from dragoman import settings
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
    """The first ``datePublished`` string of a JSON-LD block, breadth first; ``None`` for broken or hostile
    JSON (nested past the parser's recursion limit, an integer too long to convert)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    stack = deque([data])
    while stack:
        node = stack.popleft()
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
    stays in the text and ``extra["body_start"]`` says where the body begins. A page with more markup than the
    bounds of :func:`markup_problem` is refused before it is parsed.
    """
    problem = markup_problem(content)
    if problem:
        raise HtmlError(problem)
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


_ANY_TAG = re.compile(r"<[^>]*>?")


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per block, blank-line separated.

    A fragment over the markup bounds is not parsed: its tags are cut out, leaving the words.
    """
    if markup_problem(html):
        return " ".join(_ANY_TAG.sub(" ", html).split())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return html.strip()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(root.text_content()))
    return "\n\n".join(p for p in paragraphs if p)


# ---------------------------------------------------------------- bounds on markup, checked before parsing
# Parsing and extraction time grow with the number of tags and attributes (libxml2 checks each new attribute
# against the tag's others: a tag with 50,000 attributes takes minutes), so a page or feed over the bounds in
# settings is refused before any parser sees it. The scan is a linear pass of regular expressions.

_TAG = re.compile(rb"<(?:!--|(/?)([A-Za-z][^\s/>]*)([^>]*)>?)")
_COMMENT_END = re.compile(rb"--!?>")
_ATTRIBUTE = re.compile(rb"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")
# An escaped tag in a feed ("&lt;p&gt;"): feedparser unescapes and sanitises it, one tag at a time.
_ESCAPED_LT = (b"&lt", b"&#60", b"&#x3c")
# Elements with no end tag, and elements that end where another of their kind begins (an unclosed <p>).
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr keygen basefont frame "
                  b"isindex command".split())
_IMPLIED_END = frozenset(b"p li dt dd tr td th option optgroup rb rt rtc rp thead tbody tfoot colgroup".split())
# Elements whose content is text, not markup ("a<b" in a script is no tag).
_RAW_TEXT = {name: re.compile(rb"</" + name + rb"[\s/>]", re.IGNORECASE)
             for name in b"script style textarea xmp iframe noembed noframes noscript title".split()}


def markup_problem(
    content: bytes | str, *, max_tags: int | None = None, escaped: bool = False
) -> str | None:
    """Why ``content`` has more markup than may be parsed (the reason, starting "too much markup"), or ``None``.

    Bounds: ``settings.HTML_MAX_ATTRIBUTES`` per tag, ``max_tags`` start tags (default ``settings.HTML_MAX_TAGS``;
    ``escaped``: escaped tags of a feed's entries count too) and ``settings.HTML_MAX_DEPTH`` levels of nesting
    (an estimate: an end tag closes what it encloses, as browsers do).
    """
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    max_tags = settings.HTML_MAX_TAGS if max_tags is None else max_tags
    max_attributes, max_depth = settings.HTML_MAX_ATTRIBUTES, settings.HTML_MAX_DEPTH
    if escaped:
        lower = data.lower()
        tags = sum(lower.count(lt) for lt in _ESCAPED_LT)
    else:
        tags = 0
    if tags > max_tags:
        return f"too much markup: over {max_tags} tags (a limit of settings)"
    stack: list[bytes] = []
    open_count: dict[bytes, int] = {}
    pos = seen = 0
    while (m := _TAG.search(data, pos)) is not None:
        pos = m.end()
        seen += 1
        if seen > 2 * max_tags:  # end tags are cheaper to parse, not free
            return f"too much markup: over {max_tags} tags (a limit of settings)"
        if m.group(2) is None:  # a comment: markup inside it is not parsed
            end = _COMMENT_END.search(data, pos)
            pos = end.end() if end else len(data)
            continue
        closing, name, rest = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            if open_count.get(name):
                while stack:  # pop what the end tag encloses, up to its own start tag
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        tags += 1
        if tags > max_tags:
            return f"too much markup: over {max_tags} tags (a limit of settings)"
        # Every attribute takes at least two bytes ("a "): only a long tag can have too many.
        if len(rest) > 2 * max_attributes and len(_ATTRIBUTE.findall(rest)) > max_attributes:
            return (f"too much markup: a <{name.decode('ascii', 'replace')}> tag with over {max_attributes} "
                    "attributes (a limit of settings)")
        if name in _RAW_TEXT:
            end = _RAW_TEXT[name].search(data, pos)
            pos = end.start() if end else len(data)
            continue
        if name in _VOID or rest.rstrip().endswith(b"/"):
            continue
        if name in _IMPLIED_END and open_count.get(name):
            while stack:
                top = stack.pop()
                open_count[top] -= 1
                if top == name:
                    break
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if len(stack) > max_depth:
            return f"too much markup: elements nested over {max_depth} deep (a limit of settings)"
    return None
