"""FHIR's own rules about what may be read: modifier extensions and report results.

* ``modifierExtension`` (FHIR R4 §2.13 "Extensibility": an extension that changes the
  meaning of the element holding it, and that a system which does not understand it must
  not ignore). nelm understands none, so a resource carrying one, anywhere in it, is set
  aside with a note; the rest of the record is read.
* DiagnosticReport (FHIR R4 §8.x "DiagnosticReport"): its results are Observations,
  either in the bundle (read as any other Observation) or ``contained`` in the report
  and referenced as ``#id``. Contained Observations are read as if they were entries,
  with the report's subject and time when they carry none; a result reference that the
  bundle does not hold is listed as unresolved. A structured radiology report reads the
  same way: its imaging findings are its result Observations.
* A result that is an entry of its own and gives no ``effective[x]`` takes the time of the
  DiagnosticReport that lists it in ``result`` (FHIR R4 DiagnosticReport.effective[x]:
  "the clinically relevant time/time-period for report"), or of the grouping Observation
  that lists it in ``hasMember`` (a panel: FHIR R4 Observation, "Observation Grouping"),
  as a contained result does: ``dated_by_parents``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.dates import when_of
from nelm.interop.fhir.observation_codes import OBSERVATION_RULES
from nelm.interop.fhir.security import labels_of
from nelm.interop.fhir.systems import codings, elements
from nelm.interop.fhir.validate import MAPPED_TYPES, Entry

__all__ = ["dated_by_parents", "expand_reports", "without_modifiers"]

_REPORT_TIMES = ("effectiveDateTime", "effectivePeriod")
# Observation.effective[x] as the mapping reads a date (observations.observation_when): an
# effectiveTiming is not read as one, so it is not handed on either.
_OBSERVATION_TIMES = ("effectiveDateTime", "effectivePeriod", "effectiveInstant")
# What lists a result: a report its results, a panel its members.
_LISTS = {
    "DiagnosticReport": ("result", _REPORT_TIMES),
    "Observation": ("hasMember", _OBSERVATION_TIMES),
}


_DEEPEST = 64
"""Objects and arrays searched for a modifierExtension, one within the other: deeper than
any FHIR R4 resource is written."""


class _TooDeepError(Exception):
    """A resource nested deeper than :data:`_DEEPEST`: not searched to the end."""


def _has_modifier(value: Any, depth: int = 0) -> bool:
    if depth > _DEEPEST:
        raise _TooDeepError
    if isinstance(value, Mapping):
        if value.get("modifierExtension"):
            return True
        return any(
            _has_modifier(v, depth + 1) for v in value.values() if isinstance(v, Mapping | list)
        )
    if isinstance(value, list):
        return any(_has_modifier(v, depth + 1) for v in value if isinstance(v, Mapping | list))
    return False


def without_modifiers(ctx: Context, entries: Sequence[Entry]) -> list[Entry]:
    """The entries without a modifierExtension; the others are set aside with a note.
    Only the resource types the mapping reads are searched (the others are not read).
    A resource nested too deeply to search to the end is set aside too, since a modifier
    could hide below (noted as such: it is not known to carry one)."""
    kept = []
    for entry in entries:
        if entry.resource_type not in MAPPED_TYPES:
            kept.append(entry)
            continue
        try:
            modified = _has_modifier(entry.resource)
        except _TooDeepError:
            ctx.notes.add(
                f"set aside: elements nested more than {_DEEPEST} objects and arrays deep (an "
                "extension within an extension…), deeper than FHIR R4 resources are "
                "written, so it cannot be searched for a modifierExtension (FHIR R4 §2.13)",
                entry.ref,
            )
            continue
        if modified:
            ctx.notes.add(
                "set aside: the resource has a modifierExtension, which changes "
                "its meaning in a way nelm does not understand (FHIR R4 §2.13)",
                entry.ref,
            )
            field = _result_field(entry)
            if field is not None:
                # a result the assessment would have used: said with the field it leaves
                # unknown, so the board knows a value exists and why it was not used
                ctx.issues.append(
                    Issue(
                        entry.path,
                        f"{entry.ref}: a result set aside for its modifierExtension, which "
                        "changes its meaning in a way nelm does not understand (FHIR R4 "
                        "§2.13); review it in the record",
                        field,
                    )
                )
        else:
            kept.append(entry)
    return kept


def _result_field(entry: Entry) -> str | None:
    """The case field an Observation's code fills (``OBSERVATION_RULES``), if any."""
    if entry.resource_type != "Observation":
        return None
    for code in codings(entry.resource.get("code")):
        rule = OBSERVATION_RULES.get(code)
        if rule is not None:
            return rule.field
    return None


