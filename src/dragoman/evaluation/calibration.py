"""Whether a coded mention was right, for calibrating confidence (``tools/calibrate.py``) and checking it
(``bench/calibration.py``): mentions of the sentence-level gold (``events_*.jsonl``) are right when they pair with
a gold event by CAMEO root (or PLOVER type where the gold has no root), as the events scorer pairs them; mentions
of the snippet gold (``acled_*.jsonl``) are right when they say something happened and their PLOVER type is one
the snippet's event may have (every such mention of a snippet with no political event is wrong)."""

from __future__ import annotations

from typing import Any

from dragoman.evaluation.acled import FACTUAL
from dragoman.evaluation.events import event_root, group_by_article


def label_events(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[float, bool]]:
    """(raw confidence, right?) of every mention coded from the records of an events gold file."""
    by_id = group_by_article(preds)
    out: list[tuple[float, bool]] = []
    for record in gold:
        unmatched = list(record.get("events") or [])
        for p in by_id.get(str(record["id"]), []):
            hit = None
            for g in unmatched:
                root = event_root(g)
                if (root and root == event_root(p)) or (not root and g.get("plover") == p.get("plover")):
                    hit = g
                    break
            if hit is not None:
                unmatched.remove(hit)
            out.append((float(p["confidence"]), hit is not None))
    return out


def label_snippets(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[float, bool]]:
    """(raw confidence, right?) of every factual mention coded from the records of an ACLED snippet file."""
    by_id = group_by_article(preds)
    out: list[tuple[float, bool]] = []
    for record in gold:
        ok = record.get("plover_ok")
        if not ok and record.get("expect_event") is not False:
            continue  # untyped snippets say nothing of their mentions
        for p in by_id.get(str(record["id"]), []):
            if p.get("factuality") in FACTUAL:
                out.append((float(p["confidence"]), bool(ok) and p.get("plover") in ok))
    return out


def reliability(points: list[tuple[float, float, bool]], edges: tuple[float, ...] = (0.0, 0.4, 0.5, 0.6, 0.7,
                                                                                        0.8, 0.9, 1.01)
                ) -> list[dict[str, Any]]:
    """A reliability table over (reported confidence, raw, right?): per band, how many and how many right."""
    rows = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        band = [ok for conf, _raw, ok in points if lo <= conf < hi]
        rows.append({"band": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "mentions": len(band),
                     "right": sum(band), "precision": round(sum(band) / len(band), 3) if band else None})
    return rows
