"""A primitive given by its extensions alone is an absent value, and the reason is said.

FHIR R4 JSON, §2.6.2 "Representing primitive elements"
(http://hl7.org/fhir/R4/json.html#primitive): a primitive element is written as two JSON
properties, its value under its name and its id and extensions under the name with ``_``
before it; the value may be left out when the extensions are there (the element must then
hold an extension: ele-1, "All FHIR elements must have a @value or children"). The
data-absent-reason extension (http://hl7.org/fhir/R4/extension-data-absent-reason.html)
"Provides a reason why the expected value or elements in the element that is extended are
missing", with a code of DataAbsentReason
(http://hl7.org/fhir/R4/codesystem-data-absent-reason.html, FHIR 4.0.1), whose
definitions are the words expected below. An element of minimum cardinality 1 may carry
only such an extension (FHIR R4 Extensibility, "Special Case: Missing Data",
http://hl7.org/fhir/R4/extensibility.html#Special-Case).

What nelm did before: the R4B models it validates with refused a required choice given by
its extension alone (MedicationAdministration.effective[x], 1..1 in FHIR R4) and an
extension whose value is given so (``{"url": …, "_valueDateTime": {…}}``), so the
administration was "not valid FHIR R4 and is not read", and a Patient lost every extension
(its individual sex too). A ``_birthDate`` or ``_effectiveDateTime`` alone was accepted
but said nowhere, and a ``_valueString`` alone was noted as "not a number with a unit".
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
from nelm.interop.fhir.systems import ATC, LOINC, SNOMED
from nelm.service import assess_fhir

DAY = dt.date(2025, 1, 15)
DAR = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
DAR_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
KI67 = "29593-1"  # LOINC Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain (%)


def _absent(code: str) -> dict[str, Any]:
    """The ``_name`` part of a primitive whose value is missing, with its reason."""
    return {"extension": [{"url": DAR, "valueCode": code}]}


def _map(*resources: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(bundle_of(*resources), assessment_date=DAY)


def _not_valid(mapping: FhirMapping) -> list[str]:
    return [i for i in mapping.issues if "not valid FHIR R4" in i]


# ------------------------------------------------------------------------------- Patient


def test_a_birth_date_given_by_its_reason_alone_leaves_the_age_unknown_and_says_why() -> None:
    patient = patient_resource("p", birth_date=None)
    patient["_birthDate"] = _absent("unknown")
    mapping = _map(patient)
    # the rest of the Patient is read; no age is made up
    assert mapping.document["patient"] == {"sex": "female"}
    for path in ("patient.age_years", "patient.age_years_at_least", "patient.age_years_at_most"):
        assert path in mapping.unmapped
    assert _not_valid(mapping) == []
    # DataAbsentReason "unknown": "The value is expected to exist but is not known."
    (said,) = [i for i in mapping.issue_list if i.path.endswith("._birthDate")]
    assert said.path == "Bundle.entry[0].resource._birthDate"
    assert said.notice  # the record says the value is missing: no element failed
    assert said.message == (
        'Patient/p: birthDate is absent, and the record says why (data-absent-reason "unknown":'
        " the value is expected to exist but is not known); patient.age_years is unknown"
    )


def test_the_assessment_lists_the_reason_without_counting_it_as_an_element_not_used() -> None:
    patient = patient_resource("p", birth_date=None)
    patient["_birthDate"] = _absent("asked-declined")
    doc = assess_fhir(bundle_of(patient), assessment_date=DAY)
    quality = doc["input_source"]["data_quality"]
    # DataAbsentReason "asked-declined": "The source was asked but declined to answer."
    assert any(
        "birthDate is absent" in line
        and '"asked-declined": the source was asked but declined to answer' in line
        for line in quality
    )
    assert not any("could not be used" in w for w in doc["warnings"])
    assert doc["inputs"]["patient"] == {"sex": "female"}


def test_a_gender_given_by_its_reason_alone_leaves_the_individual_sex_to_say_it() -> None:
    # US Core 9.0.0 us-core-individual-sex, SNOMED CT 248153007 Male (finding)
    patient = patient_resource("p", gender=None)
    patient["_gender"] = _absent("asked-declined")
    patient["extension"] = [
        {
            "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex",
            "valueCoding": {"system": SNOMED, "code": "248153007"},
        }
    ]
    mapping = _map(patient)
    assert mapping.document["patient"]["sex"] == "male"
    assert any("gender is absent" in i and "asked-declined" in i for i in mapping.issues)


def test_an_extension_of_the_patient_whose_value_is_absent_keeps_the_other_extensions() -> None:
    # Before: the R4B Extension model has no _valueDate, so the Patient was read without any
    # extension, its individual sex (SNOMED CT 248152002 Female (finding)) too.
    patient = patient_resource("p", gender=None)
    patient["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace-example",
            "_valueDate": _absent("masked"),
        },
        {
            "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex",
            "valueCoding": {"system": SNOMED, "code": "248152002"},
        },
    ]
    mapping = _map(patient)
    assert _not_valid(mapping) == []
    assert mapping.document["patient"]["sex"] == "female"
    assert mapping.provenance["patient.sex"] == (
        "Patient/p (us-core-individual-sex SNOMED CT 248152002)"
    )


def test_a_value_given_by_another_extension_alone_is_absent_and_noted() -> None:
    # FHIR R4 core extension iso21090-nullFlavor ("If the value is not a proper value,
    # indicates the reason", http://hl7.org/fhir/R4/extension-iso21090-nullflavor.html):
    # not a data-absent-reason, so no reason is said, but no age is read either
    patient = patient_resource("p", birth_date=None)
    patient["_birthDate"] = {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/iso21090-nullFlavor",
                "valueCode": "UNK",
            }
        ]
    }
    mapping = _map(patient)
    assert "patient.age_years" in mapping.unmapped
    assert any(
        n.startswith("Patient.birthDate has no value, only extensions: read as absent")
        for n in mapping.notes
    )
    assert not any("birthDate" in i for i in mapping.issues)


# --------------------------------------------------------------------------- Observations


def test_a_ki67_whose_date_is_absent_is_read_undated_and_the_reason_said() -> None:
    ki67 = observation_resource("ki", LOINC, KI67, valueQuantity=quantity(12, "%"))
    ki67["_effectiveDateTime"] = _absent("unknown")
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), ki67)
    assert mapping.document["pathology"]["ki67_percent"] == 12
    assert "pathology.ki67_percent" not in mapping.result_dates  # no date is made up
    assert _not_valid(mapping) == []
    (said,) = [i for i in mapping.issue_list if i.path.endswith("._effectiveDateTime")]
    assert said.notice
    assert said.message == (
        "Observation/ki: effectiveDateTime is absent, and the record says why "
        '(data-absent-reason "unknown": the value is expected to exist but is not known); '
        "the date of the result is unknown (its issue date or its report dates it, if given)"
    )


def test_a_time_given_as_a_period_beside_an_absent_date_time_is_read_and_not_listed() -> None:
    # effective[x] is one choice (FHIR R4 Observation.effective[x]: dateTime, Period,
    # Timing, instant): the period gives the time, so nothing is missing; its end given by
    # a data-absent-reason alone is said (Period.end)
    ki67 = observation_resource("ki", LOINC, KI67, valueQuantity=quantity(12, "%"))
    ki67["_effectiveDateTime"] = _absent("unknown")
    ki67["effectivePeriod"] = {"start": "2025-01-10", "_end": _absent("temp-unknown")}
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), ki67)
    assert mapping.result_dates["pathology.ki67_percent"] == "2025-01-10"
    assert not any("effectiveDateTime is absent" in i for i in mapping.issues)
    # "temp-unknown": "There is reason to expect (from the workflow) that the value may
    # become known."
    (said,) = [i for i in mapping.issue_list if i.path.endswith("effectivePeriod._end")]
    assert said.message.startswith(
        "Observation/ki: effectivePeriod.end is absent, and the record says why "
        '(data-absent-reason "temp-unknown": there is reason to expect (from the workflow) '
        "that the value may become known)"
    )


def test_a_result_absent_by_its_data_absent_reason_names_the_field_and_the_reason() -> None:
    # FHIR R4 Observation.dataAbsentReason: "Provides a reason why the expected value in the
    # element Observation.value[x] is missing"; DataAbsentReason "not-performed": "The value
    # is not available because the observation procedure (test, etc.) was not performed."
    ki67 = observation_resource(
        "ki",
        LOINC,
        KI67,
        effective="2025-01-10",
        dataAbsentReason={"coding": [{"system": DAR_SYSTEM, "code": "not-performed"}]},
    )
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), ki67)
    assert "pathology.ki67_percent" in mapping.unmapped
    (said,) = [i for i in mapping.issue_list if i.path.endswith(".dataAbsentReason")]
    assert said.notice
    assert said.message == (
        "Observation/ki: no value for pathology.ki67_percent, and the result says why "
        '(dataAbsentReason "not-performed": the value is not available because the '
        "observation procedure (test, etc.) was not performed); pathology.ki67_percent is "
        "not read from it"
    )


def test_a_reason_given_as_text_alone_is_not_echoed() -> None:
    ki67 = observation_resource(
        "ki", LOINC, KI67, effective="2025-01-10", dataAbsentReason={"text": "Mrs Smith refused"}
    )
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), ki67)
    (said,) = [i for i in mapping.issues if "dataAbsentReason" in i]
    assert "given as text only" in said
    assert "Smith" not in said


@pytest.mark.parametrize(
    ("element", "code", "words"),
    [
        # DataAbsentReason "error": "Some system or workflow process error means that the
        # information is not available."
        (
            "_valueString",
            "error",
            "some system or workflow process error means that the information is not available",
        ),
        # "asked-unknown": "The source was asked but does not know the value."
        ("_valueDateTime", "asked-unknown", "the source was asked but does not know the value"),
    ],
)
def test_a_value_given_by_its_reason_alone_is_never_invented(
    element: str, code: str, words: str
) -> None:
    ki67 = observation_resource("ki", LOINC, KI67, effective="2025-01-10")
    ki67[element] = _absent(code)
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), ki67)
    assert "pathology.ki67_percent" in mapping.unmapped
    assert _not_valid(mapping) == []
    name = element[1:]
    assert any(
        f"{name} is absent" in i and f'"{code}": {words}' in i and "pathology.ki67_percent" in i
        for i in mapping.issues
    )
    assert any(
        n.startswith(
            f"pathology.ki67_percent not set: the result has no value, only extensions on {name}"
        )
        for n in mapping.notes
    )


# -------------------------------------------------------------- resources the models refused


def _administration(**extra: Any) -> dict[str, Any]:
    # ATC H01CB02 octreotide: a somatostatin analogue (treatment_codes.py)
    return {
        "resourceType": "MedicationAdministration",
        "id": "m1",
        "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": "H01CB02"}]},
        "subject": {"reference": "Patient/p"},
        **extra,
    }


def test_a_dose_whose_required_time_is_given_by_its_reason_alone_is_read() -> None:
    # FHIR R4 MedicationAdministration.effective[x] is 1..1; here its value is absent and
    # the extension says why (Extensibility, "Special Case: Missing Data")
    dose = _administration(_effectiveDateTime=_absent("unknown"))
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), dose)
    assert _not_valid(mapping) == []
    assert mapping.document["course"]["prior_treatments"] == ["ssa"]
    assert any(
        i.startswith("MedicationAdministration/m1: effectiveDateTime is absent")
        and i.endswith(
            "when the dose was given is unknown (Bundle.entry[2].resource._effectiveDateTime)"
        )
        for i in mapping.issues
    )


def test_a_dose_without_any_time_is_still_not_valid() -> None:
    # the stand-in used to check the rest is only put where an extension stands for the value
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), _administration())
    assert any("MedicationAdministration/m1 is not valid FHIR R4" in i for i in _not_valid(mapping))
    assert "course.prior_treatments" in mapping.unmapped


def test_an_extension_part_that_is_not_valid_is_still_found() -> None:
    # Extension.url is 1..1 (FHIR R4 Extension): the _effectiveDateTime part is checked too
    dose = _administration(_effectiveDateTime={"extension": [{"valueCode": "unknown"}]})
    mapping = _map(patient_resource("p"), neuroendocrine_marker(), dose)
    assert any("_effectiveDateTime.extension[0].url" in i for i in _not_valid(mapping))


def test_a_condition_extension_whose_value_is_absent_is_read_with_its_condition() -> None:
    # condition-assertedDate (valueDateTime) given by its data-absent-reason alone: before,
    # "extension[0] (condition-assertedDate) not valid FHIR R4 and not read"
    condition = neuroendocrine_marker()
    condition["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/condition-assertedDate",
            "_valueDateTime": _absent("unknown"),
        }
    ]
    mapping = _map(patient_resource("p"), condition)
    assert mapping.issues == ()
    assert not any(w.startswith("NOT A NEUROENDOCRINE RECORD") for w in mapping.warnings)


def test_an_extension_value_part_that_is_not_valid_sets_the_resource_aside() -> None:
    condition = neuroendocrine_marker()
    condition["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/condition-assertedDate",
            "_valueDateTime": {"extension": [{"url": DAR, "valueCode": "unknown", "x": 1}]},
        }
    ]
    mapping = _map(patient_resource("p"), condition)
    assert any("extension[0]._valueDateTime.extension[0].x" in i for i in mapping.issues)
