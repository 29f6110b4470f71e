"""An actor's own stated intention to act is coded as the intention, not the act (CAMEO 03x / 13x).

"Nigeria announced it will withdraw its troops unless ..." reports a threat that was made, not a withdrawal; "X
is prepared to lift the ban" an expression of intent to yield. The table lives in ``data/intent.yaml``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Token

from dragoman.events.lexicon import LexiconError, cameo_table

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


@lru_cache(maxsize=1)
def load_intent_table(path: Path = INTENT_FILE) -> IntentTable:
    raw = path.read_bytes()
    data = yaml.safe_load(raw)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), dict) or not data.get("governors"):
        raise LexiconError(f"{path}:1: needs 'governors' (list) and 'codes' (mapping)")
    table = cameo_table()
    codes: dict[str, str] = {}
    for key, value in data["codes"].items():
        k, v = str(key), str(value)
        if v not in table:
            raise LexiconError(f"{path}: code {v!r} (for {k}) is not in cameo.tsv")
        codes[k] = v
    return IntentTable(frozenset(str(g).lower() for g in data["governors"]), codes,
                       hashlib.sha256(raw).hexdigest()[:12])


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
