"""FHIR dates and dateTimes as time spans, and ages from (possibly partial) birth dates.

A FHIR ``date``/``dateTime`` may be partial (``2024``, ``2024-03``): it then stands for
the whole year or month. :class:`When` keeps that span, so "later than" is only claimed
when one span ends before the other starts, never by guessing a day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["When", "add_months", "age_range", "parse_when", "when_of"]

_PATTERN = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@dataclass(frozen=True, slots=True)
class When:
    """A point or span in time (UTC), and the first calendar day it names."""

    start: dt.datetime
    end: dt.datetime
    first_day: dt.date

    def after(self, other: When) -> bool:
        """True when all of this span lies after all of ``other``."""
        return self.start > other.end


def parse_when(text: Any) -> When | None:
    """Parse a FHIR date, dateTime or instant; None when absent or not understood."""
    if not isinstance(text, str):
        return None
    match = _PATTERN.match(text.strip())
    if not match:
        return None
    year = int(match["y"])
    try:
        if match["m"] is None:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif match["d"] is None:
            month = int(match["m"])
            first = dt.date(year, month, 1)
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = dt.date(year, int(match["m"]), int(match["d"]))
            if match["time"] is not None:
                stamp = dt.datetime.fromisoformat(f"{first.isoformat()}T{match['time']}").replace(
                    tzinfo=_zone(match["tz"])
                )
                moment = stamp.astimezone(dt.UTC)
                return When(moment, moment, first)
    except ValueError:
        return None
    start = dt.datetime.combine(first, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(last, dt.time.max, tzinfo=dt.UTC)
    return When(start, end, first)


def _zone(text: str | None) -> dt.tzinfo:
    if text is None or text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def when_of(resource: Mapping[str, Any], *elements: str) -> When | None:
    """The first parseable time among ``elements`` (``fooDateTime``, ``fooPeriod``…)."""
    for name in elements:
        value = resource.get(name)
        if isinstance(value, Mapping):  # a Period: its start, else its end
            value = value.get("start") or value.get("end")
        found = parse_when(value)
        if found is not None:
            return found
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _completed_years(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_range(birth_date: str, on: dt.date) -> tuple[int, int] | None:
    """Youngest and oldest possible age in completed years on ``on`` (partial dates widen)."""
    span = parse_when(birth_date)
    if span is None or "T" in birth_date:
        return None
    earliest = span.first_day
    latest = span.end.date()
    return _completed_years(latest, on), _completed_years(earliest, on)
