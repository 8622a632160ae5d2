"""Board meetings: create one, put cases on its agenda, present them one by one.

The presentation view walks the agenda in order; each case shows its one-screen summary
(:mod:`nelm.web.board_pages`), the question asked and who presents it, and the decision
form with the meeting and its attendees filled in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nelm.knowledge.loader import load_knowledge
from nelm.report.decisions import before_the_meeting, standing
from nelm.report.view import record_flags
from nelm.store import ConflictError, NotFoundError
from nelm.web.auth import Principal
from nelm.web.board_pages import present_page
from nelm.web.cases import assess_stored
from nelm.web.meeting_record import meeting_record
from nelm.web.page_support import (
    Id,
    PageUser,
    check_can_write,
    read_form,
    render,
    see_other,
    store_of,
)
from nelm.web.reports import print_document, print_pdf

__all__ = ["SPECIALTIES", "router"]

router = APIRouter(include_in_schema=False)

SPECIALTIES = (
    "Hepatobiliary surgery",
    "Transplant surgery",
    "Medical oncology",
    "Interventional radiology",
    "Diagnostic radiology",
    "Nuclear medicine",
    "Pathology",
    "Gastroenterology and hepatology",
    "Endocrinology",
    "Specialist nursing",
)
"""The specialties a NELM board brings together (001 Introduction and 004 §4 call for a
multidisciplinary board of surgeons, oncologists, radiologists, nuclear-medicine
physicians and pathologists)."""


def _lines(text: str, limit: int = 60) -> list[str]:
    return [line.strip()[:200] for line in text.splitlines() if line.strip()][:limit]


def _meeting_form(form: Any) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    held = str(form.get("held_on") or "").strip()
    held_on: date | None = None
    try:
        held_on = date.fromisoformat(held)
    except ValueError:
        errors.append(
            f"Date of the meeting: expected a date such as 2027-03-31, got {held[:30]!r}."
            if held
            else "Date of the meeting: required."
        )
    title = str(form.get("title") or "").strip()[:200] or "Neuroendocrine tumour board"
    specialties = [str(s)[:100] for s in form.getlist("specialties")][:30]
    extra = _lines(str(form.get("other_specialties") or ""), 20)
    return {
        "held_on": held_on,
        "title": title,
        "specialties": specialties + extra,
        "attendees": _lines(str(form.get("attendees") or "")),
    }, errors


@router.get("/meetings")
def meeting_list(request: Request, principal: PageUser) -> Response:
    return render(
        request,
        "meetings.html",
        title="Meetings",
        meetings=store_of(request).list_meetings(),
        specialties=SPECIALTIES,
        errors=[],
        values={"held_on": date.today().isoformat()},
    )


@router.post("/meetings")
async def create_meeting(request: Request, principal: PageUser) -> Response:
    check_can_write(principal)
    form = await read_form(request, principal)
    values, errors = _meeting_form(form)
    store = store_of(request)
    if errors:
        return render(
            request,
            "meetings.html",
            status=422,
            title="Meetings",
            meetings=store.list_meetings(),
            specialties=SPECIALTIES,
            errors=errors,
            values={
                **{k: str(form.get(k) or "") for k in form},
                "specialties": [str(s) for s in form.getlist("specialties")],
            },
        )
    meeting = store.create_meeting(user=principal.user, **values)
    return see_other(f"/meetings/{meeting.id}")


def _meeting_page(
    request: Request,
    meeting_id: int,
    principal: Principal,
    *,
    status: int = 200,
    errors: list[str] | None = None,
) -> Response:
    store = store_of(request)
    meeting = store.get_meeting(meeting_id)
    agenda = store.agenda(meeting_id)
    on_agenda = {item.case_pk for item in agenda}
    decisions = store.current_decisions([item.case_pk for item in agenda])
    cases = store.list_cases()
    # a decision taken on an earlier version than the case is at: nelm's status now
    standings = {}
    for case in cases:
        decision = decisions.get(case.id)
        if decision is not None:
            now = (
                assess_stored(store, case, case.document, case.current_version, principal.user)
                if decision.case_version != case.current_version
                else None
            )
            standings[case.id] = standing(
                decision, case.current_version, now.output if now else None
            )
    # a decision taken at another meeting names it; one recorded before the date of the
    # meeting it was taken at says so
    held = {m.id: m for m in store.list_meetings()}
    taken_at = {
        pk: held[d.meeting_id]
        for pk, d in decisions.items()
        if d.meeting_id is not None and d.meeting_id != meeting_id and d.meeting_id in held
    }
    early = {
        pk for pk, d in decisions.items() if before_the_meeting(d, held.get(d.meeting_id or 0))
    }
    candidates = [c for c in cases if c.id not in on_agenda]
    # a case whose record said the patient died, or holds no NET, is marked on the agenda
    record_said = {
        c.id: [flag.lower() for flag in record_flags({"inputs": c.document})]
        for c in cases
        if c.id in on_agenda
    }
    return render(
        request,
        "meeting.html",
        status=status,
        title=meeting.title,
        meeting=meeting,
        agenda=agenda,
        candidates=candidates,
        decisions=decisions,
        standings=standings,
        taken_at=taken_at,
        recorded_early=early,
        record_said=record_said,
        option_names={oid: spec.name for oid, spec in load_knowledge().options.items()},
        specialties=SPECIALTIES,
        errors=errors or [],
    )


@router.get("/meetings/{meeting_id}")
def meeting_view(request: Request, meeting_id: Id, principal: PageUser) -> Response:
    return _meeting_page(request, meeting_id, principal)


@router.get("/meetings/{meeting_id}/record.{fmt}")
def meeting_record_file(
    request: Request, meeting_id: Id, fmt: str, principal: PageUser
) -> Response:
    """The meeting record to print and file: the decisions case by case, then (as PDF)
    each case's board summary (``nelm.report.minutes``)."""
    if fmt not in ("html", "pdf"):
        raise NotFoundError("Not found")
    documents, stem = meeting_record(request, meeting_id, principal, with_summaries=fmt == "pdf")
    if fmt == "html":
        return print_document(documents[0])
    return print_pdf(documents, stem)


