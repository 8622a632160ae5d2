"""The REST API, version 1, under ``/api/v1`` (described at ``/openapi.json``).

Every route but ``/health`` needs a login: a bearer token (``Authorization: Bearer …``)
or the web application's session cookie (then ``X-CSRF-Token`` for writes). Case documents
are validated by ``nelm.case``; a rejected one gets 422 with one problem per field path.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from nelm.case.document import case_from_mapping, load_document_text
from nelm.case.fields import OPTION_IDS
from nelm.errors import InputRejected, Problem, describe_value
from nelm.interop.fhir.size import max_bundle_bytes
from nelm.interop.fhir.xml_record import looks_like_xml
from nelm.report.changes import input_changes
from nelm.report.decisions import follow_up_problem, today_utc
from nelm.report.view import field_label, format_value
from nelm.service import CASE_MAX_BYTES, assess_case, assess_fhir, with_future_dates
from nelm.store import CaseRecord, Store, VersionConflictError
from nelm.text import UTF16_BOMS, is_utf16_without_mark
from nelm.web.api_support import (
    MAX_ID,
    AdminDep,
    Id,
    UserDep,
    WriterDep,
    api_router,
    error_responses,
    store_of,
)
from nelm.web.cases import knowledge_version, normalised_document
from nelm.web.errors import ApiError, is_database_down, operation_outcome
from nelm.web.input_guard import XML_MEDIA
from nelm.web.reports import assessment_of, build_report
from nelm.web.schemas import (
    ASSESSMENT_SCHEMA,
    CASE_SCHEMA,
    AssessmentOut,
    CaseDetail,
    CaseSummary,
    DecisionIn,
    DecisionOut,
    DeletedCaseOut,
    Health,
    UserOut,
    VersionConflict,
    VersionDetail,
    VersionSummary,
)

__all__ = ["router"]


router = api_router()


_CASE_BODY = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": CASE_SCHEMA}}}
}
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


def _json(content: Any, status: int = 200) -> Response:
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is part of the web extra
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    else:
        body = orjson.dumps(content)
    return Response(body, status_code=status, media_type="application/json")


async def _case_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    return normalised_document(_case_document(raw, _decode(raw)))


def _case_document(raw: bytes, text: str) -> Any:
    """The body parsed as a case document (JSON), not yet validated."""
    # The edge lets FHIR records through up to their own (larger) limit; a case document
    # stays within 1 MB.
    if len(raw) > CASE_MAX_BYTES:
        raise ApiError(
            413,
            f"A case document is at most 1 MB ({CASE_MAX_BYTES:,} bytes); "
            f"this one is {len(raw):,} bytes.",
        )
    if not text.lstrip().startswith("{"):
        raise InputRejected(
            [
                Problem(
                    "",
                    "a JSON object (a case-v1 document)",
                    "something else" if text.strip() else "an empty body",
                )
            ]
        )
    return load_document_text(text, source="the request body")


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


def _decode(raw: bytes) -> str:
    # UTF-8 only: JSON between systems must be UTF-8 (RFC 8259 §8.1). A person's file,
    # which a Windows tool may have saved as UTF-16, is read by the file pages and the CLI.
    if raw.startswith(UTF16_BOMS) or is_utf16_without_mark(raw):
        # ASCII text in UTF-16 without its mark is valid UTF-8 (with a NUL every other
        # byte): name the encoding rather than the JSON error it would give
        raise InputRejected([Problem("", "UTF-8 JSON", "UTF-16 text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRejected([Problem("", "UTF-8 JSON", "bytes that are not UTF-8")]) from None


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
    return _json(doc)


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
        text = _decode(raw)
    except InputRejected as exc:
        if fhir_type:
            return operation_outcome(400, "The body is not UTF-8", exc.problems)
        raise
    if fhir_type or _is_fhir(text):
        try:
            date = _calendar_date(as_of, "as_of")
        except InputRejected as exc:
            return operation_outcome(422, "The as_of date was rejected", exc.problems)
        return await _assess_fhir(request, text, date)
    # Validated once: the case read from the body is the one assessed (the stored-case
    # routes normalise first because they keep the document).
    # Interactive input, like the CLI and the form: an implausible value must be confirmed
    # (a FHIR Bundle cannot confirm, so it is assessed with the warning, above); it is
    # reported with the document's other problems, in one answer.
    case = case_from_mapping(_case_document(raw, text), require_confirmation=True)
    return _json(with_future_dates(assess_case(case).to_document(), case, dt.date.today()))


# --------------------------------------------------------------------------- cases


@router.get("/cases", response_model=list[CaseSummary], tags=["cases"])
def list_cases(request: Request, principal: UserDep) -> list[dict[str, Any]]:
    return [c.summary() for c in store_of(request).list_cases()]


def _detail(case: Any) -> dict[str, Any]:
    return {**case.summary(), "document": case.document}


def etag(case: CaseRecord) -> str:
    """The case's entity tag: its version number, a strong tag (RFC 9110 §8.8.3)."""
    return f'"{case.current_version}"'


