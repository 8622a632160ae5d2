"""Benchmark ``nelm batch``: cases per second and peak memory, polars against reference.

Each run is a separate process, ``/usr/bin/time -v python -m nelm.cli batch ...``, so the
peak resident memory (RSS) of the whole run is measured by the kernel's accounting; the
throughput is the one ``nelm batch`` reports (from ``time.perf_counter``, covering reading,
validation, evaluation and writing, but not the interpreter's start). The inputs are
synthetic cohorts (``nelm synth``, seed 1, 20 % missing) written as Parquet beforehand.

Usage::

    .venv/bin/python tools/bench_cohort.py                 # 10^4 … 10^7 rows, ~8 minutes
    .venv/bin/python tools/bench_cohort.py --sizes 10000 100000 --reference-sizes 1000

Writes ``docs/benchmarks-cohort.md`` and ``docs/img/cohort-scaling.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Run:
    engine: str
    fmt: str
    rows: int
    seconds: float  # as nelm batch reports it
    wall: float  # the whole process
    peak_mb: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def _nelm(*args: str) -> list[str]:
    return [sys.executable, "-c", "from nelm.cli import main; main()", *args]


def synth(path: Path, rows: int) -> None:
    if not path.exists():
        subprocess.run(
            _nelm("synth", "--n", str(rows), "--seed", "1", "-o", str(path)),
            check=True,
            capture_output=True,
        )


_BATCH = """
import json, sys
from nelm.cohort.runner import run_batch
summary = run_batch(sys.argv[1], sys.argv[2], engine=sys.argv[3], count_rows=False)
print(json.dumps({"seconds": summary.seconds, "rows": summary.rows}))
"""


def batch(source: Path, engine: str, rows: int, work: Path, repeat: int) -> Run:
    """The best of ``repeat`` runs (the machine may be shared: the best is the least
    disturbed), with the peak memory of that run.

    The run is ``nelm.cohort.runner.run_batch`` — what ``nelm batch`` calls — in a fresh
    process; its ``seconds`` come from ``time.perf_counter`` around the whole batch.
    """
    best: Run | None = None
    for _ in range(repeat):
        out = work / f"out-{engine}-{rows}.parquet"
        command = [sys.executable, "-c", _BATCH, str(source), str(out), engine]
        if Path(TIME).exists():
            command = [TIME, "-v", *command]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
        measured = json.loads(done.stdout.strip().splitlines()[-1])
        assert measured["rows"] == rows
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        run = Run(
            engine,
            source.suffix[1:],
            rows,
            measured["seconds"],
            wall,
            int(peak.group(1)) / 1024 if peak else float("nan"),
        )
        if best is None or run.seconds < best.seconds:
            best = run
    assert best is not None
    return best


def _spark_available() -> bool:
    import importlib.util
    import shutil

    return importlib.util.find_spec("pyspark") is not None and (
        shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))
    )


def _machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else model
    return (
        f"{os.cpu_count()} logical cores ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def plot(runs: list[Run], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    for engine, marker in (("polars", "o"), ("reference", "s"), ("spark", "^")):
        own = sorted(
            (r for r in runs if r.engine == engine and r.fmt == "parquet"), key=lambda r: r.rows
        )
        if own:
            ax.plot(
                [r.rows for r in own],
                [r.seconds for r in own],
                marker=marker,
                label=f"{engine} engine",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("cases (rows of a Parquet cohort)")
    ax.set_ylabel("seconds (read, validate, evaluate, write)")
    ax.set_title("nelm batch: time against cohort size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def report(runs: list[Run], path: Path, machine: str, load: tuple[str, str]) -> str:
    polars = {r.rows: r for r in runs if r.engine == "polars" and r.fmt == "parquet"}
    reference = {r.rows: r for r in runs if r.engine == "reference"}
    lines = [
        "# Cohort benchmarks",
        "",
        "`nelm batch` on synthetic cohorts (`nelm synth --seed 1`, 20 % of values missing),",
        "Parquet in and Parquet out, measured by `tools/bench_cohort.py`. Throughput is what",
        "`nelm batch` reports (reading, validation, evaluation of all 23 options and writing;",
        "not the interpreter's start); peak memory is the whole process's maximum resident",
        "set size from `/usr/bin/time -v`. Each figure is the best of the runs made.",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, version {_version()}.",
        f"Machine: {machine}. Load average before and after: {load[0]} / {load[1]}",
        "(other work may have shared the machine).",
        "",
        "| engine | input | rows | seconds | cases/s | peak memory |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in sorted(runs, key=lambda r: (r.engine, r.fmt, r.rows)):
        lines.append(
            f"| {r.engine} | {r.fmt} | {r.rows:,} | {r.seconds:.2f} | "
            f"{r.rate:,.0f} | {r.peak_mb:,.0f} MB |"
        )
    lines += ["", "## Against the targets", ""]
    shared = sorted(set(polars) & set(reference))
    if shared:
        n = shared[-1]
        ratio = polars[n].rate / reference[n].rate
        lines.append(
            f"- polars against reference at {n:,} rows (same run): "
            f"**{ratio:,.0f}×** the cases per second (target ≥ 50×: {_met(ratio >= 50)}); "
            "at this size the polars figure is mostly its fixed start (loading and compiling the "
            "knowledge base, opening the files)."
        )
    if polars and reference:
        steady = max(polars.values(), key=lambda r: r.rows)
        per_case = sum(r.rate for r in reference.values()) / len(reference)
        lines.append(
            f"- at scale, polars at {steady.rows:,} rows against the reference "
            f"engine's {per_case:,.0f} cases/s: **{steady.rate / per_case:,.0f}×**."
        )
    if polars:
        top = max(polars.values(), key=lambda r: r.rows)
        best = max(polars.values(), key=lambda r: r.rate)
        lines.append(
            f"- polars throughput: {best.rate:,.0f} cases/s at its best "
            f"({best.rows:,} rows), {top.rate:,.0f} cases/s at {top.rows:,} rows "
            f"(target ≥ 500,000 cases/s at scale: {_met(top.rate >= 500_000)})."
        )
        lines.append(
            f"- peak memory at {top.rows:,} rows: {top.peak_mb:,.0f} MB "
            f"(target under 4 GB: {_met(top.peak_mb < 4096)}); the file streams through "
            "one polars query per million rows, read two Parquet row groups ahead of the work."
        )
    csv = sorted((r for r in runs if r.engine == "polars" and r.fmt == "csv"), key=lambda r: r.rows)
    if csv:
        lines.append(
            f"- CSV input (every cell text, parsed and checked): {csv[-1].rate:,.0f} "
            f"cases/s at {csv[-1].rows:,} rows, peak {csv[-1].peak_mb:,.0f} MB; "
            "Parquet keeps the types and is the format for large cohorts."
        )
    spark = [r for r in runs if r.engine == "spark"]
    if spark:
        lines.append(
            "- spark (local mode on the same 2 cores) is there for clusters: on one "
            "machine its start (a JVM, Python workers) and its extra pass (Spark "
            "writes partial results, the driver merges them) cost more than they "
            "bring."
        )
    lines += [
        "",
        "![time against rows](img/cohort-scaling.png)",
        "",
        "Reproduce with `.venv/bin/python tools/bench_cohort.py` (about eight minutes; "
        "`--help` for the sizes).",
        "",
    ]
    text = "\n".join(lines)
    kept = _floor_section(path)  # written by tools/bench_batch_floor.py: keep it
    path.write_text(text + kept)
    return text


def _met(held: bool) -> str:
    return "met" if held else "**not met**"


def _version() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def _floor_section(path: Path) -> str:
    """What follows the generated part (from its first section after "Against the
    targets": the notes on CSV memory, the floor written by tools/bench_batch_floor.py):
    kept as it is."""
    old = path.read_text() if path.exists() else ""
    targets = old.find("\n## Against the targets")
    start = old.find("\n## ", targets + 1) if targets >= 0 else old.find("\n## Against the floor")
    return old[start:] if start >= 0 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000, 10_000_000]
    )
    parser.add_argument("--reference-sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--csv-sizes", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--spark-sizes",
        type=int,
        nargs="*",
        default=[100_000],
        help="skipped when pyspark or Java is missing",
    )
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="where the cohorts go")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-cohort.md")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "img" / "cohort-scaling.png")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="nelm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    runs: list[Run] = []
    spark_sizes = args.spark_sizes if _spark_available() else []
    plan = (
        [("polars", "parquet", n) for n in args.sizes]
        + [("reference", "parquet", n) for n in args.reference_sizes]
        + [("polars", "csv", n) for n in args.csv_sizes]
        + [("spark", "parquet", n) for n in spark_sizes]
    )
    for engine, fmt, rows in plan:
        source = work / f"cohort-{rows}.{fmt}"
        synth(source, rows)
        repeat = 1 if engine != "polars" or rows >= 10_000_000 else args.repeat
        run = batch(source, engine, rows, work, repeat)
        runs.append(run)
        print(
            f"{engine:9s} {fmt:7s} {rows:>11,} rows  {run.seconds:8.2f} s  "
            f"{run.rate:>11,.0f} cases/s  peak {run.peak_mb:,.0f} MB",
            flush=True,
        )
    load_after = " ".join(f"{x:.1f}" for x in os.getloadavg())
    plot(runs, args.plot)
    print(report(runs, args.out, _machine(), (load_before, load_after)))


if __name__ == "__main__":
    main()
