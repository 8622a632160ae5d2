"""``nelm batch`` on a FHIR export: the patients' cases assessed as a cohort file's rows.

The export — a Bulk Data export (NDJSON, ``nelm.cohort.fhir_export``) or a folder of
records, one patient's per file (``nelm.cohort.record_folder``) — is read and mapped
patient by patient, the typed rows are written to a Parquet file in a scratch folder
beside the output and assessed by the chosen engine like any cohort; the lines about whole
records (warnings, records that could not be mapped) then join the engine's rejects and
warnings files, every line naming the patient's position among all patients, and the three
files replace the outputs only when all of this has succeeded, the results last
(``nelm.cohort.io.put_in_place``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from nelm.cohort.checks import warnings_path
from nelm.cohort.fhir_export import Line, read_export
from nelm.cohort.io import as_text_columns, file_format, put_in_place, rejects_path
from nelm.cohort.record_folder import holds_records, read_record_folder
from nelm.cohort.summary import BatchSummary, Progress
from nelm.cohort.validate import REJECTS_SCHEMA
from nelm.errors import InputRejected, Problem

__all__ = ["run_export"]


def run_export(
    source: Path,
    output: Path,
    as_of: dt.date,
    run_cohort: Callable[[Path, Path], BatchSummary],
    progress: Progress,
) -> BatchSummary:
    """Assess the patients of the export ``source`` as of ``as_of``; ``run_cohort`` runs
    the engine on a cohort file (``nelm.cohort.runner.run_batch``); ``progress`` follows
    the patients as they are mapped."""
    started = time.perf_counter()
    file_format(output, "-o")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise InputRejected([Problem("-o", "a file in an existing directory", str(output))])
    read = read_record_folder if holds_records(source) else read_export
    export = read(source, as_of, progress)
    # beside the output, not in /tmp: a cluster's executors read the cohort file too
    with tempfile.TemporaryDirectory(dir=parent, prefix=".nelm-export-") as scratch:
        cohort, made = Path(scratch) / "patients.parquet", Path(scratch) / output.name
        export.frame.write_parquet(cohort)
        summary = run_cohort(cohort, made)
        _merge(rejects_path(made), export.rejects, export.positions)
        _merge(warnings_path(made), export.warnings, export.positions)
        put_in_place(  # the results last: see put_in_place
            [
                (rejects_path(made), rejects_path(output)),
                (warnings_path(made), warnings_path(output)),
                (made, output),
            ]
        )
    rejected = len({line[3] for line in export.rejects})
    summary.output, summary.rejects = output, rejects_path(output)
    summary.warnings = warnings_path(output)
    summary.rows += rejected
    summary.rejected_rows += rejected
    summary.reject_lines += len(export.rejects)
    summary.warning_lines += len(export.warnings)
    summary.reading = export.reading()
    summary.seconds = time.perf_counter() - started
    return summary


def _merge(path: Path, lines: list[Line], positions: list[int]) -> None:
    """The engine's lines of ``path`` with their rows made the patients' positions, and
    ``lines`` among them, in the order of the rows."""
    schema = {name: dtype for name, dtype in REJECTS_SCHEMA.items()}
    found = pl.read_csv(path, schema=schema) if path.stat().st_size else pl.DataFrame(schema=schema)
    position = pl.Series(positions, dtype=pl.Int64)
    found = found.with_columns(pl.col("row").map_batches(lambda rows: position.gather(rows - 1)))
    added = pl.DataFrame(lines, schema=schema, orient="row")
    as_text_columns(pl.concat([added, found]).sort("row", maintain_order=True)).write_csv(path)
