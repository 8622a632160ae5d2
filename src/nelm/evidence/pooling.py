"""Pooling of published percentages, and summaries of published medians.

Proportions are pooled on the logit scale exactly as R metafor's
``rma(measure = "PLO", xi = events, ni = n, method = …, test = …)`` does (metafor
3.8-1; the comparison fixtures in ``tests/fixtures/metafor`` record the R and metafor
versions that produced them). Every step below names the metafor code it follows.

Effect sizes (``escalc(measure = "PLO")``, default ``add = 1/2, to = "only0"``)
    ``yi = log(p / (1 − p))`` with ``p = x / n`` and ``vi = 1/x + 1/(n − x)``. A study with
    ``x = 0`` or ``x = n`` gets 0.5 added to both of its cells (events and non-events)
    before both are computed; other studies are left alone.

Between-study variance τ² (``method``)
    ``"REML"`` (default)
        Restricted maximum likelihood, Viechtbauer W. Bias and efficiency of
        meta-analytic variance estimators in the random-effects model. J Educ Behav Stat
        2005;30:261–293. Fisher scoring as in metafor: start at the Hedges (HE) estimate
        ``max(0, var(yi) − mean(vi))``, step ``(y′PPy − tr P) / tr(PP)``, halve a step that
        would go below 0, stop when the change is ≤ 1e-5 (at most 100 iterations); then
        metafor's check that the REML log-likelihood at τ² is not below that at τ² = 0
        (by more than ``.Machine$double.eps^0.25``), else τ² = 0.
    ``"DL"``
        DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
        1986;7:177–188. Method of moments: ``τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw))``.
    ``"PM"``
        Paule RC, Mandel J. Consensus values and weighting factors. J Res Natl Bur Stand
        1982;87:377–385. τ² solves ``Q(τ²) = k − 1`` for the generalised Q statistic; 0 when
        ``Q(0) < k − 1``. Solved like metafor: R's ``uniroot`` (Brent's zeroin, ported below
        line by line) on ``[0, max(100, 10·mad(yi)²)]`` with tolerance
        ``.Machine$double.eps^0.25`` and at most 100 iterations, so the root agrees with
        metafor's to far better than that tolerance.
    ``"FE"``
        Fixed (common/equal) effect, τ² = 0 (inverse-variance weights).

Inference on the pooled logit
    Default: normal quantile, ``se = 1/√Σw``. With ``knapp_hartung=True`` (metafor
    ``test = "knha"``): Hartung J, Knapp G. A refined method for the meta-analysis of
    controlled clinical trials with binary outcome. Stat Med 2001;20:3875–3889; Knapp G,
    Hartung J. Improved tests for a random effects meta-regression with a single
    covariate. Stat Med 2003;22:2693–2710. The variance is multiplied by
    ``s² = Σw(yi − μ̂)² / (k − 1)`` and the t distribution with k − 1 degrees of freedom is
    used. As in metafor's ``"knha"`` (not its ``"adhoc"``) test, ``s²`` is **not**
    truncated at 1, so the interval may be narrower than the normal one; ``s² = 0`` when
    the weighted residual sum of squares is ≤ machine epsilon.

Prediction interval (metafor ``predict()``, default ``pi.type``)
    ``μ̂ ± crit · √(se² + τ²)`` with the same critical value as the confidence interval
    (normal, or t(k − 1) with Knapp–Hartung, where se² already carries the s² factor);
    Higgins JPT, Thompson SG, Spiegelhalter DJ. J R Stat Soc A 2009;172:137–159. A
    fixed-effect model has no prediction interval (metafor returns none; here ``None``).

Heterogeneity (always with the fixed-effect weights ``w = 1/vi``)
    ``Q = Σw(yi − ȳ_w)²`` with p from χ²(k − 1). For random-effects methods metafor's
    definitions (Higgins JPT, Thompson SG. Stat Med 2002;21:1539–1558) with the typical
    within-study variance ``ṽ = (k − 1) / (Σw − Σw²/Σw)``: ``I² = 100·τ²/(ṽ + τ²)`` and
    ``H² = τ²/ṽ + 1``. For ``"FE"``: ``I² = max(0, 100·(Q − (k − 1))/Q)``, ``H² = Q/(k − 1)``
    (``I² = 0`` when ``Q = 0``, where R would give NaN).

Back-transformation
    The estimate and the bounds of both intervals are back-transformed with the inverse
    logit and reported in percent. The Freeman–Tukey double-arcsine transformation is
    deliberately not used: its back-transformation needs one sample size for the pooled
    value, which does not exist, and with the usual harmonic mean of the studies' n (or
    any other choice) the back-transformed proportion can be seriously misleading
    (Schwarzer G, Chemaitly H, Abu-Raddad LJ, Rücker G. Seriously misleading results
    using inverse of Freeman-Tukey double arcsine transformation in meta-analysis of
    single proportions. Res Synth Methods 2019;10:476–483).

Medians are not pooled. :func:`summarise_medians` describes them: the n-weighted median of
the study medians, their range and a distribution-free interval for the median of the
study medians. It is a description of what was published, not a pooled estimate.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from nelm.errors import ConvergenceError, InputRejected, Problem

__all__ = [
    "LEVEL",
    "METHODS",
    "MedianSummary",
    "PoolResult",
    "StudyInput",
    "StudyWeight",
    "events_from_percent",
    "pool_proportions",
    "summarise_medians",
]

FloatArray = npt.NDArray[np.float64]

METHODS: Final = ("REML", "DL", "PM", "FE")
"""The τ² estimators offered, in the order the CLI lists them."""

LEVEL: Final = 0.95
"""Coverage of every interval reported here."""

# metafor 3.8-1, rma.uni(): control defaults for the iterative estimators.
_THRESHOLD: Final = 1e-5  # control$threshold: convergence of Fisher scoring
_MAXITER: Final = 100  # control$maxiter
_TOL: Final = sys.float_info.epsilon**0.25  # control$tol = .Machine$double.eps^0.25
_TAU2_MIN: Final = 0.0  # control$tau2.min
_TAU2_MAX: Final = 100.0  # control$tau2.max, raised to 10·mad(yi)² when that is larger
_ADD: Final = 0.5  # escalc(): add = 1/2, to = "only0"
_MAD_CONSTANT: Final = 1.4826  # R's mad(): constant = 1.4826

_STUDIES_PATH: Final = "modality/outcome"
_MIN_STUDIES: Final = 2

MEDIAN_LABEL: Final = (
    "summary of published medians (n-weighted median of the study medians and their "
    "range) — not pooled, not a meta-analytic estimate"
)


# --------------------------------------------------------------------------- inputs


def events_from_percent(percent: float, n: int) -> int:
    """Events behind a published percentage: ``round(percent × n / 100)``, halves up.

    Python's ``round`` rounds halves to even (``round(2.5) == 2``), and binary floating
    point cannot hold most published decimals exactly, so the product is formed in
    decimal arithmetic from the percentage as written (``repr``) and rounded half up:
    12.5 % of 20 is 2.5 → 3 events; 33.3 % of 15 is 4.995 → 5 events.
    """
    try:
        exact = Decimal(repr(float(percent))) * n / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError) as exc:
        raise InputRejected([Problem("percent", "a finite percentage", repr(percent))]) from exc


@dataclass(frozen=True, slots=True)
class StudyInput:
    """One study arm to pool: ``events`` out of ``n`` patients."""

    id: str
    n: int
    events: int

    @classmethod
    def from_percent(cls, id: str, n: int, percent: float) -> StudyInput:
        """The arm from a published percentage (see :func:`events_from_percent`)."""
        if not math.isfinite(percent) or not 0.0 <= percent <= 100.0:
            raise InputRejected(
                [Problem(f"{id}.percent", "a percentage from 0 to 100", repr(percent))]
            )
        return cls(id=id, n=n, events=events_from_percent(percent, n))


@dataclass(frozen=True, slots=True)
class StudyWeight:
    """One study as it entered the model (``yi``, ``vi`` on the logit scale).

    ``ci_low``/``ci_high`` are the study's own 95 % interval in percent,
    ``yi ± z·√vi`` back-transformed: what metafor's ``forest(res, transf =
    transf.ilogit)`` draws for each study.
    """

    id: str
    n: int
    events: int
    yi: float
    vi: float
    weight_percent: float
    continuity_corrected: bool
    ci_low: float
    ci_high: float

    @property
    def model_percent(self) -> float:
        """The study's percentage as the model sees it (after any continuity correction)."""
        return _inverse_logit_percent(self.yi)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "n": self.n,
            "events": self.events,
            "events_percent": 100.0 * self.events / self.n,
            "model_percent": self.model_percent,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "weight_percent": self.weight_percent,
            "yi": self.yi,
            "vi": self.vi,
            "continuity_corrected": self.continuity_corrected,
        }


