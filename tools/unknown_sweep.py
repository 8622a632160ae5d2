"""The whole unknown-stays-unknown sweep (tests/vignettes/unknown_sweep.py says what it
checks): every removal of a field from every vignette and published case, every listed
missing field of an uncertain option (or a seeded sample, ``--reverse N``), and the polars
compiler against the interpreter on every removal.

Run: ``PYTHONPATH=src .venv/bin/python tools/unknown_sweep.py [--reverse N] [--seed S]``;
prints the sweep's size and time, then each violation; exit 1 when there is any.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.vignettes import unknown_sweep as sweep  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--reverse", type=int, default=-1, help="fields sampled (default all)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    cases = sweep.all_cases()
    start = time.perf_counter()
    violations, runs = sweep.sweep_removals(cases)
    took = time.perf_counter() - start
    print(f"{len(cases)} cases, {runs} removals, {took:.1f} s")
    pairs = sweep.reverse_pairs(cases)
    sample = random.Random(args.seed).sample(
        pairs, len(pairs) if args.reverse < 0 else min(args.reverse, len(pairs))
    )
    start = time.perf_counter()
    for pair in sample:
        found = sweep.check_reverse(*pair)
        if found:
            violations.append(found)
    took = time.perf_counter() - start
    print(f"reverse: {len(sample)} of {len(pairs)} listed fields, {took:.1f} s")
    start = time.perf_counter()
    violations += sweep.check_cohort(cases)
    print(f"cohort: {len(sweep.cohort_rows(cases))} rows, {time.perf_counter() - start:.1f} s")
    for v in violations:
        print(v.line())
    print(f"{len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
