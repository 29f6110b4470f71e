"""Load and validate the time lexicon and patterns (``data/lexicon.yaml``, ``data/patterns.yaml``).

Each file declares its kind at the top: ``kind: time-lexicon`` (the words: months, weekdays, units, numbers,
holidays, ...) and ``kind: time-patterns`` (the recognition patterns, whose ``{PLACEHOLDERS}`` are filled from a
time lexicon). Every check names the file and the line of the offending entry, and every problem is reported
(:class:`dragoman.lexicons.LexiconError`), so a bad edit fails at load with a readable message rather than as a
wrong value deep in the tagger. :func:`validate_file` lists the problems of one file of either kind.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# LexiconError: the one error type of every loader, re-exported so that old imports keep working.
from dragoman.lexicons import LexiconError as LexiconError
from dragoman.lexicons import (
    Problem,
    check_kind,
    declared_kind,
    item_line,
    line_of,
    raise_if,
    read_yaml,
    strip_lines,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA_DIR / "lexicon.yaml"
PATTERNS_FILE = DATA_DIR / "patterns.yaml"
LEXICON_KIND = "time-lexicon"
PATTERNS_KIND = "time-patterns"
# Every kind of file the time package reads; validate_file dispatches on them.
FILE_KINDS = frozenset({LEXICON_KIND, PATTERNS_KIND})

# Resolver kinds the tagger implements; a pattern naming another kind is refused at load.
KINDS = frozenset({
    "date", "month_rel", "day_only", "weekday", "deictic", "holiday", "rel_unit", "ago", "vague_before",
    "year_ago", "anaphor", "year_end", "quarter", "period", "spoken_year", "year", "decade", "century",
    "season", "ref", "duration", "set", "time",
})
TYPES = frozenset({"DATE", "TIME", "DURATION", "SET"})
MODS = frozenset({"START", "MID", "END"})
REF_VALUES = frozenset({"PRESENT_REF", "PAST_REF", "FUTURE_REF"})
SEASON_CODES = frozenset({"SP", "SU", "FA", "WI"})
UNIT_CODES = frozenset({"TS", "TM", "TH", "D", "W", "M", "Q", "Y", "DE", "CE"})
_REQUIRED_SECTIONS = ("months", "ambiguous_months", "weekdays", "weekday_abbreviations_need_dot", "seasons",
                      "parts_of_day", "units", "numbers", "ordinals", "modifiers", "relative", "references",
                      "holidays", "future_verbs", "future_auxiliaries", "attempt_verbs", "statement_verbs",
                      "compound_tens", "compound_units")
_LINE_KEYS = ("__line__", "__lines__")


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    type: str
    regex: re.Pattern[str]  # case-insensitive, for any text
    # the same, case-sensitive, for the text lower-cased (see :func:`lower_matchable`): twice as fast, as Python's
    # case-insensitive alternations are slow (:func:`lower_regex`)
    lower: re.Pattern[str] | None = None

    def matches(self, text: str, lowered: str | None) -> Iterator[tuple[re.Match[str], dict[str, str | None]]]:
        """Each match in ``text`` with its named groups as written; ``lowered`` is :func:`lower_matchable`'s
        answer for ``text`` (None: match as written). A lower-cased match has the spans of the original one."""
        if lowered is None or self.lower is None:
            for m in self.regex.finditer(text):
                yield m, m.groupdict()
            return
        names = self.lower.groupindex
        for m in self.lower.finditer(lowered):
            yield m, {k: text[m.start(k):m.end(k)] if m.start(k) >= 0 else None for k in names}


@dataclass
class TimeLexicon:
    months: dict[str, int]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    weekday_need_dot: frozenset[str]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    units: dict[str, str]
    numbers: dict[str, int | str]
    ordinals: dict[str, int]
    modifiers: dict[str, str]
    relative: dict[str, int]
    references: dict[str, str]
    holidays: dict[str, dict[str, int]]
    future_verbs: frozenset[str]
    future_auxiliaries: frozenset[str]
    attempt_verbs: frozenset[str] = frozenset()  # "attempted to escape on Thursday": past when they are
    statement_verbs: frozenset[str] = frozenset()  # "the city is calm, officials said": the tense is the content's
    compound_tens: tuple[str, ...] = ()  # "twenty" in "twenty-five", in the order they are tried
    compound_units: tuple[str, ...] = ()  # "five" in "twenty-five"
    patterns: list[Pattern] = field(default_factory=list)
    data_hash: str = ""


class _Reader:
    """One time data file being read: its path, its top mapping and the problems found so far."""

    def __init__(self, path: Path, raw: dict[str, Any], problems: list[Problem]) -> None:
        self.path, self.raw, self.problems = path, raw, problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, message))

    def mapping(self, key: str, check: Callable[[Any], bool]) -> dict[str, Any]:
        section = self.raw.get(key)
        if not isinstance(section, dict) or not [k for k in section if k not in _LINE_KEYS]:
            self.problem(line_of(self.raw, key), f"{key}: must be a non-empty mapping")
            return {}
        out: dict[str, Any] = {}
        for word, value in section.items():
            if word in _LINE_KEYS:
                continue
            line = line_of(section, str(word))
            if not isinstance(word, str) or word != word.strip().lower():
                self.problem(line, f"{key}.{word!r}: keys must be lower-case strings")
            elif not check(value):
                self.problem(line, f"{key}.{word}: bad value {strip_lines(value)!r}")
            else:
                out[word] = strip_lines(value)
        return out

    def word_list(self, key: str) -> list[str]:
        section = self.raw.get(key)
        if not isinstance(section, list) or not all(isinstance(w, str) and w for w in section):
            self.problem(line_of(self.raw, key), f"{key}: must be a list of strings")
            return []
        return [w.lower() for w in section]

    def words(self, key: str) -> frozenset[str]:
        return frozenset(self.word_list(key))


def _alternation(words: list[str], plural: bool = False) -> str:
    # Longest first so "a couple of" wins over "a"; spaces match any run of whitespace.
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w))]
    return "(?:" + "|".join(parts) + ")" + ("s?" if plural else "")


def _placeholders(lex: TimeLexicon) -> dict[str, str]:
    compound = [f"{t}[\\s-]{u}" for t in lex.compound_tens for u in lex.compound_units]
    number = "(?:\\d+(?:[.,]\\d+)?(?:\\s+1/2)?|" + "|".join(compound) + "|" + _alternation(list(lex.numbers))[3:]
    unit_words = [u for u in lex.units if u != "century"] + ["centurie", "century"]
    return {
        "MONTH": _alternation(list(lex.months)),
        "WEEKDAY": _alternation(list(lex.weekdays)),
        "SEASON": _alternation(list(lex.seasons)),
        "PART": _alternation(list(lex.parts_of_day)),
        "UNIT": _alternation(unit_words),
        "NUM": number,
        "ORD": _alternation(list(lex.ordinals)),
        "MOD": _alternation(list(lex.modifiers)),
        "REL": _alternation(list(lex.relative)),
        "REF": _alternation(list(lex.references)),
        "HOLIDAY": _alternation(list(lex.holidays)),
        "YEAR": "(?:1\\d\\d\\d|20\\d\\d)",
    }


def _read(path: Path, kind: str, problems: list[Problem]) -> tuple[dict[str, Any], bytes] | None:
    """A time data file's top mapping and bytes, or ``None`` with a problem (unreadable, not YAML, wrong kind)."""
    raw = read_yaml(path, problems)
    if raw is None or not check_kind(path, kind, problems):
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(str(path), 1, "top level must be a mapping"))
        return None
    return raw, path.read_bytes()


