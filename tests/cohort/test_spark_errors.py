"""What a cluster user sees when Spark cannot start or cannot reach its master: one line
naming the option and what was expected, never a Java stack.

The master URL checks need no Spark at all. ``jvm_failure`` reads what the JVM prints when
it dies of an exception: the JDK's default handler writes ``Exception in thread "main"``
and the exception's ``toString()`` (``java.lang.ThreadGroup.uncaughtException``), then the
stack frames, each starting with ``at``. The last test starts Spark's launcher for real
(a JVM, a few seconds) and is skipped without Java and pyspark, as the other Spark tests.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nelm.cohort.spark import check_master, jvm_failure
from nelm.errors import InputRejected


def _rejected(master: str) -> str:
    with pytest.raises(InputRejected) as caught:
        check_master(master)
    (problem,) = caught.value.problems
    assert problem.path == "--spark-master"
    return problem.message


@pytest.mark.parametrize("master", ["spark://127.0.0.1", "spark://:7077", "spark://host:port"])
def test_a_standalone_url_without_a_port_is_refused_before_spark_starts(master: str) -> None:
    # Spark's standalone client takes spark://HOST:PORT[,HOST:PORT] only ("Invalid master
    # URL" from the JVM otherwise, after it has started)
    message = _rejected(master)
    assert "spark://HOST:PORT" in message and message.endswith(f"got {master}")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_master_that_does_not_answer_is_one_line_at_once() -> None:
    # without the check Spark retries the master for about a minute and then fails with
    # "Cannot call methods on a stopped SparkContext"
    master = f"spark://127.0.0.1:{_closed_port()}"
    message = _rejected(master)
    assert message.endswith(f"got no answer from {master}")


def test_one_listening_master_of_several_is_enough() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        check_master(f"spark://127.0.0.1:{_closed_port()},127.0.0.1:{port}")


@pytest.mark.parametrize("master", [None, "local[2]", "yarn", "k8s://https://api:6443"])
def test_other_masters_are_left_to_spark(master: str | None) -> None:
    check_master(master)


def test_the_exception_the_launcher_died_of_is_the_line() -> None:
    output = (
        "WARNING: Using incubator modules: jdk.incubator.vector\n"
        'Exception in thread "main" org.apache.spark.SparkException: Master must either be '
        "yarn or start with spark, k8s, or local\n"
        "\tat org.apache.spark.deploy.SparkSubmit.error(SparkSubmit.scala:1068)\n"
    )
    assert jvm_failure(output) == (
        "SparkException: Master must either be yarn or start with spark, k8s, or local"
    )


def test_without_an_exception_the_last_line_that_is_not_a_warning_or_a_frame() -> None:
    output = "spark-class: line 71: /opt/java/bin/java: No such file or directory\n"
    assert jvm_failure(output) == output.strip()
    assert jvm_failure("WARNING: Using incubator modules\n") == "its JVM exited without a message"


def test_a_java_home_without_java_is_named(tmp_path: Path) -> None:
    # in a process of its own: a JVM started by an earlier test in this one would be reused
    if importlib.util.find_spec("pyspark") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Spark is required on CI: install pyspark")
        pytest.skip("install pyspark")
    from nelm.cohort.synth import synth_frame

    source = tmp_path / "cohort.parquet"
    synth_frame(5, seed=3).write_parquet(source)
    empty_java_home = tmp_path / "jdk"
    empty_java_home.mkdir()
    command = ["batch", str(source), "-o", str(tmp_path / "out.parquet"), "--engine", "spark"]
    done = subprocess.run(
        [sys.executable, "-m", "nelm", *command],
        capture_output=True,
        text=True,
        env={**os.environ, "JAVA_HOME": str(empty_java_home)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: JAVA_HOME") and str(empty_java_home) in line
    assert not (tmp_path / "out.parquet").exists()


@pytest.mark.needs_spark
def test_spark_refusing_to_start_is_one_line_not_a_java_stack(tmp_path: Path) -> None:
    java = shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
    if not java or importlib.util.find_spec("pyspark") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Spark is required on CI: install Java and pyspark")
        pytest.skip("install Java and pyspark")
    from nelm.cohort.synth import synth_frame

    source = tmp_path / "cohort.parquet"
    synth_frame(20, seed=3).write_parquet(source)
    env = {k: v for k, v in os.environ.items() if k not in ("HADOOP_CONF_DIR", "YARN_CONF_DIR")}
    output = str(tmp_path / "out.parquet")
    command = ["batch", str(source), "-o", output, "--engine", "spark", "--spark-master", "yarn"]
    done = subprocess.run(
        [sys.executable, "-m", "nelm", *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2
    # Spark's own words: YARN needs its configuration (SparkSubmitArguments)
    assert done.stderr.splitlines() == [
        "error: --engine spark: Spark to start (run again with --debug for its output), got "
        "SparkException: When running with master 'yarn' either HADOOP_CONF_DIR or "
        "YARN_CONF_DIR must be set in the environment."
    ]
    assert not (tmp_path / "out.parquet").exists()
