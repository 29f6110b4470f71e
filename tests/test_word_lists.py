"""The English words the stages use live in data files: every word list says why it exists and shows one of its
words in an example sentence of our own; so does every count noun."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dragoman.events import lexicon as events
from dragoman.lexicons import WORD_LISTS_KIND, Problem, declared_kind, read_word_lists, read_yaml, strip_lines

PACKAGE = Path(events.__file__).resolve().parents[1]
WORD_LIST_FILES = sorted(p for p in PACKAGE.glob("*/data/*.yaml") if declared_kind(p) == WORD_LISTS_KIND)


def tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^\w']+", text.lower()) if t]


def shows(example: str, word: str) -> bool:
    """Whether ``word`` (one word or a phrase) occurs in ``example`` as whole tokens, case-insensitively."""
    have, want = tokens(example), tokens(word)
    return any(have[i: i + len(want)] == want for i in range(len(have) - len(want) + 1))


def _lists():
    for path in WORD_LIST_FILES:
        problems: list[Problem] = []
        for name, wl in read_word_lists(path, problems).items():
            yield pytest.param(wl, id=f"{path.parent.parent.name}/{path.name}:{name}")
        assert problems == []


def test_the_stages_have_word_list_files() -> None:
    assert {p.parent.parent.name for p in WORD_LIST_FILES} >= {"actors", "events"}


@pytest.mark.parametrize("wl", list(_lists()))
def test_every_word_list_has_why_and_an_example_showing_one_of_its_words(wl) -> None:
    assert len(wl.why.split()) >= 4
    assert wl.example[:1].isupper() and wl.example.rstrip()[-1] in ".?!"
    assert any(shows(wl.example, w) for w in wl.words), f"{wl.file}:{wl.line}: {wl.example!r}"


def test_every_count_noun_has_an_example_showing_it() -> None:
    data = strip_lines(read_yaml(events.COUNT_NOUNS_FILE, []))
    missing = [n["noun"] for n in data["nouns"] if not shows(n["example"], n["noun"])]
    assert missing == []
    assert set(events.load_count_nouns()) == {n["noun"] for n in data["nouns"]}


def test_shows_matches_whole_tokens_and_phrases() -> None:
    assert shows("More than 200 families fled.", "more than")
    assert shows("Anti-government protesters marched.", "anti")
    assert not shows("The attackers fled.", "attack")
