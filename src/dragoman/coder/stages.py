"""Components that run one coding stage over a chunk or a sentence and leave its output on the context record:
actors (who is named), time expressions (when), toponyms (where), trigger candidates (what), and the
resolver's memory of who was named (for later pronouns and titles)."""

from __future__ import annotations

import re

from dragoman import settings
from dragoman.actors import ActorResolver
from dragoman.coder.context import ChunkContext, SentenceContext
from dragoman.coder.selection import NON_STATE_PREFIXES
from dragoman.events import EventEngine
from dragoman.events.eventiveness import non_event_reason
from dragoman.geo import PlaceTagger
from dragoman.time import TimeTagger


class ActorTagging:
    """Chunk component: mark the actors the chunk names (spaCy spans) and the countries they belong to
    (``ChunkContext.named_countries``; also counted for the whole article)."""

    def __init__(self, resolver: ActorResolver) -> None:
        self.resolver = resolver

    def __call__(self, chunk: ChunkContext) -> None:
        doc, ctx = chunk.doc, chunk.state.actors
        ctx.offset = chunk.offset  # antecedents are recorded in article offsets
        self.resolver.annotate(doc)
        found: list[str] = []
        for span in doc.spans.get("actors", []):
            if span.label_ in ("country", "person", "org") and not self.resolver.is_backer(span):
                found.extend(m.actor.country for m in self.resolver.actors_for(span.root, ctx)
                             if m.actor.country and m.actor.country not in NON_STATE_PREFIXES)
        chunk.named_countries = found
        chunk.state.countries.update(found)


class TimeTagging:
    """Chunk component: the chunk's time expressions, resolved against the publication date, and its sentences
    added to the story's thread of times (``ArticleState.story_time``)."""

    def __init__(self, tagger: TimeTagger) -> None:
        self.tagger = tagger

    def __call__(self, chunk: ChunkContext) -> None:
        article = chunk.article
        chunk.time_expressions = self.tagger.find(chunk.doc, article.published, article.article_id, chunk.offset)
        chunk.state.time_expressions.extend(chunk.time_expressions)
        chunk.state.story_time.add(
            self.tagger.story_sentences(chunk.doc, chunk.time_expressions, chunk.offset, article.published))


class PlaceTagging:
    """Chunk component: the chunk's toponyms, resolved to the gazetteer (the countries its actors name help
    choose between places of the same name)."""

    def __init__(self, tagger: PlaceTagger, all_types: bool = False) -> None:
        self.tagger = tagger
        self.all_types = all_types  # also the names used otherwise (metonyms, demonyms...), with their type

    def __call__(self, chunk: ChunkContext) -> None:
        chunk.toponyms = self.tagger.find(chunk.doc, chunk.article.article_id, chunk.offset,
                                          context_countries=sorted(chunk.named_countries),
                                          all_types=self.all_types)
        chunk.state.toponyms.extend(chunk.toponyms)


class EventCandidates:
    """Sentence component: the trigger candidates of the sentence, with codes and argument heads."""

    def __init__(self, engine: EventEngine) -> None:
        self.engine = engine

    def __call__(self, s: SentenceContext) -> None:
        s.candidates = self.engine.candidates(s.sent)


class HeadlineRepeat:
    """Sentence component: a headline kept at the top of the text ("Rebels seize airport") says what its lead
    says; when most of its words come back in the lead, its events are the lead's and are not coded twice."""

    def __call__(self, s: SentenceContext) -> None:
        article = s.article
        body_start = int(article.extra.get("body_start", 0) or 0)
        if not s.candidates or not body_start or s.offset + s.sent.start_char >= body_start:
            return
        headline = _words(article.text[:body_start])
        lead = _words(article.text[body_start: body_start + settings.HEADLINE_LEAD_CHARS])
        if headline and len(headline & lead) >= settings.HEADLINE_REPEAT_SHARE * len(headline):
            s.non_events.extend((c, "a headline repeated by the lead") for c in s.candidates)
            s.candidates = []


_WORD = re.compile(r"[a-z][a-z'-]{2,}")


def _words(text: str) -> set[str]:
    """The longer words of a text, lower case, a plural -s cut: enough to see one text repeat another."""
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in _WORD.findall(text.lower())}


class Eventiveness:
    """Sentence component: drop the candidates that name no happening where they stand (a standing position, a
    describing participle, a scene-setting adjunct, background, a question, link text); the reasons are kept in
    ``SentenceContext.non_events``."""

    def __call__(self, s: SentenceContext) -> None:
        kept = []
        for cand in s.candidates:
            reason = non_event_reason(cand)
            if reason is None:
                kept.append(cand)
            else:
                s.non_events.append((cand, reason))
        s.candidates = kept


class Coreference:
    """Sentence component (last): remember the actors the sentence names, for later pronouns and titles."""

    def __init__(self, resolver: ActorResolver) -> None:
        self.resolver = resolver

    def __call__(self, s: SentenceContext) -> None:
        self.resolver.observe(s.sent, s.chunk.state.actors)
