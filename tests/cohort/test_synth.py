"""The synthetic cohort: the same seed gives the same rows; the rows are valid and plausible."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from nelm.case.fields import BOUNDS, FIELDS, STRICT_BOUNDS
from nelm.cohort.pipeline import process_chunk
from nelm.cohort.synth import BLOCK, synth_block, synth_frame, write_synth


def test_the_same_seed_gives_the_same_cohort() -> None:
    assert synth_frame(700, seed=4).equals(synth_frame(700, seed=4))
    assert not synth_frame(700, seed=4).equals(synth_frame(700, seed=5))


def test_blocks_are_independent_of_the_cohort_size() -> None:
    second = synth_block(4, 1, 50)
    assert second.get_column("case_id")[0] == f"synth-4-{BLOCK}"
    assert second.equals(synth_block(4, 1, 50))


def test_the_same_seed_gives_the_same_file(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv", "a.parquet", "b.parquet"):
        write_synth(tmp_path / name, 300, seed=8)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert pl.read_parquet(tmp_path / "a.parquet").equals(pl.read_parquet(tmp_path / "b.parquet"))


def test_every_row_is_valid() -> None:
    frame = synth_frame(5000, seed=3, missing=0.3)
    result = process_chunk(frame, 1)
    assert result.rejects.height == 0 and result.output.height == 5000


def test_the_shares_are_as_documented() -> None:
    frame = synth_frame(40_000, seed=1)
    # The report fields (bounds, a reported grade, judgements) are drawn sparse on purpose.
    sparse = {
        "pathology.reported_grade",
        "liver.bilobar",
        "liver.surgical_assessment",
        "primary.surgical_assessment",
        "liver.burden_symptoms",
    }
    missing = frame.select(
        pl.col(f.path).null_count()
        for f in FIELDS
        if f.path in frame.columns
        and f.bound_of is None
        and f.path not in sparse
        and f.path
        not in (
            "primary.resection_margin",
            "primary.months_since_primary_resection",
            "primary.size_cm",  # never for an unknown primary
            "primary.t_category",
            "primary.syndrome_refractory",
            "pathology.nec_subtype",
            "extrahepatic.sites",
            "extrahepatic.resectable",
            "extrahepatic.stable",
            "course.prior_treatments",
        )
        and not f.path.startswith(("primary.invades_", "primary.extends_beyond_"))
    )
    shares = [v / frame.height for v in missing.row(0)]
    assert all(0.18 < s < 0.22 for s in shares)
    # The local extent of the primary is drawn for pancreatic primaries only.
    extent = frame.filter(pl.col("primary.site") != "pancreas").get_column(
        "primary.extends_beyond_pancreas"
    )
    assert extent.null_count() == extent.len()
    # 004 §1: diffuse (type III) 60–70 %, simple 20–25 %, complex 10–15 % of cases.
    pattern = frame.get_column("liver.distribution").drop_nulls().value_counts(normalize=True)
    share = dict(pattern.iter_rows())
    assert 0.60 < share["bilobar_diffuse"] < 0.70
    assert 0.20 < share["unilobar"] < 0.25
    assert 0.10 < share["bilobar_dominant"] < 0.15


def test_no_missing_values_when_asked() -> None:
    frame = synth_frame(200, seed=1, missing=0.0)
    assert frame.get_column("patient.age_years").null_count() == 0


def test_some_ages_are_given_by_their_decade_alone() -> None:
    # docs/case-v1-additions.md: "in his fifties" is age_years_at_least 50, _at_most 59
    frame = synth_frame(5000, seed=2)
    lo, hi = pl.col("patient.age_years_at_least"), pl.col("patient.age_years_at_most")
    both = frame.filter(lo.is_not_null() & hi.is_not_null())
    assert both.height > 0
    assert (both.get_column("patient.age_years_at_least") % 10 == 0).all()
    assert (both.select(hi - lo).to_series() == 9).all()
    exact = both.filter(pl.col("patient.age_years").is_not_null())
    assert exact.select(pl.col("patient.age_years").is_between(lo, hi).all()).item()
    assert frame.filter(pl.col("patient.age_years").is_null() & lo.is_not_null()).height > 0


def test_strict_bounds_are_drawn_as_reports_write_them() -> None:
    # docs/case-v1-additions.md, "Strict bounds": "Ki-67 > 20 %" is ki67_percent_more_than
    # 20; a bound never excludes the exact value beside it, and one side has one bound only.
    frame = synth_frame(20_000, seed=2)
    for path, (above, below) in STRICT_BOUNDS.items():
        if path == "patient.age_years":
            continue  # its bounds are its decade
        if path.startswith("labs."):
            # not drawn, so that a seed's columns keep their values (synth._DRAWN_BOUNDED)
            assert above not in frame.columns and below not in frame.columns
            continue
        at_least, at_most = BOUNDS[path]
        value, more, less = pl.col(path), pl.col(above), pl.col(below)
        assert frame.get_column(above).drop_nulls().len() > 0, above
        assert frame.get_column(below).drop_nulls().len() > 0, below
        assert frame.filter(more >= value).height == 0, above
        assert frame.filter(less <= value).height == 0, below
        assert frame.filter(more.is_not_null() & pl.col(at_least).is_not_null()).height == 0
        assert frame.filter(less.is_not_null() & pl.col(at_most).is_not_null()).height == 0
    # the WHO cut-offs (000 §1): G3 above 20 %, G1 below 3 %
    ki67 = pl.col("pathology.ki67_percent")
    g3 = frame.filter(pl.col("pathology.ki67_percent_more_than") == 20)
    g1 = frame.filter(pl.col("pathology.ki67_percent_less_than") == 3)
    assert g3.height > 0 and g1.height > 0
    assert g3.filter(ki67 <= 20).height == 0 and g1.filter(ki67 >= 3).height == 0
