"""Cohort files in and out: CSV and Parquet round trips, chunks, and nothing half-written."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from nelm.cohort.io import as_text_columns
from nelm.cohort.pipeline import compiled_knowledge, process_chunk
from nelm.cohort.runner import run_batch
from nelm.cohort.synth import synth_frame, write_synth
from nelm.cohort.validate import REJECTS_SCHEMA
from nelm.errors import InputRejected


def _cohort(tmp_path: Path, suffix: str, n: int = 400) -> Path:
    path = tmp_path / f"cohort{suffix}"
    write_synth(path, n, seed=5, missing=0.25)
    return path


def test_parquet_in_parquet_out_is_the_chunk_result(tmp_path: Path) -> None:
    source = _cohort(tmp_path, ".parquet")
    summary = run_batch(source, tmp_path / "out.parquet")
    got = pl.read_parquet(tmp_path / "out.parquet")
    want = process_chunk(pl.read_parquet(source), 1).output
    assert got.schema == pl.Schema(compiled_knowledge().schema)
    assert got.equals(want)
    assert (summary.rows, summary.accepted, summary.rejected_rows) == (400, 400, 0)
    assert pl.read_csv(tmp_path / "out.rejects.csv").columns == list(REJECTS_SCHEMA)


def test_csv_and_parquet_give_the_same_results(tmp_path: Path) -> None:
    run_batch(_cohort(tmp_path, ".csv"), tmp_path / "from_csv.csv")
    run_batch(_cohort(tmp_path, ".parquet"), tmp_path / "from_parquet.parquet")
    from_csv = pl.read_csv(tmp_path / "from_csv.csv", infer_schema=False)
    from_parquet = as_text_columns(pl.read_parquet(tmp_path / "from_parquet.parquet"))
    from_parquet = from_parquet.with_columns(pl.all().cast(pl.String))
    assert from_csv.equals(from_parquet)
    assert from_csv.row(0, named=True)["reasons"].count(":") >= 1


def test_chunks_do_not_change_the_results_or_the_row_numbers(tmp_path: Path) -> None:
    frame = synth_frame(300, seed=9).with_columns(
        pl.when(pl.int_range(pl.len()) % 37 == 5)
        .then(pl.lit(-3.0))
        .otherwise(pl.col("labs.bilirubin_mg_dl"))
        .alias("labs.bilirubin_mg_dl")
    )
    source = tmp_path / "in.parquet"
    frame.write_parquet(source)
    run_batch(source, tmp_path / "whole.parquet", chunk_size=10_000)
    run_batch(source, tmp_path / "small.parquet", chunk_size=7)
    assert pl.read_parquet(tmp_path / "whole.parquet").equals(
        pl.read_parquet(tmp_path / "small.parquet")
    )
    whole = pl.read_csv(tmp_path / "whole.rejects.csv")
    assert whole.equals(pl.read_csv(tmp_path / "small.rejects.csv"))
    assert whole.get_column("row").to_list() == list(range(6, 301, 37))


def test_rows_read_again_keep_their_places(tmp_path: Path) -> None:
    # Rows the plain reading flags are read again one by one: the valid ones (written
    # unusually: " 12 ", "True ") must come back in their input places, the others go to
    # the rejects in row order; the whole file as one streaming query must give what the
    # chunk path gives.
    frame = as_text_columns(synth_frame(600, seed=4, missing=0.2)).with_columns(
        pl.all().cast(pl.String)
    )
    i = pl.int_range(pl.len())
    changes = {"pathology.ki67_percent": (7, " 12 "), "liver.synchronous": (11, "True ")}
    changes["patient.ecog"] = (13, "7")  # out of range: rejected
    frame = frame.with_columns(
        pl.when(i % every == 1).then(pl.lit(text)).otherwise(pl.col(name)).alias(name)
        for name, (every, text) in changes.items()
    )
    source = tmp_path / "in.csv"
    frame.write_csv(source)
    summary = run_batch(source, tmp_path / "out.parquet", chunk_size=50)
    want = process_chunk(pl.read_csv(source, infer_schema=False), 1)
    assert pl.read_parquet(tmp_path / "out.parquet").equals(want.output)
    assert pl.read_csv(tmp_path / "out.rejects.csv", schema=REJECTS_SCHEMA).equals(want.rejects)
    assert want.output.height > 500 and want.rejects.height > 40  # both kinds happened
    assert (summary.rows, summary.accepted) == (600, want.output.height)
    assert summary.rejected_rows == 600 - want.output.height
    assert summary.reject_lines == want.rejects.height


def test_the_reference_engine_writes_the_same_files(tmp_path: Path) -> None:
    source = _cohort(tmp_path, ".csv", n=150)
    run_batch(source, tmp_path / "polars.parquet")
    run_batch(source, tmp_path / "reference.parquet", engine="reference")
    assert pl.read_parquet(tmp_path / "polars.parquet").equals(
        pl.read_parquet(tmp_path / "reference.parquet")
    )


def test_a_header_only_file_gives_empty_outputs(tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_text("case_id,pathology.ki67_percent\n")
    summary = run_batch(source, tmp_path / "out.csv")
    assert summary.rows == 0
    assert pl.read_csv(tmp_path / "out.csv").columns[:3] == ["case_id", "grade", "grade_possible"]


def _left(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir())


def test_a_rejected_file_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("case_id,pathology.ki67\nc1,5\n")
    with pytest.raises(InputRejected):
        run_batch(source, tmp_path / "out.parquet")
    assert _left(tmp_path) == ["in.csv"]


@pytest.mark.parametrize("slice_rows", [1_000_000, 100])
def test_a_file_broken_past_the_first_chunk_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slice_rows: int
) -> None:
    # with slices of 100 rows the file is longer than a slice: read through its Parquet
    # copy (nelm.cohort.stream.run_streaming), with the same message and nothing left
    monkeypatch.setattr("nelm.cohort.stream.SLICE_ROWS", slice_rows)
    source = tmp_path / "in.csv"
    rows = "".join(f"c{i},{i % 90}\n" for i in range(500))
    source.write_text("case_id,pathology.ki67_percent\n" + rows + "c500,1,2,3\n")
    (tmp_path / "out.parquet").write_bytes(b"an older result")
    with pytest.raises(InputRejected) as caught:
        run_batch(source, tmp_path / "out.parquet", chunk_size=100)
    # the row is named (polars names none): RFC 4180 §2, each line holds as many fields
    # as the header
    assert caught.value.problems[0].message.endswith(
        "rows of as many cells as the header, got row 501 has 4 cells where the header has "
        "2 (a separator inside a cell that is not in quotes, or one at the end of the line)"
    )
    assert _left(tmp_path) == ["in.csv", "out.parquet"]
    assert (tmp_path / "out.parquet").read_bytes() == b"an older result"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "missing.csv: an existing file, got no such file"),
        ("cohort.xlsx", "INPUT: a file name ending in .csv, .tsv, .parquet or .pq, got "),
        ("cohort.xlsx", "cohort.xlsx (a spreadsheet: save it as CSV UTF-8)"),
        ("cohort.txt", "INPUT: a file name ending in .csv, .tsv, .parquet or .pq, got "),
        # cli-v1: one case (JSON or YAML) is nelm assess's input, not a cohort
        ("case.json", "(one case or FHIR record: nelm assess "),
        ("case.yaml", "(one case or FHIR record: nelm assess "),
        ("record.xml", "(one case or FHIR record: nelm assess "),  # FHIR XML
    ],
)
def test_unusable_inputs_are_rejected(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(InputRejected) as caught:
        run_batch(tmp_path / name, tmp_path / "out.csv")
    assert message in caught.value.problems[0].message


def test_an_output_must_be_csv_or_parquet(tmp_path: Path) -> None:
    source = _cohort(tmp_path, ".csv", n=5)
    with pytest.raises(InputRejected, match=r"-o: a file name ending in \.csv"):
        run_batch(source, tmp_path / "out.json")


@pytest.mark.parametrize("bad_row", [1, 30_000])
def test_a_file_not_in_utf8_is_named_so_with_the_fix(tmp_path: Path, bad_row: int) -> None:
    # A spreadsheet's plain "CSV" is often Windows-1252: "élève" in Latin-1 bytes, near the
    # top (read with the header) or far past polars' first read.
    lines = ["case_id,label,pathology.ki67_percent"] + [f"c{i},ok,5" for i in range(40_000)]
    lines[bad_row] = f"c{bad_row},\u00e9l\u00e8ve,5"
    source = tmp_path / "latin1.csv"
    source.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    with pytest.raises(InputRejected) as caught:
        run_batch(source, tmp_path / "out.csv")
    # The header is line 1, so lines[bad_row] is line bad_row + 1 of the file.
    assert [p.message for p in caught.value.problems] == [
        f"{source}: a CSV file in UTF-8, got bytes that are not UTF-8, first on line "
        f"{bad_row + 1:,} (the header is line 1): save it again as CSV UTF-8, or convert it "
        "from the encoding it was written in, e.g. from Windows-1252 or Latin-1, as a Western "
        "European spreadsheet writes it: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE-utf8.csv"
    ]
    # The message names a line, never its cells (a patient's name is on it).
    assert "\u00e9" not in caught.value.problems[0].message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latin1.csv"]


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    # Excel's "Unicode text" and PowerShell 5 write UTF-16 with a byte-order mark.
    source = tmp_path / "unicode.csv"
    source.write_bytes("case_id,pathology.ki67_percent\na,4\n".encode("utf-16"))
    with pytest.raises(InputRejected) as caught:
        run_batch(source, tmp_path / "out.csv")
    assert "got UTF-16 text" in caught.value.problems[0].message
    assert "save it again as CSV UTF-8" in caught.value.problems[0].message


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_case_id_on_two_rows_is_assessed_twice_and_said(tmp_path: Path, engine: str) -> None:
    # docs/cohorts.md, "Implausible values": a registry that exported a patient twice, with
    # different values, gives two verdicts; the warnings file names the rows of each id.
    source = tmp_path / "in.csv"
    source.write_text("case_id,pathology.ki67_percent\np1,12\np2,4\np1,30\n")
    out = tmp_path / "out.csv"
    summary = run_batch(source, out, engine=engine)  # type: ignore[arg-type]  # a Literal
    assert pl.read_csv(out).get_column("case_id").to_list() == ["p1", "p2", "p1"]
    warnings = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warnings.select("case_id", "field", "row").rows() == [
        ("p1", "case_id", 1),
        ("p1", "case_id", 3),
    ]
    assert warnings.get_column("reason")[0] == (
        "The case id p1 is on rows 1, 3: each row is taken as a case of its own (assessed, "
        "or rejected with its reasons in the rejects file); check whether they are one "
        "patient."
    )
    assert summary.warning_lines == 2


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_case_id_a_spreadsheet_would_run_is_quoted_in_csv_files(
    tmp_path: Path, engine: str
) -> None:
    # OWASP "CSV Injection": a cell beginning with =, +, -, @, a tab or a carriage return
    # is run as a formula by Excel and LibreOffice; written after a single quote it is
    # shown, not run. A number ("-12") is no formula; a Parquet file is data, not quoted.
    source = tmp_path / "in.csv"
    pl.DataFrame(
        {
            "case_id": ['=HYPERLINK("http://x","y")', "-12", "@SUM(1)", "p4", "p4"],
            "pathology.ki67_percent": ["12", "4", "140", "3", "3"],
        }
    ).write_csv(source)
    run_batch(source, tmp_path / "out.csv", engine=engine)  # type: ignore[arg-type]
    ids = pl.read_csv(tmp_path / "out.csv").get_column("case_id").to_list()
    assert ids == ['\'=HYPERLINK("http://x","y")', "-12", "p4", "p4"]
    rejects = pl.read_csv(tmp_path / "out.rejects.csv")  # Ki-67 140 %: row 3 rejected
    assert rejects.get_column("case_id").to_list() == ["'@SUM(1)"]
    run_batch(source, tmp_path / "out.parquet", engine=engine)  # type: ignore[arg-type]
    assert pl.read_parquet(tmp_path / "out.parquet").get_column("case_id")[0] == (
        '=HYPERLINK("http://x","y")'
    )
