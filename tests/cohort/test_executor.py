"""The Spark engine's parts that run without Spark: how the rows are cut into slices, the
executor's check against the driver, and Spark's errors turned into one line each."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nelm.cohort.executor import (
    Environment,
    SliceTask,
    as_problems,
    environment_problems,
    part_path,
    plan_slices,
)
from nelm.cohort.io import open_input
from nelm.cohort.spark import _explain
from nelm.cohort.synth import synth_frame
from nelm.errors import InputRejected


@given(rows=st.integers(0, 5000), most=st.integers(1, 800), workers=st.integers(1, 9))
def test_slices_cover_every_row_once_in_order(rows: int, most: int, workers: int) -> None:
    slices = plan_slices(rows, most, workers)
    assert sum(s.length for s in slices) == rows
    offset = 0
    for index, piece in enumerate(slices):
        assert (piece.index, piece.offset) == (index, offset)
        assert 1 <= piece.length <= most
        offset += piece.length
    if slices:
        lengths = {s.length for s in slices}
        assert max(lengths) - min(lengths) <= 1  # every executor gets as much work
        assert len(slices) % workers == 0 or len(slices) == rows  # one row each at most


def test_one_slice_per_worker_even_when_the_file_is_one_chunk() -> None:
    """The run the issue reports: 200,000 rows, one chunk's worth, two workers."""
    assert [s.length for s in plan_slices(200_000, 200_000, 2)] == [100_000, 100_000]


def test_an_executor_with_other_knowledge_is_refused() -> None:
    here = Environment.here()
    assert environment_problems(here) == ()
    other = dataclasses.replace(here, knowledge="2025.1+000000000000")
    (problem,) = as_problems(environment_problems(other))
    assert problem.path == "Spark executors"
    assert "2025.1+000000000000" in problem.expected
    assert here.knowledge in problem.got


def test_a_refused_executor_answers_instead_of_raising(tmp_path: Path) -> None:
    """Spark would retry a raised error three times; the problem is answered at once."""
    source = tmp_path / "c.parquet"
    synth_frame(10, seed=3).write_parquet(source)
    other = dataclasses.replace(Environment.here(), python="2.7")
    task = SliceTask.of(open_input(source), tmp_path, other)
    (outcome,) = task(plan_slices(10, 10, 1))
    (problem,) = as_problems(outcome.problems)
    assert "Python 2.7" in problem.expected and "PYSPARK_PYTHON" in problem.expected
    assert [p.name for p in tmp_path.iterdir()] == ["c.parquet"]  # no part written


def test_an_executor_leaves_out_the_columns_the_driver_was_told_to(tmp_path: Path) -> None:
    """``--ignore-columns`` with Spark: each task reads the file itself, so the task carries
    the columns to leave out; read, a registry's struct column would refuse the slice."""
    import polars as pl

    source = tmp_path / "c.parquet"
    cohort = synth_frame(10, seed=3)
    cohort.with_columns(pl.struct(note=pl.lit("x")).alias("note")).write_parquet(source)
    opened = dataclasses.replace(open_input(source), ignored=("note",))
    task = SliceTask.of(opened, tmp_path, Environment.here())
    assert task.ignored == ("note",)
    (outcome,) = task(plan_slices(10, 10, 1))
    assert outcome.problems == () and outcome.rows == 10
    written = pl.read_parquet(part_path(tmp_path, "rows", outcome.index))
    assert written["case_id"].to_list() == cohort["case_id"].to_list()


# Texts as Spark raises them (abridged from real runs: the worker's traceback inside the
# JVM's error, then ~100 lines of JVM stack).
_JVM = "\n".join(f"\tat org.apache.spark.Frame{i}(Frame.scala:{i})" for i in range(100))
_NO_NELM = (
    "An error occurred while calling o71.collectToPython.\n"
    "org.apache.spark.api.python.PythonException: [PYTHON_EXCEPTION] An exception was "
    "thrown from the Python worker: Traceback (most recent call last):\n"
    '  File "pyspark/serializers.py", line 483, in loads\n'
    "ModuleNotFoundError: No module named 'nelm'\n SQLSTATE: 38000\n" + _JVM
)
_VERSIONS = (
    "org.apache.spark.api.python.PythonException: [PYTHON_VERSION_MISMATCH] "
    "Python in worker has different version: 3.12 than that in driver: 3.11, "
    "PySpark cannot run with different minor versions.\n" + _JVM
)
_BUG = (
    "org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n"
    '  File "nelm/cohort/executor.py", line 9, in run\n'
    "ValueError: something nelm did not expect\n" + _JVM
)


@pytest.mark.parametrize(
    ("text", "expected", "got"),
    [
        (_NO_NELM, "a Python that can import nelm", "No module named 'nelm'"),
        (_VERSIONS, "Python 3.11, as on the driver", "Python 3.12"),
        (_BUG, "to evaluate every slice", "ValueError: something nelm did not expect"),
    ],
)
def test_spark_errors_become_one_line(text: str, expected: str, got: str) -> None:
    with pytest.raises(InputRejected) as caught:
        _explain(RuntimeError(text))
    (problem,) = caught.value.problems
    assert problem.path == "Spark executors"
    assert problem.expected.startswith(expected)
    assert problem.got == got
    assert "\n" not in problem.message and len(problem.message) < 400


def test_other_errors_are_left_as_they_are() -> None:
    _explain(RuntimeError("Connection refused: spark://127.0.0.1:7077"))
