"""A FHIR Bulk Data export as a cohort: one row per patient.

A Bulk Data export (``$export``) writes NDJSON, one resource per line, usually one file per
resource type (``Patient.ndjson``, ``Observation.ndjson``…). ``nelm batch`` reads a folder
of such files, or one ``.ndjson`` file. Each Patient and the resources that name it in
``subject`` or ``patient`` (``Patient/<id>``, as an export writes references) are gathered
into that patient's record, with the resources those name that are about no one patient
(a Medication a MedicationStatement names), mapped to a case as one record is
(:func:`nelm.interop.fhir.bundle_to_case`: the same codes, units, dates and rules), and the
cases are then assessed as the rows of a cohort file are. The case id is the Patient's id.

What the mapping says about a record goes to the warnings file, named by the patient: the
record warnings (the patient died; no neuroendocrine neoplasm is recorded) and the elements
it could not use (a unit it cannot convert, conflicting results…), each leaving its field
unknown. A resource that names a Patient not in the export, or names none and is named by
no patient's resource, is set aside and counted; a line that is not one resource refuses
the whole export, naming the file and the line (a truncated export must not pass as a
smaller cohort).

The resources the mapping reads are held in memory until every file is read (a patient's
resources may be spread over all of them); the others are skipped as they are read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from nelm.case.document import case_from_mapping, strict_json_decoder, value_problems
from nelm.cohort.summary import Progress
from nelm.cohort.validate import TYPED_SCHEMA
from nelm.errors import InputRejected, Problem
from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.load import READ_TYPES
from nelm.interop.fhir.systems import reference_target

__all__ = ["ExportCohort", "patient_row", "read_export"]

Line = tuple[str | None, str, str, int]
"""A rejects or warnings line: case id, field, reason, row (the patient's position)."""


@dataclass
class ExportCohort:
    """The patients of an export as typed cohort rows, and what reading them found."""

    frame: pl.DataFrame
    """One row per patient mapped (``TYPED_SCHEMA``), in the order of their ids."""
    positions: list[int]
    """The 1-based position among all patients of each row of ``frame``."""
    rejects: list[Line] = field(default_factory=list)
    warnings: list[Line] = field(default_factory=list)
    patients: int = 0
    files: int = 0
    set_aside: int = 0
    """Resources of a type the mapping reads that are about no Patient of the export (in a
    folder of records, one per file: the files that hold no Patient)."""
    record_per_file: bool = False
    """Read from a folder of records, one patient's per file (nelm.cohort.record_folder)."""

    def reading(self) -> str:
        """How the export was read, for the summary."""
        kind = "FHIR records, one per file" if self.record_per_file else "a FHIR export"
        text = (
            f"read as {kind}: {_count(self.patients, 'patient')} from {_count(self.files, 'file')}"
        )
        if self.set_aside and self.record_per_file:
            text += f"; {_count(self.set_aside, 'file')} holding no Patient set aside"
        elif self.set_aside:
            text += (
                f"; {_count(self.set_aside, 'resource')} about no patient of the export set aside"
            )
        return text


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def read_export(
    path: Path, assessment_date: dt.date, progress: Progress | None = None
) -> ExportCohort:
    """Read a folder of NDJSON files or one NDJSON file; map each patient's record
    (``progress`` told of each)."""
    files = _files(path)
    patients, others, shared = _gather(files)
    set_aside = sum(len(others.pop(key)) for key in [k for k in others if k not in patients])
    rows: list[dict[str, Any]] = []
    cohort = ExportCohort(pl.DataFrame(), [], files=len(files))
    used: set[str] = set()
    if progress is not None:
        progress.start(len(patients))
    for position, key in enumerate(sorted(patients), 1):
        own = [patients[key], *others.pop(key, ())]  # popped: memory falls as patients go
        named = sorted(_references(own) & shared.keys())
        used.update(named)
        row = patient_row(
            key, _collection([*own, *(shared[n] for n in named)]), position, assessment_date, cohort
        )
        if row is not None:
            rows.append(row)
            cohort.positions.append(position)
        if progress is not None:
            progress.advance(1)
    cohort.set_aside = set_aside + len(shared.keys() - used)
    cohort.patients = len(patients)
    cohort.frame = (
        pl.DataFrame(rows, schema=TYPED_SCHEMA, strict=False)
        if rows
        else pl.DataFrame(schema=TYPED_SCHEMA)
    )
    return cohort


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise InputRejected([Problem(str(path), "an existing file or folder", "no such path")])
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".ndjson")
    records = [p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".json", ".xml")]
    if files and records:
        # Read as an export, the records beside it would be left out without a word: a
        # cohort smaller than the folder. Which was meant is the user's to say.
        raise InputRejected(
            [
                Problem(
                    str(path),
                    "a folder of FHIR NDJSON files (a Bulk Data export) or a folder of FHIR "
                    "records one patient per file (.json or .xml), not both: move one kind "
                    "to a folder of its own",
                    f"{_count(len(files), '.ndjson file')} and "
                    f"{_count(len(records), '.json or .xml file')}",
                )
            ]
        )
    if not files:
        raise InputRejected(
            [
                Problem(
                    str(path),
                    "a folder of FHIR NDJSON files (a Bulk Data export: Patient.ndjson, "
                    "Condition.ndjson, Observation.ndjson…), a folder of FHIR records one "
                    "patient per file (.json or .xml), or a cohort file",
                    "a folder without an .ndjson, .json or .xml file",
                )
            ]
        )
    return files


