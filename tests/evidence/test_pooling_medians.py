"""``summarise_medians``: expected values worked out by hand in the comments."""

from __future__ import annotations

import pytest

from nelm.errors import InputRejected
from nelm.evidence.pooling import MEDIAN_LABEL, summarise_medians


def test_weighted_median_range_and_no_interval_for_four_studies() -> None:
    # Sorted by median: b 20 (n 50), a 30 (n 100), d 40 (n 25), c 60 (n 25); N = 200.
    # Cumulative n: 50, 150 → first reaches N/2 = 100 at a → weighted median 30.
    # k = 4: P(B ≤ 0) = 1/16 = 0.0625 > 0.025 for B ~ Bin(4, ½) → no 95 % sign-test CI.
    summary = summarise_medians(
        [("a", 100, 30.0), ("b", 50, 20.0), ("c", 25, 60.0), ("d", 25, 40.0)]
    )
    assert summary.k == 4
    assert summary.n_total == 200
    assert summary.weighted_median == 30.0
    assert (summary.minimum, summary.maximum) == (20.0, 60.0)
    assert summary.sign_test_ci == (None, None)
    assert summary.sign_test_coverage is None


def test_exactly_half_the_patients_takes_the_midpoint() -> None:
    # N = 20; cumulative n reaches exactly 10 = N/2 at 12 → midpoint of 12 and 18 = 15.
    assert summarise_medians([("a", 10, 12.0), ("b", 10, 18.0)]).weighted_median == 15.0


def test_six_studies_give_the_extreme_order_statistics() -> None:
    # Equal n = 10, N = 60: cumulative 10, 20, 30 = N/2 at 25 → (25 + 31) / 2 = 28.
    # k = 6: P(B ≤ 0) = 1/64 = 0.015625 ≤ 0.025 but P(B ≤ 1) = 7/64 > 0.025 → l = 1,
    # CI = [x(1), x(6)] = [14, 48], coverage 1 − 2/64 = 0.96875.
    medians = [31.0, 14.0, 48.0, 25.0, 36.0, 22.0]
    summary = summarise_medians([(f"s{i}", 10, m) for i, m in enumerate(medians)])
    assert summary.weighted_median == 28.0
    assert summary.sign_test_ci == (14.0, 48.0)
    assert summary.sign_test_coverage == 0.96875


def test_nine_studies_drop_one_order_statistic_at_each_end() -> None:
    # Medians 10 … 90 with n 10 … 90, N = 450, N/2 = 225: cumulative 10, 30, 60, 100,
    # 150, 210, 280 → first ≥ 225 at median 70.
    # k = 9: P(B ≤ 1) = (1 + 9)/512 = 0.01953 ≤ 0.025; P(B ≤ 2) = 46/512 > 0.025 → l = 2,
    # CI = [x(2), x(8)] = [20, 80], coverage 1 − 2·10/512 = 0.9609375.
    items = [(f"s{m}", m, float(m)) for m in (50, 10, 90, 30, 70, 20, 60, 80, 40)]
    summary = summarise_medians(items)
    assert summary.weighted_median == 70.0
    assert summary.sign_test_ci == (20.0, 80.0)
    assert summary.sign_test_coverage == 0.9609375
    assert (summary.minimum, summary.maximum) == (10.0, 90.0)


def test_the_summary_says_it_is_not_pooled() -> None:
    summary = summarise_medians([("a", 10, 12.0), ("b", 10, 18.0)])
    assert summary.label == MEDIAN_LABEL
    assert "not pooled" in summary.label
    as_dict = summary.as_dict()
    assert as_dict["pooled"] is False
    assert as_dict["studies"] == [
        {"id": "a", "n": 10, "median": 12.0},
        {"id": "b", "n": 10, "median": 18.0},
    ]


def test_one_study_is_rejected() -> None:
    with pytest.raises(InputRejected) as caught:
        summarise_medians([("a", 10, 12.0)])
    assert str(caught.value) == (
        "modality/outcome: at least two studies reporting the outcome, got 1"
    )


def test_invalid_n_and_median_are_named() -> None:
    with pytest.raises(InputRejected) as caught:
        summarise_medians([("a", 0, 12.0), ("b", 10, float("nan"))])
    assert [p.message for p in caught.value.problems] == [
        "a.n: a whole number of patients ≥ 1, got 0",
        "b.median: a finite number of months ≥ 0, got nan",
    ]
