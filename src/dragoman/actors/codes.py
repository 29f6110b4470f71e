"""CAMEO actor codes split into their parts, as GDELT's event table splits them.

A CAMEO actor code is a chain of three-letter parts: a country or region first ("IRQ", "AFR"), or an
international type ("IGO", "NGO"), then roles, religions, ethnic groups and organisations ("IRQGOVMIL",
"IGOUNOWFP", "SYRREBSUN"). GDELT publishes the parts in separate columns (CountryCode, KnownGroupCode,
EthnicCode, Religion1Code/Religion2Code, Type1Code..Type3Code); ICEWS names the roles as "sectors". What each
part is comes from ``data/code_parts.tsv`` (kind ``cameo-code-parts``), checked on load with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dragoman.actors.lexicon import DATA_DIR, builtin_country_entries
from dragoman.lexicons import Problem, check_kind, raise_if, read_tsv

CODE_PARTS_KIND = "cameo-code-parts"
CODE_PARTS_FILE = DATA_DIR / "code_parts.tsv"
COLUMNS = ("code", "part", "label", "example")
PART_KINDS = ("region", "type", "religion", "ethnic", "known_group")
_PART = re.compile(r"^[A-Z]{3}$")
_CODE = re.compile(r"^(?:[A-Z]{3}|---)+$")
UNKNOWN_COUNTRY = "---"  # CAMEO's filler for a code whose country is not known ("---REB")


@dataclass(frozen=True)
class CodeParts:
    """The parts of one actor code. ``unknown`` lists parts the table does not know (kept, never guessed)."""

    code: str
    country: str | None = None
    known_group: str | None = None
    ethnic: str | None = None
    religions: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def type_labels(self, parts: PartTable) -> list[str]:
        """The roles by name ("Government", "Military"): what ICEWS calls the actor's sectors."""
        return [parts.labels.get(t, t) for t in self.types]


@dataclass
class PartTable:
    """What each three-letter part is (``kinds``) and what it is called (``labels``); and the countries."""

    kinds: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()

    def split(self, code: str | None) -> CodeParts | None:
        """``code`` split into its parts; ``None`` for no code. A part the table lacks goes to ``unknown``."""
        if not code:
            return None
        code = code.strip().upper()
        chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
        country: str | None = None
        known: str | None = None
        ethnic: str | None = None
        religions: list[str] = []
        types: list[str] = []
        unknown: list[str] = []
        for index, chunk in enumerate(chunks):
            kind = self.kinds.get(chunk)
            if index == 0 and kind in (None, "region") and chunk in self.countries | _regions(self):
                country = chunk
            elif chunk == UNKNOWN_COUNTRY or kind == "region":
                continue  # no country known; or an organisation's scope ("IGOAFRAFU"), not its country
            elif kind == "type":
                types.append(chunk)
            elif kind == "religion":
                religions.append(chunk)
            elif kind == "ethnic":
                ethnic = ethnic or chunk
            elif kind == "known_group":
                known = chunk  # the last is the most specific ("IGOUNOWFP": the WFP, of the UN)
            else:
                unknown.append(chunk)
        return CodeParts(code=code, country=country, known_group=known, ethnic=ethnic,
                         religions=tuple(religions), types=tuple(types), unknown=tuple(unknown))


def _regions(table: PartTable) -> frozenset[str]:
    return frozenset(code for code, kind in table.kinds.items() if kind == "region")


def read_code_parts(path: str | Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a ``cameo-code-parts`` file; each bad row is a problem with its line."""
    if not check_kind(path, CODE_PARTS_KIND, problems):
        return []
    rows = read_tsv(path, COLUMNS, problems)
    seen: dict[str, int] = {}
    good = []
    for line, row in rows:
        errors = []
        if not _PART.match(row["code"]):
            errors.append(f"code: {row['code']!r} is not three capital letters")
        if row["part"] not in PART_KINDS:
            errors.append(f"part: {row['part']!r} is not one of {', '.join(PART_KINDS)}")
        if not row["label"]:
            errors.append("label: must not be empty")
        example = row["example"]
        if not _CODE.match(example) or row["code"] not in [example[i:i + 3] for i in range(0, len(example), 3)]:
            errors.append(f"example: {example!r} must be an actor code with {row['code']} as one of its parts")
        if row["code"] in seen:
            errors.append(f"code: {row['code']} is already listed (line {seen[row['code']]})")
        problems.extend(Problem(str(path), line, message) for message in errors)
        if not errors:
            seen[row["code"]] = line
            good.append((line, row))
    return good


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of a ``cameo-code-parts`` file (empty: valid)."""
    problems: list[Problem] = []
    read_code_parts(path, problems)
    return problems


def load_part_table(extra_files: tuple[str | Path, ...] = ()) -> PartTable:
    """The built-in table, then each extra file's rows (a later row for a code replaces the earlier one)."""
    problems: list[Problem] = []
    table = PartTable(countries=frozenset(e.id.split(":", 1)[-1] for e in builtin_country_entries()))
    for path in (CODE_PARTS_FILE, *extra_files):
        for _line, row in read_code_parts(path, problems):
            table.kinds[row["code"]] = row["part"]
            table.labels[row["code"]] = row["label"]
    raise_if(problems, "CAMEO code parts")
    return table


@lru_cache(maxsize=1)
def part_table() -> PartTable:
    """The built-in table (read once)."""
    return load_part_table()
