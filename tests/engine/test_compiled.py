"""The compiled conditions (``nelm.engine.compiled``) against the interpreter
(``nelm.engine.conditions.evaluate``), the reference: the same result for every condition
of the knowledge base, on the example cases and on facts set leaf by leaf on each side of
its constant, as an interval across it and as a set of possible values. And what an
option's evaluation relies on to show what a criterion looked at without a trace: the
interpreter's trace names the condition's fields in order (``fields_of``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from nelm.case import case_from_mapping
from nelm.engine.assess import facts_of
from nelm.engine.compiled import truth_of
from nelm.engine.conditions import (
    Condition,
    Fact,
    Interval,
    Leaf,
    LeafResult,
    evaluate,
    fields_of,
    leaves_of,
)
from nelm.engine.derive import DerivedFacts, derive
from nelm.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _conditions() -> list[Condition]:
    kb = load_knowledge()
    out: list[Condition] = []
    for option in kb.options.values():
        out += [c.condition for c in option.criteria]
        out += [c.condition for c in option.cautions if c.condition is not None]
    for step in kb.plan:
        out += [c for c in (step.when, step.convert_when, step.after_when) if c is not None]
    return out


def _example_facts() -> Iterator[dict[str, Fact]]:
    kb = load_knowledge()
    for path in EXAMPLES:
        case = case_from_mapping(json.loads(path.read_text()))
        yield dict(facts_of(case, derive(case, kb.derivations)))
    yield {}  # nothing known


def _leaf_values(leaf: Leaf) -> list[Fact]:
    """Values that put the leaf on each side of its constant, or across it."""
    operand = leaf.operand
    if isinstance(operand, bool | str):
        return [operand, "other", True, False, (str(operand),), frozenset({str(operand), "x"})]
    if isinstance(operand, int | float):
        return [
            operand - 1,
            operand,
            operand + 1,
            float(operand),
            Interval(operand - 1, operand + 1),
            Interval(operand + 1, None),
            Interval(None, operand - 1),
        ]
    items = [str(x) for x in operand]
    return [items[0], "other", tuple(items), (), frozenset(items), frozenset({items[0], "x"})]


def _reference(condition: Condition, facts: dict[str, Fact]) -> tuple[object, list[object]]:
    trace: list[LeafResult] = []
    try:
        truth: object = evaluate(condition, facts, trace)
    except TypeError:
        return TypeError, []
    return truth, [(r.leaf.field, r.value) for r in trace]


def _looked(condition: Condition, facts: dict[str, Fact]) -> list[object]:
    """What ``nelm.engine.evaluate`` shows beside a criterion instead of the trace."""
    return [(field, facts.get(field)) for field in fields_of(condition)]


def test_every_condition_gives_the_interpreters_result_on_the_examples() -> None:
    compared = 0
    for facts in _example_facts():
        for condition in _conditions():
            truth, looked = _reference(condition, facts)
            assert truth_of(condition)(facts) is truth
            assert _looked(condition, facts) == looked
            compared += 1
    assert compared > 1000


@pytest.mark.parametrize("facts", list(_example_facts())[:3], ids=["first", "second", "third"])
def test_every_leaf_on_each_side_of_its_constant(facts: dict[str, Fact]) -> None:
    for condition in _conditions():
        for leaf in leaves_of(condition):
            for value in _leaf_values(leaf):
                changed = {**facts, leaf.field: value}
                truth, looked = _reference(condition, changed)
                if truth is TypeError:
                    # a value of the wrong kind for the operator: the interpreter refuses
                    # it, and so does the compiled form when it reaches that leaf
                    continue
                assert truth_of(condition)(changed) is truth, (leaf, value)
                assert _looked(condition, changed) == looked


def test_a_condition_built_anew_is_compiled_anew() -> None:
    first = Leaf("patient.ecog", "le", 2)
    second = Leaf("patient.ecog", "le", 1)
    facts: dict[str, Fact] = {"patient.ecog": 2}
    assert truth_of(first)(facts) is evaluate(first, facts)
    assert truth_of(second)(facts) is evaluate(second, facts)
    assert truth_of(first)(facts) is not truth_of(second)(facts)


def test_the_what_if_derived_facts_carry_every_field() -> None:
    # nelm.engine.investigations builds a what-if DerivedFacts field by field: a field
    # added to DerivedFacts must be added there too, or it would silently take its default
    assert [f.name for f in fields(DerivedFacts)] == [
        "grade",
        "liver_type",
        "portal_drainage",
        "burden_band",
        "burden_band_sources",
        "stages",
        "ki67_from_grade",
        "lines_from_treatments",
        "egfr_from_creatinine",
        "egfr_set_aside",
        "implied",
        "given_by_fields",
        "given_as",
        "set_aside",
    ]
