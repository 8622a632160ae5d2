# The file name follows the lifelines convention test_<thing>_against_R (capital R).
# ruff: noqa: N999
"""``pool_proportions`` against R metafor, on fixtures written by R itself.

Each file in ``tests/fixtures/metafor`` is one case: a data set of the R script
``tools/r/make_pooling_fixtures.R`` fitted with::

    res <- rma(measure = "PLO", xi = xi, ni = ni, method = M, test = T)
    pr  <- predict(res)
    prt <- predict(res, transf = transf.ilogit)

for M in REML, DL, PM, FE and T in "z", "knha" (metafor's default control settings). The
fixture records the exact call, ``R.version.string`` and ``packageVersion("metafor")``.
Regenerate with ``Rscript tools/r/make_pooling_fixtures.R`` from the repository root.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.evidence.metafor_oracle import fit_like, mismatches, studies_from

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metafor"
CASES = sorted(FIXTURES.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_every_method_and_test_has_fixtures() -> None:
    """Seven data sets × {REML, DL, PM, FE} × {z, knha}, all from one R and metafor."""
    fixtures = [_load(p) for p in CASES]
    assert len(fixtures) == 56
    assert {(f["method"], f["test"]) for f in fixtures} == {
        (m, t) for m in ("REML", "DL", "PM", "FE") for t in ("z", "knha")
    }
    assert {f["dataset"] for f in fixtures} == {
        "k2",
        "k3",
        "zero-event",
        "all-events",
        "homogeneous",
        "heterogeneous",
        "k15",
    }
    assert len({(f["r_version"], f["metafor_version"]) for f in fixtures}) == 1


def test_fixtures_cover_the_edge_cases() -> None:
    """The data sets do what their names say (read from the R output, not from nelm)."""
    by_name = {p.stem: _load(p) for p in CASES}
    assert by_name["homogeneous__REML__z"]["result"]["tau2"] == 0
    assert by_name["heterogeneous__REML__z"]["result"]["I2"] > 90
    assert 0 in by_name["zero-event__REML__z"]["data"]["xi"]
    data = by_name["all-events__REML__z"]["data"]
    assert any(x == n for x, n in zip(data["xi"], data["ni"], strict=True))
    assert by_name["k2__REML__z"]["result"]["k"] == 2
    assert by_name["k15__REML__z"]["result"]["k"] == 15


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_pool_proportions_against_R(path: Path) -> None:
    """``rma(measure = "PLO", xi, ni, method = M, test = T)`` and ``predict()``, to 1e-6.

    Compared: yi, vi and weights per study; the estimate, its standard error and 95 % CI
    on the logit scale; the prediction interval (logit and back-transformed; none for FE);
    the back-transformed estimate and CI; τ², I², H², Q and its p value; the t degrees of
    freedom and the Knapp–Hartung factor s².
    """
    fixture = _load(path)
    result = fit_like(studies_from(fixture["data"]), fixture)
    found = mismatches(result, fixture)
    assert not found, f"{fixture['call']} ({fixture['name']}):\n" + "\n".join(found)


def test_knapp_hartung_with_a_fixed_effect_model_is_noted() -> None:
    """metafor warns "Knapp & Hartung method is not meant to be used in the context of FE
    models."; nelm says so in the result's notes instead of a Python warning."""
    fixture = _load(FIXTURES / "k3__FE__knha.json")
    assert fixture["warnings"] == [
        "Knapp & Hartung method is not meant to be used in the context of FE models."
    ]
    result = fit_like(studies_from(fixture["data"]), fixture)
    assert any("not meant for a fixed-effect model" in note for note in result.notes)
