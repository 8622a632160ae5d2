"""The case page (the case on one screen), the version diff and the board's decisions.

The case page is built from :func:`nelm.report.board.board_view`, the same view the
printed board summary and the meeting's presentation use. A decision is recorded with
its status, attendees, follow-up date and, for an option nelm marks ineligible, the
board's reason; amending or superseding stores a new decision and keeps the old one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nelm.case.fields import OPTION_IDS
from nelm.report.board import board_view
from nelm.report.changes import input_changes, status_changes
from nelm.report.decisions import before_the_meeting, follow_up_problem, standing, today_utc
from nelm.report.view import field_label, format_value, input_rows
from nelm.store import (
    DECISION_CHANGES,
    DECISION_STATUSES,
    CaseRecord,
    NotFoundError,
    Store,
)
from nelm.web import evidence
from nelm.web.auth import Principal
from nelm.web.cases import assess_stored
from nelm.web.errors import ApiError
from nelm.web.page_support import (
    Id,
    PageUser,
    VersionQuery,
    check_can_write,
    read_form,
    render,
    safe_next,
    see_other,
    store_of,
)
from nelm.web.pages import case_classification
from nelm.web.reports import case_meeting, print_document, print_pdf, summary_document

__all__ = ["case_page", "present_page", "router"]

router = APIRouter(include_in_schema=False)

MAX_ATTENDEES = 60


def _document(store: Store, case: CaseRecord, version: int) -> dict[str, Any]:
    return (
        case.document
        if version == case.current_version
        else store.case_version(case.id, version).document
    )


def changes_between(
    store: Store, case: CaseRecord, older: int, newer: int, principal: Principal
) -> dict[str, Any]:
    """Input and status changes from version ``older`` to ``newer`` of a case."""
    doc_a, doc_b = _document(store, case, older), _document(store, case, newer)
    out_a = assess_stored(store, case, doc_a, older, principal.user).output
    out_b = assess_stored(store, case, doc_b, newer, principal.user).output
    return {
        "inputs": input_changes(doc_a, doc_b, label=field_label, show=format_value),
        "statuses": status_changes(out_a, out_b),
    }


def case_page(
    request: Request,
    case_pk: int,
    principal: Principal,
    *,
    version: int | None = None,
    template: str = "case.html",
    status: int = 200,
    form_values: Mapping[str, Any] | None = None,
    form_errors: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The one-screen case page (or the meeting's presentation of it)."""
    store = store_of(request)
    case = store.get_case(case_pk)
    chosen = version or case.current_version
    record = assess_stored(store, case, _document(store, case, chosen), chosen, principal.user)
    store.audit(principal.user, "read", case.case_id, f"page version {chosen}")
    doc = record.output
    view = board_view(doc, field_label=field_label)
    decisions = store.list_decisions(case_pk)
    current = [d for d in decisions if d.current]
    agenda = store.agenda_of_case(case_pk)
    meetings = store.list_meetings()
    titles = {m.id: f"{m.held_on.strftime('%d %b %Y')} {m.title}" for m in meetings}
    # a decision in force taken on an earlier version: nelm's status now of its options
    now = doc if chosen == case.current_version else None
    if now is None and any(d.case_version != case.current_version for d in current):
        now = assess_stored(store, case, case.document, case.current_version, principal.user).output
    standings = {d.id: standing(d, case.current_version, now) for d in current}
    by_id = {m.id: m for m in meetings}
    early = {d.id for d in decisions if before_the_meeting(d, by_id.get(d.meeting_id or 0))}
    # the meeting the case is presented at: the one the board summary names too
    item = extra.pop("item", None) or case_meeting(store, case_pk)[0]
    changes = None
    unchanged = request.query_params.get("unchanged") == "1"
    if request.query_params.get("saved") == "1" and chosen > 1:
        changes = changes_between(store, case, chosen - 1, chosen, principal)
    values = dict(form_values or {})
    if "attendees" not in values and item is not None:
        meeting = next((m for m in meetings if m.id == item.meeting_id), None)
        values["attendees"] = "\n".join(meeting.attendees) if meeting else ""
        values.setdefault("meeting_id", str(item.meeting_id))
    return render(
        request,
        template,
        status=status,
        title=f"Case {case.case_id}",
        case=case,
        unchanged=unchanged,
        version=chosen,
        versions=store.case_versions(case_pk),
        doc=doc,
        record=record,
        view=view,
        refs=view.references,
        inputs=input_rows(
            doc.get("inputs") or {},
            (doc.get("classification") or {}).get("from_timeline") or (),
            (doc.get("classification") or {}).get("set_aside") or (),
        ),
        option_names={o.id: o.name for o in view.options},
        decisions=decisions,
        latest=current[-1] if current else None,
        standings=standings,
        recorded_early=early,
        agenda=agenda,
        meetings=meetings,
        meeting_titles=titles,
        question=item.question if item else "",
        presenter=item.presenter if item else "",
        item=item,
        classification=case_classification(doc),
        evidence_available=evidence.available(),
        decided=request.query_params.get("decided") == "1",
        restored=request.query_params.get("restored") == "1",
        changes=changes,
        form_values=values,
        form_errors=form_errors or {},
        **extra,
    )


