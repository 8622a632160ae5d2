"""The "Decided by …; without it, … would meet (fail) it" note of a criterion: shown exactly when a
preferred statement decided the criterion against another known one."""

from __future__ import annotations

from typing import Any

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case


def _criterion(option: str, criterion: str, changes: dict[str, Any]) -> dict[str, Any]:
    doc = assess_mapping(eligible_case(option, changes))
    found = [c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.{criterion}"]
    assert len(found) == 1
    return found[0]


def test_settled_diffuse_disease_decides_ablation_over_two_small_lesions() -> None:
    # 002 §2.2: type 3 is "multifocal diffuse bilobular disease"; 002 §4: ablation is for
    # "limited or oligometastatic liver disease". Two lesions ≤ 3 cm alone would meet it.
    c = _criterion(
        "thermal_ablation",
        "size_number",
        {"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 2},
    )
    assert c["result"] == "not_met"
    assert "Decided by liver type;" in c["value"]
    assert "would meet it" in c["value"]


def test_a_guard_that_did_not_decide_adds_no_note() -> None:
    # 002 §4: six lesions are not "less than three lesions"; the type (II, not diffuse)
    # does not exclude ablation, so the lesion count decides and no override is shown.
    c = _criterion(
        "thermal_ablation",
        "size_number",
        {"liver.distribution": "bilobar_dominant", "liver.lesion_count": 6},
    )
    assert c["result"] == "not_met"
    assert "Decided by" not in c["value"]
    assert "override" not in c


def test_the_surgeons_judgement_over_the_anatomy_is_shown() -> None:
    # surgery.yaml, liver_resection.liver_type: the surgeons' stated judgement comes first;
    # type II liver disease alone would meet it (004 §3.1: type I and partial type II).
    c = _criterion(
        "liver_resection",
        "liver_type",
        {"liver.distribution": "bilobar_dominant", "liver.surgical_assessment": "unresectable"},
    )
    assert c["result"] == "not_met"
    assert (
        "Decided by Liver disease resectable (surgical assessment); without it, liver type "
        "would meet it" in c["value"]
    )
