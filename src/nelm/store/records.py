"""What the store hands out: plain frozen records, never live ORM objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "DECISION_CHANGES",
    "DECISION_STATUSES",
    "ROLES",
    "AgendaItemRecord",
    "AssessmentRecord",
    "AuditRecord",
    "CaseRecord",
    "DecisionRecord",
    "DeletedCaseRecord",
    "MeetingRecord",
    "TokenRecord",
    "UserRecord",
    "VersionRecord",
    "label_of",
]

ROLES = ("admin", "clinician", "viewer")
"""admin: everything, including users; clinician: enter and change cases, record
decisions; viewer: read only."""


def label_of(document: Mapping[str, Any]) -> str | None:
    """A case document's label, when it has one (a label that is not text counts as none)."""
    label = document.get("label")
    return label if isinstance(label, str) else None


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    username: str
    role: str
    active: bool
    has_password: bool
    created_at: datetime

    def can_write(self) -> bool:
        return self.active and self.role in ("admin", "clinician")

    def is_admin(self) -> bool:
        return self.active and self.role == "admin"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role,
            "active": self.active,
            "has_password": self.has_password,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: int
    user_id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True, slots=True)
class VersionRecord:
    case_pk: int
    version: int
    document: dict[str, Any]
    created_at: datetime
    created_by: str | None

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
        }


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: int
    case_id: str
    current_version: int
    created_at: datetime
    updated_at: datetime
    document: dict[str, Any]

    @property
    def label(self) -> str | None:
        return label_of(self.document)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "label": self.label,
            "version": self.current_version,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class DeletedCaseRecord:
    """A deleted case as the administrators' list shows it: what the case list shows
    (case id, label, version, last change), when it was deleted and by whom (``None``
    when the audit log does not say)."""

    id: int
    case_id: str
    label: str | None
    current_version: int
    updated_at: datetime
    deleted_at: datetime
    deleted_by: str | None

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "label": self.label,
            "version": self.current_version,
            "updated_at": self.updated_at.isoformat(),
            "deleted_at": self.deleted_at.isoformat(),
            "deleted_by": self.deleted_by,
        }


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    id: int
    case_pk: int
    case_version: int
    knowledge_version: str
    input_hash: str
    output: dict[str, Any]
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_version": self.case_version,
            "knowledge_version": self.knowledge_version,
            "input_hash": self.input_hash,
            "created_at": self.created_at.isoformat(),
            "assessment": self.output,
        }


DECISION_STATUSES = ("provisional", "final")
"""provisional: agreed pending something (a result, a patient's consent); final: settled."""
DECISION_CHANGES = ("amendment", "supersession")
"""amendment: the same decision corrected or completed; supersession: a new decision that
replaces an earlier one (new findings, a later meeting). Both keep the earlier row."""


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    id: int
    case_pk: int
    case_version: int
    assessment_id: int | None
    options: tuple[str, ...]
    text: str
    decided_by: str | None
    decided_at: datetime
    meeting_id: int | None = None
    status: str = "final"
    attendees: tuple[str, ...] = ()
    option_statuses: dict[str, str] | None = None
    override_reasons: dict[str, str] | None = None
    follow_up_on: date | None = None
    replaces_id: int | None = None
    change: str | None = None
    replaced_by: int | None = None

    @property
    def current(self) -> bool:
        """True unless a later decision amends or supersedes this one."""
        return self.replaced_by is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_version": self.case_version,
            "assessment_id": self.assessment_id,
            "options": list(self.options),
            "text": self.text,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(),
            "meeting_id": self.meeting_id,
            "status": self.status,
            "attendees": list(self.attendees),
            "option_statuses": dict(self.option_statuses or {}),
            "override_reasons": dict(self.override_reasons or {}),
            "follow_up_on": self.follow_up_on.isoformat() if self.follow_up_on else None,
            "replaces_id": self.replaces_id,
            "change": self.change,
            "replaced_by": self.replaced_by,
        }


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    held_on: date
    title: str
    specialties: tuple[str, ...]
    attendees: tuple[str, ...]
    created_at: datetime
    created_by: str | None
    case_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "held_on": self.held_on.isoformat(),
            "title": self.title,
            "specialties": list(self.specialties),
            "attendees": list(self.attendees),
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "case_count": self.case_count,
        }


@dataclass(frozen=True, slots=True)
class AgendaItemRecord:
    id: int
    meeting_id: int
    case_pk: int
    case_id: str
    label: str | None
    position: int
    presenter: str
    question: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "case_pk": self.case_pk,
            "case_id": self.case_id,
            "label": self.label,
            "position": self.position,
            "presenter": self.presenter,
            "question": self.question,
        }


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    username: str | None
    action: str
    case_id: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "username": self.username,
            "action": self.action,
            "case_id": self.case_id,
            "detail": self.detail,
        }
