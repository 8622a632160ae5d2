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

Where it is: the study arms and their checks in :mod:`nelm.evidence.pooling_inputs`, the
τ² estimators in :mod:`nelm.evidence.tau2`, the summaries of medians in
:mod:`nelm.evidence.pooling_medians`; the pooling itself and its result here. Every name
listed in ``__all__`` is importable from here.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from scipy import special, stats

from nelm.errors import InputRejected, Problem
from nelm.evidence.pooling_inputs import LEVEL, StudyInput, check_studies, events_from_percent
from nelm.evidence.pooling_medians import MEDIAN_LABEL, MedianSummary, summarise_medians
from nelm.evidence.tau2 import TAU2_MIN, estimate_tau2, p_matrix, q_statistic

__all__ = [
    "LEVEL",
    "MEDIAN_LABEL",
    "METHODS",
    "MedianSummary",
    "PoolResult",
    "StudyInput",
    "StudyWeight",
    "events_from_percent",
    "pool_proportions",
    "summarise_medians",
]


METHODS: Final = ("REML", "DL", "PM", "FE")
"""The τ² estimators offered, in the order the CLI lists them."""

_ADD: Final = 0.5  # escalc(): add = 1/2, to = "only0"


# --------------------------------------------------------------------------- results


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


def _inverse_logit_percent(value: float) -> float:
    """metafor's ``transf.ilogit`` (``plogis``), times 100."""
    return 100.0 * float(special.expit(value))


# ------------------------------------------------------------------------ pooling


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
    check_studies(studies)

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
    tau2 = max(TAU2_MIN, estimate_tau2(method, yi, vi, notes))

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
    q = max(0.0, q_statistic(ymc, w_fe))
    q_p = float(stats.chi2.sf(q, k - 1))
    if method == "FE":
        i2 = max(0.0, 100.0 * (q - (k - 1)) / q) if q > 0 else 0.0
        h2 = q / (k - 1)
    else:
        typical = (k - 1) / float(np.trace(p_matrix(w_fe)))
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
