"""The CLI's shared input reader and exit status: every command that reads inputs counts and exits alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.cli.app import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_FAILED, input_status
from dragoman.cli.inputs import InputTally, read_inputs
from dragoman.model import Article


@pytest.mark.parametrize(("done", "refused", "empty_is_nothing", "status"), [
    (2, 0, False, EXIT_OK), (2, 1, False, EXIT_SOME_FAILED), (0, 1, False, EXIT_NOTHING_DONE),
    (0, 0, False, EXIT_OK), (0, 0, True, EXIT_NOTHING_DONE), (1, 0, True, EXIT_OK),
])
def test_input_status(done: int, refused: int, empty_is_nothing: bool, status: int) -> None:
    assert input_status(done, refused, nothing_done_if_empty=empty_is_nothing) == status


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    records = tmp_path / "wire.jsonl"
    records.write_text(json.dumps({"id": "w1", "text": "Farmers in Bolivia blocked roads near Sucre on Monday.",
                                   "dct": "2021-09-06"}) + "\n" + "{broken\n", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("The Latvian parliament approved a new defence budget on Thursday.\n", encoding="utf-8")
    return records, note


def test_jsonl_names_are_records_only_when_asked(tmp_path: Path) -> None:
    records, note = _inputs(tmp_path)
    by_suffix = list(read_inputs([str(note), str(records)], records_by_suffix=True))
    # Records come first (read as they are met), then the files the ingest readers take.
    assert isinstance(by_suffix[0], Article) and by_suffix[0].article_id == "w1"
    assert by_suffix[0].published == "2021-09-06"
    assert isinstance(by_suffix[1], str) and "wire.jsonl:2" in by_suffix[1]
    assert isinstance(by_suffix[2], Article) and "Latvian" in by_suffix[2].text
    # Without, the ingest readers take every file in the order given, and `dct` is not a publication date.
    as_files = list(read_inputs([str(note), str(records)]))
    assert [a.article_id for a in as_files if isinstance(a, Article)] == [by_suffix[2].article_id, "w1"]
    assert as_files[1].published is None


def test_tally_names_each_refusal_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records, _note = _inputs(tmp_path)
    tally = InputTally()
    read = list(tally.articles(read_inputs([str(records), str(tmp_path / "missing.txt")], "jsonl")))
    assert [a.article_id for a in read] == ["w1"]
    assert (tally.read, tally.refused, tally.exit_status()) == (1, 2, EXIT_SOME_FAILED)
    assert tally.failed_note() == "; 2 input(s) failed"
    err = capsys.readouterr().err
    assert err.count("error: ") == 2 and "missing.txt" in err