@dataclass(frozen=True, slots=True)
class LogitScale:
    """The pooled result before back-transformation (what ``rma()`` itself prints)."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "pi_low": self.pi_low,
            "pi_high": self.pi_high,
        }


@dataclass(frozen=True, slots=True)
class PoolResult:
    """A pooled proportion, in percent, with its heterogeneity and study weights.

    ``estimate``, ``ci_*`` and ``pi_*`` are percentages (inverse logit × 100); ``tau2`` is on
    the logit scale; ``i2`` is a percentage; ``q_p`` is the χ²(k − 1) p value of Q.
    ``pi_low``/``pi_high`` are ``None`` for a fixed-effect model. ``df`` is k − 1 when the
    t distribution was used (Knapp–Hartung), else ``None``. ``notes`` lists anything the
    reader should know (continuity corrections, τ² reset to 0, Knapp–Hartung with FE).
    """

    method: str
    knapp_hartung: bool
    k: int
    n_total: int
    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None
    tau2: float
    i2: float
    h2: float
    q: float
    q_p: float
    studies: tuple[StudyWeight, ...]
    logit: LogitScale
    df: int | None = None
    s2w: float | None = None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The contract's keys (evidence-v1.md), then extras (logit scale, notes)."""
        return {
            "method": self.method,
            "knapp_hartung": self.knapp_hartung,
            "k": self.k,
            "n_total": self.n_total,
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "pi_low": self.pi_low,
            "pi_high": self.pi_high,
            "tau2": self.tau2,
            "i2": self.i2,
            "h2": self.h2,
            "q": self.q,
            "q_df": self.k - 1,
            "q_p": self.q_p,
            "level": LEVEL,
            "df": self.df,
            "studies": [s.as_dict() for s in self.studies],
            "logit": self.logit.as_dict(),
            "notes": list(self.notes),
        }


