"""The Spark engine: each partition evaluated by the same compiled polars expressions.

Spark reads the cohort file (CSV as text, Parquet natively) and hands every partition to
:func:`evaluate_partition` through ``DataFrame.mapInArrow``: Arrow batches in, Arrow batches
out, so the rows never become Python objects. The executors run
``nelm.cohort.pipeline.process_chunk`` — the validator and the compiled knowledge base of
the polars engine — which is what makes the three engines agree.

One pass over the data yields three kinds of records: result rows, reject lines and, per
partition, its row count (``_kind`` = ``row``, ``reject``, ``count``). Spark writes them,
partitioned by kind, to a temporary directory beside the output; the driver then merges the
parts into the single result file and rejects file (in input order: a partition is known by
the byte offset of its split), and removes the directory.

``pyspark`` is imported only here, and only when this engine is chosen. Locally the master
is ``local[*]`` (or the session already active in this process); ``--spark-master``
names a cluster (see docs/spark-cluster.md), whose
executors need nelm installed and must see the input and the output directory.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa

from nelm.case.fields import OPTION_IDS
from nelm.cohort.io import InputFile, Outputs, rejects_path
from nelm.cohort.pipeline import compiled_knowledge, process_chunk
from nelm.cohort.validate import REJECTS_SCHEMA
from nelm.errors import InputRejected, Problem

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from nelm.cohort.summary import BatchSummary, Progress

__all__ = ["INSTALL_HINT", "PartitionEvaluator", "evaluate_partition", "record_schema",
           "run_spark", "session"]

INSTALL_HINT = "install Java (17 or later) and pyspark: pip install 'nelm[spark]'"
_BLOCK = "__nelm_block"


def _safe(name: str) -> str:
    """A column name Spark does not read as a nested reference (no dots)."""
    return name.replace(".", "__")
_META = {"_kind": pa.string(), "_part": pa.int64(), "_row": pa.int64()}


def record_schema() -> pa.Schema:
    """The Arrow schema of every record the partitions yield (Spark-compatible types)."""
    fields = [pa.field(n, t) for n, t in _META.items()]
    for name, dtype in compiled_knowledge().schema.items():
        if name == "reasons":
            fields.append(pa.field(name, pa.struct([pa.field(o, pa.string())
                                                    for o in OPTION_IDS])))
        elif dtype == pl.Boolean:
            fields.append(pa.field(_safe(name), pa.bool_()))
        else:
            fields.append(pa.field(_safe(name), pa.string()))
    fields += [pa.field("field", pa.string()), pa.field("reason", pa.string())]
    return pa.schema(fields)


def _records(frame: pl.DataFrame, kind: str, part: int, schema: pa.Schema) -> pa.RecordBatch:
    """A frame as records of ``schema``: the columns it lacks are null."""
    meta = frame.rename(_safe).with_columns(pl.lit(kind).alias("_kind"),
                                            pl.lit(part).alias("_part"))
    if "_row" not in meta.columns:
        meta = meta.with_columns(pl.lit(None, pl.Int64).alias("_row"))
    casts = [
        (pl.col(n).cast(pl.Struct({o: pl.String for o in OPTION_IDS})) if n == "reasons"
         else pl.col(n).cast(pl.String) if meta.schema[n] not in (pl.Boolean, pl.Int64)
         else pl.col(n))
        for n in meta.columns
    ]
    missing = [pl.lit(None).alias(f.name) for f in schema if f.name not in meta.columns]
    table = meta.with_columns(casts).with_columns(missing).select(schema.names).to_arrow()
    batches = table.cast(schema).to_batches()
    return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=schema)


class PartitionEvaluator:
    """The ``mapInArrow`` function: validate and evaluate one partition, batch by batch.

    Spark holds the input columns under positional names (``c0``, ``c1``…: Spark would
    read a dot in a name as a nested field); ``columns`` gives them their names back. Each
    batch carries the byte offset of its split (``__nelm_block``), which names the
    partition in the records; reject lines carry their row within the partition.
    """

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return evaluate_partition(batches, self.columns)


def evaluate_partition(batches: Iterator[pa.RecordBatch], columns: tuple[str, ...]
                       ) -> Iterator[pa.RecordBatch]:
    """Validate and evaluate the batches of one partition (see :class:`PartitionEvaluator`)."""
    schema = record_schema()
    names = {f"c{i}": name for i, name in enumerate(columns)}
    part, rows = -1, 0
    for batch in batches:
        raw = pl.from_arrow(batch)
        assert isinstance(raw, pl.DataFrame)
        if part < 0 and raw.height:
            part = int(raw.get_column(_BLOCK)[0])
        result = process_chunk(raw.drop(_BLOCK).rename(names), rows + 1)
        if result.output.height:
            yield _records(result.output, "row", part, schema)
        if result.rejects.height:
            rejects = result.rejects.rename({"row": "_row"})
            yield _records(rejects, "reject", part, schema)
        rows += raw.height
    yield _records(pl.DataFrame({"_row": [rows]}), "count", part, schema)


def session(master: str | None, batch_rows: int) -> SparkSession:
    """A Spark session: ``local[*]`` unless a master URL is given."""
    from pyspark.sql import SparkSession

    local = master is None or master.startswith("local")
    if local:  # the executors are this machine's Python: use this interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName("nelm batch")
               .master(master or "local[*]")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
               .config("spark.sql.sources.partitionOverwriteMode", "static"))
    if local:
        builder = builder.config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _read(spark: SparkSession, source: InputFile) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: N812 - the conventional name

    path = str(source.path.resolve())
    if source.format == "csv":
        frame = (spark.read.option("header", True).option("inferSchema", False)
                 .option("mode", "FAILFAST").option("escape", '"')
                 .option("encoding", "UTF-8").csv(path))
    else:
        frame = spark.read.parquet(path)
    frame = frame.toDF(*(f"c{i}" for i in range(len(source.columns))))
    return frame.select("*", F.col("_metadata.file_block_start").alias(_BLOCK))


def run_spark(source: InputFile, output: Path, *, master: str | None, batch_rows: int,
              progress: Progress) -> BatchSummary:
    """Evaluate ``source`` on Spark and write ``output`` and its rejects file."""
    from nelm.cohort.summary import BatchSummary

    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise InputRejected([Problem("--engine spark", INSTALL_HINT,
                                     "pyspark is not installed")]) from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise InputRejected([Problem("--engine spark", INSTALL_HINT, "no Java found")])
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.is_dir():
        raise InputRejected([Problem("-o", "a file in an existing directory", str(output))])
    summary = BatchSummary("spark", output, rejects_path(output))
    progress.start(None)
    scratch = Path(tempfile.mkdtemp(dir=directory, prefix=f".{output.name}.spark."))
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql.pandas.types import from_arrow_schema

        active = SparkSession.getActiveSession()
        spark = active if active is not None and master is None else session(master,
                                                                             batch_rows)
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
        try:
            records = _read(spark, source).mapInArrow(PartitionEvaluator(source.columns),
                                                      from_arrow_schema(record_schema()))
            records.write.mode("overwrite").partitionBy("_kind").parquet(
                str(scratch / "records"))
        finally:
            if spark is not active:
                spark.stop()
        _merge(scratch / "records", output, summary, progress)
    except Exception as exc:
        _reraise_rejection(exc)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return summary


def _reraise_rejection(exc: BaseException) -> None:
    """A CSV that Spark cannot parse is the user's input, not a bug: reject it."""
    text = str(exc)
    if "Malformed" in text or "MALFORMED" in text:
        first = next((line for line in text.splitlines() if "alformed" in line), text)
        raise InputRejected([Problem("INPUT", "a readable CSV file with a header row",
                                     first.strip()[:200])]) from None


