"""Publication dates from metadata, normalised to a UTC calendar date (``YYYY-MM-DD``) or ``None``.

A date is never invented: a value that cannot be read as a date gives ``None``, and the caller keeps the raw
value in ``Article.extra`` so nothing is lost. Nor is an absurd one kept: a year outside
``settings.PUBLISHED_MIN_YEAR``..``PUBLISHED_MAX_YEAR`` ("9999-12-31", "0001-01-01") is no publication date, and
would only send date arithmetic downstream out of the calendar's range.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from dragoman import settings

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise_date(value: object) -> str | None:
    """``value`` (ISO 8601 date or timestamp, RFC 2822 timestamp, ``datetime``, ``date`` or ``time.struct_time``
    as feedparser gives) as the UTC calendar date it falls on.

    A timestamp with an offset is converted to UTC ("2024-03-05T23:30-05:00" is 2024-03-06); a naive timestamp is
    taken as UTC; a bare date stays as it is (it has no time to convert).
    """
    try:
        day = _utc_date(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a year-9999 time east of UTC
        return None
    return day.isoformat() if day is not None and in_range(day) else None


def in_range(day: date) -> bool:
    """Whether ``day`` can be a publication date (its year within the settings' bounds)."""
    return settings.PUBLISHED_MIN_YEAR <= day.year <= settings.PUBLISHED_MAX_YEAR


def _utc_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, time.struct_time):  # feedparser's *_parsed fields are UTC already
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, datetime):
        return _utc_day(value)
    if isinstance(value, date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) > 10**12:
        return None  # str() of a huge number is slow and no date anyway
    text = str(value).strip()
    if not text or len(text) > 100:
        return None
    if _DATE_ONLY.match(text):
        return date.fromisoformat(text)
    try:
        return _utc_day(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        pass
    return _utc_day(parsedate_to_datetime(text))


def _utc_day(dt: datetime) -> date:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.date()
