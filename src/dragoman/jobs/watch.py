"""The watch job: poll the store's feeds on their schedules, store and code what is new, fire alerts.

One *cycle* takes the feeds that are due, fetches them (and the pages of their new items) several at once under
:class:`~dragoman.ingest.polite.PoliteFetcher`, then stores each feed's new items in the order the feeds fell
due, through the ingest job's :class:`~dragoman.jobs.ingest.Run` (identity, duplicates, language, coding,
stories: the same steps as ``dragoman ingest``), and checks the alerts.

Durability. An item's row (``feed_items``) is written in the transaction that stores its article, and the feed's
own row (validators, next due time, counts) in the transaction after its last item's. A watcher killed at any
moment so leaves either an item with its article or neither; on restart the feed is still due (its row was
not written), its feed is fetched again in full (its validators were not saved), the items it stored are
skipped and the others stored in the same order. Fetching is concurrent but storing is not, and every decision
depends only on what was stored before, so a killed and restarted watcher leaves the store an uninterrupted
one would have (feeds serving the same documents).

Stopping. :meth:`Watcher.stop` (SIGTERM, Ctrl-C) ends the run after the article in hand: no new request is
sent, the articles taken are coded and stored, and the feed being stored is left due, so the next run finishes
it.

Failures. A feed that fails is polled again after its interval doubled for each failure in a row (with jitter,
and never before a ``Retry-After`` it was given); after ``settings.WATCH_PAUSE_AFTER_FAILURES`` in a row, or at
once for an answer waiting will not change (404/410, robots.txt forbids it, its address is refused), it is
paused with the reason. An item whose page cannot be had is stored from the feed's own text, flagged
(``extra.text_from = "feed"`` and ``extra.page_error``); with no text in the feed either it is tried again at
later polls, ``settings.WATCH_ITEM_ATTEMPTS`` times in all.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from dragoman import settings
from dragoman.ingest.feeds import FeedEntry, checked_entry, read_feed, with_page
from dragoman.ingest.fetch import FetchError
from dragoman.ingest.html import HtmlError, parse_html
from dragoman.ingest.polite import HostOnHold, PoliteFetcher, RobotsForbidden, backoff_delay
from dragoman.ingest.sources import InputError, valid_article
from dragoman.ingest.types import Failure
from dragoman.jobs.alerts import AlertOutput, check_alerts, deliver_owed
from dragoman.jobs.ingest import ArticleCoder, IngestSummary, Run, default_coder, describe
from dragoman.model import Article
from dragoman.store import feeds as feed_store
from dragoman.store.db import utcnow
from dragoman.store.feeds import ItemRow, PollState

if TYPE_CHECKING:
    import httpx

    from dragoman.ingest.fetch import Resolver
    from dragoman.store.db import Store

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_PERMANENT_STATUS = {404: "not found (HTTP 404)", 410: "gone (HTTP 410)"}


@dataclass
class WatchOptions:
    """How the watcher fetches and codes. ``None`` takes the ``settings`` value."""

    allow_private: bool = False
    host_interval: float | None = None
    host_concurrency: int | None = None
    fetch_timeout: float | None = None
    workers: int | None = None
    code: bool = True
    alerts: bool = True
    batch_size: int = settings.INGEST_BATCH_SIZE


@dataclass
class PolledItem:
    """A new item of a poll, fetched: its article (or why there is none) and where its text came from."""

    entry: FeedEntry
    attempts: int
    article: Article | None = None
    text_from: str | None = None
    failure: str | None = None
    skipped: bool = False  # robots.txt forbids its page and the feed has no text: not tried again
    deferred: bool = False  # not fetched (the host asked us to wait, or the watcher is stopping): next poll


@dataclass
class Poll:
    """One feed's poll, fetched and not yet stored."""

    feed: dict[str, Any]
    started: datetime
    seconds: float = 0.0
    status: str = ""  # "200", "304", "on hold", "failed"
    error: FetchError | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: list[PolledItem] = field(default_factory=list)
    problems: list[Failure] = field(default_factory=list)
    entries: int = 0


