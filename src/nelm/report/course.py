"""The disease course when the course stated and the case's timeline disagree.

A stated ``course.status`` wins over the one its timeline's latest finding gives
(docs/case-v1-additions.md, "A typed value is kept"), and the months of stable disease the
timeline gives are still read. Shown side by side, "progressing · stable for ≥ 1.6 months"
reads as if nelm held both; the board must see which one nelm assessed and which scan says
otherwise, as one conflict to settle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nelm.case.timeline import read_timeline

__all__ = ["CourseConflict", "course_conflict"]


@dataclass(frozen=True, slots=True)
class CourseConflict:
    stated: str
    """The course as stated, the one assessed."""
    timeline_says: str
    """What the timeline's latest finding says instead, in words, with its date."""

    @property
    def stated_text(self) -> str:
        return f"{self.stated.replace('_', ' ')} (as stated; nelm assesses this)"

    @property
    def to_settle(self) -> str:
        return f"to settle: {self.timeline_says}; check which is current"


def course_conflict(inputs: Mapping[str, Any]) -> CourseConflict | None:
    """The stated course and the timeline's, when they disagree; else None. ``inputs``: the
    case document as the assessment gives it back (its timeline, not the values derived)."""
    course = inputs.get("course")
    stated = course.get("status") if isinstance(course, Mapping) else None
    timeline = inputs.get("timeline")
    if not isinstance(stated, str) or not isinstance(timeline, Mapping):
        return None
    read = read_timeline(dict(timeline))
    derived = read.values.get("course.status")
    if read.problems or derived is None or derived == stated:
        return None
    if stated == "rapidly_progressing" and derived == "progressing":
        return None  # a rapid progression is a progression; the dates cannot tell the rate
    on = f" ({read.latest_finding_on})" if read.latest_finding_on else ""
    if derived == "progressing":
        return CourseConflict(stated, f"the timeline's latest finding{on} is a progression")
    months = read.values.get("course.months_stable_at_least")
    spell = f", stable for ≥ {months:g} months" if isinstance(months, int | float) else ""
    return CourseConflict(
        stated, f"the timeline's latest finding{on} is stable disease or a response{spell}"
    )
