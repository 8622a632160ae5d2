"""The unknown fields the uncertain verdicts of a cohort wait on (``nelm batch``'s summary).

Expected values: the knowledge base's criteria (the files and sources named in each test)
and the interpreter's own missing data (``nelm assess``), the oracle the cohort engine is
held to.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import polars as pl
import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.cohort.open_fields import open_field_counts
from nelm.cohort.pipeline import compiled_knowledge
from nelm.cohort.runner import run_batch
from nelm.cohort.synth import synth_block
from nelm.cohort.validate import case_of_row, prepare, validate
from nelm.engine.assess import assess
from nelm.knowledge.loader import load_knowledge

# Criteria that read one field alone (one leaf): for them a criterion that is unknown is
# unknown because of that field, so the count is the interpreter's exactly. The
# transarterial set (shared.yaml, 002 §3.3: bilirubin < 2, LDH < 425, AST < 100,
# platelets > 100,000) and TARE's own (options/liver_directed.yaml, 002 §3.3), PRRT's
# marrow criterion (options/systemic.yaml: platelets ≥ 75,000).
ONE_LEAF = ("labs.platelets_per_ul", "labs.ldh_u_l", "labs.ast_u_l")


def _counts(frame: pl.DataFrame) -> dict[str, int]:
    typed = validate(prepare(frame), 1).typed
    program, kb = compiled_knowledge(), load_knowledge()
    return open_field_counts(program, kb, typed.lazy()).collect().row(0, named=True)


def test_a_case_known_only_by_its_id_waits_on_platelets_for_six_options() -> None:
    # Platelets are read by the transarterial set shared by TAE, TACE and DEB-TACE
    # (shared.yaml "platelets", 002 §3.3), by TARE (options/liver_directed.yaml, 002 §3.3),
    # by PRRT (options/systemic.yaml, platelets ≥ 75,000) and by CAPTEM (temozolomide label
    # 2.1: platelets ≥ 100,000): six options, none of which can be ruled out when nothing
    # is known.
    counts = _counts(pl.DataFrame({"case_id": ["nothing-known"]}))
    assert counts["labs.platelets_per_ul"] == 6
    # A field no criterion reads is not counted at all.
    assert "patient.sex" not in counts


def test_a_known_field_is_never_counted() -> None:
    counts = _counts(pl.DataFrame({"case_id": ["a"], "labs.platelets_per_ul": [50_000]}))
    assert counts["labs.platelets_per_ul"] == 0


def test_counts_agree_with_the_interpreters_missing_data() -> None:
    frame = synth_block(7, 0, 400, missing=0.3)
    counts = _counts(frame)
    prepared, kb = prepare(frame), load_knowledge()
    text_columns = frozenset(n for n, t in prepared.schema.items() if t == pl.String)
    exact: collections.Counter[str] = collections.Counter()
    for row in prepared.iter_rows(named=True):
        for field, options in assess(case_of_row(row, text_columns), kb).missing_data:
            exact[field] += len(options)
    assert exact, "the synthetic cohort leaves something unknown"
    for field, n in exact.items():
        # Per criterion, a field is counted where the interpreter may prune it (a known
        # part of the same criterion made it irrelevant): never fewer.
        assert counts[field] >= n, field
    for field in ONE_LEAF:
        assert counts[field] == exact[field], field


def test_a_reported_grade_against_the_indices_waits_on_the_differentiation_in_both() -> None:
    # A reported "G3" against G2 indices (Ki-67 5 %, 1 mitosis/2 mm²; 000 §1) with the
    # differentiation not given: "well" rules NEC out and "poor" makes it NEC (000 §1), so
    # every option whose grade criterion is open waits on it, in the cohort's count as in
    # the interpreter's missing data; the reported grade, given, is no unknown cell.
    frame = pl.DataFrame(
        {
            "case_id": ["conflict"],
            "primary.site": ["small_intestine"],
            "primary.functional_syndrome": ["none"],
            "pathology.reported_grade": ["G3"],
            "pathology.ki67_percent": [5.0],
            "pathology.mitoses_per_2mm2": [1.0],
            "imaging.sstr_positive": [True],
            "liver.distribution": ["bilobar_diffuse"],
        }
    )
    counts = _counts(frame)
    prepared = prepare(frame)
    text_columns = frozenset(n for n, t in prepared.schema.items() if t == pl.String)
    row = next(prepared.iter_rows(named=True))
    missing = dict(assess(case_of_row(row, text_columns), load_knowledge()).missing_data)
    waiting = missing["pathology.differentiation"]
    assert {"ssa", "platinum_etoposide"} <= set(waiting)
    assert counts["pathology.differentiation"] == len(waiting)
    assert counts.get("pathology.reported_grade", 0) == 0


def test_the_summary_prints_grades_and_the_fields_most_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = tmp_path / "cohort.csv"
    # Ki-67 3 % is G2 (WHO 2019: 3-20 %, 000 §1) once mitoses are known to be below 2;
    # 25 % is G3 (> 20 %); a case with no index has no settled grade.
    cohort.write_text(
        "case_id,pathology.ki67_percent,pathology.mitoses_per_2mm2,pathology.differentiation\n"
        "a,3,1,well\nb,25,,well\nc,,,\n"
    )
    argv = ["nelm", "batch", str(cohort), "-o", str(tmp_path / "r.csv")]
    monkeypatch.setattr(sys, "argv", argv)
    assert run_guarded(app) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "cases by grade: G1 0; G2 1; G3 1; NEC 0; not settled 1 (see grade_possible)" in out
    # the count of the fields waited on is asked for: it about doubles a run's CPU time
    assert "run again with --open-fields to count the unknown fields they wait on" in out
    monkeypatch.setattr(sys, "argv", [*argv, "--open-fields"])
    assert run_guarded(app) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "of 69 verdicts (3 cases × 23 options)" in out
    assert "the unknown fields they wait on" in out
    assert run_batch(cohort, tmp_path / "r1.parquet").open_fields is None
    summary = run_batch(cohort, tmp_path / "r2.parquet", open_fields=True)
    assert summary.grades == {"G2": 1, "G3": 1, "": 1}
    assert summary.open_fields is not None
    # case c, known by nothing, waits on platelets for five options (first test)
    assert summary.open_fields["labs.platelets_per_ul"] >= 5


def test_the_count_asked_of_another_engine_is_refused_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # docs/cli-v1-additions.md: --open-fields is for the polars engine only; asked of the
    # reference engine it is refused (exit 2, naming the option), and nothing is written,
    # rather than a run that ends without the count asked for.
    cohort = tmp_path / "c.csv"
    cohort.write_text("case_id,pathology.ki67_percent\na,3\n")
    out = tmp_path / "r.csv"
    argv = ["nelm", "batch", str(cohort), "-o", str(out), "--engine", "reference"]
    monkeypatch.setattr(sys, "argv", [*argv, "--open-fields"])
    assert run_guarded(app) == 2
    err = capsys.readouterr().err
    assert "--open-fields: only with --engine polars (the default), got reference" in err
    assert not out.exists()
