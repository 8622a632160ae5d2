"""The web pages through the TestClient: login, the case form (units, inline errors),
the assessment view, decisions, reports; escaping of untrusted labels everywhere."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nelm.report.text import SAFETY_STATEMENT
from tests.web.conftest import PASSWORD, Site

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def logged_in(site: Site, role: str = "clinician") -> tuple[TestClient, str]:
    site.user("dr-" + role, role)
    client = site.client()
    return client, site.login(client, "dr-" + role)


def form(csrf: str, **fields: str | list[str]) -> dict[str, str | list[str]]:
    return {"csrf_token": csrf, **fields}


def new_case(client: TestClient, csrf: str, **fields: str | list[str]) -> int:
    response = client.post("/cases/new", data=form(csrf, **fields))
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/cases/(\d+)", response.headers["location"])
    assert match is not None
    return int(match.group(1))


def test_first_start_prints_a_one_time_login_address(site_factory: Callable[..., Site]) -> None:
    site = site_factory("sqlite", public_url="http://board.example:8000")
    assert len(site.announced) == 1
    match = re.search(r"(http://board\.example:8000/login/once\?token=\S+)", site.announced[0])
    assert match is not None
    client = site.client()
    path = match.group(1).removeprefix("http://board.example:8000")
    first = client.get(path)
    assert first.status_code == 303 and first.headers["location"] == "/account?welcome=1"
    page = client.get(first.headers["location"])
    assert "Set a password now" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    changed = client.post(
        "/account/password",
        data={"csrf_token": csrf.group(1), "new_password": PASSWORD, "repeat_password": PASSWORD},
    )
    assert "Password changed." in changed.text
    assert site.client().get(path).status_code == 403  # used once
    admin = site.store.find_user("admin")
    assert admin is not None and admin.is_admin() and admin.has_password


def test_session_cookie_flags(site: Site) -> None:
    site.user("c", "clinician")
    client = site.client()
    site.login(client, "c")
    cookie = next(c for c in client.cookies.jar if c.name == "nelm_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert str(cookie.get_nonstandard_attr("SameSite")).lower() == "strict"
    assert not cookie.secure
    secure_client = site.client("https://testserver")
    page = secure_client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    response = secure_client.post(
        "/login", data={"username": "c", "password": PASSWORD, "csrf_token": csrf.group(1)}
    )
    assert "secure" in response.headers["set-cookie"].lower()


def test_logins_are_rate_limited(site: Site) -> None:
    site.user("c", "clinician")
    client = site.client()
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    data = {"username": "c", "password": "wrong password", "csrf_token": csrf.group(1)}
    statuses = [client.post("/login", data=data).status_code for _ in range(5)]
    assert statuses == [401] * 5
    blocked = client.post("/login", data={**data, "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0


def test_login_and_forms_need_csrf_tokens(site: Site) -> None:
    site.user("c", "clinician")
    client = site.client()
    bare = client.post("/login", data={"username": "c", "password": PASSWORD})
    assert bare.status_code == 403
    site.login(client, "c")
    forged = client.post("/cases/new", data={"case_id": "x"})
    assert forged.status_code == 403 and "did not come from this site" in forged.text
    assert site.store.list_cases() == []


def test_form_accepts_si_units_and_converts_them(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(
        client,
        csrf,
        case_id="si-1",
        **{
            "labs.bilirubin_mg_dl": "17.1",
            "unit:labs.bilirubin_mg_dl": "umol_l",
            "labs.creatinine_mg_dl": "88.4",
            "unit:labs.creatinine_mg_dl": "umol_l",
            "labs.albumin_g_dl": "40",
            "unit:labs.albumin_g_dl": "g_l",
            "labs.platelets_per_ul": "250",
            "unit:labs.platelets_per_ul": "g_l",
            "labs.hemoglobin_g_dl": "12,5",
            "unit:labs.hemoglobin_g_dl": "g_dl",
            "patient.fit_for_major_surgery": "yes",
            "imaging.fdg_positive": "no",
            "primary.site": "pancreas",
            "extrahepatic.sites": ["bone", "lung"],
            "patient.sex": "",
        },
    )
    document = site.store.get_case(pk).document
    # Kept as entered, in the unit chosen (issue 9); nelm computes with the converted value
    # (17.1 µmol/L = 1 mg/dL bilirubin, 88.4 µmol/L = 1 mg/dL creatinine, 10 g/L = 1 g/dL).
    assert document["labs"] == {
        "bilirubin_mg_dl": {"value": 17.1, "unit": "µmol/L"},
        "albumin_g_dl": {"value": 40, "unit": "g/L"},
        "creatinine_mg_dl": {"value": 88.4, "unit": "µmol/L"},
        "platelets_per_ul": {"value": 250, "unit": "10⁹/L"},
        "hemoglobin_g_dl": 12.5,
    }
    page = client.get(f"/cases/{pk}").text
    assert "17.1 µmol/L (1 mg/dL)" in page and "250 10⁹/L (250,000 /µL)" in page
    assert document["patient"] == {"fit_for_major_surgery": True}
    assert document["imaging"] == {"fdg_positive": False}
    assert document["extrahepatic"] == {"sites": ["bone", "lung"]}


def test_form_shows_problems_beside_the_fields(site: Site) -> None:
    client, csrf = logged_in(site)
    response = client.post(
        "/cases/new",
        data=form(
            csrf, case_id="bad-1", **{"pathology.ki67_percent": "140", "patient.age_years": "old"}
        ),
    )
    assert response.status_code == 422
    page = response.text
    assert "The case was not saved: 2 problems." in page
    # the label the user sees names the field, never its path
    assert (
        'id="err-pathology.ki67_percent">must be a number between 0 and 100, got 140</span>'
    ) in page
    assert "Age: must be a number between 0 and 120, got &#34;old&#34;" in page
    assert "patient.age_years:" not in page
    assert 'aria-invalid="true"' in page and 'value="140"' in page
    missing = client.post("/cases/new", data=form(csrf))
    assert "Case id: is required" in missing.text
    assert site.store.list_cases() == []


def test_form_hints_name_the_boxes_to_fill_not_document_paths(site: Site) -> None:
    # docs/case-v1-additions.md: "multiple" lesions are written lesion_count_at_least: 2;
    # 17.1 µmol/L bilirubin = 1 mg/dL (Young DS, Ann Intern Med 1987;106:114-129). In the
    # form the user fills boxes by their labels and picks the unit beside the number.
    client, csrf = logged_in(site)
    response = client.post(
        "/cases/new",
        data=form(
            csrf,
            case_id="hint-1",
            **{
                "liver.lesion_count": "multiple",
                "labs.bilirubin_mg_dl": "17.1 umol/L",
                "pathology.ki67_percent": "unknown",
                "patient.ecog": "0-1",
            },
        ),
    )
    assert response.status_code == 422
    page = response.text
    # ECOG is one grade (Oken 1982): a range is not narrowed for the user
    assert "(a range: one value is asked; enter the one the record settles on, or leave " in page
    assert "(more than one lesion: enter 2 in “Liver lesions (at least)”)" in page
    assert "(17.1 µmol/L is 1 mg/dL: enter 1, or enter 17.1 and choose µmol/L beside it)" in page
    assert "(not known: leave the box empty)" in page
    # (the box that reads a case document from a file names it, rightly: left out here)
    hints = re.sub(r'<form [^>]*id="import-form".*?</form>', "", page, flags=re.S)
    assert "write liver.lesion_count_at_least" not in hints and "case document" not in hints
    # A yes/no or choice field is explained in words, not by listing its codes.
    assert "true or false" not in page and "one of pancreas" not in page
    assert "right-heart dysfunction from carcinoid heart disease" in page


def test_assessment_view_shows_status_criteria_plan_and_prompts(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(
        client,
        csrf,
        case_id="view-1",
        **{
            "pathology.ki67_percent": "5",
            "pathology.differentiation": "well",
            "primary.site": "small_intestine",
            "liver.distribution": "bilobar_diffuse",
        },
    )
    page = client.get(f"/cases/{pk}").text
    for marker in (
        'class="status-head ineligible"',
        'class="status uncertain"',
        'class="criteria-table"',
        'id="ineligible"',
        'id="investigations"',
        'id="plan"',
        'id="missing-data"',
        "Liver-directed control",
        'id="reference-list"',
        'href="#ref-1"',
        SAFETY_STATEMENT,
        f"/cases/{pk}/evidence/",
    ):
        assert marker in page, marker
    evidence_page = client.get(f"/cases/{pk}/evidence/liver_resection")
    assert evidence_page.status_code == 200
    assert 'id="records"' in evidence_page.text and "forest.svg" in evidence_page.text
    assert client.get(f"/cases/{pk}/evidence/surgery").status_code == 404


def test_the_case_page_says_not_known_in_its_classification_rows(site: Site) -> None:
    # an absent value reads "not known" on every page (the form's empty choice, the
    # summary's facts); the case page's classification table says it the same way
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="nk-1", **{"pathology.ki67_percent": "5"})
    page = client.get(f"/cases/{pk}").text
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td><strong>([^<]*)</strong>', page))
    for title in ("Differentiation", "Liver-metastasis type", "Portal drainage"):
        assert rows.get(title) == "not known", (title, rows)
    assert "unknown" not in rows.values()


def test_edit_makes_a_new_version_and_old_versions_stay_viewable(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="ed-1", **{"pathology.ki67_percent": "5"})
    edit = client.get(f"/cases/{pk}/edit")
    assert 'value="5"' in edit.text and "version 2 will be stored" in edit.text
    response = client.post(
        f"/cases/{pk}/edit", data=form(csrf, case_id="ignored", **{"pathology.ki67_percent": "25"})
    )
    assert response.status_code == 303
    assert site.store.get_case(pk).current_version == 2
    assert site.store.get_case(pk).case_id == "ed-1"
    old = client.get(f"/cases/{pk}?version=1").text
    assert "an earlier version" in old and "Ki-67 5%" in old


def test_decisions_are_recorded_through_the_form(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="dec-1")
    response = client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf, options=["ssa", "prrt"], text="SSA now; PRRT on progression.", case_version="1"
        ),
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "The decision was recorded." in page and "SSA now; PRRT on progression." in page
    (decision,) = site.store.list_decisions(pk)
    assert decision.options == ("ssa", "prrt") and decision.decided_by == "dr-clinician"


def test_viewers_read_but_do_not_write(site: Site) -> None:
    site.store.create_case({"schema_version": 1, "case_id": "v-1"}, None)
    client, csrf = logged_in(site, "viewer")
    assert client.get("/").status_code == 200
    assert "Edit case" not in client.get("/cases/1").text
    assert client.get("/cases/new").status_code == 403
    assert client.post("/cases/1/decisions", data=form(csrf, text="x")).status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_unknown_pages_are_404_pages(site: Site) -> None:
    client, _ = logged_in(site)
    response = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert response.status_code == 404 and "<h1>Not found</h1>" in response.text
    assert client.get("/cases/12345", headers={"Accept": "text/html"}).status_code == 404


NAVIGATION = '<nav aria-label="Main">'


def test_an_error_page_keeps_the_navigation_of_the_user_logged_in(site: Site) -> None:
    """A stale link (an address no route answers, a deleted case, a meeting that is not
    there) must not strand the user: the page has the menu, and says nothing of the
    server's insides."""
    client, _ = logged_in(site)
    html = {"Accept": "text/html"}
    for address in (
        "/no/such/page",
        "/cases/12345",
        "/meetings/12345",
        "/cases/12345/summary.html",
        "/<script>alert(1)</script>",
    ):
        response = client.get(address, headers=html)
        assert response.status_code == 404, address
        page = response.text
        assert NAVIGATION in page and 'href="/meetings"' in page, address
        assert "Log out dr-clinician" in page, address
        assert "Traceback" not in page and "<script>alert" not in page, address
    # a page that is not allowed (a viewer asks for the users page) keeps it too
    site.user("dr-viewer", "viewer")
    viewer = site.client()
    site.login(viewer, "dr-viewer")
    refused = viewer.get("/admin/users", headers=html)
    assert refused.status_code == 403 and "Log out dr-viewer" in refused.text


