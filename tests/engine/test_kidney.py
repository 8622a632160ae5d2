"""The eGFR a creatinine gives by CKD-EPI 2021, read as a lower bound (nelm.engine.kidney).

Expected values are the equation of Inker LA et al. (N Engl J Med 2021;385:1737-1749),
written out here by hand: eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^-1.200 × 0.9938^age,
× 1.012 for women; κ 0.7 (women) or 0.9 (men), α -0.241 or -0.302.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.engine.kidney import (
    creatinine_estimate,
    creatinine_meeting,
    egfr_from_creatinine,
    estimate_set_aside,
)
from nelm.service import assess_mapping
from tests.engine.cases import eligible_case


def _woman(scr: float, age: float) -> float:
    return 142 * min(scr / 0.7, 1) ** -0.241 * max(scr / 0.7, 1) ** -1.2 * 0.9938**age * 1.012


def _man(scr: float, age: float) -> float:
    return 142 * min(scr / 0.9, 1) ** -0.302 * max(scr / 0.9, 1) ** -1.2 * 0.9938**age


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # a woman of 55 with creatinine 130 µmol/L (1.47 mg/dL): about 41.9
        ({"patient.age_years": 55, "patient.sex": "female"}, _woman(1.47, 55)),
        ({"patient.age_years": 40, "patient.sex": "male"}, _man(1.47, 40)),
        # the sex not given: the lower of the two (a woman's, at this creatinine)
        ({"patient.age_years": 55}, min(_woman(1.47, 55), _man(1.47, 55))),
        # the age not given: any adult age, the least at 100
        ({"patient.sex": "male"}, _man(1.47, 100)),
        # the age by bounds: the least at the oldest
        ({"patient.age_years_at_least": 60, "patient.age_years_at_most": 69}, _woman(1.47, 69)),
    ],
)
def test_the_estimate_is_the_least_the_equation_gives(
    values: dict[str, Any], expected: float
) -> None:
    estimate = creatinine_estimate({"labs.creatinine_mg_dl": 1.47, **values})
    assert estimate is not None
    assert estimate.lo == pytest.approx(expected, rel=1e-12)
    assert estimate.hi is None  # a lower bound only: never shows the kidneys failing


def test_a_woman_of_55_with_creatinine_1_47_is_shown_her_egfr() -> None:
    found = egfr_from_creatinine(
        {"labs.creatinine_mg_dl": 1.47, "patient.age_years": 55, "patient.sex": "female"}
    )
    assert found is not None and found.basis is not None
    # 142 × (1.47/0.7)^-1.2 × 0.9938^55 × 1.012 = 41.90, shown to one decimal rounded down
    assert "not given; creatinine 1.47 mg/dL gives 41.9 mL/min/1.73 m²" in found.basis
    assert "(55 years, female)" in found.basis


@pytest.mark.parametrize(
    "values",
    [
        {"labs.creatinine_mg_dl": 1.0, "patient.age_years": 15},  # an adults' equation
        {"labs.creatinine_mg_dl": 1.0, "patient.age_years_at_most": 17},
        # a lower bound of the creatinine bounds the eGFR from above only
        {"labs.creatinine_mg_dl_at_least": 1.0, "patient.age_years": 50},
        {"labs.creatinine_mg_dl": 1.0, "labs.egfr_ml_min": 40},  # the eGFR given decides
    ],
)
def test_nothing_is_estimated(values: dict[str, Any]) -> None:
    assert egfr_from_creatinine(values) is None


def test_beside_a_lower_bound_of_the_egfr_the_higher_holds() -> None:
    values = {
        "labs.creatinine_mg_dl": 1.0,
        "patient.age_years": 50,
        "patient.sex": "female",
        "labs.egfr_ml_min_more_than": 45,
    }
    found = egfr_from_creatinine(values)
    assert found is not None and found.lo == pytest.approx(_woman(1.0, 50))  # 68.6 > 45
    assert estimate_set_aside(values) is None


def test_an_estimate_above_the_upper_bound_given_is_set_aside() -> None:
    values = {
        "labs.creatinine_mg_dl": 1.0,
        "patient.age_years": 50,
        "patient.sex": "female",
        "labs.egfr_ml_min_less_than": 45,  # the equation gives 68.6
    }
    assert egfr_from_creatinine(values) is None
    aside = estimate_set_aside(values)
    assert aside is not None and aside.lo == pytest.approx(_woman(1.0, 50))


def test_the_creatinine_tried_for_a_limit_meets_it_at_any_adult_age() -> None:
    for limit in (30, 50, 60):
        scr = creatinine_meeting(limit)
        # the least eGFR is a woman's of 100 above 0.7 mg/dL, a man's below
        assert min(_woman(scr, 100), _man(scr, 100)) >= limit
        assert min(_woman(scr + 0.01, 100), _man(scr + 0.01, 100)) < limit


def test_prrt_reads_the_creatinine_through_the_equation() -> None:
    """NETTER-1 excluded a creatinine clearance < 50 mL/min; a woman of 55 with creatinine
    130 µmol/L has a CKD-EPI 2021 eGFR of 41.9: below 50, for a measured clearance to settle,
    where a creatinine ≤ 1.7 mg/dL alone used to meet the criterion."""
    changes = {
        "labs.egfr_ml_min": None,
        "labs.creatinine_mg_dl": {"value": 130, "unit": "µmol/L"},
        "patient.age_years": 55,
        "patient.sex": "female",
    }
    doc = assess_mapping(eligible_case("prrt", changes), with_evidence=False)
    prrt = doc["options"]["prrt"]
    (renal,) = [c for c in prrt["criteria"] if c["id"] == "prrt.renal"]
    assert renal["result"] == "unknown"
    assert prrt["status"] == "uncertain"
    assert "labs.egfr_ml_min" in prrt["missing"]
    assert "by CKD-EPI 2021 (55 years, female)" in renal["value"]


def test_an_egfr_given_decides_and_says_what_the_creatinine_would_give() -> None:
    changes = {"labs.egfr_ml_min": 45, "labs.creatinine_mg_dl": 0.8, "patient.age_years": 50}
    doc = assess_mapping(eligible_case("prrt", changes), with_evidence=False)
    (renal,) = [c for c in doc["options"]["prrt"]["criteria"] if c["id"] == "prrt.renal"]
    assert renal["result"] == "not_met"
    assert "override" in renal
    assert "the creatinine, which alone would give met" in renal["override"]


def test_a_creatinine_below_a_bound_gives_the_least_at_the_bound() -> None:
    # the eGFR falls as the creatinine rises: "≤ 1.0 mg/dL" gives a woman of 87 at least
    # 142 × (1.0/0.7)^-1.2 × 0.9938^87 × 1.012 = 54.5
    found = egfr_from_creatinine(
        {"labs.creatinine_mg_dl_at_most": 1.0, "patient.age_years": 87, "patient.sex": "female"}
    )
    assert found is not None and found.lo == pytest.approx(_woman(1.0, 87))
    assert found.basis is not None and "creatinine ≤ 1 mg/dL gives at least 54.5" in found.basis
    # a lower bound of the creatinine bounds the eGFR from above only: nothing to read
    assert egfr_from_creatinine({"labs.creatinine_mg_dl_at_least": 1.0}) is None


def test_an_egfr_bound_far_from_the_creatinine_is_a_contradiction() -> None:
    """The check of an eGFR against its creatinine (2.5 times beyond what CKD-EPI 2021 gives)
    reads a bound as well: a laboratory's "> 60" beside a creatinine of 2.0 mg/dL, which
    gives a woman of 87 an eGFR of 23.7 (60 > 2.5 × 23.7)."""
    case = {
        "case_id": "egfr-bound",
        "patient": {"age_years": 87, "sex": "female"},
        "labs": {"creatinine_mg_dl": 2.0, "egfr_ml_min_more_than": 60},
    }
    doc = assess_mapping(case, with_evidence=False)
    assert any("eGFR > 60 mL/min/1.73 m² does not fit creatinine 2" in w for w in doc["warnings"])
    case["labs"] = {"creatinine_mg_dl": 2.0, "egfr_ml_min_more_than": 45}  # 45 < 59.3: fits
    doc = assess_mapping(case, with_evidence=False)
    assert not any("does not fit creatinine" in w for w in doc["warnings"])
