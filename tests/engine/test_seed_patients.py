"""Whole patients on the seeds' rules and their boundaries (``seed_patients.py`` and
``seed_patients_2.py``).

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
from tests.engine.seed_patients_2 import SEED_PATIENTS_2

PATIENTS = SEED_PATIENTS + SEED_PATIENTS_2


def _results(doc: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["result"] for option in doc["options"].values() for c in option["criteria"]}


@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
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


# A field read ahead of a proxy for it: when it is given it decides, and when it is
# removed the proxy does, which may then settle the criterion the other way. The surgeons'
# judgement of the liver comes before the anatomical type and remnant ("surgical-assessment"
# in sources.yaml): "resectable after conversion" is not resectable now, while a type II
# liver alone reads as limited. NETTER-1 lets a measured clearance decide before the serum
# creatinine, which is read only without it (an eGFR of 45 with a creatinine of 1.2). A
# syndrome stated refractory at a new diagnosis (a drug case-v1 cannot list, diazoxide,
# failed) stands; removed, the new diagnosis says no medical therapy was given yet, so not
# refractory (docs/case-v1-additions.md, "Fields the case implies").
# Only these criteria may flip when only that field is removed.
READ_BEFORE_A_PROXY: dict[tuple[str, str], tuple[str, ...]] = {
    ("liver", "surgical_assessment"): (
        ".liver_type",
        ".flr",
        ".needs_staging",
        ".limited_liver",
        ".liver_unresectable",
        ".advanced",
        ".bilobar_unresectable",
        ".resectable_disease",
    ),
    ("labs", "egfr_ml_min"): ("prrt.renal",),
    ("primary", "syndrome_refractory"): ("everolimus.progressing", "prrt.setting"),
    # the surgeons' judgement of the primary before its place: not given, a primary in place
    # (stated, or read from a new synchronous diagnosis) counts as removable
    ("primary", "surgical_assessment"): (".primary_removable", ".primary_in_situ"),
}


@pytest.mark.parametrize("patient", PATIENTS, ids=[p.name for p in PATIENTS])
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
            if after[c] != before[c]
            and after[c] != "unknown"
            and not c.endswith(READ_BEFORE_A_PROXY.get((group, key), ()))
        }
        assert not changed, (f"{group}.{key} removed", changed)
