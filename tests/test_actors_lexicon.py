"""Actor lexicon files: the built-in data is valid and complete; bad files are reported by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.actors import (
    BUILTIN_FILES,
    LEXICON_KINDS,
    ActorResolver,
    LexiconError,
    load_lexicon,
    validate_file,
)
from dragoman.lexicons import declared_kind


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.name)
def test_builtin_files_are_valid(path: Path) -> None:
    assert validate_file(path) == []
    assert declared_kind(path) in LEXICON_KINDS


def test_file_kinds() -> None:
    kinds = {p.name: declared_kind(p) for p in BUILTIN_FILES}
    assert kinds == {"countries.tsv": "actor-countries", "roles.tsv": "actor-roles",
                     "organisations.yaml": "actor-organisations", "organisations_regions.yaml": "actor-organisations",
                     "institutions.yaml": "actor-organisations", "people.yaml": "actor-people",
                     "people_g20.yaml": "actor-people", "people_africa.yaml": "actor-people",
                     "people_americas.yaml": "actor-people", "people_asia_pacific.yaml": "actor-people",
                     "people_europe.yaml": "actor-people"}


def test_every_un_member_state_is_present(lex) -> None:
    members = [e for e in lex.entries.values() if e.kind == "country" and e.un_member]
    assert len(members) == 193
    codes = {e.country for e in lex.entries.values() if e.kind == "country"}
    assert {"PSE", "VAT", "XKX", "TWN", "ESH", "HKG"} <= codes


def test_countries_have_demonyms_and_capitals(lex) -> None:
    forms: dict[str, set[str]] = {}
    for aliases in lex.aliases.values():
        for a in aliases:
            forms.setdefault(a.entry_id, set()).add(a.form)
    members = [e.id for e in lex.entries.values() if e.kind == "country" and e.un_member]
    no_adjective = {m for m in members if "adjective" not in forms[m]}
    # Where the adjective is the name itself ("New Zealand troops") the name serves as both; "Dominican"
    # is kept for the Dominican Republic, so Dominica has none.
    assert no_adjective <= {"country:NZL", "country:COG", "country:DMA"}
    # A few capitals are left out on purpose (same word as the country, or an ambiguous word).
    assert sum("capital" in forms[m] for m in members) >= 180


def test_g20_and_middle_east_leaders_are_present(lex) -> None:
    index = lex.offices_index()
    for country in ("USA", "RUS", "CHN", "GBR", "FRA", "DEU", "ITA", "JPN", "CAN", "AUS", "IND", "IDN", "KOR",
                    "BRA", "ARG", "MEX", "ZAF", "TUR", "SAU", "IRN", "IRQ", "SYR", "ISR", "EGY", "JOR", "LBN",
                    "ARE", "QAT", "KWT", "BHR", "OMN", "YEM", "PSE"):
        offices = {o for (c, o) in index if c == country}
        assert offices & {"president", "prime_minister", "chancellor", "monarch", "supreme_leader",
                          "head_of_state"}, country


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


PEOPLE_HEAD = "kind: actor-people\nversion: 1\nentries:\n"


def test_yaml_problems_name_file_and_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "bad.yaml", PEOPLE_HEAD + (
        "  - id: good-person\n"           # line 4
        "    name: Good Person\n"
        "    country: IRQ\n"
        "  - id: bad-country\n"           # line 7
        "    name: Bad Country\n"
        "    country: XXX\n"              # line 9
        "  - id: bad-date\n"
        "    name: Bad Date\n"
        "    country: IRN\n"
        "    offices:\n"
        "      - {office: president, from: 2020-13-01}\n"   # line 14
        "  - id: typo\n"
        "    name: Typo\n"
        "    country: IRN\n"
        "    sector_defualt: GOV\n"       # line 18
        "  - id: bad-sector\n"
        "    name: Bad Sector\n"
        "    country: IRN\n"
        "    sector_default: XYZ\n"       # line 22
    ))
    problems = validate_file(p)
    lines = {pr.line for pr in problems}
    assert {9, 14, 18, 22} <= lines
    assert all(pr.file == str(p) for pr in problems)
    messages = " ".join(pr.message for pr in problems)
    assert "XXX" in messages and "sector_defualt" in messages and "XYZ" in messages
    with pytest.raises(LexiconError) as exc:
        ActorResolver(extra_files=[p])
    assert f"{p}:9:" in str(exc.value)


def test_duplicate_alias_in_one_file_is_an_error(tmp_path: Path) -> None:
    p = _write(tmp_path, "dup.yaml", PEOPLE_HEAD + (
        "  - {id: first, name: First Person, aliases: [Smith], country: GBR}\n"
        "  - {id: second, name: Second Person, aliases: [Smith], country: USA}\n"   # line 5
    ))
    problems = validate_file(p)
    assert [(pr.line, "Smith" in pr.message) for pr in problems] == [(5, True)]


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "syntax.yaml", PEOPLE_HEAD + "  - {id: x, name: [unclosed\n")
    problems = validate_file(p)
    assert problems and problems[0].line >= 4 and "YAML" in problems[0].message


def test_tsv_problems_name_the_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "countries_extra.tsv",
               "# kind: actor-countries\n"
               "iso3\tname\tun_member\taliases\tadjectives\tpeople\tcapitals\twikidata\n"
               "ATL\tAtlantis\tno\t\tAtlantean\tAtlanteans\tPoseidonia\t\n"
               "Iraq\tIraq\tyes\t\t\t\t\t\n"           # line 4: bad code
               "MUV\tMu\tmaybe\t\t\t\t\t\n"             # line 5: bad un_member
               "LEM\tLemuria\tno\n")                    # line 6: short row
    lines = sorted(pr.line for pr in validate_file(p))
    assert lines == [4, 5, 6]
    roles = _write(tmp_path, "roles_extra.tsv",
                   "# kind: actor-roles\nsingular\tplural\tsector\tkind\toffice\nwizard\twizards\tMAG\tperson\t-\n")
    assert [(pr.line, "MAG" in pr.message) for pr in validate_file(roles)] == [(3, True)]
    # the header must be the one of the declared kind
    wrong = _write(tmp_path, "roles_as_countries.tsv", "# kind: actor-countries\nsingular\tplural\tsector\tkind\toffice\n")
    problems = validate_file(wrong)
    assert [pr.line for pr in problems] == [2] and "actor-countries file needs the header" in problems[0].message


def test_unknown_files_are_not_actor_lexicons(tmp_path: Path) -> None:
    p = _write(tmp_path, "other.yaml", "verbs: []\n")
    assert declared_kind(p) is None
    problems = validate_file(p)
    assert [pr.line for pr in problems] == [1] and "declares no kind" in problems[0].message


def test_the_old_header_is_refused_with_the_kind_line_to_write(tmp_path: Path) -> None:
    p = _write(tmp_path, "old.yaml", "dragoman: actor-lexicon\nkind: people\nentries: []\n")
    assert [str(pr) for pr in validate_file(p)] == [
        f"{p}:2: old actor lexicon header: replace 'dragoman: actor-lexicon' and 'kind: people' with "
        "'kind: actor-people'"]


def test_entries_and_periods_that_are_not_mappings_report_their_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "odd.yaml", PEOPLE_HEAD + (
        "  - just a name\n"                               # line 4
        "  - id: with-odd-office\n"
        "    name: With Odd Office\n"
        "    country: KEN\n"
        "    offices:\n"
        "      - president\n"                             # line 9
    ))
    assert sorted((pr.line, pr.message.split(":")[0]) for pr in validate_file(p)) == [
        (4, "entry 'just a name' is not a mapping"), (9, "entry 'with-odd-office'")]


def test_extra_file_overrides_a_builtin_entry_and_changes_the_hash(tmp_path: Path, lex) -> None:
    p = _write(tmp_path, "mine.yaml",
               "kind: actor-organisations\nversion: 1\nentries:\n"
               "  - {id: hezbollah, name: Hezbollah, aliases: [Hizbollah], country: LBN, sector: PTY, type: party}\n"
               "  - {id: sunrise-brigade, name: Sunrise Brigade, country: SYR, sector: REB, type: armed_group}\n")
    merged = load_lexicon([p])
    assert merged.entries["org:hezbollah"].sector == "PTY"
    assert merged.entries["org:sunrise-brigade"].country == "SYR"
    # The override replaced the whole entry: aliases it did not repeat are gone.
    assert "hizballah" not in merged.aliases
    assert merged.hash != lex.hash
    assert load_lexicon([p]).hash == merged.hash  # same content, same hash


def test_extra_file_may_take_a_builtin_alias(tmp_path: Path) -> None:
    p = _write(tmp_path, "alias.yaml", PEOPLE_HEAD + "  - {id: local-mayor, name: Ali Baghdadi, aliases: [Baghdadi], country: IRQ}\n")
    merged = load_lexicon([p])
    assert [a.entry_id for a in merged.aliases["baghdadi"]] == ["person:local-mayor"]
