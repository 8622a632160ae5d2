"""Hepatic encephalopathy, ascites, portal vein thrombosis and biliary obstruction read
from a record's problem list (nelm.interop.fhir.finding_codes).

Code titles: ICD-10-CM tabular list of 1 April 2026 (FY2026) — K76.82 "Hepatic
encephalopathy"; K72.01 / K72.11 / K72.91 hepatic failure "with coma" and K70.41
"Alcoholic hepatic failure with coma" (the Excludes1 of K76.82); K72.90 "Hepatic
failure, unspecified without coma"; R18 "Ascites" (R18.0 malignant, R18.8 other) and
K70.31 "Alcoholic cirrhosis of liver with ascites" (the Excludes1 of R18); I81 "Portal
vein thrombosis"; K83.1 "Obstruction of bile duct". SNOMED CT 389026000 "Ascites
(disorder)" and 17920008 "Portal vein thrombosis (disorder)": Belgian eHealth value set
be-vs-diagnostic-imaging-indication (hl7-be/referral, commit 26f112cd); SNOMED CT 13920009
"Hepatic encephalopathy": HL7 Adverse Event Clinical Research IG (HL7/fhir-ae-research-ig,
input/fsh/examples.fsh, Condition AEHepaticFailureUseCase7complication). ICD-10-GM
K72.71!-K72.74! "Hepatische Enzephalopathie Grad 1-4" (West Haven): DGfM FoKA Anfrage 0331
quotes "K72.73! (= Hepatische Enzephalopathie Grad 3)".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    condition_resource,
    neuroendocrine_marker,
    patient_resource,
)
from nelm.service import assess_fhir

ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10_GM = "http://fhir.de/CodeSystem/bfarm/icd-10-gm"
SNOMED = "http://snomed.info/sct"
DAY = dt.date(2025, 1, 15)

HE = "anatomy.hepatic_encephalopathy"
ASCITES = "anatomy.ascites"
PVT = "anatomy.portal_vein_thrombosis"
BILIARY = "anatomy.biliary_obstruction"
FIELDS = (HE, ASCITES, PVT, BILIARY)


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)


def _map(*resources: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(_bundle(*resources), assessment_date=DAY)


def _status(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"


@pytest.mark.parametrize(
    ("system", "code", "field", "shown"),
    [
        (ICD10_CM, "K76.82", HE, "ICD-10-CM K76.82"),
        (ICD10_CM, "K72.01", HE, "ICD-10-CM K72.01"),
        (ICD10_CM, "K72.11", HE, "ICD-10-CM K72.11"),
        (ICD10_CM, "K72.91", HE, "ICD-10-CM K72.91"),
        (ICD10_CM, "K70.41", HE, "ICD-10-CM K70.41"),
        (SNOMED, "13920009", HE, "SNOMED CT 13920009"),
        (ICD10_GM, "K72.73!", HE, "ICD-10-GM K72.73!"),  # "Hepatische Enzephalopathie Grad 3"
        (ICD10_GM, "K72.71", HE, "ICD-10-GM K72.71"),
        (ICD10_CM, "R18.0", ASCITES, "ICD-10-CM R18.0"),
        (ICD10_CM, "R18.8", ASCITES, "ICD-10-CM R18.8"),
        (ICD10, "R18", ASCITES, "ICD-10 R18"),
        (ICD10_CM, "K70.31", ASCITES, "ICD-10-CM K70.31"),
        (SNOMED, "389026000", ASCITES, "SNOMED CT 389026000"),
        (ICD10, "I81", PVT, "ICD-10 I81"),
        (ICD10_GM, "I81", PVT, "ICD-10-GM I81"),
        (SNOMED, "17920008", PVT, "SNOMED CT 17920008"),
        (ICD10, "K83.1", BILIARY, "ICD-10 K83.1"),
        (ICD10_CM, "K83.1", BILIARY, "ICD-10-CM K83.1"),
    ],
)
def test_each_code_sets_its_field_with_its_source(
    system: str, code: str, field: str, shown: str
) -> None:
    mapping = _map(condition_resource("f", system, code, onset="2024-11-02"))
    section, key = field.split(".")
    assert mapping.document[section][key] is True
    assert mapping.provenance[field] == f"Condition/f ({shown})"
    # One finding sets only its own field: the others stay unknown.
    for other in FIELDS:
        if other != field:
            assert other in mapping.unmapped


@pytest.mark.parametrize(
    ("system", "code"),
    [
        (ICD10_CM, "K72.90"),  # hepatic failure, unspecified *without* coma
        (ICD10_CM, "K72.10"),  # chronic hepatic failure without coma
        (ICD10, "K72.1"),  # WHO K72: hepatic failure, with or without encephalopathy
        (ICD10_GM, "K72.9"),
        (ICD10, "K76.82"),  # a code WHO ICD-10 does not have (K76.8 is not split)
    ],
)
def test_hepatic_failure_without_coma_is_not_encephalopathy(system: str, code: str) -> None:
    mapping = _map(condition_resource("f", system, code))
    assert HE in mapping.unmapped


def test_who_hepatic_failure_is_noted_as_not_read() -> None:
    mapping = _map(condition_resource("f", ICD10, "K72.1"))
    assert any(n.startswith("not used: hepatic failure") for n in mapping.notes)


@pytest.mark.parametrize(
    "extra",
    [
        {"clinicalStatus": _status(CLINICAL, "resolved")},
        {"clinicalStatus": _status(CLINICAL, "inactive")},
        {"clinicalStatus": _status(CLINICAL, "remission")},
        {"abatementDateTime": "2024-06-01"},
    ],
    ids=["resolved", "inactive", "remission", "abated"],
)
@pytest.mark.parametrize(
    ("system", "code", "field"),
    [
        (ICD10_CM, "K76.82", HE),
        (ICD10, "R18", ASCITES),
        (ICD10, "I81", PVT),
        (ICD10, "K83.1", BILIARY),
    ],
)
def test_a_finding_that_is_no_longer_current_is_noted_and_not_used(
    extra: dict[str, Any], system: str, code: str, field: str
) -> None:
    mapping = _map(condition_resource("f", system, code, **extra))
    assert field in mapping.unmapped  # unknown, not false: the record does not say "no"
    assert f"not used for {field}: Condition inactive, resolved or abated: Condition/f" in (
        mapping.notes
    )


@pytest.mark.parametrize("status", ["refuted", "entered-in-error", "provisional", "differential"])
def test_an_unconfirmed_finding_is_not_used(status: str) -> None:
    verification = _status(VERIFICATION, status)
    mapping = _map(condition_resource("f", ICD10_CM, "K76.82", verificationStatus=verification))
    assert HE in mapping.unmapped


def test_a_finding_first_recorded_after_the_assessment_date_is_not_used() -> None:
    later = (DAY + dt.timedelta(days=30)).isoformat()
    mapping = _map(condition_resource("f", ICD10, "I81", onset=later))
    assert PVT in mapping.unmapped


def test_absence_from_the_problem_list_leaves_every_finding_unknown() -> None:
    mapping = _map()
    assert set(FIELDS) <= set(mapping.unmapped)


def test_a_bile_duct_obstruction_due_to_the_primary_is_both_complication_and_finding() -> None:
    # FHIR R4 core extension condition-dueTo, referencing the ileal NET (ICD-10-CM C7A.012)
    primary = condition_resource("primary", ICD10_CM, "C7A.012")
    obstruction = condition_resource("bile", ICD10, "K83.1")
    obstruction["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/condition-dueTo",
            "valueReference": {"reference": "Condition/primary"},
        }
    ]
    mapping = bundle_to_case(
        bundle_of(patient_resource("p"), primary, obstruction), assessment_date=DAY
    )
    assert mapping.document["primary"]["complications"] == ["biliary_obstruction"]
    assert mapping.document["anatomy"] == {"biliary_obstruction": True}
    assert not any("not linked" in n for n in mapping.notes)


def test_an_unlinked_bile_duct_obstruction_is_the_finding_only_and_says_so() -> None:
    mapping = _map(condition_resource("bile", ICD10, "K83.1"))
    assert mapping.document["anatomy"] == {"biliary_obstruction": True}
    assert "primary.complications" in mapping.unmapped
    assert any(n.startswith(f"read as {BILIARY} only: not linked") for n in mapping.notes)


# --------------------------------------------------------------------------- assessment


def _criterion(assessment: dict[str, Any], option: str, rule: str) -> dict[str, Any]:
    criteria = assessment["options"][option]["criteria"]
    return next(c for c in criteria if c["id"] == f"{option}.{rule}")


def test_active_hepatic_encephalopathy_makes_tace_ineligible() -> None:
    # 000 §3.1: "Other contraindications include hepatic encephalopathy and biliary
    # obstruction due to increased risk for biliary necrosis" (TAE/TACE).
    bundle = _bundle(condition_resource("he", ICD10_CM, "K76.82"))
    assessment = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert _criterion(assessment, "tace", "no_encephalopathy")["result"] == "not_met"
    for option in ("tae", "tace", "deb_tace"):
        assert assessment["options"][option]["status"] == "ineligible", option


def test_resolved_hepatic_encephalopathy_leaves_the_criterion_unknown() -> None:
    bundle = _bundle(
        condition_resource("he", ICD10_CM, "K76.82", clinicalStatus=_status(CLINICAL, "resolved"))
    )
    assessment = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert _criterion(assessment, "tace", "no_encephalopathy")["result"] == "unknown"


def test_biliary_obstruction_makes_tace_ineligible() -> None:
    # 000 §3.1, as above: biliary obstruction contraindicates embolisation.
    bundle = _bundle(condition_resource("bile", ICD10, "K83.1"))
    assessment = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert _criterion(assessment, "tace", "no_biliary_obstruction")["result"] == "not_met"
    assert assessment["options"]["tace"]["status"] == "ineligible"


def test_portal_vein_thrombosis_makes_tare_and_tae_ineligible() -> None:
    # 003 Hepatic arterial embolization: "SIRT is contraindicated in cases of ... compromised
    # portal veins"; TAE/TACE: "Intra-arterial embolization techniques are generally
    # contraindicated in the presence of portal vein thrombosis" (000 §3.1, 002 §3.3).
    bundle = _bundle(condition_resource("pvt", SNOMED, "17920008"))
    assessment = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert _criterion(assessment, "tare", "portal_vein")["result"] == "not_met"
    assert _criterion(assessment, "tae", "no_portal_vein_occlusion")["result"] == "not_met"
    assert assessment["options"]["tare"]["status"] == "ineligible"


def test_ascites_raises_the_liver_reserve_caution_on_resection() -> None:
    # 004 §3.2: insufficient hepatic functional reserve is among the reasons patients
    # cannot undergo surgery; ascites is one of its signs in the caution.
    def reserve_cautions(*resources: dict[str, Any]) -> list[str]:
        assessment = assess_fhir(_bundle(*resources), assessment_date=DAY, with_evidence=False)
        cautions = assessment["options"]["liver_resection"]["cautions"]
        return [c for c in cautions if c.startswith("Signs of a poor hepatic functional reserve")]

    assert reserve_cautions() == []
    assert len(reserve_cautions(condition_resource("asc", ICD10_CM, "R18.8"))) == 1
