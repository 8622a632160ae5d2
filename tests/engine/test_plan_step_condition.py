"""A plan step whose own condition the case leaves unknown says it, as the first "if" of
each of its options: transplantation and conversion are for a liver not resectable now
(000 §2.2 reserves transplantation for "unresectable liver metastases"; 001 Table 2's Milan
and ENETS lists do not name it), symptom control for a hormonal syndrome (003 Medical
therapy: somatostatin analogues and interferon for hormonal symptoms)."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

NOT_RESECTABLE = "Liver disease not resectable now"
HORMONAL = "A hormonal syndrome (a functional tumour)"

# Type I, the remnant not measured and no surgeons' judgement: whether the liver is
# resectable is unknown, so a resection waits and the transplant step stays open.
UNJUDGED = {"liver.future_liver_remnant_percent": None}


def _step_of(plan: list[dict[str, Any]], option: str) -> dict[str, Any]:
    return next(s for s in plan if option in s["options"])


def test_an_eligible_transplant_waits_on_the_liver_being_unresectable() -> None:
    doc = assess_mapping(with_changes(BASE, UNJUDGED), with_evidence=False)
    assert doc["options"]["liver_transplant_milan"]["status"] == "eligible"
    step = _step_of(doc["plan"], "liver_transplant_milan")
    assert step["conditional"] is True
    for option in step["options"]:
        assert step["conditions"][option][0].startswith(NOT_RESECTABLE)
        assert step["pending"][option][:2] == [
            "liver.surgical_assessment",
            "liver.future_liver_remnant_percent",
        ]
    # an eligible option's "if" is the step's condition alone
    (only,) = step["conditions"]["liver_transplant_milan"]
    assert only.startswith(NOT_RESECTABLE)


@pytest.mark.parametrize("judged", ["unresectable", "resectable_after_conversion"])
def test_no_step_condition_once_the_surgeons_have_judged(judged: str) -> None:
    case = with_changes(BASE, {**UNJUDGED, "liver.surgical_assessment": judged})
    plan = assess_mapping(case, with_evidence=False)["plan"]
    for step in plan:
        for texts in step.get("conditions", {}).values():
            assert not any(t.startswith(NOT_RESECTABLE) for t in texts)


def test_a_liver_judged_resectable_has_no_transplant_step() -> None:
    case = with_changes(BASE, {**UNJUDGED, "liver.surgical_assessment": "resectable"})
    plan = assess_mapping(case, with_evidence=False)["plan"]
    assert not any(o.startswith("liver_transplant") for s in plan for o in s["options"])


def test_symptom_control_waits_on_a_hormonal_syndrome_when_the_function_is_unknown() -> None:
    unknown = assess_mapping(
        with_changes(BASE, {"primary.functional_syndrome": None}), with_evidence=False
    )
    step = next(s for s in unknown["plan"] if s["intent"] == "symptom_control")
    for option in step["options"]:
        assert step["conditions"][option][0] == HORMONAL
        assert step["pending"][option][0] == "primary.functional_syndrome"
    stated = assess_mapping(
        with_changes(BASE, {"primary.functional_syndrome": "carcinoid"}), with_evidence=False
    )
    step = next(s for s in stated["plan"] if s["intent"] == "symptom_control")
    assert all(HORMONAL not in texts for texts in step.get("conditions", {}).values())
