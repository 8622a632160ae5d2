"""The board's workspace through the TestClient: meetings and their agenda, presenting a
case, decisions (status, attendees, reasons for ineligible choices, amend and supersede),
the change banner and the version diff, the board summary PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import Site
from tests.web.test_pages import form, logged_in, new_case

# A case nelm reads as unfit for major surgery: curative-intent liver resection is then
# ineligible ("surgical resection with curative intent is not indicated in patients with
# ... comorbidities and/or frailty making surgery unsafe", 001 Introduction).
UNFIT = {
    "pathology.ki67_percent": "5",
    "pathology.differentiation": "well",
    "primary.site": "pancreas",
    "liver.distribution": "unilobar",
    "patient.fit_for_major_surgery": "no",
}


def _meeting(client: TestClient, csrf: str) -> int:
    response = client.post(
        "/meetings",
        data=form(
            csrf,
            held_on="2027-01-14",
            title="NET board",
            specialties=["Hepatobiliary surgery", "Nuclear medicine"],
            attendees="Dr A (surgery)\nDr B (nuclear medicine)",
        ),
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/meetings/(\d+)", response.headers["location"])
    assert match is not None
    return int(match.group(1))


def test_a_meeting_needs_a_date_and_says_so_with_the_label_shown(site: Site) -> None:
    client, csrf = logged_in(site)
    response = client.post("/meetings", data=form(csrf, held_on="14/01/2027"))
    assert response.status_code == 422
    assert (
        "Date of the meeting: expected a date such as 2027-03-31, got &#39;14/01/2027&#39;"
        in response.text
    )


def test_a_mistyped_meeting_date_can_be_corrected(site: Site) -> None:
    # A coordinator who typed the 14th for the 21st must not have to make a new meeting
    # and move its agenda; a date that is no date is refused and the meeting kept.
    client, csrf = logged_in(site)
    meeting = _meeting(client, csrf)
    moved = client.post(
        f"/meetings/{meeting}", data=form(csrf, held_on="2027-01-21", title="NET board")
    )
    assert moved.status_code == 303
    assert site.store.get_meeting(meeting).held_on.isoformat() == "2027-01-21"
    refused = client.post(f"/meetings/{meeting}", data=form(csrf, held_on="21/01/2027"))
    assert refused.status_code == 422
    assert "Date of the meeting: expected a date such as 2027-03-31" in refused.text
    assert site.store.get_meeting(meeting).held_on.isoformat() == "2027-01-21"


def test_prepare_present_decide_and_amend(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="mt-1", **UNFIT)
    meeting = _meeting(client, csrf)
    added = client.post(
        f"/meetings/{meeting}/agenda",
        data=form(csrf, case_pk=str(pk), presenter="Dr A", question="Resect or embolise?"),
    )
    assert added.status_code == 303
    again = client.post(
        f"/meetings/{meeting}/agenda",
        data=form(csrf, case_pk=str(pk), presenter="Dr A", question="twice"),
    )
    assert again.status_code == 409
    agenda_page = client.get(f"/meetings/{meeting}").text
    assert "Resect or embolise?" in agenda_page and 'id="agenda-table"' in agenda_page

    present = client.get(f"/meetings/{meeting}/present/1").text
    assert 'id="board-question"' in present and "Resect or embolise?" in present
    assert "Dr A (surgery)\nDr B (nuclear medicine)</textarea>" in present
    assert 'name="reason-liver_resection"' in present

    back = f"/meetings/{meeting}/present/1"
    missing = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            options=["liver_resection"],
            status="provisional",
            back=back,
            meeting_id=str(meeting),
            attendees="Dr A",
            case_version="1",
        ),
    )
    assert missing.status_code == 422
    assert (
        "Reason for choosing Curative-intent liver resection (one stage): nelm marks it "
        "ineligible, so the board&#39;s reason is required."
    ) in missing.text
    # said at the top of the page too, where the presenter is looking, with a link to why
    head = missing.text.split('id="decisions"')[0]
    assert 'id="decision-refused"' in head and 'href="#decision-problems"' in head

    recorded = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            options=["liver_resection"],
            status="provisional",
            back=back,
            meeting_id=str(meeting),
            attendees="Dr A\nDr B",
            case_version="1",
            **{"reason-liver_resection": "Fitness reassessed by anaesthesia: fit."},
            text="Resect after anaesthetic review.",
            follow_up_on="2027-02-01",
        ),
    )
    assert recorded.status_code == 303
    assert recorded.headers["location"].startswith(back)
    (first,) = site.store.list_decisions(pk)
    assert first.status == "provisional" and first.meeting_id == meeting
    # presented again, the page says this meeting has decided and how to correct it
    again_page = client.get(back).text
    assert 'id="decided-here"' in again_page and "Record a further decision" in again_page
    assert 'id="decided-here"' not in present
    assert first.option_statuses == {"liver_resection": "ineligible"}
    assert first.override_reasons == {"liver_resection": "Fitness reassessed by anaesthesia: fit."}
    assert first.attendees == ("Dr A", "Dr B") and str(first.follow_up_on) == "2027-02-01"

    change = client.get(f"/cases/{pk}/decisions/{first.id}/change?kind=amendment")
    assert change.status_code == 200 and "Amend decision" in change.text
    amended = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            options=["liver_resection"],
            status="final",
            replaces_id=str(first.id),
            change="amendment",
            case_version="1",
            text="Resect.",
            **{"reason-liver_resection": "Fit after review."},
        ),
    )
    assert amended.status_code == 303
    old, new = site.store.list_decisions(pk)
    assert old.replaced_by == new.id and not old.current
    assert new.change == "amendment" and new.replaces_id == old.id and new.status == "final"
    page = client.get(f"/cases/{pk}").text
    assert "amends" in page and "replaced by" in page  # the history stays readable
    twice = client.get(f"/cases/{pk}/decisions/{first.id}/change?kind=supersession")
    assert twice.status_code == 409


def test_saving_a_version_says_what_changed(site: Site) -> None:
    client, csrf = logged_in(site)
    fit = {**UNFIT, "patient.fit_for_major_surgery": "yes"}
    pk = new_case(client, csrf, case_id="ch-1", **fit)
    saved = client.post(f"/cases/{pk}/edit", data=form(csrf, **UNFIT))
    assert saved.headers["location"] == f"/cases/{pk}?saved=1"
    page = client.get(saved.headers["location"]).text
    banner = page[page.index('id="change-banner"') : page.index('id="summary"')]
    assert "Fit for major surgery yes → <strong>no</strong>" in banner
    # 001 Introduction: curative-intent resection is not for patients unfit for surgery
    assert re.search(
        r"Curative-intent liver resection \(one stage\) \w+ → "
        r"<strong>Ineligible</strong>",
        banner,
    )
    diff = client.get(f"/cases/{pk}/diff?from=1&to=2").text
    assert 'id="input-changes"' in diff and 'id="status-changes"' in diff
    assert client.get(f"/cases/{pk}/diff?from=1&to=9").status_code == 404


def _pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        return [p for p in text.split("\f") if p.strip()]
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(path).pages]


def test_the_board_summary_is_two_pages_with_the_case_id_and_page_numbers(
    site: Site, tmp_path: Path
) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="sum-1", **UNFIT)
    client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            options=["ssa"],
            status="final",
            text="SSA, restage in 3 months.",
            case_version="1",
        ),
    )
    response = client.get(f"/cases/{pk}/summary.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pages = _pdf_pages(response.content, tmp_path)
    assert 1 <= len(pages) <= 2
    for number, text in enumerate(pages, start=1):
        assert "Case sum-1" in text and f"Board summary, page {number} of {len(pages)}" in text
    whole = "\n".join(pages)
    assert "FINAL" in whole and "SSA, restage in 3 months." in whole
    assert "References" in whole and "doi:" in whole
    assert "001 " not in whole and "liver_resection" not in whole  # no codes or ids


def test_the_full_report_is_the_board_summary_then_the_assessment(
    site: Site, tmp_path: Path
) -> None:
    """Issue 10 point 6: the summary first, then the assessment; evidence only when asked."""
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="full-1", **UNFIT)
    response = client.get(f"/cases/{pk}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pages = _pdf_pages(response.content, tmp_path)
    whole = "\n".join(pages)
    assert "Tumour-board summary" in pages[0]
    assert whole.index("Tumour-board summary") < whole.index("Tumour-board assessment")
    assert "Appendix: evidence" not in whole


def test_references_end_the_case_page_and_every_citation_links_to_one(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="ref-1", **UNFIT)
    page = client.get(f"/cases/{pk}").text
    targets = set(re.findall(r'href="#ref-(\d+)"', page))
    listed = set(re.findall(r'<li id="ref-(\d+)"', page))
    assert targets and targets == listed
    assert "doi:10.20524/aog.2021.0574" in page  # 001's DOI, from its header
    # 001's author list ends "et al." (its header): one full stop, not two
    assert "Machairas N, Daskalakis K, Felekouras E, et al. Currently" in page
    assert "al.." not in page


def test_the_case_list_searches_filters_and_pages_on_the_server(site: Site) -> None:
    client, csrf = logged_in(site)
    for i in range(27):
        site.store.create_case(
            {"schema_version": 1, "case_id": f"list-{i:02d}", "label": "liver" if i % 2 else None},
            None,
        )
    unfit = new_case(client, csrf, case_id="unfit-1", **UNFIT)
    first = client.get("/").text
    assert "28 cases · page 1 of 2" in first and first.count("<tr><td><a href=") == 25
    assert "28 cases · page 2 of 2" in client.get("/?page=2").text
    assert "1 case<" in client.get("/?q=UNFIT").text
    assert "13 cases" in client.get("/?q=liver").text  # the label, case-insensitively
    # 001 Introduction: curative resection is not for a patient unfit for major surgery
    filtered = client.get("/?option=liver_resection&status=ineligible").text
    assert "1 case<" in filtered and f'href="/cases/{unfit}"' in filtered
    client.post(
        f"/cases/{unfit}/decisions", data=form(csrf, options=["ssa"], text="SSA", case_version="1")
    )
    decided = client.get("/?decided=yes").text
    assert "1 case<" in decided and "Somatostatin analogue" in decided
    assert "needs data" in client.get("/?needs_data=yes").text


def test_the_form_speaks_clinical_language(site: Site) -> None:
    client, csrf = logged_in(site)
    page = client.get("/cases/new").text
    assert ">not known</option>" in page and ">unknown</option>" not in page
    # an unknown primary is a diagnosis (CUP), not a missing value
    assert '<option value="unknown_primary">unknown primary (CUP)</option>' in page
    assert "Conventional transarterial chemoembolisation (cTACE)</label>" in page
    assert "> tace</label>" not in page
    rejected = client.post(
        "/cases/new", data=form(csrf, case_id="f-1", **{"pathology.ki67_percent": "150"})
    )
    assert rejected.status_code == 422
    assert "Ki-67 index: must be a number between 0 and 100, got 150" in rejected.text


def test_a_new_knowledge_base_lists_the_cases_whose_conclusions_change(
    site: Site, tmp_path: Path
) -> None:

    from typer.testing import CliRunner

    from nelm.cli import app
    from nelm.service import assess_mapping
    from nelm.store import input_hash

    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="kb-1", **UNFIT)
    case = site.store.get_case(pk)
    # an assessment stored under an earlier knowledge base that had read the case as
    # eligible for resection; today's reads it as ineligible (001 Introduction: not for a
    # patient unfit for major surgery)
    older = assess_mapping(case.document)
    older["options"]["liver_resection"]["status"] = "eligible"
    site.store.save_assessment(pk, 1, "2025.9+older", input_hash(case.document), older, None)
    page = client.get("/knowledge/changes").text
    assert 'id="knowledge-changes"' in page and "kb-1" in page and "2025.9+older" in page
    row = page[page.index("Curative-intent liver resection (one stage)") :]
    assert row.index("Eligible") < row.index("Ineligible")
    url = str(site.store.engine.url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["knowledge-changes", "--database", url])
    assert result.exit_code == 0, result.output
    assert "1 stored case concludes differently" in result.output
    assert "Curative-intent liver resection (one stage): eligible → ineligible" in result.output


def test_the_plan_rationale_on_the_case_page_cites_reviews_by_author(site: Site) -> None:
    # A G3 NET (Ki-67 32 %, well differentiated; 000 §1: Ki-67 > 20 % is G3): the PRRT
    # step's rationale names 002 and 000 on the seeds' disagreement about the first line.
    client, csrf = logged_in(site)
    pk = new_case(
        client,
        csrf,
        case_id="g3-1",
        **{
            "pathology.ki67_percent": "32",
            "pathology.differentiation": "well",
            "primary.site": "pancreas",
            "imaging.sstr_positive": "yes",
            "course.status": "new_diagnosis",
        },
    )
    page = client.get(f"/cases/{pk}").text
    why = page[page.index('class="plan-why"') :]
    why = why[: why.index("</ol>")]
    assert "sources differ" in why
    assert "(002, 000)" not in why
    assert re.search(r'\(<a class="cite" href="#ref-\d+">Criss', why)


def test_the_meeting_record_lists_each_cases_decision_then_its_summary(
    site: Site, tmp_path: Path
) -> None:
    # A board files what it decided (docs/web.md, "The meeting record"). Case mr-1 is unfit
    # for major surgery, so curative-intent resection is ineligible (001 Introduction) and a
    # board choosing it must give its reason; case mr-2 gets no decision at this meeting.
    client, csrf = logged_in(site)
    decided = new_case(client, csrf, case_id="mr-1", **UNFIT)
    open_case = new_case(client, csrf, case_id="mr-2", **UNFIT)
    meeting = _meeting(client, csrf)
    for pk, question in ((decided, "Resect or embolise?"), (open_case, "PRRT now?")):
        added = client.post(
            f"/meetings/{meeting}/agenda",
            data=form(csrf, case_pk=str(pk), presenter="Dr A", question=question),
        )
        assert added.status_code == 303
    recorded = client.post(
        f"/cases/{decided}/decisions",
        data=form(
            csrf,
            options=["liver_resection"],
            status="provisional",
            meeting_id=str(meeting),
            attendees="Dr A\nDr B",
            case_version="1",
            **{"reason-liver_resection": "Fit after anaesthetic review."},
            text="Resect after anaesthetic review.",
            follow_up_on="2027-02-01",
        ),
    )
    assert recorded.status_code == 303
    assert f'href="/meetings/{meeting}/record.pdf"' in client.get(f"/meetings/{meeting}").text

    page = client.get(f"/meetings/{meeting}/record.html")
    assert page.status_code == 200
    rows = page.text.split('<table id="minutes">', 1)[1].split("</table>", 1)[0]
    first, second = rows.split("<tr>")[2:4]
    assert "mr-1" in first and "Resect or embolise?" in first and "PROVISIONAL" in first
    assert "Curative-intent liver resection (one stage)" in first
    assert "(nelm: ineligible)" in first
    assert "board's reason: Fit after anaesthetic review." in first
    assert "01 February 2027" in first
    assert "mr-2" in second and "No decision recorded at this meeting." in second
    assert "2 cases on the agenda, 1 decided at this meeting (1 provisionally)" in page.text

    pdf = client.get(f"/meetings/{meeting}/record.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    pages = _pdf_pages(pdf.content, tmp_path)
    whole = "\n".join(pages)
    assert "Tumour-board meeting record" in pages[0]
    assert whole.index("meeting record") < whole.index("Tumour-board summary · case mr-1")
    assert whole.index("case mr-1") < whole.index("Tumour-board summary · case mr-2")
    # every case shown is audited as an export
    exported = [e for e in site.store.audit_entries() if e.action == "export"]
    assert {e.case_id for e in exported} >= {"mr-1", "mr-2"}
    assert client.get(f"/meetings/{meeting}/record.txt").status_code == 404


def test_a_printable_document_shown_in_the_browser_allows_its_own_style_sheet_alone(
    site: Site,
) -> None:
    # The pages' policy takes style sheets from the application only, so the board
    # summary's inline style sheet was blocked and the page shown unstyled. Its answer
    # allows that style sheet by its SHA-256 hash (CSP Level 2) and nothing else.
    import base64
    import hashlib

    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="csp-1", **UNFIT)
    response = client.get(f"/cases/{pk}/summary.html")
    assert response.status_code == 200
    (policy,) = response.headers.get_list("content-security-policy")
    # every style sheet, the phone's too (its own element, media-limited), by its hash
    sheets = [
        part.split(">", 1)[1].split("</style>", 1)[0] for part in response.text.split("<style")[1:]
    ]
    assert len(sheets) == 2 and 'media="screen and (max-width: 40em)"' in response.text
    for css in sheets:
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert policy.count("'sha256-") == 2
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    # every other page keeps the application's policy, once
    (page_policy,) = client.get(f"/cases/{pk}").headers.get_list("content-security-policy")
    assert "style-src 'self'" in page_policy


def test_a_case_whose_record_said_the_patient_died_is_marked_on_the_agenda_and_record(
    site: Site,
) -> None:
    # docs/case-v1-additions.md, "What the record said": a death stands beside the case
    # wherever a board meets it, not only on its own page.
    from nelm.web.cases import normalised_document

    said = "The FHIR record “r.json” read for 2026-12-01: DECEASED: the record says so."
    client, csrf = logged_in(site)
    case = site.store.create_case(
        normalised_document({"case_id": "dead-1", "record_warnings": [said]}), None
    )
    meeting = _meeting(client, csrf)
    added = client.post(
        f"/meetings/{meeting}/agenda",
        data=form(csrf, case_pk=str(case.id), presenter="Dr A", question="Anything?"),
    )
    assert added.status_code == 303
    agenda = client.get(f"/meetings/{meeting}").text
    assert "⚠ The record: deceased" in agenda
    record = client.get(f"/meetings/{meeting}/record.html").text
    rows = record.split('<table id="minutes">', 1)[1]
    assert '<span class="flag small">DECEASED</span>' in rows
    assert said in rows


def test_a_new_meeting_claims_no_specialty_until_one_is_ticked(site: Site) -> None:
    # The meeting record files "Specialties: …" as present: none may be ticked for the user.
    client, csrf = logged_in(site)
    page = client.get("/meetings").text
    boxes = re.findall(r'<input type="checkbox" name="specialties"[^>]*>', page)
    assert boxes and not any("checked" in b for b in boxes)
    refused = client.post(
        "/meetings", data=form(csrf, held_on="", specialties=["Nuclear medicine"])
    )
    assert refused.status_code == 422
    kept = re.findall(r'<input type="checkbox" name="specialties"[^>]*checked>', refused.text)
    assert kept == ['<input type="checkbox" name="specialties" value="Nuclear medicine" checked>']


def test_the_meeting_record_says_where_a_decision_in_force_or_its_replacement_was_taken(
    site: Site, tmp_path: Path
) -> None:
    # A coordinator files the record of each meeting: a case decided at an earlier meeting
    # and presented again without a new decision shows the decision in force and where it
    # was taken (its summary too); a decision amended since says by what.
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="mr-3", **UNFIT)
    first = _meeting(client, csrf)
    second = _meeting(client, csrf)
    for meeting in (first, second):
        client.post(
            f"/meetings/{meeting}/agenda",
            data=form(csrf, case_pk=str(pk), presenter="Dr A", question="SSA?"),
        )
    decided = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf, options=["ssa"], status="provisional", meeting_id=str(first), case_version="1"
        ),
    )
    assert decided.status_code == 303
    (taken,) = site.store.list_decisions(pk)
    amended = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            options=["ssa"],
            status="final",
            replaces_id=str(taken.id),
            change="amendment",
            case_version="1",
        ),
    )
    assert amended.status_code == 303
    ssa = "Somatostatin analogue (octreotide LAR, lanreotide)"
    at_first = client.get(f"/meetings/{first}/record.html").text
    assert "Amended since, outside a meeting (recorded" in at_first
    assert f"final, {ssa}." in at_first
    at_second = client.get(f"/meetings/{second}/record.html").text
    assert "No decision recorded at this meeting." in at_second
    assert "In force: the final decision taken outside a meeting (recorded" in at_second
    pages = _pdf_pages(client.get(f"/meetings/{second}/record.pdf").content, tmp_path)
    summary = "\n".join(pages[1:])
    assert "FINAL · taken outside a meeting" in summary
    assert "No decision recorded yet" not in summary


def test_an_empty_status_group_of_the_decision_form_says_so(site: Site) -> None:
    # A case with nothing known: "missing data is never read as normal and leaves an
    # option uncertain" (docs/clinical-safety.md, and the footer of every page), so none
    # of the 23 options (README) is eligible and none is ruled out. The form's Eligible and
    # Ineligible groups say that in words instead of standing empty under their heading.
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="nothing-known")
    page = client.get(f"/cases/{pk}").text
    groups = {
        status: re.search(
            rf'<div class="choice-col" id="choices-{status}">(.*?)</div>\n', page, re.S
        )
        for status in ("eligible", "uncertain", "ineligible")
    }
    eligible, uncertain, ineligible = (groups[s] for s in ("eligible", "uncertain", "ineligible"))
    assert eligible and uncertain and ineligible
    assert "Eligible (0)" in eligible.group(1)
    assert "None: no option has every criterion met on this case&#39;s data." in eligible.group(1)
    assert 'type="checkbox"' not in eligible.group(1)
    assert "Ineligible (0)" in ineligible.group(1)
    assert "None: no option is ruled out on this case&#39;s data." in ineligible.group(1)
    assert "Uncertain (23)" in uncertain.group(1) and "None:" not in uncertain.group(1)


def test_removing_a_case_from_the_agenda_asks_first(site: Site) -> None:
    """On a phone the agenda's Remove stood right under the decision and removed at one
    tap. It now only opens a question; the button that removes is inside it, below."""
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="rm-1", **UNFIT)
    meeting = _meeting(client, csrf)
    client.post(
        f"/meetings/{meeting}/agenda",
        data=form(csrf, case_pk=str(pk), presenter="Dr A", question="Resect?"),
    )
    (item,) = site.store.agenda(meeting)

    def question() -> str:
        page = client.get(f"/meetings/{meeting}").text
        found = re.search(
            rf'<details class="remove-item" id="remove-{item.id}">(.*?)</details>', page, re.S
        )
        assert found, page
        return found.group(1)

    asked = question()
    summary, rest = asked.split("</summary>", 1)
    assert "Remove…" in summary and "<form" not in summary and "<button" not in summary
    assert f'action="/meetings/{meeting}/agenda/{item.id}/remove"' in rest
    assert "Take rm-1 off this agenda?" in rest and ">Remove rm-1 from the agenda</button>" in rest
    assert "this meeting's record" not in rest
    # with a decision taken at this meeting, the question says the record would lose it
    # (the meeting record lists the cases of the agenda: nelm.web.meeting_record)
    decided = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            options=["prrt"],
            status="provisional",
            meeting_id=str(meeting),
            case_version="1",
            back=f"/meetings/{meeting}/present/1",
        ),
    )
    assert decided.status_code == 303, decided.text
    assert "is no longer in this meeting's record" in question()
    removed = client.post(f"/meetings/{meeting}/agenda/{item.id}/remove", data=form(csrf))
    assert removed.status_code == 303
    assert site.store.agenda(meeting) == []
    assert len(site.store.list_decisions(pk)) == 1  # the decision stays with the case
