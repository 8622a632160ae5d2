"""Patient (age, sex) and the check that every resource is about that one patient.

Only ``gender`` and ``birthDate`` are read. Names, identifiers, addresses, telecom and
every other element are never read, so they cannot reach the case document, the
provenance or the notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from nelm.errors import Problem, describe_value
from nelm.interop.fhir.collect import Source
from nelm.interop.fhir.context import Context, range_problem
from nelm.interop.fhir.dates import age_range
from nelm.interop.fhir.validate import Entry

__all__ = ["check_subjects", "read_patients"]

_SEX = {"female": "female", "male": "male", "other": "other"}
_GENDERS = ("male", "female", "other", "unknown")  # FHIR R4 AdministrativeGender
_PATIENT_REF = re.compile(r"(?:^|/)(Patient/[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")


def _key(reference: str) -> str:
    match = _PATIENT_REF.search(reference)
    return match[1] if match else reference


def read_patients(ctx: Context, patients: Sequence[Entry]) -> set[str]:
    """Read age and sex; return the references that mean this patient."""
    keys: set[str] = set()
    ids = [p.resource.get("id") for p in patients]
    if len(patients) > 1 and (None in ids or len(set(map(str, ids))) > 1):
        ctx.problems.append(Problem(
            patients[1].path, "one Patient per bundle: a case is about one patient",
            f"{len(patients)} Patient resources ({', '.join(p.ref for p in patients)})"))
        return keys
    for entry in patients:
        keys.add(entry.ref)
        if entry.full_url:
            keys.update({entry.full_url, _key(entry.full_url)})
        _read_patient(ctx, entry)
    return keys


def _read_patient(ctx: Context, entry: Entry) -> None:
    resource = entry.resource
    gender = resource.get("gender")
    if gender is not None:
        if gender not in _GENDERS:
            ctx.problems.append(Problem(f"{entry.path}.gender",
                                        "one of male, female, other, unknown (FHIR R4)",
                                        describe_value(gender)))
        elif gender in _SEX:
            ctx.add("patient.sex", _SEX[gender], Source(entry.ref, entry.path, "gender"))
        else:
            ctx.notes.add("patient.sex not set: Patient.gender is unknown", entry.ref)
    birth = resource.get("birthDate")
    if isinstance(birth, str):
        ages = age_range(birth, ctx.assessment_date)
        if ages is None:
            ctx.problems.append(Problem(f"{entry.path}.birthDate", "a FHIR date",
                                        "a value that is not valid here"))
            return
        youngest, oldest = ages
        if oldest < 0:
            ctx.problems.append(Problem(f"{entry.path}.birthDate",
                                        "a birth date on or before the assessment date",
                                        "a later date"))
        elif youngest != oldest:
            ctx.notes.add("patient.age_years not set: the birth date gives only the year or "
                          "month, so the age is not known to the year", entry.ref)
        else:
            problem = range_problem("patient.age_years", youngest, f"{entry.path}.birthDate",
                                    entry.ref, f"an age of {youngest} years")
            if problem is not None:
                ctx.problems.append(problem)
            else:
                ctx.add("patient.age_years", youngest,
                        Source(entry.ref, entry.path, "birthDate"))


def _subject(resource: Mapping[str, Any]) -> str | None:
    for name in ("subject", "patient"):
        holder = resource.get(name)
        if isinstance(holder, Mapping):
            reference = holder.get("reference")
            if isinstance(reference, str) and reference.strip():
                return reference.strip()
    return None


def check_subjects(ctx: Context, entries: Sequence[Entry], patient_keys: set[str]) -> None:
    """Reject a bundle whose resources are about more than one patient."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.resource_type in ("Patient", "Medication"):
            continue
        reference = _subject(entry.resource)
        if reference is None:
            continue
        key = _key(reference)
        if patient_keys:
            if reference not in patient_keys and key not in patient_keys:
                ctx.problems.append(Problem(
                    f"{entry.path}.subject.reference",
                    "a reference to the bundle's Patient (one case is about one patient)",
                    describe_value(reference)))
            continue
        seen.setdefault(key, entry)
        if len(seen) > 1:
            first = next(iter(seen.values()))
            ctx.problems.append(Problem(
                f"{entry.path}.subject.reference",
                f"the same patient as {first.ref} (one case is about one patient)",
                describe_value(reference)))
            return
