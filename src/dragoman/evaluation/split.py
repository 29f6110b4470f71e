"""The tune / check split of a gold file: half the records by a hash of their id.

A record is in ``tune`` when the first byte of sha256(id) is even, else in ``check``. The split depends only on
the id, so it is stable across runs, files and machines, and every eval command shares it: rules are tuned on
one half and checked on the other before the held-out documents are scored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any, Literal

Split = Literal["tune", "check"]
SPLITS: tuple[str, ...] = ("tune", "check")


def split_of(record_id: object) -> Split:
    first = hashlib.sha256(str(record_id).encode("utf-8")).digest()[0]
    return "tune" if first % 2 == 0 else "check"


def in_split(record_id: object, split: str | None) -> bool:
    """True when the record belongs to ``split`` (None or "all": every record)."""
    if split in (None, "all"):
        return True
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return split_of(record_id) == split


def select(records: Iterable[dict[str, Any]], split: str | None, key: str = "id") -> Iterator[dict[str, Any]]:
    for r in records:
        if in_split(r.get(key), split):
            yield r
