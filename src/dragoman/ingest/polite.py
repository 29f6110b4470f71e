"""Fetching the way a well-behaved crawler does, for a watcher that comes back to the same servers all day.

Every request goes through :func:`dragoman.ingest.fetch.fetch` (the URL guard on every hop) and, on top:

* **robots.txt** (RFC 9309, read with ``protego``): fetched once per origin and kept for
  ``settings.ROBOTS_CACHE_S``; a path it forbids to our User-Agent is never requested, redirect targets
  included. A robots.txt that is missing (4xx) allows everything; one the server fails to give (5xx, network
  error) forbids everything until it is asked again after ``settings.ROBOTS_ERROR_CACHE_S``, as the RFC says.
* **a per-host pace**: requests to one host start at least ``host_interval`` seconds apart (a robots.txt
  ``Crawl-delay`` or ``Request-rate`` asks for longer: granted up to ``settings.ROBOTS_MAX_DELAY_S``), and at
  most ``host_concurrency`` are in flight at once.
* **backoff**: a 429 or 503 answer puts the whole host on hold, for its ``Retry-After`` when it says (up to
  ``settings.WATCH_MAX_RETRY_AFTER_S``), else for an exponentially growing, jittered delay; a request to a host
  on hold is refused here (:class:`HostOnHold`) without reaching it.

Waits are cut short by the ``stop`` event, so a watcher asked to stop never sits out a pace.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx
from protego import Protego

from dragoman import settings
from dragoman.ingest.fetch import Fetched, FetchError, Resolver, fetch


class RobotsForbidden(FetchError):
    """robots.txt forbids the URL to our User-Agent: it was not requested."""


class RobotsUnavailable(FetchError):
    """The origin's robots.txt could not be had (5xx, network error): nothing there is requested until it can."""


class HostOnHold(FetchError):
    """The host asked us to back off (429/503) and its hold has not run out: the URL was not requested."""


