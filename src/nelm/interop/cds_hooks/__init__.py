"""CDS Hooks 2.0 service: nelm's assessment as cards in the electronic record.

See docs/cds-hooks.md. FastAPI, httpx, PyJWT and cryptography are needed (the ``web`` and
``cds`` extras); nothing here is imported by ``import nelm``.
"""

from nelm.interop.cds_hooks.feedback import (
    FeedbackRecord,
    FeedbackSink,
    InMemoryFeedbackSink,
)
from nelm.interop.cds_hooks.fetch import FetchResponse, FhirFetcher, HttpxFhirFetcher
from nelm.interop.cds_hooks.prefetch import PREFETCH
from nelm.interop.cds_hooks.security import InMemoryReplayCache, ReplayCache
from nelm.interop.cds_hooks.service import CaseRecorder, create_cds_router
from nelm.interop.cds_hooks.settings import CdsSettings, TrustedIssuer

__all__ = [
    "PREFETCH",
    "CaseRecorder",
    "CdsSettings",
    "FeedbackRecord",
    "FeedbackSink",
    "FetchResponse",
    "FhirFetcher",
    "HttpxFhirFetcher",
    "InMemoryFeedbackSink",
    "InMemoryReplayCache",
    "ReplayCache",
    "TrustedIssuer",
    "create_cds_router",
]
