"""An option ineligible only on criteria that treatment can change is not ruled out for
good: the transplant criteria sets ask the primary removed first (001 Table 2: Milan
"Primary tumor ... already removed with a curative resection"; ENETS "Primary tumor removed
prior to OLT (at least 6 months)"), which its resection changes; a future liver remnant
below 30 % (001 Isolated surgical resection) is what portal vein embolisation and staged
resection grow. The printed summary lists such options apart ("Not now"), so that
"ineligible" is not read as "never"."""

from __future__ import annotations

import html

from nelm.report.board import board_view
from nelm.report.summary import render_summary_html
from nelm.service import assess_mapping
from tests.engine.cases import IN_PLACE, eligible_case

TRANSPLANTS = ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos")


def test_the_criteria_treatment_can_change_say_so() -> None:
    doc = assess_mapping(eligible_case("liver_transplant_milan", IN_PLACE), with_evidence=False)
    (removed,) = [
        c
        for c in doc["options"]["liver_transplant_milan"]["criteria"]
        if c["id"].endswith(".primary_removed")
    ]
    assert removed["convertible"] is True and removed["result"] == "not_met"
    (age,) = [
        c for c in doc["options"]["liver_transplant_milan"]["criteria"] if c["id"].endswith(".age")
    ]
    assert "convertible" not in age


def test_not_now_only_when_every_failing_criterion_can_change() -> None:
    in_place = assess_mapping(
        eligible_case("liver_transplant_milan", IN_PLACE), with_evidence=False
    )
    rows = {o.id: o for o in board_view(in_place).options}
    assert rows["liver_transplant_milan"].status == "ineligible"
    assert rows["liver_transplant_milan"].not_now
    # Milan's age limit (< 55 years, 001 Table 2) is no treatment's to change
    older = assess_mapping(
        eligible_case("liver_transplant_milan", {**IN_PLACE, "patient.age_years": 60}),
        with_evidence=False,
    )
    rows = {o.id: o for o in board_view(older).options}
    assert rows["liver_transplant_milan"].status == "ineligible"
    assert not rows["liver_transplant_milan"].not_now


def test_the_summary_lists_them_apart_from_the_options_ruled_out() -> None:
    assessed = assess_mapping(
        eligible_case("liver_transplant_milan", IN_PLACE), with_evidence=False
    )
    page = html.unescape(render_summary_html(assessed))
    ruled_out, rest = page.split("Ineligible on the data given", 1)[1].split("Not now", 1)
    not_now = rest.split("Basis of the plan", 1)[0]
    assert "Milan criteria" in not_now and "Milan criteria" not in ruled_out