@dataclass
class PollReport:
    """What a poll did, for the status line and ``/api/feeds``."""

    feed: str
    status: str
    seconds: float
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    mentions: int = 0
    deferred: int = 0
    error: str | None = None
    next_due: datetime | None = None
    paused: str | None = None

    def line(self) -> str:
        """One line: ``NAME: 200 in 0.4 s · 3 new, 1 duplicate, 0 failed, 12 mentions coded``."""
        head = f"{self.feed}: {self.status} in {self.seconds:.1f} s"
        if self.status == "304":
            head = f"{self.feed}: not modified (304) in {self.seconds:.1f} s"
        counts = (f"{self.new} new, {self.duplicate} duplicate, {self.failed} failed, "
                  f"{self.mentions} mentions coded")
        tail = []
        if self.deferred:
            tail.append(f"{self.deferred} left for the next poll")
        if self.error:
            tail.append(self.error)
        if self.paused:
            tail.append(f"paused: {self.paused}")
        elif self.next_due is not None:
            tail.append(f"next at {self.next_due.isoformat(timespec='seconds')}Z")
        return " · ".join([head, counts, *tail])


@dataclass
class WatchSummary:
    """What a watch run did, over all its polls."""

    polls: int = 0
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    mentions: int = 0
    alerts_fired: int = 0
    requests: int = 0
    stopped: bool = False  # ended by stop() (a signal), not by --once or --for


class _ItemHook:
    """Writes the feed items taken so far in the transaction of the batch that stores their articles."""

    def __init__(self) -> None:
        self.feed: str | None = None
        self.pending: list[ItemRow] = []
        self.now = utcnow()

    def write(self, con: Any) -> None:
        if self.feed is not None and self.pending:
            feed_store.write_items_in(con, self.feed, self.pending, self.now)

    def committed(self) -> None:
        self.pending = []


