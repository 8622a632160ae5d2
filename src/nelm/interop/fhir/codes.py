"""The mapping tables: which codes mean which case-v1 field.

Every code below was checked against a published value set, implementation guide or
terminology listing; docs/fhir-mapping.md gives the table in prose. Codes that could not
be checked are deliberately absent (an unknown code is ignored and listed in the notes;
a wrong code would silently put a wrong value into a clinical decision).

Notably absent:

* LOINC 85319-2 is *HER2 [Presence] in Breast cancer specimen by Immune stain*, not a
  Ki-67 code; Ki-67 is LOINC 29593-1 (*Cells.Ki-67 nuclear Ag/cells in Tissue by Immune
  stain*, UCUM ``%``). The breast-specific Ki-67 code 85330-9 is not used either.
* RxNorm: ingredient codes do not separate oncological everolimus from the transplant
  immunosuppressant, and product codes need an RxNorm release to resolve; medications
  are read from ATC codes (and the project code system).
* SNOMED CT procedure codes other than 441525007 (chemoembolisation of artery): none
  could be checked here; procedures are read from CPT and the project code system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from nelm.case.result_dates import RESULT_RECENT_DAYS
from nelm.interop.fhir.systems import (
    ATC,
    CPT,
    ICD10,
    ICD10_CM,
    ICD10_GM,
    LOINC,
    NELM_MEDICATION,
    NELM_OBSERVATION,
    NELM_PROCEDURE,
    SNOMED,
    UICC_TNM,
    Code,
    normalize_icd10,
)

__all__ = [
    "AMBIGUOUS_PROCEDURES",
    "DISEASE_STATUS",
    "DISEASE_STATUS_ANSWERS",
    "ECOG_ANSWERS",
    "GRADE_ANSWERS",
    "HEREDITARY_SYNDROMES",
    "LIVER_SIDES",
    "MEDICATIONS",
    "NEGATIVE",
    "OBSERVATION_RULES",
    "ORGAN_SITES",
    "POSITIVE",
    "PRIMARY_RESECTION",
    "PROCEDURES",
    "REPORTED_GRADE_ANSWERS",
    "SNOMED_BODY_SITES",
    "TNM_ANSWERS",
    "ConditionMeaning",
    "Morphology",
    "ObservationRule",
    "Role",
    "ValueKind",
    "icd10_meaning",
    "icdo3_morphology",
    "snomed_condition_meaning",
    "snomed_morphology",
    "tnm_answer",
    "topography",
]

ORGAN_SITES = (
    "pancreas",
    "duodenum",
    "stomach",
    "small_intestine",
    "appendix",
    "colon",
    "rectum",
    "lung",
    "thymus",
)
"""The primary sites of case-v1 that a body-site or topography code names as one organ."""


# --------------------------------------------------------------------------- observations


class ValueKind(Enum):
    """How an Observation's value is read."""

    QUANTITY = "quantity"  # valueQuantity converted with units.py
    COUNT = "count"  # valueInteger (or a unit-less integral valueQuantity)
    BOOLEAN = "boolean"  # valueBoolean or SNOMED Positive / Negative
    ECOG = "ecog"  # valueInteger or LOINC answer LA9622-7 … LA9626-8
    GRADE = "grade"  # SNOMED histologic grade G1 … G4 → differentiation
    TNM = "tnm"  # a T or N category, SNOMED CT AJCC (mCODE) or UICC (MII): tnm_answer
    CHOICE = "choice"  # valueCodeableConcept in nelm-value: one of the case field's choices


@dataclass(frozen=True, slots=True)
class ObservationRule:
    """One observation code: the case field it fills and how its value is read."""

    field: str
    value: ValueKind
    quantity: str = ""  # the units.KINDS entry, for QUANTITY
    recent_days: int | None = None  # a note is written when the result is older


_LAB_DAYS = RESULT_RECENT_DAYS  # laboratory values and ECOG (docs/fhir-mapping.md)


def _lab(field: str, quantity: str) -> ObservationRule:
    return ObservationRule(field, ValueKind.QUANTITY, quantity, _LAB_DAYS)


def _rules(field: str, rule: ObservationRule, *codes: Code) -> dict[Code, ObservationRule]:
    assert rule.field == field
    return dict.fromkeys(codes, rule)


