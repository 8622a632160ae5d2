"""What a Spark task runs on an executor: one slice of the cohort file, evaluated there.

The driver cuts the file into row ranges (:class:`Slice`); each Spark task reads its range
straight from the shared file with polars, validates and evaluates it with the compiled
knowledge base (``nelm.cohort.pipeline.process_chunk``, as every engine does) and writes
its result rows and rejects as Parquet parts into the scratch directory beside the output.
Only a few numbers per slice (:class:`SliceOutcome`) travel back through Spark, so the
rows never cross between the JVM and Python.

Before any work the task checks that the executor can run nelm as the driver does: the
same Python minor version, polars and PyYAML importable, the same nelm and knowledge
version (the driver ships its own nelm to the executors, see ``nelm.cohort.spark``). A
failed check, or an input the executor cannot read, comes back as the slice's
``problems`` rather than as an exception (Spark would retry a failed task three times in
vain); the driver shows it as one line, with the fix.

This module imports only the standard library at start: it is the first thing an
executor unpickles, and must load even where polars is missing, to say so.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nelm.cohort.io import InputFile
    from nelm.errors import Problem

__all__ = [
    "EXECUTOR_FIX",
    "Environment",
    "Slice",
    "SliceOutcome",
    "SliceTask",
    "as_problems",
    "environment_problems",
    "plan_slices",
]

_DEPENDENCIES = ("polars", "pyarrow", "yaml")
EXECUTOR_FIX = (
    "set PYSPARK_PYTHON to a Python on every node that has nelm's cohort "
    "dependencies (pip install 'nelm[cohort]')"
)


@dataclass(frozen=True, slots=True)
class Environment:
    """What must match between the driver and the executors."""

    python: str
    nelm: str
    knowledge: str

    @classmethod
    def here(cls) -> Environment:
        import nelm
        from nelm.knowledge.loader import load_knowledge

        return cls(_python_version(), nelm.__version__, load_knowledge().version)


@dataclass(frozen=True, slots=True)
class Slice:
    """One task's share of the file: ``length`` rows from row ``offset`` (0-based)."""

    index: int
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class SliceOutcome:
    """What a task reports back: row counts and statuses per option (the parts it wrote
    are named by ``index``)."""

    index: int
    rows: int
    accepted: int
    rejected_rows: int
    reject_lines: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: tuple[dict[str, str], ...] = ()
    empty_rows: tuple[int, ...] = ()


def plan_slices(rows: int, most_rows: int, workers: int) -> list[Slice]:
    """Row ranges of at most ``most_rows`` rows, as even as can be, and a multiple of
    ``workers`` of them, so that every executor core gets work and all finish together."""
    if rows <= 0:
        return []
    workers = max(1, workers)
    count = -(-rows // max(1, most_rows))
    count = min(rows, -(-count // workers) * workers)
    size, extra = divmod(rows, count)
    slices, offset = [], 0
    for index in range(count):
        length = size + (1 if index < extra else 0)
        slices.append(Slice(index, offset, length))
        offset += length
    return slices


def part_path(scratch: str | Path, kind: str, index: int) -> Path:
    """The Parquet part a slice writes: ``rows``, ``rejects`` or ``warnings``."""
    return Path(scratch) / f"{kind}-{index:06d}.parquet"


@dataclass(frozen=True, slots=True)
class SliceTask:
    """The function Spark runs over each partition of slices (``RDD.mapPartitions``)."""

    path: str
    format: str
    columns: tuple[str, ...]
    scratch: str
    driver: Environment
    separator: str = ","
    ignored: tuple[str, ...] = ()

    @classmethod
    def of(cls, source: InputFile, scratch: Path, driver: Environment) -> SliceTask:
        """Plain fields only: unpickling the task must not import polars."""
        return cls(
            str(source.path.resolve()),
            source.format,
            source.columns,
            str(scratch.resolve()),  # the executors' working directory is not ours
            driver,
            source.separator,
            source.ignored,
        )

    def __call__(self, slices: Iterable[Slice]) -> Iterator[SliceOutcome]:
        # A problem is answered, not raised: Spark would retry the task in vain.
        problems = environment_problems(self.driver)
        for piece in slices:
            yield (
                SliceOutcome(piece.index, 0, 0, 0, 0, problems=problems)
                if problems
                else self.run(piece)
            )

    def run(self, piece: Slice) -> SliceOutcome:
        from nelm.cohort.io import InputFile
        from nelm.cohort.pipeline import process_chunk
        from nelm.cohort.summary import BatchSummary
        from nelm.errors import InputRejected

        try:
            source = InputFile(
                Path(self.path),
                "csv" if self.format == "csv" else "parquet",
                self.columns,
                self.separator,
                self.ignored,
            )
            raw = source.read_slice(piece.offset, piece.length)
        except InputRejected as exc:
            return SliceOutcome(
                piece.index, 0, 0, 0, 0, problems=tuple(p.as_dict() for p in exc.problems)
            )
        result = process_chunk(raw, piece.offset + 1)
        if result.output.height:
            result.output.write_parquet(
                part_path(self.scratch, "rows", piece.index), statistics=False, compression="lz4"
            )
        if result.rejects.height:
            result.rejects.write_parquet(part_path(self.scratch, "rejects", piece.index))
        if result.warnings is not None and result.warnings.height:
            result.warnings.write_parquet(part_path(self.scratch, "warnings", piece.index))
        tally = BatchSummary("spark", Path(), Path())
        tally.add(result)
        return SliceOutcome(
            piece.index,
            tally.rows,
            tally.accepted,
            tally.rejected_rows,
            tally.reject_lines,
            tally.counts,
            empty_rows=tuple(tally.empty_rows),
        )


def environment_problems(driver: Environment) -> tuple[dict[str, str], ...]:
    """What keeps this executor from evaluating as the driver would (nothing if all's well)."""
    python = _python_version()
    if python != driver.python:
        return _problem(
            f"Python {driver.python}, as on the driver ({EXECUTOR_FIX})",
            f"Python {python} at {sys.executable}",
        )
    for name in _DEPENDENCIES:
        try:
            __import__(name)
        except ImportError:
            return _problem(
                f"a Python that can import {name} ({EXECUTOR_FIX})", f"{sys.executable} without it"
            )
    here = Environment.here()
    if (here.nelm, here.knowledge) != (driver.nelm, driver.knowledge):
        import nelm

        return _problem(
            f"nelm {driver.nelm} with knowledge {driver.knowledge}, as on the "
            "driver (remove other nelm installs from the executors' Python, or "
            "install this version there)",
            f"nelm {here.nelm} with knowledge {here.knowledge} from {Path(nelm.__file__).parent}",
        )
    return ()


def _problem(expected: str, got: str) -> tuple[dict[str, str], ...]:
    return ({"field": "Spark executors", "expected": expected, "got": got},)


def as_problems(found: Iterable[dict[str, str]]) -> list[Problem]:
    from nelm.errors import Problem

    return [Problem(p["field"], p["expected"], p["got"]) for p in found]


def _python_version() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"