def _parts(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.parquet")) if directory.is_dir() else []


def _merge(records: Path, output: Path, summary: BatchSummary, progress: Progress) -> None:
    """The record parts into the result file and the rejects file, in input order."""
    counts = pl.DataFrame(schema={"_part": pl.Int64, "_row": pl.Int64})
    count_parts = _parts(records / "_kind=count")
    if count_parts:
        counts = pl.concat([pl.read_parquet(p, columns=["_part", "_row"])
                            for p in count_parts])
    counts = counts.group_by("_part").agg(pl.col("_row").sum()).sort("_part")
    offsets = counts.with_columns(
        (pl.col("_row").cum_sum() - pl.col("_row")).alias("_offset")).select("_part",
                                                                             "_offset")
    summary.rows = int(counts.get_column("_row").sum() or 0)

    row_parts = []
    for part in _parts(records / "_kind=row"):
        first = pl.read_parquet(part, columns=["_part"], n_rows=1)
        row_parts.append((int(first.item()) if first.height else -1, part))
    with Outputs() as outputs:
        results = outputs.open(output, compiled_knowledge().schema)
        rejects_sink = outputs.open(summary.rejects, REJECTS_SCHEMA, "csv")
        for _, part in sorted(row_parts):
            frame = _typed_output(pl.read_parquet(part))
            results.write(frame)
            summary.accepted += frame.height
            summary.add_counts(frame)
            progress.advance(frame.height)
        reject_parts = _parts(records / "_kind=reject")
        if reject_parts:
            lines = (pl.concat([pl.read_parquet(p) for p in reject_parts])
                     .with_row_index("_seq")
                     .join(offsets, on="_part", how="left")
                     .with_columns((pl.col("_row") + pl.col("_offset")).alias("row"))
                     .sort("row", "_seq")
                     .select(pl.col(c).cast(t) for c, t in REJECTS_SCHEMA.items()))
            rejects_sink.write(lines)
            summary.reject_lines = lines.height
            summary.rejected_rows = lines.get_column("row").n_unique()
        outputs.commit()


def _typed_output(frame: pl.DataFrame) -> pl.DataFrame:
    """Result records back in the result schema (Spark wrote text for the enumerations)."""
    schema = compiled_knowledge().schema
    return frame.select(pl.col(_safe(n)).cast(t).alias(n) for n, t in schema.items())
