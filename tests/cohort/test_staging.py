"""The stage columns of ``nelm batch``: the compiler against the interpreter on the cases
of 003 Tables 2 and 3 (boundaries, invasions, unknowns, other primaries), and the file."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.cohort.columns import STAGE_COLUMNS
from nelm.cohort.pipeline import process_chunk
from nelm.cohort.reference import reference_chunk

INVASIONS = (
    "primary.invades_duodenum_or_bile_duct",
    "primary.invades_adjacent_organs",
    "primary.invades_celiac_axis_or_sma",
    "primary.invades_other_large_vessels",
)


def _rows() -> list[dict[str, str]]:
    rows = []
    for size in ("", "1.9", "2", "2.1", "4", "4.1"):  # the T sizes of both notes
        for beyond in ("", "true", "false"):
            for invaded in ("", *INVASIONS):
                for nodes in ("", "true", "false"):
                    for liver in ("", "3"):
                        row = {
                            "primary.site": "pancreas",
                            "primary.size_cm": size,
                            "primary.extends_beyond_pancreas": beyond,
                            "primary.node_positive": nodes,
                            "liver.lesion_count": liver,
                        }
                        if invaded and beyond != "false":
                            row[invaded] = "true"
                        rows.append(row)
    rows += [{"primary.site": "lung", "liver.lesion_count": "2"}, {"liver.lesion_count": "2"}]
    return [{"case_id": f"s-{i}", **{c: "" for c in INVASIONS}, **r} for i, r in enumerate(rows)]


@pytest.mark.no_cover  # every combination of the fields, over covered lines (Makefile)
def test_stage_columns_agree_with_the_interpreter() -> None:
    frame = pl.DataFrame(_rows())
    compiled, reference = process_chunk(frame, 1), reference_chunk(frame, 1)
    assert compiled.rejects.height == 0
    got = compiled.output.select("case_id", *STAGE_COLUMNS)
    want = reference.output.select("case_id", *STAGE_COLUMNS)
    assert got.to_dicts() == want.to_dicts()
    # Both sides of the liver: stated → IV (003 Tables 2 and 3: any T any N M1); not stated
    # → open whenever a pancreatic stage exists.
    staged = got.filter(pl.col("stage_enets_tnm").is_not_null())
    assert set(staged.get_column("stage_enets").drop_nulls().unique()) == {"IV"}
    assert staged.filter(pl.col("stage_enets").is_null()).height > 0
    assert got.filter(
        pl.col("case_id").is_in([f"s-{frame.height - 2}", f"s-{frame.height - 1}"])
    ).get_column("stage_ajcc7_tnm").to_list() == [None, None]


def test_batch_writes_the_stage_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort, result = tmp_path / "cohort.csv", tmp_path / "result.csv"
    cohort.write_text(
        "case_id,primary.site,primary.size_cm,primary.extends_beyond_pancreas,"
        "primary.invades_adjacent_organs,primary.node_positive,liver.lesion_count\n"
        "a,pancreas,3,,true,false,2\n"
        "b,lung,3,,,,2\n",
        "utf-8",
    )
    monkeypatch.setattr(sys, "argv", ["nelm", "batch", str(cohort), "-o", str(result)])
    assert run_guarded(app) == 0, capsys.readouterr().err
    rows = pl.read_csv(result, infer_schema=False).select("case_id", *STAGE_COLUMNS).to_dicts()
    # a: ENETS T4 ("invading adjacent structures"); AJCC T3, or T4 while the celiac axis/SMA
    # is not stated; N0; liver metastases → M1 → IV in both (003 Tables 2 and 3).
    assert rows[0] == {
        "case_id": "a",
        "stage_enets": "IV",
        "stage_enets_possible": "IV",
        "stage_enets_tnm": "T4 N0 M1",
        "stage_ajcc7": "IV",
        "stage_ajcc7_possible": "IV",
        "stage_ajcc7_tnm": "T3/T4 N0 M1",
    }
    assert rows[1] == {"case_id": "b", **dict.fromkeys(STAGE_COLUMNS)}
