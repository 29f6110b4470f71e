"""The event lexicons: CAMEO code table (codes → names, Goldstein, QuadClass, PLOVER), the trigger lexicon and
the smaller event data files, with :func:`validate_file` for each of their kinds.

All are plain data files under ``events/data`` validated at load time; every problem is reported with the
file and line it comes from, and each file declares its kind in its first lines (:data:`KINDS`):

* ``cameo-table`` (``cameo.tsv``, a ``# kind: cameo-table`` first line): the CAMEO codes;
* ``trigger-lexicon`` (``verbs.yaml``, ``nouns.yaml``): the triggers, format below;
* ``factuality-cues`` (``factuality.yaml``, read by :mod:`dragoman.events.factuality`), ``intent-table``
  (``intent.yaml``, :mod:`dragoman.events.intent`), ``judgements`` (``judgements.yaml``,
  :mod:`dragoman.events.engine`);
* ``count-nouns`` (``count_nouns.yaml``): event nouns that count happenings in a claim, each with its code;
* ``number-words`` (``numbers.yaml``): number words and their values, for counts of people;
* ``word-lists`` (``words.yaml``, :func:`dragoman.lexicons.load_word_lists`): the English words the engine, the
  size reader and factuality use, each list with what it is for and an example.

Users add their own trigger files (same format, ``kind: trigger-lexicon`` at the top); entries in later files
override built-in entries with the same ``trigger``/``pos``.

Trigger lexicon format (YAML)::

    kind: trigger-lexicon
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
        only_rules: true          # the entry fires only when a rule matches: "a shell landed", not "a plane landed"
        rules:
          - when: {subject: ["@projectile"]}
            code: "190"

Condition keys: ``dobj`` (lemma of the direct object), ``prep`` (a preposition attached to the trigger),
``pobj`` (the object of such a preposition), ``xcomp`` (lemma of an open clausal complement, "threatened to
strike"), ``prt`` (particle), ``subtree`` (any lemma under the trigger), ``subject`` (lemma of the subject
head), ``passive`` (true/false), ``named_as`` (true/false: the object is given a name or a description, "called
the plan a red line", "labelled them traitors"), ``source`` (the resolved source actor's kind: a three-letter country or
IGO/NGO/IMG code or a sector code; decided once actors are known, so "warned" by an aid agency and by a state can
be coded apart). Values are lists of lemmas or ``@class`` names (``source``: codes).

A rule list may end with a shared list defined elsewhere under a YAML anchor: ``rules: [{when: ...}, *shared]``
uses the entry's own rules first, then the shared ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dragoman.events.calibration import CALIBRATION_KIND, validate_calibration_file
from dragoman.lexicons import (
    WORD_LISTS_KIND,
    LexiconError,
    Problem,
    check_kind,
    declared_kind,
    item_line,
    line_of,
    load_word_lists,
    read_checked,
    read_tsv,
    read_word_lists,
    read_yaml,
)

# LexiconError is dragoman.lexicons' one error type, imported here so that old imports keep working.
DATA_DIR = Path(__file__).resolve().parent / "data"
CAMEO_TABLE = DATA_DIR / "cameo.tsv"
TRIGGER_FILES = (DATA_DIR / "verbs.yaml", DATA_DIR / "nouns.yaml")
WORDS_FILE = DATA_DIR / "words.yaml"
COUNT_NOUNS_FILE = DATA_DIR / "count_nouns.yaml"
NUMBERS_FILE = DATA_DIR / "numbers.yaml"

CAMEO_KIND = "cameo-table"
TRIGGER_KIND = "trigger-lexicon"
FACTUALITY_KIND = "factuality-cues"
INTENT_KIND = "intent-table"
JUDGEMENTS_KIND = "judgements"
COUNT_NOUNS_KIND = "count-nouns"
NUMBERS_KIND = "number-words"
# Every kind of file the events package reads; validate_file dispatches on them.
KINDS = frozenset({CAMEO_KIND, TRIGGER_KIND, FACTUALITY_KIND, INTENT_KIND, JUDGEMENTS_KIND, COUNT_NOUNS_KIND,
                   NUMBERS_KIND, WORD_LISTS_KIND, CALIBRATION_KIND})

PLOVER_TYPES = frozenset(
    ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
)
CONDITION_KEYS = frozenset({"dobj", "prep", "pobj", "xcomp", "prt", "subtree", "subject", "passive", "source",
                            "named_as"})
BOOLEAN_CONDITION_KEYS = frozenset({"passive", "named_as"})  # true/false, not word lists
_ACTOR_KIND = re.compile(r"^[A-Z]{3}$")
TARGET_SLOTS = frozenset({"dobj", "iobj", "dative", "attr", "xcomp_dobj", "nsubjpass", "poss", "compound"})
RULE_KEYS = frozenset({"when", "code", "example", "note", "__line__", "__lines__"})
ENTRY_KEYS = frozenset({"trigger", "pos", "code", "target", "example", "rules", "note", "source_role", "only_rules"})
TOP_KEYS = frozenset({"kind", "version", "classes", "light_verbs", "entries", "__line__", "__lines__"})
CAMEO_COLUMNS = ("code", "name", "goldstein", "quad_class", "plover", "plover_mode")


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

    @property
    def needs_actors(self) -> bool:
        """Whether the rule reads the resolved source actor (decided once actors are known)."""
        return any(key == "source" for key, _ in self.when)


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
    only_rules: bool = False  # fires only when one of its rules matches ("a shell landed" but not "a plane landed")


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
    if not check_kind(path, CAMEO_KIND, problems):
        return table
    for lineno, row in read_tsv(path, CAMEO_COLUMNS, problems):
        code, name, gold, quad, plover, mode = (row[c] for c in CAMEO_COLUMNS)
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
    return read_checked(_read_cameo, CAMEO_TABLE, "CAMEO table")


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
    """A trigger file's top mapping, or ``None`` with its problems (unreadable, not YAML, not a trigger file)."""
    data = read_yaml(path, problems)
    if data is None:
        return None
    if not check_kind(path, TRIGGER_KIND, problems):
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), 1, "top level must be a mapping with 'entries'"))
        return None
    allowed = ", ".join(sorted(TOP_KEYS - {"__line__", "__lines__"}))
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(Problem(str(path), line_of(data, key), f"unknown top-level key {key!r} (allowed: {allowed})"))
    return data


