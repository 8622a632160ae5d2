"""Versioned cases, assessments and board decisions, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from nelm.store import ConflictError, NotFoundError, Store, UserRecord, input_hash


@pytest.fixture
def clinician(store: Store) -> UserRecord:
    return store.create_user("dr-a", "clinician", "a long enough password")


def doc(label: str, ki67: float = 5) -> dict[str, object]:
    return {
        "schema_version": 1,
        "case_id": "board-1",
        "label": label,
        "pathology": {"ki67_percent": ki67},
    }


def test_an_edit_makes_a_new_version_and_old_versions_stay_readable(
    store: Store, clinician: UserRecord
) -> None:
    created = store.create_case(doc("first"), clinician)
    assert created.current_version == 1
    changed = store.update_case(created.id, doc("second", 12), clinician)
    assert changed.current_version == 2
    assert changed.document["pathology"] == {"ki67_percent": 12}
    assert store.case_version(created.id, 1).document["label"] == "first"
    versions = store.case_versions(created.id)
    assert [v.version for v in versions] == [1, 2]
    assert all(v.created_by == "dr-a" for v in versions)
    assert store.get_case(created.id).label == "second"
    assert [c.case_id for c in store.list_cases()] == ["board-1"]
    assert store.find_case("board-1") is not None


def test_case_ids_are_unique_and_cannot_change(store: Store, clinician: UserRecord) -> None:
    created = store.create_case(doc("x"), clinician)
    with pytest.raises(ConflictError, match="exists already"):
        store.create_case(doc("y"), clinician)
    with pytest.raises(ConflictError, match="cannot change"):
        store.update_case(created.id, {**doc("z"), "case_id": "other"}, clinician)
    assert store.get_case(created.id).current_version == 1


def test_missing_cases_and_versions(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get_case(999)
    created = store.create_case(doc("x"), None)
    with pytest.raises(NotFoundError):
        store.case_version(created.id, 2)


def test_delete_hides_the_case_and_frees_its_id(store: Store, clinician: UserRecord) -> None:
    created = store.create_case(doc("x"), clinician)
    store.delete_case(created.id, clinician)
    assert store.list_cases() == []
    with pytest.raises(NotFoundError):
        store.get_case(created.id)
    again = store.create_case(doc("again"), clinician)
    assert again.id != created.id


def test_assessments_keep_version_knowledge_hash_and_output(
    store: Store, clinician: UserRecord
) -> None:
    created = store.create_case(doc("x"), clinician)
    digest = input_hash(created.document)
    output = {"schema_version": 1, "case_id": "board-1", "options": {}}
    saved = store.save_assessment(created.id, 1, "2026.1+abc", digest, output, clinician)
    assert saved.output == output and saved.input_hash == digest
    assert store.find_assessment(created.id, 1, "2026.1+abc", digest) == saved
    assert store.find_assessment(created.id, 1, "2026.1+other", digest) is None
    assert store.list_assessments(created.id) == [saved]
    assert store.get_assessment(created.id, saved.id) == saved


def test_input_hash_ignores_key_order() -> None:
    assert input_hash({"a": 1, "b": {"c": 2, "d": 3}}) == input_hash(
        {"b": {"d": 3, "c": 2}, "a": 1}
    )
    assert input_hash({"a": 1}) != input_hash({"a": 2})


def test_decisions_record_options_text_who_and_when(store: Store, clinician: UserRecord) -> None:
    created = store.create_case(doc("x"), clinician)
    saved = store.save_assessment(created.id, 1, "k", "h", {}, clinician)
    decision = store.record_decision(
        created.id,
        case_version=1,
        options=["liver_resection", "ssa"],
        text="Resect, then SSA.",
        user=clinician,
        assessment_id=saved.id,
    )
    assert decision.options == ("liver_resection", "ssa")
    assert decision.decided_by == "dr-a"
    listed = store.list_decisions(created.id)
    assert [d.text for d in listed] == ["Resect, then SSA."]
    assert listed[0].decided_at == decision.decided_at
    with pytest.raises(NotFoundError):
        store.record_decision(created.id, case_version=2, options=[], text="", user=None)


def test_audit_log_names_who_what_which_case_and_no_clinical_content(
    store: Store, clinician: UserRecord
) -> None:
    created = store.create_case(doc("Jane Doe, secret label"), clinician)
    store.update_case(created.id, doc("Jane Doe", 77.25), clinician)
    store.audit(clinician, "read", "board-1", "page")
    store.audit(clinician, "export", "board-1", "pdf")
    entries = store.audit_entries(case_id="board-1")
    assert [e.action for e in entries] == ["export", "read", "change", "create"]
    assert all(e.username == "dr-a" for e in entries)
    text = repr([e.as_dict() for e in entries])
    assert "Jane" not in text and "77.25" not in text and "ki67" not in text
    with pytest.raises(ValueError, match="unknown audit action"):
        store.audit(clinician, "peek", "board-1")
