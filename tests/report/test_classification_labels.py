"""The printed report's classification labels each on one line on A4: "Liver-metastasis
type" and "Stage (AJCC 7th)" wrapped in the 10em label column. The case is a published
pancreatic NET (Journal of Medicine and Life 2018, tests/engine/published_cases.py), which
both staging systems of 003 Tables 2 and 3 stage, so every label of the table is printed."""

from __future__ import annotations

from pathlib import Path

from nelm.report.view import classification_rows
from nelm.service import assess_mapping
from tests.engine.published_cases import PUBLISHED_CASES
from tests.report.pdf_text import printed_text

MEDLIFE = next(p.case for p in PUBLISHED_CASES if p.name == "medlife-pnet-ki67-10-to-15")


def test_every_classification_label_is_printed_on_one_line(tmp_path: Path) -> None:
    doc = assess_mapping(MEDLIFE, with_evidence=False)
    text = printed_text(doc, tmp_path, layout=True)
    table = text[text.index("  Classification") :]
    lines = table.splitlines()
    titles = [row.title for row in classification_rows(doc)]
    assert "Liver-metastasis type" in titles and "Stage (AJCC 7th)" in titles
    for title in titles:
        assert any(line.strip().startswith(title) for line in lines), title
