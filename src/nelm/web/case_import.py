"""A new case started from a file: a case document (JSON or YAML) or a FHIR R4 record.

A board's coordinator often has the patient as a file — a case document written by another
tool, or the FHIR record an electronic record system exported — rather than as values to
type. The file is read and the new-case form is filled from it (the page and its route are
in ``nelm.web.pages``); nothing is stored until the user has checked the form and pressed
"Save and assess", which validates it like any other. A FHIR record is mapped as
``nelm assess`` maps it (``nelm.interop.fhir``): what the record says first (a death, no
neuroendocrine diagnosis), the values left unknown and why, and the count of resources set
aside are shown above the form, since none of it is stored with the case.

The same file box on the edit page updates a stored case (``nelm.case.merge``).
These two uploads are the only page bodies that are not URL-encoded
(``multipart/form-data``): ``nelm.web.input_guard`` lets them through for these addresses
alone, and the checks it makes of every other form — UTF-8, no control characters — are
made here, on the file's text and on the case it gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from nelm.case.fields import FIELDS
from nelm.case.record_warnings import record_warnings_to_keep
from nelm.case.result_dates import with_result_dates
from nelm.case.value_sources import with_value_sources
from nelm.errors import InputRejected, Problem, describe_value
from nelm.interop.fhir.load import load_record_text
from nelm.interop.fhir.observations import old_results_sentence, undated_results_sentence
from nelm.interop.fhir.size import describe_limit, max_bundle_bytes
from nelm.service import CASE_MAX_BYTES
from nelm.text import decode_document, printable, text_problems
from nelm.web.cases import normalised_document
from nelm.web.forms import form_values
from nelm.web.input_guard import UPLOAD_PATH
from nelm.web.record_notes import RecordReading, read_notes

__all__ = ["IMPORT_PATH", "Imported", "filled_form", "read_case_file", "read_upload"]

IMPORT_PATH = UPLOAD_PATH


@dataclass(frozen=True)
class Imported:
    """What the page says about the file it filled the form from."""

    filename: str
    kind: str
    """``"case document"`` or ``"FHIR record"`` (R4, as read; another version is warned of)."""
    assessment_date: str = ""
    record_warnings: tuple[str, ...] = ()
    """What the record itself says first: a death, no neuroendocrine diagnosis."""
    out_of_range: tuple[str, ...] = ()
    """Values out of range, left unknown."""
    old_results: Mapping[str, str] = field(default_factory=dict)
    """Field path → the date of a result older than 90 days that gave its value."""
    undated_results: tuple[str, ...] = ()
    """The laboratory values and ECOG read only from results with no date."""
    later_results: str = ""
    """Results left out for being dated after the assessment date, in one sentence."""
    reading: RecordReading = field(default_factory=RecordReading)
    """The record's elements not used, sorted and worded for a board."""
    filled: int = 0
    taken: tuple[str, ...] = ()
    """The labels of the fields the record filled, in the form's order."""
    result_dates: Mapping[str, str] = field(default_factory=dict)
    """Field path → the date of the result its value came from (a FHIR record)."""

    @property
    def to_check(self) -> tuple[str, ...]:
        """Values out of range (left unknown), results older than 90 days (used) and
        results dated after the assessment date (not used)."""
        old = old_results_sentence(self.old_results, self.assessment_date)
        return (
            *self.out_of_range,
            *([old] if old else []),
            *([undated] if (undated := undated_results_sentence(self.undated_results)) else []),
            *([self.later_results] if self.later_results else []),
        )

    def without_results(self, paths: Collection[str]) -> Imported:
        """The same, with the fields ``paths`` no longer said to be read from the file (its
        value was not taken into the form)."""
        kept = {p: d for p, d in self.old_results.items() if p not in paths}
        undated = tuple(p for p in self.undated_results if p not in paths)
        return dataclasses.replace(self, old_results=kept, undated_results=undated)


def _text(raw: bytes) -> str:
    try:
        return decode_document(raw)
    except UnicodeDecodeError:
        raise InputRejected(
            [Problem("file", "UTF-8 text (a JSON or YAML file)", "bytes that are not UTF-8")]
        ) from None


