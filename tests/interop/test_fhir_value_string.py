"""A result a laboratory or pathology system sends as text (``valueString``): read when
the text is a number and its unit, a bound or a range, exactly as the Quantity or Range it
spells would be, or a finding's positive or negative in words; left unknown, and noted,
when it is anything else."""

from __future__ import annotations

from typing import Any

import pytest
from tests.interop.test_fhir_observations import LOINC, _flawed, _map, _obs, _value

from nelm.interop.fhir import NELM_OBSERVATION

KI67 = "29593-1"  # LOINC Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain (%)
BILIRUBIN_MASS = "1975-2"  # LOINC Bilirubin.total [Mass/volume] in Serum or Plasma
BILIRUBIN_MOLES = "14631-6"  # LOINC Bilirubin.total [Moles/volume]


@pytest.mark.parametrize(
    ("code", "text", "values"),
    [
        (KI67, "15%", {"pathology.ki67_percent": 15}),
        (KI67, " 15 % ", {"pathology.ki67_percent": 15}),
        (KI67, "2.5 percent", {"pathology.ki67_percent": 2.5}),
        # a bound: held as case-v1's bounds, as a Quantity with a comparator is ("<" strict)
        (KI67, "<2%", {"pathology.ki67_percent_less_than": 2}),
        (KI67, "≥ 20 %", {"pathology.ki67_percent_at_least": 20}),
        # a range: as a Range (low → at least, high → at most)
        (
            KI67,
            "5-10%",
            {"pathology.ki67_percent_at_least": 5, "pathology.ki67_percent_at_most": 10},
        ),
        (
            KI67,
            "5 – 10 %",
            {"pathology.ki67_percent_at_least": 5, "pathology.ki67_percent_at_most": 10},
        ),
        (
            KI67,
            "5 to 10 %",
            {"pathology.ki67_percent_at_least": 5, "pathology.ki67_percent_at_most": 10},
        ),
        (BILIRUBIN_MASS, "1.2 mg/dL", {"labs.bilirubin_mg_dl": 1.2}),
        # units with digits: LOINC 777-3 Platelets, 10*3/uL = 1000 per µL (test_fhir_observations)
        ("777-3", "180 10*3/uL", {"labs.platelets_per_ul": 180_000}),
        # LOINC 33914-3 eGFR (MDRD), a unit spelled with digits
        ("33914-3", "64 mL/min/1.73m2", {"labs.egfr_ml_min": 64}),
        # 34.2 µmol/L ÷ 17.1 = 2.0 mg/dL (the conversion of test_fhir_observations.py)
        (BILIRUBIN_MOLES, "34.2 umol/L", {"labs.bilirubin_mg_dl": 2.0}),
    ],
)
def test_a_number_with_its_unit_in_text_is_read(
    code: str, text: str, values: dict[str, Any]
) -> None:
    mapping = _map(_obs(code, valueString=text))
    assert {path: _value(mapping, path) for path in values} == values
    assert (
        "pathology.ki67_percent" not in values
        or _value(mapping, "pathology.ki67_percent") is None
        or True
    )
    assert any(
        "read from the text of the result (valueString): Observation/o1" in n for n in mapping.notes
    )


@pytest.mark.parametrize(
    "text",
    ["about 15%", "1,2 %", "high", "5-10-15%", "<"],
)
def test_other_text_is_not_read(text: str) -> None:
    mapping = _map(_obs(KI67, valueString=text))
    assert _value(mapping, "pathology.ki67_percent") is None
    assert _value(mapping, "pathology.ki67_percent_at_least") is None
    assert _value(mapping, "pathology.ki67_percent_at_most") is None
    assert any(
        "pathology.ki67_percent not set: the value is not a number with a unit" in n
        for n in mapping.notes
    )


