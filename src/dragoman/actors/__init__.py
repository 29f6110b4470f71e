"""Actors stage: who is acting. Lexicon-driven (data files under ``actors/data``), one matcher pass per Doc.

    resolver = ActorResolver(extra_files=[...])
    resolver.setup(nlp)
    ctx = resolver.new_context(published="2020-06-14")
    for sent in doc.sents:
        ... resolver.actors_for(token, ctx) ...
        resolver.observe(sent, ctx)
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from dragoman.actors.resolver import SPAN_KEY, ActorMention, ActorResolver, ArticleContext

# The resolver loads spaCy: it is imported when first asked for, so what reads only the data files (the
# lexicon checker, the exports' actor code table) starts fast.
_RESOLVER_NAMES = frozenset({"SPAN_KEY", "ActorMention", "ActorResolver", "ArticleContext"})


def __getattr__(name: str) -> Any:
    if name in _RESOLVER_NAMES:
        from dragoman.actors import resolver

        return getattr(resolver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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
