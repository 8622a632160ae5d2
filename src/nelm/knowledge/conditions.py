"""The condition language of the knowledge base: its tree, its YAML form and its parser.

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

The language belongs to the knowledge (the YAML is written in it); running it belongs to
the engine (``nelm.engine.conditions``, one case) and the cohort compiler
(``nelm.cohort.conditions``, a whole cohort as polars expressions). Anything added here must
be added to both, and the agreement tests catch a difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "OPERATORS",
    "All",
    "AnyOf",
    "Condition",
    "Fact",
    "FirstKnown",
    "Interval",
    "Leaf",
    "Not",
    "Operator",
    "Scalar",
    "fields_of",
    "leaves_of",
    "parse_condition",
]


@dataclass(frozen=True, slots=True)
class Interval:
    """A number known only to lie in [lo, hi] (both inclusive; None: unbounded), or in
    [lo, hi) when ``hi_open``.

    ``basis`` says where a bound came from when the case does not state it (a reported
    grade bounds the Ki-67 index); None for bounds the case gives. ``hi_open`` is for the
    one strict bound a case implies: a reported G1 means a Ki-67 below 3 %, not at most 3.

    A strict bound the case states ("Ki-67 > 20 %": ``ki67_percent_more_than``) is held as
    the nearest number past it (``math.nextafter``): between 20 and that number there is no
    other float, so every comparison with a threshold decides exactly as "> 20" would.
    ``lo_strict`` / ``hi_strict`` only say to show such an end as "> 20" / "< 3".
    """

    lo: float | int | None
    hi: float | int | None
    basis: str | None = None
    hi_open: bool = False
    lo_strict: bool = False
    hi_strict: bool = False

    def __post_init__(self) -> None:
        if self.lo is None and self.hi is None:
            raise ValueError("an interval needs at least one bound")
        if self.hi_open and self.hi is None:
            raise ValueError("an open upper end needs an upper bound")


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
        raise ValueError(
            f"{where}: a leaf is {{field: PATH, OP: VALUE}} with OP one of "
            f"{', '.join(OPERATORS)}; got {raw!r}"
        )
    op = ops[0]
    operand = raw[op]
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            raise ValueError(f"{where}: '{op}' takes a non-empty list")
        return Leaf(field, op, tuple(operand))
    if isinstance(operand, list | dict) or operand is None:
        raise ValueError(f"{where}: '{op}' takes a single constant, got {operand!r}")
    if op in ("lt", "le", "gt", "ge") and (
        isinstance(operand, bool) or not isinstance(operand, int | float)
    ):
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
