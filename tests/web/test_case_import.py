"""A new case started from a file (``/cases/new/from-file``): a case document or a real
FHIR record fills the form, nothing is stored until the form is saved, and a file that
cannot be read is named as such."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Site
from tests.web.test_case_refresh import _form_of
from tests.web.test_pages import form, logged_in

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "interop" / "fixtures" / "fhir-real"
MANIFEST = json.loads((REAL / "manifest.json").read_text("utf-8"))
EXAMPLE = ROOT / "examples" / "resectable-pnet.json"


def _read(
    client: TestClient, csrf: str, name: str, content: bytes, as_of: str = ""
) -> tuple[int, str]:
    response = client.post(
        "/cases/new/from-file",
        data=form(csrf, as_of=as_of),
        files={"file": (name, content, "application/json")},
    )
    return response.status_code, response.text


def _read_real_record(site: Site, name: str) -> tuple[int, str]:
    """A real record of fixtures/fhir-real read on its manifest's assessment date."""
    client, csrf = logged_in(site)
    content = (REAL / "external" / name).read_bytes()
    return _read(client, csrf, name, content, as_of=MANIFEST[name]["as_of"])


def _field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def test_a_case_document_fills_the_form_and_nothing_is_stored(site: Site) -> None:
    client, csrf = logged_in(site)
    document = json.loads(EXAMPLE.read_text("utf-8"))
    status, page = _read(client, csrf, "resectable-pnet.json", EXAMPLE.read_bytes())
    assert status == 200
    assert "Filled from case document “resectable-pnet.json”: not saved yet" in page
    assert _field(page, "case_id") == document["case_id"]
    assert _field(page, "pathology.ki67_percent") == str(document["pathology"]["ki67_percent"])
    assert 'id="form-problems"' not in page
    assert site.store.list_cases() == []


def test_a_yaml_case_document_is_read_too(site: Site) -> None:
    client, csrf = logged_in(site)
    text = "case_id: yaml-1\npathology:\n  ki67_percent: 4\n"
    status, page = _read(client, csrf, "case.yaml", text.encode())
    assert status == 200
    assert _field(page, "case_id") == "yaml-1"
    assert _field(page, "pathology.ki67_percent") == "4"


def test_the_us_core_record_one_resource_per_line_fills_the_same_fields(site: Site) -> None:
    # The same US Core 9.0.0 examples written as NDJSON (one resource per line, as a Bulk
    # Data export writes them): the manifest's values, as from the Bundle.
    name = "uscore-9.0.0-examples.json"
    expected = MANIFEST[name]["expect"]
    bundle = json.loads((REAL / "external" / name).read_text("utf-8"))
    lines = "".join(json.dumps(e["resource"]) + "\n" for e in bundle["entry"])
    client, csrf = logged_in(site)
    status, page = _read(client, csrf, "export.ndjson", lines.encode(), MANIFEST[name]["as_of"])
    assert status == 200
    assert _field(page, "patient.age_years") == str(expected["patient.age_years"])
    assert _field(page, "labs.creatinine_mg_dl") == str(expected["labs.creatinine_mg_dl"])
    assert site.store.list_cases() == []


def test_a_real_us_core_record_fills_what_its_manifest_says(site: Site) -> None:
    # The HL7 US Core 9.0.0 examples (fixtures/fhir-real/manifest.json): aged 18 on
    # 2005-08-01, creatinine 1 mg/dL, platelets 200,000/µL; no primary site.
    name = "uscore-9.0.0-examples.json"
    expected = MANIFEST[name]
    status, page = _read_real_record(site, name)
    assert status == 200
    assert "Filled from FHIR record “uscore-9.0.0-examples.json”" in page
    assert _field(page, "patient.age_years") == str(expected["expect"]["patient.age_years"])
    assert _field(page, "labs.creatinine_mg_dl") == str(expected["expect"]["labs.creatinine_mg_dl"])
    assert _field(page, "labs.platelets_per_ul") == str(expected["expect"]["labs.platelets_per_ul"])
    assert _field(page, "primary.site") is None
    # the record shows no neuroendocrine neoplasm: said above the form, before saving
    assert "NOT A NEUROENDOCRINE RECORD" in page
    assert _field(page, "label") == (f"From the FHIR record {name}, read for {expected['as_of']}")
    assert site.store.list_cases() == []


