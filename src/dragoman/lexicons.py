"""What every lexicon loader shares (actors, events, time, geo).

* :class:`Problem` names a file, a line and what is wrong; :class:`LexiconError` is the one error every loader
  raises, carrying all the problems it found (not only the first).
* :class:`LineLoader` is a YAML loader that remembers the line of every mapping and of each of its keys, so a
  problem deep inside an entry is reported where it is; :func:`read_yaml` uses it and turns YAML syntax errors
  into problems with their line.
* Every data file declares its *kind* (``kind: trigger-lexicon`` at the top of a YAML file, a ``# kind: ...``
  line at the top of a TSV file), so ``dragoman lexicon validate`` knows which validator reads it:
  :func:`declared_kind`.
* :func:`load_word_lists` reads the ``word-lists`` kind: named lists of words that a stage's rules use, each with
  a line saying what the list is for and an example sentence of our own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

MAX_SHOWN = 20  # problems listed in an error message; the rest are counted
WORD_LISTS_KIND = "word-lists"
_KIND_LINE = re.compile(r"^#?\s*kind:\s*([A-Za-z0-9_.-]+)\s*$")
_WORD_LIST_KEYS = frozenset({"why", "example", "words", "__line__", "__lines__"})


@dataclass(frozen=True)
class Problem:
    """One problem of a lexicon file, printed as ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class LexiconError(ValueError):
    """A lexicon or data file is invalid. ``problems`` lists every problem found, each with its file and line."""

    def __init__(self, problems: Problem | Sequence[Problem], what: str = "lexicon") -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        shown = "\n".join(str(p) for p in self.problems[:MAX_SHOWN])
        more = f"\n... and {len(self.problems) - MAX_SHOWN} more" if len(self.problems) > MAX_SHOWN else ""
        super().__init__(f"invalid {what}:\n{shown}{more}")


def raise_if(problems: Sequence[Problem], what: str = "lexicon") -> None:
    """Raise :class:`LexiconError` when ``problems`` is not empty."""
    if problems:
        raise LexiconError(problems, what)


_Source = TypeVar("_Source")
_Read = TypeVar("_Read")


def read_checked(read: Callable[[_Source, list[Problem]], _Read | None], source: _Source, what: str) -> _Read:
    """``read(source, problems)``, or :class:`LexiconError` naming every problem it found (the data files'
    ``read_*`` functions report; their ``load_*`` wrappers raise)."""
    problems: list[Problem] = []
    value = read(source, problems)
    raise_if(problems, what)
    assert value is not None
    return value


# libyaml's parser where PyYAML was built with it: the actor dictionary is large enough for the pure-Python
# scanner to dominate load time (the constructors, and so the results, are the same).
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """SafeLoader that records the line of every mapping (``__line__``) and of each of its keys (``__lines__``).

    Dates stay strings: loaders parse them themselves, so partial dates and errors are reported uniformly."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: str | Path, problems: list[Problem]) -> Any:
    """A YAML file read with :class:`LineLoader`; ``None`` (and a problem with the line) when it cannot be read
    or parsed."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(p), 1, f"cannot read: {exc}"))
        return None
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        why = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(str(p), line, f"not valid YAML: {why}"))
        return None


def line_of(mapping: Any, key: str | None = None, default: int = 1) -> int:
    """The line of a mapping read by :class:`LineLoader` (or of one of its keys)."""
    if not isinstance(mapping, dict):
        return default
    if key is not None:
        return int(mapping.get("__lines__", {}).get(key, mapping.get("__line__", default)))
    return int(mapping.get("__line__", default))


def item_line(path: str | Path, keys: Sequence[str | int], default: int = 1) -> int:
    """The line of the node reached from the top of a YAML file by ``keys`` (mapping keys, list indexes).

    For what :class:`LineLoader` cannot mark, such as a list item that is not a mapping; meant for error
    paths (it reads the file again)."""
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return default
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            return default
    return node.start_mark.line + 1 if node is not None else default


def strip_lines(value: Any) -> Any:
    """``value`` without the line bookkeeping :class:`LineLoader` adds to mappings."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in ("__line__", "__lines__")}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def declared_kind(path: str | Path) -> str | None:
    """The kind a data file declares in its first lines: ``kind: NAME`` (YAML) or ``# kind: NAME`` (TSV)."""
    return _declared(path)[0]


