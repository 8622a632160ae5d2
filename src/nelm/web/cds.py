"""Mount the CDS Hooks service (``nelm.interop.cds_hooks``) in the web application.

Enabled when ``NELM_CDS_CONFIG`` names a settings file (docs/cds-hooks.md). The service's
routes authenticate every call by the EHR's signed JWT, not by the application's login.
Card feedback (accepted / overridden) is written to the case store's audit log: it names
the hook instance, card, outcome and reason code — no clinical content. The case the EHR's
data maps to is stored (one case per EHR patient, versioned), and the cards link to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from nelm.case.record_warnings import MAX_RECORD_WARNINGS
from nelm.store import ConflictError, Store

if TYPE_CHECKING:
    from nelm.interop.cds_hooks.feedback import FeedbackRecord

__all__ = ["StoreCaseRecorder", "StoreFeedbackSink", "mount_cds"]


class StoreCaseRecorder:
    """Keeps the case the EHR's data maps to, so the card can link to it.

    One stored case per EHR patient, its case id a hash of the patient id (the EHR's
    identifier is not written into nelm's case ids, audit log or logs); a call whose data
    differs from the stored version adds a version, an identical one adds nothing. What the
    record said about any assessment (``record_warnings``: a death) is never lost by a new
    version: the stored warnings are kept and the call's own added after them, as the
    board's "update from a file" does (nelm.case.merge).
    """

    LABEL = "From the electronic record (CDS Hooks)"

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, document: Mapping[str, Any], patient_id: str) -> str:
        case_id = "ehr-" + hashlib.sha256(patient_id.encode("utf-8")).hexdigest()[:20]
        doc = {**document, "case_id": case_id, "label": self.LABEL}
        existing = self.store.find_case(case_id)
        if existing is None:
            try:
                return f"/cases/{self.store.create_case(doc, None).id}"
            except ConflictError:  # a concurrent call stored it first
                existing = self.store.find_case(case_id)
                assert existing is not None
        doc = _with_stored_warnings(doc, existing.document)
        if existing.document != doc:
            existing = self.store.update_case(existing.id, doc, None)
        return f"/cases/{existing.id}"


def _with_stored_warnings(doc: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` with the stored version's record warnings first and its own added (each
    sentence once, at most as many as a case keeps)."""
    kept = stored.get("record_warnings")
    before = [str(w) for w in kept] if isinstance(kept, list) else []
    given = doc.get("record_warnings")
    now = [str(w) for w in given] if isinstance(given, list) else []
    merged = list(dict.fromkeys([*before, *now]))[:MAX_RECORD_WARNINGS]
    out = dict(doc)
    if merged:
        out["record_warnings"] = merged
    return out


class StoreFeedbackSink:
    """Durable feedback: one audit-log entry per feedback item."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, records: list[FeedbackRecord]) -> None:
        for r in records:
            # Compact: the audit detail holds 200 characters; the entry's own time is when
            # the feedback arrived.
            detail = json.dumps(
                {
                    "outcome": r.outcome,
                    "card": r.card,
                    "hookInstance": r.hook_instance,
                    "reason": r.override_reason_code,
                    "accepted": len(r.accepted_suggestions),
                },
                separators=(",", ":"),
            )
            self.store.audit(None, "cds_feedback", None, detail)


def mount_cds(app: FastAPI, store: Store) -> bool:
    """Include the CDS Hooks router when configured; returns whether it was mounted."""
    try:
        from nelm.interop.cds_hooks import CdsSettings, create_cds_router
    except ImportError:  # pragma: no cover - the cds extra is not installed
        return False
    settings = CdsSettings.from_env()
    if settings is None:
        return False
    app.include_router(
        create_cds_router(
            settings, feedback_sink=StoreFeedbackSink(store), case_recorder=StoreCaseRecorder(store)
        )
    )
    return True
