"""POST /api/v1/assess with a FHIR R4 Bundle (application/fhir+json or application/json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nelm.interop.fhir.synthetic import resources_as_exported
from tests.web.conftest import Site

FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"
FHIR = {"content-type": "application/fhir+json"}


def test_bundle_is_mapped_and_assessed(site: Site) -> None:
    bundle = json.loads((FIXTURES / "synthetic-0001.json").read_text())
    response = site.client().post(
        "/api/v1/assess?as_of=2026-11-01",
        content=json.dumps(bundle),
        headers={**FHIR, **site.token("doc", "viewer")},
    )
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["input_source"]["format"] == "FHIR R4 Bundle"
    assert doc["input_source"]["assessment_date"] == "2026-11-01"
    assert doc["input_source"]["provenance"]
    assert site.store.list_cases() == []


def test_wrong_resource_type_gives_an_operation_outcome(site: Site) -> None:
    response = site.client().post(
        "/api/v1/assess",
        content=b'{"resourceType": "Patient"}',
        headers={**FHIR, **site.token("doc", "viewer")},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["severity"] == "error"
    assert outcome["issue"][0]["expression"] == ["Bundle.resourceType"]


def test_not_json_gives_an_operation_outcome(site: Site) -> None:
    response = site.client().post(
        "/api/v1/assess",
        content=b"<html>oops</html>",
        headers={**FHIR, **site.token("doc", "viewer")},
    )
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"


def test_contradictory_ki67_results_leave_ki67_unknown_and_are_listed(site: Site) -> None:
    bundle = json.loads((FIXTURES / "synthetic-0001.json").read_text())
    ki67 = [
        e
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == "29593-1" for c in e["resource"].get("code", {}).get("coding", []))
    ]
    assert ki67, "the fixture carries a Ki-67 result"
    twin = json.loads(json.dumps(ki67[0]))
    twin["resource"]["id"] = "ki67-twin"
    twin["fullUrl"] = "urn:uuid:ki67-twin"
    twin["resource"]["valueQuantity"]["value"] = ki67[0]["resource"]["valueQuantity"]["value"] + 7
    twin["resource"].pop("effectiveDateTime", None)
    bundle["entry"].append(twin)
    response = site.client().post(
        "/api/v1/assess?as_of=2026-11-01",
        content=json.dumps(bundle),
        headers={**FHIR, **site.token("doc", "viewer")},
    )
    assert response.status_code == 200  # one bad element never sinks the record
    doc = response.json()
    [issue] = [
        i
        for i in doc["input_source"]["data_quality"]
        if i.startswith("conflicting values for pathology.ki67_percent")
    ]
    assert "ki67-twin" in issue
    assert "ki67_percent" not in doc["inputs"].get("pathology", {})


REAL = FIXTURES / "fhir-real" / "external"


def test_a_real_one_megabyte_record_sent_as_application_json_is_assessed(site: Site) -> None:
    # synthea-hiv-alva958 is 1.0 MB (fixtures/fhir-real/SOURCES.md): over the old 1 MB
    # limit. Sent as plain application/json, it is recognised by its resourceType.
    body = (REAL / "synthea-hiv-alva958-1.0MB.json").read_bytes()
    assert len(body) > 1_000_000
    response = site.client().post(
        "/api/v1/assess?as_of=2020-12-31",
        content=body,
        headers={"content-type": "application/json", **site.token("doc", "viewer")},
    )
    assert response.status_code == 200, response.text[:500]
    doc = response.json()
    assert doc["input_source"]["format"] == "FHIR R4 Bundle"
    assert doc["inputs"]["patient"] == {"age_years": 22, "sex": "male"}  # manifest.json


def test_a_record_over_the_limit_is_a_413_operation_outcome(site: Site) -> None:
    # Default limit 20 MB (NELM_FHIR_MAX_BYTES); the error says the limit and how to
    # raise it, as a FHIR OperationOutcome, whether announced or streamed.
    padding = b" " * 20_000_001
    client = site.client()
    headers = {**FHIR, **site.token("doc", "viewer")}
    announced = client.post("/api/v1/assess", content=b"{}" + padding, headers=headers)

    def chunks() -> Any:
        for _ in range(21):
            yield b" " * 1_000_000

    streamed = client.post("/api/v1/assess", content=chunks(), headers=headers)
    for response in (announced, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("application/fhir+json")
        [issue] = response.json()["issue"]
        assert issue["code"] == "too-costly"
        assert "20 MB (20,000,000 bytes)" in issue["diagnostics"]
        assert "NELM_FHIR_MAX_BYTES" in issue["diagnostics"]


def test_a_fhir_client_gets_an_operation_outcome_for_a_401_too(site: Site) -> None:
    response = site.client().post("/api/v1/assess", content=b"{}", headers=FHIR)
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"


def test_implausible_and_impossible_values_are_named_with_their_fix(site: Site) -> None:
    # docs/plausibility.md: platelets 210 /µL is the usual slip for 210 × 10⁹/L (plausible
    # 5,000–1,500,000 /µL, Merck reference 150–400 × 10⁹/L); Ki-67 250 % is outside
    # case-v1's 0–100 %. The record is assessed; Ki-67 is left unknown.
    from nelm.interop.fhir.synthetic import (
        bundle_of,
        neuroendocrine_marker,
        observation_resource,
        patient_resource,
        quantity,
    )

    def lab(rid: str, code: str, value: float, unit: str) -> dict[str, Any]:
        return observation_resource(
            rid,
            "http://loinc.org",
            code,
            effective="2025-01-10",
            valueQuantity=quantity(value, unit),
        )

    bundle = bundle_of(
        patient_resource("p"),
        neuroendocrine_marker(),
        lab("plt", "777-3", 210, "/uL"),
        lab("ki", "29593-1", 250, "%"),
    )
    response = site.client().post(
        "/api/v1/assess?as_of=2025-01-15",
        content=json.dumps(bundle),
        headers={**FHIR, **site.token("doc", "viewer")},
    )
    assert response.status_code == 200, response.text
    doc = response.json()
    kinds = {w["field"]: w["kind"] for w in doc["input_warnings"]}
    assert kinds == {
        "pathology.ki67_percent": "out_of_range",
        "labs.platelets_per_ul": "implausible",
    }
    assert "did you mean 210 × 10⁹/L = 210,000 /µL?" in doc["warnings"][1]
    assert "ki67_percent" not in doc["inputs"].get("pathology", {})


def test_fhir_ndjson_is_assessed_as_the_bundle_of_its_lines(site: Site) -> None:
    # One patient's resources one per line, as a Bulk Data export writes them (references
    # relative, Type/id, since there is no fullUrl): the same assessment as the Bundle that
    # holds them (docs/fhir-mapping.md, "NDJSON").
    bundle = json.loads((FIXTURES / "synthetic-0001.json").read_text())
    lines = "".join(json.dumps(r) + "\n" for r in resources_as_exported(bundle))
    client, token = site.client(), site.token("doc", "viewer")
    answers = [
        client.post(
            "/api/v1/assess?as_of=2026-11-01",
            content=body,
            headers={"content-type": media, **token},
        )
        for body, media in (
            (json.dumps(bundle), "application/fhir+json"),
            (lines, "application/fhir+ndjson"),
            (lines, "application/x-ndjson"),
        )
    ]
    assert [a.status_code for a in answers] == [200, 200, 200], answers[1].text
    statuses = [{k: o["status"] for k, o in a.json()["options"].items()} for a in answers]
    assert statuses[1] == statuses[0] and statuses[2] == statuses[0]


def test_a_bad_ndjson_line_gives_an_operation_outcome_naming_it(site: Site) -> None:
    lines = '{"resourceType": "Patient", "id": "p"}\n{"resourceType": "Bundle"}\n'
    response = site.client().post(
        "/api/v1/assess",
        content=lines,
        headers={"content-type": "application/fhir+ndjson", **site.token("doc", "viewer")},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/fhir+json")
    issue = response.json()["issue"][0]
    assert issue["expression"] == ["line 2"]
    assert "one resource (not a Bundle) as a JSON object per line" in issue["diagnostics"]


def test_a_bundle_in_xml_is_assessed(site: Site) -> None:
    # fixtures/fhir-xml/SOURCES.md: HL7's IPS example, female, born 1972-05-01.
    xml = (FIXTURES / "fhir-xml" / "ips-bundle-01.xml").read_bytes()
    for media in ("application/fhir+xml", "application/xml"):
        response = site.client().post(
            "/api/v1/assess?as_of=2017-12-11",
            content=xml,
            headers={"content-type": media, **site.token("doc", "viewer")},
        )
        assert response.status_code == 200, response.text
        doc = response.json()
        assert doc["input_source"]["format"] == "FHIR R4 XML record"
        assert doc["inputs"]["patient"] == {"age_years": 45, "sex": "female"}


def test_xml_that_is_not_well_formed_gives_an_operation_outcome(site: Site) -> None:
    response = site.client().post(
        "/api/v1/assess",
        content=b'<Bundle xmlns="http://hl7.org/fhir"><type value="collection"></Bundle>',
        headers={"content-type": "application/fhir+xml", **site.token("doc", "viewer")},
    )
    assert response.status_code == 422
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "mismatched tag" in outcome["issue"][0]["diagnostics"]


def test_xml_is_taken_only_where_a_fhir_record_is_read(site: Site) -> None:
    # Stored cases are case documents (JSON): XML there is refused by its media type.
    response = site.client().post(
        "/api/v1/cases",
        content=b'<Bundle xmlns="http://hl7.org/fhir"/>',
        headers={"content-type": "application/fhir+xml", **site.token("doc", "clinician")},
    )
    assert response.status_code == 415


def test_a_record_in_utf16_is_refused_naming_its_encoding(site: Site) -> None:
    # JSON between systems is UTF-8 (RFC 8259 §8.1). ASCII text in UTF-16 without its
    # byte-order mark is valid UTF-8 as well, a NUL every other byte (RFC 4627 §3 tells
    # the encoding by them): it is named, not refused for the JSON error it would give.
    text = (FIXTURES / "synthetic-0001.json").read_text(encoding="utf-8")
    for body in (text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-16-be")):
        response = site.client().post(
            "/api/v1/assess", content=body, headers={**FHIR, **site.token("doc", "viewer")}
        )
        assert response.status_code in (400, 422), response.text
        assert "UTF-16" in response.text, response.text
