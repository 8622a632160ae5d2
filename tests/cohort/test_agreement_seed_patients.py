"""The seed patients (``tests/engine/seed_patients.py`` and ``seed_patients_2.py``) and the
published cases (``tests/engine/published_cases.py``) as a cohort: the polars engine gives
every row what the interpreter gives it, and the statuses the seed sentences give."""

from __future__ import annotations

import polars as pl

from nelm.cohort.pipeline import process_chunk
from nelm.cohort.reference import reference_chunk
from tests.cohort.test_agreement import assert_same
from tests.cohort.test_agreement_boundaries import _cells, _text
from tests.engine.published_cases import PUBLISHED_CASES
from tests.engine.seed_patients import SEED_PATIENTS
from tests.engine.seed_patients_2 import SEED_PATIENTS_2

PATIENTS = SEED_PATIENTS + SEED_PATIENTS_2 + PUBLISHED_CASES


def _frame() -> pl.DataFrame:
    rows = [_cells({**p.case, "case_id": p.name}) for p in PATIENTS]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    return pl.DataFrame(
        {c: [_text(r.get(c)) for r in rows] for c in columns},
        schema={c: pl.String for c in columns},
    )


def test_the_seed_patients_as_a_cohort_agree_with_the_interpreter() -> None:
    frame = _frame()
    compiled = process_chunk(frame, 1)
    assert compiled.rejects.height == 0, compiled.rejects.to_dicts()
    assert_same(compiled, reference_chunk(frame, 1))
    rows = {row["case_id"]: row for row in compiled.output.to_dicts()}
    for patient in PATIENTS:
        got = {o: rows[patient.name][f"{o}.status"] for o in patient.statuses}
        assert got == patient.statuses, patient.source