# ------------------------------------------------------------------- metafor pieces


def _logit_effect(events: int, n: int) -> tuple[float, float, bool]:
    """``escalc(measure = "PLO")`` for one study: (yi, vi, continuity-corrected?)."""
    a, b = float(events), float(n - events)
    corrected = events == 0 or events == n
    if corrected:
        a, b = a + _ADD, b + _ADD
    p = a / (a + b)
    return math.log(p / (1.0 - p)), 1.0 / a + 1.0 / b, corrected


def _p_matrix(w: FloatArray) -> FloatArray:
    """metafor's ``P = W − W X (XᵀWX)⁻¹ XᵀW`` for the intercept-only model."""
    return np.diag(w) - np.outer(w, w) / float(w.sum())


def _q_statistic(ymc: FloatArray, w: FloatArray) -> float:
    """``crossprod(Ymc, P) %*% Ymc``: the (generalised) Q statistic for weights ``w``."""
    return float(ymc @ _p_matrix(w) @ ymc)


def _tau2_dl(ymc: FloatArray, vi: FloatArray) -> float:
    w = 1.0 / vi
    p = _p_matrix(w)
    return (float(ymc @ p @ ymc) - (len(vi) - 1)) / float(np.trace(p))


def _reml_loglik(ymc: FloatArray, vi: FloatArray, tau2: float) -> float:
    """metafor's REML log-likelihood as used in its ``ll0check`` (intercept only)."""
    k = len(vi)
    w = 1.0 / (vi + tau2)
    beta = float(np.sum(w * ymc) / np.sum(w))
    rss = float(np.sum(w * (ymc - beta) ** 2))
    return (
        -0.5 * (k - 1) * math.log(2 * math.pi)
        - 0.5 * float(np.sum(np.log(vi + tau2)))
        - 0.5 * math.log(float(np.sum(w)))
        - 0.5 * rss
    )


