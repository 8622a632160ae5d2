"""Code system URIs and the small helpers that read codings out of FHIR JSON.

Everything here works on plain JSON (``dict`` / ``list``) that has already passed the
FHIR R4B model validation in :mod:`nelm.interop.fhir.validate`; the helpers still check
types, so a malformed element yields nothing rather than an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

__all__ = [
    "ATC",
    "CPT",
    "ICD10",
    "ICD10_CM",
    "ICD10_GM",
    "ICD10_SYSTEMS",
    "ICDO3",
    "LOINC",
    "MII_METASTASIS_SITES",
    "NELM_MEDICATION",
    "NELM_OBSERVATION",
    "NELM_PROCEDURE",
    "NELM_TAG",
    "NELM_VALUE",
    "SNOMED",
    "UCUM",
    "UICC_TNM",
    "Code",
    "canonical_system",
    "codings",
    "elements",
    "label",
    "normalize_icd10",
    "reference_target",
]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10_GM = "http://fhir.de/CodeSystem/bfarm/icd-10-gm"
ICD10_SYSTEMS = frozenset({ICD10, ICD10_CM, ICD10_GM})
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
ATC = "http://www.whocc.no/atc"
# TNM categories as the UICC writes them ("T2", "N1a"), the coding German oncology records
# carry (MII Kerndatensatz-Modul Onkologie, TNM profiles).
UICC_TNM = "https://www.uicc.org/resources/tnm"
# The oBDS list of the sites of distant metastasis (PUL, OSS, HEP, …), as the MII oncology
# module names it.
MII_METASTASIS_SITES = (
    "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/CodeSystem/"
    "mii-cs-onko-fernmetastasen"
)
CPT = "http://www.ama-assn.org/go/cpt"

# Project code systems, for findings that have no standard code (see docs/fhir-mapping.md).
# ``.invalid`` is reserved (RFC 2606): the URLs identify, they are never fetched.
NELM_OBSERVATION = "https://nelm.invalid/fhir/CodeSystem/nelm-observation"
NELM_PROCEDURE = "https://nelm.invalid/fhir/CodeSystem/nelm-procedure"
NELM_MEDICATION = "https://nelm.invalid/fhir/CodeSystem/nelm-medication"
NELM_TAG = "https://nelm.invalid/fhir/CodeSystem/nelm-tag"
# Answers to nelm-observation codes whose value is one of a case field's choices: the code
# is the case-v1 value itself (``resectable_after_conversion``, ``above_liver``, ``G2``).
NELM_VALUE = "https://nelm.invalid/fhir/CodeSystem/nelm-value"

_LABELS = {
    LOINC: "LOINC",
    SNOMED: "SNOMED CT",
    ICD10: "ICD-10",
    ICD10_CM: "ICD-10-CM",
    ICD10_GM: "ICD-10-GM",
    ICDO3: "ICD-O-3",
    ATC: "ATC",
    CPT: "CPT",
    UICC_TNM: "UICC TNM",
    MII_METASTASIS_SITES: "oBDS site of distant metastasis",
    NELM_OBSERVATION: "nelm-observation",
    NELM_PROCEDURE: "nelm-procedure",
    NELM_MEDICATION: "nelm-medication",
    NELM_VALUE: "nelm-value",
}

# Code systems written as their OID (HL7 OID registry; FHIR R4 "Using Codes in
# resources", §4.2 "External code systems", which gives each system's URI and OID).
_OIDS = {
    "urn:oid:2.16.840.1.113883.6.1": LOINC,
    "urn:oid:2.16.840.1.113883.6.96": SNOMED,
    "urn:oid:2.16.840.1.113883.6.8": UCUM,
    "urn:oid:2.16.840.1.113883.6.3": ICD10,
    "urn:oid:2.16.840.1.113883.6.90": ICD10_CM,
    "urn:oid:2.16.840.1.113883.6.43.1": ICDO3,
    "urn:oid:2.16.840.1.113883.6.73": ATC,
    "urn:oid:2.16.840.1.113883.6.12": CPT,
}


_REFERENCE = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")


def reference_target(reference: str) -> tuple[str, str] | None:
    """The resource type and id a literal reference names, relative or at the end of an
    absolute URL, its version dropped: ``https://x/fhir/Patient/1/_history/2`` →
    ``("Patient", "1")``; None for anything else (``urn:uuid:…``, ``#contained``)."""
    found = _REFERENCE.search(reference.strip())
    return (found[1], found[2]) if found else None


# National addresses of the same code system: Germany's ATC (the BfArM edition, formerly
# DIMDI's; the MII medication module and German records use it), whose codes are WHO's.
_SAME_AS = {
    "http://fhir.de/CodeSystem/bfarm/atc": ATC,
    "http://fhir.de/CodeSystem/dimdi/atc": ATC,
    # HL7 v2 Table 0396 names LOINC "LN" and SNOMED CT "SCT"; records converted from v2
    # messages keep them (Microsoft FHIR-Converter's ORU_R01 output), where HL7's v2-to-FHIR
    # mapping gives the FHIR URI. Unambiguous, so read as that URI.
    "LN": LOINC,
    "SCT": SNOMED,
}


def canonical_system(system: str) -> str:
    """The system's FHIR URI: an OID (``urn:oid:2.16.840.1.113883.6.1``), a URI with a
    trailing slash (``http://loinc.org/``) or a national address of the same codes (the
    German ATC) is read as the URI FHIR defines."""
    text = system.strip()
    if text in _OIDS:
        return _OIDS[text]
    if text.rstrip("/") in _SAME_AS:
        return _SAME_AS[text.rstrip("/")]
    trimmed = text.rstrip("/")
    return trimmed if trimmed in _LABELS else text


Code = tuple[str, str]
"""A coding reduced to ``(system, code)``, both stripped."""


def label(code: Code) -> str:
    """``(LOINC, "29593-1")`` → ``"LOINC 29593-1"`` (for provenance)."""
    system, value = code
    return f"{_LABELS.get(system, system or 'no system')} {value}"


def elements(value: Any) -> Sequence[Any]:
    """The items of a repeating element, or none when it is not a JSON array.

    Read before the resources are validated (and of resources no model validates), an
    element may hold anything a sender wrote: a number where a list of codings belongs
    makes that element unreadable, never the whole record."""
    return value if isinstance(value, list) else ()


def codings(concept: Any) -> Iterator[Code]:
    """The ``(system, code)`` pairs of a CodeableConcept (codings without a code skipped)."""
    if not isinstance(concept, Mapping):
        return
    for coding in elements(concept.get("coding")):
        if not isinstance(coding, Mapping):
            continue
        system, value = coding.get("system"), coding.get("code")
        if isinstance(value, str) and value.strip():
            yield (canonical_system(system) if isinstance(system, str) else "", value.strip())


def normalize_icd10(code: str) -> str:
    """Upper case, marks dropped (``C78.7!`` → ``C78.7``), dot restored (``C787`` → ``C78.7``)."""
    text = code.strip().upper().rstrip("!+*†-")
    if "." not in text and len(text) > 3 and text[0].isalpha():
        text = f"{text[:3]}.{text[3:]}"
    return text
