"""Faster drop-in replacements for two stock components of the spaCy English pipelines, with the same output.

The model's ``attribute_ruler`` maps every token's fine tag to its part of speech and features with some 180
Matcher rules, nearly all of one token; the Matcher tries every rule at every token, and that costs about as much
as the parser. :class:`IndexedAttributeRuler` decides the one-token rules by a lookup on what they test (tag,
lower-case form, dependency, whether a space), once per distinct combination, and leaves only the few rules of
several tokens to the Matcher. Rules apply in the order they were added, later ones winning, as in spaCy.

The model's rule ``lemmatizer`` caches only the words that its rules change, so it recomputes every base form
(most words of a text) each time. :class:`CachedLemmatizer` caches every lemma by what it depends on (the
word, its part of speech and its features), in a cache that is emptied when it reaches
``settings.NLP_LEMMA_CACHE_SIZE`` entries, so memory stays flat on any input.

:func:`dragoman.nlp.load_nlp` puts both in place of the stock components; ``tests/test_nlp_components.py`` and
``bench/nlp_components.py`` check that every token gets exactly the annotation the stock components give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

from dragoman import settings

# What a one-token rule may test to be decided by lookup; anything else goes to the Matcher.
_INDEXED_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}


def _one_token_tests(pattern: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The tests of a one-token rule that a lookup can decide (``{"LOWER": {"IN": [...]}}`` becomes a set),
    or None when the rule needs the Matcher."""
    if len(pattern) != 1 or not pattern[0] or not set(pattern[0]) <= _INDEXED_KEYS:
        return None
    tests: dict[str, Any] = {}
    for key, value in pattern[0].items():
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return None
            tests[key] = frozenset(value["IN"])
        elif key == "IS_SPACE" and isinstance(value, bool) or key != "IS_SPACE" and isinstance(value, str):
            tests[key] = frozenset([value])
        else:
            return None
    return tests


@dataclass
class _Plan:
    """How :class:`IndexedAttributeRuler` decides its rules: the one-token ones by the tag they test (None: any
    tag), with every form and dependency they name; a Matcher for the rest."""

    rest: Matcher
    by_tag: dict[str | None, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    lowers: set[int] = field(default_factory=set)  # string ids
    deps: set[int] = field(default_factory=set)  # string ids


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's :class:`~spacy.pipeline.AttributeRuler`, deciding one-token rules by lookup (same output)."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", *, validate: bool = False) -> None:
        super().__init__(vocab, name, validate=validate)
        self._plan: _Plan | None = None
        self._by_token: dict[tuple[int, int, int, bool], tuple[list[int], dict[Any, Any]]] = {}

    def clear(self) -> None:
        super().clear()
        self._plan = None
        self._by_token = {}

    def add(self, patterns: Iterable[list[dict[str, Any]]], attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._plan = None
        self._by_token = {}

    def _compile(self) -> _Plan:
        """The rules a lookup decides, by the tag they test, and a Matcher for the rest."""
        plan = _Plan(Matcher(self.vocab, validate=self.validate))
        for number in range(len(self.attrs)):
            patterns = self.matcher.get(str(number))[1]
            tests = [_one_token_tests(p) for p in patterns]
            if any(t is None for t in tests):
                plan.rest.add(str(number), patterns)
                continue
            for t in tests:
                assert t is not None
                for tag in t.get("TAG", [None]):
                    plan.by_tag.setdefault(tag, []).append((number, t))
                plan.lowers.update(self.vocab.strings.add(x) for x in t.get("LOWER", ()))
                plan.deps.update(self.vocab.strings.add(x) for x in t.get("DEP", ()))
        return plan

    def _token_rules(self, plan: _Plan, token: Token) -> tuple[list[int], dict[Any, Any]]:
        """The one-token rules that match ``token`` (in order) and their attributes merged, later ones winning.
        Forms and dependencies that no rule names are all one to the rules, so they share an entry."""
        lower, dep = token.lower, token.dep
        key = (token.tag, lower if lower in plan.lowers else 0, dep if dep in plan.deps else 0, token.is_space)
        found = self._by_token.get(key)
        if found is None:
            values = {"TAG": token.tag_, "LOWER": token.lower_, "DEP": token.dep_, "IS_SPACE": key[3]}
            numbers = sorted({n for n, tests in plan.by_tag.get(token.tag_, []) + plan.by_tag.get(None, [])
                              if all(values[k] in allowed for k, allowed in tests.items())})
            merged: dict[Any, Any] = {}
            for n in numbers:
                merged.update(self.attrs[n])
            found = self._by_token[key] = (numbers, merged)
        return found

    def __call__(self, doc: Doc) -> Doc:
        plan = self._plan
        if plan is None:
            plan = self._plan = self._compile()
        several: dict[int, list[int]] = {}  # token index -> rules of several tokens that set it
        if len(plan.rest):
            for match_id, start, end in plan.rest(doc, allow_missing=True):
                number = int(self.vocab.strings[match_id])
                target = doc[start:end][self.indices[number]]
                several.setdefault(target.i, []).append(number)
        for token in doc:
            numbers, merged = self._token_rules(plan, token)
            extra = several.get(token.i)
            if extra:  # rules of several tokens interleave with the others by rule number
                for n in sorted(set(numbers) | set(extra)):
                    set_token_attrs(token, self.attrs[n])
            elif merged:
                set_token_attrs(token, merged)
        return doc


class CachedLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer, caching every lemma by word, part of speech and features (same output).
    Its word index is held as sets, not lists (the stock rules test membership in it for every new word); the
    lookups are the model's, not for saving back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   lookups: Lookups | None = None) -> None:
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        index = self.lookups.get_table("lemma_index", {})
        as_sets = Lookups()
        for name in self.lookups.tables:
            table = self.lookups.get_table(name)
            copy = as_sets.add_table(name)
            for key, value in table.items():
                copy[key] = frozenset(value) if table is index else value
        self.lookups = as_sets
        self._lemmas.clear()
        self.cache.clear()

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        lemmas = self._lemmas
        strings = self.vocab.strings
        for token in doc:
            if self.overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = lemmas.get(key)
                if lemma is None:
                    if len(lemmas) >= settings.NLP_LEMMA_CACHE_SIZE:
                        lemmas.clear()
                        self.cache.clear()
                    lemma = lemmas[key] = strings.add(self.lemmatize(token)[0])
                token.lemma = lemma
        return doc


@Language.factory("indexed_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


@Language.factory("cached_lemmatizer", default_config={"mode": "rule", "overwrite": False})
def make_cached_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)


def use_fast_components(nlp: Language) -> None:
    """Put :class:`IndexedAttributeRuler` and :class:`CachedLemmatizer` in place of the stock components of
    ``nlp`` (same names, same rules and tables), where it has them."""
    if "attribute_ruler" in nlp.pipe_names and type(nlp.get_pipe("attribute_ruler")) is AttributeRuler:
        patterns = nlp.get_pipe("attribute_ruler").patterns
        ruler = nlp.replace_pipe("attribute_ruler", "indexed_attribute_ruler")
        ruler.add_patterns(patterns)
    if "lemmatizer" in nlp.pipe_names:
        stock = nlp.get_pipe("lemmatizer")
        if type(stock) is EnglishLemmatizer and stock.mode == "rule":
            lemmatizer = nlp.replace_pipe("lemmatizer", "cached_lemmatizer", config={"overwrite": stock.overwrite})
            lemmatizer.initialize(lookups=stock.lookups)
