"""Fetching a URL without becoming a proxy into the network Dragoman runs in (SSRF guard).

Every hop of a fetch is checked, not the string the user typed: the host is resolved (``getaddrinfo``, every
address it returns), each address must be public, and the request is then sent *to the checked address* (the
URL's host becomes the ``Host`` header and the TLS server name), so a name that resolves differently a moment
later (DNS rebinding) cannot redirect the connection. Redirects are followed by hand, at most
``settings.FETCH_MAX_REDIRECTS``, each new location going through the same checks. Only http and https are
fetched; bodies are capped at ``settings.MAX_ARTICLE_BYTES`` and must have an article or feed content type.
``allow_private=True`` (``--allow-private``) lifts the address check only, for intranet sources and tests.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from dragoman import settings

# host, port -> the IP addresses (strings) the host resolves to.
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """A URL that was refused or could not be fetched; the message is the reason, for "URL: reason"."""


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, in the resolver's order (numeric forms like ``127.1`` included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]).split("%", 1)[0], None)
    return list(seen)


def blocked_reason(address: str) -> str | None:
    """Why ``address`` may not be fetched from (a non-public range), or ``None`` when it is public.

    IPv6 forms that embed an IPv4 address (mapped ``::ffff:a.b.c.d``, NAT64, 6to4, Teredo) are judged by the
    embedded address too, since they reach it.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unparseable"
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
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if ip.ipv4_mapped:
            embedded.append(ip.ipv4_mapped)
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


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver | None = None) -> tuple[httpx.URL, str]:
    """Validate one hop: scheme, host, and every address the host resolves to.

    Returns the parsed URL and the address to connect to. Raises :class:`FetchError` with the reason.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"invalid URL ({exc})") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parsed.scheme or 'a scheme-less'} URL")
    host = parsed.host
    if not host:
        raise FetchError("URL has no host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = (resolver or system_resolver)(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r} ({exc})") from exc
    if not addresses:
        raise FetchError(f"host {host!r} resolves to no address")
    if not allow_private:
        for address in addresses:
            reason = blocked_reason(address)
            if reason:
                raise FetchError(
                    f"host {host!r} resolves to {address}, a {reason} address; refused "
                    "(use --allow-private to fetch from internal networks)"
                )
    return parsed, addresses[0]


@dataclass
class Fetched:
    """A fetched body: ``url`` is the final URL after redirects (by host name, not the pinned address)."""

    url: str
    content_type: str
    charset: str | None
    content: bytes


def _pinned_request(client: httpx.Client, url: httpx.URL, address: str) -> httpx.Request:
    """A GET to ``address`` that presents itself (Host header, TLS SNI and certificate check) as ``url``'s host."""
    target = url.copy_with(host=address)
    headers = {"Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return client.build_request("GET", target, headers=headers, extensions=extensions)


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    allowed_types: tuple[str, ...] | None = None,
) -> Fetched:
    """GET ``url`` under the guard described in the module docstring. Raises :class:`FetchError`.

    ``resolver`` and ``transport`` are injectable so tests can play DNS and servers without a network; the
    limits default to the ``settings`` values at call time.
    """
    max_bytes = settings.MAX_ARTICLE_BYTES if max_bytes is None else max_bytes
    timeout = settings.FETCH_TIMEOUT_S if timeout is None else timeout
    allowed_types = settings.FETCH_ALLOWED_CONTENT_TYPES if allowed_types is None else allowed_types
    deadline = time.monotonic() + timeout
    current = url
    with httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,  # an environment proxy would resolve names itself and defeat the address check
        headers={"User-Agent": settings.FETCH_USER_AGENT, "Accept": ", ".join(allowed_types)},
    ) as client:
        for _hop in range(settings.FETCH_MAX_REDIRECTS + 1):
            parsed, address = check_url(current, allow_private=allow_private, resolver=resolver)
            request = _pinned_request(client, parsed, address)
            try:
                response = client.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {current} ({type(exc).__name__}: {exc})") from exc
            try:
                if response.is_redirect:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {response.status_code} redirect without a Location")
                    current = str(parsed.join(location))
                    continue
                if response.status_code != 200:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
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
                return Fetched(url=str(parsed), content_type=media_type, charset=charset, content=bytes(body))
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {current} ({type(exc).__name__}: {exc})") from exc
            finally:
                response.close()
        raise FetchError(f"more than {settings.FETCH_MAX_REDIRECTS} redirects")


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media_type.strip().lower(), charset
