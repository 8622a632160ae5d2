"""The CDS Hooks service inside the web application: mounted by configuration, authenticated
by the EHR's JWT (not by the application's login), feedback kept in the audit log."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.interop.test_cds_helpers import ISSUER, SERVICE, jwks, mint
from tests.web.conftest import Site

FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"


def _configure_cds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: object) -> None:
    """The EHR's keys and a CDS configuration trusting them, with ``settings`` beside."""
    keys = tmp_path / "ehr-jwks.json"
    keys.write_text(json.dumps(jwks()))
    config = tmp_path / "cds.json"
    issuers = [{"iss": ISSUER, "jwks_path": str(keys)}]
    config.write_text(
        json.dumps({"app_base_url": "https://nelm.example.org", "issuers": issuers, **settings})
    )
    monkeypatch.setenv("NELM_CDS_CONFIG", str(config))


@pytest.fixture
def cds_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_factory: Callable[..., Site]
) -> Site:
    _configure_cds(tmp_path, monkeypatch, discovery_requires_auth=True)
    return site_factory("sqlite")


def test_not_mounted_without_configuration(site: Site) -> None:
    response = site.client().get("/cds-services", follow_redirects=False)
    assert response.status_code in (303, 401, 404)
    assert "services" not in response.text


def test_discovery_needs_the_ehr_token_not_a_login(cds_site: Site) -> None:
    from datetime import UTC, datetime

    client = cds_site.client()
    now = datetime.now(UTC)
    unauthenticated = client.get("/cds-services")
    assert unauthenticated.status_code == 401
    token = mint(aud="http://testserver/cds-services", now=now)
    response = client.get("/cds-services", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    services = response.json()["services"]
    assert services[0]["hook"] == "patient-view"
    assert services[0]["id"] == SERVICE.rsplit("/", 1)[-1]


def test_feedback_is_written_to_the_audit_log(cds_site: Site) -> None:
    from datetime import UTC, datetime

    client = cds_site.client()
    token = mint(aud=f"http://testserver{SERVICE}/feedback", now=datetime.now(UTC))
    card = str(uuid.uuid4())
    response = client.post(
        f"{SERVICE}/feedback",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "feedback": [
                {"card": card, "outcome": "overridden", "outcomeTimestamp": "2026-11-01T10:00:00Z"}
            ]
        },
    )
    assert response.status_code == 200, response.text
    entries = [e for e in cds_site.store.audit_entries() if e.action == "cds_feedback"]
    assert len(entries) == 1
    assert json.loads(entries[0].detail)["card"] == card
    assert json.loads(entries[0].detail)["outcome"] == "overridden"


def test_patient_view_stores_the_case_and_links_to_it(cds_site: Site) -> None:
    from datetime import UTC, datetime

    from nelm.interop.fhir.synthetic import make_bundle
    from tests.interop.test_cds_helpers import hook_body, patient_id_of, prefetch_from_bundle

    bundle = make_bundle(1)
    body = hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle))
    client = cds_site.client()
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))
    response = client.post(SERVICE, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    [stored] = cds_site.store.list_cases()
    assert stored.case_id.startswith("ehr-")
    assert patient_id_of(bundle) not in stored.case_id  # the EHR's id is not a nelm id
    # CDS Hooks 2.0: Card.source.url is the service; the case is one of the card's links
    assert cards[0]["source"]["url"] == "https://nelm.example.org/"
    assert cards[0]["links"][0]["url"] == f"https://nelm.example.org/cases/{stored.id}"
    # the same data again adds no version; the link stays the same
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))
    again = client.post(SERVICE, json=body, headers={"Authorization": f"Bearer {token}"})
    assert again.json()["cards"][0]["links"][0]["url"] == cards[0]["links"][0]["url"]
    assert cds_site.store.list_cases()[0].current_version == 1