OBSERVATION_RULES: dict[Code, ObservationRule] = {
    # LOINC 29593-1 Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain (%)
    (LOINC, "29593-1"): ObservationRule("pathology.ki67_percent", ValueKind.QUANTITY, "percent"),
    # LOINC 33732-9 Histology grade [Identifier] in Cancer specimen;
    # SNOMED CT 371469007 Histologic grade (observable entity)
    **_rules(
        "pathology.differentiation",
        ObservationRule("pathology.differentiation", ValueKind.GRADE),
        (LOINC, "33732-9"),
        (SNOMED, "371469007"),
    ),
    # LOINC 89247-1 ECOG Performance Status score
    (LOINC, "89247-1"): ObservationRule("patient.ecog", ValueKind.ECOG, recent_days=_LAB_DAYS),
    # LOINC 10230-1 Left ventricular Ejection fraction
    (LOINC, "10230-1"): ObservationRule("patient.lvef_percent", ValueKind.QUANTITY, "percent"),
    # Bilirubin.total: 1975-2 [Mass/volume], 14631-6 [Moles/volume] in Serum or Plasma
    **_rules(
        "labs.bilirubin_mg_dl",
        _lab("labs.bilirubin_mg_dl", "bilirubin"),
        (LOINC, "1975-2"),
        (LOINC, "14631-6"),
    ),
    # Albumin [Mass/volume] in Serum or Plasma: 1751-7; by BCG 61151-7; by BCP 61152-5
    **_rules(
        "labs.albumin_g_dl",
        _lab("labs.albumin_g_dl", "albumin"),
        (LOINC, "1751-7"),
        (LOINC, "61151-7"),
        (LOINC, "61152-5"),
    ),
    # Creatinine: 2160-0 [Mass/volume] S/P, 14682-9 [Moles/volume] S/P, 38483-4
    # [Mass/volume] in Blood, 59826-8 [Moles/volume] in Blood (the code of the MII
    # laboratory module's example, German records), 77140-2 [Moles/volume] in Serum,
    # Plasma or Blood (HL7 Switzerland's examples)
    **_rules(
        "labs.creatinine_mg_dl",
        _lab("labs.creatinine_mg_dl", "creatinine"),
        (LOINC, "2160-0"),
        (LOINC, "14682-9"),
        (LOINC, "38483-4"),
        (LOINC, "59826-8"),
        (LOINC, "77140-2"),
    ),
    # GFR/1.73 sq M.predicted: MDRD 33914-3, 48642-3 (non-black), 48643-1 (black);
    # CKD-EPI 62238-1, 88293-6 (black), 88294-4 (non-black); CKD-EPI 2021 98979-8
    **_rules(
        "labs.egfr_ml_min",
        _lab("labs.egfr_ml_min", "egfr"),
        (LOINC, "33914-3"),
        (LOINC, "48642-3"),
        (LOINC, "48643-1"),
        (LOINC, "62238-1"),
        (LOINC, "88293-6"),
        (LOINC, "88294-4"),
        (LOINC, "98979-8"),
    ),
    # Lactate dehydrogenase [Enzymatic activity/volume] in S/P: 2532-0, 14804-9 (L→P)
    **_rules("labs.ldh_u_l", _lab("labs.ldh_u_l", "enzyme"), (LOINC, "2532-0"), (LOINC, "14804-9")),
    # Aspartate aminotransferase [Enzymatic activity/volume] in S/P: 1920-8, 30239-8 (w P-5'-P)
    **_rules("labs.ast_u_l", _lab("labs.ast_u_l", "enzyme"), (LOINC, "1920-8"), (LOINC, "30239-8")),
    # Platelets [#/volume] in Blood: 777-3 (automated count), 26515-7
    **_rules(
        "labs.platelets_per_ul",
        _lab("labs.platelets_per_ul", "count"),
        (LOINC, "777-3"),
        (LOINC, "26515-7"),
    ),
    # Hemoglobin in Blood: 718-7 [Mass/volume]; 59260-0 [Moles/volume], in mmol/L as
    # German and Dutch laboratories report it
    **_rules(
        "labs.hemoglobin_g_dl",
        _lab("labs.hemoglobin_g_dl", "hemoglobin"),
        (LOINC, "718-7"),
        (LOINC, "59260-0"),
    ),
    # Leukocytes [#/volume] in Blood: 6690-2 (automated count), 26464-8
    **_rules(
        "labs.wbc_per_ul", _lab("labs.wbc_per_ul", "count"), (LOINC, "6690-2"), (LOINC, "26464-8")
    ),
    # Project codes (no LOINC code for these findings could be established).
    (NELM_OBSERVATION, "mitotic-count"): ObservationRule(
        "pathology.mitoses_per_2mm2", ValueKind.QUANTITY, "mitoses"
    ),
    (NELM_OBSERVATION, "sstr-imaging-positive"): ObservationRule(
        "imaging.sstr_positive", ValueKind.BOOLEAN
    ),
    (NELM_OBSERVATION, "fdg-pet-positive"): ObservationRule(
        "imaging.fdg_positive", ValueKind.BOOLEAN
    ),
    (NELM_OBSERVATION, "krenning-score"): ObservationRule(
        "imaging.krenning_score", ValueKind.COUNT
    ),
    (NELM_OBSERVATION, "liver-tumor-burden"): ObservationRule(
        "liver.tumor_burden_percent", ValueKind.QUANTITY, "percent"
    ),
    (NELM_OBSERVATION, "liver-lesion-count"): ObservationRule(
        "liver.lesion_count", ValueKind.COUNT
    ),
    (NELM_OBSERVATION, "largest-liver-lesion"): ObservationRule(
        "liver.largest_lesion_cm", ValueKind.QUANTITY, "length"
    ),
    (NELM_OBSERVATION, "future-liver-remnant"): ObservationRule(
        "liver.future_liver_remnant_percent", ValueKind.QUANTITY, "percent"
    ),
    # TNM categories as mCODE codes them (TNM Primary Tumor / Regional Nodes Category
    # profiles): the observation is LOINC 21905-5 Primary tumor.clinical, 21899-0
    # Primary tumor.pathology, 21906-3 Regional lymph nodes.clinical, 21900-6 Regional lymph
    # nodes.pathology [Class] Cancer (mCODE STU1–2), or SNOMED CT 399504009 cT category,
    # 384625004 pT category, 399534004 cN category, 371494008 pN category (mCODE STU3–4).
    **_rules(
        "primary.t_category",
        ObservationRule("primary.t_category", ValueKind.TNM),
        (LOINC, "21905-5"),
        (LOINC, "21899-0"),
        (SNOMED, "399504009"),
        (SNOMED, "384625004"),
    ),
    **_rules(
        "primary.node_positive",
        ObservationRule("primary.node_positive", ValueKind.TNM),
        (LOINC, "21906-3"),
        (LOINC, "21900-6"),
        (SNOMED, "399534004"),
        (SNOMED, "371494008"),
    ),
    (NELM_OBSERVATION, "lung-shunt-fraction"): ObservationRule(
        "anatomy.hepatopulmonary_shunt_percent", ValueKind.QUANTITY, "percent"
    ),
    # Project codes for the case-v1 additions that no standard code expresses (the grade
    # as the pathology report words it, the board's judgements, SSTR uptake against the
    # liver, the hormone, "bilobar"): docs/fhir-ig.md. Choices are answered in nelm-value.
    (NELM_OBSERVATION, "reported-grade"): ObservationRule(
        "pathology.reported_grade", ValueKind.CHOICE
    ),
    (NELM_OBSERVATION, "sstr-ihc-positive"): ObservationRule(
        "pathology.sstr_ihc_positive", ValueKind.BOOLEAN
    ),
    (NELM_OBSERVATION, "sstr-uptake-vs-liver"): ObservationRule(
        "imaging.sstr_uptake_vs_liver", ValueKind.CHOICE
    ),
    (NELM_OBSERVATION, "functional-tumor-hormone"): ObservationRule(
        "primary.hormone", ValueKind.CHOICE
    ),
    (NELM_OBSERVATION, "liver-bilobar"): ObservationRule("liver.bilobar", ValueKind.BOOLEAN),
    (NELM_OBSERVATION, "liver-burden-symptoms"): ObservationRule(
        "liver.burden_symptoms", ValueKind.BOOLEAN
    ),
    (NELM_OBSERVATION, "liver-surgical-assessment"): ObservationRule(
        "liver.surgical_assessment", ValueKind.CHOICE
    ),
    (NELM_OBSERVATION, "primary-surgical-assessment"): ObservationRule(
        "primary.surgical_assessment", ValueKind.CHOICE
    ),
    (NELM_OBSERVATION, "primary-unresectable-reason"): ObservationRule(
        "primary.unresectable_reason", ValueKind.CHOICE
    ),
}