def backoff_delay(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """The wait after ``failures`` consecutive failures: ``base`` doubled for each failure after the first, at
    most ``cap``, stretched by up to a quarter at random ("jitter", so clients that failed together do not come
    back together). Never shorter than ``base``."""
    rng = rng or random
    exponent = min(max(failures - 1, 0), 30)
    return min(cap, base * 2.0 ** exponent) * (1.0 + 0.25 * rng.random())


def origin_of(url: str) -> tuple[str, str]:
    """``(origin, host)`` of a URL: ``scheme://host[:port]`` (robots.txt is per origin) and the host name."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}", parsed.host


@dataclass
class _Robots:
    rules: Protego | None  # None: everything allowed
    forbid_all: bool
    expires: float  # monotonic time
    why: str = ""  # for a forbid-all: what the server did


@dataclass
class _Host:
    semaphore: threading.BoundedSemaphore
    next_start: float = 0.0  # monotonic time the next request may start
    hold_until: float = 0.0  # monotonic time a 429/503 hold ends
    hold_reason: str = ""
    strikes: int = 0  # consecutive 429/503 answers


class PoliteFetcher:
    """Fetches under robots.txt, a per-host pace and backoff (see the module docstring). Thread-safe: the
    watcher fetches several feeds and pages at once."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        host_interval: float | None = None,
        host_concurrency: int | None = None,
        timeout: float | None = None,
        user_agent: str | None = None,
        stop: threading.Event | None = None,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.allow_private = allow_private
        self.host_interval = settings.WATCH_HOST_INTERVAL_S if host_interval is None else host_interval
        self.host_concurrency = max(1, settings.WATCH_HOST_CONCURRENCY if host_concurrency is None
                                    else host_concurrency)
        self.timeout = timeout
        self.user_agent = user_agent or settings.FETCH_USER_AGENT
        self.agent_token = self.user_agent.split("/", 1)[0].strip() or "Dragoman"
        self.stop = stop or threading.Event()
        self.resolver = resolver
        self.transport = transport
        self.clock = clock
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._delays: dict[str, float] = {}  # host -> the pace its robots.txt asks for
        self.requests = 0  # requests sent (robots.txt included), for the status line and the benches

    # ------------------------------------------------------------ public
    def get(self, url: str, *, headers: Mapping[str, str] | None = None,
            allowed_types: tuple[str, ...] | None = None) -> Fetched:
        """GET ``url`` politely. Raises :class:`RobotsForbidden`, :class:`HostOnHold` or :class:`FetchError`."""
        self.check_robots(url)
        return self._request(url, headers=headers, allowed_types=allowed_types, before_hop=self.check_robots)

    def check_robots(self, url: str) -> None:
        """Raise :class:`RobotsForbidden` when robots.txt forbids ``url`` to us (fetching robots.txt if needed)."""
        try:
            origin, _host = origin_of(url)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError) as exc:
            raise FetchError(f"invalid URL ({exc})") from exc
        robots = self._robots_for(origin)
        if robots.forbid_all:
            raise RobotsUnavailable(f"robots.txt of {origin} could not be read ({robots.why}): everything is "
                                  "forbidden until it can")
        if robots.rules is not None and not robots.rules.can_fetch(url, self.agent_token):
            raise RobotsForbidden(f"robots.txt of {origin} forbids {url} to {self.agent_token}")

    def on_hold(self, url: str) -> float:
        """Seconds until the URL's host may be asked again (0: now)."""
        host = self._host(origin_of(url)[1])
        return max(0.0, host.hold_until - self.clock())

    # ------------------------------------------------------------ robots.txt
    def _robots_for(self, origin: str) -> _Robots:
        now = self.clock()
        with self._lock:
            robots = self._robots.get(origin)
            if robots is not None and robots.expires > now:
                return robots
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch of an origin's robots.txt at a time; the others wait for it
            with self._lock:
                robots = self._robots.get(origin)
            if robots is not None and robots.expires > self.clock():
                return robots
            robots = self._fetch_robots(origin)
            with self._lock:
                self._robots[origin] = robots
            return robots

    def _fetch_robots(self, origin: str) -> _Robots:
        url = f"{origin}/robots.txt"
        try:
            fetched = self._request(url, allowed_types=settings.ROBOTS_CONTENT_TYPES,
                                    robots=True)
        except HostOnHold as exc:
            return _Robots(None, True, self.clock() + max(1.0, self.on_hold(url)), str(exc))
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return _Robots(None, False, self.clock() + settings.ROBOTS_CACHE_S)  # no robots.txt: all allowed
            if exc.status is None and "content type" in str(exc):
                return _Robots(None, False, self.clock() + settings.ROBOTS_CACHE_S)  # not a robots.txt at all
            return _Robots(None, True, self.clock() + settings.ROBOTS_ERROR_CACHE_S, str(exc))
        text = fetched.content[:settings.ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        rules = Protego.parse(text)
        robots = _Robots(rules, False, self.clock() + settings.ROBOTS_CACHE_S)
        delay = rules.crawl_delay(self.agent_token)
        rate = rules.request_rate(self.agent_token)
        if rate is not None and rate.requests:
            delay = max(delay or 0.0, rate.seconds / rate.requests)
        if delay:
            with self._lock:
                self._delays[origin_of(origin)[1]] = min(float(delay), settings.ROBOTS_MAX_DELAY_S)
        return robots

    # ------------------------------------------------------------ pace and backoff
    def _host(self, name: str) -> _Host:
        with self._lock:
            host = self._hosts.get(name)
            if host is None:
                host = self._hosts[name] = _Host(threading.BoundedSemaphore(self.host_concurrency))
            return host

    def _interval(self, name: str) -> float:
        return max(self.host_interval, self._delays.get(name, 0.0))

    def _wait_turn(self, name: str, host: _Host) -> None:
        """Wait for the host's next start slot (taking it), unless the watcher is stopping."""
        with self._lock:
            now = self.clock()
            start = max(now, host.next_start)
            host.next_start = start + self._interval(name)
        if start > now and self.stop.wait(start - now):
            raise FetchError("stopped before the request was sent")

    def _request(self, url: str, *, headers: Mapping[str, str] | None = None,
                 allowed_types: tuple[str, ...] | None = None, max_bytes: int | None = None,
                 before_hop: Callable[[str], None] | None = None, robots: bool = False) -> Fetched:
        try:
            name = origin_of(url)[1]
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError) as exc:
            raise FetchError(f"invalid URL ({exc})") from exc
        host = self._host(name)
        # robots.txt is fetched while a request to the host may hold its slot (a redirect's new origin): it is
        # paced but takes no slot, or a host allowed one request at a time would wait for itself
        slot = contextlib.nullcontext() if robots else host.semaphore
        with slot:
            self._check_hold(name, host)
            self._wait_turn(name, host)
            self._check_hold(name, host)  # (the host may have asked us to wait while this one waited its turn)
            with self._lock:
                self.requests += 1
            try:
                fetched = fetch(url, allow_private=self.allow_private, resolver=self.resolver,
                                transport=self.transport, timeout=self.timeout, allowed_types=allowed_types,
                                max_bytes=max_bytes, headers=headers, before_hop=before_hop,
                                user_agent=self.user_agent)
            except FetchError as exc:
                if exc.status in (429, 503):
                    self._hold(name, host, exc)
                raise
            with self._lock:
                host.strikes = 0
            return fetched

    def _check_hold(self, name: str, host: _Host) -> None:
        held = host.hold_until - self.clock()
        if held > 0:
            raise HostOnHold(f"{name} asked us to wait ({host.hold_reason}): {held:.0f} s left", retry_after=held)

    def _hold(self, name: str, host: _Host, exc: FetchError) -> None:
        with self._lock:
            host.strikes += 1
            if exc.retry_after is not None:
                wait = min(exc.retry_after, settings.WATCH_MAX_RETRY_AFTER_S)
            else:
                wait = backoff_delay(host.strikes, settings.WATCH_HOST_BACKOFF_S, settings.WATCH_MAX_RETRY_AFTER_S)
            host.hold_until = max(host.hold_until, self.clock() + wait)
            host.hold_reason = f"HTTP {exc.status}"
            host.next_start = max(host.next_start, host.hold_until)

