"""The API's response and request shapes, named in the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from dragoman import settings


class ErrorBody(BaseModel):
    error: str
    reason: str


class Page(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]
    next: str | None = None  # the cursor of the next page, where the listing takes one (``after``)


class SeriesBody(BaseModel):
    interval: str
    source: str | None
    target: str | None
    periods: list[dict[str, Any]]


class NetworkBody(BaseModel):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    total_edges: int


class Submission(BaseModel):
    """An article to code: its ``text`` (with optional metadata), or a ``url`` fetched under ingest's guard."""

    text: str | None = Field(default=None, max_length=settings.MAX_ARTICLE_BYTES)
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=1000)
    published: date | None = None
    source: str | None = Field(default=None, max_length=200)
    id: str | None = Field(default=None, max_length=200)

    @field_validator("text", "url", "title", "source", "id")
    @classmethod
    def _unicode_text(cls, value: str | None) -> str | None:
        """JSON may carry a lone surrogate (``"\\ud800"``): valid JSON, but no text; it could be neither stored
        nor written back."""
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(f"not valid Unicode text (a lone surrogate at character {exc.start})") from None
        return value


class SubmissionResult(BaseModel):
    ingested: int
    article_ids: list[str]
    mentions: int
    summary: dict[str, Any]


CorrectionField = Literal[
    "cameo", "plover", "plover_mode", "source", "source_name", "target", "target_name", "date", "place",
    "place_country", "place_lat", "place_lon", "factuality",
]


class CorrectionBody(BaseModel):
    """An analyst's correction of one mention (``mention_id``) or story (``story_id``): ``wrong`` (no such
    event), ``confirm`` (coded right), or ``fix`` with the ``fields`` to set (``null`` clears an actor, a date
    or a place), and why."""

    action: Literal["wrong", "fix", "confirm"]
    mention_id: str | None = Field(default=None, min_length=1, max_length=100)
    story_id: str | None = Field(default=None, min_length=1, max_length=100)
    fields: dict[CorrectionField, Annotated[str, Field(max_length=300)] | float | None] = Field(default_factory=dict)
    reason: str | None = Field(default=None, max_length=2000)
    analyst: str | None = Field(default=None, max_length=100)
