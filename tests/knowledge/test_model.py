"""nelm.knowledge.model: the loaded knowledge base as typed, immutable objects."""

from __future__ import annotations

import dataclasses

import pytest

from nelm.knowledge import load_knowledge
from nelm.knowledge.model import INTENTS
from nelm.vocabulary import vocabulary


def test_intents_are_the_vocabularys_in_plan_order() -> None:
    assert vocabulary().intent_ids == INTENTS


def test_the_knowledge_base_is_immutable() -> None:
    kb = load_knowledge()
    option = kb.options["tace"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        option.name = "changed"  # type: ignore[misc]
    assert isinstance(option.criteria, tuple) and isinstance(option.cautions, tuple)


def test_every_criterion_and_caution_cites_a_known_source() -> None:
    kb = load_knowledge()
    for option in kb.options.values():
        for item in (*option.criteria, *option.cautions):
            assert item.sources
            assert all(s.split(" ", 1)[0] in kb.sources for s in item.sources), item.id


def test_a_criterion_knows_whether_a_source_can_be_overridden_in_it() -> None:
    # Only a first_known (the first of several sources that is known) can have its source
    # overridden by a later one; the engine skips the override search elsewhere.
    from nelm.knowledge.conditions import All, FirstKnown, Leaf, Not
    from nelm.knowledge.model import Criterion

    a = Leaf("tumor.ki67_percent", "le", 20)
    b = Leaf("tumor.grade", "eq", "G2")
    nested = All((a, Not(FirstKnown((a, b)))))
    assert Criterion("x", "x", nested, ("s",)).has_first_known
    assert not Criterion("y", "y", All((a, Not(b))), ("s",)).has_first_known


def test_the_overrides_the_engine_searches_cover_every_first_known_of_the_knowledge_base() -> None:
    from nelm.knowledge.conditions import FirstKnown

    def first_knowns(condition: object) -> int:
        if isinstance(condition, FirstKnown):
            return 1
        parts = getattr(condition, "parts", None)
        if parts is not None:
            return sum(first_knowns(p) for p in parts)
        part = getattr(condition, "part", None)
        return first_knowns(part) if part is not None else 0

    criteria = [c for o in load_knowledge().options.values() for c in o.criteria]
    assert any(c.has_first_known for c in criteria)
    for c in criteria:
        assert c.has_first_known == (first_knowns(c.condition) > 0), c.id
