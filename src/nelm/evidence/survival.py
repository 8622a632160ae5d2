"""Approximate survival curves from published summary figures.

A study arm in the literature is usually summarised by a median survival (months) and a
few landmark rates (1-, 3-, 5-, 10-year survival, %). This module turns those anchor
points into a smooth approximate curve, a Weibull survival function

    S(t) = exp(-(t / λ)^k),      k > 0 (shape), λ > 0 (scale, months),

fitted by least squares on the complementary log-log scale, where the model is a line:

    log(-log S(t)) = k·log t − k·log λ.

With two anchors the line passes through both points exactly (closed form); with more it
is the ordinary least-squares line, and the root-mean-square residual on that scale is
reported. With one anchor the shape is not identifiable and nothing is fitted: the
function says so instead of assuming a shape.

The result is a literature approximation, not a Kaplan–Meier estimate and not
patient-level data. Its drawing range ends at the arm's last reported time point (the
largest landmark, the median, or the median follow-up when given): the curve is never
evaluated beyond it. See ``docs/survival-approximations.md``.

Pure: no I/O, no clock, no global state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise, product
from typing import Final, Protocol, overload

import numpy as np
import numpy.typing as npt

__all__ = [
    "KINDS",
    "MAX_SHAPE_SPREAD",
    "Anchor",
    "FitRefused",
    "RefusalCode",
    "SurvivalSource",
    "WeibullFit",
    "anchors_from_outcomes",
    "fit_outcomes",
    "fit_record",
    "fit_weibull",
    "is_median_anchor",
]

FloatArray = npt.NDArray[np.float64]

KINDS: Final = ("os", "pfs")
"""The survival outcomes a curve can be fitted to: overall and progression-free."""

_KIND_LABEL: Final = {"os": "OS", "pfs": "PFS"}

MEAN_NOT_MEDIAN_FLAG: Final = "mean_not_median"
"""Record flag: the source's "median" column holds a mean; it is never used as a median."""

# A landmark outcome name: ``os_5y_percent``, ``pfs_3y_percent``, …
_LANDMARK = re.compile(r"^(?P<kind>os|pfs)_(?P<years>[1-9][0-9]?)y_percent$")

MAX_SHAPE_SPREAD: Final = 2.0
"""Refuse when rounding the anchors to their printed precision changes k by more than this
factor: the published figures then do not fix the shape (e.g. median OS 44 months and
5-year OS 49 %: 50 % and 49 % are too close for the shape to mean anything)."""

# Sensitivity to rounding is computed over 2^m corners; more figures than this are rare.
_MAX_ROUNDED_FIGURES: Final = 14

# Slack when checking an evaluation time against the drawing range (floating-point grids).
_RANGE_SLACK: Final = 1e-9


def _fmt(value: float) -> str:
    """A number as a clinician writes it: ``81``, ``95.2``, ``0.5``."""
    return f"{value:g}"


