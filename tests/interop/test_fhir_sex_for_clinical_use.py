"""The sex for clinical use (HL7's extension, Epic's) before the administrative sex.

nelm uses ``patient.sex`` for the CKD-EPI 2021 check of an eGFR against the creatinine
(Inker LA et al., N Engl J Med 2021;385:1737-1749: κ 0.7 and α −0.241 for women, 0.9 and
−0.302 for men, × 1.012 for women). Sources:

- HL7 FHIR Extensions Pack 5.2.0, Patient Sex Parameter For Clinical Use
  (https://hl7.org/fhir/extensions/StructureDefinition-patient-sexParameterForClinicalUse.html,
  url ``http://hl7.org/fhir/StructureDefinition/patient-sexParameterForClinicalUse``): "A
  Sex Parameter for Clinical Use is a parameter that provides guidance on how a recipient
  should apply settings or reference ranges … This property is intended for use in
  clinical decision making"; sub-extensions ``value`` (CodeableConcept, 1..1) and
  ``period`` ("When the sex for clinical use applies").
- HL7 Terminology, CodeSystem sex-parameter-for-clinical-use
  (http://terminology.hl7.org/CodeSystem-sex-parameter-for-clinical-use.html):
  female-typical / male-typical, "Available data indicates that diagnostics, analytics, and
  treatments should consider best practices associated with female [male] reference
  populations"; specified, "… best practices may be undefined or not aligned with
  sex-derived reference populations", usage note "use default behavior that is safe for
  both male and female populations". The value set adds data-absent-reason "unknown".
- FHIR R4 Patient.gender (http://hl7.org/fhir/R4/patient-definitions.html#Patient.gender):
  "Administrative Gender - the gender that the patient is considered to have for
  administration and record keeping purposes."
- Epic on FHIR, Patient (R4): extensions
  ``http://open.epic.com/FHIR/StructureDefinition/extension/legal-sex`` and
  ``…/extension/sex-for-clinical-use``, each a valueCodeableConcept coded in a list under
  Epic's OID root, as Epic's sandbox patients carry them (system
  ``urn:oid:1.2.840.114350.1.13.0.1.7.10.698084.130.657370.19999000``, codes "female",
  "male").
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
from nelm.interop.fhir.systems import LOINC, SNOMED
from nelm.service import assess_fhir

DAY = dt.date(2025, 1, 15)  # patient_resource is born 1960-03-14: 64 years old
SPCU = "http://hl7.org/fhir/StructureDefinition/patient-sexParameterForClinicalUse"
SPCU_SYSTEM = "http://terminology.hl7.org/CodeSystem/sex-parameter-for-clinical-use"
EPIC_LIST = "urn:oid:1.2.840.114350.1.13.0.1.7.10.698084.130.657370.19999000"
EPIC = "http://open.epic.com/FHIR/StructureDefinition/extension/"
INDIVIDUAL_SEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex"


def _spcu(code: str, system: str = SPCU_SYSTEM, **parts: Any) -> dict[str, Any]:
    value = {"url": "value", "valueCodeableConcept": {"coding": [{"system": system, "code": code}]}}
    more = [{"url": name, **content} for name, content in parts.items()]
    return {"url": SPCU, "extension": [value, *more]}


def _epic(kind: str, code: str) -> dict[str, Any]:
    return {
        "url": EPIC + kind,
        "valueCodeableConcept": {"coding": [{"system": EPIC_LIST, "code": code, "display": code}]},
    }


def _patient(gender: str | None, *extensions: dict[str, Any]) -> dict[str, Any]:
    patient = patient_resource("p", gender=gender)
    if extensions:
        patient["extension"] = list(extensions)
    return patient


def _map(patient: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(bundle_of(patient), assessment_date=DAY)


def _sex(mapping: FhirMapping) -> str | None:
    return mapping.document.get("patient", {}).get("sex")


# ------------------------------------------------------------------- HL7's sex parameter


@pytest.mark.parametrize(("code", "sex"), [("female-typical", "female"), ("male-typical", "male")])
def test_the_sex_parameter_for_clinical_use_gives_the_sex(code: str, sex: str) -> None:
    mapping = _map(_patient(None, _spcu(code)))
    assert _sex(mapping) == sex
    assert (
        mapping.provenance["patient.sex"]
        == f"Patient/p (patient-sexParameterForClinicalUse {code})"
    )
    assert any(
        n.startswith(f"patient.sex read from the sex parameter for clinical use ({sex})")
        for n in mapping.notes
    )


def test_it_wins_over_a_differing_gender_and_the_difference_is_said() -> None:
    # Patient.gender is for administration and record keeping; the sex parameter is for
    # reference ranges and clinical decisions: female-typical wins for the eGFR check
    mapping = _map(_patient("male", _spcu("female-typical")))
    assert _sex(mapping) == "female"
    assert mapping.provenance["patient.sex"] == (
        "Patient/p (patient-sexParameterForClinicalUse female-typical)"
    )
    (said,) = [i for i in mapping.issue_list if "administrative sex differs" in i.message]
    assert said.notice  # what was read, not an element left unknown
    assert said.path == "Bundle.entry[0].resource.extension[0]"
    assert "Patient.gender male" in said.message
    assert not any("conflicting values" in i for i in mapping.issues)


def test_it_wins_over_a_differing_us_core_individual_sex() -> None:
    # US Core 9.0.0 us-core-individual-sex: SNOMED CT 248153007 Male (finding)
    individual = {"url": INDIVIDUAL_SEX, "valueCoding": {"system": SNOMED, "code": "248153007"}}
    mapping = _map(_patient("male", individual, _spcu("female-typical")))
    assert _sex(mapping) == "female"
    assert any(
        "us-core-individual-sex male" in i and "Patient.gender male" in i for i in mapping.issues
    )


def test_specified_reads_no_sex_from_it_nor_from_the_gender_and_says_so() -> None:
    # "specified": sex-derived reference populations may not apply; "safe for both male
    # and female populations": the eGFR check then allows either sex
    mapping = _map(_patient("male", _spcu("specified")))
    assert _sex(mapping) is None
    assert "patient.sex" in mapping.unmapped
    assert any(
        n.startswith('patient.sex not set: the sex parameter for clinical use is "specified"')
        for n in mapping.notes
    )


def test_unknown_says_nothing_so_the_gender_is_read_as_before() -> None:
    # the value set adds data-absent-reason "unknown" (The value is expected to exist but
    # is not known): no sex for clinical use is given
    unknown = _spcu("unknown", system="http://terminology.hl7.org/CodeSystem/data-absent-reason")
    mapping = _map(_patient("male", unknown))
    assert _sex(mapping) == "male"
    assert mapping.provenance["patient.sex"] == "Patient/p (gender)"
    assert any("it says the sex for clinical use is unknown" in n for n in mapping.notes)


def test_only_a_parameter_whose_period_holds_the_assessment_date_is_read() -> None:
    # period: "When the sex for clinical use applies"; a Period without an end goes on
    # (FHIR R4 Period.end: "If the end of the period is missing, it means no end was known
    # or planned at the time the instance was created")
    old = _spcu("female-typical", period={"valuePeriod": {"end": "2019-12-31"}})
    now = _spcu("male-typical", period={"valuePeriod": {"start": "2020-01-01"}})
    mapping = _map(_patient("female", old, now))
    assert _sex(mapping) == "male"
    assert any("its period does not cover the assessment date" in n for n in mapping.notes)


def test_two_parameters_that_differ_on_the_same_day_leave_the_sex_unknown() -> None:
    mapping = _map(_patient("female", _spcu("female-typical"), _spcu("male-typical")))
    assert _sex(mapping) is None
    assert any(
        "one sex parameter for clinical use on the assessment date" in i
        and i.endswith("patient.sex is left unknown")
        for i in mapping.issues
    )


def test_a_parameter_for_one_stated_clinical_use_is_not_taken_for_the_egfr() -> None:
    # intendedClinicalUse (FHIR Extensions Pack, September 2025 ballot): the parameter is
    # for that use only, which nelm cannot tell is the eGFR equation's
    stated = _spcu("female-typical", intendedClinicalUse={"valueCodeableConcept": {"text": "x"}})
    mapping = _map(_patient("male", stated))
    assert _sex(mapping) == "male"
    assert any("intendedClinicalUse" in n for n in mapping.notes)


def test_records_without_it_are_read_as_before() -> None:
    mapping = _map(_patient("female"))
    assert _sex(mapping) == "female"
    assert mapping.provenance["patient.sex"] == "Patient/p (gender)"
    assert not any("clinical use" in n for n in mapping.notes)


# ------------------------------------------------------------------------------------ Epic


def test_epics_sex_for_clinical_use_wins_over_its_legal_sex() -> None:
    mapping = _map(
        _patient("female", _epic("legal-sex", "female"), _epic("sex-for-clinical-use", "male"))
    )
    assert _sex(mapping) == "male"
    assert mapping.provenance["patient.sex"] == "Patient/p (Epic sex-for-clinical-use male)"
    assert any("Epic legal-sex female" in i for i in mapping.issues)


def test_epics_legal_sex_is_read_beside_the_gender() -> None:
    # an organisation's own list may write its codes capitalised ("Female")
    mapping = _map(_patient("female", _epic("legal-sex", "Female")))
    assert _sex(mapping) == "female"
    assert mapping.provenance["patient.sex"] == (
        "Patient/p (Epic legal-sex Female); Patient/p (gender)"
    )


def test_a_legal_sex_that_differs_from_the_gender_leaves_the_sex_unknown() -> None:
    # two recorded sexes of the same standing that disagree: as us-core-individual-sex
    mapping = _map(_patient("female", _epic("legal-sex", "male")))
    assert _sex(mapping) is None
    assert any("conflicting values for patient.sex" in i for i in mapping.issues)


def test_an_epic_code_other_than_female_or_male_is_not_read() -> None:
    mapping = _map(_patient("female", _epic("legal-sex", "nonbinary")))
    assert _sex(mapping) == "female"
    assert any(
        "patient.sex not read from Epic legal-sex: not one code female or male" in n
        for n in mapping.notes
    )


# ------------------------------------------------------------------------- the eGFR check


def _ckd_epi_2021(creatinine: float, age: float, female: bool) -> float:
    """Inker 2021: 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age (× 1.012 ♀)."""
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    ratio = creatinine / kappa
    return (
        142
        * min(ratio, 1) ** alpha
        * max(ratio, 1) ** -1.2
        * 0.9938**age
        * (1.012 if female else 1)
    )


@pytest.mark.parametrize(
    ("code", "flagged"),
    [(None, False), ("female-typical", True), ("male-typical", False), ("specified", False)],
)
def test_the_egfr_check_uses_the_sex_for_clinical_use(code: str | None, flagged: bool) -> None:
    # creatinine 2.0 mg/dL at 64: CKD-EPI 2021 gives about 27 (female) and 37 (male). An
    # eGFR of 79 lies more than 2.5 times above the female value and within 2.5 times the
    # male one (nelm.engine.consistency.CKD_EPI_SLACK), so it contradicts the creatinine
    # only for a woman. Patient.gender says male throughout.
    female, male = _ckd_epi_2021(2.0, 64, True), _ckd_epi_2021(2.0, 64, False)
    assert round(female) == 27 and round(male) == 37
    assert 2.5 * female < 79 < 2.5 * male
    patient = _patient("male", *([_spcu(code)] if code else []))
    bundle = bundle_of(
        patient,
        neuroendocrine_marker(),
        observation_resource(
            "cr", LOINC, "2160-0", effective="2025-01-10", valueQuantity=quantity(2.0, "mg/dL")
        ),
        observation_resource(
            "gfr",
            LOINC,
            "98979-8",  # eGFR by creatinine-based formula (CKD-EPI 2021)
            effective="2025-01-10",
            valueQuantity=quantity(79, "mL/min/{1.73_m2}"),
        ),
    )
    doc = assess_fhir(bundle, assessment_date=DAY)
    said = [w for w in doc["warnings"] if "does not fit creatinine" in w]
    assert bool(said) is flagged
    if flagged:
        assert "by CKD-EPI 2021 that creatinine gives an eGFR of 27 " in said[0]
        assert "(64 years, female)" in said[0]
