"""A record written in another FHIR version than R4 says so first (nelm.interop.fhir.version).

The resources are written as the STU3, DSTU2 and R5 specifications define them (cited per
test: https://hl7.org/fhir/STU3/, /DSTU2/, /R5/); the signs are the structural differences
the version histories publish (https://hl7.org/fhir/R4/diff.html).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.version import other_version_signs
from nelm.service import assess_fhir

AS_OF = dt.date(2026, 11, 1)
FIXTURES = Path(__file__).parent / "fixtures"
PANCREATIC_NET = {  # SNOMED CT 1651000119109 Primary malignant neuroendocrine neoplasm of pancreas
    "coding": [{"system": "http://snomed.info/sct", "code": "1651000119109"}]
}
PATIENT = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-02-01"}


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }


def test_an_stu3_record_says_so_first_and_never_that_there_is_no_diagnosis() -> None:
    # STU3 condition.html: clinicalStatus and verificationStatus are codes;
    # STU3 medicationstatement.html: taken (y | n | unk | na) is required.
    condition = {
        "resourceType": "Condition",
        "id": "c",
        "clinicalStatus": "active",
        "verificationStatus": "confirmed",
        "code": PANCREATIC_NET,
        "subject": {"reference": "Patient/p"},
    }
    statement = {
        "resourceType": "MedicationStatement",
        "id": "m",
        "status": "active",
        "taken": "y",
        "subject": {"reference": "Patient/p"},
        "medicationCodeableConcept": {"text": "lanreotide"},
    }
    doc = assess_fhir(_bundle(PATIENT, condition, statement), assessment_date=AS_OF)
    first = doc["warnings"][0]
    assert first.startswith("OTHER FHIR VERSION: this record looks written in FHIR STU3 (")
    assert "Condition/c: clinicalStatus is a code" in first
    assert "MedicationStatement/m: MedicationStatement.taken" in first
    assert "2 resources could not be read as R4" in first
    assert "Export the record as FHIR R4" in first
    # the diagnosis may be in the Condition set aside: never "no neuroendocrine neoplasm"
    assert not any(w.startswith("NOT A NEUROENDOCRINE RECORD") for w in doc["warnings"])
    assert doc["warnings"][1].startswith("NEUROENDOCRINE DIAGNOSIS NOT READ: 1 Condition was")
    assert doc["inputs"]["patient"] == {"age_years": 66, "sex": "female"}


@pytest.mark.parametrize(
    ("resource", "version", "named"),
    [
        # DSTU2 medicationorder.html: a resource type R4 does not have
        ({"resourceType": "MedicationOrder", "id": "o"}, "DSTU2", "MedicationOrder, a resource"),
        # DSTU2 condition.html: the patient element
        (
            {"resourceType": "Condition", "id": "c", "patient": {"reference": "Patient/p"}},
            "DSTU2",
            "Condition.patient",
        ),
        # DSTU2 datatypes.html#HumanName: family 0..*
        (
            {"resourceType": "Patient", "id": "p", "name": [{"family": ["Chalmers"]}]},
            "DSTU2",
            "HumanName.family is a list",
        ),
        # DSTU2 medicationstatement.html: wasNotTaken
        (
            {"resourceType": "MedicationStatement", "id": "m", "wasNotTaken": False},
            "DSTU2",
            "wasNotTaken",
        ),
        # STU3 procedurerequest.html: a resource type R4 does not have
        ({"resourceType": "ProcedureRequest", "id": "r"}, "STU3", "ProcedureRequest"),
        # R5 medicationstatement.html: medication is a CodeableReference
        (
            {
                "resourceType": "MedicationStatement",
                "id": "m",
                "medication": {"concept": {"text": "octreotide"}},
            },
            "R5",
            "CodeableReference",
        ),
    ],
)
def test_each_sign_names_its_version_and_the_element(
    resource: dict[str, Any], version: str, named: str
) -> None:
    [(versions, text)] = other_version_signs([resource])
    assert versions == {version}
    assert named in text


def test_r4_records_show_no_sign() -> None:
    # The R4 records of fixtures/ (Synthea, US Core, mCODE, the synthetic NET records)
    import json

    paths = [
        *sorted((FIXTURES / "fhir-real" / "external").glob("*.json")),
        *sorted(FIXTURES.glob("synthetic-*.json")),
    ]
    for path in paths:
        bundle = json.loads(path.read_text("utf-8"))
        resources = [e.get("resource", {}) for e in bundle.get("entry", [])]
        assert other_version_signs(resources) == [], path.name


def test_a_sign_without_a_resource_set_aside_still_warns() -> None:
    # An STU3 ProcedureRequest is a type no reader uses: nothing is set aside, but what
    # differs from R4 may be missing, and the record says it is STU3.
    mapping = bundle_to_case(
        _bundle(PATIENT, {"resourceType": "ProcedureRequest", "id": "r"}), assessment_date=AS_OF
    )
    assert mapping.warnings[0].startswith("OTHER FHIR VERSION")
    assert "what differs from R4 may be missing" in mapping.warnings[0]