def test_a_record_of_another_primary_never_fills_the_tumour_fields(site: Site) -> None:
    # mCODE STU1 examples: a lung adenocarcinoma with a brain metastasis linked to it
    # (manifest: no primary site, no differentiation); ECOG 0 is kept.
    name = "mcode-stu1-examples.json"
    expected = MANIFEST[name]
    status, page = _read_real_record(site, name)
    assert status == 200
    assert _field(page, "patient.ecog") == str(expected["expect"]["patient.ecog"])
    for path in expected["absent"]:
        assert _field(page, path) is None
    assert "NOT A NEUROENDOCRINE RECORD" in page


def test_files_that_cannot_be_read_are_named_and_nothing_is_stored(site: Site) -> None:
    client, csrf = logged_in(site)
    cases = {
        "latin1.json": ('{"case_id": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
        "broken.json": (b'{"case_id": ', "valid JSON"),
        "list.json": (b"[1, 2]", "a case document"),
        "nul.json": (b'{"case_id": "a\\u0000b"}', "control character"),
    }
    for name, (content, words) in cases.items():
        status, page = _read(client, csrf, name, content)
        assert status == 422, name
        assert "The file could not be read" in page and words in page, name
    status, page = _read(client, csrf, "case.json", b'{"case_id": "x"}', as_of="1.12.2026")
    assert status == 422 and "a date as YYYY-MM-DD" in html.unescape(page)
    assert site.store.list_cases() == []


def test_problems_of_the_files_case_stand_beside_their_fields(site: Site) -> None:
    client, csrf = logged_in(site)
    content = json.dumps({"case_id": "p-1", "pathology": {"ki67_percent": 140}}).encode()
    status, page = _read(client, csrf, "p.json", content)
    assert status == 200
    assert "The file's case cannot be stored as it is: 1 problem" in page
    assert _field(page, "pathology.ki67_percent") == "140"


def test_a_files_confirmed_list_that_is_not_a_list_is_a_problem_not_an_error(
    site: Site,
) -> None:
    # docs/case-v1-additions.md and docs/plausibility.md: "confirmed" is a list of field
    # paths. A file holding a number there filled no form: the page ended in a 500.
    client, csrf = logged_in(site)
    content = json.dumps({"case_id": "p-2", "confirmed": 5, "labs": {"platelets_per_ul": 210}})
    status, page = _read(client, csrf, "p.json", content.encode())
    assert status == 200
    assert "The file's case cannot be stored as it is" in page
    assert "confirmed" in page
    assert _field(page, "labs.platelets_per_ul") == "210"


def test_only_writers_read_files_and_the_token_is_checked(site: Site) -> None:
    client, csrf = logged_in(site, "viewer")
    status, _ = _read(client, csrf, "c.json", b'{"case_id": "x"}')
    assert status == 403
    writer, _ = logged_in(site)
    forged = writer.post(
        "/cases/new/from-file", files={"file": ("c.json", b'{"case_id": "x"}', "text/plain")}
    )
    assert forged.status_code == 403
    # no other page takes a multipart body
    other = writer.post("/cases/new", files={"file": ("c.json", b"{}", "application/json")})
    assert other.status_code == 415


def test_the_file_name_is_shown_escaped(site: Site) -> None:
    client, csrf = logged_in(site)
    status, page = _read(client, csrf, "<script>alert(1)</script>.json", b'{"case_id": "x"}')
    assert status == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.json" in page


SYNTHETIC = ROOT / "tests" / "interop" / "fixtures" / "synthetic-0001.json"


def test_a_records_result_dates_stay_with_the_stored_case(site: Site) -> None:
    # fixtures/synthetic-0001.json: creatinine and bilirubin of 2025-01-11
    # (Observation/crea-0001, Observation/bili-0001), over 90 days before 2026-12-01, the
    # date the record is read for (docs/fhir-mapping.md): the stored case names them too.
    client, csrf = logged_in(site)
    status, page = _read(client, csrf, "synthetic.json", SYNTHETIC.read_bytes(), "2026-12-01")
    assert status == 200
    values = _form_of(page)
    assert values["measured_on:labs.creatinine_mg_dl"] == ["2025-01-11"]
    assert "result of 2025-01-11" in page
    saved = client.post("/cases/new", data={"csrf_token": csrf, **values})
    assert saved.status_code == 303, saved.text
    (case,) = site.store.list_cases()
    stored = site.store.get_case(case.id).document
    assert stored["measured_on"]["labs.creatinine_mg_dl"] == "2025-01-11"
    assert stored["timeline"]["as_of"] == "2026-12-01"
    shown = html.unescape(client.get(f"/cases/{case.id}").text)
    assert "Results more than 90 days before the case's date (2026-12-01) are used" in shown
    assert "Creatinine (2025-01-11)" in shown

    # a value changed by hand loses its result's date; the others keep theirs
    edit = _form_of(client.get(f"/cases/{case.id}/edit").text)
    edit["labs.creatinine_mg_dl"] = ["0.7"]
    changed = client.post(f"/cases/{case.id}/edit", data={"csrf_token": csrf, **edit})
    assert changed.status_code == 303, changed.text
    after = site.store.get_case(case.id).document
    assert "labs.creatinine_mg_dl" not in after["measured_on"]
    assert after["measured_on"]["labs.bilirubin_mg_dl"] == "2025-01-11"


def test_a_record_in_fhir_xml_fills_the_form(site: Site) -> None:
    # fixtures/fhir-xml/SOURCES.md: HL7's IPS example, female, born 1972-05-01, dated
    # 2017-12-11 (45 years old); a breast carcinoma, no neuroendocrine neoplasm.
    path = ROOT / "tests" / "interop" / "fixtures" / "fhir-xml" / "ips-bundle-01.xml"
    client, csrf = logged_in(site)
    status, page = _read(client, csrf, path.name, path.read_bytes(), as_of="2017-12-11")
    assert status == 200
    assert "Filled from FHIR record “ips-bundle-01.xml”" in page
    assert _field(page, "patient.age_years") == "45"
    assert "NOT A NEUROENDOCRINE RECORD" in page
    assert site.store.list_cases() == []


def test_a_non_net_record_saved_as_a_case_keeps_its_warning(site: Site) -> None:
    # mCODE STU1 examples (fixtures/fhir-real/manifest.json): a lung adenocarcinoma, no
    # neuroendocrine neoplasm. Saved as a case, the record is gone: the case must keep what
    # it said (docs/case-v1-additions.md, "What the record said"), on top of the case's
    # page and reports, until a user removes it by an edit that the earlier version records.
    name = "mcode-stu1-examples.json"
    client, csrf = logged_in(site)
    content = (REAL / "external" / name).read_bytes()
    status, page = _read(client, csrf, name, content, as_of=MANIFEST[name]["as_of"])
    assert status == 200
    values = _form_of(page)
    (kept,) = values["record_warning"]
    assert kept.startswith(f"The FHIR record “{name}” read for {MANIFEST[name]['as_of']}: ")
    assert "NOT A NEUROENDOCRINE RECORD" in kept
    values["case_id"] = ["mcode-lung"]
    saved = client.post("/cases/new", data={"csrf_token": csrf, **values})
    assert saved.status_code == 303, saved.text
    (case,) = site.store.list_cases()
    assert site.store.get_case(case.id).document["record_warnings"] == [kept]
    shown = client.get(f"/cases/{case.id}").text
    banner = shown.split('id="record-warnings"', 1)[1].split("</div>", 1)[0]
    assert "NOT A NEUROENDOCRINE RECORD" in banner
    assert shown.index('id="record-warnings"') < shown.index('id="warnings"')
    for printed in ("report.html", "summary.html"):
        response = client.get(f"/cases/{case.id}/{printed}")
        assert response.status_code == 200, printed
        box = response.text.split('class="record-warning"', 1)[1].split("</div>", 1)[0]
        assert "NOT A NEUROENDOCRINE RECORD" in box, printed
    listed = client.get("/").text
    assert "⚠ The record: not a neuroendocrine record" in listed
    assessed = site.store.latest_assessment(case.id, 1)
    assert assessed is not None and assessed.output["warnings"][0] == kept

    # unticked on the edit page, it is gone from the next version and kept by the first
    edit = _form_of(client.get(f"/cases/{case.id}/edit").text)
    assert edit["record_warning"] == [kept]
    del edit["record_warning"]
    changed = client.post(f"/cases/{case.id}/edit", data={"csrf_token": csrf, **edit})
    assert changed.status_code == 303, changed.text
    assert "record_warnings" not in site.store.get_case(case.id).document
    assert 'id="record-warnings"' not in client.get(f"/cases/{case.id}").text


def test_an_edit_saved_unchanged_stores_no_new_version(site: Site) -> None:
    # A version that changes nothing only lengthens the history the board reads: a form
    # saved as it was loaded (here a real record's case, with its results' dates and what
    # the record said) stores nothing and says so.
    name = "mcode-stu1-examples.json"
    client, csrf = logged_in(site)
    content = (REAL / "external" / name).read_bytes()
    _, page = _read(client, csrf, name, content, as_of=MANIFEST[name]["as_of"])
    values = _form_of(page)
    values["case_id"] = ["same-1"]
    assert client.post("/cases/new", data={"csrf_token": csrf, **values}).status_code == 303
    (case,) = site.store.list_cases()
    edit = _form_of(client.get(f"/cases/{case.id}/edit").text)
    saved = client.post(f"/cases/{case.id}/edit", data={"csrf_token": csrf, **edit})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/cases/{case.id}?unchanged=1"
    assert site.store.get_case(case.id).current_version == 1
    shown = client.get(saved.headers["location"]).text
    assert "no new version was stored, version 1 stays current" in shown


def test_an_unchanged_edit_of_a_list_stored_in_another_order_stores_nothing(site: Site) -> None:
    # A case stored through the API (or a file) may list its choices in any order; the form
    # sends its boxes in its own order, which is no change.
    from nelm.web.cases import normalised_document

    client, csrf = logged_in(site)
    case = site.store.create_case(
        normalised_document(
            {
                "case_id": "order-1",
                "patient": {"hereditary_syndromes": ["vhl", "men1"]},
                "course": {"prior_treatments": ["everolimus", "ssa"]},
            }
        ),
        None,
    )
    edit = _form_of(client.get(f"/cases/{case.id}/edit").text)
    saved = client.post(f"/cases/{case.id}/edit", data={"csrf_token": csrf, **edit})
    assert saved.headers["location"] == f"/cases/{case.id}?unchanged=1"
    assert site.store.get_case(case.id).current_version == 1


def test_a_large_yaml_file_is_refused_before_it_is_read(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only a FHIR record (JSON, NDJSON or XML) may exceed a case document's 1 MB: a 3 MB
    # YAML file took seconds to parse (17 MB a minute) before being refused for its size.
    import nelm.web.case_import as case_import

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(case_import, "load_record_text", never)
    client, csrf = logged_in(site)
    content = ("case_id: big\n" + "".join(f"k{i}: {i}\n" for i in range(200_000))).encode()
    assert len(content) > 1_000_000
    status, page = _read(client, csrf, "big.yaml", content)
    assert status == 422
    assert "a case document of at most 1 MB (only a FHIR record may be larger)" in page


def _section(page: str, element_id: str) -> list[str]:
    """The items of one of the lists about the record above the form, as shown."""
    found = re.search(
        rf'<details class="record-notes" id="{element_id}"[^>]*>(.*?)</details>', page
    )
    assert found, element_id
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", found.group(1))]


def test_a_hospital_record_s_unread_entries_are_counted_by_kind_in_words(site: Site) -> None:
    """Synthea's Alva958 (google/fhir-data-pipes, 1.0 MB): its claims, encounters and
    immunisations are resource types the mapping does not read (docs/fhir-mapping.md);
    the page counts them by kind in one line, never one line per reason in the mapping's
    words ("resource type Claim is not used by this mapping"). Counts are the bundle's own."""
    name = "synthea-hiv-alva958-1.0MB.json"
    bundle = json.loads((REAL / "external" / name).read_text("utf-8"))
    count = {k: 0 for k in ("Claim", "Encounter", "Immunization", "ExplanationOfBenefit")}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        if kind in count:
            count[kind] += 1
    status, page = _read_real_record(site, name)
    assert status == 200
    kinds, *_ = _section(page, "record-not-read")
    assert kinds.startswith("Kinds of entry nelm does not read: ")
    for words, kind in (
        ("claims", "Claim"),
        ("encounters (visits)", "Encounter"),
        ("immunisations", "Immunization"),
        ("insurance statements", "ExplanationOfBenefit"),
    ):
        assert f"{words} {count[kind]}" in kinds
    assert "mapping" not in html.unescape(page).split('id="imported"', 1)[1].split("</section>")[0]
    # fields named by their labels (Age, Sex), never by their paths
    assert "2 fields taken from the record (assessment date 2020-12-31): Age, Sex;" in page


def test_results_a_report_names_but_the_file_lacks_are_one_line_per_report(site: Site) -> None:
    """The US Core 9.0.0 examples: DiagnosticReport/cbc lists erythrocytes, MCV, MCH and
    MCHC results, DiagnosticReport/metabolic-panel sodium, potassium, CO2 and chloride,
    which the collection does not hold (SOURCES.md: 8 observations gathered). One line per
    report, without the element paths (Bundle.entry[6].resource.result[1])."""
    status, page = _read_real_record(site, "uscore-9.0.0-examples.json")
    assert status == 200
    assert _section(page, "record-unreadable") == [
        "DiagnosticReport/cbc lists 4 results the file does not hold (cbc-erythrocytes, "
        "cbc-mcv, cbc-mch, cbc-mchc): not read",
        "DiagnosticReport/metabolic-panel lists 4 results the file does not hold "
        "(serum-sodium, serum-potassium, serum-co2, serum-chloride): not read",
    ]
    assert "Bundle.entry[" not in page


def test_a_diagnosis_of_another_cancer_is_set_aside_with_its_reason(site: Site) -> None:
    """mCODE STU1 examples: the secondary cancer condition is linked to an NSCLC primary
    (manifest: other_primary_metastases), set aside with that reason; its ECOG result of
    2019-04-01 is older than 90 days and named under "To check", not as set aside."""
    status, page = _read_real_record(site, "mcode-stu1-examples.json")
    assert status == 200
    set_aside = _section(page, "record-set-aside")
    assert (
        "Metastases the record links to another primary cancer, not to the neuroendocrine "
        "neoplasm: not counted as its disease. If they are the neuroendocrine neoplasm's, "
        "enter them in the form (1 resource)" in set_aside
    )
    assert not any("90 days" in line or "patient.ecog" in line for line in set_aside)
    assert "ECOG performance status (2019-04-01)" in page
    assert "relatedPrimaryCancerCondition" not in page


def test_a_record_id_fhir_does_not_allow_is_said_in_words(site: Site) -> None:
    """mcode-ctm-patient01 (manifest: its Bundle.id has an underscore, which FHIR R4 ids
    do not allow, §2.24.0.1: [A-Za-z0-9-.]{1,64}); its three metastases are linked to its
    breast primary (manifest: other_primary_metastases). The page says what each means
    without the FHIR element names, which `nelm assess` keeps."""
    name = "mcode-ctm-patient01.json"
    status, page = _read_real_record(site, name)
    assert status == 200
    [unreadable] = _section(page, "record-unreadable")
    assert unreadable.startswith(
        'The record\'s own identifier ("9aa0a829-14be-4951-84e7-5dd453708011_1") is not '
        "one FHIR allows (letters, digits, '-' and '.' only, at most 64 characters)."
    )
    assert "Case id" in unreadable and "FHIR R4 id" not in unreadable
    imported = page.split('id="imported"', 1)[1].split("</section>", 1)[0]
    assert "Bundle.id" not in imported and "relatedPrimaryCancerCondition" not in imported
