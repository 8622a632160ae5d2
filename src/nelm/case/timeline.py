"""The case's timeline: dated events from which some course fields follow.

A report often gives dates rather than the numbers case-v1 asks for. The optional top-level
``timeline`` holds them::

    timeline:
      as_of: 2026-11-01              # the date the case describes (required with a timeline)
      diagnosis: 2019-03-01
      primary_resection: 2019-05-10
      treatments:                    # each line of treatment
        - {treatment: ssa, start: 2019-06-01, stop: 2020-01-10,
           best_response: stable_disease, progression: 2020-01-05}
      scans:                         # key scans and what they showed
        - {date: 2020-01-05, finding: progression}
        - {date: 2026-10-20, finding: stable}

Derived from it (only when the typed field is absent; a typed value that disagrees is kept and
the disagreement reported):

* ``primary.resected`` true and ``primary.months_since_primary_resection`` from the date of the
  primary resection to ``as_of``;
* ``course.progressed_on_ssa`` true when a progression falls within a somatostatin-analogue line
  (never false: a timeline may be incomplete);
* ``course.months_stable``: 0 when the latest dated finding is a progression; otherwise a lower
  bound (``course.months_stable_at_least``) from the latest progression — or, with none
  recorded, the first scan — to the latest scan showing stable disease or a response;
* ``course.prior_treatments``: the treatments of its lines (each started by ``as_of``);
* ``course.status``: ``progressing`` when the latest dated finding is a progression (a typed
  ``rapidly_progressing`` agrees with it), ``stable`` when it is stable disease or a response.

Months are completed calendar months, and the tenths of the next month completed, rounded
down: 1 February to 1 August is 6.0 months in every year, a day less 5.9 (a month counted
as 365.25 / 12 days made the same six calendar months 5.9 in a common year and 6.0 in a
leap year, either side of the "at least 6 months" of 001 Table 2). Pure: no clock is read;
``as_of`` is the case's own date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nelm.case.fields import PRIOR_TREATMENTS
from nelm.case.synonyms import choice_named_by, settling_hint
from nelm.errors import Problem, describe_value

__all__ = ["RESPONSES", "TimelineFacts", "TimelineValue", "read_timeline"]

RESPONSES = ("complete_response", "partial_response", "stable_disease", "progressive_disease")
FINDINGS = ("response", "stable", "progression")
_KEYS = ("as_of", "diagnosis", "primary_resection", "treatments", "scans")
_LINE_KEYS = ("treatment", "start", "stop", "best_response", "progression")
_SCAN_KEYS = ("date", "finding")


TimelineValue = float | int | bool | str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimelineFacts:
    """What a timeline says in case-v1 terms, and the problems found reading it."""

    values: dict[str, TimelineValue]
    problems: list[Problem]
    latest_finding_on: str = ""
    """The date (YYYY-MM-DD) of the latest dated finding, which gives ``course.status``:
    named when a stated course disagrees, so that the board knows which scan to look at."""


# RECIST 1.1 response categories and their abbreviations (Eisenhauer EA et al., Eur J
# Cancer 2009;45:228-247), for a rejected best response or scan finding: named, never taken.
_RESPONSE_WORDS = {
    "cr": "complete_response",
    "complete response": "complete_response",
    "pr": "partial_response",
    "partial response": "partial_response",
    "sd": "stable_disease",
    "stable": "stable_disease",
    "stable disease": "stable_disease",
    "pd": "progressive_disease",
    "progression": "progressive_disease",
    "progressive disease": "progressive_disease",
}
_FINDING_WORDS = {
    "cr": "response",
    "complete response": "response",
    "pr": "response",
    "partial response": "response",
    "sd": "stable",
    "stable disease": "stable",
    "pd": "progression",
    "progressive disease": "progression",
    "progressing": "progression",
}


def _recist(raw: Any, words: Mapping[str, str]) -> str | None:
    if not isinstance(raw, str):
        return None
    return words.get(" ".join(raw.replace("_", " ").replace("-", " ").lower().split()))


def _named(raw: Any, meant: str | None) -> str:
    got = describe_value(raw)
    return f"{got} (did you mean {meant}?)" if meant else got


def _treatment_named(raw: Any) -> str:
    """A rejected treatment as it came, with the option id a report's word names or what
    would settle a word naming more than one (``data/synonyms.yaml``,
    ``data/unsettled_words.yaml``)."""
    path = "course.prior_treatments"
    settle = settling_hint(path, raw) if isinstance(raw, str) else None
    if settle is not None:
        return f"{describe_value(raw)} ({settle})"
    return _named(raw, choice_named_by(path, raw) if isinstance(raw, str) else None)


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the month's last day (31 August
    and six months is 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(start: dt.date, end: dt.date) -> float:
    """Calendar months from ``start`` to ``end`` (not before it): the months completed and
    the tenths of the next one completed. Rounded down, never up: a lower bound of the
    months of stable disease must not reach a threshold the dates do not (a month short by
    a day is 5.9, not 6.0)."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, whole) > end:
        whole -= 1
    begun, next_one = _add_months(start, whole), _add_months(start, whole + 1)
    tenths = 10 * (end - begun).days // (next_one - begun).days
    return round(whole + tenths / 10, 1)


