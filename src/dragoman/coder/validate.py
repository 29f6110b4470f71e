"""One validator for every data file of the coder, dispatched on the kind the file declares.

Every lexicon and data file declares its kind in its first lines (``kind: NAME`` in YAML, ``# kind: NAME`` in
TSV; :func:`dragoman.lexicons.declared_kind`). :func:`validate_file` hands the file to the validator of the
package that reads that kind and returns its problems (``file:line: message``); ``dragoman lexicon validate``
prints them. :func:`split_user_lexicons` sorts the files a user adds (``--lexicon``, ``$DRAGOMAN_LEXICONS``)
into trigger and actor files by the same kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from dragoman import geo
from dragoman.actors import codes as actor_codes
from dragoman.actors import lexicon as actors
from dragoman.events import lexicon as events
from dragoman.lexicons import WORD_LISTS_KIND, Problem, check_kind, declared_kind, raise_if, read_word_lists
from dragoman.time import lexicon as time_lexicon

Validator = Callable[[Path], list[Problem]]


def _word_lists(path: Path) -> list[Problem]:
    problems: list[Problem] = []
    read_word_lists(path, problems)
    return problems


# kind -> the validator of the package that reads it
VALIDATORS: dict[str, Validator] = {
    **dict.fromkeys(sorted(actors.LEXICON_KINDS), actors.validate_file),
    actor_codes.CODE_PARTS_KIND: actor_codes.validate_file,
    **dict.fromkeys(sorted(events.KINDS - {WORD_LISTS_KIND}), events.validate_file),
    **dict.fromkeys(sorted(time_lexicon.FILE_KINDS), time_lexicon.validate_file),
    WORD_LISTS_KIND: _word_lists,  # a kind several packages use: read the same way wherever it lives
    **dict.fromkeys(sorted(set(geo.GEO_KINDS) - {WORD_LISTS_KIND}), geo.validate_file),
}
KNOWN_KINDS: frozenset[str] = frozenset(VALIDATORS)
# The kinds a user may add to the built-in lexicons, and which loader takes them.
USER_KINDS: dict[str, str] = {events.TRIGGER_KIND: "triggers", **dict.fromkeys(actors.LEXICON_KINDS, "actors")}


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of one data file, read as the kind it declares; a file of no known kind is one problem
    naming the known kinds."""
    p = Path(path)
    validator = VALIDATORS.get(declared_kind(p) or "")
    if validator is None:
        problems: list[Problem] = []
        check_kind(p, KNOWN_KINDS, problems)
        return problems
    return validator(p)


def split_user_lexicons(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """User lexicon files as (trigger files, actor files), in the order given, by the kind each declares.

    :class:`dragoman.lexicons.LexiconError` names every file of another kind or of none, and the kinds it could
    declare."""
    triggers: list[Path] = []
    actor_files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        stage = USER_KINDS.get(declared_kind(path) or "")
        if stage == "triggers":
            triggers.append(path)
        elif stage == "actors":
            actor_files.append(path)
        else:
            check_kind(path, USER_KINDS, problems)
    raise_if(problems, "user lexicon")
    return triggers, actor_files
