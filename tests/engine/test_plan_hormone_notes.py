"""Rare functional tumours whose hormone excess none of the options treats: the plan says, on
its first step, that it is controlled alongside every step (Jensen 2012, ENETS guidelines
for the functional pancreatic endocrine tumour syndromes: the ACTH-secreting tumour's
hypercortisolism controlled medically or by bilateral adrenalectomy; the PTHrP-secreting
tumour's hypercalcaemia controlled medically)."""

from __future__ import annotations

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

NOTES = {"acth": "ectopic_acth_cortisol_control", "pthrp": "pthrp_calcium_control"}


@pytest.mark.parametrize("hormone", ["acth", "pthrp"])
def test_the_hormone_excess_is_controlled_alongside_every_step(hormone: str) -> None:
    case = with_changes(BASE, {"primary.functional_syndrome": "other", "primary.hormone": hormone})
    plan = assess_mapping(case, with_evidence=False)["plan"]
    placed = [(s["step"], n["id"]) for s in plan for n in s.get("notes", ())]
    assert (1, NOTES[hormone]) in placed
    assert [nid for _, nid in placed].count(NOTES[hormone]) == 1
    assert "Jensen-2012" in plan[0]["sources"]
    other = NOTES["pthrp" if hormone == "acth" else "acth"]
    assert other not in [nid for _, nid in placed]


@pytest.mark.parametrize("hormone", ["serotonin", "calcitonin", "other", None])
def test_no_such_note_for_another_hormone(hormone: str | None) -> None:
    case = with_changes(BASE, {"primary.functional_syndrome": "other", "primary.hormone": hormone})
    plan = assess_mapping(case, with_evidence=False)["plan"]
    ids = {n["id"] for s in plan for n in s.get("notes", ())}
    assert not ids & set(NOTES.values())
