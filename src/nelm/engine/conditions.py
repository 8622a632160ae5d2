"""The interpreter of the condition language for one case (three-valued, Kleene).

The language itself (the tree, its YAML form, the parser) is ``nelm.knowledge.conditions``;
its names are re-exported here for the engine's callers. A partly known categorical fact (a
grade of "G3 or NEC") meets a leaf only if every possible value satisfies it, fails it if
none does, and leaves it unknown otherwise. An absent fact is unknown.
"""

from __future__ import annotations

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
    Leaf,
    Not,
    Operator,
    fields_of,
    leaves_of,
    parse_condition,
)

__all__ = [
    "OPERATORS", "All", "AnyOf", "Condition", "Fact", "Leaf", "LeafResult", "Not", "Operator",
    "evaluate", "fields_of", "leaves_of", "parse_condition",
]


@dataclass(frozen=True, slots=True)
class LeafResult:
    """How one leaf evaluated for one case: the trace behind a criterion's result."""

    leaf: Leaf
    value: Fact | None
    truth: Truth


# --------------------------------------------------------------------------- evaluation

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def _leaf_truth(leaf: Leaf, value: Fact | None) -> Truth:
    if value is None:
        return Truth.UNKNOWN
    op, operand = leaf.op, leaf.operand
    if isinstance(value, frozenset):
        # A partly known categorical fact: decide only if every possibility agrees.
        if op in ("eq", "ne", "in", "not_in"):
            allowed = set(operand) if isinstance(operand, tuple) else {operand}
            if value <= allowed:
                inside = Truth.MET
            elif value.isdisjoint(allowed):
                inside = Truth.NOT_MET
            else:
                inside = Truth.UNKNOWN
            return inside if op in ("eq", "in") else negate(inside)
        raise TypeError(f"operator {op} cannot apply to a set-valued fact {leaf.field}")
    if op in _COMPARE:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{leaf.field} is not numeric")
        return Truth.of(_COMPARE[op](value, operand))
    if op == "eq":
        return Truth.of(value == operand)
    if op == "ne":
        return Truth.of(value != operand)
    if op == "in":
        assert isinstance(operand, tuple)
        return Truth.of(value in operand)
    if op == "not_in":
        assert isinstance(operand, tuple)
        return Truth.of(value not in operand)
    # contains: a list-valued fact holds the constant
    if not isinstance(value, tuple):
        raise TypeError(f"'contains' needs a list fact, {leaf.field} is not one")
    return Truth.of(operand in value)


def evaluate(condition: Condition, facts: Mapping[str, Fact],
             trace: list[LeafResult] | None = None) -> Truth:
    """Evaluate with Kleene logic; append every leaf's result to ``trace`` when given.

    Every leaf is evaluated (no short-circuit) so that the trace always shows all values
    a criterion looked at.
    """
    if isinstance(condition, Leaf):
        value = facts.get(condition.field)
        truth = _leaf_truth(condition, value)
        if trace is not None:
            trace.append(LeafResult(condition, value, truth))
        return truth
    if isinstance(condition, All):
        return all_of([evaluate(p, facts, trace) for p in condition.parts])
    if isinstance(condition, AnyOf):
        return any_of([evaluate(p, facts, trace) for p in condition.parts])
    return negate(evaluate(condition.part, facts, trace))
