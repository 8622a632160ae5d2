"""The REST API with FastAPI's TestClient: assess, cases with versions, assessments,
decisions, reports, evidence, errors; on SQLite and PostgreSQL where it matters."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from nelm.case.fields import OPTION_IDS
from nelm.report.text import SAFETY_STATEMENT
from tests.web.conftest import Site

XSS = "<script>alert(1)</script>"


def example(name: str = "resectable-pnet") -> dict[str, Any]:
    text = (resources.files("nelm") / "examples" / f"{name}.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def case_doc(case_id: str = "api-1", **extra: Any) -> dict[str, Any]:
    doc = example()
    doc["case_id"] = case_id
    doc.update(extra)
    return doc


def test_health_is_public_and_reports_the_database(site: Site) -> None:
    response = site.client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["knowledge_version"].startswith("2026.")


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/api/v1/cases"),
        ("POST", "/api/v1/assess"),
        ("GET", "/api/v1/cases/1"),
        ("GET", "/api/v1/evidence/records"),
        ("GET", "/api/v1/users"),
        ("GET", "/openapi.json"),
        ("GET", "/api/v1/me"),
    ],
)
def test_nothing_but_health_answers_without_a_login(site: Site, method: str, path: str) -> None:
    response = site.client().request(method, path, json={"case_id": "x"})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Log in first")


@pytest.mark.parametrize("path", ["/", "/cases/1", "/cases/new", "/account", "/admin/users"])
def test_pages_redirect_to_the_login_page(site: Site, path: str) -> None:
    response = site.client().get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_assess_returns_the_assessment_without_storing(site: Site) -> None:
    client = site.client()
    response = client.post("/api/v1/assess", json=example(), headers=site.token("doc", "viewer"))
    assert response.status_code == 200
    doc = response.json()
    assert doc["schema_version"] == 1
    assert set(doc["options"]) == set(OPTION_IDS)
    assert doc["classification"]["grade"] == "G2"
    assert site.store.list_cases() == []


def test_a_rejected_case_names_the_field_path(site: Site) -> None:
    bad = case_doc(pathology={"ki67_percent": 140}, patient={"agee": 3})
    response = site.client().post("/api/v1/assess", json=bad, headers=site.token("doc", "viewer"))
    assert response.status_code == 422
    body = response.json()
    fields = {p["field"] for p in body["problems"]}
    assert fields == {"pathology.ki67_percent", "patient.agee"}
    assert "pathology.ki67_percent: must be a number between 0 and 100, got 140" in body["detail"]


@pytest.mark.parametrize(
    "body,expected",
    [
        (b"", "an empty body"),
        (b"[1, 2]", "a JSON object"),
        (b"{", "valid JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b'{"case_id": "a", "case_id": "b"}', "appears twice"),
    ],
)
def test_malformed_bodies_are_422(site: Site, body: bytes, expected: str) -> None:
    response = site.client().post(
        "/api/v1/assess",
        content=body,
        headers={**site.token("doc", "viewer"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert expected in response.text


def test_bodies_over_one_megabyte_are_413(site: Site) -> None:
    headers = {**site.token("doc", "clinician"), "Content-Type": "application/json"}
    big = json.dumps(case_doc(label="x" * 1_100_000)).encode()
    client = site.client()
    assert client.post("/api/v1/assess", content=big, headers=headers).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit still holds
        for _ in range(12):
            yield b" " * 100_000

    response = client.post("/api/v1/cases", content=chunks(), headers=headers)
    assert response.status_code == 413
    # The edge lets up to NELM_FHIR_MAX_BYTES through (a FHIR Bundle may be that large);
    # a case document is still held to 1 MB.
    assert "A case document is at most 1 MB" in response.json()["detail"]


def test_unknown_routes_are_404(site: Site) -> None:
    headers = site.token("doc", "viewer")
    client = site.client()
    response = client.get("/api/v1/no-such-thing", headers=headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found", "problems": []}
    assert client.get("/api/v1/cases/999", headers=headers).status_code == 404
    assert client.get("/api/v1/cases/abc", headers=headers).status_code == 422


def test_cases_crud_with_versions(any_site: Site) -> None:
    site = any_site
    client = site.client()
    headers = site.token("dr-a", "clinician")
    created = client.post("/api/v1/cases", json=case_doc(), headers=headers)
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["version"] == 1
    assert client.post("/api/v1/cases", json=case_doc(), headers=headers).status_code == 409

    changed = case_doc(pathology={"ki67_percent": 30, "differentiation": "well"})
    response = client.put(f"/api/v1/cases/{pk}", json=changed, headers=headers)
    assert response.status_code == 200 and response.json()["version"] == 2
    renamed = client.put(f"/api/v1/cases/{pk}", json=case_doc("other"), headers=headers)
    assert renamed.status_code == 409

    versions = client.get(f"/api/v1/cases/{pk}/versions", headers=headers).json()
    assert [v["version"] for v in versions] == [1, 2]
    first = client.get(f"/api/v1/cases/{pk}/versions/1", headers=headers).json()
    assert first["document"]["pathology"]["ki67_percent"] == 6
    current = client.get(f"/api/v1/cases/{pk}", headers=headers).json()
    assert current["document"]["pathology"]["ki67_percent"] == 30
    listed = client.get("/api/v1/cases", headers=headers).json()
    assert [c["case_id"] for c in listed] == ["api-1"]

    assert client.delete(f"/api/v1/cases/{pk}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/cases/{pk}", headers=headers).status_code == 404


def test_assessments_are_stored_with_version_knowledge_and_hash(any_site: Site) -> None:
    site = any_site
    client = site.client()
    headers = site.token("dr-a", "clinician")
    pk = client.post("/api/v1/cases", json=case_doc(), headers=headers).json()["id"]
    first = client.post(f"/api/v1/cases/{pk}/assessments", headers=headers).json()
    assert first["case_version"] == 1 and len(first["input_hash"]) == 64
    assert first["knowledge_version"] == first["assessment"]["knowledge_version"]
    again = client.get(f"/api/v1/cases/{pk}/assessment", headers=headers).json()
    assert again["id"] == first["id"]  # same input, same knowledge: reused
    client.put(
        f"/api/v1/cases/{pk}", json=case_doc(pathology={"ki67_percent": 25}), headers=headers
    )
    second = client.get(f"/api/v1/cases/{pk}/assessment", headers=headers).json()
    assert second["case_version"] == 2 and second["input_hash"] != first["input_hash"]
    old = client.get(f"/api/v1/cases/{pk}/assessment?version=1", headers=headers).json()
    assert old["id"] == first["id"]
    listed = client.get(f"/api/v1/cases/{pk}/assessments", headers=headers).json()
    assert [a["case_version"] for a in listed] == [1, 2]
    one = client.get(f"/api/v1/cases/{pk}/assessments/{first['id']}", headers=headers)
    assert one.json()["assessment"]["case_id"] == "api-1"


def test_decisions_are_recorded_and_listed(any_site: Site) -> None:
    site = any_site
    client = site.client()
    headers = site.token("dr-a", "clinician")
    pk = client.post("/api/v1/cases", json=case_doc(), headers=headers).json()["id"]
    body = {"options": ["simultaneous_resection", "ssa"], "text": "Resect both; then SSA."}
    response = client.post(f"/api/v1/cases/{pk}/decisions", json=body, headers=headers)
    assert response.status_code == 201
    decision = response.json()
    assert decision["decided_by"] == "dr-a" and decision["case_version"] == 1
    bad = client.post(
        f"/api/v1/cases/{pk}/decisions", json={"options": ["surgery"]}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["field"] == "options.0"
    extra = client.post(f"/api/v1/cases/{pk}/decisions", json={"nope": 1}, headers=headers)
    assert extra.status_code == 422 and extra.json()["problems"][0]["field"] == "nope"
    listed = client.get(f"/api/v1/cases/{pk}/decisions", headers=headers).json()
    assert [d["text"] for d in listed] == ["Resect both; then SSA."]


def test_reports_escape_labels_and_carry_the_safety_statement(site: Site) -> None:
    client = site.client()
    headers = site.token("dr-a", "clinician")
    pk = client.post("/api/v1/cases", json=case_doc(label=XSS), headers=headers).json()["id"]
    html = client.get(f"/api/v1/cases/{pk}/report", headers=headers)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert XSS not in html.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html.text
    assert SAFETY_STATEMENT in html.text
    assert "<link" not in html.text and "src=" not in html.text  # self-contained
    actions = [e.action for e in site.store.audit_entries(case_id="api-1")]
    assert actions[0] == "export"


def test_roles_limit_what_a_user_may_do(site: Site) -> None:
    client = site.client()
    viewer = site.token("v", "viewer")
    clinician = site.token("c", "clinician")
    admin = site.token("a", "admin")
    assert client.post("/api/v1/cases", json=case_doc(), headers=viewer).status_code == 403
    assert client.get("/api/v1/users", headers=clinician).status_code == 403
    assert client.get("/api/v1/audit", headers=clinician).status_code == 403
    made = client.post(
        "/api/v1/users",
        headers=admin,
        json={"username": "new", "role": "viewer", "password": "long enough!!"},
    )
    assert made.status_code == 201 and made.json()["role"] == "viewer"
    short = client.post(
        "/api/v1/users",
        headers=admin,
        json={"username": "x", "role": "viewer", "password": "short"},
    )
    assert short.status_code == 422 and short.json()["problems"][0]["field"] == "password"
    me = client.get("/api/v1/me", headers=admin).json()
    demote = client.patch(f"/api/v1/users/{me['id']}", json={"role": "viewer"}, headers=admin)
    assert demote.status_code == 409


def test_tokens_are_shown_once_and_revocable(site: Site) -> None:
    client = site.client()
    headers = site.token("c", "clinician")
    created = client.post("/api/v1/tokens", json={"name": "script"}, headers=headers).json()
    mine = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=mine).status_code == 200
    listed = client.get("/api/v1/tokens", headers=mine).json()
    assert all("token" not in t for t in listed)
    assert client.delete(f"/api/v1/tokens/{created['id']}", headers=mine).status_code == 204
    assert client.get("/api/v1/me", headers=mine).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_session_cookie_writes_to_the_api_need_the_csrf_header(site: Site) -> None:
    site.user("c", "clinician")
    client = site.client()
    csrf = site.login(client, "c")
    assert client.get("/api/v1/cases").status_code == 200
    assert client.post("/api/v1/cases", json=case_doc()).status_code == 403
    ok = client.post("/api/v1/cases", json=case_doc(), headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


def test_evidence_endpoints(site: Site) -> None:
    client = site.client()
    headers = site.token("v", "viewer")
    records = client.get("/api/v1/evidence/records?modality=tace", headers=headers)
    assert records.status_code == 200 and records.json()
    assert all(r["modality"] == "tace" for r in records.json())
    # seed 000 Table 2 lists Ruutiainen 2007 (TACE); seed 000 is Ngongoni & Visser 2022
    ruutiainen = next(r for r in records.json() if r["id"] == "ruutiainen-2007-tace@000-t2")
    assert ruutiainen["source_text"] == "seed 000, Table 2"
    assert ruutiainen["source_label"] == "Ngongoni 2022, Table 2"
    pooled = client.get(
        "/api/v1/evidence/pool?modality=liver_resection&outcome=os_5y_percent", headers=headers
    ).json()
    assert pooled["kind"] == "pooled_proportion" and pooled["k"] >= 2
    assert all(s["source_label"] for s in pooled["studies"])
    assert 0 < pooled["ci_low"] < pooled["estimate"] < pooled["ci_high"] < 100
    medians = client.get(
        "/api/v1/evidence/pool?modality=liver_resection&outcome=median_os_months", headers=headers
    ).json()
    assert medians["kind"] == "median_summary"
    bad = client.get("/api/v1/evidence/records?modality=surgery", headers=headers)
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "modality"
    forest = client.get(
        "/api/v1/evidence/forest.svg?modality=liver_resection&outcome=os_5y_percent",
        headers=headers,
    )
    assert forest.status_code == 200 and forest.headers["content-type"] == "image/svg+xml"
    assert forest.content.lstrip().startswith(b"<?xml")
    curves = client.get("/api/v1/evidence/survival.svg?modality=liver_resection", headers=headers)
    assert curves.status_code == 200 and b"<svg" in curves.content
    # docs/api.md: 404 when no arm has two anchors. The TACE rows of 000 Tables 2-3 and 001
    # Supplementary Table 1 give a median PFS and no PFS landmark rate: one anchor each.
    none = client.get("/api/v1/evidence/survival.svg?modality=tace&kind=pfs", headers=headers)
    assert none.status_code == 404
    assert "enough figures for a progression-free-survival curve" in none.json()["detail"]
    single = client.get(
        "/api/v1/evidence/pool?modality=liver_transplant_milan&outcome=os_5y_percent",
        headers=headers,
    )
    assert single.status_code == 422


def test_openapi_describes_the_api(site: Site) -> None:
    schema = site.client().get("/openapi.json", headers=site.token("v", "viewer")).json()
    assert schema["info"]["title"] == "nelm"
    for path in (
        "/api/v1/assess",
        "/api/v1/cases",
        "/api/v1/cases/{case_pk}/versions",
        "/api/v1/cases/{case_pk}/decisions",
        "/api/v1/cases/{case_pk}/report",
        "/api/v1/evidence/pool",
        "/api/v1/health",
    ):
        assert path in schema["paths"]
    body = schema["paths"]["/api/v1/assess"]["post"]["requestBody"]
    case_schema = body["content"]["application/json"]["schema"]
    ki67 = case_schema["properties"]["pathology"]["properties"]["ki67_percent"]
    assert ki67["minimum"] == 0 and ki67["maximum"] == 100


def test_internal_errors_show_no_traceback(
    site: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import nelm.web.api_assess as api

    def broken(case: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(api, "assess_case", broken)
    caplog.set_level(logging.ERROR, logger="nelm.web")
    client = site.client()
    client_no_raise = type(client)(site.app, raise_server_exceptions=False)
    response = client_no_raise.post(
        "/api/v1/assess", json=case_doc(), headers=site.token("v", "viewer")
    )
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json()["detail"].startswith("Internal error")
    # the log says what failed and where, never the message: it can quote the input
    logged = "\n".join(caplog.text.splitlines())
    assert "RuntimeError at " in logged and "in broken" in logged
    assert "secret" not in logged and "Traceback" not in logged


def test_logs_carry_routes_and_ids_but_no_patient_data(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = site.client()
    headers = site.token("c", "clinician")
    doc = case_doc("case-77", label="Jane Q. Patient")
    pk = client.post("/api/v1/cases", json=doc, headers=headers).json()["id"]
    client.get(f"/api/v1/cases/{pk}", headers=headers)
    client.post("/api/v1/assess", json=case_doc(label="Jane Q. Patient"), headers=headers)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /api/v1/cases 201" in text
    assert "GET /api/v1/cases/{case_pk} 200" in text
    assert "Jane" not in text and "ki67" not in text and "Bearer" not in text


def test_security_headers_are_sent(site: Site) -> None:
    response = site.client().get("/login")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_a_case_dated_after_today_is_warned_of_first(site: Site) -> None:
    # the case's date a year after today (nelm.case.future_dates: a slip of the year)
    ahead = (dt.date.today() + dt.timedelta(days=366)).isoformat()
    doc = example() | {"timeline": {"as_of": ahead}}
    response = site.client().post("/api/v1/assess", json=doc, headers=site.token("doc", "viewer"))
    assert response.status_code == 200
    assert response.json()["warnings"][0].startswith("DATE IN THE FUTURE")
