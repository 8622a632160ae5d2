"""Authentication of CDS clients (CDS Hooks 2.0, "Trusting CDS Clients").

Every call carries ``Authorization: Bearer <JWT>`` signed by the EHR. A token is accepted
only when all of these hold (checked in this order; the first failure ends the check):

1. the header is a Bearer token of three base64url parts, at most 8 KiB;
2. JOSE header: ``alg`` is one of the configured algorithms (RS256, RS384, ES256, ES384 at
   most — never ``none``, never ``HS*``); ``kid`` names the key; no ``crit`` and no
   ``b64`` (unencoded payloads are refused); a ``jku``, if present, must be the issuer's
   own configured JWKS URL (a token never chooses where keys are fetched from);
3. ``iss`` is a configured issuer; the key ``kid`` is looked up in *that* issuer's key
   set (a JWKS file, or a JWKS URL on the allow-list, fetched with a timeout and cached);
   the key's type and curve fit ``alg`` (RSA for RS*, EC P-256 for ES256, EC P-384 for
   ES384), its ``alg`` and ``use`` (when given) agree, RSA keys have ≥ 2048 bits;
4. the signature verifies (PyJWT with ``cryptography``);
5. ``aud`` (a string or a list) contains the URL of the endpoint called;
6. ``exp`` is present and not past (leeway ``clock_leeway_seconds``) and at most
   ``max_token_lifetime_seconds`` ahead; ``iat`` is present and not in the future;
   ``nbf``, if present, is reached;
7. ``jti`` is present and was not seen before from this issuer while unexpired (replay
   cache, in memory by default; any :class:`ReplayCache` can be plugged in).

A failure raises :class:`AuthenticationFailed`, whose ``reason`` is for the operator's log
only; the caller answers 401 with the same short body whatever the reason.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.api_jwk import PyJWK

from nelm.interop.cds_hooks.settings import CdsSettings, TrustedIssuer, normalize_url

__all__ = [
    "AuthenticationFailed",
    "InMemoryReplayCache",
    "JwksFetcher",
    "JwtVerifier",
    "KeyStore",
    "ReplayCache",
    "VerifiedToken",
    "httpx_jwks_fetcher",
]

_MAX_TOKEN_BYTES = 8192
_MAX_JWKS_BYTES = 256 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_KEY_FAMILY: dict[str, tuple[str, str | None]] = {
    "RS256": ("RSA", None),
    "RS384": ("RSA", None),
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
}


class AuthenticationFailed(Exception):  # noqa: N818 - named for what happened
    """The caller is not authenticated. ``reason`` is a short code for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    """The claims of an accepted token that the service uses."""

    issuer: str
    subject: str | None
    jti: str
    expires_at: float


# --------------------------------------------------------------------------- replay cache


class ReplayCache(Protocol):
    """Remembers token ids until they expire."""

    def add_if_new(self, key: str, expires_at: float, now: float) -> bool:
        """Record ``key`` until ``expires_at``; False when it is already recorded and
        unexpired (a replay), or when it cannot be recorded (fail closed)."""
        ...


class InMemoryReplayCache:
    """A thread-safe in-process replay cache with expiry and a size bound.

    When ``max_entries`` unexpired ids are held, new tokens are refused (fail closed)
    until some expire. With several worker processes each has its own cache; use a
    shared implementation (a database table, Redis) there.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        self._expiry: dict[str, float] = {}
        self._heap: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def __len__(self) -> int:
        return len(self._expiry)

    def _purge(self, now: float) -> None:
        while self._heap and self._heap[0][0] <= now:
            expires_at, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == expires_at:
                del self._expiry[key]

    def add_if_new(self, key: str, expires_at: float, now: float) -> bool:
        with self._lock:
            self._purge(now)
            if key in self._expiry:
                return False
            if len(self._expiry) >= self.max_entries:
                return False
            self._expiry[key] = expires_at
            heapq.heappush(self._heap, (expires_at, key))
            return True


# --------------------------------------------------------------------------- key sets

JwksFetcher = Callable[[str, float], Awaitable[bytes]]
"""``await fetch(url, timeout_seconds)`` → the JWKS document's bytes; raises on failure."""


async def httpx_jwks_fetcher(
    url: str, timeout: float, *, transport: httpx.AsyncBaseTransport | None = None
) -> bytes:
    """Fetch a JWKS over HTTPS: no redirects, no proxy settings from the environment,
    at most 256 KiB, status 200 only. ``transport`` replaces the network (tests)."""
    async with (
        httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, trust_env=False, transport=transport
        ) as client,
        client.stream("GET", url, headers={"Accept": "application/json"}) as response,
    ):
        if response.status_code != 200:
            raise AuthenticationFailed("jwks-http-status")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > _MAX_JWKS_BYTES:
                raise AuthenticationFailed("jwks-too-large")
        return bytes(body)


