"""Calibrated confidence: the coder ranks a sentence's events by a raw score; what a mention reports as its
``confidence`` is the share of mentions with that raw score that were right on the tune halves of the dev sets
(``data/calibration.tsv``, kind ``confidence-calibration``, written by ``tools/calibrate.py`` and checked on the
check halves by ``bench/calibration.py``). A mention with confidence 0.8 is right about 8 times in 10.

The table is a step function: rows ``raw_from`` (the lowest raw score of the step) and ``confidence`` (the
step's precision), in increasing order of both (isotonic: a higher raw score is never less likely to be right).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from dragoman.lexicons import Problem, check_kind, read_checked, read_tsv

CALIBRATION_FILE = Path(__file__).resolve().parent / "data" / "calibration.tsv"
CALIBRATION_KIND = "confidence-calibration"
COLUMNS = ("raw_from", "confidence")


@dataclass(frozen=True)
class Calibration:
    """Raw score → calibrated confidence."""

    steps: tuple[tuple[float, float], ...]  # (raw_from, confidence), raw_from increasing

    def __call__(self, raw: float) -> float:
        if not self.steps:
            return raw
        i = bisect.bisect_right([r for r, _ in self.steps], raw) - 1
        return self.steps[max(i, 0)][1]


def read_calibration(path: str | Path, problems: list[Problem]) -> Calibration | None:
    """The table of a ``confidence-calibration`` file, or ``None`` with every problem (file and line) added."""
    p = Path(path)
    if not check_kind(p, CALIBRATION_KIND, problems):
        return None
    found = len(problems)
    steps: list[tuple[float, float]] = []
    for line, row in read_tsv(p, COLUMNS, problems):
        try:
            raw, conf = float(row["raw_from"]), float(row["confidence"])
        except ValueError:
            problems.append(Problem(str(p), line, "raw_from and confidence must be numbers"))
            continue
        if not (0.0 <= raw <= 1.0 and 0.0 <= conf <= 1.0):
            problems.append(Problem(str(p), line, "raw_from and confidence must lie in [0, 1]"))
            continue
        if steps and (raw <= steps[-1][0] or conf < steps[-1][1]):
            problems.append(Problem(str(p), line, "rows must increase in raw_from and not decrease in confidence"))
            continue
        steps.append((raw, conf))
    if len(problems) > found:
        return None
    return Calibration(tuple(steps))


def load_calibration(path: str | Path = CALIBRATION_FILE) -> Calibration:
    """:class:`dragoman.lexicons.LexiconError` naming every problem's file and line."""
    return read_checked(read_calibration, path, "confidence calibration")


def validate_calibration_file(path: str | Path) -> list[Problem]:
    problems: list[Problem] = []
    read_calibration(path, problems)
    return problems


def isotonic_steps(points: list[tuple[float, bool]], min_count: int = 20) -> list[tuple[float, float]]:
    """Pool-adjacent-violators over (raw score, right?) pairs: steps ``(raw_from, precision)`` whose precision
    never decreases with the raw score; a step holds at least ``min_count`` mentions where it can."""
    blocks: list[list[float]] = []  # [raw_from, right, total]
    for raw, ok in sorted(points):
        if blocks and blocks[-1][0] == raw:
            blocks[-1][1] += ok
            blocks[-1][2] += 1
        else:
            blocks.append([raw, float(ok), 1.0])
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(b)
        while len(merged) > 1 and (merged[-2][1] / merged[-2][2] >= merged[-1][1] / merged[-1][2]
                                   or merged[-2][2] < min_count):
            top = merged.pop()
            merged[-1][1] += top[1]
            merged[-1][2] += top[2]
    while len(merged) > 1 and merged[-1][2] < min_count:
        top = merged.pop()
        merged[-1][1] += top[1]
        merged[-1][2] += top[2]
    return [(round(b[0], 4), round(b[1] / b[2], 3)) for b in merged]
