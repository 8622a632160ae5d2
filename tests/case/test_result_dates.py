"""``measured_on``: the date of the result behind a value, and the 90-day rule for
laboratory values and ECOG (docs/fhir-mapping.md: "Laboratory values and ECOG older than 90
days before the assessment date are used with a note, and one warning on top")."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.case.document import load_document_text
from nelm.errors import InputRejected
from nelm.service import assess_mapping

BASE: dict[str, Any] = {
    "case_id": "dated",
    "patient": {"ecog": 1},
    "pathology": {"ki67_percent": 4},
    "labs": {"creatinine_mg_dl": 0.9, "platelets_per_ul": 210000},
}


def _case(**top: Any) -> dict[str, Any]:
    return {**BASE, **top}


def _old_results(as_of: str | None, dates: dict[str, str]) -> list[str]:
    """The warnings naming old results of the base case with these dates."""
    timeline = {"timeline": {"as_of": as_of}} if as_of else {}
    doc = assess_mapping(_case(measured_on=dates, **timeline))
    return [w for w in doc["warnings"] if w.startswith("Results more than 90 days")]


def _problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(document)
    return [p.message for p in caught.value.problems]


def test_results_older_than_90_days_before_the_case_date_are_named() -> None:
    # 2026-12-01 − 2026-08-01 = 122 days (named); − 2026-11-20 = 11 days and − 2026-09-02
    # = 90 days (not named: not more than 90).
    # Ki-67 is no result that ages by this rule (laboratory values and ECOG only).
    dates = {
        "labs.creatinine_mg_dl": "2026-08-01",
        "labs.platelets_per_ul": "2026-11-20",
        "patient.ecog": "2026-09-02",
        "pathology.ki67_percent": "2022-01-02",
    }
    assert _old_results("2026-12-01", dates) == [
        "Results more than 90 days before the case's date (2026-12-01) are used: "
        "Creatinine (2026-08-01). Repeat them before a decision turns on them."
    ]
    # the same ECOG a day later is 91 days old: named
    (later,) = _old_results("2026-12-02", {"patient.ecog": "2026-09-02"})
    assert "ECOG performance status (2026-09-02)" in later


def test_without_the_case_date_nothing_is_said() -> None:
    # the core reads no clock: with no timeline.as_of there is nothing to measure against
    assert _old_results(None, {"labs.creatinine_mg_dl": "2001-01-01"}) == []
    doc = assess_mapping(_case(measured_on={"labs.creatinine_mg_dl": "2001-01-01"}))
    assert doc["inputs"]["measured_on"] == {"labs.creatinine_mg_dl": "2001-01-01"}


def test_a_date_must_be_a_day_of_a_field_with_a_value_not_after_the_case_date() -> None:
    problems = _problems(
        _case(
            timeline={"as_of": "2026-12-01"},
            measured_on={
                "labs.sodium": "2026-11-01",
                "labs.albumin_g_dl": "2026-11-01",
                "labs.creatinine_mg_dl": "2026-02-30",
                "labs.platelets_per_ul": "2026-12-05",
                "patient.ecog": "1.12.2026",
            },
        )
    )
    assert problems == [
        "measured_on.labs.sodium: must name a field of the case, got an unknown field",
        "measured_on.labs.albumin_g_dl: must date a field with a value, got an unknown value",
        'measured_on.labs.creatinine_mg_dl: must be a date YYYY-MM-DD, got "2026-02-30"',
        "measured_on.labs.platelets_per_ul: must not be after the case's date "
        "(timeline.as_of 2026-12-01), got 2026-12-05",
        'measured_on.patient.ecog: must be a date YYYY-MM-DD, got "1.12.2026"',
    ]
    assert _problems(_case(measured_on=["labs.creatinine_mg_dl"]))[0].startswith(
        "measured_on: must be an object of field path → date"
    )


def test_a_yaml_date_dates_a_result_as_it_dates_the_case() -> None:
    # YAML 1.1 reads an unquoted 2026-08-01 as a date (https://yaml.org/type/timestamp.html);
    # timeline.as_of takes it, and measured_on must too: it was refused as "a date value".
    text = (
        "case_id: dated\n"
        "timeline: {as_of: 2026-12-01}\n"
        "labs: {creatinine_mg_dl: 0.9}\n"
        "measured_on: {labs.creatinine_mg_dl: 2026-08-01}\n"
    )
    doc = assess_mapping(load_document_text(text))
    assert doc["inputs"]["measured_on"] == {"labs.creatinine_mg_dl": "2026-08-01"}
    # 2026-12-01 − 2026-08-01 = 122 days: more than 90, named
    assert any("Creatinine (2026-08-01)" in w for w in doc["warnings"])
