"""Configuration of the CDS Hooks service: who may call it, whose keys, which servers.

Everything that decides trust is here and checked once, when the settings are built:

* ``issuers``: the CDS clients (EHRs) allowed to call, each bound to *its* key set — a
  JWKS file on disk or a JWKS URL that must also be on ``jwks_url_allow_list``;
* ``fhir_server_allow_list``: the FHIR servers the service may read missing data from
  (with the access token the EHR hands over); any other ``fhirServer`` is reported,
  never contacted;
* ``service_base_url``: the address the EHR calls this service at (scheme, host and any
  path prefix of a reverse proxy); the JWT ``aud`` must be that address plus the
  endpoint path. Without it the address of the incoming request is used.

``CdsSettings.from_file(path)`` reads the same fields from a JSON file; ``from_env()``
reads the path from ``NELM_CDS_CONFIG``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from nelm.interop.fhir.size import max_bundle_bytes

__all__ = [
    "SUPPORTED_ALGORITHMS",
    "CdsSettings",
    "TrustedIssuer",
    "normalize_url",
]

SUPPORTED_ALGORITHMS: tuple[str, ...] = ("RS256", "RS384", "ES256", "ES384")
"""The JWS algorithms this service can accept: RSA PKCS#1 v1.5 and ECDSA on P-256/P-384.

``none``, every HMAC algorithm (``HS*``: a shared secret cannot identify an EHR, and HMAC
with a public key is the classic algorithm-confusion attack), RSA-PSS, ES512 and EdDSA are
refused. CDS Hooks asks EHRs for ES384 or RS384; RS256 and ES256 are common in practice.
"""

_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def normalize_url(url: str) -> str:
    """Scheme and host in lower case, default port dropped, no trailing slash, no
    query or fragment: the form in which URLs are compared with allow-lists."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host
    if (
        port is not None
        and not (scheme == "https" and port == 443)
        and not (scheme == "http" and port == 80)
    ):
        netloc = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, "", ""))


