"""Procedures, MedicationStatements and MedicationAdministrations: prior treatments and a
prior Whipple operation.

A Procedure counts when its status is ``completed``; a MedicationStatement when its status
is ``active``, ``completed``, ``stopped`` or ``on-hold`` (the drug was given); a
MedicationAdministration — one dose given, as a clinic records a somatostatin-analogue
injection or a PRRT infusion — when it is ``completed`` or ``in-progress``. None counts
when dated after the assessment date. The doses of one drug make one treatment line from
the first to the last, a new line starting after a gap of more than
:data:`DOSE_GAP_DAYS`. The medication is read from
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
from nelm.interop.fhir.dates import When, when_of
from nelm.interop.fhir.systems import Code, codings, elements, label
from nelm.interop.fhir.timeline import period_of
from nelm.interop.fhir.validate import Entry

__all__ = [
    "DOSE_GAP_DAYS",
    "administration_lines",
    "medication_index",
    "read_medication_administration",
    "read_medication_statement",
    "read_procedure",
]

_GIVEN = ("active", "completed", "stopped", "on-hold")
_ADMINISTERED = ("completed", "in-progress")
DOSE_GAP_DAYS = 90
"""Doses of one drug further apart than this start a new treatment line. The longest
regular intervals between doses of the treatments mapped are 8 weeks (PRRT, NETTER-1: four
cycles every 8 weeks) and 4 weeks (long-acting octreotide and lanreotide, PROMID and
CLARINET); 90 days leaves room for a delayed dose without joining two courses."""


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
    start, stop = period_of(resource, "effectiveDateTime", "effectivePeriod", point_ends=False)
    ongoing = stop is None and resource.get("status") in ("active", "on-hold")
    for option, source in _drugs_given(ctx, entry, medications):
        if start is not None:  # one line per drug
            ctx.treatment_lines.append(TreatmentLine(source, option, start, stop, ongoing))


def read_medication_administration(
    ctx: Context, entry: Entry, medications: Mapping[str, Mapping[str, Any]]
) -> None:
    """One dose given: the drug is a prior treatment, and the dose joins its line."""
    resource = entry.resource
    if resource.get("status") not in _ADMINISTERED:
        ctx.notes.add(
            "not used: MedicationAdministration status says the dose was not given (or is unknown)",
            entry.ref,
        )
        return
    when, _ = period_of(resource, "effectiveDateTime", "effectivePeriod", point_ends=False)
    if ctx.after_assessment(entry, when):
        return
    for option, source in _drugs_given(ctx, entry, medications):
        if when is not None:
            ctx.administrations.append((option, source, when))


def administration_lines(ctx: Context) -> list[TreatmentLine]:
    """The doses of each drug as treatment lines: first dose to last, split where two
    doses lie more than :data:`DOSE_GAP_DAYS` apart. A line's end is its last dose (the
    drug may act longer; the timeline then knows less, never more)."""
    lines: list[TreatmentLine] = []
    by_drug: dict[str, list[tuple[Source, When]]] = {}
    for option, source, when in ctx.administrations:
        by_drug.setdefault(option, []).append((source, when))
    for option, doses in by_drug.items():
        doses.sort(key=lambda dose: dose[1].start)
        first, last = doses[0], doses[0]
        for dose in doses[1:]:
            if (dose[1].first_day - last[1].first_day).days > DOSE_GAP_DAYS:
                lines.append(TreatmentLine(first[0], option, first[1], last[1]))
                first = dose
            last = dose
        lines.append(TreatmentLine(first[0], option, first[1], last[1]))
    return lines


def _drugs_given(
    ctx: Context, entry: Entry, medications: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, Source]]:
    """The options the resource's drug maps to, each once with the first code that names
    it; every such code is recorded as a prior treatment. Noted when there is none."""
    given: dict[str, Source] = {}
    for code in _medication_codes(entry.resource, medications):
        option = MEDICATIONS.get(code)
        if option is not None:
            source = Source(entry.ref, entry.path, label(code))
            ctx.add("course.prior_treatments", option, source)
            given.setdefault(option, source)
    if not given:
        ctx.notes.add("not used: medication code not in the mapping table", entry.ref)
    return list(given.items())


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
