"""The English words the geo stage's rules use, read from ``data/words.yaml`` (kind ``word-lists``).

Every list of the file is a field of :class:`GeoWords`, with the same name: a list the file lacks, or one it
has that no field reads, is a problem with its file and line (:class:`dragoman.lexicons.LexiconError`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache

from dragoman.lexicons import Problem, read_checked, read_word_lists

WORDS_FILE = os.path.join(os.path.dirname(__file__), "data", "words.yaml")


@dataclass(frozen=True)
class GeoWords:
    """The geo word lists; data/words.yaml says what each is for."""

    # recognising place names
    articles: frozenset[str]
    guide_prepositions: frozenset[str]
    strong_locative_prepositions: frozenset[str]
    region_prepositions: frozenset[str]
    place_nouns: frozenset[str]
    area_nouns: frozenset[str]
    directions: frozenset[str]
    name_particles: frozenset[str]
    dotted_abbreviations_cased: frozenset[str]
    street_words: frozenset[str]
    road_words: frozenset[str]
    facility_heads: frozenset[str]
    admin_words: frozenset[str]
    date_words: frozenset[str]
    person_titles: frozenset[str]
    generic_words: frozenset[str]
    not_region_words: frozenset[str]
    territory_nouns: frozenset[str]
    site_nouns: frozenset[str]
    # a place, or an actor named by its place
    literal_subject_verbs: frozenset[str]
    literal_object_verbs: frozenset[str]
    part_nouns: frozenset[str]
    actor_prepositions: frozenset[str]
    boundary_nouns: frozenset[str]
    departure_verbs: frozenset[str]
    member_nouns: frozenset[str]
    of_actor_nouns: frozenset[str]
    relation_nouns: frozenset[str]
    to_actor_heads: frozenset[str]
    on_actor_heads: frozenset[str]
    from_actor_heads: frozenset[str]
    # event location and resolution
    locative_prepositions: frozenset[str]
    agent_nouns: frozenset[str]
    scene_prepositions: frozenset[str]
    origin_prepositions: frozenset[str]
    region_name_words: frozenset[str]
    settlement_nouns: frozenset[str]
    admin2_nouns: frozenset[str]
    # datelines
    dateline_months: frozenset[str]
    news_agencies_cased: frozenset[str]

    # other names of first-level regions (used when the gazetteer is built)
    admin1_name_prefixes: frozenset[str]
    admin1_name_suffixes: frozenset[str]
    admin1_alt_suffixes: frozenset[str]


LIST_NAMES: tuple[str, ...] = tuple(f.name for f in fields(GeoWords))


def read_geo_words(path: str, problems: list[Problem]) -> GeoWords | None:
    """The geo word lists of ``path``; ``None`` (every problem added to ``problems``) when the file is
    invalid."""
    before = len(problems)
    lists = read_word_lists(path, problems)
    malformed = len(problems) > before  # a list with a problem may be left out: do not call it missing too
    for name, wl in lists.items():
        if name not in LIST_NAMES:
            problems.append(Problem(wl.file, wl.line, f"{name}: no geo rule reads this list (misspelt?)"))
    if not malformed:
        missing = [name for name in LIST_NAMES if name not in lists]
        problems.extend(Problem(str(path), 1, f"missing list {name!r}") for name in missing)
    if len(problems) > before:
        return None
    return GeoWords(**{name: lists[name].words for name in LIST_NAMES})


@lru_cache(maxsize=4)
def load_geo_words(path: str = WORDS_FILE) -> GeoWords:
    """The geo word lists (read once per path); :class:`~dragoman.lexicons.LexiconError` on any problem."""
    return read_checked(read_geo_words, path, "geo word lists")
