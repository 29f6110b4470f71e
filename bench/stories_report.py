"""Stories on the Guardian Syria corpus: pairwise precision and recall on hand-labelled mention pairs, how many
factual stories have one mention, self-dyads, and a sample of multi-mention stories to read by hand.

    .venv/bin/python bench/stories_report.py [--db PATH] [--recluster] [--sample 20 --seed N] [--near-misses]

Reads ../shared/corpus/guardian_syria/articles.jsonl at run time (skips with a message when absent) and ingests
it into a temporary store (or into --db when that file does not exist yet; an existing --db is read as it is, and
--recluster re-assigns all its stories with the current rules first).

**The labelled pairs** (bench/data/guardian_story_pairs_{tune,check}.jsonl) name each mention by article id and character
offsets only (the sentence start and end, the trigger's start), so the repository quotes no article. They were
drawn from the coded Guardian mentions of things that happened (asserted, reported, historical), never from what
the clusterer did with them, as: two mentions of one article in one root group; mentions of two articles
published within 10 days, in one root group, sharing a country; one root group and the same two actor
countries; the same day but another root group; one article, one root group, a shared actor; two articles within
3 days, one root group, a shared actor, event dates within 2 days. Each pair was judged blind, from the
sentences and their context, by a reader who saw neither the codes nor the stories: the same real-world event,
or not (pairs judged unsure were dropped). At run time each side is found again among the stored mentions by
its article and offsets (a side the current coder no longer codes is reported as missing); a pair is predicted
"same" when both sides are in one story.

The two halves come from disjoint articles. The *check* half (254 pairs, 26 of one event) was drawn and judged
first and is never looked at pair by pair; the *tune* half (150 pairs, 17 of one event), drawn from the other
articles, is the one to read while changing the rules (``--show-pairs`` lists its misses).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from dragoman.analysis.stories import REAL, block_of, mention_from_row, pair
from dragoman.jobs.ingest import ingest
from dragoman.jobs.stories import assign_stories
from dragoman.model import stable_id
from dragoman.paths import guardian_corpus
from dragoman.store import Store
from dragoman.store.stories import clustering_rows

PAIRS = {half: Path(__file__).parent / "data" / f"guardian_story_pairs_{half}.jsonl" for half in ("tune", "check")}


def find_side(side: dict, by_article: dict[str, list[tuple]]) -> str | None:
    """The stored mention a labelled side names: same article and sentence, the same trigger if it is there."""
    rows = [r for r in by_article.get(side["article_id"], []) if r[1] == side["sentence_start"]]
    if not rows:
        return None
    exact = [r for r in rows if r[2] == side["trigger_start"]]
    return (exact or rows)[0][0]


def pairs_figures(con, half: str) -> dict:
    rows = con.execute("SELECT article_id, id, sentence_start, CAST(record->>'$.evidence.trigger_start' AS INTEGER), "
                       "story_id FROM mentions ORDER BY article_id, sentence_start, id").fetchall()
    by_article: dict[str, list[tuple]] = defaultdict(list)
    story = {}
    for aid, mid, s0, t0, sid in rows:
        by_article[aid].append((mid, s0, t0))
        story[mid] = sid
    tp = fp = fn = tn = missing = 0
    missed, wrong = [], []
    for line in PAIRS[half].read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        a, b = find_side(p["a"], by_article), find_side(p["b"], by_article)
        if a is None or b is None:
            missing += 1
            same = False
        else:
            same = story[a] == story[b]
        if p["same_event"]:
            tp += same
            fn += not same
            if not same:
                missed.append(p["pair"])
        else:
            fp += same
            tn += not same
            if same:
                wrong.append(p["pair"])
    return {"pairs": tp + fp + fn + tn, "same": tp + fn, "tp": tp, "fp": fp, "fn": fn, "missing_sides": missing,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "missed": missed, "wrongly_joined": wrong}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--recluster", action="store_true")
    ap.add_argument("--sample", type=int, default=0, help="print this many random multi-mention factual stories")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--near-misses", type=int, default=0, help="print this many sampled merges and near-misses")
    ap.add_argument("--show-pairs", action="store_true", help="list the tune half's missed and wrong pairs")
    args = ap.parse_args()
    src = guardian_corpus()
    if src is None:
        print("skip: ../shared/corpus/guardian_syria/articles.jsonl is absent")
        return 0
    tmp = tempfile.TemporaryDirectory()
    path = Path(args.db) if args.db else Path(tmp.name) / "g.duckdb"
    fresh = not path.exists()
    store = Store(path)
    took = None
    if fresh:
        t0 = time.time()
        ingest([str(src)], store)
        took = time.time() - t0
    if args.recluster:
        t0 = time.time()
        assign_stories(store)
        print(f"re-clustered every block in {time.time() - t0:.1f} s")
    cmd = "command: .venv/bin/python bench/stories_report.py " + " ".join(sys.argv[1:])
    print(cmd + (f"   (ingest with stories and claims {took:.0f} s)" if took else ""))
    with store.connect(read_only=True) as con:
        n_m = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        n_s = con.execute("SELECT count(*) FROM stories").fetchone()[0]
        real = con.execute("SELECT count(*), sum((num_mentions = 1)::INT), max(num_mentions), "
                           "sum((num_articles > 1)::INT) FROM stories WHERE block LIKE 'real:%'").fetchone()
        self_s = con.execute("SELECT count(*) FROM stories WHERE source_code IS NOT NULL "
                             "AND source_code = target_code").fetchone()[0]
        self_m = con.execute("SELECT count(*) FROM mentions WHERE source_code IS NOT NULL "
                             "AND source_code = target_code").fetchone()[0]
        recip = con.execute("SELECT count(*) FROM stories WHERE (record->>'$.reciprocal')::BOOLEAN").fetchone()[0]
        n_claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
        figures = {half: pairs_figures(con, half) for half in PAIRS}
        ms = [mention_from_row(r) for r in clustering_rows(con)] if args.near_misses or args.sample else []
        sid = dict(con.execute("SELECT id, story_id FROM mentions").fetchall())
        multi = [r[0] for r in con.execute(
            "SELECT story_id FROM stories WHERE block LIKE 'real:%' AND num_mentions > 1 ORDER BY story_id").fetchall()]
    print(f"mentions {n_m}; stories {n_s}; claims {n_claims}")
    print(f"factual stories {real[0]}: one mention {real[1]} ({real[1] / max(1, real[0]):.1%}); largest "
          f"{real[2]}; spanning >1 article {real[3]}")
    print(f"self-dyad stories {self_s} (self-dyad mentions {self_m}); reciprocal stories {recip}")
    for half, f in figures.items():
        print(f"labelled Guardian pairs, {half} half: {f['pairs']} ({f['same']} same event): precision "
              f"{f['precision']:.3f}, recall {f['recall']:.3f} (tp {f['tp']}, fp {f['fp']}, fn {f['fn']}; sides no "
              f"longer coded {f['missing_sides']})")
    if args.show_pairs:
        print("tune half: missed", figures["tune"]["missed"], "wrongly joined", figures["tune"]["wrongly_joined"])
    if args.sample:
        by_story = defaultdict(list)
        for m in ms:
            by_story[sid[m.id]].append(m)
        rng = random.Random(args.seed)
        for s in rng.sample(multi, min(args.sample, len(multi))):
            print(f"\n== story {s}")
            for m in sorted(by_story[s], key=lambda x: x.key):
                ev = m.record["evidence"]
                print(f"  [{m.article_id} {m.published}] {m.cameo} {m.d0}  {ev['sentence'][:220]}")
    if args.near_misses:
        by_block = defaultdict(list)
        for m in ms:
            if m.factuality in REAL:
                by_block[block_of(m.root, m.factuality)].append(m)
        merges, near = [], []
        for ms_ in by_block.values():
            for a, b in itertools.combinations(sorted(ms_, key=lambda x: x.key), 2):
                if a.article_id == b.article_id:
                    continue
                ok, score, reasons = pair(a, b)
                if sid[a.id] == sid[b.id]:
                    merges.append((stable_id(a.id, b.id), a, b, score, reasons))
                elif ok or score >= 0.45:
                    near.append((stable_id(a.id, b.id), a, b, score, reasons))
        for title, rows in (("sampled merges (same story, different articles)", merges),
                            ("sampled near-misses (different stories; gates passed or score >= 0.45)", near)):
            print(f"\n== {title}: {len(rows)} pairs, {min(args.near_misses, len(rows))} shown")
            for _k, a, b, score, reasons in sorted(rows)[: args.near_misses]:
                print(f"- score {score}  {a.cameo} vs {b.cameo}  {a.d0} / {b.d0}")
                print(f"    A [{a.article_id}] {a.record['evidence']['sentence'][:200]}")
                print(f"    B [{b.article_id}] {b.record['evidence']['sentence'][:200]}")
                print("    " + "; ".join(f"{k}: {v}" for k, v in reasons.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
