"""Pages a tumour board prints from the browser (Ctrl+P), on A4 in Debian's Chromium.

A case page printed from the browser put an option card's heading and its tally ("0 of 6
criteria met") at the foot of one page and the card overleaf; the meeting page printed
its forms to add a case and change the meeting. Skipped like tests/web/test_browser.py
without Chromium or Playwright on a developer machine.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nelm.web.cases import normalised_document
from tests.store.support import skip_or_fail
from tests.web.conftest import Site
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    browser,
    import_record,
    log_in,
    served,
)

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parents[1]
RECORD = TESTS / "interop" / "fixtures" / "fhir-real" / "external" / "uscore-9.0.0-examples.json"
# a card's tally line, the line under its heading (templates/_summary.html)
TALLY = re.compile(r"^(\d+ of \d+ criteri(on|a) met|All \d+ criteria met|Its one criterion met)")
STATUS = re.compile(r"(Uncertain|Eligible|Ineligible) ")


def _pdf_pages(pdf: Path) -> list[str]:
    if not shutil.which("pdftotext"):
        skip_or_fail("the print test reads the PDF with pdftotext (apt-get install poppler-utils)")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def _cards_cut_from_their_heading(pdf: Path) -> list[tuple[int, str]]:
    """Each tally line whose card heading is not just above it on the same page."""
    cut = []
    for number, text in enumerate(_pdf_pages(pdf), 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for at, line in enumerate(lines):
            if TALLY.match(line) and not any(STATUS.search(x) for x in lines[max(0, at - 3) : at]):
                cut.append((number, line))
    return cut


def test_a_printed_case_page_keeps_each_card_s_heading_with_its_card(
    served: tuple[Site, str],  # noqa: F811
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    site, base = served
    root = site.user("root", "admin")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, base, "root")
    # a real record with every option open (23 cards) and a thin published case (cr06)
    import_record(page, base, RECORD, as_of="2005-08-01", case_id="uscore-example")
    published = json.loads(
        (TESTS / "realcases" / "cr06-tankova-pnet-distal-pancreatectomy.json").read_text("utf-8")
    )
    thin = site.store.create_case(normalised_document(published["case"]), root)
    record = site.store.find_case("uscore-example")
    assert record is not None
    for pk in (record.id, thin.id):
        page.goto(f"{base}/cases/{pk}")
        cards = page.locator("article.option").count()  # the ruled-out ones are a table
        assert cards >= 10
        page.emulate_media(media="print")
        for paper in ("A4", "Letter", "A5"):  # where a page ends differs with each
            pdf = tmp_path / f"case-{pk}-{paper}.pdf"
            page.pdf(path=str(pdf), format=paper)
            pages = _pdf_pages(pdf)
            assert len(pages) > 5
            # every card's tally is printed (nothing dropped), each under its heading
            tallies = sum(
                1 for text in pages for line in text.splitlines() if TALLY.match(line.strip())
            )
            assert tallies == cards, paper
            assert _cards_cut_from_their_heading(pdf) == [], paper
        page.emulate_media(media="screen")
    context.close()


def test_a_printed_meeting_page_leaves_out_its_forms(
    served: tuple[Site, str],  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    site, base = served
    root = site.user("root", "admin")
    meeting = site.store.create_meeting(
        held_on=date(2027, 1, 14),
        title="Neuroendocrine tumour board",
        specialties=["Hepatobiliary surgery"],
        attendees=["Dr A (hepatobiliary surgery)"],
        user=root,
    )
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    log_in(page, base, "root")
    page.goto(f"{base}/meetings/{meeting.id}")
    assert page.get_by_role("heading", name="Add a case to the agenda").is_visible()
    page.emulate_media(media="print")
    printed = page.inner_text("main")
    assert "Neuroendocrine tumour board" in printed and "Dr A" in printed
    assert not page.get_by_role("heading", name="Add a case to the agenda").is_visible()
    assert not page.get_by_text("Change the date, title, specialties or attendees").is_visible()
    context.close()