# SNOMED CT 10828004 Positive, 260385009 Negative (qualifier values).
POSITIVE: frozenset[Code] = frozenset({(SNOMED, "10828004")})
NEGATIVE: frozenset[Code] = frozenset({(SNOMED, "260385009")})

# LOINC answer list for ECOG (LL529-9): LA9622-7 = 0 … LA9626-8 = 4, LA9627-6 = 5 (dead).
ECOG_ANSWERS: dict[Code, int] = {
    (LOINC, "LA9622-7"): 0,
    (LOINC, "LA9623-5"): 1,
    (LOINC, "LA9624-3"): 2,
    (LOINC, "LA9625-0"): 3,
    (LOINC, "LA9626-8"): 4,
    (LOINC, "LA9627-6"): 5,
}

# SNOMED CT grade findings. G1 (54102005) and G2 (1663004) are well-differentiated NETs
# (WHO 2019/2022); G4 (258245003, undifferentiated) is poorly differentiated. G3
# (61026006) is deliberately unmapped: WHO 2019 separates well-differentiated NET G3 from
# poorly differentiated NEC, and a grade alone cannot tell them apart. GX (12619005) and
# "grade not determined" (60815008) carry no information.
# The same answers as the grade the pathology report states (pathology.reported_grade):
# G3 may be read here, because a reported "G3" stays "G3 or NEC" in the grade derivation
# unless the differentiation is stated (docs/case-v1-additions.md). G4, GX and "not
# determined" have no reported-grade counterpart.
REPORTED_GRADE_ANSWERS: dict[Code, str] = {
    (SNOMED, "54102005"): "G1",
    (SNOMED, "1663004"): "G2",
    (SNOMED, "61026006"): "G3",
}

# mCODE Cancer Disease Status (STU2 onwards): an Observation coded LOINC 97509-4 "Cancer
# disease progression", answered from mCODE's ConditionStatusTrendVS (SNOMED CT
# 268910001 Patient's condition improved, 359746009 … stable, 271299001 … worsened;
# 709137006 undetermined is read as nothing). Each one is a dated scan of the timeline.
DISEASE_STATUS: Code = (LOINC, "97509-4")
DISEASE_STATUS_ANSWERS: dict[Code, str] = {
    (SNOMED, "268910001"): "response",
    (SNOMED, "359746009"): "stable",
    (SNOMED, "271299001"): "progression",
}

GRADE_ANSWERS: dict[Code, str | None] = {
    (SNOMED, "54102005"): "well",
    (SNOMED, "1663004"): "well",
    (SNOMED, "258245003"): "poor",
    (SNOMED, "61026006"): None,
    (SNOMED, "12619005"): None,
    (SNOMED, "60815008"): None,
}

# SNOMED CT "American Joint Committee on Cancer cT1 … pN1 (qualifier value)", the values of
# mCODE's TNM category value sets (checked against the HL7 ICHOM breast cancer IG's
# TNMPrimaryTumorVS and TNMRegionalNodesVS). A T category is kept as reported (the case
# field does not say which system gave it; nelm.engine.staging derives its own T); N0 is
# "regional nodes not involved", N1 "involved". TX, NX, T0 and Tis are left unknown; the
# AJCC N2 and N3 codes are absent because they could not be checked here (an N2 or N3 in
# UICC's coding is read: tnm_answer).
TNM_ANSWERS: dict[Code, str | bool] = {
    (SNOMED, "1228889001"): "T1",
    (SNOMED, "1228957006"): "T1",  # cT1, pT1
    (SNOMED, "1228929004"): "T2",
    (SNOMED, "1229852009"): "T2",  # cT2, pT2
    (SNOMED, "1228938002"): "T3",
    (SNOMED, "1229859000"): "T3",  # cT3, pT3
    (SNOMED, "1228944003"): "T4",
    (SNOMED, "1229864001"): "T4",  # cT4, pT4
    (SNOMED, "1229967007"): False,
    (SNOMED, "1229947003"): False,  # cN0, pN0
    (SNOMED, "1229973008"): True,
    (SNOMED, "1229951001"): True,  # cN1, pN1
}

