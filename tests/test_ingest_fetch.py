"""The URL guard (SSRF): resolved addresses of every hop, pinned connections, limits; and real HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from dragoman import settings
from dragoman.ingest.fetch import FetchError, blocked_reason, check_url, fetch
from dragoman.ingest.sources import read_sources
from dragoman.ingest.types import Failure
from dragoman.model import Article

PUBLIC = "93.184.216.34"
PAGE = (
    "<html><head><title>Border talks</title><meta property='og:site_name' content='Test Wire'>"
    "<meta property='article:published_time' content='2024-05-02T08:00:00Z'></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Border talks</h1>"
    "<p>Officials from Armenia and Azerbaijan met in Almaty on Thursday to discuss the demarcation of their "
    "border, the Kazakh foreign ministry said.</p><p>Both delegations agreed to continue the talks next month, "
    "according to a joint statement issued after the meeting.</p></article>"
    "<footer>Copyright Test Wire</footer></body></html>"
)
FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Test Wire</title><link>http://127.0.0.1/</link>
<item><title>Full</title><guid>full-1</guid><link>http://127.0.0.1/full</link>
<pubDate>Fri, 03 May 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Protesters gathered outside parliament in Tbilisi on Friday to oppose a draft law on foreign
agents, and police detained several of them, the interior ministry said. The European Union criticised the
bill and urged the government to withdraw it before a final vote expected later this month.&lt;/p&gt;</description>
</item>
<item><title>Teaser</title><guid>teaser-2</guid><link>LINK</link><description>Short teaser.</description></item>
</channel></rss>"""


# ---------------------------------------------------------------- the address check


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.1/", "http://[::1]/", "http://0x7f000001/", "http://localhost/",
    "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "http://0177.0.0.1/",
])
def test_loopback_in_any_spelling_is_refused(url: str) -> None:
    # The real resolver: the resolved address is checked, not the string (httpx itself rejects octal).
    with pytest.raises(FetchError, match="address; refused|invalid URL"):
        check_url(url)


