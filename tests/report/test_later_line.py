"""An option ineligible only because the disease has not reached its line (the targeted
drugs need progressive disease: RADIANT-3/4, SUN-1111, SANET, CABINET eligibility, 004
§3.4; PRRT comes after progression on an SSA, 002 §2.3, or first line under NETTER-2's
Ki-67 10–55 %) is not ruled out: the printed summary lists it apart, as not yet."""

from __future__ import annotations

import html

from nelm.report.board import board_view
from nelm.report.summary import render_summary_html
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

TARGETED = ("everolimus", "sunitinib", "surufatinib", "cabozantinib")


def test_the_progression_criteria_say_they_are_of_a_later_line() -> None:
    doc = assess_mapping(with_changes(BASE, {"course.status": "stable"}), with_evidence=False)
    for oid in TARGETED:
        (progressing,) = [
            c for c in doc["options"][oid]["criteria"] if c["id"].endswith(".progressing")
        ]
        assert progressing["later_line"] is True and progressing["result"] == "not_met"
    (setting,) = [c for c in doc["options"]["prrt"]["criteria"] if c["id"] == "prrt.setting"]
    assert setting["later_line"] is True
    # a contraindication is not one: the transplant's age limit
    (age,) = [
        c for c in doc["options"]["liver_transplant_milan"]["criteria"] if c["id"].endswith(".age")
    ]
    assert "later_line" not in age


def test_not_yet_only_when_every_failing_criterion_is_of_a_later_line() -> None:
    stable = board_view(
        assess_mapping(with_changes(BASE, {"course.status": "stable"}), with_evidence=False)
    )
    rows = {o.id: o for o in stable.options}
    assert rows["everolimus"].status == "ineligible" and rows["everolimus"].not_yet
    # a NEC fails cabozantinib's grade as well: ruled out, whatever the course
    nec = with_changes(
        BASE,
        {
            "course.status": "stable",
            "pathology.differentiation": "poor",
            "pathology.ki67_percent": 60,
        },
    )
    rows = {o.id: o for o in board_view(assess_mapping(nec, with_evidence=False)).options}
    assert rows["cabozantinib"].status == "ineligible" and not rows["cabozantinib"].not_yet


def test_the_summary_lists_them_apart_from_the_options_ruled_out() -> None:
    assessed = assess_mapping(with_changes(BASE, {"course.status": "stable"}), with_evidence=False)
    page = html.unescape(render_summary_html(assessed))
    ruled_out, rest = page.split("Ineligible on the data given", 1)[1].split("Not yet", 1)
    later = rest.split("Basis of the plan", 1)[0]
    assert "Everolimus" in later and "Everolimus" not in ruled_out
