"""Observation codes: which LOINC, SNOMED CT and project codes fill which case-v1 field, and
how their coded answers (positive/negative, ECOG, grade, TNM, disease status) are read.

Part of the mapping tables of :mod:`nelm.interop.fhir.codes`, where the sources and the
codes deliberately left out are listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from nelm.case.result_dates import RESULT_RECENT_DAYS
from nelm.interop.fhir.systems import (
    LOINC,
    NELM_OBSERVATION,
    SNOMED,
    UICC_TNM,
    Code,
)


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
    # The German MII oncology module's ECOG (mii-pr-onko-allgemeiner-leistungszustand-ecog):
    # SNOMED CT 423740007 Eastern Cooperative Oncology Group performance status (observable
    # entity), with LOINC 89262-0 ECOG Performance Status [Interpretation]; its answers are
    # the LOINC LA codes below or the module's own grades 0-4 (_MII_ECOG).
    (SNOMED, "423740007"): ObservationRule("patient.ecog", ValueKind.ECOG, recent_days=_LAB_DAYS),
    (LOINC, "89262-0"): ObservationRule("patient.ecog", ValueKind.ECOG, recent_days=_LAB_DAYS),
    # LOINC 82810-3 Pregnancy status (US Core Observation Pregnancy Status), answered with
    # SNOMED CT 77386006 Pregnant / 60001007 Not pregnant (POSITIVE / NEGATIVE below); a
    # status goes out of date, so an old one is noted as a laboratory value is.
    (LOINC, "82810-3"): ObservationRule(
        "patient.pregnant", ValueKind.BOOLEAN, recent_days=_LAB_DAYS
    ),
    # LOINC 10230-1 Left ventricular Ejection fraction
    (LOINC, "10230-1"): ObservationRule("patient.lvef_percent", ValueKind.QUANTITY, "percent"),
    # Bilirubin.total: 1975-2 [Mass/volume], 14631-6 [Moles/volume] in Serum or Plasma;
    # 42719-5 Bilirubin.total [Mass/volume] in Blood
    **_rules(
        "labs.bilirubin_mg_dl",
        _lab("labs.bilirubin_mg_dl", "bilirubin"),
        (LOINC, "1975-2"),
        (LOINC, "14631-6"),
        (LOINC, "42719-5"),
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
    # Aspartate aminotransferase [Enzymatic activity/volume] in S/P: 1920-8, 30239-8 (w P-5'-P);
    # 88112-8 Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma by
    # No addition of P-5'-P
    **_rules(
        "labs.ast_u_l",
        _lab("labs.ast_u_l", "enzyme"),
        (LOINC, "1920-8"),
        (LOINC, "30239-8"),
        (LOINC, "88112-8"),
    ),
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
    (NELM_OBSERVATION, "pregnant"): ObservationRule(
        "patient.pregnant", ValueKind.BOOLEAN, recent_days=_LAB_DAYS
    ),
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

# SNOMED CT 10828004 Positive, 260385009 Negative (qualifier values); the pregnancy
# status's answers 77386006 Pregnant, 60001007 Not pregnant (findings), read only under its
# code as every answer is.
POSITIVE: frozenset[Code] = frozenset({(SNOMED, "10828004"), (SNOMED, "77386006")})
NEGATIVE: frozenset[Code] = frozenset({(SNOMED, "260385009"), (SNOMED, "60001007")})

# LOINC answer list for ECOG (LL529-9): LA9622-7 = 0 … LA9626-8 = 4, LA9627-6 = 5 (dead).
_MII_ECOG = (
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/CodeSystem/"
    "mii-cs-onko-allgemeiner-leistungszustand-ecog"
)
ECOG_ANSWERS: dict[Code, int] = {
    (LOINC, "LA9622-7"): 0,
    (LOINC, "LA9623-5"): 1,
    (LOINC, "LA9624-3"): 2,
    (LOINC, "LA9625-0"): 3,
    (LOINC, "LA9626-8"): 4,
    (LOINC, "LA9627-6"): 5,
    # the MII module's grades 0-4 (its "U", unknown, says nothing)
    **{(_MII_ECOG, str(grade)): grade for grade in range(5)},
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
