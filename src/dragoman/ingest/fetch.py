"""Fetching a URL without becoming a proxy into the network Dragoman runs in (SSRF guard).

Every hop of a fetch is checked, not the string the user typed: the host is resolved (``getaddrinfo``, every
address it returns), each address must be a global unicast address, and the request is then sent *to the checked
address* (the URL's host becomes the ``Host`` header and the TLS server name), so a name that resolves differently
a moment later (DNS rebinding) cannot redirect the connection. Redirects are followed by hand, at most
``settings.FETCH_MAX_REDIRECTS``, each new location going through the same checks. Only http and https are
fetched; bodies are capped at ``settings.MAX_ARTICLE_BYTES`` and must have an article or feed content type. The
whole fetch, every hop, name lookup, connection, header and body byte included, has one deadline
(``settings.FETCH_TIMEOUT_S``), so a server that trickles its answer cannot hold a fetch past it. Every failure is
a :class:`FetchError` with the reason. ``allow_private=True`` (``--allow-private``) lifts the address check only,
for intranet sources and tests.
"""

from __future__ import annotations

import datetime
import email.utils
import ipaddress
import queue
import socket
import ssl
import threading
import time
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpcore
import httpx

from dragoman import settings

# host, port -> the IP addresses (strings) the host resolves to.
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")  # the only IPv6 block allocated for global unicast
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")  # judged by the IPv4 address it embeds
# Special-purpose blocks (IANA registries) that ``ipaddress.is_global`` lets through in some Python versions:
# none of them is an ordinary host on the internet. Named so the refusal says which.
_NON_GLOBAL: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.ip_network(net), name) for net, name in (
        ("0.0.0.0/8", "this-network"),
        ("100.64.0.0/10", "shared (carrier-grade NAT)"),
        ("192.0.0.0/24", "IETF protocol assignment"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "broadcast"),
        ("::/96", "IPv4-compatible (deprecated)"),
        ("::ffff:0:0:0/96", "IPv4-translated"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/23", "IETF protocol assignment"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fec0::/10", "site-local (deprecated)"),
    )
)


class FetchError(Exception):
    """A URL that was refused or could not be fetched; the message is the reason, for "URL: reason".

    ``status`` is the HTTP status of a refusal by the server (``None``: the fetch never got an answer), and
    ``retry_after`` the seconds its ``Retry-After`` header asked for (429 and 503 answers), if it said;
    ``blocked`` says the URL guard refused the address (asking again will not change that).
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None,
                 blocked: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.blocked = blocked


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A ``Retry-After`` header in seconds from now: delay-seconds or an HTTP date (RFC 9110 10.2.3); ``None``
    when absent or unreadable. A date in the past is 0."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value[:9]))  # (9 digits: over 30 years, and no giant int from a hostile header)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, in the resolver's order (numeric forms like ``127.1`` included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]).split("%", 1)[0], None)
    return list(seen)


def blocked_reason(address: str) -> str | None:
    """Why ``address`` may not be fetched from, or ``None`` when it is a global unicast address.

    An IPv4-mapped address (``::ffff:a.b.c.d``) is the IPv4 address it maps; other IPv6 forms that embed an IPv4
    address (NAT64, 6to4, Teredo) are judged by the embedded address too, since they reach it.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unparseable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        reason = blocked_reason(str(ip.ipv4_mapped))
        return f"{reason} (embedded {ip.ipv4_mapped})" if reason else None
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return name
    for network, name in _NON_GLOBAL:
        if ip.version == network.version and ip in network:
            return f"non-public ({name}, {network})"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip not in _GLOBAL_UNICAST_V6:
            return "non-public (outside the global unicast block 2000::/3)"
        embedded: list[ipaddress.IPv4Address] = []
        if ip.sixtofour:
            embedded.append(ip.sixtofour)
        if ip.teredo:
            embedded.extend(ip.teredo)
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for inner in embedded:
            reason = blocked_reason(str(inner))
            if reason:
                return f"{reason} (embedded {inner})"
    return None


def _resolve(resolver: Resolver | None, host: str, port: int, deadline: float) -> list[str]:
    """The host's addresses; the system resolver is given until the deadline (it has no timeout of its own)."""
    if resolver is not None:
        return resolver(host, port)
    answer: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def lookup() -> None:
        try:
            answer.put((True, system_resolver(host, port)))
        except BaseException as exc:  # handed to the waiting thread, which raises or reports it
            answer.put((False, exc))

    # A daemon thread: a lookup still hanging at the deadline is abandoned, not waited for at exit.
    threading.Thread(target=lookup, name="dragoman-resolve", daemon=True).start()
    try:
        ok, value = answer.get(timeout=max(0.0, deadline - time.monotonic()))
    except queue.Empty:
        raise FetchError(f"timed out resolving host {host!r}") from None
    if not ok:
        raise typing.cast(BaseException, value)
    return typing.cast(list[str], value)