# The same categories as the UICC writes them (UICC TNM Classification of Malignant
# Tumours, 8th edition; the coding of German records, MII Kerndatensatz-Modul Onkologie
# TNM profiles, whose ConceptMap mii-cm-onko-tnm-uicc-sct lists "T1" … "T4e", "N0" … "N3c"
# and "N1mi"), or as AJCC's own code system does (http://cancerstaging.org, mCODE STU1's
# TNM value sets: "cT3", "pN1a", with the clinical or pathological prefix). A subdivision
# (T2a, T4b, N1mi) belongs to its category; every N above N0 is regional lymph-node
# metastasis (TNM's general rules: N1–N3 grade its extent), so it answers
# primary.node_positive. TX, T0, Tis, Ta, NX and N0 with a qualifier ("N0(i+)") are left
# unknown.
AJCC = "http://cancerstaging.org"
_PREFIX = r"(?:y?[cp]|r[cp]|a)?"
_TNM_T = re.compile(rf"{_PREFIX}T([1-4])(?:mi|[a-e]\d?)?")
_TNM_N = re.compile(rf"{_PREFIX}N([0-3])(?:mi|[a-c])?")


def tnm_answer(code: Code) -> str | bool | None:
    """A T category ("T1" … "T4") or node involvement (bool) for a SNOMED CT AJCC, an AJCC
    or a UICC category code; None for any other code."""
    if code in TNM_ANSWERS:
        return TNM_ANSWERS[code]
    system, value = code
    if system not in (UICC_TNM, AJCC):
        return None
    if found := _TNM_T.fullmatch(value):
        return f"T{found.group(1)}"
    if found := _TNM_N.fullmatch(value):
        return found.group(1) != "0"
    return None


# --------------------------------------------------------------------------- conditions


class Role(Enum):
    """What a Condition code says about the case."""

    PRIMARY = "primary"  # the primary tumour (site may be unknown)
    LIVER_METASTASIS = "liver_metastasis"
    EXTRAHEPATIC = "extrahepatic"  # site in ConditionMeaning.site
    INTRATHORACIC_NODES = "intrathoracic_nodes"  # distant unless the primary is the lung
    SYNDROME = "syndrome"
    HEREDITARY = "hereditary"  # a hereditary tumour syndrome: patient.hereditary_syndromes
    COMPLICATION = "complication"  # of the primary, when linked to it (primary.complications)
    UNUSED = "unused"  # recognised, deliberately not mapped (why says why)


@dataclass(frozen=True, slots=True)
class ConditionMeaning:
    role: Role
    site: str | None = None
    specific: bool = False  # a neuroendocrine-specific code (outranks generic site codes)
    differentiation: str | None = None
    syndrome: str | None = None
    why: str = ""
    nec_subtype: str | None = None  # small_cell or large_cell, for a carcinoma's own code


def _primary(
    site: str | None, *, specific: bool = False, differentiation: str | None = None
) -> ConditionMeaning:
    return ConditionMeaning(Role.PRIMARY, site, specific, differentiation)


def _unused(why: str) -> ConditionMeaning:
    return ConditionMeaning(Role.UNUSED, why=why)


def _hereditary(syndrome: str) -> ConditionMeaning:
    return ConditionMeaning(Role.HEREDITARY, syndrome=syndrome)


# Hereditary tumour syndromes (patient.hereditary_syndromes). SNOMED CT 30664006 Multiple
# endocrine neoplasia, type 1; 46659004 Von Hippel-Lindau syndrome; 92824003
# Neurofibromatosis type 1 (each as listed in published SNOMED CT disorder tables, e.g.
# ClinVar-derived condition lists); 7199000 "Tuberous sclerosis syndrome (disorder)" (the
# Belgian eHealth value set be-vs-diagnostic-imaging-indication, GitHub hl7-be/referral
# input/fsh/valuesets/terminology/BeVSDiagnosticImagingIndication.fsh, commit 26f112cd).
# ICD-10-CM from the CDC tabular list of 1 April 2026 (FY2026; as redistributed in GitHub
# StefanoTrv/simple_icd_10_CM package-files/simple_icd_10_CM/data/
# icd10c-tabular-April-1-2026.xml, commit 4a7d11a5): E31.21 "Multiple endocrine neoplasia
# [MEN] type I"; Q85.01 "Neurofibromatosis, type 1"; Q85.1 "Tuberous sclerosis" (still one
# code, not split; includes Bourneville's disease, epiloia); Q85.83 "Von Hippel-Lindau
# syndrome" (since FY2024; before, VHL was in Q85.8, which also holds other phakomatoses).
# MEN4 is absent: ICD-10-CM has no code for it (E31.2 has only E31.20 unspecified, E31.21
# type I, E31.22 type IIA, E31.23 type IIB) and no SNOMED CT concept for it was found in a
# citable source; E31.20 names no type, so it is not read as any syndrome. A Condition
# with an unmapped code is listed as not mapped.
HEREDITARY_SYNDROMES: dict[Code, str] = {
    (SNOMED, "30664006"): "men1",
    (SNOMED, "46659004"): "vhl",
    (SNOMED, "92824003"): "nf1",
    (SNOMED, "7199000"): "tuberous_sclerosis",
    (ICD10_CM, "E31.21"): "men1",
    (ICD10_CM, "Q85.01"): "nf1",
    (ICD10_CM, "Q85.1"): "tuberous_sclerosis",
    (ICD10_CM, "Q85.83"): "vhl",
}


