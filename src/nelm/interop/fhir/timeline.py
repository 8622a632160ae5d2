"""The case's timeline (``timeline``, docs/case-v1-additions.md) from dated resources.

* ``diagnosis``: the earliest onset of a Condition read as the neuroendocrine primary;
* ``primary_resection``: a completed Procedure coded nelm-procedure ``primary-resection``
  (no standard code that says "the primary tumour was removed" could be checked);
* ``treatments``: each MedicationStatement and Procedure that gave a treatment nelm knows
  (the option ids of ``course.prior_treatments``), from its ``effective[x]`` /
  ``performed[x]``: start, and stop when the period ends on or before the assessment date;
  a line's ``progression`` is the first progression scan after its start and not after its
  stop (so "progressed on SSA" follows only from dated facts);
* ``scans``: mCODE Cancer Disease Status Observations (LOINC 97509-4; improved → response,
  stable → stable, worsened → progression).

Only whole days are used: a partial date (``2019``, ``2019-03``) names no day, so the event
is left out and noted rather than placed on a guessed day. The timeline is checked with
:func:`nelm.case.timeline.read_timeline`; a problem leaves it out, listed as an issue.
``as_of`` is the assessment date. Nothing here is built when the record shows no
neuroendocrine neoplasm.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from nelm.case.timeline import read_timeline
from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.dates import When, parse_when

__all__ = ["build_timeline", "period_of"]


def _day(when: When | None) -> dt.date | None:
    """The calendar day of a full date or dateTime; None for a partial date."""
    if when is None:
        return None
    if when.start == when.end or when.end.date() == when.first_day:
        return when.first_day
    return None


def period_of(
    resource: Mapping[str, Any], point: str, period: str, *, point_ends: bool
) -> tuple[When | None, When | None]:
    """The start and end of ``<period>``, or of ``<point>`` (a dateTime): it is also the
    end when ``point_ends`` (a procedure done that day), else the end is not known."""
    value = resource.get(period)
    if isinstance(value, Mapping):
        return parse_when(value.get("start")), parse_when(value.get("end"))
    at = parse_when(resource.get(point))
    return at, at if point_ends else None


def build_timeline(ctx: Context) -> dict[str, Any] | None:
    """The timeline document, or None when the record gives no dated event for it."""
    as_of = ctx.assessment_date
    timeline: dict[str, Any] = {}
    used: list[str] = []

    onsets = [(r.source.ref, _day(r.onset)) for r in ctx.primaries if r.onset is not None]
    partial = [ref for ref, day in onsets if day is None]
    days = [(day, ref) for ref, day in onsets if day is not None]
    if days:
        day, ref = min(days)
        timeline["diagnosis"] = day.isoformat()
        used.append(f"diagnosis from {ref} (onset)")
    for ref in partial:
        ctx.notes.add("timeline: an onset without a whole day is not used", ref)

    resections = []
    for source, when in ctx.primary_resections:
        resected = _day(when)
        if resected is None:
            ctx.notes.add("timeline: a date without a whole day is not used", source.ref)
        else:
            resections.append((resected, source.ref))
    if resections:
        first, ref = min(resections)
        timeline["primary_resection"] = first.isoformat()
        used.append(f"primary resection from {ref}")

    scans = _scans(ctx)
    lines = []
    for line in sorted(ctx.treatment_lines, key=lambda line: line.when.start):
        start = _day(line.when)
        if start is None:
            ctx.notes.add(
                "timeline: a treatment start without a whole day is not used", line.source.ref
            )
            continue
        item: dict[str, Any] = {"treatment": line.treatment, "start": start.isoformat()}
        stop = _day(line.stop) if line.stop is not None else None
        if stop is not None and stop <= as_of:
            item["stop"] = stop.isoformat()
        # A progression is "on" the line only between its start and a known stop (or
        # while it is still given): a line with no known end says nothing after its start.
        progressions = [
            day
            for day, finding in scans
            if finding == "progression"
            and start < day
            and ((stop is not None and day <= stop) or (stop is None and line.ongoing))
        ]
        if progressions:
            item["progression"] = min(progressions).isoformat()
        lines.append(item)
        used.append(f"{line.treatment} from {line.source.ref}")
    if lines:
        timeline["treatments"] = lines
    if scans:
        timeline["scans"] = [{"date": d.isoformat(), "finding": f} for d, f in scans]
        used.append(f"{len(scans)} disease status(es) (LOINC 97509-4)")
    if not timeline:
        return None
    timeline = {"as_of": as_of.isoformat(), **timeline}
    checked = read_timeline(timeline)
    if checked.problems:
        for problem in checked.problems:
            ctx.issues.append(
                Issue(
                    "",
                    f"the timeline built from the record breaks a case-v1 rule "
                    f"({problem.path} {problem.expected}, got {problem.got}): it is left out",
                )
            )
        return None
    ctx.notes.add("timeline: " + "; ".join(used))
    return timeline


def _scans(ctx: Context) -> list[tuple[dt.date, str]]:
    """Whole-day disease statuses; a day with two different findings is left out."""
    by_day: dict[dt.date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source, when, finding in ctx.scans:
        day = _day(when)
        if day is None:
            ctx.notes.add("timeline: a disease status without a whole day is not used", source.ref)
            continue
        by_day[day][finding].append(source.ref)
    out = []
    for day, findings in sorted(by_day.items()):
        if len(findings) > 1:
            refs = ", ".join(ref for refs in findings.values() for ref in refs)
            ctx.issues.append(
                Issue(
                    "",
                    f"conflicting disease statuses on {day.isoformat()} "
                    f"({', '.join(sorted(findings))}: {refs}); that day is left out of the "
                    "timeline",
                )
            )
            continue
        out.append((day, next(iter(findings))))
    return out