def _tau2_reml(ymc: FloatArray, vi: FloatArray, notes: list[str]) -> float:
    k = len(vi)
    # Starting value: the Hedges (HE) estimator, truncated at tau2.min.
    he = (float(ymc @ ymc) - float(np.sum(vi * (1.0 - 1.0 / k)))) / (k - 1)
    tau2 = max(0.0, he, _TAU2_MIN)
    change = _THRESHOLD + 1.0
    iterations = 0
    while change > _THRESHOLD:
        iterations += 1
        old = tau2
        p = _p_matrix(1.0 / (vi + tau2))
        pp = p @ p
        adj = (float(ymc @ pp @ ymc) - float(np.trace(p))) / float(np.trace(pp))
        if math.isnan(adj):
            adj = 0.0
        while tau2 + adj < _TAU2_MIN:
            adj /= 2.0
        tau2 = tau2 + adj
        change = abs(old - tau2)
        if iterations > _MAXITER:
            raise ConvergenceError(
                "REML", f"REML Fisher scoring did not converge in {_MAXITER} iterations", "DL or PM"
            )
    # metafor's ll0check: a maximum below the likelihood at tau2 = 0 is a local one.
    if _reml_loglik(ymc, vi, 0.0) - _reml_loglik(ymc, vi, tau2) > _TOL and tau2 > _THRESHOLD:
        notes.append("REML Fisher scoring stopped at a local maximum; τ² set to 0 (as metafor)")
        tau2 = 0.0
    return tau2


def _r_mad(values: FloatArray) -> float:
    """R's ``mad()``: 1.4826 × median absolute deviation from the median."""
    centre = float(np.median(values))
    return _MAD_CONSTANT * float(np.median(np.abs(values - centre)))


def _zeroin2(
    f: Callable[[float], float],
    ax: float,
    bx: float,
    fa: float,
    fb: float,
    tol: float,
    maxit: int,
) -> float:
    """R's ``R_zeroin2`` (src/library/stats/src/zeroin.c, Brent 1973), line by line.

    Kept literal, including its variable names and branch order, so that ``uniroot``'s
    answer, which depends on the tolerance, is reproduced rather than approximated.
    """
    eps = sys.float_info.epsilon
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    raise ConvergenceError(
        "PM", f"the Paule–Mandel root search did not converge in {maxit} iterations", "REML or DL"
    )


def _tau2_pm(yi: FloatArray, ymc: FloatArray, vi: FloatArray) -> float:
    target = float(len(vi) - 1)

    def objective(tau2: float) -> float:
        return _q_statistic(ymc, 1.0 / (vi + tau2)) - target

    tau2_max = max(_TAU2_MAX, 10.0 * _r_mad(yi) ** 2)
    f_low = objective(_TAU2_MIN)
    if f_low < 0:
        return _TAU2_MIN
    f_high = objective(tau2_max)
    if f_high > 0:
        raise ConvergenceError("PM", f"the Paule–Mandel τ² exceeds {tau2_max:g}", "REML or DL")
    # uniroot() passes tol and maxiter on to zeroin2 unchanged.
    return _zeroin2(objective, _TAU2_MIN, tau2_max, f_low, f_high, _TOL, _MAXITER)


def _inverse_logit_percent(value: float) -> float:
    """metafor's ``transf.ilogit`` (``plogis``), times 100."""
    return 100.0 * float(special.expit(value))


# ------------------------------------------------------------------------ pooling


def _check_studies(studies: Sequence[StudyInput]) -> None:
    problems: list[Problem] = []
    if len(studies) < _MIN_STUDIES:
        problems.append(
            Problem(_STUDIES_PATH, "at least two studies reporting the outcome", f"{len(studies)}")
        )
    for study in studies:
        if isinstance(study.n, bool) or not isinstance(study.n, int) or study.n < 1:
            problems.append(
                Problem(f"{study.id}.n", "a whole number of patients ≥ 1", f"{study.n!r}")
            )
        elif (
            isinstance(study.events, bool)
            or not isinstance(study.events, int)
            or not 0 <= study.events <= study.n
        ):
            problems.append(
                Problem(
                    f"{study.id}.events",
                    f"a whole number from 0 to n = {study.n}",
                    f"{study.events!r}",
                )
            )
    if problems:
        raise InputRejected(problems)