def test_an_error_page_without_a_login_offers_no_menu_of_the_site(site: Site) -> None:
    response = site.client().get("/no/such/page", headers={"Accept": "text/html"})
    assert response.status_code == 404 and NAVIGATION not in response.text
    assert "Log out" not in response.text


def test_a_refused_form_answers_with_the_way_back_to_the_cases(site: Site) -> None:
    """The input check answers before the application (docs/api.md, input rules): its
    page still has the header's links, and the field's text is not echoed unescaped."""
    client, csrf = logged_in(site)
    response = client.post(
        "/cases/new", data=form(csrf, label="<b>pasted\x0b</b> from a PDF", case_id="x-1")
    )
    assert response.status_code in (400, 422)
    page = response.text
    assert "<h1>Not accepted</h1>" in page
    assert NAVIGATION in page and '<a href="/meetings">Meetings</a>' in page
    assert "<b>pasted" not in page


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext"):
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)


def test_a_script_label_is_text_on_every_page_and_in_both_reports(
    site: Site, tmp_path: Path
) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="xss-1", label=XSS, **{"pathology.ki67_percent": "5"})
    client.post(f"/cases/{pk}/decisions", data=form(csrf, options=["ssa"], text=XSS))
    for path in ("/", f"/cases/{pk}", f"/cases/{pk}/edit", f"/cases/{pk}/evidence/ssa"):
        page = client.get(path).text
        assert XSS not in page, path
    assert ESCAPED in client.get("/").text
    assert ESCAPED in client.get(f"/cases/{pk}").text
    html = client.get(f"/cases/{pk}/report.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert XSS not in html.text and ESCAPED in html.text
    pdf = client.get(f"/cases/{pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content, tmp_path)
    assert XSS in text  # shown literally, as text
    assert "Decision support for clinicians, not a decision." in text


@pytest.mark.parametrize("path", ["/login", "/static/app.css", "/static/app.js"])
def test_the_login_page_and_its_files_need_no_login(site: Site, path: str) -> None:
    assert site.client().get(path).status_code == 200


def test_form_asks_to_confirm_an_implausible_value_and_shows_it_first(site: Site) -> None:
    """The issue's slip: platelets 210 /µL (meant 210 × 10⁹/L) is no longer accepted
    silently; ticking "confirm as entered" stores it, and the case page warns first."""
    client, csrf = logged_in(site)
    fields = {"labs.platelets_per_ul": "210", "primary.site": "pancreas"}
    response = client.post("/cases/new", data=form(csrf, case_id="slip-1", **fields))
    assert response.status_code == 422
    assert "did you mean 210 × 10⁹/L = 210,000 /µL?" in response.text
    assert 'name="confirm:labs.platelets_per_ul"' in response.text
    assert site.store.list_cases() == []
    pk = new_case(
        client, csrf, case_id="slip-1", **fields, **{"confirm:labs.platelets_per_ul": "yes"}
    )
    assert site.store.get_case(pk).document["confirmed"] == ["labs.platelets_per_ul"]
    page = client.get(f"/cases/{pk}").text
    assert page.index('id="warnings"') < page.index('id="h-class"')
    # once, in the first screen's panel (it stood twice, the second with field paths)
    assert page.count('id="warnings"') == 1 and page.count('id="h-warn"') == 1
    assert "Confirmed as entered." in page


def test_form_offers_confirmation_only_for_an_implausible_number(site: Site) -> None:
    """Text in a number box ("ECOG 1") or a value outside the hard range cannot be
    confirmed as entered: no confirm box beside them, and the hint says what to enter."""
    client, csrf = logged_in(site)
    fields = {"patient.ecog": "ECOG 1", "pathology.ki67_percent": "140"}
    response = client.post("/cases/new", data=form(csrf, case_id="text-1", **fields))
    assert response.status_code == 422
    assert 'name="confirm:patient.ecog"' not in response.text
    assert 'name="confirm:pathology.ki67_percent"' not in response.text
    assert "(enter the number alone: 1)" in response.text
