"""The condition language of the knowledge base, and its interpreter.

A condition is a small typed tree:

* a *leaf* compares one fact with a constant: ``{field: pathology.ki67_percent, lt: 55}``;
  operators ``lt le gt ge eq ne in not_in contains``;
* ``{all: [...]}``, ``{any: [...]}`` and ``{not: ...}`` combine them (Kleene logic);
* ``{first_known: [...]}`` takes the first part that is not unknown (unknown when all are):
  a preference between sources, e.g. the surgeons' stated judgement before the anatomical
  proxies of resectability. It never turns unknown into met: when the preferred source is
  silent, the next one decides or nothing does.

Facts are the case's known values by dotted path plus the derived facts (``derived.*``).
A categorical derived fact may be *partly* known: it is then the frozenset of the values it
can still take (a grade of "G3 or NEC"), and a leaf is met only if every possible value
satisfies it, not met if none does, unknown otherwise. A number a report gives only as a
range or a bound is an :class:`Interval`, read the same way: a comparison is met when the
whole interval satisfies it, not met when no value of it does, unknown when it straddles the
threshold. An absent fact is unknown.

The same tree is compiled to dataframe expressions for cohorts (``nelm.cohort``); anything
added here must be added there, and the agreement tests catch a difference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from nelm.engine.logic import Truth, all_of, any_of, negate

__all__ = [
    "All", "AnyOf", "Condition", "Fact", "FirstKnown", "Interval", "Leaf", "LeafResult", "Not",
    "Operator", "evaluate", "fields_of", "overridden", "parse_condition",
]


@dataclass(frozen=True, slots=True)
class Interval:
    """A number known only to lie in [lo, hi] (both inclusive; None: unbounded)."""

    lo: float | int | None
    hi: float | int | None

    def __post_init__(self) -> None:
        if self.lo is None and self.hi is None:
            raise ValueError("an interval needs at least one bound")


Scalar: TypeAlias = float | int | bool | str
Fact: TypeAlias = Scalar | tuple[str, ...] | frozenset[str] | Interval
Operator = Literal["lt", "le", "gt", "ge", "eq", "ne", "in", "not_in", "contains"]
OPERATORS: tuple[str, ...] = ("lt", "le", "gt", "ge", "eq", "ne", "in", "not_in", "contains")


@dataclass(frozen=True, slots=True)
class Leaf:
    field: str
    op: Operator
    operand: Scalar | tuple[Scalar, ...]


@dataclass(frozen=True, slots=True)
class All:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition


@dataclass(frozen=True, slots=True)
class FirstKnown:
    parts: tuple[Condition, ...]


Condition: TypeAlias = Leaf | All | AnyOf | Not | FirstKnown


@dataclass(frozen=True, slots=True)
class LeafResult:
    """How one leaf evaluated for one case: the trace behind a criterion's result."""

    leaf: Leaf
    value: Fact | None
    truth: Truth


# --------------------------------------------------------------------------- parsing