def _half_unit(value: float) -> float:
    """Half the last printed unit of ``value``: 81 → 0.5, 95.2 → 0.05, 67.54 → 0.005."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 0.0
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return 0.5 * 10.0**-decimals


@dataclass(frozen=True, slots=True)
class Anchor:
    """One published point of a survival curve: survival ``survival`` (0–1) at ``months``.

    A median is the anchor (median, 0.5); a 5-year rate of 61 % is the anchor (60, 0.61).
    ``label`` is how the source states it, e.g. ``"median OS 81 mo"``, ``"5-y OS 61%"``.

    ``months_rounding`` and ``survival_rounding`` are half the last printed unit of the
    published figure (a median printed "81" is 81 ± 0.5 months; a rate printed "61" is
    0.61 ± 0.005): the precision the source gives. 0 means exact.
    """

    months: float
    survival: float
    label: str
    months_rounding: float = 0.0
    survival_rounding: float = 0.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.months) and self.months > 0):
            raise ValueError(
                f"{self.label}: time must be a positive number of months, got {self.months!r}"
            )
        if not (math.isfinite(self.survival) and 0.0 <= self.survival <= 1.0):
            raise ValueError(
                f"{self.label}: survival must be a fraction from 0 to 1, got {self.survival!r}"
            )
        if not (self.months_rounding >= 0.0 and self.survival_rounding >= 0.0):
            raise ValueError(f"{self.label}: rounding must be ≥ 0")


class RefusalCode(StrEnum):
    """Why no curve was fitted (machine-readable; the sentence is in ``FitRefused.reason``)."""

    NO_ANCHOR = "no_anchor"
    """The arm reports neither a median nor a landmark rate of this outcome."""
    ONE_ANCHOR = "one_anchor"
    """A single point: any shape passes through it, so none is chosen."""
    SINGLE_TIME = "single_time"
    """All anchors lie at one time point: the shape is not identifiable."""
    BOUNDARY_SURVIVAL = "boundary_survival"
    """A survival of 0 % or 100 % has no place on the complementary log-log scale."""
    CONTRADICTORY = "contradictory"
    """Two anchors at the same time with different survival."""
    NON_MONOTONE = "non_monotone"
    """A later anchor has higher survival than an earlier one."""
    NON_POSITIVE_SHAPE = "non_positive_shape"
    """The fitted shape k is ≤ 0 (or not finite): not a survival curve."""
    CONTRADICTS_NOT_REACHED = "contradicts_not_reached"
    """The median is reported as not reached, but the anchors or the curve fall to 50 %."""
    MEAN_NOT_MEDIAN = "mean_not_median"
    """The source reports a mean where a median is expected, and too few anchors remain."""
    IMPRECISE = "imprecise"
    """The anchors are so close that rounding them changes k by more than MAX_SHAPE_SPREAD."""
    INVALID_VALUE = "invalid_value"
    """A value of the record is out of range (a percentage above 100, a negative median)."""
    REVIEW = "review_summary"
    """A review's or meta-analysis' summary across studies: not one study arm."""
    SET_ASIDE = "set_aside"
    """A flag of the record keeps it out of every statistic (not a NELM cohort, a simulation
    study, a shifted row, a repeat resection, OS figures that are probably DFS)."""
    SAME_ARM = "same_arm"
    """The same study arm from another source is drawn."""
    SAME_COHORT = "same_cohort"
    """The same cohort, published again, is drawn (flag cohort_overlap)."""
    LONE_SUBGROUP = "lone_subgroup"
    """A subgroup of its study selected by a prognostic factor whose other part is set
    aside (Kaemmerer 2021, 000 Table 4): alone it would stand for the whole study, as in
    the statistics (``selection``)."""
    COMBINATION = "combination_therapy"
    """The modality was given together with another treatment (flag combination_therapy):
    not the modality's survival, as in the statistics."""
    SUBGROUP = "subgroup_outcome"
    """The figures describe a subgroup of the arm (often its favourable part, e.g. the
    well-differentiated tumours of Zener 2019, seed 004 §3.2): drawn, the curve would pass
    for the whole arm's survival."""
    HIGH_GRADE = "high_grade"
    """A high-grade population (``nec``, ``nen_g3``), which the statistics pool only when
    asked for (``selection.HIGH_GRADE_POPULATIONS``: 001 Figure 2 is the algorithm for
    well-differentiated G1/G2 NELM; 000 §4 reports the G3 PRRT series separately); drawn
    only when asked for, and then marked as high grade."""


@dataclass(frozen=True, slots=True)
class FitRefused:
    """No curve: ``reason`` says why in words, ``code`` in a fixed vocabulary.

    ``anchors`` are the points that were available (possibly none).
    """

    code: RefusalCode
    reason: str
    anchors: tuple[Anchor, ...] = ()