def _check_values(values: Any, where: str, file: str, line: int, classes: set[str], problems: list[Problem]) -> None:
    if not isinstance(values, list) or not values:
        problems.append(Problem(file, line, f"{where}: expected a non-empty list"))
        return
    for v in values:
        if isinstance(v, bool):
            # YAML reads a bare on/off/yes/no as a boolean: the word would silently never match
            problems.append(Problem(file, line, f"{where}: {str(v).lower()!r} was read as a YAML boolean; quote "
                                                "the word (\"on\", \"off\", \"yes\", \"no\")"))
        elif not isinstance(v, str):
            problems.append(Problem(file, line, f"{where}: {v!r} is not a word; quote it"))
        elif v.startswith("@") and v[1:] not in classes:
            problems.append(Problem(file, line, f"{where}: unknown class {v}"))


def _parse_entries(
    path: Path, data: dict[str, Any], codes: dict[str, CodeInfo], classes: set[str], problems: list[Problem]
) -> list[TriggerEntry]:
    file = str(path)
    out: list[TriggerEntry] = []
    entries = data.get("entries", [])
    if not isinstance(entries, list):
        problems.append(Problem(file, line_of(data, "entries"), "'entries' must be a list"))
        return out
    for n, raw in enumerate(entries):
        if not isinstance(raw, dict):
            problems.append(Problem(file, item_line(path, ["entries", n], line_of(data, "entries")),
                                    f"entry must be a mapping, got {raw!r}"))
            continue
        line = line_of(raw)
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
        raw_rules = raw.get("rules") or []
        if not isinstance(raw_rules, list):
            problems.append(Problem(file, line_of(raw, "rules", line), f"{trigger}: 'rules' must be a list"))
            raw_rules = []
        # an item that is itself a list is a shared rule list used after the entry's own rules:
        # "rules: [{when: ...}, *threat_rules]"
        flat = [([m, k], rr) for m, r in enumerate(raw_rules)
                for k, rr in (enumerate(r) if isinstance(r, list) else [(None, r)])]
        for where, r in flat:
            place = ["entries", n, "rules", where[0]] + ([where[1]] if where[1] is not None else [])
            rline = line_of(r) if isinstance(r, dict) else item_line(path, place, line)
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
                if key in BOOLEAN_CONDITION_KEYS:
                    conds.append((key, bool(values)))
                    continue
                if key == "source":
                    # the resolved source actor's kind: a country or IGO/NGO/IMG prefix, or a sector code
                    kinds = [str(v) for v in values] if isinstance(values, list) else []
                    if not kinds or not all(_ACTOR_KIND.match(k) for k in kinds):
                        problems.append(Problem(file, rline, f"{trigger}.source: expected a list of three-letter "
                                                             "actor codes (country, IGO/NGO/IMG, or sector)"))
                        continue
                    conds.append((key, tuple(kinds)))
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
        file_classes = data.get("classes") or {}
        if not isinstance(file_classes, dict):
            problems.append(Problem(str(path), line_of(data, "classes"), "'classes' must be a mapping of name -> list"))
            file_classes = {}
        for name, values in file_classes.items():
            if name.startswith("__"):
                continue
            if not isinstance(values, list):
                problems.append(Problem(str(path), line_of(file_classes, name), f"class {name}: expected a list"))
                continue
            classes.setdefault(name, set()).update(str(v).lower() for v in values)
        light_verbs = data.get("light_verbs") or []
        if not isinstance(light_verbs, list):
            problems.append(Problem(str(path), line_of(data, "light_verbs"), "'light_verbs' must be a list"))
            light_verbs = []
        light.update(str(v).lower() for v in light_verbs)
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
    return read_checked(_collect, paths, "trigger lexicon")


