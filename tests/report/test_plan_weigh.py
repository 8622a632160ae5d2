"""A relative criterion the case fails is the board's to weigh: the plan says so, and does
not read it as an "if" that a value still to come could settle. 001 Ablative techniques:
RFA is "usually contraindicated" after a Whipple procedure, a relative contraindication in
the knowledge base; with a Whipple recorded, thermal ablation stays uncertain on it alone."""

from __future__ import annotations

from nelm.report.html import render_html
from nelm.report.text import render_text
from nelm.report.view import plan_steps
from nelm.service import assess_mapping

CASE = {
    "case_id": "whipple-small",
    "patient": {"fit_for_major_surgery": False},
    "primary": {"site": "pancreas", "resected": True},
    "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
    "liver": {"lesion_count": 1, "largest_lesion_cm": 2},
    "extrahepatic": {"present": False},
    "anatomy": {"prior_whipple": True},
}


def test_a_relative_criterion_the_case_fails_is_weighed_not_awaited() -> None:
    doc = assess_mapping(CASE, with_evidence=False)
    ablation = doc["options"]["thermal_ablation"]
    assert ablation["status"] == "uncertain"
    (whipple,) = [j for j in ablation["judgements"] if "Whipple" in j]
    item = next(i for s in plan_steps(doc) for i in s["items"] if i["id"] == "thermal_ablation")
    assert whipple in item["weigh"]
    assert whipple not in item["conditions"]
    text = render_text(doc, width=200)
    assert "for the board to weigh: No prior Whipple procedure" in text
    assert "if No prior Whipple procedure" not in text
    assert "for the board to weigh: No prior Whipple procedure" in render_html(doc)
