"""The exception handlers of the web application: every error becomes a clear answer.

JSON (``{"detail": ..., "problems": [...]}``) for the API, a FHIR OperationOutcome for a
client that speaks FHIR, the HTML error page for a browser. The mapping of errors to
statuses is described in ``nelm.web.errors``; nelm's own errors carry their HTTP status
(``nelm.errors``), so a new error needs no new handler.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from nelm.errors import InputRejected, NelmError, Problem, describe_value, where_raised
from nelm.store import ConflictError, NotFoundError
from nelm.web.auth import resolve_principal
from nelm.web.errors import DATABASE_DOWN, ApiError, is_database_down, operation_outcome
from nelm.web.middleware import wants_fhir
from nelm.web.page_support import error_page

__all__ = ["error_response", "install_handlers", "wants_html"]

log = logging.getLogger("nelm.web")

NO_SUCH_PAGE = (
    "There is no page at this address: the link may be out of date or mistyped. "
    "The menu above leads to the cases and the meetings."
)


def _body(detail: str, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    return {"detail": detail, "problems": [p.as_dict() for p in problems]}


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "POST"


async def error_response(
    request: Request,
    status: int,
    detail: str,
    problems: Sequence[Problem] = (),
    headers: dict[str, str] | None = None,
    *,
    look_up_user: bool = True,
) -> Response:
    """The error in the shape the client reads. A browser gets the error page with the
    navigation of a logged-in user, also when no route ran (a stale or mistyped link) and
    so nobody had asked who is logged in; ``look_up_user=False`` when the store is not
    reachable (the page then shows only the user already known)."""
    if wants_fhir(request.scope):
        return operation_outcome(status, detail, problems, headers)
    if wants_html(request):
        if look_up_user:
            await _known_user(request)
        return error_page(request, status, detail, headers=headers)
    return JSONResponse(_body(detail, problems), status_code=status, headers=headers)


async def _known_user(request: Request) -> None:
    """Ask who is logged in, for the navigation of an error page; an error page must
    not fail in turn, so a failed look-up shows the page without it."""
    if "principal" in request.scope:
        return
    try:
        await resolve_principal(request)
    except Exception as exc:
        log.warning("no user for the error page: %s", type(exc).__name__)
        request.scope["principal"] = None


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
        problems.append(
            Problem(
                path,
                str(error.get("msg", "invalid")).lower(),
                describe_value(got) if "input" in error else "",
            )
        )
    return problems


def install_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return await error_response(request, exc.status, exc.detail, exc.problems, exc.headers)

    async def rejected(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputRejected)
        return await error_response(
            request,
            422,
            "The input was rejected: " + "; ".join(p.message for p in exc.problems),
            exc.problems,
        )

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = _validation_problems(exc)
        return await error_response(
            request,
            422,
            "The request was rejected: " + "; ".join(p.message for p in problems),
            problems,
        )

    async def not_found(request: Request, exc: Exception) -> Response:
        return await error_response(request, 404, str(exc) or "Not found")

    async def conflict(request: Request, exc: Exception) -> Response:
        return await error_response(request, 409, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 404:
            detail = NO_SUCH_PAGE if wants_html(request) else "Not found"
        elif exc.status_code == 405:
            detail = "Method not allowed"
        return await error_response(
            request, exc.status_code, detail, headers=dict(exc.headers) if exc.headers else None
        )

    async def database(request: Request, exc: Exception) -> Response:
        if not is_database_down(exc):
            log.error(
                "database error on %s %s: %s", request.method, _route(request), where_raised(exc)
            )
            return await error_response(
                request, 500, "Internal error: the request could not be completed."
            )
        log.warning("database unreachable on %s %s", request.method, _route(request))
        return await error_response(
            request, 503, DATABASE_DOWN, headers={"Retry-After": "5"}, look_up_user=False
        )

    async def nelm_error(request: Request, exc: Exception) -> Response:
        # nelm's other errors carry their HTTP status (nelm.errors): 502 when another
        # server could not be read, 503 when an optional part is missing (the message says
        # what to install); a defect of nelm itself is 500, logged by type and place only.
        assert isinstance(exc, NelmError)
        status = exc.http_status
        if status >= 500 and status not in (502, 503):
            log.error(
                "internal error on %s %s: %s", request.method, _route(request), where_raised(exc)
            )
            return await error_response(
                request, 500, "Internal error: the request could not be completed."
            )
        return await error_response(request, status, str(exc))

    app.add_exception_handler(NelmError, nelm_error)
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
