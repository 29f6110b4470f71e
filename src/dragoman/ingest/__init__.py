"""Ingestion stage: files, directories, feeds and URLs in; deduplicated, language-tagged articles stored.

``ingest`` (in :mod:`dragoman.ingest.runner`) is the entry point; readers live in :mod:`~.sources`
(with :mod:`~.html`, :mod:`~.feeds`, :mod:`~.textclean`), the URL guard in :mod:`~.fetch`, duplicate
detection in :mod:`~.dedup` and language identification in :mod:`~.language`.
"""

from dragoman.ingest.runner import IngestSummary, ingest
from dragoman.ingest.types import Failure

__all__ = ["Failure", "IngestSummary", "ingest"]
