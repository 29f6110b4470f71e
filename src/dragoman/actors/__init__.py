"""Actors stage: who is acting. Lexicon-driven (data files under ``actors/data``), one matcher pass per Doc.

    resolver = ActorResolver(extra_files=[...])
    resolver.setup(nlp)
    ctx = resolver.new_context(published="2020-06-14")
    for sent in doc.sents:
        ... resolver.actors_for(token, ctx) ...
        resolver.observe(sent, ctx)
"""

from dragoman.actors.lexicon import (
    BUILTIN_FILES,
    KINDS,
    LEXICON_KINDS,
    REGIONS,
    LexiconError,
    Problem,
    load_lexicon,
    validate_file,
)
from dragoman.actors.resolver import SPAN_KEY, ActorMention, ActorResolver, ArticleContext

__all__ = [
    "BUILTIN_FILES",
    "KINDS",
    "LEXICON_KINDS",
    "REGIONS",
    "SPAN_KEY",
    "ActorMention",
    "ActorResolver",
    "ArticleContext",
    "LexiconError",
    "Problem",
    "load_lexicon",
    "validate_file",
]
