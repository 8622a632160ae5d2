"""An age known only by its bounds, where the bounds do not decide: the lists of what is
still open name the age with what is known of it, "Age (known: 50–59 years)", while the
assessment JSON's missing data keeps the field itself (the exact age would decide).

Threshold: Machairas 2021 (seeds/001, Table 2), Milan and UNOS "Age <55 years", ENETS
"Young patients (<55 years)", as transplant.yaml cites it. "In his fifties" (50–59, the
example docs/case-v1-additions.md gives) straddles 55 and cannot decide; "in her forties"
(40–49) lies below it and decides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nelm.report.board import board_view
from nelm.report.html import render_html
from nelm.report.summary import render_summary_html
from nelm.report.text import render_text
from nelm.service import assess_mapping

# examples/transplant-candidate.json: a transplant is the first plan step, so the step's
# "Open until known" list holds what decides it
EXAMPLE = Path(__file__).parents[2] / "examples" / "transplant-candidate.json"

MILAN = "liver_transplant_milan"
KNOWN = "Age (known: 50–59 years)"


def _assessed(lo: int | None, hi: int | None, exact: int | None = None) -> dict[str, Any]:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bounds = {"age_years": exact, "age_years_at_least": lo, "age_years_at_most": hi}
    case["patient"] = {
        **{k: v for k, v in case["patient"].items() if k not in bounds},
        **{k: v for k, v in bounds.items() if v is not None},
    }
    return assess_mapping(case, with_evidence=False)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_assessment_json_still_names_the_exact_age_as_missing() -> None:
    doc = _assessed(50, 59)
    fields = [m["field"] for m in doc["missing_data"]]
    assert "patient.age_years" in fields
    assert all("known" not in f for f in fields)


def test_the_board_view_names_the_known_range_in_every_open_list() -> None:
    view = board_view(_assessed(50, 59))
    (milan,) = [o for o in view.options if o.id == MILAN]
    assert KNOWN in milan.missing and "Age" not in milan.missing
    pending = [label for step in view.plan for label in step.pending]
    assert KNOWN in pending and "Age" not in pending
    assert any(KNOWN in inv.field for inv in view.investigations)


def test_a_range_with_one_bound_says_that_bound() -> None:
    # "over 50" (at least 50) straddles 55 as well
    view = board_view(_assessed(50, None))
    (milan,) = [o for o in view.options if o.id == MILAN]
    assert "Age (known: ≥ 50 years)" in milan.missing


def test_an_age_without_bounds_stays_simply_missing() -> None:
    view = board_view(_assessed(None, None))
    (milan,) = [o for o in view.options if o.id == MILAN]
    assert "Age" in milan.missing
    assert "(known:" not in _flat(render_html(_assessed(None, None)))


def test_a_range_that_decides_is_not_listed_as_open() -> None:
    # 40–49 is below 55 throughout: the criterion is met, nothing about age is open
    doc = _assessed(40, 49)
    assert "patient.age_years" not in [m["field"] for m in doc["missing_data"]]
    html = _flat(render_html(doc))
    assert "(known:" not in html and "40–49 years" in html


def test_the_printed_report_names_the_range_in_its_lists_and_card() -> None:
    # (its plan names the open criterion itself: "if Age < 55 years")
    doc = _assessed(50, 59)
    html = _flat(render_html(doc))
    assert f"Obtain {KNOWN} to decide." in html  # Milan's card
    todo = html.split("To do:", 1)[1].split("<h2>", 1)[0]
    # named with the investigation that gives it, and not a second time as missing data
    assert "gives " in todo and KNOWN in todo
    assert "Missing data that would decide" not in html


def test_the_terminal_report_and_the_board_summary_name_the_range() -> None:
    doc = _assessed(50, 59)
    text = _flat(render_text(doc, width=200))
    assert f"obtain {KNOWN} to decide" in text
    assert f"gives {KNOWN}" in text or f", {KNOWN}" in text.split("To do:", 1)[1]
    assert f"· {KNOWN} decides" not in text  # named in the to-do list, not again
    summary = _flat(render_summary_html(doc))
    assert f"open until known: {KNOWN}" in summary
