"""``/api/corrections``: analysts' corrections of mentions and stories (listed by anyone; made and undone with
the write token). A correction is applied at once in every query, export and aggregate; ``raw=true`` on any
read shows the coding as the coder made it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request

from dragoman.api.deps import Db, Limit, Offset, require_token, writer
from dragoman.api.errors import ERROR_RESPONSES, api_error
from dragoman.api.models import CorrectionBody, ErrorBody, Page
from dragoman.jobs.corrections import Correction, CorrectionError, NotFound, correct, undo
from dragoman.store.corrections import list_corrections

router = APIRouter(tags=["corrections"])

_WRITE_RESPONSES = {
    401: {"model": ErrorBody, "description": "Missing or wrong token"},
    403: {"model": ErrorBody, "description": "Writes are off (no token configured)"},
    404: {"model": ErrorBody, "description": "No such mention, story or correction"},
    422: {"model": ErrorBody, "description": "A field or value the correction cannot take"},
    503: {"model": ErrorBody, "description": "The store is busy"},
}
Token = Annotated[str | None, Header(description="Bearer TOKEN")]


@router.get("/api/corrections", response_model=Page, responses=ERROR_RESPONSES)
def corrections(
    s: Db,
    active: Annotated[bool, Query(description="Only corrections not undone")] = False,
    article: Annotated[str | None, Query(max_length=200)] = None,
    mention: Annotated[str | None, Query(max_length=100)] = None,
    story: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Corrections, newest first: who, when, why, the coded values they replaced, whether each still applies
    (a recode that loses the corrected mention leaves it unapplied until one finds it again)."""
    total, items = list_corrections(s, active_only=active, article_id=article or None, mention_id=mention or None,
                                    story_id=story or None, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _refused(exc: CorrectionError) -> Exception:
    return api_error(404 if isinstance(exc, NotFound) else 422, str(exc))


@router.post("/api/corrections", status_code=201, responses=_WRITE_RESPONSES)
def add(request: Request, body: CorrectionBody, authorization: Token = None) -> dict[str, Any]:
    """Correct a mention or a story (needs `Authorization: Bearer TOKEN`). Returns the stored correction."""
    require_token(request, authorization)
    if request.app.state.parquet is not None:
        raise api_error(403, "a batch dataset is read-only")
    correction = Correction(action=body.action, mention_id=body.mention_id, story_id=body.story_id,
                            fields=dict(body.fields), reason=body.reason, analyst=body.analyst or "api")
    with request.app.state.write_lock:
        try:
            return correct(writer(request), correction)
        except CorrectionError as exc:
            raise _refused(exc) from exc


@router.delete("/api/corrections/{correction_id}", responses=_WRITE_RESPONSES)
def remove(request: Request, correction_id: str, authorization: Token = None,
           analyst: Annotated[str | None, Query(max_length=100)] = None) -> dict[str, Any]:
    """Undo a correction (it is kept, marked undone). Returns it."""
    require_token(request, authorization)
    with request.app.state.write_lock:
        try:
            return undo(writer(request), correction_id, analyst or "api")
        except CorrectionError as exc:
            raise _refused(exc) from exc
