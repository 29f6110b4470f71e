"""Stored articles: a page of their metadata, or one with its text and its mentions' spans. (Submitting an
article is :mod:`dragoman.api.routes.submit`.)"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from dragoman.api.deps import Db, Limit, Offset, Raw
from dragoman.api.errors import ERROR_RESPONSES, api_error, not_found
from dragoman.api.models import Page
from dragoman.store import analytics
from dragoman.store import articles as article_queries

router = APIRouter(tags=["articles"])


@router.get("/api/articles", response_model=Page, responses=ERROR_RESPONSES)
def articles(
    s: Db,
    source: Annotated[str | None, Query(max_length=200)] = None,
    since: date | None = None,
    until: date | None = None,
    language: Annotated[str | None, Query(max_length=10)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stored articles (metadata, without their text), oldest first."""
    filters = dict(source=source or None, since=since.isoformat() if since else None,
                   until=until.isoformat() if until else None, language=language or None)
    page = article_queries.list_articles(s, **filters, limit=limit, offset=offset, text=False)
    return {"total": article_queries.count_articles(s, **filters), "limit": limit, "offset": offset, "items": page}


@router.get("/api/articles/{article_id:path}", responses=not_found("article"))
def article(article_id: str, s: Db, raw: Raw = False) -> dict[str, Any]:
    """One article's text and metadata, and its mentions (corrected, or ``raw``), each with the character
    offsets of its source, target, trigger, date and place in the text (``spans``)."""
    record = article_queries.get_article(s, article_id)
    if record is None:
        raise api_error(404, f"no article {article_id!r}")
    record["mentions"] = analytics.article_mentions_with_spans(s, article_id, record["text"], raw=raw)
    return record