def parse_condition(raw: Any, where: str) -> Condition:
    """Build a condition from its YAML form; ``where`` names it in error messages."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a condition must be a mapping, got {raw!r}")
    if "all" in raw or "any" in raw or "first_known" in raw:
        key = "all" if "all" in raw else "any" if "any" in raw else "first_known"
        parts = raw[key]
        if len(raw) != 1 or not isinstance(parts, list) or not parts:
            raise ValueError(f"{where}: '{key}' takes a non-empty list and nothing beside it")
        parsed = tuple(parse_condition(p, f"{where}.{key}[{i}]") for i, p in enumerate(parts))
        if key == "first_known":
            return FirstKnown(parsed)
        return All(parsed) if key == "all" else AnyOf(parsed)
    if "not" in raw:
        if len(raw) != 1:
            raise ValueError(f"{where}: 'not' takes one condition and nothing beside it")
        return Not(parse_condition(raw["not"], f"{where}.not"))
    field = raw.get("field")
    ops = [k for k in raw if k != "field"]
    if not isinstance(field, str) or len(ops) != 1 or ops[0] not in OPERATORS:
        raise ValueError(f"{where}: a leaf is {{field: PATH, OP: VALUE}} with OP one of "
                         f"{', '.join(OPERATORS)}; got {raw!r}")
    op = ops[0]
    operand = raw[op]
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            raise ValueError(f"{where}: '{op}' takes a non-empty list")
        return Leaf(field, op, tuple(operand))
    if isinstance(operand, list | dict) or operand is None:
        raise ValueError(f"{where}: '{op}' takes a single constant, got {operand!r}")
    if op in ("lt", "le", "gt", "ge") and (isinstance(operand, bool)
                                           or not isinstance(operand, int | float)):
        raise ValueError(f"{where}: '{op}' compares with a number, got {operand!r}")
    return Leaf(field, op, operand)


def fields_of(condition: Condition) -> Iterator[str]:
    """Every fact name a condition reads, in order of appearance (with repeats)."""
    if isinstance(condition, Leaf):
        yield condition.field
    elif isinstance(condition, All | AnyOf | FirstKnown):
        for part in condition.parts:
            yield from fields_of(part)
    else:
        yield from fields_of(condition.part)


def leaves_of(condition: Condition) -> Iterator[Leaf]:
    if isinstance(condition, Leaf):
        yield condition
    elif isinstance(condition, All | AnyOf | FirstKnown):
        for part in condition.parts:
            yield from leaves_of(part)
    else:
        yield from leaves_of(condition.part)


# --------------------------------------------------------------------------- evaluation

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def _interval_truth(leaf: Leaf, value: Interval) -> Truth:
    """A leaf over a number known only as [lo, hi]: decided when the whole interval lies on
    one side of the threshold (a missing bound is unbounded)."""
    op, operand, lo, hi = leaf.op, leaf.operand, value.lo, value.hi
    if op in ("in", "not_in", "eq", "ne"):
        wanted = [w for w in (operand if isinstance(operand, tuple) else (operand,))
                  if isinstance(w, int | float) and not isinstance(w, bool)]
        if len(wanted) != (len(operand) if isinstance(operand, tuple) else 1):
            raise TypeError(f"{leaf.field} is numeric; '{op}' needs numbers")
        if lo is not None and lo == hi:
            inside = Truth.of(lo in wanted)
        elif all((lo is not None and w < lo) or (hi is not None and w > hi) for w in wanted):
            inside = Truth.NOT_MET
        else:
            inside = Truth.UNKNOWN
        return inside if op in ("in", "eq") else negate(inside)
    if op not in _COMPARE:
        raise TypeError(f"operator {op} cannot apply to the number {leaf.field}")
    c = operand
    if op in ("lt", "le"):
        met = hi is not None and _COMPARE[op](hi, c)
        not_met = lo is not None and not _COMPARE[op](lo, c)
    else:
        met = lo is not None and _COMPARE[op](lo, c)
        not_met = hi is not None and not _COMPARE[op](hi, c)
    return Truth.MET if met else Truth.NOT_MET if not_met else Truth.UNKNOWN


def _leaf_truth(leaf: Leaf, value: Fact | None) -> Truth:
    if value is None:
        return Truth.UNKNOWN
    if isinstance(value, Interval):
        return _interval_truth(leaf, value)
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


def overridden(condition: Condition, facts: Mapping[str, Fact]
               ) -> tuple[str, str, Truth] | None:
    """Where a ``first_known`` took a part that a later known part contradicts: the fields of
    the part used, of the part set aside, and what that part alone would give (the preferred
    source decides; the override is shown). None when every source agrees."""
    if isinstance(condition, Leaf):
        return None
    if isinstance(condition, Not):
        return overridden(condition.part, facts)
    for part in condition.parts:
        found = overridden(part, facts)
        if found is not None:
            return found
    if isinstance(condition, FirstKnown):
        truths = [evaluate(p, facts) for p in condition.parts]
        known = [(p, t) for p, t in zip(condition.parts, truths, strict=True)
                 if t is not Truth.UNKNOWN]
        for part, truth in known[1:]:
            if truth is not known[0][1]:
                used = ", ".join(dict.fromkeys(fields_of(known[0][0])))
                aside = ", ".join(dict.fromkeys(fields_of(part)))
                return used, aside, truth
    return None


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
    if isinstance(condition, FirstKnown):
        truths = [evaluate(p, facts, trace) for p in condition.parts]
        return next((t for t in truths if t is not Truth.UNKNOWN), Truth.UNKNOWN)
    return negate(evaluate(condition.part, facts, trace))
