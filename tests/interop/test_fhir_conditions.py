"""Condition mapping: primary site, differentiation, metastases, synchronicity, syndrome."""

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

ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
SNOMED = "http://snomed.info/sct"
DAY = dt.date(2025, 1, 15)


def _map(*resources: dict[str, Any]) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def _site(system: str, code: str, **extra: Any) -> Any:
    mapping = _map(condition_resource("c1", system, code, **extra))
    return mapping.document.get("primary", {}).get("site")


@pytest.mark.parametrize(
    ("code", "site"),
    [
        ("C25.4", "pancreas"),  # ICD-10 C25.4 endocrine pancreas
        ("C25.0", "pancreas"),  # ICD-10 C25.0 head of pancreas
        ("C17.0", "duodenum"),  # ICD-10 C17.0 duodenum
        ("C17.2", "small_intestine"),  # ICD-10 C17.2 ileum
        ("C16.9", "stomach"),  # ICD-10 C16 stomach
        ("C18.1", "appendix"),  # ICD-10 C18.1 appendix
        ("C18.7", "colon"),  # ICD-10 C18.x colon (other than appendix)
        ("C20", "rectum"),  # ICD-10 C20 rectum
        ("C19", "rectum"),  # ICD-10 C19 rectosigmoid junction (SEER groups it with rectum)
        ("C24.1", "duodenum"),  # ICD-10 C24.1 ampulla of Vater (WHO: duodenal-ampullary NETs)
        ("C34.1", "lung"),  # ICD-10 C34 bronchus and lung
        ("C80.0", "unknown_primary"),  # ICD-10 (WHO) C80.0 primary site unknown, so stated
    ],
)
def test_icd10_primary_sites(code: str, site: str) -> None:
    assert _site(ICD10, code) == site


@pytest.mark.parametrize(
    ("code", "site"),
    [
        ("C7A.010", "duodenum"),  # ICD-10-CM malignant carcinoid tumor of the duodenum
        ("C7A.012", "small_intestine"),  # … of the ileum
        ("C7A.020", "appendix"),  # … of the appendix
        ("C7A.024", "colon"),  # … of the descending colon
        ("C7A.026", "rectum"),  # … of the rectum
        ("C7A.090", "lung"),  # … of the bronchus and lung
        ("C7A.092", "stomach"),  # … of the stomach
        ("C7A.091", "thymus"),  # … of the thymus (case-v1 site added for real reports)
        ("C7A.095", "midgut"),  # … of the midgut, unspecified (case-v1 "midgut")
    ],
)
def test_icd10_cm_carcinoid_codes(code: str, site: str) -> None:
    assert _site(ICD10_CM, code) == site


@pytest.mark.parametrize("code", ["C17", "C18", "C80.9", "C7A.00", "C7A.094"])  # C7A.094: foregut
def test_codes_that_do_not_name_one_site_leave_it_unknown(code: str) -> None:
    system = ICD10_CM if code.startswith("C7A") else ICD10
    assert _site(system, code) is None


def test_icd10_c7a1_is_poorly_differentiated() -> None:
    # ICD-10-CM C7A.1 Malignant poorly differentiated neuroendocrine tumors
    mapping = _map(condition_resource("c1", ICD10_CM, "C7A.1"))
    assert mapping.document["pathology"] == {"differentiation": "poor"}


@pytest.mark.parametrize(
    ("topography", "site"),
    [
        ("C25.0", "pancreas"),
        ("C17.0", "duodenum"),
        ("C17.1", "small_intestine"),
        ("C16.0", "stomach"),
        ("C18.1", "appendix"),
        ("C18.2", "colon"),
        ("C20.9", "rectum"),
        ("C34.1", "lung"),
        ("C80.9", "unknown_primary"),
    ],
)
def test_icdo3_topography_in_body_site(topography: str, site: str) -> None:
    # ICD-O-3 topography codes in Condition.bodySite; NET morphology 8240/3 in code.
    assert _site(ICDO3, "8240/3", body_site=(ICDO3, topography)) == site


@pytest.mark.parametrize(
    ("body", "site"),
    [
        ("15776009", "pancreas"),  # SNOMED CT Pancreatic structure
        ("30315005", "small_intestine"),  # SNOMED CT Small intestinal structure
        ("66754008", "appendix"),  # SNOMED CT Appendix structure
    ],
)
def test_snomed_body_structures(body: str, site: str) -> None:
    assert _site(ICD10_CM, "C7A.8", body_site=(SNOMED, body)) == site


@pytest.mark.parametrize(
    ("code", "site"),
    [
        ("363418001", "pancreas"),  # SNOMED CT Malignant tumor of pancreas
        ("363349007", "stomach"),  # SNOMED CT Malignant tumor of stomach
        ("363406005", "colon"),  # SNOMED CT Malignant tumor of colon
        ("363351006", "rectum"),  # SNOMED CT Malignant tumor of rectum
        ("363358000", "lung"),  # SNOMED CT Malignant tumor of lung
    ],
)
def test_snomed_primary_disorders(code: str, site: str) -> None:
    assert _site(SNOMED, code) == site


