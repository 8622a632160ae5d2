"""A case dated after the day it is assessed on is warned of first (``nelm.case.future_dates``).

The scenario a board coordinator typed (assessed on 2026-12-05): the primary resected on
2026-09-01 and the case's date typed a year late, 2027-11-20. By the timeline's rule
(docs/case-v1-additions.md: months are calendar days / (365.25 / 12)) that counts 14.6
months since resection where 3 have passed, and the ENETS transplant criterion of a
primary resected at least 6 months before (001 Table 2) would read as met.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

TODAY = dt.date(2026, 12, 5)


def _document(as_of: str, **extra: Any) -> dict[str, Any]:
    doc = with_changes(BASE, {"primary.months_since_primary_resection": None})
    doc["timeline"] = {"as_of": as_of, "primary_resection": "2026-09-01"}
    return doc | extra


def test_a_case_dated_a_year_ahead_is_warned_of_first() -> None:
    out = assess_mapping(_document("2027-11-20"), with_evidence=False, today=TODAY)
    first = out["input_warnings"][0]
    assert first["kind"] == "future_date"
    assert first["fields"] == ["timeline.as_of"]
    assert out["warnings"][0] == first["message"]
    assert "2027-11-20, after today (2026-12-05)" in first["message"]
    assert first["message"].endswith("Check the year.")


def test_a_case_dated_today_or_before_is_not() -> None:
    for as_of in ("2026-12-05", "2026-11-20"):
        out = assess_mapping(_document(as_of), with_evidence=False, today=TODAY)
        assert all(w["kind"] != "future_date" for w in out["input_warnings"])


def test_a_result_dated_ahead_is_named_by_its_field() -> None:
    # no case date: a result's date is checked alone (a date after as_of is refused)
    doc = with_changes(BASE, {"labs.platelets_per_ul": 210000})
    doc["measured_on"] = {"labs.platelets_per_ul": "2027-01-02"}
    out = assess_mapping(doc, with_evidence=False, today=TODAY)
    first = out["input_warnings"][0]
    assert first["fields"] == ["measured_on.labs.platelets_per_ul"]
    assert "Platelets" in first["message"] and "2027-01-02" in first["message"]


def test_without_a_date_to_compare_nothing_is_said() -> None:
    # the core reads no clock: an adapter that gives no date gets no such warning
    out = assess_mapping(_document("2027-11-20"), with_evidence=False)
    assert all(w["kind"] != "future_date" for w in out["input_warnings"])
