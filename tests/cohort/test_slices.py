"""``nelm batch`` evaluates a file a slice of rows at a time (``nelm.cohort.stream``), so
that what polars keeps for the slowest end of a query is bounded by a slice, not by the
file (docs/benchmarks-cohort.md, "Memory under load"). The slices must not show in the
files: same results, rejects and warnings, with the same row numbers, as one slice.

No clinical value is asserted here: the expected files and summary (with the open
fields' counts, summed over the slices) are those of the same run in one slice, and each
kind of row (rejected, read again and kept, warned of, a case id on two rows) is made to
fall on both sides of a slice's edge.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from nelm.cohort.io import as_text_columns, open_input
from nelm.cohort.stream import _slices, _tally, run_streaming
from nelm.cohort.summary import BatchSummary
from nelm.cohort.synth import synth_frame

N = 120
SLICE = 18


class _Count:
    def __init__(self) -> None:
        self.total: int | None = None
        self.advanced = 0

    def start(self, total: int | None) -> None:
        self.total = total

    def advance(self, rows: int) -> None:
        self.advanced += rows


REPEATED = (5, 25)
"""Two rows (0-based) given one case id: in the first and the second slice of ``SLICE``
(18, not a multiple of the row groups of 5: a slice starts mid-group; seven slices)."""
IGNORED = "registry_note"
"""A column nelm does not read, left out as ``--ignore-columns`` asks."""


def _cohort(tmp_path: Path, rescued: bool = True) -> Path:
    """Text cells, some rejected (ECOG 7), some read again and kept (`` 12 ``, when
    ``rescued``), some warned of (platelets 210 /µL), every few rows so that each kind
    meets a slice's edge; one case id on the two ``REPEATED`` rows; an ignored column."""
    frame = as_text_columns(synth_frame(N, seed=11, missing=0.2)).with_columns(
        pl.all().cast(pl.String)
    )
    i = pl.int_range(pl.len())
    changes = {
        "patient.ecog": (5, "7"),
        "labs.platelets_per_ul": (4, "210"),
        **({"pathology.ki67_percent": (6, " 12 ")} if rescued else {}),
    }
    first, again = REPEATED
    frame = frame.with_columns(
        pl.when(i % every == 3).then(pl.lit(text)).otherwise(pl.col(name)).alias(name)
        for name, (every, text) in changes.items()
    ).with_columns(
        pl.when(i == again)
        .then(pl.col("case_id").gather(first))
        .otherwise(pl.col("case_id"))
        .alias("case_id"),
        pl.lit("free text").alias(IGNORED),
    )
    path = tmp_path / "in.parquet"
    # row groups smaller than a slice, so that a slice starts mid-group
    frame.write_parquet(path, row_group_size=5)
    return path


def _run(source: Path, out: Path, slice_rows: int, open_fields: bool = True) -> BatchSummary:
    file = open_input(source)
    return run_streaming(
        replace(file, ignored=tuple(c for c in (IGNORED,) if c in file.columns)),
        out,
        4,
        _Count(),
        True,
        open_fields=open_fields,
        slice_rows=slice_rows,
    )


def _files(out: Path) -> tuple[pl.DataFrame, ...]:
    results = pl.read_csv(out, infer_schema=False) if out.suffix == ".csv" else pl.read_parquet(out)
    beside = [out.with_name(f"{out.stem}.{kind}.csv") for kind in ("rejects", "warnings")]
    return (results, *(pl.read_csv(path, infer_schema=False) for path in beside))


