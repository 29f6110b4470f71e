"""CAMEO actor codes split into GDELT's parts (dragoman.actors.codes), and the country code tables the exports
read (dragoman.geo.country_codes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.actors.codes import CODE_PARTS_FILE, load_part_table, part_table, read_code_parts, validate_file
from dragoman.actors.lexicon import builtin_country_entries, load_lexicon
from dragoman.geo.country_codes import country_codes
from dragoman.lexicons import LexiconError, Problem

FIELD = {"type": "types", "religion": "religions", "ethnic": "ethnic", "known_group": "known_group"}


def rows() -> list[tuple[int, dict[str, str]]]:
    problems: list[Problem] = []
    found = read_code_parts(CODE_PARTS_FILE, problems)
    assert problems == []
    return found


@pytest.mark.parametrize("row", [r for _line, r in rows()], ids=lambda r: r["code"])
def test_every_part_is_read_as_its_kind_in_its_example(row: dict[str, str]) -> None:
    parts = part_table().split(row["example"])
    assert parts is not None and parts.unknown == ()
    if row["part"] == "region":
        # a region leading the code is its country; inside an organisation's code it is the organisation's scope
        assert parts.country == row["code"] if row["example"].startswith(row["code"]) else parts.country is None
        return
    value = getattr(parts, FIELD[row["part"]])
    assert row["code"] in value if isinstance(value, tuple) else value == row["code"]


def test_every_code_the_built_in_lexicons_give_splits_without_unknown_parts() -> None:
    table = part_table()
    lexicon = load_lexicon()
    codes = {e.code for e in lexicon.entries.values() if e.code}
    codes |= {f"{e.id.split(':', 1)[-1]}{sector}" for e in builtin_country_entries() for sector in ("", "GOV", "MIL")}
    unknown = {code: table.split(code).unknown for code in codes if table.split(code).unknown}
    assert unknown == {}


def test_a_code_splits_as_gdelt_splits_it() -> None:
    table = part_table()
    gov = table.split("IRQGOVMIL")
    assert (gov.country, gov.types, gov.known_group) == ("IRQ", ("GOV", "MIL"), None)
    un = table.split("IGOUNOWFP")  # the most specific organisation is the known group
    assert (un.country, un.types, un.known_group) == (None, ("IGO",), "WFP")
    assert table.split("---REB").types == ("REB",) and table.split("---REB").country is None
    assert table.split("SYRREBSUN").religions == ("SUN",)
    assert table.split("ZZZGOV").unknown == ("ZZZ",)  # never guessed
    assert table.split(None) is None
    assert gov.type_labels(table) == ["Government", "Military"]


def test_a_broken_parts_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "parts.tsv"
    path.write_text("# kind: cameo-code-parts\ncode\tpart\tlabel\texample\nGOV\ttype\tGovernment\tIRQGOV\n"
                    "WIZ\tmagic\tWizards\tNARWIZ\nGOV\ttype\tAgain\tUSAGOV\nABC\ttype\tABC\tUSAGOV\n", encoding="utf-8")
    problems = validate_file(path)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(4, "part"), (5, "code"), (6, "example")]
    with pytest.raises(LexiconError, match="parts.tsv"):
        load_part_table((path,))


def test_a_users_parts_file_adds_codes(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("# kind: cameo-code-parts\ncode\tpart\tlabel\texample\nFSH\ttype\tFishers\tPERFSH\n",
                    encoding="utf-8")
    assert load_part_table((path,)).split("PERFSH").types == ("FSH",)


def test_fips_codes_are_what_gdelt_writes() -> None:
    codes = country_codes()
    assert [codes.fips[c] for c in ("IRQ", "DEU", "GBR", "USA", "ISR", "SYR")] == ["IZ", "GM", "UK", "US", "IS", "SY"]
    assert codes.admin1_code("IRQ", "IQ.07") == "IZ07" and codes.admin1_code("IRQ", None) == "IZ"
    assert codes.admin1_code("XXX", "07") is None
    # every state the actor lexicon knows has a FIPS code (the CAMEO regions are not states)
    states = {e.id.split(":", 1)[-1] for e in builtin_country_entries()} - {"EUR", "WST", "AFR", "MEA"}
    assert sorted(states - set(codes.fips)) == []
