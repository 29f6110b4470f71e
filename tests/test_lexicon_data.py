"""The shipped event lexicons (cameo.tsv, verbs.yaml, nouns.yaml) are valid and sane; bad files are reported
with file and line. No spaCy here: tools/check_lemmas.py checks the trigger lemmas against the examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.events import lexicon
from dragoman.events.lexicon import (
    BOOLEAN_CONDITION_KEYS,
    CAMEO_TABLE,
    PLOVER_TYPES,
    TRIGGER_FILES,
    LexiconError,
    cameo_table,
    code_info,
    load_trigger_lexicon,
    validate_cameo_file,
    validate_trigger_file,
)

ROOTS = [f"{i:02d}" for i in range(1, 21)]


def quad_of_root(root: str) -> int:
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


@pytest.fixture(scope="module")
def lex():
    return load_trigger_lexicon()


def all_entries(lex):
    return [e for group in lex.entries.values() for e in group]


# ---------------------------------------------------------------- shipped files load cleanly
def test_cameo_file_has_no_problems():
    assert validate_cameo_file(CAMEO_TABLE) == []


@pytest.mark.parametrize("path", TRIGGER_FILES, ids=lambda p: p.name)
def test_trigger_files_have_no_problems(path):
    assert path.exists()
    assert [str(p) for p in validate_trigger_file(path)] == []


def test_lexicon_loads(lex):
    assert lex.hash
    assert len(all_entries(lex)) >= 350
    assert {"hold", "launch", "begin", "carry", "stage"} <= lex.light_verbs


# ---------------------------------------------------------------- the CAMEO table
def test_every_root_and_its_unspecified_code_present():
    table = cameo_table()
    for root in ROOTS:
        assert root in table, root
        assert root + "0" in table, root + "0"


def test_table_size_and_hierarchy():
    table = cameo_table()
    assert 300 <= len(table) <= 330
    for code in table:
        if len(code) == 4:
            assert code[:3] in table, f"{code} has no parent {code[:3]}"
        if len(code) >= 3:
            assert code[:2] in table


def test_known_codes_present():
    table = cameo_table()
    for code in [
        "0211",
        "0256",
        "0344",
        "0874",
        "1056",
        "1125",
        "1246",
        "1385",
        "1454",
        "155",
        "1663",
        "176",
        "1834",
        "1952",
        "2042",
    ]:
        assert code in table, code


def test_quad_class_follows_root():
    for code, info in cameo_table().items():
        assert info.quad_class == quad_of_root(info.root), code


def test_goldstein_sign_follows_cooperation_and_conflict():
    for code, info in cameo_table().items():
        root = int(info.root)
        if 3 <= root <= 8:
            assert info.goldstein > 0, code
        elif root >= 9:
            assert info.goldstein < 0, code
        else:  # statements and appeals: neutral to mildly cooperative
            assert -1 <= info.goldstein <= 4, code


@pytest.mark.parametrize(
    ("code", "goldstein"),
    [
        ("010", 0.0),
        ("036", 4.0),
        ("042", 1.9),
        ("057", 8.0),
        ("0874", 10.0),
        ("112", -2.0),
        ("130", -4.4),
        ("138", -7.0),
        ("163", -8.0),
        ("173", -5.0),
        ("190", -10.0),
        ("195", -10.0),
    ],
)
def test_known_goldstein_values(code, goldstein):
    assert cameo_table()[code].goldstein == goldstein


@pytest.mark.parametrize(
    ("code", "plover", "mode"),
    [
        ("020", "REQUEST", None),
        ("036", "AGREE", None),
        ("042", "CONSULT", "visit"),
        ("057", "SUPPORT", None),
        ("064", "COOPERATE", None),
        ("073", "AID", None),
        ("0841", "RETREAT", "release"),
        ("0871", "RETREAT", "ceasefire"),
        ("091", "ACCUSE", "investigate"),
        ("1053", "REQUEST", "yield"),
        ("111", "ACCUSE", "disapprove"),
        ("125", "REJECT", "meet"),
        ("138", "THREATEN", "violence"),
        ("141", "PROTEST", "demo"),
        ("154", "MOBILIZE", "troops"),
        ("163", "SANCTION", "restrict"),
        ("173", "COERCE", "arrest"),
        ("181", "ASSAULT", "abduct"),
        ("193", "ASSAULT", "firearms"),
        ("195", "ASSAULT", "aerial"),
        ("2041", "ASSAULT", "cbrn"),
    ],
)
def test_plover_crosswalk_spot_checks(code, plover, mode):
    info = cameo_table()[code]
    assert (info.plover, info.plover_mode) == (plover, mode)


def test_every_plover_type_is_in_the_table():
    assert {i.plover for i in cameo_table().values()} == PLOVER_TYPES


def test_code_info_falls_back_to_parent():
    info = code_info("1999")  # not a CAMEO code: takes 199 -> 19
    assert info.code == "1999" and info.quad_class == 4 and info.plover == "ASSAULT"


# ---------------------------------------------------------------- the trigger lexicon
def test_every_root_has_a_trigger(lex):
    roots = {e.code[:2] for e in all_entries(lex)}
    assert roots == set(ROOTS)


def test_every_plover_type_is_reachable(lex):
    table = cameo_table()
    codes = {e.code for e in all_entries(lex)} | {r.code for e in all_entries(lex) for r in e.rules if r.code}
    assert {table[c].plover for c in codes} == PLOVER_TYPES


def test_every_referenced_code_exists(lex):
    table = cameo_table()
    for e in all_entries(lex):
        assert e.code in table, (e.file, e.line)
        for r in e.rules:
            # a null code is a rule saying "no event in this use"
            assert r.code is None or r.code in table, (e.file, r.line)


def _scalars(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _scalars(v)
    elif isinstance(node, list):
        for v in node:
            yield from _scalars(v)
    else:
        yield node


@pytest.mark.parametrize("path", TRIGGER_FILES, ids=lambda p: p.name)
def test_no_yaml_booleans_in_lemma_lists(path):
    """Unquoted on/off/yes/no are YAML 1.1 booleans: ``prep: [on]`` would silently match nothing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lists = [*(data.get("classes") or {}).values(), data.get("light_verbs") or []]
    for entry in data["entries"]:
        rules = entry.get("rules") or []
        for rule in (r for item in rules for r in (item if isinstance(item, list) else [item])):
            lists.extend(v for k, v in rule["when"].items() if k not in (*BOOLEAN_CONDITION_KEYS, "source"))
    bad = [v for values in lists for v in _scalars(values) if not isinstance(v, str)]
    assert bad == []


