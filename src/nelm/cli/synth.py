"""``nelm synth``: write a synthetic cohort (CSV or Parquet) for tests, demos and benchmarks."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from nelm.errors import InputRejected, Problem


def synth_command(
    n: Annotated[int, typer.Option("--n", help="Number of cases.")],
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="Cohort file to write: .parquet or .csv.", show_default=False
        ),
    ],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same rows.")] = 1,
    missing: Annotated[
        float, typer.Option(help="Share of values left unknown, field by field (0–1).")
    ] = 0.2,
) -> None:
    """Write N synthetic cases with plausible distributions (see nelm.cohort.synth)."""
    if n < 0:
        raise InputRejected([Problem("--n", "a whole number ≥ 0", str(n))])
    if not 0.0 <= missing <= 1.0:
        raise InputRejected([Problem("--missing", "a share between 0 and 1", str(missing))])
    if seed < 0:
        raise InputRejected([Problem("--seed", "a whole number ≥ 0", str(seed))])
    from nelm.cohort.synth import write_synth

    started = time.perf_counter()
    write_synth(output, n, seed, missing)
    print(
        f"{n:,} synthetic cases (seed {seed}, {missing:.0%} missing) written to {output} "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def register(app: typer.Typer) -> None:
    app.command("synth")(synth_command)
