"""The coder: articles in, event mentions out.

Each article is parsed by spaCy in chunks (:func:`dragoman.nlp.parse`); each chunk then goes through the chunk
components, and each of its sentences through the sentence components, in the order :class:`Coder` lists
them. Components share nothing but the context records of :mod:`dragoman.coder.context`::

    chunk:     actors (who is named) → time expressions → toponyms
    sentence:  trigger candidates → argument linking → factuality → stated intentions → attribution → pairs
               → embedded events dropped → countries filled → ranking → mention records → coreference memory

One :class:`Coder` loads every model and lexicon once and is reused for any number of articles; it streams, so
memory does not grow with the input. :func:`time_expressions` and :func:`toponyms` run one stage alone over
articles (``dragoman dates``, ``dragoman places``) through the same components.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from spacy.language import Language

from dragoman import settings
from dragoman.actors import ActorResolver, ArticleContext
from dragoman.coder.context import ArticleState, ChunkContext, SentenceContext
from dragoman.coder.linking import (
    ActorFinder,
    ArgumentLinker,
    AttributionResolver,
    DisasterReports,
    FactualityClassifier,
    IntentionRecoder,
    Pairing,
    PoliticalSpeakers,
    SenseByActors,
)
from dragoman.coder.mentions import MentionBuilder
from dragoman.coder.selection import CountryFilling, EmbeddedEvents, Ranking, Suppositions
from dragoman.coder.stages import (
    ActorTagging,
    Coreference,
    EventCandidates,
    Eventiveness,
    HeadlineRepeat,
    PlaceTagging,
    TimeTagging,
)
from dragoman.coder.validate import split_user_lexicons
from dragoman.events import (
    CAMEO_TABLE,
    JUDGEMENTS_FILE,
    EventEngine,
    load_cues,
    load_intent_table,
    load_trigger_lexicon,
)
from dragoman.events.calibration import CALIBRATION_FILE, load_calibration
from dragoman.geo import PlaceTagger
from dragoman.ingest.textclean import normalise
from dragoman.model import Article, EventMention, TimeExpression, Toponym, stable_id
from dragoman.model import Coder as CoderInfo
from dragoman.nlp import load_nlp, parse
from dragoman.time import TimeTagger
from dragoman.version import __version__


class ChunkComponent(Protocol):
    def __call__(self, chunk: ChunkContext) -> None: ...


class SentenceComponent(Protocol):
    def __call__(self, s: SentenceContext) -> None: ...


class Pipeline:
    """Runs chunk and sentence components over parsed articles, one article at a time, in input order."""

    def __init__(self, nlp: Language, chunk_components: Sequence[ChunkComponent],
                 sentence_components: Sequence[SentenceComponent] = (),
                 new_state: Callable[[Article], ArticleState] | None = None,
                 batch_size: int = settings.NLP_BATCH_SIZE) -> None:
        self.nlp = nlp
        self.chunk_components = list(chunk_components)
        self.sentence_components = list(sentence_components)
        self.new_state = new_state or (lambda article: ArticleState(article, ArticleContext()))
        self.batch_size = batch_size

    def run(self, articles: Iterable[Article]) -> Iterator[ArticleState]:
        """Each article's state once all its chunks and sentences went through the components."""
        pending: dict[int, Article] = {}

        def items() -> Iterator[tuple[object, str]]:
            for n, article in enumerate(articles):
                pending[n] = article
                yield n, article.text

        chunks = parse(items(), batch_size=self.batch_size, nlp=self.nlp)
        for key, group in itertools.groupby(chunks, key=lambda c: c.key):
            # an article with nothing to parse (only whitespace) has no chunk: it is done, with nothing found
            for earlier in sorted(k for k in pending if k < key):  # type: ignore[operator]
                yield self.new_state(pending.pop(earlier))
            state = self.new_state(pending.pop(key))  # type: ignore[arg-type]
            for chunk in group:
                ctx = ChunkContext(state, chunk.doc, chunk.offset)
                for component in self.chunk_components:
                    component(ctx)
                if not self.sentence_components:
                    continue
                ctx.sentences = list(chunk.doc.sents)  # doc.sents walks the whole doc on each access
                for sent in ctx.sentences:
                    s = SentenceContext(ctx, sent)
                    for component in self.sentence_components:
                        component(s)
                    state.mentions.extend(s.mentions)
            yield state
        for rest in sorted(pending):
            yield self.new_state(pending.pop(rest))


