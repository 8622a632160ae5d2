"""The Spark engine: Spark schedules slices of the cohort file over the executors.

The driver counts the rows and cuts them into ranges (``executor.plan_slices``): at most
``--chunk-size`` rows each and a multiple of the executor cores in number, so that every
executor works whatever the file's row groups or splits. Each Spark task reads its range
from the shared file with polars, evaluates it with the same validator and compiled
knowledge base as the polars engine, and writes its result rows and rejects as Parquet
parts beside the output (``nelm.cohort.executor``). The driver then joins the parts, in
input order, into the result file and the rejects file, and removes them.

Why not Spark DataFrames: handing the rows to Python through ``mapInArrow`` and writing
the results back through Spark moved every cell from Parquet into the JVM, into Arrow,
into Python and back (59 columns, two of them lists); on a two-worker cluster that round
trip alone took longer than evaluating the rows (docs/spark-cluster.md has the figures).
Here the rows stay in Python, and Spark carries only the slices and a few numbers.

For a cluster (a master URL that is not ``local``) the driver ships its own nelm — code and
knowledge base, zipped — to the executors (``SparkContext.addPyFile``), and each task
checks the executor's Python, dependencies and knowledge version against the driver's. An
executor's failure comes back as one line with the fix, not the JVM's stack.

``pyspark`` is imported only here, and only when this engine is chosen.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from nelm.cohort.checks import WARNINGS_SCHEMA, repeated_ids, warnings_path
from nelm.cohort.executor import (
    EXECUTOR_FIX,
    Environment,
    SliceOutcome,
    SliceTask,
    as_problems,
    part_path,
    plan_slices,
)
from nelm.cohort.io import InputFile, Outputs, file_format, rejects_path
from nelm.cohort.pipeline import compiled_knowledge
from nelm.cohort.validate import REJECTS_SCHEMA
from nelm.errors import InputRejected, Problem

if TYPE_CHECKING:
    from pyspark import SparkContext

    from nelm.cohort.summary import BatchSummary, Progress

__all__ = ["INSTALL_HINT", "check_master", "jvm_failure", "run_spark", "ship_nelm", "spark_context"]

INSTALL_HINT = "install Java (17 or later) and pyspark: pip install 'nelm[spark]'"
_QUIET_LOG = Path(__file__).with_name("spark-log4j2.properties")
_LEAN_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def is_local(master: str | None) -> bool:
    return master is None or master.startswith("local")


def spark_context(master: str | None) -> SparkContext:
    """A Spark context: ``local[*]`` unless a master URL is given; Spark's own log quiet
    (nelm reports what goes wrong itself). No SparkSession: nelm schedules slices through
    the context alone (the rows never enter Spark), and a session's SQL state costs about
    2 s to start."""
    from pyspark import SparkConf, SparkContext

    if is_local(master):  # the executors are this machine's Python: use this interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    check_master(master)
    # The JVMs only schedule slices and carry a few numbers (the rows stay in Python), so
    # they are started for a quick start: the C1 compiler only and one garbage collector
    # thread, and no web UI (nelm batch shows its own progress).
    driver_options = _LEAN_JVM
    if _QUIET_LOG.is_file() and "log4j" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        driver_options += f" -Dlog4j2.configurationFile=file:{_QUIET_LOG}"
    options = {
        "spark.app.name": "nelm batch",
        "spark.master": master or "local[*]",
        "spark.ui.showConsoleProgress": "false",
        "spark.ui.enabled": "false",
        "spark.driver.extraJavaOptions": driver_options,
        "spark.executor.extraJavaOptions": _LEAN_JVM,
    }
    _start_jvm(options)
    conf = SparkConf()
    for key, value in options.items():
        conf.set(key, value)
    context = SparkContext.getOrCreate(conf)
    context.setLogLevel("OFF")
    return context


def check_master(master: str | None) -> None:
    """A standalone master URL (``spark://HOST:PORT``, or several for a master with
    standbys) must name a port, and one of its masters must accept a connection: otherwise
    Spark retries for a minute and then fails with a stopped context."""
    if master is None or not master.startswith("spark://"):
        return
    addresses: list[tuple[str, int]] = []
    for part in master.removeprefix("spark://").split(","):
        host, colon, port = part.rpartition(":")
        if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise InputRejected(
                [
                    Problem(
                        "--spark-master",
                        "a standalone master URL spark://HOST:PORT (as the master's log "
                        "and web UI show it, e.g. spark://127.0.0.1:7077)",
                        master,
                    )
                ]
            )
        addresses.append((host.strip("[]"), int(port)))
    for address in addresses:
        try:
            with socket.create_connection(address, timeout=5):
                return
        except OSError:
            continue
    raise InputRejected(
        [
            Problem(
                "--spark-master",
                "a running Spark master at that address (start it, or check the URL "
                'its log names: "Starting Spark master at spark://…")',
                f"no answer from {master}",
            )
        ]
    )


def _start_jvm(options: Mapping[str, str]) -> None:
    """Start the driver's JVM (Spark's py4j gateway) with its standard error in a file: it
    prints a launcher warning on every start, and a Java stack when it cannot start (an
    unknown master, YARN without its configuration). The stack becomes one line here; the
    JVM's later output is Spark's log, which is off. A JVM already running in this process
    (an earlier context) is used as it is."""
    from pyspark import SparkConf, SparkContext
    from pyspark.errors import PySparkRuntimeError
    from pyspark.java_gateway import launch_gateway

    if SparkContext._gateway is not None or "PYSPARK_GATEWAY_PORT" in os.environ:
        return
    java_home = os.environ.get("JAVA_HOME")
    if java_home and not (Path(java_home) / "bin" / "java").is_file():
        raise InputRejected(
            [Problem("JAVA_HOME", "a Java installation (17 or later) with bin/java", java_home)]
        )
    conf = SparkConf()
    for key, value in options.items():
        conf.set(key, value)
    # The JVM keeps its own handle on the file: ours is closed once it has started.
    with tempfile.TemporaryFile() as stderr:
        try:
            gateway = launch_gateway(conf, popen_kwargs={"stderr": stderr})  # type: ignore[no-untyped-call]
        except PySparkRuntimeError as exc:
            stderr.seek(0)
            output = stderr.read(1_000_000).decode("utf-8", "replace")
            exc.add_note(f"Spark's output:\n{output}")  # shown with --debug
            raise InputRejected(
                [
                    Problem(
                        "--engine spark",
                        "Spark to start (run again with --debug for its output)",
                        jvm_failure(output),
                    )
                ]
            ) from exc
    SparkContext._ensure_initialized(gateway=gateway)


_JVM_EXCEPTION = re.compile(r'^Exception in thread "main" (?:[\w$]+\.)*([\w$]+): (.+)$')


def jvm_failure(output: str) -> str:
    """What Spark's launcher said when its JVM did not start, as one line: the message of
    the exception it died of, else its last line that is not a warning or a stack frame."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if found := _JVM_EXCEPTION.match(line):
            return f"{found.group(1)}: {found.group(2)[:300]}"
    said = [
        line
        for line in lines
        if not line.startswith(("at ", "WARNING:", "...")) and not line.startswith("Caused by")
    ]
    return said[-1][:300] if said else "its JVM exited without a message"


