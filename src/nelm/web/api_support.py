"""What every REST API module shares: the documented error answers, the router under
``/api/v1``, the id and login dependencies and the case store.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from nelm.store import Store
from nelm.web.auth import Principal, require_admin, require_user, require_writer
from nelm.web.schemas import ErrorBody

__all__ = [
    "MAX_ID",
    "AdminDep",
    "Id",
    "UserDep",
    "WriterDep",
    "api_router",
    "error_responses",
    "json_response",
    "store_of",
]


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "The body could not be parsed",
        401: "Not logged in",
        403: "Not allowed for this role, or a missing CSRF token",
        404: "No such resource",
        409: "Conflicts with a stored record",
        413: "Request body over the limit: 1 MB for a case document, NELM_FHIR_MAX_BYTES "
        "(20 MB by default) for a FHIR Bundle",
        415: "A body not labelled as JSON (application/json, application/fhir+json)",
        422: "The input was rejected (one problem per field)",
        503: "The case database (or the evidence base) is not available",
    }
    return {code: {"model": ErrorBody, "description": descriptions[code]} for code in codes}


_AUTH = (400, 401, 403, 413, 415, 422, 503)

MAX_ID = 2_147_483_647  # a 32-bit INTEGER column on both databases
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
UserDep = Annotated[Principal, Depends(require_user)]
WriterDep = Annotated[Principal, Depends(require_writer)]
AdminDep = Annotated[Principal, Depends(require_admin)]


def api_router() -> APIRouter:
    """A router under ``/api/v1`` that documents the answers every route can give."""
    return APIRouter(prefix="/api/v1", responses=error_responses(*_AUTH))


def store_of(request: Request) -> Store:
    store = request.app.state.store
    assert isinstance(store, Store)
    return store


def json_response(content: Any, status: int = 200) -> Response:
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is part of the web extra
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    else:
        body = orjson.dumps(content)
    return Response(body, status_code=status, media_type="application/json")
