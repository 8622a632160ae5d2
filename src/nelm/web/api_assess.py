"""The REST API's service routes: health, the logged-in user, and the stateless
assessment of a case document or a FHIR R4 record (``POST /api/v1/assess``), which stores
nothing. Errors about a FHIR record are FHIR OperationOutcomes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from nelm.case.document import case_from_mapping
from nelm.errors import InputRejected, Problem, describe_value
from nelm.interop.fhir.size import max_bundle_bytes
from nelm.interop.fhir.xml_record import looks_like_xml
from nelm.service import assess_case, assess_fhir, with_future_dates
from nelm.web.api_body import case_document, decode_body
from nelm.web.api_support import UserDep, api_router, json_response, store_of
from nelm.web.cases import knowledge_version
from nelm.web.errors import is_database_down, operation_outcome
from nelm.web.input_guard import XML_MEDIA
from nelm.web.schemas import ASSESSMENT_SCHEMA, CASE_SCHEMA, Health, UserOut

__all__ = ["router"]


router = api_router()


FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"
FHIR_XML = "application/fhir+xml"
_ASSESS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CASE_SCHEMA},
            FHIR_JSON: {
                "schema": {
                    "type": "object",
                    "description": "A FHIR R4 Bundle (see "
                    "docs/fhir-mapping.md); the patient's data is mapped to a case.",
                }
            },
            FHIR_NDJSON: {
                "schema": {
                    "type": "string",
                    "description": "One patient's FHIR R4 resources, one JSON object "
                    "per line (as a Bulk Data export writes them), read as a collection "
                    "Bundle of those resources.",
                }
            },
            FHIR_XML: {
                "schema": {
                    "type": "string",
                    "description": "A FHIR R4 Bundle in FHIR's XML format (also taken as "
                    "application/xml or text/xml), read as the same Bundle in JSON.",
                }
            },
        },
    }
}
_ASSESSMENT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The assessment (assessment-v1)",
        "content": {"application/json": {"schema": ASSESSMENT_SCHEMA}},
    }
}


# --------------------------------------------------------------------------- health


@router.get(
    "/health",
    response_model=Health,
    tags=["service"],
    responses={503: {"model": Health, "description": "The database is unreachable"}},
)
def health(request: Request) -> Response:
    """Liveness and database reachability; needs no login."""
    try:
        store_of(request).ping()
        database = "ok"
    except Exception as exc:
        if not is_database_down(exc):
            raise
        database = "unreachable"
    doc = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "knowledge_version": knowledge_version(),
    }
    return JSONResponse(doc, status_code=200 if database == "ok" else 503)


@router.get("/me", response_model=UserOut, tags=["users"])
def me(principal: UserDep) -> dict[str, Any]:
    return principal.user.as_dict()


# --------------------------------------------------------------------------- assess


def _is_fhir(text: str) -> bool:
    """A FHIR resource, sent as application/json: ``"resourceType"`` among the first
    top-level keys (case-v1 has no such key), as the CLI detects it; or XML (a case
    document is never XML)."""
    head = text[:4096]
    return ('"resourceType"' in head and text.lstrip().startswith("{")) or looks_like_xml(text)


def _parse_and_assess_fhir(text: str, assessment_date: dt.date) -> dict[str, Any]:
    from nelm.interop.fhir.load import load_record_text

    bundle = load_record_text(text, source="the request body", max_bytes=max_bundle_bytes())
    if not isinstance(bundle, dict):
        raise InputRejected(
            [Problem("Bundle", "must be a JSON object (a FHIR R4 Bundle)", type(bundle).__name__)]
        )
    return assess_fhir(bundle, assessment_date=assessment_date)


async def _assess_fhir(request: Request, text: str, as_of: dt.date | None) -> Response:
    try:
        # Parsing a record of several MB takes a while: off the event loop, with the
        # mapping. The adapter supplies the date (the core reads no clock).
        doc = await run_in_threadpool(_parse_and_assess_fhir, text, as_of or dt.date.today())
    except InputRejected as exc:
        return operation_outcome(422, "The FHIR Bundle was rejected", exc.problems)
    return json_response(doc)


_OPERATION_OUTCOME = {
    "type": "object",
    "description": "A FHIR OperationOutcome: one issue per "
    "problem (severity, code, diagnostics, expression)",
}
_FHIR_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}},
            FHIR_JSON: {"schema": _OPERATION_OUTCOME},
        },
    }
    for code, description in (
        (400, "The body could not be parsed"),
        (413, "The body is over the size limit"),
        (422, "The case or the FHIR Bundle was rejected"),
    )
}


def _calendar_date(text: str | None, name: str) -> dt.date | None:
    """A real calendar date from YYYY-MM-DD text (never a number read as a timestamp:
    ``as_of=0`` is not 1970-01-01)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputRejected(
            [Problem(name, "a calendar date YYYY-MM-DD", describe_value(text))]
        ) from None


@router.post(
    "/assess",
    tags=["assess"],
    openapi_extra=_ASSESS_BODY,
    responses={**_ASSESSMENT_RESPONSE, **_FHIR_ERRORS},
    response_class=Response,
)
async def assess(
    request: Request,
    principal: UserDep,
    as_of: Annotated[
        str | None,
        Query(
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            examples=["2026-11-01"],
            description="Assessment date for a FHIR Bundle (ages, result dates), "
            "YYYY-MM-DD; default today.",
        ),
    ] = None,
) -> Response:
    """Assess one case document, or a FHIR R4 Bundle (sent as ``application/fhir+json``
    or as ``application/json``: a body with ``resourceType`` is a FHIR resource; or in
    FHIR's XML format, ``application/fhir+xml``) or one
    patient's FHIR NDJSON (``application/fhir+ndjson``), without storing anything
    (stateless). Errors about a Bundle are FHIR OperationOutcomes."""
    raw = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fhir_type = media in (FHIR_JSON, FHIR_NDJSON, *XML_MEDIA)
    try:
        text = decode_body(raw)
    except InputRejected as exc:
        if fhir_type:
            return operation_outcome(400, "The body is not UTF-8", exc.problems)
        raise
    is_fhir = fhir_type or _is_fhir(text)
    # Checked for a case document too, which has no use for it: a date that does not
    # exist (2026-02-30) is a client's mistake to name, not to pass over in silence.
    try:
        date = _calendar_date(as_of, "as_of")
    except InputRejected as exc:
        if is_fhir:
            return operation_outcome(422, "The as_of date was rejected", exc.problems)
        raise
    if is_fhir:
        return await _assess_fhir(request, text, date)
    # Validated once: the case read from the body is the one assessed (the stored-case
    # routes normalise first because they keep the document).
    # Interactive input, like the CLI and the form: an implausible value must be confirmed
    # (a FHIR Bundle cannot confirm, so it is assessed with the warning, above); it is
    # reported with the document's other problems, in one answer.
    case = case_from_mapping(case_document(raw, text), require_confirmation=True)
    return json_response(with_future_dates(assess_case(case).to_document(), case, dt.date.today()))
