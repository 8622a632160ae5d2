"""The printable documents' phone rules stay out of their PDF, and WeasyPrint says nothing.

WeasyPrint reads ``@media`` rules by media type only: a rule with a width (``screen and
(max-width: 40em)``) was dropped with two warnings per document, written to the server's log
for every PDF. The phone's rules are now a ``<style media="…">`` element of their own, which
a browser applies by its media query and WeasyPrint leaves out of a PDF without a word.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from types import SimpleNamespace

import pytest

from nelm.report.html import render_html
from nelm.report.minutes import render_minutes_html
from nelm.report.summary import PHONE_MEDIA, render_summary_html
from nelm.service import assess_mapping
from tests.engine.cases import BASE


def _documents() -> list[str]:
    doc = assess_mapping(BASE)
    meeting = SimpleNamespace(
        title="Board", held_on=dt.date(2026, 12, 1), attendees=[], specialties=[]
    )
    return [render_summary_html(doc), render_html(doc), render_minutes_html(meeting, [])]


def test_each_document_gives_its_phone_rules_their_own_media_limited_element() -> None:
    for html in _documents():
        assert f'<style media="{PHONE_MEDIA}">' in html
        # no rule with a width is left among the printed rules
        assert "max-width: 40em) {" not in html and "max-width: 640px) {" not in html


def test_laying_them_out_as_a_pdf_gives_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    from nelm.report.pdf import PdfUnavailableError, html_to_pdf

    documents = _documents()
    caplog.set_level(logging.WARNING, logger="weasyprint")
    try:
        pdf = html_to_pdf(*documents)
    except PdfUnavailableError as exc:  # WeasyPrint's libraries missing
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PDF output not available here: {exc}")
    assert pdf.startswith(b"%PDF")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
