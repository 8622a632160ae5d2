"""The mutations of ``tools/messy_fhir.py``: FHIR values as EHRs write them.

Each mutation rewrites the one Observation a field was read from and says what the field
may then read as: the same value (within 1 %), unknown, or given bounds. What may be read
follows docs/fhir-mapping.md: a unit of another spelling is the same unit; a unit of the
wrong dimension, a value nelm cannot read exactly, a status that does not count, a date
after the assessment date or a resource not attributed to the patient leave it unknown; a
comparator or a range is a bound where case-v1 holds bounds, else unknown.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, STRICT_BOUNDS, Kind

UNKNOWN = "unknown"  # the field (and its bounds) must stay unknown
SAME = "same"  # the baseline value
SAME_OR_UNKNOWN = "same-or-unknown"  # read as sent, or left unknown: never another value
OR_UNKNOWN = "?"  # in a dict of bounds: those bounds, or unknown (a count bound below 1)
LOINC = "http://loinc.org"
LOINC_OID = "urn:oid:2.16.840.1.113883.6.1"

# Another spelling of each case unit, with the factor from the case unit (docs/fhir-mapping
# "Units"; nelm.interop.fhir.units: 17.1 µmol/L bilirubin and 88.4 µmol/L creatinine per
# mg/dL, 10 g/L per g/dL, 10^9/L = 10^3/µL, 10 mm per cm), and one of the wrong dimension.
SPELLINGS: dict[str, tuple[tuple[str, float], ...]] = {
    "labs.bilirubin_mg_dl": (
        ("mg/dL", 1),
        ("mg/dl", 1),
        ("MG/DL", 1),
        ("umol/L", 17.1),
        ("µmol/L", 17.1),
        ("μmol/L", 17.1),
    ),
    "labs.creatinine_mg_dl": (("mg/dl", 1), ("MG/DL", 1), ("umol/L", 88.4), ("μmol/L", 88.4)),
    "labs.albumin_g_dl": (("g/dl", 1), ("G/DL", 1), ("g/L", 10)),
    "labs.hemoglobin_g_dl": (("g/dl", 1), ("G/DL", 1), ("g/L", 10)),
    "labs.platelets_per_ul": (
        ("10*3/uL", 1e-3),
        ("10^9/L", 1e-3),
        ("x10E3/uL", 1e-3),
        ("/uL", 1),
    ),
    "labs.egfr_ml_min": (("mL/min/{1.73_m2}", 1), ("mL/min/1.73m2", 1)),
    "pathology.ki67_percent": (("%", 1), ("percent", 1), ("{percent}", 1)),
    "liver.largest_lesion_cm": (("cm", 1), ("mm", 10)),
    "liver.tumor_burden_percent": (("%", 1), ("percent", 1)),
}
WRONG_DIMENSION = {"liver.largest_lesion_cm": "mg/dL", "labs.platelets_per_ul": "mg/dL"}
CASE_UNIT = {
    "labs.bilirubin_mg_dl": "mg/dL",
    "labs.creatinine_mg_dl": "mg/dL",
    "labs.albumin_g_dl": "g/dL",
    "labs.hemoglobin_g_dl": "g/dL",
    "labs.platelets_per_ul": "/uL",
    "labs.egfr_ml_min": "mL/min/{1.73_m2}",
    "pathology.ki67_percent": "%",
    "pathology.mitoses_per_2mm2": "{mitoses}/(2.mm2)",
    "liver.largest_lesion_cm": "cm",
    "liver.tumor_burden_percent": "%",
}
# The fields held with bounds whose unit their code implies: a bound without a unit is
# read in it. Not the mitotic count (per mm², 2 mm² or 10 mm²) nor a length (cm or mm).
IMPLIED = frozenset({"pathology.ki67_percent", "liver.tumor_burden_percent", "liver.lesion_count"})
FIELDS = (
    *CASE_UNIT,
    "liver.lesion_count",
    "imaging.sstr_positive",
    "imaging.krenning_score",
    "patient.ecog",
)


@dataclass(frozen=True)
class Mutation:
    """One rewritten Observation and what its field may read as afterwards."""

    name: str
    resource: dict[str, Any]
    expect: str | dict[str, float]  # UNKNOWN, SAME, SAME_OR_UNKNOWN or bounds by path
    contained: dict[str, Any] | None = None  # a Patient to contain (subject "#p")


Make = Callable[[dict[str, Any], str, Any, dt.date], Iterator[Mutation]]


def _without_value(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if not k.startswith("value")}


def _quantity(value: float, unit: str | None, code: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value}
    if unit is not None:
        out["unit"] = unit
    if code is not None:
        out.update(system="http://unitsofmeasure.org", code=code)
    return out


def _bound(field: str, value: float, upper: bool, strict: bool) -> dict[str, float] | str:
    """What a comparator must read as: the bound of the field's kind, or unknown."""
    if field not in BOUNDS:
        return UNKNOWN
    # "<" and ">" are the strict bounds of a number that need not be whole
    # (docs/case-v1-additions.md, "Strict bounds"), the whole inclusive ones of a count
    path = (STRICT_BOUNDS if strict and field in STRICT_BOUNDS else BOUNDS)[field][
        1 if upper else 0
    ]
    if FIELD_BY_PATH[path].kind is Kind.INTEGER:  # a whole count (observations._bounds)
        if upper:
            value = math.ceil(value) - 1 if strict else math.floor(value)
        else:
            value = math.floor(value) + 1 if strict else math.ceil(value)
        if value < 1:  # "< 1 lesion": out of the field's range, so unknown is right too
            return {path: value, OR_UNKNOWN: 1}
    return {path: value}


