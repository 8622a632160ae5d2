"""A case decided at one meeting and on the agenda of the next (the reviewer's board
session, points 2 and 3; docs/web.md "Meeting record" and "Meetings").

cr22 (a real case, tests/realcases) is decided at the first meeting on version 3, then
edited to version 4: SSTR imaging negative, largest liver lesion 6 cm. It is on the
second meeting's agenda and nothing is decided there. The second meeting's record must
print the case as it is now (version 4, "SSTR negative"), not the version decided on at
the first meeting, while still describing the decision in force from the first meeting
with its version and "the case has changed since". The decision is recorded before the
first meeting's date (the first meeting is held two days after today), so the record of
the second meeting, the board summary and the agenda mark it so, and the agenda names
the meeting it was taken at with its date instead of "another meeting"."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from nelm.web.cases import normalised_document
from tests.web.conftest import Site
from tests.web.test_pages import form, logged_in

CR22 = json.loads(
    (
        Path(__file__).resolve().parents[1]
        / "realcases"
        / "cr22-marques-gastric-net-late-liver.json"
    ).read_text("utf-8")
)["case"]


def _day(n: int) -> datetime:
    return datetime.now(UTC) + timedelta(days=n)


def _meeting(client: TestClient, csrf: str, held: datetime, pk: int, question: str) -> int:
    made = client.post(
        "/meetings",
        data=form(csrf, held_on=held.date().isoformat(), title="NET board", attendees="Dr A"),
    )
    found = re.fullmatch(r"/meetings/(\d+)", made.headers["location"])
    assert found is not None
    meeting = int(found.group(1))
    client.post(f"/meetings/{meeting}/agenda", data=form(csrf, case_pk=str(pk), question=question))
    return meeting


def _decided_then_changed(site: Site) -> tuple[TestClient, int, int, int]:
    client, csrf = logged_in(site)
    pk = site.store.create_case(normalised_document(CR22), None).id
    for n in (2, 3):
        site.store.update_case(pk, normalised_document({**CR22, "label": f"look {n}"}), None)
    first = _meeting(client, csrf, _day(2), pk, "Resect both metastases?")
    second = _meeting(client, csrf, _day(9), pk, "SSTR-negative now: what next?")
    recorded = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            case_version="3",
            options=["ssa"],
            status="final",
            meeting_id=str(first),
            text="SSA first.",
        ),
    )
    assert recorded.status_code == 303
    changed = {
        **CR22,
        "label": "look 4",
        "imaging": {"sstr_positive": False},
        "liver": {**CR22["liver"], "largest_lesion_cm": 6},
    }
    site.store.update_case(pk, normalised_document(changed), None)
    assert site.store.get_case(pk).current_version == 4
    return client, pk, first, second


def test_the_later_meetings_record_prints_the_case_as_it_is_now(site: Site, tmp_path: Path) -> None:
    client, _, first, second = _decided_then_changed(site)
    front = client.get(f"/meetings/{second}/record.html").text
    assert "No decision recorded at this meeting." in front
    first_held = _day(2).strftime("%d %B %Y")
    assert f"In force: the final decision taken at the meeting of {first_held} (NET board)" in (
        front
    )
    assert "Decided on version 3; the case has changed since (version 4)" in front
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = client.get(f"/meetings/{second}/record.pdf")
    if pdf.status_code == 503:
        pytest.skip("WeasyPrint cannot run here")
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    summary = " ".join(text.split("Tumour-board summary", 1)[1].split())
    assert "case version 4" in summary and "case version 3 ·" not in summary
    assert "SSTR negative" in summary and "SSTR positive" not in summary
    assert "SSTR-negative now: what next?" in summary  # this meeting's question
    # every case printed is audited as an export, at the version printed
    audited = [a.detail for a in site.store.audit_entries() if a.action == "export"]
    assert f"meeting record {second} version 4" in audited
    # the first meeting's record still prints the version decided on there
    first_front = client.get(f"/meetings/{first}/record.html").text
    assert "on case version 3" in first_front


def test_a_decision_recorded_before_its_meetings_date_is_marked_at_the_next_meeting(
    site: Site,
) -> None:
    client, pk, first, second = _decided_then_changed(site)
    record = client.get(f"/meetings/{second}/record.html").text
    in_force = record.split("In force:", 1)[1].split("</p>", 1)[0]
    assert "<strong>(before that meeting's date)</strong>" in in_force
    agenda = client.get(f"/meetings/{second}").text
    taken = agenda.split(f'id="taken-at-{pk}">', 1)[1].split("</span>", 1)[0]
    assert f'the <a href="/meetings/{first}">meeting of {_day(2).strftime("%d %b %Y")}</a>' in (
        taken
    )
    assert "another meeting" not in agenda
    assert f'id="early-{pk}">recorded before that meeting' + "'s date" in agenda
    # at the first meeting's own agenda the decision is this meeting's
    own = client.get(f"/meetings/{first}").text
    assert f'id="taken-at-{pk}"' not in own
    assert f'id="early-{pk}">recorded before the meeting' + "'s date" in own
