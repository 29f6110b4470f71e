"""Records the ingest stage passes around besides :class:`dragoman.model.Article`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """An input (or part of one) that could not be read: ``origin`` is a path, ``path:line``, a URL or
    ``feed#entryN``; ``reason`` says why in words a user can act on. Printed as ``origin: reason``."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"