@dataclass(frozen=True, slots=True)
class WeibullFit:
    """A Weibull survival curve S(t) = exp(-(t/λ)^k) through published anchor points.

    ``shape`` is k, ``scale_months`` is λ. ``max_months`` ends the drawing range: the curve
    is defined on [0, max_months] only, and ``survival`` refuses times beyond it.
    ``rmse_cloglog`` is the root-mean-square residual of log(-log S) at the anchors (0 for
    two anchors, up to rounding). ``notes`` records anything set aside while fitting.
    ``shape_bounds`` is the range of k when the published figures are moved within their
    printed precision (None when the anchors carry no rounding information).
    """

    shape: float
    scale_months: float
    anchors: tuple[Anchor, ...]
    max_months: float
    rmse_cloglog: float
    notes: tuple[str, ...] = field(default=())
    shape_bounds: tuple[float, float] | None = None

    @overload
    def survival(self, months: float) -> float: ...

    @overload
    def survival(self, months: FloatArray) -> FloatArray: ...

    def survival(self, months: float | FloatArray) -> float | FloatArray:
        """S(t) at ``months`` (a number or an array), for 0 ≤ t ≤ ``max_months``.

        Raises ``ValueError`` for a time outside the drawing range: the curve says nothing
        beyond the last reported time point.
        """
        t = np.asarray(months, dtype=np.float64)
        if t.size and (
            not np.all(np.isfinite(t))
            or np.min(t) < 0.0
            or np.max(t) > self.max_months * (1.0 + _RANGE_SLACK)
        ):
            raise ValueError(
                f"the curve is defined from 0 to {_fmt(self.max_months)} months only "
                "(the last reported time point); it is not extrapolated"
            )
        with np.errstate(over="ignore", under="ignore"):
            s = np.exp(-np.power(t / self.scale_months, self.shape))
        if np.ndim(months) == 0 and not isinstance(months, np.ndarray):
            return float(s)
        return s

    def grid(self, points: int = 241) -> tuple[FloatArray, FloatArray]:
        """``points`` evenly spaced times from 0 to ``max_months`` and S at each."""
        if points < 2:
            raise ValueError("a grid needs at least two points")
        t = np.linspace(0.0, self.max_months, points)
        return t, self.survival(t)

    def fitted_at_anchors(self) -> tuple[float, ...]:
        """The curve's survival at each anchor's time, in the order of ``anchors``."""
        return tuple(self.survival(a.months) for a in self.anchors)

    def median_months(self) -> float:
        """Where the curve reaches 50 %: λ·(log 2)^(1/k)."""
        return float(self.scale_months * math.log(2.0) ** (1.0 / self.shape))

    def misses_median(self, anchor: Anchor) -> bool:
        """Whether the curve reaches 50 % further from the published median ``anchor``
        than half its last printed unit."""
        return abs(self.median_months() - anchor.months) > anchor.months_rounding + 1e-9

    def misses(self) -> tuple[str, ...]:
        """The anchors the curve does not pass through within their printed precision,
        each with where the curve is instead: a median whose 50 % time lies further from
        it than half its last printed unit, a rate further than half a printed unit (a
        least-squares curve through three or more anchors need not meet each)."""
        found: list[str] = []
        for anchor, value in zip(self.anchors, self.fitted_at_anchors(), strict=True):
            if is_median_anchor(anchor):
                at_half = self.median_months()
                if self.misses_median(anchor):
                    found.append(f"{anchor.label}: the curve reaches 50% at {at_half:.1f} mo")
            elif abs(value - anchor.survival) > anchor.survival_rounding + 1e-9:
                found.append(f"{anchor.label}: the curve gives {100 * value:.1f}%")
        return tuple(found)


def is_median_anchor(anchor: Anchor) -> bool:
    """A published median (50 % at its time), not a landmark rate."""
    return anchor.survival == 0.5 and anchor.label.startswith("median")


