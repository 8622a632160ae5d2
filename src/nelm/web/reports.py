"""A stored case's assessment and its printable report, for the API and the pages alike."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from nelm.report.decisions import before_the_meeting, standing, today_utc
from nelm.store import (
    AgendaItemRecord,
    AssessmentRecord,
    CaseRecord,
    DecisionRecord,
    MeetingRecord,
    Store,
    UserRecord,
)
from nelm.web import evidence
from nelm.web.auth import Principal
from nelm.web.cases import assess_stored
from nelm.web.errors import ApiError

__all__ = [
    "assessment_of",
    "build_report",
    "case_meeting",
    "current_output",
    "meeting_of",
    "print_document",
    "print_pdf",
    "summary_document",
    "where_taken",
]


_STYLE = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>", re.S)
_NO_SOURCE = "'none'"


def print_document(html: str) -> Response:
    """A printable document (board summary, meeting record) to look at in the browser. Its
    look is an inline style sheet, which the pages' policy (style sheets from the
    application only) would block; this answer allows that style sheet alone, by its hash,
    and nothing else: no script, no fetch, no form."""
    styles = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in _STYLE.findall(html)
    )
    policy = (
        f"default-src 'none'; style-src {styles or _NO_SOURCE}; img-src data:; "
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    )
    return Response(
        html, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": policy}
    )


def print_pdf(documents: list[str], stem: str) -> Response:
    """Printable documents laid out as one PDF, shown inline as ``{stem}.pdf``; a 503 saying
    what to install when WeasyPrint is missing."""
    from nelm.report.pdf import PdfUnavailableError, html_to_pdf

    try:
        pdf = html_to_pdf(*documents)
    except PdfUnavailableError as exc:
        raise ApiError(503, str(exc)) from exc
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{stem}.pdf"'},
    )


def _store(request: Request) -> Store:
    store = request.app.state.store
    assert isinstance(store, Store)
    return store


def assessment_of(
    request: Request, case_pk: int, version: int | None, principal: Principal
) -> tuple[CaseRecord, AssessmentRecord]:
    """The assessment of a stored case version (the current one by default)."""
    store = _store(request)
    case = store.get_case(case_pk)
    chosen = version or case.current_version
    document = (
        case.document
        if chosen == case.current_version
        else store.case_version(case_pk, chosen).document
    )
    return case, assess_stored(store, case, document, chosen, principal.user)


def current_output(
    store: Store, case: CaseRecord, record: AssessmentRecord, user: UserRecord | None
) -> dict[str, Any]:
    """The assessment of the case's current version: ``record``'s when it is that one."""
    if record.case_version == case.current_version:
        return record.output
    return assess_stored(store, case, case.document, case.current_version, user).output


def case_meeting(
    store: Store, case_pk: int, today: date | None = None
) -> tuple[AgendaItemRecord | None, MeetingRecord | None]:
    """The meeting a case is presented at, as its page and its board summary name it (one
    rule for both): of the meetings whose agenda holds the case, the first held today
    (UTC) or later, else the one held last; its agenda entry gives the question to the
    board and the presenter. (None, None) when no agenda holds the case."""
    agenda = store.agenda_of_case(case_pk)
    if not agenda:
        return None, None
    held = {m: store.get_meeting(m) for m in {a.meeting_id for a in agenda}}
    day = today or today_utc()

    def when(item: AgendaItemRecord) -> tuple[date, int, int]:
        return (held[item.meeting_id].held_on, item.meeting_id, item.position)

    coming = sorted((a for a in agenda if held[a.meeting_id].held_on >= day), key=when)
    item = coming[0] if coming else max(agenda, key=when)
    return item, held[item.meeting_id]


def meeting_of(store: Store, decision: DecisionRecord | None) -> MeetingRecord | None:
    """The meeting a decision was taken at, if any."""
    if decision is None or decision.meeting_id is None:
        return None
    return store.get_meeting(decision.meeting_id)


def where_taken(store: Store, decision: DecisionRecord) -> str:
    """Where a decision was taken, in words: "at the meeting of 20 November 2026 (NET
    board)", or "outside a meeting"."""
    meeting = meeting_of(store, decision)
    if meeting is None:
        return "outside a meeting"
    return f"at the meeting of {meeting.held_on.strftime('%d %B %Y')} ({meeting.title})"


def _summary_html(
    store: Store, case: CaseRecord, record: AssessmentRecord, user: UserRecord | None
) -> str:
    """The board summary of one stored assessment: the meeting the case is presented at
    and the question put to it (:func:`case_meeting`; with no agenda entry, the meeting of
    the decision in force), and the current decision against the case now, with where it
    was taken when that is not the meeting named."""
    from nelm.report.summary import render_summary_html

    current = [d for d in store.list_decisions(case.id) if d.current]
    decision = current[-1] if current else None
    now = (
        current_output(store, case, record, user)
        if decision is not None and decision.case_version != case.current_version
        else None
    )
    item, meeting = case_meeting(store, case.id)
    taken_at = meeting_of(store, decision)
    if meeting is None:
        meeting = taken_at
    elsewhere = decision is not None and decision.meeting_id != (meeting.id if meeting else None)
    return render_summary_html(
        record.output,
        decision=decision,
        meeting=meeting,
        question=item.question if item else "",
        presenter=item.presenter if item else "",
        case_version=record.case_version,
        decision_where=where_taken(store, decision) if decision and elsewhere else "",
        standing=standing(decision, case.current_version, now),
        recorded_early=before_the_meeting(decision, taken_at),
    )


def summary_document(
    request: Request, case_pk: int, principal: Principal, version: int | None
) -> tuple[str, str]:
    """The board summary of a case as HTML, and the file stem. Audited as an export."""
    store = _store(request)
    case, record = assessment_of(request, case_pk, version, principal)
    html = _summary_html(store, case, record, principal.user)
    store.audit(principal.user, "export", case.case_id, f"summary version {record.case_version}")
    return html, f"nelm-summary-{case_pk}-v{record.case_version}"


def build_report(
    request: Request,
    case_pk: int,
    version: int | None,
    fmt: str,
    principal: Principal,
    *,
    with_evidence: bool = False,
) -> tuple[bytes, str, str]:
    """The report of a stored case: (bytes, media type, file name). Audited as export. The
    PDF is the board summary, then the assessment; the evidence tables are an appendix only
    when asked for."""
    from nelm.report.html import evidence_for_report, render_html

    store = _store(request)
    case, record = assessment_of(request, case_pk, version, principal)
    doc: Any = record.output
    decisions = [
        d.as_dict() for d in store.list_decisions(case_pk) if d.case_version == record.case_version
    ]
    attach = with_evidence and evidence.available()
    html = render_html(
        doc,
        evidence=evidence_for_report(doc) if attach else {},
        decisions=decisions,
        case_version=record.case_version,
    )
    store.audit(principal.user, "export", case.case_id, f"{fmt} version {record.case_version}")
    stem = f"nelm-case-{case_pk}-v{record.case_version}"
    if fmt == "pdf":
        from nelm.report.pdf import PdfUnavailableError, html_to_pdf

        try:
            pdf = html_to_pdf(_summary_html(store, case, record, principal.user), html)
            return pdf, "application/pdf", f"{stem}.pdf"
        except PdfUnavailableError as exc:
            raise ApiError(503, str(exc)) from exc
    return html.encode("utf-8"), "text/html; charset=utf-8", f"{stem}.html"
