"""The printed report's classification labels each on one line on A4: "Liver-metastasis
type" and "Stage (AJCC 7th)" wrapped in the 10em label column. The case is a published
pancreatic NET (Journal of Medicine and Life 2018, tests/engine/published_cases.py), which
both staging systems of 003 Tables 2 and 3 stage, so every label of the table is printed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from nelm.report.view import classification_rows
from nelm.service import assess_mapping
from tests.engine.published_cases import PUBLISHED_CASES

MEDLIFE = next(p.case for p in PUBLISHED_CASES if p.name == "medlife-pnet-ki67-10-to-15")


def test_every_classification_label_is_printed_on_one_line(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    doc = assess_mapping(MEDLIFE, with_evidence=False)
    try:
        from nelm.report.pdf import render_pdf

        pdf = render_pdf(doc)
    except Exception as exc:  # WeasyPrint's libraries missing
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PDF output not available here: {exc}")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    table = text[text.index("  Classification") :]
    lines = table.splitlines()
    titles = [row.title for row in classification_rows(doc)]
    assert "Liver-metastasis type" in titles and "Stage (AJCC 7th)" in titles
    for title in titles:
        assert any(line.strip().startswith(title) for line in lines), title
