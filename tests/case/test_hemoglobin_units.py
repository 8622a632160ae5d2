"""A haemoglobin typed in another unit: caught, not silently used.

Expected values from the sources plausibility.yaml cites: the reference interval of
haemoglobin is 12-17.5 g/dL (Merck Manual, Normal Laboratory Values); 1 g/dL = 0.6206 mmol/L,
i.e. 1 mmol/L = 1.611 g/dL, and 10 g/L = 1 g/dL (Young DS, Ann Intern Med 1987;106:114-129),
so the reference is 7.4-10.9 mmol/L and 120-175 g/L. PRRT asks for haemoglobin ≥ 8 g/dL
(NETTER-1 eligibility; 001 PRRT "adequate bone marrow reserve").

* 130 meant as g/L (13 g/dL) is beyond case-v1's hard range of 2-25 g/dL: rejected, naming
  the field, the range and the value, with the g/L reading.
* 8.1 meant as mmol/L (8.1 × 1.611 = 13.05 g/dL) is, in g/dL, an anaemia that occurs: it
  cannot be told from the slip, so it is assessed as given with a warning naming the field,
  the value, the reference and the mmol/L reading (as a bilirubin in µmol/L is).
* A FHIR result states its unit: g/L and mmol/L are converted, an unknown unit leaves the
  field unknown and listed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.case.document import case_from_mapping
from nelm.case.plausibility import unit_questions
from nelm.errors import InputRejected
from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    quantity,
)
from nelm.service import assess_fhir, assess_mapping
from tests.engine.cases import eligible_case

FIELD = "labs.hemoglobin_g_dl"
ON = dt.date(2025, 1, 15)


def _assess(hb: Any, **extra: Any) -> dict[str, Any]:
    return assess_mapping(eligible_case("prrt", {FIELD: hb}) | extra, with_evidence=False)


def _warnings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in doc["input_warnings"] if FIELD in w.get("fields", ())]


def _criterion(doc: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in doc["options"]["prrt"]["criteria"] if c["id"] == "prrt.hemoglobin")


def test_130_meant_as_g_per_l_is_rejected_naming_field_range_value_and_reading() -> None:
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(eligible_case("prrt", {FIELD: 130}))
    message = str(caught.value)
    assert FIELD in message
    assert "between 2 and 25" in message and "got 130" in message
    assert "did you mean 130 g/L = 13 g/dL?" in message


def test_8_1_meant_as_mmol_per_l_is_questioned_not_silently_used() -> None:
    doc = _assess(8.1)
    (check,) = _warnings(doc)
    assert check["kind"] == "unit_check"
    assert check["value"] == 8.1 and check["unit"] == "g/dL"
    assert check["hint"] == "did you mean 8.1 mmol/L = 13 g/dL?"  # 8.1 × 1.611 = 13.05
    assert check["reference"] == "12-17.5 g/dL"
    assert check["other_reference"] == "7.4-10.9 mmol/L"
    assert check["message"].startswith(
        "Haemoglobin (labs.hemoglobin_g_dl) 8.1 g/dL is below the reference 12-17.5 g/dL"
    )
    assert check["message"] in doc["warnings"]


def test_a_haemoglobin_in_mmol_per_l_is_converted_and_not_questioned() -> None:
    doc = _assess({"value": 7.9, "unit": "mmol/L"})
    assert _warnings(doc) == []
    # 7.9 mmol/L = 12.7 g/dL ≥ 8 g/dL (NETTER-1); read as g/dL it would fail
    assert _criterion(doc)["result"] == "met"
    assert _criterion(_assess(7.9))["result"] == "not_met"


@pytest.mark.parametrize(
    ("value", "questioned"),
    [
        (7.3, False),  # below 7.4 mmol/L, the reference's low end in mmol/L (12 / 1.611)
        (7.4, True),
        (10.9, True),  # the reference's top in mmol/L (17.5 / 1.611 = 10.86)
        (11.0, False),  # a mild anaemia in g/dL, not a usual mmol/L value
        (13.5, False),  # normal in g/dL (12-17.5)
    ],
)
def test_the_zone_of_doubt(value: float, questioned: bool) -> None:
    assert bool(unit_questions({FIELD: value})) is questioned


def test_below_the_plausible_range_it_is_implausible_with_the_mmol_reading() -> None:
    (finding,) = _warnings(_assess(3.5))
    assert finding["kind"] == "implausible"
    assert "did you mean 3.5 mmol/L = 5.64 g/dL?" in finding["message"]  # 3.5 × 1.611


def _bundle(value: float, unit: str) -> dict[str, Any]:
    # LOINC 718-7 Hemoglobin [Mass/volume] in Blood
    hb = observation_resource(
        "hb",
        "http://loinc.org",
        "718-7",
        effective="2025-01-10",
        valueQuantity=quantity(value, unit),
    )
    return bundle_of(patient_resource("p"), neuroendocrine_marker(), hb)


@pytest.mark.parametrize(
    ("value", "unit", "g_dl"),
    [(130, "g/L", 13.0), (8.1, "mmol/L", 8.1 * 1.611), (13, "g/dL", 13.0)],
)
def test_a_fhir_haemoglobin_in_g_per_l_or_mmol_per_l_is_converted(
    value: float, unit: str, g_dl: float
) -> None:
    mapping = bundle_to_case(_bundle(value, unit), assessment_date=ON)
    assert mapping.document["labs"][FIELD.split(".")[1]] == pytest.approx(g_dl, abs=0.01)
    doc = assess_fhir(_bundle(value, unit), assessment_date=ON, with_evidence=False)
    assert _warnings(doc) == []  # the record states its unit: no doubt about it


def test_a_fhir_haemoglobin_in_a_unit_it_cannot_convert_is_unknown_and_listed() -> None:
    mapping = bundle_to_case(_bundle(8.1, "umol/L"), assessment_date=ON)
    assert FIELD.split(".")[1] not in mapping.document.get("labs", {})
    assert FIELD in mapping.unmapped
    [issue] = [i for i in mapping.issues if i.endswith(f"{FIELD} is left unknown")]
    assert issue.startswith("Observation/hb: a unit convertible to g/dL")
    assert 'got "umol/L"' in issue