def _names(entries: Sequence[Entry]) -> set[str]:
    names: set[str] = set()
    for entry in entries:
        names.add(entry.ref)
        if entry.full_url:
            names.add(entry.full_url)
    return names


def _tail(reference: str) -> str:
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else reference


def expand_reports(ctx: Context, entries: Sequence[Entry]) -> list[Entry]:
    """The entries plus the Observations contained in DiagnosticReports; unresolved
    result references are listed as issues."""
    names = _names(entries)
    out = list(entries)
    for entry in entries:
        if entry.resource_type != "DiagnosticReport":
            continue
        report = entry.resource
        contained = _contained_observations(entry)
        for index, reference in enumerate(elements(report.get("result"))):
            target = reference.get("reference") if isinstance(reference, Mapping) else None
            if not isinstance(target, str) or not target.strip():
                continue
            target = target.strip()
            if target.startswith("#"):
                if target[1:] not in contained:
                    ctx.issues.append(
                        Issue(
                            f"{entry.path}.result[{index}]",
                            f"{entry.ref}: the result "
                            f"{target} is not among the report's contained resources: not read",
                        )
                    )
            elif target not in names and _tail(target) not in names:
                ctx.issues.append(
                    Issue(
                        f"{entry.path}.result[{index}]",
                        f"{entry.ref}: the result {target} is "
                        "not in the bundle (an unresolved reference): not read",
                    )
                )
        for rid, (index, observation) in contained.items():
            out.append(
                Entry(
                    entry.index,
                    _with_report_context(observation, report),
                    None,
                    where=f"{entry.path}.contained[{index}]",
                    name=f"{entry.ref}#{rid}",
                )
            )
    return out


def _contained_observations(entry: Entry) -> dict[str, tuple[int, Mapping[str, Any]]]:
    """The report's contained Observations by id, each with its position in ``contained``
    counted over every item there (a Specimen, an Observation without id…), so that its
    path names it as it stands in the record."""
    found: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for index, resource in enumerate(elements(entry.resource.get("contained"))):
        if (
            isinstance(resource, Mapping)
            and resource.get("resourceType") == "Observation"
            and isinstance(resource.get("id"), str)
        ):
            found[resource["id"]] = (index, resource)
    return found


def _with_report_context(
    observation: Mapping[str, Any], report: Mapping[str, Any]
) -> dict[str, Any]:
    """A contained Observation is about the report's subject, at the report's time,
    unless it says otherwise."""
    resource = dict(observation)
    if "subject" not in resource and isinstance(report.get("subject"), Mapping):
        resource["subject"] = report["subject"]
    if not any(key.startswith("effective") for key in resource):
        for key in _REPORT_TIMES:
            if key in report:
                resource[key] = report[key]
                break
    return resource


def dated_by_parents(
    ctx: Context, entries: Sequence[Entry], unread: Sequence[Entry]
) -> list[Entry]:
    """``entries`` (the resources read), an Observation with no ``effective[x]`` given the
    time of the DiagnosticReport (``result``) or the panel Observation (``hasMember``)
    that lists it, as a contained result takes its report's (_with_report_context); a
    panel dated by its report dates its members in turn.

    The parents are the resources read and those no rule reads (``unread``: a report is
    not read itself, a panel's own code seldom is), never one set aside for what it is (not
    valid, a modifierExtension, a security label, another patient). One no rule reads was
    never validated nor searched, so it gives its time only when it carries no
    modifierExtension and no label that sets a resource aside; its time must be a FHIR
    date, and a parent naming another subject than the result's gives it none. Two
    parents giving different times leave the result undated (noted): which is its own
    cannot be told."""
    # of those no rule reads only the reports and panels matter (their own date is unread);
    # a hospital record has thousands of others, which are not searched for modifiers
    listing = [e for e in unread if e.resource_type in _LISTS and _lists_any(e)]
    inherited = _inherited_times([*entries, *(e for e in listing if _may_date(e))])
    out = []
    for entry in entries:
        time = inherited.get(entry.path, _NO_TIME)
        if time is _NO_TIME:
            out.append(entry)
        elif time is None:
            out.append(entry)
            ctx.notes.add(
                "not dated by the report or panel that lists it: they give different times "
                "(effective[x])",
                entry.ref,
            )
        else:
            (key, value), kind, _ = time
            out.append(dataclasses.replace(entry, resource={**entry.resource, key: value}))
            ctx.notes.add(_DATED_BY[kind], entry.ref)
    return out


