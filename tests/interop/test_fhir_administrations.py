"""MedicationAdministration: the doses a clinic records (a somatostatin-analogue injection
every 4 weeks, a PRRT infusion every 8 weeks) are treatments given.

FHIR R4 MedicationAdministration: "an event of a patient consuming or otherwise being
administered a medication"; ``status`` ``completed`` or ``in-progress`` says the dose was
(being) given, ``not-done`` and ``entered-in-error`` that it was not. The doses of one drug
are one treatment line from the first to the last (nelm.interop.fhir.treatments: a gap of
more than 90 days starts a new line, longer than PRRT's 8 weeks between cycles in
NETTER-1 and the 4 weeks of long-acting octreotide and lanreotide).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    condition_resource,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
)

ATC = "http://www.whocc.no/atc"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
DAY = dt.date(2025, 1, 15)


def _dose(rid: str, code: str, day: str, *, status: str = "completed") -> dict[str, Any]:
    return {
        "resourceType": "MedicationAdministration",
        "id": rid,
        "status": status,
        "subject": {"reference": "Patient/p"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": code}]},
        "effectiveDateTime": day,
    }


def _map(*resources: dict[str, Any]) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def _lanreotide_every_4_weeks(start: dt.date, doses: int) -> list[dict[str, Any]]:
    # ATC H01CB03 lanreotide
    return [
        _dose(f"lan{i}", "H01CB03", (start + dt.timedelta(weeks=4 * i)).isoformat())
        for i in range(doses)
    ]


def test_doses_of_a_drug_are_a_prior_treatment_and_one_line() -> None:
    mapping = _map(*_lanreotide_every_4_weeks(dt.date(2023, 3, 1), 10))
    assert mapping.document["course"]["prior_treatments"] == ["ssa"]
    # 2023-03-01 plus 9 × 28 = 252 days (30 left in March, then 30, 31, 30, 31, 31, 30, 31
    # to 31 October, 8 more) = 2023-11-08: the last dose ends the line.
    assert mapping.document["timeline"]["treatments"] == [
        {"treatment": "ssa", "start": "2023-03-01", "stop": "2023-11-08"}
    ]
    assert mapping.provenance["course.prior_treatments"].startswith("MedicationAdministration/")


def test_a_progression_between_doses_is_a_progression_on_the_ssa() -> None:
    # ICD-10-CM C7A.012 malignant carcinoid tumour of the ileum; LOINC 97509-4 cancer disease
    # status answered SNOMED CT 271299001 "Patient's condition worsened" (mCODE).
    primary = condition_resource("primary", ICD10_CM, "C7A.012", onset="2022-11-01")
    worse = observation_resource(
        "s1",
        LOINC,
        "97509-4",
        effective="2023-09-20",
        valueCodeableConcept={"coding": [{"system": SNOMED, "code": "271299001"}]},
    )
    mapping = _map(primary, worse, *_lanreotide_every_4_weeks(dt.date(2023, 3, 1), 10))
    line = mapping.document["timeline"]["treatments"][0]
    assert line["progression"] == "2023-09-20"
    case = case_from_mapping(mapping.document)
    assert case.values["course.progressed_on_ssa"] is True


def test_a_long_gap_between_doses_starts_a_new_line() -> None:
    # ATC V10XX04 lutetium (177Lu) oxodotreotide: four cycles 8 weeks apart (NETTER-1),
    # then a retreatment two years later.
    days = ["2021-01-10", "2021-03-07", "2021-05-02", "2021-06-27", "2023-07-01", "2023-08-26"]
    mapping = _map(*(_dose(f"lu{i}", "V10XX04", d) for i, d in enumerate(days)))
    assert mapping.document["course"]["prior_treatments"] == ["prrt"]
    assert mapping.document["timeline"]["treatments"] == [
        {"treatment": "prrt", "start": "2021-01-10", "stop": "2021-06-27"},
        {"treatment": "prrt", "start": "2023-07-01", "stop": "2023-08-26"},
    ]


@pytest.mark.parametrize("status", ["not-done", "entered-in-error", "on-hold", "unknown"])
def test_a_dose_not_given_is_not_a_treatment(status: str) -> None:
    mapping = _map(_dose("x", "H01CB02", "2024-05-01", status=status))  # ATC octreotide
    assert "course" not in mapping.document
    assert any("MedicationAdministration status" in n for n in mapping.notes)


def test_a_dose_after_the_assessment_date_or_of_another_drug_is_not_read() -> None:
    later = _dose("later", "H01CB02", "2025-03-01")  # after DAY
    saline = _dose("saline", "B05BB01", "2024-05-01")  # ATC B05BB01 sodium chloride
    mapping = _map(later, saline)
    assert "course" not in mapping.document
    assert any("dated after the assessment date" in n for n in mapping.notes)
    assert any("code not in the mapping table" in n for n in mapping.notes)


def test_a_dose_of_another_patient_is_never_attributed() -> None:
    other = _dose("o", "H01CB02", "2024-05-01")
    other["subject"] = {"reference": "Patient/someone-else"}
    assert "course" not in _map(other).document
