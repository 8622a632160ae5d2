"""The interpreter of the condition language for one case (three-valued, Kleene).

The language itself (the tree, its YAML form, the parser, intervals) is
``nelm.knowledge.conditions``; its names are re-exported here for the engine's callers. A
partly known categorical fact (a grade of "G3 or NEC") meets a leaf only if every possible
value satisfies it, fails it if none does, and leaves it unknown otherwise; an interval the
same way; ``first_known`` takes its first part that is not unknown. An absent fact is
unknown.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nelm.engine.logic import Truth, all_of, any_of, negate
from nelm.knowledge.conditions import (
    OPERATORS,
    All,
    AnyOf,
    Condition,
    Fact,
    FirstKnown,
    Interval,
    Leaf,
    Not,
    Operator,
    fields_of,
    leaves_of,
    parse_condition,
)

__all__ = [
    "OPERATORS",
    "All",
    "AnyOf",
    "Condition",
    "Fact",
    "FirstKnown",
    "Interval",
    "Leaf",
    "LeafResult",
    "Not",
    "Operator",
    "evaluate",
    "fields_of",
    "leaves_of",
    "open_leaves",
    "overridden",
    "parse_condition",
]


@dataclass(frozen=True, slots=True)
class LeafResult:
    """How one leaf evaluated for one case: the trace behind a criterion's result."""

    leaf: Leaf
    value: Fact | None
    truth: Truth


# --------------------------------------------------------------------------- evaluation

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
# Module constants: the evaluator runs for every leaf of every criterion, many times per
# assessment (the to-do list re-evaluates), so it avoids attribute look-ups on the enum.
_MET, _NOT_MET, _UNKNOWN = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN


def _interval_truth(leaf: Leaf, value: Interval) -> Truth:
    """A leaf over a number known only as [lo, hi] (or [lo, hi) with ``hi_open``): decided
    when the whole interval lies on one side of the threshold (a missing bound is
    unbounded)."""
    op, operand, lo, hi = leaf.op, leaf.operand, value.lo, value.hi
    # With an open upper end the number lies below ``hi``, never at it.
    below_hi = operator.lt if value.hi_open else operator.le
    if op in ("in", "not_in", "eq", "ne"):
        wanted = [
            w
            for w in (operand if isinstance(operand, tuple) else (operand,))
            if isinstance(w, int | float) and not isinstance(w, bool)
        ]
        if len(wanted) != (len(operand) if isinstance(operand, tuple) else 1):
            raise TypeError(f"{leaf.field} is numeric; '{op}' needs numbers")
        if lo is not None and lo == hi and not value.hi_open:
            inside = Truth.of(lo in wanted)
        elif all(
            (lo is not None and w < lo) or (hi is not None and not below_hi(w, hi)) for w in wanted
        ):
            inside = Truth.NOT_MET
        else:
            inside = Truth.UNKNOWN
        return inside if op in ("in", "eq") else negate(inside)
    if op not in _COMPARE:
        raise TypeError(f"operator {op} cannot apply to the number {leaf.field}")
    c = operand
    if op in ("lt", "le"):
        # With an open end at c the number is below c: "< c" met, "≥ c" not met.
        met = hi is not None and (_COMPARE[op](hi, c) or (op == "lt" and value.hi_open and hi == c))
        not_met = lo is not None and not _COMPARE[op](lo, c)
    else:
        met = lo is not None and _COMPARE[op](lo, c)
        not_met = hi is not None and (
            not _COMPARE[op](hi, c) or (op == "ge" and value.hi_open and hi == c)
        )
    return Truth.MET if met else Truth.NOT_MET if not_met else Truth.UNKNOWN


def _leaf_truth(leaf: Leaf, value: Fact | None) -> Truth:
    if value is None:
        return _UNKNOWN
    if isinstance(value, Interval):
        return _interval_truth(leaf, value)
    op, operand = leaf.op, leaf.operand
    if isinstance(value, frozenset):
        # A partly known categorical fact: decide only if every possibility agrees.
        if op in ("eq", "ne", "in", "not_in"):
            allowed = set(operand) if isinstance(operand, tuple) else {operand}
            if value <= allowed:
                inside = _MET
            elif value.isdisjoint(allowed):
                inside = _NOT_MET
            else:
                inside = _UNKNOWN
            return inside if op in ("eq", "in") else negate(inside)
        raise TypeError(f"operator {op} cannot apply to a set-valued fact {leaf.field}")
    compare = _COMPARE.get(op)
    if compare is not None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{leaf.field} is not numeric")
        return _MET if compare(value, operand) else _NOT_MET
    if op == "eq":
        return _MET if value == operand else _NOT_MET
    if op == "ne":
        return _MET if value != operand else _NOT_MET
    if op == "in":
        assert isinstance(operand, tuple)
        return _MET if value in operand else _NOT_MET
    if op == "not_in":
        assert isinstance(operand, tuple)
        return _MET if value not in operand else _NOT_MET
    # contains: a list-valued fact holds the constant
    if not isinstance(value, tuple):
        raise TypeError(f"'contains' needs a list fact, {leaf.field} is not one")
    return _MET if operand in value else _NOT_MET


