"""How close ``nelm batch`` comes to the floor of any cohort job: read, compute, write.

The floor is what no engine can go under on this machine: polars reading the same Parquet
cohort, computing 26 simple boolean columns (a comparison or a null test per column, as
many as a run has options and derived flags to write) and writing them as Parquet. Both
run in fresh processes, one after the other in the same run, timed inside the process
around the work only (the interpreter's start excluded, as ``nelm batch`` reports it).

Usage::

    .venv/bin/python tools/bench_batch_floor.py              # 1,000,000 rows
    .venv/bin/python tools/bench_batch_floor.py --rows 200000

Writes the figures into ``docs/benchmarks-cohort.md`` (between the ``floor`` markers).
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
DOC = ROOT / "docs" / "benchmarks-cohort.md"
BEGIN, END = "<!-- floor:begin -->", "<!-- floor:end -->"

_FLOOR = """
import json, sys, time
import polars as pl
started = time.perf_counter()
scan = pl.scan_parquet(sys.argv[1])
flags = []
for name, dtype in scan.collect_schema().items():
    if name == "case_id":  # written as it is, beside the flags
        continue
    column = pl.col(name)
    if dtype.is_numeric():
        flags.append((column > 1).alias(name))
    elif dtype == pl.Boolean:
        flags.append(column.fill_null(False).alias(name))
    elif dtype == pl.String:
        flags.append(column.is_not_null().alias(name))
    if len(flags) == 26:
        break
scan.select(pl.col("case_id"), *flags).sink_parquet(sys.argv[2], statistics=False)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""

_NELM = """
import json, sys
from nelm.cohort.runner import run_batch
summary = run_batch(sys.argv[1], sys.argv[2], count_rows=False)
print(json.dumps({"seconds": summary.seconds, "rows": summary.rows}))
"""


def _run(script: str, *args: str) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, env=env, capture_output=True, text=True
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
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
        floor = _run(_FLOOR, str(source), str(work / "floor.parquet"))
        nelm = _run(_NELM, str(source), str(work / "nelm.parquet"))
    load_after = os.getloadavg()[0]
    figures = {"rows": args.rows, "floor": floor, "nelm": nelm, "ratio": nelm / floor}
    print(json.dumps(figures))
    lines = [
        BEGIN,
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `tools/bench_batch_floor.py` "
        f"({os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{load_before:.1f} before, {load_after:.1f} after — a shared machine, so "
        "noisy), one run each, the same synthetic Parquet cohort:",
        "",
        "| rows | floor: read, 26 boolean columns, write (s) | `nelm batch` (s) | ratio |",
        "|---:|---:|---:|---:|",
        f"| {args.rows:,} | {floor:.2f} | {nelm:.2f} | {nelm / floor:.2f}x |",
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