def anchors_from_outcomes(outcomes: Mapping[str, float], kind: str = "os") -> tuple[Anchor, ...]:
    """The anchor points of one study arm's outcomes, sorted by time.

    ``kind="os"`` uses ``median_os_months`` and the landmark rates ``os_<N>y_percent``
    (``os_1y_percent``, ``os_3y_percent``, ``os_5y_percent``, ``os_10y_percent``, …);
    ``kind="pfs"`` uses ``median_pfs_months`` and ``pfs_<N>y_percent`` when present.
    A median becomes (median, 0.5); an N-year rate of p % becomes (12·N, p/100).
    Raises ``ValueError`` for an unknown kind or a value out of range (a malformed record).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    name = _KIND_LABEL[kind]
    anchors: list[Anchor] = []
    median = outcomes.get(f"median_{kind}_months")
    if median is not None:
        anchors.append(
            Anchor(
                float(median),
                0.5,
                f"median {name} {_fmt(float(median))} mo",
                months_rounding=_half_unit(float(median)),
            )
        )
    for outcome, value in outcomes.items():
        match = _LANDMARK.match(outcome)
        if match is None or match["kind"] != kind:
            continue
        years = int(match["years"])
        percent = float(value)
        if not (math.isfinite(percent) and 0.0 <= percent <= 100.0):
            raise ValueError(f"{outcome}: a percentage from 0 to 100, got {value!r}")
        anchors.append(
            Anchor(
                12.0 * years,
                percent / 100.0,
                f"{years}-y {name} {_fmt(percent)}%",
                survival_rounding=_half_unit(percent) / 100.0,
            )
        )
    return tuple(sorted(anchors, key=lambda a: (a.months, -a.survival, a.label)))


def _describe(anchors: Sequence[Anchor]) -> str:
    return ", ".join(a.label for a in anchors)


def _check_order(found: Sequence[Anchor]) -> FitRefused | None:
    """Refuse anchors (sorted by time) that contradict each other or rise over time."""
    for earlier, later in pairwise(found):
        if earlier.months == later.months and earlier.survival != later.survival:
            return FitRefused(
                RefusalCode.CONTRADICTORY,
                f"anchors at {_fmt(earlier.months)} months disagree "
                f"({earlier.label} vs {later.label})",
                tuple(found),
            )
        if later.months > earlier.months and later.survival > earlier.survival:
            return FitRefused(
                RefusalCode.NON_MONOTONE,
                f"anchors not monotone: {later.label} at {_fmt(later.months)} months is "
                f"higher than {earlier.label} at {_fmt(earlier.months)} months",
                tuple(found),
            )
    return None


def _slopes(months: FloatArray, survival: FloatArray) -> FloatArray:
    """Least-squares slope of log(−log S) on log t, row by row."""
    x = np.log(months)
    y = np.log(-np.log(survival))
    dx = x - x.mean(axis=-1, keepdims=True)
    dy = y - y.mean(axis=-1, keepdims=True)
    slopes: FloatArray = np.sum(dx * dy, axis=-1) / np.sum(dx * dx, axis=-1)
    return slopes


def _shape_bounds(anchors: Sequence[Anchor]) -> tuple[float, float] | None:
    """The range of k over the corners of the anchors' rounding box (None if all exact).

    Each published figure is known to half its last printed unit (``Anchor.*_rounding``);
    the shape is refitted with every combination of the figures pushed to either end.
    """
    uncertain = [(i, 0, a.months_rounding) for i, a in enumerate(anchors) if a.months_rounding]
    uncertain += [(i, 1, a.survival_rounding) for i, a in enumerate(anchors) if a.survival_rounding]
    if not uncertain or len(uncertain) > _MAX_ROUNDED_FIGURES:
        return None
    signs = np.array(list(product((-1.0, 1.0), repeat=len(uncertain))), dtype=np.float64)
    months = np.tile(np.array([a.months for a in anchors], dtype=np.float64), (len(signs), 1))
    survival = np.tile(np.array([a.survival for a in anchors], dtype=np.float64), (len(signs), 1))
    for column, (index, which, half) in enumerate(uncertain):
        target = months if which == 0 else survival
        target[:, index] += signs[:, column] * half
    months = np.maximum(months, 1e-9)
    survival = np.clip(survival, 1e-12, 1.0 - 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = _slopes(months, survival)
    if not np.all(np.isfinite(slopes)):
        return (-math.inf, math.inf)
    return float(np.min(slopes)), float(np.max(slopes))


def fit_weibull(
    anchors: Sequence[Anchor],
    follow_up_months: float | None = None,
    *,
    median_not_reached: bool = False,
    notes: Sequence[str] = (),
) -> WeibullFit | FitRefused:
    """Fit S(t) = exp(-(t/λ)^k) to ``anchors``, or say why not.

    Least squares of log(-log S) on log t (exact for two anchors at distinct times). The
    drawing range is [0, max(anchor times, ``follow_up_months``)].

    ``median_not_reached``: the source reports that the median was not reached, i.e.
    S > 0.5 over the whole observed period. It is a check, never an anchor: an anchor at or
    below 50 %, or a curve at or below 50 % at the end of the range, refuses the fit.

    An anchor at 0 % or 100 % has no place on the log(−log) scale: it is set aside (and
    named in ``notes``) when two other anchors remain, else the fit is refused.

    Returns a ``WeibullFit``, or a ``FitRefused`` carrying the reason when there are fewer
    than two usable anchors, non-monotone or contradictory anchors, a shape k ≤ 0, a shape
    that the published precision of the anchors does not fix (see ``MAX_SHAPE_SPREAD``), or
    a contradiction with a median not reached.
    """
    ordered = tuple(sorted(anchors, key=lambda a: (a.months, -a.survival, a.label)))
    if follow_up_months is not None and not (
        math.isfinite(follow_up_months) and follow_up_months > 0
    ):
        raise ValueError(f"follow-up must be a positive number of months, got {follow_up_months!r}")
    if not ordered:
        return FitRefused(RefusalCode.NO_ANCHOR, "no median or landmark survival reported")
    if len(ordered) == 1:
        return FitRefused(
            RefusalCode.ONE_ANCHOR,
            f"one anchor only ({ordered[0].label}): the curve's shape is not identifiable "
            "from a single point, so none is assumed",
            ordered,
        )
    refused = _check_order(ordered)
    if refused is not None:
        return refused
    if median_not_reached:
        low = [a for a in ordered if a.survival <= 0.5]
        if low:
            return FitRefused(
                RefusalCode.CONTRADICTS_NOT_REACHED,
                f"the median is reported as not reached, yet {low[0].label} is at or below 50%",
                ordered,
            )

    usable = tuple(a for a in ordered if 0.0 < a.survival < 1.0)
    boundary = tuple(a for a in ordered if a not in usable)
    if len(usable) < 2:
        return FitRefused(
            RefusalCode.BOUNDARY_SURVIVAL,
            f"{_describe(boundary)}: a survival of 0% or 100% cannot be placed on the "
            "complementary log-log scale, and fewer than two other anchors remain",
            ordered,
        )
    notes = [
        *notes,
        *(
            f"{a.label} set aside: a survival of {_fmt(100 * a.survival)}% cannot be placed "
            "on the complementary log-log scale"
            for a in boundary
        ),
    ]
    if len({a.months for a in usable}) < 2:
        return FitRefused(
            RefusalCode.SINGLE_TIME,
            f"all usable anchors lie at {_fmt(usable[0].months)} months "
            f"({_describe(usable)}): the shape is not identifiable",
            ordered,
        )

    months = np.array([a.months for a in usable], dtype=np.float64)
    survival = np.array([a.survival for a in usable], dtype=np.float64)
    shape = float(_slopes(months, survival))
    if not (math.isfinite(shape) and shape > 0.0):
        return FitRefused(
            RefusalCode.NON_POSITIVE_SHAPE,
            f"the anchors ({_describe(usable)}) give a shape k = {shape:.3g} ≤ 0: "
            "survival would not decrease over time",
            ordered,
        )
    bounds = _shape_bounds(usable)
    if bounds is not None and (bounds[0] <= 0.0 or bounds[1] > MAX_SHAPE_SPREAD * bounds[0]):
        low_k, high_k = bounds
        spread = (
            f"k from {low_k:.2g} to {high_k:.2g}"
            if math.isfinite(low_k) and math.isfinite(high_k)
            else "k anywhere"
        )
        return FitRefused(
            RefusalCode.IMPRECISE,
            f"the anchors ({_describe(usable)}) are too close to fix the shape at the "
            f"precision they are published with: rounding to their last printed digit "
            f"allows {spread} (k = {shape:.2g} as printed)",
            ordered,
        )
    x = np.log(months)
    y = np.log(-np.log(survival))
    intercept = float(np.mean(y)) - shape * float(np.mean(x))  # = −k·log λ
    scale = math.exp(-intercept / shape)
    if not (math.isfinite(scale) and scale > 0.0):
        return FitRefused(
            RefusalCode.NON_POSITIVE_SHAPE,
            f"the anchors ({_describe(usable)}) give no finite scale",
            ordered,
        )
    residuals = y - (shape * x + intercept)
    rmse = float(np.sqrt(np.mean(residuals**2)))

    last = max(a.months for a in ordered)
    if follow_up_months is not None:
        last = max(last, float(follow_up_months))
    fit = WeibullFit(
        shape=shape,
        scale_months=scale,
        anchors=usable,
        max_months=last,
        rmse_cloglog=rmse,
        notes=tuple(notes),
        shape_bounds=bounds,
    )
    if median_not_reached and fit.survival(last) <= 0.5:
        return FitRefused(
            RefusalCode.CONTRADICTS_NOT_REACHED,
            "the median is reported as not reached, yet the fitted curve falls to "
            f"{100 * fit.survival(last):.0f}% by {_fmt(last)} months",
            ordered,
        )
    return fit


def fit_outcomes(
    outcomes: Mapping[str, float],
    *,
    kind: str = "os",
    not_reached: Collection[str] = (),
    flags: Collection[str] = (),
    follow_up_months: float | None = None,
) -> WeibullFit | FitRefused:
    """Fit one study arm as an evidence record describes it.

    ``not_reached`` lists outcome names reported as "not reached" (a median not reached is
    a check, see ``fit_weibull``). With the flag ``mean_not_median`` the arm's median
    column holds a mean: it is never used as a median, and the landmark rates alone must
    give two anchors.
    """
    median_name = f"median_{kind}_months"
    median_reported = outcomes.get(median_name)
    notes: list[str] = []
    # A median is an anchor unless it is flagged "not reached" (not a number: should a
    # value sit beside the flag it is not used) or the source's column holds a mean.
    usable = {name: value for name, value in outcomes.items() if name != median_name}
    if median_reported is not None and median_name not in not_reached:
        if MEAN_NOT_MEDIAN_FLAG in flags:
            notes.append(
                f"the {_fmt(float(median_reported))} months in the source's median "
                f"{_KIND_LABEL[kind]} column is a mean, not a median, and is not used"
            )
        else:
            usable[median_name] = median_reported
    anchors = anchors_from_outcomes(usable, kind)
    if not anchors and not notes:
        name = _KIND_LABEL[kind]
        if median_name in not_reached:
            reason = f"median {name} not reached and no landmark {name} rate reported"
        else:
            reason = f"no median {name} or landmark {name} rate reported"
        return FitRefused(RefusalCode.NO_ANCHOR, reason)
    if notes and len(anchors) < 2:
        remaining = f" (left: {_describe(anchors)})" if anchors else ""
        return FitRefused(
            RefusalCode.MEAN_NOT_MEDIAN,
            f"{notes[0]}; fewer than two anchors remain{remaining}",
            anchors,
        )
    return fit_weibull(
        anchors, follow_up_months, median_not_reached=median_name in not_reached, notes=notes
    )


class SurvivalSource(Protocol):
    """What ``fit_record`` reads from an evidence record (``nelm.evidence.records``)."""

    @property
    def outcomes(self) -> Mapping[str, float]: ...

    @property
    def not_reached(self) -> Collection[str]: ...

    @property
    def flags(self) -> Collection[str]: ...

    @property
    def follow_up_months(self) -> float | None: ...


def fit_record(record: SurvivalSource, kind: str = "os") -> WeibullFit | FitRefused:
    """``fit_outcomes`` for one evidence record (its outcomes, flags and follow-up).

    A value out of range in the record (a percentage above 100, a negative median or
    follow-up) refuses the fit with ``RefusalCode.INVALID_VALUE`` instead of raising.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    try:
        return fit_outcomes(
            record.outcomes,
            kind=kind,
            not_reached=record.not_reached,
            flags=record.flags,
            follow_up_months=record.follow_up_months,
        )
    except ValueError as exc:
        return FitRefused(RefusalCode.INVALID_VALUE, f"unusable value in the record: {exc}")
