"""A file's number or bound replaces the stored parts of the same value it contradicts, and
only those (nelm.case.merge_bounds): "Ki-67 30-40 %" from a pathology report read into a
case that held 12 % left both, a case no one could save or assess."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case.document import case_from_mapping
from nelm.case.merge import NOT_KNOWN, merge_file_into_case, with_added_fields


def _case(**sections: Any) -> dict[str, Any]:
    return {"schema_version": 1, "case_id": "b1", **sections}


def _merged(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    merged, _ = merge_file_into_case(
        _case(**stored), _case(**given), base_version=1, compare_case_id=False
    )
    return merged


def test_a_range_from_the_file_replaces_the_stored_number_outside_it() -> None:
    merged, refresh = merge_file_into_case(
        _case(pathology={"ki67_percent": 12}),
        _case(pathology={"ki67_percent_at_least": 30, "ki67_percent_at_most": 40}),
        base_version=1,
        compare_case_id=False,
    )
    assert merged["pathology"] == {"ki67_percent_at_least": 30, "ki67_percent_at_most": 40}
    dropped = [c for c in refresh.changes if c.path == "pathology.ki67_percent"]
    assert [(c.stored, c.from_file) for c in dropped] == [("12 %", NOT_KNOWN)]
    case_from_mapping(merged)  # the merged case reads (it was refused as contradictory)


def test_a_number_from_the_file_replaces_the_stored_bound_that_excludes_it() -> None:
    # 9 lesions contradict "at most 5", not "at least 4"
    merged = _merged(
        {"liver": {"lesion_count_at_least": 4, "lesion_count_at_most": 5}},
        {"liver": {"lesion_count": 9}},
    )
    assert merged["liver"] == {"lesion_count_at_least": 4, "lesion_count": 9}
    case_from_mapping(merged)


@pytest.mark.parametrize(
    ("stored", "given"),
    [
        # 3 lesions are at least 2: the stored count says more and stays
        ({"lesion_count": 3}, {"lesion_count_at_least": 2}),
        # at least 2 and at most 5 are one range
        ({"lesion_count_at_least": 2}, {"lesion_count_at_most": 5}),
        # 3 lies between 2 and 5
        ({"lesion_count_at_least": 2, "lesion_count_at_most": 5}, {"lesion_count": 3}),
    ],
)
def test_a_stored_part_the_file_does_not_contradict_stays(
    stored: dict[str, Any], given: dict[str, Any]
) -> None:
    assert _merged({"liver": stored}, {"liver": given})["liver"] == {**stored, **given}


def test_only_the_contradicted_bound_goes() -> None:
    # at most 5 contradicts at least 8; the stored at least 2 does not contradict at least 8
    # (the file's replaces it as the same field) and nothing else is touched
    merged = _merged(
        {"liver": {"lesion_count_at_most": 5}, "labs": {"bilirubin_mg_dl": 0.8}},
        {"liver": {"lesion_count_at_least": 8}},
    )
    assert merged["liver"] == {"lesion_count_at_least": 8}
    assert merged["labs"] == {"bilirubin_mg_dl": 0.8}


def test_with_a_range_on_the_command_line_the_record_number_goes() -> None:
    # nelm assess RECORD --with BOARD.yaml: the board's range replaces the record's number
    merged, _ = with_added_fields(
        _case(pathology={"ki67_percent": 12, "differentiation": "well"}),
        {"pathology": {"ki67_percent_at_least": 30, "ki67_percent_at_most": 40}},
        source="board.yaml",
    )
    assert merged["pathology"] == {
        "differentiation": "well",
        "ki67_percent_at_least": 30,
        "ki67_percent_at_most": 40,
    }
