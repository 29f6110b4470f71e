"""Event dates: which time expression dates an event, and what an undated event's tense and the story say.

An event is dated, in order, by
1. the expression attached to its own clause in the parse ("shelled the depot on Sunday"); a bare weekday
   follows the event's tense (a past act "on Sunday" in a Monday article is the day before); "since 2015" spans
   the years up to publication;
2. the time of a clause that contains it ("On Monday, officials said troops had shelled the town"): the
   statement's time;
3. for a past-tense event, the last explicit past time of the story's thread (:class:`StoryTime`: "Jets bombed
   the market on 3 March. Rebels shelled army positions in response." dates the shelling 3 March);
4. for a past act, the :data:`settings.TIME_UNDATED_PAST_DAYS` days up to publication (a range of precision
   "unknown": news tells of recent acts, and the text does not say which day); else, and for what somebody
   said, appealed for, demanded, criticised, rejected or threatened, the publication day (news reports such a
   verbal act without a date on the day it was made).

What the text puts before that time (a past perfect "had shelled", "after phoning", "having crossed") is dated
to the :data:`settings.TIME_EARLIER_REACH_DAYS` days before it, never the time itself. A forecast or a
supposition ("will impose sanctions next year") is dated when it was reported (2, else 4) and the time it is
for goes to ``EventDate.target``; so does the time of what a threat or promise is about ("threatened on
Tuesday to launch an offensive before the summer": Tuesday, target summer). A date of another noun's happening
("since the 1994 summit") or of another clause ("the decision last December to leave") does not date the event.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from dragoman import settings
from dragoman.model import EventDate, TimeExpression
from dragoman.time import calendar as cal
from dragoman.time.lexicon import TimeLexicon
from dragoman.time.tense import Aspect, clause_aspect, governing_verb

# How an expression hangs from a noun that is not the event: "the 1994 summit", "the decision last year".
_NOUN_ATTACHMENTS = frozenset({"npadvmod", "amod", "compound", "nmod", "nummod", "poss"})
# Links from a clause to its main clause along which the clause is still the story's thread.
_MAIN_LINKS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "advcl", "parataxis"})
_FACTUAL_ASPECTS = ("past", "pluperfect", "perfect")
_NONFACTUAL = ("predicted", "hypothetical")
# Adverbials that make a perfect a count up to a time, not an earlier act.
_UP_TO_THEN = frozenset({"so far", "thus far", "to date", "until now", "up to now", "until then", "by then"})
_RELATIVE_WORDS = frozenset({"last", "next", "this", "previous", "following", "coming", "past"})


@dataclass
class StorySentence:
    """One sentence of the article as the thread of times sees it."""

    start: int  # the sentence's start in the article text
    aspect: Aspect | None  # of its main clause (of what was said, for "the city is calm, officials said")
    times: list[TimeExpression] = field(default_factory=list)  # explicit past times of its main clauses


@dataclass
class StoryTime:
    """The article's thread of explicit times, sentence by sentence, filled chunk by chunk by the time stage."""

    sentences: list[StorySentence] = field(default_factory=list)

    def add(self, sentences: list[StorySentence]) -> None:
        self.sentences.extend(sentences)

    def recent(self, sentence_start: int, reach: int = settings.TIME_THREAD_SENTENCES) -> TimeExpression | None:
        """The last explicit past time of the thread before the sentence starting at ``sentence_start``: from
        the ``reach`` sentences before it, unless one in the present, perfect or future tense comes first (the
        story is back at its now)."""
        starts = [s.start for s in self.sentences]
        k = bisect.bisect_right(starts, sentence_start) - 1
        for j in range(k - 1, max(-1, k - 1 - reach), -1):
            sentence = self.sentences[j]
            if sentence.times:
                return sentence.times[-1]
            if sentence.aspect in ("present", "perfect", "future"):
                return None
        return None


@dataclass
class _Attached:
    """The expressions of an event's sentence that bear on its date."""

    own: TimeExpression | None = None  # of the event's own clause
    context: TimeExpression | None = None  # of a clause containing it (the statement's time)
    content: TimeExpression | None = None  # of what it is about, when that is later ("threatened to ... in May")
    content_open: bool = False  # the content is an open complement ("sought to strike a deal in May")


