"""Time stage: TIMEX3 time expressions (recognised by rule, resolved against the publication date and the
verb's tense) and event dates from the parse, the event's tense and the story's thread of times. Entry point:
:class:`TimeTagger`."""

from dragoman.time.dating import StoryTime
from dragoman.time.tagger import TimeTagger

__all__ = ["StoryTime", "TimeTagger"]
