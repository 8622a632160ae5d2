"""Settings from a file, the allow-list rules, and the example key/token/request tool."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_cds_helpers import BASE, ISSUER, SERVICE, make_harness

from nelm.interop.cds_hooks import CdsSettings, TrustedIssuer
from nelm.interop.cds_hooks import example as example_tool
from nelm.interop.cds_hooks.settings import normalize_url


def test_settings_from_a_json_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "ehr.json").write_text('{"keys": []}')
    config = {
        "app_base_url": "https://nelm.hospital.example/",
        "service_base_url": "https://cds.hospital.example",
        "issuers": [
            {"iss": "https://ehr.hospital.example", "jwks_path": "keys/ehr.json"},
            {
                "iss": "https://sandbox.cds-hooks.org",
                "jwks_url": "https://sandbox.cds-hooks.org/.well-known/jwks.json",
            },
        ],
        "jwks_url_allow_list": ["https://sandbox.cds-hooks.org/.well-known/jwks.json"],
        "fhir_server_allow_list": ["https://fhir.hospital.example/r4/"],
        "algorithms": ["ES384", "RS384"],
        "fhir_timeout_seconds": 2.5,
    }
    path = tmp_path / "cds.json"
    path.write_text(json.dumps(config))
    monkeypatch.setenv("NELM_CDS_CONFIG", str(path))
    settings = CdsSettings.from_env()
    assert settings is not None
    assert settings.app_base_url == "https://nelm.hospital.example"
    assert settings.issuer_index["https://ehr.hospital.example"].jwks_path == (
        tmp_path / "keys" / "ehr.json"
    )
    assert settings.fhir_server_allowed("https://FHIR.hospital.example:443/r4")
    assert not settings.fhir_server_allowed("https://fhir.hospital.example/r4/other")
    assert settings.algorithms == ("ES384", "RS384")
    monkeypatch.delenv("NELM_CDS_CONFIG")
    assert CdsSettings.from_env() is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unknown_key": 1}, "unknown keys"),
        ({"app_base_url": "ftp://x"}, "app_base_url"),
        ({"fhir_server_allow_list": ["http://fhir.example.org"]}, "https"),
        ({"fhir_server_allow_list": ["https://user:pw@fhir.example.org"]}, "credentials"),
        ({"algorithms": ["HS256"]}, "HS256"),
        ({"algorithms": []}, "algorithms"),
        ({"issuers": [{"iss": "a", "jwks_path": "x"}, {"iss": "a", "jwks_path": "y"}]}, "twice"),
        ({"clock_leeway_seconds": -1}, "seconds"),
    ],
)
def test_bad_settings_are_refused_at_start(change: dict[str, object], message: str) -> None:
    config: dict[str, object] = {"app_base_url": "https://nelm.example.org"}
    config.update(change)
    with pytest.raises(ValueError, match=message):
        CdsSettings.from_mapping(config)


def test_loopback_http_is_allowed_for_local_testing() -> None:
    settings = CdsSettings(
        app_base_url="http://127.0.0.1:8000", fhir_server_allow_list=("http://localhost:8080/fhir",)
    )
    assert settings.fhir_server_allowed("http://localhost:8080/fhir/")


def test_normalize_url() -> None:
    assert normalize_url("HTTPS://Example.ORG:443/a/b/") == "https://example.org/a/b"
    assert normalize_url("http://example.org:80/") == "http://example.org"
    assert normalize_url("http://example.org:8080/x?y=1#z") == "http://example.org:8080/x"


def test_example_keys_token_and_request_work_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys"
    assert example_tool.main(["keygen", str(keys)]) == 0
    assert (keys / "private-key.pem").stat().st_mode & 0o077 == 0
    capsys.readouterr()
    assert example_tool.main(["token", str(keys), ISSUER, BASE + SERVICE]) == 0
    token = capsys.readouterr().out.strip()
    assert example_tool.main(["request", "3"]) == 0
    body = json.loads(capsys.readouterr().out)
    harness = make_harness(
        tmp_path,
        clock=lambda: datetime.now(UTC),
        issuers=(TrustedIssuer(ISSUER, jwks_path=keys / "jwks.json"),),
    )
    response = harness.call(body, token=token)
    assert response.status_code == 200, response.text
    assert response.json()["cards"][0]["summary"].startswith("NELM: ")
    assert example_tool.main(["nonsense"]) == 2


SANDBOX = "https://sandbox.cds-hooks.org"


def test_cors_for_browser_based_sandboxes(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, cors_allow_origins=(SANDBOX,))
    preflight = harness.client.options(
        SERVICE,
        headers={
            "Origin": SANDBOX,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == SANDBOX
    assert "Authorization" in preflight.headers["access-control-allow-headers"]
    refused = harness.client.options(SERVICE, headers={"Origin": "https://evil.example.net"})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
    discovery = harness.client.get("/cds-services", headers={"Origin": SANDBOX})
    assert discovery.headers["access-control-allow-origin"] == SANDBOX
    # an error answer carries the header too, so the page can read it
    denied = harness.client.post(SERVICE, json={}, headers={"Origin": SANDBOX})
    assert denied.status_code == 401
    assert denied.headers["access-control-allow-origin"] == SANDBOX
    other = harness.client.get("/cds-services", headers={"Origin": "https://evil.example.net"})
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_headers_unless_configured(tmp_path: Path) -> None:
    harness = make_harness(tmp_path)
    response = harness.client.get("/cds-services", headers={"Origin": SANDBOX})
    assert "access-control-allow-origin" not in response.headers
    assert harness.client.options(SERVICE, headers={"Origin": SANDBOX}).status_code == 403
