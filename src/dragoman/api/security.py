"""What every request and response passes, outermost (around FastAPI's own error handling, so its crash replies
too): the Host check, request size limits, and strict security headers (the dashboard loads nothing from
elsewhere).

The Host check defeats DNS rebinding (a web page whose name is made to resolve to 127.0.0.1 reading the API
from the victim's browser): a request is answered only if its ``Host`` names the address the server is bound
to, ``localhost``/``127.0.0.1``/``::1`` for a loopback bind, or a name given with ``dragoman serve --allow-host``.
A server bound to every address (``0.0.0.0``, ``::``) also answers the machine's own name and any IP address
(a rebinding page always sends its own name, never an address).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from dragoman import settings
from dragoman.api.errors import json_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_REQUEST_BYTES = settings.MAX_ARTICLE_BYTES + 64_000  # an article plus its metadata, as JSON
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::"})


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostPolicy:
    """The host names a server bound to ``bind`` answers to (see the module docstring)."""

    def __init__(self, bind: str = "127.0.0.1", allowed: Iterable[str] = ()) -> None:
        bound = bind.strip().strip("[]").lower()
        names = {h.strip().strip("[]").lower() for h in allowed if h.strip()}
        self.any_address = bound in WILDCARD_BINDS
        if self.any_address:
            names |= LOOPBACK_NAMES | {socket.gethostname().lower()}
        else:
            names.add(bound)
            if _is_loopback(bound):
                names |= LOOPBACK_NAMES
        self.names = frozenset(names)

    def allows(self, host_header: str | None) -> bool:
        name = host_name(host_header)
        if name is None:
            return False
        return name in self.names or (self.any_address and _is_address(name))


def host_name(value: str | None) -> str | None:
    """The name in a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), lower-cased; ``None`` if it is not
    one."""
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = (value[1:end], value[end + 1:]) if end > 0 else ("", "")
    elif value.count(":") == 1:
        name, rest = value.split(":")[0], ":" + value.split(":")[1]
    else:
        name, rest = value, ""
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    if not name or any(c in name for c in "@/\\ \t%?#"):
        return None
    return name


class Guard:
    """ASGI middleware: refuse a Host the server does not serve (421), bodies over the limit or of unknown
    length before reading them (413, 411, 400), and add the security headers to every response."""

    def __init__(self, app: ASGIApp, hosts: HostPolicy) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in
                           {name for name, _ in SECURITY_HEADERS}]
                headers.extend(SECURITY_HEADERS)
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def _refusal(self, scope: Scope) -> Any:
        headers = {k.lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not self.hosts.allows(headers.get(b"host")):
            return json_error(421, "this server does not answer to that Host (a name it is not bound to); start it "
                                   "with --allow-host NAME to serve one")
        length = headers.get(b"content-length")
        if length is not None:
            length = length.strip()
            if not (length.isascii() and length.isdigit()):
                return json_error(400, "bad Content-Length")
            if int(length) > MAX_REQUEST_BYTES:
                return json_error(413, f"request body over {MAX_REQUEST_BYTES} bytes")
        elif scope.get("method") in {"POST", "PUT", "PATCH"} and headers.get(b"transfer-encoding"):
            return json_error(411, "a Content-Length is required")
        return None
