"""Whether a patient's record is one nelm has something to say about.

patient-view fires for every chart that is opened; nelm answers only when the record
shows a neuroendocrine neoplasm **and** liver metastases, read from the codes the FHIR
mapping itself uses (``nelm.interop.fhir.codes``):

* neuroendocrine: a Condition with ICD-10-CM C7A.x, ICD-10 C25.4 (endocrine pancreas),
  a neuroendocrine ICD-O-3 or SNOMED CT morphology (in ``code`` or the mCODE histology
  extension; nelm.interop.fhir.cancers),
  C7B.x (secondary neuroendocrine tumours) or carcinoid syndrome (E34.0, SNOMED 35868009);
* liver metastases: a Condition with ICD-10 C78.7, ICD-10-CM C7B.02, SNOMED 94381002, or
  an ICD-O-3 metastatic (/6) morphology with a liver body site; or an Observation of the
  liver findings (lesion count, largest lesion, tumour burden).

Conditions marked refuted or entered-in-error are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nelm.interop.fhir.cancers import condition_kind, histology_concepts
from nelm.interop.fhir.codes import (
    Role,
    icd10_meaning,
    icdo3_morphology,
    snomed_condition_meaning,
    topography,
)
from nelm.interop.fhir.systems import (
    ICD10_SYSTEMS,
    ICDO3,
    NELM_OBSERVATION,
    SNOMED,
    codings,
    elements,
    normalize_icd10,
)

__all__ = ["Relevance", "relevance"]

_LIVER_OBSERVATIONS = frozenset(
    {"liver-lesion-count", "largest-liver-lesion", "liver-tumor-burden"}
)
_NOT_VALID = frozenset({"refuted", "entered-in-error"})


class Relevance:
    """What the record shows: a neuroendocrine neoplasm, liver metastases."""

    __slots__ = ("liver", "neuroendocrine")

    def __init__(self, neuroendocrine: bool, liver: bool) -> None:
        self.neuroendocrine = neuroendocrine
        self.liver = liver

    @property
    def relevant(self) -> bool:
        return self.neuroendocrine and self.liver


def _liver_site(resource: Mapping[str, Any]) -> bool:
    for site in elements(resource.get("bodySite")):
        for system, code in codings(site):
            if system == ICDO3 and topography(code) == "liver":
                return True
            if system == SNOMED and code == "10200004":  # liver structure
                return True
    return False


def _condition(resource: Mapping[str, Any]) -> tuple[bool, bool]:
    verification = {code for _, code in codings(resource.get("verificationStatus"))}
    if verification & _NOT_VALID:
        return False, False
    net = liver = False
    for concept in histology_concepts(resource):
        for system, code in codings(concept):
            if system in ICD10_SYSTEMS:
                meaning = icd10_meaning(system, code)
                c = normalize_icd10(code)
                if c.startswith("C7B"):
                    net = True
                if meaning is None:
                    continue
                if meaning.specific or meaning.syndrome is not None:
                    net = True
                if meaning.role is Role.LIVER_METASTASIS:
                    liver = True
            elif system == SNOMED:
                meaning = snomed_condition_meaning(code)
                if meaning is None:
                    continue
                if meaning.syndrome is not None:
                    net = True
                if meaning.role is Role.LIVER_METASTASIS:
                    liver = True
            elif system == ICDO3:
                morphology = icdo3_morphology(code)
                if morphology is not None and morphology.neuroendocrine:
                    net = True
                if morphology is not None and morphology.behaviour == "6" and _liver_site(resource):
                    liver = True
    return net, liver


def relevance(resources: Iterable[Mapping[str, Any]]) -> Relevance:
    net = liver = False
    for resource in resources:
        kind = resource.get("resourceType")
        if kind == "Condition":
            n, lv = _condition(resource)
            # also a SNOMED CT neuroendocrine morphology (mCODE histology extension)
            n = n or condition_kind(resource) == "net"
            net, liver = net or n, liver or lv
        elif kind == "Observation":
            for system, code in codings(resource.get("code")):
                if system == NELM_OBSERVATION and code in _LIVER_OBSERVATIONS:
                    liver = True
    return Relevance(net, liver)