def _check_holiday(v: Any) -> bool:
    if not isinstance(v, dict) or not isinstance(v.get("month"), int) or not 1 <= v["month"] <= 12:
        return False
    if "day" in v:
        return isinstance(v["day"], int) and 1 <= v["day"] <= 31
    return v.get("weekday") in range(1, 8) and v.get("nth") in (-1, 0, 1, 2, 3, 4)


def read_lexicon(path: Path, problems: list[Problem]) -> tuple[TimeLexicon, bytes] | None:
    """The words of a ``time-lexicon`` file (and its bytes), or ``None`` with every problem added."""
    got = _read(path, LEXICON_KIND, problems)
    if got is None:
        return None
    raw, data = got
    found = len(problems)
    r = _Reader(path, raw, problems)
    missing = [k for k in _REQUIRED_SECTIONS if k not in raw]
    if missing:
        r.problem(line_of(raw), f"top level: missing sections {missing}")
        return None
    for key in sorted(set(raw) - set(_REQUIRED_SECTIONS) - {"kind", "version", *_LINE_KEYS}):
        r.problem(line_of(raw, key), f"unknown section {key!r}")
    lex = TimeLexicon(
        months=r.mapping("months", lambda v: isinstance(v, int) and 1 <= v <= 12),
        ambiguous_months=r.words("ambiguous_months"),
        weekdays=r.mapping("weekdays", lambda v: isinstance(v, int) and 1 <= v <= 7),
        weekday_need_dot=r.words("weekday_abbreviations_need_dot"),
        seasons=r.mapping("seasons", lambda v: v in SEASON_CODES),
        parts_of_day=r.mapping("parts_of_day", lambda v: v in {"MO", "AF", "EV", "NI"}),
        units=r.mapping("units", lambda v: v in UNIT_CODES),
        numbers=r.mapping("numbers", lambda v: (isinstance(v, int) and v > 0) or v == "X"),
        ordinals=r.mapping("ordinals", lambda v: isinstance(v, int) and v > 0),
        modifiers=r.mapping("modifiers", lambda v: v in MODS),
        relative=r.mapping("relative", lambda v: v in (-1, 0, 1)),
        references=r.mapping("references", lambda v: v in REF_VALUES),
        holidays=r.mapping("holidays", _check_holiday),
        future_verbs=r.words("future_verbs"),
        future_auxiliaries=r.words("future_auxiliaries"),
        attempt_verbs=r.words("attempt_verbs"),
        statement_verbs=r.words("statement_verbs"),
        compound_tens=tuple(r.word_list("compound_tens")),
        compound_units=tuple(r.word_list("compound_units")),
    )
    for word in sorted(lex.ambiguous_months - set(lex.months)):
        r.problem(line_of(raw, "ambiguous_months"), f"ambiguous_months.{word}: not a month in `months`")
    for word in sorted(lex.weekday_need_dot - set(lex.weekdays)):
        r.problem(line_of(raw, "weekday_abbreviations_need_dot"),
                  f"weekday_abbreviations_need_dot.{word}: not a weekday in `weekdays`")
    return None if len(problems) > found else (lex, data)