def validate_trigger_file(path: str | Path) -> list[Problem]:
    """All problems of one trigger lexicon file (classes of the built-in files are visible to it)."""
    p = Path(path)
    problems: list[Problem] = []
    builtin = [b for b in TRIGGER_FILES if b.exists() and b.resolve() != p.resolve()]
    _collect([*builtin, p], problems)
    return [pr for pr in problems if Path(pr.file).resolve() == p.resolve()]


def validate_cameo_file(path: str | Path) -> list[Problem]:
    """All problems of one CAMEO table file, by line."""
    problems: list[Problem] = []
    _read_cameo(Path(path), problems)
    return sorted(problems, key=lambda pr: pr.line)


# ---------------------------------------------------------------- count nouns
def read_count_nouns(path: str | Path, problems: list[Problem]) -> dict[str, str]:
    """A ``count-nouns`` file: event nouns that count happenings in a claim ("the third attack this week") even
    where the trigger lexicon codes the noun only through rules, each with its CAMEO code::

        kind: count-nouns
        nouns:
          - {noun: raid, code: "190", example: "It was the second raid on the camp in a month."}

    Nouns are lemmas; each code must be in the CAMEO table; a noun listed twice is a problem."""
    p = Path(path)
    data = read_yaml(p, problems)
    if data is None or not check_kind(p, COUNT_NOUNS_KIND, problems):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("nouns"), list):
        problems.append(Problem(str(p), line_of(data), "needs a 'nouns' list of {noun, code, example}"))
        return {}
    for key in sorted(set(data) - {"kind", "version", "nouns", "__line__", "__lines__"}):
        problems.append(Problem(str(p), line_of(data, key), f"unknown top-level key {key!r}"))
    codes = cameo_table()
    out: dict[str, str] = {}
    for n, item in enumerate(data["nouns"]):
        if not isinstance(item, dict):
            problems.append(Problem(str(p), item_line(p, ["nouns", n], line_of(data, "nouns")),
                                    "each noun must be a mapping with noun, code and example"))
            continue
        line = line_of(item)
        unknown = set(item) - {"noun", "code", "example", "note", "__line__", "__lines__"}
        if unknown:
            problems.append(Problem(str(p), line, f"unknown keys {sorted(unknown)}"))
        noun = str(item.get("noun") or "").strip().lower()
        code = str(item.get("code") or "")
        if not noun:
            problems.append(Problem(str(p), line, "entry without 'noun'"))
            continue
        if code not in codes:
            problems.append(Problem(str(p), line_of(item, "code", line), f"{noun}: CAMEO code {code!r} not in "
                                                                          f"{CAMEO_TABLE.name}"))
            continue
        if not isinstance(item.get("example"), str) or not item["example"].strip():
            problems.append(Problem(str(p), line, f"{noun}: needs an 'example' sentence"))
        if noun in out:
            problems.append(Problem(str(p), line, f"{noun}: listed twice"))
            continue
        out[noun] = code
    return out


