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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.systems import elements
from nelm.interop.fhir.validate import MAPPED_TYPES, Entry

__all__ = ["expand_reports", "without_modifiers"]

_REPORT_TIMES = ("effectiveDateTime", "effectivePeriod")


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
        else:
            kept.append(entry)
    return kept


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
