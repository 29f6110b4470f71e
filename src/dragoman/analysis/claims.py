"""Count claims: what articles assert about how many events happened, and whether the store agrees.

"the fourth raid on the pipeline since May", "two mortar attacks this week", "scores of miners were hurt",
"at least 8 villagers". A claim is read from one parsed sentence:

* **what is counted** — events named by an event noun of the trigger lexicon ("attack", "strike", "protest"),
  counted by an ordinal ("the fourth raid") or a number ("two mortar attacks"); or people killed, injured
  or arrested (:func:`dragoman.events.sizes.sizes_in`);
* **the kind** — the noun's CAMEO code (and PLOVER type) from :mod:`dragoman.events.lexicon`;
* **the target** — the actor after "against", "on", "at" or "targeting" (resolved by the actor resolver);
* **the period** — from the sentence's time expression (:class:`dragoman.time.TimeTagger`): "since May" runs
  from May to publication, "this week" is the week so far, "last year" the year; a count of people with no

  period is about the reported event (publication day and the day before);
* **the number** — exact, a lower bound ("at least", "more than", an ordinal counts up to the reported event) or
  vague ("dozens": ``settings.CLAIM_VAGUE_RANGES``).

:func:`verdict` compares a claim with the stories the store holds for its period (same root group, same target
country among their mentions): ``supports`` when the store's count is within the claim's range, ``contradicts``
when it is above it, or below it while the store covers the period well (``settings.CLAIM_MIN_COVERAGE`` of its
weeks have stored articles), else ``cannot_judge``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from spacy.tokens import Span, Token

from dragoman import settings
from dragoman.analysis.stories import REAL, block_of
from dragoman.events.lexicon import code_info, load_count_nouns, load_trigger_lexicon
from dragoman.events.sizes import ORDINALS, _count_of, sizes_in
from dragoman.model import Article, TimeExpression, stable_id

if TYPE_CHECKING:
    from dragoman.coder import Coder
    from dragoman.coder.context import SentenceContext

SIZE_KINDS = {"killed": ("18", "ASSAULT"), "injured": ("18", "ASSAULT"), "arrested": ("173", "COERCE")}
TARGET_PREPS = frozenset({"against", "on", "at", "targeting", "upon", "in"})
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$", re.I)
# Event nouns that count happenings even when the lexicon codes them only through rules: events/data/count_nouns.yaml.
EXTRA_NOUNS = load_count_nouns()


@dataclass
class Claim:
    claim_id: str
    article_id: str
    published: str | None
    sentence: str
    sentence_start: int
    anchor: str  # the words that make the claim
    counted: str  # "events", "killed", "injured", "arrested"
    cameo: str
    cameo_root: str
    plover: str
    target_country: str | None
    target_text: str | None
    period_start: str | None
    period_end: str | None
    period_text: str | None
    number: int
    number_kind: str  # "exact", "at_least", "vague"
    ordinal: bool = False
    source_country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ClaimExtractor:
    """Reads count claims from articles. Loads spaCy, the actor resolver, the time tagger and triggers once, or
    shares a coder's (:func:`claims_coder`), so that claims are read from the parse the coder made."""

    def __init__(self, coder: Coder | None = None) -> None:
        if coder is not None and coder.time is not None:
            self.nlp, self.resolver, self.time, self.triggers = coder.nlp, coder.resolver, coder.time, coder.triggers
            return
        from dragoman.actors import ActorResolver
        from dragoman.nlp import load_nlp
        from dragoman.time import TimeTagger

        self.nlp = load_nlp()
        self.resolver = ActorResolver()
        self.resolver.setup(self.nlp)
        self.time = TimeTagger()
        self.triggers = load_trigger_lexicon()

    def extract(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Claim]]]:
        from dragoman.nlp import parse

        pending: dict[int, Article] = {}

        def items():
            for n, a in enumerate(articles):
                pending[n] = a
                yield n, a.text

        import itertools

        for key, group in itertools.groupby(parse(items(), nlp=self.nlp), key=lambda c: c.key):
            article = pending.pop(key)
            out: list[Claim] = []
            ctx = self.resolver.new_context(published=article.published)
            for chunk in group:
                doc, offset = chunk.doc, chunk.offset
                self.resolver.annotate(doc)
                exprs = self.time.find(doc, article.published, article.article_id, offset)
                for sent in doc.sents:
                    out.extend(self.sentence_claims(article, sent, offset, exprs, ctx))
            yield article, out

    # ------------------------------------------------------------ one sentence
    def _event_code(self, tok: Token) -> str | None:
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = tok.lemma_.lower()
        entries = self.triggers.lookup(lemma, "NOUN")
        if lemma in EXTRA_NOUNS and (not entries or entries[0].only_rules):
            return EXTRA_NOUNS[lemma]
        return entries[0].code if entries else None

    def _target(self, noun: Token, ctx) -> tuple[str | None, str | None]:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        actors = self.resolver.actors_for(obj, ctx)
                        countries = [m.actor.country for m in actors if m.actor.country]
                        text = noun.doc[obj.left_edge.i: obj.right_edge.i + 1].text
                        if countries:
                            return countries[0], text
            if prep.dep_ == "acl" and prep.lemma_ in ("target", "hit"):
                for obj in prep.children:
                    if obj.dep_ == "dobj":
                        actors = self.resolver.actors_for(obj, ctx)
                        countries = [m.actor.country for m in actors if m.actor.country]
                        if countries:
                            return countries[0], obj.text
        # "attacks have targeted American forces": the verb the noun is subject of
        head = noun.head
        if noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ == "VERB":
            for obj in head.children:
                if obj.dep_ == "dobj":
                    actors = self.resolver.actors_for(obj, ctx)
                    countries = [m.actor.country for m in actors if m.actor.country]
                    if countries:
                        return countries[0], noun.doc[obj.left_edge.i: obj.right_edge.i + 1].text
        return None, None

    def _period(self, sent: Span, offset: int, exprs: list[TimeExpression], published: str | None,
                counted: str, noun: Token | None = None) -> tuple[str | None, str | None, str | None]:
        lo, hi = offset + sent.start_char, offset + sent.end_char
        pub = published
        doc = sent.doc

        def rank(e: TimeExpression) -> tuple[int, int]:
            before = doc.text[max(0, e.start - offset - 7): e.start - offset].lower()
            inside = noun is not None and any(
                t.idx + offset <= e.start < t.idx + offset + len(t.text) for t in noun.subtree)
            return (0 if inside else 1 if "since" in before else 2, e.start)

        in_sent = [e for e in exprs if lo <= e.start and e.end <= hi and e.range_start]
        for e in sorted(in_sent, key=rank):
            before = sent.doc.text[max(0, e.start - offset - 12): e.start - offset].lower()
            start, end = e.range_start, e.range_end
            if "since" in before.split()[-1:] or before.rstrip().endswith("since"):
                end = pub or end
            elif pub and end and end > pub:
                end = pub  # "this month": as far as the article can see
            return start, end, e.text
        if counted != "events" and pub:
            d = date.fromisoformat(pub)
            return (d - timedelta(days=1)).isoformat(), pub, None
        return None, None, None

    def sentence_claims(self, article: Article, sent: Span, offset: int, exprs: list[TimeExpression],
                        ctx=None) -> list[Claim]:
        ctx = ctx or self.resolver.new_context(published=article.published)
        out: list[Claim] = []
        s_start = offset + sent.start_char
        text = sent.text.strip()

        def make(anchor: str, counted: str, code: str, number: int, kind: str, ordinal: bool,
                 target: tuple[str | None, str | None], noun: Token | None = None) -> Claim:
            info = code_info(code)
            p0, p1, ptext = self._period(sent, offset, exprs, article.published, counted, noun)
            return Claim(
                claim_id=stable_id("claim", article.article_id, s_start, anchor, counted),
                article_id=article.article_id, published=article.published, sentence=text,
                sentence_start=s_start, anchor=anchor, counted=counted, cameo=info.code, cameo_root=info.root,
                plover=info.plover, target_country=target[0], target_text=target[1], period_start=p0,
                period_end=p1, period_text=ptext, number=number, number_kind=kind, ordinal=ordinal,
            )

        for tok in sent:
            code = self._event_code(tok)
            if code is None:
                continue
            got: tuple[int, str] | None = None
            ordinal = False
            for c in tok.children:
                word = c.lower_
                m = _ORDINAL.match(word)
                if c.dep_ in ("amod", "nummod", "compound") and (m or word in ORDINALS):
                    got, ordinal = ((int(m.group(1)) if m else ORDINALS[word]), "exact"), True
                    break
            if got is None and tok.tag_ in ("NNS", "NNPS"):
                got = _count_of(tok)
                if got is None and tok.dep_ == "pobj" and tok.head.lower_ == "of":
                    got = _count_of(tok.head.head)
            if got is None:
                continue
            lo = min([c.i for c in tok.children if c.i < tok.i] + [tok.i])
            hi = max(t.i for t in tok.subtree)
            anchor = sent.doc[lo: hi + 1].text
            if tok.dep_ == "pobj" and tok.head.lower_ == "of":  # "dozens of rocket attacks"
                lo = min(lo, tok.head.head.i)
                anchor = sent.doc[lo: hi + 1].text
            target = self._target(tok, ctx)
            if target[0] is None and tok.dep_ == "pobj" and tok.head.lower_ == "of":
                target = self._target(tok.head.head, ctx)
            out.append(make(anchor, "events", code, got[0], got[1], ordinal, target, tok))
        root = sent.root
        for counted, val in sizes_in(sent, root).items():
            if val is None:
                continue
            code, _plover = SIZE_KINDS[counted]
            out.append(make(f"{val[0]} {counted}", counted, code, val[0], val[1], False, (None, None)))
        return out