# Complications of the primary (primary.complications), ICD-10 chapter XI: K56 paralytic
# ileus and intestinal obstruction without hernia; K92.2 gastrointestinal haemorrhage,
# unspecified; K63.1 perforation of intestine (nontraumatic); K55 vascular disorders of
# intestine; K83.1 obstruction of bile duct. Read only when the Condition says it is due
# to the neuroendocrine primary (conditions.py): a bowel obstruction has many causes.
_COMPLICATIONS = (
    ("K56", "bowel_obstruction"),
    ("K92.2", "bleeding"),
    ("K63.1", "perforation"),
    ("K55", "intestinal_ischaemia"),
    ("K83.1", "biliary_obstruction"),
)


def _extrahepatic(site: str) -> ConditionMeaning:
    return ConditionMeaning(Role.EXTRAHEPATIC, site)


_LIVER = ConditionMeaning(Role.LIVER_METASTASIS)
_AMBIGUOUS_NODES = _unused("lymph-node metastases that may be regional or distant")

# ICD-10-CM C7A.0x: malignant carcinoid tumours by site.
_C7A0 = {
    "C7A.010": "duodenum",
    "C7A.011": "small_intestine",
    "C7A.012": "small_intestine",
    "C7A.019": "small_intestine",
    "C7A.020": "appendix",
    "C7A.021": "colon",
    "C7A.022": "colon",
    "C7A.023": "colon",
    "C7A.024": "colon",
    "C7A.025": "colon",
    "C7A.026": "rectum",
    "C7A.090": "lung",
    "C7A.091": "thymus",  # malignant carcinoid tumour of the thymus
    "C7A.092": "stomach",
    "C7A.093": "other",
    "C7A.095": "midgut",  # malignant carcinoid tumour of the midgut, unspecified
    "C7A.098": "other",
}

# Secondary malignant neoplasm codes outside the liver (ICD-10 C78–C79, ICD-10-CM C7B).
_SECONDARY = (
    ("C79.5", "bone"),
    ("C7B.03", "bone"),
    ("C78.0", "lung"),
    ("C78.6", "peritoneum"),
    ("C7B.04", "peritoneum"),
    ("C7B.01", "distant_nodes"),
    ("C77.0", "distant_nodes"),
    ("C77.3", "distant_nodes"),
    ("C77.4", "distant_nodes"),
    ("C78.1", "other"),
    ("C78.2", "other"),
    ("C79.0", "other"),
    ("C79.1", "other"),
    ("C79.2", "other"),
    ("C79.3", "other"),
    ("C79.4", "other"),
    ("C79.6", "other"),
    ("C79.7", "other"),
    ("C79.8", "other"),
    ("C7B.09", "other"),
)


def icd10_meaning(system: str, code: str) -> ConditionMeaning | None:
    """What an ICD-10 (WHO, -CM or -GM) code says; None when it is not a code used here."""
    c = normalize_icd10(code)
    syndrome = HEREDITARY_SYNDROMES.get((system, c))
    if syndrome is not None:
        return _hereditary(syndrome)
    if c.startswith(("C78.7", "C7B.02")):
        return _LIVER
    for prefix, site in _SECONDARY:
        if c.startswith(prefix):
            return _extrahepatic(site)
    if c.startswith("C77.1"):
        return ConditionMeaning(Role.INTRATHORACIC_NODES)
    if c.startswith("C77"):
        return _AMBIGUOUS_NODES
    if c.startswith(("C78", "C79", "C7B")):
        return _unused("a secondary site this mapping does not place")
    if c.startswith("E34.0"):
        return ConditionMeaning(Role.SYNDROME, syndrome="carcinoid")
    for prefix, complication in _COMPLICATIONS:
        if c.startswith(prefix):
            return ConditionMeaning(Role.COMPLICATION, site=complication)
    if c.startswith("C7A.0"):
        if c in _C7A0:
            return _primary(_C7A0[c], specific=True)
        return _primary(None, specific=True)  # unspecified site or fore/mid/hindgut only
    if c.startswith("C7A.1"):
        return _primary(None, specific=True, differentiation="poor")
    if c.startswith("C7A"):
        return _primary(None, specific=True)
    return _icd10_primary_site(system, c)


def _icd10_primary_site(system: str, c: str) -> ConditionMeaning | None:
    if c.startswith("C16"):
        return _primary("stomach")
    if c.startswith("C17.0"):
        return _primary("duodenum")
    if c.startswith(("C17.1", "C17.2", "C17.3", "C17.8", "C17.9")):
        return _primary("small_intestine")
    if c.startswith("C18.1"):
        return _primary("appendix")
    if c.startswith("C18.") and len(c) > 4:
        return _primary("colon")
    if c.startswith(("C19", "C20")):  # rectosigmoid with rectum (SEER site grouping)
        return _primary("rectum")
    if c.startswith("C24.1"):  # ampulla of Vater: WHO groups ampullary with duodenal NETs
        return _primary("duodenum")
    if c.startswith("C25.4"):  # endocrine pancreas (islets of Langerhans)
        return _primary("pancreas", specific=True)
    if c.startswith("C25"):
        return _primary("pancreas")
    if c.startswith("C34"):
        return _primary("lung")
    if c.startswith("C37"):  # malignant neoplasm of thymus
        return _primary("thymus")
    if c.startswith("C80.0") and system in (ICD10, ICD10_GM):
        return _primary("unknown_primary")  # WHO: primary site unknown, so stated
    if c in ("C17", "C18") or c.startswith("C80"):
        return _unused("a primary site code that does not name one site")
    if c.startswith("C22"):
        return _unused("a primary liver cancer code")
    if c.startswith("C"):
        return _unused("a malignancy at a site this mapping does not use")
    return None


