"""A Ki-67 from one tissue and a grade from another: what the board is told.

001 (Staged resections for extensive disease): the ALPPS registry's authors "recommend the
performance of a preoperative liver biopsy to rule out any discrepancy in Ki67 expression
between primary and NELM tumors, which could lead to futile resection of high-risk patients
with a low expected survival benefit". 000 §1: "The higher index is used to classify grade if
there is a discrepancy between the mitotic and Ki67" indices, of one specimen.
"""

from __future__ import annotations

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, eligible_case, with_changes

RESECTIONS = ["liver_resection", "staged_resection", "simultaneous_resection"]


def _caution_texts(doc: dict, option: str) -> list[str]:
    return [d["text"] for d in doc["options"][option]["caution_details"]]


@pytest.mark.parametrize("option", RESECTIONS)
@pytest.mark.parametrize(("source", "shown"), [("primary", True), ("liver_metastasis", False)])
def test_a_ki67_from_the_primary_is_cautioned_on_every_liver_resection(
    option: str, source: str, shown: bool
) -> None:
    # a simultaneous resection removes the liver metastases too: the futile resection 001
    # warns of is theirs as much as a one-stage or staged hepatectomy's
    doc = assess_mapping(
        eligible_case(option, {"pathology.ki67_source": source}), with_evidence=False
    )
    said = [
        t for t in _caution_texts(doc, option) if t.startswith("Ki-67 was measured on the primary")
    ]
    assert bool(said) is shown


@pytest.mark.parametrize("source", ["primary", "liver_metastasis", None])
def test_the_liver_biopsy_before_alpps_is_said_on_every_staged_resection(
    source: str | None,
) -> None:
    doc = assess_mapping(
        eligible_case("staged_resection", {"pathology.ki67_source": source}),
        with_evidence=False,
    )
    texts = _caution_texts(doc, "staged_resection")
    assert any("Before ALPPS" in t and "liver biopsy" in t for t in texts)


def test_the_warning_says_what_the_grade_does_with_a_contradicting_index() -> None:
    # a G2 stated beside a liver metastasis's Ki-67 of 27.5 % (> 20 %: G3, 000 §1): the
    # grade keeps both, and the warning must not say the measured value was used
    case = with_changes(
        BASE,
        {
            "pathology.reported_grade": "G2",
            "pathology.ki67_percent": 27.5,
            "pathology.mitoses_per_2mm2": None,
            "pathology.ki67_source": "liver_metastasis",
        },
    )
    doc = assess_mapping(case, with_evidence=False)
    assert doc["classification"]["grade_possible"] == ["G2", "G3"]
    (warning,) = [w for w in doc["warnings"] if w.startswith("The report states grade G2")]
    assert "G2 and G3 both stay possible" in warning
    assert "uses the measured" not in warning
    assert "liver metastases'" in warning
