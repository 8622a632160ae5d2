"""Input that is not a usable FHIR R4 Bundle is rejected with a precise path."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest

from nelm.case import FIELDS
from nelm.errors import InputRejected, Problem
from nelm.interop.fhir import FhirUnavailableError, bundle_to_case
from nelm.interop.fhir.synthetic import bundle_of, observation_resource, patient_resource

DAY = dt.date(2025, 1, 15)


def _problems(bundle: Any, **kw: Any) -> list[Problem]:
    with pytest.raises(InputRejected) as caught:
        bundle_to_case(bundle, assessment_date=DAY, **kw)
    return caught.value.problems


@pytest.mark.parametrize("value", [[], "Bundle", 3, None])
def test_not_an_object(value: Any) -> None:
    [problem] = _problems(value)
    assert problem.path == "Bundle"
    assert "JSON object" in problem.expected


@pytest.mark.parametrize(("resource_type", "got"), [("Patient", '"Patient"'), (None, "nothing")])
def test_resource_type_not_bundle(resource_type: str | None, got: str) -> None:
    bundle: dict[str, Any] = {"type": "collection"}
    if resource_type is not None:
        bundle["resourceType"] = resource_type
    [problem] = _problems(bundle)
    assert problem.path == "Bundle.resourceType"
    assert problem.got == got


def test_entry_not_a_list() -> None:
    [problem] = _problems({"resourceType": "Bundle", "type": "collection", "entry": {}})
    assert problem.path == "Bundle.entry"
    assert problem.expected == "must be a list of entries"


def _issues(bundle: Any) -> tuple[str, ...]:
    """The data-quality issues of a bundle that is assessed in spite of them."""
    return bundle_to_case(bundle, assessment_date=DAY).issues


def test_entry_items_and_resources_that_are_not_objects_are_listed_and_skipped() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            5,
            {"resource": []},
            {"resource": {"id": "x"}},
            {"resource": patient_resource("p")},
        ],
    }
    mapping = bundle_to_case(bundle, assessment_date=DAY)
    assert [i.rsplit("(", 1)[1] for i in mapping.issues] == [
        "Bundle.entry[0])",
        "Bundle.entry[1].resource)",
        "Bundle.entry[2].resource.resourceType)",
    ]
    assert mapping.document["patient"]["sex"] == "female"  # the rest is read


def test_a_resource_written_into_the_entry_itself_is_listed() -> None:
    # The VA's My HealtheVet example puts the DiagnosticReport's elements straight into
    # Bundle.entry[0]; FHIR R4 puts a resource in entry.resource. Listed, never silent.
    report = {"resourceType": "DiagnosticReport", "id": "r", "status": "final"}
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [report]}
    issues = bundle_to_case(bundle, assessment_date=DAY).issues
    assert issues == (
        "the resource in entry.resource (FHIR R4 Bundle.entry), got the resource's elements "
        "directly in the entry: not read (Bundle.entry[0])",
    )


def test_bundle_itself_is_validated_with_the_r4b_model() -> None:
    bundle = bundle_of(patient_resource("p"))
    del bundle["type"]  # Bundle.type is required (1..1): listed, the record still read
    [issue] = _issues(bundle)
    assert issue.startswith("FHIR R4 Bundle: ")
    assert issue.endswith("got nothing (Bundle.type)")


def test_an_id_the_r4_id_type_refuses_is_said_in_words() -> None:
    # FHIR R4 §2.24.0.1: id is [A-Za-z0-9\-\.]{1,64}; mCODE's examples carry "…_1"
    bundle = bundle_of(patient_resource("p"))
    bundle["id"] = "9aa0a829_1"
    [issue] = _issues(bundle)
    assert issue == (
        "FHIR R4 Bundle: an id is letters, digits, '-' and '.' only, at most 64 (FHIR R4 id), "
        'got "9aa0a829_1" (Bundle.id)'
    )


def test_invalid_resource_is_set_aside_with_the_element_path() -> None:
    obs = observation_resource(
        "o",
        "http://loinc.org",
        "1975-2",
        status="final",
        effective="2024-02-30",
        valueQuantity={"value": 1.0, "unit": "mg/dL"},
    )
    obs["valueQuantity"]["value"] = "one"
    albumin = observation_resource(
        "a",
        "http://loinc.org",
        "1751-7",
        effective="2025-01-10",
        valueQuantity={"value": 4.0, "unit": "g/dL"},
    )
    mapping = bundle_to_case(bundle_of(patient_resource("p"), obs, albumin), assessment_date=DAY)
    [issue] = mapping.issues
    assert issue.startswith("Observation/o is not valid FHIR R4 and is not read (")
    assert "Bundle.entry[1].resource.effectiveDateTime" in issue
    assert "Bundle.entry[1].resource.valueQuantity.value" in issue
    assert "bilirubin_mg_dl" not in mapping.document.get("labs", {})
    assert mapping.document["labs"] == {"albumin_g_dl": 4.0}  # the rest is read


def test_unknown_element_sets_the_resource_aside() -> None:
    obs = observation_resource("o", "http://loinc.org", "1975-2", valueBoolean=True)
    obs["valeuQuantity"] = {"value": 1}
    [issue] = _issues(bundle_of(patient_resource("p"), obs))
    assert "Bundle.entry[1].resource.valeuQuantity: FHIR R4 Observation: not an element" in issue


def test_invalid_patient_values_are_not_echoed() -> None:
    patient = patient_resource("p", name="Synthetic Patient 0042")
    patient["name"][0]["text"] = 42
    patient["birthDate"] = "19-03-1960"
    [issue] = _issues(bundle_of(patient))
    assert "Bundle.entry[0].resource.name[0].text" in issue
    assert "Bundle.entry[0].resource.birthDate" in issue
    assert "1960" not in issue and "42" not in issue


def test_a_primitive_elements_extension_part_written_as_text_is_named_not_a_crash() -> None:
    # FHIR R4 JSON (https://hl7.org/fhir/R4/json.html#primitive): "_birthDate" holds the
    # birth date's id and extensions, an object. Written as text, the R4B model raised an
    # AttributeError that named no element; the element is named and, on a Patient, the
    # rest of the resource is read (the birth date itself is valid).
    patient = patient_resource("p", birth_date="1960-03-14")
    patient["_birthDate"] = "1960"
    albumin = observation_resource(
        "a",
        "http://loinc.org",
        "1751-7",
        effective="2025-01-10",
        valueQuantity={"value": 4.0, "unit": "g/dL"},
    )
    albumin["_effectiveDateTime"] = "2025"
    mapping = bundle_to_case(bundle_of(patient, albumin), assessment_date=DAY)
    assert mapping.document["patient"]["age_years"] == 64  # 1960-03-14 to 2025-01-15
    assert "labs" not in mapping.document  # a result is never read in part
    [patient_issue] = [i for i in mapping.issues if i.startswith("Patient/p")]
    assert "Bundle.entry[0].resource._birthDate" in patient_issue
    assert '1960"' not in patient_issue  # the text itself is not echoed
    [result_issue] = [i for i in mapping.issues if i.startswith("Observation/a")]
    assert "Bundle.entry[1].resource._effectiveDateTime" in result_issue


def test_unknown_resource_types_are_noted_not_validated() -> None:
    bundle = bundle_of(
        patient_resource("p"), {"resourceType": "SomethingFromR6", "id": "x", "anything": 1}
    )
    mapping = bundle_to_case(bundle, assessment_date=DAY)
    assert any("SomethingFromR6/x" in note for note in mapping.notes)


def test_empty_bundle_gives_an_all_unknown_case() -> None:
    mapping = bundle_to_case(
        {"resourceType": "Bundle", "type": "collection"}, assessment_date=DAY, case_id="empty"
    )
    assert mapping.document == {"schema_version": 1, "case_id": "empty"}
    assert mapping.unmapped == tuple(f.path for f in FIELDS)  # every field unknown


@pytest.mark.parametrize("case_id", ["", " ", "x" * 129])
def test_bad_case_id(case_id: str) -> None:
    [problem] = _problems(bundle_of(patient_resource("p")), case_id=case_id)
    assert problem.path == "case_id"


def test_missing_fhir_extra_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fhir.resources.R4B.bundle", None)
    with pytest.raises(FhirUnavailableError, match=r"nelm\[fhir\]"):
        bundle_to_case(bundle_of(patient_resource("p")), assessment_date=DAY)


def _one(resource: dict[str, Any]) -> Any:
    from nelm.interop.fhir.synthetic import neuroendocrine_marker

    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), resource)
    return bundle_to_case(bundle, assessment_date=DAY)


@pytest.mark.parametrize("value", [1e308, -1.7e308])
def test_a_value_that_overflows_when_converted_is_out_of_range_not_a_crash(value: float) -> None:
    # A float JSON allows (IEEE 754 double, < 1.8e308) times 1000 (10*3/uL → /µL, the
    # factor of docs/fhir-mapping.md) is beyond any double: the platelet count is out of its
    # range (0–2,000,000 /µL), left unknown and warned, and the rest is read.
    platelets = observation_resource(
        "plt",
        "http://loinc.org",
        "777-3",
        effective="2025-01-10",
        valueQuantity={"value": value, "system": "http://unitsofmeasure.org", "code": "10*3/uL"},
    )
    mapping = _one(platelets)
    assert "platelets_per_ul" not in mapping.document.get("labs", {})
    (warning,) = mapping.rejected_values
    assert warning["field"] == "labs.platelets_per_ul"
    assert warning["value_as_sent"] == f"{value:g} 10*3/uL = {'-' if value < 0 else ''}inf /µL"


def test_a_whole_number_too_large_for_any_double_in_text_is_not_a_crash() -> None:
    # "15%" sent as text is read as a Quantity (docs/fhir-mapping.md, "A number sent as
    # text"); a 400-digit number spelled so holds no value a double can (IEEE 754
    # maximum 1.8e308): Ki-67 stays unknown, the record is read.
    ki67 = observation_resource(
        "ki67",
        "http://loinc.org",
        "29593-1",
        effective="2025-01-10",
        valueString="1" + "0" * 400 + "%",
    )
    mapping = _one(ki67)
    assert "ki67_percent" not in mapping.document.get("pathology", {})
    assert any("Observation/ki67" in note for note in mapping.notes)


def test_a_ratio_too_large_for_any_double_is_out_of_range_not_a_crash() -> None:
    # FHIR R4 Ratio 10^300 / 10^-300 (both valid decimals): beyond any double, so beyond
    # Ki-67's 0–100 %: unknown and warned
    ki67 = observation_resource(
        "ki67",
        "http://loinc.org",
        "29593-1",
        effective="2025-01-10",
        valueRatio={"numerator": {"value": 10**300}, "denominator": {"value": 1e-300}},
    )
    mapping = _one(ki67)
    assert "ki67_percent" not in mapping.document.get("pathology", {})
    assert mapping.rejected_values[0]["field"] == "pathology.ki67_percent"
