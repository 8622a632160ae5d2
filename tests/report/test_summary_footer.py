"""Every page of the printed board summary is dated: its footer carries the knowledge
version and the time printed beside the disclaimer, so a loose second page can be placed
(a reviewer of the printed summaries found them on the first page only)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE


def test_each_page_carries_the_knowledge_version_and_the_time_printed(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from datetime import UTC, datetime

    from nelm.report.pdf import html_to_pdf
    from nelm.report.summary import render_summary_html

    doc = assess_mapping(BASE, with_evidence=False)
    when = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)
    path = tmp_path / "summary.pdf"
    path.write_bytes(html_to_pdf(render_summary_html(doc, generated_at=when)))
    pages = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    stamp = f"knowledge base {doc['knowledge_version']} · printed 07 December 2026 03:30 UTC"
    for page in pages:
        assert "Decision support for clinicians, not a decision\n" + stamp in page