@lru_cache(maxsize=1)
def load_count_nouns(path: Path = COUNT_NOUNS_FILE) -> dict[str, str]:
    """Event noun -> CAMEO code of a ``count-nouns`` file; :class:`LexiconError` on any problem."""
    return read_checked(read_count_nouns, path, "count nouns")


# ---------------------------------------------------------------- number words
@dataclass(frozen=True)
class NumberWords:
    """Number words and their values (a ``number-words`` file): "twelve" -> 12, "third" -> 3, "million"."""

    cardinals: dict[str, int]
    ordinals: dict[str, int]
    scales: dict[str, int]


NUMBER_SECTIONS = ("cardinals", "ordinals", "scales")


def read_number_words(path: str | Path, problems: list[Problem]) -> NumberWords:
    """A ``number-words`` file::

        kind: number-words
        cardinals: {one: 1, two: 2, dozen: 12}   # words that are a number ("a dozen" as one phrase too)
        ordinals: {first: 1, second: 2}
        scales: {thousand: 1000}                 # words that multiply the number before them

    Keys are lower-case words, values positive integers; every section must be there."""
    p = Path(path)
    sections: dict[str, dict[str, int]] = {name: {} for name in NUMBER_SECTIONS}
    data = read_yaml(p, problems)
    if data is None or not check_kind(p, NUMBERS_KIND, problems):
        return NumberWords(**sections)
    if not isinstance(data, dict):
        problems.append(Problem(str(p), 1, f"top level must be a mapping with {', '.join(NUMBER_SECTIONS)}"))
        return NumberWords(**sections)
    for key in sorted(set(data) - {"kind", "version", *NUMBER_SECTIONS, "__line__", "__lines__"}):
        problems.append(Problem(str(p), line_of(data, key), f"unknown top-level key {key!r}"))
    for name in NUMBER_SECTIONS:
        section = data.get(name)
        if not isinstance(section, dict):
            problems.append(Problem(str(p), line_of(data, name), f"{name}: must be a mapping of word -> number"))
            continue
        for word, value in section.items():
            if word in ("__line__", "__lines__"):
                continue
            line = line_of(section, str(word))
            if not isinstance(word, str) or word != " ".join(word.lower().split()):
                problems.append(Problem(str(p), line, f"{name}.{word}: keys must be lower-case words"))
            elif isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                problems.append(Problem(str(p), line, f"{name}.{word}: value must be a positive integer, "
                                                      f"not {value!r}"))
            else:
                sections[name][word] = value
    return NumberWords(**sections)


@lru_cache(maxsize=1)
def load_number_words(path: Path = NUMBERS_FILE) -> NumberWords:
    """The number words of a ``number-words`` file; :class:`LexiconError` on any problem."""
    return read_checked(read_number_words, path, "number words")


# ---------------------------------------------------------------- word lists
@lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    return load_word_lists(WORDS_FILE)


def word_lists(*names: str) -> tuple[frozenset[str], ...]:
    """The named lists of the events package's ``words.yaml`` (read once), in the order asked for."""
    lists = _word_lists()
    missing = [n for n in names if n not in lists]
    if missing:
        raise LexiconError(Problem(str(WORDS_FILE), 1, f"missing word lists {missing}"), "word lists")
    return tuple(lists[n] for n in names)


# ---------------------------------------------------------------- one validator for every kind
def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of one events data file, read as the kind it declares (:data:`KINDS`)."""
    p = Path(path)
    kind = declared_kind(p)
    problems: list[Problem] = []
    if kind == TRIGGER_KIND:
        return validate_trigger_file(p)
    if kind == CAMEO_KIND:
        return validate_cameo_file(p)
    if kind == COUNT_NOUNS_KIND:
        read_count_nouns(p, problems)
    elif kind == NUMBERS_KIND:
        read_number_words(p, problems)
    elif kind == WORD_LISTS_KIND:
        read_word_lists(p, problems)
    elif kind == FACTUALITY_KIND:
        from dragoman.events.factuality import read_cues

        read_cues(p, problems)
    elif kind == INTENT_KIND:
        from dragoman.events.intent import read_intent_table

        read_intent_table(p, problems)
    elif kind == JUDGEMENTS_KIND:
        from dragoman.events.engine import read_judgements

        read_judgements(p, problems)
    elif kind == CALIBRATION_KIND:
        problems.extend(validate_calibration_file(p))
    else:
        check_kind(p, KINDS, problems)
    return problems
