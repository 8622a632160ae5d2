"""A grade criterion asks only for the grade fields that can change it (nelm.engine.grade_fields).

000 §1: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index < 3. Grade 2 (G2)
tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20. Grade 3 (G3)
tumors have a mitotic index or Ki67 index > 20. The higher index is used to classify grade
if there is a discrepancy"; NEC are "poorly differentiated neoplasms of high grade".
"""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.engine.derive import derive_grade
from nelm.engine.grade_fields import GradeInputs, grade_from_bands
from nelm.knowledge import load_knowledge
from nelm.service import assess_case

# Each index as a case gives it, with the grades 000 §1 puts it in (positions in G1, G2, G3).
KI67: dict[str, tuple[dict[str, float], tuple[int, int]]] = {
    "none": ({}, (0, 2)),
    "1": ({"ki67_percent": 1}, (0, 0)),  # < 3: G1
    "10": ({"ki67_percent": 10}, (1, 1)),  # 3–20: G2
    "30": ({"ki67_percent": 30}, (2, 2)),  # > 20: G3
    "1-10": ({"ki67_percent_at_least": 1, "ki67_percent_at_most": 10}, (0, 1)),
    "10-30": ({"ki67_percent_at_least": 10, "ki67_percent_at_most": 30}, (1, 2)),
    "<=50": ({"ki67_percent_at_most": 50}, (0, 2)),
}
MITOSES: dict[str, tuple[dict[str, float], tuple[int, int]]] = {
    "none": ({}, (0, 2)),
    "1": ({"mitoses_per_2mm2": 1}, (0, 0)),  # < 2: G1
    "5": ({"mitoses_per_2mm2": 5}, (1, 1)),  # 2–20: G2
    "25": ({"mitoses_per_2mm2": 25}, (2, 2)),  # > 20: G3
    "1-5": ({"mitoses_per_2mm2_at_least": 1, "mitoses_per_2mm2_at_most": 5}, (0, 1)),
    ">=5": ({"mitoses_per_2mm2_at_least": 5}, (1, 2)),
}


@pytest.mark.parametrize(
    ("ki67", "mitoses", "differentiation"),
    list(product(KI67, MITOSES, (None, "well", "poor"))),
)
def test_the_grade_rebuilt_from_the_bands_is_the_derived_grade(
    ki67: str, mitoses: str, differentiation: str | None
) -> None:
    (k_values, k_band), (m_values, m_band) = KI67[ki67], MITOSES[mitoses]
    pathology: dict[str, Any] = {**k_values, **m_values}
    if differentiation is not None:
        pathology["differentiation"] = differentiation
    case = case_from_mapping({"case_id": "t", "pathology": pathology})
    derived = derive_grade(case.values, load_knowledge().derivations.grade)
    assert derived.grade_inputs == GradeInputs(k_band, m_band, differentiation)
    assert derived.possible == grade_from_bands(k_band, m_band, differentiation)


def test_a_reported_grade_keeps_every_field() -> None:
    # A reported grade narrows the indices' grades (Rindi 2022 grade terms); with it the
    # fields are not sorted by what they could change.
    case = case_from_mapping(
        {"case_id": "t", "pathology": {"reported_grade": "G3", "ki67_percent_at_most": 50}}
    )
    assert derive_grade(case.values, load_knowledge().derivations.grade).grade_inputs is None


def _missing(pathology: dict[str, Any], option: str) -> set[str]:
    """The option's missing fields (staged resection reads the indices through its grade
    criterion only)."""
    case = case_from_mapping({"case_id": "t", "pathology": pathology})
    result = assess_case(case, with_evidence=False).to_document()["options"][option]
    assert result["status"] == "uncertain"
    return set(result["missing"])


def test_an_index_range_inside_the_criterions_grades_is_not_asked_for() -> None:
    # Ki-67 0–3 % is G1 or G2 (< 3 G1, 3 G2): for "G1 or G2" (staged resection, 001 Staged
    # resections: G3 a contraindication to ALPPS) only the mitotic count can still make it
    # G3, so the Ki-67 is not asked for again.
    pathology = {"ki67_percent_at_least": 0, "ki67_percent_at_most": 3, "differentiation": "well"}
    missing = _missing(pathology, "staged_resection")
    assert "pathology.mitoses_per_2mm2" in missing
    assert "pathology.ki67_percent" not in missing


def test_an_index_range_that_spans_the_criterions_limit_is_asked_for() -> None:
    # Ki-67 ≤ 52.8 % can be G3 whatever the mitotic count: both indices can decide.
    pathology = {"ki67_percent_at_most": 52.8, "differentiation": "well"}
    missing = _missing(pathology, "staged_resection")
    assert {"pathology.mitoses_per_2mm2", "pathology.ki67_percent"} <= missing
