"""The one function every adapter calls: a case document in, an assessment document out.

Used by the CLI, the web API and the CDS Hooks service, so that they all validate, assess
and attach evidence in the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from nelm.case.document import Case, case_from_mapping, load_document_text, require_confirmed
from nelm.engine.assess import Assessment, EvidenceLookup, assess
from nelm.errors import InputRejected, Problem
from nelm.knowledge.loader import load_knowledge

__all__ = ["assess_case", "assess_mapping", "assess_text", "evidence_lookup"]


def evidence_lookup() -> EvidenceLookup | None:
    """The evidence summary per option, when the evidence base is installed."""
    try:
        from nelm.evidence.summary import summary_for_option
    except ImportError:  # pragma: no cover - the evidence extra is not installed
        return None
    lookup: EvidenceLookup = summary_for_option
    return lookup


def assess_case(case: Case, *, with_evidence: bool = True) -> Assessment:
    return assess(case, load_knowledge(), evidence_lookup() if with_evidence else None)


def assess_mapping(document: Mapping[str, Any], *, with_evidence: bool = True,
                   require_confirmation: bool = False) -> dict[str, Any]:
    """Validate a parsed case document and return the assessment-v1 document."""
    case = case_from_mapping(document)
    if require_confirmation:  # interactive input: an implausible value must be confirmed
        require_confirmed(case)
    return assess_case(case, with_evidence=with_evidence).to_document()


def assess_text(text: str, *, source: str = "input", with_evidence: bool = True,
                assessment_date: dt.date | None = None,
                require_confirmation: bool = False) -> dict[str, Any]:
    """Parse JSON or YAML text — a case document or a FHIR R4 Bundle — and assess it.

    A Bundle is mapped to a case first (``nelm.interop.fhir``); ``assessment_date`` (which
    the caller supplies, the core reads no clock) dates the patient's age and the results.
    """
    document = load_document_text(text, source=source)
    if isinstance(document, dict) and "resourceType" in document:
        return assess_fhir(document, assessment_date=assessment_date,
                           with_evidence=with_evidence)
    return assess_mapping(document, with_evidence=with_evidence,
                          require_confirmation=require_confirmation)


def assess_fhir(bundle: Mapping[str, Any], *, assessment_date: dt.date | None,
                with_evidence: bool = True) -> dict[str, Any]:
    """Map a FHIR R4 Bundle to a case and assess it; the mapping's provenance is shown."""
    from nelm.interop.fhir import bundle_to_case

    if assessment_date is None:
        raise InputRejected([Problem("assessment_date", "must be given to assess a FHIR "
                                     "Bundle (it dates ages and results)", "nothing")])
    mapping = bundle_to_case(bundle, assessment_date=assessment_date)
    doc = assess_mapping(mapping.document, with_evidence=with_evidence)
    doc["input_source"] = {
        "format": "FHIR R4 Bundle",
        "assessment_date": assessment_date.isoformat(),
        "provenance": dict(mapping.provenance),
        "unmapped": list(mapping.unmapped),
        "notes": list(mapping.notes),
    }
    return doc