def _unit_less(
    field: str, expect: str | dict[str, float], largest: float
) -> str | dict[str, float]:
    """What a bound or range written without a unit must read as: its bounds where the
    field's code implies the unit, a percentage or a count (docs/fhir-mapping.md, "A number
    sent as text"), unless every number of a percentage is below 1 (it may be a fraction);
    else unknown."""
    if field not in IMPLIED or (CASE_UNIT.get(field) == "%" and largest < 1):
        return UNKNOWN
    return expect


def unit_mutations(resource: dict[str, Any], field: str, value: Any) -> Iterator[Mutation]:
    if field not in CASE_UNIT or not isinstance(value, int | float):
        return
    base = _without_value(resource)
    for unit, factor in SPELLINGS.get(field, ()):
        sent = round(value * factor, 6)
        yield Mutation(
            f"unit {unit!r} as code", {**base, "valueQuantity": _quantity(sent, unit, unit)}, SAME
        )
        yield Mutation(
            f"unit {unit!r} as text only", {**base, "valueQuantity": _quantity(sent, unit)}, SAME
        )
        yield Mutation(
            f"unit {unit!r} as code only",
            {
                **base,
                "valueQuantity": {
                    "value": sent,
                    "system": "http://unitsofmeasure.org",
                    "code": unit,
                },
            },
            SAME,
        )
    wrong = WRONG_DIMENSION.get(field, "cm")
    yield Mutation(
        f"wrong-dimension unit {wrong!r}",
        {**base, "valueQuantity": _quantity(value, wrong, wrong)},
        UNKNOWN,
    )
    yield Mutation("no unit", {**base, "valueQuantity": {"value": value}}, SAME_OR_UNKNOWN)
    yield Mutation(
        "unit text, no value", {**base, "valueQuantity": {"unit": CASE_UNIT[field]}}, UNKNOWN
    )


def value_mutations(resource: dict[str, Any], field: str, value: Any) -> Iterator[Mutation]:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return
    base = _without_value(resource)
    unit = CASE_UNIT.get(field)
    number = int(value) if float(value).is_integer() else value
    quantity = _quantity(number, unit, unit) if unit else {"value": number}
    if unit is not None or field == "liver.lesion_count":
        yield Mutation("valueString number", {**base, "valueString": f"{number}"}, SAME_OR_UNKNOWN)
        # Text with the case unit of a tumour finding is read as the bound or range it
        # spells; so is a bound or range without a unit where the field's code implies the
        # unit (IMPLIED), and nowhere else (_unit_less).
        said = f" {unit}" if unit in ("%", "cm") else ""
        top = number + 5
        for written in dict.fromkeys((said, "")):
            suffix = " no unit" if said and not written else ""
            for sign, upper in (("<", True), (">", False)):
                bound = _bound(field, number, upper, True)
                text = {**base, "valueString": f"{sign}{number}{written}"}
                expect = bound if written else _unit_less(field, bound, number)
                yield Mutation(f"valueString {sign}N{suffix}", text, expect)
            ranged: str | dict[str, float] = UNKNOWN
            if field in BOUNDS:
                ranged = {BOUNDS[field][0]: number, BOUNDS[field][1]: top}
            spelt = {**base, "valueString": f"{number}-{top}{written}"}
            expect = ranged if written else _unit_less(field, ranged, top)
            yield Mutation(f"valueString range{suffix}", spelt, expect)
        yield Mutation(
            "comparator '<'",
            {**base, "valueQuantity": {**quantity, "comparator": "<"}},
            _bound(field, number, True, True),
        )
        yield Mutation(
            "comparator '>='",
            {**base, "valueQuantity": {**quantity, "comparator": ">="}},
            _bound(field, number, False, False),
        )
        both: str | dict[str, float] = UNKNOWN
        if field in BOUNDS:
            both = {BOUNDS[field][0]: number, BOUNDS[field][1]: top}
        low, high = dict(quantity), {**quantity, "value": top}
        yield Mutation("valueRange", {**base, "valueRange": {"low": low, "high": high}}, both)
        ratio_expect = SAME_OR_UNKNOWN if unit == "%" else UNKNOWN
        ratio = {"numerator": {"value": number}, "denominator": {"value": 100}}
        yield Mutation("valueRatio n/100", {**base, "valueRatio": ratio}, ratio_expect)
        integer_expect = SAME_OR_UNKNOWN if number == int(number) else UNKNOWN
        yield Mutation("valueInteger", {**base, "valueInteger": int(number)}, integer_expect)
    yield Mutation(
        "valueCodeableConcept text only",
        {**base, "valueCodeableConcept": {"text": f"{number}"}},
        UNKNOWN,
    )
    yield Mutation(
        "number as JSON text",
        {**base, "valueQuantity": {**quantity, "value": f"{number}"}},
        UNKNOWN,
    )


