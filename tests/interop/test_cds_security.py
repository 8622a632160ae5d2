"""Authentication of CDS clients: signed JWTs from trusted issuers, for this endpoint, once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import warnings
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
from test_cds_helpers import (
    BASE,
    FEEDBACK,
    ISSUER,
    NOW,
    OTHER_ISSUER,
    SERVICE,
    Harness,
    auth,
    ec256_key,
    ec_key,
    hook_body,
    jwks,
    make_harness,
    mint,
    other_rsa_key,
    public_jwk,
    rsa_key,
)

from nelm.interop.cds_hooks import CdsSettings, TrustedIssuer
from nelm.interop.cds_hooks.security import (
    AuthenticationFailed,
    InMemoryReplayCache,
    KeyStore,
)

# A minimal call: an empty problem list, so the service answers 200 without a card —
# enough to tell an accepted token from a refused one.
BODY = hook_body({"conditions": {"resourceType": "Bundle", "type": "searchset"}}, "p-1")


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], payload: dict[str, Any], signature: str = "") -> str:
    return ".".join(
        [_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode()), signature]
    )


def _claims(**extra: Any) -> dict[str, Any]:
    now = int(NOW.timestamp())
    claims = {
        "iss": ISSUER,
        "aud": BASE + SERVICE,
        "iat": now,
        "exp": now + 120,
        "jti": "fixed-jti",
    }
    claims.update(extra)
    return claims


def _refused(harness: Harness, headers: dict[str, str]) -> None:
    response = harness.client.post(SERVICE, json=BODY, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    [issue] = body["issue"]
    assert issue["code"] == "login"
    # the same words whatever the reason: nothing that helps an attacker
    assert issue["diagnostics"] == (
        "Authentication required: a bearer token (JWT) issued "
        "by a trusted CDS client for this service."
    )


@pytest.mark.parametrize(
    ("alg", "kid"),
    [("RS384", "rsa-1"), ("RS256", "rsa-1"), ("ES384", "ec-1"), ("ES256", "ec256-1")],
)
def test_a_valid_token_is_accepted(harness: Harness, alg: str, kid: str) -> None:
    key = ec256_key() if alg == "ES256" else None
    response = harness.client.post(SERVICE, json=BODY, headers=auth(alg=alg, kid=kid, key=key))
    assert response.status_code == 200, response.text
    assert response.json() == {"cards": []}


def test_aud_may_be_a_list(harness: Harness) -> None:
    token = mint(aud=["https://elsewhere.example.org/x", BASE + SERVICE])
    assert harness.client.post(SERVICE, json=BODY, headers=auth(token)).status_code == 200


def test_missing_header_and_other_schemes_are_refused(harness: Harness) -> None:
    _refused(harness, {})
    _refused(harness, {"Authorization": ""})
    _refused(harness, {"Authorization": f"Basic {mint()}"})
    _refused(harness, {"Authorization": "Bearer"})
    _refused(harness, {"Authorization": "Bearer not.a.jwt!"})
    _refused(harness, {"Authorization": "Bearer " + "a" * 9000})


def test_wrong_signature(harness: Harness) -> None:
    _refused(harness, auth(key=other_rsa_key()))
    token = mint()
    head, payload, signature = token.split(".")
    tampered = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered["iss"] = ISSUER
    tampered["sub"] = "someone-else"
    _refused(harness, auth(f"{head}.{_b64(json.dumps(tampered).encode())}.{signature}"))


def test_unknown_issuer(harness: Harness) -> None:
    _refused(harness, auth(iss=OTHER_ISSUER))
    _refused(harness, auth(drop=("iss",)))


def test_wrong_audience(harness: Harness) -> None:
    _refused(harness, auth(aud=BASE + "/cds-services/another-service"))
    _refused(harness, auth(aud="https://nelm.example.org" + SERVICE))
    _refused(harness, auth(drop=("aud",)))
    # a token for the feedback endpoint does not open the hook endpoint
    _refused(harness, auth(aud=BASE + FEEDBACK))


def test_expired_and_badly_timed_tokens(harness: Harness) -> None:
    _refused(harness, auth(exp=int(NOW.timestamp()) - 31))  # past the 30 s leeway
    _refused(harness, auth(drop=("exp",)))
    _refused(harness, auth(exp="soon"))
    _refused(harness, auth(lifetime=3600))  # more than 5 minutes ahead
    _refused(harness, auth(iat=int(NOW.timestamp()) + 120))  # issued in the future
    _refused(harness, auth(drop=("iat",)))
    _refused(harness, auth(nbf=int(NOW.timestamp()) + 120))
    # within the leeway is accepted
    token = mint(exp=int(NOW.timestamp()) - 10, iat=int(NOW.timestamp()) - 200)
    assert harness.client.post(SERVICE, json=BODY, headers=auth(token)).status_code == 200


def test_jti_is_required_and_used_once(harness: Harness) -> None:
    _refused(harness, auth(drop=("jti",)))
    token = mint()
    assert harness.client.post(SERVICE, json=BODY, headers=auth(token)).status_code == 200
    _refused(harness, auth(token))  # replayed
    # the same jti from the same issuer in a new token is a replay too
    again = mint(jti=json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))["jti"])
    _refused(harness, auth(again))


def test_alg_none_is_refused(harness: Harness) -> None:
    header = {"alg": "none", "typ": "JWT", "kid": "rsa-1"}
    _refused(harness, auth(_unsigned(header, _claims())))
    _refused(harness, auth(_unsigned(header, _claims(), "c2ln")))
    _refused(harness, auth(_unsigned({**header, "alg": "None"}, _claims(), "c2ln")))


def test_hs256_with_the_public_key_as_secret_is_refused(harness: Harness) -> None:
    """The classic confusion attack: sign with HMAC, using the RSA public key (which is
    public) as the shared secret, hoping the verifier uses the key it has for RS*."""
    public_pem = (
        rsa_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    for alg, digest in (("HS256", hashlib.sha256), ("HS384", hashlib.sha384)):
        header = {"alg": alg, "typ": "JWT", "kid": "rsa-1"}
        signing_input = _unsigned(header, _claims(jti=f"hs-{alg}"))[:-1]
        signature = hmac.new(public_pem, signing_input.encode(), digest).digest()
        _refused(harness, auth(signing_input + "." + _b64(signature)))
    # also with the JWK (n, e) text as the secret
    header = {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}
    signing_input = _unsigned(header, _claims(jti="hs-jwk"))[:-1]
    secret = json.dumps(public_jwk(rsa_key(), "rsa-1")).encode()
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    _refused(harness, auth(signing_input + "." + _b64(signature)))


def test_other_algorithms_and_key_mismatches_are_refused(harness: Harness) -> None:
    _refused(harness, auth(alg="PS256"))  # RSA-PSS: not on the list
    _refused(harness, auth(alg="RS512"))
    # an EC token naming the RSA key, and ES256 signed with the P-384 key
    _refused(harness, auth(alg="ES384", kid="rsa-1"))
    _refused(harness, auth(_es256_with_p384()))
    _refused(harness, auth(kid="no-such-key"))
    _refused(harness, auth(_unsigned({"alg": "RS384", "typ": "JWT"}, _claims(), "c2ln")))
    _refused(harness, auth(headers={"crit": ["exp"]}))


def _es256_with_p384() -> str:
    """ES256 (SHA-256) signed with the P-384 key of kid ec-1 (PyJWT refuses to make it)."""
    signing_input = _unsigned(
        {"alg": "ES256", "typ": "JWT", "kid": "ec-1"}, _claims(jti="es256-p384")
    )[:-1]
    der = ec_key().sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der)
    return signing_input + "." + _b64(r.to_bytes(48, "big") + s.to_bytes(48, "big"))


def test_restricting_algorithms_in_settings(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, algorithms=("ES384",))
    _refused(harness, auth(alg="RS384"))
    assert (
        harness.client.post(SERVICE, json=BODY, headers=auth(alg="ES384", kid="ec-1")).status_code
        == 200
    )
    with pytest.raises(ValueError, match="HS256"):
        make_harness(tmp_path, algorithms=("RS384", "HS256"))
    with pytest.raises(ValueError, match="none"):
        make_harness(tmp_path, algorithms=("none",))


def test_jku_must_be_the_issuers_own_key_set(harness: Harness) -> None:
    _refused(harness, auth(headers={"jku": "https://attacker.example.net/jwks.json"}))


def test_a_key_of_one_issuer_does_not_sign_for_another(tmp_path: Path) -> None:
    other = tmp_path / "other-jwks.json"
    other.write_text(json.dumps({"keys": [public_jwk(other_rsa_key(), "other-1")]}))
    main = tmp_path / "main-jwks.json"
    main.write_text(json.dumps(jwks()))
    harness = make_harness(
        tmp_path,
        issuers=(
            TrustedIssuer(ISSUER, jwks_path=main),
            TrustedIssuer(OTHER_ISSUER, jwks_path=other),
        ),
    )
    # the other issuer's key, presenting itself as ISSUER: its kid is not in ISSUER's set
    _refused(harness, auth(key=other_rsa_key(), kid="other-1"))
    ok = auth(key=other_rsa_key(), kid="other-1", iss=OTHER_ISSUER)
    assert harness.client.post(SERVICE, json=BODY, headers=ok).status_code == 200
    # ISSUER's kid with OTHER_ISSUER's name: not in OTHER_ISSUER's set
    _refused(harness, auth(iss=OTHER_ISSUER))


def test_private_or_symmetric_keys_in_the_jwks_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    private = json.loads(__import__("jwt").algorithms.RSAAlgorithm.to_jwk(rsa_key()))
    private["kid"] = "rsa-1"
    secret = {"kty": "oct", "kid": "hmac-1", "k": _b64(b"0123456789abcdef0123456789abcdef")}
    path.write_text(json.dumps({"keys": [private, secret]}))
    harness = make_harness(tmp_path, issuers=(TrustedIssuer(ISSUER, jwks_path=path),))
    _refused(harness, auth())


def test_reasons_are_logged_without_the_token(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="nelm.cds")
    token = mint(iss=OTHER_ISSUER)
    harness.client.post(SERVICE, json=BODY, headers=auth(token))
    assert "reason=unknown-issuer" in caplog.text
    assert token not in caplog.text
    assert token.split(".")[1] not in caplog.text


def test_authentication_comes_before_reading_the_body(harness: Harness) -> None:
    response = harness.client.post(SERVICE, content=b"not json", headers={})
    assert response.status_code == 401


def test_feedback_needs_a_token_too(harness: Harness) -> None:
    body: dict[str, Any] = {"feedback": []}
    assert harness.client.post(FEEDBACK, json=body).status_code == 401
    # a token for the service endpoint is accepted for its feedback endpoint
    response = harness.client.post(FEEDBACK, json=body, headers=auth())
    assert response.status_code == 400  # authenticated; the empty list is then refused
    response = harness.client.post(FEEDBACK, json=body, headers=auth(aud=BASE + FEEDBACK))
    assert response.status_code == 400


def test_discovery_is_open_unless_configured(tmp_path: Path) -> None:
    open_harness = make_harness(tmp_path)
    assert open_harness.client.get("/cds-services").status_code == 200
    closed = make_harness(tmp_path, discovery_requires_auth=True)
    assert closed.client.get("/cds-services").status_code == 401
    ok = closed.client.get("/cds-services", headers=auth(aud=BASE + "/cds-services"))
    assert ok.status_code == 200


def test_service_base_url_sets_the_audience(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, service_base_url="https://cds.example.org/")
    _refused(harness, auth())  # the Host header of the request no longer counts
    response = harness.client.post(
        SERVICE, json=BODY, headers=auth(aud="https://cds.example.org" + SERVICE)
    )
    assert response.status_code == 200


# --------------------------------------------------------------------------- JWKS URL

JWKS_URL = "https://keys.example.org/.well-known/jwks.json"


class FakeJwks:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.calls: list[str] = []
        self.fail = False

    async def __call__(self, url: str, timeout: float) -> bytes:
        self.calls.append(url)
        if self.fail:
            raise TimeoutError
        return json.dumps(self.document).encode()


def test_keys_from_a_jwks_url_are_fetched_once_and_cached(tmp_path: Path) -> None:
    fetcher = FakeJwks(jwks())
    harness = make_harness(
        tmp_path,
        issuers=(TrustedIssuer(ISSUER, jwks_url=JWKS_URL),),
        jwks_url_allow_list=(JWKS_URL,),
        jwks_fetcher=fetcher,
    )
    for _ in range(3):
        assert harness.client.post(SERVICE, json=BODY, headers=auth()).status_code == 200
    assert fetcher.calls == [JWKS_URL]
    # an unknown kid does not make the service fetch again right away
    _refused(harness, auth(kid="unknown"))
    assert fetcher.calls == [JWKS_URL]


def test_jwks_url_must_be_on_the_allow_list() -> None:
    with pytest.raises(ValueError, match="allow_list"):
        CdsSettings(
            app_base_url="https://nelm.example.org",
            issuers=(TrustedIssuer(ISSUER, jwks_url=JWKS_URL),),
        )
    with pytest.raises(ValueError, match="https"):
        TrustedIssuer(ISSUER, jwks_url="http://keys.example.org/jwks.json")
    with pytest.raises(ValueError, match="exactly one"):
        TrustedIssuer(ISSUER)


def test_key_rotation_refetches_after_the_minimum_interval() -> None:
    settings = CdsSettings(
        app_base_url="https://nelm.example.org",
        issuers=(TrustedIssuer(ISSUER, jwks_url=JWKS_URL),),
        jwks_url_allow_list=(JWKS_URL,),
        jwks_refresh_min_seconds=30,
        jwks_cache_seconds=300,
    )
    clock = [1000.0]
    fetcher = FakeJwks({"keys": [public_jwk(rsa_key(), "old")]})
    store = KeyStore(settings, fetcher, monotonic=lambda: clock[0])
    issuer = settings.issuer_index[ISSUER]

    async def scenario() -> None:
        assert await store.key(issuer, "old") is not None
        fetcher.document = {"keys": [public_jwk(rsa_key(), "new")]}
        assert await store.key(issuer, "new") is None  # too soon to refetch
        clock[0] += 31
        assert await store.key(issuer, "new") is not None
        # the server is down: the last good set is kept
        fetcher.fail = True
        clock[0] += 400
        assert await store.key(issuer, "new") is not None

    asyncio.run(scenario())
    assert len(fetcher.calls) == 3


def test_unreachable_jwks_fails_closed(tmp_path: Path) -> None:
    fetcher = FakeJwks(jwks())
    fetcher.fail = True
    harness = make_harness(
        tmp_path,
        issuers=(TrustedIssuer(ISSUER, jwks_url=JWKS_URL),),
        jwks_url_allow_list=(JWKS_URL,),
        jwks_fetcher=fetcher,
    )
    _refused(harness, auth())


def test_replay_cache_expires_and_is_bounded() -> None:
    cache = InMemoryReplayCache(max_entries=2)
    assert cache.add_if_new("a", expires_at=10, now=0)
    assert not cache.add_if_new("a", expires_at=10, now=5)  # a replay
    assert cache.add_if_new("b", expires_at=20, now=5)
    assert not cache.add_if_new("c", expires_at=20, now=5)  # full: fail closed
    assert cache.add_if_new("c", expires_at=30, now=11)  # "a" has expired, room again
    assert len(cache) == 2
    assert cache.add_if_new("a", expires_at=40, now=21)  # expired ids may come back


def test_small_rsa_keys_are_refused(tmp_path: Path) -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    path = tmp_path / "small.json"
    path.write_text(json.dumps({"keys": [public_jwk(small, "small")]}))
    harness = make_harness(tmp_path, issuers=(TrustedIssuer(ISSUER, jwks_path=path),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns when signing with a short key
        token = mint(key=small, kid="small")
    _refused(harness, auth(token))


def test_authentication_failed_carries_a_reason() -> None:
    assert AuthenticationFailed("expired").reason == "expired"


def test_httpx_jwks_fetcher() -> None:
    import httpx

    from nelm.interop.cds_hooks.security import httpx_jwks_fetcher

    def fetch(handler: Any) -> bytes:
        return asyncio.run(
            httpx_jwks_fetcher(JWKS_URL, 1.0, transport=httpx.MockTransport(handler))
        )

    assert json.loads(fetch(lambda r: httpx.Response(200, json=jwks())))["keys"]
    with pytest.raises(AuthenticationFailed, match="jwks-http-status"):
        fetch(lambda r: httpx.Response(302, headers={"location": "https://x.example"}))
    with pytest.raises(AuthenticationFailed, match="jwks-too-large"):
        fetch(lambda r: httpx.Response(200, content=b"x" * 300_000))


def test_an_issuer_with_a_jwks_file_refuses_every_token_that_sends_jku(harness: Harness) -> None:
    # docs/cds-hooks.md: a JWKS file cannot serve an EHR that sends jku; even the EHR's
    # own key-set address is refused, as there is no configured URL to compare it with.
    _refused(harness, auth(headers={"jku": f"{ISSUER}/.well-known/jwks.json"}))
