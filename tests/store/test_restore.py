"""Deleted cases: the administrators' list, restoring one, and a deletion that names the
version it was asked for, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from nelm.store import ConflictError, NotFoundError, Store, UserRecord, VersionConflictError


def _doc(case_id: str = "r-1", label: str = "first", ki67: float = 5) -> dict[str, object]:
    return {
        "schema_version": 1,
        "case_id": case_id,
        "label": label,
        "pathology": {"ki67_percent": ki67},
    }


@pytest.fixture
def clinician(store: Store) -> UserRecord:
    return store.create_user("dr-a", "clinician", "a long enough password")


@pytest.fixture
def admin(store: Store) -> UserRecord:
    return store.create_user("root", "admin", "a long enough password")


def test_a_restored_case_keeps_its_versions_decisions_and_meeting_entries(
    store: Store, clinician: UserRecord, admin: UserRecord
) -> None:
    case = store.create_case(_doc(), clinician)
    store.update_case(case.id, _doc(label="second", ki67=12), clinician)
    meeting = store.create_meeting(
        held_on=date(2027, 1, 14), title="NET board", specialties=[], attendees=[], user=clinician
    )
    store.add_to_agenda(meeting.id, case.id, presenter="Dr A", question="Q", user=clinician)
    decision = store.record_decision(
        case.id, case_version=2, options=["ssa"], text="SSA", user=clinician
    )
    store.delete_case(case.id, clinician)
    assert store.list_cases() == [] and store.find_case("r-1") is None

    restored = store.restore_case(case.id, admin)
    assert (restored.id, restored.case_id, restored.current_version) == (case.id, "r-1", 2)
    assert restored.label == "second"
    assert [c.case_id for c in store.list_cases()] == ["r-1"]
    assert [v.version for v in store.case_versions(case.id)] == [1, 2]
    assert store.case_version(case.id, 1).document["label"] == "first"
    assert [d.id for d in store.list_decisions(case.id)] == [decision.id]
    assert [i.question for i in store.agenda_of_case(case.id)] == ["Q"]
    assert store.list_deleted_cases() == []
    # and it can be changed and deleted again like any case
    assert store.update_case(case.id, _doc(label="third"), clinician).current_version == 3
    actions = [(e.action, e.username) for e in store.audit_entries(case_id="r-1")]
    assert actions[:3] == [("change", "dr-a"), ("restore", "root"), ("delete", "dr-a")]


def test_the_list_names_who_deleted_each_case_and_when(
    store: Store, clinician: UserRecord, admin: UserRecord
) -> None:
    first = store.create_case(_doc(), clinician)
    store.delete_case(first.id, clinician)
    # the id reused, and that case deleted too, by someone else
    second = store.create_case(_doc(label="another patient"), clinician)
    store.delete_case(second.id, admin)
    listed = store.list_deleted_cases()
    assert [(c.id, c.case_id, c.label, c.deleted_by) for c in listed] == [
        (second.id, "r-1", "another patient", "root"),
        (first.id, "r-1", "first", "dr-a"),
    ]
    assert all(c.deleted_at >= c.updated_at for c in listed)
    assert set(listed[0].summary()) == {
        "id", "case_id", "label", "version", "updated_at", "deleted_at", "deleted_by"
    }  # fmt: skip


def test_a_long_case_id_comes_back_whole(store: Store, admin: UserRecord) -> None:
    # a deleted case's stored id is cut to 100 characters before its mark
    long_id = "x" * 128
    case = store.create_case(_doc(long_id), admin)
    store.delete_case(case.id, admin)
    assert store.list_deleted_cases()[0].case_id == long_id
    assert store.restore_case(case.id, admin).case_id == long_id
    assert store.find_case(long_id) is not None


def test_a_restore_is_refused_when_the_case_id_is_taken_again(
    store: Store, clinician: UserRecord, admin: UserRecord
) -> None:
    old = store.create_case(_doc(), clinician)
    store.delete_case(old.id, clinician)
    new = store.create_case(_doc(label="a new case"), clinician)
    with pytest.raises(
        ConflictError, match=rf"'r-1' has been given to another case \(case {new.id}\)"
    ):
        store.restore_case(old.id, admin)
    # nothing changed: the old case is still deleted, the new one untouched
    assert [c.id for c in store.list_deleted_cases()] == [old.id]
    assert store.get_case(new.id).label == "a new case"
    assert next(e.action for e in store.audit_entries(case_id="r-1")) == "create"
    # once the new case is deleted in turn, the old one can come back
    store.delete_case(new.id, clinician)
    assert store.restore_case(old.id, admin).label == "first"


def test_only_a_deleted_case_can_be_restored(store: Store, admin: UserRecord) -> None:
    live = store.create_case(_doc(), admin)
    with pytest.raises(NotFoundError):
        store.restore_case(live.id, admin)
    with pytest.raises(NotFoundError):
        store.restore_case(9999, admin)


def test_a_deletion_naming_a_version_edited_since_deletes_nothing(
    store: Store, clinician: UserRecord
) -> None:
    case = store.create_case(_doc(), clinician)
    store.update_case(case.id, _doc(label="second"), clinician)
    with pytest.raises(VersionConflictError, match="Nothing was deleted") as caught:
        store.delete_case(case.id, clinician, expected_version=1)
    assert caught.value.current.current_version == 2 and caught.value.changed_by == "dr-a"
    assert store.get_case(case.id).current_version == 2
    store.delete_case(case.id, clinician, expected_version=2)
    assert store.list_cases() == []


def test_who_deleted_a_case_before_the_audit_named_its_row_is_read_by_its_id(
    store: Store, clinician: UserRecord, admin: UserRecord
) -> None:
    # A deletion's audit entry had an empty detail before this list: the latest deletion
    # of that case id (not after the case was deleted) names who deleted it.
    from sqlalchemy import update

    from nelm.store import models as m

    case = store.create_case(_doc(), clinician)
    store.delete_case(case.id, clinician)
    with store._tx() as s:  # as a store written before this list left it
        s.execute(update(m.AuditEntry).where(m.AuditEntry.action == "delete").values(detail=""))
    assert store.list_deleted_cases()[0].deleted_by == "dr-a"
    with store._tx() as s:
        s.execute(update(m.AuditEntry).where(m.AuditEntry.action == "delete").values(case_id="z"))
    assert store.list_deleted_cases()[0].deleted_by is None  # shown as "not recorded"


def _statements(store: Store) -> tuple[list[str], object]:
    from sqlalchemy import event

    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", record)
    return seen, record


def test_the_list_reads_many_deleted_cases_in_a_fixed_number_of_statements(
    store: Store, clinician: UserRecord, admin: UserRecord
) -> None:
    # The list asked the database three or four times per deleted case (its document, its
    # own id, who deleted it): 1,200 round trips for 300 deleted cases on one page view.
    from sqlalchemy import event

    def delete(n: int, start: int) -> None:
        for i in range(start, start + n):
            case = store.create_case(_doc(f"many-{i:04d}", label=f"patient {i}"), clinician)
            store.delete_case(case.id, admin if i % 2 else clinician)

    def counted() -> tuple[int, list[tuple[str, str | None, str | None]]]:
        seen, record = _statements(store)
        try:
            listed = store.list_deleted_cases()
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
        return len(seen), [(c.case_id, c.label, c.deleted_by) for c in listed]

    delete(2, 0)
    few, _ = counted()
    delete(298, 2)
    many, listed = counted()
    assert many == few <= 2  # the cases with their documents; the deletions' entries
    assert len(listed) == 300
    # the latest deletion first; the odd ones deleted by the administrator
    assert listed[0] == ("many-0299", "patient 299", "root")
    assert listed[-1] == ("many-0000", "patient 0", "dr-a")
    assert all((by == "root") == (int(cid[-4:]) % 2 == 1) for cid, _, by in listed)
