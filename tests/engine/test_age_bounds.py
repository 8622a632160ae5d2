"""An age known only roughly ("in his fifties", a birth year): the transplant criteria on
age decide what the interval settles and show the interval they read.

Threshold: 001 Table 2 (Milan, UNOS) "Age <55 years", ENETS "Young patients (<55 years)",
as transplant.yaml cites it.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

OPTIONS = ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos")


def _age_criterion(option: str, lo: int | None, hi: int | None) -> dict[str, Any]:
    changes = {
        "patient.age_years": None,
        "patient.age_years_at_least": lo,
        "patient.age_years_at_most": hi,
    }
    doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
    (criterion,) = [c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.age"]
    return criterion


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize(
    ("lo", "hi", "result", "shown"),
    [
        (40, 49, "met", "40–49 years"),  # "in her forties": below 55 throughout
        (60, 69, "not_met", "60–69 years"),  # "in his sixties": 55 or over throughout
        (50, 59, "unknown", "50–59 years"),  # "in his fifties" straddles 55
        (None, 54, "met", "≤ 54 years"),
    ],
)
def test_the_age_criterion_reads_the_interval(
    option: str, lo: int | None, hi: int | None, result: str, shown: str
) -> None:
    criterion = _age_criterion(option, lo, hi)
    assert criterion["result"] == result
    assert shown in criterion["value"]


def test_an_unknown_age_criterion_asks_for_the_age() -> None:
    # unknown stays unknown: "in his fifties" does not make the patient eligible
    doc = assess_mapping(
        eligible_case(
            "liver_transplant_milan",
            {
                "patient.age_years": None,
                "patient.age_years_at_least": 50,
                "patient.age_years_at_most": 59,
            },
        ),
        with_evidence=False,
    )
    option = doc["options"]["liver_transplant_milan"]
    assert option["status"] != "eligible"
    assert "patient.age_years" in option["missing"]


def _case(patient: dict[str, Any], **sections: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "case_id": "age-bounds", "patient": patient, **sections}


def _child_warnings(patient: dict[str, Any]) -> list[str]:
    doc = assess_mapping(_case(patient), with_evidence=False)
    return [w for w in doc["warnings"] if "series of adults" in w]


@pytest.mark.parametrize(
    ("patient", "said"),
    [
        # the five source reviews report series of adults (the child warning's source); an
        # age wholly under 18 is a child's for certain
        ({"age_years": 12}, "A patient of 12 years: the criteria"),
        ({"age_years_at_most": 15}, "A patient of at most 15 years: the criteria"),
        ({"age_years_at_least": 12, "age_years_at_most": 15}, "A patient of 12–15 years: the"),
        # a stated youngest age under 18 and an oldest of 18 or more: possibly a child
        (
            {"age_years_at_least": 15, "age_years_at_most": 25},
            "A patient of 15–25 years, possibly under 18: the criteria",
        ),
        ({"age_years_at_least": 16}, "A patient of at least 16 years, possibly under 18: the"),
    ],
)
def test_a_child_is_named_when_the_age_bounds_say_so(patient: dict[str, Any], said: str) -> None:
    (warning,) = _child_warnings(patient)
    assert warning.startswith(said)


@pytest.mark.parametrize(
    "patient",
    [
        {"age_years": 18},
        {"age_years_at_least": 18, "age_years_at_most": 25},
        # "under 40" says nothing of childhood, as an unknown age says nothing
        {"age_years_at_most": 40},
        {},
    ],
)
def test_no_child_is_named_when_the_age_bounds_allow_only_adults(patient: dict[str, Any]) -> None:
    assert _child_warnings(patient) == []


def _lived(patient: dict[str, Any], months: float) -> list[dict[str, Any]]:
    doc = assess_mapping(
        _case(patient, primary={"resected": True, "months_since_primary_resection": months}),
        with_evidence=False,
    )
    return [
        w
        for w in doc["input_warnings"]
        if w.get("fields") == ["primary.months_since_primary_resection", "patient.age_years"]
    ]


def test_a_time_longer_than_the_oldest_age_allowed_is_named() -> None:
    # case-v1 units: the times are in months; 700 months (58 years 4 months) since the
    # primary's resection cannot fit a patient of at most 45 years (540 months)
    (found,) = _lived({"age_years_at_least": 40, "age_years_at_most": 45}, 700)
    assert "longer than the patient has lived (at most 45 years = 540 months)" in found["message"]
    (exact,) = _lived({"age_years": 45}, 700)
    assert "(45 years = 540 months)" in exact["message"]


@pytest.mark.parametrize(
    "patient",
    [
        {"age_years_at_least": 50, "age_years_at_most": 59},  # 700 months fits an age of 59
        {"age_years_at_least": 40},  # no oldest age: any time may fit
        {"age_years_at_most": 60},  # 720 months: 700 fits
    ],
)
def test_a_time_within_the_oldest_age_allowed_is_not_named(patient: dict[str, Any]) -> None:
    assert _lived(patient, 700) == []
