"""The event lexicons: CAMEO code table (codes → names, Goldstein, QuadClass, PLOVER) and the trigger lexicon.

Both are plain data files under ``events/data`` validated at load time; every problem is reported with the
file and line it comes from. Users add their own trigger files (same format); entries in later files override
built-in entries with the same ``trigger``/``pos``.

Trigger lexicon format (YAML)::

    version: 1
    classes:                      # named lemma sets, referred to as "@name" in conditions
      weapon: [rocket, missile, mortar]
    light_verbs: [hold, begin]    # verbs that hand the event to their object noun ("began talks")
    entries:
      - trigger: threaten         # lemma; "crack down" = verb "crack" with particle "down"
        pos: VERB                 # VERB (default) or NOUN (a nominal trigger: "airstrike", "talks")
        code: "130"               # CAMEO code of the plain use
        target: [dobj, "pobj:against"]   # optional: where to look for the target, in order
        example: "Iran threatened Israel on Sunday."   # a sentence written for the project; tests code it
        rules:                    # optional refinements; the first whose conditions all hold wins
          - when: {xcomp: [attack, "@strike"]}
            code: "138"
          - when: {dobj: [statement]}
            code: null            # a rule may say the trigger is no event in this use
      - trigger: land
        code: "190"
        only_rules: true          # the entry fires only when a rule matches: "a rocket landed", not "a plane landed"
        rules:
          - when: {subject: ["@projectile"]}
            code: "190"

Condition keys: ``dobj`` (lemma of the direct object), ``prep`` (a preposition attached to the trigger),
``pobj`` (the object of such a preposition), ``xcomp`` (lemma of an open clausal complement, "threatened to
strike"), ``prt`` (particle), ``subtree`` (any lemma under the trigger), ``subject`` (lemma of the subject
head), ``passive`` (true/false). Values are lists of lemmas or ``@class`` names.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dragoman.lexicons import LineLoader as _LineLoader
from dragoman.lexicons import Problem

DATA_DIR = Path(__file__).resolve().parent / "data"
CAMEO_TABLE = DATA_DIR / "cameo.tsv"
TRIGGER_FILES = (DATA_DIR / "verbs.yaml", DATA_DIR / "nouns.yaml")

PLOVER_TYPES = frozenset(
    ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
)
CONDITION_KEYS = frozenset({"dobj", "prep", "pobj", "xcomp", "prt", "subtree", "subject", "passive"})
TARGET_SLOTS = frozenset({"dobj", "iobj", "dative", "attr", "xcomp_dobj", "nsubjpass", "poss", "compound"})
RULE_KEYS = frozenset({"when", "code", "example", "note", "__line__", "__lines__"})
ENTRY_KEYS = frozenset({"trigger", "pos", "code", "target", "example", "rules", "note", "source_role", "only_rules"})


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and line."""




@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str
    plover_mode: str | None

    @property
    def root(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Rule:
    when: tuple[tuple[str, Any], ...]
    code: str | None  # None: the trigger is no event in this use
    line: int
    example: str | None = None  # a sentence of our own in which this rule is the first to match


@dataclass(frozen=True)
class TriggerEntry:
    trigger: str
    lemma: str
    particle: str | None
    pos: str
    code: str
    target: tuple[str, ...] | None
    rules: tuple[Rule, ...]
    example: str | None
    file: str
    line: int
    source_role: str = "nsubj"
    only_rules: bool = False  # fires only when one of its rules matches ("a rocket landed" but not "a plane landed")


@dataclass
class TriggerLexicon:
    entries: dict[tuple[str, str], list[TriggerEntry]] = field(default_factory=dict)
    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    light_verbs: frozenset[str] = frozenset()
    hash: str = ""
    files: tuple[str, ...] = ()

    def lookup(self, lemma: str, pos: str) -> list[TriggerEntry]:
        return self.entries.get((lemma, pos), [])

    def expand(self, values: Sequence[str]) -> frozenset[str]:
        out: set[str] = set()
        for v in values:
            if isinstance(v, str) and v.startswith("@"):
                out |= self.classes.get(v[1:], frozenset())
            else:
                out.add(str(v).lower())
        return frozenset(out)


# ---------------------------------------------------------------- CAMEO table
def _read_cameo(path: Path, problems: list[Problem]) -> dict[str, CodeInfo]:
    table: dict[str, CodeInfo] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh]
    reader = csv.reader(lines, delimiter="\t")
    header = next(reader, None)
    expected = ["code", "name", "goldstein", "quad_class", "plover", "plover_mode"]
    if header != expected:
        problems.append(Problem(str(path), 1, f"header must be {expected}, got {header}"))
        return table
    for lineno, row in enumerate(reader, start=2):
        if not row or row[0].startswith("#"):
            continue
        if len(row) != len(expected):
            problems.append(Problem(str(path), lineno, f"expected {len(expected)} columns, got {len(row)}"))
            continue
        code, name, gold, quad, plover, mode = (c.strip() for c in row)
        if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
            problems.append(Problem(str(path), lineno, f"bad CAMEO code {code!r}"))
            continue
        try:
            g = float(gold)
            q = int(quad)
        except ValueError:
            problems.append(Problem(str(path), lineno, f"{code}: goldstein and quad_class must be numbers"))
            continue
        if not -10 <= g <= 10 or q not in (1, 2, 3, 4):
            problems.append(Problem(str(path), lineno, f"{code}: goldstein in [-10, 10], quad_class in 1..4"))
            continue
        if plover not in PLOVER_TYPES:
            problems.append(Problem(str(path), lineno, f"{code}: unknown PLOVER type {plover!r}"))
            continue
        if code in table:
            problems.append(Problem(str(path), lineno, f"duplicate code {code}"))
            continue
        table[code] = CodeInfo(code, name, g, q, plover, mode or None)
    return table


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, CodeInfo]:
    problems: list[Problem] = []
    table = _read_cameo(CAMEO_TABLE, problems)
    if problems:
        raise LexiconError("\n".join(str(p) for p in problems))
    return table


