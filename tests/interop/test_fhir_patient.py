"""Patient: age at the assessment date, sex, and one patient per bundle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.errors import InputRejected
from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    observation_resource,
    patient_resource,
    quantity,
)

DAY = dt.date(2025, 1, 15)


def _map(*resources: dict[str, Any], on: dt.date = DAY, **kw: Any) -> FhirMapping:
    return bundle_to_case(bundle_of(*resources, **kw), assessment_date=on)


@pytest.mark.parametrize(("birth", "age"), [
    ("1960-01-15", 65),  # birthday on the assessment date
    ("1960-01-16", 64),  # one day before the 65th birthday
    ("1960-02", 64),  # month only: 64 for the whole of February 1960
])
def test_age_at_assessment_date(birth: str, age: int) -> None:
    mapping = _map(patient_resource("p", birth_date=birth))
    assert mapping.document["patient"]["age_years"] == age
    assert mapping.provenance["patient.age_years"] == "Patient/p (birthDate)"


def test_year_only_birth_date_straddling_a_birthday_is_unknown() -> None:
    mapping = _map(patient_resource("p", birth_date="1960"))
    assert "patient.age_years" in mapping.unmapped
    assert any("only the year or month" in note for note in mapping.notes)


def test_birth_after_assessment_is_rejected() -> None:
    with pytest.raises(InputRejected, match="birthDate"):
        _map(patient_resource("p", birth_date="2026-01-01"))


@pytest.mark.parametrize(("gender", "sex"), [("female", "female"), ("male", "male"),
                                             ("other", "other")])
def test_sex_from_gender(gender: str, sex: str) -> None:
    assert _map(patient_resource("p", gender=gender)).document["patient"]["sex"] == sex


def test_unknown_gender_leaves_sex_unknown() -> None:
    mapping = _map(patient_resource("p", gender="unknown"))
    assert "patient.sex" in mapping.unmapped


def test_invalid_gender_code_is_rejected() -> None:
    with pytest.raises(InputRejected, match=r"Bundle\.entry\[0\]\.resource\.gender"):
        _map(patient_resource("p", gender="f"))


def test_two_patients_are_rejected() -> None:
    with pytest.raises(InputRejected, match="one Patient per bundle"):
        _map(patient_resource("a"), patient_resource("b"))


def test_identical_patient_twice_is_fine() -> None:
    mapping = _map(patient_resource("a"), patient_resource("a"))
    assert mapping.document["patient"]["sex"] == "female"


def test_resource_about_another_patient_is_rejected() -> None:
    obs = observation_resource("o", "http://loinc.org", "1975-2", subject="Patient/other",
                               valueQuantity=quantity(1.0, "mg/dL"))
    with pytest.raises(InputRejected) as caught:
        _map(patient_resource("p"), obs)
    assert caught.value.problems[0].path == "Bundle.entry[1].resource.subject.reference"


def test_subject_by_full_url_is_the_patient() -> None:
    bundle = bundle_of(patient_resource("p"), bundle_id="b", full_urls=True)
    patient_url = bundle["entry"][0]["fullUrl"]
    obs = observation_resource("o", "http://loinc.org", "1975-2", subject=patient_url,
                               valueQuantity=quantity(1.0, "mg/dL"))
    bundle["entry"].append({"resource": obs})
    mapping = bundle_to_case(bundle, assessment_date=DAY)
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 1.0}


def test_without_a_patient_subjects_must_still_agree() -> None:
    a = observation_resource("a", "http://loinc.org", "1975-2", subject="Patient/x",
                             valueQuantity=quantity(1.0, "mg/dL"))
    b = observation_resource("b", "http://loinc.org", "1751-7", subject="Patient/y",
                             valueQuantity=quantity(4.0, "g/dL"))
    with pytest.raises(InputRejected, match="one case is about one patient"):
        _map(a, b)
