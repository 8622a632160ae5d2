"""CSV cohorts separated by semicolons or tabs, and the decimal commas of the first.

R's ``write.csv2`` — "for countries that use a comma as decimal point" (R documentation,
``utils::write.table``) — writes ``;`` between columns and ``,`` as the decimal mark, as
spreadsheets saved as CSV in those countries do. Such a file, and a tab-separated one,
must give what the same cohort written with commas and decimal points gives.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
import pytest

from nelm.case.fields import FIELDS, Kind
from nelm.cohort.runner import run_batch
from nelm.cohort.synth import write_synth
from nelm.errors import InputRejected

NUMBER_COLUMNS = {f.path for f in FIELDS if f.kind in (Kind.NUMBER, Kind.INTEGER)}


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]], delimiter: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)


def _as_write_csv2(rows: list[list[str]]) -> list[list[str]]:
    """The rows as write.csv2 writes them: a decimal comma in every number with a fraction."""
    header, *body = rows
    numbers = [i for i, name in enumerate(header) if name in NUMBER_COLUMNS]
    out = [header]
    for row in body:
        row = list(row)
        for i in numbers:
            row[i] = row[i].replace(".", ",")
        out.append(row)
    return out


def _results(path: Path, tmp_path: Path, engine: str = "polars") -> pl.DataFrame:
    out = tmp_path / f"{path.stem}-{engine}.csv"
    run_batch(path, out, engine=engine)  # type: ignore[arg-type]
    return pl.read_csv(out, infer_schema=False)


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_write_csv2_file_gives_the_comma_file_results(tmp_path: Path, engine: str) -> None:
    comma = tmp_path / "cohort.csv"
    write_synth(comma, 300, seed=11, missing=0.2)
    rows = _rows(comma)
    with_fractions = sum("." in cell for row in rows[1:] for cell in row)
    assert with_fractions > 300  # the cohort has numbers with fractions to rewrite
    semicolon = tmp_path / "cohort-csv2.csv"
    _write(semicolon, _as_write_csv2(rows), ";")
    assert any(";" in cell for row in rows[1:] for cell in row)  # lists quoted, as R does
    assert _results(semicolon, tmp_path, engine).equals(_results(comma, tmp_path, engine))


def test_a_tab_separated_file_gives_the_comma_file_results(tmp_path: Path) -> None:
    comma = tmp_path / "cohort.csv"
    write_synth(comma, 200, seed=12, missing=0.2)
    for name in ("cohort-tabs.csv", "cohort-tabs.tsv"):
        tabs = tmp_path / name
        _write(tabs, _rows(comma), "\t")
        assert _results(tabs, tmp_path).equals(_results(comma, tmp_path)), name


def _one_cell(tmp_path: Path, delimiter: str, cell: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    path = tmp_path / "one.csv"
    _write(path, [["case_id", "labs.bilirubin_mg_dl"], ["a", cell]], delimiter)
    out = tmp_path / "one-out.csv"
    run_batch(path, out)
    return (
        pl.read_csv(out, infer_schema=False),
        pl.read_csv(tmp_path / "one-out.rejects.csv", infer_schema=False),
    )


@pytest.mark.parametrize("cell", ["1,500", "2,000", "-1,250"])
def test_a_comma_before_three_digits_is_not_read_either_way(tmp_path: Path, cell: str) -> None:
    # 1,500: 1.5 with a decimal comma, 1500 with a thousands separator; never guessed.
    results, rejects = _one_cell(tmp_path, ";", cell)
    assert results.height == 0
    assert rejects.get_column("field").to_list() == ["labs.bilirubin_mg_dl"]
    assert f'got "{cell}"' in rejects.get_column("reason")[0]


@pytest.mark.parametrize(
    ("cell", "grade"),
    # 000 §1 (WHO 2019): a well-differentiated NET is G1 below a Ki-67 of 3 %, G2 from 3 to
    # 20 %, the mitotic count able to raise it (not given here): G1–G3 possible below 3 %,
    # G2–G3 from 3 %. Read without its comma each value would be another (15, 5) or out
    # of range (125, 475 %).
    [
        ("1,5", "G1;G2;G3"),
        (",5", "G1;G2;G3"),
        ("0,125", "G1;G2;G3"),
        ("12,5", "G2;G3"),
        ("+4,75", "G2;G3"),
    ],
)
def test_a_decimal_comma_is_read_in_a_semicolon_file(tmp_path: Path, cell: str, grade: str) -> None:
    path = tmp_path / "one.csv"
    header = ["case_id", "pathology.differentiation", "pathology.ki67_percent"]
    _write(path, [header, ["a", "well", cell]], ";")
    run_batch(path, tmp_path / "one-out.csv")
    results = pl.read_csv(tmp_path / "one-out.csv", infer_schema=False)
    assert results.get_column("grade_possible").to_list() == [grade]


def test_a_decimal_comma_in_a_comma_file_is_still_refused(tmp_path: Path) -> None:
    # In a comma-separated file the comma is not the decimal mark: "0,9" (quoted) is
    # named with the number to write, as in a case document (case-v1: JSON numbers).
    results, rejects = _one_cell(tmp_path, ",", "0,9")
    assert results.height == 0
    assert re.search(r'got "0,9" \(write a decimal point: 0\.9\)', rejects["reason"][0])


def test_the_separator_is_the_one_that_gives_known_columns(tmp_path: Path) -> None:
    # A quoted name holding semicolons does not make a comma-separated file semicolon-
    # separated: the unknown column is named as written.
    path = tmp_path / "quoted.csv"
    _write(path, [["case_id", "a;b;c"], ["x", "1"]], ",")
    with pytest.raises(InputRejected) as caught:
        run_batch(path, tmp_path / "out.csv")
    [problem] = caught.value.problems
    assert problem.path == "a;b;c" and problem.got == "an unknown column"
