"""Users extend the coder without touching the package: extra trigger and actor files, by option or environment."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dragoman.cli import main

TRIGGERS = """\
kind: trigger-lexicon
version: 1
entries:
  - trigger: snub
    code: "125"
    example: "Ruritania snubbed the Borduria envoy."
"""
ACTORS = """\
kind: actor-organisations
entries:
  - {id: zenda_front, name: Zenda Liberation Front, aliases: [ZLF], country: CZE, sector: REB, type: armed_group}
"""
TEXT = "The Zenda Liberation Front snubbed Poland on Monday."


def run_code(args: list[str], env: dict[str, str] | None = None) -> list[dict]:
    result = CliRunner().invoke(main, ["code", "-", "--input-format", "jsonl", "--format", "jsonl", *args],
                                input=json.dumps({"id": "x1", "text": TEXT, "published": "2021-05-03"}) + "\n",
                                env=env)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_extra_files_by_option_add_a_trigger_and_an_actor(tmp_path: Path) -> None:
    triggers, actors = tmp_path / "mine.yaml", tmp_path / "actors.yaml"
    triggers.write_text(TRIGGERS, encoding="utf-8")
    actors.write_text(ACTORS, encoding="utf-8")
    assert not any(e["cameo"] == "125" for e in run_code([]))
    events = run_code(["--lexicon", str(triggers), "--lexicon", str(actors)])
    assert events and events[0]["cameo"] == "125"
    assert events[0]["source"]["code"] == "CZEREB" and events[0]["target"]["country"] == "POL"
    # provenance names the lexicons used
    from dragoman.coder import Coder

    assert events[0]["coder"]["lexicons"] == Coder(extra_lexicons=[triggers, actors]).info.lexicons
    assert events[0]["coder"]["lexicons"] != Coder().info.lexicons


def test_extra_files_from_the_environment(tmp_path: Path) -> None:
    triggers = tmp_path / "mine.yaml"
    triggers.write_text(TRIGGERS, encoding="utf-8")
    events = run_code([], env={"DRAGOMAN_LEXICONS": str(triggers)})
    assert events and events[0]["cameo"] == "125"


def test_lexicon_validate_reports_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TRIGGERS.replace('"125"', '"999"'), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(TRIGGERS, encoding="utf-8")
    result = CliRunner().invoke(main, ["lexicon", "validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.output and "999" in result.output
    assert str(good) not in result.output.replace(f"{good}: ok", "")


def test_an_added_file_without_a_kind_is_refused_with_the_kinds_it_may_declare(tmp_path: Path) -> None:
    import pytest

    from dragoman.coder.validate import split_user_lexicons
    from dragoman.lexicons import LexiconError

    triggers, actors, bare = tmp_path / "mine.yaml", tmp_path / "actors.yaml", tmp_path / "bare.yaml"
    triggers.write_text(TRIGGERS, encoding="utf-8")
    actors.write_text(ACTORS, encoding="utf-8")
    bare.write_text(TRIGGERS.replace("kind: trigger-lexicon\n", ""), encoding="utf-8")
    assert split_user_lexicons([actors, triggers]) == ([triggers], [actors])
    with pytest.raises(LexiconError) as exc:
        split_user_lexicons([triggers, bare])
    assert [str(p) for p in exc.value.problems] == [
        f"{bare}:1: declares no kind; expected actor-countries or actor-organisations or actor-people or "
        "actor-roles or trigger-lexicon (a 'kind: NAME' line at the top)"]