def code_info(code: str) -> CodeInfo:
    """The table row for a code; a 4-digit code missing from the table falls back to its 3-digit parent."""
    table = cameo_table()
    c = code
    while c not in table and len(c) > 2:
        c = c[:-1]
    if c not in table:
        raise KeyError(f"CAMEO code {code} is not in {CAMEO_TABLE.name}")
    info = table[c]
    return info if c == code else CodeInfo(code, info.name, info.goldstein, info.quad_class, info.plover, info.plover_mode)


# ---------------------------------------------------------------- trigger lexicon
def _load_yaml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 0, f"cannot read: {exc}"))
        return None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(str(path), (mark.line + 1) if mark else 0, f"YAML error: {exc}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "top level must be a mapping with 'entries'"))
        return None
    return data


def is_trigger_lexicon(path: Path) -> bool:
    """Whether a YAML file looks like a trigger lexicon (has ``entries`` whose items have ``trigger``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - any unreadable file is simply not one
        return False
    entries = data.get("entries") if isinstance(data, dict) else None
    return isinstance(entries, list) and any(isinstance(e, dict) and "trigger" in e for e in entries)


def _check_values(values: Any, where: str, file: str, line: int, classes: set[str], problems: list[Problem]) -> None:
    if not isinstance(values, list) or not values:
        problems.append(Problem(file, line, f"{where}: expected a non-empty list"))
        return
    for v in values:
        if isinstance(v, str) and v.startswith("@") and v[1:] not in classes:
            problems.append(Problem(file, line, f"{where}: unknown class {v}"))


def _parse_entries(
    path: Path, data: dict[str, Any], codes: dict[str, CodeInfo], classes: set[str], problems: list[Problem]
) -> list[TriggerEntry]:
    file = str(path)
    out: list[TriggerEntry] = []
    entries = data.get("entries", [])
    if not isinstance(entries, list):
        problems.append(Problem(file, data.get("__line__", 1), "'entries' must be a list"))
        return out
    for raw in entries:
        if not isinstance(raw, dict):
            problems.append(Problem(file, 0, f"entry must be a mapping, got {raw!r}"))
            continue
        line = raw.get("__line__", 0)
        unknown = set(raw) - ENTRY_KEYS - {"__line__", "__lines__"}
        if unknown:
            problems.append(Problem(file, line, f"unknown keys {sorted(unknown)}"))
        trigger = str(raw.get("trigger") or "").strip().lower()
        if not trigger:
            problems.append(Problem(file, line, "entry without 'trigger'"))
            continue
        pos = str(raw.get("pos", "VERB")).upper()
        if pos not in ("VERB", "NOUN"):
            problems.append(Problem(file, line, f"{trigger}: pos must be VERB or NOUN"))
            continue
        code = str(raw.get("code") or "")
        if code not in codes:
            problems.append(Problem(file, line, f"{trigger}: CAMEO code {code!r} not in cameo.tsv"))
            continue
        target = raw.get("target")
        if target is not None:
            if not isinstance(target, list):
                problems.append(Problem(file, line, f"{trigger}: 'target' must be a list"))
                target = None
            else:
                for slot in target:
                    s = str(slot)
                    if not (s in TARGET_SLOTS or s.startswith("pobj:")):
                        problems.append(Problem(file, line, f"{trigger}: unknown target slot {s!r}"))
        rules: list[Rule] = []
        for r in raw.get("rules") or []:
            rline = r.get("__line__", line) if isinstance(r, dict) else line
            if not isinstance(r, dict) or not isinstance(r.get("when"), dict) or "code" not in r:
                problems.append(Problem(file, rline, f"{trigger}: a rule needs 'when' (mapping) and 'code'"))
                continue
            # a null code says "no event here" ("released a statement")
            rcode = None if r["code"] is None else str(r["code"])
            if rcode is not None and rcode not in codes:
                problems.append(Problem(file, rline, f"{trigger}: rule code {rcode!r} not in cameo.tsv"))
                continue
            conds = []
            for key, values in r["when"].items():
                if key.startswith("__"):
                    continue
                if key not in CONDITION_KEYS:
                    problems.append(Problem(file, rline, f"{trigger}: unknown condition {key!r}"))
                    continue
                if key == "passive":
                    conds.append((key, bool(values)))
                    continue
                _check_values(values, f"{trigger}.{key}", file, rline, classes, problems)
                conds.append((key, tuple(str(v).lower() for v in values or ())))
            example = r.get("example")
            if example is not None and (not isinstance(example, str) or not example.strip()):
                problems.append(Problem(file, rline, f"{trigger}: a rule's 'example' must be a sentence"))
                example = None
            unknown_rule_keys = set(r) - RULE_KEYS
            if unknown_rule_keys:
                problems.append(Problem(file, rline, f"{trigger}: unknown rule keys {sorted(unknown_rule_keys)}"))
            rules.append(Rule(tuple(conds), rcode, rline, example))
        words = trigger.split()
        lemma = words[0]
        particle = " ".join(words[1:]) or None
        out.append(
            TriggerEntry(
                trigger=trigger, lemma=lemma, particle=particle, pos=pos, code=code,
                target=tuple(str(t) for t in target) if target else None,
                rules=tuple(rules), example=raw.get("example"), file=file, line=line,
                source_role=str(raw.get("source_role") or "nsubj"),
                only_rules=bool(raw.get("only_rules", False)),
            )
        )
    return out


def _collect(paths: Sequence[Path], problems: list[Problem]) -> TriggerLexicon:
    codes = cameo_table()
    lex = TriggerLexicon()
    datas: list[tuple[Path, dict[str, Any]]] = []
    classes: dict[str, set[str]] = {}
    light: set[str] = set()
    digest = hashlib.sha256()
    for path in paths:
        data = _load_yaml(path, problems)
        if data is None:
            continue
        digest.update(path.read_bytes())
        for name, values in (data.get("classes") or {}).items():
            if name.startswith("__"):
                continue
            if not isinstance(values, list):
                problems.append(Problem(str(path), data.get("__line__", 1), f"class {name}: expected a list"))
                continue
            classes.setdefault(name, set()).update(str(v).lower() for v in values)
        light.update(str(v).lower() for v in data.get("light_verbs") or [])
        datas.append((path, data))
    lex.classes = {k: frozenset(v) for k, v in classes.items()}
    # a class may name other classes ("@weapon" inside a class list): expand once
    for k, v in list(lex.classes.items()):
        lex.classes[k] = frozenset(x for x in lex.expand(sorted(v)))
    lex.light_verbs = frozenset(light)
    overridden: set[tuple[str, str]] = set()
    for path, data in datas:
        file_keys: set[tuple[str, str]] = set()
        for entry in _parse_entries(path, data, codes, set(lex.classes), problems):
            key = (entry.lemma, entry.pos)
            # a later file replaces earlier files' entries for the same trigger
            if key in lex.entries and key not in file_keys and key not in overridden:
                lex.entries[key] = [e for e in lex.entries[key] if e.trigger != entry.trigger]
                overridden.add(key)
            file_keys.add(key)
            same = [e for e in lex.entries.get(key, []) if e.trigger == entry.trigger and e.file == entry.file]
            if same:
                problems.append(Problem(entry.file, entry.line, f"duplicate trigger {entry.trigger!r} ({entry.pos}), "
                                                                f"first at line {same[0].line}"))
                continue
            lex.entries.setdefault(key, []).append(entry)
    # particle entries first, so "crack down" is tried before "crack"
    for key in lex.entries:
        lex.entries[key].sort(key=lambda e: (e.particle is None,))
    lex.hash = digest.hexdigest()[:12]
    lex.files = tuple(str(p) for p in paths)
    return lex


def load_trigger_lexicon(extra_files: Sequence[str | Path] = ()) -> TriggerLexicon:
    """Built-in trigger files plus ``extra_files`` (later ones override); raises LexiconError on problems."""
    paths = [p for p in TRIGGER_FILES if p.exists()] + [Path(p) for p in extra_files]
    problems: list[Problem] = []
    lex = _collect(paths, problems)
    if problems:
        raise LexiconError("\n".join(str(p) for p in problems))
    return lex


def validate_trigger_file(path: str | Path) -> list[Problem]:
    """All problems of one trigger lexicon file (classes of the built-in files are visible to it)."""
    p = Path(path)
    problems: list[Problem] = []
    builtin = [b for b in TRIGGER_FILES if b.exists() and b.resolve() != p.resolve()]
    _collect([*builtin, p], problems)
    return [pr for pr in problems if Path(pr.file).resolve() == p.resolve()]


def validate_cameo_file(path: str | Path) -> list[Problem]:
    problems: list[Problem] = []
    _read_cameo(Path(path), problems)
    return problems
