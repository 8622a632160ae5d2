"""German oncology records (MII Kerndatensatz-Modul Onkologie) and the codes they carry.

Shapes follow the MII oncology module's published examples (Bundle-mii-exa-onko-cup-bundle,
Bundle-mii-exa-onko-tnm-bundle, 2027.0.0-ballot.1): the diagnosis is an ICD-10-GM Condition
whose ICD-O-3 morphology sits in the extension
``…/mii-ex-onko-histology-morphology-behavior-icdo3``; TNM categories are Observations coded
SNOMED CT 399504009 / 399534004 valued in UICC's coding (https://www.uicc.org/resources/tnm);
each site of distant metastasis is an Observation coded SNOMED CT 385421009 valued from the
oBDS list (CodeSystem mii-cs-onko-fernmetastasen) and linked to its cancer by ``focus``.
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
    observation_resource,
    patient_resource,
    quantity,
)

ICD10_GM = "http://fhir.de/CodeSystem/bfarm/icd-10-gm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UICC = "https://www.uicc.org/resources/tnm"
MII_HISTOLOGY = (
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/StructureDefinition/"
    "mii-ex-onko-histology-morphology-behavior-icdo3"
)
OBDS_SITES = (
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/CodeSystem/"
    "mii-cs-onko-fernmetastasen"
)
DAY = dt.date(2026, 3, 1)


def _diagnosis(rid: str, icd10: str, morphology: str, onset: str = "2026-02-11") -> Any:
    condition = condition_resource(rid, ICD10_GM, icd10, onset=onset)
    condition["extension"] = [
        {
            "url": MII_HISTOLOGY,
            "valueCodeableConcept": {"coding": [{"system": ICDO3, "code": morphology}]},
        }
    ]
    return condition


def _metastasis(rid: str, site: str, focus: str = "Condition/dx") -> Any:
    return observation_resource(
        rid,
        SNOMED,
        "385421009",
        effective="2026-02-11",
        focus=[{"reference": focus}],
        valueCodeableConcept={"coding": [{"system": OBDS_SITES, "code": site}]},
    )


def _category(rid: str, observable: str, uicc: str, focus: str = "Condition/dx") -> Any:
    return observation_resource(
        rid,
        SNOMED,
        observable,
        effective="2026-02-11",
        focus=[{"reference": focus}],
        valueCodeableConcept={"coding": [{"system": UICC, "code": uicc}]},
    )


def _map(*resources: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(bundle_of(patient_resource("p"), *resources), assessment_date=DAY)


def test_a_net_morphology_in_the_mii_extension_makes_a_neuroendocrine_record() -> None:
    # ICD-10-GM C80.0 (primary site unknown) with ICD-O-3 8240/3 neuroendocrine tumour NOS:
    # the ICD-10-GM code alone does not say NET; the morphology does (WHO 2019: 8240/3 is a
    # well-differentiated NET).
    mapping = _map(_diagnosis("dx", "C80.0", "8240/3"))
    assert not any(w.startswith("NOT A NEUROENDOCRINE") for w in mapping.warnings)
    assert mapping.document["primary"]["site"] == "unknown_primary"
    assert mapping.document["pathology"]["differentiation"] == "well"


def test_an_adenocarcinoma_in_the_mii_extension_is_another_cancer() -> None:
    # The MII CUP example: C80.0 with 8140/3 adenocarcinoma NOS, metastases in liver and lung.
    mapping = _map(
        _diagnosis("dx", "C80.0", "8140/3"),
        _metastasis("hep", "HEP"),
        _metastasis("pul", "PUL"),
    )
    assert any(w.startswith("NOT A NEUROENDOCRINE RECORD") for w in mapping.warnings)
    assert "extrahepatic" not in mapping.document
    assert any("not a neuroendocrine neoplasm: Condition/dx" in note for note in mapping.notes)
    assert any(
        note.startswith("set aside: a finding about (focus) a cancer") and "Observation/pul" in note
        for note in mapping.notes
    )


@pytest.mark.parametrize(
    ("site", "extrahepatic"),
    [
        # oBDS sites of distant metastasis (MII ConceptMap mii-cm-onko-fernmetastasen-sct)
        ("PUL", "lung"),
        ("OSS", "bone"),
        ("LYM", "distant_nodes"),  # the list is of distant sites: non-regional nodes
        ("PER", "peritoneum"),
        ("BRA", "other"),
        ("ADR", "other"),
    ],
)
def test_an_extrahepatic_site_of_distant_metastasis(site: str, extrahepatic: str) -> None:
    mapping = _map(_diagnosis("dx", "C17.2", "8240/3"), _metastasis("m", site))
    assert mapping.document["extrahepatic"] == {"present": True, "sites": [extrahepatic]}


def test_a_liver_site_of_distant_metastasis_dates_the_liver_disease() -> None:
    # HEP found with the primary (same day): synchronous liver metastases (case-v1
    # liver.synchronous: found with the primary), and no extrahepatic disease is claimed.
    mapping = _map(_diagnosis("dx", "C17.2", "8240/3"), _metastasis("m", "HEP"))
    assert mapping.document["liver"]["synchronous"] is True
    assert "extrahepatic" not in mapping.document


def test_generalised_metastasis_names_no_site() -> None:
    mapping = _map(_diagnosis("dx", "C17.2", "8240/3"), _metastasis("m", "GEN"))
    assert "extrahepatic" not in mapping.document
    assert any("names no single site" in note for note in mapping.notes)


def test_metastases_of_a_second_cancer_are_not_the_nets() -> None:
    # A NET and a breast carcinoma (C50.4, 8500/3 invasive ductal carcinoma) in one record:
    # the bone metastasis linked to the breast cancer stays out of the NET's extrahepatic
    # disease, and so do its T and N categories.
    mapping = _map(
        _diagnosis("dx", "C17.2", "8240/3"),
        _diagnosis("breast", "C50.4", "8500/3"),
        _metastasis("m", "OSS", focus="Condition/breast"),
        _category("t", "399504009", "T2", focus="Condition/breast"),
        _category("n", "399534004", "N1", focus="Condition/breast"),
    )
    assert "extrahepatic" not in mapping.document
    assert "t_category" not in mapping.document.get("primary", {})
    assert "node_positive" not in mapping.document.get("primary", {})


@pytest.mark.parametrize(
    ("observable", "uicc", "field", "value"),
    [
        # UICC TNM 8th edition: a subdivision belongs to its category; N1–N3 are degrees
        # of regional lymph-node metastasis, N0 none.
        ("399504009", "T2", "t_category", "T2"),  # cT category
        ("399504009", "T1a", "t_category", "T1"),
        ("384625004", "T4b", "t_category", "T4"),  # pT category
        ("399534004", "N0", "node_positive", False),  # cN category
        ("399534004", "N3", "node_positive", True),  # the MII TNM example's cN3
        ("371494008", "N1mi", "node_positive", True),  # pN category
    ],
)
def test_uicc_categories_fill_the_case(
    observable: str, uicc: str, field: str, value: object
) -> None:
    mapping = _map(_diagnosis("dx", "C25.4", "8240/3"), _category("c", observable, uicc))
    assert mapping.document["primary"][field] == value


@pytest.mark.parametrize("uicc", ["TX", "T0", "Tis", "NX"])
def test_uicc_categories_that_say_nothing_stay_unknown(uicc: str) -> None:
    observable = "399534004" if uicc.startswith("N") else "399504009"
    mapping = _map(_diagnosis("dx", "C25.4", "8240/3"), _category("c", observable, uicc))
    primary = mapping.document.get("primary", {})
    assert "t_category" not in primary
    assert "node_positive" not in primary


@pytest.mark.parametrize(
    ("code", "value", "unit", "field", "expected"),
    [
        # LOINC 59826-8 Creatinine [Moles/volume] in Blood, 72 µmol/L (the MII laboratory
        # module's example): 88.4 µmol/L = 1 mg/dL, so 0.8145 mg/dL.
        ("59826-8", 72, "umol/L", "creatinine_mg_dl", 72 / 88.4),
        # LOINC 77140-2 Creatinine [Moles/volume] in Serum, Plasma or Blood (HL7
        # Switzerland's radiology-order example: 90 µmol/L)
        ("77140-2", 90, "umol/L", "creatinine_mg_dl", 90 / 88.4),
        # LOINC 59260-0 Hemoglobin [Moles/volume] in Blood: 1 mmol/L = 1.611 g/dL (Young 1987).
        ("59260-0", 8.5, "mmol/L", "hemoglobin_g_dl", 8.5 * 1.611),
    ],
)
def test_german_laboratory_codes(
    code: str, value: float, unit: str, field: str, expected: float
) -> None:
    result = observation_resource(
        "lab", LOINC, code, effective="2026-02-20", valueQuantity=quantity(value, unit)
    )
    mapping = _map(neuroendocrine_marker(), result)
    assert mapping.document["labs"][field] == pytest.approx(expected, rel=1e-3)


def test_small_cell_lung_carcinoma_is_a_neuroendocrine_carcinoma() -> None:
    # SNOMED CT 254632001 Small cell carcinoma of lung (the code of Synthea's lung cancer
    # modules): a poorly differentiated neuroendocrine carcinoma, small cell type (WHO
    # 2019/2022 thoracic tumours; ICD-O-3 8041/3).
    mapping = _map(condition_resource("sclc", SNOMED, "254632001", onset="2025-11-02"))
    assert not any(w.startswith("NOT A NEUROENDOCRINE") for w in mapping.warnings)
    assert mapping.document["primary"]["site"] == "lung"
    assert mapping.document["pathology"] == {"differentiation": "poor", "nec_subtype": "small_cell"}
