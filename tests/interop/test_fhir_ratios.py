"""Percentages sent as a fraction in UCUM's unity or as a FHIR Ratio (nelm.interop.fhir.ratios).

Meanings: UCUM (The Unified Code for Units of Measure, https://ucum.org/ucum): the unity
``1`` is a pure number and ``%`` is 10^-2 of it, so 0.15 in unit 1 is 15 %; an annotation
in curly braces carries no meaning of its own (§12), so ``%{tot}`` is ``%`` and ``{ratio}``
alone is the unity. FHIR R4 Ratio (https://hl7.org/fhir/R4/datatypes.html#Ratio): "a
relationship of two Quantity values — expressed as a numerator and a denominator", so
15/100 is 15 %. A value of 1 or more in unit 1 cannot be told from a percentage sent with
the wrong unit: unknown, listed (docs/fhir-mapping.md, "A percentage as a fraction or a
ratio").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
)

UCUM = "http://unitsofmeasure.org"
DAY = dt.date(2025, 1, 15)


def _map(code: str = "29593-1", **value: Any) -> FhirMapping:
    # LOINC 29593-1 Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain (unit %)
    observation = observation_resource(
        "ki67", "http://loinc.org", code, effective="2025-01-10", **value
    )
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), observation)
    return bundle_to_case(bundle, assessment_date=DAY)


def _ki67(mapping: FhirMapping) -> Any:
    return mapping.document.get("pathology", {}).get("ki67_percent")


def _ucum(value: float, code: str, **more: Any) -> dict[str, Any]:
    return {"value": value, "system": UCUM, "code": code, **more}


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (_ucum(0.15, "1"), 15),  # UCUM unity: 0.15 = 15 %
        (_ucum(0.02, "1", unit="1"), 2),
        (_ucum(0, "1"), 0),
        (_ucum(0.15, "{fraction}"), 15),  # an annotation alone is the unity (UCUM §12)
        (_ucum(15, "%{tot}"), 15),  # "%{tot}" is "%" (UCUM §12)
        (_ucum(15, "%{positive}", unit="%"), 15),
        ({"value": 15, "unit": "%{cells}"}, 15),  # no system: the unit text, same rule
    ],
)
def test_ki67_as_a_fraction_or_an_annotated_percentage(
    quantity: dict[str, Any], expected: float
) -> None:
    mapping = _map(valueQuantity=quantity)
    assert _ki67(mapping) == expected
    assert mapping.issues == ()
    assert "Observation/ki67" in mapping.provenance["pathology.ki67_percent"]


@pytest.mark.parametrize("code", ["{percent}", "{%}", "{pct}", " {Percent} "])
@pytest.mark.parametrize("value", [0.5, 14])
def test_an_annotation_that_names_the_per_cent_is_per_cent(code: str, value: float) -> None:
    # Laboratory interfaces write "{percent}" for "%". Read as UCUM's unity (§12), a Ki-67
    # of 0.5 {percent} would be the fraction 0.5 = 50 %, a G1 tumour (Ki-67 <= 2 %) read
    # as a G3 one (> 20 %; seeds/001_f28466d6ea57c831.txt, Introduction): the annotation
    # says the number is in per cent.
    mapping = _map(valueQuantity=_ucum(value, code.strip(), unit=code))
    assert _ki67(mapping) == value
    assert mapping.issues == ()


@pytest.mark.parametrize("value", [1, 1.5, 15, 80])
def test_a_value_of_one_or_more_in_the_unity_is_ambiguous_and_unknown(value: float) -> None:
    # 15 in unit "1" is 1,500 % as UCUM reads it, or 15 % sent with the wrong unit; 1 is
    # 100 % or 1 %: never guessed
    mapping = _map(valueQuantity=_ucum(value, "1"))
    assert _ki67(mapping) is None
    (issue,) = mapping.issues
    assert issue.startswith("Observation/ki67: for pathology.ki67_percent a fraction below 1")
    assert f"got {value:g} in the unit '1'" in issue
    assert issue.endswith("pathology.ki67_percent is left unknown")


def test_a_bound_in_the_unity_is_a_bound_in_percent() -> None:
    # "< 0.02" in unit 1 is less than 2 % (a comparator gives a bound, "<" a strict one:
    # docs/fhir-mapping.md)
    mapping = _map(valueQuantity=_ucum(0.02, "1", comparator="<"))
    assert mapping.document["pathology"]["ki67_percent_less_than"] == 2


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        ({"numerator": {"value": 15}, "denominator": {"value": 100}}, 15),
        ({"numerator": _ucum(3, "{cells}"), "denominator": _ucum(20, "{cells}")}, 15),
        ({"numerator": _ucum(12, "1"), "denominator": {"value": 400}}, 3),
        ({"numerator": {"value": 1}, "denominator": {"value": 8}}, 12.5),
    ],
)
def test_ki67_as_a_ratio(ratio: dict[str, Any], expected: float) -> None:
    mapping = _map(valueRatio=ratio)
    assert _ki67(mapping) == expected
    assert mapping.issues == ()
    assert any("read from a ratio (valueRatio)" in note for note in mapping.notes)


@pytest.mark.parametrize(
    ("ratio", "said"),
    [
        ({"numerator": {"value": 15}}, "a ratio with a numerator and a denominator"),
        ({"numerator": {"value": 15}, "denominator": {"value": 0}}, "denominator is above 0"),
        (
            {"numerator": {"value": 15, "comparator": "<"}, "denominator": {"value": 100}},
            "not a bound",
        ),
        ({"numerator": _ucum(15, "%"), "denominator": {"value": 100}}, "in one unit"),
        ({"numerator": _ucum(15, "mg"), "denominator": _ucum(1, "g")}, "in one unit"),
        ({"numerator": {"value": "15"}, "denominator": {"value": 100}}, "two numbers"),
    ],
)
def test_a_ratio_that_says_no_percentage_leaves_ki67_unknown(
    ratio: dict[str, Any], said: str
) -> None:
    mapping = _map(valueRatio=ratio)
    assert _ki67(mapping) is None
    assert any(said in issue and "valueRatio" in issue for issue in mapping.issues)


def test_a_ratio_above_a_whole_is_out_of_range() -> None:
    # 150/100 = 150 %: outside 0–100 %, refused as any Ki-67 above 100 % is
    mapping = _map(valueRatio={"numerator": {"value": 150}, "denominator": {"value": 100}})
    assert _ki67(mapping) is None
    (warning,) = mapping.rejected_values
    assert warning["value_as_sent"] == "150/100 = 150 %"


def test_lvef_as_a_fraction_reads_alike() -> None:
    # LOINC 10230-1 Left ventricular Ejection fraction (unit %): 0.55 in unit 1 is 55 %
    mapping = _map("10230-1", valueQuantity=_ucum(0.55, "1"))
    assert mapping.document["patient"]["lvef_percent"] == 55


@pytest.mark.parametrize(
    ("fraction", "percent"),
    [(0.03, 3), (0.1, 10), (0.2, 20), (0.55, 55)],
)
def test_a_fraction_at_a_threshold_is_the_threshold_itself(fraction: float, percent: int) -> None:
    # 0.2 × 100 is 20.000000000000004 in binary floating point, which "> 20" (000 §1: G3)
    # would take for G3; 0.1 × 100 would fail "Ki-67 ≤ 10%" (004 §3.3) and 0.55 × 100 "Ki-67
    # ≥ 10 % and ≤ 55 %" (NETTER-2). The fraction is the threshold exactly.
    assert _ki67(_map(valueQuantity=_ucum(fraction, "1"))) == percent
