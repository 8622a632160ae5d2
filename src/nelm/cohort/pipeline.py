"""One chunk of cohort rows through validation and evaluation: the unit every engine runs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from nelm.cohort.checks import checked_lines, suspect
from nelm.cohort.compile import CompiledKnowledge, compile_knowledge
from nelm.cohort.validate import prepare, validate
from nelm.knowledge.loader import load_knowledge

__all__ = ["ChunkResult", "compiled_knowledge", "process_chunk"]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """The result rows of the accepted cases and the rejects table of one chunk."""

    output: pl.DataFrame
    rejects: pl.DataFrame
    rows: int
    rejected_rows: int
    warnings: pl.DataFrame | None = None
    """Implausible values of the accepted rows, assessed as given (``nelm.cohort.checks``)."""
    empty_rows: tuple[int, ...] = ()
    """The row numbers of the rows with nothing in them (``columns.is_empty_row``)."""


@cache
def compiled_knowledge() -> CompiledKnowledge:
    """The packaged knowledge base, compiled once per process."""
    return compile_knowledge(load_knowledge())


def process_chunk(
    raw: pl.DataFrame, first_row: int = 1, compiled: CompiledKnowledge | None = None
) -> ChunkResult:
    """Validate and evaluate a chunk whose first data row is ``first_row`` (1-based)."""
    program = compiled or compiled_knowledge()
    checked = validate(prepare(raw), first_row)
    rows = (
        checked.rows
        if checked.rows is not None
        else pl.int_range(first_row, first_row + checked.typed.height, eager=True).alias("row")
    )
    numbered = checked.typed.with_columns(rows)
    output = program.evaluate(numbered)
    marked = numbered.filter(suspect())
    return ChunkResult(
        output,
        checked.rejects,
        raw.height,
        checked.rejected_rows,
        checked_lines(marked, "row"),
        checked.empty_rows,
    )