@pytest.mark.parametrize(
    ("morphology", "differentiation", "subtype"),
    [
        ("8240/3", "well", None),  # ICD-O-3 carcinoid tumour NOS / NET G1
        ("8249/3", "well", None),  # ICD-O-3 atypical carcinoid / NET G2–G3
        ("8246/3", "poor", None),  # ICD-O-3 neuroendocrine carcinoma NOS
        ("8041/3", "poor", "small_cell"),  # ICD-O-3 small cell carcinoma
        ("8045/3", "poor", "small_cell"),  # ICD-O-3 combined small cell carcinoma
        ("8013/3", "poor", "large_cell"),  # ICD-O-3 large cell neuroendocrine carcinoma
    ],
)
def test_icdo3_morphology(morphology: str, differentiation: str, subtype: str | None) -> None:
    # mCODE histology-morphology-behavior extension on a site-coded Condition.
    mapping = _map(condition_resource("c1", ICD10, "C25.4", morphology=morphology))
    pathology = mapping.document["pathology"]
    assert pathology["differentiation"] == differentiation
    assert pathology.get("nec_subtype") == subtype
    assert mapping.document["primary"] == {"site": "pancreas"}


def test_functional_syndromes() -> None:
    # ICD-O-3 8151/3 insulinoma, malignant
    insulinoma = _map(condition_resource("c1", ICD10, "C25.4", morphology="8151/3"))
    assert insulinoma.document["primary"]["functional_syndrome"] == "insulinoma"
    # ICD-10 E34.0 carcinoid syndrome; SNOMED CT 35868009 Carcinoid syndrome
    for system, code in ((ICD10, "E34.0"), (SNOMED, "35868009")):
        mapping = _map(condition_resource("s", system, code))
        assert mapping.document["primary"] == {"functional_syndrome": "carcinoid"}


def test_non_neuroendocrine_morphology_is_not_read() -> None:
    # ICD-O-3 8140/3 adenocarcinoma: another cancer, not the NET.
    mapping = _map(condition_resource("c1", ICD10, "C18.7", morphology="8140/3"))
    assert "primary.site" in mapping.unmapped
    assert any("not a neuroendocrine" in note for note in mapping.notes)


def test_specific_code_outranks_a_generic_second_cancer() -> None:
    # A C7A code for an ileal NET and an old colon cancer (C18.7, no morphology).
    mapping = _map(
        condition_resource("net", ICD10_CM, "C7A.012"), condition_resource("old", ICD10, "C18.7")
    )
    assert mapping.document["primary"] == {"site": "small_intestine"}
    assert any("set aside" in note and "Condition/old" in note for note in mapping.notes)


def test_two_generic_primary_sites_conflict_and_leave_the_site_unknown() -> None:
    mapping = _map(condition_resource("a", ICD10, "C16.9"), condition_resource("b", ICD10, "C18.7"))
    assert "site" not in mapping.document.get("primary", {})
    [issue] = mapping.issues
    assert issue.startswith(
        "conflicting values for primary.site: Condition/a (ICD-10 C16.9) "
        "says stomach and Condition/b (ICD-10 C18.7) says colon"
    )
    assert issue.endswith("primary.site is left unknown")


@pytest.mark.parametrize(
    ("system", "code", "site"),
    [
        (ICD10, "C79.5", "bone"),  # ICD-10 C79.5 secondary malignant neoplasm of bone
        (ICD10, "C78.0", "lung"),  # ICD-10 C78.0 secondary malignant neoplasm of lung
        (ICD10, "C77.0", "distant_nodes"),  # ICD-10 C77.0 nodes of head, face and neck
        (ICD10, "C78.6", "peritoneum"),  # ICD-10 C78.6 retroperitoneum and peritoneum
        (ICD10_CM, "C7B.03", "bone"),  # ICD-10-CM secondary carcinoid tumors of bone
        (ICD10_CM, "C7B.01", "distant_nodes"),  # ICD-10-CM … of distant lymph nodes
        (SNOMED, "94222008", "bone"),  # SNOMED CT Secondary malignant neoplasm of bone
        (SNOMED, "94391008", "lung"),  # SNOMED CT Secondary malignant neoplasm of lung
        (ICD10, "C79.3", "other"),  # ICD-10 C79.3 brain and cerebral meninges
    ],
)
def test_extrahepatic_metastases(system: str, code: str, site: str) -> None:
    mapping = _map(condition_resource("m", system, code))
    assert mapping.document["extrahepatic"] == {"present": True, "sites": [site]}


