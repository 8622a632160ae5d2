"""The meeting record of a stored meeting (``nelm.report.minutes``), with each case's
board summary after it for the PDF.

For each case on the agenda: the decision taken at this meeting (the latest recorded
there), what replaced it since if anything, or — none taken here — the decision in force
and where it was taken, each with the date it was recorded; the assessment of the case
version decided on at this meeting, else of the current version (never the version of a
decision taken elsewhere: the board met on the case as it is now), and — the case
changed since the decision shown — the version it is at now and nelm's status now of each
option chosen. A decision recorded before the date of its own meeting (this one, or the
other meeting it was taken at) says so. Every case shown is audited as an export.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from nelm.report.decisions import before_the_meeting, standing
from nelm.store import Store
from nelm.web.auth import Principal
from nelm.web.reports import assessment_of, current_output, meeting_of, where_taken

__all__ = ["meeting_record"]


def meeting_record(
    request: Request, meeting_id: int, principal: Principal, *, with_summaries: bool
) -> tuple[list[str], str]:
    """The meeting record as HTML and, ``with_summaries``, each case's board summary after
    it; the file stem."""
    from nelm.report.minutes import MinutesEntry, render_minutes_html
    from nelm.report.summary import render_summary_html
    from nelm.report.view import record_flags, record_warnings

    store: Store = request.app.state.store
    meeting = store.get_meeting(meeting_id)
    entries: list[MinutesEntry] = []
    summaries: list[str] = []
    for position, item in enumerate(store.agenda(meeting_id), start=1):
        decisions = store.list_decisions(item.case_pk)
        by_id = {d.id: d for d in decisions}
        here = [d for d in decisions if d.meeting_id == meeting_id]
        decision = here[-1] if here else None
        in_force = [d for d in decisions if d.current]
        elsewhere = in_force[-1] if decision is None and in_force else None
        replacement = by_id.get(decision.replaced_by) if decision and decision.replaced_by else None
        shown = decision or elsewhere
        # the version decided on here; with no decision here, the case as it is now
        case, record = assessment_of(
            request, item.case_pk, decision.case_version if decision else None, principal
        )
        doc: Any = record.output
        # the decision against the case now: changed since, nelm's status now
        now = current_output(store, case, record, principal.user) if shown else None
        against_now = standing(shown, case.current_version, now)
        early = before_the_meeting(shown, meeting_of(store, shown))
        names = {oid: str(o.get("name") or oid) for oid, o in (doc.get("options") or {}).items()}
        entries.append(
            MinutesEntry(
                position=position,
                case_id=case.case_id,
                label=case.label,
                question=item.question,
                presenter=item.presenter,
                decision=decision,
                replaced_by=replacement,
                replaced_where=where_taken(store, replacement) if replacement else "",
                in_force_elsewhere=elsewhere,
                elsewhere_where=where_taken(store, elsewhere) if elsewhere else "",
                option_names=names,
                standing=against_now,
                recorded_early=early,
                record_warnings=record_warnings(doc),
                record_flags=record_flags(doc),
            )
        )
        if with_summaries:
            summaries.append(
                render_summary_html(
                    doc,
                    decision=shown,
                    meeting=meeting,
                    question=item.question,
                    presenter=item.presenter,
                    case_version=record.case_version,
                    decision_where=where_taken(store, elsewhere) if elsewhere else "",
                    standing=against_now,
                    recorded_early=early,
                )
            )
        store.audit(
            principal.user,
            "export",
            case.case_id,
            f"meeting record {meeting_id} version {record.case_version}",
        )
    front = render_minutes_html(meeting, entries, with_summaries=with_summaries)
    return [front, *summaries], f"nelm-meeting-{meeting_id}-{meeting.held_on.isoformat()}"
