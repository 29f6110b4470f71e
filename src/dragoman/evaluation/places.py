"""Place and event-location evaluation: predictions for shared/eval/geo_*.jsonl and eventloc_*.jsonl, and
scorers that give the same figures as the reference ``score.py places|eventloc`` (re-implemented here)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from dragoman.evaluation.events import group_by_article
from dragoman.evaluation.split import in_split
from dragoman.geo import PlaceTagger
from dragoman.geo.distance import haversine_km

ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "dative", "attr", "oprd"}


def read_jsonl(path: str, split: str | None = None) -> list[dict[str, Any]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if in_split(str(rec.get("id", rec.get("article_id"))), split):
                    out.append(rec)
    return out


def _overlap(p: dict[str, Any], g: dict[str, Any]) -> bool:
    return p.get("start", -1) < g["end"] and g["start"] < p.get("end", -1)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score_places(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Literal toponyms with coordinates (type Literal* or none); a prediction matches the first unmatched gold
    span it overlaps; distance and id accuracy are over matched spans."""
    by = group_by_article(preds)
    n_gold = n_pred = tp = resolved = near = id_ok = id_n = 0
    errs: list[float] = []
    for rec in gold:
        gts = [t for t in rec["toponyms"] if t.get("lat") is not None
               and (not t.get("type") or t["type"].lower().startswith("literal"))]
        pts = by.get(str(rec["id"]), [])
        n_gold += len(gts)
        n_pred += len(pts)
        used: set[int] = set()
        for t in gts:
            k = next((i for i, p in enumerate(pts) if i not in used and _overlap(p, t)), None)
            if k is None:
                continue
            used.add(k)
            tp += 1
            p = pts[k]
            if p.get("lat") is not None and p.get("lon") is not None:
                resolved += 1
                km = haversine_km(t["lat"], t["lon"], p["lat"], p["lon"])
                errs.append(km)
                near += km <= 161
            if t.get("geonameid"):
                id_n += 1
                id_ok += p.get("geonameid") == t["geonameid"]
    prec = tp / n_pred if n_pred else 0.0
    rec_ = tp / n_gold if n_gold else 0.0
    errs.sort()
    auc = (round(sum(math.log(1 + e) for e in errs) / (len(errs) * math.log(20039)), 3) if errs else None)
    return {
        "gold_toponyms": n_gold, "pred_toponyms": n_pred,
        "recognition_P": round(prec, 3), "recognition_R": round(rec_, 3), "recognition_F1": round(_f1(prec, rec_), 3),
        "resolved_of_matched": resolved,
        "acc_161km": round(near / tp, 3) if tp else None,
        "geonameid_acc": round(id_ok / id_n, 3) if id_n else None,
        "median_km": round(errs[len(errs) // 2], 1) if errs else None,
        "AUC": auc,
    }


def score_eventloc(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Right when the first predicted span overlaps a gold location, or nothing is predicted and there is none."""
    by = group_by_article(preds)
    right = by_none = with_loc = 0
    for rec in gold:
        ps = by.get(str(rec["id"]))
        locs = rec.get("locations") or []
        with_loc += bool(locs)
        if not ps:
            ok = not locs
            by_none += ok
        else:
            ok = any(_overlap(ps[0], g) for g in locs)
        right += ok
    n = len(gold)
    return {"records": n, "with_location": with_loc,
            "accuracy": round(right / n, 3) if n else None,
            "always_none_baseline": round((n - with_loc) / n, 3) if n else None,
            "right_by_giving_none": by_none}


def _docs(texts: list[str], nlp: Language, batch_size: int = 32) -> Iterator[Doc]:
    yield from nlp.pipe(texts, batch_size=batch_size)


def predict_places(records: list[dict[str, Any]], tagger: PlaceTagger, nlp: Language) -> list[dict[str, Any]]:
    """One prediction line per toponym the tagger finds in each record's text."""
    from dragoman.nlp import parse

    out: list[dict[str, Any]] = []
    for chunk in parse(((str(r["id"]), r["text"]) for r in records), nlp=nlp):
        for t in tagger.find(chunk.doc, str(chunk.key), offset=chunk.offset):
            out.append(t.to_dict())
    return out


def argument_heads(trigger: Token) -> list[Token]:
    """Subject/object heads of a trigger verb (the event coder passes its own; evaluation makes do with these)."""
    heads = [c for c in trigger.children if c.dep_ in ARG_DEPS]
    for c in trigger.children:
        if c.dep_ == "agent":
            heads.extend(g for g in c.children if g.dep_ == "pobj")
    return heads


def predict_eventloc(records: list[dict[str, Any]], tagger: PlaceTagger, nlp: Language,
                     batch_size: int = 64) -> list[dict[str, Any]]:
    """At most one {"article_id", "start", "end"} per record: the span of the event's location."""
    texts = list(dict.fromkeys(r["text"] for r in records))  # a sentence recurs once per verb
    parsed: dict[str, tuple[Doc, list]] = {}
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
        parsed[text] = (doc, tagger.find(doc, ""))
    out: list[dict[str, Any]] = []
    for r in records:
        doc, tops = parsed[r["text"]]
        span = doc.char_span(r["event_start"], r["event_end"], alignment_mode="expand")
        if span is None:
            continue
        trig = span.root
        best = tagger.event_toponym(trig, argument_heads(trig), tops)
        if best is not None:
            out.append({"article_id": str(r["id"]), "start": best.start, "end": best.end, "name": best.name})
    return out


def evaluate(task: str, gold_file: str, split: str | None = None, pred_out: str | None = None) -> dict[str, Any]:
    """Predict for a gold file (or one half of it) and score; ``pred_out`` keeps the predictions."""
    from dragoman.nlp import load_nlp

    gold = read_jsonl(gold_file, split)
    tagger, nlp = PlaceTagger(), load_nlp()
    if task == "places":
        preds = predict_places(gold, tagger, nlp)
        scores = score_places(gold, preds)
    elif task == "eventloc":
        preds = predict_eventloc(gold, tagger, nlp)
        scores = score_eventloc(gold, preds)
    else:
        raise ValueError(f"unknown task {task!r}")
    if pred_out:
        with open(pred_out, "w", encoding="utf-8") as fh:
            for p in preds:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    return scores
