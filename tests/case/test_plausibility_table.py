"""docs/plausibility.md is written from the ranges, slips and units: it must be current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_plausibility_page_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "plausibility_table.py"), "--check"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
