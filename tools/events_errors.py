"""Per-record error listing for the sentence-level event gold (a developer tool).

Codes the records of one half of ``../shared/eval/events_dev.jsonl`` with :class:`dragoman.coder.Coder` and
prints, per record, OK or XX (whether every gold event is matched by root, or by PLOVER type where the gold has
no CAMEO code, and the first predicted PLOVER type equals the gold's), the sentence, the gold events and the
predicted events (source, CAMEO, PLOVER, target, trigger, factuality)::

    .venv/bin/python tools/events_errors.py --split tune
    .venv/bin/python tools/events_errors.py --split tune --origin plover_gsr_cameo --errors-only
    .venv/bin/python tools/events_errors.py --split tune --summary

Diagnose on ``tune`` only; ``check`` is the generalisation test.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dragoman.coder import Coder  # noqa: E402
from dragoman.evaluation.events import actor_country, event_root, read_jsonl  # noqa: E402
from dragoman.evaluation.split import in_split  # noqa: E402
from dragoman.model import Article  # noqa: E402
from dragoman.paths import shared_dir  # noqa: E402


def _actor(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    return str(a.get("code") or actor_country(a) or "-")


def _gold_line(e: dict[str, Any]) -> str:
    return (f"{e.get('source') or '-'} {e.get('cameo') or '--'} {e.get('plover') or '-'} "
            f"{e.get('target') or '-'}")


def _pred_line(p: dict[str, Any]) -> str:
    ev = p.get("evidence") or {}
    return (f"{_actor(p.get('source'))} {p.get('cameo')} {p.get('plover')} {_actor(p.get('target'))} "
            f"[{ev.get('trigger')}] {p.get('factuality')} conf={p.get('confidence', 0):.2f}")


def judge(gold_events: list[dict[str, Any]], preds: list[dict[str, Any]]) -> tuple[bool, int, int]:
    """(all right, gold events matched, predictions unmatched) under the scorer's matching rules."""
    taken: set[int] = set()
    hits = 0
    for ge in gold_events:
        for i, pe in enumerate(preds):
            if i in taken:
                continue
            root = ge.get("cameo_root")
            if (root and event_root(pe) == root) or (not root and ge.get("plover") and pe.get("plover") == ge.get("plover")):
                taken.add(i)
                hits += 1
                break
    first_ok = True
    if gold_events and gold_events[0].get("plover"):
        first_ok = bool(preds) and preds[0].get("plover") == gold_events[0]["plover"]
    ok = hits == len(gold_events) and first_ok and len(preds) == hits
    return ok, hits, len(preds) - hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tune", "check", "all"), default="tune")
    ap.add_argument("--origin", help="only records of this origin (cameo_codebook_examples, plover_gsr_cameo)")
    ap.add_argument("--errors-only", action="store_true", help="print only records marked XX")
    ap.add_argument("--summary", action="store_true", help="print only the totals and the confusions")
    ap.add_argument("--file", help="gold file (default: shared/eval/events_dev.jsonl)")
    args = ap.parse_args(argv)

    if args.file:
        path = Path(args.file)
    else:
        shared = shared_dir()
        if shared is None:
            print("../shared is not beside the repository", file=sys.stderr)
            return 2
        path = shared / "eval" / "events_dev.jsonl"
    gold = [r for r in read_jsonl(path)
            if in_split(str(r["id"]), args.split) and (not args.origin or r.get("origin") == args.origin)]
    coder = Coder()
    arts = [Article(article_id=str(r["id"]), text=r["text"], published=r.get("published")) for r in gold]
    preds: dict[str, list[dict[str, Any]]] = {str(r["id"]): [] for r in gold}
    for art, ms in coder.code_articles(arts):
        preds[art.article_id] = [m.to_dict() for m in ms]

    n_ok = n_gold = n_hit = n_extra = n_pred = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for r in gold:
        rid = str(r["id"])
        ge = [e for e in r.get("events", []) if e.get("cameo_root") or e.get("plover")]
        pe = preds[rid]
        ok, hits, extra = judge(ge, pe)
        n_ok += ok
        n_gold += len(ge)
        n_hit += hits
        n_extra += extra
        n_pred += len(pe)
        if ge:
            g0 = ge[0].get("cameo_root") or ge[0].get("plover") or "-"
            p0 = (pe[0].get("cameo_root") if ge[0].get("cameo_root") else pe[0].get("plover")) if pe else "NONE"
            if g0 != p0:
                confusion[(g0, p0)] += 1
        if args.summary or (args.errors_only and ok):
            continue
        print(f"{'OK' if ok else 'XX'} {rid}")
        print(f"   {r['text']}")
        for e in ge:
            print(f"   gold: {_gold_line(e)}")
        for p in pe:
            print(f"   pred: {_pred_line(p)}")
        if not pe:
            print("   pred: (none)")
    print(f"\n{len(gold)} records, {n_ok} all right; gold events {n_gold}, matched {n_hit}; "
          f"predicted {n_pred}, unmatched {n_extra}")
    print("first-event confusions (gold -> predicted), most common:")
    for (g, p), n in confusion.most_common(25):
        print(f"   {g:>9s} -> {p:<9s} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
