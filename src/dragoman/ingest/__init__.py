"""The ingest stage: sources (files, directories, feeds, URLs) in, :class:`dragoman.model.Article` records out.

Readers live in :mod:`~.sources` (with :mod:`~.html`, :mod:`~.feeds`, :mod:`~.textclean`), the URL guard in
:mod:`~.fetch`, duplicate detection in :mod:`~.dedup` and language identification in :mod:`~.language`. Nothing
here codes or stores: the ingest job (:mod:`dragoman.jobs.ingest`) drives these readers, the coder and the store.
"""

from dragoman.ingest.sources import Reader, read_sources, read_text_records
from dragoman.ingest.types import Failure

__all__ = ["Failure", "Reader", "read_sources", "read_text_records"]
