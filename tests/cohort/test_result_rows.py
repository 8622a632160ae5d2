"""The result file names each case's input row, so that it joins back to the input.

A registry that exported a patient twice gives two rows with one case id; rejected and
empty rows leave gaps. The ``row`` column (1-based, as in the rejects file) is the key
that stays unique and matches the input whatever the ids hold.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from nelm.cohort.runner import run_batch

# A cohort as a registry exports it: an id on two rows (2 and 5), a rejected row (3: a
# Ki-67 above 100 %, outside the contract's 0–100), an empty row (4).
_CSV = """case_id,pathology.ki67_percent,pathology.mitoses_per_2mm2,pathology.differentiation
a,4,,
dup,30,10,well
bad,140,,
,,,
dup,2,1,well
z,,,
"""
_KEPT = {1: "a", 2: "dup", 5: "dup", 6: "z"}
"""The rows assessed and their ids: every row but the rejected (3) and the empty (4)."""


@pytest.mark.parametrize("engine", ["polars", "reference"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_each_result_names_its_input_row(tmp_path: Path, engine: str, suffix: str) -> None:
    source = tmp_path / "registry.csv"
    source.write_text(_CSV, encoding="utf-8")
    out = tmp_path / f"results{suffix}"
    summary = run_batch(source, out, engine=engine)  # type: ignore[arg-type]
    results = pl.read_csv(out) if suffix == ".csv" else pl.read_parquet(out)
    assert results.columns[-1] == "row"
    assert dict(zip(results["row"], results["case_id"], strict=True)) == _KEPT
    assert (summary.accepted, summary.rejected_rows, summary.empty_rows) == (4, 1, [4])
    rejected = pl.read_csv(tmp_path / "results.rejects.csv")
    assert rejected["row"].to_list() == [3]


def test_the_row_joins_the_results_to_the_input(tmp_path: Path) -> None:
    source = tmp_path / "registry.csv"
    source.write_text(_CSV, encoding="utf-8")
    run_batch(source, tmp_path / "results.parquet")
    cohort = pl.read_csv(source, infer_schema=False).with_row_index("row", offset=1)
    joined = cohort.join(
        pl.read_parquet(tmp_path / "results.parquet"),
        on="row",
        suffix="_result",
        how="inner",
    )
    # One line per assessed row (not the 2 × 2 a join on the repeated id gives), each with
    # its own values. Seed 000 §1 (Introduction): G1 a mitotic index < 2 or Ki-67 < 3, G3
    # either index > 20, the higher index deciding: row 2 (Ki-67 30, mitoses 10, well
    # differentiated) is G3, row 5 (Ki-67 2, mitoses 1) G1.
    assert joined.height == len(_KEPT)
    dup = joined.filter(pl.col("case_id") == "dup").sort("row")
    assert dup["grade"].cast(pl.String).to_list() == ["G3", "G1"]
