"""What would settle a reported grade that contradicts the indices (nelm.engine.derive).

docs/contract/assessment-v1.md, "Status rules": an uncertain option's ``missing`` "lists the
case fields whose values would decide it". The grade's ``settle_with`` feeds it.

000 §1: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index < 3. Grade 2 (G2)
tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20 … The higher
index is used to classify grade if there is a discrepancy"; "Neuroendocrine carcinomas
(NEC) are poorly differentiated neoplasms of high grade". A bare "G3" is a
well-differentiated NET G3 or an NEC (WHO 2017 onwards), so the differentiation decides how
the report reads; the reported grade itself stays listed for the pathology review.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.engine.derive import derive_grade
from nelm.knowledge import load_knowledge
from nelm.service import assess_case, assess_mapping

DIFFERENTIATION = "pathology.differentiation"
REPORTED = "pathology.reported_grade"

# Ki-67 5 % (3–20: G2) and 1 mitosis/2 mm² (< 2: G1): G2 by the higher index (000 §1).
INDICES_G2 = {"ki67_percent": 5, "mitoses_per_2mm2": 1}


def _case(pathology: dict[str, Any]) -> dict[str, Any]:
    return {
        "case_id": "t",
        "primary": {"site": "small_intestine", "functional_syndrome": "none"},
        "pathology": pathology,
        "imaging": {"sstr_positive": True},
        "liver": {"distribution": "bilobar_diffuse"},
    }


def _assessed(pathology: dict[str, Any]) -> dict[str, Any]:
    return assess_case(case_from_mapping(_case(pathology)), with_evidence=False).to_document()


def _criterion(doc: dict[str, Any], option: str, criterion: str) -> str:
    found = [c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.{criterion}"]
    assert len(found) == 1, (option, criterion)
    return str(found[0]["result"])


def test_a_reported_g3_against_g2_indices_waits_on_the_differentiation() -> None:
    doc = _assessed({"reported_grade": "G3", **INDICES_G2})
    cls = doc["classification"]
    # The report's G3 against the indices' G2: both stay possible, NEC with the G3 while the
    # differentiation is not given (000 §1).
    assert cls["grade"] is None
    assert set(cls["grade_possible"]) == {"G2", "G3", "NEC"}
    assert cls["conflicts"]
    assert cls["settle_with"]["grade"] == [DIFFERENTIATION, REPORTED]
    # SSA: "Well-differentiated NET, not NEC" (004 §3.3); platinum–etoposide: NEC (003
    # Medical therapy). Only the grade is open for them in this case.
    for option in ("ssa", "platinum_etoposide"):
        assert doc["options"][option]["status"] == "uncertain"
        assert doc["options"][option]["missing"] == [DIFFERENTIATION, REPORTED], option
    decides = {m["field"]: set(m["decides"]) for m in doc["missing_data"]}
    assert {"ssa", "platinum_etoposide"} <= decides[DIFFERENTIATION]


def test_either_differentiation_decides_the_nec_criteria() -> None:
    # "well": not NEC (000 §1: NEC are poorly differentiated), so SSA's "not NEC" is met
    # and platinum–etoposide's NEC criterion is not, which, relative, leaves it unknown
    # (004 §3.4 names etoposide and platinum for NETs with a high proliferative index);
    # "poor": NEC (000 §1; 003 Medical therapy: platinum-based "for high-grade tumors with
    # poor differentiation").
    well = _assessed({"reported_grade": "G3", "differentiation": "well", **INDICES_G2})
    assert _criterion(well, "ssa", "not_nec") == "met"
    assert _criterion(well, "platinum_etoposide", "nec") == "unknown"
    poor = _assessed({"reported_grade": "G3", "differentiation": "poor", **INDICES_G2})
    assert _criterion(poor, "ssa", "not_nec") == "not_met"
    assert _criterion(poor, "platinum_etoposide", "nec") == "met"


def test_a_given_differentiation_is_not_asked_for_again() -> None:
    # "well" leaves the report's G3 against the indices' G2: only the review settles it.
    doc = _assessed({"reported_grade": "G3", "differentiation": "well", **INDICES_G2})
    assert doc["classification"]["settle_with"]["grade"] == [REPORTED]


def test_a_reported_g1_against_g2_indices_does_not_wait_on_the_differentiation() -> None:
    # A reported G1 reads the same whatever the differentiation (000 §1 grades G1 and G2
    # by the indices alone); "well" leaves G1 or G2, and "poor" only adds NEC beside them
    # (poorly differentiated against G2 indices is a second contradiction): no value of
    # the differentiation narrows G1 or G2 to one grade, so it is not listed.
    grade_table = load_knowledge().derivations.grade
    derived = derive_grade(
        case_from_mapping(_case({"reported_grade": "G1", **INDICES_G2})).values, grade_table
    )
    assert derived.possible == frozenset({"G1", "G2"})
    assert derived.settle_with == (REPORTED,)
    for differentiation, grades in (("well", {"G1", "G2"}), ("poor", {"G1", "G2", "NEC"})):
        pathology = {"reported_grade": "G1", "differentiation": differentiation, **INDICES_G2}
        given = derive_grade(case_from_mapping(_case(pathology)).values, grade_table)
        assert given.possible == frozenset(grades), differentiation


def test_an_nec_subtype_stands_for_the_differentiation() -> None:
    # Small-cell NEC is poorly differentiated (000 §1: NEC "are categorized as small cell or
    # large cell"): the report's G3 reads as NEC and the differentiation is not asked for.
    doc = _assessed({"reported_grade": "G3", "nec_subtype": "small_cell", **INDICES_G2})
    assert DIFFERENTIATION not in doc["classification"]["settle_with"].get("grade", [])


NEC_ALONE = "The grade NEC rests on the report's word alone"


@pytest.mark.parametrize(
    ("pathology", "warned"),
    [
        # NEC "poorly differentiated neoplasms of high grade" (000 §1); before WHO 2010 a
        # well-differentiated malignant tumour was a "(neuro)endocrine carcinoma" (Rindi
        # 2022): the word alone is what the board is told to confirm
        ({"reported_grade": "NEC"}, True),
        ({"reported_grade": "NEC", "differentiation": "poor"}, False),
        ({"reported_grade": "NEC", "ki67_percent": 60}, False),
        ({"reported_grade": "NEC", "mitoses_per_2mm2_more_than": 20}, False),
        ({"reported_grade": "NEC", "nec_subtype": "small_cell"}, False),
        ({"reported_grade": "G3"}, False),
    ],
)
def test_an_nec_by_the_report_s_word_alone_is_for_review(
    pathology: dict[str, Any], warned: bool
) -> None:
    doc = assess_mapping({"case_id": "nec-word", "pathology": pathology}, with_evidence=False)
    assert any(NEC_ALONE in w for w in doc["warnings"]) is warned


LOW_KI67 = "The report says NEC, but the Ki-67"


@pytest.mark.parametrize(
    ("pathology", "warned"),
    [
        # NEC is high grade (000 §1): Ki-67 or mitoses > 20; with the Ki-67 at most 20 only
        # a mitotic count above 20 would make it one
        ({"reported_grade": "NEC", "ki67_percent": 5}, True),
        ({"reported_grade": "NEC", "ki67_percent": 20}, True),
        ({"reported_grade": "NEC", "ki67_percent_at_most": 10}, True),
        ({"reported_grade": "NEC", "ki67_percent": 20.1}, False),
        ({"reported_grade": "NEC", "ki67_percent_at_least": 5}, False),
        # a mitotic count decides: a low one beside NEC is the derivation's conflict instead
        ({"reported_grade": "NEC", "ki67_percent": 5, "mitoses_per_2mm2": 30}, False),
        ({"reported_grade": "G3", "ki67_percent": 5}, False),
    ],
)
def test_an_nec_beside_a_low_ki67_is_for_review(pathology: dict[str, Any], warned: bool) -> None:
    doc = assess_mapping({"case_id": "nec-ki67", "pathology": pathology}, with_evidence=False)
    assert any(LOW_KI67 in w for w in doc["warnings"]) is warned