# ---------------------------------------------------------------- verdicts
def claim_range(number: int, kind: str, anchor: str = "") -> tuple[float, float]:
    if kind == "at_least":
        return float(number), float("inf")
    if kind == "vague":
        low = anchor.lower()
        for word, (a, b) in sorted(settings.CLAIM_VAGUE_RANGES.items(), key=lambda kv: -len(kv[0])):
            if re.search(rf"\b{re.escape(word)}\b", low):
                return float(a), float(b)
        return number * 0.8, number * 1.2
    tol = max(settings.CLAIM_TOLERANCE_ABS, settings.CLAIM_TOLERANCE_REL * number)
    return number - tol, number + tol


def verdict(claim: dict[str, Any], stories: Sequence[tuple[str, int | None, int | None, int | None]],
            coverage: float) -> dict[str, Any]:
    """The store's view of one claim, from the stories it holds for the claim's period (``(story_id, killed,
    injured, arrested)``, from :func:`dragoman.store.claims.claim_stories`) and the share of the period's weeks
    that have a stored article: the count held, the verdict and why."""
    p0, p1 = str(claim["period_start"])[:10], str(claim["period_end"])[:10]
    counted = claim["counted"]
    if counted == "events":
        held = len(stories)
    else:
        col = {"killed": 1, "injured": 2, "arrested": 3}[counted]
        held = sum(r[col] or 0 for r in stories)
    lo, hi = claim_range(int(claim["number"]), claim["number_kind"], claim.get("anchor", ""))
    if lo <= held <= hi:
        verdict, why = "supports", f"the store holds {held} for {p0}..{p1}, within the claim's {_rng(lo, hi)}"
    elif held > hi:
        verdict, why = "contradicts", f"the store holds {held}, more than the claim's {_rng(lo, hi)}"
    elif coverage >= settings.CLAIM_MIN_COVERAGE:
        verdict, why = "contradicts", (f"the store covers {coverage:.0%} of the period's weeks and holds {held}, "
                                       f"fewer than the claim's {_rng(lo, hi)}")
    else:
        verdict, why = "cannot_judge", (f"the store holds {held} but covers only {coverage:.0%} of the period's "
                                        f"weeks (needs {settings.CLAIM_MIN_COVERAGE:.0%})")
    return {"verdict": verdict, "held": held, "coverage": round(coverage, 3), "why": why,
            "story_ids": [r[0] for r in stories]}