class EventDating:
    """Dates events from the time expressions of their sentence, their tense and the story's thread."""

    def __init__(self, lex: TimeLexicon) -> None:
        self.lex = lex
        self._weekday = re.compile(
            r"\b(" + "|".join(sorted((re.escape(w) for w in lex.weekdays), key=len, reverse=True)) + r")\b\.?", re.I)

    # ------------------------------------------------------------------ the parse
    def aspect(self, verb: Token) -> Aspect | None:
        return clause_aspect(verb, self.lex.future_auxiliaries, self.lex.future_verbs, self.lex.attempt_verbs)

    @staticmethod
    def span_of(doc: Doc, expr: TimeExpression, offset: int) -> Span | None:
        return doc.char_span(expr.start - offset, expr.end - offset, alignment_mode="expand")

    @staticmethod
    def _of_another_noun(span: Span, anchor: Token, event: Token) -> bool:
        """The date of another noun's happening: "the decision last year to leave", "since the 1994 summit"."""
        owner = span.root.head
        return (owner.pos_ in ("NOUN", "PROPN") and owner.i not in (anchor.i, event.i)
                and span.root.dep_ in _NOUN_ATTACHMENTS and not any(t.i == owner.i for t in anchor.ancestors)
                and not any(t.i == owner.i for t in event.ancestors))

    @staticmethod
    def _link_below(gov: Token, anchor: Token) -> str | None:
        """The label of the child of ``anchor`` on the way up from ``gov`` (None when ``gov`` is the anchor)."""
        t = gov
        for _ in range(12):
            if t.i == anchor.i:
                return None
            if t.head.i == anchor.i:
                return t.dep_
            if t.head.i == t.i:
                return None
            t = t.head
        return None

    def attached(self, anchor: Token, exprs: list[TimeExpression], offset: int = 0,
                 event: Token | None = None) -> _Attached:
        """The expressions of ``anchor``'s sentence that date the event (``event``: the noun naming it, if any),
        the clause containing it, or what it is about."""
        event = event if event is not None else anchor
        doc, sent = anchor.doc, anchor.sent
        s_lo, s_hi = sent.start_char + offset, sent.end_char + offset
        clause = governing_verb(anchor) or anchor
        best: tuple[int, int, TimeExpression] | None = None
        content: TimeExpression | None = None
        content_open = False
        for e in exprs:
            if not (e.range_start and e.range_end and s_lo <= e.start and e.end <= s_hi):
                continue
            span = self.span_of(doc, e, offset)
            if span is None or self._of_another_noun(span, anchor, event):
                continue
            gov = governing_verb(span.root)
            if gov is not None and gov == anchor:
                rank = 0
            elif (gov is not None and gov == clause) or any(t == anchor for t in span.root.ancestors):
                if gov is not None and self._link_below(gov, anchor) in ("ccomp", "xcomp"):
                    # the time of what the event is about ("threatened to strike before the summer", "said
                    # troops attacked last month"): the event's own only if nothing else dates it and it is
                    # the content's future
                    if content is None:
                        content = e
                        content_open = self._link_below(gov, anchor) == "xcomp"
                    continue
                rank = 1
            elif gov is None or any(t == gov for t in anchor.ancestors):
                rank = 2  # a date of a clause that contains the event ("On Monday, officials said troops ...")
            else:
                continue  # a date of another clause ("..., following the decision last December to ...")
            dist = min(abs(anchor.i - span.start), abs(anchor.i - (span.end - 1)))
            if best is None or (rank, dist) < best[:2]:
                best = (rank, dist, e)
        found = _Attached(content=content, content_open=content_open)
        if best is not None:
            if best[0] < 2:
                found.own = best[2]
            else:
                found.context = best[2]
            if best[0] < 2:
                # a containing clause's time may still be there: the statement's time for a forecast
                found.context = self._context(anchor, exprs, offset, event, exclude=best[2])
        return found

    def _context(self, anchor: Token, exprs: list[TimeExpression], offset: int, event: Token,
                 exclude: TimeExpression) -> TimeExpression | None:
        doc, sent = anchor.doc, anchor.sent
        s_lo, s_hi = sent.start_char + offset, sent.end_char + offset
        for e in exprs:
            if e is exclude or not (e.range_start and e.range_end and s_lo <= e.start and e.end <= s_hi):
                continue
            span = self.span_of(doc, e, offset)
            if span is None or self._of_another_noun(span, anchor, event):
                continue
            gov = governing_verb(span.root)
            if gov is not None and gov != anchor and any(t == gov for t in anchor.ancestors):
                return e
        return None

    def _since(self, doc: Doc, expr: TimeExpression, offset: int) -> bool:
        span = self.span_of(doc, expr, offset)
        return span is not None and any(t.lower_ == "since" for t in doc[max(span.sent.start, span.start - 2):span.start])

    def _bare_weekday(self, expr: TimeExpression) -> bool:
        """A weekday named alone ("Sunday", "on Sunday night"), not "last Sunday" or "Sunday 7 March"."""
        words = expr.text.lower().split()
        return (expr.precision == "day" and bool(self._weekday.search(expr.text))
                and not any(ch.isdigit() for ch in expr.text) and not _RELATIVE_WORDS & set(words)
                and not any(w.strip(".,") in self.lex.months for w in words))

    @staticmethod
    def _earlier_than_its_clause(anchor: Token) -> bool:
        """An act the text puts before the one it hangs from: "after phoning", "having crossed"."""
        if anchor.dep_ == "pcomp" and anchor.head.lower_ == "after":
            return True
        if anchor.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "after" for c in anchor.children):
            return True
        return any(c.dep_ == "aux" and c.lower_ == "having" for c in anchor.children)

    @staticmethod
    def _up_to_then(anchor: Token) -> bool:
        """"had been killed so far", "had arrested 40 to date": a count up to the time the story is at."""
        for c in anchor.children:
            if c.dep_ in ("advmod", "prep", "npadvmod"):
                words = " ".join(t.lower_ for t in c.subtree)
                if words in _UP_TO_THEN:
                    return True
        return False

    # ------------------------------------------------------------------ dates
    @staticmethod
    def _date(e: TimeExpression) -> EventDate:
        return EventDate(e.range_start, e.range_end, e.precision, e.mod, e.text)

    @staticmethod
    def _earlier(before: date, text: str | None) -> EventDate:
        lo = before - timedelta(days=settings.TIME_EARLIER_REACH_DAYS)
        return EventDate(lo.isoformat(), (before - timedelta(days=1)).isoformat(), "unknown", None, text)

    @staticmethod
    def _shift(d: EventDate, days: int) -> EventDate:
        lo, hi = cal.parse_iso(d.start), cal.parse_iso(d.end)
        if lo is None or hi is None:
            return d
        return replace(d, start=(lo + timedelta(days=days)).isoformat(), end=(hi + timedelta(days=days)).isoformat())

    def date_event(self, anchor: Token, exprs: list[TimeExpression], published: str | None, offset: int = 0,
                   factuality: str = "asserted", story: StoryTime | None = None,
                   event: Token | None = None, speech: bool = False) -> EventDate:
        """The date of the event whose clause ``anchor`` heads (see the module's docstring)."""
        pub = cal.parse_iso(published)
        found = self.attached(anchor, exprs, offset, event)
        aspect = self.aspect(anchor) if anchor.pos_ in ("VERB", "AUX") else None
        statement = self._date(found.context) if found.context is not None else (
            EventDate(published, published, "day") if pub else EventDate(None, None, "unknown"))
        ref_day = cal.parse_iso(statement.start) or pub

        if factuality in _NONFACTUAL:
            own = self._date(found.own) if found.own is not None else None
            if own is not None and pub and self._bare_weekday(found.own) and (cal.parse_iso(own.end) or pub) < pub:
                own = self._shift(own, 7)  # "will meet on Sunday": the coming one
            target = own if own is not None and ref_day and own.end and own.end >= ref_day.isoformat() else None
            if own is not None and target is None:
                return own  # a supposition about the past: "may have killed 20 on Sunday"
            if target is None and found.content is not None:
                target = self._future(found.content, ref_day)
            return replace(statement, target=target)

        if found.own is not None:
            own = self._date(found.own)
            if (pub and self._bare_weekday(found.own) and aspect in _FACTUAL_ASPECTS
                    and (cal.parse_iso(own.start) or pub) > pub):
                own = self._shift(own, -7)  # "fired on protesters on Sunday" in a Monday article: the day before
            if pub and self._since(anchor.doc, found.own, offset) and own.start:
                return EventDate(own.start, max(own.end or published, published), "unknown", None, own.text)
            start = cal.parse_iso(own.start)
            if pub and start and start > pub:
                # a past or present act cannot be dated after publication: the time is what it is about
                return replace(statement, target=own)
            content = self._future(found.content, start or pub) if found.content is not None else None
            return replace(own, target=content)  # "threatened on Tuesday to strike before the summer"

        target = self._future(found.content, ref_day) if found.content is not None else None
        if found.content is not None and found.content_open and target is None and pub:
            # "sought to strike a deal in February", "tried to cross on Sunday": a past time of an open
            # complement dates the attempt too (a clausal content's time, "said troops attacked in May", does not)
            own = self._date(found.content)
            if (pub and self._bare_weekday(found.content) and aspect in _FACTUAL_ASPECTS
                    and (cal.parse_iso(own.start) or pub) > pub):
                own = self._shift(own, -7)
            if own.end and own.end <= published:
                return own
        if aspect == "pluperfect" or (aspect in ("past", None) and self._earlier_than_its_clause(anchor)):
            ref = found.context or (story.recent(self._sentence_start(anchor, offset)) if story else None)
            if self._up_to_then(anchor):
                # "said 300 militants had been killed so far": up to the time of the statement, not before it
                return replace(self._date(ref) if ref is not None else statement, target=target)
            if ref is not None and (d := cal.parse_iso(ref.range_start)):
                return replace(self._earlier(d, ref.text), target=target)
            if pub:
                return replace(self._earlier(pub, None), target=target)
        if found.context is None and aspect == "past" and story is not None:
            thread = story.recent(self._sentence_start(anchor, offset))
            if thread is not None:
                return replace(self._date(thread), target=target)
        if (found.context is None and pub and aspect in _FACTUAL_ASPECTS and not speech
                and settings.TIME_UNDATED_PAST_DAYS > 0):
            # a past act with no time in the text: some day shortly before publication, not the publication day
            # (what somebody said without a date, news reports on the day it was said)
            lo = pub - timedelta(days=settings.TIME_UNDATED_PAST_DAYS)
            return EventDate(lo.isoformat(), published, "unknown", None, None, target)
        return replace(statement, target=target)

    @staticmethod
    def _future(e: TimeExpression, ref_day: date | None) -> EventDate | None:
        start = cal.parse_iso(e.range_start)
        if ref_day is None or start is None or start <= ref_day:
            return None
        return EventDate(e.range_start, e.range_end, e.precision, e.mod, e.text)

    @staticmethod
    def _sentence_start(anchor: Token, offset: int) -> int:
        return anchor.sent.start_char + offset

    # ------------------------------------------------------------------ the story's thread
    def story_sentences(self, doc: Doc, exprs: list[TimeExpression], offset: int,
                        published: str | None) -> list[StorySentence]:
        """The sentences of ``doc`` (a chunk at article offset ``offset``) with their main clause's aspect and the
        explicit past times of their main clauses, for :class:`StoryTime`."""
        pub = cal.parse_iso(published)
        out: list[StorySentence] = []
        for sent in doc.sents:
            lo, hi = sent.start_char + offset, sent.end_char + offset
            times = []
            if pub is not None:
                times = [e for e in exprs if lo <= e.start and e.end <= hi and self._thread_time(doc, e, offset, pub)]
            out.append(StorySentence(lo, self._main_aspect(sent), times))
        return out

    def _main_aspect(self, sent: Span) -> Aspect | None:
        root = sent.root
        if root.pos_ not in ("VERB", "AUX"):
            return None
        if root.lemma_.lower() in self.lex.statement_verbs:
            said = [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
            if said:
                return self.aspect(said[0])
        return self.aspect(root)

    def _thread_time(self, doc: Doc, e: TimeExpression, offset: int, pub: date) -> bool:
        """Whether ``e`` is a time the story is at: a day, week, month, season or year not after publication,
        dating a past main clause (not a relative clause, an aside on a noun or "since")."""
        if e.type != "DATE" or not e.range_start or not e.range_end or e.precision in ("decade", "unknown"):
            return False
        end = cal.parse_iso(e.range_end)
        if end is None or end > pub or self._since(doc, e, offset):
            return False
        span = self.span_of(doc, e, offset)
        if span is None:
            return False
        owner = span.root.head
        if owner.pos_ in ("NOUN", "PROPN") and span.root.dep_ in _NOUN_ATTACHMENTS:
            return False
        gov = governing_verb(span.root)
        if gov is None or self.aspect(gov) not in ("past", "pluperfect"):
            return False
        t = gov
        for _ in range(12):
            if t.dep_ not in _MAIN_LINKS:
                return False
            if t.head.i == t.i:
                return True
            t = t.head
        return False
