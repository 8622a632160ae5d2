"""The one function every adapter calls: a case document in, an assessment document out.

Used by the CLI, the web API and the CDS Hooks service, so that they all validate, assess
and attach evidence in the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nelm.case.document import Case, case_from_mapping, load_document_text
from nelm.engine.assess import Assessment, EvidenceLookup, assess
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


def assess_mapping(document: Mapping[str, Any], *, with_evidence: bool = True) -> dict[str, Any]:
    """Validate a parsed case document and return the assessment-v1 document."""
    return assess_case(case_from_mapping(document), with_evidence=with_evidence).to_document()


def assess_text(text: str, *, source: str = "input", with_evidence: bool = True
                ) -> dict[str, Any]:
    """Parse JSON or YAML text (a case document) and assess it."""
    return assess_mapping(load_document_text(text, source=source), with_evidence=with_evidence)