def snomed_condition_meaning(code: str) -> ConditionMeaning | None:
    """SNOMED CT disorders used here (each checked against a published value set)."""
    syndrome = HEREDITARY_SYNDROMES.get((SNOMED, code))
    if syndrome is not None:
        return _hereditary(syndrome)
    return _SNOMED_CONDITIONS.get(code)


_SNOMED_CONDITIONS: dict[str, ConditionMeaning] = {
    "94381002": _LIVER,  # Secondary malignant neoplasm of liver
    "94222008": _extrahepatic("bone"),  # Secondary malignant neoplasm of bone
    "94391008": _extrahepatic("lung"),  # Secondary malignant neoplasm of lung
    "94225005": _extrahepatic("other"),  # Secondary malignant neoplasm of brain
    "94493005": _extrahepatic("other"),  # Secondary malignant neoplasm of pleura
    "94161006": _extrahepatic("other"),  # Secondary malignant neoplasm of adrenal gland
    "363418001": _primary("pancreas"),  # Malignant tumor of pancreas
    "363349007": _primary("stomach"),  # Malignant tumor of stomach
    "363406005": _primary("colon"),  # Malignant tumor of colon
    "363351006": _primary("rectum"),  # Malignant tumor of rectum
    "363358000": _primary("lung"),  # Malignant tumor of lung
    "93880001": _primary("lung"),  # Primary malignant neoplasm of lung
    # Small cell carcinoma of the lung, a poorly differentiated neuroendocrine carcinoma
    # (WHO 2019/2022; ICD-O-3 8041/3), and Synthea's lung_cancer and veteran_lung_cancer
    # modules' codes for it by stage ("Primary small cell malignant neoplasm of lung, TNM
    # stage 1 … 4"). A stage of these codes is not read: it is the lung cancer's TNM stage.
    **dict.fromkeys(
        ("254632001", "67811000119102", "67821000119109", "67831000119107", "67841000119103"),
        ConditionMeaning(Role.PRIMARY, "lung", True, "poor", nec_subtype="small_cell"),
    ),
    "35868009": ConditionMeaning(Role.SYNDROME, syndrome="carcinoid"),  # Carcinoid syndrome
}


@dataclass(frozen=True, slots=True)
class Morphology:
    """An ICD-O-3 (or SNOMED CT) morphology code read for the case."""

    neuroendocrine: bool
    behaviour: str  # "0", "1", "2", "3", "6", "9"
    differentiation: str | None = None
    nec_subtype: str | None = None
    syndrome: str | None = None
    reported_grade: str | None = None
    """The grade the histology term states (``NET G1``, ``neuroendocrine carcinoma``)."""
    thoracic_grade: str | None = None
    """The lung/thymus histotype the term states when the tumour is thoracic."""


# ICD-O-3 neuroendocrine histologies (ICD-O-3.2 terms in brackets).
_NET_MORPHOLOGY: dict[str, tuple[str, str | None, str | None]] = {
    "8240": ("well", None, None),  # carcinoid tumour NOS [NET G1]
    "8241": ("well", None, None),  # enterochromaffin cell carcinoid
    "8242": ("well", None, None),  # ECL cell carcinoid
    "8249": ("well", None, None),  # atypical carcinoid [NET G2, NET G3]
    "8150": ("well", None, None),  # pancreatic endocrine tumour [pancreatic NET]
    "8151": ("well", None, "insulinoma"),
    "8152": ("well", None, "glucagonoma"),
    "8153": ("well", None, "gastrinoma"),
    "8155": ("well", None, "vipoma"),
    "8156": ("well", None, "somatostatinoma"),
    "8246": ("poor", None, None),  # neuroendocrine carcinoma NOS
    "8041": ("poor", "small_cell", None),  # small cell carcinoma NOS
    # its variants (ICD-O-3): 8042 oat cell, 8043 fusiform cell, 8044 intermediate cell,
    # 8045 combined small cell carcinoma (WHO 2021 thoracic: all small cell carcinoma)
    "8042": ("poor", "small_cell", None),
    "8043": ("poor", "small_cell", None),
    "8044": ("poor", "small_cell", None),
    "8045": ("poor", "small_cell", None),
    "8013": ("poor", "large_cell", None),  # large cell neuroendocrine carcinoma
}