def pool_proportions(
    studies: Sequence[StudyInput],
    method: str = "REML",
    knapp_hartung: bool = False,
) -> PoolResult:
    """Pool the proportions ``events / n`` as ``rma(measure = "PLO", …)`` does.

    Raises :class:`~nelm.errors.InputRejected` for fewer than two studies, a count that
    is not a whole number in range, or an unknown ``method``: nothing is ever pooled from
    a single study.
    """
    if method not in METHODS:
        raise InputRejected([Problem("method", f"one of {', '.join(METHODS)}", repr(method))])
    _check_studies(studies)

    k = len(studies)
    notes: list[str] = []
    effects = [_logit_effect(s.events, s.n) for s in studies]
    yi = np.array([e[0] for e in effects], dtype=np.float64)
    vi = np.array([e[1] for e in effects], dtype=np.float64)
    corrected = [s.id for s, e in zip(studies, effects, strict=True) if e[2]]
    if corrected:
        notes.append(
            "0.5 added to events and non-events of "
            + ", ".join(corrected)
            + " (0 or all events; metafor escalc default)"
        )
    ymc = yi - float(np.mean(yi))

    if method == "REML":
        tau2 = _tau2_reml(ymc, vi, notes)
    elif method == "DL":
        tau2 = _tau2_dl(ymc, vi)
    elif method == "PM":
        tau2 = _tau2_pm(yi, ymc, vi)
    else:
        tau2 = 0.0
    tau2 = max(_TAU2_MIN, tau2)

    w = 1.0 / (vi + tau2)
    sum_w = float(np.sum(w))
    beta = float(np.sum(w * yi) / sum_w)
    vb = 1.0 / sum_w
    df: int | None = None
    s2w: float | None = None
    if knapp_hartung:
        rss = float(np.sum(w * (yi - beta) ** 2))
        s2w = 0.0 if rss <= sys.float_info.epsilon else rss / (k - 1)
        vb *= s2w
        df = k - 1
        crit = float(stats.t.isf((1 - LEVEL) / 2, df))
        if method == "FE":
            notes.append("Knapp–Hartung is not meant for a fixed-effect model (metafor warns too)")
    else:
        crit = float(stats.norm.isf((1 - LEVEL) / 2))
    se = math.sqrt(vb)
    ci = (beta - crit * se, beta + crit * se)
    if method == "FE":
        pi: tuple[float | None, float | None] = (None, None)
    else:
        half = crit * math.sqrt(vb + tau2)
        pi = (beta - half, beta + half)

    # Heterogeneity, always from the fixed-effect weights.
    w_fe = 1.0 / vi
    q = max(0.0, _q_statistic(ymc, w_fe))
    q_p = float(stats.chi2.sf(q, k - 1))
    if method == "FE":
        i2 = max(0.0, 100.0 * (q - (k - 1)) / q) if q > 0 else 0.0
        h2 = q / (k - 1)
    else:
        typical = (k - 1) / float(np.trace(_p_matrix(w_fe)))
        i2 = 100.0 * tau2 / (typical + tau2)
        h2 = tau2 / typical + 1.0

    weights = 100.0 * w / sum_w
    z = float(stats.norm.isf((1 - LEVEL) / 2))
    study_weights = tuple(
        StudyWeight(
            id=s.id,
            n=s.n,
            events=s.events,
            yi=float(yi[i]),
            vi=float(vi[i]),
            weight_percent=float(weights[i]),
            continuity_corrected=effects[i][2],
            ci_low=_inverse_logit_percent(float(yi[i] - z * math.sqrt(vi[i]))),
            ci_high=_inverse_logit_percent(float(yi[i] + z * math.sqrt(vi[i]))),
        )
        for i, s in enumerate(studies)
    )
    return PoolResult(
        method=method,
        knapp_hartung=knapp_hartung,
        k=k,
        n_total=sum(s.n for s in studies),
        estimate=_inverse_logit_percent(beta),
        ci_low=_inverse_logit_percent(ci[0]),
        ci_high=_inverse_logit_percent(ci[1]),
        pi_low=None if pi[0] is None else _inverse_logit_percent(pi[0]),
        pi_high=None if pi[1] is None else _inverse_logit_percent(pi[1]),
        tau2=tau2,
        i2=i2,
        h2=h2,
        q=q,
        q_p=q_p,
        studies=study_weights,
        logit=LogitScale(beta, se, ci[0], ci[1], pi[0], pi[1]),
        df=df,
        s2w=s2w,
        notes=tuple(notes),
    )