def test_intra_abdominal_nodes_may_be_regional_and_are_not_mapped() -> None:
    # ICD-10 C77.2 intra-abdominal lymph nodes: mesenteric nodes are regional for a midgut NET.
    mapping = _map(condition_resource("p", ICD10, "C17.2"), condition_resource("n", ICD10, "C77.2"))
    assert "extrahepatic.present" in mapping.unmapped
    assert any("regional or distant" in note for note in mapping.notes)


def test_intrathoracic_nodes_depend_on_the_primary() -> None:
    # ICD-10 C77.1 intrathoracic lymph nodes: distant for a pancreatic NET, regional for lung.
    pancreas = _map(
        condition_resource("p", ICD10, "C25.4"), condition_resource("n", ICD10, "C77.1")
    )
    assert pancreas.document["extrahepatic"] == {"present": True, "sites": ["distant_nodes"]}
    lung = _map(condition_resource("p", ICD10, "C34.1"), condition_resource("n", ICD10, "C77.1"))
    assert "extrahepatic.sites" in lung.unmapped


def test_resolved_extrahepatic_disease_is_not_counted() -> None:
    status = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                "code": "resolved",
            }
        ]
    }
    mapping = _map(condition_resource("m", ICD10, "C79.5", clinicalStatus=status))
    assert "extrahepatic.present" in mapping.unmapped


def test_metastatic_behaviour_places_the_metastasis_by_body_site() -> None:
    # ICD-O-3 behaviour /6 (metastatic site) with topography C41.2 (spine) → bone.
    mapping = _map(condition_resource("m", ICDO3, "8240/6", body_site=(ICDO3, "C41.2")))
    assert mapping.document["extrahepatic"] == {"present": True, "sites": ["bone"]}
    assert "primary.site" in mapping.unmapped


@pytest.mark.parametrize(
    ("primary_onset", "liver_onset", "expected"),
    [
        ("2024-03-01", "2024-03-20", True),  # found together
        ("2024-03-01", "2024-06-01", True),  # exactly three months later
        ("2024-03-01", "2024-06-02", False),  # later than three months: metachronous
        ("2024-03-01", "2023-12-01", True),  # liver disease found first
        ("2024", "2024-11-01", None),  # a year-only onset is too coarse to tell
    ],
)
def test_synchronous_liver_metastases(
    primary_onset: str, liver_onset: str, expected: bool | None
) -> None:
    # ICD-10 C78.7 secondary malignant neoplasm of liver; onsets compared in months.
    mapping = _map(
        condition_resource("p", ICD10, "C25.4", onset=primary_onset),
        condition_resource("l", ICD10, "C78.7", onset=liver_onset),
    )
    assert mapping.document.get("liver", {}).get("synchronous") is expected
    if expected is not None:
        assert mapping.provenance["liver.synchronous"] == ("Condition/l, Condition/p (onset dates)")


def test_liver_metastases_without_dates_leave_synchronous_unknown() -> None:
    # SNOMED CT 94381002 Secondary malignant neoplasm of liver
    mapping = _map(
        condition_resource("p", ICD10, "C25.4"), condition_resource("l", SNOMED, "94381002")
    )
    assert "liver.synchronous" in mapping.unmapped
    assert any("liver.synchronous not set" in note for note in mapping.notes)


@pytest.mark.parametrize("status", ["refuted", "entered-in-error", "provisional"])
def test_unconfirmed_conditions_are_not_read(status: str) -> None:
    verification = {
        "coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": status}
        ]
    }
    mapping = _map(condition_resource("c1", ICD10, "C25.4", verificationStatus=verification))
    assert "primary.site" in mapping.unmapped


def test_abated_extrahepatic_disease_is_not_counted() -> None:
    mapping = _map(condition_resource("m", ICD10, "C78.0", abatementDateTime="2024-06-01"))
    assert "extrahepatic.present" in mapping.unmapped


def test_histology_on_a_liver_metastasis_is_not_a_primary() -> None:
    # ICD-10 C78.7 with ICD-O-3 8249/3: differentiation yes, but no primary onset from it.
    mapping = _map(
        condition_resource("p", ICD10, "C17.2", onset="2020-01-10"),
        condition_resource("l", ICD10, "C78.7", onset="2023-05-01", morphology="8249/3"),
    )
    assert mapping.document["pathology"] == {"differentiation": "well"}
    assert mapping.document["liver"] == {"synchronous": False}


def test_generic_and_specific_codes_on_one_condition_are_not_set_aside() -> None:
    # ICD-10 C25.4 (endocrine pancreas) and SNOMED CT 363418001 on the same Condition.
    condition = condition_resource("c1", ICD10, "C25.4")
    condition["code"]["coding"].append({"system": SNOMED, "code": "363418001"})
    mapping = _map(condition)
    assert mapping.document["primary"] == {"site": "pancreas"}
    assert not any("set aside" in note for note in mapping.notes)
