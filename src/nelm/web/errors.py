"""The web edge's own error, and how a database outage is recognised.

:class:`ApiError` is raised by routes, the authentication and the evidence adapter; the
exception handlers that turn every error into an answer are in ``nelm.web.handlers`` (they
render the HTML error page too, so they sit above the pages; this module sits below
everything in ``nelm.web``). What becomes what::

    ApiError(status, detail, problems)   raised by routes; rendered as ErrorBody JSON
    InputRejected (nelm.errors)          → 422 with one problem per field path (also its
                                           kinds: UnitError, ConvergenceError)
    RequestValidationError (FastAPI)     → 422, the same shape
    NotFoundError / ConflictError        → 404 / 409
    other NelmError                      → its http_status (FetchError 502,
                                           UnavailableError 503; a defect 500)
    SQLAlchemy connection errors         → 503 "the case database is not reachable"
    anything else                        → 500 "internal error", never a traceback

A client that speaks FHIR (it sends or accepts ``application/fhir+json``) gets every error
as a FHIR OperationOutcome instead of the ErrorBody JSON.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from nelm.errors import Problem

__all__ = ["DATABASE_DOWN", "ApiError", "is_database_down", "operation_outcome"]

log = logging.getLogger("nelm.web")

DATABASE_DOWN = (
    "The case database is not reachable. Nothing was lost; the service resumes "
    "by itself when the database is back. Try again in a moment."
)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        problems: Sequence[Problem] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = list(problems)
        self.headers = headers


_ISSUE_CODES = {
    400: "structure",
    401: "login",
    403: "forbidden",
    404: "not-found",
    409: "conflict",
    413: "too-costly",
    422: "invalid",
    503: "transient",
}


def operation_outcome(
    status: int,
    detail: str,
    problems: Sequence[Problem] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """FHIR's error shape (``application/fhir+json``): one issue per problem, with the
    offending path as ``expression``; the detail alone when there are no problems."""
    code = _ISSUE_CODES.get(status, "exception" if status >= 500 else "invalid")
    issues = [
        {
            "severity": "error",
            "code": code,
            "diagnostics": p.message,
            **({"expression": [p.path]} if p.path else {}),
        }
        for p in problems
    ] or [{"severity": "error", "code": code, "diagnostics": detail}]
    body = json.dumps({"resourceType": "OperationOutcome", "issue": issues}, ensure_ascii=False)
    return Response(body, status_code=status, headers=headers, media_type="application/fhir+json")


def is_database_down(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