@pytest.mark.parametrize("address,reason", [
    ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.5.4", "private"),
    ("169.254.169.254", "link-local"), ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"),
    ("100.64.0.1", "non-public"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("::ffff:10.0.0.1", ""), ("64:ff9b::7f00:1", ""), ("2002:a00:1::", "embedded 10.0.0.1"),
])
def test_internal_ranges(address: str, reason: str) -> None:
    found = blocked_reason(address)
    assert found is not None and reason in found


def test_public_addresses_pass() -> None:
    assert blocked_reason(PUBLIC) is None and blocked_reason("2606:4700::1111") is None


def test_every_resolved_address_is_checked() -> None:
    resolver = {"mixed.example": [PUBLIC, "127.0.0.1"]}
    with pytest.raises(FetchError, match="127.0.0.1"):
        check_url("http://mixed.example/", resolver=lambda h, p: resolver[h])
    assert check_url("http://mixed.example/", resolver=lambda h, p: resolver[h], allow_private=True)[1] == PUBLIC


@pytest.mark.parametrize("url", ["ftp://example.com/a.txt", "file:///etc/passwd", "gopher://x/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        check_url(url, resolver=lambda h, p: [PUBLIC])


def test_unresolvable_host() -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match="cannot resolve"):
        check_url("http://nowhere.invalid/", resolver=fail)


# ---------------------------------------------------------------- hops, pinning, limits (played servers)


class Net:
    """A played DNS and a played web: names map to addresses, (address, path) to responses."""

    def __init__(self, dns: dict[str, list[str]], routes: dict[tuple[str, str], httpx.Response]) -> None:
        self.dns = dns
        self.routes = routes
        self.seen: list[httpx.Request] = []
        self.lookups: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        return self.dns.get(host, [host])  # an IP literal resolves to itself

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.routes.get((request.url.host, request.url.path), httpx.Response(404))

    def fetch(self, url: str, **kwargs):
        return fetch(url, resolver=self.resolve, transport=httpx.MockTransport(self.handle), **kwargs)


def html(body: str = PAGE, **headers: str) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8", **headers}, text=body)


def test_redirect_from_public_server_into_private_range_is_refused() -> None:
    net = Net(
        {"news.example": [PUBLIC], "intranet.example": ["10.0.0.7"]},
        {(PUBLIC, "/story"): httpx.Response(302, headers={"Location": "http://intranet.example/admin"}),
         (PUBLIC, "/meta"): httpx.Response(301, headers={"Location": "http://169.254.169.254/latest/"}),
         ("10.0.0.7", "/admin"): html()},
    )
    with pytest.raises(FetchError, match="10.0.0.7, a private address"):
        net.fetch("http://news.example/story")
    with pytest.raises(FetchError, match="link-local"):
        net.fetch("http://news.example/meta")
    assert all(r.url.host == PUBLIC for r in net.seen)  # nothing was sent inside


def test_connection_goes_to_the_checked_address_not_a_second_lookup() -> None:
    """DNS rebinding: the name is resolved once per hop and the request is pinned to that address."""
    answers = iter([[PUBLIC], ["127.0.0.1"]])
    net = Net({}, {(PUBLIC, "/a"): html()})
    net.resolve = lambda host, port: next(answers)  # type: ignore[method-assign]
    got = net.fetch("https://rebind.example/a")
    assert got.url == "https://rebind.example/a"
    (request,) = net.seen
    assert request.url.host == PUBLIC
    assert request.headers["Host"] == "rebind.example"
    assert request.extensions["sni_hostname"] == "rebind.example"  # TLS name and certificate check


def test_redirects_are_followed_checked_and_bounded() -> None:
    routes = {(PUBLIC, f"/r{i}"): httpx.Response(302, headers={"Location": f"/r{i + 1}"}) for i in range(10)}
    routes[(PUBLIC, "/r3")] = html()
    net = Net({"news.example": [PUBLIC]}, routes)
    assert net.fetch("http://news.example/r0").url == "http://news.example/r3"
    assert net.lookups == ["news.example"] * 4  # every hop re-checked
    routes[(PUBLIC, "/r3")] = httpx.Response(302, headers={"Location": "/r4"})
    with pytest.raises(FetchError, match="redirects"):
        net.fetch("http://news.example/r0")
    routes[(PUBLIC, "/ftp")] = httpx.Response(302, headers={"Location": "ftp://news.example/x"})
    with pytest.raises(FetchError, match="only http and https"):
        net.fetch("http://news.example/ftp")


def test_content_type_size_and_status() -> None:
    net = Net({"news.example": [PUBLIC]}, {
        (PUBLIC, "/img"): httpx.Response(200, headers={"Content-Type": "image/png"}, content=b"\x89PNG"),
        (PUBLIC, "/big"): html("x" * 5000),
        (PUBLIC, "/declared"): httpx.Response(200, headers={"Content-Type": "text/html", "Content-Length": "999999"},
                                              content=b"x"),
        (PUBLIC, "/gone"): httpx.Response(410),
    })
    with pytest.raises(FetchError, match="content type 'image/png'"):
        net.fetch("http://news.example/img")
    with pytest.raises(FetchError, match="oversized"):
        net.fetch("http://news.example/big", max_bytes=1000)
    with pytest.raises(FetchError, match="oversized"):
        net.fetch("http://news.example/declared", max_bytes=1000)
    with pytest.raises(FetchError, match="HTTP 410"):
        net.fetch("http://news.example/gone")


# ---------------------------------------------------------------- real HTTP on 127.0.0.1


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    routes: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            status, ctype, body, headers = routes.get(self.path, (404, "text/plain", b"not found", {}))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    routes.update({
        "/page.html": (200, "text/html; charset=utf-8", PAGE.encode(), {}),
        "/feed.xml": (200, "application/rss+xml", FEED.replace("LINK", f"{base}/page.html").encode(), {}),
        "/moved": (301, "text/plain", b"", {"Location": "/page.html"}),
        "/plain.txt": (200, "text/plain; charset=utf-8", b"Headline here\n\nOfficials in Kyiv said on Monday "
                       b"that talks with Moldova on energy had ended without agreement.\n", {}),
        "/image.png": (200, "image/png", b"\x89PNG\r\n", {}),
    })
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


def read(urls: list[str], **kw) -> tuple[list[Article], list[Failure]]:
    items = list(read_sources(urls, **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Failure)]


def test_real_server_refused_without_allow_private(server: str) -> None:
    articles, failures = read([f"{server}/page.html", server.replace("127.0.0.1", "localhost") + "/page.html"])
    assert not articles
    assert [f.origin for f in failures] == [f"{server}/page.html",
                                            server.replace("127.0.0.1", "localhost") + "/page.html"]
    assert all("loopback address; refused" in f.reason for f in failures)


def test_real_server_page_feed_redirect_and_text(server: str) -> None:
    articles, failures = read(
        [f"{server}/page.html", f"{server}/feed.xml", f"{server}/moved", f"{server}/plain.txt",
         f"{server}/image.png", f"{server}/missing"],
        allow_private=True,
    )
    page, full, teaser, moved, plain = articles
    assert page.article_id == f"{server}/page.html" and page.source == "Test Wire"
    assert page.published == "2024-05-02" and "Almaty" in page.text and "Copyright" not in page.text
    assert full.article_id == "full-1" and full.published == "2024-05-03" and "Tbilisi" in full.text
    assert teaser.article_id == "teaser-2" and "Almaty" in teaser.text  # teaser: its link was fetched
    assert moved.url == f"{server}/page.html"
    assert plain.title == "Headline here" and plain.url == f"{server}/plain.txt"
    assert [(f.origin, f.reason.split(" ")[0]) for f in failures] == [
        (f"{server}/image.png", "content"), (f"{server}/missing", "HTTP")]


def test_real_server_size_cap(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_ARTICLE_BYTES", 200)
    _, (failure,) = read([f"{server}/page.html"], allow_private=True)
    assert "oversized" in failure.reason
