"""Comparing ``pool_proportions`` with one metafor fit written by
``tools/r/make_pooling_fixtures.R`` (shared by the fixture test and the live-R test).

A fit is ``{"method", "test", "call", "result": {...}}`` where ``result`` holds, from
``res <- rma(measure = "PLO", xi, ni, method, test)``, ``pr <- predict(res)`` and
``prt <- predict(res, transf = transf.ilogit)``: ``yi, vi, weights, beta, se, ci_lb,
ci_ub`` (res), ``pi_lb, pi_ub`` (pr), ``pred_transf, ci_lb_transf, …`` (prt, proportions),
``tau2, I2, H2, QE, QEp, k, s2w, dfs`` (res).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from nelm.evidence.pooling import PoolResult, StudyInput, pool_proportions

TOLERANCE = 1e-6
R_SCRIPT = "tools/r/make_pooling_fixtures.R"


def studies_from(data: dict[str, Any]) -> list[StudyInput]:
    """The studies of a fixture's ``data`` (``id``, ``xi``, ``ni`` columns)."""
    return [
        StudyInput(id=str(i), n=int(n), events=int(x))
        for i, x, n in zip(data["id"], data["xi"], data["ni"], strict=True)
    ]


def fit_like(studies: Sequence[StudyInput], fit: dict[str, Any]) -> PoolResult:
    """``pool_proportions`` with the fit's method and test."""
    return pool_proportions(studies, method=fit["method"], knapp_hartung=fit["test"] == "knha")


def _close(got: float | None, expected: float | None) -> bool:
    if expected is None:
        return got is None
    return got is not None and got == pytest.approx(expected, rel=TOLERANCE, abs=TOLERANCE)


def mismatches(result: PoolResult, fit: dict[str, Any]) -> list[str]:
    """Every quantity where nelm and metafor differ by more than 1e-6 (rel. or abs.)."""
    expected = fit["result"]
    found: list[str] = []

    def check(name: str, got: float | None, want: float | None) -> None:
        if not _close(got, want):
            found.append(f"{name}: nelm {got!r}, metafor {want!r}")

    for i, study in enumerate(result.studies):
        check(f"yi[{i}]", study.yi, expected["yi"][i])
        check(f"vi[{i}]", study.vi, expected["vi"][i])
        check(f"weights[{i}]", study.weight_percent, expected["weights"][i])
    check("beta", result.logit.estimate, expected["beta"])
    check("se", result.logit.se, expected["se"])
    check("ci.lb", result.logit.ci_low, expected["ci_lb"])
    check("ci.ub", result.logit.ci_high, expected["ci_ub"])
    check("pi.lb", result.logit.pi_low, expected["pi_lb"])
    check("pi.ub", result.logit.pi_high, expected["pi_ub"])
    for name, got in (
        ("pred", result.estimate),
        ("ci_lb", result.ci_low),
        ("ci_ub", result.ci_high),
        ("pi_lb", result.pi_low),
        ("pi_ub", result.pi_high),
    ):
        want = expected[f"{name}_transf"]
        check(f"{name} (percent)", got, None if want is None else 100.0 * want)
    check("tau2", result.tau2, expected["tau2"])
    check("I2", result.i2, expected["I2"])
    check("H2", result.h2, expected["H2"])
    check("QE", result.q, expected["QE"])
    check("QEp", result.q_p, expected["QEp"])
    if result.k != expected["k"]:
        found.append(f"k: nelm {result.k}, metafor {expected['k']}")
    want_df = None if expected["dfs"] is None else int(expected["dfs"])
    if result.df != want_df:
        found.append(f"df: nelm {result.df}, metafor {want_df}")
    if fit["test"] == "knha":
        check("s2w", result.s2w, expected["s2w"])
    return found
