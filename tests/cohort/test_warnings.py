"""Implausible values in a cohort: assessed as given and listed in ``<stem>.warnings.csv``
(``nelm.cohort.checks``), the same by every engine.

Expected values from ``src/nelm/case/data/plausibility.yaml`` (docs/plausibility.md):
platelets are plausible from 5,000 to 1,500,000 /µL (reference 150-400 × 10⁹/L), so 210 is
the × 10⁹/L slip, 210,000 /µL; an age is plausible from 1 to 100 years (children with
metastatic NET, Allan 2013, and the seeds' adult series).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from nelm.cohort.runner import Engine, run_batch

PLATELET_SLIP = (
    "Platelets (labs.platelets_per_ul) 210 /µL is outside the plausible range "
    "5,000–1,500,000 /µL (reference 150,000-400,000 /µL (150-400 × 10⁹/L)): did you mean "
    "210 × 10⁹/L = 210,000 /µL? Assessed as given: check it."
)
NEWBORN = (
    "Age (patient.age_years) 0 years is outside the plausible range 1–100 years "
    "(reference children (Allan 2013) and the adults of the five source reviews). "
    "Assessed as given: check it."
)


def _cohort(path: Path) -> None:
    pl.DataFrame(
        {
            "case_id": ["ok", "slip", "newborn-slip", "rejected", "spaced"],
            "patient.age_years": ["60", "60", "0", "60", "60"],
            "labs.platelets_per_ul": ["250000", "210", "210", "210", " 210 "],
            # row 4 is rejected (Ki-67 140 %): its platelets are not warned of as well
            "pathology.ki67_percent": ["5", "5", "5", "140", "5"],
        }
    ).write_csv(path)


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_implausible_values_are_listed_and_assessed_as_given(
    engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "cohort.csv"
    _cohort(source)
    summary = run_batch(source, tmp_path / "out.parquet", engine=engine, chunk_size=2)
    warned = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warned.rows() == [
        ("slip", "labs.platelets_per_ul", PLATELET_SLIP, 2),
        ("newborn-slip", "patient.age_years", NEWBORN, 3),
        ("newborn-slip", "labs.platelets_per_ul", PLATELET_SLIP, 3),
        ("spaced", "labs.platelets_per_ul", PLATELET_SLIP, 5),
    ]
    assert summary.warning_lines == 4
    assert summary.rejected_rows == 1
    # assessed as given: 210 /µL is below NETTER-1's 75,000 /µL, so PRRT is ineligible
    results = pl.read_parquet(tmp_path / "out.parquet")
    assert results.filter(pl.col("case_id") == "slip").get_column("prrt.status")[0] == (
        "ineligible"
    )


def test_a_run_without_implausible_values_leaves_an_empty_warnings_file(tmp_path: Path) -> None:
    """Always written, so that an earlier run's warnings never stand beside new results."""
    source = tmp_path / "cohort.csv"
    pl.DataFrame({"case_id": ["a"], "labs.platelets_per_ul": ["250000"]}).write_csv(source)
    stale = tmp_path / "out.warnings.csv"
    stale.write_text("case_id,field,reason,row\nold,labs.platelets_per_ul,stale,1\n")
    run_batch(source, tmp_path / "out.csv")
    assert stale.read_text().splitlines() == ["case_id,field,reason,row"]


def test_a_whole_column_in_another_unit_is_worded_once_per_value(tmp_path: Path) -> None:
    """A registry exporting platelets in 10⁹/L: every row is warned of, each distinct
    value worded once (the lines agree with the reference engine's)."""
    source = tmp_path / "cohort.parquet"
    values = [150 + i % 250 for i in range(5000)]
    pl.DataFrame(
        {"case_id": [f"c{i}" for i in range(5000)], "labs.platelets_per_ul": values}
    ).write_parquet(source)
    run_batch(source, tmp_path / "out.parquet")
    warned = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warned.height == 5000
    assert warned.get_column("row").to_list() == list(range(1, 5001))
    assert warned.row(0)[2].startswith("Platelets (labs.platelets_per_ul) 150 /µL")
    assert "did you mean 150 × 10⁹/L = 150,000 /µL?" in warned.row(0)[2]


