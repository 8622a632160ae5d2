"""The meeting record: what a tumour board decided, case by case, on one printed page.

After a board the coordinator files what was decided and sends it to the referring
teams: the meeting (date, specialties, who was present), then for each case on the agenda
in the order presented the question put to the board, who presented it and the decision
taken at this meeting — its status, the options chosen with nelm's status beside each,
the board's reason for an option nelm marks ineligible, the decision's text and the
follow-up — or that none was taken (and the decision in force from another meeting, if
any). A decision amended or superseded since is marked so, since the page may be read
long after; one taken on a case version since changed says so, with nelm's status now of
each option chosen; one recorded before the date of the meeting it was taken at says
so. What a case's record said about any assessment of it (``record_warnings``: a death,
no neuroendocrine diagnosis) stands in red beside the case. The tumour board prints it
before each case's board summary (``nelm.report.summary``): at the case version decided
on at this meeting, else at the current version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nelm.report.board import STATUS_WORDS
from nelm.report.summary import BODY_CSS, PHONE_CSS, PHONE_MEDIA, PRINT_TEMPLATES, page_css

__all__ = ["MinutesEntry", "render_minutes_html"]

_CSS = (
    page_css("nelm · tumour-board meeting record", "string(meeting)", "Meeting record")
    + BODY_CSS
    + """
.meeting { string-set: meeting content(); }
td.pos { width: 6mm; text-align: right; }
td.case { width: 34mm; }
td.asked { width: 52mm; }
.none { color: #444; font-style: italic; }
.flag { color: #a00; font-weight: bold; }
td.said { border-top: none; }
"""
)


@dataclass(frozen=True)
class MinutesEntry:
    """One case on the agenda, as the meeting record shows it."""

    position: int
    """Its place in the order presented, from 1."""
    case_id: str
    label: str | None
    question: str
    presenter: str
    decision: Any = None
    """The decision taken at this meeting (``nelm.store.DecisionRecord``), the latest
    recorded there when there are several, or None."""
    replaced_by: Any = None
    """The decision that amended or superseded this meeting's since, or None."""
    replaced_where: str = ""
    """Where that was decided ("the meeting of …", "outside a meeting")."""
    in_force_elsewhere: Any = None
    """With no decision here: the decision in force taken elsewhere, or None."""
    elsewhere_where: str = ""
    option_names: Mapping[str, str] = field(default_factory=dict)
    standing: Any = None
    """The decision shown (here, else in force elsewhere) against the case now
    (``nelm.report.decisions.Standing``)."""
    recorded_early: bool = False
    """The decision shown was recorded before the date of the meeting it was taken at
    (this one, or the other meeting that ``elsewhere_where`` names)."""
    record_warnings: Sequence[str] = ()
    record_flags: Sequence[str] = ()
    """The headlines of ``record_warnings`` ("DECEASED"), beside the case id."""


def render_minutes_html(
    meeting: Any,
    entries: Sequence[MinutesEntry],
    *,
    with_summaries: bool = False,
    generated_at: datetime | None = None,
) -> str:
    """The meeting record of ``meeting`` (``nelm.store.MeetingRecord``) as a self-contained
    HTML document for print; ``with_summaries``: it says that the cases' board summaries
    follow it (the PDF)."""
    when = (generated_at or datetime.now(UTC)).astimezone(UTC)
    decided = [e for e in entries if e.decision is not None]
    return PRINT_TEMPLATES.get_template("minutes.html").render(
        meeting=meeting,
        entries=entries,
        decided=len(decided),
        provisional=sum(1 for e in decided if e.decision.status == "provisional"),
        css=_CSS,
        phone_css=PHONE_CSS + "#minutes td.pos { text-align: left; }\n",
        phone_media=PHONE_MEDIA,
        with_summaries=with_summaries,
        generated=when.strftime("%d %B %Y %H:%M UTC"),
        status_words=STATUS_WORDS,
    )
