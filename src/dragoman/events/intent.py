"""An actor's own stated intention to act is coded as the intention, not the act (CAMEO 03x / 13x).

"Chad said it would recall its envoy unless ..." reports a threat that was made, not a recall; "X is willing to
ease the curfew" an expression of intent to yield. The table lives in ``data/intent.yaml`` (kind

``intent-table``: ``governors``, a list of words, and ``codes``, a mapping of CAMEO code or root -> code).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from dragoman.events.lexicon import CAMEO_TABLE, INTENT_KIND, cameo_table
from dragoman.lexicons import Problem, check_kind, line_of, read_checked, read_yaml

INTENT_FILE = Path(__file__).resolve().parent / "data" / "intent.yaml"


@dataclass(frozen=True)
class IntentTable:
    governors: frozenset[str]
    codes: dict[str, str]
    hash: str

    def recode(self, code: str) -> str | None:
        """The intention code for an intended act's code (longest matching prefix), if any."""
        for n in range(len(code), 1, -1):
            got = self.codes.get(code[:n])
            if got:
                return got
        return None


def read_intent_table(path: Path, problems: list[Problem]) -> IntentTable | None:
    """The table of an ``intent-table`` file, or ``None`` with every problem (file and line) added."""
    data = read_yaml(path, problems)
    if data is None or not check_kind(path, INTENT_KIND, problems):
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "top level must be a mapping with 'governors' and 'codes'"))
        return None
    found = len(problems)
    governors = data.get("governors")
    if not isinstance(governors, list) or not governors:
        problems.append(Problem(str(path), line_of(data, "governors"), "needs 'governors' (a non-empty list)"))
    raw_codes = data.get("codes")
    if not isinstance(raw_codes, dict):
        problems.append(Problem(str(path), line_of(data, "codes"), "needs 'codes' (a mapping of code -> code)"))
        raw_codes = {}
    for key in sorted(set(data) - {"kind", "version", "governors", "codes", "__line__", "__lines__"}):
        problems.append(Problem(str(path), line_of(data, key), f"unknown key {key!r}"))
    table = cameo_table()
    codes: dict[str, str] = {}
    for key, value in raw_codes.items():
        if key in ("__line__", "__lines__"):
            continue
        k, v = str(key), str(value)
        if v not in table:
            problems.append(Problem(str(path), line_of(raw_codes, k), f"code {v!r} (for {k}) is not in "
                                                                        f"{CAMEO_TABLE.name}"))
            continue
        codes[k] = v
    if len(problems) > found:
        return None
    return IntentTable(frozenset(str(g).lower() for g in governors or ()), codes,
                       hashlib.sha256(path.read_bytes()).hexdigest()[:12])


@lru_cache(maxsize=1)
def load_intent_table(path: Path = INTENT_FILE) -> IntentTable:
    """The intent table; :class:`dragoman.lexicons.LexiconError` naming every problem's file and line."""
    return read_checked(read_intent_table, path, "intent table")


# Links through which a verb's own intention is stated: its complement clauses ("said it would", "plans to",
# "is ready to"), not a noun's complement ("the claim was an attempt to blame") or a relative clause.
_INTENT_LINKS = frozenset({"xcomp", "ccomp", "conj", "acomp"})


def intention_governor(trigger: Token, table: IntentTable) -> Token | None:
    """The verb or adjective through which the act's own subject states it ("said it would", "plans to")."""
    t = trigger
    for _ in range(6):
        if t.dep_ not in _INTENT_LINKS or t.head.i == t.i:
            return None
        t = t.head
        if t.lemma_.lower() in table.governors or t.lower_ in table.governors:
            return t
    return None
