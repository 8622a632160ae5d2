"""The body of a CDS Hooks call: read, size-limited, parsed and checked.

Anything wrong with the request itself (not JSON, over the size limit, not the
``patient-view`` hook, no ``context.patientId``) is a :class:`CdsError` with a 4xx
status; prefetch *content* is not checked here (see :mod:`.prefetch`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from nelm.interop.cds_hooks.errors import CdsError
from nelm.interop.cds_hooks.prefetch import FHIR_ID
from nelm.text import text_problems

__all__ = ["HookRequest", "parse_hook_request", "read_json_body", "reject_control_characters"]

HOOK = "patient-view"
_HOOK_INSTANCE = re.compile(r"^[A-Za-z0-9\-._:]{1,128}$")
_ID_CHAR = re.compile(r"[A-Za-z0-9\-.]")
_ID_CHAR_OF_HOOK = re.compile(r"[A-Za-z0-9\-._:]")
_JSON_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list"}


def _got(value: object, allowed: re.Pattern[str], limit: int) -> str:
    """What was received, described rather than echoed (an id may be a patient's): its
    JSON kind, or its length and the first character the pattern does not allow."""
    if not isinstance(value, str):
        return "got " + _JSON_KINDS.get(type(value), "an object")
    if not value:
        return "got empty text"
    if len(value) > limit:
        return f"got {len(value)} characters"
    for i, ch in enumerate(value, start=1):
        if not allowed.match(ch):
            return f"got {len(value)} characters, with {ch!r} (U+{ord(ch):04X}) at character {i}"
    return f"got {len(value)} characters"


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read_json_body(request: Request, limit: int) -> object:
    """The request body as JSON; 413 over ``limit`` bytes, 400 when it is not JSON."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise CdsError.bad_request(
            f"the request body is larger than {limit:,} bytes "
            "(the limit is set with NELM_FHIR_MAX_BYTES)",
            status=413,
            code="too-costly",
        )
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise CdsError.bad_request(
                f"the request body is larger than {limit:,} bytes "
                "(the limit is set with NELM_FHIR_MAX_BYTES)",
                status=413,
                code="too-costly",
            )
    if not body.strip():
        raise CdsError.bad_request(
            "the request body is empty: a JSON object is required", code="structure"
        )
    try:
        return json.loads(bytes(body).decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CdsError.bad_request(
            "the request body is not valid JSON (UTF-8)", code="structure"
        ) from None


@dataclass(frozen=True, slots=True)
class HookRequest:
    hook_instance: str
    patient_id: str
    user_id: str | None
    encounter_id: str | None
    fhir_server: str | None
    access_token: str | None
    prefetch: Mapping[str, Any]


def _optional_str(value: object, where: str, limit: int = 256) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise CdsError.bad_request(f"{where} must be text of at most {limit} characters", where)
    return value


def reject_control_characters(data: object, *, skip: str | None = None) -> None:
    """400 naming the first key or text of the request (``prefetch`` aside: ``skip``) that
    holds a control character (:mod:`nelm.text`). In the prefetch such an element leaves
    its resource unread, listed on the data card, as any invalid resource."""
    if not isinstance(data, Mapping):
        return
    for key, value in data.items():
        if key == skip:
            continue
        problems = text_problems({key: value})
        if problems:
            raise CdsError.bad_request(problems[0].message, problems[0].path)


def parse_hook_request(data: object) -> HookRequest:
    if not isinstance(data, Mapping):
        raise CdsError.bad_request("the request body must be a JSON object", code="structure")
    reject_control_characters(data, skip="prefetch")
    hook = data.get("hook")
    if hook != HOOK:
        raise CdsError.bad_request(
            f'this service answers the "{HOOK}" hook only', "hook", code="not-supported"
        )
    hook_instance = data.get("hookInstance")
    if hook_instance is None:
        raise CdsError.bad_request(
            "hookInstance is required: a UUID (letters, digits and "
            "- . _ :, at most 128 characters)",
            "hookInstance",
            code="required",
        )
    if not isinstance(hook_instance, str) or not _HOOK_INSTANCE.match(hook_instance):
        # given but malformed: "invalid", not "required", and what came instead
        raise CdsError.bad_request(
            "hookInstance must be a UUID (letters, digits and - . _ :, at most 128 "
            f"characters), {_got(hook_instance, _ID_CHAR_OF_HOOK, 128)}",
            "hookInstance",
        )
    context = data.get("context")
    if not isinstance(context, Mapping):
        raise CdsError.bad_request(
            "context is required: an object with patientId", "context", code="required"
        )
    patient_id = context.get("patientId")
    if patient_id is None:
        raise CdsError.bad_request(
            "context.patientId is required", "context.patientId", code="required"
        )
    if not isinstance(patient_id, str) or not FHIR_ID.match(patient_id):
        raise CdsError.bad_request(
            "context.patientId must be a FHIR id (letters, digits, - and ., at most 64 "
            f"characters), {_got(patient_id, _ID_CHAR, 64)}",
            "context.patientId",
        )
    user_id = _optional_str(context.get("userId"), "context.userId")
    encounter_id = context.get("encounterId")
    if encounter_id is not None and (
        not isinstance(encounter_id, str) or not FHIR_ID.match(encounter_id)
    ):
        raise CdsError.bad_request(
            "context.encounterId must be a FHIR id (letters, digits, - and ., at most 64 "
            f"characters), {_got(encounter_id, _ID_CHAR, 64)}",
            "context.encounterId",
        )
    fhir_server = _optional_str(data.get("fhirServer"), "fhirServer", 2048)
    access_token = None
    authorization = data.get("fhirAuthorization")
    if authorization is not None:
        if not isinstance(authorization, Mapping):
            raise CdsError.bad_request("fhirAuthorization must be an object", "fhirAuthorization")
        token_type = authorization.get("token_type")
        token = authorization.get("access_token")
        if not isinstance(token, str) or not token or len(token) > 8192:
            raise CdsError.bad_request(
                "fhirAuthorization.access_token is required (text)",
                "fhirAuthorization.access_token",
                code="required",
            )
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise CdsError.bad_request(
                'fhirAuthorization.token_type must be "Bearer"', "fhirAuthorization.token_type"
            )
        access_token = token
    prefetch = data.get("prefetch")
    if prefetch is None:
        prefetch = {}
    if not isinstance(prefetch, Mapping):
        raise CdsError.bad_request(
            "prefetch must be an object (key → FHIR resource)", "prefetch", code="structure"
        )
    return HookRequest(
        hook_instance, patient_id, user_id, encounter_id, fhir_server, access_token, prefetch
    )
