"""Liver lesion sizes from radiology observations coded with standard codes.

mCODE STU1 *Tumor Size* (profile ``mcode-tumor-size``): an Observation coded LOINC
21889-1 *Size Tumor*, whose longest dimension is the component LOINC 33728-7
*Size.maximum dimension in Tumor* (or, without components, the value itself). The
lesion is in the liver when the Observation's ``bodySite`` is the liver (SNOMED CT
10200004 *Liver structure*, a lobe or Couinaud segment of codes.LIVER_SIDES, ICD-O-3
C22.x) or names a BodyStructure whose ``location`` is (``focus``, or the bodySite
extension; the BodyStructure must be about the same patient: lobes.site_concepts). Its
lobe, when coded, also counts for ``liver.bilobar`` (lobes.py).

A radiology report measures each lesion in its own Observation, so several sizes on one
day are several lesions, not conflicting results: ``liver.largest_lesion_cm`` is the
largest lesion measured in the latest study (one calendar day), with a note that it is
the largest *measured*. Lesions of other organs, and sizes whose site is not given, are
not read as liver lesions. The number of lesions is never inferred from the number of
measurements (a report measures target lesions, not all of them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nelm.errors import Problem, describe_value
from nelm.interop.fhir.codes import SNOMED_BODY_SITES, topography
from nelm.interop.fhir.collect import Finding, LesionSize, Source
from nelm.interop.fhir.context import Context, number, range_problem
from nelm.interop.fhir.dates import When
from nelm.interop.fhir.lobes import note_sides, site_concepts
from nelm.interop.fhir.systems import (
    ICDO3,
    LOINC,
    SNOMED,
    UCUM,
    canonical_system,
    codings,
    elements,
)
from nelm.interop.fhir.units import KINDS, UnitError, convert
from nelm.interop.fhir.validate import Entry

__all__ = [
    "TUMOR_SIZE",
    "LesionSize",
    "is_tumor_size",
    "largest_liver_lesion",
    "read_tumor_size",
]

TUMOR_SIZE = (LOINC, "21889-1")  # Size Tumor (mCODE Tumor Size)
LONGEST_DIMENSION = (LOINC, "33728-7")  # Size.maximum dimension in Tumor
_FIELD = "liver.largest_lesion_cm"


def is_tumor_size(resource: Mapping[str, Any]) -> bool:
    return TUMOR_SIZE in set(codings(resource.get("code")))


def _site_codes(concepts: Any) -> set[str]:
    sites: set[str] = set()
    items = concepts if isinstance(concepts, list) else [concepts]
    for concept in items:
        for system, code in codings(concept):
            site = None
            if system == ICDO3:
                site = topography(code)
            elif system == SNOMED:
                site = SNOMED_BODY_SITES.get(code)
            if site is not None:
                sites.add(site)
    return sites


def _in_liver(ctx: Context, entry: Entry) -> bool | None:
    """True (liver), False (another organ) or None (the site is not given)."""
    sites: set[str] = set()
    for concept in site_concepts(ctx, entry):
        sites |= _site_codes(concept)
    if not sites:
        return None
    return sites == {"liver"}


def read_tumor_size(ctx: Context, entry: Entry, when: When | None) -> None:
    """Read an mCODE Tumor Size Observation (status already checked by the caller)."""
    resource = entry.resource
    where = _in_liver(ctx, entry)
    if where is None:
        # a body site given in a code this mapping does not know (the breast) is not "no
        # body site": the note says the site does not say the liver
        given = any(isinstance(c, dict) and c for c in site_concepts(ctx, entry))
        ctx.notes.add(
            "not used: tumour size whose body site does not say the lesion is in the liver"
            if given
            else "not used: tumour size without a body site (bodySite, or focus on a "
            "BodyStructure with a location) that says the lesion is in the liver",
            entry.ref,
        )
        return
    if not where:
        ctx.notes.add("not used: tumour size of a lesion outside the liver", entry.ref)
        return
    note_sides(ctx, entry, when, study=True)  # its lobe, for liver.bilobar (lobes.py)
    quantity, path = _longest(resource, entry.path)
    if quantity is None:
        ctx.notes.add(
            f"{_FIELD} not set: the tumour size has no longest dimension "
            "(component LOINC 33728-7 or valueQuantity)",
            entry.ref,
        )
        return
    raw = number(quantity.get("value"))
    if raw is None or quantity.get("comparator"):
        ctx.notes.add(f"{_FIELD} not set: the size is not a plain number", entry.ref)
        return
    unit = (
        quantity.get("code")
        if canonical_system(str(quantity.get("system", ""))) == UCUM
        else quantity.get("unit")
    )
    try:
        cm = round(convert("length", raw, unit if isinstance(unit, str) else None), 4)
    except UnitError as exc:
        ctx.flaw(
            Problem(
                f"{path}.unit",
                f"{entry.ref}: {exc} for {_FIELD}",
                describe_value(unit) if unit is not None else "no unit",
            ),
            _FIELD,
        )
        return
    problem = range_problem(
        _FIELD,
        cm,
        f"{path}.value",
        entry.ref,
        f"{raw:g} {unit} = {cm:g} {KINDS['length'].case_unit}",
        same_unit=KINDS["length"].factor(unit if isinstance(unit, str) else "") == 1.0,
    )
    if problem is not None:
        ctx.reject_value(problem, _FIELD, entry.ref)
        return
    ctx.liver_lesions.append(
        LesionSize(Source(entry.ref, entry.path, "LOINC 21889-1 / 33728-7"), when, cm)
    )


def _longest(resource: Mapping[str, Any], base: str) -> tuple[Mapping[str, Any] | None, str]:
    for index, component in enumerate(elements(resource.get("component"))):
        if isinstance(component, Mapping) and LONGEST_DIMENSION in set(
            codings(component.get("code"))
        ):
            quantity = component.get("valueQuantity")
            if isinstance(quantity, Mapping):
                return quantity, f"{base}.component[{index}].valueQuantity"
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, Mapping):
        return quantity, f"{base}.valueQuantity"
    return None, base


def largest_liver_lesion(ctx: Context) -> list[Finding]:
    """The largest lesion measured in the latest study (one calendar day)."""
    lesions = ctx.liver_lesions
    if not lesions:
        return []
    dated = [lesion for lesion in lesions if lesion.when is not None]
    if len(dated) != len(lesions):
        ctx.notes.add(
            f"{_FIELD} not set from tumour sizes: a liver lesion size has no date, "
            "so the latest study cannot be told"
        )
        return []
    latest_day = max(lesion.when.first_day for lesion in dated if lesion.when is not None)
    study = [
        lesion
        for lesion in dated
        if lesion.when is not None and lesion.when.first_day == latest_day
    ]
    largest = max(study, key=lambda lesion: lesion.cm)
    others = ", ".join(lesion.source.ref for lesion in study if lesion is not largest)
    ctx.notes.add(
        f"{_FIELD}: the largest of the {len(study)} liver lesion(s) measured on "
        f"{latest_day.isoformat()} (lesions not measured may be larger)"
        + (f"; the others: {others}" if others else ""),
        largest.source.ref,
    )
    return [Finding(_FIELD, largest.cm, largest.source, largest.when)]
