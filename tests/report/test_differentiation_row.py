"""The classification's differentiation row: as stated; when not stated and the grade is
settled as G1, G2 or G3, what that grade implies. 000 §1: "Grade 1 and 2; well
differentiated PNETs", "well differentiated G3 tumors and NEC", and "Neuroendocrine
carcinomas (NEC) are poorly differentiated neoplasms of high grade" (WHO 2019 the same):
a settled NET grade (NEC excluded) is a well-differentiated tumour; a grade still open says
nothing of it."""

from __future__ import annotations

import pytest

from nelm.report.view import classification_rows
from nelm.service import assess_mapping


def _row(pathology: dict[str, object]) -> str:
    doc = assess_mapping(
        {"case_id": "d", "primary": {"site": "pancreas"}, "pathology": pathology},
        with_evidence=False,
    )
    (row,) = [r for r in classification_rows(doc) if r.key == "differentiation"]
    return row.value


@pytest.mark.parametrize(
    ("pathology", "shown"),
    [
        # reported G1 and no indices: G1 (Rindi 2022: G1/G2 are NETs)
        ({"reported_grade": "G1"}, "not stated; well, as a G1 NET is"),
        # Ki-67 1 % and 1 mitosis per 2 mm²: G1 by both (000 §1: < 3 %, < 2)
        ({"ki67_percent": 1, "mitoses_per_2mm2": 1}, "not stated; well, as a G1 NET is"),
        # stated: shown as stated
        ({"ki67_percent": 1, "mitoses_per_2mm2": 1, "differentiation": "well"}, "well"),
        # Ki-67 alone: the grade is open, so nothing is implied
        ({"ki67_percent": 1}, "not known"),
        ({}, "not known"),
    ],
)
def test_a_settled_net_grade_implies_well_differentiated(
    pathology: dict[str, object], shown: str
) -> None:
    assert _row(pathology) == shown


def test_the_board_s_key_facts_say_the_same() -> None:
    from nelm.report.board import board_view

    doc = assess_mapping(
        {"case_id": "d", "pathology": {"ki67_percent": 1, "mitoses_per_2mm2": 1}},
        with_evidence=False,
    )
    grade = next(f for f in board_view(doc).facts if f.label == "Grade")
    assert "differentiation not stated (well, as a NET grade)" in grade.value
    doc = assess_mapping({"case_id": "d", "pathology": {"ki67_percent": 1}}, with_evidence=False)
    grade = next(f for f in board_view(doc).facts if f.label == "Grade")
    assert "differentiation not known" in grade.value
