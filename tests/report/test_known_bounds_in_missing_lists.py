"""Every number known only by its bounds, not only the age, is named in the lists of what is
still open with what is known of it (docs/case-v1-additions.md "Ranges and bounds": the
lists a reader acts on "say what is known beside it"), and a reported grade the indices
contradict is named with the grade stated, since the report did state one.

Thresholds: "If > 75% of the liver parenchyma is involved ... surgical treatment should be
avoided" (seeds/003, Cytoreductive surgery): "over 70 %" straddles 75 and leaves
cytoreduction open on the burden. SSA "Ki-67 ≤ 10%" (seeds/004 §3.3): Ki-67 "10-20 %"
straddles it. Milan "stable disease for at least 6 months" (seeds/001 Table 2): scans 4.7
months apart leave it open. WHO 2019 grading (seeds/000 §1): Ki-67 5 % and 1 mitosis per
2 mm² is G2, so a reported G3 beside them is a conflict (docs/case-v1-additions.md,
Derived facts).
"""

from __future__ import annotations

from typing import Any

from nelm.report.board import board_view
from nelm.report.text import render_text
from nelm.service import assess_mapping


def _flat(text: str) -> str:
    return " ".join(text.split())


def _burden_over_70() -> dict[str, Any]:
    return assess_mapping(
        {
            "case_id": "over-70",
            "patient": {"age_years": 59},
            "primary": {
                "site": "small_intestine",
                "resected": False,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"reported_grade": "G2"},
            "liver": {"tumor_burden_percent_at_least": 70, "surgical_assessment": "unresectable"},
            "course": {"status": "stable"},
        },
        with_evidence=False,
    )


def test_a_burden_given_as_over_70_percent_is_named_with_its_bound() -> None:
    doc = _burden_over_70()
    # the assessment JSON keeps the field itself: the exact burden would decide
    assert "liver.tumor_burden_percent" in doc["options"]["cytoreductive_surgery"]["missing"]
    (cyto,) = [o for o in board_view(doc).options if o.id == "cytoreductive_surgery"]
    assert "Hepatic tumour burden (known: ≥ 70 %)" in cyto.missing
    assert "Hepatic tumour burden" not in cyto.missing
    assert "Hepatic tumour burden (known: ≥ 70 %)" in _flat(render_text(doc, width=110))


def test_a_ki67_range_is_named_with_the_range() -> None:
    doc = assess_mapping(
        {
            "case_id": "ki67-range",
            "primary": {"site": "small_intestine", "functional_syndrome": "none"},
            "pathology": {
                "ki67_percent_at_least": 10,
                "ki67_percent_at_most": 20,
                "mitoses_per_2mm2": 3,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True},
        },
        with_evidence=False,
    )
    assert doc["options"]["ssa"]["missing"] == ["pathology.ki67_percent"]
    (ssa,) = [o for o in board_view(doc).options if o.id == "ssa"]
    assert list(ssa.missing) == ["Ki-67 index (known: 10–20 %)"]


def test_months_of_stable_disease_from_the_timeline_are_named_with_their_bound() -> None:
    doc = assess_mapping(
        {
            "case_id": "stable-dated",
            "patient": {"age_years": 45},
            "course": {},
            "timeline": {
                "as_of": "2026-11-01",
                "scans": [
                    {"date": "2026-06-02", "finding": "stable"},
                    {"date": "2026-10-25", "finding": "stable"},
                ],
            },
        },
        with_evidence=False,
    )
    assert "course.months_stable" in doc["options"]["liver_transplant_milan"]["missing"]
    (milan,) = [o for o in board_view(doc).options if o.id == "liver_transplant_milan"]
    assert "Months of stable disease (known: ≥ 4.7 months)" in milan.missing


def test_a_contested_reported_grade_is_named_with_the_grade_stated() -> None:
    doc = assess_mapping(
        {
            "case_id": "contested",
            "primary": {"site": "rectum", "functional_syndrome": "none"},
            "pathology": {
                "reported_grade": "G3",
                "ki67_percent": 5,
                "mitoses_per_2mm2": 1,
                "differentiation": "well",
            },
            "course": {"status": "progressing"},
        },
        with_evidence=False,
    )
    assert doc["classification"]["conflicts"]
    assert "pathology.reported_grade" in doc["options"]["everolimus"]["missing"]
    (eve,) = [o for o in board_view(doc).options if o.id == "everolimus"]
    wanted = "Grade as the pathology report states it (stated: G3, against the indices)"
    assert wanted in eve.missing


def test_a_number_not_given_at_all_stays_simply_missing() -> None:
    doc = _burden_over_70()
    (cyto,) = [o for o in board_view(doc).options if o.id == "cytoreductive_surgery"]
    assert "Fit for major surgery" in cyto.missing
    assert not any("Fit for major surgery (" in m for m in cyto.missing)
