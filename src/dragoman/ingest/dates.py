"""Publication dates from metadata, normalised to a UTC calendar date (``YYYY-MM-DD``) or ``None``.

A date is never invented: a value that cannot be read as a date gives ``None``, and the caller keeps the raw
value in ``Article.extra`` so nothing is lost.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise_date(value: object) -> str | None:
    """``value`` (ISO 8601 date or timestamp, RFC 2822 timestamp, ``datetime``, ``date`` or ``time.struct_time``
    as feedparser gives) as the UTC calendar date it falls on.

    A timestamp with an offset is converted to UTC ("2024-03-05T23:30-05:00" is 2024-03-06); a naive timestamp is
    taken as UTC; a bare date stays as it is (it has no time to convert).
    """
    if value is None:
        return None
    if isinstance(value, time.struct_time):  # feedparser's *_parsed fields are UTC already
        try:
            return date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
        except ValueError:
            return None
    if isinstance(value, datetime):
        return _utc_day(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if _DATE_ONLY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return _utc_day(datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")))
    except ValueError:
        pass
    try:
        return _utc_day(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _utc_day(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.date().isoformat()