# SNOMED CT morphologic abnormalities, as the mCODE histology-morphology-behavior extension
# sends them (its value set is SNOMED CT morphology). Codes and terms as listed in HL7
# Lithuania's WHO breast-tumour classification value set (WHO 5th edition terms, which
# lists the neuroendocrine ones and the carcinomas below) and mCODE STU1's own example
# (35917007 for an adenocarcinoma). The behaviour is not part of a SNOMED morphology: a
# primary cancer condition's histology is read as malignant (/3).
_SNOMED_MORPHOLOGY: dict[str, Morphology] = {
    "1286768001": Morphology(True, "3", "well"),  # Well-differentiated neuroendocrine tumor
    "1286769009": Morphology(True, "3", "well", reported_grade="G1"),  # Well-diff. NET grade 1
    "1286770005": Morphology(True, "3", "well", reported_grade="G2"),  # Well-diff. NET grade 2
    "189607006": Morphology(True, "3", "well"),  # Carcinoid tumor - morphology
    "1286767006": Morphology(True, "3", "poor", reported_grade="NEC"),  # Neuroendocrine carcinoma
    "74364000": Morphology(True, "3", "poor", "small_cell", reported_grade="NEC"),  # Small cell
    "128628002": Morphology(True, "3", "poor", "large_cell", reported_grade="NEC"),  # LCNEC
    # Not neuroendocrine: a Condition with one of these is another cancer.
    "35917007": Morphology(False, "3"),  # Adenocarcinoma, no subtype specified
    "82711006": Morphology(False, "3"),  # Infiltrating duct carcinoma
    "89740008": Morphology(False, "3"),  # Lobular carcinoma
    "4631006": Morphology(False, "3"),  # Tubular adenocarcinoma
    "72495009": Morphology(False, "3"),  # Mucinous adenocarcinoma
}


def snomed_morphology(code: str) -> Morphology | None:
    """A SNOMED CT morphologic abnormality read here; None for any other code."""
    return _SNOMED_MORPHOLOGY.get(code.strip())


# The grade a histology term states. NEC: 8246 neuroendocrine carcinoma NOS, 8041 small
# cell and 8013 large cell neuroendocrine carcinoma (the two NEC types, WHO 2019). In the
# lung and thymus (WHO Classification of Tumours, Thoracic Tumours, 5th ed. 2021)
# 8240/3 is the typical and 8249/3 the atypical carcinoid; elsewhere 8249 covers NET G2
# and G3 (ICD-O-3.2), and 8240 is also "carcinoid NOS" in older coding, so neither
# states a grade outside the thorax.
_ICDO3_REPORTED = {
    "8246": "NEC",
    **dict.fromkeys(("8041", "8042", "8043", "8044", "8045"), "NEC"),
    "8013": "NEC",
}
_ICDO3_THORACIC = {"8240": "typical_carcinoid", "8249": "atypical_carcinoid"}


def icdo3_morphology(code: str) -> Morphology | None:
    """Read ``8240/3``-style codes; None for anything that is not a morphology code."""
    text = code.strip()
    if len(text) != 6 or text[4] != "/" or not (text[:4] + text[5]).isdigit():
        return None
    histology, behaviour = text[:4], text[5]
    found = _NET_MORPHOLOGY.get(histology)
    if found is None:
        return Morphology(False, behaviour)
    return Morphology(
        True,
        behaviour,
        *found,
        reported_grade=_ICDO3_REPORTED.get(histology),
        thoracic_grade=_ICDO3_THORACIC.get(histology),
    )


def topography(code: str) -> str | None:
    """An ICD-O-3 topography code as a primary site, ``liver``, a metastatic site or None.

    Returns a case primary site (``pancreas`` …), ``liver``, ``bone``, ``peritoneum``,
    ``nodes`` / ``intrathoracic_nodes`` (lymph nodes, placed by the caller) or None.
    """
    c = code.strip().upper()
    if c.startswith("C22"):
        return "liver"
    if c.startswith(("C40", "C41")):
        return "bone"
    if c.startswith(("C48.1", "C48.2")):
        return "peritoneum"
    if c.startswith("C77.1"):
        return "intrathoracic_nodes"
    if c.startswith(("C77.0", "C77.3", "C77.4")):
        return "distant_nodes"
    if c.startswith("C77"):
        return "nodes"
    if c.startswith("C80.9"):
        return "unknown_primary"
    meaning = _icd10_primary_site(ICD10_CM, c)
    return meaning.site if meaning is not None and meaning.role is Role.PRIMARY else None


SNOMED_BODY_SITES: dict[str, str] = {
    "15776009": "pancreas",  # Pancreatic structure
    "38848004": "duodenum",  # Duodenal structure
    "69695003": "stomach",  # Stomach structure
    "30315005": "small_intestine",  # Small intestinal structure
    "66754008": "appendix",  # Appendix structure
    "71854001": "colon",  # Colon structure
    "34402009": "rectum",  # Rectum structure
    "39607008": "lung",  # Lung structure
    "10200004": "liver",  # Liver structure
    # Parts of the liver (LIVER_SIDES below): a lesion there is a liver lesion.
    **dict.fromkeys(("48521005", "69842003", "71133005"), "liver"),
    **dict.fromkeys(("277956007", "277957003", "277958008", "277959000"), "liver"),
    **dict.fromkeys(("277960005", "277961009", "277962002"), "liver"),
}

