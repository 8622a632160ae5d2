"""The soak test in CI terms: ``tools/soak.py`` for 16 seconds per database (32 clients,
mixed traffic, loopback only). The ten-minute run and its figures: docs/benchmarks-web.md.

Held strictly: no 5xx and no broken connection, no traceback in the server's log, memory
and file descriptors not growing (25 % + 20 MB; 5 besides sockets and database files), database
connections within the pool's ceiling.

The latency criterion (every minute's p99 within 2× of the first minute's) is a timing, so it
is judged by the ten-minute run of ``tools/soak.py`` and written into the docs, not here: on
two 8-second windows of a few hundred requests the p99 is close to the maximum, and one answer
delayed by other work on a shared CI machine failed it while every functional bound held.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.store.support import postgres_url, reset_postgres

ROOT = Path(__file__).resolve().parents[2]


def _soak(database: str) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "soak.py"),
            "--database",
            database,
            "--seconds",
            "16",
            "--window",
            "8",
            "--rate",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.stdout, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_short_soak_holds_every_bound(backend: str) -> None:
    if backend == "postgresql":
        url = postgres_url()
        reset_postgres(url)
    report = _soak("sqlite" if backend == "sqlite" else url)
    if backend == "postgresql":
        reset_postgres(url)
    checks = report["checks"]
    for name in (
        "no_5xx_or_broken_connections",
        "memory_bounded",
        "file_descriptors_bounded",
        "db_connections_bounded",
        "no_tracebacks_logged",
    ):
        assert checks[name]["ok"], (name, checks[name], report["windows"])
    assert "p99_within_2x_of_first_window" in checks  # reported for the long run
    assert len(report["windows"]) == 2
    assert report["requests"] >= 120  # the traffic really flowed
