"""The case list: search by case id or label, filters, pagination on the server.

Filters: a meeting's agenda, an option's status, whether a decision is recorded, whether
data are missing that would decide an option. Columns: the first plan step and the
latest decision in force (with the version it was taken on and nelm's status now of its
options when the case has changed since). Filters on the assessment read the stored
assessment of each case's current version (computed once and stored, like the case page
does).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nelm.case.fields import OPTION_IDS
from nelm.knowledge.loader import load_knowledge
from nelm.report.board import INTENT_TITLES
from nelm.report.decisions import standing
from nelm.report.html import STATUS_TEXT
from nelm.report.view import record_flags
from nelm.store import CaseRecord
from nelm.web.cases import assess_stored
from nelm.web.page_support import PageUser, render, store_of

__all__ = ["PAGE_SIZE", "router"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
STATUSES = ("eligible", "uncertain", "ineligible")


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else default


def _first_step(doc: dict[str, Any]) -> str:
    """The plan's first step with nelm's status of its options, so that an option still
    uncertain on the data given does not read as one nelm found eligible: "Curative
    (uncertain): A or B"; each option's own status when they differ."""
    plan = doc.get("plan") or []
    if not plan:
        return "no option open"
    step = plan[0]
    statuses = {
        o: str((step.get("statuses") or {}).get(o, doc["options"][o]["status"]))
        for o in step["options"]
    }
    names = [str(doc["options"][o].get("name") or o) for o in step["options"]]
    intent = step.get("title") or INTENT_TITLES.get(step["intent"], step["intent"])
    if len(set(statuses.values())) == 1:
        (status,) = set(statuses.values())
        every = "all " if len(names) > 1 else ""
        return f"{intent} ({every}{_status_word(status)}): {' or '.join(names)}"
    pairs = zip(step["options"], names, strict=True)
    named = [f"{name} ({_status_word(statuses[o])})" for o, name in pairs]
    return f"{intent}: {' or '.join(named)}"


def _status_word(status: str) -> str:
    return STATUS_TEXT.get(status, status).lower()


@router.get("/")
def case_list(request: Request, principal: PageUser) -> Response:
    params = request.query_params
    query = (params.get("q") or "").strip()[:100]
    meeting = _int(params.get("meeting"), 0)
    option = params.get("option") or ""
    option = option if option in OPTION_IDS else ""
    status = params.get("status") or ""
    status = status if status in STATUSES else ""
    decided = params.get("decided") if params.get("decided") in ("yes", "no") else ""
    needs_data = params.get("needs_data") == "yes"
    page = max(1, _int(params.get("page"), 1))

    store = store_of(request)
    cases: list[CaseRecord] = store.list_cases()
    if query:
        needle = query.casefold()
        cases = [
            c
            for c in cases
            if needle in c.case_id.casefold() or needle in (c.label or "").casefold()
        ]
    if meeting:
        on_agenda = store.cases_on_meeting(meeting)
        cases = [c for c in cases if c.id in on_agenda]
    decisions = store.current_decisions()
    if decided:
        cases = [c for c in cases if (c.id in decisions) == (decided == "yes")]
    assessed: dict[int, dict[str, Any]] = {}

    def output(case: CaseRecord) -> dict[str, Any]:
        if case.id not in assessed:
            assessed[case.id] = assess_stored(
                store, case, case.document, case.current_version, principal.user
            ).output
        return assessed[case.id]

    if option and status:
        cases = [c for c in cases if output(c)["options"][option]["status"] == status]
    if needs_data:
        cases = [c for c in cases if output(c).get("missing_data")]
    total = len(cases)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = cases[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = []
    for case in shown:
        doc = output(case)
        names = {oid: str(o.get("name") or oid) for oid, o in doc["options"].items()}
        decision = decisions.get(case.id)
        rows.append(
            {
                "case": case,
                "first_step": _first_step(doc),
                "decision": decision,
                "decision_names": [names.get(o, o) for o in decision.options] if decision else [],
                # taken on an earlier version: nelm's status now of the options chosen
                "standing": standing(decision, case.current_version, doc),
                "record_said": [flag.lower() for flag in record_flags(doc)],
            }
        )
    kept = {
        k: v
        for k, v in {
            "q": query,
            "meeting": meeting or "",
            "option": option,
            "status": status,
            "decided": decided,
            "needs_data": "yes" if needs_data else "",
        }.items()
        if v
    }
    option_names = {oid: spec.name for oid, spec in load_knowledge().options.items()}
    return render(
        request,
        "cases.html",
        title="Cases",
        deleted=params.get("deleted") == "1",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=kept,
        meetings=store.list_meetings(),
        option_ids=OPTION_IDS,
        option_names=option_names,
        statuses=STATUSES,
        page_url=lambda n: "/?" + urlencode({**kept, "page": n}),
    )
