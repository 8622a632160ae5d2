"""Hypothesis strategies for cohort files: rows with gaps, threshold values and bad cells.

A row is drawn as cells by column. Numbers cluster on the thresholds the knowledge base
compares them with (and one step either side), so that every criterion is met, not met
and unknown; a small share of cells is wrong in the ways users get them wrong (out of
range, not a whole number, a typo in a choice, text in a number column, NEC subtype beside
well differentiated histology, sites with ``extrahepatic.present`` false). Frames come in
the two readings of ``nelm.cohort.columns``: text (as CSV holds them) and native (as
Parquet holds them).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import polars as pl
from hypothesis import strategies as st

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, FIELDS, STRICT_BOUNDS, Field, Kind
from nelm.engine.conditions import leaves_of
from nelm.knowledge.loader import load_knowledge
from nelm.knowledge.staging import BEYOND_FIELD, INVASION_FIELDS
from tests.strategies import rule_thresholds

ROWS = st.integers(1, 30)


@cache
def thresholds() -> dict[str, tuple[float, ...]]:
    """Every number a criterion or a derivation compares a field with: the rules' own
    (``tests.strategies.rule_thresholds``), one and two lesions, and the staging T sizes."""
    kb = load_knowledge()
    found = {path: set(xs) for path, xs in rule_thresholds().items()}
    found.setdefault("liver.lesion_count", set()).update({1.0, 2.0})
    staging = kb.derivations.staging
    for system in staging.systems:  # the T sizes of 003 Tables 2 and 3
        for rule in system.t_rules:
            for leaf in leaves_of(rule.when):
                if isinstance(leaf.operand, int | float) and not isinstance(leaf.operand, bool):
                    found.setdefault(leaf.field, set()).add(float(leaf.operand))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _in_range(spec: Field, x: float) -> bool:
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and (x <= lo if spec.exclusive_minimum else x < lo):
        return False
    return hi is None or x <= hi


def _number(spec: Field) -> st.SearchStrategy[float | int]:
    lo = spec.minimum if spec.minimum is not None else 0.0
    hi = spec.maximum if spec.maximum is not None else lo + 100
    # A bound clusters on the thresholds of the number it bounds.
    near = [
        t + d for t in thresholds().get(spec.bound_of or spec.path, ()) for d in (-0.5, 0.0, 0.5)
    ]
    if spec.kind is Kind.INTEGER:
        near = [float(int(x)) for x in near]
        pool = st.sampled_from(
            sorted({int(x) for x in near if _in_range(spec, x)}) or [int(lo)]
        ) | st.integers(int(lo), int(min(hi, lo + 30)))
        return pool
    valid = [x for x in near if _in_range(spec, x)]
    floats = (
        st.floats(lo, hi, allow_nan=False)
        .map(lambda x: round(x, 1))
        .filter(lambda x: _in_range(spec, x))
    )
    return (st.sampled_from(valid) | floats) if valid else floats


def _wrong_number(spec: Field) -> st.SearchStrategy[Any]:
    options: list[Any] = [-1, float("nan"), float("inf")]
    if spec.maximum is not None:
        options.append(spec.maximum + 1)
    if spec.minimum is not None and spec.exclusive_minimum:
        options.append(spec.minimum)
    if spec.kind is Kind.INTEGER:
        options.append(1.5)
    return st.sampled_from(options)


def valid_value(spec: Field) -> st.SearchStrategy[Any]:
    if spec.kind in (Kind.NUMBER, Kind.INTEGER):
        return _number(spec)
    if spec.kind is Kind.BOOLEAN:
        return st.booleans()
    if spec.kind is Kind.CHOICE:
        return st.sampled_from(spec.choices)
    return st.lists(st.sampled_from(spec.choices), min_size=1, max_size=3)


def wrong_value(spec: Field) -> st.SearchStrategy[Any]:
    if spec.kind in (Kind.NUMBER, Kind.INTEGER):
        return _wrong_number(spec)
    if spec.kind is Kind.BOOLEAN:
        return st.sampled_from(["yes", 1])
    if spec.kind is Kind.CHOICE:
        return st.sampled_from(["bogus", spec.choices[0].upper() + "x"])
    return st.sampled_from([["bogus"], [spec.choices[0], "moon"]])


@st.composite
def cohort_rows(
    draw: st.DrawFn, *, wrong: float = 0.03, missing: float = 0.3
) -> list[dict[str, Any]]:
    """Rows of document values by column (``None``: the cell is empty)."""
    rows = []
    for i in range(draw(ROWS)):
        row: dict[str, Any] = {"case_id": f"case-{i}"}
        if draw(st.floats(0, 1)) < wrong / 2:
            row["case_id"] = draw(st.sampled_from([None, "   ", "x" * 129]))
        for spec in FIELDS:
            u = draw(st.floats(0, 1))
            if u < missing:
                row[spec.path] = None
            elif u < missing + wrong:
                row[spec.path] = draw(wrong_value(spec))
            else:
                row[spec.path] = draw(valid_value(spec))
        # Usually keep the rules across fields, sometimes break them.
        keep = draw(st.floats(0, 1)) > wrong * 3
        if keep and row["pathology.differentiation"] == "well":
            row["pathology.nec_subtype"] = None
        if keep and row["extrahepatic.present"] is False:
            row["extrahepatic.sites"] = None
        if keep and any(row[p] is True for p in INVASION_FIELDS):
            row[BEYOND_FIELD] = draw(st.sampled_from([None, True]))
        if keep:
            _keep_report_rules(row, draw)
        rows.append(row)
    return rows


def _number_cell(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _keep_report_rules(row: dict[str, Any], draw: st.DrawFn) -> None:
    """Bounds in order and around the exact value (often the exact value left out, so the
    interval decides), "bilobar" consistent with the distribution, no reason for an
    unremovable primary beside "resectable"."""
    for path, (lo_path, hi_path) in BOUNDS.items():
        lo, hi, exact = row[lo_path], row[hi_path], row[path]
        if not (_number_cell(lo) or lo is None) or not (_number_cell(hi) or hi is None):
            continue
        if lo is not None and hi is not None and lo > hi:
            row[lo_path], row[hi_path] = lo, hi = hi, lo
        if not _number_cell(exact):
            continue
        if (lo is not None or hi is not None) and draw(st.booleans()):
            row[path] = None
        elif (lo is not None and exact < lo) or (hi is not None and exact > hi):
            row[lo_path] = row[hi_path] = None
    for path, strict_paths in STRICT_BOUNDS.items():
        _keep_strict_bounds(row, path, *strict_paths, draw)
    if row["liver.bilobar"] is True and (
        row["liver.distribution"] == "unilobar"
        or 1 in (row["liver.lesion_count"], row["liver.lesion_count_at_most"])
    ):
        row["liver.bilobar"] = None
    if row["liver.bilobar"] is False and row["liver.distribution"] in (
        "bilobar_dominant",
        "bilobar_diffuse",
    ):
        row["liver.bilobar"] = None
    if row["primary.surgical_assessment"] == "resectable":
        row["primary.unresectable_reason"] = None


def _keep_strict_bounds(
    row: dict[str, Any], path: str, above_path: str, below_path: str, draw: st.DrawFn
) -> None:
    """One bound on each side, and a strict bound only where a number lies beyond it: a
    strict bound that would leave the range empty (or the exact value outside) goes."""
    lo_path, hi_path = BOUNDS[path]
    for inclusive, strict in ((lo_path, above_path), (hi_path, below_path)):
        if row[inclusive] is not None and row[strict] is not None:
            row[draw(st.sampled_from([inclusive, strict]))] = None
    spec = FIELD_BY_PATH[path]
    above, below, exact = row[above_path], row[below_path], row[path]
    lowest = row[lo_path] if row[lo_path] is not None else above
    highest = row[hi_path] if row[hi_path] is not None else below
    numbers = [v for v in (above, below, lowest, highest, exact) if v is not None]
    if not all(_number_cell(v) for v in numbers):
        return
    if above is not None and (
        (highest is not None and above >= highest)
        or (exact is not None and exact <= above)
        or (spec.maximum is not None and above >= spec.maximum)
    ):
        row[above_path] = None
    if below is not None and (
        (row[lo_path] is not None and below <= row[lo_path])
        or (row[above_path] is not None and below <= row[above_path])
        or (exact is not None and exact >= below)
        or (spec.minimum is not None and below <= spec.minimum)
    ):
        row[below_path] = None


def _text(spec: Field, value: Any, draw: st.DrawFn) -> str | None:
    """A document value written as a CSV cell, in one of the ways people write it."""
    if value is None:
        return draw(st.sampled_from([None, None, None, "  "]))
    if isinstance(value, bool):
        text = "true" if value else "false"
        return draw(st.sampled_from([text, text.upper(), f" {text}"]))
    if isinstance(value, list):
        return draw(st.sampled_from([";".join(value), " ; ".join(value) + ";"]))
    if isinstance(value, float):
        if math.isnan(value):
            return draw(st.sampled_from(["nan", "NaN"]))
        if math.isinf(value):
            return "inf"
        text = repr(value)
        if value.is_integer() and draw(st.booleans()):
            text = str(int(value))
        return (
            draw(st.sampled_from([text, f" {text} ", text + "x"]))
            if draw(st.integers(0, 20)) == 0
            else text
        )
    if isinstance(value, int):
        return str(value)
    written: str = draw(st.sampled_from([str(value), f" {value}"]))
    return written


@st.composite
def text_frames(draw: st.DrawFn) -> pl.DataFrame:
    """A cohort as a CSV reader gives it: every column text."""
    rows = draw(cohort_rows())
    columns = ["case_id", *(f.path for f in FIELDS)]
    cells = {
        c: [r[c] if c == "case_id" else _text(_spec(c), r[c], draw) for r in rows] for c in columns
    }
    return pl.DataFrame(cells, schema={c: pl.String for c in columns})


@st.composite
def native_frames(draw: st.DrawFn) -> pl.DataFrame:
    """A cohort as Parquet holds it: numbers, booleans, text and lists natively.

    Wrong values that a typed column cannot hold (text in a number column) are dropped.
    """
    rows = draw(cohort_rows())
    series = [pl.Series("case_id", [r["case_id"] for r in rows], dtype=pl.String)]
    for spec in FIELDS:
        values = [r[spec.path] for r in rows]
        if spec.kind in (Kind.NUMBER, Kind.INTEGER):
            values = [
                v if isinstance(v, int | float) and not isinstance(v, bool) else None
                for v in values
            ]
            dtype: pl.DataType = (
                pl.Int64()
                if spec.kind is Kind.INTEGER
                and all(isinstance(v, int) for v in values if v is not None)
                else pl.Float64()
            )
            series.append(pl.Series(spec.path, values, dtype=dtype, strict=False))
        elif spec.kind is Kind.BOOLEAN:
            series.append(
                pl.Series(
                    spec.path,
                    [v if isinstance(v, bool) else None for v in values],
                    dtype=pl.Boolean,
                )
            )
        elif spec.kind is Kind.CHOICE:
            series.append(pl.Series(spec.path, values, dtype=pl.String))
        else:
            series.append(pl.Series(spec.path, values, dtype=pl.List(pl.String)))
    return pl.DataFrame(series)


def _spec(path: str) -> Field:
    return next(f for f in FIELDS if f.path == path)