def _gather(
    files: list[Path],
) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The Patients by id, the other resources the mapping reads by the patient they
    name, and those that name none by ``Type/id`` (a Medication)."""
    patients: dict[str, dict[str, Any]] = {}
    others: dict[str, list[dict[str, Any]]] = {}
    shared: dict[str, Any] = {}
    for where, resource in _resources(files):
        kind = resource["resourceType"]
        if kind == "Patient":
            key = resource.get("id")
            if not isinstance(key, str) or not key.strip():  # no one can name it: set aside
                shared[f"Patient/#{len(shared)}"] = resource
                continue
            if key in patients:
                raise InputRejected([Problem(where, "one Patient per id", f"Patient/{key} again")])
            patients[key] = resource
        # An OperationOutcome is a server's report, no one's; a Bulk Data export holds no
        # Bundles (one resource per line, by type), so a stray one is not read either.
        elif kind in READ_TYPES and kind not in ("OperationOutcome", "Bundle"):
            named = _patient_named(resource)
            if named is not None:
                others.setdefault(named, []).append(resource)
            else:  # named by no one when it has no id: set aside
                rid = resource.get("id")
                shared[f"{kind}/{rid}" if isinstance(rid, str) else f"{kind}/#{len(shared)}"] = (
                    resource
                )
    return patients, others, shared


def _resources(files: list[Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every resource of the files with where it was read ("Observation.ndjson line 7")."""
    decoder = strict_json_decoder()
    expected = "one FHIR resource as a JSON object per line (NDJSON)"
    for file in files:
        with open(file, encoding="utf-8-sig") as handle:
            try:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    where = f"{file.name} line {number}"
                    try:
                        resource = decoder.decode(line)
                    except ValueError as exc:
                        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                        got = f"malformed JSON ({detail})"
                        raise InputRejected([Problem(where, expected, got)]) from None
                    kind = resource.get("resourceType") if isinstance(resource, dict) else None
                    if not isinstance(kind, str) or kind == "Bundle":
                        got = "a Bundle" if kind == "Bundle" else "a value without resourceType"
                        raise InputRejected([Problem(where, expected, got)])
                    problems = value_problems(line, resource)
                    if problems:
                        raise InputRejected([_at(where, p) for p in problems])
                    yield where, resource
            except UnicodeDecodeError:
                raise InputRejected(
                    [Problem(file.name, "NDJSON in UTF-8", "bytes that are not UTF-8")]
                ) from None


def _at(where: str, problem: Problem) -> Problem:
    return Problem(
        f"{where}: {problem.path}" if problem.path else where, problem.expected, problem.got
    )


def _patient_named(resource: dict[str, Any]) -> str | None:
    """The id of the Patient a resource is about (``subject`` or ``patient``), if any."""
    for key in ("subject", "patient"):
        target = resource.get(key)
        reference = target.get("reference") if isinstance(target, dict) else None
        target = reference_target(reference) if isinstance(reference, str) else None
        if target and target[0] == "Patient":
            return target[1]
    return None


def _references(resources: list[Any]) -> set[str]:
    """Every ``Type/id`` the resources reference (``reference`` elements, at any depth)."""
    found: set[str] = set()
    stack: list[Any] = list(resources)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            reference = item.get("reference")
            target = reference_target(reference) if isinstance(reference, str) else None
            if target:
                found.add("/".join(target))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _collection(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": resource} for resource in resources],
    }


def patient_row(
    key: str,
    bundle: dict[str, Any],
    position: int,
    assessment_date: dt.date,
    cohort: ExportCohort,
) -> dict[str, Any] | None:
    """The typed cohort row of one patient's record (``key``: the case id), its warnings
    noted in ``cohort``; None (and its rejects noted) when the record cannot be mapped."""
    try:
        mapping = bundle_to_case(bundle, assessment_date=assessment_date, case_id=key)
        case = case_from_mapping(mapping.document)
    except InputRejected as exc:
        cohort.rejects += [(key, p.path, p.message, position) for p in exc.problems]
        return None
    cohort.warnings += [
        (key, "record", text, position)
        for text in (*mapping.warnings, *mapping.issues, *mapping.result_warnings)
    ]
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in case.values.items()}
    return {"case_id": case.case_id, **values}