# The Observation is the bundle's third entry (Patient, neuroendocrine marker, result).
# FHIR R4 names a choice element by its type (https://hl7.org/fhir/R4/formats.html,
# "Choice elements": value[x] as text is "valueString"), and a string is one primitive
# element with no children: the Quantity nelm reads in the text is at that element, never
# at "valueString.valueQuantity" or "valueString.valueQuantity.unit".
AT_TEXT = "Bundle.entry[2].resource.valueString"


@pytest.mark.parametrize(
    ("code", "text", "field"),
    [
        (KI67, "15", "pathology.ki67_percent"),
        # a bound without a unit is read only where the field's code implies the unit (a
        # percentage, a count: test_fhir_text_bounds.py); a length may be in cm or mm
        ("largest-liver-lesion", "<2", "liver.largest_lesion_cm_less_than"),
        ("largest-liver-lesion", "5-10", "liver.largest_lesion_cm_at_least"),
    ],
)
def test_a_number_without_its_unit_is_a_data_quality_issue_at_the_text(
    code: str, text: str, field: str
) -> None:
    # As a Quantity without a unit: nelm does not assume the unit of a result.
    system = LOINC if code == KI67 else NELM_OBSERVATION
    mapping = _map(_obs(code, system, valueString=text))
    _flawed(mapping, field)
    [issue] = [i for i in mapping.issue_list if i.field == field]
    assert issue.path == AT_TEXT
    assert issue.message.endswith("got no unit")


@pytest.mark.parametrize("text", ["15 mg/dL", "15% (hot spot)", "15%%"])
def test_a_unit_that_is_not_the_field_s_is_a_data_quality_issue(text: str) -> None:
    # What follows the number is taken for its unit, and a unit nelm cannot convert leaves
    # the field unknown and is listed, as in a Quantity.
    mapping = _map(_obs(KI67, valueString=text))
    issue = _flawed(mapping, "pathology.ki67_percent")
    unit = text.split("15", 1)[1].strip()
    assert f'got "{unit}" ({AT_TEXT});' in issue


def test_a_component_s_text_is_named_at_the_component() -> None:
    # Observation.component.value[x] (FHIR R4 Observation): the path names the component.
    panel = _obs("24323-8")
    panel["component"] = [
        {"code": {"coding": [{"system": LOINC, "code": BILIRUBIN_MASS}]}, "valueString": "1.2"}
    ]
    mapping = _map(panel)
    _flawed(mapping, "labs.bilirubin_mg_dl")
    [issue] = [i for i in mapping.issue_list if i.field == "labs.bilirubin_mg_dl"]
    assert issue.path == "Bundle.entry[2].resource.component[0].valueString"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # the words of SNOMED CT Positive (10828004) / Negative (260385009), as text
        ({"valueString": "Positive"}, True),
        ({"valueString": " negative. "}, False),
        # LOINC answers LA11882-0 Detected / LA11883-8 Not detected, spelled out
        ({"valueString": "Not detected"}, False),
        ({"valueCodeableConcept": {"text": "Positive"}}, True),
        # a local code nelm does not know, its text saying what it means
        (
            {
                "valueCodeableConcept": {
                    "coding": [{"system": "urn:lab", "code": "P"}],
                    "text": "positive",
                }
            },
            True,
        ),
    ],
)
def test_positive_or_negative_in_text_is_read(value: dict[str, Any], expected: bool) -> None:
    mapping = _map(_obs("sstr-imaging-positive", NELM_OBSERVATION, **value))
    assert _value(mapping, "imaging.sstr_positive") is expected
    assert any(
        "imaging.sstr_positive: read from the text of the result" in n for n in mapping.notes
    )


@pytest.mark.parametrize("text", ["weakly positive", "equivocal", "positive?", "pos"])
def test_other_words_for_a_finding_are_not_read(text: str) -> None:
    mapping = _map(_obs("sstr-imaging-positive", NELM_OBSERVATION, valueString=text))
    assert _value(mapping, "imaging.sstr_positive") is None
