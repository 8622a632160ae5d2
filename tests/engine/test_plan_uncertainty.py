"""The plan under uncertainty: conditional options, eligible before uncertain within an
intent, alternatives versus sequences, and the surgeons' judgement of resectability."""

from __future__ import annotations

from typing import Any

from nelm.service import assess_mapping
from tests.engine.cases import BASE, eligible_case, with_changes


def plan_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return assess_mapping(doc, with_evidence=False)["plan"]  # type: ignore[no-any-return]


def index_of(plan: list[dict[str, Any]], option: str) -> int:
    return next(i for i, s in enumerate(plan) if option in s["options"])


def rank_of(plan: list[dict[str, Any]], option: str) -> tuple[int, int]:
    """Where an option stands: its step, then its place among the step's alternatives."""
    step = index_of(plan, option)
    return step, plan[step]["options"].index(option)


def test_uncertain_option_is_conditional_on_its_open_criteria() -> None:
    """001 Isolated surgical resection: 'adequate future liver remnant (FLR) of at least 30%'."""
    plan = plan_of(with_changes(BASE, {"liver.future_liver_remnant_percent": None}))
    step = plan[index_of(plan, "liver_resection")]
    assert step["statuses"]["liver_resection"] == "uncertain"
    assert step["conditional"] is True
    assert any("30" in text for text in step["conditions"]["liver_resection"])
    # The surgeons' judgement, read before the FLR (case-v1 additions), would decide it too.
    assert "liver.future_liver_remnant_percent" in step["pending"]["liver_resection"]


def test_conditional_option_never_outranks_an_eligible_one_of_the_same_intent() -> None:
    """Simultaneous resection is uncertain (synchronous not stated, 001 Simultaneous primary
    and NELM resection) and liver resection eligible (004 §3.1): resection comes first,
    although the template discusses the simultaneous operation first."""
    doc = with_changes(
        BASE,
        {
            "primary.resected": False,
            "liver.synchronous": None,
            "primary.months_since_primary_resection": None,
            "primary.resection_margin": None,
        },
    )
    result = assess_mapping(doc, with_evidence=False)
    assert result["options"]["simultaneous_resection"]["status"] == "uncertain"
    assert result["options"]["liver_resection"]["status"] == "eligible"
    plan = result["plan"]
    assert rank_of(plan, "liver_resection") < rank_of(plan, "simultaneous_resection")
    for i, step in enumerate(plan):
        if not any(v == "eligible" for v in step["statuses"].values()):
            later = [s for s in plan[i + 1 :] if s["intent"] == step["intent"]]
            assert not any("eligible" in s["statuses"].values() for s in later)


def test_steps_say_alternatives_or_sequence() -> None:
    """003 Medical therapy: interferon alpha is added to a somatostatin analogue for
    refractory hormonal symptoms (a sequence); the liver-directed options are alternatives
    (001 Ablative techniques; 002 §3.2)."""
    plan = plan_of(eligible_case("interferon_alpha", {"course.progressed_on_ssa": True}))
    by_id = {s["intent"] + ":" + ",".join(s["options"]): s for s in plan}
    symptom = [s for s in plan if s["intent"] == "symptom_control"]
    assert symptom and symptom[0]["options_are"] == "sequence"
    liver = [s for s in by_id.values() if s["intent"] == "liver_control"]
    assert liver and liver[0]["options_are"] == "alternatives"


def test_surgeons_judge_conversion_needed_so_conversion_leads() -> None:
    """The board's 'resectable only after conversion' (surgical assessment) makes the
    downstaging step apply and lead (004 §3.1; 000 §3.2: TACE to convert borderline
    resectable disease), resection after it."""
    doc = with_changes(
        BASE,
        {
            "liver.surgical_assessment": "resectable_after_conversion",
            "liver.future_liver_remnant_percent": None,
        },
    )
    plan = plan_of(doc)
    assert plan[0]["intent"] == "downstaging"
    if any("liver_resection" in s["options"] for s in plan):
        step = plan[index_of(plan, "liver_resection")]
        assert "downstaging" in step["moved_behind"]


def test_after_conversion_the_resection_comes_before_palliative_liver_control() -> None:
    """Conversion aims at resection: 004 §3.1 ("neoadjuvant therapy combined with surgery
    may lead to a better prognosis"); 001 Staged resections: PVE or two-stage hepatectomy
    "for patients whose FLR was initially deemed insufficient". The palliative
    liver-directed step (001 Debulking surgery: "an alternative palliative approach")
    comes after it."""
    doc = with_changes(
        BASE,
        {
            "liver.surgical_assessment": "resectable_after_conversion",
            "liver.distribution": "bilobar_dominant",
            "liver.lesion_count": 7,
            "liver.future_liver_remnant_percent": 22,
        },
    )
    plan = plan_of(doc)
    resection = index_of(plan, "staged_resection")
    liver = [i for i, s in enumerate(plan) if s["intent"] == "liver_control"]
    assert liver and resection < liver[0]


def test_after_conversion_the_resection_comes_before_transplantation() -> None:
    """The transplant step's own reading (plan.yaml: "convert first, and transplant only if
    conversion fails"; 000 §2.2 and 001 keep transplantation for unresectable disease): both
    steps move behind the downstaging step and keep their order there. Published case
    nc17-01's shape: bilobar disease with too small a remnant, young enough for the
    transplant sets to stay open."""
    doc = with_changes(
        BASE,
        {
            "patient.age_years": 45,
            "primary.months_since_primary_resection": 24,
            "liver.surgical_assessment": "resectable_after_conversion",
            "liver.distribution": "bilobar_dominant",
            "liver.lesion_count": 12,
            "liver.future_liver_remnant_percent": 22,
            "liver.tumor_burden_percent": 30,
            "course.status": "stable",
            "course.months_stable": 12,
            # the heart not recorded: the resection stays open, so the transplant step
            # (unless a resection is eligible) is shown beside it
            "patient.carcinoid_heart_disease": None,
        },
    )
    plan = plan_of(doc)
    transplant = index_of(plan, "liver_transplant_milan")
    resection = index_of(plan, "staged_resection")
    assert plan[0]["intent"] == "downstaging"
    assert resection < transplant, [s["options"] for s in plan]
    assert plan[transplant]["moved_behind"] == plan[resection]["moved_behind"]


def test_surgeons_judge_unresectable_so_non_surgical_steps_lead() -> None:
    doc = with_changes(
        BASE,
        {"liver.surgical_assessment": "unresectable", "liver.future_liver_remnant_percent": None},
    )
    plan = plan_of(doc)
    assert plan[0]["intent"] != "curative" or not {
        "liver_resection",
        "staged_resection",
        "simultaneous_resection",
    } & set(plan[0]["options"])