@dataclass(frozen=True, slots=True)
class _Key:
    """One usable public key of a JWKS, with the JWK members that restrict its use."""

    jwk: PyJWK
    alg: str | None
    use: str | None


KeySet = dict[str, _Key]
"""kid → key (the first key of each kid; keys without a kid cannot be chosen)."""


@dataclass
class _CachedSet:
    keys: KeySet
    loaded_at: float  # monotonic
    stamp: float | None = None  # file mtime


def _parse_jwks(data: bytes | str) -> KeySet:
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise AuthenticationFailed("jwks-unreadable") from exc
    raw = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(raw, list):
        raise AuthenticationFailed("jwks-unreadable")
    keys: KeySet = {}
    for item in raw:
        if not isinstance(item, dict) or item.get("kty") not in ("RSA", "EC"):
            continue
        kid = item.get("kid")
        if not isinstance(kid, str) or not kid or kid in keys:
            continue
        if any(name in item for name in ("d", "p", "q", "dp", "dq", "qi", "k")):
            continue  # private or symmetric key material has no place in a JWKS
        try:
            jwk = PyJWK.from_dict(item)
        except jwt.PyJWTError:
            continue
        alg, use = item.get("alg"), item.get("use")
        keys[kid] = _Key(
            jwk, alg if isinstance(alg, str) else None, use if isinstance(use, str) else None
        )
    return keys


