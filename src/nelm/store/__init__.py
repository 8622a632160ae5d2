"""The case store: versioned cases, assessments, board decisions, users, tokens, audit.

SQLite (embedded, the default) or PostgreSQL, one schema, created and upgraded by the
packaged Alembic migrations when a :class:`Store` opens. Adapters (the web application,
the CLI) use it; the clinical core never imports it.
"""

from __future__ import annotations

from nelm.store.db import database_url, describe_url, make_engine
from nelm.store.records import (
    ROLES,
    AssessmentRecord,
    AuditRecord,
    CaseRecord,
    DecisionRecord,
    TokenRecord,
    UserRecord,
    VersionRecord,
)
from nelm.store.repository import (
    ConflictError,
    NotFoundError,
    Store,
    StoreError,
    VersionConflictError,
    input_hash,
)

__all__ = [
    "ROLES",
    "AssessmentRecord",
    "AuditRecord",
    "CaseRecord",
    "ConflictError",
    "DecisionRecord",
    "NotFoundError",
    "Store",
    "StoreError",
    "TokenRecord",
    "UserRecord",
    "VersionConflictError",
    "VersionRecord",
    "database_url",
    "describe_url",
    "input_hash",
    "make_engine",
]
