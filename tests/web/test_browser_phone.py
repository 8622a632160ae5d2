"""Every page a tumour board opens, with the longest real content, on a 390-pixel phone.

The content is real: the published case with the longest label (cr04, Clin J
Gastroenterol 2022), its second version labelled with the report's title, and the real
FHIR record with the longest resource ids (mcode-ctm-patient02, read for 2024-01-01 as
fixtures/fhir-real/manifest.json dates it): "Condition/mCODETrialMatchingPrimaryCancer
ConditionPatientExample02" in its warnings. No page may run past the screen's edge, so
that nothing a clinician must read sits off the screen. Skipped like tests/web/
test_browser.py without Chromium or Playwright on a developer machine.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nelm.web.cases import normalised_document
from tests.web.conftest import Site
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    browser,
    import_record,
    log_in,
    served,
)

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parents[1]
RECORD = TESTS / "interop" / "fixtures" / "fhir-real" / "external" / "mcode-ctm-patient02.json"
LONGEST_ID = "mCODETrialMatchingPrimaryCancerConditionPatientExample02"


def _published_case(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((TESTS / "realcases" / name).read_text("utf-8"))
    return found


def _overflow(page: Any) -> str:
    """What runs past the screen's right edge ("" when nothing does)."""
    return str(
        page.evaluate("""() => {
        if (document.documentElement.scrollWidth <= window.innerWidth) return '';
        // the boxes past the edge, else the boxes whose words spill out of them
        const all = [...document.body.querySelectorAll('*')];
        let past = all.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1);
        if (!past.length) past = all.filter(e => e.scrollWidth > e.clientWidth + 1
            && getComputedStyle(e).overflowX === 'visible');
        return document.documentElement.scrollWidth + ' px: ' + past.slice(-3).map(e =>
            e.tagName + ' ' + (e.textContent || '').trim().slice(0, 60)).join(' | ');
    }""")
    )


def test_every_board_page_with_the_longest_real_content_fits_a_phone(
    served: tuple[Site, str],  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    site, base = served
    root = site.user("root", "admin")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(60_000)
    log_in(page, base, "root")

    # the FHIR record through the form, as a clinician stores it
    import_record(page, base, RECORD, as_of="2024-01-01", case_id="mcode-ctm-patient02")
    record_case = site.store.find_case("mcode-ctm-patient02")
    assert record_case is not None

    # the published case, then a second version labelled with the report's title
    published = _published_case("cr04-cjg2022-pnen-repeat-hepatectomy.json")
    case = site.store.create_case(normalised_document(published["case"]), root)
    relabelled = {**published["case"], "label": published["citation"]["title"]}
    site.store.update_case(case.id, normalised_document(relabelled), root)
    deleted = site.store.create_case(
        normalised_document({**published["case"], "case_id": "cr04-deleted-copy"}), root
    )
    site.store.delete_case(deleted.id, root)

    # a meeting with both on its agenda, a decision recorded for each
    meeting = site.store.create_meeting(
        held_on=date(2027, 1, 14),
        title="Neuroendocrine tumour board",
        specialties=["Hepatobiliary surgery", "Medical oncology"],
        attendees=["Dr A (hepatobiliary surgery)", "Dr B (medical oncology)"],
        user=root,
    )
    question = "Which liver-directed or systemic treatment after the repeat hepatectomies?"
    for pk, version in ((case.id, 2), (record_case.id, 1)):
        site.store.add_to_agenda(meeting.id, pk, presenter="Dr A", question=question, user=root)
        site.store.record_decision(
            pk,
            case_version=version,
            options=["ssa"],
            text="Discussed; somatostatin analogue, re-staging in three months. " * 8,
            user=root,
            meeting_id=meeting.id,
        )

    pages = [
        "/",
        "/meetings",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/present/1",
        f"/meetings/{meeting.id}/present/2",
        f"/meetings/{meeting.id}/record.html",
        "/account",
        "/admin/users",
        "/admin/deleted-cases",
        f"/cases/{case.id}/diff?from=1&to=2",
        f"/cases/{case.id}?version=1",
        f"/cases/{case.id}/evidence/liver_resection",
        f"/cases/{case.id}/evidence/prrt",
        "/cases/999999",  # the 404 page
    ]
    for pk in (case.id, record_case.id):
        pages += [
            f"/cases/{pk}",
            f"/cases/{pk}/edit",
            f"/cases/{pk}/decisions",
            # the board summary as the browser shows it: its warnings' column held the
            # record's resource id unbroken and ran to 522 px
            f"/cases/{pk}/summary.html",
        ]
    for address in pages:
        page.goto(base + address)
        # every folded part open: what a clinician reads once they tap it
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert _overflow(page) == "", address
    assert LONGEST_ID in page.inner_text("body")  # the record's summary, last: the id shows

    # the agenda printed on paper narrower than 40rem (A5, 148 mm): its rows stack as on
    # a phone, and the "Remove…" of each row stays off the paper as it does on A4
    page.goto(f"{base}/meetings/{meeting.id}")
    page.emulate_media(media="print")
    assert page.locator("#agenda-table td.pos").first.is_visible()
    assert not page.locator("details.remove-item").first.is_visible()
    page.emulate_media(media="screen")

    # a form sent back with a problem, on the phone
    page.goto(f"{base}/cases/{case.id}/edit")
    page.get_by_label("Ki-67 index", exact=False).first.fill("150")
    page.get_by_role("button", name="Save and assess").click()
    page.locator("#form-problems").wait_for()
    assert _overflow(page) == ""
    context.close()
