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
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from nelm.errors import Problem

__all__ = ["DATABASE_DOWN", "ApiError", "is_database_down"]

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


def is_database_down(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)
