"""`dragoman eval dates` prints exactly the reference scorer's figures; the tune/check split is stable."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import dragoman.cli.dates  # noqa: F401  (registers the commands)
from dragoman.cli.app import main
from dragoman.evaluation.dates import format_figures, load_jsonl, score_dates
from dragoman.evaluation.split import in_split, select, split_of


def reference(shared: Path, gold: Path, pred: Path) -> str:
    out = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "dates", str(gold), str(pred)],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def dev_file(shared: Path) -> Path:
    path = shared / "eval" / "time_dev.jsonl"
    if not path.exists():
        pytest.skip("time_dev.jsonl not in ../shared/eval")
    return path


def test_split_is_stable_and_partitions() -> None:
    ids = [f"doc{i}" for i in range(200)]
    tune = [i for i in ids if in_split(i, "tune")]
    check = [i for i in ids if in_split(i, "check")]
    assert sorted(tune + check) == sorted(ids) and tune and check
    assert all(split_of(i) == "tune" for i in tune)
    assert [r["id"] for r in select([{"id": i} for i in ids], None)] == ids
    with pytest.raises(ValueError):
        in_split("x", "nosuch")


def test_scorer_matches_reference_on_perturbed_predictions(shared: Path, tmp_path: Path) -> None:
    gold_path = dev_file(shared)
    gold = load_jsonl(gold_path)
    rng = random.Random(4)
    preds = []
    for rec in gold:
        for t in rec["timexes"]:
            roll = rng.random()
            if roll < 0.15:
                continue  # missed
            shift = rng.choice([0, 0, 2, -3])
            value = t["value"] if roll < 0.75 else "PAST_REF"
            ptype = t["type"] if rng.random() < 0.9 else rng.choice(["DATE", None, "TIME"])
            preds.append({"article_id": rec["id"], "start": t["start"] + shift, "end": t["end"] + shift,
                          "type": ptype, "value": value.lower() if rng.random() < 0.1 else value})
        if rng.random() < 0.3:
            preds.append({"article_id": rec["id"], "start": 0, "end": 3, "type": "DATE", "value": "2000"})
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    assert format_figures(score_dates(gold, preds)) == reference(shared, gold_path, pred_path)


def test_eval_dates_cli_matches_reference_on_a_subset(shared: Path, tmp_path: Path) -> None:
    records = load_jsonl(dev_file(shared))[:6]
    gold = tmp_path / "time_sub.jsonl"  # a temporary slice of the shared file, never stored in the repo
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["eval", "dates", str(gold), "--pred-out", str(pred)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == reference(shared, gold, pred)


@pytest.mark.slow
def test_eval_dates_cli_matches_reference_on_the_dev_file(shared: Path, tmp_path: Path) -> None:
    gold = dev_file(shared)
    pred = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["eval", "dates", str(gold), "--pred-out", str(pred)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == reference(shared, gold, pred)
    figures = json.loads(result.output)
    assert figures["recognition_F1"] >= 0.85 and figures["value_acc_matched"] >= 0.85


def test_dates_command_jsonl_and_table(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": "The talks began on March 3 and stalled last month.",
                               "dct": "2021-03-05"}) + "\n" + "not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-q", "dates", str(src), "--format", "jsonl"])
    assert result.exit_code == 1  # one line failed, named on stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["article_id"], r["text"], r["type"], r["value"]) for r in rows] == [
        ("a1", "March 3", "DATE", "2021-03-03"), ("a1", "last month", "DATE", "2021-02")]
    assert "in.jsonl:2" in result.stderr
    txt = tmp_path / "note.txt"
    txt.write_text("Farmers gathered in the capital in late 2018 and again last year.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-q", "dates", str(txt), "--published", "2021-03-05"])
    assert result.exit_code == 0, result.output
    assert "late 2018" in result.stdout and "END" in result.stdout and "value" in result.stdout.splitlines()[0]

