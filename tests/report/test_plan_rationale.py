"""A plan step's rationale names the reviews it mentions by author, as every other text
does: a board reads "Criss 2024", not the project's file number "002"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nelm
from nelm.report.html import render_html
from nelm.report.text import render_text
from nelm.service import assess_mapping


def _g3_doc() -> dict[str, object]:
    example = Path(nelm.__file__).parent / "examples" / "g3-net-first-line.json"
    return assess_mapping(json.loads(example.read_text()), with_evidence=False)


def test_the_plan_rationale_names_reviews_by_author_in_text_and_html() -> None:
    doc = _g3_doc()
    # The PRRT step's rationale mentions 002 (Criss & Makary 2024) and 000 (Ngongoni &
    # Visser 2022) for chemotherapy in a G3 NET (sources.yaml).
    rationale = next(s["rationale"] for s in doc["plan"] if "prrt" in s["options"])
    assert "(002, 000)" in rationale
    for rendered in (render_text(doc, width=200), render_html(doc)):
        assert "(002, 000)" not in rendered
        assert re.search(r"Criss[^()]{0,40}2024", rendered)
