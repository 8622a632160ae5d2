"""The vocabulary (knowledge/data/vocabulary.yaml) against the knowledge base and the tests.

Adding an option, a criterion or a derived fact without its vocabulary entry or its test
rows fails here (criteria: tests/engine/test_rules.py::test_every_criterion_has_a_rule_row).
"""

from __future__ import annotations

import inspect

import pytest

import nelm.vocabulary as vocab_module
import tests.engine.test_derive as derive_tests
from nelm.case.fields import OPTION_IDS
from nelm.errors import KnowledgeBaseError
from nelm.evidence.records import MODALITIES, OUTCOMES
from nelm.knowledge import DERIVED_FACTS, load_knowledge
from nelm.vocabulary import modality_title, outcome_title, vocabulary
from tests.engine.cases import ELIGIBLE_FROM


def test_options_are_the_knowledge_bases_and_the_contracts() -> None:
    assert vocabulary().option_ids == OPTION_IDS == tuple(load_knowledge().options)
    assert set(ELIGIBLE_FROM) == set(OPTION_IDS)  # every option has its eligible base case


def test_option_names_come_from_the_vocabulary() -> None:
    for oid, spec in load_knowledge().options.items():
        assert spec.name == vocabulary().option[oid].name


def test_every_intent_used_has_words_and_an_order() -> None:
    kb = load_knowledge()
    used = {spec.intent for spec in kb.options.values()} | {s.intent for s in kb.plan}
    assert used <= set(vocabulary().intent_ids)


def test_statuses_and_results_are_the_contracts_three_values() -> None:
    # shared/contract/assessment-v1.md: status eligible | ineligible | uncertain; a
    # criterion's result met | not_met | unknown.
    assert {s.id for s in vocabulary().statuses} == {"eligible", "ineligible", "uncertain"}
    assert {r.id for r in vocabulary().results} == {"met", "not_met", "unknown"}


def test_evidence_outcomes_and_modalities_are_named() -> None:
    assert tuple(o.id for o in vocabulary().outcomes) == OUTCOMES
    assert set(OPTION_IDS) < set(MODALITIES)
    for outcome in OUTCOMES:
        assert outcome_title(outcome) != outcome.replace("_", " ")
    # evidence-v1.md: a ``_months`` outcome is a median in months, a ``_percent`` one a rate
    for o in vocabulary().outcomes:
        assert o.unit == ("months" if o.id.endswith("_months") else "%")
    assert modality_title("tace") == "TACE"


def test_conditions_may_read_the_derived_facts_the_vocabulary_marks() -> None:
    marked = {f.path: f.values for f in vocabulary().derived_facts if f.in_conditions}
    assert marked == DERIVED_FACTS


def _source_of(functions: list[object]) -> str:
    """The test functions' text with their parametrize rows (decorators included)."""
    return "\n".join(inspect.getsource(f) for f in functions)  # type: ignore[arg-type]


@pytest.mark.parametrize("fact", [f.id for f in vocabulary().derived_facts])
def test_every_derived_fact_has_test_rows_for_each_value(fact: str) -> None:
    tests = [
        f
        for name, f in inspect.getmembers(derive_tests, inspect.isfunction)
        if name.startswith("test_") and fact in name
    ]
    assert tests, f"derived fact {fact} has no test in tests/engine/test_derive.py"
    spec = vocabulary().derived[fact]
    text = _source_of(tests)
    if spec.kind == "category":
        assert spec.values is not None
        expected = [f'"{value}"' for value in spec.values]
    elif spec.kind == "boolean":
        expected = ["True", "False"]
    else:
        expected = [f'"{b.label}"' for b in load_knowledge().derivations.burden_bands]
    untested = [value for value in expected if value not in text]
    assert not untested, f"derived fact {fact}: no test row gives {untested}"


def test_a_malformed_vocabulary_is_refused() -> None:
    doc = {
        "options": [{"id": "x", "name": "X", "short": "x", "title": "x"}] * 2,
        "intents": [],
        "statuses": [],
        "results": [],
        "derived_facts": [],
        "outcomes": [],
        "evidence_modalities": [],
        "survival_kinds": [],
    }
    with pytest.raises(KnowledgeBaseError, match="listed twice"):
        vocab_module._build(doc)
    with pytest.raises(KnowledgeBaseError, match="non-empty 'name'"):
        vocab_module._build({**doc, "options": [{"id": "x", "short": "x", "title": "x"}]})
