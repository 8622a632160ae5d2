"""The case pages: the case form (new and edit, with inline errors and units), the
reports of a stored case and the evidence of one option.

Server-rendered Jinja2 templates with plain HTML forms, so every page works with the
keyboard and without JavaScript. Each form carries the session's CSRF token. Pages need a
login; without one they redirect to ``/login`` (``nelm.web.page_support``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nelm.case.document import confirm_how
from nelm.case.fields import FIELD_BY_PATH, FIELDS, OPTION_IDS
from nelm.case.merge import Refresh, merge_file_into_case
from nelm.case.plausibility import clinical_number, plausible_range
from nelm.errors import InputRejected, Problem
from nelm.knowledge.sources import ReferenceList
from nelm.report.changes import same_case
from nelm.report.view import (
    classification_rows,
    in_words,
)
from nelm.store import (
    ConflictError,
    NotFoundError,
    VersionConflictError,
)
from nelm.vocabulary import option_name, population_title
from nelm.web import evidence
from nelm.web.auth import check_csrf
from nelm.web.case_import import IMPORT_PATH, Imported, filled_form, read_upload
from nelm.web.cases import assess_stored, normalised_document
from nelm.web.conflicts import Conflict, describe_conflict, merge_three_way
from nelm.web.forms import (
    RECORD_WARNING_KEY,
    UNIT_CHOICES,
    document_from_form,
    form_fields,
    form_values,
)
from nelm.web.input_guard import UPDATE_SUFFIX
from nelm.web.page_support import (
    Id,
    PageUser,
    VersionQuery,
    check_can_write,
    choice_label,
    read_form,
    render,
    see_other,
    store_of,
)
from nelm.web.reports import build_report

__all__ = ["case_classification", "case_form_page", "new_case_page", "router"]

router = APIRouter(include_in_schema=False)


_PLAUSIBLE = {f.path: r for f in FIELDS if (r := plausible_range(f.path)) is not None}
"""The plausible range of every number of the form, bounds included (the confirm box)."""

_CONFIRM_IN_FORM = "or be confirmed as entered (the box under the field)"


_WRITE_FIELD = re.compile(r"\bwrite ([a-z]+\.[a-z0-9_]+): ([^\s,)]+)")
_AND_FIELD = re.compile(r" and ([a-z]+\.[a-z0-9_]+): ([^\s,)]+)")
_IN_A_DOCUMENT = re.compile(
    r"\bwrite ([^\s,]+), or in a case document \{\"value\": ([^,]+), \"unit\": \"([^\"]+)\"\}"
)


def _for_the_form(words: str) -> str:
    """A validation hint as a form user acts on it: "enter 2 in “Liver lesions (at least)”"
    rather than a document's "write liver.lesion_count_at_least: 2", and the unit chosen
    beside the field rather than a document's {"value", "unit"}."""
    words = _WRITE_FIELD.sub(r"enter \2 in “\1”", words)
    words = _AND_FIELD.sub(r" and \2 in “\1”", words)
    words = words.replace("leave it out, as null or an empty cell", "leave the box empty")
    words = words.replace("write the one", "enter the one").replace(
        ", or leave it out", ", or leave the box empty"
    )
    words = _IN_A_DOCUMENT.sub(r"enter \1, or enter \2 and choose \3 beside it", words)
    # what is left is typed into a box too: "write the number alone: 1" → "enter …"
    return re.sub(r"\bwrite (?=the number|it |\d)", "enter ", words)


def case_form_page(
    request: Request,
    *,
    title: str,
    action: str,
    values: Mapping[str, Any],
    problems: list[Problem] | None = None,
    case_pk: int | None = None,
    status: int = 200,
    base_version: int | None = None,
    conflict: Conflict | None = None,
    imported: Imported | None = None,
    import_failed: bool = False,
    refresh: Refresh | None = None,
) -> HTMLResponse:
    """The case form, new or edit; ``imported`` says which file filled it
    (``nelm.web.case_import``), ``import_failed`` that the file could not be read,
    ``refresh`` what the file changed in the stored case (``nelm.case.merge``)."""
    by_path: dict[str, list[str]] = {}
    general: list[str] = []
    confirmable: set[str] = set()
    for problem in problems or []:
        key = problem.path.split("[", 1)[0]
        if confirm_how(key) in problem.expected:
            # only an implausible value can be confirmed: not text, not one out of range
            confirmable.add(key)
        # the label stands beside the field (and before it in the list): no field path
        words = f"{problem.expected}, got {problem.got}" if problem.got else problem.expected
        # the confirm box stands under the field: no path to list in a document
        words = in_words(_for_the_form(words.replace(confirm_how(key), _CONFIRM_IN_FORM)))
        if key in FIELD_BY_PATH or key in ("case_id", "label"):
            by_path.setdefault(key, []).append(words)
        else:
            general.append(problem.message)
    return render(
        request,
        "case_form.html",
        status=status,
        title=title,
        action=action,
        groups=form_fields(),
        values=values,
        errors=by_path,
        general=general,
        problem_count=len(problems or []),
        case_pk=case_pk,
        units=UNIT_CHOICES,
        plausible=_PLAUSIBLE,
        confirmable=confirmable,
        number=clinical_number,
        base_version=base_version,
        conflict=conflict,
        imported=imported,
        import_failed=import_failed,
        import_action=IMPORT_PATH if case_pk is None else f"/cases/{case_pk}{UPDATE_SUFFIX}",
        refresh=refresh,
        dated_values=any(str(key).startswith("measured_on:") for key in values),
        sourced_values=any(str(key).startswith("source:") for key in values),
        today=dt.date.today().isoformat(),
    )


