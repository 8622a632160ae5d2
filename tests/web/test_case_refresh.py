"""A stored case updated from a newer file (``/cases/{id}/edit/from-file``): the file's
values replace the stored ones and are listed with both, what the file does not hold is
kept, the timeline's events are merged, and nothing is stored until the form is saved."""

from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from nelm.case.merge import merge_file_into_case
from nelm.web.cases import normalised_document
from tests.web.conftest import Site
from tests.web.test_pages import form, logged_in

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "interop" / "fixtures" / "fhir-real"
MANIFEST = json.loads((REAL / "manifest.json").read_text("utf-8"))
EXAMPLE = json.loads((ROOT / "examples" / "resectable-pnet.json").read_text("utf-8"))


class _CaseForm(HTMLParser):
    """The values the case form would send, as a browser sends them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = "case-form" in (a.get("class") or "")
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.values.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def _form_of(page: str) -> dict[str, list[str]]:
    parser = _CaseForm()
    parser.feed(page)
    return parser.values


def _stored(site: Site, document: dict[str, Any]) -> int:
    return site.store.create_case(normalised_document(document), None).id


def _update(
    client: TestClient, csrf: str, pk: int, name: str, content: bytes, as_of: str = ""
) -> tuple[int, str]:
    response = client.post(
        f"/cases/{pk}/edit/from-file",
        data=form(csrf, as_of=as_of),
        files={"file": (name, content, "application/json")},
    )
    return response.status_code, html.unescape(response.text)


US_CORE = "uscore-9.0.0-examples.json"


def _update_from_us_core(site: Site, document: dict[str, Any], as_of: str) -> str:
    """The edit page after reading the US Core examples into ``document`` stored."""
    pk = _stored(site, document)
    client, csrf = logged_in(site)
    content = (REAL / "external" / US_CORE).read_bytes()
    status, page = _update(client, csrf, pk, US_CORE, content, as_of=as_of)
    assert status == 200
    return page


def _changes(page: str) -> dict[str, tuple[str, str]]:
    table = re.search(
        r'<table class="compact conflict" id="refresh-changes">(.*?)</table>', page, re.S
    )
    assert table is not None, "no table of changes"
    rows = re.findall(
        r'<th scope="row"><a [^>]*>([^<]*)</a></th><td [^>]*>(.*?)</td><td [^>]*>(.*?)</td>',
        table.group(1),
    )
    rows = [tuple(re.sub(r"<[^>]+>", "", cell) for cell in row) for row in rows]
    return {label: (stored, given) for label, stored, given in rows}


def test_a_newer_document_changes_what_it_gives_and_keeps_the_rest(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    # a later document of the same case: a new Ki-67 and a stopped SSA line; it does not
    # hold the surgeons' judgement, the liver's distribution or the laboratory values
    newer = {
        "schema_version": 1,
        "case_id": EXAMPLE["case_id"],
        "pathology": {"ki67_percent": 12},
        "liver": {"lesion_count": 2},
    }
    status, page = _update(client, csrf, pk, "later.json", json.dumps(newer).encode())
    assert status == 200
    assert "Updated from case document “later.json”: not saved yet" in page
    assert _changes(page) == {"Ki-67 index": ("6 %", "12 %")}
    assert "1 change and 1 value the same" in page
    values = _form_of(page)
    assert values["pathology.ki67_percent"] == ["12"]
    # kept as stored: nothing the file leaves out is cleared
    assert values["liver.distribution"] == ["unilobar"]
    assert values["patient.fit_for_major_surgery"] == ["yes"]
    assert values["labs.creatinine_mg_dl"] == ["0.8"]
    assert values["base_version"] == ["1"]
    assert 'id="other-case"' not in page
    # nothing is stored until the form is saved, then as version 2 with both
    assert site.store.get_case(pk).current_version == 1
    saved = client.post(f"/cases/{pk}/edit", data={"csrf_token": csrf, **values})
    assert saved.status_code == 303
    case = site.store.get_case(pk)
    assert case.current_version == 2
    assert case.document["pathology"]["ki67_percent"] == 12
    assert case.document["liver"]["distribution"] == "unilobar"
    assert case.document["labs"] == EXAMPLE["labs"]


def test_a_real_record_updates_the_laboratory_values_only(site: Site) -> None:
    # The HL7 US Core 9.0.0 examples (fixtures/fhir-real/manifest.json) on 2005-08-01:
    # aged 18, creatinine 1 mg/dL, platelets 200,000/µL, no neuroendocrine diagnosis.
    expected = MANIFEST[US_CORE]
    page = _update_from_us_core(site, EXAMPLE, expected["as_of"])
    changes = _changes(page)
    creatinine = expected["expect"]["labs.creatinine_mg_dl"]
    platelets = expected["expect"]["labs.platelets_per_ul"]
    # each new value with the date of its result: Observation/serum-creatinine and
    # Observation/cbc-platelets, effectiveDateTime 2005-07-05
    assert changes["Creatinine"] == (
        "0.8 mg/dL",
        f"{creatinine:g} mg/dL (result of 2005-07-05)",
    )
    assert changes["Platelets"] == ("240,000 /µL", f"{platelets:,} /µL (result of 2005-07-05)")
    values = _form_of(page)
    assert values["patient.age_years"] == [str(expected["expect"]["patient.age_years"])]
    # the record holds no tumour: the stored tumour stays as the board entered it
    assert values["primary.site"] == ["pancreas"]
    assert values["pathology.ki67_percent"] == ["6"]
    assert "Primary site" not in changes
    # what the record says first, and that no identity could be compared
    assert "NOT A NEUROENDOCRINE RECORD" in page
    assert "check that the record is this patient's" in page
    assert [c.current_version for c in site.store.list_cases()] == [1]


def test_a_document_of_another_case_is_named_before_saving(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    other = json.dumps({"case_id": "someone-else", "pathology": {"ki67_percent": 30}})
    status, page = _update(client, csrf, pk, "other.json", other.encode())
    assert status == 200
    assert "The file is case “someone-else”, not “example-resectable-pnet”" in page
    assert _form_of(page)["case_id"] == ["example-resectable-pnet"]


def test_a_file_that_changes_nothing_says_so(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    # creatinine 70.72 µmol/L is 0.8 mg/dL (÷ 88.4, nelm.case.units): the same value
    same = {
        "case_id": EXAMPLE["case_id"],
        "labs": {"creatinine_mg_dl": {"value": 70.72, "unit": "µmol/L"}},
    }
    status, page = _update(client, csrf, pk, "same.json", json.dumps(same).encode())
    assert status == 200
    assert "The file changes nothing" in page
    assert 'id="refresh-changes"' not in page


def test_a_file_that_cannot_be_read_leaves_the_stored_case_in_the_form(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    status, page = _update(client, csrf, pk, "broken.json", b'{"case_id": ')
    assert status == 422
    assert "The file could not be read" in page
    assert _form_of(page)["pathology.ki67_percent"] == ["6"]
    assert '<details class="import-again" open>' in page


def test_a_problem_of_the_files_value_stands_beside_its_field(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    bad = json.dumps({"case_id": EXAMPLE["case_id"], "pathology": {"ki67_percent": 140}})
    status, page = _update(client, csrf, pk, "bad.json", bad.encode())
    assert status == 200
    assert "The updated case cannot be stored as it is: 1 problem" in page
    assert 'id="err-pathology.ki67_percent"' in page


def test_only_writers_update_from_files_and_the_token_is_checked(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    viewer, csrf = logged_in(site, "viewer")
    assert _update(viewer, csrf, pk, "c.json", b"{}")[0] == 403
    writer, _ = logged_in(site)
    forged = writer.post(
        f"/cases/{pk}/edit/from-file", files={"file": ("c.json", b"{}", "application/json")}
    )
    assert forged.status_code == 403
    # the edit form itself still takes no multipart body
    other = writer.post(f"/cases/{pk}/edit", files={"file": ("c.json", b"{}", "text/plain")})
    assert other.status_code == 415
    missing = writer.post("/cases/999/edit/from-file", data=form(csrf))
    assert missing.status_code == 404


def test_a_confirmation_stays_with_a_kept_value_only() -> None:
    stored = normalised_document(
        {
            "case_id": "c",
            "pathology": {"ki67_percent": 6},
            "labs": {"ldh_u_l": 9000},
            "confirmed": ["labs.ldh_u_l"],
        }
    )
    merged, refresh = merge_file_into_case(
        stored, {"pathology": {"ki67_percent": 8}}, base_version=3, compare_case_id=True
    )
    assert merged["labs"]["ldh_u_l"] == 9000 and merged["confirmed"] == ["labs.ldh_u_l"]
    replaced, _ = merge_file_into_case(
        stored, {"labs": {"ldh_u_l": 9500}}, base_version=3, compare_case_id=True
    )
    assert "confirmed" not in replaced  # a new implausible value is confirmed anew
    assert refresh.base_version == 3 and refresh.kept == ("LDH",)


def test_timeline_events_are_merged_by_line_and_by_scan_date() -> None:
    # docs/case-v1-additions.md "The timeline": a line is its treatment and start
    stored = normalised_document(
        {
            "case_id": "t",
            "timeline": {
                "as_of": "2026-01-10",
                "diagnosis": "2019-03-01",
                "treatments": [{"treatment": "ssa", "start": "2019-06-01"}],
                "scans": [{"date": "2025-12-01", "finding": "stable"}],
            },
        }
    )
    newer = {
        "timeline": {
            "as_of": "2026-11-01",
            "treatments": [
                {"treatment": "ssa", "start": "2019-06-01", "stop": "2026-10-01"},
                {"treatment": "prrt", "start": "2026-10-15"},
            ],
            "scans": [
                {"date": "2025-12-01", "finding": "stable"},
                {"date": "2026-09-20", "finding": "progression"},
            ],
        }
    }
    merged, refresh = merge_file_into_case(
        stored, copy.deepcopy(newer), base_version=1, compare_case_id=True
    )
    timeline = merged["timeline"]
    assert timeline["as_of"] == "2026-11-01" and timeline["diagnosis"] == "2019-03-01"
    assert timeline["treatments"] == newer["timeline"]["treatments"]
    assert timeline["scans"] == newer["timeline"]["scans"]
    (change,) = refresh.changes
    assert change.path == "timeline"
    assert change.from_file == (
        "as of 2026-11-01; 1 treatment line added; 1 treatment line updated; 1 scan added"
    )
    assert normalised_document(merged)["timeline"] == timeline


def test_what_names_no_field_of_a_case_is_named_not_dropped_unseen() -> None:
    # the case document's sections and fields (contract case-v1): "surgery" and
    # "labs.sodium" are none of them
    stored = normalised_document({"case_id": "s", "labs": {"creatinine_mg_dl": 0.8}})
    given = {"surgery": {"done": True}, "labs": {"sodium": 140, "creatinine_mg_dl": 0.9}}
    merged, refresh = merge_file_into_case(stored, given, base_version=1, compare_case_id=True)
    assert refresh.not_read == ("surgery", "labs.sodium")
    assert merged["labs"] == {"creatinine_mg_dl": 0.9}
    _, odd = merge_file_into_case(stored, {"labs": 5}, base_version=1, compare_case_id=True)
    assert odd.not_read == ("labs (not a set of fields)",) and odd.kept == ("Creatinine",)


def test_a_result_older_than_the_stored_case_is_listed_not_taken(site: Site) -> None:
    # The US Core 9.0.0 examples: creatinine 1 mg/dL and platelets 200,000/µL on
    # 2005-07-05 (Observation/serum-creatinine, Observation/cbc-platelets). A case stored
    # as of 2005-07-20 describes the patient after those results: its values stay.
    expected = MANIFEST[US_CORE]
    document = copy.deepcopy(EXAMPLE)
    document["timeline"] = {"as_of": "2005-07-20"}
    page = _update_from_us_core(site, document, expected["as_of"])
    values = _form_of(page)
    assert values["labs.creatinine_mg_dl"] == ["0.8"]
    assert values["labs.platelets_per_ul"] == ["240000"]
    older = re.search(r'id="refresh-older">(.*?)</table>', page, re.S)
    assert older is not None
    assert "Creatinine" in older.group(1) and "(result of 2005-07-05)" in older.group(1)
    assert "Creatinine" not in _changes(page)
    # the age has no result date: it is the record's, on the date it was read for
    assert values["patient.age_years"] == [str(expected["expect"]["patient.age_years"])]


def test_old_results_are_named_only_when_the_form_uses_them(site: Site) -> None:
    # Read on 2005-12-01, the US Core results of 2005-07-05 are over 90 days old
    # (docs/fhir-mapping.md). The stored case (as of 2005-07-20) keeps its creatinine and
    # platelets, so only the values taken — haemoglobin, leukocytes — are named as old.
    document = copy.deepcopy(EXAMPLE)
    document["timeline"] = {"as_of": "2005-07-20"}
    page = _update_from_us_core(site, document, "2005-12-01")
    old = re.search(r"Results more than 90 days before the assessment date[^<]*", page)
    assert old is not None
    assert "Haemoglobin (2005-07-05)" in old.group(0)
    assert "Leukocytes (2005-07-05)" in old.group(0)
    assert "Creatinine" not in old.group(0) and "Platelets" not in old.group(0)


def test_the_case_date_never_moves_back() -> None:
    stored = normalised_document({"case_id": "d", "timeline": {"as_of": "2026-11-01"}})
    given = {"timeline": {"as_of": "2026-06-01", "diagnosis": "2019-03-01"}}
    merged, refresh = merge_file_into_case(stored, given, base_version=1, compare_case_id=True)
    assert merged["timeline"] == {"as_of": "2026-11-01", "diagnosis": "2019-03-01"}
    assert refresh.changes[0].from_file == "diagnosis 2019-03-01"


def test_a_record_of_another_sex_or_a_younger_age_asks_if_it_is_the_same_patient(
    site: Site,
) -> None:
    # The example case is a woman of 58 (examples/resectable-pnet.json); the US Core
    # examples' patient is aged 18 on 2005-08-01 (manifest) and female (Patient/example,
    # us-core-individual-sex SNOMED CT 248152002): the same sex, a younger age.
    page = _update_from_us_core(site, EXAMPLE, MANIFEST[US_CORE]["as_of"])
    doubt = re.search(r'<p class="alert" id="other-patient">(.*?)</p>', page, re.S)
    assert doubt is not None
    assert "The stored case's age is 58, the file's 18: younger." in doubt.group(1)
    assert "sex" not in doubt.group(1)
    male = normalised_document({"case_id": "m", "patient": {"sex": "male"}})
    _, refresh = merge_file_into_case(
        male, {"patient": {"sex": "female"}}, base_version=1, compare_case_id=True
    )
    assert refresh.other_patient == ("The stored case's sex is male, the file's female.",)


def test_what_the_file_holds_is_shown_escaped(site: Site) -> None:
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    script = "<script>alert(1)</script>"
    hostile = {"case_id": script, "pathology": {"ki67_percent": script}, script: 1}
    response = client.post(
        f"/cases/{pk}/edit/from-file",
        data=form(csrf),
        files={"file": (f"{script}.json", json.dumps(hostile).encode(), "application/json")},
    )
    assert response.status_code == 200
    assert script not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_a_file_over_the_limit_gets_a_page_naming_the_limit(site: Site) -> None:
    # Default limit 20 MB (NELM_FHIR_MAX_BYTES, docs/fhir-mapping.md "Size"): a browser
    # shows a page, not JSON printed raw.
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    big = b'{"resourceType": "Bundle", "pad": "' + b"x" * 20_000_001 + b'"}'
    response = client.post(
        f"/cases/{pk}/edit/from-file",
        data=form(csrf),
        files={"file": ("big.json", big, "application/json")},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    text = html.unescape(response.text)
    assert "The file sent is larger than the limit of 20 MB (20,000,000 bytes)" in text
    assert "NELM_FHIR_MAX_BYTES" in text and "Go back and choose a smaller file" in text
    assert site.store.get_case(pk).current_version == 1


def test_each_result_keeps_its_own_date_through_a_merge() -> None:
    stored = normalised_document(
        {
            "case_id": "r",
            "labs": {"creatinine_mg_dl": 0.9, "albumin_g_dl": 4.0, "ldh_u_l": 200, "ast_u_l": 30},
            "measured_on": {
                "labs.creatinine_mg_dl": "2026-05-01",
                "labs.albumin_g_dl": "2026-05-01",
                "labs.ldh_u_l": "2026-05-01",
                "labs.ast_u_l": "2026-05-01",
            },
        }
    )
    given = {"labs": {"creatinine_mg_dl": 1.1, "albumin_g_dl": 4.0, "ldh_u_l": 250, "ast_u_l": 35}}
    result_dates = {
        "labs.creatinine_mg_dl": "2026-11-01",  # newer: taken with its date
        "labs.albumin_g_dl": "2026-11-01",  # the same value measured again: the later date
        "labs.ldh_u_l": "2026-01-01",  # older than the stored value's own date: not taken
    }  # AST has no date: taken, and the stored value's date goes with the stored value
    merged, refresh = merge_file_into_case(
        stored, given, base_version=1, compare_case_id=True, result_dates=result_dates
    )
    assert merged["labs"] == {
        "creatinine_mg_dl": 1.1,
        "albumin_g_dl": 4.0,
        "ldh_u_l": 200,
        "ast_u_l": 35,
    }
    assert merged["measured_on"] == {
        "labs.creatinine_mg_dl": "2026-11-01",
        "labs.albumin_g_dl": "2026-11-01",
        "labs.ldh_u_l": "2026-05-01",
    }
    (older,) = refresh.older
    assert (older.path, older.dated, older.stored_dated) == (
        "labs.ldh_u_l",
        "2026-01-01",
        "2026-05-01",
    )
    assert normalised_document(merged)["measured_on"] == merged["measured_on"]


SYNTHETIC = ROOT / "tests" / "interop" / "fixtures" / "synthetic-0001.json"


def test_two_boards_a_record_then_its_newer_version(site: Site) -> None:
    # fixtures/synthetic-0001.json: every result of 2025-01-11 (creatinine 0.6 mg/dL,
    # Observation/crea-0001). Stored from it for a board on 2026-06-01 with the board's
    # judgement; for 2026-12-01 the record has a new creatinine, 0.9 mg/dL of 2026-11-20.
    client, csrf = logged_in(site)
    record = SYNTHETIC.read_bytes()
    first = client.post(
        "/cases/new/from-file",
        data=form(csrf, as_of="2026-06-01"),
        files={"file": ("record.json", record, "application/json")},
    )
    values = _form_of(first.text)
    values["liver.surgical_assessment"] = ["resectable"]
    assert client.post("/cases/new", data={"csrf_token": csrf, **values}).status_code == 303
    (case,) = site.store.list_cases()
    newer = json.loads(record)
    for entry in newer["entry"]:
        if entry["resource"].get("id") == "crea-0001":
            entry["resource"]["effectiveDateTime"] = "2026-11-20T08:00:00+01:00"
            entry["resource"]["valueQuantity"]["value"] = 0.9
    status, page = _update(
        client, csrf, case.id, "newer.json", json.dumps(newer).encode(), as_of="2026-12-01"
    )
    assert status == 200
    assert _changes(page)["Creatinine"] == (
        "0.6 mg/dL (result of 2025-01-11)",
        "0.9 mg/dL (result of 2026-11-20)",
    )
    saved = client.post(f"/cases/{case.id}/edit", data={"csrf_token": csrf, **_form_of(page)})
    assert saved.status_code == 303
    stored = site.store.get_case(case.id).document
    assert stored["liver"]["surgical_assessment"] == "resectable"  # the board's, kept
    assert stored["measured_on"]["labs.creatinine_mg_dl"] == "2026-11-20"
    assert stored["timeline"]["as_of"] == "2026-12-01"
    shown = html.unescape(client.get(f"/cases/{case.id}").text)
    (said,) = re.findall(r"Results more than 90 days before the case's date[^<]*", shown)
    assert "Bilirubin (2025-01-11)" in said and "Creatinine" not in said


def test_a_files_events_and_lists_of_another_shape_are_named_not_a_500(site: Site) -> None:
    # case-v1: a treatment line's "treatment" is an option id and its "start" a date;
    # "confirmed" is a list of field paths. A file holding a list and an object there, or
    # a number as "confirmed", ended the update in a 500 (the merge keyed events by them).
    pk = _stored(site, EXAMPLE)
    client, csrf = logged_in(site)
    newer = {
        "case_id": EXAMPLE["case_id"],
        "confirmed": 3,
        "timeline": {
            "as_of": "2026-11-01",
            "treatments": [{"treatment": ["ssa"], "start": {}}],
        },
    }
    status, page = _update(client, csrf, pk, "odd.json", json.dumps(newer).encode())
    assert status == 200
    assert "confirmed (must be a list of field paths)" in page
    assert "timeline.treatments[0].treatment: must be an option id" in page
    assert site.store.get_case(pk).current_version == 1


def test_a_newer_record_that_says_the_patient_died_adds_it_to_what_the_case_keeps(
    site: Site,
) -> None:
    # fixtures/fhir-real: a Synthea patient whose record holds a death (deceasedDateTime)
    # and no neuroendocrine neoplasm (manifest: no primary site). Read into a stored case,
    # what the record says about any assessment is listed as a change and kept with the
    # case (docs/case-v1-additions.md, "What the record said"), beside what it kept before.
    name = "synthea-bulk-3af3708d.json"
    earlier = "The FHIR record “first.json” read for 2024-01-02: an earlier warning."
    pk = _stored(site, {**EXAMPLE, "record_warnings": [earlier]})
    client, csrf = logged_in(site)
    content = (REAL / "external" / name).read_bytes()
    status, page = _update(client, csrf, pk, name, content, as_of="2024-08-06")
    assert status == 200
    stored, given = _changes(page)["What the record said"]
    assert stored == "—"
    assert "DECEASED" in given and "NOT A NEUROENDOCRINE RECORD" in given
    values = _form_of(page)
    kept = values["record_warning"]
    assert kept[0] == earlier
    assert all(w.startswith(f"The FHIR record “{name}” read for 2024-08-06: ") for w in kept[1:])
    saved = client.post(f"/cases/{pk}/edit", data={"csrf_token": csrf, **values})
    assert saved.status_code == 303, saved.text
    assert site.store.get_case(pk).document["record_warnings"] == kept


def test_a_value_the_stored_case_lacks_reads_not_known_as_on_every_page() -> None:
    # docs/web.md "The case on one screen": "Anything not given reads 'not known'"; the
    # table of changes says it the same way, never "unknown" (a diagnosis: unknown primary)
    stored = normalised_document({"case_id": "n", "labs": {"creatinine_mg_dl": 0.8}})
    given = {"labs": {"creatinine_mg_dl": 0.9, "albumin_g_dl": 3.9}, "patient": {"ecog": 1}}
    _, refresh = merge_file_into_case(stored, given, base_version=1, compare_case_id=True)
    shown = {c.path: (c.stored, c.from_file) for c in refresh.changes}
    assert shown["labs.albumin_g_dl"] == ("not known", "3.9 g/dL")
    assert shown["patient.ecog"] == ("not known", "1")
    assert shown["labs.creatinine_mg_dl"] == ("0.8 mg/dL", "0.9 mg/dL")


def test_the_same_record_read_again_renews_its_warning_rather_than_adding_a_second(
    site: Site,
) -> None:
    # The US Core 9.0.0 examples hold no neuroendocrine neoplasm (manifest: no primary
    # site). Read into a new case for 2005-08-01 and again for 2017-01-01, the case kept
    # the same warning twice, differing only in its date, and would have grown by one with
    # every reading up to the 20 a case holds (docs/case-v1-additions.md).
    name = US_CORE
    client, csrf = logged_in(site)
    content = (REAL / "external" / name).read_bytes()
    response = client.post(
        "/cases/new/from-file",
        data=form(csrf, as_of="2005-08-01"),
        files={"file": (name, content, "application/json")},
    )
    assert response.status_code == 200
    first = _form_of(response.text)["record_warning"]
    assert len(first) == 1 and "NOT A NEUROENDOCRINE RECORD" in first[0]
    pk = _stored(site, {**EXAMPLE, "record_warnings": first})
    status, page = _update(client, csrf, pk, name, content, as_of="2017-01-01")
    assert status == 200
    stored, given = _changes(page)["What the record said"]
    assert stored == first[0]
    kept = _form_of(page)["record_warning"]
    assert kept == [first[0].replace("read for 2005-08-01", "read for 2017-01-01")] == [given]
