"""A reader that stops early (`nelm evidence list | head`) is no error: README.md's exit
codes give 1 to an internal error only, and `nelm assess` already exits 0 there."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "args",
    [
        ["evidence", "list"],  # a typer command writing a table of over 64 kB
        ["assess", "--example", "sparse", "--format", "json"],  # read without typer
        ["assess", "--example", "sparse", "--format", "text"],  # written by rich
    ],
)
def test_output_closed_by_its_reader_exits_0(args: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "nelm", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does, long before the output ends
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr
