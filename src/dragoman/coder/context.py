"""The records the coder's components read and write: one per article, one per parsed chunk, one per sentence.

Components never call each other: each reads what earlier components left on these records and adds its own
output (``ChunkContext.time_expressions``, ``SentenceContext.candidates``, ...), so the coder's order of
components is the whole story of how a sentence becomes event mentions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dragoman.actors import ActorMention, ArticleContext
from dragoman.events import Attributed, Candidate
from dragoman.model import Actor, Article, Attribution, EventMention, TimeExpression, Toponym
from dragoman.time import StoryTime

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


@dataclass
class ArticleState:
    """What the coder knows of one article while coding it."""

    article: Article
    actors: ArticleContext  # the resolver's memory of the actors named so far (coreference)
    # countries the article's actors name, once per mention: the domestic default for bare roles
    countries: Counter[str] = field(default_factory=Counter)
    time_expressions: list[TimeExpression] = field(default_factory=list)
    # the article's thread of explicit times so far, sentence by sentence (dates undated past events)
    story_time: StoryTime = field(default_factory=StoryTime)
    toponyms: list[Toponym] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)
    # what observers added to the coder found besides mentions, by kind (e.g. "claims"): see Coder.observe
    found: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class ChunkContext:
    """One parsed chunk of an article (long articles are parsed in paragraph chunks)."""

    state: ArticleState
    doc: Doc
    offset: int  # the chunk's start in the article text
    sentences: list[Span] = field(default_factory=list)
    named_countries: list[str] = field(default_factory=list)  # countries of the actors this chunk names
    time_expressions: list[TimeExpression] = field(default_factory=list)
    toponyms: list[Toponym] = field(default_factory=list)

    @property
    def article(self) -> Article:
        return self.state.article


@dataclass
class ArgActor:
    """One side of an event: the actor mention it was read from, and the actor with its country filled in from
    context (never mutate a mention's actor)."""

    mention: ActorMention | None
    filled: Actor | None = None

    @property
    def actor(self) -> Actor | None:
        if self.filled is not None:
            return self.filled
        return self.mention.actor if self.mention else None

    @property
    def span(self) -> tuple[int, int] | None:
        return (self.mention.start, self.mention.end) if self.mention else None


@dataclass
class Assessed:
    """A candidate with its arguments resolved: actors on each side, factuality, attribution and final code."""

    cand: Candidate
    code: str
    sources: list[ActorMention]
    targets: list[ActorMention]
    factuality: str = "asserted"
    attributed: Attributed | None = None  # where the attribution is in the parse
    attribution: Attribution | None = None  # who it is attributed to
    pairs: list[tuple[ArgActor, ArgActor]] = field(default_factory=list)


@dataclass
class Scored:
    """One source/target pair of an assessed event with its confidence."""

    confidence: float
    event: Assessed
    source: ArgActor
    target: ArgActor


@dataclass
class SentenceContext:
    """One sentence of a chunk, from trigger candidates to mention records."""

    chunk: ChunkContext
    sent: Span
    candidates: list[Candidate] = field(default_factory=list)
    non_events: list[tuple[Candidate, str]] = field(default_factory=list)  # candidates dropped, and why
    assessed: list[Assessed] = field(default_factory=list)
    dropped: set[int] = field(default_factory=set)  # indices into ``assessed``: content or consequence of another
    scored: list[Scored] = field(default_factory=list)  # the pairs kept, best first
    mentions: list[EventMention] = field(default_factory=list)

    @property
    def article(self) -> Article:
        return self.chunk.state.article

    @property
    def offset(self) -> int:
        return self.chunk.offset
