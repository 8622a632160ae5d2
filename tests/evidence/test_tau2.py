"""The τ² estimators alone against R metafor, on the fixtures written by R itself.

Each ``tests/fixtures/metafor/<dataset>__<method>__z.json`` records, from
``res <- rma(measure = "PLO", xi = xi, ni = ni, method = M, test = "z")``, the effects
``res$yi`` and ``res$vi`` it fitted, ``res$tau2`` and ``res$QE`` (see
``tools/r/make_pooling_fixtures.R``). Given metafor's own ``yi`` and ``vi``, the estimators
must give metafor's τ², and the Q statistic with weights ``1/vi`` metafor's QE.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nelm.evidence.tau2 import estimate_tau2, q_statistic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metafor"
Z_FITS = sorted(FIXTURES.glob("*__z.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("path", Z_FITS, ids=lambda p: p.stem)
def test_tau2_and_q_match_metafor(path: Path) -> None:
    fit = _load(path)
    result = fit["result"]
    yi = np.array(result["yi"], dtype=np.float64)
    vi = np.array(result["vi"], dtype=np.float64)
    tau2 = estimate_tau2(fit["method"], yi, vi, [])
    assert max(0.0, tau2) == pytest.approx(result["tau2"], rel=1e-6, abs=1e-6)
    q = q_statistic(yi - float(np.mean(yi)), 1.0 / vi)
    assert q == pytest.approx(result["QE"], rel=1e-6, abs=1e-6)


def test_the_fixtures_include_a_large_tau2() -> None:
    """A τ² of 0 everywhere would let a broken estimator pass (read from R's output)."""
    fit = _load(FIXTURES / "heterogeneous__PM__z.json")
    assert fit["result"]["tau2"] > 1
