# The file name follows the lifelines convention test_<thing>_against_R (capital R).
# ruff: noqa: N999
"""``pool_proportions`` against a live R metafor, on data generated here (fixed seeds).

For each data set the R script is run as::

    Rscript tools/r/make_pooling_fixtures.R --input studies.csv --output fits.json

which fits ``rma(measure = "PLO", xi = xi, ni = ni, method = M, test = T)`` and
``predict(res, transf = transf.ilogit)`` for M in REML, DL, PM, FE and T in "z", "knha".
Skipped when R or metafor is missing on a developer machine; a failure on CI
(``CI=true``), where ``r-cran-metafor`` is installed.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import special

from nelm.evidence.pooling import StudyInput
from tests.evidence.metafor_oracle import R_SCRIPT, fit_like, mismatches

pytestmark = [pytest.mark.needs_r, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = "install r-cran-metafor (apt-get install r-cran-metafor)"
SEEDS = (20240611, 7, 1986, 2005)


@functools.cache
def _usable_rscript() -> str | None:
    """The Rscript executable if it can load metafor, else ``None`` (checked once)."""
    path = shutil.which("Rscript")
    if path is None:
        return None
    probe = "quit(status = if (requireNamespace('metafor', quietly = TRUE)) 0 else 1)"
    completed = subprocess.run([path, "-e", probe], capture_output=True, timeout=300, check=False)
    return path if completed.returncode == 0 else None


def _require_rscript() -> str:
    """Rscript with metafor; skip without it, but fail on CI (``CI=true``)."""
    path = _usable_rscript()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"R with metafor is required on CI: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    return path


def _random_studies(seed: int) -> list[StudyInput]:
    """k from 2 to 20 arms of 10–400 patients, true logits from N(μ, τ), binomial events."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 21))
    n = rng.integers(10, 401, size=k)
    theta = rng.normal(rng.uniform(-2.0, 2.0), rng.uniform(0.0, 1.2), size=k)
    x = rng.binomial(n, special.expit(theta))
    return [StudyInput(f"s{i + 1}", int(n[i]), int(x[i])) for i in range(k)]


DATASETS: dict[str, list[StudyInput]] = {
    **{f"seed-{seed}": _random_studies(seed) for seed in SEEDS},
    "zero-and-all-events": [
        StudyInput("none", 12, 0),
        StudyInput("all", 9, 9),
        StudyInput("some", 40, 17),
        StudyInput("many", 75, 60),
    ],
}


def _run_r(rscript: str, studies: list[StudyInput], workdir: Path) -> dict[str, Any]:
    table = workdir / "studies.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "xi", "ni"])
        writer.writerows([s.id, s.events, s.n] for s in studies)
    output = workdir / "fits.json"
    completed = subprocess.run(
        [rscript, R_SCRIPT, "--input", str(table), "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    data: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_pool_proportions_against_live_R(name: str, tmp_path: Path) -> None:
    """Every method × test of ``rma(measure = "PLO", …)`` agrees with nelm to 1e-6."""
    rscript = _require_rscript()
    studies = DATASETS[name]
    output = _run_r(rscript, studies, tmp_path)
    assert len(output["fits"]) == 8
    problems = []
    for fit in output["fits"]:
        found = mismatches(fit_like(studies, fit), fit)
        if found:
            problems.append(f"{fit['call']}:\n  " + "\n  ".join(found))
    versions = f"{output['r_version']}, metafor {output['metafor_version']}"
    assert not problems, f"{name} ({versions}):\n" + "\n".join(problems)