def _declared(path: str | Path) -> tuple[str | None, int]:
    """The declared kind and the line it is declared on (1 when there is none)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh):
                if n >= 40:
                    break
                m = _KIND_LINE.match(line.strip())
                if m:
                    return m.group(1), n + 1
    except OSError:
        return None, 1
    return None, 1


def check_kind(path: str | Path, expected: str | Iterable[str], problems: list[Problem]) -> bool:
    """Whether ``path`` declares one of the ``expected`` kinds; a problem naming the file when not."""
    wanted = {expected} if isinstance(expected, str) else set(expected)
    kind, line = _declared(path)
    if kind in wanted:
        return True
    said = f"declares kind {kind!r}" if kind else "declares no kind"
    problems.append(Problem(str(path), line, f"{said}; expected {' or '.join(sorted(wanted))} "
                                             "(a 'kind: NAME' line at the top)"))
    return False


def read_tsv(path: str | Path, columns: Sequence[str], problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a tab-separated file as ``(line, {column: value})``, skipping blank lines and ``#`` comments.

    The first row that is not a comment is the header and must hold ``columns`` in that order (extra columns
    after them are allowed); a row with too few or too many cells is a problem with its line."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(p), 1, f"cannot read: {exc}"))
        return []
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            if header[: len(columns)] != list(columns):
                problems.append(Problem(str(p), n, f"header must start with {', '.join(columns)} (tab-separated); "
                                                   f"found {', '.join(header)}"))
                return []
            continue
        if len(cells) != len(header):
            problems.append(Problem(str(p), n, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        rows.append((n, dict(zip(header, (c.strip() for c in cells), strict=True))))
    if header is None:
        problems.append(Problem(str(p), 1, "no header row"))
    return rows


@dataclass(frozen=True)
class WordList:
    """One named list of a ``word-lists`` file."""

    name: str
    words: frozenset[str]
    why: str
    example: str
    file: str
    line: int


def read_word_lists(path: str | Path, problems: list[Problem]) -> dict[str, WordList]:
    """The lists of a ``word-lists`` file, every problem added to ``problems`` with its line::

        kind: word-lists
        lists:
          reporting_verbs:
            why: verbs whose complement is what somebody says
            example: "The ministry said the talks would resume."
            words: [say, tell, report]

    Words are stripped and lower-cased unless the list's name ends in ``_cased``; a word listed twice in one
    list, an empty list, or a list without ``why`` or ``example`` is a problem."""
    p = Path(path)
    data = read_yaml(p, problems)
    if data is None:
        return {}
    if not check_kind(p, WORD_LISTS_KIND, problems):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("lists"), dict):
        problems.append(Problem(str(p), line_of(data), "needs a 'lists' mapping of name -> {why, example, words}"))
        return {}
    out: dict[str, WordList] = {}
    lists = data["lists"]
    for name, spec in lists.items():
        if name in ("__line__", "__lines__"):
            continue
        line = line_of(lists, name)
        if not isinstance(spec, dict):
            problems.append(Problem(str(p), line, f"{name}: must be a mapping with why, example and words"))
            continue
        unknown = set(spec) - _WORD_LIST_KEYS
        if unknown:
            problems.append(Problem(str(p), line, f"{name}: unknown keys {sorted(unknown)}"))
        words = spec.get("words")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(Problem(str(p), line_of(spec, "words", line), f"{name}: 'words' must be a non-empty "
                                                                            "list of strings"))
            continue
        for key in ("why", "example"):
            if not isinstance(spec.get(key), str) or not spec[key].strip():
                problems.append(Problem(str(p), line, f"{name}: needs '{key}' (a non-empty string)"))
        cased = name.endswith("_cased")
        seen: set[str] = set()
        for w in words:
            word = w.strip() if cased else w.strip().lower()
            if word in seen:
                problems.append(Problem(str(p), line_of(spec, "words", line), f"{name}: {word!r} listed twice"))
            seen.add(word)
        out[name] = WordList(name, frozenset(seen), str(spec.get("why") or ""), str(spec.get("example") or ""),
                             str(p), line)
    return out


def load_word_lists(path: str | Path, required: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    """The lists of a ``word-lists`` file as ``name -> words``; :class:`LexiconError` on any problem, or when a
    list the caller ``required`` is missing."""
    problems: list[Problem] = []
    lists = read_word_lists(path, problems)
    for name in required:
        if name not in lists and not problems:
            problems.append(Problem(str(path), 1, f"missing list {name!r}"))
    raise_if(problems, "word lists")
    return {name: wl.words for name, wl in lists.items()}
