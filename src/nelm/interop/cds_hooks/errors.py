"""Error answers of the CDS Hooks service: always a FHIR OperationOutcome in JSON.

Every 4xx the service gives is an OperationOutcome whose ``issue`` entries carry
``severity``, ``code`` (FHIR IssueType), ``diagnostics`` (what was wrong, in words) and,
where a place in the request is known, ``expression`` (a path such as
``prefetch.observations.entry[3].resource.valueQuantity.code`` or ``context.patientId``).
A 401 says only that authentication is needed; a 500 says only that the fault is the
service's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse

__all__ = [
    "AUTH_FAILED",
    "CdsError",
    "Issue",
    "operation_outcome",
    "outcome_response",
]

AUTH_FAILED = (
    "Authentication required: a bearer token (JWT) issued by a trusted CDS client for this service."
)


@dataclass(frozen=True, slots=True)
class Issue:
    """One OperationOutcome issue."""

    diagnostics: str
    code: str = "invalid"
    expression: str | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            out["expression"] = [self.expression]
        return out


class CdsError(Exception):
    """A request the service cannot answer: an HTTP status and the issues that say why."""

    def __init__(
        self, status: int, issues: Sequence[Issue], headers: dict[str, str] | None = None
    ) -> None:
        if not issues:
            raise ValueError("CdsError needs at least one issue")
        super().__init__("; ".join(i.diagnostics for i in issues))
        self.status = status
        self.issues = list(issues)
        self.headers = headers

    @staticmethod
    def bad_request(
        diagnostics: str, expression: str | None = None, *, status: int = 400, code: str = "invalid"
    ) -> CdsError:
        return CdsError(status, [Issue(diagnostics, code, expression)])

    @staticmethod
    def unauthorized() -> CdsError:
        return CdsError(
            401,
            [Issue(AUTH_FAILED, "login")],
            headers={"WWW-Authenticate": 'Bearer realm="cds-services"'},
        )


def operation_outcome(issues: Sequence[Issue]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [i.as_dict() for i in issues]}


def outcome_response(
    status: int, issues: Sequence[Issue], headers: dict[str, str] | None = None
) -> JSONResponse:
    # FHIR's media type, as the web application's own answers for /cds-services have it
    # (404, 405, 415, 413 at its edge): every error of the service is labelled alike.
    response = JSONResponse(
        operation_outcome(issues),
        status_code=status,
        headers=headers,
        media_type="application/fhir+json",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