# ------------------------------------------------------------------------ medians


@dataclass(frozen=True, slots=True)
class MedianSummary:
    """A description of published medians (months): not a pooled estimate.

    ``weighted_median`` is the n-weighted median of the study medians; ``minimum`` and
    ``maximum`` their range; ``sign_test_ci`` a distribution-free interval for the median
    of the study medians (order statistics of the sign test), ``(None, None)`` when there
    are too few studies for one (k < 6 at 95 %), with its exact ``sign_test_coverage``.
    """

    k: int
    n_total: int
    weighted_median: float
    minimum: float
    maximum: float
    sign_test_ci: tuple[float | None, float | None]
    label: str
    sign_test_coverage: float | None = None
    studies: tuple[tuple[str, int, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "pooled": False,
            "label": self.label,
            "k": self.k,
            "n_total": self.n_total,
            "weighted_median": self.weighted_median,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "sign_test_ci": list(self.sign_test_ci),
            "sign_test_coverage": self.sign_test_coverage,
            "studies": [{"id": i, "n": n, "median": m} for i, n, m in self.studies],
        }


def _weighted_median(values: Sequence[float], weights: Sequence[int]) -> float:
    """The value where the cumulative weight, in sorted order, first reaches half.

    When it reaches exactly half at a value, the midpoint of that value and the next is
    taken (so equal weights give the ordinary median).
    """
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    total = sum(weights)
    cumulative = 0
    for position, i in enumerate(order):
        cumulative += weights[i]
        if 2 * cumulative == total and position + 1 < len(order):
            return (values[i] + values[order[position + 1]]) / 2
        if 2 * cumulative >= total:
            return values[i]
    raise AssertionError("unreachable: weights sum to total")  # pragma: no cover


def _sign_test_ranks(k: int, level: float = LEVEL) -> tuple[int, Fraction] | None:
    """The order statistic ``l`` with ``[x_(l), x_(k+1−l)]`` covering ≥ ``level``.

    ``l`` is the largest rank with ``P(B ≤ l − 1) ≤ (1 − level)/2`` for ``B ~ Bin(k, ½)``
    (exact rational arithmetic); the coverage is ``1 − 2·P(B ≤ l − 1)``.
    """
    alpha_half = (1 - Fraction(str(level))) / 2
    denominator = 2**k
    best: tuple[int, Fraction] | None = None
    tail = Fraction(0)
    for rank in range(1, k // 2 + 1):
        tail += Fraction(math.comb(k, rank - 1), denominator)  # P(B ≤ rank − 1)
        if tail > alpha_half:
            break
        best = (rank, 1 - 2 * tail)
    return best


def summarise_medians(items: Sequence[tuple[str, int, float]]) -> MedianSummary:
    """Describe study medians ``(id, n, median months)``; never pools them.

    Raises :class:`~nelm.errors.InputRejected` for fewer than two studies or an invalid
    ``n`` or median.
    """
    problems: list[Problem] = []
    if len(items) < _MIN_STUDIES:
        problems.append(
            Problem(_STUDIES_PATH, "at least two studies reporting the outcome", f"{len(items)}")
        )
    for study_id, n, median in items:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            problems.append(Problem(f"{study_id}.n", "a whole number of patients ≥ 1", f"{n!r}"))
        if not math.isfinite(median) or median < 0:
            problems.append(
                Problem(f"{study_id}.median", "a finite number of months ≥ 0", f"{median!r}")
            )
    if problems:
        raise InputRejected(problems)

    values = [float(m) for _, _, m in items]
    weights = [n for _, n, _ in items]
    ordered = sorted(values)
    ranks = _sign_test_ranks(len(values))
    if ranks is None:
        ci: tuple[float | None, float | None] = (None, None)
        coverage = None
    else:
        rank, exact = ranks
        ci = (ordered[rank - 1], ordered[len(values) - rank])
        coverage = float(exact)
    return MedianSummary(
        k=len(items),
        n_total=sum(weights),
        weighted_median=_weighted_median(values, weights),
        minimum=ordered[0],
        maximum=ordered[-1],
        sign_test_ci=ci,
        label=MEDIAN_LABEL,
        sign_test_coverage=coverage,
        studies=tuple((i, n, float(m)) for i, n, m in items),
    )
