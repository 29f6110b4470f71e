"""Event mentions (a page, one with its evidence, or a CSV/Parquet download), stories and claims."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from dragoman.api.deps import Db, Filter, Limit, Offset, Raw
from dragoman.api.errors import ERROR_RESPONSES, api_error, not_found
from dragoman.api.models import Page
from dragoman.jobs.claims import stored_claims
from dragoman.store import analytics
from dragoman.store import articles as article_queries
from dragoman.store.claims import count_claims
from dragoman.store.events import CURSOR_PATTERN, count_mentions, get_mention, mention_cursor, query_mentions
from dragoman.store.stories import count_stories, get_story, query_stories

MAX_DOWNLOAD_ROWS = 1_000_000

router = APIRouter(tags=["events"])


@router.get(
    "/api/mentions", response_model=Page,
    responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}},
                                        "description": "A page of mentions (JSON), or all as CSV/Parquet"}},
)
def mentions(s: Db, flt: Filter, limit: Limit = 50, offset: Offset = 0,
             after: Annotated[str | None, Query(pattern=CURSOR_PATTERN, description=(
                 "The page after this cursor (a page's `next`): as fast deep in a large store as at its start"))] = None,
             format: Literal["json", "csv", "parquet"] = "json") -> Any:
    """Event mentions matching the filters, newest first: a page with the total and the cursor of the next
    page (``next``, for ``after``), or every match (up to a million) as a CSV or Parquet download."""
    if format != "json":
        body = analytics.download_mentions(s, flt, format, limit=MAX_DOWNLOAD_ROWS)
        media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="mentions.{format}"'})
    items = query_mentions(s, flt, limit=limit, offset=0 if after else offset, after=after)
    total = count_mentions(s, flt)
    full = limit and len(items) == limit
    return {"total": total, "limit": limit, "offset": offset, "items": items,
            "next": mention_cursor(items[-1]) if full else None}


EXPORT_MEDIA = {"gdelt": "text/tab-separated-values; charset=utf-8", "icews": "text/tab-separated-values; charset=utf-8",
                "plover": "application/x-ndjson"}
EXPORT_SUFFIX = {"gdelt": "tsv", "icews": "tsv", "plover": "jsonl"}


@router.get(
    "/api/export", responses={**ERROR_RESPONSES, 200: {"content": {m: {} for m in set(EXPORT_MEDIA.values())},
                                                       "description": "Every matching event in the format"}},
)
def export(s: Db, flt: Filter, format: Literal["gdelt", "icews", "plover"] = "gdelt", mentions: bool = False,
           header: bool = False, limit: Annotated[int | None, Query(ge=0, le=MAX_DOWNLOAD_ROWS)] = None) -> Any:
    """Every matching story (or mention, with ``mentions``), up to a million, as a GDELT 2.0 event table
    (``header`` adds GDELT's column names), an ICEWS-style TSV or PLOVER JSON Lines: as ``dragoman export``."""
    import tempfile
    from pathlib import Path

    from starlette.background import BackgroundTask
    from starlette.responses import FileResponse

    from dragoman.store.exports import ExportSpec, export_events

    tmp = tempfile.TemporaryDirectory(prefix="dragoman-api-export-")
    path = Path(tmp.name) / f"events.{EXPORT_SUFFIX[format]}"
    try:
        export_events(s, ExportSpec(format, mentions=mentions, flt=flt, header=header,
                                    limit=MAX_DOWNLOAD_ROWS if limit is None else limit), path)
    except Exception:
        tmp.cleanup()
        raise
    name = f"{'mentions' if mentions else 'stories'}.{format}.{EXPORT_SUFFIX[format]}"
    return FileResponse(path, media_type=EXPORT_MEDIA[format], filename=name, background=BackgroundTask(tmp.cleanup))


@router.get("/api/mentions/{mention_id}", responses=not_found("mention"))
def mention(mention_id: str, s: Db, raw: Raw = False) -> dict[str, Any]:
    """One mention with its evidence: the record, its article's metadata, and its spans in the text (404 for
    one an analyst marked wrong, unless ``raw``)."""
    record = get_mention(s, mention_id, raw=raw)
    if record is None:
        raise api_error(404, f"no mention {mention_id!r}")
    art = article_queries.get_article(s, record["article_id"])
    spans = analytics.mention_spans(art["text"], record) if art else []
    meta = {k: art.get(k) for k in ("article_id", "title", "published", "source", "url")} if art else None
    return {"mention": record, "article": meta, "spans": spans}


@router.get(
    "/api/stories", response_model=Page,
    responses={**ERROR_RESPONSES, 200: {"content": {"application/json": {}, "text/csv": {},
                                                    "application/vnd.apache.parquet": {}},
                                        "description": "A page of stories (JSON), or every match as CSV/Parquet"}},
)
def stories(s: Db, flt: Filter, limit: Limit = 50, offset: Offset = 0,
            format: Literal["json", "csv", "parquet"] = "json") -> Any:
    """Stories (mentions of one real-world event, merged across articles) matching the filters; with
    ``format=csv|parquet``, their flat columns (up to the download limit) as a file."""
    if format != "json":
        body = analytics.download_stories(s, flt, format, limit=MAX_DOWNLOAD_ROWS)
        media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="stories.{format}"'})
    items = query_stories(s, flt, limit, offset)
    return {"total": count_stories(s, flt), "limit": limit, "offset": offset, "items": items}


@router.get("/api/stories/{story_id}", responses=not_found("story"))
def story(story_id: str, s: Db, raw: Raw = False) -> dict[str, Any]:
    """One story with its mentions (the evidence); 404 for one an analyst marked wrong, unless ``raw``."""
    record = get_story(s, story_id, raw=raw)
    if record is None:
        raise api_error(404, f"no story {story_id!r}")
    return record


@router.get("/api/claims", response_model=Page, responses=ERROR_RESPONSES)
def claims(s: Db, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Claims with their verdicts."""
    return {"total": count_claims(s), "limit": limit, "offset": offset, "items": stored_claims(s, limit, offset)}
