"""The summary of ``nelm batch`` names, for each field with problems, its most frequent kind
of problem and the fix, without the cells' values (docs/cohorts.md, "the fix, by field").

What is valid comes from the contract, docs/contract/case-v1.md: a boolean field is true or
false (the ``boolean`` rows of its tables), ``pathology.ki67_percent`` a number 0–100 in %,
``labs.bilirubin_mg_dl`` a number in mg/dL; docs/assessment-v1-additions.md (units table):
bilirubin may be written in µmol/L, which is not the column's unit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.cohort.fixes import field_fixes, problem_kind

TITLE = "the fix, by field (its most frequent problem; the values are in the rejects file):"


def _summary(cohort: Path, capsys: pytest.CaptureFixture[str], engine: str = "polars") -> list[str]:
    argv = ["nelm", "batch", str(cohort), "-o", str(cohort.with_suffix(".r.csv"))]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", [*argv, "--engine", engine])
        capsys.readouterr()
        assert run_guarded(app) == 0
    return [line.rstrip() for line in capsys.readouterr().out.splitlines()]


def _fix_lines(lines: list[str]) -> list[str]:
    at = lines.index(TITLE)
    return [line.strip() for line in lines[at + 1 :] if line.startswith("  ")]


def _csv(tmp_path: Path, header: str, cells: list[str]) -> Path:
    cohort = tmp_path / "cohort.csv"
    rows = [f"c{i},{cell}" for i, cell in enumerate(cells)]
    cohort.write_text("\n".join([f"case_id,{header}", *rows]) + "\n", "utf-8")
    return cohort


def test_a_column_of_yes_and_no_gives_one_line_of_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = _csv(tmp_path, "extrahepatic.present", ["yes", "no", "no", "yes", "no"])
    assert _fix_lines(_summary(cohort, capsys)) == [
        "extrahepatic.present 5: yes/no words — write true or false"
    ]


def test_a_field_with_two_kinds_of_problem_names_the_more_frequent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # three cells with the unit written in, one beyond the contract's 0–100
    cohort = _csv(tmp_path, "pathology.ki67_percent", ["12.5 %", "3.1 %", "140", "7.25 %"])
    lines = _fix_lines(_summary(cohort, capsys))
    assert lines == [
        "pathology.ki67_percent 4 (3 of them): numbers with their unit (%) — write the number alone"
    ]
    # the cells stay in the rejects file
    assert not any(value in " ".join(lines) for value in ("12.5", "3.1", "140", "7.25"))


def test_when_the_out_of_range_values_are_more_the_fix_is_the_fields_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = _csv(tmp_path, "pathology.ki67_percent", ["12.5 %", "140", "-2", "101"])
    assert _fix_lines(_summary(cohort, capsys)) == [
        "pathology.ki67_percent 4 (3 of them): must be a number between 0 and 100"
    ]


def test_a_lab_in_another_unit_names_both_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cohort = _csv(tmp_path, "labs.bilirubin_mg_dl", ["17 umol/L", "9 umol/L"])
    assert _fix_lines(_summary(cohort, capsys)) == [
        "labs.bilirubin_mg_dl 2: numbers in µmol/L — write them in mg/dL"
    ]


def test_clean_input_prints_no_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = _csv(tmp_path, "extrahepatic.present,pathology.ki67_percent", ["true,12", "false,3"])
    lines = _summary(cohort, capsys)
    assert TITLE not in lines
    assert not any(line.startswith("problems by field") for line in lines)


def test_the_engines_print_the_same_fixes_adding_up_to_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "extrahepatic.present,pathology.ki67_percent,labs.bilirubin_mg_dl"
    cells = ["yes,8.1 %,17 umol/L", "no,140,", "no,,0.9", "true,2 %,20 umol/L"]
    cohort = _csv(tmp_path, header, cells)
    polars_lines = _summary(cohort, capsys)
    reference_lines = _summary(cohort, capsys, "reference")
    fixes = _fix_lines(polars_lines)
    assert fixes == _fix_lines(reference_lines)
    assert fixes == [
        "extrahepatic.present 3: yes/no words — write true or false",
        "pathology.ki67_percent 3 (2 of them): numbers with their unit (%) — write the number "
        "alone",
        "labs.bilirubin_mg_dl 2: numbers in µmol/L — write them in mg/dL",
    ]
    # 3 + 3 + 2 problems: the count line's total
    assert any("rejected (8 problems)" in line for line in polars_lines)


def test_past_five_fields_the_rest_are_counted(tmp_path: Path) -> None:
    rejects = tmp_path / "r.rejects.csv"
    fields = [f"patient.{n}" for n in ("ecog", "age_years", "sex")] + [
        "liver.lesion_count",
        "primary.size_cm",
        "labs.albumin_g_dl",
        "labs.ldh_u_l",
    ]
    lines = [f'c{i},{f},"{f}: must be a number, got ""x""",{i}' for i, f in enumerate(fields)]
    rejects.write_text("case_id,field,reason,row\n" + "\n".join(lines) + "\n", "utf-8")
    fixes, more = field_fixes(rejects)
    assert len(fixes) == 5 and more == 2
    assert sum(f.problems for f in fixes) + more == len(fields)


def test_a_line_not_of_a_case_field_is_not_quoted() -> None:
    # a record folder's line names its file, which may hold a patient's name
    said = problem_kind("record", "record: valid JSON in doe-john.json, got bytes")
    assert said == "see the rejects file"
