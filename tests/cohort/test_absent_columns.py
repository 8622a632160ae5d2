"""``--open-fields`` says which of the fields to complete has no column in the file.

A registry extract often lacks whole columns; the summary's ranking of the unknown fields
then names fields that cannot be found in the file. Such a field is marked, so that the
researcher adds a column rather than looks for empty cells in one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polars as pl
import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.cohort.synth import synth_frame

_MARK = "(no column in the file)"


def test_a_field_without_a_column_is_marked_and_an_empty_column_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # LDH dropped from the file; the Ki-67 column kept, every cell of it empty.
    cohort = (
        synth_frame(300, seed=4)
        .drop("labs.ldh_u_l")
        .with_columns(pl.lit(None, pl.Float64).alias("pathology.ki67_percent"))
    )
    source, result = tmp_path / "registry.parquet", tmp_path / "results.parquet"
    cohort.write_parquet(source)
    argv = ["nelm", "batch", str(source), "-o", str(result), "--open-fields"]
    monkeypatch.setattr(sys, "argv", argv)
    code = run_guarded(app)
    out, err = capsys.readouterr()
    assert code == 0, err
    line = " ".join(out.split()).split("uncertain: ")[1]
    assert re.search(r"labs\.ldh_u_l [\d,]+ \(no column in the file\)", line), line
    assert re.search(r"pathology\.ki67_percent [\d,]+;", line), line
    assert line.count(_MARK) == 1, line
