"""A registry export as it comes: a file saved without its header, a runaway cell of
megabytes, a column name with spaces around it. What docs/cohorts.md promises of each:
every message naming the line or column, what was expected and what came, and no
patient's values on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from nelm.cohort.runner import run_batch
from tests.cohort.test_cli import run

HEADER = "case_id,pathology.ki67_percent,liver.distribution"
ENGINES = ["polars", "reference"]


def test_a_file_without_its_header_shows_none_of_its_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the first line is a patient's row: its values must not reach the terminal or a log
    source = tmp_path / "in.csv"
    source.write_text("patient-0417,38,bilobar_diffuse\npatient-0418,3,unilobar\n")
    out_file = tmp_path / "o.csv"
    code, out, err = run(["batch", str(source), "-o", str(out_file)], capsys, monkeypatch)
    assert code == 2 and out == "" and not out_file.exists()
    assert err.count("error: ") == 1
    assert "line 1: a header line naming the columns" in err
    assert "a line of 3 cells none of which names a column" in err
    for cell in ("patient-0417", "38", "bilobar_diffuse"):
        assert cell not in err


def test_a_runaway_cell_in_the_first_line_or_a_longer_row_is_named(tmp_path: Path) -> None:
    from nelm.errors import InputRejected

    runaway = "x" * 5_000_000
    no_header = tmp_path / "no-header.csv"
    no_header.write_text(f"p1,{runaway},unilobar\n")
    with pytest.raises(InputRejected) as info:
        run_batch(no_header, tmp_path / "out.csv")
    assert [p.path for p in info.value.problems] == ["line 1"]
    longer = tmp_path / "longer.csv"
    longer.write_text(f"{HEADER}\np1,{runaway},unilobar\np2,12,unilobar,,\n")
    with pytest.raises(InputRejected) as info:
        run_batch(longer, tmp_path / "out.csv")
    assert "row 2 has 5 cells where the header has 3" in info.value.problems[0].got


def test_a_column_name_with_spaces_around_it_is_shown_quoted(tmp_path: Path) -> None:
    from nelm.errors import InputRejected

    source = tmp_path / "in.csv"
    source.write_text("case_id, pathology.ki67_percent\np1,12\n")
    with pytest.raises(InputRejected) as info:
        run_batch(source, tmp_path / "out.csv")
    assert info.value.problems[0].message == (
        '" pathology.ki67_percent": a known column: pathology.ki67_percent, without the '
        "spaces around it, got an unknown column"
    )


def test_a_long_column_name_is_cut_short(tmp_path: Path) -> None:
    from nelm.errors import InputRejected

    source = tmp_path / "in.csv"
    source.write_text(f"case_id,{'y' * 1000}\np1,12\n")
    with pytest.raises(InputRejected) as info:
        run_batch(source, tmp_path / "out.csv")
    assert info.value.problems[0].path == "y" * 60 + "… (1,000 characters)"