def ship_nelm(context: SparkContext, directory: Path) -> Path:
    """Zip the driver's nelm package (code and knowledge base) and add it to the job:
    every executor's Python then imports this nelm, whatever is installed there."""
    import nelm

    package = Path(nelm.__file__).parent
    archive = directory / f"nelm-{nelm.__version__}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, Path("nelm") / path.relative_to(package))
    context.addPyFile(str(archive))
    return archive


def run_spark(
    source: InputFile, output: Path, *, master: str | None, batch_rows: int, progress: Progress
) -> BatchSummary:
    """Evaluate ``source`` on Spark and write ``output`` and its rejects file."""
    from nelm.cohort.summary import BatchSummary

    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise InputRejected(
            [Problem("--engine spark", INSTALL_HINT, "pyspark is not installed")]
        ) from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise InputRejected([Problem("--engine spark", INSTALL_HINT, "no Java found")])
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.is_dir():
        raise InputRejected([Problem("-o", "a file in an existing directory", str(output))])
    summary = BatchSummary("spark", output, rejects_path(output), warnings_path(output))
    rows = source.count_rows()
    progress.start(rows)
    # absolute: the JVM (addPyFile) and the executors resolve paths from their own directory
    scratch = Path(tempfile.mkdtemp(dir=directory.resolve(), prefix=f".{output.name}.spark."))
    try:
        outcomes = _evaluate(source, scratch, master, batch_rows, rows)
        _merge(source, outcomes, scratch, output, summary, progress)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return summary


def _evaluate(
    source: InputFile, scratch: Path, master: str | None, batch_rows: int, rows: int
) -> list[SliceOutcome]:
    """Run the slices on Spark; the outcomes, in input order."""
    from pyspark import SparkContext

    if rows == 0:
        return []
    # a context already running in this process (a notebook's session has one)
    active = SparkContext._active_spark_context
    path_before = list(sys.path)
    try:
        context = active if active is not None and master is None else spark_context(master)
        own = context is not active  # a context someone else started is theirs to stop
        try:
            if own and not is_local(context.master):
                ship_nelm(context, scratch)
            slices = plan_slices(rows, batch_rows, context.defaultParallelism)
            task = SliceTask.of(source, scratch, Environment.here())
            outcomes: list[SliceOutcome] = (
                context.parallelize(slices, len(slices)).mapPartitions(task).collect()
            )
        finally:
            if own:
                context.stop()
    except Exception as exc:
        _explain(exc)
        raise
    finally:
        sys.path[:] = path_before  # addPyFile put the shipped zip on the driver's path too
    for outcome in outcomes:
        if outcome.problems:
            raise InputRejected(as_problems(outcome.problems))
    return sorted(outcomes, key=lambda o: o.index)