def test_every_entry_has_an_example(lex):
    missing = [f"{e.file}:{e.line}" for e in all_entries(lex) if not (e.example and e.example.strip())]
    assert missing == []


def test_nouns_and_verbs_split(lex):
    entries = all_entries(lex)
    nouns = [e for e in entries if e.pos == "NOUN"]
    assert len(nouns) >= 80
    assert all(Path(e.file).name == "nouns.yaml" for e in nouns)


@pytest.mark.parametrize(
    ("lemma", "pos", "code"),
    [
        ("meet", "VERB", "040"),
        ("visit", "VERB", "042"),
        ("accuse", "VERB", "112"),
        ("condemn", "VERB", "111"),
        ("threaten", "VERB", "130"),
        ("arrest", "VERB", "173"),
        ("shell", "VERB", "194"),
        ("sign", "VERB", "057"),
        ("talk", "NOUN", "040"),
        ("airstrike", "NOUN", "195"),
        ("ceasefire", "NOUN", "0871"),
        ("sanction", "NOUN", "163"),
    ],
)
def test_spot_check_plain_codes(lex, lemma, pos, code):
    plain = [e for e in lex.lookup(lemma, pos) if e.particle is None]
    assert plain and plain[0].code == code


def test_particle_entries(lex):
    crack = lex.lookup("crack", "VERB")
    assert crack[0].particle == "down" and crack[0].code == "175"


