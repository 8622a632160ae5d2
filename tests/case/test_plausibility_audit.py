"""The audit of issue 9 point 2: each usual slip is named with its likely fix, on both sides
(a value the slip explains gets the hint; a plausible value, or one the slip does not
explain, does not), and the reference behind each rule is cited beside it."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case.document import case_from_mapping, require_confirmed
from nelm.case.plausibility import entered_slip_hint, implausible_values, slip_hint
from nelm.errors import InputRejected
from nelm.service import assess_mapping
from tests.case.test_plausibility import CONSISTENT
from tests.engine.cases import BASE, with_changes

# (field, value, expected hint or None, reference)
SLIPS: list[tuple[str, float, str | None, str]] = [
    # Karnofsky typed for ECOG: KPS 70–80 is ECOG 1 (Oken 1982; ECOG-ACRIN equivalents)
    ("patient.ecog", 80, "did you mean Karnofsky 80 = ECOG 1?", "Oken 1982"),
    ("patient.ecog", 100, "did you mean Karnofsky 100 = ECOG 0?", "Oken 1982"),
    ("patient.ecog", 65, None, "Oken 1982: 65 is no Karnofsky step"),
    ("patient.ecog", 2, None, "Oken 1982: ECOG 2 is an ECOG value"),
    # a year of birth typed for the age (adult series, 000–004)
    ("patient.age_years", 1956, "is 1956 a year of birth? Enter the age in years.", "seeds"),
    ("patient.age_years", 64, None, "seeds: 64 years is plausible"),
    # a calendar year typed for a duration in months
    (
        "primary.months_since_primary_resection",
        2015,
        "is 2015 a calendar year? Give the date in the timeline (timeline.primary_resection), "
        "or the months.",
        "case-v1: months",
    ),
    ("primary.months_since_primary_resection", 700, None, "700 is no calendar year"),
    ("primary.months_since_primary_resection", 120, None, "10 years in months is plausible"),
    (
        "course.months_stable",
        2019,
        "is 2019 a calendar year? Give the dated scans in the timeline (timeline.scans), "
        "or the months.",
        "case-v1: months",
    ),
    # a fraction for a percentage: FLR 0.3 = 30 % (001: FLR ≥ 30 %)
    ("liver.future_liver_remnant_percent", 0.3, "did you mean 0.3 as a fraction = 30 %?", "001"),
    ("liver.future_liver_remnant_percent", 35, None, "001: 35 % is a usual FLR"),
    ("patient.lvef_percent", 0.55, "did you mean 0.55 as a fraction = 55 %?", "ASE 2015"),
    # enzyme activity in µkat/L: 1 µkat/L = 60 U/L (Young 1987)
    ("labs.ldh_u_l", 3.5, "did you mean 3.5 µkat/L = 210 U/L?", "Young 1987"),
    ("labs.ast_u_l", 0.5, "did you mean 0.5 µkat/L = 30 U/L?", "Young 1987"),
    ("labs.ast_u_l", 30, None, "Merck: AST 10–40 U/L"),
    # eGFR in mL/s/1.73 m²: 1 mL/s = 60 mL/min (Young 1987)
    ("labs.egfr_ml_min", 1.5, "did you mean 1.5 mL/s/1.73 m² = 90 mL/min/1.73 m²?", "Young"),
    ("labs.egfr_ml_min", 45, None, "KDIGO G3a"),
    # sizes in mm: a bound has the range and slips of the number it bounds (RECIST 1.1: cm)
    ("liver.largest_lesion_cm_at_most", 30, "did you mean 30 mm = 3 cm?", "RECIST 1.1"),
    ("liver.largest_lesion_cm_at_least", 3, None, "RECIST 1.1: 3 cm"),
    ("primary.size_cm", 35, "did you mean 35 mm = 3.5 cm?", "RECIST 1.1"),
    # bilirubin and creatinine in µmol/L, albumin in g/L, cell counts in 10⁹/L (Young 1987)
    ("labs.bilirubin_mg_dl", 34, "did you mean 34 µmol/L = 1.99 mg/dL?", "Young 1987"),
    ("labs.albumin_g_dl", 35, "did you mean 35 g/L = 3.5 g/dL?", "Young 1987"),
    ("labs.wbc_per_ul", 6.5, "did you mean 6.5 × 10⁹/L = 6,500 /µL?", "Young 1987"),
]


@pytest.mark.parametrize(("path", "value", "hint", "reference"), SLIPS)
def test_each_slip_is_named_on_both_sides(
    path: str, value: float, hint: str | None, reference: str
) -> None:
    assert slip_hint(path, value) == hint, reference


def test_a_count_beyond_the_plausible_range_says_what_to_enter_instead() -> None:
    """Reports write 'more than 10' or 'innumerable' rather than a count of 150 (the real
    cases): the advice names the lower bound; 40 lesions are plausible."""
    (found,) = implausible_values({"liver.lesion_count": 150})
    assert found.fix.startswith("for 'more than N', 'multiple' or 'innumerable', give ")
    assert "liver.lesion_count_at_least" in found.message
    assert implausible_values({"liver.lesion_count": 40}) == []


def test_a_bound_needs_confirming_like_its_number() -> None:
    """'Up to 30' typed in the cm field of a bound: the bound is checked like the number."""
    case = case_from_mapping(with_changes(BASE, {"liver.largest_lesion_cm_at_most": 30}))
    with pytest.raises(InputRejected) as info:
        require_confirmed(case)
    assert info.value.problems[0].path == "liver.largest_lesion_cm_at_most"
    assert "did you mean 30 mm = 3 cm?" in info.value.problems[0].got


# -------------------------------------------------------------- entered in another unit


def test_an_entered_number_in_the_wrong_unit_names_the_unit_it_fits() -> None:
    """210,000 entered in 10⁹/L is 2.1 × 10¹¹/L: outside the hard range; in /µL it is the
    usual count (Merck 150,000–400,000 /µL). Rejected showing it as entered."""
    doc = with_changes(BASE, {"labs.platelets_per_ul": {"value": 210000, "unit": "10⁹/L"}})
    with pytest.raises(InputRejected) as info:
        case_from_mapping(doc)
    problem = info.value.problems[0]
    assert problem.path == "labs.platelets_per_ul"
    assert problem.got == "210,000 10⁹/L (210,000,000 /µL) (did you mean 210,000 /µL?)"
    assert entered_slip_hint("labs.platelets_per_ul", 210, "10⁹/L") is None  # plausible


def test_an_implausible_entered_value_is_warned_as_entered() -> None:
    """Platelets 2 × 10⁹/L = 2,000 /µL, below the plausible 5,000 /µL (Merck): confirmed, it
    is warned showing the value as entered with the converted value beside it."""
    doc: dict[str, Any] = with_changes(
        BASE, {"labs.platelets_per_ul": {"value": 2, "unit": "10⁹/L"}}
    )
    doc["confirmed"] = ["labs.platelets_per_ul"]
    result = assess_mapping(doc, with_evidence=False, require_confirmation=True)
    warning = result["input_warnings"][0]
    assert warning["entered"] == {"value": 2, "unit": "10⁹/L"}
    assert warning["shown"] == "2 10⁹/L (2,000 /µL)"
    assert result["warnings"][0].startswith("Platelets (labs.platelets_per_ul) 2 10⁹/L (2,000 /µL)")
    assert warning["fix"] == "check it, or confirm it as entered"


# -------------------------------------------------------------- contradictions


def _contradictions(changes: dict[str, Any]) -> list[dict[str, Any]]:
    # from a base whose burden its lesions can fill (see tests/case/test_plausibility.py)
    result = assess_mapping(with_changes(CONSISTENT, changes), with_evidence=False)
    return [w for w in result["input_warnings"] if w["kind"] == "contradiction"]


def test_a_duration_longer_than_the_patients_life_is_flagged() -> None:
    """60 years of age is 720 months: 750 months since resection cannot be (case-v1: months);
    700 can."""
    found = _contradictions(
        {"patient.age_years": 60, "primary.months_since_primary_resection": 750}
    )
    assert [w["fields"] for w in found] == [
        ["primary.months_since_primary_resection", "patient.age_years"]
    ]
    assert found[0]["fix"] == "check the unit (months, not days or years) or the age"
    assert (
        _contradictions({"patient.age_years": 60, "primary.months_since_primary_resection": 700})
        == []
    )


def test_a_duration_entered_in_years_is_shown_as_entered_in_the_contradiction() -> None:
    found = _contradictions(
        {
            "patient.age_years": 40,
            "course.months_stable": None,
            "course.months_stable_at_least": {"value": 45, "unit": "years"},
        }
    )
    assert "45 years (540 months) is longer than the patient has lived" in found[0]["message"]


def test_a_burden_below_what_the_largest_lesion_fills_names_the_fraction() -> None:
    """A 5 cm lesion is at least π·5³/24 ≈ 16 mL, 0.65 % of even a 2,500 mL liver (Urata 1995:
    standard liver volume ≈ 1,300 mL at 1.8 m²): a burden of 0.25 is most likely 25 %."""
    found = _contradictions({"liver.largest_lesion_cm": 5, "liver.tumor_burden_percent": 0.25})
    assert [w["fields"] for w in found] == [
        ["liver.tumor_burden_percent", "liver.largest_lesion_cm"]
    ]
    assert found[0]["fix"] == ("if the burden was entered as a fraction, 0.25 is 25 %: enter 25")
    # a 2 cm lesion fills at least 0.04 %: a burden of 0.25 % may be right
    assert _contradictions({"liver.largest_lesion_cm": 2, "liver.tumor_burden_percent": 0.25}) == []
    # and a burden of 10 % with two lesions of up to 5 cm is consistent (0.65–15.7 %)
    assert _contradictions({"liver.largest_lesion_cm": 5, "liver.tumor_burden_percent": 10}) == []


def test_a_ki67_fraction_that_would_match_the_reported_grade_is_named() -> None:
    """Reported G3 with Ki-67 0.25: as a fraction it is 25 %, G3 (> 20 %, 000 §1)."""
    no_mitoses = {"pathology.mitoses_per_2mm2": None, "pathology.differentiation": "well"}
    found = _contradictions(
        {"pathology.reported_grade": "G3", "pathology.ki67_percent": 0.25, **no_mitoses}
    )
    assert found[0]["fix"] == "if Ki-67 was entered as a fraction, 0.25 is 25 %: enter 25"
    assert "If Ki-67 was entered as a fraction" in found[0]["message"]
    # reported G2 with Ki-67 0.5 and 1 mitosis per 2 mm²: both indices G1 (000 §1), so the
    # report is contradicted; 50 % would be G3, not G2, so no fraction is suggested
    other = _contradictions(
        {
            "pathology.reported_grade": "G2",
            "pathology.ki67_percent": 0.5,
            "pathology.mitoses_per_2mm2": 1,
            "pathology.differentiation": "well",
        }
    )
    assert other[0]["fix"] == "check which is right"
    # with the mitotic count unknown, it may be the higher index that made the grade G2
    # (000 §1: the higher index decides): no contradiction
    assert (
        _contradictions(
            {"pathology.reported_grade": "G2", "pathology.ki67_percent": 0.5, **no_mitoses}
        )
        == []
    )


def test_a_burden_beyond_what_the_lesions_fill_is_flagged() -> None:
    """One 2 cm lesion is at most π·2³/6 ≈ 4.2 mL: beside at least 700 mL of liver (Urata 1995:
    706 × BSA, 1.0 m²) that is 0.6 %, not 60 %. Three lesions of up to 10 cm may be 60 %."""
    found = _contradictions(
        {
            "liver.lesion_count": 1,
            "liver.distribution": "unilobar",
            "liver.largest_lesion_cm": 2,
            "liver.tumor_burden_percent": 60,
        }
    )
    assert [w["fields"] for w in found] == [
        ["liver.tumor_burden_percent", "liver.lesion_count", "liver.largest_lesion_cm"]
    ]
    assert found[0]["fix"] == "check the burden, the lesion count and the largest size"
    assert (
        _contradictions(
            {
                "liver.lesion_count": 3,
                "liver.largest_lesion_cm": 10,
                "liver.tumor_burden_percent": 60,
            }
        )
        == []
    )


def test_a_burden_estimated_by_eye_is_not_flagged() -> None:
    """10 % with two lesions of up to 3.5 cm is more than they fill (at most 6 % beside
    700 mL of liver) but within an estimate by eye (less than three times that)."""
    changes = {
        "liver.lesion_count": 2,
        "liver.largest_lesion_cm": 3.5,
        "liver.tumor_burden_percent": 10,
    }
    assert _contradictions(changes) == []