# Which side of the liver a SNOMED CT body structure lies on, for liver.bilobar
# (nelm.interop.fhir.lobes). Lobes: 48521005 "Structure of right lobe of liver", 69842003
# "Structure of left lobe of liver" (the expansion against SNOMED CT International
# 2024-10-01 in GitHub UPM-NTHC/PH-RoadSafetyIG input/fsh/generated-terminology/valuesets/
# SILPH___List_of_Body_Sites__VS_.fsh, commit 69f61688; also "Liver, Right Lobe" /
# "Liver, Left Lobe" in its compose list). Segments: DICOM CID 7170 "Couinaud Liver
# Segment" (GitHub bvdh/dicom-terminology-in-fhir input/fsh/
# ValueSet-dicom-cid-7170-CouinaudLiverSegment.fsh, commit ed2c0f96): 71133005 I,
# 277956007 II, 277957003 III, 277958008 IV, 277959000 V, 277960005 VI, 277961009 VII,
# 277962002 VIII ("Couinaud hepatic segment …"). The two usual meanings of "lobe" agree on
# segments II and III (left: left of the umbilical fissure and falciform ligament, the
# classical lobe; and part of the left hemiliver, segments 2–4) and V–VIII (right) in the
# Brisbane 2000 terminology (IHPBA Terminology Committee, HPB 2000;2:333–9; reviewed by
# Strasberg, J Hepatobiliary Pancreat Surg 2005;12:351–5). They disagree on segment IV
# (left hemiliver, but right of the falciform ligament) and segment I (the caudate lobe,
# of neither hemiliver), so those two place a lesion in the liver but on no side (None).
# Caudate and quadrate lobe codes could not be checked in a citable source: not read.
LIVER_SIDES: dict[str, str | None] = {
    "48521005": "right",
    "69842003": "left",
    "71133005": None,  # segment I (caudate)
    "277956007": "left",  # II
    "277957003": "left",  # III
    "277958008": None,  # IV
    "277959000": "right",  # V
    "277960005": "right",  # VI
    "277961009": "right",  # VII
    "277962002": "right",  # VIII
}


# --------------------------------------------------------------------------- treatments

PROCEDURES: dict[Code, tuple[str, bool | str]] = {
    # CPT 48150/48152 pancreatectomy, proximal subtotal with total duodenectomy … (Whipple-
    # type), with / without pancreatojejunostomy; 48153/48154 the pylorus-sparing variants.
    **dict.fromkeys(
        [
            (CPT, "48150"),
            (CPT, "48152"),
            (CPT, "48153"),
            (CPT, "48154"),
            (NELM_PROCEDURE, "pancreaticoduodenectomy"),
        ],
        ("anatomy.prior_whipple", True),
    ),
    # CPT 47120 partial lobectomy, 47122 trisegmentectomy, 47125 total left lobectomy,
    # 47130 total right lobectomy (hepatectomy, resection of liver).
    **dict.fromkeys(
        [
            (CPT, "47120"),
            (CPT, "47122"),
            (CPT, "47125"),
            (CPT, "47130"),
            (NELM_PROCEDURE, "liver-resection"),
        ],
        ("course.prior_treatments", "liver_resection"),
    ),
    # CPT 47370 laparoscopic, 47380 open, 47382 percutaneous radiofrequency ablation of
    # liver tumour(s). Cryoablation (47371/47381/47383) is not radiofrequency/microwave.
    **dict.fromkeys(
        [(CPT, "47370"), (CPT, "47380"), (CPT, "47382"), (NELM_PROCEDURE, "thermal-ablation")],
        ("course.prior_treatments", "thermal_ablation"),
    ),
    # SNOMED CT 441525007 Percutaneous transluminal chemoembolisation of artery.
    (SNOMED, "441525007"): ("course.prior_treatments", "tace"),
    (NELM_PROCEDURE, "tace"): ("course.prior_treatments", "tace"),
    (NELM_PROCEDURE, "deb-tace"): ("course.prior_treatments", "deb_tace"),
    (NELM_PROCEDURE, "tae"): ("course.prior_treatments", "tae"),
    # CPT 79445 radiopharmaceutical therapy by intra-arterial particulate administration
    # (90Y microspheres).
    (CPT, "79445"): ("course.prior_treatments", "tare"),
    (NELM_PROCEDURE, "tare"): ("course.prior_treatments", "tare"),
    (NELM_PROCEDURE, "prrt"): ("course.prior_treatments", "prrt"),
}

# The primary tumour was removed (the timeline's primary_resection): no standard code that
# says so whatever the organ could be checked, so only the project code is read.
PRIMARY_RESECTION: Code = (NELM_PROCEDURE, "primary-resection")

# Codes recognised as too broad to map (noted, not an error).
AMBIGUOUS_PROCEDURES: frozenset[Code] = frozenset(
    {
        (CPT, "37243"),  # vascular embolisation for tumour: bland, chemo- or radio-embolisation
        (CPT, "79101"),  # intravenous radiopharmaceutical therapy: PRRT or another agent
    }
)

MEDICATIONS: dict[Code, str] = {
    (ATC, "H01CB02"): "ssa",  # octreotide
    (ATC, "H01CB03"): "ssa",  # lanreotide
    (ATC, "L01EG02"): "everolimus",  # everolimus (antineoplastic; L01XE10 before 2022)
    (ATC, "L01XE10"): "everolimus",
    (ATC, "L01EX01"): "sunitinib",  # sunitinib (L01XE04 before 2022)
    (ATC, "L01XE04"): "sunitinib",
    (ATC, "L01EX07"): "cabozantinib",  # cabozantinib (L01XE26 before 2022)
    (ATC, "L01XE26"): "cabozantinib",
    (ATC, "V10XX04"): "prrt",  # lutetium (177Lu) oxodotreotide
    (NELM_MEDICATION, "octreotide"): "ssa",
    (NELM_MEDICATION, "lanreotide"): "ssa",
    (NELM_MEDICATION, "everolimus"): "everolimus",
    (NELM_MEDICATION, "sunitinib"): "sunitinib",
    (NELM_MEDICATION, "surufatinib"): "surufatinib",
    (NELM_MEDICATION, "cabozantinib"): "cabozantinib",
    (NELM_MEDICATION, "lutetium-177-dotatate"): "prrt",
}
