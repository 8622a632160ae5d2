"""How close ``nelm batch`` comes to the floor of any cohort job: read, compute, write.

The floor is what no engine can go under on this machine: polars reading the same Parquet
cohort, computing simple boolean columns (a comparison or a null test per input column)
and writing them as Parquet, reading and writing with the options of ``nelm batch``. Two
floors:

* **fair**: it reads every column of the cohort (each one enters a flag, so polars cannot
  skip any; ``nelm batch`` reads them all) and writes as many Parquet columns as
  ``nelm batch`` writes (``case_id`` and one flag per other leaf column of the result,
  the 23 fields of ``reasons`` included);
* **issue's**: the first measurement's, 26 flags over the first 26 columns only — it reads
  under a third of the columns and writes under half as many, so it is lower than any run
  of ``nelm batch`` can be; kept beside the fair one for comparison.

Each job runs in a fresh process, timed inside the process around the work only (the
interpreter's start excluded, as ``nelm batch`` reports it), the three in turn, ``--repeat``
times; the medians are reported, with the CPU time of the same work (every thread of the
process), which a busy machine distorts less than the wall time.

Usage::

    .venv/bin/python tools/bench_batch_floor.py              # 1,000,000 rows
    .venv/bin/python tools/bench_batch_floor.py --rows 200000 --repeat 5
    .venv/bin/python tools/bench_batch_floor.py --before ../other-checkout/src  # before/after

Writes the figures into ``docs/benchmarks-cohort.md`` (between the ``floor`` markers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks-cohort.md"
BEGIN, END = "<!-- floor:begin -->", "<!-- floor:end -->"

_FLOOR = """
import json, sys, time
import polars as pl
from nelm.cohort.stream import PARQUET_OPTIONS, limit_read_ahead
limit_read_ahead()  # as nelm batch reads
started, cpu = time.perf_counter(), time.process_time()
scan = pl.scan_parquet(sys.argv[1])
written, every = int(sys.argv[3]), sys.argv[4] == "all"
tests = []
for name, dtype in scan.collect_schema().items():
    if name == "case_id":  # written as it is, beside the flags
        continue
    column = pl.col(name)
    if dtype.is_numeric():
        tests.append(column > 1)
    elif dtype == pl.Boolean:
        tests.append(column.fill_null(False))
    else:
        tests.append(column.is_not_null())
if not every:  # the issue's floor: one flag per column, the first ones only
    tests = tests[:written]
flags = [tests[i::written] for i in range(written)]  # every column in some flag
scan.select(
    pl.col("case_id"), *(pl.any_horizontal(f).alias(f"flag_{i}") for i, f in enumerate(flags))
).sink_parquet(sys.argv[2], **PARQUET_OPTIONS)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
"""

_NELM = """
import json, sys, time
from nelm.cohort.runner import run_batch
cpu = time.process_time()
summary = run_batch(sys.argv[1], sys.argv[2], count_rows=False)
cpu = time.process_time() - cpu
print(json.dumps({"seconds": summary.seconds, "cpu": cpu, "rows": summary.rows}))
"""


def _run(script: str, *args: str, src: Path = ROOT / "src") -> tuple[float, float]:
    """The seconds and the CPU seconds (all threads) a job reports for its work, with
    nelm imported from ``src``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, env=env, capture_output=True, text=True
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return float(figures["seconds"]), float(figures["cpu"])


def _revision(src: Path) -> str:
    """The git revision of the checkout holding ``src``, for the table."""
    done = subprocess.run(
        ["git", "-C", str(src), "log", "-1", "--format=%h, %cs"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or str(src)


def _result_columns() -> int:
    """How many Parquet columns ``nelm batch`` writes: its leaf columns."""
    sys.path.insert(0, str(ROOT / "src"))
    from nelm.cohort.pipeline import compiled_knowledge

    schema = compiled_knowledge().schema
    return sum(len(t.fields) if hasattr(t, "fields") else 1 for t in schema.values())


def _busy(load: float) -> str:
    """How the load average reads beside two cores: a figure taken beside other work says so."""
    return " — a shared machine" if load >= 1.5 else ", the machine otherwise idle"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        help="the src directory of another checkout (e.g. the previous release): its "
        "nelm batch runs in turn with the others, for a before/after in the same run",
    )
    args = parser.parse_args()
    flags = _result_columns() - 1  # beside case_id
    jobs: tuple[str, ...] = ("issue", "fair", "nelm", *(("before",) if args.before else ()))
    wall: dict[str, list[float]] = {job: [] for job in jobs}
    cpu: dict[str, list[float]] = {job: [] for job in jobs}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nelm-bench-floor.") as scratch:
        work = Path(scratch)
        source = work / "cohort.parquet"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from nelm.cli import main; main()",
                "synth",
                "--n",
                str(args.rows),
                "--seed",
                "1",
                "-o",
                str(source),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        for _ in range(args.repeat):
            for job in jobs:
                if job == "nelm":
                    seconds, used = _run(_NELM, str(source), str(work / "nelm.parquet"))
                elif job == "before":
                    out = str(work / "before.parquet")
                    seconds, used = _run(_NELM, str(source), out, src=args.before)
                else:
                    width, every = (26, "first") if job == "issue" else (flags, "all")
                    out = str(work / f"{job}.parquet")
                    seconds, used = _run(_FLOOR, str(source), out, str(width), every)
                wall[job].append(seconds)
                cpu[job].append(used)
    load_after = os.getloadavg()[0]
    w = {job: statistics.median(v) for job, v in wall.items()}
    c = {job: statistics.median(v) for job, v in cpu.items()}
    figures = {"rows": args.rows, "wall": w, "cpu": c, "ratio": w["nelm"] / w["fair"]}
    print(json.dumps(figures))
    lines = [
        BEGIN,
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
        f"`tools/bench_batch_floor.py` ({os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load_before:.1f} before, "
        f"{load_after:.1f} after{_busy(max(load_before, load_after))}), the same synthetic "
        "Parquet cohort, "
        f"{args.rows:,} rows; median of {args.repeat} runs of each job, taken in turn. "
        "Seconds are the job's own, the interpreter's start excluded; CPU seconds are those "
        "of the same work, every thread counted (two cores: at most twice the seconds):",
        "",
        "| job | columns read | columns written | seconds | CPU seconds |",
        "|---|---:|---:|---:|---:|",
        f"| floor, fair | all | {flags + 1} | {w['fair']:.2f} | {c['fair']:.2f} |",
        f"| floor, the issue's | 26 | 27 | {w['issue']:.2f} | {c['issue']:.2f} |",
        f"| `nelm batch` | all | {flags + 1} | {w['nelm']:.2f} | {c['nelm']:.2f} |",
        *(
            [
                f"| `nelm batch` before ({_revision(args.before)}) | all | {flags + 1} "
                f"| {w['before']:.2f} | {c['before']:.2f} |"
            ]
            if args.before
            else []
        ),
        "",
        f"`nelm batch` takes **{w['nelm'] / w['fair']:.2f}x** the fair floor "
        f"({c['nelm'] / c['fair']:.2f}x its CPU time) and {w['nelm'] / w['issue']:.2f}x the "
        "issue's.",
        "",
        END,
    ]
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text:
        text += f"\n## Against the floor\n\n{BEGIN}\n{END}\n"
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + "\n".join(lines) + text[stop:], encoding="utf-8")


if __name__ == "__main__":
    main()
