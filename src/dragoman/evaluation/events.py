"""Scoring event mentions against sentence-level gold (``events_*.jsonl``) and article answer keys (``seed``).

The rules are those of the project's reference scorer (``shared/eval/score.py``), re-implemented here so
``dragoman eval`` works without the shared folder; a test checks that both give identical figures.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def group_by_article(preds: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in preds:
        groups[str(p.get("article_id"))].append(p)
    return groups


def actor_country(actor: dict[str, Any] | None) -> str | None:
    """The actor's country, else the first three letters of its code (``---`` means unknown)."""
    if not actor:
        return None
    prefix = (actor.get("code") or "")[:3]
    return actor.get("country") or (prefix if prefix and prefix != "---" else None)


def event_root(event: dict[str, Any]) -> str | None:
    return event.get("cameo_root") or (event.get("cameo") or "")[:2] or None


def harmonic(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score_events(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    by_id = group_by_article(preds)
    n_pred = n_gold = hits = dyad_hits = code3_hits = code3_total = 0
    with_gold = records_hit = 0
    src_right = src_total = tgt_right = tgt_total = 0
    first_gold: list[str | None] = []
    first_pred: list[str | None] = []
    for record in gold:
        gold_events = [e for e in record.get("events", []) if e.get("cameo_root") or e.get("plover")]
        predicted = by_id.get(str(record["id"]), [])
        n_pred += len(predicted)
        n_gold += len(gold_events)
        code3_total += sum(1 for e in gold_events if e.get("cameo") and len(e["cameo"]) >= 3)
        if not gold_events:
            continue
        with_gold += 1
        if any(e.get("plover") for e in gold_events):
            first_gold.append(gold_events[0].get("plover"))
            first_pred.append(predicted[0].get("plover") if predicted else "NONE")
        taken: set[int] = set()
        record_hit = False
        for ge in gold_events:
            g_root = ge.get("cameo_root")
            match = None
            for i, pe in enumerate(predicted):
                if i in taken:
                    continue
                if g_root and event_root(pe) == g_root:
                    match = i
                    break
                if not g_root and ge.get("plover") and pe.get("plover") == ge.get("plover"):
                    match = i
                    break
            if match is None:
                continue
            taken.add(match)
            record_hit = True
            hits += 1
            pe = predicted[match]
            if ge.get("cameo") and len(ge["cameo"]) >= 3 and (pe.get("cameo") or "")[:3] == ge["cameo"][:3]:
                code3_hits += 1
            gs, gt = ge.get("source_country"), ge.get("target_country")
            ps, pt = actor_country(pe.get("source")), actor_country(pe.get("target"))
            if gs:
                src_total += 1
                src_right += ps == gs
            if gt:
                tgt_total += 1
                tgt_right += pt == gt
            if (not gs or ps == gs) and (not gt or pt == gt):
                dyad_hits += 1
        records_hit += record_hit
    per_type: dict[str, float] = {}
    for label in sorted(set(first_gold)):
        tp = sum(1 for g, p in zip(first_gold, first_pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(first_gold, first_pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(first_gold, first_pred, strict=True) if g == label and p != label)
        per_type[label] = round(harmonic(_ratio(tp, tp + fp), _ratio(tp, tp + fn)), 3)
    p_root, r_root = _ratio(hits, n_pred), _ratio(hits, n_gold)
    p_dyad, r_dyad = _ratio(dyad_hits, n_pred), _ratio(dyad_hits, n_gold)
    return {
        "records": len(gold), "records_with_gold": with_gold,
        "gold_events": n_gold, "pred_events": n_pred,
        "root_recall_records": round(records_hit / with_gold, 3) if with_gold else None,
        "root_P": round(p_root, 3), "root_R": round(r_root, 3), "root_F1": round(harmonic(p_root, r_root), 3),
        "code3_R": round(code3_hits / code3_total, 3) if code3_total else None,
        "dyad_root_P": round(p_dyad, 3), "dyad_root_R": round(r_dyad, 3),
        "dyad_root_F1": round(harmonic(p_dyad, r_dyad), 3),
        "source_country_acc": round(src_right / src_total, 3) if src_total else None,
        "target_country_acc": round(tgt_right / tgt_total, 3) if tgt_total else None,
        "plover_macro_F1": round(sum(per_type.values()) / len(per_type), 3) if per_type else None,
        "plover_acc": round(sum(g == p for g, p in zip(first_gold, first_pred, strict=True)) / len(first_gold), 3)
        if first_gold else None,
        "plover_F1_by_type": per_type,
    }


def _norm(s: str | None) -> str:
    s = (s or "").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip().lower()


def score_answer_key(key: dict[str, Any], preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Score an article's mentions against an answer key (``seed`` mode of the reference scorer)."""
    found: dict[str, dict[str, bool]] = {}
    wrong: list[dict[str, Any]] = []
    tolerated = [_norm(t) for t in key["tolerated"]]
    predicted_anchors = [_norm(t) for t in key["predicted"]]
    for pe in preds:
        sentence = _norm((pe.get("evidence") or {}).get("sentence"))
        ps, pt = actor_country(pe.get("source")), actor_country(pe.get("target"))
        required = [req for req in key["required"] if _norm(req["anchor"]) in sentence]
        if required:
            hit = next(
                (req for req in required
                 if [ps, pt] in [list(x) for x in req["countries"]] and event_root(pe) in req["cameo_roots"]),
                None,
            )
            if hit is not None:
                date = pe.get("date") or {}
                lo, hi = hit["date"]
                date_ok = bool(date.get("start")) and bool(date.get("end")) and lo <= date["start"] and date["end"] <= hi
                place_ok = True
                if "place_country" in hit:
                    place_ok = (pe.get("location") or {}).get("country") == hit["place_country"]
                verdict = {"dyad": True, "root": True, "date": date_ok, "place": place_ok,
                           "factual": pe.get("factuality") in ("asserted", "reported", "historical")}
                prev = found.get(hit["id"])
                if prev is None or sum(verdict.values()) > sum(prev.values()):
                    found[hit["id"]] = verdict
                continue
            if not any(t in sentence for t in tolerated):
                wrong.append({"sentence": sentence[:80], "why": "wrong dyad/root", "got": [ps, pt, event_root(pe)]})
            continue
        if any(t in sentence for t in predicted_anchors):
            if pe.get("factuality") in ("asserted", "historical"):
                wrong.append({"sentence": sentence[:80], "why": "prediction coded as fact"})
            continue
        if any(t in sentence for t in tolerated):
            continue
        wrong.append({"sentence": sentence[:80], "why": "no event here", "got": [ps, pt, event_root(pe)]})
    full = sum(1 for v in found.values() if all(v.values()))
    return {
        "required": len(key["required"]), "found_dyad_root": len(found), "found_all_fields": full,
        "missing": [r["id"] for r in key["required"] if r["id"] not in found],
        "partial": {k: [f for f, ok in v.items() if not ok] for k, v in found.items() if not all(v.values())},
        "pred_events": len(preds), "wrong": len(wrong),
        "precision": round((len(preds) - len(wrong)) / len(preds), 3) if preds else 0.0,
        "wrong_detail": wrong[:12],
    }
