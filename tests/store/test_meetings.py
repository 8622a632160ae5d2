"""Meetings, agenda and decisions in the store, on SQLite and PostgreSQL; the meetings
migration keeps decisions stored before it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from nelm.store import ConflictError, NotFoundError, Store
from nelm.store.migrate import downgrade, upgrade
from tests.store.support import open_store

CASE = {"schema_version": 1, "case_id": "m-1", "label": "first"}


def test_agenda_order_and_one_entry_per_case(store: Store) -> None:
    user = store.create_user("dr", "clinician", "a long password 1")
    meeting = store.create_meeting(
        held_on=date(2027, 1, 14),
        title="NET board",
        specialties=["Pathology"],
        attendees=["Dr A"],
        user=user,
    )
    one = store.create_case(CASE, user)
    two = store.create_case({**CASE, "case_id": "m-2", "label": None}, user)
    store.add_to_agenda(meeting.id, two.id, presenter="Dr A", question="Q2", user=user)
    store.add_to_agenda(meeting.id, one.id, presenter="", question="Q1", user=user)
    assert [(a.case_id, a.position, a.label) for a in store.agenda(meeting.id)] == [
        ("m-2", 1, None),
        ("m-1", 2, "first"),
    ]
    with pytest.raises(ConflictError):
        store.add_to_agenda(meeting.id, one.id, presenter="", question="again", user=user)
    assert store.get_meeting(meeting.id).case_count == 2
    assert store.cases_on_meeting(meeting.id) == {one.id, two.id}


def test_amending_keeps_the_history_and_only_the_latest_can_change(store: Store) -> None:
    user = store.create_user("dr", "clinician", "a long password 1")
    case = store.create_case(CASE, user)
    first = store.record_decision(
        case.id,
        case_version=1,
        options=["ssa"],
        text="SSA",
        user=user,
        status="provisional",
        attendees=["Dr A"],
        follow_up_on=date(2027, 3, 1),
    )
    second = store.record_decision(
        case.id,
        case_version=1,
        options=["prrt"],
        text="PRRT",
        user=user,
        replaces_id=first.id,
        change="supersession",
    )
    with pytest.raises(ConflictError):
        store.record_decision(
            case.id,
            case_version=1,
            options=[],
            text="x",
            user=user,
            replaces_id=first.id,
            change="amendment",
        )
    with pytest.raises(NotFoundError):
        store.record_decision(
            case.id, case_version=1, options=[], text="x", user=user, meeting_id=999
        )
    old, new = store.list_decisions(case.id)
    assert (old.id, old.replaced_by, old.status, old.follow_up_on) == (
        first.id,
        second.id,
        "provisional",
        date(2027, 3, 1),
    )
    assert new.current and new.change == "supersession"
    assert store.current_decisions()[case.id].id == second.id


def test_decisions_stored_before_the_meetings_migration_read_as_final(tmp_path: Path) -> None:
    for backend in ("sqlite", "postgresql"):
        directory = tmp_path / backend
        directory.mkdir()
        store = open_store(backend, directory)
        try:
            downgrade(store.engine, "0001")
            with store.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO cases (id, case_id, current_version, created_at, updated_at) "
                        "VALUES (1, 'old-1', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                    )
                )
                connection.execute(
                    text(
                        "INSERT INTO case_versions (case_pk, version, document, created_at) "
                        "VALUES (1, 1, :doc, '2026-01-01 00:00:00')"
                    ),
                    {"doc": '{"schema_version": 1, "case_id": "old-1"}'},
                )
                connection.execute(
                    text(
                        "INSERT INTO decisions (case_pk, case_version, options, text, decided_at) "
                        "VALUES (1, 1, '[\"ssa\"]', 'SSA', '2026-01-02 00:00:00')"
                    )
                )
            upgrade(store.engine)
            (decision,) = store.list_decisions(1)
            assert (decision.status, decision.options, decision.meeting_id, decision.current) == (
                "final",
                ("ssa",),
                None,
                True,
            )
        finally:
            store.close()
