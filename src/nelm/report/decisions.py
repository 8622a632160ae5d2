"""A board decision read against the case as it is now, and the rules a decision's dates
follow.

A decision is taken on one case version. When the case has changed since, every place
that shows the decision in force says so: the version it was taken on, the version the
case is at now, and nelm's status now of each option chosen (it may have become
ineligible). A follow-up date is on or after the day the decision is recorded; a decision
recorded before the date of the meeting it names is marked so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from nelm.errors import Problem
from nelm.report.board import STATUS_WORDS

__all__ = [
    "Standing",
    "before_the_meeting",
    "follow_up_problem",
    "standing",
    "today_utc",
]


def today_utc() -> date:
    """The day a decision recorded now is dated (``decided_at`` is UTC, printed as such)."""
    return datetime.now(UTC).date()


def follow_up_problem(follow_up: date | None, decided_on: date) -> Problem | None:
    """A follow-up date before the decision's own date, as a problem of ``follow_up_on``;
    else None."""
    if follow_up is None or follow_up >= decided_on:
        return None
    return Problem(
        "follow_up_on",
        f"a date on or after the decision's date ({decided_on.isoformat()})",
        follow_up.isoformat(),
    )


def before_the_meeting(decision: Any, meeting: Any) -> bool:
    """True when ``decision`` was recorded (UTC date) before the date of ``meeting``, the
    meeting it names: the record says so."""
    if decision is None or meeting is None or decision.meeting_id != getattr(meeting, "id", None):
        return False
    return bool(decision.decided_at.astimezone(UTC).date() < meeting.held_on)


@dataclass(frozen=True, slots=True)
class Standing:
    """A decision against the case now."""

    decided_on: int
    """The case version the decision was taken on."""
    current: int
    """The case's current version."""
    now: tuple[tuple[str, str, str], ...] = ()
    """Each option chosen: (option id, name, nelm's status now), when the case changed."""

    @property
    def changed(self) -> bool:
        return self.current != self.decided_on

    @property
    def now_words(self) -> str:
        """nelm's status now of each option chosen: "ineligible", or with several
        "Curative-intent liver resection: ineligible; TACE: eligible"."""
        if len(self.now) == 1:
            return STATUS_WORDS.get(self.now[0][2], self.now[0][2]).lower()
        return "; ".join(f"{name}: {STATUS_WORDS.get(s, s).lower()}" for _, name, s in self.now)

    @property
    def words(self) -> str:
        """ "decided on version 1; the case has changed since (version 3); nelm now:
        ineligible", or "decided on version 3, the current one"."""
        if not self.changed:
            return f"decided on version {self.decided_on}, the current one"
        said = (
            f"decided on version {self.decided_on}; the case has changed since "
            f"(version {self.current})"
        )
        return f"{said}; nelm now: {self.now_words}" if self.now else said

    def status_now(self, option: str) -> str | None:
        return next((s for oid, _, s in self.now if oid == option), None)


def standing(
    decision: Any, current_version: int, current_output: Mapping[str, Any] | None
) -> Standing | None:
    """``decision`` (``nelm.store.DecisionRecord``) against the case at
    ``current_version``, whose assessment is ``current_output`` (nelm's status now of the
    options chosen; None when not at hand)."""
    if decision is None:
        return None
    options = (current_output or {}).get("options") or {}
    now: list[tuple[str, str, str]] = []
    if decision.case_version != current_version:
        for oid in decision.options:
            found = options.get(oid)
            if isinstance(found, Mapping):
                now.append((oid, str(found.get("name") or oid), str(found.get("status"))))
    return Standing(decision.case_version, current_version, tuple(now))
