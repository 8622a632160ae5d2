"""The case store: cases with versions, assessments, decisions, users, tokens, audit log.

Each public method is one transaction. Records come back as frozen dataclasses
(:mod:`nelm.store.records`). The store does not validate clinical content: the caller
passes case documents that ``nelm.case`` has already accepted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from nelm.errors import ConflictError, NotFoundError, StoreError
from nelm.store import models as m
from nelm.store.accounts import AccountsMixin
from nelm.store.board import BoardMixin
from nelm.store.db import make_engine
from nelm.store.migrate import upgrade
from nelm.store.records import (
    AssessmentRecord,
    AuditRecord,
    CaseRecord,
    DeletedCaseRecord,
    UserRecord,
    VersionRecord,
    label_of,
)
from nelm.store.rows import (
    assessment_record,
    audit_record,
    case_record,
    dumps,
    version_record,
)

__all__ = [
    "ConflictError",
    "NotFoundError",
    "Store",
    "StoreError",
    "VersionConflictError",
    "input_hash",
]

AUDIT_ACTIONS = (
    "create",
    "read",
    "change",
    "delete",
    "assess",
    "decide",
    "export",
    "login",
    "login_failed",
    "logout",
    "user",
    "token",
    "cds_feedback",
    "meeting",
    "restore",
)


_REUSED = (
    "The case id {case_id!r} has been given to another case{which} since this one was "
    "deleted; case ids are unique, so it cannot be restored under it. Nothing was changed."
)


class VersionConflictError(ConflictError):
    """The case has changed since the version the writer started from: nothing was stored.

    ``current`` is the case as it is now and ``changed_by`` who stored that version, so
    the caller can show both and let the user merge.
    """

    def __init__(
        self,
        expected_version: int,
        current: CaseRecord,
        changed_by: str | None,
        *,
        undone: str = "Nothing was stored.",
    ) -> None:
        self.expected_version = expected_version
        self.current = current
        self.changed_by = changed_by
        who = changed_by or "another writer"
        super().__init__(
            f"case {current.case_id!r} was changed by {who} while you were "
            f"editing: you started from version {expected_version}, it is now "
            f"at version {current.current_version}. {undone}"
        )


def input_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the case document in canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_IN_LIST = 500
"""Case ids per ``IN (…)`` list: well below SQLite's and PostgreSQL's limits on the
parameters of one statement."""


def _own_case_id(row: m.Case, document: Mapping[str, Any]) -> str:
    """A deleted case's own id: its current version's (the stored name is marked and may
    be cut short; a stored case's id never changes between versions)."""
    case_id = document.get("case_id")
    return case_id if isinstance(case_id, str) else row.case_id


def _deleted_by(entries: list[m.AuditEntry], row: m.Case) -> str | None:
    """Who deleted the case of ``row``, from the deletions of its case id (the latest
    first): the entry naming its row; for a deletion from before the entries named it,
    the latest one with no detail up to a minute after the deletion."""
    for entry in entries:
        if entry.detail == f"case {row.id}":
            return entry.username
    assert row.deleted_at is not None
    latest = row.deleted_at + timedelta(minutes=1)
    for entry in entries:
        if entry.detail == "" and entry.at <= latest:
            return entry.username
    return None


class Store(AccountsMixin, BoardMixin):
    """The case store on one database (see :func:`nelm.store.db.make_engine`)."""

    def __init__(
        self, url: str | None = None, *, engine: Engine | None = None, migrate: bool = True
    ) -> None:
        self.engine = engine if engine is not None else make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            try:
                upgrade(self.engine)
            except BaseException:
                if engine is None:  # ours: close its connections before giving up
                    self.engine.dispose()
                raise

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[OrmSession]:
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise (an SQLAlchemy ``OperationalError``) when the database cannot be reached."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    # ------------------------------------------------------------------ cases

    def _case_row(self, s: OrmSession, case_pk: int) -> m.Case:
        row = s.get(m.Case, case_pk)
        if row is None or row.deleted_at is not None:
            raise NotFoundError(f"no case {case_pk}")
        return row

    def _case_record(self, s: OrmSession, row: m.Case) -> CaseRecord:
        doc = s.scalar(
            select(m.CaseVersion.document).where(
                m.CaseVersion.case_pk == row.id, m.CaseVersion.version == row.current_version
            )
        )
        return case_record(row, doc)

    def create_case(self, document: Mapping[str, Any], user: UserRecord | None) -> CaseRecord:
        """Store a new case as version 1. Raises :class:`ConflictError` if its case id exists."""
        case_id = str(document["case_id"])
        try:
            with self._tx() as s:
                now = m.utcnow()
                row = m.Case(case_id=case_id, current_version=1, created_at=now, updated_at=now)
                s.add(row)
                s.flush()
                s.add(
                    m.CaseVersion(
                        case_pk=row.id,
                        version=1,
                        document=dumps(document),
                        created_at=now,
                        created_by=user.id if user else None,
                    )
                )
                self._audit(s, user, "create", case_id, "version 1")
                s.flush()
                return self._case_record(s, row)
        except IntegrityError as exc:
            raise ConflictError(f"a case with the case id {case_id!r} exists already") from exc

    def update_case(
        self,
        case_pk: int,
        document: Mapping[str, Any],
        user: UserRecord | None,
        *,
        expected_version: int | None = None,
    ) -> CaseRecord:
        """Store ``document`` as the next version; earlier versions stay readable.

        Concurrent updates are serialised by one atomic ``UPDATE … SET current_version =
        current_version + 1 … RETURNING``: it takes the row lock (PostgreSQL) or the write
        lock (SQLite) before the number is read, so two writers never claim the same
        version. With ``expected_version`` the update is conditional (optimistic
        concurrency): when the case is no longer at that version nothing is stored and
        :class:`VersionConflictError` says who changed it.
        """
        with self._tx() as s:
            now = m.utcnow()
            conditions = [m.Case.id == case_pk, m.Case.deleted_at.is_(None)]
            if expected_version is not None:
                conditions.append(m.Case.current_version == expected_version)
            claimed = s.execute(
                update(m.Case)
                .where(*conditions)
                .values(current_version=m.Case.current_version + 1, updated_at=now)
                .returning(m.Case.current_version, m.Case.case_id)
                .execution_options(synchronize_session=False)
            ).first()
            if claimed is None:
                row = self._case_row(s, case_pk)  # NotFoundError when there is no such case
                assert expected_version is not None
                raise VersionConflictError(
                    expected_version,
                    self._case_record(s, row),
                    self._author(s, row.id, row.current_version),
                )
            version, case_id = int(claimed[0]), str(claimed[1])
            if str(document["case_id"]) != case_id:
                raise ConflictError(
                    f"the case id of a stored case cannot change (stored {case_id!r})"
                )
            s.add(
                m.CaseVersion(
                    case_pk=case_pk,
                    version=version,
                    document=dumps(document),
                    created_at=now,
                    created_by=user.id if user else None,
                )
            )
            self._audit(s, user, "change", case_id, f"version {version}")
            s.flush()
            stored = s.get(m.Case, case_pk, populate_existing=True)
            assert stored is not None
            return self._case_record(s, stored)

    @staticmethod
    def _author(s: OrmSession, case_pk: int, version: int) -> str | None:
        return s.scalar(
            select(m.User.username)
            .join(m.CaseVersion, m.CaseVersion.created_by == m.User.id)
            .where(m.CaseVersion.case_pk == case_pk, m.CaseVersion.version == version)
        )

    def get_case(self, case_pk: int) -> CaseRecord:
        with self._tx() as s:
            return self._case_record(s, self._case_row(s, case_pk))

    def find_case(self, case_id: str) -> CaseRecord | None:
        with self._tx() as s:
            row = s.scalar(
                select(m.Case).where(m.Case.case_id == case_id, m.Case.deleted_at.is_(None))
            )
            return self._case_record(s, row) if row else None

    def list_cases(self) -> list[CaseRecord]:
        with self._tx() as s:
            rows = _with_current_documents(
                s, m.Case.deleted_at.is_(None), (m.Case.updated_at.desc(), m.Case.id.desc())
            )
            return [case_record(c, doc) for c, doc in rows]

    def delete_case(
        self, case_pk: int, user: UserRecord | None, *, expected_version: int | None = None
    ) -> None:
        """Hide a case from lists (its versions, assessments, decisions and agenda entries
        are kept; an administrator can restore it: :meth:`restore_case`). With
        ``expected_version`` only a case still at that version is deleted
        (:class:`VersionConflictError` otherwise, and nothing is deleted)."""
        with self._tx() as s:
            row = self._case_row(s, case_pk)
            if expected_version is not None and row.current_version != expected_version:
                raise VersionConflictError(
                    expected_version,
                    self._case_record(s, row),
                    self._author(s, row.id, row.current_version),
                    undone="Nothing was deleted.",
                )
            # the row's number in the detail names the deletion exactly for the list of
            # deleted cases (who deleted it) even when the case id is later reused
            self._audit(s, user, "delete", row.case_id, f"case {row.id}")
            row.deleted_at = m.utcnow()
            # free the case id for reuse while keeping the history under a marked name
            row.case_id = row.case_id[:100] + f"~deleted-{row.id}"

    def _original_case_id(self, s: OrmSession, row: m.Case) -> str:
        return _own_case_id(row, self._case_record(s, row).document)

    def list_deleted_cases(self) -> list[DeletedCaseRecord]:
        """The deleted cases, the latest deletion first, with who deleted each: the audit
        entry of the deletion (named by the case's row since this list exists; before, the
        latest deletion of that case id up to a minute after it).

        Two statements whatever the number of deleted cases (a third for each further
        :data:`_IN_LIST` of case ids): the cases with their current documents, then the
        deletions' audit entries of those case ids, matched here."""
        with self._tx() as s:
            rows = _with_current_documents(
                s, m.Case.deleted_at.is_not(None), (m.Case.deleted_at.desc(), m.Case.id.desc())
            )
            documents = [(row, json.loads(doc)) for row, doc in rows]
            case_ids = [_own_case_id(row, document) for row, document in documents]
            deletions = self._deletions(s, sorted(set(case_ids)))
            found: list[DeletedCaseRecord] = []
            for (row, document), case_id in zip(documents, case_ids, strict=True):
                assert row.deleted_at is not None
                found.append(
                    DeletedCaseRecord(
                        id=row.id,
                        case_id=case_id,
                        label=label_of(document),
                        current_version=row.current_version,
                        updated_at=row.updated_at,
                        deleted_at=row.deleted_at,
                        deleted_by=_deleted_by(deletions.get(case_id, []), row),
                    )
                )
            return found

    @staticmethod
    def _deletions(s: OrmSession, case_ids: list[str]) -> dict[str, list[m.AuditEntry]]:
        """The audit entries of deletions of these case ids, the latest first, by case id
        (by the case id's index, a bounded list of ids at a time)."""
        found: dict[str, list[m.AuditEntry]] = {}
        for start in range(0, len(case_ids), _IN_LIST):
            entries = s.scalars(
                select(m.AuditEntry)
                .where(
                    m.AuditEntry.action == "delete",
                    m.AuditEntry.case_id.in_(case_ids[start : start + _IN_LIST]),
                )
                .order_by(m.AuditEntry.id.desc())
            )
            for entry in entries:
                found.setdefault(str(entry.case_id), []).append(entry)
        return found

    def restore_case(self, case_pk: int, user: UserRecord | None) -> CaseRecord:
        """Bring a deleted case back under its own case id, with all its versions,
        assessments, decisions and agenda entries (they were never removed). Raises
        :class:`NotFoundError` for no deleted case of that number and
        :class:`ConflictError` when another case has the case id now (nothing changes)."""
        case_id = ""
        try:
            with self._tx() as s:
                row = s.get(m.Case, case_pk)
                if row is None or row.deleted_at is None:
                    raise NotFoundError(f"no deleted case {case_pk}")
                case_id = self._original_case_id(s, row)
                taken = s.scalar(select(m.Case.id).where(m.Case.case_id == case_id))
                if taken is not None:
                    raise ConflictError(_REUSED.format(case_id=case_id, which=f" (case {taken})"))
                row.case_id = case_id
                row.deleted_at = None
                self._audit(s, user, "restore", case_id, f"case {row.id}")
                s.flush()
                return self._case_record(s, row)
        except IntegrityError as exc:  # the id taken by a case stored at the same moment
            raise ConflictError(_REUSED.format(case_id=case_id, which="")) from exc

    def case_versions(self, case_pk: int) -> list[VersionRecord]:
        with self._tx() as s:
            self._case_row(s, case_pk)
            rows = s.execute(
                select(m.CaseVersion, m.User.username)
                .outerjoin(m.User, m.User.id == m.CaseVersion.created_by)
                .where(m.CaseVersion.case_pk == case_pk)
                .order_by(m.CaseVersion.version)
            ).all()
            return [version_record(v, name) for v, name in rows]

    def case_version(self, case_pk: int, version: int) -> VersionRecord:
        with self._tx() as s:
            self._case_row(s, case_pk)
            found = s.execute(
                select(m.CaseVersion, m.User.username)
                .outerjoin(m.User, m.User.id == m.CaseVersion.created_by)
                .where(m.CaseVersion.case_pk == case_pk, m.CaseVersion.version == version)
            ).first()
            if found is None:
                raise NotFoundError(f"case {case_pk} has no version {version}")
            return version_record(*found)

    # ------------------------------------------------------------------ assessments

    def save_assessment(
        self,
        case_pk: int,
        case_version: int,
        knowledge_version: str,
        hash_of_input: str,
        output: Mapping[str, Any],
        user: UserRecord | None,
    ) -> AssessmentRecord:
        with self._tx() as s:
            case = self._case_row(s, case_pk)
            row = m.Assessment(
                case_pk=case_pk,
                case_version=case_version,
                knowledge_version=knowledge_version,
                input_hash=hash_of_input,
                output=dumps(output),
                created_by=user.id if user else None,
            )
            s.add(row)
            self._audit(s, user, "assess", case.case_id, f"version {case_version}")
            s.flush()
            return assessment_record(row)

    def find_assessment(
        self, case_pk: int, case_version: int, knowledge_version: str, hash_of_input: str
    ) -> AssessmentRecord | None:
        """The latest stored assessment of exactly this input and knowledge, if any."""
        with self._tx() as s:
            row = s.scalar(
                select(m.Assessment)
                .where(
                    m.Assessment.case_pk == case_pk,
                    m.Assessment.case_version == case_version,
                    m.Assessment.knowledge_version == knowledge_version,
                    m.Assessment.input_hash == hash_of_input,
                )
                .order_by(m.Assessment.id.desc())
                .limit(1)
            )
            return assessment_record(row) if row else None

    def latest_assessment(self, case_pk: int, case_version: int) -> AssessmentRecord | None:
        """The most recent stored assessment of one case version, whatever its knowledge."""
        with self._tx() as s:
            row = s.scalar(
                select(m.Assessment)
                .where(m.Assessment.case_pk == case_pk, m.Assessment.case_version == case_version)
                .order_by(m.Assessment.id.desc())
                .limit(1)
            )
            return assessment_record(row) if row else None

    def list_assessments(self, case_pk: int) -> list[AssessmentRecord]:
        with self._tx() as s:
            self._case_row(s, case_pk)
            return [
                assessment_record(r)
                for r in s.scalars(
                    select(m.Assessment)
                    .where(m.Assessment.case_pk == case_pk)
                    .order_by(m.Assessment.id)
                )
            ]

    def get_assessment(self, case_pk: int, assessment_id: int) -> AssessmentRecord:
        with self._tx() as s:
            self._case_row(s, case_pk)
            row = s.get(m.Assessment, assessment_id)
            if row is None or row.case_pk != case_pk:
                raise NotFoundError(f"case {case_pk} has no assessment {assessment_id}")
            return assessment_record(row)

    # ------------------------------------------------------------------ audit

    @staticmethod
    def _audit(
        s: OrmSession, user: UserRecord | None, action: str, case_id: str | None, detail: str
    ) -> None:
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        s.add(
            m.AuditEntry(
                user_id=user.id if user else None,
                username=user.username if user else None,
                action=action,
                case_id=case_id,
                detail=detail[:200],
            )
        )

    def audit(
        self, user: UserRecord | None, action: str, case_id: str | None = None, detail: str = ""
    ) -> None:
        """Record who did what to which case id (no clinical content)."""
        with self._tx() as s:
            self._audit(s, user, action, case_id, detail)

    def audit_entries(self, *, case_id: str | None = None, limit: int = 200) -> list[AuditRecord]:
        with self._tx() as s:
            query = select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)
            if case_id is not None:
                query = query.where(m.AuditEntry.case_id == case_id)
            return [audit_record(r) for r in s.scalars(query)]


def _with_current_documents(
    s: OrmSession, where: ColumnElement[bool], order: tuple[Any, ...]
) -> list[tuple[m.Case, str]]:
    """The cases ``where`` holds, in ``order``, each with its current version's document
    (as stored, JSON text): one statement."""
    rows = s.execute(
        select(m.Case, m.CaseVersion.document)
        .join(
            m.CaseVersion,
            (m.CaseVersion.case_pk == m.Case.id)
            & (m.CaseVersion.version == m.Case.current_version),
        )
        .where(where)
        .order_by(*order)
    ).all()
    return [(case, document) for case, document in rows]
