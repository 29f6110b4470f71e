"""`dragoman eval` gives exactly the reference scorer's figures (shared/eval/score.py)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from dragoman.evaluation.events import read_jsonl, score_answer_key, score_events


def reference(shared: Path, mode: str, gold: Path, pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), mode, str(gold), str(pred)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def perturbed_predictions(gold: list[dict], seed: int) -> list[dict]:
    """Predictions that are partly right, partly wrong, partly missing: exercises every branch of the rules."""
    rng = random.Random(seed)
    roots = [f"{i:02d}" for i in range(1, 21)]
    plovers = ["ASSAULT", "ACCUSE", "CONSULT", "AGREE", "REQUEST", "PROTEST", "THREATEN", "COERCE"]
    preds = []
    for rec in gold:
        for ev in rec["events"]:
            roll = rng.random()
            if roll < 0.2:
                continue
            root = ev.get("cameo_root") if roll < 0.7 else rng.choice(roots)
            cameo = (ev.get("cameo") or (root or "01") + "0") if roll < 0.6 else (root or "01") + "1"
            src = ev.get("source_country") if rng.random() < 0.7 else rng.choice(["USA", "IRQ", None])
            tgt = ev.get("target_country") if rng.random() < 0.7 else rng.choice(["IRN", None])
            preds.append({
                "article_id": rec["id"], "cameo": cameo, "cameo_root": root or cameo[:2],
                "plover": ev.get("plover") if rng.random() < 0.6 else rng.choice(plovers),
                "source": {"code": (src or "---") + "GOV", "country": src} if rng.random() < 0.5 else
                {"code": (src + "GOV") if src else None, "country": None},
                "target": {"code": tgt, "country": tgt} if tgt else None,
            })
        if rng.random() < 0.3:
            preds.append({"article_id": rec["id"], "cameo": "190", "cameo_root": "19", "plover": "ASSAULT",
                          "source": None, "target": None})
    return preds


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_events_scorer_matches_reference(shared: Path, tmp_path: Path, seed: int) -> None:
    gold_path = shared / "eval" / "events_dev.jsonl"
    gold = read_jsonl(gold_path)
    preds = perturbed_predictions(gold, seed)
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    assert score_events(gold, preds) == reference(shared, "events", gold_path, pred_path)


def test_answer_key_scorer_matches_reference(shared: Path, tmp_path: Path) -> None:
    key_path = shared / "corpus" / "seed" / "gold.json"
    key = json.loads(key_path.read_text(encoding="utf-8"))
    sentences = [r["anchor"] for r in key["required"]] + key["tolerated"] + key["predicted"] + ["Nothing here."]
    rng = random.Random(7)
    preds = []
    for s in sentences:
        for _ in range(2):
            req = next((r for r in key["required"] if r["anchor"] == s), None)
            pair = rng.choice(req["countries"]) if req and rng.random() < 0.7 else ["USA", "IRN"]
            root = rng.choice(req["cameo_roots"]) if req and rng.random() < 0.7 else "19"
            preds.append({
                "article_id": "seed", "cameo_root": root, "cameo": root + "0",
                "source": {"code": None, "country": pair[0]}, "target": {"code": None, "country": pair[1]},
                "date": {"start": "2020-06-11", "end": rng.choice(["2020-06-11", "2020-06-30"])},
                "location": {"country": rng.choice(["IRQ", "USA"])},
                "factuality": rng.choice(["asserted", "predicted", "historical", "reported"]),
                "evidence": {"sentence": f"... {s} ..."},
            })
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    assert score_answer_key(key, preds) == reference(shared, "seed", key_path, pred_path)


def perturbed_type_predictions(gold: list[dict], seed: int) -> list[dict]:
    """Typed predictions for snippets: right, wrong, non-factual first, missing, extra."""
    rng = random.Random(seed)
    types = ["ASSAULT", "PROTEST", "COERCE", "AGREE", "SUPPORT", "RETREAT", "ACCUSE", "REQUEST"]
    facts = ["asserted", "reported", "historical", "predicted", "negated"]
    preds = []
    for rec in gold:
        ok = rec.get("plover_ok") or ["NONE"]
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            plover = ok[0] if rng.random() < 0.5 and ok[0] != "NONE" else rng.choice(types)
            preds.append({"article_id": rec["id"], "plover": plover, "factuality": rng.choice(facts)})
    return preds


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_acled_scorer_matches_reference(shared: Path, tmp_path: Path, seed: int) -> None:
    from dragoman.evaluation.acled import score_acled

    gold_path = shared / "eval" / "acled_dev.jsonl"
    gold = read_jsonl(gold_path)
    preds = perturbed_type_predictions(gold, seed)
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    assert score_acled(gold, preds) == reference(shared, "acled", gold_path, pred_path)