@pytest.mark.parametrize("rescued", [True, False])
@pytest.mark.parametrize("suffix_out", [".csv", ".parquet"])
def test_slices_give_the_files_of_one_slice(tmp_path: Path, suffix_out: str, rescued: bool) -> None:
    # Without a row read again and kept, the open fields are counted slice by slice and
    # summed; with one, the results are written again by one query, which counts them.
    source = _cohort(tmp_path, rescued)  # Parquet: a CSV file is one slice (``_slices``)
    whole = _run(source, tmp_path / f"whole{suffix_out}", slice_rows=10 * N)
    sliced = _run(source, tmp_path / f"sliced{suffix_out}", slice_rows=SLICE)
    for got, want in zip(
        _files(tmp_path / f"sliced{suffix_out}"),
        _files(tmp_path / f"whole{suffix_out}"),
        strict=True,
    ):
        assert got.equals(want)
    results, rejects, warnings = _files(tmp_path / f"whole{suffix_out}")
    assert rejects.height >= N // 5 and warnings.height >= N // 8  # both kinds happened
    assert IGNORED not in results.columns
    repeated = warnings.filter(pl.col("field") == "case_id")
    assert repeated.get_column("row").cast(pl.Int64).to_list() == [r + 1 for r in REPEATED]
    assert sliced.rows == whole.rows == N
    assert (sliced.accepted, sliced.rejected_rows) == (whole.accepted, whole.rejected_rows)
    assert sliced.warning_lines == whole.warning_lines
    assert sliced.counts == whole.counts
    assert sliced.grades == whole.grades
    # the tally counted as the slices pass to the writer is the written file's
    written = _tally(tmp_path / f"sliced{suffix_out}", suffix_out == ".csv")
    assert (sliced.counts, sliced.grades) == written
    assert sliced.open_fields is not None and sliced.open_fields == whole.open_fields
    assert sum(sliced.open_fields.values()) > 0  # some verdicts wait on a field


def test_the_open_fields_are_counted_only_when_asked(tmp_path: Path) -> None:
    source = _cohort(tmp_path, rescued=False)
    assert _run(source, tmp_path / "out.parquet", SLICE, open_fields=False).open_fields is None


def test_no_query_sees_more_than_a_slice(tmp_path: Path) -> None:
    # the bound itself: a design that ran the whole file as one query fails here
    source = open_input(_cohort(tmp_path))
    parts = [
        (first, part.collect().height) for first, part in _slices(source, source.scan(), SLICE)
    ]
    assert max(height for _, height in parts) == SLICE
    assert [first for first, _ in parts] == list(range(0, N, SLICE))
    assert sum(height for _, height in parts) == N


def test_an_empty_file_is_one_empty_slice(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    synth_frame(3, seed=1).head(0).write_parquet(path)
    source = open_input(path)
    parts = [
        (first, part.collect().height) for first, part in _slices(source, source.scan(), SLICE)
    ]
    assert parts == [(0, 0)]
    summary = _run(path, tmp_path / "out.parquet", slice_rows=SLICE)
    assert summary.rows == 0 and pl.read_parquet(tmp_path / "out.parquet").height == 0


@pytest.mark.parametrize("separator", [",", ";"])
def test_a_csv_file_longer_than_a_slice_gives_the_files_of_one_query(
    tmp_path: Path, separator: str
) -> None:
    # a long CSV file is copied to Parquet (its cells as text) and sliced: the same files
    # and summary as evaluating it in one query; with ";" numbers have decimal commas
    frame = pl.read_parquet(_cohort(tmp_path))
    if separator == ";":
        frame = frame.with_columns(pl.col("pathology.ki67_percent").str.replace(r"\.", ","))
    source = tmp_path / "in.csv"
    frame.write_csv(source, separator=separator)
    whole = _run(source, tmp_path / "whole.parquet", slice_rows=10 * N)
    sliced = _run(source, tmp_path / "sliced.parquet", slice_rows=SLICE)
    for got, want in zip(
        _files(tmp_path / "sliced.parquet"), _files(tmp_path / "whole.parquet"), strict=True
    ):
        assert got.equals(want)
    assert (sliced.rows, sliced.accepted, sliced.rejected_rows) == (
        whole.rows,
        whole.accepted,
        whole.rejected_rows,
    )
    assert sliced.warning_lines == whole.warning_lines
    assert (sliced.counts, sliced.grades) == (whole.counts, whole.grades)
    assert sliced.open_fields == whole.open_fields
    assert not list(tmp_path.glob(".nelm-staging.*"))  # the copy is gone
