"""Procedures and MedicationStatements: prior treatments and a prior Whipple operation.

A Procedure counts when its status is ``completed``; a MedicationStatement when its status
is ``active``, ``completed``, ``stopped`` or ``on-hold`` (the drug was given). Neither
counts when dated after the assessment date. The medication is read from
``medicationCodeableConcept`` or from the Medication that ``medicationReference`` points to
(contained, or an entry of the bundle), including its ingredients.

Nothing here ever sets a field to false: the absence of a Procedure is not evidence that
it was not done.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from nelm.interop.fhir.codes import (
    AMBIGUOUS_PROCEDURES,
    MEDICATIONS,
    PRIMARY_RESECTION,
    PROCEDURES,
)
from nelm.interop.fhir.collect import Source
from nelm.interop.fhir.context import Context, TreatmentLine
from nelm.interop.fhir.dates import when_of
from nelm.interop.fhir.systems import Code, codings, elements, label
from nelm.interop.fhir.timeline import period_of
from nelm.interop.fhir.validate import Entry

__all__ = ["medication_index", "read_medication_statement", "read_procedure"]

_GIVEN = ("active", "completed", "stopped", "on-hold")


def read_procedure(ctx: Context, entry: Entry) -> None:
    resource = entry.resource
    if resource.get("status") != "completed":
        ctx.notes.add("not used: Procedure status is not completed", entry.ref)
        return
    if ctx.after_assessment(entry, when_of(resource, "performedDateTime", "performedPeriod")):
        return
    found = False
    start, stop = period_of(resource, "performedDateTime", "performedPeriod", point_ends=True)
    for code in codings(resource.get("code")):
        if code == PRIMARY_RESECTION:
            if start is not None:
                ctx.primary_resections.append((Source(entry.ref, entry.path, label(code)), start))
            else:
                ctx.notes.add("timeline: a primary resection without a date", entry.ref)
            found = True
        elif code in PROCEDURES:
            path, value = PROCEDURES[code]
            source = Source(entry.ref, entry.path, label(code))
            ctx.add(path, value, source)
            if path == "course.prior_treatments" and start is not None:
                ctx.treatment_lines.append(TreatmentLine(source, str(value), start, stop))
            found = True
        elif code in AMBIGUOUS_PROCEDURES:
            ctx.notes.add(
                "not used: the procedure code does not tell which treatment "
                "(e.g. bland, chemo- or radioembolisation)",
                entry.ref,
            )
            found = True
    if not found:
        ctx.notes.add("not used: Procedure code not in the mapping table", entry.ref)


def medication_index(entries: Sequence[Entry]) -> dict[str, Mapping[str, Any]]:
    """Medication resources by ``Medication/id`` and by fullUrl."""
    index: dict[str, Mapping[str, Any]] = {}
    for entry in entries:
        if entry.resource_type == "Medication":
            index[entry.ref] = entry.resource
            if entry.full_url:
                index[entry.full_url] = entry.resource
    return index


def read_medication_statement(
    ctx: Context, entry: Entry, medications: Mapping[str, Mapping[str, Any]]
) -> None:
    resource = entry.resource
    if resource.get("status") not in _GIVEN:
        ctx.notes.add(
            "not used: MedicationStatement status says the drug was not given (or is unknown)",
            entry.ref,
        )
        return
    when = when_of(resource, "effectiveDateTime", "effectivePeriod")
    if ctx.after_assessment(entry, when):
        return
    found = False
    start, stop = period_of(resource, "effectiveDateTime", "effectivePeriod", point_ends=False)
    ongoing = stop is None and resource.get("status") in ("active", "on-hold")
    given: set[str] = set()
    for code in _medication_codes(resource, medications):
        option = MEDICATIONS.get(code)
        if option is not None:
            source = Source(entry.ref, entry.path, label(code))
            ctx.add("course.prior_treatments", option, source)
            if start is not None and option not in given:  # one line per drug
                ctx.treatment_lines.append(TreatmentLine(source, option, start, stop, ongoing))
            given.add(option)
            found = True
    if not found:
        ctx.notes.add("not used: medication code not in the mapping table", entry.ref)


def _medication_codes(
    resource: Mapping[str, Any], medications: Mapping[str, Mapping[str, Any]]
) -> Iterator[Code]:
    yield from codings(resource.get("medicationCodeableConcept"))
    reference = resource.get("medicationReference")
    target = reference.get("reference") if isinstance(reference, Mapping) else None
    if not isinstance(target, str):
        return
    medication: Mapping[str, Any] | None = None
    if target.startswith("#"):
        for contained in elements(resource.get("contained")):
            if isinstance(contained, Mapping) and contained.get("id") == target[1:]:
                medication = contained
    else:
        medication = medications.get(target)
        if medication is None and "Medication/" in target:
            medication = medications.get("Medication/" + target.rsplit("Medication/", 1)[1])
    if medication is None or medication.get("resourceType") != "Medication":
        return
    yield from codings(medication.get("code"))
    for ingredient in elements(medication.get("ingredient")):
        if isinstance(ingredient, Mapping):
            yield from codings(ingredient.get("itemCodeableConcept"))
