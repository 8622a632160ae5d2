"""Sentences a tumour board reads on the published cases, as each source words them.

Each expectation names the source of its words: the case-v1 contract for portal drainage
(docs/contract/case-v1.md, primary: "rectum, lung, unknown primary and other do not, or are
not known to"; 001 Table 2, Milan: "pancreas and intermediate gut: from distal stomach to
sigmoid colon"), 003 for the heart ("absence of right cardiac dysfunction", of any cause),
the WHO 2019 grading for the mitotic count (per 2 mm²).
"""

from __future__ import annotations

from typing import Any

from nelm.report.board import board_view
from nelm.report.view import plan_steps
from nelm.service import assess_mapping


def _doc(case: dict[str, Any]) -> dict[str, Any]:
    return assess_mapping({"case_id": "wording", **case}, with_evidence=False)


def _criterion(doc: dict[str, Any], cid: str) -> dict[str, Any]:
    option = cid.split(".", 1)[0]
    return next(c for c in doc["options"][option]["criteria"] if c["id"] == cid)


def test_a_rectal_primary_fails_portal_drainage_with_its_reason() -> None:
    # case-v1: the rectum does not count as drained to the portal system; Milan (001 Table
    # 2) names the gut from the distal stomach to the sigmoid colon. The words say the
    # criterion's territory, not the anatomy (the upper rectum's veins reach the portal
    # vein through the inferior mesenteric vein).
    doc = _doc({"primary": {"site": "rectum"}})
    milan = _criterion(doc, "liver_transplant_milan.portal_drainage")
    assert milan["result"] == "not_met"
    assert milan["value"] == (
        "portal drainage no (rectum: outside the portal territory Milan names, "
        "the distal stomach to the sigmoid colon)"
    )
    explanation = doc["classification"]["explanations"]["portal_drainage"]
    assert explanation.startswith("Rectum: outside the portal territory Milan names, the distal")
    lung = _doc({"primary": {"site": "lung"}})["classification"]["explanations"]
    assert lung["portal_drainage"].startswith("Lung: not drained by the portal system (")


def test_an_unknown_primary_is_not_said_to_be_undrained() -> None:
    # case-v1: an unknown primary is "not known to" drain to the portal system.
    doc = _doc({"primary": {"site": "unknown_primary"}})
    value = _criterion(doc, "liver_transplant_milan.portal_drainage")["value"]
    assert value == (
        "portal drainage not established"
        " (unknown primary: not known to be drained by the portal system)"
    )


def test_a_pancreatic_primary_is_drained_with_its_reason() -> None:
    # case-v1: the pancreas drains to the portal system.
    doc = _doc({"primary": {"site": "pancreas"}})
    value = _criterion(doc, "liver_transplant_milan.portal_drainage")["value"]
    assert value == "portal drainage yes (pancreas: drained by the portal system)"


def test_the_stage_of_an_unknown_primary_does_not_read_not_known_site() -> None:
    # The pages write a bare "unknown" as "not known"; the diagnosis keeps its name.
    from nelm.report.view import not_known_words

    doc = _doc({"primary": {"site": "unknown_primary"}})
    shown = not_known_words(doc["classification"]["explanations"]["stage_enets"])
    assert "this is an unknown primary, its site not found" in shown
    assert "not known site" not in shown


def test_one_mitosis_is_singular() -> None:
    # WHO 2019 grading counts mitoses per 2 mm²; one is "1 mitosis".
    doc = _doc({"pathology": {"mitoses_per_2mm2": 1}})
    grade = doc["classification"]["explanations"]["grade"]
    assert "1 mitosis/2 mm² (< 2)" in grade
    assert "1 mitoses" not in grade


def test_the_heart_criterion_reads_for_a_non_carcinoid_syndrome() -> None:
    # 003 asks for "absence of right cardiac dysfunction"; carcinoid heart disease is one
    # cause, so an insulinoma's card does not read as if it had a carcinoid syndrome.
    doc = _doc({"primary": {"site": "pancreas", "functional_syndrome": "insulinoma"}})
    text = _criterion(doc, "liver_resection.no_right_heart_dysfunction")["text"]
    assert text == "No right cardiac dysfunction (such as carcinoid heart disease)"


def test_an_option_given_before_is_named_without_a_second_parenthesis() -> None:
    case = {
        "primary": {"site": "pancreas"},
        "course": {"prior_treatments": ["thermal_ablation"]},
    }
    doc = _doc(case)
    names = [
        i["name"] for s in plan_steps(doc) for i in s["items"] if i["id"] == "thermal_ablation"
    ]
    board = [n for s in board_view(doc).plan for o, n, _ in s.options if o == "thermal_ablation"]
    expected = "Thermal ablation (radiofrequency or microwave), given before"
    assert names == [expected]
    assert board == [expected]
