"""A reported grade without a Ki-67 index bounds the index (000 §1).

000 §1: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index < 3. Grade 2 (G2)
tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20. ... The higher
index is used to classify grade if there is a discrepancy". So a G1 has a Ki-67 below 3 %
and a G2 one of at most 20 % (000 §4: "well-differentiated tumors with a Ki67 < 20
(G1/G2)"). A G2 may be G2 by its mitotic count alone, so G2 gives no lower bound.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from nelm.cohort.pipeline import process_chunk
from nelm.cohort.reference import reference_chunk
from nelm.service import assess_mapping
from tests.cohort.test_agreement import assert_same


def _case(pathology: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "case_id": "k",
        "patient": {"age_years": 50, "sex": "female"},
        "primary": {"site": "small_intestine"},
        "pathology": pathology,
        "imaging": {"sstr_positive": True},
        **more,
    }


def _criterion(doc: dict[str, Any], option: str, cid: str) -> dict[str, Any]:
    return next(c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.{cid}")


def test_a_reported_g1_meets_the_ki67_thresholds_above_3_percent() -> None:
    doc = assess_mapping(_case({"reported_grade": "G1"}), with_evidence=False)
    # PRRT: "Ki67 < 55%" (000 §4); G1 means Ki-67 < 3 %.
    prrt = _criterion(doc, "prrt", "ki67")
    assert prrt["result"] == "met"
    assert "reported grade G1 means Ki-67 < 3 %" in prrt["value"]
    # SSA: Ki-67 ≤ 10 % for antiproliferative use (004 §3.3): met, so SSTR-positive G1
    # disease is eligible without a Ki-67 index.
    assert _criterion(doc, "ssa", "indication")["result"] == "met"
    assert doc["options"]["ssa"]["status"] == "eligible"
    # ENETS transplant: Ki-67 ≤ 10 % (001 Table 2).
    assert _criterion(doc, "liver_transplant_enets", "ki67")["result"] == "met"
    assert "pathology.ki67_percent" not in doc["options"]["prrt"]["missing"]


def test_a_reported_g2_bounds_the_index_at_20_percent_only() -> None:
    doc = assess_mapping(_case({"reported_grade": "G2"}), with_evidence=False)
    assert _criterion(doc, "prrt", "ki67")["result"] == "met"  # ≤ 20 < 55 (000 §4)
    # ≤ 10 % is not decided by "≤ 20 %": the index is still wanted.
    assert _criterion(doc, "ssa", "indication")["result"] == "unknown"
    assert "pathology.ki67_percent" in doc["options"]["ssa"]["missing"]
    assert _criterion(doc, "liver_transplant_enets", "ki67")["result"] == "unknown"


def test_a_stated_bound_is_kept_beside_the_grade() -> None:
    doc = assess_mapping(
        _case({"reported_grade": "G2", "ki67_percent_at_least": 12}), with_evidence=False
    )
    # 12–20 %: above the SSA's 10 % (004 §3.3) and the ENETS transplant's 10 % (001 Table 2).
    assert _criterion(doc, "liver_transplant_enets", "ki67")["result"] == "not_met"
    value = _criterion(doc, "prrt", "ki67")["value"]
    assert "≥ 12 % as reported" in value and "G2 means Ki-67 ≤ 20 %" in value


def test_no_bound_where_the_grade_is_not_a_digestive_grade_or_is_contested() -> None:
    # A lung carcinoid is graded by mitoses and necrosis, not Ki-67 (WHO 2021 thoracic).
    carcinoid = assess_mapping(
        _case({"reported_grade": "typical_carcinoid"}, primary={"site": "lung"}),
        with_evidence=False,
    )
    assert _criterion(carcinoid, "prrt", "ki67")["result"] == "unknown"
    # "Poorly differentiated" beside a reported G1 is a conflict: nothing is bounded.
    poor = assess_mapping(
        _case({"reported_grade": "G1", "differentiation": "poor"}), with_evidence=False
    )
    assert _criterion(poor, "prrt", "ki67")["result"] == "unknown"
    # An index that contradicts the reported grade leaves the grade open: no bound.
    contested = assess_mapping(
        _case({"reported_grade": "G1", "ki67_percent_at_least": 5}), with_evidence=False
    )
    assert contested["classification"]["grade"] is None
    assert _criterion(contested, "ssa", "indication")["result"] == "unknown"


def test_the_index_itself_wins_over_the_grade() -> None:
    doc = assess_mapping(
        _case({"reported_grade": "G2", "ki67_percent": 15, "mitoses_per_2mm2": 3}),
        with_evidence=False,
    )
    assert _criterion(doc, "ssa", "indication")["value"].startswith("Ki-67 index 15%")


def test_the_cohort_engine_reads_the_grade_bound_alike() -> None:
    rows = [
        {"pathology.reported_grade": "G1"},
        {"pathology.reported_grade": "G2"},
        {"pathology.reported_grade": "G2", "pathology.ki67_percent_at_least": "12"},
        {"pathology.reported_grade": "G1", "pathology.ki67_percent_at_most": "10"},
        {"pathology.reported_grade": "G1", "pathology.differentiation": "poor"},
        {"pathology.reported_grade": "G1", "pathology.ki67_percent_at_least": "5"},
        {"pathology.reported_grade": "typical_carcinoid", "primary.site": "lung"},
        {"pathology.reported_grade": "G2", "pathology.ki67_percent": "15"},
    ]
    base = {"primary.site": "small_intestine", "imaging.sstr_positive": "true"}
    frame = pl.DataFrame(
        [{"case_id": str(i), **base, **row} for i, row in enumerate(rows)],
        schema={k: pl.String for k in ["case_id", *base, *{k for r in rows for k in r}]},
    )
    compiled = process_chunk(frame, 1)
    assert_same(compiled, reference_chunk(frame, 1))
    # SSTR-positive G1 disease: eligible for an SSA without its Ki-67 (004 §3.3).
    assert compiled.output.get_column("ssa.status").to_list()[:2] == ["eligible", "uncertain"]


def test_the_to_do_list_sees_that_the_index_decides_what_the_grade_leaves_open() -> None:
    # A reported G2 leaves "Ki-67 ≤ 10 %" (SSA, 004 §3.3) open; a pathology review giving the
    # index decides it either way, so the to-do list must say so (its what-if evaluations
    # must read the index they assign, not the range the grade implied).
    case = _case({"reported_grade": "G2", "differentiation": "well"})
    case["primary"]["functional_syndrome"] = "none"
    doc = assess_mapping(case, with_evidence=False)
    assert doc["options"]["ssa"]["missing"] == ["pathology.ki67_percent"]
    review = next(t for t in doc["investigations"] if t["id"] == "pathology_review")
    assert review["could_become"]["ssa"] == ["eligible", "ineligible"]
