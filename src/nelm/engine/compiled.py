"""The knowledge base's conditions compiled once into Python closures (the hot path).

One assessment evaluates every criterion and caution of the 23 options, and the to-do list
evaluates criteria again for every value it tries: a few thousand conditions per case.
Walking the tree (``nelm.engine.conditions.evaluate``) asks each node its type on every
visit; a closure built once per condition knows it, and stops at the first part that
decides an ``all`` / ``any`` / ``first_known`` (Kleene logic: a part that is not met
decides an ``all`` whatever the others are). The meaning is the interpreter's, leaf by
leaf: a value of a type the fast path does not expect (an interval, a set of possible
values, a list for ``contains``) goes to the interpreter's own leaf rule (``_leaf_truth``),
and ``tests/engine/test_compiled.py`` compares both on every condition of the knowledge
base.

What a criterion "looked at" (the values shown beside it) needs no trace: the interpreter
evaluates every leaf, so it is the value of each field the condition names
(``nelm.engine.evaluate``).

The closures are kept per condition object (the knowledge base's conditions live as long
as it does); the table holds no case data, only code built from the knowledge, and is
emptied when it grows past a bound (a process that loads many knowledge bases).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from nelm.engine.conditions import (
    All,
    AnyOf,
    Condition,
    Fact,
    FirstKnown,
    Leaf,
    Not,
    _leaf_truth,
)
from nelm.engine.logic import Truth, negate

__all__ = ["Evaluator", "truth_of"]

Evaluator = Callable[[Mapping[str, Fact]], Truth]

_MET, _NOT_MET, _UNKNOWN = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
_NUMBERS = frozenset({int, float})
"""Exact types (not bool) a comparison decides directly; anything else is the interpreter's."""
_PLAIN = frozenset({str, bool, int, float, tuple})
"""Exact types that ``eq`` / ``ne`` / ``in`` / ``not_in`` decide by equality (not an interval,
not a set of possible values)."""
_MEMBERSHIP: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "in": lambda value, operand: value in operand,
    "not_in": lambda value, operand: value not in operand,
}

_MAX_ENTRIES = 50_000
"""Conditions kept compiled; a knowledge base holds about a thousand."""

_PLAIN_CACHE: dict[int, tuple[Condition, Evaluator]] = {}


def truth_of(condition: Condition) -> Evaluator:
    """The compiled result of ``condition`` (the same as ``evaluate(condition, facts)``)."""
    # Keyed by identity, with the condition kept in the entry so that its id cannot be
    # reused by another object while the entry exists.
    entry = _PLAIN_CACHE.get(id(condition))
    if entry is not None and entry[0] is condition:
        return entry[1]
    if len(_PLAIN_CACHE) >= _MAX_ENTRIES:
        _PLAIN_CACHE.clear()
    compiled = _plain(condition)
    _PLAIN_CACHE[id(condition)] = (condition, compiled)
    return compiled


def _leaf(leaf: Leaf) -> Evaluator:
    field, op, operand = leaf.field, leaf.op, leaf.operand
    compare = _COMPARE.get(op)
    if compare is not None:

        def compared(facts: Mapping[str, Fact]) -> Truth:
            value = facts.get(field)
            if value is None:
                return _UNKNOWN
            if type(value) in _NUMBERS:
                return _MET if compare(value, operand) else _NOT_MET
            return _leaf_truth(leaf, value)

        return compared
    if op == "eq":  # the commonest leaf: its test written out, not called

        def equal(facts: Mapping[str, Fact]) -> Truth:
            value = facts.get(field)
            if value is None:
                return _UNKNOWN
            if type(value) in _PLAIN:
                return _MET if value == operand else _NOT_MET
            return _leaf_truth(leaf, value)

        return equal
    test = _MEMBERSHIP.get(op)
    if test is not None:

        def member(facts: Mapping[str, Fact]) -> Truth:
            value = facts.get(field)
            if value is None:
                return _UNKNOWN
            if type(value) in _PLAIN:
                return _MET if test(value, operand) else _NOT_MET
            return _leaf_truth(leaf, value)

        return member

    def other(facts: Mapping[str, Fact]) -> Truth:  # contains
        value = facts.get(field)
        return _UNKNOWN if value is None else _leaf_truth(leaf, value)

    return other


def _plain(condition: Condition) -> Evaluator:
    if type(condition) is Leaf:
        return _leaf(condition)
    if type(condition) is Not:
        inner = _plain(condition.part)
        return lambda facts: negate(inner(facts))
    assert isinstance(condition, All | AnyOf | FirstKnown)
    parts = tuple(_plain(p) for p in condition.parts)
    if type(condition) is All:

        def all_(facts: Mapping[str, Fact]) -> Truth:
            result = _MET
            for part in parts:
                truth = part(facts)
                if truth is _NOT_MET:
                    return _NOT_MET
                if truth is _UNKNOWN:
                    result = _UNKNOWN
            return result

        return all_
    if type(condition) is AnyOf:

        def any_(facts: Mapping[str, Fact]) -> Truth:
            result = _NOT_MET
            for part in parts:
                truth = part(facts)
                if truth is _MET:
                    return _MET
                if truth is _UNKNOWN:
                    result = _UNKNOWN
            return result

        return any_

    def first_known(facts: Mapping[str, Fact]) -> Truth:
        for part in parts:
            truth = part(facts)
            if truth is not _UNKNOWN:
                return truth
        return _UNKNOWN

    return first_known
