"""nelm.engine.intervals: a number given only as a range or a bound (case-v1 bounded fields)."""

from __future__ import annotations

from nelm.engine.conditions import Interval
from nelm.engine.intervals import interval_facts, interval_of, interval_text


def test_an_exact_number_wins_and_no_bound_stays_unknown() -> None:
    values = {"pathology.ki67_percent": 5, "pathology.ki67_percent_at_least": 3}
    assert interval_of(values, "pathology.ki67_percent") is None
    assert interval_of({}, "pathology.ki67_percent") is None


def test_bounds_make_an_interval() -> None:
    values = {"liver.lesion_count_at_least": 11}
    assert interval_of(values, "liver.lesion_count") == Interval(11, None)
    assert interval_facts(values) == {"liver.lesion_count": Interval(11, None)}


def test_intervals_read_as_a_report_writes_them() -> None:
    assert interval_text(Interval(4, 5)) == "4–5"
    assert interval_text(Interval(11, None)) == "≥ 11"
