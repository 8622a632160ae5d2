"""A case the board stores from a FHIR record keeps where each value came from
(``value_sources``, docs/case-v1-additions.md): the case page, the printed report and the
board summary name the record's resource, and a value changed by hand reads as entered."""

from __future__ import annotations

import html
import json

from nelm.interop.fhir.synthetic import bundle_of, patient_resource
from tests.web.conftest import Site
from tests.web.test_case_import import _read
from tests.web.test_case_refresh import _form_of
from tests.web.test_pages import logged_in

# FHIR R4 date: a birthDate may be the year alone. Born "1960", the patient is 65 or 66 on
# 2026-12-01, over 001 Table 2's "Age <55 years" for a Milan transplant either way.
AS_OF = "2026-12-01"
RECORD = json.dumps(bundle_of(patient_resource("p1", birth_date="1960"))).encode()
FROM_BIRTH_YEAR = "Age 65–66 years (from a birth date of the year only, FHIR record Patient/p1)"


def _stored_from_record(site: Site) -> tuple[object, str, int]:
    client, csrf = logged_in(site)
    status, page = _read(client, csrf, "birth-year.json", RECORD, as_of=AS_OF)
    assert status == 200, page
    assert "from the FHIR record: Patient/p1" in html.unescape(page)
    values = _form_of(page)
    values["case_id"] = ["birth-year"]
    saved = client.post("/cases/new", data={"csrf_token": csrf, **values})
    assert saved.status_code == 303, saved.text
    (case,) = site.store.list_cases()
    return client, csrf, case.id


def test_an_age_from_a_birth_year_names_the_record_not_as_reported(site: Site) -> None:
    client, _, pk = _stored_from_record(site)
    stored = site.store.get_case(pk).document
    assert stored["value_sources"]["patient.age_years_at_least"].startswith("Patient/p1")
    assert stored["value_sources"]["patient.age_years_at_most"].startswith("Patient/p1")
    for address in (f"/cases/{pk}", f"/cases/{pk}/report.html", f"/cases/{pk}/summary.html"):
        shown = html.unescape(client.get(address).text)  # type: ignore[attr-defined]
        assert "FHIR record Patient/p1" in shown, address
        assert "(entered)" not in shown, address
    # under the key facts of the page and the printed summary: which the record gave
    for address in (f"/cases/{pk}", f"/cases/{pk}/summary.html"):
        shown = html.unescape(client.get(address).text)  # type: ignore[attr-defined]
        assert "From the FHIR record: Age, Sex (Patient/p1)." in shown, address
    assessed = site.store.latest_assessment(pk, 1)
    assert assessed is not None
    criteria = assessed.output["options"]["liver_transplant_milan"]["criteria"]
    (age,) = [c for c in criteria if c["id"] == "liver_transplant_milan.age"]
    assert age["result"] == "not_met"
    assert age["value"] == FROM_BIRTH_YEAR


def test_a_value_changed_by_hand_reads_as_entered(site: Site) -> None:
    client, csrf, pk = _stored_from_record(site)
    edit = _form_of(client.get(f"/cases/{pk}/edit").text)  # type: ignore[attr-defined]
    assert edit["source:patient.age_years_at_least"][0].startswith("Patient/p1")
    edit["patient.age_years_at_least"] = ["66"]  # the colleague knows the birthday passed
    changed = client.post(  # type: ignore[attr-defined]
        f"/cases/{pk}/edit", data={"csrf_token": csrf, **edit}
    )
    assert changed.status_code == 303, changed.text
    after = site.store.get_case(pk).document
    assert "patient.age_years_at_least" not in after["value_sources"]
    assert after["value_sources"]["patient.sex"].startswith("Patient/p1")
    page = html.unescape(client.get(f"/cases/{pk}/report.html").text)  # type: ignore[attr-defined]
    assert "— entered" in page
    page = html.unescape(client.get(f"/cases/{pk}").text)  # type: ignore[attr-defined]
    said = "From the FHIR record: Age (at most), Sex (Patient/p1). Every other value was entered."
    assert said in page
    assessed = site.store.latest_assessment(pk, 2)
    assert assessed is not None
    criteria = assessed.output["options"]["liver_transplant_milan"]["criteria"]
    (age,) = [c for c in criteria if c["id"] == "liver_transplant_milan.age"]
    # one bound typed over the record's: each bound says where it came from
    assert age["value"] == (
        "Age 66 years (lower bound entered; upper bound from the FHIR record Patient/p1)"
    )


def test_a_source_for_a_field_left_unknown_is_refused_by_name(site: Site) -> None:
    client, csrf = logged_in(site)
    response = client.post(
        "/api/v1/cases",
        headers={"X-CSRF-Token": csrf},
        json={
            "schema_version": 1,
            "case_id": "bad-source",
            "value_sources": {"labs.creatinine_mg_dl": "Observation/c1"},
        },
    )
    assert response.status_code == 422, response.text
    assert "value_sources.labs.creatinine_mg_dl" in response.text


def test_an_update_from_a_file_takes_each_values_source_with_it() -> None:
    # "Update from a file" (nelm.case.merge): a value taken from a newer record carries
    # that record's resource; a value taken from a case document was entered; a value the
    # file leaves out keeps its stored source.
    from nelm.case.merge import merge_file_into_case

    stored = {
        "schema_version": 1,
        "case_id": "c",
        "patient": {"sex": "female", "ecog": 1},
        "labs": {"creatinine_mg_dl": 0.9},
        "value_sources": {
            "patient.sex": "Patient/p1 (gender)",
            "patient.ecog": "Observation/e1 (LOINC 89247-1)",
            "labs.creatinine_mg_dl": "Observation/c1 (LOINC 2160-0)",
        },
    }
    newer_record = {
        "labs": {"creatinine_mg_dl": 1.1},
        "value_sources": {"labs.creatinine_mg_dl": "Observation/c2 (LOINC 2160-0)"},
    }
    merged, _ = merge_file_into_case(stored, newer_record, base_version=1, compare_case_id=False)
    assert merged["value_sources"]["labs.creatinine_mg_dl"] == "Observation/c2 (LOINC 2160-0)"
    assert merged["value_sources"]["patient.sex"] == "Patient/p1 (gender)"
    typed = {"case_id": "c", "patient": {"ecog": 2}}
    merged, _ = merge_file_into_case(merged, typed, base_version=2, compare_case_id=True)
    assert "patient.ecog" not in merged["value_sources"]
    assert merged["value_sources"]["patient.sex"] == "Patient/p1 (gender)"
