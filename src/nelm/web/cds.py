"""Mount the CDS Hooks service (``nelm.interop.cds_hooks``) in the web application.

Enabled when ``NELM_CDS_CONFIG`` names a settings file (docs/cds-hooks.md). The service's
routes authenticate every call by the EHR's signed JWT, not by the application's login.
Card feedback (accepted / overridden) is written to the case store's audit log: it names
the service, hook instance, card, outcome and reason code — no clinical content.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from fastapi import FastAPI

from nelm.store import Store

if TYPE_CHECKING:
    from nelm.interop.cds_hooks.feedback import FeedbackRecord

__all__ = ["StoreFeedbackSink", "mount_cds"]


class StoreFeedbackSink:
    """Durable feedback: one audit-log entry per feedback item."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, records: list[FeedbackRecord]) -> None:
        for r in records:
            # Compact: the audit detail holds 200 characters; the entry's own time is when
            # the feedback arrived.
            detail = json.dumps({
                "outcome": r.outcome, "card": r.card, "hookInstance": r.hook_instance,
                "reason": r.override_reason_code, "accepted": len(r.accepted_suggestions),
            }, separators=(",", ":"))
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
    app.include_router(create_cds_router(settings, feedback_sink=StoreFeedbackSink(store)))
    return True
