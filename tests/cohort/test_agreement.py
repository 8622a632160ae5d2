"""The compiled engine against the per-case interpreter, row by row (the oracle).

For every generated cohort the polars engine (``process_chunk``) and the reference engine
(``reference_chunk``: ``case_from_mapping`` and ``assess`` per row) must give the same
result frame — grade, liver type, portal drainage, every option's status and reasons — and
the same rejects table, message for message. Hypothesis draws the cohorts with fixed seeds
(``derandomize``), from ``tests/cohort/strategies.py``.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from nelm.cohort.pipeline import ChunkResult, process_chunk
from nelm.cohort.reference import reference_chunk
from nelm.cohort.synth import synth_frame

from .strategies import native_frames, text_frames

pytestmark = pytest.mark.slow  # long: `make test-fast` leaves it out, `make test` runs it

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_same(compiled: ChunkResult, reference: ChunkResult) -> None:
    assert compiled.rejects.to_dicts() == reference.rejects.to_dicts()
    assert compiled.rejected_rows == reference.rejected_rows
    # implausible values, assessed as given: the same lines (nelm.cohort.checks)
    assert compiled.warnings is not None and reference.warnings is not None
    assert compiled.warnings.to_dicts() == reference.warnings.to_dicts()
    assert compiled.output.schema == reference.output.schema
    left, right = compiled.output.to_dicts(), reference.output.to_dicts()
    assert len(left) == len(right)
    for got, want in zip(left, right, strict=True):
        assert got == want, {k: (got[k], want[k]) for k in got if got[k] != want[k]}


@pytest.mark.no_cover  # generated inputs over covered lines (Makefile)
@SETTINGS
@given(text_frames())
def test_text_cohorts_agree_with_the_interpreter(frame: pl.DataFrame) -> None:
    assert_same(process_chunk(frame, 1), reference_chunk(frame, 1))


@pytest.mark.no_cover
@SETTINGS
@given(native_frames())
def test_native_cohorts_agree_with_the_interpreter(frame: pl.DataFrame) -> None:
    assert_same(process_chunk(frame, 1), reference_chunk(frame, 1))


@pytest.mark.no_cover
def test_a_synthetic_cohort_agrees_with_the_interpreter() -> None:
    frame = synth_frame(1500, seed=11, missing=0.3)
    compiled, reference = process_chunk(frame, 1), reference_chunk(frame, 1)
    assert compiled.rejects.height == 0
    assert_same(compiled, reference)
    # The cohort exercises every status of most options (a weak test would be all-uncertain).
    statuses = compiled.output.select(pl.col(r"^.*\.status$").n_unique())
    assert sum(statuses.row(0)) >= 50


def test_row_numbers_follow_the_first_row_of_the_chunk() -> None:
    frame = pl.DataFrame({"case_id": ["a", None], "patient.ecog": ["7", "1"]})
    compiled, reference = process_chunk(frame, 501), reference_chunk(frame, 501)
    assert_same(compiled, reference)
    assert compiled.rejects.get_column("row").to_list() == [501, 502]
