"""A decision taken on an earlier case version, shown where the decision in force is shown
(the reviewer's report, point 2; docs/web.md "Board decisions"): a final decision for
curative-intent liver resection on version 1 of the sparse example (nelm: uncertain, as the
report says), then version 3 with the liver judged unresectable by the surgeons. nelm then
marks the resection ineligible: its criterion "Liver metastases of type I (simple) or II
(complex), not diffuse — or judged resectable (now or after conversion) by the surgeons"
reads the surgeons' judgement first (knowledge/data/options/surgery.yaml, 004 §3.1).
Every place says the decision was taken on version 1, that the case has changed since
(version 3), and nelm's status now."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nelm.web.cases import normalised_document
from tests.web.conftest import Site
from tests.web.test_pages import form, logged_in

ROOT = Path(__file__).resolve().parents[2]
SPARSE = json.loads((ROOT / "examples" / "sparse.json").read_text("utf-8"))
RESECTION = "Curative-intent liver resection (one stage)"
SAID = "Decided on version 1; the case has changed since (version 3)"


def _decided_then_changed(site: Site) -> tuple[object, str, int, int]:
    client, csrf = logged_in(site)
    pk = site.store.create_case(normalised_document(SPARSE), None).id
    made = client.post(
        "/meetings", data=form(csrf, held_on="2026-12-03", title="NET board", attendees="Dr A")
    )
    match = re.fullmatch(r"/meetings/(\d+)", made.headers["location"])
    assert match is not None
    meeting = int(match.group(1))
    client.post(f"/meetings/{meeting}/agenda", data=form(csrf, case_pk=str(pk), question="Q?"))
    recorded = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            case_version="1",
            options=["liver_resection"],
            status="final",
            meeting_id=str(meeting),
            text="Resect.",
        ),
    )
    assert recorded.status_code == 303
    (decision,) = site.store.list_decisions(pk)
    assert decision.option_statuses == {"liver_resection": "uncertain"}  # as reported
    second = {**SPARSE, "label": "second look"}
    site.store.update_case(pk, normalised_document(second), None)
    third = {**second, "liver": {"surgical_assessment": "unresectable"}}
    site.store.update_case(pk, normalised_document(third), None)
    return client, csrf, pk, meeting


def test_the_case_page_says_the_decision_was_taken_on_an_earlier_version(site: Site) -> None:
    client, _, pk, _ = _decided_then_changed(site)
    page = client.get(f"/cases/{pk}").text
    latest = page.split('id="latest-decision"', 1)[1].split("</div>", 1)[0]
    assert SAID + ".</strong>" in latest
    assert RESECTION + ' <span class="status small ineligible">ineligible</span>' in latest
    assert "(on version 1: uncertain)" in latest
    assert f'href="/cases/{pk}/diff?from=1&amp;to=3"' in latest
    # the history says it beside the decision in force too
    assert 'id="standing-1"' in page
    # looking at version 1 itself, the case has still changed since
    assert SAID in client.get(f"/cases/{pk}?version=1").text


def test_the_presentation_view_and_the_agenda_say_it(site: Site) -> None:
    client, _, pk, meeting = _decided_then_changed(site)
    present = client.get(f"/meetings/{meeting}/present/1").text
    assert SAID in present.split('id="latest-decision"', 1)[1].split("</div>", 1)[0]
    agenda = client.get(f"/meetings/{meeting}").text
    assert f'id="standing-{pk}"' in agenda
    assert SAID + "; nelm now: ineligible." in agenda
    listing = client.get("/").text
    assert "Decided on version 1; changed since; nelm now: ineligible" in listing


def test_the_board_summary_and_meeting_record_say_it(site: Site, tmp_path: Path) -> None:
    client, _, pk, meeting = _decided_then_changed(site)
    summary = client.get(f"/cases/{pk}/summary.html").text
    decision = summary.split('<div class="decision">', 1)[1].split("</div>", 1)[0]
    assert "on case version 1" in decision
    assert SAID + "; nelm now: ineligible." in decision
    assert RESECTION + ' <span class="status uncertain">(nelm on version 1: uncertain; now: ' in (
        decision
    )
    assert "(nelm on version 1: uncertain; now: ineligible)" in decision
    record = client.get(f"/meetings/{meeting}/record.html").text
    assert SAID + "; nelm now: ineligible." in record
    assert "(nelm on version 1: uncertain; now: ineligible)" in record
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = client.get(f"/cases/{pk}/summary.pdf")
    if pdf.status_code == 503:
        pytest.skip("WeasyPrint cannot run here")
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "case version 3" in flat
    assert SAID + "; nelm now: ineligible." in flat
    assert "(nelm on version 1: uncertain; now: ineligible)" in flat
