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