@router.get("/cases/{case_pk}")
def case_view(
    request: Request, case_pk: Id, principal: PageUser, version: VersionQuery = None
) -> Response:
    return case_page(request, case_pk, principal, version=version)


@router.get("/cases/{case_pk}/diff")
def case_diff(
    request: Request,
    case_pk: Id,
    principal: PageUser,
    from_: int = Query(alias="from", ge=1, le=2_147_483_647),
    to: int = Query(ge=1, le=2_147_483_647),
) -> Response:
    store = store_of(request)
    case = store.get_case(case_pk)
    if from_ > case.current_version or to > case.current_version:
        raise NotFoundError(f"case {case.case_id} has {case.current_version} versions")
    changes = changes_between(store, case, from_, to, principal)
    return render(
        request,
        "diff.html",
        title=f"Case {case.case_id}: version {from_} → {to}",
        case=case,
        a=from_,
        b=to,
        changes=changes,
        versions=store.case_versions(case_pk),
    )


# --------------------------------------------------------------------------- decisions


def _parse_decision(
    form: FormData, statuses: Mapping[str, str], names: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The decision form as values for the store, and the problems in words by the id of
    the field each concerns (the page ties each to its field and links to it)."""
    errors: dict[str, str] = {}
    options = list(dict.fromkeys(str(o) for o in form.getlist("options")))
    unknown = [o for o in options if o not in OPTION_IDS]
    if unknown:
        raise ApiError(422, f"Unknown option {unknown[0][:40]!r}.")
    text = str(form.get("text") or "").strip()[:20000]
    status = str(form.get("status") or "provisional")
    if status not in DECISION_STATUSES:
        errors["d-status"] = f"Status: choose provisional or final (got {status[:20]!r})."
    attendees = [
        line.strip()[:200] for line in str(form.get("attendees") or "").splitlines() if line.strip()
    ]
    if len(attendees) > MAX_ATTENDEES:
        errors["d-attendees"] = (
            f"Attendees present: at most {MAX_ATTENDEES} names, got {len(attendees)}."
        )
    follow = str(form.get("follow_up_on") or "").strip()
    follow_up: date | None = None
    if follow:
        try:
            follow_up = date.fromisoformat(follow)
        except ValueError:
            errors["d-follow"] = (
                f"Follow-up date: expected a date such as 2027-03-31, got {follow[:30]!r}."
            )
        else:
            # the decision is dated the day it is recorded
            wrong = follow_up_problem(follow_up, today_utc())
            if wrong:
                errors["d-follow"] = f"Follow-up date: expected {wrong.expected}, got {wrong.got}."
    reasons: dict[str, str] = {}
    for oid in options:
        if statuses.get(oid) == "ineligible":
            why = str(form.get(f"reason-{oid}") or "").strip()[:2000]
            if why:
                reasons[oid] = why
            else:
                errors[f"why-{oid}"] = (
                    f"Reason for choosing {names.get(oid, oid)}: nelm marks it "
                    "ineligible, so the board's reason is required."
                )
    if not options and not text:
        errors["decision-text"] = "Choose at least one option or write the board's decision."
    meeting = str(form.get("meeting_id") or "")
    replaces = str(form.get("replaces_id") or "")
    change = str(form.get("change") or "") or None
    if change is not None and change not in DECISION_CHANGES:
        raise ApiError(422, "A change is an amendment or a supersession.")
    values = {
        "options": options,
        "text": text,
        "status": status,
        "attendees": attendees,
        "follow_up_on": follow_up,
        "override_reasons": reasons,
        "option_statuses": {o: statuses[o] for o in options if o in statuses},
        "meeting_id": int(meeting) if meeting.isdigit() and len(meeting) < 10 else None,
        "replaces_id": int(replaces) if replaces.isdigit() and len(replaces) < 10 else None,
        "change": change,
    }
    return values, errors


def _echo(form: FormData) -> dict[str, Any]:
    """The submitted form, to show it again after a problem."""
    values: dict[str, Any] = {k: str(form.get(k) or "") for k in form if k != "options"}
    values["options"] = [str(o) for o in form.getlist("options")]
    return values


def _stale_decision(
    request: Request,
    case: CaseRecord,
    version: int,
    form: FormData,
    principal: Principal,
    back: str,
) -> Response:
    """409: the decision form was opened on ``version`` and the case has a newer one.
    Nothing is stored; the form comes back on the current version with the choices kept,
    what changed, and nelm's status then and now of each option ticked."""
    store = store_of(request)
    then = assess_stored(store, case, _document(store, case, version), version, principal.user)
    now = assess_stored(store, case, case.document, case.current_version, principal.user)
    newer = store.case_version(case.id, case.current_version)
    ticked = [o for o in dict.fromkeys(str(o) for o in form.getlist("options")) if o in OPTION_IDS]

    def status(output: Mapping[str, Any], oid: str) -> str:
        return str(((output.get("options") or {}).get(oid) or {}).get("status") or "")

    options = [
        {
            "id": oid,
            "name": str((now.output["options"].get(oid) or {}).get("name") or oid),
            "then": status(then.output, oid),
            "now": status(now.output, oid),
        }
        for oid in ticked
    ]
    stale = {
        "opened_on": version,
        "current": case.current_version,
        "stored_by": newer.created_by,
        "stored_at": newer.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        "inputs": changes_between(store, case, version, case.current_version, principal)["inputs"],
        "options": options,
    }
    values = {k: v for k, v in _echo(form).items() if k not in ("case_version", "assessment_id")}
    if back.startswith("/meetings/"):
        return present_page(
            request, back, principal, status=409, form_values=values, decision_stale=stale
        )
    return case_page(
        request, case.id, principal, status=409, form_values=values, decision_stale=stale
    )


@router.get("/cases/{case_pk}/decisions")
def decisions_address(case_pk: Id, principal: PageUser) -> Response:
    """The address a refused decision leaves in the browser: reloading it (a GET) shows
    the case's decisions rather than "Method not allowed"."""
    return see_other(f"/cases/{case_pk}#decisions")


@router.post("/cases/{case_pk}/decisions")
async def record_decision(request: Request, case_pk: Id, principal: PageUser) -> Response:
    check_can_write(principal)
    form = await read_form(request, principal)
    store = store_of(request)
    case = store.get_case(case_pk)
    sent_version = str(form.get("case_version") or "")
    version = (
        int(sent_version)
        if sent_version.isdigit() and len(sent_version) < 10
        else (case.current_version)
    )
    back = safe_next(str(form.get("back") or "")) if form.get("back") else ""
    if version < case.current_version:
        # the form was opened on a version replaced since: a decision is taken on the case
        # as it is now, where an option may have become ineligible (and need a reason)
        return _stale_decision(request, case, version, form, principal, back)
    record = assess_stored(store, case, _document(store, case, version), version, principal.user)
    options = record.output["options"]
    statuses = {oid: str(o["status"]) for oid, o in options.items()}
    names = {oid: str(o.get("name") or oid) for oid, o in options.items()}
    values, errors = _parse_decision(form, statuses, names)
    if errors:
        if back.startswith("/meetings/"):
            return present_page(
                request, back, principal, status=422, form_values=_echo(form), form_errors=errors
            )
        return case_page(
            request,
            case_pk,
            principal,
            version=version,
            status=422,
            form_values=_echo(form),
            form_errors=errors,
        )
    assessment = str(form.get("assessment_id") or "")[:9]
    await run_in_threadpool(
        store.record_decision,
        case_pk,
        case_version=version,
        user=principal.user,
        assessment_id=int(assessment) if assessment.isdigit() else None,
        **values,
    )
    if back:
        return see_other(f"{back}?decided=1#decisions")
    return see_other(f"/cases/{case_pk}?version={version}&decided=1#decisions")


@router.get("/cases/{case_pk}/decisions/{decision_id}/change")
def change_decision_form(
    request: Request,
    case_pk: Id,
    decision_id: Id,
    principal: PageUser,
    kind: str = "amendment",
    back: str = "",
) -> Response:
    check_can_write(principal)
    if kind not in DECISION_CHANGES:
        raise ApiError(422, "kind: expected amendment or supersession.")
    store = store_of(request)
    old = next((d for d in store.list_decisions(case_pk) if d.id == decision_id), None)
    if old is None:
        raise NotFoundError(f"case {case_pk} has no decision {decision_id}")
    if not old.current:
        raise ApiError(
            409,
            f"Decision #{decision_id} was already replaced by decision "
            f"#{old.replaced_by}; change that one instead.",
        )
    values: dict[str, Any] = {
        "replaces_id": str(old.id),
        "change": kind,
        "options": list(old.options),
        "text": old.text if kind == "amendment" else "",
        "status": old.status,
        "attendees": "\n".join(old.attendees),
        "follow_up_on": old.follow_up_on.isoformat() if old.follow_up_on else "",
        "meeting_id": str(old.meeting_id or ""),
        **{f"reason-{o}": r for o, r in (old.override_reasons or {}).items()},
    }
    return case_page(  # on the case as it is now: a decision is taken on the current version
        request,
        case_pk,
        principal,
        template="decision_change.html",
        form_values=values,
        old=old,
        kind=kind,
        back=safe_next(back) if back else "",
    )


# --------------------------------------------------------------------------- board summary


@router.get("/cases/{case_pk}/summary.{fmt}")
def board_summary(
    request: Request, case_pk: Id, fmt: str, principal: PageUser, version: VersionQuery = None
) -> Response:
    """The one- or two-page board summary, as PDF (or HTML to look at)."""
    if fmt not in ("html", "pdf"):
        raise NotFoundError("Not found")
    html, stem = summary_document(request, case_pk, principal, version)
    if fmt == "html":
        return print_document(html)
    return print_pdf([html], stem)


# --------------------------------------------------------------------------- knowledge


@router.get("/knowledge/changes")
def knowledge_change_page(request: Request, principal: PageUser) -> Response:
    """The stored cases whose conclusions change under the installed knowledge base."""
    from nelm.web.knowledge_changes import knowledge_changes

    current, found = knowledge_changes(store_of(request))
    return render(
        request,
        "knowledge_changes.html",
        title="Knowledge base changes",
        current=current,
        found=found,
    )


# --------------------------------------------------------------------------- meetings


def present_page(request: Request, path: str, principal: Principal, **kwargs: Any) -> Response:
    """The presentation of agenda position ``/meetings/{id}/present/{position}``."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[3].isdigit():
        raise ApiError(404, "Not found")
    meeting_id, position = int(parts[1]), int(parts[3])
    store = store_of(request)
    meeting = store.get_meeting(meeting_id)
    agenda = store.agenda(meeting_id)
    index = next((i for i, a in enumerate(agenda) if a.position == position), None)
    if index is None:
        raise NotFoundError(f"meeting {meeting_id} has no agenda position {position}")
    item = agenda[index]
    values = dict(kwargs.pop("form_values", None) or {})
    values.setdefault("attendees", "\n".join(meeting.attendees))
    values.setdefault("meeting_id", str(meeting_id))
    return case_page(
        request,
        item.case_pk,
        principal,
        template="present.html",
        item=item,
        meeting=meeting,
        index=index,
        agenda_items=agenda,
        previous=agenda[index - 1] if index > 0 else None,
        following=agenda[index + 1] if index + 1 < len(agenda) else None,
        back=f"/meetings/{meeting_id}/present/{position}",
        form_values=values,
        **kwargs,
    )
