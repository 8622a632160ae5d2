"""The batch engine's next float above and below a strict bound is Python's
``math.nextafter`` (IEEE 754's nextUp / nextDown), float for float.

A strict bound ("Ki-67 > 20 %") is held as the nearest float past it in both engines
(docs/case-v1-additions.md, "Strict bounds"); polars has no ``nextafter``, so
``nelm.cohort.bounds`` computes it from float rounding. Checked on the cut-offs the rules
use, on powers of two and the floats beside them (where the spacing of floats changes),
and on numbers written with one decimal, as reports write them.
"""

from __future__ import annotations

import math
import random

import polars as pl

from nelm.cohort.bounds import next_down, next_up
from tests.strategies import rule_thresholds


def _numbers() -> list[float]:
    rng = random.Random(7)
    powers = [2.0**k for k in range(-1000, 1000, 7)]
    beside = [math.nextafter(p, s) for p in powers for s in (-math.inf, math.inf)]
    cut_offs = sorted({x for xs in rule_thresholds().values() for x in xs})
    written = [round(rng.uniform(0, 200), 1) for _ in range(20_000)]
    drawn = [rng.uniform(0, 1000) for _ in range(20_000)]
    return [0.0, 1.0, 3.0, 20.0, 55.0, 100.0, *powers, *beside, *cut_offs, *written, *drawn]


def test_next_up_and_down_are_math_nextafter() -> None:
    xs = _numbers()
    got = pl.DataFrame({"x": xs}).select(up=next_up(pl.col("x")), down=next_down(pl.col("x")))
    assert got["up"].to_list() == [math.nextafter(x, math.inf) for x in xs]
    assert got["down"].to_list() == [math.nextafter(x, -math.inf) for x in xs]
