"""Speed of one assessment: in-process after loading, and ``nelm assess`` as a whole command.

Targets (docs/benchmarks.md): under 2 ms median in-process, under 0.3 s for the command
(beside ``python -c pass``, measured in the same run). Each is reported in wall-clock
and in CPU time. Uses only the standard library: time.perf_counter, time.thread_time,
resource and subprocess.

    .venv/bin/python tools/bench_assess.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def in_process(runs: int) -> dict[str, float]:
    from nelm.case import case_from_mapping
    from nelm.service import assess_case

    cases = [case_from_mapping(json.loads(p.read_text())) for p in EXAMPLES]
    for case in cases:  # load the knowledge base and the evidence summaries once
        assess_case(case).to_document()
    timings = []
    cpu = []
    for i in range(runs):
        case = cases[i % len(cases)]
        start, start_cpu = time.perf_counter(), time.thread_time()
        assess_case(case).to_document()
        timings.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
    # The CPU time of the thread is what the assessment costs when it need not wait for a
    # core: on a shared machine the wall clock also counts the waits.
    return {
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": sorted(timings)[int(0.95 * len(timings))] * 1000,
        "cpu_median_ms": statistics.median(cpu) * 1000,
        "cpu_p95_ms": sorted(cpu)[int(0.95 * len(cpu))] * 1000,
    }


def whole_command(runs: int) -> dict[str, float]:
    """``nelm assess`` as a user runs it, and ``python -c pass`` (the interpreter's own
    start) alternately in the same run, so that a busy machine slows both alike."""
    example = str(ROOT / "examples" / "resectable-pnet.json")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    # As installed: with bytecode (pip compiles it at install; the first run writes it
    # here), not recompiling every module on every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {
        "nelm": [sys.executable, "-m", "nelm", "assess", example, "--format", "json"],
        "python": [sys.executable, "-c", "pass"],
    }
    timings: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
            timings[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    # The first run of each warms the file cache and writes the bytecode: left out. CPU
    # time (user + system) is what the command costs when it need not wait for a core.
    return {
        "median_s": statistics.median(timings["nelm"][1:]),
        "max_s": max(timings["nelm"][1:]),
        "cpu_median_s": statistics.median(cpu["nelm"][1:]),
        "python_pass_median_s": statistics.median(timings["python"][1:]),
        "python_pass_cpu_median_s": statistics.median(cpu["python"][1:]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--command-runs", type=int, default=15)
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "in_process": in_process(args.runs),
                "whole_command": whole_command(args.command_runs),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
