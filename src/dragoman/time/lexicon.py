"""Load and validate the time lexicon and patterns (``data/lexicon.yaml``, ``data/patterns.yaml``).

Every check names the file and the entry, so a bad edit fails at load with a readable message rather than as a
wrong value deep in the tagger.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA_DIR / "lexicon.yaml"
PATTERNS_FILE = DATA_DIR / "patterns.yaml"

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
                      "holidays", "future_verbs", "future_auxiliaries")


class LexiconError(ValueError):
    """A time data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    type: str
    regex: re.Pattern[str]


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
    patterns: list[Pattern] = field(default_factory=list)
    data_hash: str = ""


def _fail(path: Path, where: str, why: str) -> LexiconError:
    return LexiconError(f"{path.name}: {where}: {why}")


def _mapping(path: Path, raw: dict[str, Any], key: str, check: Any) -> dict[str, Any]:
    section = raw.get(key)
    if not isinstance(section, dict) or not section:
        raise _fail(path, key, "must be a non-empty mapping")
    out: dict[str, Any] = {}
    for word, value in section.items():
        if not isinstance(word, str) or word != word.strip().lower():
            raise _fail(path, f"{key}.{word!r}", "keys must be lower-case strings")
        if not check(value):
            raise _fail(path, f"{key}.{word}", f"bad value {value!r}")
        out[word] = value
    return out


def _words(path: Path, raw: dict[str, Any], key: str) -> frozenset[str]:
    section = raw.get(key)
    if not isinstance(section, list) or not all(isinstance(w, str) and w for w in section):
        raise _fail(path, key, "must be a list of strings")
    return frozenset(w.lower() for w in section)


def _alternation(words: list[str], plural: bool = False) -> str:
    # Longest first so "a couple of" wins over "a"; spaces match any run of whitespace.
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w))]
    return "(?:" + "|".join(parts) + ")" + ("s?" if plural else "")


def _placeholders(lex: TimeLexicon) -> dict[str, str]:
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    units_words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    compound = [f"{t}[\\s-]{u}" for t in tens for u in units_words]
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


def _load_yaml(path: Path) -> tuple[dict[str, Any], bytes]:
    data = path.read_bytes()
    try:
        raw = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise LexiconError(f"{path.name}: top level must be a mapping")
    return raw, data


def _check_holiday(v: Any) -> bool:
    if not isinstance(v, dict) or not isinstance(v.get("month"), int) or not 1 <= v["month"] <= 12:
        return False
    if "day" in v:
        return isinstance(v["day"], int) and 1 <= v["day"] <= 31
    return v.get("weekday") in range(1, 8) and v.get("nth") in (-1, 0, 1, 2, 3, 4)


def load_lexicon(lexicon_path: Path = LEXICON_FILE, patterns_path: Path = PATTERNS_FILE) -> TimeLexicon:
    raw, lex_bytes = _load_yaml(lexicon_path)
    missing = [k for k in _REQUIRED_SECTIONS if k not in raw]
    if missing:
        raise _fail(lexicon_path, "top level", f"missing sections {missing}")
    p = lexicon_path
    lex = TimeLexicon(
        months=_mapping(p, raw, "months", lambda v: isinstance(v, int) and 1 <= v <= 12),
        ambiguous_months=_words(p, raw, "ambiguous_months"),
        weekdays=_mapping(p, raw, "weekdays", lambda v: isinstance(v, int) and 1 <= v <= 7),
        weekday_need_dot=_words(p, raw, "weekday_abbreviations_need_dot"),
        seasons=_mapping(p, raw, "seasons", lambda v: v in SEASON_CODES),
        parts_of_day=_mapping(p, raw, "parts_of_day", lambda v: v in {"MO", "AF", "EV", "NI"}),
        units=_mapping(p, raw, "units", lambda v: v in UNIT_CODES),
        numbers=_mapping(p, raw, "numbers", lambda v: (isinstance(v, int) and v > 0) or v == "X"),
        ordinals=_mapping(p, raw, "ordinals", lambda v: isinstance(v, int) and v > 0),
        modifiers=_mapping(p, raw, "modifiers", lambda v: v in MODS),
        relative=_mapping(p, raw, "relative", lambda v: v in (-1, 0, 1)),
        references=_mapping(p, raw, "references", lambda v: v in REF_VALUES),
        holidays=_mapping(p, raw, "holidays", _check_holiday),
        future_verbs=_words(p, raw, "future_verbs"),
        future_auxiliaries=_words(p, raw, "future_auxiliaries"),
    )
    for word in lex.ambiguous_months:
        if word not in lex.months:
            raise _fail(p, f"ambiguous_months.{word}", "not a month in `months`")
    for word in lex.weekday_need_dot:
        if word not in lex.weekdays:
            raise _fail(p, f"weekday_abbreviations_need_dot.{word}", "not a weekday in `weekdays`")

    praw, pat_bytes = _load_yaml(patterns_path)
    entries = praw.get("patterns")
    if not isinstance(entries, list) or not entries:
        raise _fail(patterns_path, "patterns", "must be a non-empty list")
    holes = _placeholders(lex)
    names: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"patterns[{i}]" + (f" ({entry.get('name')})" if isinstance(entry, dict) else "")
        if not isinstance(entry, dict) or not {"name", "kind", "regex"} <= entry.keys():
            raise _fail(patterns_path, where, "needs name, kind and regex")
        if entry["name"] in names:
            raise _fail(patterns_path, where, "duplicate name")
        names.add(entry["name"])
        if entry["kind"] not in KINDS:
            raise _fail(patterns_path, where, f"unknown kind {entry['kind']!r}; known: {sorted(KINDS)}")
        ttype = entry.get("type", "DATE")
        if ttype not in TYPES:
            raise _fail(patterns_path, where, f"unknown type {ttype!r}")
        text = str(entry["regex"])
        unknown = set(re.findall(r"\{([A-Z]+)\}", text)) - holes.keys()
        if unknown:
            raise _fail(patterns_path, where, f"unknown placeholders {sorted(unknown)}")
        for key, alt in holes.items():
            text = text.replace("{" + key + "}", alt)
        try:
            # Bounded by non-word characters so "Mayor" or "1989.5" never match inside a word or number.
            rx = re.compile(r"(?<![\w'])(?:" + text + r")(?![\w])", re.IGNORECASE)
        except re.error as exc:
            raise _fail(patterns_path, where, f"regex does not compile: {exc}") from exc
        lex.patterns.append(Pattern(entry["name"], entry["kind"], ttype, rx))
    lex.data_hash = hashlib.sha256(lex_bytes + b"\0" + pat_bytes).hexdigest()[:16]
    return lex
