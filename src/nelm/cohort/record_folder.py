"""A folder of FHIR records, one patient per file, as a cohort: one row per patient.

Synthea writes one Bundle per patient (``output/fhir/*.json``), and a registry's or an EHR's
export is often one record per file, in JSON or in XML. ``nelm batch`` reads a folder whose
files are ``.json`` or ``.xml`` FHIR records and that holds no ``.ndjson`` file (a folder
with NDJSON is a Bulk Data export, :mod:`nelm.cohort.fhir_export`). Each file is read as
``nelm assess`` reads a record (:func:`nelm.interop.fhir.load.load_record_text`: JSON or
XML, the same size limit), mapped to a case whose id is the Patient's id, and assessed as a
cohort file's rows are, one file at a time, so memory holds one record at once.

A file that holds no Patient (Synthea's ``hospitalInformation…`` and
``practitionerInformation…`` files, Organizations and Practitioners only) is set aside and
counted. A file that cannot be read — malformed, not UTF-8, over the size limit, not a FHIR
resource, two patients, a Patient already read from another file — is a rejected row that
names the file, and the rest of the cohort is assessed: one bad file is one patient's
problem, said in the rejects file, never a smaller cohort in silence.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from nelm.cohort.fhir_export import ExportCohort, Line, patient_row
from nelm.cohort.summary import Progress
from nelm.cohort.validate import TYPED_SCHEMA
from nelm.errors import InputRejected, Problem
from nelm.interop.fhir.load import load_record_text
from nelm.interop.fhir.size import max_bundle_bytes
from nelm.text import decode_document

__all__ = ["RECORD_SUFFIXES", "holds_records", "read_record_folder"]

RECORD_SUFFIXES = (".json", ".xml")


def holds_records(path: Path) -> bool:
    """A folder of FHIR records, one per file: ``.json`` or ``.xml`` files, no ``.ndjson``."""
    if not path.is_dir():
        return False
    suffixes = {p.suffix.lower() for p in path.iterdir() if p.is_file()}
    return ".ndjson" not in suffixes and bool(suffixes & set(RECORD_SUFFIXES))


def read_record_folder(
    path: Path, assessment_date: dt.date, progress: Progress | None = None
) -> ExportCohort:
    """Map the record of each ``.json`` or ``.xml`` file of ``path``, in file-name order
    (``progress`` told of each file). From ``_POOL_FROM`` files on, the records are read
    and mapped by one process per core, two records in memory at once on two cores."""
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES)
    cohort = ExportCohort(pl.DataFrame(), [], files=len(files), record_per_file=True)
    rows: list[dict[str, Any]] = []
    read_from: dict[str, str] = {}  # a Patient's id → the file it was read from
    if progress is not None:
        progress.start(len(files))
    for file, read in zip(files, _read_all(files, assessment_date), strict=True):
        position = cohort.patients + 1
        if read.key is None and not read.rejects:
            cohort.set_aside += 1  # no Patient: a hospital's or practitioners' file
        elif read.key is not None and read.key in read_from:
            cohort.patients += 1
            reason = (
                f"{file.name}: one file per patient, got Patient/{read.key} again "
                f"({read_from[read.key]})"
            )
            cohort.rejects.append((read.key, file.name, reason, position))
        else:
            cohort.patients += 1
            if read.key is not None:
                read_from[read.key] = file.name
            cohort.rejects += [(k, f, r, position) for k, f, r, _ in read.rejects]
            cohort.warnings += [(k, f, r, position) for k, f, r, _ in read.warnings]
            if read.row is not None:
                rows.append(read.row)
                cohort.positions.append(position)
        if progress is not None:
            progress.advance(1)
    cohort.frame = (
        pl.DataFrame(rows, schema=TYPED_SCHEMA, strict=False)
        if rows
        else pl.DataFrame(schema=TYPED_SCHEMA)
    )
    return cohort


_POOL_FROM = 32
"""Fewer files are read in this process: starting a worker (importing nelm) takes 0.5 s."""


@dataclass(frozen=True)
class _Read:
    """What one file gave: its patient's case id (None without a Patient), the cohort row
    (None when it could not be mapped), and its rejects and warnings lines."""

    key: str | None
    row: dict[str, Any] | None
    rejects: list[Line]
    warnings: list[Line]


def _read_all(files: list[Path], assessment_date: dt.date) -> Iterator[_Read]:
    """Each file's reading, in the files' order."""
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < _POOL_FROM or workers < 2:
        yield from (_read_one(file, assessment_date) for file in files)
        return
    # spawn, not fork: the parent may already run polars' threads, which a fork copies
    # in whatever state they are in
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_read_one, files, itertools.repeat(assessment_date), chunksize=4)


def _read_one(file: Path, assessment_date: dt.date) -> _Read:
    """Read and map one file (in a worker process when there are many)."""
    try:
        bundle = _record(file)
        key = _patient_key(bundle, file)
    except InputRejected as exc:
        return _Read(None, None, [(None, _where(file, p), p.message, 0) for p in exc.problems], [])
    if key is None:
        return _Read(None, None, [], [])
    lines = ExportCohort(pl.DataFrame(), [])  # collects this file's lines only
    row = patient_row(key, bundle, 0, assessment_date, lines)
    return _Read(key, row, lines.rejects, lines.warnings)


def _record(file: Path) -> dict[str, Any]:
    """The file's FHIR record as a Bundle (a single resource becomes a collection of one)."""
    try:
        text = decode_document(file.read_bytes())
    except UnicodeDecodeError:
        raise InputRejected(
            [Problem("", "a FHIR record in UTF-8 (JSON or XML)", "bytes that are not UTF-8")]
        ) from None
    record = load_record_text(text, source=file.name, max_bytes=max_bundle_bytes())
    kind = record.get("resourceType") if isinstance(record, dict) else None
    if not isinstance(kind, str):
        got = "a case document" if isinstance(record, dict) and "case_id" in record else None
        raise InputRejected(
            [
                Problem(
                    "",
                    "a FHIR record (a Bundle) in each .json or .xml file; case documents "
                    "are a cohort once gathered in a CSV or Parquet file (docs/cohorts.md)",
                    got or "a document without resourceType",
                )
            ]
        )
    if kind == "Bundle":
        return dict(record)
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": record}]}


def _patient_key(bundle: dict[str, Any], file: Path) -> str | None:
    """The case id of the file's patient: the Patient's id (the file's name without its
    suffix when the Patient has none); None when the record holds no Patient."""
    entries = bundle.get("entry")
    resources = (
        [e.get("resource") for e in entries if isinstance(e, dict)]
        if isinstance(entries, list)
        else []
    )
    patients = [r for r in resources if isinstance(r, dict) and r.get("resourceType") == "Patient"]
    if not patients:
        return None
    key = patients[0].get("id")
    return key.strip() if isinstance(key, str) and key.strip() else file.stem


def _where(file: Path, problem: Problem) -> str:
    return f"{file.name}: {problem.path}" if problem.path else file.name
