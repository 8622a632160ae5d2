"""Database rows to records: the one place that turns an ORM row of :mod:`nelm.store.models`
into the frozen record of :mod:`nelm.store.records` (and Python values to the JSON text the
rows keep), so every query of a kind hands out the same record."""

from __future__ import annotations

import json
from typing import Any

from nelm.store import models as m
from nelm.store.records import (
    AgendaItemRecord,
    AssessmentRecord,
    AuditRecord,
    CaseRecord,
    DecisionRecord,
    MeetingRecord,
    TokenRecord,
    UserRecord,
    VersionRecord,
)

__all__ = [
    "agenda_record",
    "assessment_record",
    "audit_record",
    "case_record",
    "decision_record",
    "dumps",
    "meeting_record",
    "token_record",
    "user_record",
    "version_record",
]


def dumps(value: Any) -> str:
    """JSON text as a row keeps it: compact, non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _list(text: str | None) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(text)) if text else ()


def _dict(text: str | None) -> dict[str, str] | None:
    return {str(k): str(v) for k, v in json.loads(text).items()} if text else None


def user_record(row: m.User) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        role=row.role,
        active=row.active,
        has_password=bool(row.password_hash),
        created_at=row.created_at,
    )


def token_record(row: m.ApiToken) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def case_record(row: m.Case, document: str | None) -> CaseRecord:
    """The case with its current version's document (JSON text as stored)."""
    return CaseRecord(
        id=row.id,
        case_id=row.case_id,
        current_version=row.current_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        document=json.loads(document) if document else {},
    )


def version_record(row: m.CaseVersion, created_by: str | None) -> VersionRecord:
    return VersionRecord(
        case_pk=row.case_pk,
        version=row.version,
        document=json.loads(row.document),
        created_at=row.created_at,
        created_by=created_by,
    )


def assessment_record(row: m.Assessment) -> AssessmentRecord:
    return AssessmentRecord(
        id=row.id,
        case_pk=row.case_pk,
        case_version=row.case_version,
        knowledge_version=row.knowledge_version,
        input_hash=row.input_hash,
        output=json.loads(row.output),
        created_at=row.created_at,
    )


def audit_record(row: m.AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        username=row.username,
        action=row.action,
        case_id=row.case_id,
        detail=row.detail,
    )


def meeting_record(row: m.Meeting, creator: str | None, count: int) -> MeetingRecord:
    return MeetingRecord(
        id=row.id,
        held_on=row.held_on,
        title=row.title,
        specialties=_list(row.specialties),
        attendees=_list(row.attendees),
        created_at=row.created_at,
        created_by=creator,
        case_count=count,
    )


def agenda_record(row: m.AgendaItem, case_id: str, label: str | None) -> AgendaItemRecord:
    """An agenda entry with its case's id and label (from the case's own row and document)."""
    return AgendaItemRecord(
        id=row.id,
        meeting_id=row.meeting_id,
        case_pk=row.case_pk,
        case_id=case_id,
        label=label,
        position=row.position,
        presenter=row.presenter,
        question=row.question,
    )


def decision_record(
    row: m.Decision, decided_by: str | None, replaced_by: int | None
) -> DecisionRecord:
    return DecisionRecord(
        id=row.id,
        case_pk=row.case_pk,
        case_version=row.case_version,
        assessment_id=row.assessment_id,
        options=_list(row.options),
        text=row.text,
        decided_by=decided_by,
        decided_at=row.decided_at,
        meeting_id=row.meeting_id,
        status=row.status or "final",
        attendees=_list(row.attendees),
        option_statuses=_dict(row.option_statuses),
        override_reasons=_dict(row.override_reasons),
        follow_up_on=row.follow_up_on,
        replaces_id=row.replaces_id,
        change=row.change,
        replaced_by=replaced_by,
    )
