"""Where a number lies against strict and inclusive bounds (nelm.case.bound_order).

The WHO 2019/2022 bands are written with both kinds: G2 is Ki-67 3–20 %, G3 is "> 20 %"
(000 §1; 003 Table 1). So 20 lies inside "at most 20" and outside "more than 20"; a G2
range "at least 3, at most 20" and a G3 "more than 20" leave no number in common.
"""

from __future__ import annotations

import pytest

from nelm.case.bound_order import apart, outside


@pytest.mark.parametrize(
    ("number", "side", "bound", "strict", "expected"),
    [
        (20.0, "lower", 20.0, True, True),  # 20 is not "> 20" (the G3 band)
        (20.0, "lower", 20.0, False, False),  # 20 is "≥ 20"
        (20.5, "lower", 20.0, True, False),
        (19.9, "lower", 20.0, False, True),
        (3.0, "upper", 3.0, True, True),  # 3 is not "< 3" (the G1 band)
        (3.0, "upper", 3.0, False, False),  # 3 is "≤ 3"
        (2.9, "upper", 3.0, True, False),
        (20.1, "upper", 20.0, False, True),  # 20.1 is past G2's "≤ 20"
    ],
)
def test_a_number_against_one_bound(
    number: float, side: str, bound: float, strict: bool, expected: bool
) -> None:
    assert outside(number, side, bound, strict) is expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ((20.0, True), (20.0, False), True),  # "> 20" and "≤ 20": G3 against G2, nothing shared
        ((20.0, False), (20.0, True), True),  # "≥ 20" and "< 20"
        ((20.0, True), (20.0, True), True),
        ((20.0, False), (20.0, False), False),  # "≥ 20" and "≤ 20": exactly 20
        ((3.0, False), (20.0, False), False),  # the G2 band itself
        ((30.0, False), (20.0, False), True),  # a lower bound above the upper one
    ],
)
def test_two_bounds_leave_a_range_or_none(
    low: tuple[float, bool], high: tuple[float, bool], expected: bool
) -> None:
    assert apart(low, high) is expected
