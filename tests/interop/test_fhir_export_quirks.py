"""What EHR exports send that a hand-written record does not: numbers written as text and
elements nested deeper than any resource. Each is read by the rule of the FHIR R4
specification it breaks (https://hl7.org/fhir/R4/), and only the element at fault is lost.

- JSON representation, primitive types (json.html#primitive): integer and decimal values
  are JSON numbers; a quoted "14" is text, not a number.
- Extensibility (extensibility.html): an extension may hold extensions, and a
  ``modifierExtension`` anywhere in a resource changes its meaning; a resource that
  cannot be searched to its end may hide one.
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
    quantity,
)

LOINC = "http://loinc.org"
DAY = dt.date(2025, 1, 15)
KI67 = "29593-1"  # LOINC Ki-67 nuclear Ag/cells in Tissue by Immune stain, %
BILIRUBIN = "1975-2"  # LOINC Bilirubin.total [Mass/volume] in Serum or Plasma
ECOG = "89247-1"  # LOINC ECOG Performance Status score


def _map(*resources: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(
        bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources), assessment_date=DAY
    )


def _value(mapping: FhirMapping, path: str) -> Any:
    section, name = path.split(".")
    return mapping.document.get(section, {}).get(name)


def _bilirubin() -> dict[str, Any]:
    return observation_resource(
        "bili", LOINC, BILIRUBIN, effective="2025-01-10", valueQuantity=quantity(1.2, "mg/dL")
    )


# ------------------------------------------------------------------ numbers written as text


def test_a_quantity_written_as_text_is_left_unknown_and_listed() -> None:
    ki67 = quantity(14, "%")
    ki67["value"] = "14"  # as an export that quotes every value writes it
    mapping = _map(
        observation_resource("k", LOINC, KI67, effective="2025-01-10", valueQuantity=ki67),
        _bilirubin(),
    )
    assert _value(mapping, "pathology.ki67_percent") is None
    [issue] = [i for i in mapping.issue_list if i.field == "pathology.ki67_percent"]
    assert issue.path == "Bundle.entry[2].resource.valueQuantity.value"
    assert "JSON number" in issue.message and '"14"' in issue.message
    # the rest of the record is read: the bilirubin sent as a number
    assert _value(mapping, "labs.bilirubin_mg_dl") == 1.2


def test_an_integer_written_as_text_is_left_unknown_and_listed() -> None:
    mapping = _map(
        observation_resource("e", LOINC, ECOG, effective="2025-01-10", valueInteger="1"),
    )
    assert _value(mapping, "patient.ecog") is None
    assert [i.path for i in mapping.issue_list if i.field == "patient.ecog"] == [
        "Bundle.entry[2].resource.valueInteger"
    ]


def test_a_range_bound_written_as_text_is_left_unknown_and_listed() -> None:
    low = quantity(5, "%")
    low["value"] = "5"
    mapping = _map(
        observation_resource(
            "k",
            LOINC,
            KI67,
            effective="2025-01-10",
            valueRange={"low": low, "high": quantity(10, "%")},
        ),
    )
    assert _value(mapping, "pathology.ki67_percent_at_least") is None
    assert any(
        i.path == "Bundle.entry[2].resource.valueRange.low.value" for i in mapping.issue_list
    )


# ------------------------------------------------------------------ elements nested deeply


def _nested(levels: int) -> dict[str, Any]:
    """An extension holding an extension, ``levels`` deep."""
    inner: dict[str, Any] = {"url": "https://example.org/fhir/ext", "valueString": "x"}
    for _ in range(levels):
        inner = {"url": "https://example.org/fhir/ext", "extension": [inner]}
    return inner


@pytest.mark.parametrize("levels", [40, 400])
def test_a_resource_nested_too_deeply_is_set_aside_and_the_rest_read(levels: int) -> None:
    ki67 = observation_resource(
        "k", LOINC, KI67, effective="2025-01-10", valueQuantity=quantity(14, "%")
    )
    ki67["extension"] = [_nested(levels)]
    mapping = _map(ki67, _bilirubin())
    assert _value(mapping, "pathology.ki67_percent") is None
    assert _value(mapping, "labs.bilirubin_mg_dl") == 1.2
    said = [*mapping.notes, *mapping.issues]
    assert any("Observation/k" in line and "nested" in line for line in said)
    # it carries no modifierExtension, and is not said to
    assert not any("has a modifierExtension" in line for line in said)


def test_an_extension_nested_a_few_levels_is_read() -> None:
    ki67 = observation_resource(
        "k", LOINC, KI67, effective="2025-01-10", valueQuantity=quantity(14, "%")
    )
    ki67["extension"] = [_nested(5)]
    assert _value(_map(ki67), "pathology.ki67_percent") == 14


# ------------------------------------------------------------------ subjects that are no patient


@pytest.mark.parametrize(
    ("subject", "said"),
    [
        # FHIR R4 Observation.subject: Patient | Group | Device | Location
        ("Group/ward-3", 'its subject is a Group ("Group/ward-3"), not a patient'),
        ("Device/analyser", 'its subject is a Device ("Device/analyser"), not a patient'),
        (
            "https://ehr.example/fhir/Location/lab/_history/2",
            "its subject is a Location",
        ),
        # FHIR R4 §2.34 Contained Resources: "#id" is a resource inside this one
        ("#p1", 'its subject ("#p1") is a resource contained in it, not the record\'s Patient'),
        ("Patient/someone-else", 'about another patient ("Patient/someone-else")'),
    ],
)
def test_a_subject_that_is_not_the_patient_is_named_for_what_it_is(subject: str, said: str) -> None:
    ki67 = observation_resource(
        "k", LOINC, KI67, effective="2025-01-10", valueQuantity=quantity(14, "%")
    )
    ki67["subject"] = {"reference": subject}
    if subject == "#p1":
        ki67["contained"] = [{"resourceType": "Patient", "id": "p1"}]
    mapping = _map(ki67)
    assert _value(mapping, "pathology.ki67_percent") is None
    [issue] = [i for i in mapping.issue_list if i.path.endswith("subject.reference")]
    assert issue.message.startswith(f"Observation/k: {said}"), issue.message
    if not subject.startswith("Patient/"):
        assert "another patient" not in issue.message
