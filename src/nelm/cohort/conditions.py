"""The condition language (``nelm.knowledge.conditions``) compiled to polars expressions.

A compiled condition yields a nullable boolean per row: ``true`` met, ``false`` not met,
``null`` unknown. The connectives map onto polars directly because polars combines
nullable booleans by Kleene's strong three-valued logic (S. C. Kleene, *Introduction to
Metamathematics*, 1952, §64), the same logic as ``nelm.engine.logic``.

Leaves: numbers, booleans and choices compare (null when the field is unknown); lists use
``list.contains``; the set-valued derived facts (bit masks of the values still possible)
are met when the mask is a subset of the allowed values, not met when disjoint, unknown
otherwise — exactly ``_leaf_truth`` of the interpreter (``nelm.engine.conditions``).

Used by ``nelm.cohort.compile`` (criteria) and ``nelm.cohort.staging`` (stage rules).
"""

from __future__ import annotations

import polars as pl

from nelm.case.fields import BOUNDS
from nelm.cohort.columns import GRADE_BITS, LIVER_TYPE_BITS
from nelm.cohort.derive import KI67_FROM_GRADE, LINES_FROM_TREATMENTS, MASK
from nelm.cohort.kidney import EGFR_FROM_CREATININE
from nelm.knowledge.conditions import All, AnyOf, Condition, FirstKnown, Leaf, Not

__all__ = ["SET_VALUED", "compile_condition"]

SET_VALUED: dict[str, dict[str, int]] = {
    "derived.grade": GRADE_BITS,
    "derived.liver_type": LIVER_TYPE_BITS,
}


# --------------------------------------------------------------------------- conditions


def _set_leaf(leaf: Leaf, bits: dict[str, int]) -> pl.Expr:
    if leaf.op not in ("eq", "ne", "in", "not_in"):
        raise TypeError(f"operator {leaf.op} cannot apply to a set-valued fact {leaf.field}")
    allowed_values = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
    allowed = sum({bits[str(v)] for v in allowed_values})
    outside = sum(bits.values()) & ~allowed
    mask = pl.col(leaf.field)
    inside = (
        pl.when((mask & pl.lit(outside, MASK)) == 0)
        .then(True)
        .when((mask & pl.lit(allowed, MASK)) == 0)
        .then(False)
        .otherwise(None)
    )
    return inside if leaf.op in ("eq", "in") else inside.not_()


def _decided(met: pl.Expr, not_met: pl.Expr) -> pl.Expr:
    """True where ``met``, false where ``not_met``, null elsewhere (a null test is no)."""
    return pl.when(met).then(True).when(not_met).then(False).otherwise(None)


def _bounded_leaf(leaf: Leaf, lo_path: str, hi_path: str) -> pl.Expr:
    """A leaf over a number that may be known only by bounds: the interval [lo, hi] is the
    exact value when given, else the bounds (null: unbounded)."""
    exact = pl.col(leaf.field)
    lo = pl.coalesce(exact, pl.col(lo_path))
    hi = pl.coalesce(exact, pl.col(hi_path))
    if leaf.field == "pathology.ki67_percent":
        # A reported G1 or G2 bounds the index from above (``ki67_from_grade``).
        hi = pl.coalesce(exact, pl.min_horizontal(pl.col(hi_path), pl.col(KI67_FROM_GRADE)))
    elif leaf.field == "labs.egfr_ml_min":
        # Not given exactly, the creatinine bounds it from below as well (two lower bounds:
        # the higher holds), unless its estimate lies above the upper bound given
        # (``nelm.engine.kidney.egfr_from_creatinine``).
        estimate, given_lo, given_hi = (
            pl.col(EGFR_FROM_CREATININE),
            pl.col(lo_path),
            pl.col(hi_path),
        )
        usable = estimate.is_not_null() & (given_hi.is_null() | (estimate <= given_hi))
        combined = pl.when(usable).then(pl.max_horizontal(given_lo, estimate))
        lo = pl.coalesce(exact, combined.otherwise(given_lo))
    return _interval_leaf(leaf, lo, hi)


def _interval_leaf(leaf: Leaf, lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    """A leaf over a number known to lie in [lo, hi] (null: unbounded), decided only when
    the whole interval lies on one side — ``_interval_truth`` of the interpreter."""
    op, operand = leaf.op, leaf.operand
    if op in ("eq", "ne", "in", "not_in"):
        wanted = operand if isinstance(operand, tuple) else (operand,)
        point = lo == hi
        hits = pl.any_horizontal([lo == w for w in wanted])
        outside = pl.all_horizontal([(lo > w) | (hi < w) for w in wanted])
        inside = _decided(point & hits, outside | (point & hits.not_()))
        return inside if op in ("eq", "in") else inside.not_()
    if isinstance(operand, tuple) or op not in ("lt", "le", "gt", "ge"):
        raise TypeError(f"'{op}' cannot apply to the number {leaf.field}")
    if op == "lt":
        return _decided(hi < operand, lo >= operand)
    if op == "le":
        return _decided(hi <= operand, lo > operand)
    if op == "gt":
        return _decided(lo > operand, hi <= operand)
    return _decided(lo >= operand, hi < operand)


def _leaf(leaf: Leaf) -> pl.Expr:
    bits = SET_VALUED.get(leaf.field)
    if bits is not None:
        return _set_leaf(leaf, bits)
    bounds = BOUNDS.get(leaf.field)
    if bounds is not None:
        return _bounded_leaf(leaf, *bounds)
    if leaf.field == "course.prior_systemic_lines":
        # Not given, the treatments listed as given bound it from below
        # (``lines_from_treatments``).
        exact = pl.col(leaf.field)
        return _interval_leaf(leaf, pl.coalesce(exact, pl.col(LINES_FROM_TREATMENTS)), exact)
    col = pl.col(leaf.field)
    op, operand = leaf.op, leaf.operand
    if op in ("in", "not_in"):
        assert isinstance(operand, tuple)
        inside = col.is_in(list(operand))
        return inside if op == "in" else inside.not_()
    if isinstance(operand, tuple):
        raise TypeError(f"'{op}' takes a single constant ({leaf.field})")
    if op == "contains":
        return col.list.contains(operand)
    compare = {
        "lt": col.__lt__,
        "le": col.__le__,
        "gt": col.__gt__,
        "ge": col.__ge__,
        "eq": col.__eq__,
        "ne": col.__ne__,
    }[op]
    return compare(operand)


def compile_condition(condition: Condition) -> pl.Expr:
    """A condition as a nullable-boolean expression (true met, false not met, null unknown)."""
    if isinstance(condition, Leaf):
        return _leaf(condition)
    if isinstance(condition, All):
        return pl.all_horizontal([compile_condition(p) for p in condition.parts])
    if isinstance(condition, AnyOf):
        return pl.any_horizontal([compile_condition(p) for p in condition.parts])
    if isinstance(condition, FirstKnown):
        return pl.coalesce([compile_condition(p) for p in condition.parts])
    assert isinstance(condition, Not)
    return compile_condition(condition.part).not_()
