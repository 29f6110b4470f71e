"""Mention assembly: a selected event becomes the schema's event mention record, with its date, place,
factuality, evidence and sizes (the last component of :class:`dragoman.coder.Coder`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dragoman import roots
from dragoman.actors import ActorResolver
from dragoman.coder.context import Scored, SentenceContext
from dragoman.events import code_info, sizes_in
from dragoman.geo import PlaceTagger
from dragoman.model import Coder as CoderInfo
from dragoman.model import EventDate, EventMention, Evidence, stable_id
from dragoman.time import TimeTagger
from dragoman.version import __version__


class MentionBuilder:
    """Component: one :class:`EventMention` per kept pair (``SentenceContext.mentions``)."""

    def __init__(self, info: CoderInfo, time: TimeTagger | None, places: PlaceTagger | None,
                 calibration: Callable[[float], float] | None = None) -> None:
        self.info = info
        self.time = time
        self.places = places
        # the reported confidence: the raw score's precision on the dev sets (events/calibration.py)
        self.calibration = calibration or (lambda raw: raw)

    def __call__(self, s: SentenceContext) -> None:
        s.mentions = [self.mention(s, x) for x in s.scored]

    def mention(self, s: SentenceContext, x: Scored) -> EventMention:
        article, sent, offset = s.article, s.sent, s.offset
        chunk = s.chunk
        assessed, src, tgt = x.event, x.source, x.target
        cand, factuality, attribution = assessed.cand, assessed.factuality, assessed.attribution
        info = code_info(assessed.code)
        if self.time is not None:
            date = self.time.date_event(cand.anchor, chunk.time_expressions, article.published, offset,
                                        factuality=factuality, story=chunk.state.story_time, event=cand.trigger,
                                        speech=assessed.code[:2] in roots.VERBAL)
            if (factuality in ("asserted", "reported") and article.published and date.end and date.start
                    and date.start <= article.published < date.end):
                # what the text says happened "this month" or "this year" happened by the publication day
                date = replace(date, end=article.published)
            if factuality in ("asserted", "reported") and self.time.is_historical(date, article.published):
                factuality = "historical"
        else:
            date = EventDate(article.published, article.published, "day" if article.published else "unknown")
        location = None
        if self.places is not None:
            # (where a motion verb goes is a place, not an argument: "flew to Canberra" happened there)
            heads = [h for h in (*cand.source_heads, *cand.target_heads) if not ActorResolver.is_destination(h)]
            location = self.places.event_location(cand.anchor, heads, chunk.toponyms, offset,
                                                  speech=assessed.code[:2] in roots.VERBAL)
        # the sentence without the whitespace around it (a blank line before or after is not part of it)
        s_start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        s_end = offset + sent.start_char + len(sent.text.rstrip())
        t_start, t_end = cand.trigger_span

        def shift(span: tuple[int, int] | None) -> tuple[int, int] | None:
            return (span[0] + offset, span[1] + offset) if span else None

        evidence = Evidence(
            sentence=article.text[s_start:s_end], start=s_start, end=s_end, trigger=cand.trigger_text,
            trigger_start=t_start + offset, trigger_end=t_end + offset,
        )
        mention_id = stable_id(
            article.article_id, s_start, t_start + offset, info.code,
            src.actor.code if src.actor else None, tgt.actor.code if tgt.actor else None,
            __version__, self.info.lexicons,
        )
        sizes = {k: ({"number": v[0], "kind": v[1]} if v else None) for k, v in sizes_in(sent, cand.trigger).items()}
        return EventMention(
            killed=sizes.get("killed"), injured=sizes.get("injured"), arrested=sizes.get("arrested"),
            id=mention_id, article_id=article.article_id, source=src.actor, target=tgt.actor,
            cameo=info.code, cameo_root=info.root, plover=info.plover, plover_mode=info.plover_mode,
            quad_class=info.quad_class, goldstein=info.goldstein, date=date, location=location,
            factuality=factuality, evidence=evidence, coder=self.info, confidence=self.calibration(x.confidence),
            attribution=attribution, source_span=shift(src.span), target_span=shift(tgt.span),
        )
