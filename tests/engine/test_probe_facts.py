"""The to-do list's what-if facts, worked out from the case's own facts
(``nelm.engine.investigations._Probe``), against ``facts_of`` on the changed case: the same
facts for every value the to-do list tries, on the examples, on cases that give numbers as
bounds or imply them, and on generated cases."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from nelm.case import case_from_mapping
from nelm.case.document import Case, Value
from nelm.engine.assess import facts_of
from nelm.engine.investigations import _candidates, _Probe
from nelm.knowledge.loader import load_knowledge
from tests.strategies import case_documents

EXAMPLES = sorted(
    p.name for p in resources.files("nelm.examples").iterdir() if p.name.endswith(".json")
)


def _assignments(case: Case) -> list[dict[str, Value]]:
    """Every single value the to-do list may try, and pairs of them on bounded numbers."""
    kb = load_knowledge()
    singles: dict[tuple[str, Value], None] = {}
    for oid in kb.options:
        for path, values in _candidates(kb, oid).items():
            for value in values:
                singles[(path, value)] = None
    out = [{p: v} for p, v in singles]
    bounded = [(p, v) for p, v in singles if p.endswith(("_at_least", "_at_most"))]
    out += [{p: v, q: w} for p, v in bounded for q, w in bounded if p < q]
    # a value beside the bounds a case gives, and bounds beside a value
    out += [{"pathology.ki67_percent_at_least": 1}, {"liver.lesion_count_at_most": 3}]
    return out


def _check(case: Case) -> int:
    kb = load_knowledge()
    probe = _Probe(case, kb, facts_of, None)
    compared = 0
    for assignment in _assignments(case):
        facts, derived = probe.facts(assignment)
        changed = Case(case.case_id, {**case.values, **assignment}, case.label)
        assert dict(facts) == dict(facts_of(changed, derived)), assignment
        compared += 1
    return compared


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_what_if_facts_are_those_of_the_changed_case(name: str) -> None:
    text = (resources.files("nelm.examples") / name).read_text(encoding="utf-8")
    assert _check(case_from_mapping(json.loads(text))) > 100


BOUNDS_AND_IMPLIED = [
    {"pathology": {"reported_grade": "G2", "differentiation": "well"}},
    {"pathology": {"ki67_percent_at_least": 3, "ki67_percent_at_most": 20}},
    {"liver": {"lesion_count_at_least": 4, "lesion_count_at_most": 5}},
    {"course": {"status": "progressing", "prior_treatments": ["prrt", "ssa"]}},
    # SSTR statements that contradict each other are set aside (nelm.engine.sstr); a what-if
    # value for one of them can end the contradiction or keep it
    {"imaging": {"sstr_positive": False, "krenning_score": 3}},
    {"imaging": {"krenning_score": 1, "sstr_uptake_vs_liver": "above_liver"}},
]


@pytest.mark.parametrize("part", BOUNDS_AND_IMPLIED)
def test_bounds_and_implied_facts_follow_the_what_if(part: dict[str, Any]) -> None:
    doc = {"schema_version": 1, "case_id": "b", "primary": {"site": "pancreas"}, **part}
    assert _check(case_from_mapping(doc)) > 100


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_documents(present=0.4))
def test_generated_what_if_facts_are_those_of_the_changed_case(doc: dict[str, Any]) -> None:
    _check(case_from_mapping(doc))