def check_url(
    url: str, *, allow_private: bool = False, resolver: Resolver | None = None, deadline: float | None = None
) -> tuple[httpx.URL, str]:
    """Validate one hop: scheme, host, and every address the host resolves to.

    Returns the parsed URL and the address to connect to. Raises :class:`FetchError` with the reason.
    """
    try:
        parsed = httpx.URL(url)
        scheme, host, port = parsed.scheme, parsed.host, parsed.port
    except (httpx.InvalidURL, TypeError, ValueError, UnicodeError) as exc:
        raise FetchError(f"invalid URL ({exc})") from exc
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'a scheme-less'} URL")
    if not host:
        raise FetchError("URL has no host")
    if port is not None and not 0 < port < 65536:
        raise FetchError(f"invalid URL (port {port})")
    port = port or (443 if scheme == "https" else 80)
    if deadline is None:
        deadline = time.monotonic() + settings.FETCH_TIMEOUT_S
    try:
        addresses = _resolve(resolver, host, port, deadline)
    except (OSError, UnicodeError, ValueError) as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc})") from exc
    if not addresses:
        raise FetchError(f"host {host!r} resolves to no address")
    if not allow_private:
        for address in addresses:
            reason = blocked_reason(address)
            if reason:
                raise FetchError(
                    f"host {host!r} resolves to {address}, a {reason} address; refused "
                    "(use --allow-private to fetch from internal networks)", blocked=True
                )
    return parsed, addresses[0]


@dataclass
class Fetched:
    """A fetched body: ``url`` is the final URL after redirects (by host name, not the pinned address).

    ``status`` is 200, or 304 for a conditional request the server answered "not modified" (no content then);
    ``etag`` and ``last_modified`` are the validators the server sent, for the next conditional request.
    """

    url: str
    content_type: str
    charset: str | None
    content: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


# ---------------------------------------------------------------- the overall deadline
# httpx's timeouts bound each network operation, so a server sending one byte per second never trips them.
# Every operation's timeout is instead cut to what is left of the fetch's deadline, at the network layer.


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("the fetch's deadline has passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._stream.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, deadline: float) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the fetch's deadline has passed")
        stream = self._backend.connect_tcp(host, port, left if timeout is None else min(timeout, left),
                                           local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


_ssl_context: ssl.SSLContext | None = None


def _verifying_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context for every fetch: building one loads the CA bundle (milliseconds),
    which a watcher polling hundreds of feeds would otherwise pay on every request."""
    global _ssl_context
    if _ssl_context is None:
        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


def _deadline_transport(deadline: float) -> httpx.HTTPTransport:
    """httpx's own transport (TLS verification, HTTP/1.1), its network layer bound by ``deadline``."""
    transport = httpx.HTTPTransport(trust_env=False, verify=_verifying_context())
    pool = transport._pool  # httpx 0.28 takes no network backend of its own: give its pool ours
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx version keeps its connection pool elsewhere: update _deadline_transport")
    pool._network_backend = _DeadlineBackend(deadline)
    return transport


def _pinned_request(client: httpx.Client, url: httpx.URL, address: str, *, method: str = "GET",
                    headers: Mapping[str, str] | None = None, content: bytes | None = None) -> httpx.Request:
    """A request to ``address`` that presents itself (Host header, TLS SNI and certificate check) as ``url``'s
    host."""
    target = url.copy_with(host=address)
    sent = {**(headers or {}), "Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return client.build_request(method, target, headers=sent, content=content, extensions=extensions)


# Everything a request, a response or a URL join can raise, besides FetchError itself: httpx's own errors
# (InvalidURL and StreamError are not HTTPErrors), and what malformed headers or bytes raise further down.
_TRANSPORT_ERRORS = (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, httpx.CookieConflict,
                     httpcore.TimeoutException, OSError, ValueError, UnicodeError, LookupError)


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    allowed_types: tuple[str, ...] | None = None,
    headers: Mapping[str, str] | None = None,
    before_hop: Callable[[str], None] | None = None,
    user_agent: str | None = None,
) -> Fetched:
    """GET ``url`` under the guard described in the module docstring. Raises :class:`FetchError`, only.

    ``headers`` are sent on every hop (``If-None-Match`` / ``If-Modified-Since`` make the request conditional:
    a 304 answer is returned as ``status=304``). ``before_hop`` is called with each redirect's target before it
    is requested, and may refuse it by raising :class:`FetchError` (the watcher checks robots.txt so).
    ``resolver`` and ``transport`` are injectable so tests can play DNS and servers without a network (an
    injected transport is bound by the deadline between operations only); the limits default to the
    ``settings`` values at call time.
    """
    max_bytes = settings.MAX_ARTICLE_BYTES if max_bytes is None else max_bytes
    timeout = settings.FETCH_TIMEOUT_S if timeout is None else timeout
    allowed_types = settings.FETCH_ALLOWED_CONTENT_TYPES if allowed_types is None else allowed_types
    deadline = time.monotonic() + timeout
    current = url
    try:
        with httpx.Client(
            transport=transport or _deadline_transport(deadline),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,  # an environment proxy would resolve names itself and defeat the address check
            headers={"User-Agent": user_agent or settings.FETCH_USER_AGENT, "Accept": ", ".join(t for t in allowed_types if t) or "*/*"},
        ) as client:
            for hop in range(settings.FETCH_MAX_REDIRECTS + 1):
                if hop and before_hop is not None:
                    before_hop(current)
                parsed, address = check_url(current, allow_private=allow_private, resolver=resolver,
                                            deadline=deadline)
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout:g} s")
                fetched, location = _get(client, parsed, address, max_bytes, allowed_types, deadline, timeout,
                                         headers)
                if fetched is not None:
                    return fetched
                try:
                    current = str(parsed.join(location))
                except _TRANSPORT_ERRORS as exc:
                    raise FetchError(f"redirect to an invalid URL {location!r} ({exc})") from exc
            raise FetchError(f"more than {settings.FETCH_MAX_REDIRECTS} redirects")
    except FetchError:
        raise
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s ({type(exc).__name__}) fetching {current}") from exc
    except _TRANSPORT_ERRORS as exc:
        raise FetchError(f"cannot fetch {current} ({type(exc).__name__}: {exc})") from exc