@router.post("/meetings/{meeting_id}")
async def update_meeting(request: Request, meeting_id: Id, principal: PageUser) -> Response:
    check_can_write(principal)
    form = await read_form(request, principal)
    values, errors = _meeting_form(form)
    if errors:  # a date mistyped while correcting it: the meeting is kept as it was
        return _meeting_page(request, meeting_id, principal, status=422, errors=errors)
    store_of(request).update_meeting(
        meeting_id,
        held_on=values["held_on"],
        title=values["title"],
        specialties=values["specialties"],
        attendees=values["attendees"],
        user=principal.user,
    )
    return see_other(f"/meetings/{meeting_id}")


@router.get("/meetings/{meeting_id}/agenda")
def agenda_address(meeting_id: Id, principal: PageUser) -> Response:
    """The address a refused agenda entry leaves in the browser: reloading it shows the
    meeting rather than "Method not allowed"."""
    return see_other(f"/meetings/{meeting_id}#agenda")


@router.post("/meetings/{meeting_id}/agenda")
async def add_to_agenda(request: Request, meeting_id: Id, principal: PageUser) -> Response:
    check_can_write(principal)
    form = await read_form(request, principal)
    sent = str(form.get("case_pk") or "")
    presenter = str(form.get("presenter") or "").strip()[:200]
    question = str(form.get("question") or "").strip()[:5000]
    errors = []
    if not sent.isdigit() or len(sent) > 9:
        errors.append("Case: choose a case to add.")
    if not question:
        errors.append("Question to the board: required (what should the board decide?).")
    if errors:
        return _meeting_page(request, meeting_id, principal, status=422, errors=errors)
    try:
        store_of(request).add_to_agenda(
            meeting_id, int(sent), presenter=presenter, question=question, user=principal.user
        )
    except ConflictError as exc:
        return _meeting_page(request, meeting_id, principal, status=409, errors=[f"Case: {exc}."])
    return see_other(f"/meetings/{meeting_id}#agenda")


@router.post("/meetings/{meeting_id}/agenda/{item_id}/remove")
async def remove_from_agenda(
    request: Request, meeting_id: Id, item_id: Id, principal: PageUser
) -> Response:
    check_can_write(principal)
    await read_form(request, principal)
    store_of(request).remove_from_agenda(meeting_id, item_id, principal.user)
    return see_other(f"/meetings/{meeting_id}#agenda")


@router.get("/meetings/{meeting_id}/present/{position}")
def present(request: Request, meeting_id: Id, position: Id, principal: PageUser) -> Response:
    return present_page(request, f"/meetings/{meeting_id}/present/{position}", principal)
