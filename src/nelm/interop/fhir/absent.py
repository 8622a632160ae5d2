"""Primitive values given by their extensions alone, and the reasons a value is absent.

FHIR R4 JSON writes a primitive's id and extensions in ``_name`` beside its value, and lets
the value be absent when they are given (https://hl7.org/fhir/R4/json.html#primitive,
"Representing primitive elements"): ``"_birthDate": {"extension": [{"url":
"http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]}``
with no ``birthDate`` says the birth date is missing and why. Such an element is read as
absent: the field it would give stays unknown (never a default), the rest of the resource
is read, and where the data-absent-reason extension
(https://hl7.org/fhir/R4/extension-data-absent-reason.html: "Provides a reason why the
expected value or elements in the element that is extended are missing") gives the
reason, the data-quality list says which element is absent and why, in the words of FHIR
R4's DataAbsentReason code system. An Observation's own ``dataAbsentReason`` is said the
same way (observations.py). Only the elements nelm reads are listed: a missing telephone
number changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nelm.errors import describe_value
from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.systems import elements
from nelm.interop.fhir.validate import Entry

__all__ = [
    "DATA_ABSENT_REASON",
    "DATA_ABSENT_REASON_SYSTEM",
    "absent_reason",
    "concept_reason",
    "list_absent_elements",
    "value_only_in_extensions",
]

DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
"""The core extension on an element whose value is missing (valueCode from DataAbsentReason)."""
DATA_ABSENT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

# FHIR R4 (4.0.1) CodeSystem DataAbsentReason, each code's definition
# (https://hl7.org/fhir/R4/codesystem-data-absent-reason.html).
_REASONS = {
    "unknown": "the value is expected to exist but is not known",
    "asked-unknown": "the source was asked but does not know the value",
    "temp-unknown": "there is reason to expect (from the workflow) that the value may become known",
    "not-asked": "the workflow didn't lead to this value being known",
    "asked-declined": "the source was asked but declined to answer",
    "masked": "the information is not available due to security, privacy or related reasons",
    "not-applicable": "there is no proper value for this element",
    "unsupported": "the source system wasn't capable of supporting this element",
    "as-text": "the content of the data is represented in the resource narrative",
    "error": "some system or workflow process error means that the information is not available",
    "not-a-number": "the numeric value is undefined or unrepresentable due to a floating point "
    "processing error",
    "negative-infinity": "the numeric value is excessively low and unrepresentable due to a "
    "floating point processing error",
    "positive-infinity": "the numeric value is excessively high and unrepresentable due to a "
    "floating point processing error",
    "not-performed": "the value is not available because the observation procedure (test, etc.) "
    "was not performed",
    "not-permitted": "the value is not permitted in this context (e.g. due to profiles, or the "
    "base data types)",
}

# The primitive elements each reader uses, and what their absence leaves unknown. Observation
# values are said by the Observation reader, which knows the field a value would fill.
# An Observation without its own time is dated by its issue date, or by the report or panel
# that lists it (observations.observation_when, rules.dated_by_parents)
_DATE = "the date of the result is unknown (its issue date or its report dates it, if given)"
_READ: dict[str, dict[str, str]] = {
    "Patient": {
        "birthDate": "patient.age_years is unknown",
        "gender": "the administrative gender is unknown (the sex is read from what else the "
        "Patient gives)",
        "deceasedBoolean": "whether the patient has died is unknown to this assessment",
        "deceasedDateTime": "whether and when the patient died is unknown to this assessment",
    },
    "Observation": {
        "status": "the result's status is unknown, so it is not used",
        "effectiveDateTime": _DATE,
        "effectiveInstant": _DATE,
        "issued": "the date the result was issued is unknown",
    },
    "DiagnosticReport": {
        "effectiveDateTime": "the date of the report is unknown, so it dates none of its results",
    },
    "Condition": {
        "onsetDateTime": "the onset date is unknown",
        "abatementDateTime": "the date it abated is unknown",
        "recordedDate": "the date it was recorded is unknown",
    },
    "Procedure": {
        "status": "the procedure's status is unknown, so it is not used",
        "performedDateTime": "the date it was performed is unknown",
    },
    "MedicationStatement": {
        "status": "the statement's status is unknown, so it is not used",
        "effectiveDateTime": "when the drug was taken is unknown",
    },
    "MedicationAdministration": {
        "status": "the dose's status is unknown, so it is not used",
        "effectiveDateTime": "when the dose was given is unknown",
    },
}
# Choice elements (name[x]): one given by its extensions alone says nothing is missing when
# another type of the same choice holds the value (effectivePeriod beside _effectiveDateTime).
_CHOICES = ("effective", "deceased", "onset", "abatement", "performed")
# Periods whose start or end may be given by extensions alone (Period.start, Period.end).
_PERIODS = {
    "Observation": "effectivePeriod",
    "DiagnosticReport": "effectivePeriod",
    "Condition": "onsetPeriod",
    "Procedure": "performedPeriod",
    "MedicationStatement": "effectivePeriod",
    "MedicationAdministration": "effectivePeriod",
}


def _reason_words(code: object) -> str:
    """ "unknown" → '"unknown": the value is expected to exist but is not known'."""
    if isinstance(code, str) and code.strip() in _REASONS:
        return f'"{code.strip()}": {_REASONS[code.strip()]}'
    if code is None:
        return "without a code"
    return f"{describe_value(code)}, not a code of FHIR R4's DataAbsentReason"


def absent_reason(element: object) -> str | None:
    """The reason, in words, that the data-absent-reason extension of a primitive's
    ``_name`` part (or of any element's ``extension``) gives; None without one."""
    if not isinstance(element, Mapping):
        return None
    for extension in elements(element.get("extension")):
        if isinstance(extension, Mapping) and extension.get("url") == DATA_ABSENT_REASON:
            return "data-absent-reason " + _reason_words(extension.get("valueCode"))
    return None


def concept_reason(concept: object) -> str:
    """The reason an Observation's ``dataAbsentReason`` (a CodeableConcept) gives, in words.
    A reason in text alone is not echoed: free text may name the patient."""
    if isinstance(concept, Mapping):
        for coding in elements(concept.get("coding")):
            if not isinstance(coding, Mapping):
                continue
            system, code = coding.get("system"), coding.get("code")
            if system == DATA_ABSENT_REASON_SYSTEM:
                return "dataAbsentReason " + _reason_words(code)
            if isinstance(code, str):
                return f"dataAbsentReason {describe_value(code)} of {describe_value(system)}"
        if isinstance(concept.get("text"), str):
            return "dataAbsentReason given as text only"
    return "dataAbsentReason without a code"


def value_only_in_extensions(item: Mapping[str, Any], prefix: str) -> str | None:
    """The name of the choice element ``prefix[x]`` (``valueDateTime``) that ``item`` gives
    by its extensions alone (``_valueDateTime`` and no value of any type), or None."""
    if any(isinstance(key, str) and key.startswith(prefix) for key in item):
        return None
    for key, part in item.items():
        if isinstance(key, str) and key.startswith(f"_{prefix}") and isinstance(part, Mapping):
            return key[1:]
    return None


def list_absent_elements(ctx: Context, entries: Sequence[Entry]) -> None:
    """For each resource read, every element nelm reads that is given by its extensions
    alone: in the data-quality list (a notice: the record says the value is missing, no
    element failed) when a data-absent-reason says why, in the notes otherwise."""
    for entry in entries:
        read = _READ.get(entry.resource_type)
        if read is None:
            continue
        resource = entry.resource
        places: list[tuple[str, str, Any]] = [
            (name, consequence, resource.get(f"_{name}"))
            for name, consequence in read.items()
            if name not in resource and f"_{name}" in resource and not _choice_given(resource, name)
        ]
        period_name = _PERIODS.get(entry.resource_type)
        period = resource.get(period_name) if period_name else None
        if isinstance(period, Mapping):
            for part in ("start", "end"):
                if part not in period and f"_{part}" in period:
                    places.append(
                        (
                            f"{period_name}.{part}",
                            f"the {part} of {period_name} is unknown",
                            period.get(f"_{part}"),
                        )
                    )
        for name, consequence, part in places:
            _say(ctx, entry, name, consequence, part)


def _choice_given(resource: Mapping[str, Any], name: str) -> bool:
    """Whether another type of the choice ``name`` belongs to holds a value."""
    prefix = next((c for c in _CHOICES if name.startswith(c)), None)
    return prefix is not None and any(
        isinstance(key, str) and key.startswith(prefix) and key != name for key in resource
    )


def _say(ctx: Context, entry: Entry, name: str, consequence: str, part: Any) -> None:
    parent, _, last = name.rpartition(".")
    path = f"{entry.path}.{parent + '.' if parent else ''}_{last}"
    reason = absent_reason(part)
    if reason is None:
        ctx.notes.add(
            f"{entry.resource_type}.{name} has no value, only extensions: read as absent", entry.ref
        )
        return
    ctx.issues.append(
        Issue(
            path,
            f"{entry.ref}: {name} is absent, and the record says why ({reason}); {consequence}",
            notice=True,
        )
    )
