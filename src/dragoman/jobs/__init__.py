"""The application layer: the jobs that drive several stages at once.

* :mod:`~.ingest` — read sources, deduplicate, code, store, assign stories (``dragoman ingest``, the API's
  submissions);
* :mod:`~.recode` — coding stored articles again (``dragoman recode``): those the coder failed on, or all;
* :mod:`~.stories` — story assignment over the store's mentions;
* :mod:`~.claims` — count claims judged against the store;
* :mod:`~.dataset` — importing a batch dataset into a store;
* :mod:`~.batch` — coding many inputs in parallel into a Parquet dataset (``dragoman batch``).
"""
