"""Calendar arithmetic on TIMEX3 values: building values from dates, and calendar bounds from values.

``bounds(value, mod)`` is the one place that says which days a DATE value covers, so the event date, the
historical test and the CLI agree. Mods narrow a span to its first, middle or last third (a month: days 1-10,
11-20, 21-end; a year: Jan-Apr, May-Aug, Sep-Dec), which is how "late 2019" becomes 2019-09-01..2019-12-31.
"""

from __future__ import annotations

import calendar as _cal
import re
from datetime import date, timedelta

from dragoman.model import DatePrecision

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # WI runs into next Feb


def parse_iso(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def day_value(d: date) -> str:
    return d.isoformat()


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def week_value(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def add_quarters(y: int, q: int, n: int) -> tuple[int, int]:
    k = y * 4 + (q - 1) + n
    return k // 4, k % 4 + 1


def last_day(y: int, m: int) -> int:
    return _cal.monthrange(y, m)[1]


def nth_weekday(y: int, m: int, weekday: int, nth: int) -> date:
    """The nth ISO weekday of a month (nth -1: the last; 0: the one after the first Monday, US Election Day)."""
    if nth == 0:
        first_monday = nth_weekday(y, m, 1, 1)
        return first_monday + timedelta(days=1)
    if nth < 0:
        d = date(y, m, last_day(y, m))
        while d.isoweekday() != weekday:
            d -= timedelta(days=1)
        return d
    d = date(y, m, 1)
    while d.isoweekday() != weekday:
        d += timedelta(days=1)
    return d + timedelta(weeks=nth - 1)


def _thirds(lo: date, hi: date, mod: str | None, month_level: bool) -> tuple[date, date]:
    if not mod:
        return lo, hi
    if month_level:  # a year, season or quarter: cut by months
        months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
        k = max(1, round(months / 3))
        if mod == "START":
            y, m = add_months(lo.year, lo.month, k - 1)
            return lo, date(y, m, last_day(y, m))
        if mod == "END":
            y, m = add_months(hi.year, hi.month, -(k - 1))
            return date(y, m, 1), hi
        y1, m1 = add_months(lo.year, lo.month, k)
        y2, m2 = add_months(hi.year, hi.month, -k)
        return date(y1, m1, 1), date(y2, m2, last_day(y2, m2))
    span = (hi - lo).days + 1
    k = max(1, span // 3)
    if mod == "START":
        return lo, lo + timedelta(days=k - 1)
    if mod == "END":
        return hi - timedelta(days=span - 2 * k - 1), hi
    return lo + timedelta(days=k), lo + timedelta(days=2 * k - 1)


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")


# Calendar bounds are kept a year inside Python's dates (years 1..9999), so that the later stages' arithmetic on
# them (widening a range by days, comparing spans) cannot overflow.
_FIRST_DAY, _LAST_DAY = date(2, 1, 1), date(9998, 12, 31)


def bounds(value: str | None, mod: str | None = None) -> tuple[str, str, DatePrecision] | None:
    """First and last ISO day a DATE value covers (narrowed by ``mod``), and its precision; None if none (or if
    the span lies outside years 2..9998)."""
    found = _bounds(value, mod)
    if found is None:
        return None
    lo, hi, precision = found
    if hi < _FIRST_DAY.isoformat() or lo > _LAST_DAY.isoformat():
        return None
    return max(lo, _FIRST_DAY.isoformat()), min(hi, _LAST_DAY.isoformat()), precision


def _bounds(value: str | None, mod: str | None = None) -> tuple[str, str, DatePrecision] | None:
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d.isoformat(), d.isoformat(), "day"
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if m[3]:
                return (monday + timedelta(days=5)).isoformat(), (monday + timedelta(days=6)).isoformat(), "week"
            lo, hi = _thirds(monday, monday + timedelta(days=6), mod, False)
            return lo.isoformat(), hi.isoformat(), "week"
        if m := _MONTH.match(value):
            y, mo = int(m[1]), int(m[2])
            lo, hi = _thirds(date(y, mo, 1), date(y, mo, last_day(y, mo)), mod, False)
            return lo.isoformat(), hi.isoformat(), "month"
        if m := _QUARTER.match(value):
            y, q = int(m[1]), int(m[2])
            lo, hi = _thirds(date(y, 3 * q - 2, 1), date(y, 3 * q, last_day(y, 3 * q)), mod, True)
            return lo.isoformat(), hi.isoformat(), "quarter"
        if m := _HALF.match(value):
            y, h = int(m[1]), int(m[2])
            lo, hi = _thirds(date(y, 6 * h - 5, 1), date(y, 6 * h, last_day(y, 6 * h)), mod, True)
            return lo.isoformat(), hi.isoformat(), "quarter"
        if m := _SEASON.match(value):
            y = int(m[1])
            first, last = SEASON_MONTHS[m[2]]
            ly, lm = add_months(y, 1, last - 1)
            lo, hi = _thirds(date(y, first, 1), date(ly, lm, last_day(ly, lm)), mod, True)
            return lo.isoformat(), hi.isoformat(), "season"
        if m := _YEAR.match(value):
            y = int(m[1])
            lo, hi = _thirds(date(y, 1, 1), date(y, 12, 31), mod, True)
            return lo.isoformat(), hi.isoformat(), "year"
        if m := _DECADE.match(value):
            y = int(m[1]) * 10
            lo, hi = _thirds(date(y, 1, 1), date(y + 9, 12, 31), mod, True)
            return lo.isoformat(), hi.isoformat(), "decade"
        if m := _CENTURY.match(value):
            y = int(m[1]) * 100
            lo, hi = _thirds(date(max(y, 1), 1, 1), date(y + 99, 12, 31), mod, True)
            return lo.isoformat(), hi.isoformat(), "unknown"
    except (ValueError, OverflowError):  # e.g. "2019-02-30" written in the text; "9999-W53"
        return None
    return None
