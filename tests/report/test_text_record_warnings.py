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
