"""Shared pieces of the CDS Hooks tests (no tests here): keys, tokens, an app, prefetch.

Keys are generated in the test run (RSA 2048, EC P-256 and P-384); the JWKS is written to
a temporary file. The clock is fixed at the synthetic bundles' reference date, and every
token is dated by that clock.
"""

from __future__ import annotations

import functools
import html
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt

from nelm.interop.cds_hooks import (
    CdsSettings,
    FetchResponse,
    InMemoryFeedbackSink,
    InMemoryReplayCache,
    TrustedIssuer,
    create_cds_router,
    example,
)
from nelm.interop.fhir.synthetic import REFERENCE_DATE

BASE = "http://testserver"
SERVICE = "/cds-services/nelm-liver-metastases"
FEEDBACK = SERVICE + "/feedback"
ISSUER = "https://ehr.example.org"
OTHER_ISSUER = "https://other-ehr.example.org"
FHIR_BASE = "https://fhir.example.org/r4"
APP_BASE = "https://nelm.example.org"
NOW = datetime(REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day, 12, 0, tzinfo=UTC)


@functools.cache
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def other_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@functools.cache
def ec256_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_jwk(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, kid: str) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPrivateKey):
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    else:
        data = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    data["kid"] = kid
    data["use"] = "sig"
    return dict(data)


def jwks() -> dict[str, Any]:
    return {
        "keys": [
            public_jwk(rsa_key(), "rsa-1"),
            public_jwk(ec_key(), "ec-1"),
            public_jwk(ec256_key(), "ec256-1"),
        ]
    }


def mint(
    *,
    key: Any = None,
    kid: str = "rsa-1",
    alg: str = "RS384",
    aud: Any = None,
    iss: str = ISSUER,
    now: datetime = NOW,
    lifetime: float = 240,
    drop: tuple[str, ...] = (),
    headers: Mapping[str, Any] | None = None,
    **claims: Any,
) -> str:
    """A token as the EHR would sign it for ``aud`` (the patient-view endpoint)."""
    payload: dict[str, Any] = {
        "iss": iss,
        "sub": "ehr-client",
        "aud": BASE + SERVICE if aud is None else aud,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=lifetime)).timestamp()),
        "jti": str(uuid.uuid4()),
    }
    payload.update(claims)
    for name in drop:
        payload.pop(name, None)
    signing_key = (
        key if key is not None else (rsa_key() if alg.startswith(("RS", "PS")) else ec_key())
    )
    header = {"kid": kid, "typ": "JWT", **(headers or {})}
    return jwt.encode(payload, signing_key, algorithm=alg, headers=header)


def auth(token: str | None = None, **kw: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token or mint(**kw)}"}


# --------------------------------------------------------------------------- fake FHIR


@dataclass
class FakeFhirServer:
    """A FhirFetcher answering from a dict of URL → JSON (or FetchResponse)."""

    routes: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[str, str | None]] = field(default_factory=list)
    delay: float = 0.0

    async def get(
        self, url: str, *, access_token: str | None, timeout: float, max_bytes: int
    ) -> FetchResponse:
        import asyncio

        self.calls.append((url, access_token))
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = self.routes.get(url)
        if answer is None:
            body = json.dumps(
                {
                    "resourceType": "OperationOutcome",
                    "issue": [{"severity": "error", "code": "not-found"}],
                }
            ).encode()
            return FetchResponse(404, "application/fhir+json", body)
        if isinstance(answer, FetchResponse):
            return answer
        return FetchResponse(200, "application/fhir+json", json.dumps(answer).encode())


# --------------------------------------------------------------------------- the app


@dataclass
class Harness:
    client: TestClient
    sink: InMemoryFeedbackSink
    fhir: FakeFhirServer
    settings: CdsSettings
    replay: InMemoryReplayCache

    def call(self, body: Any, *, token: str | None = None, **kw: Any) -> Any:
        return self.client.post(SERVICE, json=body, headers=auth(token, **kw))


def make_harness(
    tmp_path: Path,
    *,
    clock: Callable[[], datetime] = lambda: NOW,
    jwks_fetcher: Any = None,
    **overrides: Any,
) -> Harness:
    path = tmp_path / "ehr-jwks.json"
    path.write_text(json.dumps(jwks()), encoding="utf-8")
    values: dict[str, Any] = {
        "app_base_url": APP_BASE,
        "issuers": (TrustedIssuer(ISSUER, jwks_path=path),),
        "fhir_server_allow_list": (FHIR_BASE,),
    }
    values.update(overrides)
    settings = CdsSettings(**values)
    sink = InMemoryFeedbackSink()
    fhir = FakeFhirServer()
    replay = InMemoryReplayCache()
    app = FastAPI()
    app.include_router(
        create_cds_router(
            settings,
            feedback_sink=sink,
            clock=clock,
            fhir_fetcher=fhir,
            jwks_fetcher=jwks_fetcher,
            replay_cache=replay,
        )
    )
    client = TestClient(app, raise_server_exceptions=False)
    return Harness(client, sink, fhir, settings, replay)


# --------------------------------------------------------------------------- prefetch


def searchset(resources: list[dict[str, Any]], *, next_url: str | None = None) -> dict[str, Any]:
    bundle = example.searchset(resources, FHIR_BASE)
    if next_url is not None:
        bundle["link"] = [{"relation": "next", "url": next_url}]
    return bundle


def prefetch_from_bundle(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """Split a synthetic bundle into the service's prefetch keys (as a server returns
    them: references by ``Type/id``)."""
    return example.prefetch_from_bundle(bundle, FHIR_BASE)


def patient_id_of(bundle: Mapping[str, Any]) -> str:
    return next(
        str(e["resource"]["id"])
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Patient"
    )


def hook_body(prefetch: Mapping[str, Any] | None, patient_id: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/dr-1", "patientId": patient_id},
    }
    if prefetch is not None:
        body["prefetch"] = dict(prefetch)
    body.update(extra)
    return body


def server_routes(bundle: Mapping[str, Any]) -> dict[str, Any]:
    """What the fake FHIR server answers for each prefetch query of this bundle."""
    from nelm.interop.cds_hooks.prefetch import PREFETCH, search_url

    pid = patient_id_of(bundle)
    prefetch = prefetch_from_bundle(bundle)
    return {search_url(FHIR_BASE, spec, pid): prefetch[spec.key] for spec in PREFETCH}


def entries(prefetch: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for value in prefetch.values():
        if isinstance(value, dict) and value.get("resourceType") == "Bundle":
            for entry in value.get("entry", []):
                yield entry["resource"]


_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render(markdown: str) -> str:
    """Markdown → HTML, raw HTML allowed (the most permissive renderer an EHR may use)."""
    rendered: str = _MD.render(markdown)
    return rendered


def plain(markdown: str) -> str:
    """The text a reader sees: rendered, tags removed, one line."""
    text = html.unescape(re.sub(r"<[^>]+>", "", render(markdown)))
    return " ".join(text.split())