class Watcher:
    """Polls the store's feeds; see the module docstring. ``stop()`` may be called from a signal handler."""

    def __init__(
        self,
        store: Store,
        options: WatchOptions | None = None,
        *,
        on_report: Callable[[PollReport], None] | None = None,
        on_alert: AlertOutput | None = None,
        on_failure: Callable[[Failure], None] | None = None,
        coder_factory: Callable[[], ArticleCoder] | None = None,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.options = options or WatchOptions()
        self.on_report = on_report
        self.on_alert = on_alert
        self.on_failure = on_failure
        self.stopping = threading.Event()
        self.rng = rng or random.Random()
        self.fetcher = PoliteFetcher(
            allow_private=self.options.allow_private, host_interval=self.options.host_interval,
            host_concurrency=self.options.host_concurrency, timeout=self.options.fetch_timeout,
            stop=self.stopping, resolver=resolver, transport=transport)
        self.summary = WatchSummary()
        self.ingested = IngestSummary()
        self.hook = _ItemHook()
        self._coder_factory = coder_factory or default_coder
        self._run: Run | None = None
        workers = max(1, self.options.workers or settings.WATCH_WORKERS)
        self._feeds_pool = ThreadPoolExecutor(workers, thread_name_prefix="dragoman-feed")
        self._pages_pool = ThreadPoolExecutor(workers, thread_name_prefix="dragoman-page")

    # ------------------------------------------------------------ the loop
    def stop(self) -> None:
        """End the run after the article in hand (safe from a signal handler: it only sets a flag)."""
        self.summary.stopped = True
        self.stopping.set()

    def run(self, *, once: bool = False, duration: float | None = None) -> WatchSummary:
        """Poll until stopped (``once``: each feed due now, once; ``duration``: for that many seconds)."""
        deadline = None if duration is None else time.monotonic() + duration
        try:
            # Alerts are checked after a cycle that stored something, and once at the start, for what an earlier
            # run (or `dragoman ingest`) stored and did not check: right away when no feed is due, else after
            # the first cycle, so a restarted watcher fires as the uninterrupted one would have.
            unchecked = self.options.alerts
            if self.options.alerts:
                self._deliver_owed()
                if not feed_store.due_feeds(self.store, utcnow()):
                    self._check_alerts()
                    unchecked = False
            while not self.stopping.is_set():
                stored = self.cycle()
                if (stored or unchecked) and self.options.alerts and not self.stopping.is_set():
                    self._check_alerts()
                    unchecked = False
                if once:
                    break
                self._sleep_until_due(deadline)
                if deadline is not None and time.monotonic() >= deadline:
                    break
        finally:
            self.close()
        self.summary.requests = self.fetcher.requests
        return self.summary

    def close(self) -> None:
        self.stopping.set()  # (pages of a poll not yet stored are not fetched for nothing)
        self._feeds_pool.shutdown(wait=True, cancel_futures=True)
        self._pages_pool.shutdown(wait=True, cancel_futures=True)

    def _sleep_until_due(self, deadline: float | None) -> None:
        due = feed_store.next_due(self.store)
        wait = settings.WATCH_IDLE_CHECK_S
        if due is not None:
            wait = min(wait, max(0.0, (due - utcnow()).total_seconds()))
        if deadline is not None:
            wait = min(wait, max(0.0, deadline - time.monotonic()))
        self.stopping.wait(max(wait, 0.01))

    def cycle(self) -> int:
        """Poll the feeds due now: fetch them at once, store them in turn. Returns the articles stored."""
        due = feed_store.due_feeds(self.store, utcnow())
        if not due:
            return 0
        futures = [self._feeds_pool.submit(self._fetch_feed, feed) for feed in due]
        quiet: list[tuple[str, PollState]] = []  # polls that store nothing: their rows written together
        stored = 0
        try:
            for future in futures:
                if self.stopping.is_set():
                    break
                poll = future.result()
                if poll.status == "stopped":
                    continue
                if poll.items:
                    stored += self._store_poll(poll)
                else:
                    state, report = self._state(poll, deferred=0)
                    quiet.append((poll.feed["name"], state))
                    self._report(report)
        finally:
            for future in futures:
                future.cancel()
            feed_store.write_polls(self.store, quiet)
        return stored

    # ------------------------------------------------------------ fetching (worker threads)
    def _fetch_feed(self, feed: dict[str, Any]) -> Poll:
        poll = Poll(feed=feed, started=utcnow())
        began = time.monotonic()
        try:
            self._fetch_into(poll)
        except Exception as exc:  # a bug in one feed's fetch is that feed's failure, never the run's
            poll.status, poll.error = "failed", FetchError(f"unexpected error ({describe(exc)})")
        poll.seconds = time.monotonic() - began
        return poll

    def _fetch_into(self, poll: Poll) -> None:
        feed = poll.feed
        if self.stopping.is_set():
            poll.status, poll.error = "stopped", None
            return
        headers = {}
        if feed.get("etag"):
            headers["If-None-Match"] = feed["etag"]
        if feed.get("last_modified"):
            headers["If-Modified-Since"] = feed["last_modified"]
        try:
            fetched = self.fetcher.get(feed["url"], headers=headers)
        except HostOnHold as exc:
            poll.status, poll.error = "on hold", exc
            return
        except FetchError as exc:
            poll.status, poll.error = "failed", exc
            return
        poll.etag = fetched.etag or feed.get("etag")
        poll.last_modified = fetched.last_modified or feed.get("last_modified")
        if fetched.status == 304:
            poll.status = "304"
            return
        document = read_feed(fetched.content, origin=feed["url"])
        if document.unreadable is not None:
            poll.status, poll.error = "failed", FetchError(document.unreadable.reason)
            return
        poll.status = "200"
        entries = [e for e in document.entries if isinstance(e, FeedEntry)]
        poll.problems = [*document.problems, *(e for e in document.entries if isinstance(e, Failure))]
        poll.entries = len(entries)
        seen = feed_store.seen_items(self.store, feed["name"], [e.key for e in entries])
        new: list[tuple[FeedEntry, int]] = []
        keys: set[str] = set()
        for entry in entries:
            status, attempts = seen.get(entry.key, (None, 0))
            if entry.key in keys or (status is not None and (status != "failed"
                                                             or attempts >= settings.WATCH_ITEM_ATTEMPTS)):
                continue
            keys.add(entry.key)
            new.append((entry, attempts + 1))
        # Oldest first (feeds list the newest first): the original of two copies is the one published first.
        new.reverse()
        new.sort(key=lambda pair: (pair[0].article.published is None, pair[0].article.published or ""))
        pages = [self._pages_pool.submit(self._fetch_item, entry, attempts) for entry, attempts in new]
        poll.items = [page.result() for page in pages]

    def _fetch_item(self, entry: FeedEntry, attempts: int) -> PolledItem:
        item = PolledItem(entry=entry, attempts=attempts)
        article = entry.article
        origin = article.origin or entry.key
        if self.stopping.is_set():
            item.deferred = True
            return item
        page_error: str | None = None
        if entry.link:
            try:
                fetched = self.fetcher.get(entry.link, allowed_types=_PAGE_TYPES)
                page = parse_html(fetched.content, origin=entry.link, url=fetched.url) \
                    if fetched.content_type != "text/plain" else None
                if page is not None and len(page.text.strip()) >= settings.MIN_ARTICLE_CHARS:
                    with_page(article, page)
                    article.extra["text_from"] = item.text_from = "page"
                else:
                    page_error = "the page has no article text"
            except HostOnHold:
                item.deferred = True
                return item
            except RobotsForbidden as exc:
                page_error = str(exc)
                item.skipped = True
            except (FetchError, HtmlError, InputError) as exc:
                if self.stopping.is_set():
                    item.deferred = True
                    return item
                page_error = str(exc)
            except Exception as exc:  # one page's trouble is that item's, never the poll's
                page_error = f"unexpected error ({describe(exc)})"
        if item.text_from is None:
            article.extra["text_from"] = item.text_from = "feed"
            if page_error:
                article.extra["page_error"] = page_error
        checked = checked_entry(article, origin)
        if isinstance(checked, Failure):
            item.failure = f"{checked.reason}; page: {page_error}" if page_error else checked.reason
            return item
        item.skipped = False
        item.article = valid_article(checked)
        return item

    # ------------------------------------------------------------ storing (the main thread)
    def _ingest_run(self) -> Run:
        if self._run is None:
            self._run = Run(self.store, self.ingested, code=self.options.code, coder_factory=self._coder_factory,
                            fallback=None, batch_size=self.options.batch_size, on_failure=self.on_failure,
                            hook=self.hook)
        return self._run

    def _store_poll(self, poll: Poll) -> int:
        """Store a poll's items in order, each item's row with its article; then the feed's row. Returns the
        articles stored."""
        run = self._ingest_run()
        name = poll.feed["name"]
        self.hook.feed, self.hook.now, self.hook.pending = name, utcnow(), []
        ingested = self.ingested
        before = (ingested.ingested, ingested.mentions, ingested.exact_duplicates + ingested.near_duplicates)
        counts = {"new": 0, "duplicate": 0, "failed": 0, "mentions": 0}
        deferred = 0
        for number, item in enumerate(poll.items):
            if self.stopping.is_set():
                deferred += len(poll.items) - number
                break
            if item.deferred:
                deferred += 1
                continue
            key = item.entry.key
            if item.article is None:
                status = "skipped" if item.skipped else "failed"
                self.hook.pending.append(ItemRow(key, None, status, reason=item.failure, attempts=item.attempts))
                if not item.skipped:
                    counts["failed"] += 1
                    self._fail(Failure(item.entry.article.origin or key, item.failure or "failed"))
                continue
            article = item.article
            article.extra.setdefault("feed", name)
            duplicate = run.is_stored(article)
            counts["duplicate"] += duplicate
            self.hook.pending.append(ItemRow(key, article.article_id, "duplicate" if duplicate else "stored",
                                             text_from=item.text_from, attempts=item.attempts))
            run.take(article)
        run.flush()
        copies = ingested.exact_duplicates + ingested.near_duplicates - before[2]
        stored = ingested.ingested - before[0]
        counts["new"] = stored - copies
        counts["duplicate"] += copies
        counts["mentions"] = ingested.mentions - before[1]
        state, report = self._state(poll, deferred=deferred, counts=counts)
        with self.store.transaction() as con:
            self.hook.write(con)
            if not (self.stopping.is_set() and deferred):  # (a poll cut short by a stop stays due)
                feed_store.write_poll_in(con, name, state)
        self.hook.committed()
        self._report(report)
        return stored

    def _state(self, poll: Poll, *, deferred: int, counts: dict[str, int] | None = None
               ) -> tuple[PollState, PollReport]:
        feed = poll.feed
        now = utcnow()
        every = float(feed["every_s"])
        counts = counts or {}
        failures = int(feed["failures"] or 0)
        error = None
        pause = None
        wait = every
        status = poll.status  # (what the feed's row and `feeds status` show: a failure with its reason)
        if poll.status in ("200", "304"):
            failures = 0
        elif poll.status == "on hold":
            assert poll.error is not None
            wait = max(every, poll.error.retry_after or 0.0)
            error = str(poll.error)
        else:
            exc = poll.error or FetchError("failed")
            failures += 1
            error = str(exc)
            status = f"failed ({error})"
            wait = backoff_delay(failures, every, max(every, settings.WATCH_FEED_BACKOFF_MAX_S), self.rng)
            if exc.retry_after is not None:
                wait = max(wait, min(exc.retry_after, settings.WATCH_MAX_RETRY_AFTER_S))
            if isinstance(exc, RobotsForbidden):
                pause = error
            elif exc.status in _PERMANENT_STATUS:
                pause = f"{feed['url']}: {_PERMANENT_STATUS[exc.status]}"
            elif exc.blocked:
                pause = error
            elif failures >= settings.WATCH_PAUSE_AFTER_FAILURES:
                pause = f"{failures} failures in a row; the last: {error}"
        next_due = now + timedelta(seconds=wait)
        failed_items = [i for i in poll.items if i.article is None and not i.deferred and not i.skipped]
        retry_items = any(i.attempts < settings.WATCH_ITEM_ATTEMPTS for i in failed_items)
        state = PollState(
            polled_at=now, status=status, next_due=next_due,
            failures=failures, error=error, etag=poll.etag, last_modified=poll.last_modified,
            keep_validators=poll.status in ("200", "304") and not deferred and not retry_items,
            pause=pause, counts=counts,
            details={"entries": poll.entries, "seconds": round(poll.seconds, 3), "deferred": deferred,
                     "problems": [str(p) for p in poll.problems][:10]})
        self.summary.polls += 1
        for key in ("new", "duplicate", "failed", "mentions"):
            setattr(self.summary, key, getattr(self.summary, key) + counts.get(key, 0))
        report = PollReport(feed=feed["name"], status=poll.status,
                            seconds=poll.seconds, deferred=deferred, error=error, next_due=next_due, paused=pause,
                            **{k: counts.get(k, 0) for k in ("new", "duplicate", "failed", "mentions")})
        return state, report

    def _report(self, report: PollReport) -> None:
        if self.on_report is not None:
            self.on_report(report)

    def _fail(self, failure: Failure) -> None:
        if self.on_failure is not None:
            self.on_failure(failure)

    # ------------------------------------------------------------ alerts
    def _check_alerts(self) -> None:
        self.summary.alerts_fired += check_alerts(self.store, self.on_alert)

    def _deliver_owed(self) -> None:
        deliver_owed(self.store, self.on_alert)

