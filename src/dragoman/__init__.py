"""Dragoman: news articles in, coded political events (CAMEO and PLOVER) out, with evidence for every field.

Python API::

    import dragoman
    events = dragoman.code_text("On March 3, Kenyan and Ugandan officials began talks.", published="2021-03-05")


    from dragoman.jobs.ingest import ingest
    from dragoman.store.events import EventFilter, query_mentions
    with dragoman.open_store("events.duckdb") as store:
        ingest(["articles/"], store)           # read, deduplicate, code and store
        rows = query_mentions(store, EventFilter(country="IRN"))
"""

from dragoman.version import __version__

__all__ = ["__version__", "code_text", "code_articles", "open_store"]


def code_text(text: str, published: str | None = None, article_id: str | None = None) -> list[dict]:
    """Code one text; returns event mention records (the schema's dicts), best first within a sentence."""
    from dragoman.coder import code_text as _code_text

    return _code_text(text, published=published, article_id=article_id)


def code_articles(articles, **kwargs):
    """Code an iterable of :class:`dragoman.model.Article`; yields ``(article, [EventMention, ...])``."""
    from dragoman.coder import Coder

    return Coder(**kwargs).code_articles(articles)


def open_store(path: str | None = None, read_only: bool = False):
    """Open (creating and migrating if needed) a Dragoman store; use as a context manager or call ``close()``."""
    from dragoman.store import Store

    return Store(path, read_only=read_only)