def claim_period(claim: dict[str, Any]) -> tuple[str, str] | None:
    """The claim's period as two ISO days, or ``None`` when it names none (then it cannot be judged)."""
    if not claim.get("period_start") or not claim.get("period_end"):
        return None
    return str(claim["period_start"])[:10], str(claim["period_end"])[:10]


def claim_blocks(claim: dict[str, Any]) -> list[str]:
    """The story blocks that hold events of the claim's kind that happened."""
    group = block_of(claim["cameo_root"], "asserted").split(":", 1)[1]
    return [f"real:{group}"]


NO_PERIOD = {"verdict": "cannot_judge", "held": None, "coverage": None, "why": "the claim names no period",
             "story_ids": []}


def _rng(lo: float, hi: float) -> str:
    if hi == float("inf"):
        return f"at least {lo:g}"
    return f"{lo:g}" if lo == hi else f"{lo:g}..{hi:g}"


__all__ = ["NO_PERIOD", "REAL", "Claim", "ClaimExtractor", "claim_blocks", "claim_period", "claim_range", "verdict"]


class ClaimReading:
    """A coder observer (:meth:`dragoman.coder.Coder.observe`): each sentence's count claims, read from the
    coder's own parse, actors and time expressions, go to the article's findings under ``"claims"`` as records."""

    def __init__(self, extractor: ClaimExtractor) -> None:
        self.extractor = extractor

    def __call__(self, s: SentenceContext) -> None:
        chunk = s.chunk
        found = self.extractor.sentence_claims(chunk.article, s.sent, chunk.offset, chunk.time_expressions,
                                               chunk.state.actors)
        if found:
            chunk.state.found.setdefault("claims", []).extend(c.to_dict() for c in found)


def claims_coder(**options: Any) -> Coder:
    """The event coder that also reads count claims as it codes (one parse for both): ingest's and batch's
    coder. ``options`` are :class:`~dragoman.coder.Coder`'s."""
    from dragoman.coder import Coder

    coder = Coder(**options)
    coder.observe(ClaimReading(ClaimExtractor(coder)))
    return coder

