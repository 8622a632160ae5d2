"""The bounds of a number known only by them, as columns: the interpreter's ``interval_of``.

A bounded number's lower bound is its inclusive ``…_at_least``, else its strict
``…_more_than`` held as the nearest float above it (and the upper bound likewise): as in
the interpreter (``nelm.knowledge.conditions.Interval``), no float lies between the two,
so every comparison with a threshold reads "> 20" exactly. The facts stage folds them into
the inclusive columns once (``CompiledKnowledge.facts``); every leaf and derivation then
reads those. Polars has no ``nextafter``: ``next_up`` and ``next_down`` get it from float
rounding itself (their docstrings), exactly for every normal float (down to 2^-1022, far
below any number a case holds).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from nelm.case.fields import BOUNDS, STRICT_BOUNDS

__all__ = ["next_down", "next_up", "strict_bounds_folded"]

_SMALLEST = 5e-324  # the least positive float (math.nextafter(0.0, math.inf))
_HALF_STEP = 2.0**-53  # half the step between floats, relative to the number


def next_up(x: pl.Expr) -> pl.Expr:
    """``math.nextafter(x, inf)`` of a non-negative column (bounds are never negative).

    For x in [2^e, 2^(e+1)) the step to the next float is 2^(e − 52), and x · 2^-53 (exact:
    a power of two) lies between half of it and all of it, so x + x · 2^-53 rounds to the
    next float; only at x = 2^e is it exactly half and rounds back to x (ties to even),
    where x + x · 2^-52 is the next float exactly."""
    up = x + x * _HALF_STEP
    up = pl.when(up == x).then(x + x * (2 * _HALF_STEP)).otherwise(up)
    return pl.when(x == 0).then(pl.lit(_SMALLEST)).otherwise(up)


def next_down(x: pl.Expr) -> pl.Expr:
    """``math.nextafter(x, -inf)`` of a non-negative column: x − x · 2^-53 rounds to the float
    below (just below a power of two the floats are twice as dense, and there the
    difference is that float exactly)."""
    return pl.when(x == 0).then(pl.lit(-_SMALLEST)).otherwise(x - x * _HALF_STEP)


def strict_bounds_folded(numbers: Iterable[str] = tuple(STRICT_BOUNDS)) -> list[pl.Expr]:
    """Each number's inclusive bound columns with its strict bound folded in: ``…_at_least``
    is itself when given, else the float next above ``…_more_than`` (the validator allows
    one bound on each side), and ``…_at_most`` likewise. The facts of a row read the bounds
    from these two columns alone, as the interpreter's ``interval_of`` reads all four."""
    folded = []
    for path in numbers:
        (above, below), (at_least, at_most) = STRICT_BOUNDS[path], BOUNDS[path]
        folded += [
            pl.coalesce(pl.col(at_least), next_up(pl.col(above).cast(pl.Float64))).alias(at_least),
            pl.coalesce(pl.col(at_most), next_down(pl.col(below).cast(pl.Float64))).alias(at_most),
        ]
    return folded
