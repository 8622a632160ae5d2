"""``nelm batch``: evaluate a whole cohort file (CSV or Parquet) with a progress bar."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nelm.errors import InputRejected, Problem

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress

    from nelm.cohort.runner import BatchSummary


class EngineChoice(StrEnum):
    polars = "polars"
    spark = "spark"
    reference = "reference"


class _Bar:
    """A rich progress bar on standard error (only drawn on a terminal)."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar: RichProgress = Progress(
            TextColumn("[bold]cases"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("cases", total=None)

    def start(self, total: int | None) -> None:
        self._bar.update(self._task, total=total)
        self._bar.start()

    def advance(self, rows: int) -> None:
        self._bar.advance(self._task, rows)

    def stop(self) -> None:
        self._bar.stop()


def _summary_table(summary: BatchSummary) -> list[object]:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Statuses of {summary.accepted:,} cases by option", title_justify="left")
    table.add_column("option")
    for status, style in (("eligible", "green"), ("ineligible", "red"), ("uncertain", "yellow")):
        table.add_column(status, justify="right", style=style)
    for option, counts in summary.counts.items():
        table.add_row(option, *(f"{counts[s]:,}" for s in ("eligible", "ineligible", "uncertain")))
    # With no case assessed the table is all zeros: say so instead of showing it.
    first: object = table
    if not summary.rows:
        first = Text("The input holds no row: no case was assessed.", style="yellow")
    elif not summary.accepted and not summary.rejected_rows:
        first = Text("The input holds only empty rows: no case was assessed.", style="yellow")
    elif not summary.accepted:
        first = Text(
            "No case was assessed: every row was rejected (the rejects file says why).",
            style="yellow",
        )
    lines = [
        first,
        f"{summary.rows:,} rows read, {summary.accepted:,} assessed, "
        f"{summary.rejected_rows:,} rejected ({_counted(summary.reject_lines, 'problem')})"
        f"{_empty_rows(summary.empty_rows)} "
        f"in {summary.seconds:.1f} s ({summary.rate:,.0f} cases/s, {summary.engine} engine)",
        *([summary.reading] if summary.reading else []),
        *([_left_out(summary.ignored)] if summary.ignored else []),
        f"results: {summary.output}",
        f"rejects: {summary.rejects}",
    ]
    if summary.warnings is not None:
        lines.append(f"warnings: {summary.warnings}")
    if summary.reject_lines:
        lines.append(_by_field(summary.rejects, "problems by field", "rejects"))
        lines.extend(_fixes(summary.rejects))
    if summary.warnings is not None and summary.warning_lines:
        lines.append(
            _by_field(
                summary.warnings,
                f"{_counted(summary.warning_lines, 'warning')}, cases assessed as given, by field",
                "warnings",
            )
        )
        lines.extend(_record_headlines(summary.warnings))
    if summary.accepted:
        lines += _cohort_lines(summary)
    return lines


_GRADES = ("G1", "G2", "G3", "NEC")


def _cohort_lines(summary: BatchSummary, shown: int = 8) -> list[str]:
    """The cases by grade, and the unknown fields the most uncertain verdicts wait on:
    the columns whose filling in would settle most (``nelm.cohort.open_fields``)."""
    out: list[str] = []
    if summary.grades is not None:
        parts = [f"{grade} {summary.grades.get(grade, 0):,}" for grade in _GRADES]
        unsettled = summary.grades.get("", 0)
        if unsettled:  # the results' grade_possible says which grades each still may be
            parts.append(f"not settled {unsettled:,} (see grade_possible)")
        out.append("cases by grade: " + "; ".join(parts))
    uncertain = sum(c["uncertain"] for c in summary.counts.values())
    if summary.open_fields is None and uncertain and summary.engine == "polars":
        verdicts = summary.accepted * len(summary.counts)
        out.append(
            f"uncertain: {uncertain:,} of {verdicts:,} verdicts; run again with --open-fields "
            "to count the unknown fields they wait on"
        )
    if summary.open_fields is not None and uncertain:
        ranked = sorted(
            ((n, f) for f, n in summary.open_fields.items() if n), key=lambda x: (-x[0], x[1])
        )
        # A field with no column in the file is to be added, not filled in: said at it.
        listed = "; ".join(
            f"{f} {n:,}{' (no column in the file)' if f in summary.absent else ''}"
            for n, f in ranked[:shown]
        )
        more = f"; {len(ranked) - shown} more fields" if len(ranked) > shown else ""
        verdicts = summary.accepted * len(summary.counts)
        out.append(
            f"uncertain: {uncertain:,} of {verdicts:,} verdicts ({summary.accepted:,} cases × "
            f"{len(summary.counts)} options); the unknown fields they wait on (verdicts whose "
            f"open criteria read it): {listed or 'none'}{more}"
        )
    return out


def _counted(count: int, noun: str) -> str:
    """ "1 warning", "2 warnings", "0 problems"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _empty_rows(rows: list[int], shown: int = 10) -> str:
    """ ", 2 empty rows skipped (rows 41, 504)": the rows with nothing in them (blank lines,
    a line of separators), neither assessed nor rejected, by number (the rows read count
    them, so the counts add up)."""
    if not rows:
        return ""
    listed = ", ".join(f"{r:,}" for r in rows[:shown]) + (", …" if len(rows) > shown else "")
    plural = "s" if len(rows) != 1 else ""
    return f", {len(rows):,} empty row{plural} skipped (row{plural} {listed})"


def _record_headlines(lines_file: Path) -> list[str]:
    """What the records said of the patients (a FHIR record's warnings in capitals: "NOT
    A NEUROENDOCRINE RECORD", "DECEASED"), counted by patient: the results file holds a
    row of statuses for each, which is not about a living NET patient."""
    import polars as pl

    try:
        counts = (
            pl.scan_csv(lines_file, schema_overrides={"field": pl.String}, glob=False)
            .filter(pl.col("field") == "record")
            .select(
                "row", pl.col("reason").str.extract(r"^([A-Z][A-Z ]{3,}[A-Z]):", 1).alias("says")
            )
            .drop_nulls("says")
            .unique()
            .group_by("says")
            .len()
            .sort(["len", "says"], descending=[True, False])
            .collect()
        )
    except (OSError, pl.exceptions.PolarsError):
        return []
    if not counts.height:
        return []
    said = "; ".join(
        f"{row['says']} {row['len']:,} patient{'s' if row['len'] != 1 else ''}"
        for row in counts.iter_rows(named=True)
    )
    return [f"read first, the records say: {said} (the warnings file names the rows)"]


def _by_field(lines_file: Path, title: str, kind: str, shown: int = 8) -> str:
    """The fields of a rejects or warnings file, most frequent first: which column to
    fix. Counts only: the reasons (with the values and case ids) stay in the file."""
    import polars as pl

    try:
        counts = (
            pl.scan_csv(lines_file, schema_overrides={"field": pl.String}, glob=False)
            .group_by("field")
            .len()
            .sort(["len", "field"], descending=[True, False])
            .collect()
        )
    except (OSError, pl.exceptions.PolarsError):
        return f"{title}: see the {kind} file"
    parts = [
        f"{row['field'] or '(row)'} {row['len']:,}"
        for row in counts.head(shown).iter_rows(named=True)
    ]
    more = counts.height - shown
    return f"{title}: " + "; ".join(parts) + (f"; {more} more fields" if more > 0 else "")


def _fixes(rejects: Path) -> list[str]:
    """Under the count by field, the most frequent kind of problem of each of the first
    fields and its fix (``nelm.cohort.fixes``): a column a registry wrote its own way is
    then seen, with what to write, without opening the rejects file; the values stay there."""
    import polars as pl

    from nelm.cohort.fixes import field_fixes

    try:
        fixes, more = field_fixes(rejects)
    except (OSError, pl.exceptions.PolarsError):
        return []
    lines = ["the fix, by field (its most frequent problem; the values are in the rejects file):"]
    for fix in fixes:
        part = f" ({fix.of_kind:,} of them)" if fix.of_kind < fix.problems else ""
        lines.append(f"  {fix.field or '(row)'} {fix.problems:,}{part}: {fix.kind}")
    if more:
        lines.append(f"  {_counted(more, 'more field')}: see the rejects file")
    return lines


def batch_command(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="Cohort file: CSV (.csv or .tsv: commas, semicolons or tabs) or Parquet; "
            "or a FHIR export: a folder of NDJSON files, or one .ndjson file; or a folder "
            "of FHIR records, one patient per .json or .xml file (Synthea's output/fhir).",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Result file: .parquet or .csv; the rejects go to <stem>.rejects.csv beside "
            "it, implausible values and contradictions (assessed as given) to "
            "<stem>.warnings.csv.",
            show_default=False,
        ),
    ],
    engine: Annotated[
        EngineChoice,
        typer.Option(
            help="polars (compiled, default), spark (PySpark), or reference (the per-case "
            "interpreter, slow).",
            case_sensitive=False,
        ),
    ] = EngineChoice.polars,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master", help="Spark master URL (default local[*]), e.g. spark://host:7077."
        ),
    ] = None,
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size",
            help="Rows per chunk: with Spark the most rows per task, with the reference "
            "engine the rows evaluated at a time, with polars (a streaming query per "
            "million rows of a Parquet file, one for a CSV file) how often the progress "
            "bar moves.",
        ),
    ] = 200_000,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Assessment date (YYYY-MM-DD) of a FHIR export: dates the ages and the "
            "results; default today.",
        ),
    ] = None,
    open_fields: Annotated[
        bool,
        typer.Option(
            "--open-fields",
            help="Also count, per unknown field, the uncertain verdicts it holds up (the "
            "columns to complete first), in the summary; polars engine only, about doubles "
            "the run's CPU time.",
        ),
    ] = False,
    ignore_columns: Annotated[
        str | None,
        typer.Option(
            "--ignore-columns",
            metavar="NAME[,NAME]",
            help="Columns of the cohort file that nelm does not read (a registry's comment, "
            "site_name), comma-separated, to leave out instead of refusing the file; a "
            "column nelm reads cannot be named.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Assess every case of a cohort file; write one row per case and a rejects file."""
    from rich.console import Console

    from nelm.cohort.io import is_export
    from nelm.cohort.runner import run_batch

    date = _as_of(as_of)
    if date is None and is_export(Path(input_path)):
        date = dt.date.today()  # the adapter supplies the date: the core reads no clock
    err = Console(stderr=True)
    bar = _Bar(err) if err.is_terminal else None
    try:
        summary = run_batch(
            input_path,
            output,
            engine=engine.value,
            chunk_size=chunk_size,
            spark_master=spark_master,
            progress=bar,
            count_rows=bar is not None,
            as_of=date,
            open_fields=open_fields,
            ignore_columns=ignore_columns.split(",") if ignore_columns is not None else (),
        )
    finally:
        if bar is not None:
            bar.stop()
    out = Console(file=sys.stdout, highlight=False)
    for line in _summary_table(summary):
        # markup off: a path may hold "[" (a folder named "cohort [2024]"), shown as typed
        out.print(line, soft_wrap=isinstance(line, str), markup=False)


def _left_out(names: tuple[str, ...]) -> str:
    """The columns left out, as asked, so that the summary shows what was not read."""
    from nelm.cohort.header import column_named

    shown = ", ".join(column_named(n) for n in names)
    return f"left out, as asked (--ignore-columns): {_counted(len(names), 'column')}: {shown}"


def _as_of(raw: str | None) -> dt.date | None:
    if raw is None:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputRejected([Problem("--as-of", "a date YYYY-MM-DD", repr(raw))]) from None


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_command)
