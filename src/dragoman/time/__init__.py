"""Time stage: TIMEX3 time expressions (recognised by rule, resolved against the publication date and the
verb's tense) and event dates attached through the parse. Entry point: :class:`TimeTagger`."""

from dragoman.time.tagger import TimeTagger

__all__ = ["TimeTagger"]