def test_threaten_rules_refine_to_military_force(lex):
    rules = lex.lookup("threaten", "VERB")[0].rules
    xcomp_attack = [
        r for r in rules if dict(r.when).get("xcomp") and "attack" in lex.expand(dict(r.when)["xcomp"])
    ]
    assert xcomp_attack and xcomp_attack[0].code == "138"


# ---------------------------------------------------------------- bad files are reported with file:line
def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


HEAD = "kind: trigger-lexicon\n"  # line 1 of every trigger file below


def test_bad_yaml_reports_line(tmp_path):
    p = write(tmp_path, "bad.yaml", HEAD + "entries:\n  - trigger: foo\n    code: [unclosed\n")
    problems = validate_trigger_file(p)
    assert problems and problems[0].file == str(p) and problems[0].line >= 4
    assert "not valid YAML" in problems[0].message


def test_unknown_code_class_condition_and_slot(tmp_path):
    p = write(
        tmp_path,
        "user.yaml",
        HEAD + "entries:\n"
        "  - trigger: frobnicate\n"  # line 3
        '    code: "999"\n'
        "  - trigger: wibble\n"  # line 5
        '    code: "010"\n'
        "    target: [nowhere]\n"
        "    rules:\n"
        '      - {when: {dobj: ["@no_such_class"]}, code: "111"}\n'  # line 9
        '      - {when: {colour: [red]}, code: "111"}\n'  # line 10
        '      - {when: {dobj: [x]}, code: "0000"}\n',  # line 11
    )
    problems = validate_trigger_file(p)
    text = "\n".join(str(pr) for pr in problems)
    assert f"{p}:3: frobnicate: CAMEO code '999' not in cameo.tsv" in text
    assert f"{p}:5: wibble: unknown target slot 'nowhere'" in text
    assert f"{p}:9: wibble.dobj: unknown class @no_such_class" in text
    assert f"{p}:10: wibble: unknown condition 'colour'" in text
    assert f"{p}:11: wibble: rule code '0000' not in cameo.tsv" in text
    assert len(problems) == 5


def test_a_bare_yaml_boolean_in_a_condition_is_named(tmp_path):
    # unquoted, "on" is YAML's true: the rule would silently never match "spoke on the radio"
    p = write(
        tmp_path,
        "user.yaml",
        HEAD + "entries:\n"
        "  - trigger: chatter\n"  # line 3
        '    code: "010"\n'
        "    rules:\n"
        '      - {when: {prep: [by, on], pobj: [radio]}, code: "040"}\n'  # line 6
        '      - {when: {prep: [by, "on"], pobj: [radio]}, code: "040"}\n',
    )
    problems = validate_trigger_file(p)
    assert [(pr.line, "YAML boolean" in pr.message, "'true'" in pr.message) for pr in problems] == [(6, True, True)]


def test_duplicate_trigger_and_unknown_key(tmp_path):
    p = write(
        tmp_path,
        "dup.yaml",
        HEAD + 'entries:\n  - trigger: zap\n    code: "190"\n  - trigger: zap\n    code: "193"\n    colour: red\n',
    )
    text = "\n".join(str(pr) for pr in validate_trigger_file(p))
    assert f"{p}:5: unknown keys ['colour']" in text
    assert f"{p}:5: duplicate trigger 'zap' (VERB), first at line 3" in text


