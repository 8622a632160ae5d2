"""The printed report as text, for tests that read what is on paper: WeasyPrint renders it,
poppler's ``pdftotext`` reads it back. Both are installed by .ci/run; elsewhere a test skips
with what to install, and in CI a missing one fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def printed_text(doc: dict[str, Any], tmp_path: Path, *, layout: bool = False) -> str:
    """The text of ``doc``'s printed report (``-layout`` keeps the columns' positions)."""
    if not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    try:
        from nelm.report.pdf import render_pdf

        pdf = render_pdf(doc)
    except Exception as exc:  # WeasyPrint's libraries missing
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PDF output not available here: {exc}")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
