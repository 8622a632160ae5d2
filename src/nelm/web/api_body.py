"""A request body read as a case document (case-v1, JSON): UTF-8 only, at most 1 MB, a
JSON object; what the stateless assessment and the stored-case routes share."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from nelm.case.document import load_document_text
from nelm.errors import InputRejected, Problem
from nelm.service import CASE_MAX_BYTES
from nelm.text import UTF16_BOMS, is_utf16_without_mark
from nelm.web.cases import normalised_document
from nelm.web.errors import ApiError
from nelm.web.schemas import CASE_SCHEMA

__all__ = ["CASE_BODY", "case_body", "case_document", "decode_body"]


CASE_BODY = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": CASE_SCHEMA}}}
}


async def case_body(request: Request) -> dict[str, Any]:
    """The request body as a case document to store (:func:`nelm.web.cases.normalised_document`)."""
    raw = await request.body()
    return normalised_document(case_document(raw, decode_body(raw)))


def case_document(raw: bytes, text: str) -> Any:
    """The body parsed as a case document (JSON), not yet validated."""
    # The edge lets FHIR records through up to their own (larger) limit; a case document
    # stays within 1 MB.
    if len(raw) > CASE_MAX_BYTES:
        raise ApiError(
            413,
            f"A case document is at most 1 MB ({CASE_MAX_BYTES:,} bytes); "
            f"this one is {len(raw):,} bytes.",
        )
    if not text.lstrip().startswith("{"):
        raise InputRejected(
            [
                Problem(
                    "",
                    "a JSON object (a case-v1 document)",
                    "something else" if text.strip() else "an empty body",
                )
            ]
        )
    return load_document_text(text, source="the request body")


def decode_body(raw: bytes) -> str:
    # UTF-8 only: JSON between systems must be UTF-8 (RFC 8259 §8.1). A person's file,
    # which a Windows tool may have saved as UTF-16, is read by the file pages and the CLI.
    if raw.startswith(UTF16_BOMS) or is_utf16_without_mark(raw):
        # ASCII text in UTF-16 without its mark is valid UTF-8 (with a NUL every other
        # byte): name the encoding rather than the JSON error it would give
        raise InputRejected([Problem("", "UTF-8 JSON", "UTF-16 text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRejected([Problem("", "UTF-8 JSON", "bytes that are not UTF-8")]) from None