def _get(
    client: httpx.Client, parsed: httpx.URL, address: str, max_bytes: int, allowed_types: tuple[str, ...],
    deadline: float, timeout: float, headers: Mapping[str, str] | None = None,
) -> tuple[Fetched | None, str]:
    """One hop: the body, or ``(None, location)`` for a redirect."""
    response = client.send(_pinned_request(client, parsed, address, headers=headers), stream=True)
    try:
        validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
        if response.status_code == 304:
            return Fetched(url=str(parsed), content_type="", charset=None, content=b"", status=304,
                           **validators), ""
        if response.is_redirect:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(f"HTTP {response.status_code} redirect without a Location",
                                 status=response.status_code)
            return None, location
        if response.status_code != 200:
            raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                             status=response.status_code,
                             retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        media_type, charset = _content_type(response.headers.get("Content-Type", ""))
        if media_type not in allowed_types:
            raise FetchError(f"content type {media_type or 'missing'!r} is not an article or feed")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"oversized: {declared} bytes, over the {max_bytes}-byte limit")
        body = bytearray()
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > max_bytes:
                raise FetchError(f"oversized: more than {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {timeout:g} s")
        return Fetched(url=str(parsed), content_type=media_type, charset=charset, content=bytes(body),
                       **validators), ""
    finally:
        response.close()


def post_json(
    url: str, body: bytes, *, allow_private: bool = False, timeout: float | None = None,
    resolver: Resolver | None = None, transport: httpx.BaseTransport | None = None,
) -> int:
    """POST a JSON ``body`` to ``url`` under the same guard as :func:`fetch` (its host checked and pinned, one
    deadline). Redirects are not followed: a webhook that moved must be given its new address. Returns the 2xx
    status; anything else is a :class:`FetchError`."""
    timeout = settings.FETCH_TIMEOUT_S if timeout is None else timeout
    deadline = time.monotonic() + timeout
    try:
        parsed, address = check_url(url, allow_private=allow_private, resolver=resolver, deadline=deadline)
        with httpx.Client(transport=transport or _deadline_transport(deadline), timeout=httpx.Timeout(timeout),
                          follow_redirects=False, trust_env=False,
                          headers={"User-Agent": settings.FETCH_USER_AGENT}) as client:
            request = _pinned_request(client, parsed, address, method="POST", content=body,
                                      headers={"Content-Type": "application/json"})
            response = client.send(request)
            response.close()
    except FetchError:
        raise
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s ({type(exc).__name__}) posting to {url}") from exc
    except _TRANSPORT_ERRORS as exc:
        raise FetchError(f"cannot post to {url} ({type(exc).__name__}: {exc})") from exc
    if not 200 <= response.status_code < 300:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                         status=response.status_code,
                         retry_after=retry_after_seconds(response.headers.get("Retry-After")))
    return response.status_code


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media_type.strip().lower(), charset