def generic_mutations(resource: dict[str, Any], as_of: dt.date) -> Iterator[Mutation]:
    base = _without_value(resource)
    yield Mutation(
        "dataAbsentReason",
        {
            **base,
            "dataAbsentReason": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "not-performed",
                    }
                ]
            },
        },
        UNKNOWN,
    )
    high = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                "code": "H",
            }
        ]
    }
    yield Mutation("interpretation only (H)", {**base, "interpretation": [high]}, UNKNOWN)
    for status, expect in (
        ("entered-in-error", UNKNOWN),
        ("cancelled", UNKNOWN),
        ("preliminary", UNKNOWN),
        ("amended", SAME),
        ("corrected", SAME),
    ):
        yield Mutation(f"status {status}", {**resource, "status": status}, expect)
    undated = {k: v for k, v in resource.items() if not k.startswith("effective") and k != "issued"}
    when = str(resource.get("effectiveDateTime") or resource.get("issued") or as_of.isoformat())
    day = when[:10]
    yield Mutation("no date", undated, SAME)
    # a month counts as its whole span: one that runs past the assessment date may be after it
    partial = SAME if day[:7] < as_of.isoformat()[:7] else SAME_OR_UNKNOWN
    yield Mutation(
        "dated in the future",
        {**undated, "effectiveDateTime": (as_of + dt.timedelta(days=30)).isoformat()},
        UNKNOWN,
    )
    yield Mutation(
        "effectivePeriod", {**undated, "effectivePeriod": {"start": day, "end": day}}, SAME
    )
    yield Mutation("partial date (year-month)", {**undated, "effectiveDateTime": day[:7]}, partial)
    yield Mutation("issued only", {**undated, "issued": f"{day}T08:00:00Z"}, SAME)
    yield from _code_mutations(resource)
    yield Mutation(
        "subject as display only", {**resource, "subject": {"display": "the patient"}}, UNKNOWN
    )
    yield Mutation(
        "subject as another identifier",
        {
            **resource,
            "subject": {"identifier": {"system": "urn:oid:1.2.3.4", "value": "other-mrn"}},
        },
        UNKNOWN,
    )
    contained = {"resourceType": "Patient", "id": "p", "gender": "female"}
    yield Mutation(
        "subject as a contained Patient",
        {**resource, "contained": [contained], "subject": {"reference": "#p"}},
        UNKNOWN,
    )


def _code_mutations(resource: dict[str, Any]) -> Iterator[Mutation]:
    code = resource.get("code") or {}
    codings = [c for c in code.get("coding") or () if isinstance(c, dict)]
    loinc = [c for c in codings if c.get("system") == LOINC]
    if loinc:
        bare = [{k: v for k, v in c.items() if k != "system"} for c in loinc]
        yield Mutation(
            "LOINC without system", {**resource, "code": {"coding": bare}}, SAME_OR_UNKNOWN
        )
        oid = [{**c, "system": LOINC_OID} for c in loinc]
        yield Mutation("LOINC as its OID", {**resource, "code": {"coding": oid}}, SAME)
    local = {"system": "https://lab.example.org/codes", "code": "X-42", "display": "local test"}
    yield Mutation(
        "a local code beside", {**resource, "code": {**code, "coding": [local, *codings]}}, SAME
    )
    text = next((c.get("display") for c in codings if c.get("display")), None) or "Ki-67"
    yield Mutation("display text only", {**resource, "code": {"text": text}}, UNKNOWN)


def mutations(
    resource: dict[str, Any], field: str, value: Any, as_of: dt.date
) -> Iterator[Mutation]:
    """Every mutation of ``resource``, the Observation ``field`` was read from as ``value``."""
    resource = copy.deepcopy(resource)
    yield from unit_mutations(resource, field, value)
    yield from value_mutations(resource, field, value)
    yield from generic_mutations(resource, as_of)
