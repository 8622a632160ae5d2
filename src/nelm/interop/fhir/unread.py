"""Resources whose codes no rule reads are set aside before anything costly is done.

A hospital record is mostly vital signs, questionnaires, routine panels and encounters'
procedures: thousands of resources that no rule of the mapping reads. Validating each with
its fhir.resources model (the costliest step: about 0.3 ms per resource) and searching it
for modifier extensions bought nothing, since its code is not in the tables. So an
Observation, a Procedure, a MedicationAdministration or a DiagnosticReport is kept only
when a code the mapping reads is in it (an Observation's ``code`` or a ``component.code``;
a Procedure's ``code``; a dose's drug, or a Medication it names; a report's contained
results); the others are noted, exactly as the readers note them, and
dropped. Patients, Conditions, medications and the other types are kept as they are.

This changes no value read: the readers look at nothing else of these resources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nelm.interop.fhir.codes import (
    AMBIGUOUS_PROCEDURES,
    DISEASE_STATUS,
    MEDICATIONS,
    OBSERVATION_RULES,
    PRIMARY_RESECTION,
    PROCEDURES,
)
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.imaging import TUMOR_SIZE
from nelm.interop.fhir.metastasis_sites import DISTANT_METASTASIS_SITE
from nelm.interop.fhir.systems import Code, codings
from nelm.interop.fhir.validate import Entry

__all__ = ["read_by_a_rule", "set_aside_unread"]

_OBSERVATION_CODES: frozenset[Code] = frozenset(
    {*OBSERVATION_RULES, TUMOR_SIZE, DISEASE_STATUS, DISTANT_METASTASIS_SITE}
)
_PROCEDURE_CODES: frozenset[Code] = frozenset(
    {*PROCEDURES, *AMBIGUOUS_PROCEDURES, PRIMARY_RESECTION}
)


def _observation_read(resource: Mapping[str, Any]) -> bool:
    if any(code in _OBSERVATION_CODES for code in codings(resource.get("code"))):
        return True
    components = resource.get("component")
    return isinstance(components, list) and any(
        isinstance(c, Mapping)
        and any(code in _OBSERVATION_CODES for code in codings(c.get("code")))
        for c in components
    )


def read_by_a_rule(resource: Mapping[str, Any]) -> bool:
    """False for an Observation, Procedure or MedicationAdministration that carries no code
    a rule reads (a DiagnosticReport is judged by its contained results, in
    :func:`set_aside_unread`)."""
    kind = resource.get("resourceType")
    if kind == "Observation":
        return _observation_read(resource)
    if kind == "Procedure":
        return any(code in _PROCEDURE_CODES for code in codings(resource.get("code")))
    if kind == "MedicationAdministration":
        # A hospital stay gives hundreds of doses (saline, heparin): only a drug the
        # mapping knows, or one named through a Medication resource, is read.
        return "medicationReference" in resource or any(
            code in MEDICATIONS for code in codings(resource.get("medicationCodeableConcept"))
        )
    return True


def set_aside_unread(ctx: Context, entries: Sequence[Entry]) -> list[Entry]:
    """The entries a rule may read; the others noted (by resource) and dropped."""
    kept: list[Entry] = []
    for entry in entries:
        if read_by_a_rule(entry.resource):
            kept.append(entry)
        else:
            ctx.notes.add(
                f"not used: {entry.resource_type} code not in the mapping table", entry.ref
            )
    # A report is kept only for the results contained in it that are kept (its referenced
    # results are entries of their own); a report with none gives nothing.
    parents = {e.name.split("#", 1)[0] for e in kept if e.name}
    out = []
    for entry in kept:
        report = entry.resource_type == "DiagnosticReport" and not entry.name
        if report and entry.ref not in parents:
            ctx.notes.add(
                "not read itself: a DiagnosticReport is read through its results", entry.ref
            )
        else:
            out.append(entry)
    return out