def _if_match(request: Request) -> int | None:
    """The version an ``If-Match`` header names (None when absent or ``*``).

    One strong entity tag as sent in ``ETag`` (``"3"``), or ``*`` (any current version).
    """
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    tag = raw.strip()
    if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
        version = int(tag[1:-1])
        if 1 <= version <= MAX_ID:
            return version
    raise ApiError(
        400,
        "The If-Match header must be the ETag of the case as read "
        '(one strong entity tag such as "3") or *.',
        [Problem("If-Match", 'an entity tag such as "3", or *', describe_value(raw[:40]))],
    )


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseDetail,
    tags=["cases"],
    openapi_extra=_CASE_BODY,
    responses=error_responses(409),
)
async def create_case(request: Request, response: Response, principal: WriterDep) -> dict[str, Any]:
    """Store a new case (version 1). 409 when its ``case_id`` is in use."""
    document = await _case_body(request)
    case = await run_in_threadpool(store_of(request).create_case, document, principal.user)
    response.headers["ETag"] = etag(case)
    return _detail(case)


@router.get(
    "/cases/{case_pk}", response_model=CaseDetail, tags=["cases"], responses=error_responses(404)
)
def get_case(
    request: Request, response: Response, case_pk: Id, principal: UserDep
) -> dict[str, Any]:
    """The case at its current version; ``ETag`` names that version (send it back in
    ``If-Match`` when updating)."""
    store = store_of(request)
    case = store.get_case(case_pk)
    store.audit(principal.user, "read", case.case_id, "api")
    response.headers["ETag"] = etag(case)
    return _detail(case)


_PRECONDITION: dict[int | str, dict[str, Any]] = {
    412: {
        "model": VersionConflict,
        "description": "If-Match named a version that is no "
        "longer current: nothing was stored; the body holds the case as it is now",
    }
}


@router.put(
    "/cases/{case_pk}",
    response_model=CaseDetail,
    tags=["cases"],
    openapi_extra=_CASE_BODY,
    responses={**error_responses(404, 409), **_PRECONDITION},
)
async def update_case(
    request: Request, response: Response, case_pk: Id, principal: WriterDep
) -> Any:
    """Store the document as the case's next version (the case id cannot change).

    Send ``If-Match`` with the ``ETag`` of the version you edited: when someone else has
    stored a version since, the answer is 412 with the current case (merge, then send
    again with its ETag) and nothing is stored. Without ``If-Match`` concurrent updates
    are stored one after the other, each as its own version.
    """
    expected = _if_match(request)
    document = await _case_body(request)
    try:
        case = await run_in_threadpool(
            store_of(request).update_case,
            case_pk,
            document,
            principal.user,
            expected_version=expected,
        )
    except VersionConflictError as exc:
        return _conflict(store_of(request), exc)
    response.headers["ETag"] = etag(case)
    return _detail(case)


_DELETE_PRECONDITION: dict[int | str, dict[str, Any]] = {
    412: {
        "model": VersionConflict,
        "description": "If-Match named a version that is no longer current: nothing was "
        "deleted; the body holds the case as it is now",
    }
}


def _conflict(store: Store, exc: VersionConflictError) -> JSONResponse:
    """412 with the case as it is now and what changed since the version the client
    named (docs/api.md, "Concurrent edits")."""
    current = exc.current
    changed: list[dict[str, str]] = []
    if exc.expected_version < current.current_version:
        started = store.case_version(current.id, exc.expected_version).document
        changed = [
            {"field": c.path, "label": c.label, "before": c.before, "after": c.after}
            for c in input_changes(started, current.document, label=field_label, show=format_value)
        ]
    body = {
        "detail": str(exc),
        "problems": [],
        "current_version": current.current_version,
        "changed_by": exc.changed_by,
        "current": _detail(current),
        "changed_since": changed,
    }
    return JSONResponse(body, status_code=412, headers={"ETag": etag(current)})


