"""The one line a board summary gives to where a stored case's values came from.

A case read from a FHIR record keeps the resource behind each value (``value_sources``,
docs/case-v1-additions.md). The case page, the presentation and the printed summary show
the key facts without their sources, so a line under them names, by resource, the values
the record gave, and says the others were entered by a person: a board must not take an
age worked out from a birth year, or a colleague's typed value, for the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nelm.case.fields import BOUND_PARTS, FIELD_BY_PATH, FIELDS
from nelm.case.value_sources import resources_of

__all__ = ["from_record_line"]


def _value(inputs: Mapping[str, Any], path: str) -> Any:
    section, name = path.split(".", 1)
    body = inputs.get(section)
    return body.get(name) if isinstance(body, Mapping) else None


def _label(path: str, inputs: Mapping[str, Any], sources: Mapping[str, Any]) -> str:
    """A field's label; a bound's is its number's ("Age") when the other bound, if given,
    came from the same resource, else its own ("Age (at least)") — one bound typed over
    the record's must not read as the record's."""
    spec = FIELD_BY_PATH[path]
    if not spec.bound_of:
        return spec.label
    others = [p for p in BOUND_PARTS[spec.bound_of] if p != path and _value(inputs, p) is not None]
    if all(sources.get(other) == sources.get(path) for other in others):
        return FIELD_BY_PATH[spec.bound_of].label
    return spec.label


def from_record_line(inputs: Mapping[str, Any]) -> str:
    """ "From the FHIR record: Age, Sex (Patient/p1); Creatinine (Observation/c1). Every
    other value was entered." for a case document with ``value_sources``; else ""."""
    sources = inputs.get("value_sources")
    if not isinstance(sources, Mapping) or not sources:
        return ""
    groups: dict[str, list[str]] = {}
    entered = False
    for spec in FIELDS:
        if _value(inputs, spec.path) is None:
            continue
        source = sources.get(spec.path)
        if not isinstance(source, str) or not source.strip():
            entered = True
            continue
        label = _label(spec.path, inputs, sources)
        labels = groups.setdefault(resources_of(source), [])
        if label not in labels:
            labels.append(label)
    if not groups:
        return ""
    named = "; ".join(f"{', '.join(labels)} ({refs})" for refs, labels in groups.items())
    rest = " Every other value was entered." if entered else ""
    return f"From the FHIR record: {named}.{rest}"