def read_patterns(path: Path, lex: TimeLexicon, problems: list[Problem]) -> tuple[list[Pattern], bytes] | None:
    """The patterns of a ``time-patterns`` file compiled with ``lex``'s placeholders, or ``None`` with every
    problem added."""
    got = _read(path, PATTERNS_KIND, problems)
    if got is None:
        return None
    praw, data = got
    found = len(problems)
    entries = praw.get("patterns")
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(str(path), line_of(praw, "patterns"), "patterns: must be a non-empty list"))
        return None
    for key in sorted(set(praw) - {"kind", "version", "patterns", *_LINE_KEYS}):
        problems.append(Problem(str(path), line_of(praw, key), f"unknown key {key!r}"))
    holes = _placeholders(lex)
    names: set[str] = set()
    patterns: list[Pattern] = []
    for i, entry in enumerate(entries):
        where = f"patterns[{i}]" + (f" ({entry.get('name')})" if isinstance(entry, dict) else "")
        line = line_of(entry) if isinstance(entry, dict) else item_line(path, ["patterns", i], line_of(praw, "patterns"))

        def fail(why: str, at: int = line, where: str = where) -> None:
            problems.append(Problem(str(path), at, f"{where}: {why}"))

        if not isinstance(entry, dict) or not {"name", "kind", "regex"} <= entry.keys():
            fail("needs name, kind and regex")
            continue
        unknown = set(entry) - {"name", "kind", "type", "regex", "note", *_LINE_KEYS}
        if unknown:
            fail(f"unknown keys {sorted(unknown)}")
        if entry["name"] in names:
            fail("duplicate name", line_of(entry, "name", line))
            continue
        names.add(entry["name"])
        if entry["kind"] not in KINDS:
            fail(f"unknown kind {entry['kind']!r}; known: {sorted(KINDS)}", line_of(entry, "kind", line))
            continue
        ttype = entry.get("type", "DATE")
        if ttype not in TYPES:
            fail(f"unknown type {ttype!r}", line_of(entry, "type", line))
            continue
        text = str(entry["regex"])
        unknown_holes = set(re.findall(r"\{([A-Z]+)\}", text)) - holes.keys()
        if unknown_holes:
            fail(f"unknown placeholders {sorted(unknown_holes)}", line_of(entry, "regex", line))
            continue
        for key, alt in holes.items():
            text = text.replace("{" + key + "}", alt)
        try:
            # Bounded by non-word characters so "Mayor" or "1989.5" never match inside a word or number.
            rx = re.compile(r"(?<![\w'])(?:" + text + r")(?![\w])", re.IGNORECASE)
        except re.error as exc:
            fail(f"regex does not compile: {exc}", line_of(entry, "regex", line))
            continue
        patterns.append(Pattern(entry["name"], entry["kind"], ttype, rx, lower_regex(rx)))
    return None if len(problems) > found else (patterns, data)


