"""SSTR imaging statements that contradict each other are set aside: the criteria read them
as unknown rather than take one side (nelm.engine.sstr).

The readings are those of the Krenning scale (Krenning EP et al., Ann N Y Acad Sci
1994;733:416-424): 0 no uptake, 1 below normal liver, 2 like the liver, 3–4 above it; uptake
at least that of the liver is SSTR-positive (NETTER-1's eligibility). PRRT needs "sufficient
SSTR expression on diagnostic SSTR scintigraphy" (001 PRRT) and the SSA SSTR-positive disease
(004 §3.3): with negative imaging beside a Krenning score of 3, the sources cannot say which.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.engine.consistency import contradictions
from nelm.engine.sstr import set_aside
from nelm.knowledge import load_knowledge
from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

S, K, U = "imaging.sstr_positive", "imaging.krenning_score", "imaging.sstr_uptake_vs_liver"


@pytest.mark.parametrize(
    ("values", "aside"),
    [
        ({S: False, K: 3}, [S, K]),  # negative, yet uptake above the liver
        ({S: True, K: 0}, [S, K]),  # positive, yet no uptake
        ({S: False, U: "like_liver"}, [S, U]),
        ({K: 3, U: "below_liver"}, [K, U]),
        ({K: 0, U: "above_liver"}, [K, U]),  # no uptake beside uptake above the liver
        ({S: False, K: 1, U: "above_liver"}, [S, K, U]),
    ],
)
def test_contradicting_statements_are_set_aside(values: dict[str, Any], aside: list[str]) -> None:
    assert [path for path, _, _ in set_aside(values)] == aside


@pytest.mark.parametrize(
    "values",
    [
        {S: True, K: 3, U: "above_liver"},
        {S: True, K: 1},  # low uptake is still uptake: positive imaging, weak
        {S: False, K: 1},  # below the liver: read negative by some, not a contradiction
        {S: False, K: 0, U: "below_liver"},
        {K: 2, U: "like_liver"},
        {S: True, U: "below_liver"},
    ],
)
def test_agreeing_statements_are_read_as_given(values: dict[str, Any]) -> None:
    assert set_aside(values) == ()


def test_the_set_aside_value_names_what_it_contradicts() -> None:
    assert set_aside({S: False, K: 3}) == (
        (S, False, "the Krenning score 3"),
        (K, 3, "SSTR imaging negative"),
    )


def test_no_uptake_beside_uptake_like_the_liver_is_a_contradiction() -> None:
    # Krenning 0 is no uptake; "like the liver" is Krenning 2.
    found = contradictions({K: 0, U: "like_liver"}, load_knowledge().derivations.grade)
    assert [c.fields for c in found] == [(K, U)]


def _option(doc: dict[str, Any], option: str) -> dict[str, Any]:
    return doc["options"][option]  # type: ignore[no-any-return]


def _criterion(doc: dict[str, Any], option: str, criterion: str) -> dict[str, Any]:
    (found,) = [c for c in _option(doc, option)["criteria"] if c["id"] == f"{option}.{criterion}"]
    return found  # type: ignore[no-any-return]


def test_negative_imaging_against_a_krenning_score_leaves_prrt_open() -> None:
    doc = assess_mapping(eligible_case("prrt", {S: False, K: 3}))
    prrt = _option(doc, "prrt")
    assert prrt["status"] == "uncertain"
    sstr = _criterion(doc, "prrt", "sstr")
    assert sstr["result"] == "unknown"
    assert "set aside: contradicts the Krenning score 3" in sstr["value"]
    assert _criterion(doc, "prrt", "uptake")["result"] == "unknown"
    assert {S, K} <= set(prrt["missing"])
    assert doc["classification"]["set_aside"] == [
        {"field": S, "value": False, "contradicts": "the Krenning score 3"},
        {"field": K, "value": 3, "contradicts": "SSTR imaging negative"},
    ]
    # the contradiction is still said first, with both fields
    assert any("Krenning score of 3" in w for w in doc["warnings"])


def test_the_same_case_without_the_score_rules_prrt_out() -> None:
    # 001 PRRT: sufficient SSTR expression is required; imaging given as negative, alone.
    doc = assess_mapping(eligible_case("prrt", {S: False, K: None}))
    assert _option(doc, "prrt")["status"] == "ineligible"
    assert doc["classification"]["set_aside"] == []


def test_immunohistochemistry_decides_the_ssa_when_the_imaging_is_set_aside() -> None:
    # 004 §3.3 / 003 Medical therapy: SSTR-positive on imaging, or on immunohistochemistry
    # when imaging is not reported; imaging set aside is imaging not read.
    doc = assess_mapping(
        eligible_case("ssa", {S: False, K: 3, "pathology.sstr_ihc_positive": True})
    )
    assert _criterion(doc, "ssa", "sstr")["result"] == "met"


def test_a_score_against_the_uptake_implies_nothing() -> None:
    # Krenning 3 (above the liver) beside uptake below the liver: neither reading is taken
    doc = assess_mapping(eligible_case("prrt", {S: None, K: 3, U: "below_liver"}))
    assert [i for i in doc["classification"]["implied"] if i["field"] == S] == []
    assert _option(doc, "prrt")["status"] == "uncertain"
    # ... where both say positive (Krenning 2, uptake above the liver), imaging is positive
    doc = assess_mapping(eligible_case("prrt", {S: None, K: 2, U: "above_liver"}))
    assert [i["value"] for i in doc["classification"]["implied"] if i["field"] == S] == [True]
