"""Event coding accuracy on the sentence-level gold and on the article answer keys, both halves reported.

    .venv/bin/python bench/events_eval.py

Codes ../shared/eval/events_dev.jsonl once, scores the whole file and its tune/check halves (a hash of the
record id) with the reference rules; codes ../shared/eval/acled_dev.jsonl (real news snippets) and scores the
primary event type, per-class recall and detection on both halves; then codes the seed article and the
Guardian articles with keys and scores them against their answer keys.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dragoman.coder import Coder  # noqa: E402
from dragoman.evaluation.acled import CLASSES, score_acled  # noqa: E402
from dragoman.evaluation.events import read_jsonl, score_answer_key, score_events  # noqa: E402
from dragoman.evaluation.split import in_split  # noqa: E402
from dragoman.model import Article  # noqa: E402
from dragoman.paths import shared_dir  # noqa: E402

KEYS = ("root_P", "root_R", "root_F1", "code3_R", "dyad_root_F1", "source_country_acc", "target_country_acc",
        "plover_acc", "plover_macro_F1")


def main() -> None:
    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is not beside the repository: nothing to measure")
    coder = Coder()
    gold = read_jsonl(shared / "eval" / "events_dev.jsonl")
    arts = [Article(article_id=str(r["id"]), text=r["text"], published=r.get("published")) for r in gold]
    preds = [m.to_dict() for _a, ms in coder.code_articles(arts) for m in ms]
    print("command: .venv/bin/python bench/events_eval.py")
    print(f"{'events_dev':14s} " + " ".join(f"{k:>18s}" for k in KEYS))
    for name, part in (("all", None), ("tune", "tune"), ("check", "check")):
        g = [r for r in gold if part is None or in_split(str(r["id"]), part)]
        ids = {str(r["id"]) for r in g}
        s = score_events(g, [p for p in preds if p["article_id"] in ids])
        print(f"{name:14s} " + " ".join(f"{s[k] if s[k] is not None else '-':>18}" for k in KEYS))
    # real news snippets: event types (ACLED subtypes mapped to PLOVER)
    acled = read_jsonl(shared / "eval" / "acled_dev.jsonl")
    snippets = [Article(article_id=str(r["id"]), text=r["text"], published=r.get("published")) for r in acled]
    acled_preds = [m.to_dict() for _a, ms in coder.code_articles(snippets) for m in ms]
    acled_keys = ("primary_acc", "macro_F1", "detection_F1")
    print(f"{'acled_dev':14s} " + " ".join(f"{k:>14s}" for k in acled_keys)
          + " " + " ".join(f"{c + '_R':>12s}" for c in CLASSES))
    for name, part in (("all", None), ("tune", "tune"), ("check", "check")):
        g = [r for r in acled if part is None or in_split(str(r["id"]), part)]
        ids = {str(r["id"]) for r in g}
        s = score_acled(g, [p for p in acled_preds if p["article_id"] in ids])
        print(f"{name:14s} " + " ".join(f"{s[k]:>14}" for k in acled_keys)
              + " " + " ".join(f"{s['per_class'][c]['R']:>12}" for c in CLASSES))
    # article answer keys
    keys = [(shared / "corpus" / "seed" / "gold.json", None)]
    keys += [(p, p) for p in sorted((shared / "corpus" / "guardian_syria" / "gold").glob("*.json"))]
    corpus = {}
    with open(shared / "corpus" / "guardian_syria" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            corpus[str(row["id"])] = row
    for key_path, _ in keys:
        key = json.loads(key_path.read_text(encoding="utf-8"))
        if "article_id" in key:
            row = corpus[key["article_id"]]
            art = Article(article_id=key["article_id"], text=row["text"], published=row.get("published"))
        else:
            txt = next((shared / "corpus" / "seed").glob("*.txt")).read_text(encoding="utf-8")
            from dragoman.ingest.textclean import strip_trailer

            body, _outlet = strip_trailer(txt)
            art = Article(article_id="seed", text=body, published=key["published"])
        mentions = [m.to_dict() for m in coder.code_articles([art]).__next__()[1]]
        s = score_answer_key(key, mentions)
        print(f"{key_path.name}: required {s['required']}, found dyad+root {s['found_dyad_root']}, "
              f"all fields {s['found_all_fields']}, precision {s['precision']} ({s['pred_events']} events, "
              f"{s['wrong']} wrong); missing {s['missing']}; partial {s['partial']}")
        for w in s["wrong_detail"]:
            print("   wrong:", w)


if __name__ == "__main__":
    main()
