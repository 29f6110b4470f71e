"""Every trigger entry and every rule of the shipped trigger lexicon carries an example sentence of our own, and
the example shows what it documents: parsed with the project's spaCy model,

* an entry's example has a token with the entry's lemma that the engine makes a candidate of;
* a rule's example has a token with its entry's lemma at which this rule is the first to match (so the rule is
  reachable: no earlier rule of the entry shadows it there).

A rule shared by several verbs through a YAML anchor is checked once per entry that carries it; its example
needs to fit one of them.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from dragoman.events.engine import EventEngine
from dragoman.events.lexicon import Rule, TriggerEntry, load_trigger_lexicon

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lexicon():
    return load_trigger_lexicon()


@pytest.fixture(scope="module")
def engine(lexicon):
    return EventEngine(lexicon)


def _entries(lexicon) -> list[TriggerEntry]:
    return [e for group in lexicon.entries.values() for e in group]


@pytest.fixture(scope="module")
def parsed(lexicon, nlp):
    """Every example sentence, parsed once."""
    texts = sorted({e.example for e in _entries(lexicon) if e.example}
                   | {r.example for e in _entries(lexicon) for r in e.rules if r.example})
    return dict(zip(texts, nlp.pipe(texts, batch_size=256), strict=True))


def _heads(doc, entry: TriggerEntry):
    pos = ("VERB", "AUX") if entry.pos == "VERB" else ("NOUN", "PROPN")
    return [t for t in doc if t.lemma_.lower() == entry.lemma or (entry.pos == "NOUN" and t.lower_ == entry.lemma)
            if t.pos_ in pos or entry.pos == "VERB" and t.tag_.startswith("VB")]


def test_every_rule_has_an_example(lexicon):
    missing = sorted({f"{e.file.rsplit('/', 1)[-1]}:{r.line}" for e in _entries(lexicon) for r in e.rules
                      if not r.example})
    assert not missing, f"{len(missing)} rules without an example, first: {missing[:10]}"


def test_entry_examples_make_a_candidate(lexicon, engine, parsed):
    failed = []
    for entry in _entries(lexicon):
        if not entry.example:
            continue
        doc = parsed[entry.example]
        found = any(c.entry is entry or c.entry.trigger == entry.trigger
                    for sent in doc.sents for c in engine.candidates(sent))
        if not found:
            failed.append(f"{entry.trigger} ({entry.pos}) line {entry.line}: {entry.example}")
    assert not failed, f"{len(failed)} entry examples make no candidate of their trigger:\n" + "\n".join(failed[:40])


def test_rule_examples_fire_their_rule(lexicon, engine, parsed):
    # a rule shared through an anchor is the same object in several entries: it needs to fire for one of them
    carriers: dict[int, list[TriggerEntry]] = defaultdict(list)
    rules: dict[int, Rule] = {}
    for entry in _entries(lexicon):
        for rule in entry.rules:
            key = (rule.line, entry.file)
            carriers[hash(key)].append(entry)
            rules[hash(key)] = rule
    failed = []
    for key, rule in rules.items():
        if not rule.example or rule.needs_actors:
            continue  # rules that read the resolved source actor: test_actor_rule_examples_code_their_rule
        doc = parsed[rule.example]
        fired = any(engine.matching_rule(entry, t)[0] == rule for entry in carriers[key]
                    for t in _heads(doc, entry))
        if not fired:
            names = ", ".join(sorted({e.trigger for e in carriers[key]}))
            failed.append(f"line {rule.line} ({names} -> {rule.code}): {rule.example}")
    assert not failed, f"{len(failed)} rule examples do not fire their rule:\n" + "\n".join(failed[:40])


def test_actor_rule_examples_code_their_rule(lexicon, coder):
    """A rule that reads the source actor ("warned" by an aid agency) fires in the whole coder: its example is
    coded with the rule's code on the entry's trigger."""
    failed = []
    for entry in _entries(lexicon):
        for rule in entry.rules:
            if not (rule.needs_actors and rule.example):
                continue
            mentions = coder.code_text(rule.example)
            if not any(m.cameo == rule.code and entry.lemma in m.evidence.trigger.lower() for m in mentions):
                got = [(m.cameo, m.evidence.trigger) for m in mentions]
                failed.append(f"line {rule.line} ({entry.trigger} -> {rule.code}): {rule.example} got {got}")
    assert not failed, "\n".join(failed)
