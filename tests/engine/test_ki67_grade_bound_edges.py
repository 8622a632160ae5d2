"""The edges of the Ki-67 bound a reported grade implies, in both engines.

WHO 2019 as 000 §1 gives it: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index
< 3. Grade 2 (G2) tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20.
Grade 3 (G3) tumors have a mitotic index or Ki67 index > 20. The higher index is used to
classify grade"; 003 Table 1: "Ki-67 index <3% 3-20% > 20%".

So a G1 has Ki-67 < 3 % (strict), a G2 at most 20 % (inclusive), and a G3 no Ki-67 bound at
all (it may be G3 by its mitotic count alone). A number known by bounds is an interval with
inclusive ends (``nelm.knowledge.conditions.Interval``; in the batch engine the columns
``…_at_most`` and ``derived.ki67_from_grade``), except G1's, whose upper end is open: a
comparison exactly at 3 ("lt 3", "ge 3", "eq 3") is decided as WHO decides it, in both
engines. 002 §3.5's radioembolisation/TACE predictor compares Ki-67 at 3, so a reported G1
without its index gets its "< 3 %" side.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest

from nelm.case.document import case_from_mapping
from nelm.cohort.conditions import compile_condition
from nelm.cohort.pipeline import compiled_knowledge
from nelm.cohort.validate import prepare, validate
from nelm.engine.assess import assess, facts_of
from nelm.engine.conditions import Leaf, evaluate
from nelm.engine.derive import derive
from nelm.engine.logic import Truth
from nelm.knowledge import load_knowledge

KI67 = "pathology.ki67_percent"
G1_BELOW = 3  # "G1 ... a Ki67 index < 3" (000 §1); "<3%" (003 Table 1)
G2_MAX = 20  # "G2 ... from 3 to 20", "G3 ... > 20" (000 §1); "3-20%", "> 20%" (003 Table 1)


def _leaves(node: Any, seen: set[int]) -> Iterator[Leaf]:
    """Every condition leaf anywhere in the knowledge base (criteria, cautions, plan steps,
    investigations, staging), found by walking its objects rather than a list of places, so
    a rule in a new place is not missed."""
    if id(node) in seen or isinstance(node, str | int | float | bool | bytes | type(None)):
        return
    seen.add(id(node))
    if isinstance(node, Leaf):
        yield node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from _leaves(getattr(node, f.name), seen)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value, seen)
    elif isinstance(node, list | tuple | set | frozenset):
        for item in node:
            yield from _leaves(item, seen)


def _ki67_leaves() -> list[Leaf]:
    return [leaf for leaf in _leaves(load_knowledge(), set()) if leaf.field == KI67]


def test_a_reported_g1_gets_the_under_3_side_of_the_radioembolisation_predictor() -> None:
    """002 §3.5: "The Ki-67 score ≥ 3% predicted greater response after radioembolization,
    while the Ki-67 score < 3% predicted greater benefit with TACE"; a G1 has "a Ki67 index
    < 3" (000 §1), so only the "< 3 %" side applies."""
    kb = load_knowledge()
    doc = assess(case_from_mapping(_case("G1")), kb).to_document()
    texts = " ".join(doc["options"]["tare"]["cautions"])
    assert "Ki-67 < 3 %: a Ki-67 below 3 % predicted a greater benefit from TACE" in texts
    assert "Ki-67 ≥ 3 %:" not in texts
    assert "not known to be below 3 %" not in texts


def test_the_walk_finds_the_ki67_thresholds_the_rules_cite() -> None:
    # Without this the test above could pass on an empty walk. ENETS transplant
    # "Ki67 proliferation index ≤ 10%" (001 Table 2); PRRT "G3 tumors (Ki67 < 55%)" (000 §4).
    operands = {leaf.operand for leaf in _ki67_leaves()}
    assert {10, 55} <= operands


def _case(grade: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "case_id": "k",
        "patient": {"age_years": 50, "sex": "female"},
        "primary": {"site": "small_intestine"},
        "pathology": {"reported_grade": grade, "differentiation": "well"},
    }


def _interpreter(grade: str, leaf: Leaf) -> str:
    kb = load_knowledge()
    case = case_from_mapping(_case(grade))
    return evaluate(leaf, facts_of(case, derive(case, kb.derivations))).value


def _batch(grade: str, leaf: Leaf) -> str:
    row = {
        "case_id": "k",
        "patient.age_years": "50",
        "patient.sex": "female",
        "primary.site": "small_intestine",
        "pathology.reported_grade": grade,
        "pathology.differentiation": "well",
    }
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String))
    typed = validate(prepare(frame), 1).typed
    facts = compiled_knowledge().facts(typed.lazy())
    value = facts.select(compile_condition(leaf).alias("x")).collect().item()
    return {True: Truth.MET.value, False: Truth.NOT_MET.value, None: Truth.UNKNOWN.value}[value]


ENGINES = pytest.mark.parametrize("engine", [_interpreter, _batch], ids=["assess", "batch"])
M, N, U = Truth.MET.value, Truth.NOT_MET.value, Truth.UNKNOWN.value


@ENGINES
@pytest.mark.parametrize(
    ("op", "who"),
    [("lt", M), ("ge", N), ("eq", N)],
    ids=["below-3", "at-least-3", "exactly-3"],
)
def test_a_g1_at_3_percent_is_decided_as_who_decides(engine: Any, op: str, who: str) -> None:
    # G1: Ki-67 < 3 (000 §1), so "< 3" is met and "≥ 3" or "= 3" not met.
    assert engine("G1", Leaf(KI67, op, G1_BELOW)) == who  # type: ignore[arg-type]


@ENGINES
@pytest.mark.parametrize("op", ["le", "gt"])
def test_a_g1_is_not_placed_further_below_3_percent(engine: Any, op: str) -> None:
    # "< 3" says nothing of where below 3 (000 §1): a G1's Ki-67 may be 1 or 2.5, so a
    # comparison at 2 stays unknown.
    assert engine("G1", Leaf(KI67, op, 2)) == U  # type: ignore[arg-type]


@ENGINES
@pytest.mark.parametrize(("op", "who"), [("le", M), ("gt", N)], ids=["at-most-20", "over-20"])
def test_a_g2_is_at_most_20_percent_inclusive(engine: Any, op: str, who: str) -> None:
    # G2: Ki-67 "from 3 to 20", G3 "> 20" (000 §1): both ends of 20 are decided.
    assert engine("G2", Leaf(KI67, op, G2_MAX)) == who  # type: ignore[arg-type]


@ENGINES
@pytest.mark.parametrize("op", ["gt", "le"])
def test_a_g3_implies_no_ki67_bound(engine: Any, op: str) -> None:
    # "G3 ... a mitotic index or Ki67 index > 20" (000 §1): a G3 may be G3 by its mitoses
    # alone, so its Ki-67 may lie anywhere and a comparison at 20 stays unknown.
    assert engine("G3", Leaf(KI67, op, G2_MAX)) == U  # type: ignore[arg-type]
