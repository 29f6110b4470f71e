"""The geo stage's data files: their kinds, their columns, and the checks every row must pass.

Each file declares its kind on its first line (``# kind: geo-countries`` in a TSV, ``kind: word-lists`` in
the YAML word lists), and :func:`validate_file` validates any of them by that kind. Loaders read the tables
through :func:`load_table`, so a bad cell is a :class:`~dragoman.lexicons.Problem` with its file and line
(raised as the one :class:`~dragoman.lexicons.LexiconError`), never a crash while the gazetteer is built.

=============== ============== ============================================================================
kind            file           rows
=============== ============== ============================================================================
geo-countries   countries.tsv  a country: codes, GeoNames id, centre, name, demonym, other names
geo-admin1      admin1.tsv     a first-level region: country, GeoNames admin1 code, centre, name, population
geo-regions     regions.tsv    a region, sea or other name GeoNames lacks (or a better name of a country)
geo-aliases     aliases.tsv    other names of a first-level region ("Calif.")
geo-demonyms    demonyms.tsv   a demonym and the country (or continent) it names, beyond countries.tsv's
word-lists      words.yaml     the English words the rules use (:mod:`dragoman.geo.words`)
=============== ============== ============================================================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dragoman.geo.words import read_geo_words
from dragoman.lexicons import WORD_LISTS_KIND, Problem, check_kind, declared_kind, raise_if, read_tsv

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")

_ISO2 = re.compile(r"^[A-Z]{2}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_ADMIN1_CODE = re.compile(r"^[A-Za-z0-9]+$")
_ADMIN1_KEY = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]+$")  # "CC.code", as aliases.tsv names its targets
REGION_KINDS = ("region", "admin1", "country")  # the kind column of regions.tsv


def _need(row: dict[str, str], column: str) -> list[str]:
    return [] if row[column] else [f"{column}: must not be empty"]


def _matches(row: dict[str, str], column: str, pattern: re.Pattern[str], what: str,
             optional: bool = False) -> list[str]:
    value = row[column]
    if (optional and not value) or pattern.match(value):
        return []
    return [f"{column}: {value!r} is not {what}"]


def _number(row: dict[str, str], column: str, lo: float, hi: float) -> list[str]:
    try:
        value = float(row[column])
    except ValueError:
        return [f"{column}: {row[column]!r} is not a number"]
    return [] if lo <= value <= hi else [f"{column}: {value} is outside {lo}..{hi}"]


def _count(row: dict[str, str], column: str, optional: bool = False) -> list[str]:
    value = row[column]
    if (optional and not value) or value.isdigit():
        return []
    return [f"{column}: {value!r} is not a whole number" + (" (or empty)" if optional else "")]


def _point(row: dict[str, str]) -> list[str]:
    return _number(row, "lat", -90, 90) + _number(row, "lon", -180, 180)


def _names(row: dict[str, str], column: str = "names") -> list[str]:
    names = row[column].split("|")
    return [] if names[0] and all(names) else [f"{column}: '|'-separated names, none of them empty"]


def _country_row(row: dict[str, str]) -> list[str]:
    return (_matches(row, "iso3", _ISO3, "an ISO alpha-3 code")
            + _matches(row, "iso2", _ISO2, "an ISO alpha-2 code")
            + _count(row, "geonameid") + _point(row) + _need(row, "name"))


def _admin1_row(row: dict[str, str]) -> list[str]:
    return (_matches(row, "cc", _ISO2, "an ISO alpha-2 code")
            + _matches(row, "admin1", _ADMIN1_CODE, "a GeoNames admin1 code")
            + _count(row, "geonameid", optional=True) + _point(row) + _need(row, "name")
            + _count(row, "population"))


def _region_row(row: dict[str, str]) -> list[str]:
    kind = [] if row["kind"] in REGION_KINDS else [f"kind: {row['kind']!r} is not one of "
                                                   f"{', '.join(REGION_KINDS)}"]
    return (_names(row) + kind + _matches(row, "cc", _ISO2, "an ISO alpha-2 code", optional=True)
            + _point(row) + _count(row, "population", optional=True) + _count(row, "geonameid", optional=True))


def _alias_row(row: dict[str, str]) -> list[str]:
    return _names(row) + _matches(row, "target", _ADMIN1_KEY, 'a first-level region\'s "CC.code"')


def _demonym_row(row: dict[str, str]) -> list[str]:
    if bool(row["iso3"]) == bool(row["continent"]):
        return ["needs an iso3 code or a continent, not both"] + _need(row, "word")
    return _need(row, "word") + _matches(row, "iso3", _ISO3, "an ISO alpha-3 code", optional=True)


@dataclass(frozen=True)
class TableKind:
    """One kind of geo TSV file: the columns its header starts with and the check of each row."""

    name: str
    file: str  # the shipped file of this kind, in DATA_DIR
    columns: tuple[str, ...]
    check_row: Callable[[dict[str, str]], list[str]]


TABLE_KINDS: dict[str, TableKind] = {k.name: k for k in (
    TableKind("geo-countries", "countries.tsv",
              ("iso3", "iso2", "geonameid", "lat", "lon", "name", "demonym", "alt_names"), _country_row),
    TableKind("geo-admin1", "admin1.tsv", ("cc", "admin1", "geonameid", "lat", "lon", "name", "population"),
              _admin1_row),
    TableKind("geo-regions", "regions.tsv", ("names", "kind", "cc", "lat", "lon", "population", "geonameid"),
              _region_row),
    TableKind("geo-aliases", "aliases.tsv", ("names", "target"), _alias_row),
    TableKind("geo-demonyms", "demonyms.tsv", ("word", "iso3", "continent"), _demonym_row),
)}
KIND_OF_FILE: dict[str, str] = {k.file: k.name for k in TABLE_KINDS.values()}
WORDS_FILE_NAME = "words.yaml"
# The kinds validate_file knows: the geo tables, and the word lists.
GEO_KINDS: tuple[str, ...] = (*TABLE_KINDS, WORD_LISTS_KIND)
# Every file the geo stage reads, in the order their bytes enter the gazetteer's data hash.
DATA_FILES: tuple[str, ...] = (*KIND_OF_FILE, WORDS_FILE_NAME)


def read_table(path: str | Path, kind: str, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a geo TSV of ``kind`` as ``(line, {column: value})``; each problem goes to ``problems``."""
    spec = TABLE_KINDS[kind]
    if not check_kind(path, kind, problems):
        return []
    rows = read_tsv(path, spec.columns, problems)
    for line, row in rows:
        problems.extend(Problem(str(path), line, message) for message in spec.check_row(row))
    return rows


