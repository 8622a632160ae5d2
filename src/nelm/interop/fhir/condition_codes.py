"""Condition codes: what an ICD-10 (WHO, -CM, -GM) or SNOMED CT Condition code says about the
case (primary site, liver or extrahepatic metastasis, syndrome, hereditary syndrome,
complication of the primary), or why it is recognised but not used.

Part of the mapping tables of :mod:`nelm.interop.fhir.codes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from nelm.interop.fhir.finding_codes import SNOMED_FINDINGS, finding_field, hepatic_failure_unsaid
from nelm.interop.fhir.systems import (
    ICD10,
    ICD10_CM,
    ICD10_GM,
    SNOMED,
    Code,
    normalize_icd10,
)


class Role(Enum):
    """What a Condition code says about the case."""

    PRIMARY = "primary"  # the primary tumour (site may be unknown)
    LIVER_METASTASIS = "liver_metastasis"
    EXTRAHEPATIC = "extrahepatic"  # site in ConditionMeaning.site
    INTRATHORACIC_NODES = "intrathoracic_nodes"  # distant unless the primary is the lung
    SYNDROME = "syndrome"
    HEREDITARY = "hereditary"  # a hereditary tumour syndrome: patient.hereditary_syndromes
    COMPLICATION = "complication"  # of the primary, when linked to it (primary.complications)
    FINDING = "finding"  # liver reserve or vessels: the case field in ConditionMeaning.field
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
    field: str | None = None  # the anatomy field a current Condition sets to true


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
    finding = finding_field(system, c)
    for prefix, complication in _COMPLICATIONS:
        if c.startswith(prefix):  # K83.1 is also anatomy.biliary_obstruction, linked or not
            return ConditionMeaning(Role.COMPLICATION, site=complication, field=finding)
    if finding is not None:
        return ConditionMeaning(Role.FINDING, field=finding)
    if hepatic_failure_unsaid(system, c):
        return _unused("hepatic failure (WHO ICD-10 / ICD-10-GM K72) need not be encephalopathy")
    if c.startswith("C7A.0"):
        if c in _C7A0:
            return _primary(_C7A0[c], specific=True)
        return _primary(None, specific=True)  # unspecified site or fore/mid/hindgut only
    if c.startswith("C7A.1"):
        return _primary(None, specific=True, differentiation="poor")
    if c.startswith("C7A"):
        return _primary(None, specific=True)
    return icd10_primary_site(system, c)


def icd10_primary_site(system: str, c: str) -> ConditionMeaning | None:
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
    finding = SNOMED_FINDINGS.get(code)
    if finding is not None:
        return ConditionMeaning(Role.FINDING, field=finding)
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
