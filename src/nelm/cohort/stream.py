"""``nelm batch`` with the polars engine: the whole file as one streaming query.

Reading, preparing, validating (``nelm.cohort.validate.validation_plan``), evaluating
(``CompiledKnowledge.plan``) and writing are one lazy polars query, run by polars'
streaming engine: it reads the file in morsels and runs every step on every core at once,
reading, computing and writing side by side, with memory bounded by the morsels in flight
rather than by the file. Python does no work per row or per chunk on the way; the
expressions are the same as those of the chunk path (``nelm.cohort.pipeline``), which the
agreement tests hold to the per-case interpreter.

The query has three ends, run together by ``pl.collect_all`` so that the file is read and
validated once:

* the result rows of the accepted cases → the output file;
* the rows set aside → a scratch Parquet file: those that validation flags for a second
  reading (few, usually none), kept by number only — their cells as they came are read
  from the file again afterwards (a second pass, only when there are any), so that the
  shared part of the query carries typed values only — and the accepted rows holding an
  implausible value or a contradiction (``nelm.cohort.checks``), kept with their typed
  values, which the warnings file words. One end for both: a fourth end made polars
  split the shared part and read and validate the file twice; reading the marked rows
  again afterwards was a second whole pass (0.9 s of CPU per million rows, nearly always
  taken: a clean synthetic million has 35 such rows);
* the row numbers, a batch at a time → the row count and the progress bar.

The flagged rows are then read again one by one, exactly as the chunk path reads them
(``read_again``): each is rejected — its lines go to the rejects file, in row order — or
turns out valid, only written in a way the plain reading does not take (`` 12 ``). Only in
that rare last case does the query run a second time, with those rows merged back into
their places by row number, so that the output keeps the input's order.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from nelm.case.fields import OPTION_IDS
from nelm.cohort.checks import (
    WARNINGS_SCHEMA,
    checked_lines,
    repeated_ids,
    suspect,
    warnings_path,
)
from nelm.cohort.columns import STATUSES, status_column
from nelm.cohort.io import InputFile, Outputs, Sink, file_format, rejects_path, text_column_exprs
from nelm.cohort.open_fields import open_field_counts
from nelm.cohort.pipeline import compiled_knowledge
from nelm.cohort.summary import BatchSummary, Progress
from nelm.cohort.validate import (
    FLAG,
    REJECTS_SCHEMA,
    TYPED_SCHEMA,
    prepare_casts,
    read_again,
    validation_plan,
)
from nelm.knowledge.loader import load_knowledge

__all__ = ["PARQUET_OPTIONS", "ROW", "limit_read_ahead", "run_streaming"]

ROW = "__row"
"""The 0-based row number of the input, carried through the query."""
PARQUET_OPTIONS: dict[str, Any] = {
    "statistics": False,
    "compression_level": 1,
    "row_group_size": 500_000,
}
"""How the results are written (``LazyFrame.sink_parquet``, zstd); the floor benchmark
(``tools/bench_batch_floor.py``) writes with the same options. Statistics would cost time
and help no reader of a result file, which is read whole; zstd's level 1 instead of its
default 3 writes a million result rows in 0.58 s of CPU instead of 0.66 s, for a file
1 % larger (22.4 MB instead of 22.1). Row groups of 500,000 rows instead of polars'
100,000 write the result's dictionaries five times less often: 0.42 s of CPU instead of
0.48 s per million rows, and a file 12 % smaller (19.7 MB instead of 22.4). The writer
then keeps up with the query, so memory stays flat however long the file (1.1 GB at 5 and
at 10 million rows, where with 100,000-row groups it grew to 2.4 GB at 10 million)."""

_SUSPECT = "__implausible"

_READING_ERRORS = (pl.exceptions.PolarsError, OSError, pa.ArrowException)

_PREFETCH = "POLARS_ROW_GROUP_PREFETCH_SIZE"
"""How many Parquet row groups polars reads ahead of the query. By default it reads far
ahead of the slower evaluation (the query alone peaked at 1.5 GB at 5 million rows here);
two row groups ahead are as fast and about halve that peak (0.8 GB); with the result's row
groups of ``PARQUET_OPTIONS`` the whole run's stays near 1.1 GB however long the file
(docs/benchmarks-cohort.md, "Memory"). Read by polars when a scan starts; a value the user
set is kept."""


@dataclass
class _Rows:
    """Counts the rows as the query passes them, and moves the progress bar."""

    progress: Progress
    count: int = 0

    def add(self, batch: pl.DataFrame) -> None:
        self.count += batch.height
        self.progress.advance(batch.height)


def limit_read_ahead() -> None:
    """Have polars read at most two Parquet row groups ahead (``_PREFETCH``)."""
    os.environ.setdefault(_PREFETCH, "2")


def run_streaming(
    source: InputFile,
    output: Path,
    chunk_size: int,
    progress: Progress,
    count_rows: bool,
    open_fields: bool = False,
) -> BatchSummary:
    """Evaluate every row of ``source`` into ``output`` and its rejects file.

    ``chunk_size`` is how many rows the progress bar advances by, and how many flagged rows
    are read again at a time. ``open_fields`` also counts the unknown fields the uncertain
    verdicts wait on (``nelm.cohort.open_fields``): a fourth end of the query, after which
    polars no longer shares the reading and validation between the ends, about doubling
    the CPU time, so only when asked.
    """
    program = compiled_knowledge()
    csv = file_format(output, "-o") == "csv"
    limit_read_ahead()
    summary = BatchSummary("polars", output, rejects_path(output), warnings_path(output))
    progress.start(source.count_rows() if count_rows else None)
    scan = source.scan()
    try:
        schema = scan.collect_schema()
    except _READING_ERRORS as exc:
        raise source.unreadable(exc) from None
    casts = prepare_casts(schema)
    prepared = scan.with_columns(casts) if casts else scan
    prepared_schema = prepared.collect_schema()
    # The cells as they came (``RAW``) are left out of the shared query: polars keeps the
    # shared part for its slowest end, and a CSV file's text beside every typed value made
    # that 2.2 GB at a million rows, growing with the file. The few flagged rows are read
    # again from the file by their numbers afterwards (``_flagged_cells``).
    checked = (
        validation_plan(prepared, prepared_schema)
        .with_row_index(ROW)
        .with_columns(suspect().alias(_SUSPECT))
        .select(ROW, FLAG, _SUSPECT, *TYPED_SCHEMA)
    )
    accepted = checked.filter(~pl.col(FLAG)).select(ROW, *TYPED_SCHEMA)
    # the flagged rows (by number) and the marked accepted ones (typed): module docstring
    aside = checked.filter(pl.col(FLAG) | pl.col(_SUSPECT)).select(ROW, FLAG, *TYPED_SCHEMA)
    rows = _Rows(progress)
    with Outputs() as outputs, tempfile.TemporaryDirectory(prefix="nelm-batch.") as scratch:
        rejects = outputs.open(summary.rejects, REJECTS_SCHEMA, "csv")
        warnings = outputs.open(warnings_path(output), WARNINGS_SCHEMA, "csv")
        target = outputs.reserve(output)
        aside_path = Path(scratch) / "set-aside.parquet"
        flagged_path = Path(scratch) / "flagged.parquet"
        counting = [open_field_counts(program, load_knowledge(), accepted.drop(ROW))]
        done = _run(
            source,
            chunk_size,
            [
                *(counting if open_fields else []),
                _sink(program.plan(accepted.drop(ROW)), target, csv),
                aside.sink_parquet(aside_path, lazy=True),
                checked.select(ROW).sink_batches(rows.add, chunk_size=chunk_size, lazy=True),
            ],
        )
        set_aside = pl.scan_parquet(aside_path, glob=False)
        flagged_rows = set_aside.filter(pl.col(FLAG)).select(ROW).collect().get_column(ROW)
        _flagged_cells(source, prepared, flagged_rows, flagged_path, chunk_size)
        rescued = _settle(flagged_path, chunk_size, rejects, summary)
        marked = set_aside.filter(~pl.col(FLAG)).select(ROW, *TYPED_SCHEMA).collect()
        _warn(marked, rescued, warnings, summary)
        repeated = repeated_ids(source)
        warnings.write(repeated)
        summary.warning_lines += repeated.height
        if rescued.height:  # rare: write again with them in their places
            rescued = rescued.cast({ROW: accepted.collect_schema()[ROW]})
            merged = accepted.merge_sorted(rescued.lazy(), key=ROW).drop(ROW)
            counting = [open_field_counts(program, load_knowledge(), merged)]
            done = _run(
                source,
                chunk_size,
                [*(counting if open_fields else []), _sink(program.plan(merged), target, csv)],
            )
        summary.rows = rows.count
        summary.accepted = rows.count - summary.rejected_rows - len(summary.empty_rows)
        summary.counts, summary.grades = _tally(target, csv)
        if open_fields:
            summary.open_fields = done[0].row(0, named=True)
        outputs.commit()
    return summary


def _flagged_cells(
    source: InputFile, prepared: pl.LazyFrame, numbers: pl.Series, target: Path, chunk_size: int
) -> None:
    """The cells as they came of the flagged rows (their ``numbers``), read again from the
    file into ``target``: one more pass over the file, only when a row is flagged."""
    if numbers.is_empty():
        pl.DataFrame(schema={ROW: numbers.dtype, **prepared.collect_schema()}).write_parquet(target)
        return
    cells = (
        prepared.with_row_index(ROW)
        .filter(pl.col(ROW).is_in(numbers.implode()))
        .sink_parquet(target, lazy=True)
    )
    _run(source, chunk_size, [cells])


def _sink(results: pl.LazyFrame, target: Path, csv: bool) -> pl.LazyFrame:
    if csv:
        return results.with_columns(text_column_exprs(results.collect_schema())).sink_csv(
            target, lazy=True
        )
    return results.sink_parquet(target, lazy=True, **PARQUET_OPTIONS)


def _run(source: InputFile, chunk_size: int, queries: Sequence[pl.LazyFrame]) -> list[pl.DataFrame]:
    """Run the queries together (what each collects: empty for a sink); a file that cannot
    be read is rejected as such."""
    try:
        return pl.collect_all(queries, engine="streaming")
    except _READING_ERRORS:
        # The streaming engine does not say which step failed: read the file alone to
        # tell a broken file (rejected, exit 2) from a fault of nelm's (raised as it is).
        for _ in source.chunks(chunk_size):
            pass
        raise


def _settle(flagged: Path, chunk_size: int, rejects: Sink, summary: BatchSummary) -> pl.DataFrame:
    """Read the flagged rows again, write their rejects; the valid ones, typed, with
    their row number."""
    rescued: list[pl.DataFrame] = []
    for batch in pl.scan_parquet(flagged, glob=False).collect_batches(chunk_size=chunk_size):
        positions = batch.get_column(ROW).to_list()
        lines, valid, kept, empty = read_again(batch.drop(ROW), positions, 1)
        rejects.write(lines)
        summary.rejected_rows += len(positions) - valid.height - len(empty)
        summary.empty_rows.extend(empty)
        summary.reject_lines += lines.height
        if valid.height:
            rescued.append(valid.select(pl.Series(ROW, kept), pl.all()))
    if not rescued:
        return pl.DataFrame(schema={ROW: pl.Int64(), **TYPED_SCHEMA})
    return pl.concat(rescued)


def _warn(marked: pl.DataFrame, rescued: pl.DataFrame, sink: Sink, summary: BatchSummary) -> None:
    """The warnings of the accepted rows (read again by their row numbers: a second pass
    only when there are any) and of the rescued ones, in row order."""
    lines = checked_lines(
        pl.concat(
            [marked, rescued.filter(suspect()).select(marked.columns)], how="vertical_relaxed"
        ).sort(ROW),
        ROW,
        1,
    )
    sink.write(lines)
    summary.warning_lines += lines.height


def _tally(written: Path, csv: bool) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """How many rows of the written results have each status, per option; and each grade
    (``""``: not settled)."""
    scan = (
        pl.scan_csv(written, infer_schema=False, glob=False)
        if csv
        else pl.scan_parquet(written, glob=False)
    )
    tallies = (
        scan.select(
            (pl.col(status_column(o)) == s).sum().alias(f"{o}\0{s}")
            for o in OPTION_IDS
            for s in STATUSES
        )
        .collect()
        .row(0, named=True)
    )
    counts: dict[str, dict[str, int]] = {o: dict.fromkeys(STATUSES, 0) for o in OPTION_IDS}
    for key, count in tallies.items():
        option, status = key.split("\0")
        counts[option][status] = int(count)
    grades = scan.group_by(pl.col("grade").cast(pl.String).fill_null("")).len().collect()
    return counts, dict(zip(grades["grade"], grades["len"], strict=True))