@router.delete(
    "/cases/{case_pk}",
    status_code=204,
    tags=["cases"],
    responses={**error_responses(404), **_DELETE_PRECONDITION},
    response_class=Response,
)
def delete_case(request: Request, case_pk: Id, principal: WriterDep) -> Response:
    """Remove a case from the list (its history is kept; an administrator can restore it).

    Send ``If-Match`` with the ``ETag`` of the version you read: when someone has stored a
    version since, the answer is 412 with the current case and nothing is deleted.
    Without ``If-Match`` the case is deleted whatever its version.
    """
    expected = _if_match(request)
    try:
        store_of(request).delete_case(case_pk, principal.user, expected_version=expected)
    except VersionConflictError as exc:
        return _conflict(store_of(request), exc)
    return Response(status_code=204)


@router.get("/deleted-cases", response_model=list[DeletedCaseOut], tags=["cases"])
def list_deleted_cases(request: Request, principal: AdminDep) -> list[dict[str, Any]]:
    """The deleted cases, the latest deletion first: who deleted each and when (admin)."""
    return [c.summary() for c in store_of(request).list_deleted_cases()]


@router.post(
    "/deleted-cases/{case_pk}/restore",
    response_model=CaseDetail,
    tags=["cases"],
    responses=error_responses(404, 409),
)
def restore_case(
    request: Request, response: Response, case_pk: Id, principal: AdminDep
) -> dict[str, Any]:
    """Bring a deleted case back with all its versions, decisions and meeting entries
    (admin). 409, and nothing changes, when its case id has been given to another case
    since."""
    case = store_of(request).restore_case(case_pk, principal.user)
    response.headers["ETag"] = etag(case)
    return _detail(case)


@router.get(
    "/cases/{case_pk}/versions",
    response_model=list[VersionSummary],
    tags=["cases"],
    responses=error_responses(404),
)
def list_versions(request: Request, case_pk: Id, principal: UserDep) -> list[dict[str, Any]]:
    return [v.summary() for v in store_of(request).case_versions(case_pk)]


@router.get(
    "/cases/{case_pk}/versions/{version}",
    response_model=VersionDetail,
    tags=["cases"],
    responses=error_responses(404),
)
def get_version(request: Request, case_pk: Id, version: Id, principal: UserDep) -> dict[str, Any]:
    store = store_of(request)
    found = store.case_version(case_pk, version)
    case = store.get_case(case_pk)
    store.audit(principal.user, "read", case.case_id, f"api version {version}")
    return {**found.summary(), "document": found.document}


# --------------------------------------------------------------------------- assessments


VersionQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Case version (default: current)")
]


@router.post(
    "/cases/{case_pk}/assessments",
    response_model=AssessmentOut,
    tags=["assessments"],
    responses=error_responses(404),
)
def create_assessment(
    request: Request, case_pk: Id, principal: WriterDep, version: VersionQuery = None
) -> Response:
    """Assess a stored case version; reuses a stored result of the same input and knowledge."""
    _, record = assessment_of(request, case_pk, version, principal)
    return _json(record.as_dict())


@router.get(
    "/cases/{case_pk}/assessment",
    response_model=AssessmentOut,
    tags=["assessments"],
    responses=error_responses(404),
)
def current_assessment(
    request: Request, case_pk: Id, principal: UserDep, version: VersionQuery = None
) -> Response:
    """The assessment of the current (or the given) version, computed once and stored."""
    _, record = assessment_of(request, case_pk, version, principal)
    return _json(record.as_dict())


@router.get(
    "/cases/{case_pk}/assessments",
    response_model=list[AssessmentOut],
    tags=["assessments"],
    responses=error_responses(404),
)
def list_assessments(request: Request, case_pk: Id, principal: UserDep) -> Response:
    return _json([a.as_dict() for a in store_of(request).list_assessments(case_pk)])


@router.get(
    "/cases/{case_pk}/assessments/{assessment_id}",
    response_model=AssessmentOut,
    tags=["assessments"],
    responses=error_responses(404),
)
def get_assessment(
    request: Request, case_pk: Id, assessment_id: Id, principal: UserDep
) -> Response:
    return _json(store_of(request).get_assessment(case_pk, assessment_id).as_dict())


