"""The messy-input sweep (``tools/messy_inputs.py``) runs in the suite: the real and
published cases, mutated as hospitals and users send them, through the command line, the
assessment API, the case store API and the case form. Its expectations are the project's
rules for bad input (a refusal names the field: exit 2 or a 4xx, never a traceback or a
500, nothing stored on a refusal) and that an accepted value is read as what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.no_cover  # a sweep of inputs over lines the focused tests cover (Makefile)
def test_no_messy_input_gives_a_fault() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "messy_inputs.py"), "--pdf", "0"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "0 distinct faults, 0 in all" in done.stdout
