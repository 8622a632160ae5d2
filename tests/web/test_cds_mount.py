"""The CDS Hooks service inside the web application: mounted by configuration, authenticated
by the EHR's JWT (not by the application's login), feedback kept in the audit log."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.interop.test_cds_helpers import ISSUER, SERVICE, jwks, mint
from tests.web.conftest import Site

FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"


@pytest.fixture
def cds_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_factory: Callable[..., Site]
) -> Site:
    keys = tmp_path / "ehr-jwks.json"
    keys.write_text(json.dumps(jwks()))
    config = tmp_path / "cds.json"
    config.write_text(
        json.dumps(
            {
                "app_base_url": "https://nelm.example.org",
                "issuers": [{"iss": ISSUER, "jwks_path": str(keys)}],
                "discovery_requires_auth": True,
            }
        )
    )
    monkeypatch.setenv("NELM_CDS_CONFIG", str(config))
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