def _form_dict(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in form:
        items = form.getlist(key)
        spec = FIELD_BY_PATH.get(key)
        if (spec is not None and spec.kind.value == "choices") or key == RECORD_WARNING_KEY:
            values[key] = [str(i) for i in items]
        else:
            values[key] = str(items[-1]) if items else ""
    return values


def new_case_page(
    request: Request,
    values: Mapping[str, Any],
    problems: list[Problem] | None = None,
    status: int = 200,
    *,
    imported: Imported | None = None,
    import_failed: bool = False,
) -> HTMLResponse:
    """The new-case form: empty, shown again with its problems, or filled from a file."""
    return case_form_page(
        request,
        title="New case",
        action="/cases/new",
        values=values,
        problems=problems,
        status=status,
        imported=imported,
        import_failed=import_failed,
    )


@router.get("/cases/new")
def new_case_form(request: Request, principal: PageUser) -> Response:
    check_can_write(principal)
    return new_case_page(request, {})


@router.post("/cases/new")
async def create_case(request: Request, principal: PageUser) -> Response:
    check_can_write(principal)
    values = _form_dict(await read_form(request, principal))
    try:
        document = normalised_document(document_from_form(values))
        case = await run_in_threadpool(store_of(request).create_case, document, principal.user)
    except InputRejected as exc:
        return new_case_page(request, values, exc.problems, 422)
    except ConflictError as exc:
        return new_case_page(request, values, [Problem("case_id", str(exc), "")], 409)
    return see_other(f"/cases/{case.id}")


@router.post(IMPORT_PATH)
async def case_from_file(request: Request, principal: PageUser) -> Response:
    """Fill the new-case form from an uploaded file (``nelm.web.case_import``); nothing
    is stored."""
    check_can_write(principal)
    # the form is closed (its spooled file removed) however the request ends
    async with request.form() as form:
        sent = form.get("csrf_token")
        check_csrf(principal, sent if isinstance(sent, str) else None)
        try:
            values, imported, problems = await filled_form(form)
        except InputRejected as exc:
            return new_case_page(request, {}, exc.problems, 422, import_failed=True)
    return new_case_page(request, values, problems, imported=imported)


def _edit_title(case_id: str, current_version: int) -> str:
    return f"Edit case {case_id} (version {current_version + 1} will be stored)"


@router.get("/cases/{case_pk}/edit")
def edit_case_form(request: Request, case_pk: Id, principal: PageUser) -> Response:
    check_can_write(principal)
    case = store_of(request).get_case(case_pk)
    return case_form_page(
        request,
        title=_edit_title(case.case_id, case.current_version),
        action=f"/cases/{case_pk}/edit",
        values=form_values(case.document),
        case_pk=case_pk,
        base_version=case.current_version,
    )


@router.post("/cases/{case_pk}" + UPDATE_SUFFIX)
async def case_update_from_file(request: Request, case_pk: Id, principal: PageUser) -> Response:
    """Fill the edit form with the stored case and a newer file's values merged in
    (``nelm.case.merge``), the changes listed above it; nothing is stored."""
    check_can_write(principal)
    case = store_of(request).get_case(case_pk)
    case_id, version = case.case_id, case.current_version

    def edit_page(values: Mapping[str, Any], problems: list[Problem], **more: Any) -> Response:
        return case_form_page(
            request,
            title=_edit_title(case_id, version),
            action=f"/cases/{case_pk}/edit",
            values=values,
            problems=problems,
            case_pk=case_pk,
            base_version=version,
            **more,
        )

    async with request.form() as form:
        sent = form.get("csrf_token")
        check_csrf(principal, sent if isinstance(sent, str) else None)
        try:
            document, imported = await read_upload(form)
        except InputRejected as exc:
            return edit_page(
                form_values(case.document), exc.problems, status=422, import_failed=True
            )
    merged, refresh = merge_file_into_case(
        case.document,
        document,
        base_version=version,
        compare_case_id=imported.kind == "case document",
        result_dates=imported.result_dates,
    )
    problems: list[Problem] = []
    try:
        await run_in_threadpool(normalised_document, merged)
    except InputRejected as exc:
        problems = exc.problems  # shown beside their fields, as when the form is saved
    # an old result not taken is not among the results the form now uses
    imported = imported.without_results({c.path for c in refresh.older})
    return edit_page(form_values(merged), problems, imported=imported, refresh=refresh)


def _base_version(raw: Any) -> int | None:
    """The version the form was loaded from (absent in forms from before it was sent)."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= 2_147_483_647 else None


@router.post("/cases/{case_pk}/edit")
async def update_case(request: Request, case_pk: Id, principal: PageUser) -> Response:
    check_can_write(principal)
    values = _form_dict(await read_form(request, principal))
    base = _base_version(values.get("base_version"))
    store = store_of(request)
    case = store.get_case(case_pk)
    values["case_id"] = case.case_id  # the case id of a stored case does not change
    title = f"Edit case {case.case_id}"
    action = f"/cases/{case_pk}/edit"
    try:
        document = normalised_document(document_from_form(values))
        if base == case.current_version and same_case(document, case.document):
            # Saved as it was loaded: a version that changes nothing would only lengthen
            # the history the board reads.
            return see_other(f"/cases/{case_pk}?unchanged=1")
        await run_in_threadpool(
            store.update_case, case_pk, document, principal.user, expected_version=base
        )
    except InputRejected as exc:
        return case_form_page(
            request,
            title=title,
            action=action,
            values=values,
            problems=exc.problems,
            case_pk=case_pk,
            status=422,
            base_version=base,
        )
    except VersionConflictError as exc:
        assert base is not None
        current = exc.current
        started_from = store.case_version(case_pk, base).document
        # The form comes back merged: what only they changed is filled in from the version
        # now stored, so that saving it again cannot silently undo their change.
        merged = merge_three_way(started_from, current.document, document)
        conflict = describe_conflict(
            changed_by=exc.changed_by,
            base_version=base,
            current_version=current.current_version,
            stored_at=current.updated_at.strftime("%Y-%m-%d %H:%M UTC"),
            base=started_from,
            theirs=current.document,
            yours=document,
            merged=merged,
        )
        # Saving this form again stores the merged values on top of the version now shown.
        return case_form_page(
            request,
            title=title,
            action=action,
            values=form_values(merged.document),
            case_pk=case_pk,
            status=409,
            base_version=current.current_version,
            conflict=conflict,
        )
    return see_other(f"/cases/{case_pk}?saved=1")


def case_classification(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": row.title,
            "value": row.value,
            "explanation": row.explanation,
            "settle": list(row.settle),
        }
        for row in classification_rows(doc)
    ]


@router.get("/cases/{case_pk}/report.{fmt}")
def report(
    request: Request, case_pk: Id, fmt: str, principal: PageUser, version: VersionQuery = None
) -> Response:
    if fmt not in ("html", "pdf"):
        raise NotFoundError("Not found")
    body, media, name = build_report(
        request,
        case_pk,
        version,
        fmt,
        principal,
        with_evidence=request.query_params.get("evidence") == "1",
    )
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# --------------------------------------------------------------------------- evidence


@router.get("/cases/{case_pk}/evidence/{option_id}")
def evidence_page(request: Request, case_pk: Id, option_id: str, principal: PageUser) -> Response:
    store = store_of(request)
    case = store.get_case(case_pk)
    if option_id not in OPTION_IDS:
        raise NotFoundError(f"no option {option_id}")
    site = (case.document.get("primary") or {}).get("site")
    site = site if isinstance(site, str) else None
    available = evidence.available()
    # for a NEC, what the figures are series of (the assessment's evidence grade_note)
    output = assess_stored(store, case, case.document, case.current_version, principal.user)
    option = (output.output.get("options") or {}).get(option_id) or {}
    grade_note = (option.get("evidence") or {}).get("grade_note")
    return render(
        request,
        "evidence.html",
        title=f"Evidence: {option_name(option_id)}",
        option_title=option_name(option_id),
        case=case,
        option_id=option_id,
        ev=evidence.page(option_id, site) if available else {"records": []},
        site_words=choice_label("primary.site", site) if site else "",
        population_words=population_title,
        refs=ReferenceList(),
        unavailable="" if available else evidence.NOT_INSTALLED,
        grade_note=grade_note,
    )
