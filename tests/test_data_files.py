"""Every data file declares its kind and validates through the one dispatcher; every loader names the file and the
line of a problem, and refuses a file of another kind; ``dragoman lexicon validate`` reads each kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dragoman.actors import lexicon as actors
from dragoman.actors.codes import load_part_table
from dragoman.cli import main
from dragoman.coder.validate import KNOWN_KINDS, VALIDATORS, validate_file
from dragoman.events import lexicon as events
from dragoman.events.calibration import load_calibration
from dragoman.events.engine import Judgements
from dragoman.events.factuality import load_cues
from dragoman.events.intent import load_intent_table
from dragoman.geo import GEO_KINDS
from dragoman.lexicons import LexiconError, declared_kind, load_word_lists
from dragoman.time import lexicon as time_lexicon

PACKAGE = Path(events.__file__).resolve().parents[1]
DATA_FILES = sorted(p for d in ("actors", "events", "time", "geo") for p in (PACKAGE / d / "data").iterdir()
                    if p.suffix in (".yaml", ".yml", ".tsv"))
# The geo tables' own rules are tested in test_geo_data.py; here each goes through the dispatcher.
GEO_TABLE_KINDS = frozenset(k for k in GEO_KINDS if k != "word-lists")


def shipped(kind: str) -> Path:
    """A shipped data file of ``kind``."""
    return next(p for p in DATA_FILES if declared_kind(p) == kind)


def _shipped_with(kind: str, old: str, new: str) -> tuple[str, int]:
    """The text of the shipped file of ``kind`` with ``old`` replaced, and the line it was on."""
    text = shipped(kind).read_text(encoding="utf-8")
    assert old in text, (kind, old)
    return text.replace(old, new, 1), text[: text.index(old)].count("\n") + 1


# kind -> (a broken file of that kind, the line of its first problem)
BROKEN: dict[str, tuple[str, int]] = {
    "trigger-lexicon": ('kind: trigger-lexicon\nentries:\n  - trigger: zap\n    code: "999"\n', 3),
    "cameo-table": ("# kind: cameo-table\ncode\tname\tgoldstein\tquad_class\tplover\tplover_mode\n"
                    "0x1\tBad code\t0.0\t1\tSUPPORT\t\n", 3),
    "factuality-cues": _shipped_with("factuality-cues", "attribution_preps: [according]", "attribution_preps: according"),
    "intent-table": _shipped_with("intent-table", '"045": "039"', '"045": "999"'),
    "judgements": _shipped_with("judgements", 'code: "111"', 'code: "999"'),
    "count-nouns": ('kind: count-nouns\nnouns:\n  - {noun: raid, code: "190", example: "A raid."}\n'
                    '  - {noun: sortie, code: "999", example: "A sortie."}\n', 4),
    "number-words": _shipped_with("number-words", "scales: {thousand: 1000", "scales: {thousand: -1000"),
    "word-lists": ("kind: word-lists\nlists:\n  empty:\n    why: nothing\n    example: Nothing here.\n    words: []\n", 6),
    "confidence-calibration": ("# kind: confidence-calibration\nraw_from\tconfidence\n0.0\t0.5\n0.6\t0.4\n", 4),
    "time-lexicon": _shipped_with("time-lexicon", "  january: 1\n", "  january: 13\n"),
    "time-patterns": ("kind: time-patterns\npatterns:\n  - {name: x, kind: date, regex: 'a'}\n"
                      "  - {name: x, kind: date, regex: 'b'}\n", 4),
    "actor-countries": ("# kind: actor-countries\niso3\tname\tun_member\taliases\tadjectives\tpeople\tcapitals\t"
                        "wikidata\nAtlantis\tAtlantis\tno\t\t\t\t\t\n", 3),
    "actor-roles": ("# kind: actor-roles\nsingular\tplural\tsector\tkind\toffice\nwizard\twizards\tMAG\tperson\t-\n", 3),
    "actor-people": ("kind: actor-people\nentries:\n  - {id: someone, name: Some One}\n", 3),
    "actor-organisations": ("kind: actor-organisations\nentries:\n  - {id: a-club, name: A Club, type: club}\n", 3),
    "cameo-code-parts": ("# kind: cameo-code-parts\ncode\tpart\tlabel\texample\nGOV\ttype\tGovernment\tIRQGOV\n"
                         "MAG\tmagic\tWizards\tNARMAG\n", 4),
}
SUFFIX = {"cameo-table": ".tsv", "cameo-code-parts": ".tsv", "actor-countries": ".tsv", "actor-roles": ".tsv", "confidence-calibration": ".tsv"}

# kind -> the loader the coder reads such a file with
LOADERS: dict[str, Callable[[Path], object]] = {
    "trigger-lexicon": lambda p: events.load_trigger_lexicon([p]),
    "factuality-cues": load_cues,
    "intent-table": load_intent_table,
    "judgements": Judgements.load,
    "count-nouns": events.load_count_nouns,
    "number-words": events.load_number_words,
    "word-lists": load_word_lists,
    "confidence-calibration": load_calibration,
    "time-lexicon": lambda p: time_lexicon.load_lexicon(p, time_lexicon.PATTERNS_FILE),
    "time-patterns": lambda p: time_lexicon.load_lexicon(time_lexicon.LEXICON_FILE, p),
    **dict.fromkeys(sorted(actors.LEXICON_KINDS), lambda p: actors.load_lexicon([p])),
    "cameo-code-parts": lambda p: load_part_table((p,)),
}


def write_broken(tmp_path: Path, kind: str) -> tuple[Path, int]:
    text, line = BROKEN[kind]
    path = tmp_path / f"broken_{kind}{SUFFIX.get(kind, '.yaml')}"
    path.write_text(text, encoding="utf-8")
    return path, line


def test_every_known_kind_has_a_shipped_file_and_a_broken_example() -> None:
    assert {declared_kind(p) for p in DATA_FILES} == KNOWN_KINDS == set(BROKEN) | GEO_TABLE_KINDS == set(VALIDATORS)
    # the CAMEO table is read from its one place; geo tables by the gazetteer build (test_geo_data.py)
    assert set(LOADERS) == KNOWN_KINDS - {"cameo-table"} - GEO_TABLE_KINDS


@pytest.mark.parametrize("kind", sorted(GEO_TABLE_KINDS))
def test_a_broken_geo_table_is_reported_through_the_dispatcher(tmp_path: Path, kind: str) -> None:
    text = shipped(kind).read_text(encoding="utf-8").rstrip("\n") + "\nragged row\n"
    path = tmp_path / f"broken_{kind}.tsv"
    path.write_text(text, encoding="utf-8")
    problems = validate_file(path)
    assert [(p.file, p.line) for p in problems][:1] == [(str(path), text.count("\n"))], [str(p) for p in problems]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_shipped_data_file_validates_through_the_dispatcher(path: Path) -> None:
    assert declared_kind(path) in KNOWN_KINDS
    assert [str(p) for p in validate_file(path)] == []


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_file_is_reported_with_its_file_and_line(tmp_path: Path, kind: str) -> None:
    path, line = write_broken(tmp_path, kind)
    problems = validate_file(path)
    assert problems and all(p.file == str(path) for p in problems)
    assert problems[0].line == line, [str(p) for p in problems]


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_each_loader_names_the_file_and_line(tmp_path: Path, kind: str) -> None:
    path, line = write_broken(tmp_path, kind)
    with pytest.raises(LexiconError) as exc:
        LOADERS[kind](path)
    assert (str(path), line) in {(p.file, p.line) for p in exc.value.problems}, str(exc.value)


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_each_loader_refuses_a_file_of_another_kind(kind: str) -> None:
    other = "judgements" if kind != "judgements" else "intent-table"
    path = shipped(other)
    with pytest.raises(LexiconError) as exc:
        LOADERS[kind](path)
    message = str(exc.value)
    assert f"{path}:" in message and f"declares kind '{other}'; expected " in message and kind in message


def test_a_file_of_no_known_kind_is_one_problem_naming_the_known_kinds(tmp_path: Path) -> None:
    path = tmp_path / "recipe.yaml"
    path.write_text("# a file of ours\nkind: recipe\nsteps: []\n", encoding="utf-8")
    problems = validate_file(path)
    assert len(problems) == 1 and problems[0].file == str(path) and problems[0].line == 2
    assert "declares kind 'recipe'" in problems[0].message
    assert all(kind in problems[0].message for kind in KNOWN_KINDS)


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_lexicon_validate_reads_each_kind(tmp_path: Path, kind: str) -> None:
    good = shipped(kind)
    result = CliRunner().invoke(main, ["lexicon", "validate", str(good)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    bad, line = write_broken(tmp_path, kind)
    result = CliRunner().invoke(main, ["lexicon", "validate", str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(re.match(rf"^{re.escape(str(bad))}:\d+: \S", out) for out in lines), lines
    assert lines[0].startswith(f"{bad}:{line}: ")
