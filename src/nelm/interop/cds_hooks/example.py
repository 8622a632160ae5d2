"""Example hook calls for trying the service without an EHR (synthetic patients only).

::

    python -m nelm.interop.cds_hooks.example keygen DIR          # ES384 key pair + JWKS
    python -m nelm.interop.cds_hooks.example token DIR ISS AUD    # a signed JWT (4 min)
    python -m nelm.interop.cds_hooks.example request [SEED]       # a patient-view body

``keygen`` writes ``DIR/private-key.pem`` and ``DIR/jwks.json`` (configure the latter as
the issuer's ``jwks_path``); ``token`` signs a JWT for issuer ISS and audience AUD (the
endpoint URL) with a fresh ``jti``; ``request`` prints a patient-view request whose
prefetch is the synthetic bundle of SEED (``nelm.interop.fhir.synthetic``) split into
the service's prefetch keys, as a FHIR server would return it.
"""

from __future__ import annotations

import copy
import json
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nelm.interop.fhir.systems import LOINC, NELM_OBSERVATION

__all__ = ["EXAMPLE_FHIR_BASE", "hook_request", "prefetch_from_bundle", "searchset"]

EXAMPLE_FHIR_BASE = "https://fhir.example.org/r4"

_PATHOLOGY = {(LOINC, "29593-1"), (LOINC, "33732-9"), (NELM_OBSERVATION, "mitotic-count")}
_PERFORMANCE = {(LOINC, "89247-1"), (LOINC, "10230-1")}
_SEARCH_KEYS = (
    "conditions",
    "observations",
    "pathology",
    "performance",
    "imaging",
    "procedures",
    "medications",
)


def _rewrite(value: Any, table: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            k: (table.get(v, v) if k == "reference" and isinstance(v, str) else _rewrite(v, table))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(v, table) for v in value]
    return value


def _key(resource: Mapping[str, Any]) -> str | None:
    kind = resource.get("resourceType")
    simple = {
        "Patient": "patient",
        "Condition": "conditions",
        "Procedure": "procedures",
        "MedicationStatement": "medications",
        "Medication": "medications",
    }
    if kind in simple:
        return simple[str(kind)]
    if kind != "Observation":
        return None
    codes = {
        (c.get("system"), c.get("code")) for c in (resource.get("code") or {}).get("coding") or ()
    }
    if codes & _PATHOLOGY:
        return "pathology"
    if codes & _PERFORMANCE:
        return "performance"
    laboratory = any(
        c.get("code") == "laboratory"
        for cat in resource.get("category") or ()
        for c in cat.get("coding") or ()
    )
    if not laboratory and any(system == NELM_OBSERVATION for system, _ in codes):
        return "imaging"
    return "observations"


def searchset(
    resources: Sequence[Mapping[str, Any]], base: str = EXAMPLE_FHIR_BASE
) -> dict[str, Any]:
    # Bundle.total counts the matches only, not the resources included beside them (FHIR
    # R4 Bundle.total: "the total number of entries of type 'match'")
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": sum(1 for r in resources if r["resourceType"] != "Medication"),
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                "resource": dict(r),
                "search": {"mode": "include" if r["resourceType"] == "Medication" else "match"},
            }
            for r in resources
        ],
    }


def prefetch_from_bundle(
    bundle: Mapping[str, Any], base: str = EXAMPLE_FHIR_BASE
) -> dict[str, Any]:
    """Split a (synthetic) collection Bundle into the service's prefetch keys, with
    references by ``Type/id`` as a FHIR server returns them."""
    entries = list(bundle.get("entry") or ())
    table = {
        e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in entries
        if "fullUrl" in e
    }
    groups: dict[str, list[dict[str, Any]]] = {k: [] for k in _SEARCH_KEYS}
    prefetch: dict[str, Any] = {}
    for entry in entries:
        resource = _rewrite(copy.deepcopy(entry["resource"]), table)
        key = _key(resource)
        if key == "patient":
            prefetch["patient"] = resource
        elif key is not None:
            groups[key].append(resource)
    prefetch.update({key: searchset(items, base) for key, items in groups.items()})
    return prefetch


def hook_request(seed: int = 1, *, fhir_server: str | None = None) -> dict[str, Any]:
    """A patient-view request for synthetic patient ``seed`` with full prefetch."""
    from nelm.interop.fhir.synthetic import make_bundle

    bundle = make_bundle(seed)
    prefetch = prefetch_from_bundle(bundle)
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": prefetch["patient"]["id"]},
        "prefetch": prefetch,
    }
    if fhir_server is not None:
        body["fhirServer"] = fhir_server
    return body


def _keygen(directory: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwt.algorithms import ECAlgorithm

    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP384R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    private = directory / "private-key.pem"
    private.write_bytes(pem)
    private.chmod(0o600)
    jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "example-1", "use": "sig", "alg": "ES384"})
    (directory / "jwks.json").write_text(json.dumps({"keys": [jwk]}, indent=2) + "\n")
    print(f"wrote {private} and {directory / 'jwks.json'}")


def _token(directory: Path, issuer: str, audience: str) -> str:
    import jwt

    now = int(time.time())
    return jwt.encode(
        {
            "iss": issuer,
            "aud": audience,
            "iat": now,
            "exp": now + 240,
            "jti": str(uuid.uuid4()),
            "sub": "example-client",
        },
        (directory / "private-key.pem").read_bytes(),
        algorithm="ES384",
        headers={"kid": "example-1", "typ": "JWT"},
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["keygen"] and len(args) == 2:
        _keygen(Path(args[1]))
    elif args[:1] == ["token"] and len(args) == 4:
        print(_token(Path(args[1]), args[2], args[3]))
    elif args[:1] == ["request"] and len(args) <= 2:
        print(
            json.dumps(
                hook_request(int(args[1]) if len(args) == 2 else 1), indent=2, ensure_ascii=False
            )
        )
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
