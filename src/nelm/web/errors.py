"""Errors at the web edge: nelm's problems become HTTP statuses and JSON bodies here.

::

    ApiError(status, detail, problems)   raised by routes; rendered as ErrorBody JSON
    InputRejected (nelm.errors)          → 422 with one problem per field path
    RequestValidationError (FastAPI)     → 422, the same shape
    store.NotFoundError / ConflictError            → 404 / 409
    SQLAlchemy connection errors         → 503 "the case database is not reachable"
    anything else                        → 500 "internal error", never a traceback

A client that speaks FHIR (it sends or accepts ``application/fhir+json``) gets every error
as a FHIR OperationOutcome instead of the ErrorBody JSON.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from nelm.errors import InputRejected, Problem
from nelm.store import ConflictError, NotFoundError
from nelm.web.middleware import wants_fhir

__all__ = ["DATABASE_DOWN", "ApiError", "error_response", "install_handlers",
           "operation_outcome"]

log = logging.getLogger("nelm.web")

DATABASE_DOWN = ("The case database is not reachable. Nothing was lost; the service resumes "
                 "by itself when the database is back. Try again in a moment.")


class ApiError(Exception):
    def __init__(self, status: int, detail: str, problems: Sequence[Problem] = (),
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = list(problems)
        self.headers = headers


def _body(detail: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    return {"detail": detail, "problems": [p.as_dict() for p in problems]}


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "POST"


_ISSUE_CODES = {400: "structure", 401: "login", 403: "forbidden", 404: "not-found",
                409: "conflict", 413: "too-costly", 422: "invalid", 503: "transient"}


def operation_outcome(status: int, detail: str, problems: Sequence[Problem] = (),
                      headers: dict[str, str] | None = None) -> Response:
    """FHIR's error shape (``application/fhir+json``): one issue per problem, with the
    offending path as ``expression``; the detail alone when there are no problems."""
    code = _ISSUE_CODES.get(status, "exception" if status >= 500 else "invalid")
    issues = [{"severity": "error", "code": code,
               "diagnostics": p.message, **({"expression": [p.path]} if p.path else {})}
              for p in problems] or [{"severity": "error", "code": code,
                                      "diagnostics": detail}]
    body = json.dumps({"resourceType": "OperationOutcome", "issue": issues},
                      ensure_ascii=False)
    return Response(body, status_code=status, headers=headers,
                    media_type="application/fhir+json")


def error_response(request: Request, status: int, detail: str,
                   problems: Sequence[Problem] = (),
                   headers: dict[str, str] | None = None) -> Response:
    if wants_fhir(request.scope):
        return operation_outcome(status, detail, problems, headers)
    if wants_html(request):
        from nelm.web.pages import error_page

        return error_page(request, status, detail, headers=headers)
    return JSONResponse(_body(detail, problems), status_code=status, headers=headers)


def _validation_problems(exc: RequestValidationError) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            where = loc[0]
            loc = loc[1:]
        else:
            where = "body"
        path = ".".join(loc) if loc else where
        got = error.get("input")
        from nelm.errors import describe_value

        problems.append(Problem(path, str(error.get("msg", "invalid")).lower(),
                                describe_value(got) if "input" in error else ""))
    return problems


def is_database_down(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def install_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(request, exc.status, exc.detail, exc.problems, exc.headers)

    async def rejected(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputRejected)
        return error_response(request, 422, "The input was rejected: " + "; ".join(
            p.message for p in exc.problems), exc.problems)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = _validation_problems(exc)
        return error_response(request, 422, "The request was rejected: " + "; ".join(
            p.message for p in problems), problems)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(request, 404, str(exc) or "Not found")

    async def conflict(request: Request, exc: Exception) -> Response:
        return error_response(request, 409, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 404:
            detail = "Not found"
        elif exc.status_code == 405:
            detail = "Method not allowed"
        return error_response(request, exc.status_code, detail,
                              headers=dict(exc.headers) if exc.headers else None)

    async def database(request: Request, exc: Exception) -> Response:
        if not is_database_down(exc):
            log.error("database error on %s %s: %s", request.method, _route(request),
                      type(exc).__name__)
            return error_response(request, 500, "Internal error: the request could not be "
                                  "completed.")
        log.warning("database unreachable on %s %s", request.method, _route(request))
        return error_response(request, 503, DATABASE_DOWN, headers={"Retry-After": "5"})

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(InputRejected, rejected)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DBAPIError, database)
    app.add_exception_handler(PoolTimeout, database)


def _route(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(unmatched)"
