"""Board meetings, their agenda and the board's decisions (part of :class:`Store`).

A decision is never edited in place: amending or superseding one stores a new row that
names the row it replaces, so the history of what the board said stays readable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from nelm.errors import ConflictError, NotFoundError
from nelm.store import models as m
from nelm.store.records import (
    DECISION_CHANGES,
    DECISION_STATUSES,
    AgendaItemRecord,
    DecisionRecord,
    MeetingRecord,
    UserRecord,
    label_of,
)
from nelm.store.rows import agenda_record, decision_record, dumps, meeting_record

__all__ = ["BoardMixin"]


class BoardMixin:
    """Meetings, agenda items and decisions; mixed into :class:`nelm.store.Store`."""

    if TYPE_CHECKING:

        def _tx(self) -> AbstractContextManager[OrmSession]: ...

        def _case_row(self, s: OrmSession, case_pk: int) -> m.Case: ...

        @staticmethod
        def _audit(
            s: OrmSession, user: UserRecord | None, action: str, case_id: str | None, detail: str
        ) -> None: ...

    # ------------------------------------------------------------------ meetings

    def create_meeting(
        self,
        *,
        held_on: date,
        title: str,
        specialties: Sequence[str],
        attendees: Sequence[str],
        user: UserRecord | None,
    ) -> MeetingRecord:
        with self._tx() as s:
            row = m.Meeting(
                held_on=held_on,
                title=title,
                specialties=dumps(list(specialties)),
                attendees=dumps(list(attendees)),
                created_by=user.id if user else None,
            )
            s.add(row)
            s.flush()
            self._audit(s, user, "meeting", None, f"created meeting {row.id}")
            return meeting_record(row, user.username if user else None, 0)

    def update_meeting(
        self,
        meeting_id: int,
        *,
        held_on: date | None = None,
        title: str | None = None,
        specialties: Sequence[str] | None = None,
        attendees: Sequence[str] | None = None,
        user: UserRecord | None,
    ) -> MeetingRecord:
        with self._tx() as s:
            row = self._meeting_row(s, meeting_id)
            if held_on is not None and held_on != row.held_on:
                # a mistyped date corrected; the audit log keeps the one it replaces
                self._audit(
                    s,
                    user,
                    "meeting",
                    None,
                    f"meeting {meeting_id} moved from {row.held_on.isoformat()} to "
                    f"{held_on.isoformat()}",
                )
                row.held_on = held_on
            if title is not None:
                row.title = title
            if specialties is not None:
                row.specialties = dumps(list(specialties))
            if attendees is not None:
                row.attendees = dumps(list(attendees))
            self._audit(s, user, "meeting", None, f"changed meeting {meeting_id}")
        return self.get_meeting(meeting_id)

    @staticmethod
    def _meeting_row(s: OrmSession, meeting_id: int) -> m.Meeting:
        row = s.get(m.Meeting, meeting_id)
        if row is None:
            raise NotFoundError(f"no meeting {meeting_id}")
        return row

    def _meetings(self, s: OrmSession, where: Any = None) -> list[MeetingRecord]:
        count = (
            select(func.count(m.AgendaItem.id))
            .where(m.AgendaItem.meeting_id == m.Meeting.id)
            .scalar_subquery()
        )
        query = (
            select(m.Meeting, m.User.username, count)
            .outerjoin(m.User, m.User.id == m.Meeting.created_by)
            .order_by(m.Meeting.held_on.desc(), m.Meeting.id.desc())
        )
        if where is not None:
            query = query.where(where)
        return [meeting_record(row, name, int(n or 0)) for row, name, n in s.execute(query).all()]

    def get_meeting(self, meeting_id: int) -> MeetingRecord:
        with self._tx() as s:
            found = self._meetings(s, m.Meeting.id == meeting_id)
            if not found:
                raise NotFoundError(f"no meeting {meeting_id}")
            return found[0]

    def list_meetings(self) -> list[MeetingRecord]:
        """Every meeting, the latest date first."""
        with self._tx() as s:
            return self._meetings(s)

    # ------------------------------------------------------------------ agenda

    def add_to_agenda(
        self,
        meeting_id: int,
        case_pk: int,
        *,
        presenter: str,
        question: str,
        user: UserRecord | None,
    ) -> AgendaItemRecord:
        """Put a case on a meeting's agenda, last. ConflictError if it is there already."""
        try:
            with self._tx() as s:
                self._meeting_row(s, meeting_id)
                case = self._case_row(s, case_pk)
                last = s.scalar(
                    select(func.max(m.AgendaItem.position)).where(
                        m.AgendaItem.meeting_id == meeting_id
                    )
                )
                row = m.AgendaItem(
                    meeting_id=meeting_id,
                    case_pk=case_pk,
                    position=(last or 0) + 1,
                    presenter=presenter,
                    question=question,
                )
                s.add(row)
                s.flush()
                self._audit(
                    s, user, "meeting", case.case_id, f"added to the agenda of meeting {meeting_id}"
                )
                return agenda_record(row, case.case_id, None)
        except IntegrityError as exc:
            raise ConflictError("this case is on the meeting's agenda already") from exc

    def remove_from_agenda(self, meeting_id: int, item_id: int, user: UserRecord | None) -> None:
        with self._tx() as s:
            row = s.get(m.AgendaItem, item_id)
            if row is None or row.meeting_id != meeting_id:
                raise NotFoundError(f"meeting {meeting_id} has no agenda item {item_id}")
            case = s.get(m.Case, row.case_pk)
            s.delete(row)
            self._audit(
                s,
                user,
                "meeting",
                case.case_id if case else None,
                f"removed from the agenda of meeting {meeting_id}",
            )

    def _agenda(self, s: OrmSession, where: Any) -> list[AgendaItemRecord]:
        rows = s.execute(
            select(m.AgendaItem, m.Case.case_id, m.CaseVersion.document)
            .join(m.Case, m.Case.id == m.AgendaItem.case_pk)
            .join(
                m.CaseVersion,
                (m.CaseVersion.case_pk == m.Case.id)
                & (m.CaseVersion.version == m.Case.current_version),
            )
            .where(where, m.Case.deleted_at.is_(None))
            .order_by(m.AgendaItem.meeting_id, m.AgendaItem.position, m.AgendaItem.id)
        ).all()
        return [
            agenda_record(item, case_id, label_of(json.loads(document)))
            for item, case_id, document in rows
        ]

    def agenda(self, meeting_id: int) -> list[AgendaItemRecord]:
        """The meeting's cases in the order they are presented."""
        with self._tx() as s:
            self._meeting_row(s, meeting_id)
            return self._agenda(s, m.AgendaItem.meeting_id == meeting_id)

    def agenda_of_case(self, case_pk: int) -> list[AgendaItemRecord]:
        """Every agenda entry of one case (the meetings it was or will be presented at)."""
        with self._tx() as s:
            return self._agenda(s, m.AgendaItem.case_pk == case_pk)

    def cases_on_meeting(self, meeting_id: int) -> set[int]:
        with self._tx() as s:
            return set(
                s.scalars(select(m.AgendaItem.case_pk).where(m.AgendaItem.meeting_id == meeting_id))
            )

    # ------------------------------------------------------------------ decisions

    def record_decision(
        self,
        case_pk: int,
        *,
        case_version: int,
        options: Sequence[str],
        text: str,
        user: UserRecord | None,
        assessment_id: int | None = None,
        meeting_id: int | None = None,
        status: str = "final",
        attendees: Sequence[str] = (),
        option_statuses: Mapping[str, str] | None = None,
        override_reasons: Mapping[str, str] | None = None,
        follow_up_on: date | None = None,
        replaces_id: int | None = None,
        change: str | None = None,
    ) -> DecisionRecord:
        """Store a decision. With ``replaces_id`` it amends (``change="amendment"``) or
        supersedes (``"supersession"``) that decision, which must be current."""
        if status not in DECISION_STATUSES:
            raise ValueError(f"status must be one of {DECISION_STATUSES}, got {status!r}")
        if (replaces_id is None) != (change is None) or (
            change is not None and change not in DECISION_CHANGES
        ):
            raise ValueError("replaces_id and change (amendment or supersession) go together")
        with self._tx() as s:
            case = self._case_row(s, case_pk)
            if not 1 <= case_version <= case.current_version:
                raise NotFoundError(f"case {case_pk} has no version {case_version}")
            if assessment_id is not None:
                found = s.get(m.Assessment, assessment_id)
                if found is None or found.case_pk != case_pk:
                    raise NotFoundError(f"case {case_pk} has no assessment {assessment_id}")
            if meeting_id is not None:
                self._meeting_row(s, meeting_id)
            if replaces_id is not None:
                old = s.get(m.Decision, replaces_id)
                if old is None or old.case_pk != case_pk:
                    raise NotFoundError(f"case {case_pk} has no decision {replaces_id}")
                later = s.scalar(
                    select(m.Decision.id).where(m.Decision.replaces_id == replaces_id).limit(1)
                )
                if later is not None:
                    raise ConflictError(
                        f"decision {replaces_id} was already replaced by "
                        f"decision {later}; change that one instead"
                    )
            row = m.Decision(
                case_pk=case_pk,
                case_version=case_version,
                assessment_id=assessment_id,
                options=dumps(list(options)),
                text=text,
                decided_by=user.id if user else None,
                meeting_id=meeting_id,
                status=status,
                attendees=dumps(list(attendees)) if attendees else None,
                option_statuses=dumps(dict(option_statuses)) if option_statuses else None,
                override_reasons=dumps(dict(override_reasons)) if override_reasons else None,
                follow_up_on=follow_up_on,
                replaces_id=replaces_id,
                change=change,
            )
            s.add(row)
            detail = f"version {case_version}" + (f", {change} of {replaces_id}" if change else "")
            self._audit(s, user, "decide", case.case_id, detail)
            s.flush()
            return decision_record(row, user.username if user else None, None)

    def list_decisions(self, case_pk: int) -> list[DecisionRecord]:
        """Every decision on the case, oldest first, each marked with what replaced it."""
        with self._tx() as s:
            self._case_row(s, case_pk)
            rows = s.execute(
                select(m.Decision, m.User.username)
                .outerjoin(m.User, m.User.id == m.Decision.decided_by)
                .where(m.Decision.case_pk == case_pk)
                .order_by(m.Decision.id)
            ).all()
            replaced = {d.replaces_id: d.id for d, _ in rows if d.replaces_id is not None}
            return [decision_record(d, name, replaced.get(d.id)) for d, name in rows]

    def current_decisions(self, case_pks: Sequence[int] | None = None) -> dict[int, DecisionRecord]:
        """The latest decision still in force per case (for lists)."""
        with self._tx() as s:
            query = (
                select(m.Decision, m.User.username)
                .outerjoin(m.User, m.User.id == m.Decision.decided_by)
                .order_by(m.Decision.id)
            )
            if case_pks is not None:
                query = query.where(m.Decision.case_pk.in_(list(case_pks)))
            rows = s.execute(query).all()
        replaced = {d.replaces_id for d, _ in rows if d.replaces_id is not None}
        latest: dict[int, DecisionRecord] = {}
        for d, name in rows:
            if d.id not in replaced:
                latest[d.case_pk] = decision_record(d, name, None)
        return latest
