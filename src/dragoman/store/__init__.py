"""Storage stage: the DuckDB store (articles, mentions, stories, actors, places) and exports."""

from dragoman.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