class KeyStore:
    """The public keys of each trusted issuer, cached.

    A JWKS file is reread when its modification time changes. A JWKS URL is fetched at
    most every ``jwks_cache_seconds``, and once more (at most every
    ``jwks_refresh_min_seconds``) when a token names a ``kid`` the cached set lacks.
    """

    def __init__(
        self,
        settings: CdsSettings,
        fetcher: JwksFetcher | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.fetcher: JwksFetcher = fetcher or httpx_jwks_fetcher
        self.monotonic = monotonic
        self._cache: dict[str, _CachedSet] = {}
        self._attempts: dict[str, float] = {}

    async def key(self, issuer: TrustedIssuer, kid: str) -> _Key | None:
        if issuer.jwks_path is not None:
            return self._file_keys(issuer.iss, issuer.jwks_path).get(kid)
        assert issuer.jwks_url is not None
        cached = self._cache.get(issuer.iss)
        now = self.monotonic()
        fresh = cached is not None and now - cached.loaded_at < self.settings.jwks_cache_seconds
        if cached is not None and fresh:
            found = cached.keys.get(kid)
            if found is not None:
                return found
            if now - cached.loaded_at < self.settings.jwks_refresh_min_seconds:
                return None
        keys = await self._fetch(issuer.iss, issuer.jwks_url)
        return keys.get(kid)

    def _file_keys(self, iss: str, path: Path) -> KeySet:
        try:
            stamp = path.stat().st_mtime
        except OSError as exc:
            raise AuthenticationFailed("jwks-file-missing") from exc
        cached = self._cache.get(iss)
        if cached is not None and cached.stamp == stamp:
            return cached.keys
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AuthenticationFailed("jwks-file-missing") from exc
        keys = _parse_jwks(data)
        self._cache[iss] = _CachedSet(keys, self.monotonic(), stamp)
        return keys

    async def _fetch(self, iss: str, url: str) -> KeySet:
        if normalize_url(url) not in self.settings.jwks_url_allow_list:
            raise AuthenticationFailed("jwks-url-not-allowed")
        cached = self._cache.get(iss)
        now = self.monotonic()
        last = self._attempts.get(iss)
        if (
            cached is not None
            and last is not None
            and (now - last < self.settings.jwks_refresh_min_seconds)
        ):
            return cached.keys  # fetched (or tried) a moment ago
        self._attempts[iss] = now
        try:
            data = await asyncio.wait_for(
                self.fetcher(url, self.settings.jwks_timeout_seconds),
                timeout=self.settings.jwks_timeout_seconds,
            )
        except AuthenticationFailed:
            if cached is not None:
                return cached.keys
            raise
        except (TimeoutError, httpx.HTTPError, OSError) as exc:
            if cached is not None:
                return cached.keys  # keep serving the last good set
            raise AuthenticationFailed("jwks-unreachable") from exc
        keys = _parse_jwks(data)
        self._cache[iss] = _CachedSet(keys, now)
        return keys


# --------------------------------------------------------------------------- verifier


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class JwtVerifier:
    """Checks the bearer token of one request (see the module documentation)."""

    def __init__(
        self,
        settings: CdsSettings,
        *,
        replay_cache: ReplayCache | None = None,
        jwks_fetcher: JwksFetcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.replay_cache: ReplayCache = replay_cache or InMemoryReplayCache()
        self.keys = KeyStore(settings, jwks_fetcher)
        self.clock = clock

    async def verify(self, authorization: str | None, audiences: Sequence[str]) -> VerifiedToken:
        token = _bearer(authorization)
        header = _header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.settings.algorithms:
            raise AuthenticationFailed("alg-not-allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not 0 < len(kid) <= 256:
            raise AuthenticationFailed("kid-missing")
        if "crit" in header or "b64" in header:
            raise AuthenticationFailed("crit-not-supported")
        unverified = _unverified_claims(token)
        iss = unverified.get("iss")
        issuer = self.settings.issuer_index.get(iss) if isinstance(iss, str) else None
        if issuer is None:
            raise AuthenticationFailed("unknown-issuer")
        jku = header.get("jku")
        if jku is not None and (
            not isinstance(jku, str)
            or issuer.jwks_url is None
            or normalize_url(jku) != issuer.jwks_url
        ):
            raise AuthenticationFailed("jku-not-bound-to-issuer")
        key = await self.keys.key(issuer, kid)
        if key is None:
            raise AuthenticationFailed("unknown-kid")
        _check_key(key, alg)
        try:
            claims = jwt.decode(
                token,
                key=key.jwk.key,
                algorithms=[alg],
                options={
                    "verify_signature": True,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "verify_iss": False,
                    "verify_sub": False,
                    "verify_jti": False,
                    "enforce_minimum_key_length": True,
                },
            )
        except jwt.InvalidSignatureError as exc:
            raise AuthenticationFailed("bad-signature") from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed("invalid-token") from exc
        if claims.get("iss") != issuer.iss:
            raise AuthenticationFailed("unknown-issuer")
        return self._check_claims(claims, issuer, audiences)

    def _check_claims(
        self, claims: Mapping[str, Any], issuer: TrustedIssuer, audiences: Sequence[str]
    ) -> VerifiedToken:
        wanted = {normalize_url(a) for a in audiences}
        aud = claims.get("aud")
        given = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if not any(isinstance(a, str) and _same_url(a, wanted) for a in given):
            raise AuthenticationFailed("wrong-audience")
        now = self.clock().timestamp()
        leeway = self.settings.clock_leeway_seconds
        exp = _number(claims.get("exp"))
        if exp is None:
            raise AuthenticationFailed("exp-missing")
        if now > exp + leeway:
            raise AuthenticationFailed("expired")
        if exp > now + self.settings.max_token_lifetime_seconds + leeway:
            raise AuthenticationFailed("exp-too-far-ahead")
        iat = _number(claims.get("iat"))
        if iat is None:
            raise AuthenticationFailed("iat-missing")
        if iat > now + leeway:
            raise AuthenticationFailed("iat-in-future")
        if "nbf" in claims:
            nbf = _number(claims.get("nbf"))
            if nbf is None or nbf > now + leeway:
                raise AuthenticationFailed("not-yet-valid")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not 0 < len(jti) <= 256:
            raise AuthenticationFailed("jti-missing")
        if not self.replay_cache.add_if_new(f"{issuer.iss}\x00{jti}", exp + leeway, now):
            raise AuthenticationFailed("replayed-jti")
        sub = claims.get("sub")
        return VerifiedToken(issuer.iss, sub if isinstance(sub, str) else None, jti, exp)


def _same_url(candidate: str, wanted: set[str]) -> bool:
    try:
        return normalize_url(candidate) in wanted
    except ValueError:
        return False


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationFailed("no-authorization-header")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationFailed("not-a-bearer-token")
    if len(token) > _MAX_TOKEN_BYTES or not _TOKEN.match(token):
        raise AuthenticationFailed("malformed-token")
    return token


def _header(token: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed("malformed-token") from exc
    return dict(header)


def _unverified_claims(token: str) -> dict[str, Any]:
    """The payload before the signature is checked: read only to find the issuer."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed("malformed-token") from exc
    if not isinstance(claims, dict):
        raise AuthenticationFailed("malformed-token")
    return claims


def _check_key(key: _Key, alg: str) -> None:
    """The key must be of the family ``alg`` names: the JWK's own ``alg``/``use`` and the
    public key object itself are checked (an HMAC or mismatched key never verifies)."""
    if key.alg not in (None, alg):
        raise AuthenticationFailed("key-alg-mismatch")
    if key.use not in (None, "sig"):
        raise AuthenticationFailed("key-not-for-signing")
    public = key.jwk.key
    if alg.startswith("RS"):
        if not isinstance(public, rsa.RSAPublicKey):
            raise AuthenticationFailed("key-does-not-fit-alg")
        return
    curve = _KEY_FAMILY[alg][1]
    names = {"P-256": "secp256r1", "P-384": "secp384r1"}
    if not isinstance(public, ec.EllipticCurvePublicKey) or public.curve.name != names.get(
        curve or ""
    ):
        raise AuthenticationFailed("key-does-not-fit-alg")
