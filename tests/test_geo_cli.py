"""`dragoman places` and `dragoman eval places|eventloc` (same JSON as the reference scorer)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dragoman.cli import main
from dragoman.evaluation.places import score_eventloc, score_places
from dragoman.evaluation.split import in_split


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_places_command_jsonl_and_table(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [{"id": "a1", "text": "Shelling hit villages near Aleppo and Idlib in northern Syria."}])
    res = CliRunner().invoke(main, ["-q", "places", str(src), "--input-format", "jsonl", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert {r["name"] for r in rows} >= {"Aleppo", "Syria"}
    assert set(rows[0]) == {"article_id", "start", "end", "name", "geonameid", "lat", "lon", "country", "feature",
                            "type", "admin1"}
    aleppo = next(r for r in rows if r["name"] == "Aleppo")
    assert aleppo["admin1"] and aleppo["admin1"].startswith("SY.")  # the province it lies in
    assert all(r["country"] == "SYR" for r in rows)
    res = CliRunner().invoke(main, ["-q", "places", str(src), "--format", "table"])
    assert res.exit_code == 0 and "Aleppo" in res.output and "geonameid" in res.output.splitlines()[0]


def test_places_command_types_and_literal_only(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, [{"id": "b1", "text": "Ghanaian officials said floods had cut the road to Garissa."}])
    res = CliRunner().invoke(main, ["-q", "places", str(src), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    types = {json.loads(x)["name"]: json.loads(x)["type"] for x in res.output.splitlines()}
    assert types.get("Garissa") == "literal" and types.get("Ghanaian") in ("modifier", "demonym")
    res = CliRunner().invoke(main, ["-q", "places", str(src), "--format", "jsonl", "--literal-only"])
    assert [json.loads(x)["name"] for x in res.output.splitlines()] == ["Garissa"]


def test_places_command_reports_unreadable_input(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["places", str(tmp_path / "missing.jsonl")])
    assert res.exit_code == 3


def test_scorers_on_our_own_records() -> None:
    gold = [{"id": "g1", "toponyms": [
        {"start": 0, "end": 5, "lat": 33.3, "lon": 44.4, "geonameid": 98182, "type": "Literal"},
        {"start": 10, "end": 15, "lat": 10.0, "lon": 10.0, "geonameid": None, "type": "Metonymic"},
        {"start": 20, "end": 25, "lat": 48.85, "lon": 2.35, "geonameid": 2988507, "type": None}]}]
    preds = [{"article_id": "g1", "start": 1, "end": 4, "lat": 33.34, "lon": 44.4, "geonameid": 98182},
             {"article_id": "g1", "start": 20, "end": 25, "lat": 40.0, "lon": -3.0, "geonameid": 1},
             {"article_id": "g1", "start": 30, "end": 35, "lat": None, "lon": None, "geonameid": None}]
    s = score_places(gold, preds)
    assert (s["gold_toponyms"], s["pred_toponyms"], s["recognition_P"], s["recognition_R"]) == (2, 3, 0.667, 1.0)
    assert (s["acc_161km"], s["geonameid_acc"]) == (0.5, 0.5)
    el_gold = [{"id": "e1", "locations": [{"start": 5, "end": 9}]}, {"id": "e2", "locations": []},
               {"id": "e3", "locations": []}]
    e = score_eventloc(el_gold, [{"article_id": "e1", "start": 6, "end": 7}, {"article_id": "e3", "start": 0, "end": 1}])
    assert (e["accuracy"], e["right_by_giving_none"], e["always_none_baseline"]) == (0.667, 1, 0.667)


def test_split_is_a_stable_half() -> None:
    ids = [f"r{i}" for i in range(400)]
    tune = [i for i in ids if in_split(i, "tune")]
    assert 150 < len(tune) < 250
    assert all(in_split(i, "check") != in_split(i, "tune") for i in ids)
    assert all(in_split(i, None) for i in ids)


@pytest.mark.parametrize(("task", "fname", "n"), [("places", "geo_dev.jsonl", 6), ("eventloc", "eventloc_dev.jsonl", 120)])
def test_eval_matches_reference_scorer(shared: Path, tmp_path: Path, task: str, fname: str, n: int) -> None:
    src = shared / "eval" / fname
    if not src.exists():
        pytest.skip(f"{fname} not in ../shared/eval")
    gold = tmp_path / fname  # a small slice keeps the test fast; it stays outside the repository
    with src.open(encoding="utf-8") as fh:
        gold.write_text("".join(next(fh) for _ in range(n)), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    res = CliRunner().invoke(main, ["eval", task, str(gold), "--pred-out", str(pred)])
    assert res.exit_code == 0, res.output
    ours = json.loads(res.output)
    ref = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), task, str(gold), str(pred)],
                         capture_output=True, text=True, check=True)
    assert ours == json.loads(ref.stdout)
    assert res.output.strip() == ref.stdout.strip()  # the same JSON, byte for byte
    res = CliRunner().invoke(main, ["eval", task, str(gold), "--split", "tune"])
    assert res.exit_code == 0 and json.loads(res.output)
