"""A news site on 127.0.0.1 for the watch tests and bench: feeds whose answers a test scripts (new items,
repeated items, changing ETags, 304s, a 429 with Retry-After, a robots.txt that forbids a path, a page that
hangs), article pages, a webhook that records what it is sent, and a log of every request with its time and
headers. All text is invented for these tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PLACES = [("Tbilisi", "Georgia"), ("Yerevan", "Armenia"), ("Chisinau", "Moldova"), ("Vilnius", "Lithuania"),
          ("Skopje", "North Macedonia"), ("Tirana", "Albania"), ("Baku", "Azerbaijan"), ("Minsk", "Belarus")]
VERBS = ["detained dozens of protesters outside parliament", "signed a trade agreement with the government of Ukraine",
         "expelled two diplomats of Russia", "met the foreign minister of Turkey to discuss the border"]


def story_text(n: int) -> str:
    """An invented two-paragraph news story, different for each ``n`` (so no two are near copies)."""
    city, country = PLACES[n % len(PLACES)]
    verb = VERBS[(n // len(PLACES)) % len(VERBS)]
    actor = "Police" if "protesters" in verb else f"The government of {country}"
    return (f"{actor} {verb} in {city} on Tuesday, officials said in statement number {n}. "
            f"Item {n} of the test wire: the {country} interior ministry gave no figure for the {n * 7 + 3} "
            f"people it said took part, and opposition leaders called for talks within {n % 5 + 2} days. "
            f"Observers from the region numbered {n * 11 + 5} and filed report {n * 13 + 1} about the events.")


def page_html(n: int) -> str:
    title = f"Wire story {n}"
    paragraphs = "".join(f"<p>{p}.</p>" for p in story_text(n).split(". ") if p)
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='Test Wire'></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
            "<footer>Copyright Test Wire</footer></body></html>")


@dataclass
class Item:
    """A feed item: ``n`` picks its story; ``link`` is its page path (``/pages/N.html`` unless given)."""

    n: int
    link: str | None = None
    summary: str | None = None  # the feed's text (default: a teaser too short to store)

    def xml(self, base: str) -> str:
        link = self.link or f"/pages/{self.n}.html"
        summary = self.summary if self.summary is not None else f"Teaser {self.n}."
        published = format_datetime(datetime(2024, 5, 1 + self.n % 27, 9, 0, tzinfo=UTC), usegmt=True)
        return (f"<item><title>Wire story {self.n}</title><guid>wire-{self.n}</guid><link>{base}{link}</link>"
                f"<pubDate>{published}</pubDate><description>{summary}</description></item>")


@dataclass
class FeedVersion:
    items: list[Item]
    etag: str


@dataclass
class Feed:
    """A feed whose ``versions`` are served in turn: version k from its ``switch_after[k-1]``-th request on
    (every request counts, 304s included); ``script`` overrides the answer for some request numbers
    (``{2: (429, {"Retry-After": "2"})}``)."""

    versions: list[FeedVersion]
    switch_after: list[int] = field(default_factory=list)
    script: dict[int, tuple[int, dict[str, str]]] = field(default_factory=dict)
    requests: int = 0


class FeedServer:
    """The site: ``feeds`` by path, ``robots`` (the robots.txt text), ``slow`` (paths that hang for
    ``slow_s``), ``log`` of (time, method, path, headers, status)."""

    def __init__(self, robots: str = "User-agent: *\nDisallow: /private/\n", slow_s: float = 30.0) -> None:
        self.feeds: dict[str, Feed] = {}
        self.robots = robots
        self.slow: set[str] = set()
        self.slow_s = slow_s
        self.log: list[tuple[float, str, str, dict[str, str], int]] = []
        self.posts: list[dict] = []
        self.lock = threading.Lock()
        self.handler: Callable[[str], tuple[int, dict[str, str], bytes] | None] | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                status, headers, body = server.answer(self.path, dict(self.headers))
                self._send(status, headers, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with server.lock:
                    server.log.append((time.time(), "POST", self.path, dict(self.headers), 200))
                    server.posts.append(json.loads(body))
                self._send(200, {"Content-Type": "application/json"}, b"{}")

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, prefix: str = "/") -> list[tuple[float, str, str, dict[str, str], int]]:
        with self.lock:
            return [r for r in self.log if r[2].startswith(prefix)]

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        status, out, body = self._answer(path, headers)
        with self.lock:
            self.log.append((time.time(), "GET", path, headers, status))
        return status, out, body

    def _answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots.encode()
        if path in self.slow:
            time.sleep(self.slow_s)
            return 200, {"Content-Type": "text/html"}, page_html(0).encode()
        if path in self.feeds:
            with self.lock:
                feed = self.feeds[path]
                feed.requests += 1
                number = feed.requests
                index = sum(1 for k in feed.switch_after if number > k)
                version = feed.versions[min(index, len(feed.versions) - 1)]
            if number in feed.script:
                status, extra = feed.script[number]
                return status, {"Content-Type": "text/plain", **extra}, b"slow down"
            if headers.get("If-None-Match") == version.etag:
                return 304, {"ETag": version.etag}, b""
            body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
                    + "".join(i.xml(self.base) for i in version.items) + "</channel></rss>")
            return 200, {"Content-Type": "application/rss+xml", "ETag": version.etag}, body.encode()
        if path.startswith("/pages/") and path.endswith(".html"):
            n = int(path.removeprefix("/pages/").removesuffix(".html"))
            return 200, {"Content-Type": "text/html; charset=utf-8"}, page_html(n).encode()
        if path.startswith("/private/"):
            return 200, {"Content-Type": "text/html"}, page_html(99).encode()
        return 404, {"Content-Type": "text/plain"}, b"not found"