def _date(raw: Any, path: str, problems: list[Problem]) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):  # YAML reads an unquoted date as a date
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    got = describe_value(raw)
    hint = _date_hint(raw.strip()) if isinstance(raw, str) else None
    problems.append(
        Problem(path, "must be a date written YYYY-MM-DD", f"{got} ({hint})" if hint else got)
    )
    return None


_MONTHS_SPOKEN = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# English month names and their three-letter forms (and "Sept"), whatever the machine's locale
_MONTH_NAMES = frozenset(
    {name.lower() for month in _MONTHS_SPOKEN for name in (month, month[:3])} | {"sept"}
)
_PARTIAL_DATE = re.compile(
    r"(\d{4})(?:[-/.](\d{1,2}))?|(\d{1,2})[-/.](\d{4})|([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(
    r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})|(\d{4})[./-](\d{1,2})[./-](\d{1,2})"
)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_hint(raw: str) -> str | None:
    """How to write a date given otherwise (``12.03.2019``, ``2019/3/5``), or why it cannot
    be one (a month without its day, a day that does not exist); never read in its place."""
    partial = _PARTIAL_DATE.fullmatch(raw)
    if partial is not None and (
        partial.group(5) is None or partial.group(5).lower() in _MONTH_NAMES
    ):
        return (
            "a month or a year without its day: the timeline takes whole dates; if the report "
            "gives no day, leave the date out and give the months it implies as bounds "
            "(…_at_least and …_at_most)"
        )
    numeric = _NUMERIC_DATE.fullmatch(raw)
    if numeric is None:
        return None
    if numeric.group(4):  # year first: the order is year, month, day
        year, month, day = (int(numeric.group(i)) for i in (4, 5, 6))
        found = _day(year, month, day)
        return f"write {found.isoformat()}" if found else "no such day"
    first, second, year = (int(numeric.group(i)) for i in (1, 2, 3))
    readings = {
        found
        for found in (_day(year, second, first), _day(year, first, second))
        if found is not None
    }
    if not readings:
        return "no such day"
    if len(readings) == 1:
        return f"write {readings.pop().isoformat()}"
    day_first, month_first = _day(year, second, first), _day(year, first, second)
    assert day_first is not None and month_first is not None
    return (
        f"day first or month first? write {day_first.isoformat()} ({_spoken(day_first)}) "
        f"or {month_first.isoformat()} ({_spoken(month_first)})"
    )


def _spoken(day: dt.date) -> str:
    return f"{day.day} {_MONTHS_SPOKEN[day.month - 1]}"


def _unknown_keys(
    body: Mapping[str, Any], allowed: tuple[str, ...], path: str, problems: list[Problem]
) -> None:
    for key in body:
        if key not in allowed:
            problems.append(
                Problem(
                    f"{path}.{key}",
                    "must be one of the fields " + ", ".join(allowed),
                    "an unknown field",
                )
            )