def _check_url(url: object, what: str) -> str:
    """A URL that may be contacted: https, or http on the loopback interface only."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"{what}: a URL is required")
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError as exc:
        raise ValueError(f"{what}: not a valid URL ({url!r})") from exc
    if parts.username or parts.password:
        raise ValueError(f"{what}: credentials in a URL are not allowed ({url!r})")
    if parts.query or parts.fragment:
        raise ValueError(f"{what}: no query or fragment allowed ({url!r})")
    if parts.scheme == "https" and parts.hostname:
        return normalize_url(url)
    if parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK_HOSTS:
        return normalize_url(url)
    raise ValueError(
        f"{what}: must be an https URL (http only on the loopback interface), got {url!r}"
    )


@dataclass(frozen=True, slots=True)
class TrustedIssuer:
    """One CDS client allowed to call: its ``iss`` and where its public keys are.

    Exactly one of ``jwks_path`` (a JWKS JSON file) and ``jwks_url`` is given.
    """

    iss: str
    jwks_path: Path | None = None
    jwks_url: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.iss, str) or not self.iss.strip():
            raise ValueError("TrustedIssuer.iss: the issuer (iss claim) is required")
        if (self.jwks_path is None) == (self.jwks_url is None):
            raise ValueError(f"issuer {self.iss!r}: give exactly one of jwks_path and jwks_url")
        if self.jwks_path is not None:
            object.__setattr__(self, "jwks_path", Path(self.jwks_path))
        if self.jwks_url is not None:
            object.__setattr__(
                self, "jwks_url", _check_url(self.jwks_url, f"issuer {self.iss!r} jwks_url")
            )


@dataclass(frozen=True, slots=True)
class CdsSettings:
    """Settings of :func:`nelm.interop.cds_hooks.create_cds_router`."""

    app_base_url: str
    """Where the nelm web application is reached by clinicians (card links)."""
    issuers: tuple[TrustedIssuer, ...] = ()
    jwks_url_allow_list: tuple[str, ...] = ()
    fhir_server_allow_list: tuple[str, ...] = ()
    service_base_url: str | None = None
    """The external address of this service (``https://cds.example.org/nelm``); the JWT
    ``aud`` is compared with it plus the endpoint path. Set it behind a reverse proxy."""
    algorithms: tuple[str, ...] = SUPPORTED_ALGORITHMS
    clock_leeway_seconds: float = 30.0
    max_token_lifetime_seconds: float = 300.0
    """``exp`` may lie at most this far after the check (CDS Hooks: 5 minutes)."""
    jwks_cache_seconds: float = 300.0
    jwks_refresh_min_seconds: float = 30.0
    """An unknown ``kid`` refetches a JWKS URL at most this often (key rotation)."""
    jwks_timeout_seconds: float = 3.0
    fhir_timeout_seconds: float = 3.0
    """Total time for all reads from the FHIR server in one hook call."""
    fhir_max_pages: int = 5
    """Searchset pages followed per prefetch key (``Bundle.link`` ``next``)."""
    fhir_max_response_bytes: int = field(default_factory=max_bundle_bytes)
    max_body_bytes: int = field(default_factory=max_bundle_bytes)
    """The largest hook request (its prefetch holds the patient's record):
    ``NELM_FHIR_MAX_BYTES``, 20 MB by default (nelm.interop.fhir.size)."""
    discovery_requires_auth: bool = False
    """Whether ``GET /cds-services`` also needs a JWT (it shows no patient data)."""
    only_when_relevant: bool = True
    """Answer with no card unless the record shows a neuroendocrine neoplasm with liver
    metastases (patient-view fires for every chart that is opened)."""
    cors_allow_origins: tuple[str, ...] = ()
    """Browser origins (``https://sandbox.cds-hooks.org``) allowed to call from a page;
    ``"*"`` allows any. Empty: no CORS headers (EHR servers do not need them)."""
    service_id: str = "nelm-liver-metastases"
    issuer_index: Mapping[str, TrustedIssuer] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.app_base_url, str) or urlsplit(self.app_base_url).scheme not in (
            "http",
            "https",
        ):
            raise ValueError("app_base_url: an http(s) URL of the nelm web application")
        object.__setattr__(self, "app_base_url", self.app_base_url.rstrip("/"))
        if self.service_base_url is not None:
            if urlsplit(self.service_base_url).scheme not in ("http", "https"):
                raise ValueError("service_base_url: an http(s) URL")
            object.__setattr__(self, "service_base_url", normalize_url(self.service_base_url))
        unknown = [a for a in self.algorithms if a not in SUPPORTED_ALGORITHMS]
        if unknown or not self.algorithms:
            raise ValueError(
                f"algorithms: choose from {', '.join(SUPPORTED_ALGORITHMS)}; "
                f"not supported: {', '.join(unknown) or '(empty list)'}"
            )
        jwks_allowed = tuple(_check_url(u, "jwks_url_allow_list") for u in self.jwks_url_allow_list)
        object.__setattr__(self, "jwks_url_allow_list", jwks_allowed)
        object.__setattr__(
            self,
            "fhir_server_allow_list",
            tuple(_check_url(u, "fhir_server_allow_list") for u in self.fhir_server_allow_list),
        )
        origins = tuple(o if o == "*" else normalize_url(o) for o in self.cors_allow_origins)
        object.__setattr__(self, "cors_allow_origins", origins)
        if not re.match(r"^[a-z0-9][a-z0-9\-]{0,63}$", self.service_id):
            raise ValueError("service_id: lower-case letters, digits and -")
        index: dict[str, TrustedIssuer] = {}
        for issuer in self.issuers:
            if issuer.iss in index:
                raise ValueError(f"issuer {issuer.iss!r} is listed twice")
            if issuer.jwks_url is not None and issuer.jwks_url not in jwks_allowed:
                raise ValueError(
                    f"issuer {issuer.iss!r}: its jwks_url is not on jwks_url_allow_list"
                )
            index[issuer.iss] = issuer
        object.__setattr__(self, "issuer_index", index)
        for name in (
            "clock_leeway_seconds",
            "max_token_lifetime_seconds",
            "jwks_cache_seconds",
            "jwks_refresh_min_seconds",
            "jwks_timeout_seconds",
            "fhir_timeout_seconds",
        ):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name}: a number of seconds ≥ 0")
        if self.clock_leeway_seconds > 300:
            raise ValueError("clock_leeway_seconds: at most 300")
        if self.max_body_bytes < 1 or self.fhir_max_pages < 1:
            raise ValueError("max_body_bytes and fhir_max_pages must be positive")

    def cors_origin(self, origin: str | None) -> str | None:
        """The value of Access-Control-Allow-Origin for a request from ``origin``."""
        if not origin or not self.cors_allow_origins:
            return None
        if "*" in self.cors_allow_origins:
            return "*"
        try:
            return origin if normalize_url(origin) in self.cors_allow_origins else None
        except ValueError:
            return None

    def fhir_server_allowed(self, url: str) -> bool:
        """Whether ``fhirServer`` (a base URL) may be contacted: an exact match of the
        normalised URL with an allow-list entry."""
        try:
            return normalize_url(url) in self.fhir_server_allow_list
        except ValueError:
            return False

    # ------------------------------------------------------------------ loading

    @staticmethod
    def from_mapping(data: Mapping[str, Any], *, base_dir: Path | None = None) -> CdsSettings:
        """Settings from parsed JSON; relative ``jwks_path`` values are read from
        ``base_dir``."""
        if not isinstance(data, Mapping):
            raise ValueError("CDS settings: a JSON object is required")
        values = dict(data)
        issuers: list[TrustedIssuer] = []
        for item in values.pop("issuers", []) or []:
            if not isinstance(item, Mapping):
                raise ValueError("issuers: a list of objects with iss and jwks_path/jwks_url")
            path = item.get("jwks_path")
            jwks_path = None
            if path is not None:
                jwks_path = Path(str(path))
                if base_dir is not None and not jwks_path.is_absolute():
                    jwks_path = base_dir / jwks_path
            issuers.append(
                TrustedIssuer(
                    iss=str(item.get("iss", "")), jwks_path=jwks_path, jwks_url=item.get("jwks_url")
                )
            )
        for name in (
            "jwks_url_allow_list",
            "fhir_server_allow_list",
            "algorithms",
            "cors_allow_origins",
        ):
            if name in values:
                listed = values[name]
                if not isinstance(listed, Sequence) or isinstance(listed, str):
                    raise ValueError(f"{name}: a list")
                values[name] = tuple(str(x) for x in listed)
        known = {f for f in CdsSettings.__dataclass_fields__ if f != "issuer_index"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"CDS settings: unknown keys {', '.join(unknown)}")
        return CdsSettings(issuers=tuple(issuers), **values)

    @staticmethod
    def from_file(path: str | Path) -> CdsSettings:
        source = Path(path)
        return CdsSettings.from_mapping(
            json.loads(source.read_text(encoding="utf-8")), base_dir=source.parent
        )

    @staticmethod
    def from_env() -> CdsSettings | None:
        """Settings from the JSON file named by ``NELM_CDS_CONFIG``; None when unset."""
        path = os.environ.get("NELM_CDS_CONFIG")
        return CdsSettings.from_file(path) if path else None
