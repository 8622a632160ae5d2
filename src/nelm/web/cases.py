"""Case documents and stored assessments: the glue between the store and the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from nelm.case.document import case_from_mapping
from nelm.knowledge.loader import load_knowledge
from nelm.service import assess_mapping
from nelm.store import AssessmentRecord, CaseRecord, Store, UserRecord, input_hash

__all__ = ["assess_stored", "knowledge_version", "normalised_document"]


def knowledge_version() -> str:
    return str(load_knowledge().version)


def normalised_document(raw: Any) -> dict[str, Any]:
    """Validate a case document (InputRejected on any problem) and return it in the
    canonical case-v1 form: known fields only, in the contract's order."""
    # an implausible value is stored only when confirmed (reported with every other problem)
    case = case_from_mapping(raw, require_confirmation=True)
    return case.to_document()


def assess_stored(
    store: Store,
    case: CaseRecord,
    document: Mapping[str, Any],
    version: int,
    user: UserRecord | None,
) -> AssessmentRecord:
    """The assessment of one stored case version: reused when the same input was already
    assessed with the same knowledge version, else computed and stored."""
    digest = input_hash(document)
    knowledge = knowledge_version()
    found = store.find_assessment(case.id, version, knowledge, digest)
    if found is not None:
        return found
    output = assess_mapping(document, today=dt.date.today())
    return store.save_assessment(
        case.id, version, str(output["knowledge_version"]), digest, output, user
    )