class Coder:
    """Codes articles into :class:`EventMention` records. Build once, reuse."""

    def __init__(
        self,
        extra_lexicons: Sequence[str | Path] = (),
        batch_size: int = settings.NLP_BATCH_SIZE,
        with_time: bool = True,
        with_geo: bool = True,
        max_events_per_sentence: int = settings.MAX_EVENTS_PER_SENTENCE,
        calibrate: bool = True,
    ) -> None:
        # extra lexicons: the option's, then any listed in $DRAGOMAN_LEXICONS (os.pathsep-separated)
        extras = [Path(p) for p in extra_lexicons] + settings.extra_lexicon_files()
        trigger_files, actor_files = split_user_lexicons(extras)  # by the kind each file declares
        self.nlp = load_nlp()
        self.batch_size = batch_size
        self.max_events_per_sentence = max_events_per_sentence
        self.resolver = ActorResolver(extra_files=actor_files)
        self.resolver.setup(self.nlp)
        self.triggers = load_trigger_lexicon(trigger_files)
        self.engine = EventEngine(self.triggers)
        self.cues = load_cues()
        self.intent = load_intent_table()
        self.time = TimeTagger() if with_time else None
        self.places = PlaceTagger() if with_geo else None
        parts = [
            self.triggers.hash, self.resolver.lexicon_hash, self.cues.hash, self.intent.hash,
            self.time.data_hash if self.time else "-", self.places.data_hash if self.places else "-",
            hashlib.sha256(CAMEO_TABLE.read_bytes()).hexdigest()[:12],
            hashlib.sha256(JUDGEMENTS_FILE.read_bytes()).hexdigest()[:12],
            hashlib.sha256(CALIBRATION_FILE.read_bytes()).hexdigest()[:12] if calibrate else "-",
        ]
        self.info = CoderInfo(version=__version__, lexicons=stable_id(*parts, length=16))
        finder = ActorFinder(self.resolver)
        chunk_components: list[ChunkComponent] = [
            ActorTagging(self.resolver),
            *([TimeTagging(self.time)] if self.time else []),
            *([PlaceTagging(self.places)] if self.places else []),
        ]
        sentence_components: list[SentenceComponent] = [
            EventCandidates(self.engine),
            HeadlineRepeat(),
            Eventiveness(),
            ArgumentLinker(finder, self.engine),
            SenseByActors(self.engine),
            DisasterReports(),
            PoliticalSpeakers(),
            FactualityClassifier(self.cues),
            IntentionRecoder(self.intent, finder, self.cues),
            Suppositions(),
            AttributionResolver(finder),
            Pairing(),
            EmbeddedEvents(),
            CountryFilling(),
            Ranking(max_events_per_sentence),
            MentionBuilder(self.info, self.time, self.places, load_calibration() if calibrate else None),
            Coreference(self.resolver),
        ]
        self.pipeline = Pipeline(
            self.nlp, chunk_components, sentence_components, batch_size=batch_size,
            new_state=lambda article: ArticleState(article, self.resolver.new_context(published=article.published)),
        )

    def observe(self, component: SentenceComponent) -> None:
        """Run ``component`` on every sentence too, after the mention records are built and before the
        coreference memory takes the sentence's actors: it sees the sentence as the coder left it, and records
        what it finds in ``s.chunk.state.found`` (:meth:`code_articles_found` returns it). An observer must not
        change the coding: it reads the parse, the actors and the time expressions."""
        self.pipeline.sentence_components.insert(len(self.pipeline.sentence_components) - 1, component)

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[EventMention]]]:
        """Code articles lazily, in input order."""
        for state in self.pipeline.run(articles):
            yield state.article, state.mentions

    def code_articles_found(self, articles: Iterable[Article]
                            ) -> Iterator[tuple[Article, list[EventMention], dict[str, list[Any]]]]:
        """:meth:`code_articles`, with what the observers found in each article, by kind."""
        for state in self.pipeline.run(articles):
            yield state.article, state.mentions, state.found

    def code_text(self, text: str, published: str | None = None, article_id: str | None = None) -> list[EventMention]:
        article = Article(article_id=article_id or text_article_id(text), text=text, published=published)
        return next(iter(self.code_articles([article])))[1]


def time_expressions(articles: Iterable[Article], tagger: TimeTagger | None = None,
                     nlp: Language | None = None) -> Iterator[tuple[Article, list[TimeExpression]]]:
    """Each article's time expressions (the time stage alone), in input order."""
    pipeline = Pipeline(nlp or load_nlp(), [TimeTagging(tagger or TimeTagger())])
    for state in pipeline.run(articles):
        yield state.article, state.time_expressions


def toponyms(articles: Iterable[Article], tagger: PlaceTagger | None = None, nlp: Language | None = None,
             all_types: bool = False) -> Iterator[tuple[Article, list[Toponym]]]:
    """Each article's toponyms resolved to the gazetteer (the geo stage alone), in input order; literal ones
    only unless ``all_types`` (each toponym says its ``type``)."""
    pipeline = Pipeline(nlp or load_nlp(), [PlaceTagging(tagger or PlaceTagger(), all_types=all_types)])
    for state in pipeline.run(articles):
        yield state.article, state.toponyms


def text_article_id(text: str) -> str:
    """The id of a text given without one (the same as ``ingest.sources.read_text_records`` gives)."""
    return stable_id("text", normalise(text))


_DEFAULT: Coder | None = None


def default_coder() -> Coder:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Coder()
    return _DEFAULT


def code_text(text: str, published: str | None = None, article_id: str | None = None) -> list[dict]:
    return [m.to_dict() for m in default_coder().code_text(text, published=published, article_id=article_id)]
