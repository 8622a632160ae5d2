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
