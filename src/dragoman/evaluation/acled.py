"""Scoring event types on real news snippets (``acled_*.jsonl``: ACLED event subtypes mapped to PLOVER types).

A snippet's *primary* event is the first predicted mention (in the coder's order, best first) whose factuality
says it happened (asserted, reported, historical); a snippet with none has the primary type ``NONE``. The
primary type is right when it is one of the record's ``plover_ok`` types. Per class (``class``: ASSAULT,
PROTEST, COERCE, AGREE, NONE) precision and recall count a wrong primary type as a false positive of the class
it names (SUPPORT and RETREAT count as AGREE, other types as OTHER). Detection: whether a snippet that should
hold an event (``expect_event``) has any factual mention. The rules are the reference scorer's
(``shared/eval/score.py acled``); a test checks both give identical figures.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from dragoman.evaluation.events import group_by_article, harmonic

FACTUAL = frozenset({"asserted", "reported", "historical"})
CLASSES = ("ASSAULT", "PROTEST", "COERCE", "AGREE", "NONE")
AGREE_LIKE = frozenset({"SUPPORT", "RETREAT"})


def _round(x: float) -> float:
    return round(x, 3)


def score_acled(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures for ``gold`` records and the mention records ``preds`` coded from their texts."""
    by_id = group_by_article(preds)
    typed = right = any_right = 0
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    det_tp = det_fp = det_fn = 0
    for record in gold:
        factual = [p for p in by_id.get(str(record["id"]), []) if p.get("factuality") in FACTUAL]
        primary = (factual[0].get("plover") or "NONE") if factual else "NONE"
        expected = record.get("expect_event")
        if expected is not None:
            det_tp += bool(factual) and expected
            det_fp += bool(factual) and not expected
            det_fn += (not factual) and expected
        ok = record.get("plover_ok")
        if not ok:
            continue
        typed += 1
        cls = record["class"]
        if primary in ok:
            right += 1
            tp[cls] += 1
        else:
            fn[cls] += 1
            fp["AGREE" if primary in AGREE_LIKE else primary if primary in CLASSES else "OTHER"] += 1
        types = {p.get("plover") for p in factual} or {"NONE"}
        any_right += bool(types & set(ok)) or (ok == ["NONE"] and not factual)
    per_class = {}
    for c in CLASSES:
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        per_class[c] = {"P": _round(p), "R": _round(r), "F1": _round(harmonic(p, r)), "gold": tp[c] + fn[c]}
    present = [c for c in CLASSES if per_class[c]["gold"]]
    dp = det_tp / (det_tp + det_fp) if det_tp + det_fp else 0.0
    dr = det_tp / (det_tp + det_fn) if det_tp + det_fn else 0.0
    return {
        "records": len(gold), "typed_records": typed,
        "primary_acc": _round(right / typed) if typed else None,
        "any_acc": _round(any_right / typed) if typed else None,
        "macro_F1": _round(sum(per_class[c]["F1"] for c in present) / len(present)) if present else None,
        "per_class": per_class,
        "detection_P": _round(dp), "detection_R": _round(dr), "detection_F1": _round(harmonic(dp, dr)),
    }
