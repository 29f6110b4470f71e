"""Lists of feeds to watch: a YAML file of our own shape, or an OPML subscription list (read with ``listparser``).

YAML::

    kind: feed-list
    feeds:
      - url: https://example.org/world/rss
        name: example-world     # optional: a short name for `feeds list`, `feeds remove`
        every: 15m              # optional: how often to poll (s, m, h, d; default 15 minutes)

OPML: every ``outline`` with an ``xmlUrl`` is a feed, named by its ``text`` or ``title``; an ``every`` attribute
of our own (``every="30m"``) sets its schedule, else the default applies.

Problems are reported with the file and line (YAML) or the outline (OPML), all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dragoman import settings
from dragoman.lexicons import Problem, check_kind, line_of, read_yaml

FEED_LIST_KIND = "feed-list"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_NAME = re.compile(r"^[\w][\w.@+-]{0,99}$")


@dataclass(frozen=True)
class FeedSpec:
    """A feed to watch: its URL, its short name and how often it is polled (seconds)."""

    url: str
    name: str
    every_s: float


def parse_duration(text: str | float | int) -> float:
    """``"15m"``, ``"90s"``, ``"2h"``, ``"1d"`` or a number of seconds, as seconds. Raises ``ValueError``."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a duration")
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        m = _DURATION.match(str(text))
        if not m:
            raise ValueError(f"{text!r} is not a duration (a number with s, m, h or d, e.g. 15m)")
        seconds = float(m.group(1)) * _UNIT_S[(m.group(2) or "s").lower()]
    if seconds < settings.WATCH_MIN_EVERY_S:
        raise ValueError(f"{text!r} is shorter than {settings.WATCH_MIN_EVERY_S:g} s "
                         "(settings.WATCH_MIN_EVERY_S)")
    return seconds


def check_feed_url(url: str) -> str:
    """The URL, stripped, if it is an http(s) URL with a host; ``ValueError`` otherwise (the address itself is
    checked when it is fetched, on every poll)."""
    import httpx

    url = url.strip()
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError, UnicodeError) as exc:
        raise ValueError(f"{url!r} is not a URL ({exc})") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{url!r} is not an http(s) URL with a host")
    return url


def default_name(url: str) -> str:
    """A feed's name when none is given: its host and path, made of name characters."""
    import httpx

    parsed = httpx.URL(url)
    raw = f"{parsed.host}{parsed.path}".rstrip("/")
    name = re.sub(r"[^\w.@+-]+", "-", raw).strip("-.") or "feed"
    return name[:100]


def check_name(name: str, what: str = "feed") -> str:
    """A short name (of a feed, an alert): 1 to 100 name characters, no spaces. Raises ``ValueError``."""
    name = name.strip()
    if not _NAME.match(name):
        raise ValueError(f"{what} name {name!r} must be 1 to 100 letters, digits or . _ @ + - (no spaces), "
                         "starting with a letter or digit")
    return name


def feed_spec(url: str, name: str | None = None, every: str | float | None = None) -> FeedSpec:
    """A checked :class:`FeedSpec`. Raises ``ValueError`` naming what is wrong."""
    url = check_feed_url(url)
    return FeedSpec(url=url, name=check_name(name) if name else default_name(url),
                    every_s=parse_duration(every) if every is not None else settings.WATCH_DEFAULT_EVERY_S)


def read_feed_list(path: str | Path) -> tuple[list[FeedSpec], list[Problem]]:
    """The feeds of a YAML or OPML file, and its problems (``file:line: message``). The format is told by the
    content: OPML starts with ``<``."""
    path = Path(path)
    try:
        head = path.read_bytes()[:512].lstrip()
    except OSError as exc:
        return [], [Problem(str(path), 1, f"cannot read ({exc.strerror or exc})")]
    if head.startswith((b"<", b"\xef\xbb\xbf<")):
        return _read_opml(path)
    return _read_yaml(path)


def _read_yaml(path: Path) -> tuple[list[FeedSpec], list[Problem]]:
    problems: list[Problem] = []
    data = read_yaml(path, problems)
    if problems:
        return [], problems
    if not check_kind(path, FEED_LIST_KIND, problems):
        return [], problems
    entries = data.get("feeds") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [Problem(str(path), line_of(data), "expected `feeds:`, a list of {url, name, every}")]
    specs: list[FeedSpec] = []
    for entry in entries:
        line = line_of(entry)
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            problems.append(Problem(str(path), line, "a feed needs a `url`"))
            continue
        unknown = sorted(k for k in entry if not k.startswith("__") and k not in ("url", "name", "every"))
        if unknown:
            problems.append(Problem(str(path), line, f"unknown key {unknown[0]!r} (url, name, every)"))
            continue
        try:
            specs.append(feed_spec(entry["url"], entry.get("name"), entry.get("every")))
        except ValueError as exc:
            problems.append(Problem(str(path), line, str(exc)))
    problems.extend(_repeats(specs, str(path)))
    return specs, problems


def _read_opml(path: Path) -> tuple[list[FeedSpec], list[Problem]]:
    import listparser

    try:
        parsed = listparser.parse(path.read_bytes())
    except Exception as exc:  # listparser raises its own errors and SAX's: either way the file is unreadable
        return [], [Problem(str(path), 1, f"not an OPML subscription list ({type(exc).__name__}: {exc})")]
    problems: list[Problem] = []
    if parsed.bozo and not parsed.feeds:
        return [], [Problem(str(path), 1, f"not an OPML subscription list ({parsed.bozo_exception})")]
    every_of = _opml_every(path)
    specs: list[FeedSpec] = []
    for number, feed in enumerate(parsed.feeds, start=1):
        url = str(feed.get("url") or "")
        title = str(feed.get("title") or "").strip()
        try:
            name = default_name(check_feed_url(url)) if not title else re.sub(r"[^\w.@+-]+", "-", title)[:100]
            specs.append(feed_spec(url, name.strip("-.") or None, every_of.get(url)))
        except ValueError as exc:
            problems.append(Problem(str(path), number, f"outline {number}: {exc}"))
    problems.extend(_repeats(specs, str(path)))
    return specs, problems


def _opml_every(path: Path) -> dict[str, str]:
    """Our own ``every`` attribute of OPML outlines, by their ``xmlUrl`` (listparser keeps only the standard
    ones). Read with the standard library's expat, which resolves no external entities."""
    from xml.parsers import expat

    found: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "outline" and attrs.get("xmlUrl") and attrs.get("every"):
            found[attrs["xmlUrl"].strip()] = attrs["every"]

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        parser.Parse(path.read_bytes(), True)
    except expat.ExpatError:
        return found
    return found


def _repeats(specs: list[FeedSpec], file: str) -> list[Problem]:
    problems = []
    names: dict[str, str] = {}
    for spec in specs:
        if spec.name in names and names[spec.name] != spec.url:
            problems.append(Problem(file, 1, f"two feeds are named {spec.name!r} ({names[spec.name]}, {spec.url})"))
        names[spec.name] = spec.url
    return problems
