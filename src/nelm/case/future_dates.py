"""A case's own dates later than the day it is assessed on: a slip of the year, as a rule.

Every event of the timeline falls on or before ``timeline.as_of`` (``nelm.case.timeline``),
so a date in the future shows in ``as_of``; a result's date (``measured_on``) is checked
beside it. A case dated ahead counts its months into the future: a primary resected in
September and an ``as_of`` typed a year late give 14 months since resection, and the
transplant criteria's waiting times pass (001 Table 2). Nothing here reads a clock: the
adapter that assesses gives today's date (the CLI, the API, the board's pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from nelm.case.document import Case
from nelm.case.fields import FIELD_BY_PATH

__all__ = ["future_date_warning", "future_dates"]


def _day(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        return None


def future_dates(case: Case, today: dt.date) -> list[tuple[str, dt.date]]:
    """(path, date) of each date of the case later than ``today``: ``timeline.as_of`` and
    the dates of the results (``measured_on``, by the field they gave)."""
    found: list[tuple[str, dt.date]] = []
    timeline: Mapping[str, Any] = case.timeline or {}
    as_of = _day(timeline.get("as_of"))
    if as_of is not None and as_of > today:
        found.append(("timeline.as_of", as_of))
    for path, raw in case.measured_on.items():
        day = _day(raw)
        if day is not None and day > today:
            found.append((f"measured_on.{path}", day))
    return found


def future_date_warning(case: Case, today: dt.date) -> dict[str, Any] | None:
    """The assessment-v1 ``input_warnings`` entry (kind ``future_date``) for the dates
    ``future_dates`` finds, or None."""
    found = future_dates(case, today)
    if not found:
        return None
    named = "; ".join(f"{_label(path)} {day.isoformat()}" for path, day in found)
    counted = (
        " The months counted to the case's date (since the primary's resection, of stable "
        "disease) run into the future."
        if found[0][0] == "timeline.as_of"
        else ""
    )
    return {
        "kind": "future_date",
        "fields": [path for path, _ in found],
        "today": today.isoformat(),
        "message": (
            f"DATE IN THE FUTURE: {named}, after today ({today.isoformat()}).{counted} "
            "Check the year."
        ),
        "fix": "check the year",
    }


def _label(path: str) -> str:
    if path == "timeline.as_of":
        return "the case's date (timeline.as_of)"
    field = path.removeprefix("measured_on.")
    spec = FIELD_BY_PATH.get(field)
    return f"the date of the result {spec.label if spec else field} ({path})"