_MISSING_MODULE = re.compile(r"No module named '([\w.]+)'")
_PYTHON_MISMATCH = re.compile(
    r"Python in worker has different version:? \(?([\d.]+)\)?"
    r".*?driver:? \(?([\d.]+)\)?"
)
_PYTHON_ERROR = re.compile(r"^(\w+(?:Error|Exception)): (.+)$")
_NO_PROGRAM = re.compile(r'Cannot run program "([^"]+)"')
_JAVA_ERROR = re.compile(r"^: (?:[\w$]+\.)*([\w$]+): (.+)$", re.MULTILINE)


def _explain(exc: BaseException) -> None:
    """Spark's error from the executors as nelm's: one line with the fix (or return)."""
    text = str(exc)
    if found := _MISSING_MODULE.search(text):
        raise InputRejected(
            [
                Problem(
                    "Spark executors",
                    f"a Python that can import {found.group(1)} ({EXECUTOR_FIX})",
                    f"No module named '{found.group(1)}'",
                )
            ]
        ) from exc
    if found := _PYTHON_MISMATCH.search(text.replace("\n", " ")):
        raise InputRejected(
            [
                Problem(
                    "Spark executors",
                    f"Python {found.group(2)}, as on the driver ({EXECUTOR_FIX})",
                    f"Python {found.group(1)}",
                )
            ]
        ) from exc
    if "PythonException" in type(exc).__name__ + text[:300]:
        lines = [m for line in text.splitlines() if (m := _PYTHON_ERROR.match(line.strip()))]
        if lines:
            kind, message = lines[-1].groups()
            raise InputRejected(
                [
                    Problem(
                        "Spark executors",
                        "to evaluate every slice (run again with --debug for Spark's error)",
                        f"{kind}: {message[:200]}",
                    )
                ]
            ) from exc
    if found := _NO_PROGRAM.search(text):
        raise InputRejected(
            [
                Problem(
                    "Spark executors",
                    f"a Python at the path PYSPARK_PYTHON names ({EXECUTOR_FIX})",
                    f"no program {found.group(1)} there",
                )
            ]
        ) from exc
    if type(exc).__name__ == "Py4JJavaError" and (found := _JAVA_ERROR.search(text)):
        kind, message = found.groups()
        if "stopped SparkContext" in message:
            message += " (Spark gave up on the master: is it a Spark 4 standalone master?)"
        raise InputRejected(
            [
                Problem(
                    "--engine spark",
                    "Spark to run the job (run again with --debug for Spark's error)",
                    f"{kind}: {message[:300]}",
                )
            ]
        ) from exc


def _merge(
    source: InputFile,
    outcomes: list[SliceOutcome],
    scratch: Path,
    output: Path,
    summary: BatchSummary,
    progress: Progress,
) -> None:
    """The parts into the result file, the rejects and the warnings files, in input order,
    the warnings on repeated case ids last (``repeated_ids``).

    Parquet results are streamed by polars' sink (encoding in parallel, as the polars
    engine writes them); CSV results and the rejects go part by part through nelm's sinks.
    """
    schema = compiled_knowledge().schema
    typed = [pl.col(n).cast(t) for n, t in schema.items()]
    parts = [p for o in outcomes if (p := part_path(scratch, "rows", o.index)).is_file()]
    with Outputs() as outputs:
        rejects = outputs.open(summary.rejects, REJECTS_SCHEMA, "csv")
        warnings = outputs.open(warnings_path(output), WARNINGS_SCHEMA, "csv")
        if file_format(output, "-o") == "parquet":
            target = outputs.reserve(output)
            rows = pl.scan_parquet(parts, glob=False) if parts else pl.LazyFrame(schema=schema)
            rows.select(typed).sink_parquet(target, statistics=False)
        else:
            results = outputs.open(output, schema)
            for part in parts:
                results.write(pl.read_parquet(part, glob=False).select(typed))
        for outcome in outcomes:
            for kind, sink in (("rejects", rejects), ("warnings", warnings)):
                lines = part_path(scratch, kind, outcome.index)
                if lines.is_file():
                    found = pl.read_parquet(lines, glob=False).select(
                        pl.col(n).cast(t) for n, t in REJECTS_SCHEMA.items()
                    )
                    sink.write(found)
                    if kind == "warnings":
                        summary.warning_lines += found.height
            summary.rows += outcome.rows
            summary.accepted += outcome.accepted
            summary.rejected_rows += outcome.rejected_rows
            summary.reject_lines += outcome.reject_lines
            summary.empty_rows.extend(outcome.empty_rows)
            for option, counts in outcome.counts.items():
                for status, count in counts.items():
                    summary.counts[option][status] += count
            progress.advance(outcome.rows)
        repeated = repeated_ids(source)
        warnings.write(repeated)
        summary.warning_lines += repeated.height
        outputs.commit()
