"""Benchmark ``nelm batch --engine spark`` on a standalone cluster against the polars engine.

A master and two one-core workers on loopback, started from pyspark's own ``spark-class``
(``tools/spark_standalone.py``); the executors run this Python (``PYSPARK_PYTHON``). For
each size, in the same run and on the same synthetic Parquet cohort (``nelm synth``,
seed 1): the polars engine, then the Spark engine, each as a fresh process, timed from
outside (wall clock, interpreter start included). The Spark run also reports where its
time went: starting the Spark context (the driver's JVM, registering with the master), the
job (executors evaluating their slices) and the merge (the parts joined into the result
file). The two result files must be equal row for row.

Usage::

    .venv/bin/python tools/bench_spark_cluster.py                     # 200,000 and 1,000,000
    .venv/bin/python tools/bench_spark_cluster.py --sizes 100000

Writes the figures into ``docs/spark-cluster.md`` (between the ``bench`` markers) and
the plot ``docs/img/spark-cluster.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from spark_standalone import standalone  # noqa: E402 - beside this script

DOC = ROOT / "docs" / "spark-cluster.md"
PLOT = ROOT / "docs" / "img" / "spark-cluster.png"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# The Spark run, as a child process: nelm batch's own code, with its three phases timed.
_SPARK_CHILD = """
import json, sys, time
from pathlib import Path
import nelm.cohort.spark as engine
from nelm.cohort.runner import run_batch
phases = {}
def timed(name, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
    return wrapper
engine.spark_context = timed("context", engine.spark_context)
engine._evaluate = timed("evaluate", engine._evaluate)
engine._merge = timed("merge", engine._merge)
summary = run_batch(sys.argv[1], sys.argv[2], engine="spark", spark_master=sys.argv[3],
                    chunk_size=int(sys.argv[4]), count_rows=False)
phases["job"] = phases.pop("evaluate") - phases["context"]
print(json.dumps({"rows": summary.rows, "seconds": summary.seconds, **phases}))
"""


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYSPARK_PYTHON": sys.executable,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }


def _polars(source: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nelm", "batch", str(source), "-o", str(output)],
        check=True,
        env=_env(),
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _spark(source: Path, output: Path, master: str, chunk: int) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _SPARK_CHILD, str(source), str(output), master, str(chunk)],
        check=True,
        env=_env(),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def _same(a: Path, b: Path) -> bool:
    import polars as pl

    return pl.read_parquet(a).equals(pl.read_parquet(b))


def _plot(results: list[dict[str, float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8.5, 3.6), dpi=120)
    labels, bottoms = [], []
    for i, r in enumerate(results):
        rows = f"{int(r['rows']):,} rows"
        ax.barh(2 * i + 1, r["polars"], color="#4c72b0")
        left = 0.0
        for phase, colour in (
            ("startup", "#bbbbbb"),
            ("context", "#dd8452"),
            ("job", "#55a868"),
            ("merge", "#8172b3"),
        ):
            ax.barh(2 * i, r[phase], left=left, color=colour, label=phase if i == 0 else None)
            left += r[phase]
        labels += [f"spark, {rows}", f"polars, {rows}"]
        bottoms += [2 * i, 2 * i + 1]
    ax.barh([], [], color="#4c72b0", label="polars (whole run)")
    ax.set_yticks(bottoms, labels)
    ax.set_xlabel("seconds (wall clock, one run each)")
    ax.set_title("nelm batch: Spark standalone (2 workers x 1 core) and polars", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT)


def _write_doc(results: list[dict[str, float]], load: tuple[float, float]) -> None:
    lines = [
        BEGIN,
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `tools/bench_spark_cluster.py` on "
        f"this machine ({os.cpu_count()} cores, {platform.python_version()}, pyspark "
        f"{_pyspark_version()}); load average {load[0]:.1f} before and {load[1]:.1f} "
        "after the run: the machine was shared, so the figures are noisy. One run each, "
        "Parquet input, two one-core workers.",
        "",
        "| rows | polars s | spark s | spark / polars | context s | job s | merge s | same rows |",
        "|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['rows']):,} | {r['polars']:.1f} | {r['wall']:.1f} | "
            f"{r['wall'] / r['polars']:.1f}x | {r['context']:.1f} | {r['job']:.1f} | "
            f"{r['merge']:.1f} | {'yes' if r['same'] else 'NO'} |"
        )
    lines += ["", "![Spark against polars](img/spark-cluster.png)", "", END]
    text = DOC.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + "\n".join(lines) + text[stop:], encoding="utf-8")


def _pyspark_version() -> str:
    import pyspark

    return str(pyspark.__version__)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--chunk-size", type=int, default=200_000)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="nelm-bench-spark.") as scratch,
        standalone(workers=2, cores=1, memory="2g") as cluster,
    ):
        work = Path(scratch)
        for rows in args.sizes:
            source = work / f"cohort-{rows}.parquet"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nelm",
                    "synth",
                    "--n",
                    str(rows),
                    "--seed",
                    "1",
                    "-o",
                    str(source),
                ],
                check=True,
                env=_env(),
                stdout=subprocess.DEVNULL,
            )
            polars = _polars(source, work / "polars.parquet")
            spark = _spark(source, work / "spark.parquet", cluster.master_url, args.chunk_size)
            spark.update(
                polars=polars,
                rows=rows,
                same=_same(work / "polars.parquet", work / "spark.parquet"),
                startup=spark["wall"] - spark["seconds"],
            )
            results.append(spark)
            print(json.dumps(spark), flush=True)
    _write_doc(results, (load_before, os.getloadavg()[0]))
    _plot(results)


if __name__ == "__main__":
    main()
