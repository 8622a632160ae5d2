"""``nelm batch --engine spark`` on a real standalone cluster: a master and two workers on
loopback, started from pyspark's own ``spark-class`` (``tools/spark_standalone.py``).

The executors are separate Python processes started by the workers, so this checks what
local mode cannot: that the driver ships nelm to them, that each slice is read and written
on the executor side, and that an executor which cannot run nelm is reported as one line.
The cluster's output must equal the polars engine's row for row. Kept small (a few
thousand rows, one cluster for the module): CI runs it on two cores.

Skipped on a machine without Java or pyspark, but a failure on CI (``CI=true``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
import pytest

from nelm.cohort.runner import run_batch
from nelm.cohort.synth import synth_frame
from nelm.errors import InputRejected

pytestmark = pytest.mark.needs_spark

INSTALL_HINT = "install Java and pyspark"
TOOL = Path(__file__).resolve().parents[2] / "tools" / "spark_standalone.py"


def _standalone_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("spark_standalone", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    java = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
    if not java or importlib.util.find_spec("pyspark") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Spark is required on CI: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    with _standalone_tool().standalone(workers=2, cores=1, memory="1g") as running:
        yield running


@pytest.fixture
def driver_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver on loopback; the executors run this test's Python (same machine)."""
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)


def _cohort(path: Path) -> None:
    """Synthetic rows as text with a few bad cells, so that rejects come back too."""
    frame = synth_frame(3000, seed=31, missing=0.2)
    text = frame.with_columns(pl.col(pl.List(pl.String)).list.join(";")).with_columns(
        pl.all().cast(pl.String)
    )
    i = pl.int_range(pl.len())
    text.with_columns(
        pl.when(i % 97 == 5)
        .then(pl.lit("140"))
        .otherwise(pl.col("pathology.ki67_percent"))
        .alias("pathology.ki67_percent"),
        pl.when(i % 89 == 2)
        .then(pl.lit("F"))
        .otherwise(pl.col("patient.sex"))
        .alias("patient.sex"),
    ).write_csv(path)


def test_cluster_output_equals_polars_row_for_row(
    cluster: Any, driver_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "cohort.csv"
    _cohort(source)
    # paths as typed, relative to the driver's directory: the executors run elsewhere
    monkeypatch.chdir(tmp_path)
    summary = run_batch(
        Path("cohort.csv"),
        Path("spark.parquet"),
        engine="spark",
        spark_master=cluster.master_url,
        chunk_size=700,
    )
    run_batch(source, tmp_path / "polars.parquet")
    spark_rows = pl.read_parquet(tmp_path / "spark.parquet")
    polars_rows = pl.read_parquet(tmp_path / "polars.parquet")
    assert spark_rows.height > 2800
    assert spark_rows.equals(polars_rows)
    spark_rejects = pl.read_csv(tmp_path / "spark.rejects.csv", infer_schema=False)
    assert spark_rejects.height >= 30  # 31 + 34 bad cells written above, some in one row
    assert spark_rejects.equals(pl.read_csv(tmp_path / "polars.rejects.csv", infer_schema=False))
    assert summary.rows == 3000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_executor_without_polars_is_one_line_with_the_fix(
    cluster: Any, driver_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The executors' Python is this one without site-packages: no polars there."""
    bare = tmp_path / "bare-python"
    bare.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n', encoding="utf-8")
    bare.chmod(bare.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PYSPARK_PYTHON", str(bare))
    source = tmp_path / "cohort.parquet"
    synth_frame(50, seed=32).write_parquet(source)
    with pytest.raises(InputRejected) as caught:
        run_batch(source, tmp_path / "out.parquet", engine="spark", spark_master=cluster.master_url)
    (problem,) = caught.value.problems
    assert problem.path == "Spark executors"
    assert "import polars" in problem.expected and "PYSPARK_PYTHON" in problem.expected
    assert "\n" not in problem.message
    assert not (tmp_path / "out.parquet").exists()


def test_a_pyspark_python_that_is_not_there_is_one_line(
    cluster: Any, driver_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spark starts the executors' Python from PYSPARK_PYTHON; a path missing on the nodes
    fails every task with "Cannot run program" inside a Java stack."""
    missing = tmp_path / "no-such-python"
    monkeypatch.setenv("PYSPARK_PYTHON", str(missing))
    source = tmp_path / "cohort.parquet"
    synth_frame(50, seed=33).write_parquet(source)
    with pytest.raises(InputRejected) as caught:
        run_batch(source, tmp_path / "out.parquet", engine="spark", spark_master=cluster.master_url)
    (problem,) = caught.value.problems
    assert problem.path == "Spark executors"
    assert "PYSPARK_PYTHON" in problem.expected
    assert problem.got == f"no program {missing} there"
    assert not (tmp_path / "out.parquet").exists()
