"""Records the ingest stage passes around besides :class:`dragoman.model.Article`, and how they are printed."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What may not reach a terminal raw: C0 and C1 control characters (escape sequences can move the cursor, retitle
# the window or hide text), lone surrogates (not encodable), line and paragraph separators, and the bidirectional
# controls that reorder what is shown ("Trojan Source").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal: unprintable characters as Python-style escapes."""
    return _UNPRINTABLE.sub(_escape, text)


@dataclass(frozen=True)
class Failure:
    """An input (or part of one) that could not be read: ``origin`` is a path, ``path:line``, a URL or
    ``feed#entryN``; ``reason`` says why in words a user can act on. Printed as ``origin: reason``, with control
    characters escaped.

    ``more`` > 0 marks the summary of the problems of one input that were not reported one by one (past
    ``settings.MAX_PROBLEMS_PER_INPUT``); it is printed "…and N more problems in ORIGIN".
    """

    origin: str
    reason: str
    more: int = 0

    def __str__(self) -> str:
        if self.more:
            return printable(f"…and {self.more} more problems in {self.origin}")
        return f"{printable(self.origin)}: {printable(self.reason)}"
