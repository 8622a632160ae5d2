"""Codes that describe the tumour rather than a diagnosis: morphology (SNOMED CT and
ICD-O-3), ICD-O-3 topography, SNOMED CT body sites, and the side of the liver a body
structure lies on.

Part of the mapping tables of :mod:`nelm.interop.fhir.codes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nelm.interop.fhir.condition_codes import Role, icd10_primary_site
from nelm.interop.fhir.systems import ICD10_CM

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
    meaning = icd10_primary_site(ICD10_CM, c)
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
