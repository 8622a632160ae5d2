"""Reading a FHIR record's text without holding the resources nelm never reads.

Most of a hospital record is of types no rule reads (claims, explanations of benefit,
encounters, scanned documents, immunizations, provenance: about 70 % of a Synthea
record's bytes). :func:`load_record_text` parses a JSON object as ``json.loads`` does, but
reads its top-level ``entry`` list one entry at a time (each with the C decoder) and keeps,
of a resource whose type no reader uses, only ``resourceType``, ``id`` and ``meta`` (what
the notes name and a history Bundle orders by). So the record is never held whole as Python
objects: the peak is the resources read plus one entry.

The result equals ``json.loads`` except for those stubs. FHIR NDJSON (one resource per
line, as a Bulk Data export writes it) is read as a collection Bundle of those resources in
their order, so one patient's export is assessed like the Bundle of the same resources.
FHIR XML is read into the same JSON form by :mod:`nelm.interop.fhir.xml_record`.
Anything else the fast path does not expect (YAML, a top-level list, malformed JSON) is
read by :func:`nelm.case.document.load_document_text`, which also gives every error message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from nelm.case.document import (
    check_document_size,
    load_document_text,
    strict_json_decoder,
    value_problems,
)
from nelm.errors import InputRejected, Problem
from nelm.interop.fhir.validate import MAPPED_TYPES
from nelm.interop.fhir.xml_record import looks_like_xml, read_xml_record
from nelm.text import EXPECTED_TEXT

__all__ = ["READ_TYPES", "NdjsonBundle", "load_record_text"]

READ_TYPES = frozenset({*MAPPED_TYPES, "BodyStructure", "OperationOutcome", "Bundle"})
"""Resource types some reader looks into (BodyStructure: the site of a tumour size;
OperationOutcome: a server's report on a search, nelm.interop.fhir.search; Bundle: the
answer to a search of a batch, whose entries are the record's, nelm.interop.fhir.validate)."""

_KEPT = ("resourceType", "id", "meta")
_SPACE = re.compile(r"[ \t\n\r]*")


class NdjsonBundle(dict[str, Any]):
    """The collection Bundle read from FHIR NDJSON: a dict like any Bundle, whose type
    tells the assessment's input source what the user sent."""


class _UnexpectedError(ValueError):
    """The text is not what the fast path reads: read it the ordinary way."""


def load_record_text(text: str, *, source: str, max_bytes: int) -> Any:
    """Parse a FHIR record (JSON), slimming the resources no reader uses; reject as
    :func:`~nelm.case.document.load_document_text` does."""
    check_document_size(text, source, max_bytes)
    if looks_like_xml(text):
        # A control character (from the text or a character reference, &#x80;) is left to
        # the mapping, as in a JSON record: the resource that holds it is set aside
        return read_xml_record(text, source=source, read_types=READ_TYPES)
    decoder = strict_json_decoder()
    try:
        parsed = _object(text, decoder)
    except (_UnexpectedError, ValueError, IndexError):
        bundle = _ndjson_bundle(text, decoder, source)
        if bundle is None:
            return load_document_text(text, source=source, max_bytes=max_bytes)
        parsed = bundle
    except RecursionError:
        # Refused whole: the decoder cannot step over the one deep entry. Named as what
        # the text says it is, as the API tells a FHIR body from a case (api_assess.py).
        what = "a FHIR record" if '"resourceType"' in text[:4096] else "a case document"
        raise InputRejected(
            [Problem("", f"{what} in {source}", "structures nested too deeply to read")]
        ) from None
    problems = value_problems(text, parsed)
    if isinstance(parsed, dict) and "resourceType" in parsed:
        # A FHIR record: a control character in one element sets that resource aside in
        # the mapping (nelm.interop.fhir.validate), listed; it does not sink the record.
        problems = [p for p in problems if p.expected != EXPECTED_TEXT]
    if problems:
        raise InputRejected(problems)
    return parsed


def _ndjson_bundle(text: str, decoder: json.JSONDecoder, source: str) -> dict[str, Any] | None:
    """FHIR NDJSON — two or more lines, each one resource as a JSON object — as a
    collection Bundle; None when the first line is not a whole resource (a pretty-printed
    document, a case, YAML), which the ordinary reader then reads or names."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) < 2:
        return None
    entries: list[Any] = []
    for number, line in lines:
        try:
            item = decoder.decode(line)
        except ValueError as exc:
            if not entries:
                return None
            detail = (
                f"malformed JSON ({exc.msg}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else str(exc)
            )
            raise InputRejected(
                [Problem(f"line {number}", _ONE_PER_LINE.format(source=source), detail)]
            ) from None
        kind = item.get("resourceType") if isinstance(item, dict) else None
        if not isinstance(kind, str) or kind == "Bundle":
            if not entries:
                return None
            got = f"a {kind}" if kind == "Bundle" else "a JSON value without resourceType"
            raise InputRejected(
                [Problem(f"line {number}", _ONE_PER_LINE.format(source=source), got)]
            )
        entries.append(_slim({"resource": item}))
    return NdjsonBundle(resourceType="Bundle", type="collection", entry=entries)


_ONE_PER_LINE = "FHIR NDJSON in {source}: one resource (not a Bundle) as a JSON object per line"


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _object(text: str, decoder: json.JSONDecoder) -> dict[str, Any]:
    at = _skip(text, 0)
    if text[at] != "{":
        raise _UnexpectedError
    result: dict[str, Any] = {}
    at = _skip(text, at + 1)
    if text[at] == "}":
        return _end(text, at + 1, result)
    while True:
        if text[at] != '"':
            raise _UnexpectedError
        key, at = decoder.raw_decode(text, at)
        at = _skip(text, at)
        if text[at] != ":":
            raise _UnexpectedError
        at = _skip(text, at + 1)
        if key == "entry" and text[at] == "[":
            value, at = _entries(text, at, decoder)
        else:
            value, at = decoder.raw_decode(text, at)
        if key in result:
            raise _UnexpectedError  # a duplicate key: the ordinary reader names it
        result[key] = value
        at = _skip(text, at)
        if text[at] == ",":
            at = _skip(text, at + 1)
        elif text[at] == "}":
            return _end(text, at + 1, result)
        else:
            raise _UnexpectedError


def _end(text: str, at: int, result: dict[str, Any]) -> dict[str, Any]:
    if _skip(text, at) != len(text):
        raise _UnexpectedError  # trailing data
    return result


def _entries(text: str, at: int, decoder: json.JSONDecoder) -> tuple[list[Any], int]:
    items: list[Any] = []
    at = _skip(text, at + 1)
    if text[at] == "]":
        return items, at + 1
    while True:
        item, at = decoder.raw_decode(text, at)
        items.append(_slim(item))
        at = _skip(text, at)
        if text[at] == ",":
            at = _skip(text, at + 1)
        elif text[at] == "]":
            return items, at + 1
        else:
            raise _UnexpectedError


def _slim(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    resource = entry.get("resource")
    if isinstance(resource, dict):
        kind = resource.get("resourceType")
        if isinstance(kind, str) and kind not in READ_TYPES:
            entry["resource"] = {key: resource[key] for key in _KEPT if key in resource}
    return entry
