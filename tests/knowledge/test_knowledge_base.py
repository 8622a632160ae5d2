"""The knowledge base itself: complete, sourced, and quoting its sources faithfully."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from nelm.case.fields import OPTION_IDS
from nelm.knowledge import load_knowledge

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _seed_texts() -> dict[str, str]:
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the seed articles are missing at {SEEDS}")
        pytest.skip(f"the seed articles are not beside the checkout ({SEEDS})")
    return {p.name[:3]: _normalise(p.read_text("utf-8")) for p in SEEDS.glob("*.txt")}


def _normalise(text: str) -> str:
    """Letters and digits only: the seeds carry OCR and LaTeX debris ("$\\leq 50\\%$",
    "20—-45%", words hyphenated across lines) that must not hide a faithful quote."""
    text = text.replace("\\leq", "≤").replace("\\geq", "≥")
    return re.sub(r"[^a-z0-9≤≥]", "", text.replace("<math>", "").lower())


def test_every_option_of_the_contract_is_defined_in_order() -> None:
    assert tuple(load_knowledge().options) == OPTION_IDS


def test_every_criterion_and_caution_has_a_known_source() -> None:
    kb = load_knowledge()
    for option in kb.options.values():
        for item in (*option.criteria, *option.cautions):
            assert item.sources, item.id
            for source in item.sources:
                assert source.split(" ", 1)[0] in kb.sources, (item.id, source)


def test_version_names_the_content() -> None:
    kb = load_knowledge()
    assert re.fullmatch(r"2026\.1\+[0-9a-f]{12}", kb.version)


def test_quotes_are_found_in_the_cited_seed() -> None:
    """Every `quote` of a criterion or caution appears in one of the seeds it cites
    (ellipses allowed)."""
    texts = _seed_texts()
    kb = load_knowledge()
    checked = 0
    missing = []
    for option in kb.options.values():
        for criterion in (*option.criteria, *option.cautions):
            if not criterion.quote:
                continue
            seeds = {s.split(" ", 1)[0] for s in criterion.sources} & set(texts)
            assert seeds, f"{criterion.id} quotes but cites no seed"
            fragments = [_normalise(f).strip(" .") for f in re.split(r"\.\.\.|…", criterion.quote)]
            found = any(all(f in texts[seed] for f in fragments if f) for seed in seeds)
            if not found:
                missing.append(f"{criterion.id} ({sorted(seeds)})")
            checked += 1
    assert not missing, "quotes not found: " + ", ".join(missing)
    assert checked >= 30


def test_plan_never_names_an_unknown_option() -> None:
    kb = load_knowledge()
    for step in kb.plan:
        assert set(step.options) <= set(OPTION_IDS)


def test_every_option_can_appear_in_the_plan() -> None:
    kb = load_knowledge()
    planned = {o for step in kb.plan for o in step.options}
    assert planned == set(OPTION_IDS)


def test_a_step_converts_only_convertible_criteria_of_its_options() -> None:
    from dataclasses import replace

    from nelm.knowledge.loader import _check_converts

    kb = load_knowledge()
    steps = {s.id: s for s in kb.plan}
    assert steps["primary_before_downstaging"].converts == ("primary_removed",)
    assert set(steps["downstaging"].converts) == {"flr", "involvement"}
    for step in kb.plan:
        _check_converts(step, kb.options)  # the shipped plan passes
    with pytest.raises(ValueError, match="converts \\['age'\\]"):
        _check_converts(replace(steps["downstaging"], converts=("age",)), kb.options)


# A plan note as plan.yaml writes one, for the loader tests below.
_RAW_NOTE = {
    "id": "n",
    "text": "t",
    "when": {"field": "primary.functional_syndrome", "eq": "carcinoid"},
}


def test_a_plan_note_given_while_a_field_is_unknown_names_a_case_field() -> None:
    """``unless_known`` lists case fields (the note is given while they are unknown); a
    misspelt path would silence the note for every case, so the loader refuses it."""
    from nelm.knowledge.loader import _Checker, _plan_note

    checker = _Checker(load_knowledge().sources)
    raw = {**_RAW_NOTE, "sources": ["Davar-2017"], "before": ["tace"]}
    note = _plan_note({**raw, "unless_known": ["patient.carcinoid_heart_disease"]}, checker)
    assert note.unless_known == ("patient.carcinoid_heart_disease",)
    with pytest.raises(ValueError, match=r"plan note n: unless_known names no case field"):
        _plan_note({**raw, "unless_known": ["patient.carcinoid_heart"]}, checker)


def test_a_plan_notes_unless_is_a_checked_condition() -> None:
    """``unless`` withholds a note when a known fact makes its text false; it is parsed and
    checked like any condition, so a misspelt field is refused naming the note."""
    from nelm.knowledge.conditions import Leaf
    from nelm.knowledge.loader import _Checker, _plan_note

    checker = _Checker(load_knowledge().sources)
    raw = {**_RAW_NOTE, "sources": ["003 Medical therapy"], "before": ["ssa"]}
    assert _plan_note(raw, checker).unless is None
    refractory = {"field": "primary.syndrome_refractory", "eq": True}
    note = _plan_note({**raw, "unless": refractory}, checker)
    assert note.unless == Leaf("primary.syndrome_refractory", "eq", True)
    with pytest.raises(ValueError, match=r"plan note n"):
        _plan_note({**raw, "unless": {"field": "primary.syndrome_refractor", "eq": True}}, checker)


def test_a_caution_shown_when_unknown_needs_a_condition() -> None:
    """``if_unknown`` is the text shown when the caution's condition is unknown: a caution
    always shown has none, and the loader says so naming the caution."""
    from nelm.knowledge.loader import _cautions, _Checker

    checker = _Checker(load_knowledge().sources)
    with pytest.raises(ValueError, match=r"x\.c: 'if_unknown' is the text shown when 'when'"):
        _cautions(
            [{"id": "c", "text": "t", "if_unknown": "u", "sources": ["002 §3.3"]}], "x", checker
        )
    (caution,) = _cautions(
        [
            {
                "id": "c",
                "text": "t",
                "if_unknown": "u",
                "sources": ["002 §3.3"],
                "when": {"field": "primary.functional_syndrome", "eq": "carcinoid"},
            }
        ],
        "x",
        checker,
    )
    assert caution.if_unknown == "u"


def test_prrt_renal_criterion_names_each_number_in_its_own_unit() -> None:
    """NETTER-1 excluded "serum creatinine > 150 µmol/L (> 1.7 mg/dL), or creatinine
    clearance < 50 mL/min"; the case's eGFR is in mL/min/1.73 m² (contract/case-v1.md,
    labs.egfr_ml_min), so the criterion must not give the eGFR the clearance's unit. 001
    (PRRT) asks only for "adequate renal function"."""
    from nelm.case.fields import FIELD_BY_PATH

    prrt = load_knowledge().options["prrt"]
    (renal,) = [c for c in prrt.criteria if c.id == "prrt.renal"]
    egfr_unit = FIELD_BY_PATH["labs.egfr_ml_min"].unit
    assert egfr_unit == "mL/min/1.73 m²"
    assert f"eGFR ≥ 50 {egfr_unit}" in renal.text
    assert "creatinine clearance ≥ 50 mL/min" in renal.text
    assert "CKD-EPI 2021" in renal.text  # without an eGFR, what the creatinine gives
    assert {"001 PRRT", "NETTER-1 eligibility", "CKD-EPI-2021"} <= set(renal.sources)
    # NETTER-1's creatinine limit, in both units, is a caution (a clearance ≥ 50 confirms)
    (caution,) = [c for c in prrt.cautions if c.id == "prrt.creatinine_above_netter"]
    assert "Creatinine above 1.7 mg/dL (150 µmol/L)" in caution.text


def test_a_plan_steps_when_text_needs_its_when() -> None:
    """``when_text`` says the step's ``when`` in words (the first "if" of its options while
    the case leaves it unknown); without a ``when`` it would say a condition nothing checks."""
    from nelm.knowledge.loader import _Checker, _plan_step

    checker = _Checker(load_knowledge().sources)
    raw = {
        "id": "s",
        "intent": "symptom_control",
        "options": ["ssa"],
        "rationale": "r",
        "sources": ["003 Medical therapy"],
        "when_text": "A hormonal syndrome",
    }
    with pytest.raises(ValueError, match=r"plan\.s: when_text"):
        _plan_step(raw, checker)
    step = _plan_step(
        {**raw, "when": {"field": "primary.functional_syndrome", "ne": "none"}}, checker
    )
    assert step.when_text == "A hormonal syndrome"
