"""Snapshot the coder's output, to show that a refactoring changed no behaviour (a developer tool).

Runs the real CLI (`dragoman code`, `dragoman dates`, `dragoman places`) on the seed article and on the whole
Guardian corpus, and writes each output as sorted JSON Lines under DIR, with the fields that name the build
rather than the coding removed (the mention id and ``coder``, which hash the lexicon files). With ``--against``
it compares with an earlier snapshot and lists the first differences::

    .venv/bin/python tools/coder_snapshot.py /tmp/before
    ... refactor ...
    .venv/bin/python tools/coder_snapshot.py /tmp/after --against /tmp/before
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRAGOMAN = ROOT / ".venv" / "bin" / "dragoman"
BUILD_FIELDS = ("id", "coder")


def _runs(shared: Path) -> dict[str, list[str]]:
    seed = next((shared / "corpus" / "seed").glob("*.txt"))
    corpus = shared / "corpus" / "guardian_syria" / "articles.jsonl"
    return {
        "seed_code": ["code", str(seed), "--format", "jsonl"],
        "guardian_code": ["code", "--input-format", "jsonl", str(corpus), "--format", "jsonl"],
        "guardian_dates": ["dates", "--input-format", "jsonl", str(corpus), "--format", "jsonl"],
        "guardian_places": ["places", "--input-format", "jsonl", str(corpus), "--format", "jsonl"],
    }


def _normalised(output: str) -> list[str]:
    rows = []
    for line in output.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        for field in BUILD_FIELDS:
            record.pop(field, None)
        rows.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
    return sorted(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the snapshot to")
    parser.add_argument("--against", type=Path, help="an earlier snapshot to compare with")
    parser.add_argument("--only", nargs="*", help="run only these outputs (seed_code, guardian_code, ...)")
    args = parser.parse_args()
    shared = ROOT.parent / "shared"
    if not shared.is_dir():
        sys.exit("../shared is not beside the repository: nothing to snapshot")
    args.out.mkdir(parents=True, exist_ok=True)
    differ = False
    for name, cmd in _runs(shared).items():
        if args.only and name not in args.only:
            continue
        done = subprocess.run([str(DRAGOMAN), "-q", *cmd], capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):
            print(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
            return 2
        rows = _normalised(done.stdout)
        (args.out / f"{name}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
        if args.against is None:
            print(f"{name}: {len(rows)} records")
            continue
        before_path = args.against / f"{name}.jsonl"
        before = before_path.read_text(encoding="utf-8").splitlines() if before_path.exists() else []
        before = [b for b in before if b]
        if before == rows:
            print(f"{name}: {len(rows)} records, identical")
            continue
        differ = True
        gone, new = sorted(set(before) - set(rows)), sorted(set(rows) - set(before))
        print(f"{name}: {len(before)} before, {len(rows)} after; {len(gone)} gone, {len(new)} new")
        for label, items in (("-", gone), ("+", new)):
            for item in items[:5]:
                print(f"  {label} {item[:400]}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
