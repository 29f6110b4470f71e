"""Typed records shared by every stage of the pipeline.

Data flows one way: ``ingest`` makes :class:`Article`; the coding stages (``actors``, ``events``, ``time``,
``geo``) make :class:`Actor`, :class:`TimeExpression`, :class:`Toponym` and finally :class:`EventMention`;
``store`` persists them. ``EventMention.to_dict()`` is the record of ``shared/schema/event.schema.json``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Factuality = Literal["asserted", "reported", "historical", "predicted", "hypothetical", "negated"]
# Schema precedence: the first that applies wins.
FACTUALITY_PRECEDENCE: tuple[str, ...] = (
    "negated",
    "hypothetical",
    "predicted",
    "historical",
    "reported",
    "asserted",
)
FACTUALITIES: tuple[str, ...] = ("asserted", "reported", "historical", "predicted", "hypothetical", "negated")
# What counts as a real-world event in aggregates and charts by default: it happened (or happens), as told by
# the article or by a source it cites. Forecasts, hypotheticals and denials are one option away.
FACTUAL: tuple[str, ...] = ("asserted", "reported", "historical")
DatePrecision = Literal["day", "week", "month", "quarter", "season", "year", "decade", "unknown"]
PlacePrecision = Literal["point", "city", "admin2", "admin1", "country", "region"]
# Place precisions ranked from the most specific (a point, 0) to the least (a region, 5).
# How a place name is used where it stands: a place ("fighting near Goma"), a place standing for an actor
# ("Ankara said"), a modifier saying whose something is ("Ghanaian officials", "U.S. troops"), a demonym ("the
# Iranian delegation"), or the dateline the story was filed under ("LIMA (AP) -").
ToponymType = Literal["literal", "metonym", "modifier", "demonym", "dateline"]
TOPONYM_TYPES: tuple[str, ...] = ("literal", "metonym", "modifier", "demonym", "dateline")
PRECISION_RANK: dict[str, int] = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5}


def stable_id(*parts: object, length: int = 16) -> str:
    """A short content-derived id: the same parts always give the same id.

    Any string hashes, lone surrogates included ("surrogatepass" changes nothing for valid text).
    """
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:length]


@dataclass
class Article:
    """One news article as ingested. ``text`` is the body the coder reads; offsets everywhere index into it."""

    article_id: str
    text: str
    content_hash: str = ""
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO calendar date (UTC), never invented
    source: str | None = None  # outlet / site name
    author: str | None = None
    language: str | None = None
    origin: str | None = None  # where it was read from: a path, a URL, "path:line"
    extra: dict[str, Any] = field(default_factory=dict)
    duplicate_of: str | None = None
    duplicate_kind: Literal["exact", "near"] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Antecedent:
    """The earlier words a pronoun, title, surname or "the group" was resolved to (article character offsets)."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Actor:
    """A coded actor: country (ISO 3166 alpha-3 or IGO-style prefix) plus sector, and the entity when known."""

    code: str | None
    country: str | None
    sector: str | None = None
    name: str | None = None
    text: str | None = None
    wikidata: str | None = None
    # Where the actor was named before, when ``text`` only refers back to it ("he", "the minister").
    antecedent: Antecedent | None = None

    @staticmethod
    def make_code(country: str | None, sector: str | None) -> str | None:
        if not country and not sector:
            return None
        return f"{country or '---'}{sector or ''}"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.antecedent is None:
            del out["antecedent"]  # an added field of the schema's actor: present only when there is one
        return out


@dataclass
class TimeExpression:
    """A TIMEX3-style time expression found in an article."""

    article_id: str
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    mod: Literal["START", "MID", "END"] | None = None
    # Calendar bounds of a DATE value (ISO dates), when it denotes a span of days.
    range_start: str | None = None
    range_end: str | None = None
    precision: DatePrecision = "unknown"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Toponym:
    """A place name found in an article and resolved against the gazetteer."""

    article_id: str
    start: int
    end: int
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    feature: PlacePrecision | None = None
    type: ToponymType = "literal"  # how the name is used where it stands (ToponymType)
    admin1: str | None = None  # the first-level region the place is or lies in ("NG.18"; None for larger places)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EventDate:
    """When an event happened (``start``..``end``, ISO days), or for a forecast, a threat or a promise, when it
    was reported, with the time it is for in ``target`` (the same shape; ``None`` when there is none)."""

    start: str | None
    end: str | None
    precision: DatePrecision = "unknown"
    mod: Literal["START", "MID", "END"] | None = None
    text: str | None = None
    target: EventDate | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: PlacePrecision = "city"
    text: str | None = None
    admin1: str | None = None  # GeoNames "CC.code" of the first-level region it is or lies in (None: larger, unknown)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Evidence:
    sentence: str
    start: int
    end: int
    trigger: str | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Attribution:
    text: str
    actor: Actor | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "actor": self.actor.to_dict() if self.actor else None}


@dataclass
class Coder:
    version: str
    lexicons: str
    # The coder that coded the article before (``dragoman recode``): {"version": ..., "lexicons": ...}
    previous: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if out["previous"] is None:
            del out["previous"]
        return out

    @property
    def fingerprint(self) -> str:
        """``version+lexicons``: what ``articles.coded_with`` records."""
        return f"{self.version}+{self.lexicons}"


@dataclass
class EventMention:
    """One coded event mention: what one sentence of one article says happened."""

    id: str
    article_id: str
    source: Actor | None
    target: Actor | None
    cameo: str
    cameo_root: str
    plover: str
    plover_mode: str | None
    quad_class: int
    goldstein: float
    date: EventDate
    location: Location | None
    factuality: Factuality
    evidence: Evidence
    coder: Coder
    confidence: float = 0.5
    attribution: Attribution | None = None
    story_id: str | None = None
    # Span offsets of the actors in the article text, for readers that highlight them.
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    # Sizes stated in the sentence (PLOVER's dead / injured / arrested): {"number": n, "kind": "exact" |
    # "at_least" | "vague"} or None.
    killed: dict[str, Any] | None = None
    injured: dict[str, Any] | None = None
    arrested: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "date": self.date.to_dict(),
            "location": self.location.to_dict() if self.location else None,
            "factuality": self.factuality,
            "confidence": round(self.confidence, 4),
            "evidence": self.evidence.to_dict(),
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "story_id": self.story_id,
            "source_span": list(self.source_span) if self.source_span else None,
            "target_span": list(self.target_span) if self.target_span else None,
            "killed": self.killed,
            "injured": self.injured,
            "arrested": self.arrested,
            "coder": self.coder.to_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