def test_a_patient_who_has_died_is_stored_with_the_records_warning(cds_site: Site) -> None:
    # FHIR R4 Patient.deceased[x]: the synthetic NET patient's record, with a death. The
    # card opens with it (docs/cds-hooks.md); the case the board stores from the call must
    # keep it too (docs/case-v1-additions.md, "What the record said"), or the board would
    # later open an ordinary case.
    from datetime import UTC, datetime

    from nelm.interop.fhir.synthetic import make_bundle
    from tests.interop.test_cds_helpers import hook_body, patient_id_of, prefetch_from_bundle

    bundle = make_bundle(1)
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["deceasedDateTime"] = "2026-10-02"
    body = hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle))
    client = cds_site.client()
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))
    response = client.post(SERVICE, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    [stored] = cds_site.store.list_cases()
    (said,) = cds_site.store.get_case(stored.id).document["record_warnings"]
    assert said.startswith("The electronic record (CDS Hooks): DECEASED:")
    assert "2026-10-02" in said


def _hook(cds_site: Site, bundle: dict[str, Any]) -> None:
    from datetime import UTC, datetime

    from tests.interop.test_cds_helpers import hook_body, patient_id_of, prefetch_from_bundle

    body = hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle))
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))
    response = cds_site.client().post(
        SERVICE, json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text


def _died(bundle: dict[str, Any], when: str) -> dict[str, Any]:
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["deceasedDateTime"] = when
    return bundle


def test_the_stored_warning_names_no_ehr_resource_id(cds_site: Site) -> None:
    # The stored case's id is a hash of the EHR's patient id (docs/cds-hooks.md); what the
    # record said is kept in words, "the Patient resource: deceasedDateTime …", not by id.
    from nelm.interop.fhir.synthetic import make_bundle
    from tests.interop.test_cds_helpers import patient_id_of

    bundle = _died(make_bundle(1), "2026-10-02")
    _hook(cds_site, bundle)
    [stored] = cds_site.store.list_cases()
    (said,) = cds_site.store.get_case(stored.id).document["record_warnings"]
    assert patient_id_of(bundle) not in said
    assert "the Patient resource: deceasedDateTime 2026-10-02" in said


def test_a_new_version_keeps_what_the_record_said_before(cds_site: Site) -> None:
    # docs/case-v1-additions.md, "What the record said": a newer record's warnings are
    # added to those the stored case keeps, as "update from a file" does (nelm.case.merge).
    from nelm.interop.fhir.synthetic import make_bundle

    _hook(cds_site, _died(make_bundle(1), "2026-10-02"))
    later = make_bundle(1)  # the same patient, no death recorded, one result changed
    for entry in later["entry"]:
        if entry["resource"].get("id") == "bili-0001":
            entry["resource"]["valueQuantity"]["value"] = 2.5
    _hook(cds_site, later)
    [stored] = cds_site.store.list_cases()
    assert stored.current_version == 2
    (said,) = cds_site.store.get_case(stored.id).document["record_warnings"]
    assert said.startswith("The electronic record (CDS Hooks): DECEASED:")


def test_the_stored_case_keeps_the_dates_of_its_results(cds_site: Site) -> None:
    # As the board's import of a record stores it (docs/case-v1-additions.md, measured_on;
    # nelm.case.result_dates): each result's date and the date the record was read for, so
    # the stored case warns of results older than 90 days (docs/fhir-mapping.md). The
    # synthetic bilirubin is dated 2025-01-11 (its effectiveDateTime), months before now.
    from datetime import datetime

    from nelm.interop.fhir.synthetic import make_bundle
    from nelm.service import assess_mapping

    bundle = make_bundle(1)
    bilirubin = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == "bili-0001")
    assert bilirubin["effectiveDateTime"].startswith("2025-01-11")
    _hook(cds_site, bundle)
    [stored] = cds_site.store.list_cases()
    document = cds_site.store.get_case(stored.id).document
    assert document["measured_on"]["labs.bilirubin_mg_dl"] == "2025-01-11"
    assert document["timeline"]["as_of"] == datetime.now().astimezone().date().isoformat()
    warnings = assess_mapping(document, with_evidence=False)["warnings"]
    assert any(w.startswith("Results more than 90 days before the case's date") for w in warnings)