def test_a_synthetic_cohort_is_plausible(tmp_path: Path) -> None:
    """nelm synth promises plausible, consistent rows (docs/cohorts.md): none is warned of."""
    from nelm.cohort.synth import synth_frame

    source = tmp_path / "synth.parquet"
    synth_frame(20_000, seed=3).write_parquet(source)
    summary = run_batch(source, tmp_path / "out.parquet")
    assert summary.warning_lines == 0


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_contradictions_that_can_turn_a_verdict_are_listed(engine: Engine, tmp_path: Path) -> None:
    """The contradictions nelm batch lists (nelm.cohort.checks.COVERED), worded as nelm
    assess words them: creatinine 4 mg/dL gives an eGFR of 16 for a man of 64 by CKD-EPI
    2021, not 120; SSTR imaging negative beside Krenning 3 (uptake above liver, Krenning
    1994); a reported G2 with Ki-67 2 % and 1 mitosis (both G1: 000 §1); an unknown primary
    given as resected (case-v1 primary: a resected primary was found; an unknown primary
    reads as no portal drainage, 001 Table 2). A reported G2 with Ki-67 2 % alone is no
    contradiction: the mitotic count may be the higher index."""
    source = tmp_path / "cohort.csv"
    pl.DataFrame(
        {
            "case_id": ["renal", "sstr", "grade", "grade-open", "cup", "cup-open"],
            "patient.age_years": ["64", "60", "60", "60", "60", "60"],
            "patient.sex": ["male", "", "", "", "", ""],
            "labs.creatinine_mg_dl": ["4", "", "", "", "", ""],
            "labs.egfr_ml_min": ["120", "", "", "", "", ""],
            "imaging.sstr_positive": ["", "false", "", "", "", ""],
            "imaging.krenning_score": ["", "3", "", "", "", ""],
            "pathology.reported_grade": ["", "", "G2", "G2", "", ""],
            "pathology.ki67_percent": ["", "", "2", "2", "", ""],
            "pathology.mitoses_per_2mm2": ["", "", "1", "", "", ""],
            "primary.site": ["", "", "", "", "unknown_primary", "unknown_primary"],
            "primary.resected": ["", "", "", "", "true", "false"],
        }
    ).write_csv(source)
    run_batch(source, tmp_path / "out.parquet", engine=engine)
    warned = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warned.select("case_id", "field", "row").rows() == [
        ("renal", "labs.egfr_ml_min", 1),
        ("sstr", "imaging.sstr_positive", 2),
        ("grade", "pathology.reported_grade", 3),
        ("cup", "primary.site", 5),
    ]
    reasons = warned.get_column("reason").to_list()
    assert "by CKD-EPI 2021 that creatinine gives an eGFR of 16 mL/min/1.73 m²" in reasons[0]
    assert reasons[1].startswith("SSTR imaging is given as negative, but a Krenning score of 3")
    assert reasons[2].startswith("The report states grade G2, but Ki-67 2 %, 1 mitoses per 2 mm²")
    assert reasons[3].startswith("The primary site is given as unknown (a carcinoma of unknown")
    assert all(r.endswith("Assessed as given.") for r in reasons)


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_negative_zero_is_worded_as_zero_by_every_engine(engine: Engine, tmp_path: Path) -> None:
    # plausibility.yaml: leukocytes are plausible from 500 to 100,000 /µL (reference
    # 4,000-11,000 /µL). A registry's "-0" is the number 0: the polars engine worded it
    # "-0 /µL", the reference engine "0 /µL".
    source = tmp_path / "cohort.csv"
    pl.DataFrame({"case_id": ["z"], "labs.wbc_per_ul": ["-0"]}).write_csv(source)
    run_batch(source, tmp_path / "out.parquet", engine=engine)
    (reason,) = pl.read_csv(tmp_path / "out.warnings.csv").get_column("reason").to_list()
    assert reason.startswith(
        "Leukocytes (labs.wbc_per_ul) 0 /µL is outside the plausible range 500–100,000 /µL"
    )


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_childs_creatinine_is_not_held_against_its_egfr(engine: Engine, tmp_path: Path) -> None:
    # CKD-EPI 2021 is an adults' equation (18 and older; Inker et al., NEJM 2021): the
    # values flagged for the man of 64 above are not flagged for a child of 12; an unknown
    # age is read as any adult age.
    source = tmp_path / "cohort.csv"
    pl.DataFrame(
        {
            "case_id": ["child", "adult", "unknown-age"],
            "patient.age_years": ["12", "18", ""],
            "labs.creatinine_mg_dl": ["4", "4", "4"],
            "labs.egfr_ml_min": ["120", "120", "120"],
        }
    ).write_csv(source)
    run_batch(source, tmp_path / "out.parquet", engine=engine)
    warned = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warned.select("case_id", "field").rows() == [
        ("adult", "labs.egfr_ml_min"),
        ("unknown-age", "labs.egfr_ml_min"),
    ]


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_negative_zero_in_a_contradiction_is_worded_as_zero(
    engine: Engine, tmp_path: Path
) -> None:
    # 000 §1: Ki-67 < 3 % and < 2 mitoses per 2 mm² are G1, so a reported G2 beside
    # Ki-67 1.7 % and a count of "-0" (the number 0) is a contradiction; the polars engine
    # worded the count "-0 mitoses", the reference engine "0 mitoses" (tools/fuzz_inputs.py).
    source = tmp_path / "cohort.csv"
    pl.DataFrame(
        {
            "case_id": ["g"],
            "pathology.reported_grade": ["G2"],
            "pathology.ki67_percent": ["1.7"],
            "pathology.mitoses_per_2mm2": ["-0"],
        }
    ).write_csv(source)
    run_batch(source, tmp_path / "out.parquet", engine=engine)
    (reason,) = pl.read_csv(tmp_path / "out.warnings.csv").get_column("reason").to_list()
    assert reason.startswith(
        "The report states grade G2, but Ki-67 1.7 %, 0 mitoses per 2 mm² is grade G1"
    )


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_a_bilirubin_that_may_be_in_micromoles_is_listed(engine: Engine, tmp_path: Path) -> None:
    """A normal bilirubin in µmol/L (5-21: the Merck reference 0.3-1.2 mg/dL at 17.1 µmol/L
    per mg/dL, Young 1987) read as mg/dL is jaundice and rules out the embolisations (002
    §3.3: < 2 mg/dL): a bilirubin from 5 to 30 is listed with the other reading, above 30
    it is outside the plausible range (docs/plausibility.md), below 5 it is not listed."""
    source = tmp_path / "cohort.csv"
    pl.DataFrame(
        {
            "case_id": ["normal", "doubt", "low", "slip"],
            "labs.bilirubin_mg_dl": ["1.0", "17", "4.9", "35"],
        }
    ).write_csv(source)
    run_batch(source, tmp_path / "out.parquet", engine=engine, chunk_size=2)
    warned = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warned.select("case_id", "field", "row").rows() == [
        ("doubt", "labs.bilirubin_mg_dl", 2),
        ("slip", "labs.bilirubin_mg_dl", 4),
    ]
    doubt, slip = warned.get_column("reason").to_list()
    assert "did you mean 17 µmol/L = 0.99 mg/dL? Check the unit." in doubt
    assert doubt.endswith("Assessed as given.")
    assert "outside the plausible range 0.1–30 mg/dL" in slip


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_an_egfr_is_checked_over_the_ages_the_bounds_allow(engine: Engine, tmp_path: Path) -> None:
    # CKD-EPI 2021 is an adults' equation (18 and older; Inker et al., NEJM 2021): an age
    # of at most 15 is a child's for certain and not checked; 15–25 is read over its adult
    # ages, 60–69 over its own (creatinine 4 mg/dL gives an eGFR of at most 21 at 18 and
    # 15–16 for a man in his sixties, so 120 does not fit either).
    source = tmp_path / "cohort.csv"
    pl.DataFrame(
        {
            "case_id": ["child", "straddling", "sixties"],
            "patient.sex": ["male", "male", "male"],
            "patient.age_years_at_least": ["", "15", "60"],
            "patient.age_years_at_most": ["15", "25", "69"],
            "labs.creatinine_mg_dl": ["4", "4", "4"],
            "labs.egfr_ml_min": ["120", "120", "120"],
        }
    ).write_csv(source)
    run_batch(source, tmp_path / "out.parquet", engine=engine)
    warned = pl.read_csv(tmp_path / "out.warnings.csv")
    assert warned.select("case_id", "field").rows() == [
        ("straddling", "labs.egfr_ml_min"),
        ("sixties", "labs.egfr_ml_min"),
    ]
    assert "an eGFR of 15–16 mL/min/1.73 m² (60–69 years, male)" in warned["reason"][1]
