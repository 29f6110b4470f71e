"""``dragoman eval dates``: tag the texts of a TIMEX gold file (``time_*.jsonl``) and score the tags.

The scoring rules are those of the reference scorer (``shared/eval/score.py dates``), reimplemented here: only
the gold's DATE timexes count, and predictions whose type is not DATE (a missing type counts as DATE); gold and
predicted spans of a record pair greedily, in gold order, on any character overlap; a pair is right when the values
are equal after trimming and upper-casing. The figures are printed as the reference prints them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dragoman.coder import time_expressions
from dragoman.evaluation.split import select
from dragoman.model import Article


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _norm_value(v: object) -> str:
    return str(v or "").strip().upper()


def score_dates(gold: Iterable[dict[str, Any]], preds: Iterable[dict[str, Any]],
                types: tuple[str, ...] = ("DATE",)) -> dict[str, Any]:
    """Recognition P/R/F1 and value accuracy of ``preds`` against ``gold`` records (reference scorer rules)."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in preds:
        by_article[str(p.get("article_id"))].append(p)
    n_gold = n_pred = tp = val_ok = 0
    for g in gold:
        gt = [t for t in g["timexes"] if t.get("type") in types]
        pt = [p for p in by_article.get(str(g["id"]), []) if (p.get("type") or "DATE") in types]
        n_gold += len(gt)
        n_pred += len(pt)
        used: set[int] = set()
        for t in gt:
            for i, p in enumerate(pt):
                if i in used:
                    continue
                if p.get("start", -1) < t["end"] and t["start"] < p.get("end", -1):
                    used.add(i)
                    tp += 1
                    val_ok += _norm_value(p.get("value")) == _norm_value(t.get("value"))
                    break
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    vp = val_ok / n_pred if n_pred else 0.0
    vr = val_ok / n_gold if n_gold else 0.0
    return {
        "types": list(types), "gold": n_gold, "pred": n_pred,
        "recognition_P": round(prec, 3), "recognition_R": round(rec, 3), "recognition_F1": round(_f1(prec, rec), 3),
        "value_acc_matched": round(val_ok / tp, 3) if tp else None,
        "value_F1": round(_f1(vp, vr), 3),
    }


def format_figures(figures: dict[str, Any]) -> str:
    """The figures exactly as the reference scorer prints them."""
    return json.dumps(figures, indent=1)


def predict(records: list[dict[str, Any]], tagger: Any = None, nlp: Any = None) -> list[dict[str, Any]]:
    """Tag each record's text (``dct`` or ``published`` is its publication date); one dict per expression."""
    dct = {str(r["id"]): r.get("dct") or r.get("published") for r in records}
    articles = [Article(article_id=str(r["id"]), text=r["text"], published=dct[str(r["id"])]) for r in records]
    out: list[dict[str, Any]] = []
    for article, exprs in time_expressions(articles, tagger=tagger, nlp=nlp):
        for e in exprs:
            out.append({"article_id": article.article_id, "start": e.start, "end": e.end, "text": e.text,
                        "type": e.type, "value": e.value, "mod": e.mod})
    return out


def evaluate(gold_path: str | Path, split: str | None = None, pred_out: str | Path | None = None,
             tagger: Any = None, nlp: Any = None) -> dict[str, Any]:
    """Tag and score the records of ``gold_path`` in ``split`` (None: all); optionally save the predictions."""
    gold = list(select(load_jsonl(gold_path), split))
    preds = predict(gold, tagger=tagger, nlp=nlp)
    if pred_out:
        with open(pred_out, "w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    return score_dates(gold, preds)
