"""The sweep of FHIR values as EHRs write them (tools/messy_fhir.py) finds no fault.

What each mutated record may read as is set in tools/messy_fhir_cases.py from
docs/fhir-mapping.md; the sweep fails on a traceback, a refusal of a whole record for one
element, a value read otherwise, or a size limit not answered with an OperationOutcome.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.no_cover  # a sweep of inputs over lines the focused tests cover (Makefile)
def test_the_messy_fhir_sweep_finds_no_fault() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "messy_fhir.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 distinct faults" in done.stdout
