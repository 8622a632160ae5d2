"""What EHR exports send that a hand-written record does not: elements nested deeper
than any resource. Each is read by the rule of the FHIR R4
specification it breaks (https://hl7.org/fhir/R4/), and only the element at fault is lost.

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
