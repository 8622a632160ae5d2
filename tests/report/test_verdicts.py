"""A verdict's one-line tally names a relative criterion apart: its result is "unknown", but
no missing value would settle it (assessment-v1-additions.md, ``relative_contraindication``),
so it is "for the board to weigh", not "not known".

Source of the case: thermal ablation after a pancreaticoduodenectomy, 001 Ablative
techniques (RFA "usually" contraindicated with a bilio-enteric anastomosis: relative in the
knowledge base, ``thermal_ablation.no_prior_whipple``).
"""

from __future__ import annotations

from nelm.report.verdicts import criteria_tally, other_criteria
from nelm.service import assess_mapping
from tests.engine.cases import eligible_case


def _ablation_after_whipple() -> dict[str, object]:
    doc = assess_mapping(
        eligible_case("thermal_ablation", {"anatomy.prior_whipple": True}), with_evidence=False
    )
    option: dict[str, object] = doc["options"]["thermal_ablation"]
    return option


def test_a_relative_criterion_is_counted_for_the_board_not_as_not_known() -> None:
    option = _ablation_after_whipple()
    assert option["status"] == "uncertain"
    tally = criteria_tally(option)
    assert tally.endswith(", 1 for the board to weigh")
    assert "not known" not in tally


def test_a_ruled_out_option_names_its_relative_criteria_apart() -> None:
    option = _ablation_after_whipple()
    criteria = option["criteria"]
    assert isinstance(criteria, list)
    # rule the option out by another criterion: its relative one stays the board's
    first = next(c for c in criteria if c["result"] == "met")
    failed = [{**c, "result": "not_met"} if c is first else c for c in criteria]
    ruled_out = {**option, "criteria": failed}
    groups = dict(other_criteria(ruled_out))
    assert any("Whipple" in text for text in groups["for the board to weigh"])
    assert not any("Whipple" in text for text in groups.get("not known", []))
