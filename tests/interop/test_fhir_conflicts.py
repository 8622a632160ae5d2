"""Several resources for one field: duplicates, the latest result, contradictions."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _map(*resources: dict[str, Any]) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def _ki67(rid: str, value: float, effective: str | None) -> dict[str, Any]:
    # LOINC 29593-1 Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain
    return observation_resource(
        rid, LOINC, "29593-1", effective=effective, valueQuantity=quantity(value, "%")
    )


def test_identical_duplicates_are_one_value_from_both_resources() -> None:
    mapping = _map(_ki67("a", 12, "2024-05-02"), _ki67("b", 12, "2024-05-02"))
    assert mapping.document["pathology"] == {"ki67_percent": 12}
    assert mapping.provenance["pathology.ki67_percent"] == (
        "Observation/a (LOINC 29593-1); Observation/b (LOINC 29593-1)"
    )


def test_same_value_in_two_units_is_a_duplicate() -> None:
    # 1.2 mg/dL and 20.5 µmol/L (× 0.058466 = 1.1986 mg/dL) agree within 0.5 %.
    conventional = observation_resource(
        "a", LOINC, "1975-2", effective="2025-01-10", valueQuantity=quantity(1.2, "mg/dL")
    )
    si = observation_resource(
        "b", LOINC, "14631-6", effective="2025-01-10", valueQuantity=quantity(20.5, "umol/L")
    )
    assert _map(conventional, si).document["labs"] == {"bilirubin_mg_dl": 1.2}


def test_different_values_at_different_times_take_the_latest() -> None:
    mapping = _map(_ki67("old", 4, "2022-03-01"), _ki67("new", 18, "2024-11-20"))
    assert mapping.document["pathology"] == {"ki67_percent": 18}
    assert mapping.provenance["pathology.ki67_percent"] == "Observation/new (LOINC 29593-1)"
    note = next(n for n in mapping.notes if n.startswith("pathology.ki67_percent"))
    assert "latest is used (Observation/new)" in note and "set aside (Observation/old)" in note


def _conflict(mapping: FhirMapping, path: str) -> str:
    """The one conflict issue of ``path``, which must have left the field unknown."""
    section, name = path.split(".")
    assert name not in mapping.document.get(section, {})
    [issue] = [i for i in mapping.issues if i.startswith(f"conflicting values for {path}")]
    return issue


def test_two_same_day_results_that_differ_leave_the_field_unknown_showing_both() -> None:
    mapping = _map(_ki67("a", 4, "2024-05-02"), _ki67("b", 18, "2024-05-02"), _ki67_free_albumin())
    issue = _conflict(mapping, "pathology.ki67_percent")
    assert issue == (
        "conflicting values for pathology.ki67_percent: Observation/a (LOINC 29593-1) says 4 "
        "and Observation/b (LOINC 29593-1) says 18, and neither is later than the other "
        "(correct or remove one of them) (Bundle.entry[3].resource); "
        "pathology.ki67_percent is left unknown"
    )
    assert mapping.document["labs"] == {"albumin_g_dl": 4.1}  # the rest is assessed


def _ki67_free_albumin() -> dict[str, Any]:
    # LOINC 1751-7 Albumin [Mass/volume] in Serum or Plasma
    return observation_resource(
        "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(4.1, "g/dL")
    )


def test_a_missing_date_makes_different_values_conflict() -> None:
    _conflict(_map(_ki67("a", 4, "2024-05-02"), _ki67("b", 18, None)), "pathology.ki67_percent")


def test_partial_dates_only_order_results_when_the_spans_do_not_overlap() -> None:
    # "2024-05" covers the whole month, so it is not later than 2024-05-20.
    _conflict(
        _map(_ki67("a", 4, "2024-05-20"), _ki67("b", 18, "2024-05")), "pathology.ki67_percent"
    )
    mapping = _map(_ki67("a", 4, "2024-04-20"), _ki67("b", 18, "2024-05"))
    assert mapping.document["pathology"] == {"ki67_percent": 18}


def test_boolean_findings_follow_the_same_rules() -> None:
    system = "https://nelm.invalid/fhir/CodeSystem/nelm-observation"
    old = observation_resource(
        "old", system, "fdg-pet-positive", effective="2023-01-01", valueBoolean=False
    )
    new = observation_resource(
        "new", system, "fdg-pet-positive", effective="2024-12-01", valueBoolean=True
    )
    assert _map(old, new).document["imaging"] == {"fdg_positive": True}
