"""Actor lexicon files: schema, loading, validation and merging.

Four kinds of file, all plain data under ``actors/data`` (users add more with the same formats); each declares
its kind in its first lines (:func:`dragoman.lexicons.declared_kind`), and that kind decides how it is read:

* ``actor-countries`` (TSV, first line ``# kind: actor-countries``): ``iso3 name un_member aliases adjectives
  people capitals wikidata``; lists split by ``|``.
* ``actor-roles`` (TSV, ``# kind: actor-roles``): ``singular plural sector kind office`` and optionally
  ``country``: role words -> sector ("troops" -> MIL), and the fixed country position of roles that are never a
  state's ("aid agencies" -> NGO).
* ``actor-people`` (YAML, ``kind: actor-people``): named people with office periods.
* ``actor-organisations`` (YAML, ``kind: actor-organisations``): IGOs, NGOs, armed groups, security bodies,
  seats, media.

People and organisations may carry an ``example``: a sentence written for the project that names the entry by
its name or one of its aliases (checked here); the built-in files give one for every entry and a test codes
each with the resolver.

The resolver's own English words (partitive and collective heads, pronouns, ...) are a ``word-lists`` file,
``data/words.yaml``. A file written for the old header (``dragoman: actor-lexicon`` with ``kind: people`` or
``kind: organisations``) is refused with a problem naming the ``kind:`` line to write instead.

Every row/entry is checked when loaded; a problem is reported with the file and line (the anti-example is a
hand-parsed private format whose errors surface as crashes deep in the coder). Files are merged in order:
an entry whose id repeats an earlier file's entry replaces it, and an alias claimed by a later file moves to
the later entry; inside one file (and among the built-in files) a repeated id or alias is an error.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from dragoman.lexicons import (
    WORD_LISTS_KIND,
    LexiconError,  # the one error type of every loader; imported here so that old imports keep working
    Problem,
    check_kind,
    declared_kind,
    item_line,
    line_of,
    read_word_lists,
    read_yaml,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
WORDS_FILE = DATA_DIR / "words.yaml"
BUILTIN_FILES: tuple[Path, ...] = (
    DATA_DIR / "countries.tsv",
    DATA_DIR / "roles.tsv",
    DATA_DIR / "organisations.yaml",
    DATA_DIR / "institutions.yaml",
    DATA_DIR / "organisations_regions.yaml",
    DATA_DIR / "people.yaml",
    DATA_DIR / "people_g20.yaml",
    DATA_DIR / "people_africa.yaml",
    DATA_DIR / "people_americas.yaml",
    DATA_DIR / "people_asia_pacific.yaml",
    DATA_DIR / "people_europe.yaml",
)

# CAMEO/PLOVER sector codes accepted in lexicons. NGO/IGO also occur as sectors ("SYRNGO").
SECTORS: frozenset[str] = frozenset({
    "GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "CVL", "BUS", "MED", "JRN", "REL", "EDU", "HLH", "REF",
    "LAB", "PTY", "SPY", "ELI", "UAF", "AGR", "CRM", "SOC", "ENV", "NGO", "IGO", "SEP", "INS", "HRI", "DEV",
    "MNC", "MOS"
})
# Country-position prefixes that are not ISO 3166 codes (CAMEO-style).
SPECIAL_COUNTRIES: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "MNC"})
# CAMEO region codes that countries.tsv lists as rows ("European" -> EUR): several states, never one state's
# domestic default.
REGIONS: frozenset[str] = frozenset({"EUR", "WST", "AFR", "MEA"})
ORG_TYPES = frozenset({"igo", "ngo", "armed_group", "security", "government", "party", "media", "seat", "other"})

COUNTRIES_KIND = "actor-countries"
ROLES_KIND = "actor-roles"
PEOPLE_KIND = "actor-people"
ORGANISATIONS_KIND = "actor-organisations"
# The kinds an actor lexicon file may declare (users add files of these kinds).
LEXICON_KINDS = frozenset({COUNTRIES_KIND, ROLES_KIND, PEOPLE_KIND, ORGANISATIONS_KIND})
# Every kind of file the actors package reads; validate_file dispatches on them.
KINDS = LEXICON_KINDS | {WORD_LISTS_KIND}
# Kinds written before files declared theirs ("dragoman: actor-lexicon" + "kind: people").
_OLD_KINDS = {"people": PEOPLE_KIND, "organisations": ORGANISATIONS_KIND}

EntryKind = Literal["country", "role", "person", "org"]

COUNTRY_COLUMNS = ("iso3", "name", "un_member", "aliases", "adjectives", "people", "capitals", "wikidata")
ROLE_COLUMNS = ("singular", "plural", "sector", "kind", "office")
# A roles file may add a ``country`` column (IGO/NGO/IMG/MNC or a country code; "-" for none).
ROLE_COLUMNS_WITH_COUNTRY = (*ROLE_COLUMNS, "country")
# instrument: a weapon standing for its user; states: a plural naming several states ("European powers").
# Both denote an actor only when a country, region or organisation modifies them.
ROLE_KINDS = ("person", "group", "instrument", "states")
PEOPLE_KEYS = frozenset({"id", "name", "aliases", "country", "sector_default", "wikidata", "offices", "example",
                         "note"})
OFFICE_KEYS = frozenset({"office", "from", "to", "sector", "country", "note"})
ORG_KEYS = frozenset({"id", "name", "aliases", "country", "sector", "type", "code", "wikidata", "periods",
                      "example", "note"})
PERIOD_KEYS = frozenset({"from", "to", "sector", "country", "note"})

_ISO3 = re.compile(r"^[A-Z]{3}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_OFFICE = re.compile(r"^[a-z][a-z_]*$")
_CODE = re.compile(r"^[A-Z]{3}[A-Za-z*]*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Period:
    """A dated override: while ``start <= day <= end`` the entry has this country/sector (and office)."""

    start: date | None
    end: date | None
    country: str | None = None
    sector: str | None = None
    office: str | None = None

    def holds(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Entry:
    """One actor lexicon entry, whatever file kind it came from. ``id`` is namespaced ("person:ali-khamenei")."""

    id: str
    kind: EntryKind
    name: str
    country: str | None = None  # roles: a fixed country position ("aid agency" -> NGO), else None
    sector: str | None = None  # countries: None; roles: the role's sector (None = generic); people: default
    wikidata: str | None = None
    code: str | None = None
    periods: tuple[Period, ...] = ()
    office: str | None = None  # roles: the office a title names
    role_kind: str | None = None  # roles: "person", "group", "instrument" or "states" (ROLE_KINDS)
    org_type: str | None = None
    un_member: bool = False
    source: str = ""  # file:line
    example: str | None = None  # people, organisations: a sentence of our own that names the entry


@dataclass(frozen=True)
class Alias:
    key: str  # normalised (lowercase, single spaces): what the PhraseMatcher matches on
    surface: str  # as written: its casing decides whether "us" may match "US"
    entry_id: str
    form: str  # name | alias | adjective | people | capital | singular | plural


@dataclass
class Lexicon:
    """The merged lexicon: entries by id and aliases by normalised key (several surfaces may share a key)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    aliases: dict[str, list[Alias]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    hash: str = ""

    def offices_index(self) -> dict[tuple[str, str], list[tuple[Period, Entry]]]:
        """(country, office) -> the people who held it, for titles like "the Pakistani prime minister"."""
        index: dict[tuple[str, str], list[tuple[Period, Entry]]] = {}
        for e in self.entries.values():
            if e.kind != "person":
                continue
            for p in e.periods:
                if p.office:
                    index.setdefault((p.country or e.country or "", p.office), []).append((p, e))
        return index


# ---------------------------------------------------------------------------------------------- helpers


def normalise(text: str) -> str:
    """The key an alias is indexed under: lowercase, curly quotes straightened, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.lower().split())


def ascii_fold(text: str) -> str:
    """"Erdoğan" -> "Erdogan": news text often drops diacritics, so each alias is also matched folded."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded.replace("ı", "i").replace("ł", "l").replace("ø", "o")


def alias_variants(surface: str) -> list[str]:
    """Surface variants matched for one alias: as written, ASCII-folded, curly/straight apostrophe."""
    out = [surface]
    for v in (ascii_fold(surface), surface.replace("'", "\u2019")):
        if v not in out:
            out.append(v)
    return out


def parse_date(value: Any, *, end: bool) -> date:
    """ISO date, or a partial ``YYYY`` / ``YYYY-MM`` taken as the first (``end=False``) or last day."""
    if isinstance(value, date):
        return value
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"bad date {value!r} (want YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return date(y, 12, 31) if end else date(y, 1, 1)
    month = int(mo)
    if d is None:
        if not end:
            return date(y, month, 1)
        nxt = date(y + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(y, month, int(d))


def _lexicon_kind(path: Path, problems: list[Problem]) -> str | None:
    """The actor lexicon kind ``path`` declares, or ``None`` with a problem saying which ``kind:`` line to write."""
    kind = declared_kind(path)
    if kind in _OLD_KINDS:
        declared: list[Problem] = []
        check_kind(path, LEXICON_KINDS, declared)  # names the line the old kind is declared on
        problems.append(Problem(str(path), declared[0].line, f"old actor lexicon header: replace 'dragoman: "
                                                             f"actor-lexicon' and 'kind: {kind}' with "
                                                             f"'kind: {_OLD_KINDS[kind]}'"))
        return None
    return kind if check_kind(path, LEXICON_KINDS, problems) else None


# ---------------------------------------------------------------------------------------------- parsing


@dataclass
class _Parsed:
    """What one file yields: entries and their aliases, plus the problems found."""

    path: Path
    entries: list[Entry] = field(default_factory=list)
    aliases: list[tuple[Alias, int]] = field(default_factory=list)  # (alias, line)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, message))


def _split(cell: str) -> list[str]:
    return [c.strip() for c in cell.split("|") if c.strip()] if cell and cell.strip() != "-" else []


def _add_aliases(out: _Parsed, entry: Entry, names: Iterable[tuple[str, str]], line: int) -> None:
    seen: set[str] = set()
    for surface, form in names:
        if not isinstance(surface, str) or not surface.strip():
            out.problem(line, f"{entry.id}: empty or non-text alias {surface!r}")
            continue
        for variant in alias_variants(surface.strip()):
            key = normalise(variant)
            if (key, variant) in seen:
                continue
            seen.add((key, variant))  # type: ignore[arg-type]
            out.aliases.append((Alias(key, variant, entry.id, form), line))


def _parse_tsv(path: Path, text: str, known_countries: set[str], kind: str) -> _Parsed:
    out = _Parsed(path)
    allowed = (COUNTRY_COLUMNS,) if kind == COUNTRIES_KIND else (ROLE_COLUMNS, ROLE_COLUMNS_WITH_COUNTRY)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, list[str]]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = next(csv.reader([raw], delimiter="\t", quoting=csv.QUOTE_NONE))
        if header is None:
            header = tuple(c.strip() for c in cells)
            if header not in allowed:
                out.problem(lineno, f"a {kind} file needs the header (tab-separated):\n  "
                            + "\n  or\n  ".join("\t".join(c) for c in allowed))
                return out
            continue
        if len(cells) != len(header):
            out.problem(lineno, f"{len(cells)} columns, header has {len(header)}")
            continue
        rows.append((lineno, [c.strip() for c in cells]))
    if header is None:
        out.problem(1, "empty file: no TSV header")
        return out
    seen_ids: dict[str, int] = {}
    for lineno, cells in rows:
        row = dict(zip(header, cells, strict=True))
        entry = (_country_row(out, row, lineno) if header == COUNTRY_COLUMNS
                 else _role_row(out, row, lineno, known_countries))
        if entry is None:
            continue
        if entry.id in seen_ids:
            out.problem(lineno, f"duplicate id {entry.id!r} (first at line {seen_ids[entry.id]})")
            continue
        seen_ids[entry.id] = lineno
        out.entries.append(entry)
        if entry.kind == "country":
            known_countries.add(entry.country or "")
    return out


def _country_row(out: _Parsed, row: dict[str, str], lineno: int) -> Entry | None:
    iso = row["iso3"]
    ok = True
    if not _ISO3.match(iso):
        out.problem(lineno, f"iso3 {iso!r} is not a 3-letter upper-case code")
        ok = False
    if not row["name"]:
        out.problem(lineno, "name is empty")
        ok = False
    if row["un_member"] not in ("yes", "no"):
        out.problem(lineno, f"un_member must be yes or no, not {row['un_member']!r}")
        ok = False
    wd = row["wikidata"] or None
    if wd and not _QID.match(wd):
        out.problem(lineno, f"wikidata {wd!r} is not a Q-id")
        ok = False
    if not ok:
        return None
    entry = Entry(id=f"country:{iso}", kind="country", name=row["name"], country=iso, wikidata=wd,
                  un_member=row["un_member"] == "yes", source=f"{out.path}:{lineno}")
    names = [(row["name"], "name")]
    names += [(a, "alias") for a in _split(row["aliases"])]
    names += [(a, "adjective") for a in _split(row["adjectives"])]
    names += [(a, "people") for a in _split(row["people"])]
    names += [(a, "capital") for a in _split(row["capitals"])]
    _add_aliases(out, entry, names, lineno)
    return entry


def _role_row(out: _Parsed, row: dict[str, str], lineno: int, known: set[str]) -> Entry | None:
    ok = True
    singular = row["singular"]
    if not singular or singular == "-":
        out.problem(lineno, "singular is empty")
        ok = False
    sector = None if row["sector"] in ("", "-") else row["sector"]
    if sector and sector not in SECTORS:
        out.problem(lineno, f"unknown sector {sector!r}")
        ok = False
    if row["kind"] not in ROLE_KINDS:
        out.problem(lineno, f"kind must be one of {', '.join(ROLE_KINDS)}, not {row['kind']!r}")
        ok = False
    country = None
    if row.get("country", "-") not in ("", "-"):
        country = _check_country(out, row["country"], lineno, f"role {singular!r}", known)
        ok = ok and country is not None
    office = None if row["office"] in ("", "-") else row["office"]
    if office and not _OFFICE.match(office):
        out.problem(lineno, f"office {office!r} must be lower_snake_case")
        ok = False
    if not ok:
        return None
    entry = Entry(id=f"role:{normalise(singular)}", kind="role", name=singular, country=country, sector=sector,
                  office=office, role_kind=row["kind"], source=f"{out.path}:{lineno}")
    names = [(singular, "singular")]
    if row["plural"] not in ("", "-"):
        names.append((row["plural"], "plural"))
    _add_aliases(out, entry, names, lineno)
    return entry


def _check_keys(out: _Parsed, item: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    lines = item.get("__lines__", {})
    for key in item:
        if key.startswith("__"):
            continue
        if key not in allowed:
            out.problem(lines.get(key, item["__line__"]),
                        f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _check_country(out: _Parsed, value: Any, line: int, where: str, known: set[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO3.match(value):
        out.problem(line, f"{where}: country {value!r} is not a 3-letter upper-case code")
        return None
    if value not in known and value not in SPECIAL_COUNTRIES:
        out.problem(line, f"{where}: unknown country code {value!r} (not in countries.tsv, nor IGO/NGO/IMG/MNC)")
        return None
    return value


def _check_sector(out: _Parsed, value: Any, line: int, where: str) -> str | None:
    if value is None:
        return None
    if value not in SECTORS:
        out.problem(line, f"{where}: unknown sector {value!r}")
        return None
    return str(value)


def _periods(out: _Parsed, items: Any, line: int, where: str, known: set[str], *, person: bool,
             item_path: Sequence[str | int] = ()) -> list[Period]:
    if items is None:
        return []
    if not isinstance(items, list):
        out.problem(line, f"{where}: {'offices' if person else 'periods'} must be a list")
        return []
    periods: list[Period] = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            out.problem(_item_line(out, item_path, n, line), f"{where}: each period must be a mapping")
            continue
        pline = item["__line__"]
        _check_keys(out, item, OFFICE_KEYS if person else PERIOD_KEYS, where)
        try:
            start = parse_date(item["from"], end=False) if item.get("from") is not None else None
            end = parse_date(item["to"], end=True) if item.get("to") is not None else None
        except ValueError as exc:
            out.problem(pline, f"{where}: {exc}")
            continue
        if start and end and start > end:
            out.problem(pline, f"{where}: from {start} is after to {end}")
            continue
        office = item.get("office")
        if person and (not isinstance(office, str) or not _OFFICE.match(office)):
            out.problem(pline, f"{where}: office {office!r} must be lower_snake_case")
            continue
        country = _check_country(out, item.get("country"), pline, where, known)
        sector = _check_sector(out, item.get("sector"), pline, where)
        if person and sector is None:
            sector = "GOV"  # an office is a government post unless the entry says otherwise
        periods.append(Period(start, end, country, sector, office))
    return periods


def _item_line(out: _Parsed, keys: Sequence[str | int], index: int, default: int) -> int:
    """The line of a list item that is not a mapping (``LineLoader`` marks only mappings)."""
    return item_line(out.path, [*keys, index], default) if keys else default


def _parse_yaml(path: Path, known_countries: set[str], kind: str) -> _Parsed:
    out = _Parsed(path)
    data = read_yaml(path, out.problems)
    if data is None:
        return out
    if not isinstance(data, dict):
        out.problem(1, "top level must be a mapping with 'kind' and 'entries'")
        return out
    _check_keys(out, data, frozenset({"kind", "entries", "version", "note"}), "file")
    entries = data.get("entries")
    if not isinstance(entries, list):
        out.problem(line_of(data, "entries"), "entries must be a list")
        return out
    seen_ids: dict[str, int] = {}
    for n, item in enumerate(entries):
        if not isinstance(item, dict):
            out.problem(_item_line(out, ["entries"], n, line_of(data, "entries")), f"entry {item!r} is not a mapping")
            continue
        line = item["__line__"]
        eid = item.get("id")
        where = f"entry {eid!r}"
        if not isinstance(eid, str) or not _ID.match(eid):
            out.problem(line, f"{where}: id must be lowercase letters, digits, '-' or '_'")
            continue
        if eid in seen_ids:
            out.problem(line, f"duplicate id {eid!r} (first at line {seen_ids[eid]})")
            continue
        seen_ids[eid] = line
        person = kind == PEOPLE_KIND
        entry = (_person if person else _org)(out, item, known_countries, ["entries", n, "offices" if person else "periods"])
        if entry is None:
            continue
        out.entries.append(entry)
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            out.problem(item["__lines__"].get("aliases", line), f"{where}: aliases must be a list")
            aliases = []
        _add_aliases(out, entry, [(entry.name, "name")] + [(a, "alias") for a in aliases], line)
        entry.example = _example(out, item, entry, aliases)
    return out


def _example(out: _Parsed, item: dict[str, Any], entry: Entry, aliases: list[Any]) -> str | None:
    """The entry's example sentence: text that names the entry (its name or an alias, as a whole word)."""
    value = item.get("example")
    if value is None:
        return None
    line, where = item["__lines__"].get("example", item["__line__"]), f"entry {item.get('id')!r}"
    if not isinstance(value, str) or len(value.split()) < 3:
        out.problem(line, f"{where}: example must be a sentence, not {value!r}")
        return None
    text = f" {_words(value)} "
    names = [entry.name, *(a for a in aliases if isinstance(a, str))]
    if not any(f" {_words(n)} " in text for n in names if _words(n)):
        out.problem(line, f"{where}: the example names the entry by neither its name nor an alias")
        return None
    return value.strip()


def _words(text: str) -> str:
    """Lowercase ASCII words of ``text``, single-spaced: how an example is searched for a name."""
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(normalise(text))))


def _common(out: _Parsed, item: dict[str, Any], known: set[str]) -> tuple[str, str | None, str | None] | None:
    line, where = item["__line__"], f"entry {item.get('id')!r}"
    name = item.get("name")
    ok = True
    if not isinstance(name, str) or not name.strip():
        out.problem(line, f"{where}: name is required")
        ok = False
    country = _check_country(out, item.get("country"), item["__lines__"].get("country", line), where, known)
    if item.get("country") is not None and country is None:
        ok = False
    wd = item.get("wikidata")
    if wd is not None and (not isinstance(wd, str) or not _QID.match(wd)):
        out.problem(item["__lines__"].get("wikidata", line), f"{where}: wikidata {wd!r} is not a Q-id")
        ok = False
    return (str(name).strip(), country, wd) if ok else None


def _person(out: _Parsed, item: dict[str, Any], known: set[str], offices_path: Sequence[str | int]) -> Entry | None:
    where, line = f"entry {item.get('id')!r}", item["__line__"]
    _check_keys(out, item, PEOPLE_KEYS, where)
    common = _common(out, item, known)
    sector = _check_sector(out, item.get("sector_default", "ELI"), item["__lines__"].get("sector_default", line), where)
    offices = _periods(out, item.get("offices"), line_of(item, "offices", line), where, known, person=True,
                       item_path=offices_path)
    if common is None or (item.get("sector_default") is not None and sector is None):
        return None
    name, country, wd = common
    if country is None:
        out.problem(line, f"{where}: country is required for a person")
        return None
    return Entry(id=f"person:{item['id']}", kind="person", name=name, country=country, sector=sector or "ELI",
                 wikidata=wd, periods=tuple(offices), source=f"{out.path}:{line}")


def _org(out: _Parsed, item: dict[str, Any], known: set[str], periods_path: Sequence[str | int]) -> Entry | None:
    where, line = f"entry {item.get('id')!r}", item["__line__"]
    lines = item["__lines__"]
    _check_keys(out, item, ORG_KEYS, where)
    common = _common(out, item, known)
    sector = _check_sector(out, item.get("sector"), lines.get("sector", line), where)
    org_type = item.get("type", "other")
    ok = common is not None and (item.get("sector") is None or sector is not None)
    if org_type not in ORG_TYPES:
        out.problem(lines.get("type", line), f"{where}: type {org_type!r} not one of {', '.join(sorted(ORG_TYPES))}")
        ok = False
    code = item.get("code")
    if code is not None and (not isinstance(code, str) or not _CODE.match(code)):
        out.problem(lines.get("code", line), f"{where}: code {code!r} is not a CAMEO-style code")
        ok = False
    periods = _periods(out, item.get("periods"), line_of(item, "periods", line), where, known, person=False,
                       item_path=periods_path)
    if not ok or common is None:
        return None
    name, country, wd = common
    return Entry(id=f"org:{item['id']}", kind="org", name=name, country=country, sector=sector, wikidata=wd,
                 code=code, periods=tuple(periods), org_type=org_type, source=f"{out.path}:{line}")


def _builtin_countries() -> set[str]:
    """ISO codes of the built-in country table: other files' country fields are checked against them."""
    codes: set[str] = set()
    with (DATA_DIR / "countries.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            cell = line.split("\t", 1)[0].strip()
            if _ISO3.match(cell):
                codes.add(cell)
    return codes


@lru_cache(maxsize=1)
def builtin_country_entries() -> tuple[Entry, ...]:
    """The countries of the built-in table (``countries.tsv``), read and checked as the lexicon reads them."""
    parsed = _parse_file(DATA_DIR / "countries.tsv", _builtin_countries())
    return tuple(e for e in parsed.entries if e.kind == "country")


def _parse_file(path: Path, known_countries: set[str]) -> _Parsed:
    """One actor lexicon file, read as the kind it declares."""
    out = _Parsed(path)
    kind = _lexicon_kind(path, out.problems)
    if kind is None:
        return out
    if kind in (COUNTRIES_KIND, ROLES_KIND):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            out.problem(1, f"cannot read: {exc}")
            return out
        return _parse_tsv(path, text, known_countries, kind)
    return _parse_yaml(path, known_countries, kind)


def _alias_conflicts(parsed: _Parsed) -> None:
    """Inside one file an alias may name only one entry."""
    owner: dict[str, tuple[str, int]] = {}
    for alias, line in parsed.aliases:
        prev = owner.get(alias.key)
        if prev is None:
            owner[alias.key] = (alias.entry_id, line)
        elif prev[0] != alias.entry_id:
            parsed.problem(line, f"alias {alias.surface!r} of {alias.entry_id} already names {prev[0]} (line {prev[1]})")


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem in one actors data file (empty list = valid), read as the kind it declares (:data:`KINDS`)."""
    p = Path(path)
    if declared_kind(p) == WORD_LISTS_KIND:
        problems: list[Problem] = []
        read_word_lists(p, problems)
        return problems
    known = _builtin_countries()
    parsed = _parse_file(p, known)
    _alias_conflicts(parsed)
    return sorted(parsed.problems, key=lambda pr: pr.line)


def files_hash(paths: Sequence[Path]) -> str:
    """Content hash of the lexicon files in load order: the coder's ``lexicons`` version."""
    h = hashlib.sha256()
    for p in paths:
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def load_lexicon(extra_files: Sequence[str | Path] = (), *, builtin: bool = True) -> Lexicon:
    """Load and validate the built-in files then ``extra_files`` (in order); raise LexiconError on any problem."""
    builtin_paths = list(BUILTIN_FILES) if builtin else []
    extra_paths = [Path(p) for p in extra_files]
    known = _builtin_countries() if builtin else set()
    # Table files (countries, roles) first so that people/org files may use codes a user's country file adds.
    def tables_first(p: Path) -> bool:
        return declared_kind(p) not in (COUNTRIES_KIND, ROLES_KIND)

    ordered = sorted(builtin_paths, key=tables_first) + sorted(extra_paths, key=tables_first)
    lex = Lexicon(files=builtin_paths + extra_paths)
    problems: list[Problem] = []
    alias_src: dict[str, tuple[str, bool, str]] = {}  # key -> (entry id, from an extra file, file)
    for path in ordered:
        is_extra = path in extra_paths
        parsed = _parse_file(path, known)
        _alias_conflicts(parsed)
        if parsed.problems:
            problems.extend(parsed.problems)
            continue
        for entry in parsed.entries:
            old = lex.entries.get(entry.id)
            if old is not None:
                if not is_extra:
                    problems.append(Problem(str(path), _line(entry), f"id {entry.id} already defined at {old.source}"))
                    continue
                _drop_aliases(lex, entry.id)  # the override replaces the whole entry, aliases included
            lex.entries[entry.id] = entry
        for alias, line in parsed.aliases:
            prev = alias_src.get(alias.key)
            if prev and prev[0] != alias.entry_id:
                if not is_extra and not prev[1]:
                    problems.append(Problem(str(path), line,
                                            f"alias {alias.surface!r} of {alias.entry_id} already names {prev[0]} ({prev[2]})"))
                    continue
                lex.aliases[alias.key] = [a for a in lex.aliases.get(alias.key, []) if a.entry_id == alias.entry_id]
            alias_src[alias.key] = (alias.entry_id, is_extra, str(path))
            bucket = lex.aliases.setdefault(alias.key, [])
            if alias not in bucket:
                bucket.append(alias)
    if problems:
        raise LexiconError(problems, "actor lexicon")
    lex.aliases = {k: v for k, v in lex.aliases.items() if v}
    lex.hash = files_hash(lex.files)
    return lex


def _line(entry: Entry) -> int:
    try:
        return int(entry.source.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 1


def _drop_aliases(lex: Lexicon, entry_id: str) -> None:
    for key in list(lex.aliases):
        lex.aliases[key] = [a for a in lex.aliases[key] if a.entry_id != entry_id]
