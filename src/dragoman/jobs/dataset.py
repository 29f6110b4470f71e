"""Importing a ``dragoman batch`` dataset into a store (``dragoman import``): idempotent."""

from __future__ import annotations

from pathlib import Path

from dragoman.jobs.stories import assign_stories
from dragoman.store.db import Store
from dragoman.store.parquet import insert_dataset


def import_dataset(path: str | Path, store: Store) -> dict[str, int]:
    """Load a dataset's articles, mentions and stories into ``store``; rows already there are kept (so a second
    import adds nothing). Into an empty store the dataset's stories are copied as they are (the reduce step
    built them as a store would); into a store that already holds mentions, the blocks of the new mentions are
    re-clustered (:func:`dragoman.jobs.stories.assign_stories`), so stories span old and new articles."""
    added, new_articles, had_mentions = insert_dataset(path, store)
    if had_mentions and new_articles:
        added["stories"] = assign_stories(store, new_articles)
    return added