def read_timeline(raw: Any) -> TimelineFacts:
    """Validate a timeline and derive the case fields it settles."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return TimelineFacts({}, [Problem("timeline", "must be an object", describe_value(raw))])
    _unknown_keys(raw, _KEYS, "timeline", problems)
    if raw.get("as_of") is None:
        problems.append(
            Problem(
                "timeline.as_of",
                "is required with a timeline: the date the case describes (YYYY-MM-DD)",
                "nothing",
            )
        )
        return TimelineFacts({}, problems)
    as_of = _date(raw["as_of"], "timeline.as_of", problems)
    dated: dict[str, dt.date | None] = {
        key: _date(raw[key], f"timeline.{key}", problems)
        for key in ("diagnosis", "primary_resection")
        if raw.get(key) is not None
    }
    lines = _list(raw.get("treatments"), "timeline.treatments", problems)
    scans = _list(raw.get("scans"), "timeline.scans", problems)

    progressions: list[dt.date] = []
    findings: list[tuple[dt.date, str]] = []
    ssa_progressed = False
    given: list[str] = []
    for i, line in enumerate(lines):
        where = f"timeline.treatments[{i}]"
        _unknown_keys(line, _LINE_KEYS, where, problems)
        treatment = line.get("treatment")
        if isinstance(treatment, str) and treatment in PRIOR_TREATMENTS:
            given.append(treatment)
        else:
            problems.append(
                Problem(
                    f"{where}.treatment",
                    "must be an option id such as ssa or prrt, other_systemic_therapy or "
                    "other_liver_directed",
                    _treatment_named(treatment),
                )
            )
        if line.get("start") is None:
            problems.append(Problem(f"{where}.start", "is required: YYYY-MM-DD", "nothing"))
            continue
        start = _date(line["start"], f"{where}.start", problems)
        stop = (
            _date(line["stop"], f"{where}.stop", problems) if line.get("stop") is not None else None
        )
        progression = (
            _date(line["progression"], f"{where}.progression", problems)
            if line.get("progression") is not None
            else None
        )
        response = line.get("best_response")
        if response is not None and response not in RESPONSES:
            problems.append(
                Problem(
                    f"{where}.best_response",
                    "must be one of " + ", ".join(RESPONSES),
                    _named(response, _recist(response, _RESPONSE_WORDS)),
                )
            )
        if start and stop and stop < start:
            problems.append(
                Problem(f"{where}.stop", f"must not be before its start ({start})", str(stop))
            )
        if start and progression:
            if progression < start:
                problems.append(
                    Problem(
                        f"{where}.progression",
                        f"must not be before the start of the line ({start})",
                        str(progression),
                    )
                )
            progressions.append(progression)
            findings.append((progression, "progression"))
            if treatment == "ssa" and (stop is None or progression <= stop):
                ssa_progressed = True
    for i, scan in enumerate(scans):
        where = f"timeline.scans[{i}]"
        _unknown_keys(scan, _SCAN_KEYS, where, problems)
        if scan.get("date") is None:
            problems.append(Problem(f"{where}.date", "is required: YYYY-MM-DD", "nothing"))
            day = None
        else:
            day = _date(scan["date"], f"{where}.date", problems)
        finding = scan.get("finding")
        if finding not in FINDINGS:
            problems.append(
                Problem(
                    f"{where}.finding",
                    "must be one of " + ", ".join(FINDINGS),
                    _named(finding, _recist(finding, _FINDING_WORDS)),
                )
            )
        elif day is not None:
            findings.append((day, finding))
            if finding == "progression":
                progressions.append(day)
    if as_of is not None:
        every = [d for d in dated.values() if d] + [d for d, _ in findings]
        late = [d for d in every if d > as_of]
        if late:
            problems.append(
                Problem(
                    "timeline.as_of",
                    f"must not be before a dated event of the timeline (the latest is {max(late)})",
                    str(as_of),
                )
            )
    if problems or as_of is None:
        return TimelineFacts({}, problems)

    values: dict[str, TimelineValue] = {}
    if given:  # every line starts by as_of: each was given (or is being given)
        values["course.prior_treatments"] = tuple(dict.fromkeys(given))
    resection = dated.get("primary_resection")
    if resection is not None:
        values["primary.resected"] = True
        values["primary.months_since_primary_resection"] = _months(resection, as_of)
    if ssa_progressed:
        values["course.progressed_on_ssa"] = True
    if findings:
        # On one day, a progression outweighs a stable scan: stability is never claimed
        # beside a progression of the same date.
        findings.sort(key=lambda found: (found[0], found[1] == "progression"))
        last_day, last = findings[-1]
        if last == "progression":
            values["course.months_stable"] = 0
            # Progressing: the dates cannot tell a rapid progression, which the board states.
            values["course.status"] = "progressing"
        else:
            # The latest finding is stable disease or a response: not progressing.
            values["course.status"] = "stable"
            earlier = [d for d in progressions if d <= last_day]
            since = max(earlier) if earlier else min(d for d, _ in findings)
            values["course.months_stable_at_least"] = _months(since, last_day)
        return TimelineFacts(values, problems, last_day.isoformat())
    return TimelineFacts(values, problems)


def _list(raw: Any, path: str, problems: list[Problem]) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        problems.append(Problem(path, "must be a list of objects", describe_value(raw)))
        return []
    return raw