# (element, value), the kind of resource handing it on, and the subject it is about
_Time = tuple[tuple[str, Any], str, str | None]
_NO_TIME: Any = object()
_DATED_BY = {
    "DiagnosticReport": "dated by the DiagnosticReport that lists it in result, as it gives no "
    "effective[x] of its own (FHIR R4 DiagnosticReport.effective[x]: the clinically "
    "relevant time of the report)",
    "panel Observation": "dated by the panel Observation that lists it in hasMember, as it "
    "gives no effective[x] of its own (FHIR R4 Observation.effective[x])",
}


def _may_date(entry: Entry) -> bool:
    """Nothing in a resource no rule reads changes its meaning (FHIR R4 §2.13) and no label
    of its own asks for what nelm cannot check: it may date the results it lists."""
    try:
        if _has_modifier(entry.resource):
            return False
    except _TooDeepError:
        return False
    return all(label.read for label in labels_of(entry.resource))


def _inherited_times(parents: Sequence[Entry]) -> dict[str, _Time | None]:
    """Entry path → the time its parents hand on (None: they disagree), for every
    Observation of ``parents`` with no ``effective[x]`` that a dated parent lists. Each
    round hands a time one level further down (report → panel → member)."""
    names = _entry_names(parents)
    # a hospital record holds thousands of results and a few reports and panels
    listing = [p for p in parents if p.resource_type in _LISTS and _lists_any(p)]
    inherited: dict[str, _Time | None] = {}
    for _ in range(len(listing)):
        offers: dict[str, list[_Time]] = {}
        for parent in listing:
            for child, time in _offered(parent, parents, names, inherited):
                offers.setdefault(child.path, []).append(time)
        fresh = {path: t for path, t in offers.items() if path not in inherited}
        if not fresh:
            break
        for path, times in fresh.items():
            distinct = {json.dumps(t[0], sort_keys=True) for t in times}
            inherited[path] = times[0] if len(distinct) == 1 else None
    return inherited


def _offered(
    parent: Entry,
    parents: Sequence[Entry],
    names: Mapping[str, int],
    inherited: Mapping[str, _Time | None],
) -> list[tuple[Entry, _Time]]:
    """The undated Observations ``parent`` lists, each with the time it hands on: its
    own ``effective[x]``, else the one it inherited."""
    element, keys = _LISTS[parent.resource_type]
    kind = "panel Observation" if element == "hasMember" else parent.resource_type
    own = next(((k, parent.resource[k]) for k in keys if k in parent.resource), None)
    if own is not None and when_of(parent.resource, own[0]) is None:
        return []  # a time that is no FHIR date is handed on to no one
    subject = _subject_of(parent.resource.get("subject"))
    if own is None:  # a panel its report dated hands that time on as its own
        handed = inherited.get(parent.path)
        if handed is None:
            return []
        own, subject = handed[0], subject or handed[2]
    time = (own, kind, subject)
    found = []
    for reference in elements(parent.resource.get(element)):
        target = reference.get("reference") if isinstance(reference, Mapping) else None
        if not isinstance(target, str) or target.strip().startswith("#"):
            continue
        index = names.get(target.strip(), names.get(_tail(target.strip())))
        child = parents[index] if index is not None else None
        if (
            child is not None
            and child is not parent
            and child.resource_type == "Observation"
            and not _has_time(child.resource)
            and _same_subject(subject, child.resource)
        ):
            found.append((child, time))
    return found


def _lists_any(entry: Entry) -> bool:
    """A report with results or a panel with members; a resource contained in a report
    lists nothing of the bundle."""
    element = _LISTS[entry.resource_type][0]
    return not entry.name and bool(elements(entry.resource.get(element)))


def _entry_names(entries: Sequence[Entry]) -> dict[str, int]:
    """The entries of the bundle (not those contained in a report) by reference and
    fullUrl: what a ``result`` or ``hasMember`` reference names."""
    names: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.name:
            continue
        names.setdefault(entry.ref, index)
        if entry.full_url:
            names.setdefault(entry.full_url, index)
    return names


def _same_subject(subject: str | None, child: Mapping[str, Any]) -> bool:
    """A time about one subject (the parent's, or that of the report that dated a panel
    with none: HL7's own panels have none) is handed to no result about another; a
    parent with no subject anywhere above it lists results of whoever they name."""
    own = _subject_of(child.get("subject"))
    return subject is None or own is None or own == subject


def _subject_of(holder: Any) -> str | None:
    if not isinstance(holder, Mapping):
        return None
    reference = holder.get("reference")
    if isinstance(reference, str):
        return reference.strip()
    return json.dumps(holder, sort_keys=True, default=str)


def _has_time(resource: Mapping[str, Any]) -> bool:
    """Any ``effective[x]``, even one the mapping does not read as a date (a Timing): the
    result says when it was made, and no other time replaces it."""
    return any(key.startswith("effective") for key in resource)