def test_a_control_character_in_the_prefetch_is_not_a_refusal(cds_site: Site) -> None:
    # docs/cds-hooks.md: one bad element never sinks the record; only more than one Patient
    # is a 422. A NUL (a control character, nelm.text) in a Condition's text sets that one
    # resource aside, also behind the web application's edge.
    from datetime import UTC, datetime

    from nelm.interop.fhir.synthetic import make_bundle
    from tests.interop.test_cds_helpers import hook_body, patient_id_of, prefetch_from_bundle

    bundle = make_bundle(1)
    pid = patient_id_of(bundle)
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:8f1c2a8e-1b7e-4c11-9d1e-0a0b0c0d0e0f",
            "resource": {
                "resourceType": "Condition",
                "id": "other-1",
                "code": {"text": "seasonal\u0000allergy"},
                "subject": {"reference": f"Patient/{pid}"},
            },
        }
    )
    body = hook_body(prefetch_from_bundle(bundle), pid)
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))
    response = cds_site.client().post(
        SERVICE, json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert cards[0]["summary"].startswith("NELM: ")
    assert "a control character in code.text" in cards[1]["detail"].replace("\\", "")


def test_the_stored_case_names_the_resource_type_of_each_value(cds_site: Site) -> None:
    # docs/case-v1-additions.md "Where a value came from": the board tells the record's
    # values from typed ones by the resource each came from; a CDS Hooks call's case keeps
    # the type and code (LOINC 1975-2, bilirubin total) without the EHR's id (bili-0001).
    import html

    from nelm.interop.fhir.synthetic import make_bundle
    from tests.interop.test_cds_helpers import patient_id_of
    from tests.web.test_pages import logged_in

    bundle = make_bundle(1)
    patient = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["id"] == patient_id_of(bundle)
    )
    # FHIR R4 date: a birthDate may be the year alone; the age then has two bounds
    patient["birthDate"] = "1960"
    _hook(cds_site, bundle)
    [stored] = cds_site.store.list_cases()
    document = cds_site.store.get_case(stored.id).document
    sources = document["value_sources"]
    assert sources["labs.bilirubin_mg_dl"] == "Observation via CDS Hooks (LOINC 1975-2)"
    assert sources["patient.age_years_at_least"] == "Patient via CDS Hooks (birthDate, year only)"
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    assert not any(f"/{rid}" in s for s in sources.values() for rid in ids)
    client, _ = logged_in(cds_site)
    page = html.unescape(client.get(f"/cases/{stored.id}/report.html").text)
    assert "Bilirubin" in page
    assert "— from the FHIR record: Observation via CDS Hooks (LOINC 1975-2)" in page
    assert "(from a birth date of the year only, FHIR record Patient via CDS Hooks)" in page
    summary = html.unescape(client.get(f"/cases/{stored.id}/summary.html").text)
    assert "From the FHIR record: " in summary
    assert "(Observation via CDS Hooks)" in summary
    assert not any(f"/{rid}" in summary for rid in ids)


def test_a_problem_list_not_read_is_not_stored_as_no_neuroendocrine_neoplasm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_factory: Callable[..., Site]
) -> None:
    # CDS Hooks 2.0, "Prefetch Template": a client may leave a key out. With every chart
    # assessed (only_when_relevant false) and the `conditions` key left out, whether the
    # patient has a NET is unknown: the stored case must not say "no neuroendocrine
    # neoplasm is recorded", or the board would read an absence that nobody saw.
    from datetime import UTC, datetime

    from tests.interop.test_cds_helpers import hook_body

    _configure_cds(tmp_path, monkeypatch, only_when_relevant=False)
    site = site_factory("sqlite")
    prefetch = {"patient": {"resourceType": "Patient", "id": "p-9", "gender": "male"}}
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))
    response = site.client().post(
        SERVICE, json=hook_body(prefetch, "p-9"), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    [stored] = site.store.list_cases()
    said = " ".join(site.store.get_case(stored.id).document["record_warnings"])
    assert "no neuroendocrine neoplasm is recorded" not in said
    assert "NEUROENDOCRINE DIAGNOSIS UNKNOWN: the problem list could not be read" in said