# --------------------------------------------------------------------------- decisions


def check_options(options: list[str]) -> None:
    problems = [
        Problem(f"options.{i}", "an option id of assessment-v1 (e.g. liver_resection)", repr(o))
        for i, o in enumerate(options)
        if o not in OPTION_IDS
    ]
    if problems:
        raise InputRejected(problems)


@router.post(
    "/cases/{case_pk}/decisions",
    status_code=201,
    response_model=DecisionOut,
    tags=["decisions"],
    responses=error_responses(404, 409),
)
def record_decision(
    request: Request, case_pk: Id, body: DecisionIn, principal: WriterDep
) -> dict[str, Any]:
    """Record the tumour board's decision: chosen options and its words.

    A decision is taken on the case's current version: a ``case_version`` replaced since
    is refused (409, nothing stored), since an option may have changed status there."""
    check_options(body.options)
    store = store_of(request)
    case = store.get_case(case_pk)
    if body.case_version is not None and body.case_version < case.current_version:
        newer = store.case_version(case_pk, case.current_version)
        by = f" by {newer.created_by}" if newer.created_by else ""
        raise ApiError(
            409,
            f"case {case.case_id!r} is at version {case.current_version} (stored{by} at "
            f"{newer.created_at.strftime('%Y-%m-%d %H:%M UTC')}); the decision names version "
            f"{body.case_version}, replaced since. Nothing was stored: a decision is taken "
            "on the case as it is now. Check nelm's status of the options chosen on "
            f"version {case.current_version}, then send it again with that case_version.",
        )
    version = body.case_version or case.current_version
    _, record = assessment_of(request, case_pk, version, principal)
    options = list(dict.fromkeys(body.options))
    statuses = {o: str(record.output["options"][o]["status"]) for o in options}
    problems = [
        Problem(
            f"override_reasons.{o}",
            "the board's reason for choosing an option nelm marks ineligible",
            "nothing",
        )
        for o in options
        if statuses[o] == "ineligible" and not body.override_reasons.get(o, "").strip()
    ]
    problems += [
        Problem(f"override_reasons.{o}", "a chosen option nelm marks ineligible", repr(o))
        for o in body.override_reasons
        if statuses.get(o) != "ineligible"
    ]
    late = follow_up_problem(body.follow_up_on, today_utc())  # dated the day it is recorded
    if late:
        problems.append(late)
    if (body.replaces_id is None) != (body.change is None):
        problems.append(
            Problem(
                "change", "amendment or supersession together with replaces_id", repr(body.change)
            )
        )
    if problems:
        raise InputRejected(problems)
    decision = store.record_decision(
        case_pk,
        case_version=version,
        options=options,
        text=body.text,
        user=principal.user,
        assessment_id=body.assessment_id,
        status=body.status,
        attendees=body.attendees,
        meeting_id=body.meeting_id,
        follow_up_on=body.follow_up_on,
        option_statuses=statuses,
        override_reasons=body.override_reasons,
        replaces_id=body.replaces_id,
        change=body.change,
    )
    return decision.as_dict()


@router.get(
    "/cases/{case_pk}/decisions",
    response_model=list[DecisionOut],
    tags=["decisions"],
    responses=error_responses(404),
)
def list_decisions(request: Request, case_pk: Id, principal: UserDep) -> list[dict[str, Any]]:
    return [d.as_dict() for d in store_of(request).list_decisions(case_pk)]


# --------------------------------------------------------------------------- reports


@router.get(
    "/cases/{case_pk}/report",
    tags=["reports"],
    response_class=Response,
    responses={
        **error_responses(404),
        200: {"description": "The report", "content": {"text/html": {}, "application/pdf": {}}},
    },
)
def report(
    request: Request,
    case_pk: Id,
    principal: UserDep,
    format: Annotated[Literal["html", "pdf"], Query()] = "html",
    version: VersionQuery = None,
    evidence: Annotated[bool, Query(description="Append the evidence tables")] = False,
) -> Response:
    """The printable report (self-contained HTML, or PDF) of a stored case version."""
    body, media, name = build_report(
        request, case_pk, version, format, principal, with_evidence=evidence
    )
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
