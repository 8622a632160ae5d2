"""Weibull approximations of published survival figures (nelm.evidence.survival)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.evidence.survival import (
    MAX_SHAPE_SPREAD,
    Anchor,
    FitRefused,
    RefusalCode,
    WeibullFit,
    anchors_from_outcomes,
    fit_outcomes,
    fit_record,
    fit_weibull,
)


def _fit(result: WeibullFit | FitRefused) -> WeibullFit:
    assert isinstance(result, WeibullFit), result
    return result


def _refused(result: WeibullFit | FitRefused) -> FitRefused:
    assert isinstance(result, FitRefused), result
    return result


# --- exactness for two anchors ---------------------------------------------------------


def test_two_anchors_sarmiento_2003_closed_form() -> None:
    """Sarmiento 2003, hepatectomy (seed 000, Table 1): median OS 81 months, 5-year OS 61%.

    Two-point closed form. With y = ln(−ln S) and x = ln t the Weibull is the line
    y = k·x − k·ln λ, so through (60, 0.61) and (81, 0.50):

        y1 = ln(−ln 0.61) = ln(0.494296) = −0.704620
        y2 = ln(−ln 0.50) = ln(0.693147) = −0.366513
        k  = (y2 − y1) / ln(81/60) = 0.338107 / 0.300105 = 1.12663
        λ  = 81 / (ln 2)^(1/k) = 81 / 0.693147^0.887601 = 81 × 1.38447 = 112.14 months

    (check through the other anchor: λ = 60 / 0.494296^(1/k) = 112.14).
    """
    fit = _fit(fit_outcomes({"median_os_months": 81.0, "os_5y_percent": 61.0}))
    assert fit.shape == pytest.approx(1.12663, abs=5e-5)
    assert fit.scale_months == pytest.approx(112.14, abs=0.01)
    # the same numbers from the closed form written out
    k = math.log(math.log(2) / -math.log(0.61)) / math.log(81 / 60)
    assert fit.shape == pytest.approx(k, rel=1e-12)
    assert fit.scale_months == pytest.approx(81 / math.log(2) ** (1 / k), rel=1e-12)
    assert fit.survival(81.0) == pytest.approx(0.5, abs=1e-12)
    assert fit.survival(60.0) == pytest.approx(0.61, abs=1e-12)
    assert fit.rmse_cloglog == pytest.approx(0.0, abs=1e-12)
    assert fit.max_months == 81.0
    assert [a.label for a in fit.anchors] == ["5-y OS 61%", "median OS 81 mo"]


def test_exponential_case_gives_shape_one() -> None:
    """S(12) = 0.8 and S(24) = 0.64 = 0.8² is an exponential curve: k = 1, λ = −12/ln 0.8."""
    fit = _fit(fit_weibull([Anchor(12, 0.8, "1-y OS 80%"), Anchor(24, 0.64, "2-y OS 64%")]))
    assert fit.shape == pytest.approx(1.0, rel=1e-12)
    assert fit.scale_months == pytest.approx(-12 / math.log(0.8), rel=1e-12)


def test_three_anchors_least_squares_reports_residual() -> None:
    """1-, 3- and 5-year OS 87%, 59%, 48% (Zener, seed 004 §3.2): no Weibull passes
    through all three; the fit is the least-squares line on the cloglog scale."""
    anchors = anchors_from_outcomes({"os_1y_percent": 87, "os_3y_percent": 59, "os_5y_percent": 48})
    fit = _fit(fit_weibull(anchors))
    x = np.log([12.0, 36.0, 60.0])
    y = np.log(-np.log([0.87, 0.59, 0.48]))
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.shape == pytest.approx(slope, rel=1e-10)
    assert fit.scale_months == pytest.approx(math.exp(-intercept / slope), rel=1e-10)
    residual = y - (slope * x + intercept)
    assert fit.rmse_cloglog == pytest.approx(math.sqrt(np.mean(residual**2)), rel=1e-10)
    assert fit.rmse_cloglog > 0.01


# --- anchors from outcomes -------------------------------------------------------------


def test_anchors_from_outcomes_os_and_pfs() -> None:
    outcomes = {
        "median_os_months": 46.0,
        "median_pfs_months": 33.0,
        "os_1y_percent": 95.2,
        "os_10y_percent": 20.0,
        "pfs_3y_percent": 40.0,
        "orr_percent": 29.0,
        "dfs_5y_percent": 50.0,
    }
    os_anchors = anchors_from_outcomes(outcomes, "os")
    assert [(a.months, a.label) for a in os_anchors] == [
        (12.0, "1-y OS 95.2%"),
        (46.0, "median OS 46 mo"),
        (120.0, "10-y OS 20%"),
    ]
    assert [a.survival for a in os_anchors] == pytest.approx([0.952, 0.5, 0.2], abs=1e-15)
    pfs_anchors = anchors_from_outcomes(outcomes, "pfs")
    assert [a.label for a in pfs_anchors] == ["median PFS 33 mo", "3-y PFS 40%"]
    with pytest.raises(ValueError, match="kind must be one of os, pfs"):
        anchors_from_outcomes(outcomes, "dfs")


def test_anchor_rejects_impossible_values() -> None:
    with pytest.raises(ValueError, match="positive number of months"):
        Anchor(0.0, 0.5, "median OS 0 mo")
    with pytest.raises(ValueError, match="fraction from 0 to 1"):
        Anchor(60.0, 1.2, "5-y OS 120%")
    with pytest.raises(ValueError, match="percentage from 0 to 100"):
        anchors_from_outcomes({"os_5y_percent": 120.0})


# --- refusals ----------------------------------------------------------------------------


def test_one_anchor_is_not_fitted() -> None:
    refused = _refused(fit_outcomes({"median_os_months": 81.0}))
    assert refused.code is RefusalCode.ONE_ANCHOR
    assert refused.reason == (
        "one anchor only (median OS 81 mo): the curve's shape is not "
        "identifiable from a single point, so none is assumed"
    )
    assert len(refused.anchors) == 1


def test_no_anchor_is_not_fitted() -> None:
    refused = _refused(fit_outcomes({"orr_percent": 30.0}))
    assert refused.code is RefusalCode.NO_ANCHOR
    assert refused.reason == "no median OS or landmark OS rate reported"
    not_reached = _refused(fit_outcomes({}, kind="pfs", not_reached=("median_pfs_months",)))
    assert not_reached.reason == "median PFS not reached and no landmark PFS rate reported"


def test_non_monotone_anchors_are_refused() -> None:
    """A 5-year OS of 40% with a median of 81 months: 50% at 81 months is above 40% at 60."""
    refused = _refused(fit_outcomes({"median_os_months": 81.0, "os_5y_percent": 40.0}))
    assert refused.code is RefusalCode.NON_MONOTONE
    assert refused.reason == (
        "anchors not monotone: median OS 81 mo at 81 months is higher than 5-y OS 40% at 60 months"
    )


def test_flat_anchors_give_no_positive_shape() -> None:
    refused = _refused(fit_outcomes({"os_3y_percent": 70.0, "os_5y_percent": 70.0}))
    assert refused.code is RefusalCode.NON_POSITIVE_SHAPE
    assert "k = 0 ≤ 0" in refused.reason


def test_contradictory_anchors_at_one_time() -> None:
    refused = _refused(
        fit_outcomes({"median_os_months": 60.0, "os_5y_percent": 55.0, "os_1y_percent": 90.0})
    )
    assert refused.code is RefusalCode.CONTRADICTORY
    assert refused.reason == "anchors at 60 months disagree (5-y OS 55% vs median OS 60 mo)"


def test_anchors_at_a_single_time() -> None:
    refused = _refused(fit_outcomes({"median_os_months": 60.0, "os_5y_percent": 50.0}))
    assert refused.code is RefusalCode.SINGLE_TIME


@pytest.mark.parametrize(
    "outcomes",
    [
        {"os_1y_percent": 100.0, "os_5y_percent": 80.0},
        {"os_1y_percent": 60.0, "os_5y_percent": 0.0},
    ],
)
def test_boundary_survival_is_refused(outcomes: dict[str, float]) -> None:
    refused = _refused(fit_outcomes(outcomes))
    assert refused.code is RefusalCode.BOUNDARY_SURVIVAL
    assert "cannot be placed on the complementary log-log scale" in refused.reason


def test_anchors_too_close_for_their_printed_precision_are_refused() -> None:
    """Ruutiainen 2007, TACE (seed 000, Table 2): median OS 44 months, 5-year OS 49 %.

    As printed, k = ln(y(0.49) − y(0.5)) / ln(60/44) with y(S) = ln(−ln S):
        y(0.50) = −0.366513, y(0.49) = −0.337783 → k = 0.028730 / 0.310155 = 0.0926,
    a curve that loses ~40 % of patients in its first month. Within the printed precision
    (44 ± 0.5 months, 49 ± 0.5 %):
        k_max = (y(0.485) − y(0.5)) / ln(60/44.5) = (−0.323508 + 0.366513) / 0.298855 = 0.144
        k_min = (y(0.495) − y(0.5)) / ln(60/43.5) = (−0.352117 + 0.366513) / 0.321584 = 0.0448
    a factor of 3.2 > MAX_SHAPE_SPREAD = 2: the published figures do not fix the shape.
    """
    refused = _refused(fit_outcomes({"median_os_months": 44, "os_5y_percent": 49}))
    assert refused.code is RefusalCode.IMPRECISE
    assert refused.reason == (
        "the anchors (median OS 44 mo, 5-y OS 49%) are too close to fix the shape at the "
        "precision they are published with: rounding to their last printed digit allows "
        "k from 0.045 to 0.14 (k = 0.093 as printed)"
    )
    # the same anchors given as exact numbers carry no rounding, and are fitted
    exact = _fit(fit_weibull([Anchor(44, 0.5, "m"), Anchor(60, 0.49, "5y")]))
    assert exact.shape == pytest.approx(0.0926, abs=1e-4)
    assert exact.shape_bounds is None


def test_shape_bounds_bracket_the_shape() -> None:
    """Sarmiento 2003 (seed 000, Table 1): 81 ± 0.5 months and 61 ± 0.5 %.

    k grows with the gap y(0.5) − y(S₅) and shrinks with ln(median/60), y(S) = ln(−ln S):
        k_max = (y(0.5) − y(0.615)) / ln(80.5/60) = (−0.366513 + 0.721273) / 0.293913 = 1.207
        k_min = (y(0.5) − y(0.605)) / ln(81.5/60) = (−0.366513 + 0.688106) / 0.306258 = 1.050
    around k = 1.127 as printed: a well-determined shape.
    """
    fit = _fit(fit_outcomes({"median_os_months": 81.0, "os_5y_percent": 61.0}))
    assert fit.shape_bounds is not None
    low, high = fit.shape_bounds
    assert low < fit.shape < high < MAX_SHAPE_SPREAD * low
    assert high == pytest.approx(1.207, abs=5e-4)
    assert low == pytest.approx(1.050, abs=5e-4)


def test_printed_precision_follows_the_printed_digits() -> None:
    anchors = anchors_from_outcomes(
        {"median_os_months": 33.8, "os_1y_percent": 92.69, "os_5y_percent": 61.0}
    )
    assert [(a.months_rounding, a.survival_rounding) for a in anchors] == [
        (0.0, pytest.approx(0.00005)),
        (pytest.approx(0.05), 0.0),
        (0.0, pytest.approx(0.005)),
    ]


def test_a_100_percent_anchor_is_set_aside_when_two_others_remain() -> None:
    fit = _fit(fit_outcomes({"os_1y_percent": 100.0, "os_3y_percent": 90.0, "os_5y_percent": 75.0}))
    assert [a.label for a in fit.anchors] == ["3-y OS 90%", "5-y OS 75%"]
    assert fit.notes == (
        "1-y OS 100% set aside: a survival of 100% cannot be placed on the complementary "
        "log-log scale",
    )
    # Frilling 2009 (seed 001, Table 1): 1-, 3- and 5-year OS all 100 %: nothing to fit
    refused = _refused(
        fit_outcomes({"os_1y_percent": 100, "os_3y_percent": 100, "os_5y_percent": 100})
    )
    assert refused.code is RefusalCode.BOUNDARY_SURVIVAL


def test_mean_not_median_is_never_a_median() -> None:
    """Osborne 2006 (seed 000, Table 1): "24 *" where * marks a mean survival."""
    refused = _refused(fit_outcomes({"median_os_months": 24.0}, flags=("mean_not_median",)))
    assert refused.code is RefusalCode.MEAN_NOT_MEDIAN
    assert refused.reason.startswith(
        "the 24 months in the source's median OS column is a mean, not a median"
    )
    # with two landmark rates the curve is fitted from them alone, and says so
    fit = _fit(
        fit_outcomes(
            {"median_os_months": 24.0, "os_1y_percent": 80.0, "os_5y_percent": 30.0},
            flags=("mean_not_median",),
        )
    )
    assert [a.label for a in fit.anchors] == ["1-y OS 80%", "5-y OS 30%"]
    assert len(fit.notes) == 1 and "is a mean" in fit.notes[0]


def test_median_not_reached_is_a_check_not_an_anchor() -> None:
    # 1- and 5-year OS 95% and 80%, median not reached by a 100-month follow-up: consistent.
    fit = _fit(
        fit_outcomes(
            {"os_1y_percent": 95.0, "os_5y_percent": 80.0},
            not_reached=("median_os_months",),
            follow_up_months=100.0,
        )
    )
    assert all(a.survival != 0.5 for a in fit.anchors)
    assert fit.max_months == 100.0
    assert fit.survival(100.0) > 0.5
    # Kress 2003 (seed 000, Table 2): median OS "NR" yet 5-year survival 48%.
    refused = _refused(
        fit_outcomes(
            {"os_1y_percent": 90.0, "os_5y_percent": 48.0}, not_reached=("median_os_months",)
        )
    )
    assert refused.code is RefusalCode.CONTRADICTS_NOT_REACHED
    # consistent anchors, but the curve falls below 50% by the end of follow-up
    refused = _refused(
        fit_outcomes(
            {"os_1y_percent": 90.0, "os_3y_percent": 60.0},
            not_reached=("median_os_months",),
            follow_up_months=120.0,
        )
    )
    assert refused.code is RefusalCode.CONTRADICTS_NOT_REACHED
    assert "by 120 months" in refused.reason


def test_not_reached_median_value_is_not_used() -> None:
    fit = _fit(
        fit_outcomes(
            {"median_os_months": 50.0, "os_1y_percent": 95.0, "os_3y_percent": 85.0},
            not_reached=("median_os_months",),
        )
    )
    assert [a.label for a in fit.anchors] == ["1-y OS 95%", "3-y OS 85%"]


@dataclass(frozen=True)
class _Record:
    outcomes: dict[str, float]
    not_reached: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    follow_up_months: float | None = None


def test_fit_record_reads_flags_and_follow_up_and_refuses_bad_values() -> None:
    fit = _fit(
        fit_record(
            _Record({"median_os_months": 81.0, "os_5y_percent": 61.0}, follow_up_months=96.0)
        )
    )
    assert fit.max_months == 96.0
    refused = _refused(fit_record(_Record({"median_os_months": -3.0, "os_5y_percent": 61.0})))
    assert refused.code is RefusalCode.INVALID_VALUE
    pfs = _refused(fit_record(_Record({"median_pfs_months": 33.0}), "pfs"))
    assert pfs.code is RefusalCode.ONE_ANCHOR


# --- drawing range ---------------------------------------------------------------------


def test_never_defined_beyond_the_last_anchor() -> None:
    fit = _fit(fit_outcomes({"median_os_months": 81.0, "os_5y_percent": 61.0}))
    t, s = fit.grid()
    assert t[0] == 0.0 and t[-1] == 81.0 and s[0] == 1.0
    with pytest.raises(ValueError, match="not extrapolated"):
        fit.survival(81.5)
    with pytest.raises(ValueError, match="not extrapolated"):
        fit.survival(np.array([10.0, 120.0]))
    with pytest.raises(ValueError):
        fit.survival(-1.0)


def test_follow_up_extends_the_range_but_a_shorter_one_does_not_shrink_it() -> None:
    outcomes = {"median_os_months": 81.0, "os_5y_percent": 61.0}
    assert _fit(fit_outcomes(outcomes, follow_up_months=120.0)).max_months == 120.0
    assert _fit(fit_outcomes(outcomes, follow_up_months=40.0)).max_months == 81.0
    with pytest.raises(ValueError, match="follow-up"):
        fit_weibull(anchors_from_outcomes(outcomes), follow_up_months=0.0)


# --- properties --------------------------------------------------------------------------

_times = st.floats(min_value=1.0, max_value=240.0, allow_nan=False)
_survivals = st.floats(min_value=0.02, max_value=0.98, allow_nan=False)


@st.composite
def _two_anchors(draw: st.DrawFn) -> tuple[Anchor, Anchor]:
    """Two anchors at distinct times, survival lower at the later one (distinct enough on
    the log scales for the slope to be well conditioned)."""
    t1 = draw(_times)
    t2 = draw(_times.filter(lambda t: abs(math.log(t / t1)) > 0.05))
    s1 = draw(_survivals)
    s2 = draw(_survivals.filter(lambda s: abs(math.log(math.log(s) / math.log(s1))) > 0.05))
    early, late = sorted((t1, t2))
    return Anchor(early, max(s1, s2), "a"), Anchor(late, min(s1, s2), "b")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_two_anchors())
def test_property_two_anchors_passed_through_exactly(anchors: tuple[Anchor, Anchor]) -> None:
    fit = _fit(fit_weibull(anchors))
    assert fit.shape > 0
    for anchor in anchors:
        assert fit.survival(anchor.months) == pytest.approx(anchor.survival, rel=1e-9, abs=1e-12)
    assert fit.rmse_cloglog < 1e-9


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_two_anchors(), st.one_of(st.none(), st.floats(min_value=1.0, max_value=400.0)))
def test_property_starts_at_one_and_decreases(
    anchors: tuple[Anchor, Anchor], follow_up: float | None
) -> None:
    fit = _fit(fit_weibull(anchors, follow_up))
    assert fit.survival(0.0) == 1.0
    # S(t) → 1 as t → 0: 1 − S shrinks along t = max·10^−j, bounded by (t/λ)^k → 0
    gaps = [1.0 - fit.survival(fit.max_months * 10.0**-j) for j in range(1, 9)]
    assert all(later <= earlier for earlier, later in pairwise(gaps))
    bound = (fit.max_months * 1e-8 / fit.scale_months) ** fit.shape
    assert gaps[-1] <= bound + 1e-15  # 1 − e^(−x) ≤ x, up to rounding in 1 − S
    t, s = fit.grid(400)
    assert t[-1] == fit.max_months == max(anchors[1].months, follow_up or 0.0)
    assert np.all(np.diff(s) <= 0.0)
    assert np.all((s >= 0.0) & (s <= 1.0))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(_two_anchors())
def test_property_swapped_anchors_are_refused(anchors: tuple[Anchor, Anchor]) -> None:
    a, b = anchors
    swapped = (Anchor(a.months, b.survival, "a"), Anchor(b.months, a.survival, "b"))
    assert _refused(fit_weibull(swapped)).code is RefusalCode.NON_MONOTONE
