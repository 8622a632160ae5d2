"""A registry export as it comes: blank lines, a line of separators, a file saved without
its header, a runaway cell of megabytes, a column name with spaces around it, a case id
on two rows. What docs/cohorts.md promises of each: every row counted once (read =
assessed + rejected + empty), every message naming the row or column, what was expected
and what came, and no patient's values on the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nelm.cohort.runner import run_batch
from tests.cohort.test_cli import run

HEADER = "case_id,pathology.ki67_percent,liver.distribution"
ENGINES = ["polars", "reference"]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_rows_are_counted_apart_not_rejected(tmp_path: Path, engine: str) -> None:
    # docs/cohorts.md, "Rejected rows": rows are numbered as data rows of the input (the
    # header not counted); a blank line and a line of separators hold no case.
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\np1,12,unilobar\n\n,,\np2,140,unilobar\np3,4,\n\n")
    out = tmp_path / "out.csv"
    summary = run_batch(source, out, engine=engine)  # type: ignore[arg-type]  # a Literal
    assert summary.empty_rows == [2, 3, 6]
    assert (summary.rows, summary.accepted, summary.rejected_rows) == (6, 2, 1)
    assert summary.rows == summary.accepted + summary.rejected_rows + len(summary.empty_rows)
    rejects = pl.read_csv(tmp_path / "out.rejects.csv")
    # case-v1: Ki-67 is a percentage, 0–100
    assert rejects.select("case_id", "field", "row").rows() == [("p2", "pathology.ki67_percent", 4)]
    assert pl.read_csv(out).get_column("case_id").to_list() == ["p1", "p3"]


def test_a_parquet_row_of_nulls_is_an_empty_row(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pl.DataFrame(
        {"case_id": ["p1", None, "p2"], "pathology.ki67_percent": [12.0, None, None]}
    ).write_parquet(source)
    summary = run_batch(source, tmp_path / "out.parquet")
    assert (summary.rows, summary.accepted, summary.rejected_rows) == (3, 2, 0)
    assert summary.empty_rows == [2]


def test_the_summary_names_the_empty_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\np1,12,unilobar\n\np2,4,\n")
    code, out, err = run(["batch", str(source), "-o", str(tmp_path / "o.csv")], capsys, monkeypatch)
    assert code == 0, err
    assert (
        "3 rows read, 2 assessed, 0 rejected (0 problems), 1 empty row skipped (row 2)"
        in " ".join(out.split())
    )


def test_a_file_of_empty_rows_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\n,,\n\n")
    code, out, err = run(["batch", str(source), "-o", str(tmp_path / "o.csv")], capsys, monkeypatch)
    assert code == 0, err
    assert "The input holds only empty rows: no case was assessed." in out
    assert "every row was rejected" not in out


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


def test_a_runaway_cell_is_read_and_shown_short(tmp_path: Path) -> None:
    # 5 MB in one cell, beyond the csv module's default 128 kB: read, rejected by its rule,
    # and neither the rejects line nor the case id column copies it
    runaway = "x" * 5_000_000
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\np1,{runaway},unilobar\n{runaway},12,unilobar\n")
    summary = run_batch(source, tmp_path / "out.csv")
    assert (summary.rows, summary.accepted, summary.rejected_rows) == (2, 0, 2)
    rejects = pl.read_csv(tmp_path / "out.rejects.csv")
    assert rejects.get_column("field").to_list() == ["pathology.ki67_percent", "case_id"]
    assert rejects.get_column("case_id").to_list() == ["p1", "x" * 128 + "…"]
    assert max(len(r) for r in rejects.get_column("reason")) < 300


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


def test_a_repeated_id_that_is_no_valid_id_is_only_rejected(tmp_path: Path) -> None:
    # case-v1: case_id is text of 1 to 128 characters; an id over that is rejected on
    # each row, and not also named as repeated (the warning would copy it per row)
    too_long = "p" * 129
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\n{too_long},12,\n{too_long},4,\np1,3,\np1,5,\n")
    summary = run_batch(source, tmp_path / "out.csv")
    assert summary.rejected_rows == 2
    warnings = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warnings.select("case_id", "row").rows() == [("p1", 3), ("p1", 4)]


@pytest.mark.parametrize("engine", ENGINES)
def test_control_characters_in_a_case_id_or_label_reject_the_row(
    tmp_path: Path, engine: str
) -> None:
    # nelm.text: the rule `nelm assess`, the API and the forms apply. A terminal runs an
    # escape sequence (ESC ] 0 ; … BEL sets its title, ESC [ 2 J clears it) when the file
    # that carries it is shown with cat or less; no file nelm writes carries one.
    source = tmp_path / "in.csv"
    source.write_text(
        "case_id,label,pathology.ki67_percent\n"
        "p1\x1b]0;owned\x07,,12\n"
        'p2,"Jane\x1b[2J",4\n'
        "p3,fine,3\n"
        "p1\x1b]0;owned\x07,,5\n"
    )
    out = tmp_path / "out.csv"
    summary = run_batch(source, out, engine=engine)  # type: ignore[arg-type]  # a Literal
    assert (summary.accepted, summary.rejected_rows) == (1, 3)
    assert pl.read_csv(out).get_column("case_id").to_list() == ["p3"]
    rejects = pl.read_csv(tmp_path / "out.rejects.csv")
    assert rejects.select("case_id", "field", "row").rows() == [
        ("p1\\u001b]0;owned\\u0007", "case_id", 1),
        ("p2", "label", 2),
        ("p1\\u001b]0;owned\\u0007", "case_id", 4),
    ]
    assert "control character" in rejects.get_column("reason")[0]
    for written in tmp_path.glob("out*.csv"):
        assert "\x1b" not in written.read_text() and "\x07" not in written.read_text()


class _CutOff(KeyboardInterrupt):
    pass


REPEATED = "The case id p1 is on rows 1, 3"


def _watch_renames(monkeypatch: pytest.MonkeyPatch, stop_at: int | None = None) -> list[str]:
    """Record, at each rename onto a run's results file, the warnings file beside it as it
    then is; with ``stop_at``, stop the run (Ctrl+C) instead of the rename of that number
    (0-based)."""
    import os

    real = os.replace
    seen: list[str] = []
    done = [0]

    def replace(src: Any, dst: Any) -> None:
        if done[0] == stop_at:
            raise _CutOff
        done[0] += 1
        real(src, dst)
        if Path(dst).name == "out.csv":
            beside = Path(dst).with_name("out.warnings.csv")
            seen.append(beside.read_text() if beside.exists() else "")

    monkeypatch.setattr(os, "replace", replace)
    return seen


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_the_results_are_put_in_place_after_a_whole_warnings_file(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The repeated ids were added to the warnings file after the run's files were in
    # place: a run stopped in between left complete-looking files without those lines.
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\np1,12,\np2,4,\np1,3,\n")
    seen = _watch_renames(monkeypatch)
    summary = run_batch(source, tmp_path / "out.csv", engine=engine)  # type: ignore[arg-type]
    assert len(seen) == 1 and seen[0].count(REPEATED) == 2
    assert summary.warning_lines == 2


@pytest.mark.parametrize("stop_at", [0, 1, 2])
def test_a_run_stopped_between_its_renames_leaves_no_results_file(
    tmp_path: Path, stop_at: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rejects, the warnings, then the results: an earlier run's results file is
    # removed before the first, so files of two runs are never found side by side as if
    # one run had written them, and a results file in place means its run finished.
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\np9,12,\n")
    out = tmp_path / "out.csv"
    run_batch(source, out)
    source.write_text(f"{HEADER}\np1,12,\np2,4,\np1,3,\n")
    _watch_renames(monkeypatch, stop_at)
    with pytest.raises(_CutOff):
        run_batch(source, out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