def lower_regex(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` (case-insensitive) as a case-sensitive pattern that matches a lower-cased text where ``rx`` matches
    the text: its letters lower-cased, but not those of escapes (``\\S`` is not ``\\s``) or group names. None
    when the pattern has something this does not read (a backslash at the end, an inline flag, a letter beyond
    ASCII)."""
    src = rx.pattern
    if not src.isascii():
        return None  # case forms beyond ASCII are not all one character each
    out: list[str] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            if i + 1 >= len(src):
                return None
            out.append(src[i:i + 2])
            i += 2
        elif src.startswith("(?P<", i) or src.startswith("(?P=", i):
            end = src.find(">" if src[i + 3] == "<" else ")", i)
            if end < 0:
                return None
            out.append(src[i:end + 1])
            i = end + 1
        elif src.startswith("(?", i) and i + 2 < len(src) and src[i + 2].isalpha():
            return None  # an inline flag group: its letters are not literals
        else:
            out.append(ch.lower())
            i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        return None


# The only letters an ASCII letter matches case-insensitively that are not its case forms: the dotless i and
# the long s (lower-cased, they stay what they are); "\u0130" (dotted capital I) lower-cases to two characters.
_CASE_CROSSING = frozenset("\u0131\u017f")


def lower_matchable(text: str) -> str | None:
    """``text`` lower-cased, when :attr:`Pattern.lower` finds in it exactly what :attr:`Pattern.regex` finds in
    ``text`` (``bench/nlp_components.py`` checks every code point): same length, and neither letter that an
    ASCII letter matches case-insensitively without being one of its cases; None otherwise."""
    lowered = text.lower()
    if len(lowered) != len(text) or (not text.isascii() and not _CASE_CROSSING.isdisjoint(text)):
        return None
    return lowered


def case_exceptions() -> set[str]:
    """Every character where matching lower-cased is not matching case-insensitively: an ASCII letter (or
    ``[a-z]``, ``\\w``, ``\\d``, ``\\s``) matches it case-insensitively but not its lower case or the other way
    round, or its lower case is longer. Only letters with case forms can differ; all of them are tried (a second
    or two). :func:`lower_matchable` must refuse a text holding any of them (``tests/test_time_tagger.py``)."""
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    tests = [re.compile(re.escape(x), re.IGNORECASE) for x in letters + [x.upper() for x in letters]]
    tests += [re.compile(r"[a-z]", re.IGNORECASE), re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s")]
    lowered = [re.compile(t.pattern.lower() if t.flags & re.IGNORECASE else t.pattern) for t in tests]
    found = set()
    for code in range(0x80, 0x110000):
        c = chr(code)
        if 0xD800 <= code <= 0xDFFF or (c.lower() == c and c.upper() == c):
            continue
        low = c.lower()
        if len(low) != 1 or any(bool(t.fullmatch(c)) != bool(lt.fullmatch(low))
                                for t, lt in zip(tests, lowered, strict=True)):
            found.add(c)
    return found


def load_lexicon(lexicon_path: Path = LEXICON_FILE, patterns_path: Path = PATTERNS_FILE) -> TimeLexicon:
    """The time lexicon with its compiled patterns; :class:`LexiconError` listing every problem of both files."""
    problems: list[Problem] = []
    got = read_lexicon(lexicon_path, problems)
    # the patterns need the lexicon's words for their placeholders
    pats = read_patterns(patterns_path, got[0], problems) if got is not None else None
    raise_if(problems, "time lexicon")
    assert got is not None and pats is not None  # no problems: both were read
    lex, lex_bytes = got
    lex.patterns, pat_bytes = pats
    lex.data_hash = hashlib.sha256(lex_bytes + b"\0" + pat_bytes).hexdigest()[:16]
    return lex


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of one time data file, read as the kind it declares (:data:`FILE_KINDS`); a patterns
    file is checked against the built-in lexicon."""
    p = Path(path)
    problems: list[Problem] = []
    kind = declared_kind(p)
    if kind == LEXICON_KIND:
        read_lexicon(p, problems)
    elif kind == PATTERNS_KIND:
        builtin: list[Problem] = []
        got = read_lexicon(LEXICON_FILE, builtin)
        if got is None:
            return builtin
        read_patterns(p, got[0], problems)
    else:
        check_kind(p, FILE_KINDS, problems)
    return problems