def overridden(
    condition: Condition, facts: Mapping[str, Fact]
) -> tuple[tuple[str, ...], tuple[str, ...], Truth] | None:
    """Where a ``first_known`` took a part that a later known part contradicts, and that
    choice decided the whole condition: the fields of the part used, of the part set aside,
    and what that part alone would give (the preferred source decides; the override is
    shown). None when every source agrees, or when the condition comes out the same
    whichever part is taken (a ``first_known`` used as a guard inside an ``all``)."""
    contradicted = _contradicted(condition, facts)
    if not contradicted:  # the common case: no first_known, or its sources agree
        return None
    whole = evaluate(condition, facts)
    for node, used, aside in contradicted:
        if evaluate(_replaced(condition, node, aside), facts) is not whole:
            alone = evaluate(aside, facts)
            return (
                tuple(dict.fromkeys(fields_of(used))),
                tuple(dict.fromkeys(fields_of(aside))),
                alone,
            )
    return None


def _contradicted(
    condition: Condition, facts: Mapping[str, Fact]
) -> list[tuple[FirstKnown, Condition, Condition]]:
    """Every ``first_known`` whose first known part a later known part contradicts, with
    those two parts, innermost first."""
    if isinstance(condition, Leaf):
        return []
    if isinstance(condition, Not):
        return _contradicted(condition.part, facts)
    found = [f for part in condition.parts for f in _contradicted(part, facts)]
    if isinstance(condition, FirstKnown):
        truths = [evaluate(p, facts) for p in condition.parts]
        known = [
            (p, t) for p, t in zip(condition.parts, truths, strict=True) if t is not Truth.UNKNOWN
        ]
        for part, truth in known[1:]:
            if truth is not known[0][1]:
                found.append((condition, known[0][0], part))
                break
    return found


def _replaced(condition: Condition, node: Condition, by: Condition) -> Condition:
    """``condition`` with the sub-condition ``node`` (the very object) replaced by ``by``."""
    if condition is node:
        return by
    if isinstance(condition, Leaf):
        return condition
    if isinstance(condition, Not):
        return Not(_replaced(condition.part, node, by))
    return type(condition)(tuple(_replaced(p, node, by) for p in condition.parts))


def evaluate(
    condition: Condition, facts: Mapping[str, Fact], trace: list[LeafResult] | None = None
) -> Truth:
    """Evaluate with Kleene logic; append every leaf's result to ``trace`` when given.

    Every leaf is evaluated (no short-circuit) so that the trace always shows all values
    a criterion looked at.
    """
    # type(...) is, not isinstance: the node classes are final, and this is the hot path.
    if type(condition) is Leaf:
        value = facts.get(condition.field)
        truth = _UNKNOWN if value is None else _leaf_truth(condition, value)
        if trace is not None:
            trace.append(LeafResult(condition, value, truth))
        return truth
    if type(condition) is All:
        return all_of([evaluate(p, facts, trace) for p in condition.parts])
    if type(condition) is AnyOf:
        return any_of([evaluate(p, facts, trace) for p in condition.parts])
    if type(condition) is FirstKnown:
        truths = [evaluate(p, facts, trace) for p in condition.parts]
        return next((t for t in truths if t is not _UNKNOWN), _UNKNOWN)
    assert type(condition) is Not
    return negate(evaluate(condition.part, facts, trace))


# --------------------------------------------------------------------------- what would decide


def open_leaves(condition: Condition, facts: Mapping[str, Fact]) -> list[Leaf]:
    """The unknown leaves whose value could still change ``condition``'s result.

    Not every unknown leaf of an undecided condition could: in "a functional syndrome *and*
    refractory to medical therapy, *or* stable for 6 months", a tumour known to be
    non-functional settles the first branch, so whether its (absent) syndrome is refractory
    decides nothing, and asking for it would send the board after a fact that cannot
    matter. Kleene logic is monotone (a result that is known stays known whatever an
    unknown leaf turns out to be), so a part settled without open leaves of its own closes
    every leaf beside it in an ``all`` (when false) or an ``any`` (when true). A
    ``first_known`` is not monotone (an earlier part, once known, takes over), so the open
    leaves of its parts up to the one it took stay open.
    """
    return _open(condition, facts)[1]


def _open(condition: Condition, facts: Mapping[str, Fact]) -> tuple[Truth, list[Leaf]]:
    if type(condition) is Leaf:
        value = facts.get(condition.field)
        truth = _UNKNOWN if value is None else _leaf_truth(condition, value)
        return truth, ([condition] if truth is _UNKNOWN else [])
    if type(condition) is Not:
        truth, leaves = _open(condition.part, facts)
        return negate(truth), leaves
    assert isinstance(condition, (All, AnyOf, FirstKnown))
    results = [_open(p, facts) for p in condition.parts]
    truths = [t for t, _ in results]
    if type(condition) is FirstKnown:
        taken = next((i for i, t in enumerate(truths) if t is not _UNKNOWN), None)
        used = results if taken is None else results[: taken + 1]
        truth = _UNKNOWN if taken is None else truths[taken]
        return truth, [leaf for _, leaves in used for leaf in leaves]
    is_all = type(condition) is All
    truth = all_of(truths) if is_all else any_of(truths)
    deciding = _NOT_MET if is_all else _MET
    if any(t is deciding and not leaves for t, leaves in results):
        return truth, []
    return truth, [leaf for _, leaves in results for leaf in leaves]
