"""A criterion's value reads "not known" wherever a person reads it: the printed report's
"Value used" column and the web page's criteria (``nelm.report.board``), as the text report
and the case summary do. The assessment JSON keeps the engine's words ("unknown" is the
name of a result in assessment-v1.md), so only the human pages change.

The case: docs/contract/examples/sparse.json says nothing of extrahepatic disease, so the
criterion "No extrahepatic metastases" (Xue 2025 §3.1; Nigri 2018) is read from an absent
value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nelm.report.board import board_view
from nelm.report.html import render_html
from nelm.service import assess_mapping

SPARSE = Path(__file__).resolve().parents[2] / "docs" / "contract" / "examples" / "sparse.json"


def _doc() -> dict[str, object]:
    return assess_mapping(json.loads(SPARSE.read_text(encoding="utf-8")))


def _extrahepatic_values(doc: dict[str, object]) -> list[str]:
    options = doc["options"]
    assert isinstance(options, dict)
    return [
        c["value"]
        for o in options.values()
        for c in o["criteria"]
        if c["text"].startswith("No extrahepatic metastases")
    ]


def test_the_json_keeps_the_engines_word() -> None:
    values = _extrahepatic_values(_doc())
    assert values and all("unknown" in v for v in values)


def test_the_printed_report_says_not_known() -> None:
    doc = _doc()
    cells = re.findall(r"<td>([^<]*Extrahepatic disease[^<]*)</td>", render_html(doc))
    assert cells
    assert all("not known" in c and "unknown" not in c for c in cells)


def test_the_web_cards_say_not_known() -> None:
    view = board_view(_doc())
    values = [
        c.value
        for o in view.options
        for c in o.criteria
        if c.text.startswith("No extrahepatic metastases")
    ]
    assert values and all("not known" in v and "unknown" not in v for v in values)


def test_a_relative_criterion_the_case_does_not_meet_reads_not_met_for_the_board() -> None:
    """A well-differentiated tumour, its Ki-67 not given: platinum–etoposide's relative
    criterion "Poorly differentiated NEC" (003 Medical therapy prefers it "for high-grade
    tumors with poor differentiation", 004 §3.4 names it for a high proliferative index) is
    not met, and no missing value would change that; the engine's result is "unknown" with
    ``relative_contraindication``. The printed card and the web page say "not met: for the
    board to weigh", never "not known"."""
    doc = assess_mapping(
        {"case_id": "well", "primary": {"site": "midgut"}, "pathology": {"differentiation": "well"}}
    )
    nec = next(
        c for c in doc["options"]["platinum_etoposide"]["criteria"] if c["id"].endswith(".nec")
    )
    assert nec["result"] == "unknown" and nec["relative_contraindication"] is True
    html = " ".join(render_html(doc).split())
    relatives = sum(
        1
        for o in doc["options"].values()
        for c in o["criteria"]
        if c.get("relative_contraindication")
    )
    weighed = '<td class="result weigh">not met: for the board to weigh</td>'
    assert relatives >= 1 and html.count(weighed) == relatives
    card = next(o for o in board_view(doc).options if o.id == "platinum_etoposide")
    relative = [c for c in card.criteria if c.relative]
    assert [c.text for c in relative] == [nec["text"]]
