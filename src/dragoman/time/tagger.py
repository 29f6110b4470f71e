"""Rule-based TIMEX3 tagger: recognise time expressions with the patterns of ``data/patterns.yaml`` and
resolve them against the publication date, the tense of the governing verb and the last date mentioned.

Conventions (TimeML / TIMEX3, as in TimeBank):
- Values never carry the modifier: "late 2019" is value ``2019`` with mod ``END``; the bounds carry it
  (2019-09-01..2019-12-31).
- "last year" / "this month" / "next week" are calendar units (``2019``, ``2020-06``, ``2020-W25``); "the past
  three years" is a duration (``P3Y``); "now" / "currently" are ``PRESENT_REF``, "recently" ``PAST_REF``.
- A bare month or weekday is resolved by tense: in a past clause the latest one not after the publication date,
  in a future clause the next one; with no tense, a weekday is taken as past (news reports what happened) and a
  month as the publication year.
- "the following year", "that day", "a year earlier", "the year-ago quarter" are anaphoric: resolved against the
  last date the text mentioned (the temporal focus), else against the publication date.
- "days before the vote" has no calendar value: it is ``PAST_REF`` (or ``FUTURE_REF``) bounded to the ten days
  before (after) the last day-precise date mentioned, else the publication date. This dates an event reported
  as happening "days before" something dated earlier in the article to that window.
- Ordinals are not dates: "the 7th raid" is not tagged; "on the 19th" is, when no noun follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Doc, Token

from dragoman import settings
from dragoman.model import EventDate, TimeExpression
from dragoman.nlp import doc_text
from dragoman.time import calendar as cal
from dragoman.time.dating import EventDating, StorySentence, StoryTime
from dragoman.time.lexicon import Pattern, TimeLexicon, load_lexicon, lower_matchable
from dragoman.time.tense import Tense, governing_verb, span_tense

# Words before a bare ambiguous month ("May", "March") that make it a date.
_MONTH_CUES = frozenset({
    "in", "since", "by", "until", "till", "of", "during", "from", "through", "to", "last", "next", "this",
    "early", "late", "mid", "before", "after", "on", "between", "and", "or", "end", "throughout",
    "early-", "late-", "mid-",
})
# Nouns after a year that show it is a count ("2000 shares"), not a year.
_YEAR_STOP_ENTS = frozenset({"MONEY", "CARDINAL", "QUANTITY", "PERCENT"})
_YEAR_CUES = frozenset({"in", "since", "of", "by", "from", "until", "to", "during", "year", "circa", "before",
                        "after", "through", "between", "fiscal", "early", "late", "mid", "and", "the"})
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_SET_WORDS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
              "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}
_SPOKEN = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "one": 1, "two": 2, "three": 3, "four": 4,
           "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_REF_VALUES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
# How far "days / weeks / months before X" reaches back from X: (nearest, farthest) in days.
_VAGUE_REACH = {"days": (1, 10), "weeks": (7, 56), "months": (28, 365)}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


@dataclass
class _Match:
    start: int
    end: int
    prio: int
    pattern: Pattern
    groups: dict[str, str | None]


@dataclass
class _Focus:
    """The temporal focus: the last calendar date the text mentioned (for anaphoric expressions)."""

    value: str | None = None
    gran: str | None = None  # day, week, month, quarter, season, year, decade
    day: date | None = None  # a representative day of ``value``
    last_day: date | None = None  # the last day-precise date mentioned
    verb: int = -1  # the verb whose clause ``value`` dated (-1: it dated a noun)
    here: int = 0  # the governing verb of the expression being resolved

    def update(self, value: str, gran: str, lo: str, verb: int = -1) -> None:
        self.value, self.gran, self.day, self.verb = value, gran, cal.parse_iso(lo), verb
        if gran == "day":
            self.last_day = self.day

    def past_year(self, dct: date) -> int | None:
        """The year of a past year the text has just named for the same clause ("spent four months in jail last
        year after his detention in May"): a bare month there is that year's."""
        if self.gran != "year" or not self.value or not self.value.isdigit() or self.verb < 0 or self.verb != self.here:
            return None
        year = int(self.value)
        return year if year < dct.year else None


@dataclass
class _Resolved:
    value: str
    mod: str | None = None
    type: str | None = None  # overrides the pattern's type
    range_start: str | None = None
    range_end: str | None = None
    precision: str | None = None


class TimeTagger:
    """Finds TIMEX3 expressions in a parsed Doc and dates events from them. Loads its data once."""

    def __init__(self, lexicon: TimeLexicon | None = None) -> None:
        self.lex = lexicon or load_lexicon()
        self.data_hash: str = self.lex.data_hash
        self.dating = EventDating(self.lex)
        # Abbreviations keep their full stop ("Sept."); after a full name or a number it ends the sentence.
        names = list(self.lex.months) + list(self.lex.weekdays)
        self._abbrev = frozenset(w for w in names if any(o != w and o.startswith(w) for o in names))

    # ------------------------------------------------------------------ recognition
    def _candidates(self, doc: Doc) -> list[_Match]:
        text = doc_text(doc)
        lowered = lower_matchable(text)
        found: list[_Match] = []
        for prio, pat in enumerate(self.lex.patterns):
            for m, groups in pat.matches(text, lowered):
                s, e = m.span("span") if groups.get("span") else m.span()
                while e > s and text[e - 1] in " \t\n":
                    e -= 1
                if text[e - 1] == "." and not self._keeps_dot(text[s:e]):
                    e -= 1
                cand = _Match(s, e, prio, pat, groups)
                if self._valid(cand, doc, text, m.start(), m.end()):
                    found.append(cand)
        # Longest match wins, then the earlier pattern: "late 2019" beats "2019", "June 11" beats "June".
        found.sort(key=lambda c: (-(c.end - c.start), c.prio, c.start))
        taken: list[_Match] = []
        for c in found:
            if all(c.end <= t.start or c.start >= t.end for t in taken):
                taken.append(c)
        return sorted(taken, key=lambda c: c.start)

    def _keeps_dot(self, matched: str) -> bool:
        last = re.search(r"([A-Za-z.]+)\.$", matched)
        return bool(last) and (last.group(1).lower() in self._abbrev or "." in last.group(1))

    def _word_before(self, text: str, start: int) -> str:
        # Only whitespace may separate them: "May 3. Weeks before" has no number before "Weeks".
        m = re.search(r"([\w'-]+)[ \t]*\n?[ \t]*$", text[max(0, start - 30):start])
        return m.group(1).lower() if m else ""

    def _valid(self, c: _Match, doc: Doc, text: str, mstart: int, mend: int) -> bool:
        g = c.groups
        kind = c.pattern.kind
        month = g.get("month")
        if month:
            if not month[0].isupper():
                return False  # month names are capitalised; "may" / "march" in lower case are verbs
            bare = not (g.get("day") or g.get("year") or g.get("rel"))
            if bare and month.lower() in self.lex.ambiguous_months and not g.get("mod"):
                before = self._word_before(text, mstart)
                if before not in _MONTH_CUES:
                    return False
                if month.lower() == "may" and re.match(r"\s+(?:be|have|not|also|well|still|yet)\b", text[mend:]):
                    return False
        weekday = g.get("weekday")
        if weekday:
            if not weekday[0].isupper():
                return False
            # "Sun", "Sat", "Wed" without a full stop are words or names, not weekdays.
            abbrev = weekday.lower() in self.lex.weekday_need_dot
            if abbrev and kind == "weekday" and not text[mstart:mend].rstrip().endswith("."):
                return False
        if kind == "year":
            return self._valid_year(c, doc, text, mstart)
        if kind == "day_only":
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            if span is None:
                return False
            nxt = doc[span.end] if span.end < len(doc) else None
            return not (nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"))
        if kind == "season":
            rel = (g.get("rel") or "").lower()
            if not (rel or g.get("year") or g.get("mod")):
                return False
            if rel == "the" and re.match(r"\s+of\s+(?!\d)", text[mend:]):
                return False  # "the fall of Kabul"
            if g["season"][0].isupper() and not g.get("year") and rel in ("", "the"):
                return False  # "Arab Spring", "Operation Autumn"
        if kind == "duration":
            unit = (g.get("unit") or "").lower()
            num = _norm(g.get("num") or "")
            if num in ("a", "an") and unit.startswith(("second", "quarter")):
                return False  # "a second round", "a quarter of"
            if unit.startswith("quarter") and re.match(r"\s+of\b", text[mend:]):
                return False
            if num in ("some", "many") and not unit.endswith("s"):
                return False
        if kind == "vague_before":
            before = self._word_before(text, mstart)
            if before.isdigit() or before in self.lex.numbers:
                return False  # "ten days before" is a duration
        if kind == "quarter" and not g.get("ord") and not g.get("rel") and re.match(r"\s+of\s", text[mend:]):
            return False
        if kind == "ref":
            ref = _norm(g["ref"])
            if ref in ("future", "the future") and re.match(r"\s+of\b", text[mend:]):
                return False  # "the future of the alliance" is a topic, not a time
            if ref in ("current", "future", "recent"):
                # Adjectives count only before a noun: "current conditions", not "alternating current".
                span = doc.char_span(c.start, c.end, alignment_mode="expand")
                if span is None or span.end >= len(doc) or doc[span.end].pos_ not in ("NOUN", "PROPN", "ADJ"):
                    return False
        if kind == "time" and g.get("ampm") and (g["ampm"].lower() == "am") and not g.get("minute"):
            return bool(re.match(r"\d", text[c.start:c.end]))
        return True

    def _valid_year(self, c: _Match, doc: Doc, text: str, mstart: int) -> bool:
        g = c.groups
        year = int(g["year"])
        if text[max(0, mstart - 1):mstart] in ("$", "#", "£", "€") or re.match(r"\s*(?:%|percent)", text[c.end:]):
            return False
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        before = self._word_before(text, mstart)
        cue = (bool(g.get("mod")) or before in _YEAR_CUES or before in self.lex.months
               or text[c.start:c.end].lower().startswith("fiscal"))
        if span is not None:
            tok = span[-1]
            if tok.ent_type_ in _YEAR_STOP_ENTS and not cue:
                return False
            nxt = doc[span.end] if span.end < len(doc) else None
            if nxt is not None and nxt.tag_ == "NNS" and not cue and nxt.lower_ not in ("elections", "games", "talks", "accords"):
                return False  # "2000 shares", "1500 troops"
            if nxt is not None and nxt.lower_ in ("to", "-", "–") and not cue:
                # "1,200 to 1,500" is a range of counts; "1990 to 1995" is fine when cued ("from 1990 to").
                nn = doc[span.end + 1] if span.end + 1 < len(doc) else None
                if nn is not None and nn.like_num and len(nn.text) != 4:
                    return False
        if year < 1900 and not cue:
            return False
        return 1000 <= year <= 2099

    # ------------------------------------------------------------------ resolution helpers
    @staticmethod
    def _since_before(doc: Doc, start: int) -> bool:
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None:
            return False
        return any(t.lower_ == "since" for t in doc[max(span.sent.start, span.start - 4):span.start])

    def _tense(self, doc: Doc, s: int, e: int) -> Tense | None:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span_tense(span, self.lex.future_auxiliaries, self.lex.future_verbs, self.lex.attempt_verbs)

    def _num(self, raw: str | None) -> int | str:
        if not raw:
            return 1
        s = _norm(raw).replace("-", " ")
        if re.fullmatch(r"\d+(?:[.,]\d+)?(?: 1/2)?", s):
            s = s.split()[0].replace(",", "")
            try:
                return int(float(s))
            except ValueError:
                return "X"
        parts = s.split()
        if len(parts) == 2 and parts[0] in self.lex.numbers and parts[1] in self.lex.numbers:
            a, b = self.lex.numbers[parts[0]], self.lex.numbers[parts[1]]
            if isinstance(a, int) and isinstance(b, int):
                return a + b
        v = self.lex.numbers.get(s, "X")
        return v

    def _mod(self, raw: str | None) -> str | None:
        if not raw:
            return None
        return self.lex.modifiers.get(_norm(raw))

    @staticmethod
    def _pick_day(cands: list[date], ref: date, tense: Tense | None, default: str = "nearest",
                  cap: int = settings.TIME_TENSE_REACH_DAYS) -> date:
        """Choose among candidate days by tense: past -> latest not after ref; future -> earliest not before."""
        past = [d for d in cands if d <= ref]
        fut = [d for d in cands if d >= ref]
        # The verb's tense decides only within reach: a parse that hangs "payable Jan. 15" under a past "said"
        # should not send the date a year back when it is weeks ahead.
        if tense == "past" and past and (ref - max(past)).days <= cap:
            return max(past)
        if tense == "future" and fut and (min(fut) - ref).days <= cap:
            return min(fut)
        if default == "past" and past:
            return max(past)
        return min(cands, key=lambda d: (abs((d - ref).days), d < ref))

    def _weekday_day(self, wd: int, rel: str, ref: date, tense: Tense | None) -> date:
        back = (ref.isoweekday() - wd) % 7
        last = ref - timedelta(days=back)  # latest such day on or before ref
        nxt = ref + timedelta(days=(wd - ref.isoweekday()) % 7)
        if rel in ("last", "previous", "the previous", "this past"):
            return last if back else last - timedelta(days=7)
        if rel in ("next", "following", "the following", "this coming"):
            return nxt if nxt != ref else nxt + timedelta(days=7)
        if rel == "this":
            return nxt if tense == "future" else last
        if tense == "future":
            return nxt
        if tense == "present":
            return last if back <= (nxt - ref).days else nxt
        return last

    # ------------------------------------------------------------------ resolvers (one per kind)
    def _resolve(self, c: _Match, doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        """The expression's value, or None when it has none in the calendar: date arithmetic that leaves
        Python's years 1..9999 ("3,000,000 days ago", "next year" published in 9999) resolves to nothing."""
        fn = getattr(self, f"_r_{c.pattern.kind}")
        try:
            return fn(c, c.groups, doc, dct, focus)
        except (ValueError, OverflowError):
            return None

    def _r_date(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        month = int(g["monthnum"]) if g.get("monthnum") else self.lex.months[_norm(g["month"]).rstrip(".")]
        day = int(g["day"]) if g.get("day") else None
        mod = self._mod(g.get("mod"))
        if g.get("year"):
            y = int(g["year"])
        elif dct is None:
            return _Resolved(f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""), mod)
        else:
            found = self._year_of(month, day, c, doc, dct, focus)
            if found is None:
                return None
            y = found
        if day:
            try:
                return _Resolved(date(y, month, day).isoformat(), mod)
            except ValueError:
                return None
        return _Resolved(cal.month_value(y, month), mod)

    def _year_of(self, month: int, day: int | None, c: _Match, doc: Doc, dct: date, focus: _Focus) -> int | None:
        """The year of a month (and day) named without one: that of a past year the text has just named, else
        the one the verb's tense points to."""
        tense = self._tense(doc, c.start, c.end)
        if tense != "future" and (focus_year := focus.past_year(dct)) is not None:
            return focus_year
        # "since" is certain; a verb's tense is trusted only within reach (see _pick_day).
        cap = 400 if self._since_before(doc, c.start) else settings.TIME_TENSE_REACH_DAYS
        years = [dct.year - 1, dct.year, dct.year + 1]
        if day:
            cands = []
            for yy in years:
                try:
                    cands.append(date(yy, month, day))
                except ValueError:
                    continue
            if not cands:
                return None
            return self._pick_day(cands, dct, tense, cap=cap).year
        ref = date(dct.year, dct.month, 1)
        firsts = [date(yy, month, 1) for yy in years]
        return self._pick_day(firsts, ref, tense, cap=cap).year

    def _r_month_rel(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        month = self.lex.months[_norm(g["month"]).rstrip(".")]
        rel = _norm(g["rel"])
        if dct is None:
            return _Resolved(f"XXXX-{month:02d}")
        if c.pattern.name == "month_relative_year":  # "June last year"
            y = dct.year + self.lex.relative[rel]
        elif rel in ("last", "this past"):
            # "last February" written in March is a year back: the month just gone would be "last month".
            y = dct.year if month < dct.month - 1 else dct.year - 1
        elif rel in ("next", "this coming"):
            y = dct.year if month > dct.month else dct.year + 1
        else:
            y = dct.year
        if g.get("day"):  # "last March 9"

            try:
                d = date(y, month, int(g["day"]))
            except ValueError:
                return None
            if rel in ("last", "this past") and d > dct:
                d = d.replace(year=d.year - 1)
            return _Resolved(d.isoformat())
        return _Resolved(cal.month_value(y, month))

    def _r_day_only(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        day = int(g["day"])
        ref = focus.day if focus.gran in ("day", "month") and focus.day else dct
        if ref is None:
            return _Resolved(f"XXXX-XX-{day:02d}")
        tense = self._tense(doc, c.start, c.end)
        cands = []
        for k in (-1, 0, 1):
            y, m = cal.add_months(ref.year, ref.month, k)
            if day <= cal.last_day(y, m):
                cands.append(date(y, m, day))
        if not cands:
            return None
        return _Resolved(self._pick_day(cands, ref, tense, "past").isoformat())

    def _r_weekday(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        wd = self.lex.weekdays[_norm(g["weekday"]).rstrip(".")]
        rel = _norm(g.get("rel") or "")
        mod = self._mod(g.get("mod"))
        anaphoric = rel in ("the previous", "the following", "previous", "following")
        ref = focus.last_day if anaphoric and focus.last_day else dct
        if ref is None:
            return _Resolved(f"XXXX-WXX-{wd}", mod)
        tense = self._tense(doc, c.start, c.end)
        return _Resolved(self._weekday_day(wd, rel, ref, tense).isoformat(), mod)

    def _r_deictic(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        word = g["word"].lower()
        raw_mod = (g.get("mod") or "").lower()
        mod = {"early": "START", "late": "END"}.get(raw_mod)
        if dct is None:
            return _Resolved("PRESENT_REF" if word in ("today", "tonight") else
                             "PAST_REF" if word == "yesterday" else "FUTURE_REF", mod)
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
        return _Resolved((dct + timedelta(days=shift)).isoformat(), mod)

    def _r_holiday(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        h = self.lex.holidays[_norm(g["holiday"])]

        def on(y: int) -> date:
            if "day" in h:
                return date(y, h["month"], h["day"])
            return cal.nth_weekday(y, h["month"], h["weekday"], h["nth"])

        if g.get("year"):
            return _Resolved(on(int(g["year"])).isoformat())
        if dct is None:
            return _Resolved(f"XXXX-{h['month']:02d}" + (f"-{h['day']:02d}" if "day" in h else ""))
        rel = _norm(g.get("rel") or "")
        cands = [on(y) for y in (dct.year - 1, dct.year, dct.year + 1)]
        tense: Tense | None = {"last": "past", "next": "future"}.get(rel) or self._tense(doc, c.start, c.end)
        return _Resolved(self._pick_day(cands, dct, tense).isoformat())

    def _r_rel_unit(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        unit = _norm(g["unit"])
        rel = _norm(g.get("rel") or "")
        raw_mod = _norm(g.get("mod") or "")
        mod = self.lex.modifiers.get(raw_mod)
        direction = {"this past": -1, "this coming": 1}.get(rel, self.lex.relative.get(rel, 0))
        anaphoric = rel in ("following", "previous", "preceding")
        ref = focus.day if anaphoric and focus.day else dct
        if ref is None:
            return _Resolved({-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}[direction], mod)
        if unit in ("fiscal year", "full year", "year"):
            return _Resolved(str(ref.year + direction), mod)
        if unit == "month":
            return _Resolved(cal.month_value(*cal.add_months(ref.year, ref.month, direction)), mod)
        if unit == "week":
            return _Resolved(cal.week_value(ref + timedelta(weeks=direction)), mod)
        if unit == "weekend":
            tense = self._tense(doc, c.start, c.end)
            if direction > 0 or (direction == 0 and tense == "future"):
                sat = ref + timedelta(days=(6 - ref.isoweekday()) % 7)
            else:
                sat = ref - timedelta(days=(ref.isoweekday() - 6) % 7 or 7)
            return _Resolved(cal.week_value(sat) + "-WE", mod)
        if unit == "decade":
            return _Resolved(str(ref.year // 10 + direction), mod)
        if unit == "century":
            return _Resolved(f"{ref.year // 100 + direction:02d}", mod)
        return None

    def _r_ago(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        n = self._num(g.get("num"))
        unit_word = _norm(g["unit"]).rstrip("s")
        code = self.lex.units.get(unit_word) or self.lex.units.get(unit_word.replace("centurie", "century"))
        word = _norm(g["word"])
        direction = -1 if word in ("ago", "earlier") else 1
        ref = (focus.day or dct) if word in ("earlier", "later") else dct
        if ref is None or n == "X" or code is None:
            return _Resolved("PAST_REF" if direction < 0 else "FUTURE_REF")
        assert isinstance(n, int)
        k = n * direction
        if code == "Y" and n == 1 and word in ("ago", "earlier") and focus.gran == "quarter" and focus.value:
            # Earnings-report idiom: "a year ago" next to a quarter is the same quarter a year before.
            fy, fq = int(focus.value[:4]), int(focus.value[-1])
            return _Resolved(f"{fy - 1}-Q{fq}")
        if code == "D":
            return _Resolved((ref + timedelta(days=k)).isoformat())
        if code == "W":
            return _Resolved(cal.week_value(ref + timedelta(weeks=k)))
        if code == "M":
            return _Resolved(cal.month_value(*cal.add_months(ref.year, ref.month, k)))
        if code == "Q":
            y, q = cal.add_quarters(ref.year, cal.quarter_of(ref), k)
            return _Resolved(f"{y}-Q{q}")
        if code == "Y":
            return _Resolved(str(ref.year + k))
        if code == "DE":
            return _Resolved(str(ref.year + 10 * k))
        if code == "CE":
            return _Resolved(f"{ref.year // 100 + k:02d}")
        return _Resolved(ref.isoformat(), type="TIME")  # hours / minutes ago: the day itself

    def _r_vague_before(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        unit = _norm(g["unit"])
        after = _norm(g["word"]) == "after"
        near, far = _VAGUE_REACH[unit]
        anchor = focus.last_day if focus.last_day and (dct is None or focus.last_day <= dct or after) else dct
        if anchor is None:
            return _Resolved("FUTURE_REF" if after else "PAST_REF")
        if after:
            lo, hi = anchor + timedelta(days=near), anchor + timedelta(days=far)
        else:
            lo, hi = anchor - timedelta(days=far), anchor - timedelta(days=near)
        value = "FUTURE_REF" if dct is not None and lo > dct else "PAST_REF"
        precision = "week" if unit == "days" else "month"
        return _Resolved(value, range_start=lo.isoformat(), range_end=hi.isoformat(), precision=precision)

    def _focus_quarter(self, focus: _Focus, dct: date | None) -> tuple[int, int] | None:
        if focus.gran == "quarter" and focus.value and re.fullmatch(r"\d{4}-Q[1-4]", focus.value):
            return int(focus.value[:4]), int(focus.value[-1])
        if dct is None:
            return None
        return cal.add_quarters(dct.year, cal.quarter_of(dct), -1)  # the last completed quarter

    def _r_year_ago(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        unit = _norm(g.get("unit") or "")
        base_q = self._focus_quarter(focus, dct)
        if g.get("ord"):
            q = self.lex.ordinals.get(_norm(g["ord"]))
            y = (base_q[0] if base_q else (dct.year if dct else None))
            if y is None or q is None or q > 4:
                return _Resolved("PAST_REF")
            return _Resolved(f"{y - 1}-Q{q}")
        if unit in ("quarter", "period") or (not unit and focus.gran == "quarter"):
            if base_q is None:
                return _Resolved("PAST_REF")
            return _Resolved(f"{base_q[0] - 1}-Q{base_q[1]}")
        ref = focus.day or dct
        if ref is None:
            return _Resolved("PAST_REF")
        if unit == "month":
            return _Resolved(cal.month_value(ref.year - 1, ref.month))
        return _Resolved(str(ref.year - 1))

    def _r_anaphor(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        unit = _norm(g["unit"])
        ref = focus.day or dct
        if ref is None:
            return None
        if unit == "day":
            return _Resolved((focus.last_day or ref).isoformat())
        if unit == "week":
            return _Resolved(cal.week_value(ref))
        if unit == "month":
            return _Resolved(cal.month_value(ref.year, ref.month))
        if unit == "quarter":
            q = self._focus_quarter(focus, dct)
            return _Resolved(f"{q[0]}-Q{q[1]}") if q else None
        return _Resolved(str(ref.year))

    def _r_year_end(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        if dct is None:
            return _Resolved("XXXX-12-31")
        past = bool(g.get("rel")) or self._tense(doc, c.start, c.end) == "past"
        return _Resolved(f"{dct.year - 1 if past else dct.year}-12-31")

    def _r_quarter(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        rel = _norm(g.get("rel") or "")
        q = self.lex.ordinals.get(_norm(g["ord"])) if g.get("ord") else None
        if g.get("ord") and q is None:
            q = int(g["ord"][0])
        if q is not None and not 1 <= q <= 4:
            return None
        year = g.get("year") or g.get("year2")
        if year:
            return _Resolved(f"{year}-Q{q}") if q else _Resolved(str(year))
        if dct is None:
            return _Resolved(f"XXXX-Q{q}") if q else _Resolved("PAST_REF")
        if rel == "current":
            return _Resolved(f"{dct.year}-Q{cal.quarter_of(dct)}")
        if rel == "next":
            y, qq = cal.add_quarters(dct.year, cal.quarter_of(dct), 1)
            return _Resolved(f"{y}-Q{qq}")
        if q is None and rel in ("latest", "last", "previous", "recent"):
            y, qq = cal.add_quarters(dct.year, cal.quarter_of(dct), -1)  # the last completed quarter
            return _Resolved(f"{y}-Q{qq}")
        if q is None:  # "the quarter", "that quarter": the one the text is talking about
            fq = self._focus_quarter(focus, dct)
            return _Resolved(f"{fq[0]}-Q{fq[1]}") if fq else None
        y = dct.year
        if rel in ("same", "comparable") and focus.gran == "quarter" and focus.value:
            y = int(focus.value[:4])
        elif q > cal.quarter_of(dct) and self._tense(doc, c.start, c.end) == "past":
            y -= 1  # "posted fourth-quarter results" in February: last year's fourth quarter

        return _Resolved(f"{y}-Q{q}")

    def _r_period(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        fq = self._focus_quarter(focus, dct) if focus.gran == "quarter" else None
        if g.get("year"):
            return _Resolved(f"{g['year']}-Q{fq[1]}" if fq else str(g["year"]))
        if _norm(g.get("rel") or "") == "latest" and dct is not None:
            y, qq = cal.add_quarters(dct.year, cal.quarter_of(dct), -1)
            return _Resolved(f"{y}-Q{qq}")
        fq = self._focus_quarter(focus, dct)
        return _Resolved(f"{fq[0]}-Q{fq[1]}") if fq else None

    def _r_spoken_year(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        parts = re.split(r"[\s-]+", g["spoken"].lower())
        y = 1900 + sum(_SPOKEN.get(p, 0) for p in parts)
        if g.get("month"):
            return _Resolved(cal.month_value(y, self.lex.months[_norm(g["month"]).rstrip(".")]))
        return _Resolved(str(y))

    def _r_year(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        return _Resolved(str(int(g["year"])), self._mod(g.get("mod")))

    def _r_decade(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        mod = self._mod(g.get("mod"))
        if g.get("decade"):
            return _Resolved(g["decade"][:3], mod)
        short = int(g["short"])
        century = (dct.year // 100) if dct else 19
        if dct and century * 100 + short > dct.year:
            century -= 1
        return _Resolved(f"{century:02d}{short // 10}", mod)

    def _r_century(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        raw = _norm(g["ord"])
        n = self.lex.ordinals.get(raw)
        if n is None:
            digits = re.match(r"\d+", raw)
            n = int(digits.group()) if digits else None
        if not n:
            return None
        return _Resolved(f"{n - 1:02d}", self._mod(g.get("mod")))

    def _r_season(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        code = self.lex.seasons[_norm(g["season"])]
        mod = self._mod(g.get("mod"))
        if g.get("year"):
            return _Resolved(f"{g['year']}-{code}", mod)
        if dct is None:
            return _Resolved(f"XXXX-{code}", mod)
        rel = _norm(g.get("rel") or "")

        def span_of(y: int) -> tuple[date, date]:
            sm = _SEASON_START[code]
            ey, em = cal.add_months(y, sm, 2)
            return date(y, sm, 1), date(ey, em, cal.last_day(ey, em))

        occ = [(y, *span_of(y)) for y in range(dct.year - 2, dct.year + 2)]
        ended = [o for o in occ if o[2] < dct]
        started = [o for o in occ if o[1] <= dct]
        coming = [o for o in occ if o[2] >= dct]
        if rel in ("last", "this past"):
            y = ended[-1][0]
        elif rel in ("next", "this coming"):
            y = [o for o in occ if o[1] > dct][0][0]
        elif rel == "this":  # the season of the publication year (winter in Jan/Feb: the one that began in Dec)
            y = dct.year - 1 if code == "WI" and dct.month <= 2 else dct.year
        else:
            tense = self._tense(doc, c.start, c.end)
            if tense == "past":
                y = started[-1][0]
            elif tense == "future":
                y = coming[0][0]
            else:
                y = dct.year
        return _Resolved(f"{y}-{code}", mod)

    def _r_ref(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        return _Resolved(self.lex.references[_norm(g["ref"])])

    def _r_duration(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        unit_word = _norm(g["unit"]).rstrip("s").replace("centurie", "century")
        code = self.lex.units.get(unit_word)
        if code is None:
            return None
        n = self._num(g.get("num")) if g.get("num") else "X"
        if code == "DE":
            return _Resolved(f"P{n * 10}Y" if isinstance(n, int) else "PXDE")
        if code == "CE":
            return _Resolved(f"P{n}CE")
        if code.startswith("T"):
            return _Resolved(f"PT{n}{code[1]}")
        return _Resolved(f"P{n}{code}")

    def _r_set(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        if g.get("word"):
            return _Resolved(_SET_WORDS[g["word"].lower()])
        code = self.lex.units[_norm(g["unit"])]
        return _Resolved(f"PT1{code[1]}" if code.startswith("T") else f"P1{code}")

    def _r_time(self, c: _Match, g: dict[str, Any], doc: Doc, dct: date | None, focus: _Focus) -> _Resolved | None:
        day: str = "XXXX-XX-XX"
        if dct is not None:
            d = dct
            if g.get("weekday"):
                wd = self.lex.weekdays[_norm(g["weekday"]).rstrip(".")]
                d = self._weekday_day(wd, "", dct, self._tense(doc, c.start, c.end))
            elif g.get("word"):
                d = dct + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[g["word"].lower()])
            elif g.get("month") and g.get("day"):
                r = self._r_date(c, {"month": g["month"], "day": g["day"]}, doc, dct, focus)
                if r is None:
                    return None
                d = date.fromisoformat(r.value)
            day = d.isoformat()
        if g.get("overnight"):
            return _Resolved(f"{day}TNI")
        if g.get("part"):
            return _Resolved(f"{day}T{self.lex.parts_of_day[g['part'].lower()]}")
        hour_raw = g["hour"].lower()
        if hour_raw in ("noon", "midday"):
            return _Resolved(f"{day}T12:00")
        if hour_raw == "midnight":
            return _Resolved(f"{day}T24:00")
        hour = int(hour_raw)
        minute = int(g.get("minute") or 0)
        if hour > 12 or minute > 59:
            return None
        pm = g["ampm"].lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
        return _Resolved(f"{day}T{hour:02d}:{minute:02d}")

    # ------------------------------------------------------------------ public API
    def find(self, doc: Doc, published: str | None, article_id: str, offset: int = 0) -> list[TimeExpression]:
        """TIMEX3 expressions of ``doc`` (a chunk starting at article offset ``offset``), in text order."""
        dct = cal.parse_iso(published)
        focus = _Focus()
        out: list[TimeExpression] = []
        for c in self._candidates(doc):
            focus.here = self._clause_of(doc, c)
            r = self._resolve(c, doc, dct, focus)
            if r is None:
                continue
            ttype = r.type or c.pattern.type
            rs, re_, precision = r.range_start, r.range_end, r.precision
            if ttype == "DATE" and rs is None:
                b = cal.bounds(r.value, r.mod)
                if b is not None:
                    rs, re_, precision = b
                    if r.value not in _REF_VALUES and self._sets_focus(c):
                        focus.update(r.value, precision, b[0], self._clause_of(doc, c))
            out.append(TimeExpression(
                article_id=article_id, start=c.start + offset, end=c.end + offset, text=doc_text(doc)[c.start:c.end],
                type=ttype,  # type: ignore[arg-type]
                value=r.value, mod=r.mod,  # type: ignore[arg-type]
                range_start=rs, range_end=re_, precision=precision or "unknown",  # type: ignore[arg-type]
            ))
        return out

    @staticmethod
    def _clause_of(doc: Doc, c: _Match) -> int:
        """The index of the verb whose clause the expression dates, through a preposition or a noun it hangs from
        ("after his detention in May" dates "spent"); -1 when it hangs from a noun's own clause or none."""
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            return -1
        verb = governing_verb(span.root)
        return verb.i if verb is not None else -1

    @staticmethod
    def _sets_focus(c: _Match) -> bool:
        # Expressions resolved against the focus ("a year earlier", "that quarter") do not move it, so a run of
        # comparisons in an earnings report keeps pointing at the quarter being reported.
        kind = c.pattern.kind
        if kind in ("ago", "year_ago", "anaphor", "period", "vague_before"):
            return False
        return not (kind == "quarter" and not c.groups.get("ord"))

    def event_date(self, trigger: Token, exprs: list[TimeExpression], published: str | None,
                   offset: int = 0) -> EventDate:
        """The date of the event ``trigger`` denotes from its sentence alone: the expression attached to its
        clause in the parse, else one of a clause containing it, else the publication date, else unknown. Only
        expressions with calendar bounds count (:meth:`date_event` also reads tense and the story)."""
        return self.dating.date_event(trigger, exprs, published, offset)

    def date_event(self, anchor: Token, exprs: list[TimeExpression], published: str | None, offset: int = 0,
                   factuality: str = "asserted", story: StoryTime | None = None,
                   event: Token | None = None, speech: bool = False) -> EventDate:
        """The date of the event whose clause ``anchor`` heads, from its sentence, its tense and factuality, and
        the story's thread of times (:mod:`dragoman.time.dating`); ``speech``: a verbal act (a statement,
        appeal, demand, criticism, rejection or threat)."""
        return self.dating.date_event(anchor, exprs, published, offset, factuality, story, event, speech)

    def story_sentences(self, doc: Doc, exprs: list[TimeExpression], offset: int,
                        published: str | None) -> list[StorySentence]:
        """The chunk's sentences for the story's thread of times (:class:`StoryTime`)."""
        return self.dating.story_sentences(doc, exprs, offset, published)

    def is_historical(self, date_: EventDate, published: str | None) -> bool:
        """True when the event's date ends more than ``settings.HISTORICAL_AFTER_DAYS`` before publication."""
        pub = cal.parse_iso(published)
        end = cal.parse_iso(date_.end)
        if pub is None or end is None:
            return False
        return (pub - end).days > settings.HISTORICAL_AFTER_DAYS
