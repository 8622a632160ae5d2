"""``nelm batch``: a cohort file in, a result file and a rejects file out.

Engines: ``polars`` (the compiled expressions, the default: the whole file as one
streaming query, ``nelm.cohort.stream``), ``reference`` (the per-case interpreter, row by
row: the oracle, slow; the file is read in chunks of ``chunk_size`` rows, each validated,
evaluated and appended to the outputs) and ``spark`` (``nelm.cohort.spark``: slices of the
file evaluated by the same compiled expressions). Memory stays flat however long the file
is; the outputs appear only when the whole run succeeded (``nelm.cohort.io.Outputs``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import polars as pl

from nelm.case.fields import FIELDS
from nelm.cohort.checks import WARNINGS_SCHEMA, repeated_ids, warnings_path
from nelm.cohort.header import ignored_columns
from nelm.cohort.io import (
    InputFile,
    Outputs,
    as_text_columns,
    file_format,
    is_export,
    open_input,
    rejects_path,
)
from nelm.cohort.pipeline import ChunkResult, compiled_knowledge, process_chunk
from nelm.cohort.summary import BatchSummary, Progress
from nelm.cohort.validate import REJECTS_SCHEMA, check_columns, prepare
from nelm.errors import InputRejected, Problem
from nelm.text import printable

__all__ = ["DEFAULT_CHUNK", "ENGINES", "BatchSummary", "Engine", "Progress", "run_batch"]

Engine = Literal["polars", "spark", "reference"]
ENGINES: tuple[Engine, ...] = ("polars", "spark", "reference")
DEFAULT_CHUNK = 200_000
_REFERENCE_CHUNK = 1_000


class _Silent:
    def start(self, total: int | None) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


def _prepare(input_path: str | Path, output: str | Path, ignore: Sequence[str]) -> InputFile:
    source = open_input(input_path)
    source = replace(source, ignored=ignored_columns(source.columns, ignore))
    check_columns(source.columns, source.ignored)
    if source.format == "parquet":  # column types a cohort cannot hold: reject before work
        prepare(pl.DataFrame(schema=source.scan().collect_schema()))
    file_format(output, "-o")
    out = Path(output)
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise InputRejected([Problem("-o", "a file in an existing directory", str(output))])
    if out.exists() and out.resolve() in (source.path.resolve(), rejects_path(out).resolve()):
        raise InputRejected([Problem("-o", "a file other than the input", str(output))])
    for beside, kind in ((rejects_path(out), "rejects"), (warnings_path(out), "warnings")):
        if beside.resolve() == source.path.resolve():
            raise InputRejected(
                [Problem("-o", f"an output whose {kind} file is not the input", str(beside))]
            )
    return source


def run_batch(
    input_path: str | Path,
    output: str | Path,
    *,
    engine: Engine = "polars",
    chunk_size: int = DEFAULT_CHUNK,
    spark_master: str | None = None,
    progress: Progress | None = None,
    count_rows: bool = True,
    as_of: dt.date | None = None,
    open_fields: bool = False,
    ignore_columns: Sequence[str] = (),
) -> BatchSummary:
    """Evaluate every row of ``input_path``; write ``output`` and its rejects file.

    ``count_rows`` lets the progress bar know the total beforehand (one quick pass over a
    CSV file; free for Parquet). A folder of FHIR NDJSON files or an ``.ndjson`` file is a
    FHIR export (``nelm.cohort.fhir_export``), its ages and results dated ``as_of`` (which
    the caller supplies: the core reads no clock), which only an export takes. Raises
    ``InputRejected`` for a file that cannot be used, and then writes nothing.
    ``open_fields`` has the polars engine also count the unknown fields the uncertain
    verdicts wait on (for the summary; about doubles its CPU time). ``ignore_columns``
    names columns of a cohort file that nelm does not read, to be left out rather than
    refuse the file (``nelm.cohort.header.ignored_columns``).
    """
    if chunk_size < 1:
        raise InputRejected([Problem("--chunk-size", "a whole number ≥ 1", str(chunk_size))])
    if engine not in ENGINES:
        raise InputRejected([Problem("--engine", f"one of {', '.join(ENGINES)}", engine)])
    if open_fields and engine != "polars":
        # Only the polars engine counts them: said before the run, as --as-of on a cohort
        # file is, rather than a run that ends without the count that was asked for.
        raise InputRejected(
            [Problem("--open-fields", "only with --engine polars (the default)", engine)]
        )
    if is_export(Path(input_path)):
        if ignore_columns:
            raise InputRejected(
                [
                    Problem(
                        "--ignore-columns",
                        "only with a cohort file (a FHIR export has no columns)",
                        printable(",".join(ignore_columns)),
                    )
                ]
            )
        if as_of is None:
            raise InputRejected(
                [Problem("--as-of", "the assessment date of a FHIR export", "none given")]
            )
        from nelm.cohort.export_run import run_export

        # the bar follows the patients mapped, the slow part; the rows then take a moment
        return run_export(
            Path(input_path),
            Path(output),
            as_of,
            lambda cohort, out: run_batch(
                cohort,
                out,
                engine=engine,
                chunk_size=chunk_size,
                spark_master=spark_master,
                open_fields=open_fields,
            ),
            progress or _Silent(),
        )
    if as_of is not None:
        raise InputRejected(
            [Problem("--as-of", "only with a FHIR export (a cohort file has no dates)", str(as_of))]
        )
    started = time.perf_counter()
    source = _prepare(input_path, output, ignore_columns)
    report = progress or _Silent()
    if engine == "spark":
        from nelm.cohort.spark import run_spark

        summary = run_spark(
            source, Path(output), master=spark_master, batch_rows=chunk_size, progress=report
        )
    elif engine == "polars":
        from nelm.cohort.stream import run_streaming

        summary = run_streaming(
            source, Path(output), chunk_size, report, count_rows, open_fields=open_fields
        )
    else:
        summary = _run_local(source, Path(output), engine, chunk_size, report, count_rows)
    summary.seconds = time.perf_counter() - started
    summary.reading = source.reading()
    summary.ignored = source.ignored
    summary.absent = frozenset(f.path for f in FIELDS) - set(source.columns)
    return summary


def _run_local(
    source: InputFile,
    output: Path,
    engine: Engine,
    chunk_size: int,
    progress: Progress,
    count_rows: bool,
) -> BatchSummary:
    """Read, evaluate and write chunk by chunk; polars' streaming sink writes the results
    (encoding in parallel) while the next chunk is evaluated."""
    from polars.io.plugins import register_io_source

    step: Callable[[pl.DataFrame, int], ChunkResult]
    if engine == "reference":
        from nelm.cohort.reference import reference_chunk

        step, chunk_size = reference_chunk, min(chunk_size, _REFERENCE_CHUNK)
    else:
        step = process_chunk
    csv = file_format(output, "-o") == "csv"
    schema = compiled_knowledge().schema
    if csv:
        schema = dict(as_text_columns(pl.DataFrame(schema=schema)).schema)
    summary = BatchSummary(engine, output, rejects_path(output), warnings_path(output))
    progress.start(source.count_rows() if count_rows else None)
    failures: list[BaseException] = []
    with Outputs() as outputs:
        rejects = outputs.open(summary.rejects, REJECTS_SCHEMA, "csv")
        warnings = outputs.open(warnings_path(output), WARNINGS_SCHEMA, "csv")
        target = outputs.reserve(output)

        def results(*_: Any) -> Iterator[pl.DataFrame]:
            first = 1
            try:
                for raw in source.chunks(chunk_size):
                    result = step(raw, first)
                    rejects.write(result.rejects)
                    if result.warnings is not None:
                        warnings.write(result.warnings)
                    summary.add(result)
                    first += raw.height
                    progress.advance(raw.height)
                    yield as_text_columns(result.output) if csv else result.output
            except BaseException as exc:  # re-raised below as it was, not as polars'
                failures.append(exc)
                raise

        frame = register_io_source(results, schema=schema)
        try:
            if csv:
                frame.sink_csv(target)
            else:
                frame.sink_parquet(target, statistics=False)
        except Exception:
            if failures:
                raise failures[0] from None
            raise
        repeated = repeated_ids(source)
        warnings.write(repeated)
        summary.warning_lines += repeated.height
        outputs.commit()
    return summary
