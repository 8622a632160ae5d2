"""Hostile text never reaches a 500, on SQLite and PostgreSQL alike (issue 13, point 3).

One rule (``nelm.text``) applied once where input enters (``nelm.web.input_guard``):
control characters, NUL and unpaired surrogates are refused with 422 naming the field;
forms must be UTF-8; JSON routes take JSON content types only; dates and booleans are
strictly what the schema says.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from nelm.interop.fhir.size import max_bundle_bytes
from tests.interop.test_cds_helpers import SERVICE, mint
from tests.web.conftest import Site
from tests.web.test_api import case_doc
from tests.web.test_cds_mount import cds_site  # noqa: F401 - the fixture

RULE = (
    "text without control characters (tab and line breaks are allowed) or unpaired "
    "UTF-16 surrogates"
)
SURROGATE = "got the text has U+D800 (an unpaired surrogate) at character 3"
NUL = "got the text has U+0000 (NUL) at character 2"


def _raw(doc: dict[str, object], **replace: str) -> bytes:
    """JSON text with placeholders swapped for escapes json.dumps would not write."""
    text = json.dumps(doc)
    for placeholder, escape in replace.items():
        text = text.replace(placeholder, escape)
    return text.encode()


def _problem(response: object) -> tuple[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    first = body["problems"][0]
    return first["field"], first["expected"] + ", got " + first["got"]


@pytest.fixture
def no_errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_lone_surrogate_is_422_on_every_json_endpoint(
    any_site: Site, no_errors_logged: None
) -> None:
    site = any_site
    admin = site.token("boss", "admin")
    client = site.client()
    json_headers = {**admin, "Content-Type": "application/json"}
    pk = client.post("/api/v1/cases", json=case_doc(), headers=admin).json()["id"]
    bad = "ab\\ud800cd"
    attempts = [
        ("POST", "/api/v1/assess", _raw(case_doc(label="LBL"), LBL=bad), "label"),
        ("POST", "/api/v1/cases", _raw(case_doc("c-2", label="LBL"), LBL=bad), "label"),
        ("PUT", f"/api/v1/cases/{pk}", _raw(case_doc(label="LBL"), LBL=bad), "label"),
        ("POST", f"/api/v1/cases/{pk}/decisions", _raw({"text": "LBL"}, LBL=bad), "text"),
        ("POST", "/api/v1/tokens", _raw({"name": "LBL"}, LBL=bad), "name"),
        (
            "POST",
            "/api/v1/users",
            _raw({"username": "LBL", "role": "viewer", "password": "long enough pw"}, LBL=bad),
            "username",
        ),
        ("PATCH", "/api/v1/users/1", _raw({"password": "LBL"}, LBL=bad), "password"),
    ]
    for method, path, body, field in attempts:
        response = client.request(method, path, content=body, headers=json_headers)
        assert response.status_code == 422, (method, path, response.text)
        assert _problem(response) == (field, f"{RULE}, {SURROGATE}"), path
    assert site.store.get_case(pk).current_version == 1
    assert site.store.find_case("c-2") is None
    assert site.store.list_decisions(pk) == []


def test_nul_is_refused_the_same_way_on_both_databases(any_site: Site) -> None:
    site = any_site
    writer = site.token("dr-a", "clinician")
    client = site.client()
    headers = {**writer, "Content-Type": "application/json"}
    response = client.post(
        "/api/v1/cases", content=_raw(case_doc("aXb"), X="\\u0000"), headers=headers
    )
    assert response.status_code == 422
    assert _problem(response) == ("case_id", f"{RULE}, {NUL}")
    assert site.store.list_cases() == []
    pk = client.post("/api/v1/cases", json=case_doc(), headers=writer).json()["id"]
    decision = client.post(
        f"/api/v1/cases/{pk}/decisions", headers=headers, content=_raw({"text": "aXb"}, X="\\u0000")
    )
    assert decision.status_code == 422 and _problem(decision)[0] == "text"
    token = client.post(
        "/api/v1/tokens", headers=headers, content=_raw({"name": "aXb"}, X="\\u001b")
    )
    assert token.status_code == 422 and _problem(token)[0] == "name"
    query = client.get("/api/v1/cases", params={"x": "a\x00b"}, headers=writer)
    assert query.status_code == 422 and _problem(query)[0] == "query.x"
    # line breaks and tabs are text, and so is a surrogate pair (an emoji)
    fine = client.post(
        f"/api/v1/cases/{pk}/decisions",
        headers=headers,
        content=_raw({"text": "T"}, T="two\\nlines\\tand \\ud83d\\ude00"),
    )
    assert fine.status_code == 201 and fine.json()["text"] == "two\nlines\tand \U0001f600"


def test_json_routes_refuse_other_content_types(site: Site) -> None:
    writer = site.token("dr-a", "clinician")
    client = site.client()
    body = json.dumps(case_doc())
    for media in ("text/plain", "application/x-www-form-urlencoded", ""):
        for path in ("/api/v1/cases", "/api/v1/assess"):
            headers = {**writer, "Content-Type": media} if media else writer
            response = client.post(path, content=body, headers=headers)
            assert response.status_code == 415, (media, path)
            assert response.json()["problems"][0]["field"] == "Content-Type"
    assert site.store.list_cases() == []
    ok = client.post(
        "/api/v1/cases",
        content=body,
        headers={**writer, "Content-Type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 201


def test_a_form_with_invalid_utf8_is_refused_not_stored_mangled(site: Site) -> None:
    site.user("dr-a", "clinician")
    client = site.client()
    csrf = site.login(client, "dr-a")
    body = f"csrf_token={csrf}&case_id=form-1&label=caf%E9".encode()
    response = client.post(
        "/cases/new", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert "label: UTF-8 text, got bytes that are not UTF-8" in response.text
    assert site.store.find_case("form-1") is None
    control = client.post(
        "/cases/new",
        content=f"csrf_token={csrf}&case_id=f%01".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert control.status_code == 422
    assert "case_id: " + RULE in control.text
    wrong_type = client.post(
        "/cases/new", content=b'{"case_id": "x"}', headers={"Content-Type": "application/json"}
    )
    assert wrong_type.status_code == 415


def test_as_of_must_be_a_calendar_date(site: Site) -> None:
    viewer = {**site.token("doc", "viewer"), "Content-Type": "application/fhir+json"}
    client = site.client()
    for bad in ("0", "20261101", "2026-02-30", "yesterday"):
        response = client.post(
            f"/api/v1/assess?as_of={bad}",
            content=b'{"resourceType": "Bundle", "type": "collection", "entry": []}',
            headers=viewer,
        )
        assert response.status_code == 422, bad
        assert re.search(r"as_of", response.text), response.text
    # docs/api.md, "Input rules": as_of is a calendar date whatever the body, so a case
    # document (which does not use it) is refused the same way, naming the parameter.
    case = {**site.token("doc", "viewer"), "Content-Type": "application/json"}
    response = client.post(
        "/api/v1/assess?as_of=2026-02-30",
        content=b'{"schema_version": 1, "case_id": "c"}',
        headers=case,
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "as_of"


def test_booleans_and_numbers_in_request_bodies_are_strict(site: Site) -> None:
    admin = site.token("boss", "admin")
    client = site.client()
    user = client.post(
        "/api/v1/users",
        json={"username": "v", "role": "viewer", "password": "long enough pw"},
        headers=admin,
    )
    uid = user.json()["id"]
    for bad in (0, 1, "false", "no"):
        response = client.patch(f"/api/v1/users/{uid}", json={"active": bad}, headers=admin)
        assert response.status_code == 422, bad
        assert response.json()["problems"][0]["field"] == "active"
    assert (
        client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers=admin).json()["active"]
        is False
    )
    pk = client.post("/api/v1/cases", json=case_doc(), headers=admin).json()["id"]
    response = client.post(
        f"/api/v1/cases/{pk}/decisions", json={"case_version": "1"}, headers=admin
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "case_version"


def test_a_chunked_oversize_body_on_the_cds_endpoint_is_413(
    cds_site: Site,  # noqa: F811 - the fixture
    no_errors_logged: None,
) -> None:
    client = cds_site.client()
    token = mint(aud=f"http://testserver{SERVICE}", now=datetime.now(UTC))

    limit = max_bundle_bytes()  # the CDS body limit is the FHIR record limit

    def chunks() -> Iterator[bytes]:  # no Content-Length, 1 MB over the limit
        yield b'{"hook": "patient-view", "pad": "'
        for _ in range(limit // 1_000_000 + 1):
            yield b"x" * 1_000_000
        yield b'"}'

    response = client.post(
        SERVICE,
        content=chunks(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    surrogate = client.post(
        SERVICE,
        content=b'{"hook": "patient-view", "hookInstance": "a\\ud800"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    # docs/cds-hooks.md, Errors: a hookInstance that is not as described is a 400, from the
    # service itself (it checks its own text; the edge leaves /cds-services bodies to it)
    assert surrogate.status_code == 400
    assert surrogate.headers["content-type"].startswith("application/fhir+json")
    outcome = surrogate.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["expression"] == ["hookInstance"]


def test_a_large_body_is_checked_the_same_way(site: Site) -> None:
    """Bodies over 64 kB are checked off the event loop: the same rule, the same answer."""
    writer = {**site.token("dr-a", "clinician"), "Content-Type": "application/json"}
    body = _raw(case_doc(label="x" * 100_000 + "LBL"), LBL="\\ud800")
    response = site.client().post("/api/v1/cases", content=body, headers=writer)
    assert response.status_code == 422
    assert _problem(response) == (
        "label",
        f"{RULE}, got the text has U+D800 (an unpaired surrogate) at character 100001",
    )
