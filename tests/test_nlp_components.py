"""The faster attribute ruler and lemmatizer give exactly what spaCy's stock components give, and the parser's
batches stay within their character budget without changing any annotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.pipeline import AttributeRuler

from dragoman import settings
from dragoman.nlp import load_nlp, parse
from dragoman.nlp.components import CachedLemmatizer, IndexedAttributeRuler, _one_token_tests

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "dragoman" / "samples"

# Invented sentences that exercise the model's exception rules: pronouns, indefinites, modals, "but" as an
# adverb, "that" as a relative pronoun, subordinators, contractions, spaces and line breaks.
SENTENCES = [
    "She told him that nobody would help them, but it was all they could do.",
    "I'd say we can't wait: the council that met on Monday said something had to change.",
    "Whether or not the talks resume, everyone agrees the ceasefire is fragile.\n\nRebels shelled the town.",
    "It's the ministry's view that anyone who'd   crossed the border since May must register.",
    "The governors themselves, not their deputies, signed the accords; ours was but one of many.",
    "Herself a former envoy, she said the envoys' reports were theirs to publish, not yours.",
]


def annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    return load_nlp(stock=True), load_nlp()


def test_fast_pipeline_replaces_the_two_components(pipelines):
    stock, fast = pipelines
    assert stock.pipe_names == fast.pipe_names
    assert type(fast.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    assert type(fast.get_pipe("lemmatizer")) is CachedLemmatizer
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    assert fast.get_pipe("attribute_ruler").patterns == stock.get_pipe("attribute_ruler").patterns


def test_same_annotation_as_stock_on_sentences(pipelines):
    stock, fast = pipelines
    for text in SENTENCES:
        assert annotations(fast(text)) == annotations(stock(text)), text


def test_same_annotation_as_stock_on_the_samples(pipelines):
    stock, fast = pipelines
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    assert texts
    # twice: the second pass reads the caches the first one filled
    for _ in range(2):
        for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
            assert annotations(b) == annotations(a)


def test_rules_of_several_tokens_keep_their_order():
    """A rule of two tokens added between one-token rules wins over the earlier and loses to the later ones."""
    stock, fast = load_nlp(stock=True), load_nlp()
    rules = [
        {"patterns": [[{"LOWER": "cease"}]], "attrs": {"LEMMA": "first"}},
        {"patterns": [[{"LOWER": "cease"}, {"LOWER": "fire"}]], "attrs": {"LEMMA": "second"}, "index": 0},
        {"patterns": [[{"LOWER": "fire"}]], "attrs": {"LEMMA": "third"}},
        {"patterns": [[{"LOWER": "cease"}, {"LOWER": "fire"}]], "attrs": {"LEMMA": "fourth"}, "index": -1},
        {"patterns": [[{"LOWER": {"IN": ["talks", "truce"]}, "TAG": "NNS"}]], "attrs": {"POS": "PROPN"}},
    ]
    stock_ruler = AttributeRuler(stock.vocab)
    fast_ruler = IndexedAttributeRuler(fast.vocab)
    stock_ruler.add_patterns(rules)
    fast_ruler.add_patterns(rules)
    text = "They agreed a cease fire before the talks, and the cease held."
    a, b = stock_ruler(stock(text)), fast_ruler(fast(text))
    assert annotations(b) == annotations(a)
    assert [t.lemma_ for t in b][3:5] == ["second", "fourth"]
    assert b[-3].lemma_ == "first"
    # rules added later are decided too (the lookup is rebuilt)
    fast_ruler.add([[{"LOWER": "held"}]], {"LEMMA": "kept"})
    assert fast_ruler(fast(text))[-2].lemma_ == "kept"


def test_one_token_tests_refuse_what_a_lookup_cannot_decide():
    assert _one_token_tests([{"TAG": "NN", "LOWER": "truce"}]) == {"TAG": {"NN"}, "LOWER": {"truce"}}
    assert _one_token_tests([{"LOWER": {"IN": ["a", "b"]}}]) == {"LOWER": {"a", "b"}}
    assert _one_token_tests([{"IS_SPACE": True}]) == {"IS_SPACE": {True}}
    assert _one_token_tests([{"LOWER": {"NOT_IN": ["a"]}}]) is None
    assert _one_token_tests([{"ORTH": "A"}]) is None
    assert _one_token_tests([{"TAG": "NN", "OP": "?"}]) is None
    assert _one_token_tests([{"LOWER": "a"}, {"LOWER": "b"}]) is None
    assert _one_token_tests([{}]) is None


def test_lemma_cache_is_bounded(monkeypatch, pipelines):
    stock, fast = pipelines
    monkeypatch.setattr(settings, "NLP_LEMMA_CACHE_SIZE", 5)
    lemmatizer = fast.get_pipe("lemmatizer")
    text = "Troops were shelling the villages while negotiators argued over the wording of the agreements."
    doc = fast(text)
    assert len(lemmatizer._lemmas) <= 5
    assert annotations(doc) == annotations(stock(text))


def test_batches_keep_within_their_character_budget(pipelines):
    _stock, fast = pipelines
    seen: list[int] = []

    class Counting:
        """The pipeline, recording the characters of each batch spaCy is given."""

        max_length = fast.max_length

        def pipe(self, batch, as_tuples, batch_size):
            batch = list(batch)
            assert batch_size == len(batch)
            seen.append(sum(len(text) for text, _ in batch))
            return fast.pipe(batch, as_tuples=as_tuples, batch_size=batch_size)

    paragraph = "Rebels shelled the town. Aid workers left the camp. " * 8
    items = [(n, "\n\n".join([paragraph] * 3)) for n in range(6)]
    chunks = list(parse(items, batch_size=8, nlp=Counting(), max_chars=1_000, batch_chars=3_000))  # type: ignore[arg-type]
    assert max(seen) <= 3_000 and len(seen) > 1
    plain = list(parse(items, batch_size=8, nlp=fast, max_chars=1_000, batch_chars=10**9))
    assert [(c.key, c.offset) for c in chunks] == [(c.key, c.offset) for c in plain]
    assert [annotations(c.doc) for c in chunks] == [annotations(c.doc) for c in plain]
    # a chunk longer than the budget goes alone
    seen.clear()
    list(parse([(0, paragraph * 3)], nlp=Counting(), batch_chars=100))  # type: ignore[arg-type]
    assert seen == [len(paragraph * 3)]
