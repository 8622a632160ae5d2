"""Whole patients on the seeds' rules and their boundaries (``seed_patients.py``).

Each patient's expected statuses, criterion results, cautions, derived facts and first plan
step are read from the seed sentence quoted with it. The second test removes each known
value in turn: information taken away may leave a criterion unknown, but never turns it
from met to not met or back, and never settles one that was unknown (case-v1: an absent
field is unknown, never false or zero).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.seed_patients import SEED_PATIENTS, SeedPatient


def _results(doc: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["result"] for option in doc["options"].values() for c in option["criteria"]}


@pytest.mark.parametrize("patient", SEED_PATIENTS, ids=[p.name for p in SEED_PATIENTS])
def test_a_seed_patient_gets_the_verdicts_its_seed_sentence_gives(patient: SeedPatient) -> None:
    doc = assess_mapping(patient.case, with_evidence=False)
    options = doc["options"]
    got_status = {o: options[o]["status"] for o in patient.statuses}
    assert got_status == patient.statuses, patient.source
    results = _results(doc)
    got_criteria = {c: results.get(c, "absent") for c in patient.criteria}
    assert got_criteria == patient.criteria, patient.source
    for option, words in patient.cautions.items():
        shown = [d["text"] for d in options[option]["caution_details"] if d["case_specific"]]
        assert any(words in text for text in shown), (option, words, patient.source)
    for key, value in patient.derived.items():
        assert doc["classification"][key] == value, (key, patient.source)
    for option, fields in patient.missing.items():
        assert set(fields) <= set(options[option]["missing"]), (option, patient.source)
    if patient.first_step:
        assert set(patient.first_step) <= set(doc["plan"][0]["options"]), patient.source


def _leaves(case: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (group, key)
        for group, values in case.items()
        if isinstance(values, dict)
        for key, value in values.items()
        if value is not None
    ]


@pytest.mark.parametrize("patient", SEED_PATIENTS, ids=[p.name for p in SEED_PATIENTS])
def test_removing_a_known_value_only_ever_leaves_a_criterion_unknown(
    patient: SeedPatient,
) -> None:
    before = _results(assess_mapping(patient.case, with_evidence=False))
    for group, key in _leaves(patient.case):
        thinner = copy.deepcopy(patient.case)
        del thinner[group][key]
        after = _results(assess_mapping(thinner, with_evidence=False))
        changed = {
            c: (before[c], after[c])
            for c in before
            if after[c] != before[c] and after[c] != "unknown"
        }
        assert not changed, (f"{group}.{key} removed", changed)