def load_table(file: str, data_dir: str = DATA_DIR) -> list[tuple[int, dict[str, str]]]:
    """The rows of one shipped geo table (``"countries.tsv"``...) with their lines; LexiconError on any
    problem."""
    problems: list[Problem] = []
    rows = read_table(os.path.join(data_dir, file), KIND_OF_FILE[file], problems)
    raise_if(problems, f"geo data ({file})")
    return rows


def unknown_alias_targets(aliases: list[tuple[int, dict[str, str]]], admin1: list[tuple[int, dict[str, str]]],
                          aliases_path: str | Path) -> list[Problem]:
    """A problem for each alias whose target region is not in the admin1 table."""
    known = {f"{r['cc']}.{r['admin1']}" for _, r in admin1}
    return [Problem(str(aliases_path), line, f"target {r['target']!r} is not a region of admin1.tsv")
            for line, r in aliases if r["target"] not in known]


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of one geo data file, found by the kind it declares (see the table above).

    An aliases file is also checked against the admin1 table beside it, when there is one: every target must
    be a region there. A ``word-lists`` file is read as the geo lists (:mod:`dragoman.geo.words`)."""
    problems: list[Problem] = []
    kind = declared_kind(path)
    if kind == WORD_LISTS_KIND:
        read_geo_words(str(path), problems)
        return problems
    if kind not in TABLE_KINDS:
        check_kind(path, GEO_KINDS, problems)
        return problems
    rows = read_table(path, kind, problems)
    if kind == "geo-aliases" and not problems:
        admin1_path = Path(path).with_name(TABLE_KINDS["geo-admin1"].file)
        if admin1_path.exists():
            admin1_problems: list[Problem] = []
            admin1 = read_table(admin1_path, "geo-admin1", admin1_problems)
            if not admin1_problems:
                problems.extend(unknown_alias_targets(rows, admin1, path))
    return problems
