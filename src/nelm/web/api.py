"""The REST API, version 1, under ``/api/v1`` (described at ``/openapi.json``): stored
cases, their versions, assessments, decisions and reports. The service routes and the
stateless assessment are in :mod:`nelm.web.api_assess`.

Every route but ``/health`` needs a login: a bearer token (``Authorization: Bearer …``)
or the web application's session cookie (then ``X-CSRF-Token`` for writes). Case documents
are validated by ``nelm.case``; a rejected one gets 422 with one problem per field path.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from nelm.case.fields import OPTION_IDS
from nelm.errors import InputRejected, Problem, describe_value
from nelm.report.changes import input_changes
from nelm.report.decisions import follow_up_problem, today_utc
from nelm.report.view import field_label, format_value
from nelm.store import CaseRecord, Store, VersionConflictError
from nelm.web.api_body import CASE_BODY, case_body
from nelm.web.api_support import (
    MAX_ID,
    AdminDep,
    Id,
    UserDep,
    WriterDep,
    api_router,
    error_responses,
    json_response,
    store_of,
)
from nelm.web.errors import ApiError
from nelm.web.reports import assessment_of, build_report
from nelm.web.schemas import (
    AssessmentOut,
    CaseDetail,
    CaseSummary,
    DecisionIn,
    DecisionOut,
    DeletedCaseOut,
    VersionConflict,
    VersionDetail,
    VersionSummary,
)

__all__ = ["router"]


router = api_router()


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
    openapi_extra=CASE_BODY,
    responses=error_responses(409),
)
async def create_case(request: Request, response: Response, principal: WriterDep) -> dict[str, Any]:
    """Store a new case (version 1). 409 when its ``case_id`` is in use."""
    document = await case_body(request)
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
    openapi_extra=CASE_BODY,
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
    document = await case_body(request)
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
    return json_response(record.as_dict())


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
    return json_response(record.as_dict())


@router.get(
    "/cases/{case_pk}/assessments",
    response_model=list[AssessmentOut],
    tags=["assessments"],
    responses=error_responses(404),
)
def list_assessments(request: Request, case_pk: Id, principal: UserDep) -> Response:
    return json_response([a.as_dict() for a in store_of(request).list_assessments(case_pk)])


@router.get(
    "/cases/{case_pk}/assessments/{assessment_id}",
    response_model=AssessmentOut,
    tags=["assessments"],
    responses=error_responses(404),
)
def get_assessment(
    request: Request, case_pk: Id, assessment_id: Id, principal: UserDep
) -> Response:
    return json_response(store_of(request).get_assessment(case_pk, assessment_id).as_dict())


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
