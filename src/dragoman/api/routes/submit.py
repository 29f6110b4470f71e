"""``POST /api/articles``: code a submitted article (its text, or a URL) into the store, behind the token.

Submissions are written one at a time (``app.state.write_lock``); the coder is built on the first one and kept
on ``app.state.coder``. An article the coder fails on is stored uncoded (``dragoman recode`` codes it later) and
answered with a 422 naming it.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from starlette.datastructures import State

from dragoman.api.deps import ServingStore, require_token, writer
from dragoman.api.errors import api_error, json_error
from dragoman.api.models import ErrorBody, Submission, SubmissionResult
from dragoman.ingest.sources import identify, jsonl_article
from dragoman.jobs.ingest import ArticleCoder, default_coder, ingest, ingest_articles
from dragoman.store.events import EventFilter, count_mentions

router = APIRouter(tags=["articles"])


@router.post(
    "/api/articles", response_model=SubmissionResult, status_code=201,
    responses={
        401: {"model": ErrorBody, "description": "Missing or wrong token"},
        403: {"model": ErrorBody, "description": "The write endpoint is off (no token configured)"},
        413: {"model": ErrorBody, "description": "Request too large"},
        422: {"model": ErrorBody, "description": "Refused input (bad URL, blocked address, empty text)"},
        503: {"model": ErrorBody, "description": "The store is busy"},
    },
)
def submit(
    request: Request,
    body: Submission,
    authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None,
) -> Any:
    """Submit an article for coding: its text, or a URL fetched under the same guard as `dragoman ingest`
    (public addresses only). Needs `Authorization: Bearer TOKEN` with the token the server started with."""
    state = request.app.state
    require_token(request, authorization)
    if bool(body.text) == bool(body.url):
        raise api_error(422, "give exactly one of text or url")
    with state.write_lock:
        return _ingest_submission(state, writer(request), body)


def _coder(state: State) -> ArticleCoder:
    """The server's coder, built on first use (called under the write lock)."""
    if state.coder is None:
        state.coder = default_coder()
    return state.coder


def _ingest_submission(state: State, store: ServingStore, body: Submission) -> Any:
    coder_factory = partial(_coder, state)
    ids: list[str] = []
    if body.text:
        record = {k: v for k, v in body.model_dump().items() if v not in (None, "") and k != "url"}
        if body.published:
            record["published"] = body.published.isoformat()
        try:
            article = jsonl_article(record)
            article.origin = "POST /api/articles"
            ids.append(identify(article).article_id)
        except Exception as exc:  # the reader's own refusal, with its reason
            raise api_error(422, f"article refused: {exc}") from exc
        summary = ingest_articles([article], store, coder_factory=coder_factory)
    else:
        summary = ingest([str(body.url)], store, coder_factory=coder_factory, allow_private=False)
    if summary.code_errors:  # stored, but not coded: say so, and which article it is
        return json_error(422, "; ".join(str(f) for f in summary.failures), article_ids=ids, stored=True)
    if summary.failures:
        raise api_error(422, "; ".join(str(f) for f in summary.failures))
    n = sum(count_mentions(store, EventFilter(article_id=i)) for i in ids)
    return {"ingested": summary.ingested, "article_ids": ids, "mentions": n if ids else summary.mentions,
            "summary": summary.to_dict()}