def read_case_file(raw: bytes, filename: str, assessment_date: dt.date) -> tuple[Any, Imported]:
    """The case document a file gives, and what to say about it. Raises InputRejected
    when the file is not a case document or a FHIR record that can be read."""
    from nelm.interop.fhir import bundle_to_case

    text = _text(raw)
    if len(raw) > CASE_MAX_BYTES and text.lstrip()[:1] not in ("{", "[", "<"):
        # only a FHIR record (JSON, NDJSON or XML) may be larger: a large YAML file is
        # refused before it is read, which took a minute for 17 MB
        raise InputRejected([_too_large_case(len(raw))])
    parsed = load_record_text(text, source=filename or "the file", max_bytes=max_bundle_bytes())
    if isinstance(parsed, dict) and "resourceType" in parsed:
        mapping = bundle_to_case(parsed, assessment_date=assessment_date)
        document: Any = with_value_sources(
            with_result_dates(mapping.document, mapping.result_dates, assessment_date),
            mapping.provenance,
        )
        said = record_warnings_to_keep(
            mapping.warnings,
            f"The FHIR record “{filename or 'the file'}” read for {assessment_date.isoformat()}",
        )
        if said:
            document["record_warnings"] = said
        imported = Imported(
            filename=filename,
            kind="FHIR record",
            assessment_date=assessment_date.isoformat(),
            record_warnings=mapping.warnings,
            out_of_range=tuple(str(r["message"]) for r in mapping.rejected_values),
            old_results=mapping.old_results,
            undated_results=mapping.undated_results,
            later_results=mapping.later_results or "",
            reading=read_notes(mapping.note_groups, mapping.issue_list),
            filled=len(mapping.provenance),
            taken=tuple(f.label for f in FIELDS if f.path in mapping.provenance),
            result_dates=mapping.result_dates,
        )
    else:
        if len(raw) > CASE_MAX_BYTES:
            raise InputRejected([_too_large_case(len(raw))])
        document = parsed
        imported = Imported(filename=filename, kind="case document")
    if not isinstance(document, dict):
        raise InputRejected(
            [Problem("file", "a case document or a FHIR R4 Bundle", describe_value(document))]
        )
    # the checks every typed form gets (nelm.web.input_guard): no control characters
    problems = text_problems(document)
    if problems:
        raise InputRejected(problems)
    return document, imported


def _too_large_case(size: int) -> Problem:
    expected = "a case document of at most 1 MB (only a FHIR record may be larger)"
    return Problem("file", expected, f"{size:,} bytes")


def _assessment_date(raw: Any) -> dt.date:
    if not isinstance(raw, str) or not raw.strip():
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise InputRejected(
            [Problem("as_of", "a date as YYYY-MM-DD", repr(raw.strip()[:40]))]
        ) from None


async def read_upload(form: FormData) -> tuple[Any, Imported]:
    """The case document the file uploaded in ``form`` gives (its field ``file``, with the
    assessment date ``as_of`` for a FHIR record), and what to say about the file."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputRejected([Problem("file", "a file chosen to read", "no file")])
    as_of = _assessment_date(form.get("as_of"))
    limit = max_bundle_bytes()
    raw = await upload.read(limit + 1)
    if len(raw) > limit:
        raise InputRejected(
            [Problem("file", f"a file of at most {describe_limit(limit)}", "a larger file")]
        )
    return await run_in_threadpool(read_case_file, raw, printable(upload.filename), as_of)


async def filled_form(form: FormData) -> tuple[dict[str, Any], Imported, list[Problem]]:
    """The new-case form's values from the file uploaded in ``form``, what to say about
    the file, and the problems of the case it gives (none when it can be stored as it is).
    Raises InputRejected when the file cannot be read."""
    document, imported = await read_upload(form)
    values = form_values(document)
    if imported.kind == "FHIR record" and not values.get("label"):
        # where the case came from, on its page and in the case list (the user may edit it)
        values["label"] = (
            f"From the FHIR record {imported.filename}, read for {imported.assessment_date}"
        )
    try:
        await run_in_threadpool(normalised_document, document)
    except InputRejected as exc:
        # shown beside their fields at once, as when the form is stored
        return values, imported, exc.problems
    return values, imported, []
