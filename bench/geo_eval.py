"""Geo benchmark: places (geo_dev) and event location (eventloc_dev) on both halves, with the command to rerun.

    .venv/bin/python bench/geo_eval.py [--sample N] [--only places|eventloc] [--split tune|check]

Reads ../shared/eval (via dragoman.paths.shared_dir()); prints one JSON object per (task, split).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time

from dragoman.evaluation.places import (
    predict_eventloc,
    predict_places,
    read_jsonl,
    score_eventloc,
    score_places,
)
from dragoman.geo import PlaceTagger
from dragoman.nlp import load_nlp
from dragoman.paths import shared_dir


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=0, help="eventloc: a fixed random sample of N records per half")
    ap.add_argument("--only", choices=["places", "eventloc"])
    ap.add_argument("--split", choices=["tune", "check"])
    args = ap.parse_args()
    shared = shared_dir()
    eval_dir = os.path.join(str(shared), "eval") if shared else ""
    if not eval_dir or not os.path.isdir(eval_dir):
        print("skipped: shared/eval is absent (set DRAGOMAN_SHARED)", file=sys.stderr)
        return 0
    nlp = load_nlp()
    tagger = PlaceTagger()
    t0 = time.time()
    tagger.gazetteer  # noqa: B018 - load once, so the timings below are the tagger's
    print(json.dumps({"gazetteer_rows": len(tagger.gazetteer), "gazetteer_MB": round(tagger.gazetteer.nbytes() / 1e6, 1),
                      "load_s": round(time.time() - t0, 2), "data_hash": tagger.data_hash}))
    splits = [args.split] if args.split else ["tune", "check"]
    for split in splits:
        if args.only in (None, "places"):
            gold = read_jsonl(os.path.join(eval_dir, "geo_dev.jsonl"), split)
            t = time.time()
            res = score_places(gold, predict_places(gold, tagger, nlp))
            print(json.dumps({"task": "places", "split": split, **res, "seconds": round(time.time() - t, 1)}))
        if args.only in (None, "eventloc"):
            gold = read_jsonl(os.path.join(eval_dir, "eventloc_dev.jsonl"), split)
            if args.sample:
                gold = random.Random(0).sample(gold, min(args.sample, len(gold)))
            t = time.time()
            res = score_eventloc(gold, predict_eventloc(gold, tagger, nlp))
            print(json.dumps({"task": "eventloc", "split": split, "sample": args.sample or None, **res,
                              "seconds": round(time.time() - t, 1)}))
    print(json.dumps({"max_rss_MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
    print("command: .venv/bin/python bench/geo_eval.py " + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
