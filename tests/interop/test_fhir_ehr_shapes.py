"""Shapes a hospital's FHIR R4 interface sends that the synthetic bundles do not, each
read by the rule of the FHIR R4 specification it relies on (https://hl7.org/fhir/R4/).

- Observation invariant obs-6 (observation.html#invs): "dataAbsentReason SHALL only be
  present if Observation.value[x] is not present"; a component's dataAbsentReason
  "provides a reason why the expected value in the element Observation.component.value[x]
  is missing".
- Datatypes, CodeableConcept (datatypes.html#CodeableConcept): each coding is "a
  representation of the concept"; codings that give different answers contradict.
- Observation.effective[x] is dateTime, Period, Timing or instant; ``issued`` is when the
  result was made available. Without either, the record does not say when.
- Bundle, resolving references (bundle.html#references): a reference that is the
  ``fullUrl`` of an entry (``urn:uuid:…``) is that entry's resource, whether or not the
  resource has an id; an entry of a transaction may hold a ``request`` and no resource
  (a DELETE, a GET in a batch: "resource … SHALL be present if … POST or PUT").
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
from nelm.service import assess_fhir

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
DAY = dt.date(2025, 1, 15)
ABSENT = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "error"}
    ]
}


def _map(*resources: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(
        bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources), assessment_date=DAY
    )


def _value(mapping: FhirMapping, path: str) -> Any:
    section, name = path.split(".")
    return mapping.document.get(section, {}).get(name)


# ------------------------------------------------------------------ obs-6: value and reason


def test_a_value_with_a_reason_it_is_absent_is_left_unknown_and_listed() -> None:
    bilirubin = observation_resource(
        "o1",
        LOINC,
        "1975-2",
        effective="2025-01-10",
        valueQuantity=quantity(0.9, "mg/dL"),
        dataAbsentReason=ABSENT,
    )
    mapping = _map(bilirubin)
    assert _value(mapping, "labs.bilirubin_mg_dl") is None
    (issue,) = mapping.issues
    assert "obs-6" in issue and "Observation/o1" in issue
    assert "Bundle.entry[2].resource.dataAbsentReason" in issue


def test_a_component_with_a_value_and_a_reason_it_is_absent_is_left_unknown() -> None:
    panel = observation_resource(
        "o1",
        LOINC,
        "60568-3",  # a synoptic pathology report panel: the Ki-67 is one of its components
        effective="2025-01-10",
        component=[
            {
                "code": {"coding": [{"system": LOINC, "code": "29593-1"}]},
                "valueQuantity": quantity(12, "%"),
                "dataAbsentReason": ABSENT,
            }
        ],
    )
    mapping = _map(panel)
    assert _value(mapping, "pathology.ki67_percent") is None
    assert any("component[0].dataAbsentReason" in issue for issue in mapping.issues)


def test_a_component_with_only_a_reason_it_is_absent_gives_nothing() -> None:
    panel = observation_resource(
        "o1",
        LOINC,
        "60568-3",
        effective="2025-01-10",
        component=[
            {"code": {"coding": [{"system": LOINC, "code": "29593-1"}]}, "dataAbsentReason": ABSENT}
        ],
    )
    mapping = _map(panel)
    assert _value(mapping, "pathology.ki67_percent") is None
    assert "pathology.ki67_percent not set: the result is absent (dataAbsentReason): " in "".join(
        mapping.notes
    )


# --------------------------------------------------- one CodeableConcept, several answers


def _ecog(*codes: tuple[str, str]) -> dict[str, Any]:
    concept = {"coding": [{"system": system, "code": code} for system, code in codes]}
    return observation_resource(
        "e1", LOINC, "89247-1", effective="2025-01-10", valueCodeableConcept=concept
    )


def test_codings_of_one_answer_that_disagree_leave_it_unknown() -> None:
    # LOINC answer list LL529-9 of 89247-1: LA9623-5 = ECOG 1, LA9626-8 = ECOG 4
    mapping = _map(_ecog((LOINC, "LA9623-5"), (LOINC, "LA9626-8")))
    assert _value(mapping, "patient.ecog") is None
    assert any("codings of the answer give different values" in n for n in mapping.notes)


def test_a_second_coding_that_says_nothing_to_nelm_does_not_hide_the_answer() -> None:
    mapping = _map(_ecog((LOINC, "LA9623-5"), ("https://hospital.example/ecog", "1")))
    assert _value(mapping, "patient.ecog") == 1


def test_grade_codings_that_disagree_give_neither_grade_nor_differentiation() -> None:
    # SNOMED CT 54102005 G1 (well differentiated), 61026006 G3
    concept = {
        "coding": [{"system": SNOMED, "code": "54102005"}, {"system": SNOMED, "code": "61026006"}]
    }
    grade = observation_resource(
        "g1", LOINC, "33732-9", effective="2025-01-10", valueCodeableConcept=concept
    )
    mapping = _map(grade)
    assert _value(mapping, "pathology.differentiation") is None
    assert _value(mapping, "pathology.reported_grade") is None


# ------------------------------------------------------------------ results with no date


def _bilirubin(**when: Any) -> dict[str, Any]:
    return observation_resource("b1", LOINC, "1975-2", valueQuantity=quantity(0.9, "mg/dL"), **when)


UNDATED = "Results with no date are used: Bilirubin."


@pytest.mark.parametrize(
    "when",
    [
        {},  # no effective[x], no issued
        {"effectiveTiming": {"event": ["2025-01-10"]}},  # a Timing is not read as a date
    ],
)
def test_a_laboratory_value_with_no_date_is_used_and_said_so_first(when: dict[str, Any]) -> None:
    mapping = _map(_bilirubin(**when))
    assert _value(mapping, "labs.bilirubin_mg_dl") == 0.9
    assert mapping.undated_results == ("labs.bilirubin_mg_dl",)
    assert any(w.startswith(UNDATED) for w in mapping.result_warnings)


@pytest.mark.parametrize(
    "when",
    [
        {"issued": "2025-01-10T09:00:00Z"},
        {"effectivePeriod": {"start": "2025-01-09", "end": "2025-01-10"}},
        {"effectiveInstant": "2025-01-10T07:30:00+01:00"},
    ],
)
def test_a_dated_laboratory_value_is_not_said_to_have_no_date(when: dict[str, Any]) -> None:
    mapping = _map(_bilirubin(**when))
    assert _value(mapping, "labs.bilirubin_mg_dl") == 0.9
    assert mapping.undated_results == ()
    assert not any("no date" in w for w in mapping.result_warnings)


def test_the_undated_warning_comes_first_in_the_assessment() -> None:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), _bilirubin())
    doc = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert any(w.startswith(UNDATED) for w in doc["warnings"][:3])


# ---------------------------------------------- transaction: urn:uuid, no ids, requests only


def test_a_transaction_of_resources_without_ids_is_read_through_its_full_urls() -> None:
    patient = patient_resource("p", birth_date="1960-03-14")
    ki67 = observation_resource(
        "k", LOINC, "29593-1", effective="2025-01-10", valueQuantity=quantity(3, "%")
    )
    marker = neuroendocrine_marker()
    resources = [patient, marker, ki67]
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    for number, resource in enumerate(resources):
        resource.pop("id")
        if "subject" in resource:
            resource["subject"] = {"reference": "urn:uuid:00000000-0000-4000-8000-000000000000"}
        bundle["entry"].append(
            {
                "fullUrl": f"urn:uuid:00000000-0000-4000-8000-00000000000{number}",
                "resource": resource,
                "request": {"method": "POST", "url": resource["resourceType"]},
            }
        )
    bundle["entry"].append({"request": {"method": "DELETE", "url": "Observation/old"}})
    mapping = bundle_to_case(bundle, assessment_date=DAY)
    assert _value(mapping, "patient.age_years") == 64  # 14 March 1960 to 15 January 2025
    assert _value(mapping, "pathology.ki67_percent") == 3
    assert mapping.provenance["pathology.ki67_percent"].startswith("Observation in Bundle.entry[2]")
    assert any("Bundle.entry[3]: entry without a resource" in n for n in mapping.notes)


def test_values_added_by_a_person_keep_the_warning_on_results_after_the_date() -> None:
    # a result dated after the assessment date is not used, and the assessment says so
    # (docs/fhir-mapping.md, "Assessment date"); adding the surgeons' judgement (--with)
    # does not make that result used, so the warning stays
    from nelm.service import Added

    later = _bilirubin(effectiveDateTime="2025-02-20")
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), later)
    added = Added({"patient": {"fit_for_major_surgery": True}}, "board.yaml")
    doc = assess_fhir(bundle, assessment_date=DAY, with_evidence=False, added=added)
    assert any(
        w.startswith("1 result of the record is dated after the assessment date (2025-01-15)")
        for w in doc["warnings"]
    )


def test_a_urn_uuid_subject_no_entry_holds_is_not_called_another_patient() -> None:
    # Bundle, resolving references: a urn:uuid reference resolves only to the entry whose
    # fullUrl it is. With none, whose resource it is is unknown (not "another patient"),
    # and it is not attributed.
    ki67 = observation_resource(
        "k",
        LOINC,
        "29593-1",
        subject="urn:uuid:00000000-0000-4000-8000-0000000000ff",
        effective="2025-01-10",
        valueQuantity=quantity(3, "%"),
    )
    mapping = bundle_to_case(
        bundle_of(patient_resource("p"), neuroendocrine_marker(), ki67, full_urls=True),
        assessment_date=DAY,
    )
    assert _value(mapping, "pathology.ki67_percent") is None
    (issue,) = mapping.issues
    assert "is the fullUrl of no entry of the bundle" in issue
    assert "another patient" not in issue


def test_a_diagnosis_in_a_condition_not_attributable_is_not_called_absent() -> None:
    # the NET Condition names a subject no entry holds: the record does not show that
    # the patient has no neuroendocrine neoplasm, only that it could not read one
    marker = neuroendocrine_marker()
    marker["subject"] = {"reference": "urn:uuid:00000000-0000-4000-8000-0000000000ff"}
    mapping = bundle_to_case(
        bundle_of(patient_resource("p"), marker, full_urls=True), assessment_date=DAY
    )
    assert mapping.warnings[0].startswith(
        "NEUROENDOCRINE DIAGNOSIS NOT READ: 1 Condition was not attributable to this patient"
    )
    assert not any(w.startswith("NOT A NEUROENDOCRINE RECORD") for w in mapping.warnings)