def test_entries_that_are_not_mappings_and_bad_sections_report_their_line(tmp_path):
    p = write(
        tmp_path,
        "odd.yaml",
        HEAD + "classes: [weapon]\n"  # line 2
        "light_verbs: hold\n"  # line 3
        "colour: red\n"  # line 4
        "entries:\n"
        "  - just a word\n"  # line 6
        "  - trigger: zap\n"  # line 7
        '    code: "190"\n'
        "    rules:\n"
        "      - not a rule\n",  # line 10
    )
    got = {(pr.line, pr.message.split(":")[0]) for pr in validate_trigger_file(p)}
    assert {(2, "'classes' must be a mapping of name -> list"), (3, "'light_verbs' must be a list"),
            (4, "unknown top-level key 'colour' (allowed"), (6, "entry must be a mapping, got 'just a word'"),
            (10, "zap")} <= got
    assert all(line > 0 for line, _ in got)


def test_load_raises_with_file_and_line(tmp_path):
    p = write(tmp_path, "broken.yaml", HEAD + 'entries:\n  - trigger: zap\n    pos: ADJ\n    code: "190"\n')
    with pytest.raises(LexiconError, match=rf"{p.name}:3: zap: pos must be VERB or NOUN"):
        load_trigger_lexicon([p])


def test_a_trigger_file_without_its_kind_is_refused(tmp_path):
    p = write(tmp_path, "nokind.yaml", 'entries:\n  - trigger: zap\n    code: "190"\n')
    with pytest.raises(LexiconError, match=rf"{p.name}:1: declares no kind; expected trigger-lexicon"):
        load_trigger_lexicon([p])


def test_user_file_overrides_builtin_entry(tmp_path):
    p = write(tmp_path, "override.yaml", HEAD + 'entries:\n  - trigger: visit\n    code: "043"\n    example: "x"\n')
    lex = load_trigger_lexicon([p])
    assert [e.code for e in lex.lookup("visit", "VERB")] == ["043"]


def test_bad_cameo_rows_report_line(tmp_path):
    header = "# kind: cameo-table\ncode\tname\tgoldstein\tquad_class\tplover\tplover_mode\n"
    p = write(
        tmp_path,
        "cameo.tsv",
        header
        + "# a comment row\n"
        + "010\tMake statement\t0.0\t1\tSUPPORT\t\n"  # line 4, fine
        + "0x1\tBad code\t0.0\t1\tSUPPORT\t\n"  # line 5
        + "011\tDecline comment\tlow\t1\tREJECT\t\n"  # line 6
        + "012\tPessimistic\t-0.4\t1\tGLOOM\t\n"  # line 7
        + "013\tOptimistic\t0.4\t7\tSUPPORT\t\n"  # line 8
        + "010\tAgain\t0.0\t1\tSUPPORT\t\n"  # line 9
        + "014\tToo few columns\n",  # line 10
    )
    msgs = [str(pr) for pr in validate_cameo_file(p)]
    assert msgs == [
        f"{p}:5: bad CAMEO code '0x1'",
        f"{p}:6: 011: goldstein and quad_class must be numbers",
        f"{p}:7: 012: unknown PLOVER type 'GLOOM'",
        f"{p}:8: 013: goldstein in [-10, 10], quad_class in 1..4",
        f"{p}:9: duplicate code 010",
        f"{p}:10: 2 cells, the header has 6",
    ]


def test_bad_cameo_header(tmp_path):
    p = write(tmp_path, "cameo.tsv", "# kind: cameo-table\ncode\tname\n010\tMake statement\n")
    problems = validate_cameo_file(p)
    assert len(problems) == 1 and problems[0].line == 2 and "header" in problems[0].message


def test_a_cameo_table_without_its_kind_is_refused(tmp_path):
    p = write(tmp_path, "cameo.tsv", "code\tname\tgoldstein\tquad_class\tplover\tplover_mode\n")
    assert [str(pr) for pr in validate_cameo_file(p)] == [
        f"{p}:1: declares no kind; expected cameo-table (a 'kind: NAME' line at the top)"]


def test_module_paths_point_into_the_package():
    assert CAMEO_TABLE.parent == Path(lexicon.__file__).parent / "data"
