"""``nelm batch`` and ``nelm synth`` as a user meets them: exit codes, messages, files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["nelm", *args])
    code = run_guarded(app)
    out, err = capsys.readouterr()
    return code, out, err


def test_synth_then_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort, result = tmp_path / "cohort.csv", tmp_path / "result.parquet"
    code, _, err = run(
        ["synth", "--n", "250", "--seed", "3", "-o", str(cohort)], capsys, monkeypatch
    )
    assert code == 0, err
    assert "250 synthetic cases (seed 3, 20% missing) written to" in err
    code, out, err = run(["batch", str(cohort), "-o", str(result)], capsys, monkeypatch)
    assert code == 0, err
    assert "250 rows read, 250 assessed, 0 rejected (0 problems)" in " ".join(out.split())
    assert "liver_transplant_milan" in out
    assert pl.read_parquet(result).height == 250
    assert (tmp_path / "result.rejects.csv").exists()


def test_one_problem_and_one_warning_are_counted_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The summary read "1 rejected (1 problems)" and "1 warnings, cases assessed as given".
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("case_id,pathology.ki67_percent,labs.platelets_per_ul\nr1,140,\nb1,,210\n")
    code, out, err = run(["batch", str(cohort), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 0, err
    words = " ".join(out.split())
    assert "2 rows read, 1 assessed, 1 rejected (1 problem) in" in words
    assert "1 warning, cases assessed as given, by field: labs.platelets_per_ul 1" in words


def test_the_summary_names_the_fields_rows_were_rejected_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # case-v1.md: numbers are numbers (not "2,5" or "x"), a count is a whole number.
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        "case_id,labs.bilirubin_mg_dl,pathology.ki67_percent,liver.lesion_count\n"
        'r1,"2,5",4,multiple\nr2,1.0,x,2\nr3,0.5,4,3\nr4,"1,1",5,1\n'
    )
    code, out, err = run(["batch", str(cohort), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 0, err
    words = " ".join(out.split())
    assert "4 rows read, 1 assessed, 3 rejected (4 problems)" in words
    assert (
        "problems by field: labs.bilirubin_mg_dl 2; liver.lesion_count 1; "
        "pathology.ki67_percent 1" in words
    )
    # Counts only: the values and case ids stay in the rejects file.
    assert "multiple" not in out and "2,5" not in out


def test_a_cohort_with_every_row_rejected_says_so_instead_of_a_table_of_zeros(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # case-v1.md: course.status is one of its four words; "ileum" is no primary.site.
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("case_id,primary.site,course.status\nr1,ileum,stable\nr2,pancreas,PD\n")
    code, out, err = run(["batch", str(cohort), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 0, err  # cli-v1: rejected rows go to the rejects file
    words = " ".join(out.split())
    assert "No case was assessed: every row was rejected" in words
    assert "Statuses of" not in words
    assert "2 rows read, 0 assessed, 2 rejected (2 problems)" in words


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_path_with_brackets_is_read_and_shown_as_typed(
    suffix: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A folder named like "registry [2024]" is an ordinary path: it was read as a glob
    # pattern (CSV: "expanded paths were empty"; Parquet: an internal error) and the
    # summary printed it as rich markup ("[red]" vanished).
    folder = tmp_path / "registry [2024]"
    folder.mkdir()
    cohort, result = folder / f"cohort[red].{suffix}", folder / f"result[bold].{suffix}"
    code, _, err = run(
        ["synth", "--n", "30", "--seed", "2", "-o", str(cohort)], capsys, monkeypatch
    )
    assert code == 0, err
    code, out, err = run(["batch", str(cohort), "-o", str(result)], capsys, monkeypatch)
    assert code == 0, err
    assert "30 rows read, 30 assessed" in " ".join(out.split())
    assert f"results: {result}" in out
    assert result.is_file()


def test_na_and_a_dot_are_empty_cells_and_other_unknown_words_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # docs/cohorts.md: an empty cell is unknown; NA is R's write.csv mark for a missing
    # value and "." that of SAS and Stata. "unknown" is never guessed at.
    cohort, result = tmp_path / "cohort.csv", tmp_path / "r.csv"
    cohort.write_text(
        "case_id,pathology.ki67_percent,primary.site,primary.resected\n"
        "r1,NA,NA,.\nr2,unknown,pancreas,yes\n"
    )
    code, out, err = run(["batch", str(cohort), "-o", str(result)], capsys, monkeypatch)
    assert code == 0, err
    assert "2 rows read, 1 assessed, 1 rejected (2 problems)" in " ".join(out.split())
    assert pl.read_csv(result)["case_id"].to_list() == ["r1"]
    reasons = pl.read_csv(tmp_path / "r.rejects.csv")["reason"].to_list()
    assert reasons == [
        'primary.resected: must be true or false, got "yes" (write true)',
        'pathology.ki67_percent: must be a number between 0 and 100, got "unknown" '
        "(not known: leave it out, as null or an empty cell)",
    ]


def test_an_unknown_column_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("case_id,pathology.ki67_percnt\nc1,5\n")
    code, _, err = run(["batch", str(cohort), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 2
    assert err == (
        "error: pathology.ki67_percnt: a known column (did you mean "
        "pathology.ki67_percent?), got an unknown column\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv"]


def test_a_header_with_its_unit_exits_2_naming_the_field_and_the_conversion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # case-v1.md: bilirubin in mg/dL; 17.1 µmol/L = 1 mg/dL (Young DS, Ann Intern Med
    # 1987;106:114-129). Read as mg/dL, 17 µmol/L would rule out the embolisations (002 §3.3).
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("case_id,bilirubin (umol/L)\nc1,17\n")
    code, _, err = run(["batch", str(cohort), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 2
    assert err == (
        "error: bilirubin (umol/L): the column labs.bilirubin_mg_dl, in mg/dL: convert the "
        "values from µmol/L to mg/dL (÷ 17.1) and name it labs.bilirubin_mg_dl; no column is "
        "read in µmol/L, got a column named with its unit\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.csv"]


def test_a_column_nelm_does_not_read_is_left_out_only_when_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "case_id,pathology.ki67_percent,comment,site_name\n"
        'c1,5,"seen twice, see note",Berlin\nc2,35,,Paris\n'
    )
    plain = tmp_path / "plain.csv"
    plain.write_text("case_id,pathology.ki67_percent\nc1,5\nc2,35\n")
    out = tmp_path / "r.csv"
    code, _, err = run(["batch", str(registry), "-o", str(out)], capsys, monkeypatch)
    assert code == 2
    assert err.splitlines() == [
        f"error: {name}: a known column: case_id, schema_version, label or a case field path "
        f"such as pathology.ki67_percent; remove the column, or leave it out with "
        f"--ignore-columns {name}, got an unknown column"
        for name in ("comment", "site_name")
    ]
    assert not out.exists()
    for engine in ("polars", "reference"):
        args = ["batch", str(registry), "-o", str(out), "--engine", engine]
        code, text, err = run([*args, "--ignore-columns", "comment,site_name"], capsys, monkeypatch)
        assert code == 0, err
        assert "left out, as asked (--ignore-columns): 2 columns: comment, site_name" in text
        expected = tmp_path / "expected.csv"
        code, _, err = run(["batch", str(plain), "-o", str(expected)], capsys, monkeypatch)
        assert code == 0, err
        assert out.read_text() == expected.read_text()
    # a field's column cannot be left out by the option, nor a name the file does not have
    code, _, err = run(
        ["batch", str(registry), "-o", str(out), "--ignore-columns", "pathology.ki67_percent"],
        capsys,
        monkeypatch,
    )
    assert code == 2
    assert "error: --ignore-columns: columns nelm does not read" in err
    code, _, err = run(
        ["batch", str(registry), "-o", str(out), "--ignore-columns", "comment,site"],
        capsys,
        monkeypatch,
    )
    assert code == 2
    assert err == (
        "error: --ignore-columns: names of columns of the file's header, got site, which is "
        "not one\n"
    )


def test_a_missing_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nope.parquet"
    code, _, err = run(["batch", str(missing), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 2
    assert err == f"error: {missing}: an existing file, got no such file\n"


def test_an_output_in_a_missing_directory_is_named_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the message named the rejects file beside it ("…/r.rejects.csv"), which the user
    # never typed
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("case_id,pathology.ki67_percent\nc1,5\n")
    target = tmp_path / "no-such-directory" / "r.parquet"
    code, _, err = run(["batch", str(cohort), "-o", str(target)], capsys, monkeypatch)
    assert code == 2
    assert err == f"error: -o: a file in an existing directory, got {target}\n"


def test_an_unknown_engine_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(["batch", "x.csv", "-o", "y.csv", "--engine", "dask"], capsys, monkeypatch)
    assert code == 2 and "dask" in err


def test_the_cli_does_not_import_polars_to_assess() -> None:
    probe = "import sys, nelm.cli; print(sorted({'polars', 'pyspark'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_batch_says_how_a_semicolon_file_was_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # R's write.csv2 convention (docs/cohorts.md): the reading is named for the user to check.
    cohort = tmp_path / "csv2.csv"
    cohort.write_text("case_id;pathology.ki67_percent\nr1;2,5\n", encoding="utf-8")
    code, out, err = run(["batch", str(cohort), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 0, err
    assert "read as CSV separated by semicolons, with decimal commas" in " ".join(out.split())
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("case_id\tpathology.ki67_percent\nr1\t2.5\n", encoding="utf-8")
    code, out, err = run(["batch", str(tabs), "-o", str(tmp_path / "t.csv")], capsys, monkeypatch)
    assert code == 0, err
    assert "read as CSV separated by tabs" in out
    plain = tmp_path / "plain.csv"
    plain.write_text("case_id,pathology.ki67_percent\nr1,2.5\n", encoding="utf-8")
    code, out, err = run(["batch", str(plain), "-o", str(tmp_path / "p.csv")], capsys, monkeypatch)
    assert code == 0, err
    assert "read as CSV" not in out


def test_batch_reads_a_fhir_export_dated_today_unless_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cohort.test_fhir_export import _records, _write_export

    export = _write_export(tmp_path / "export", _records())
    code, out, err = run(["batch", str(export), "-o", str(tmp_path / "r.csv")], capsys, monkeypatch)
    assert code == 0, err
    assert "read as a FHIR export: 6 patients from" in " ".join(out.split())
    code, _, err = run(
        ["batch", str(export), "-o", str(tmp_path / "r.csv"), "--as-of", "2026-13-01"],
        capsys,
        monkeypatch,
    )
    assert code == 2
    assert "--as-of: a date YYYY-MM-DD, got '2026-13-01'" in err
