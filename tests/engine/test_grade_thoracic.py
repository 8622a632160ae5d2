"""A lung or thymic carcinoid's grade, as the thoracic classification reads it.

WHO 2021 thoracic tumours: typical carcinoid < 2 mitoses per 2 mm² without necrosis,
atypical carcinoid 2–10 per 2 mm² and/or punctate necrosis; Ki-67 is not among the criteria
that tell them apart, and a mitotic count above 10 is a carcinoma's range (large-cell or
small-cell NEC). The digestive cut-offs (000 §1: G2 is 2–20 mitoses, Ki-67 3–20 %) are not
a carcinoid's.
"""

from __future__ import annotations

from typing import Any

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes


def _lung(pathology: dict[str, Any]) -> dict[str, Any]:
    return with_changes(
        BASE,
        {
            "primary.site": "lung",
            "pathology.ki67_percent": None,
            "pathology.mitoses_per_2mm2": None,
            "pathology.ki67_source": None,
            **{f"pathology.{k}": v for k, v in pathology.items()},
        },
    )


def test_a_typical_carcinoid_with_a_ki67_of_5_is_not_a_conflict() -> None:
    doc = assess_mapping(
        _lung({"reported_grade": "typical_carcinoid", "mitoses_per_2mm2": 1, "ki67_percent": 5}),
        with_evidence=False,
    )
    c = doc["classification"]
    assert c["grade_possible"] == ["G1"] and c["conflicts"] == []
    assert not [w for w in doc["warnings"] if "contradicts" in w]


def test_an_atypical_carcinoid_above_10_mitoses_leaves_the_high_grade_open() -> None:
    # 12 mitoses per 2 mm² would be G2 by the digestive cut-offs; beside "atypical
    # carcinoid" it is above its range, so the classification lists the conflict and the
    # high-grade chemotherapy is no longer ruled out on the grade.
    doc = assess_mapping(
        _lung({"reported_grade": "atypical_carcinoid", "mitoses_per_2mm2": 12}),
        with_evidence=False,
    )
    c = doc["classification"]
    assert c["grade_possible"] == ["G2", "G3"] and c["conflicts"]
    assert doc["options"]["platinum_etoposide"]["status"] != "ineligible"


def test_an_atypical_carcinoid_within_its_range_stays_g2() -> None:
    doc = assess_mapping(
        _lung({"reported_grade": "atypical_carcinoid", "mitoses_per_2mm2": 10, "ki67_percent": 2}),
        with_evidence=False,
    )
    assert doc["classification"]["grade_possible"] == ["G2"]
    assert doc["classification"]["conflicts"] == []
