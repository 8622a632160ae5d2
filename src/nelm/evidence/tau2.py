"""The between-study variance τ² of a random-effects model, estimated as R metafor's
``rma.uni()`` does (REML by Fisher scoring, DerSimonian–Laird, Paule–Mandel by R's own
root finder), and the (generalised) Q statistic they share.

The methods, their references and metafor's control settings are described in
:mod:`nelm.evidence.pooling`, which uses them; each function names the metafor code it
follows.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

from nelm.errors import ConvergenceError

__all__ = ["TAU2_MIN", "estimate_tau2", "p_matrix", "q_statistic"]

FloatArray = npt.NDArray[np.float64]

# metafor 3.8-1, rma.uni(): control defaults for the iterative estimators.
_THRESHOLD: Final = 1e-5  # control$threshold: convergence of Fisher scoring
_MAXITER: Final = 100  # control$maxiter
_TOL: Final = sys.float_info.epsilon**0.25  # control$tol = .Machine$double.eps^0.25
TAU2_MIN: Final = 0.0  # control$tau2.min
_TAU2_MAX: Final = 100.0  # control$tau2.max, raised to 10·mad(yi)² when that is larger
_MAD_CONSTANT: Final = 1.4826  # R's mad(): constant = 1.4826


def p_matrix(w: FloatArray) -> FloatArray:
    """metafor's ``P = W − W X (XᵀWX)⁻¹ XᵀW`` for the intercept-only model."""
    return np.diag(w) - np.outer(w, w) / float(w.sum())


def q_statistic(ymc: FloatArray, w: FloatArray) -> float:
    """``crossprod(Ymc, P) %*% Ymc``: the (generalised) Q statistic for weights ``w``."""
    return float(ymc @ p_matrix(w) @ ymc)


def _tau2_dl(ymc: FloatArray, vi: FloatArray) -> float:
    w = 1.0 / vi
    p = p_matrix(w)
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
    tau2 = max(0.0, he, TAU2_MIN)
    change = _THRESHOLD + 1.0
    iterations = 0
    while change > _THRESHOLD:
        iterations += 1
        old = tau2
        p = p_matrix(1.0 / (vi + tau2))
        pp = p @ p
        adj = (float(ymc @ pp @ ymc) - float(np.trace(p))) / float(np.trace(pp))
        if math.isnan(adj):
            adj = 0.0
        while tau2 + adj < TAU2_MIN:
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
        return q_statistic(ymc, 1.0 / (vi + tau2)) - target

    tau2_max = max(_TAU2_MAX, 10.0 * _r_mad(yi) ** 2)
    f_low = objective(TAU2_MIN)
    if f_low < 0:
        return TAU2_MIN
    f_high = objective(tau2_max)
    if f_high > 0:
        raise ConvergenceError("PM", f"the Paule–Mandel τ² exceeds {tau2_max:g}", "REML or DL")
    # uniroot() passes tol and maxiter on to zeroin2 unchanged.
    return _zeroin2(objective, TAU2_MIN, tau2_max, f_low, f_high, _TOL, _MAXITER)


def estimate_tau2(method: str, yi: FloatArray, vi: FloatArray, notes: list[str]) -> float:
    """τ² by ``method`` (``REML``, ``DL``, ``PM``; 0 for ``FE``) for effects ``yi`` with
    within-study variances ``vi``; a note is added to ``notes`` where metafor would
    print one."""
    ymc = yi - float(np.mean(yi))
    if method == "REML":
        return _tau2_reml(ymc, vi, notes)
    if method == "DL":
        return _tau2_dl(ymc, vi)
    if method == "PM":
        return _tau2_pm(yi, ymc, vi)
    return 0.0
