"""The text report puts the record's own warnings (a death, no NET) in red boxes first and
lists each other warning once below them: the same sentence twice was read as two
findings.

The record is a real one written by others (tests/interop/fixtures/fhir-real/: Synthea's
3af3708d, whose Patient has ``deceasedDateTime`` 1971-10-01 and no neuroendocrine
Condition; SOURCES.md there)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nelm.report.text import render_text
from nelm.service import assess_text

RECORD = (
    Path(__file__).resolve().parents[1]
    / "interop"
    / "fixtures"
    / "fhir-real"
    / "external"
    / "synthea-bulk-3af3708d.json"
)


def test_the_records_warnings_are_shown_once() -> None:
    doc = assess_text(
        RECORD.read_text("utf-8"), assessment_date=dt.date(2026, 11, 1), with_evidence=False
    )
    text = render_text(doc, width=200)
    assert text.count("DECEASED: the record says the patient died") == 1
    assert text.count("NOT A NEUROENDOCRINE RECORD") == 1
    assert text.index("DECEASED") < text.index("Classification")


def test_the_plan_is_read_with_the_records_warnings() -> None:
    """A record with no neuroendocrine neoplasm (and a death) still gets the plan the
    sources give for its data, all of it uncertain; the plan says under its heading that it
    is to be read with those warnings, on the text, HTML and board pages alike."""
    from nelm.report.board import board_view
    from nelm.report.html import render_html

    doc = assess_text(
        RECORD.read_text("utf-8"), assessment_date=dt.date(2026, 11, 1), with_evidence=False
    )
    caveat = "Read this plan with the record"
    text = render_text(doc, width=200)
    plan = text.index("Plan ─")
    assert text.index(caveat) > plan and text.index(caveat) < text.index("Verdicts")
    assert caveat in render_html(doc)
    assert board_view(doc).plan_caveat is not None


def test_a_case_with_no_record_warning_has_no_caveat() -> None:
    example = Path(__file__).resolve().parents[2] / "src" / "nelm" / "examples"
    doc = assess_text((example / "resectable-pnet.json").read_text("utf-8"), with_evidence=False)
    assert "Read this plan with" not in render_text(doc, width=200)
