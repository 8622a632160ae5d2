"""What a cohort run reports: its progress and its summary.

Shared by the single-machine runner (``nelm.cohort.runner``) and the Spark runner
(``nelm.cohort.spark``), which both fill a :class:`BatchSummary`; kept apart from both so
that neither imports the other's module for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from nelm.case.fields import OPTION_IDS
from nelm.cohort.columns import STATUSES, status_column
from nelm.cohort.pipeline import ChunkResult

__all__ = ["BatchSummary", "Progress"]


class Progress(Protocol):
    """Told how many rows there are (when known) and how many are done."""

    def start(self, total: int | None) -> None: ...

    def advance(self, rows: int) -> None: ...


@dataclass
class BatchSummary:
    """What a run did: row counts, statuses per option, where the files are, how long."""

    engine: str
    output: Path
    rejects: Path
    warnings: Path | None = None
    """Implausible values assessed as given (``nelm.cohort.checks``), beside the results."""
    warning_lines: int = 0
    rows: int = 0
    accepted: int = 0
    rejected_rows: int = 0
    reject_lines: int = 0
    empty_rows: list[int] = field(default_factory=list)
    """The row numbers of the rows with nothing in them, skipped: neither assessed nor
    rejected (``nelm.cohort.columns.is_empty_row``)."""
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {o: dict.fromkeys(STATUSES, 0) for o in OPTION_IDS}
    )
    grades: dict[str, int] | None = None
    """The assessed cases by settled grade (``""``: not settled); None when not counted
    (the Spark and reference engines)."""
    open_fields: dict[str, int] | None = None
    """Per case field, the uncertain verdicts it is unknown in and read by an unknown
    criterion of (``nelm.cohort.open_fields``); None when not counted (polars only)."""
    seconds: float = 0.0
    reading: str = ""
    """How a CSV file other than comma-separated was read (its separator, its decimal
    mark), for the user to check; empty otherwise."""
    ignored: tuple[str, ...] = ()
    """The columns left out, as asked (``--ignore-columns``), named in the summary."""
    absent: frozenset[str] = frozenset()
    """The case fields a cohort file has no column for, unknown in every row: marked where
    the summary names a field to complete, since its column is to be added, not filled."""

    def add(self, result: ChunkResult) -> None:
        self.rows += result.rows
        self.accepted += result.output.height
        self.rejected_rows += result.rejected_rows
        self.reject_lines += result.rejects.height
        self.empty_rows.extend(result.empty_rows)
        self.warning_lines += result.warnings.height if result.warnings is not None else 0
        self.add_counts(result.output)

    def add_counts(self, output: pl.DataFrame) -> None:
        if not output.height:
            return
        tallies = output.select(
            (pl.col(status_column(o)) == s).sum().alias(f"{o}\0{s}")
            for o in OPTION_IDS
            for s in STATUSES
        ).row(0, named=True)
        for key, count in tallies.items():
            option, status = key.split("\0")
            self.counts[option][status] += int(count)

    @property
    def rate(self) -> float:
        """Cases per second."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0
