"""Dragoman: news articles in, coded political events (CAMEO and PLOVER) out, with evidence for every field.

Python API::

    import dragoman
    events = dragoman.code_text("On March 3, Kenyan and Ugandan officials began talks.", published="2021-03-05")


    from dragoman.jobs.ingest import ingest
    from dragoman.store.events import EventFilter, query_mentions
    with dragoman.open_store("events.duckdb") as store:
        ingest(["articles/"], store)           # read, deduplicate, code and store
        rows = query_mentions(store, EventFilter(country="IRN"))

    frame = dragoman.aggregate("events.duckdb", by="dyad", period="month")   # a pandas DataFrame
"""

from dragoman.version import __version__

__all__ = ["__version__", "aggregate", "code_text", "code_articles", "open_store"]


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


def aggregate(store, by: str = "dyad", period: str = "month", *, measure: str | None = None,
              count: str = "stories", top: int | None = None, fill: bool = True, all_factualities: bool = False,
              **filters):
    """Events per group and period as a pandas DataFrame (the rows of ``dragoman aggregate``): ``store`` is a
    store path, an open store, or a ``dragoman batch`` dataset folder; ``filters`` are those of
    :class:`dragoman.store.events.EventFilter` (``country="SYR"``, ``root=["18", "19"]``, ...). Only factual
    events count unless ``all_factualities`` or a ``factuality`` is given."""
    from pathlib import Path

    from dragoman.store import Store
    from dragoman.store.aggregates import AggregateSpec
    from dragoman.store.aggregates import aggregate as run
    from dragoman.store.events import EventFilter
    from dragoman.store.parquet import ParquetDataset

    if isinstance(store, str | Path):
        store = ParquetDataset(store) if Path(store).is_dir() else Store(str(store), read_only=True)
    flt = EventFilter(**filters, factual=not all_factualities)
    spec = AggregateSpec(by=by, period=period, measure=measure, unit=count, flt=flt, top=top, fill=fill)
    return run(store, spec).to_pandas()
