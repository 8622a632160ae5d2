"""What an uncertain criterion waits for: only the unknown fields that could still change
it (nelm.engine.conditions.open_leaves), never one a known fact has made irrelevant."""

from __future__ import annotations

from typing import Any

from nelm.engine.conditions import evaluate, open_leaves
from nelm.engine.logic import Truth
from nelm.knowledge.conditions import parse_condition
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes


def _open(raw: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    return [leaf.field for leaf in open_leaves(parse_condition(raw, "t"), facts)]


def test_a_settled_branch_closes_its_unknown_leaves() -> None:
    # Kleene logic: "false and unknown" is false whatever the unknown is, so in
    # "(a and b) or c" with a false, b decides nothing while c is unknown.
    raw = {
        "any": [
            {"all": [{"field": "x.a", "eq": True}, {"field": "x.b", "eq": True}]},
            {"field": "x.c", "eq": True},
        ]
    }
    condition = parse_condition(raw, "t")
    assert evaluate(condition, {"x.a": False}) is Truth.UNKNOWN
    assert _open(raw, {"x.a": False}) == ["x.c"]
    # a unknown too: both b and a could decide the first branch
    assert _open(raw, {}) == ["x.a", "x.b", "x.c"]
    # a true: b decides the first branch
    assert _open(raw, {"x.a": True}) == ["x.b", "x.c"]


def test_a_settled_part_closes_an_all_or_an_any() -> None:
    both = {"all": [{"field": "x.a", "eq": True}, {"field": "x.b", "eq": True}]}
    assert _open(both, {"x.a": False}) == []
    either = {"any": [{"field": "x.a", "eq": True}, {"field": "x.b", "eq": True}]}
    assert _open(either, {"x.a": True}) == []
    assert _open({"not": either}, {"x.a": False}) == ["x.b"]


def test_first_known_keeps_the_parts_before_the_one_it_took() -> None:
    # first_known takes its first part that is not unknown: an earlier part, once known,
    # takes over, so its leaves stay open even though the whole is settled today.
    raw = {"first_known": [{"field": "x.judged", "eq": True}, {"field": "x.measured", "lt": 30}]}
    assert _open(raw, {"x.measured": 20}) == ["x.judged"]
    assert _open(raw, {"x.judged": True}) == []
    assert _open(raw, {}) == ["x.judged", "x.measured"]


def _cytoreduction_missing(changes: dict[str, Any]) -> list[str]:
    doc = with_changes(
        BASE,
        {
            "course.months_stable": None,
            "course.status": "new_diagnosis",
            "course.prior_treatments": [],
            "course.progressed_on_ssa": None,
            "course.prior_systemic_lines": None,
            "primary.syndrome_refractory": None,
            "liver.burden_symptoms": True,
            **changes,
        },
    )
    option = assess_mapping(doc, with_evidence=False)["options"]["cytoreductive_surgery"]
    indication = next(c for c in option["criteria"] if c["id"].endswith(".indication"))
    assert indication["result"] == "unknown"
    return list(option["missing"])


def test_cytoreduction_of_a_non_functional_tumour_does_not_wait_on_a_refractory_syndrome() -> None:
    # 001 Debulking surgery and 003 Cytoreductive surgery: debulking for a hormonal syndrome
    # refractory to medical therapy, or for stable disease (≥ 6 months) "with symptomatology
    # attributed to tumor burden" (001). A tumour known to be non-functional, with such
    # symptoms, has no syndrome to be refractory: only the months of stable disease can
    # decide.
    assert _cytoreduction_missing({"primary.functional_syndrome": "none"}) == [
        "course.months_stable"
    ]
    # The symptoms not stated either: both decide.
    assert _cytoreduction_missing(
        {"primary.functional_syndrome": "none", "liver.burden_symptoms": None}
    ) == ["course.months_stable", "liver.burden_symptoms"]
    # A carcinoid syndrome under treatment: whether it is refractory decides as well.
    treated = {"primary.functional_syndrome": "carcinoid", "course.status": "stable"}
    assert set(_cytoreduction_missing(treated)) == {
        "primary.syndrome_refractory",
        "course.months_stable",
    }
    # At a new diagnosis nothing was given yet, so the syndrome is not refractory to medical
    # therapy (read from the course, docs/case-v1-additions.md): it does not wait on it.
    assert _cytoreduction_missing({"primary.functional_syndrome": "carcinoid"}) == [
        "course.months_stable"
    ]


def test_a_count_known_to_be_several_leaves_the_distribution_to_settle_the_type() -> None:
    # 004 §1 (ENETS): type I is a single lesion or lesions in one lobe; the count settles
    # the type only by being one. "At least 2 lesions" rules that out, so with the
    # distribution not given only the distribution can still settle it.
    doc = with_changes(
        BASE,
        {
            "liver.distribution": None,
            "liver.lesion_count": None,
            "liver.lesion_count_at_least": 2,
            "liver.bilobar": None,
        },
    )
    result = assess_mapping(doc, with_evidence=False)
    assert result["classification"]["settle_with"]["liver_type"] == ["liver.distribution"]
