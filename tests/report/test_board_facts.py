"""The facts a board reads first (the case page, the presentation, the board summary) carry
the surgeons' verdicts and the time since the primary's resection: case-v1's
``surgical_assessment`` decides the plan's order (docs/case-v1-additions.md), and a
reviewer found an "unresectable" only inside the failing criteria."""

from __future__ import annotations

from nelm.report.board import board_view
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes


def _facts(changes: dict[str, object]) -> dict[str, str]:
    view = board_view(assess_mapping(with_changes(BASE, changes), with_evidence=False))
    return {fact.label: fact.value for fact in view.facts}


def test_the_surgeons_verdicts_are_among_the_facts() -> None:
    facts = _facts(
        {"liver.surgical_assessment": "unresectable", "primary.surgical_assessment": "resectable"}
    )
    assert "surgeons: unresectable" in facts["Liver"]
    assert "surgeons: removable" in facts["Primary"]


def test_the_time_since_resection_is_among_the_facts() -> None:
    # BASE: the primary resected 12 months before (tests/engine/cases.py)
    assert "12 months since resection" in _facts({})["Primary"]
    bounded = {
        "primary.months_since_primary_resection": None,
        "primary.months_since_primary_resection_at_least": 60,
    }
    assert "≥ 60 months since resection" in _facts(bounded)["Primary"]


def test_a_value_the_warnings_question_is_marked_among_the_facts() -> None:
    # a bilirubin of 17 given without its unit may be µmol/L (docs/plausibility.md, "Units
    # in doubt"): the key labs a board reads first say so, not only the warnings below
    labs = _facts({"labs.bilirubin_mg_dl": 17})["Key labs"]
    assert "bilirubin 17 mg/dL (⚠ check the unit: see Warnings)" in labs
    assert "⚠" not in _facts({"labs.bilirubin_mg_dl": 1.0})["Key labs"]


def test_one_stable_scan_reads_as_stable_not_as_zero_months() -> None:
    # docs/case-v1-additions.md, the timeline: months of stable disease run from the first
    # scan to the latest stable one, so a single stable scan bounds them at ≥ 0, which
    # says nothing beyond "stable"
    facts = _facts(
        {
            "course.status": "stable",
            "course.months_stable": None,
            "course.months_stable_at_least": 0,
        }
    )
    assert "≥ 0" not in facts["Course"] and "stable" in facts["Course"]
    assert (
        "stable for ≥ 6 months"
        in _facts({"course.months_stable": None, "course.months_stable_at_least": 6})["Course"]
    )


def test_an_age_known_by_its_bounds_reads_as_a_range_among_the_facts() -> None:
    # docs/case-v1-additions.md: "a man in his fifties" is age_years_at_least 50 and
    # age_years_at_most 59; a board reads the range, not "age not known"
    fifties = {
        "patient.age_years": None,
        "patient.age_years_at_least": 50,
        "patient.age_years_at_most": 59,
    }
    assert _facts(fifties)["Patient"].startswith("50–59 years · ")
    over = {"patient.age_years": None, "patient.age_years_at_least": 60}
    assert _facts(over)["Patient"].startswith("≥ 60 years · ")
    assert _facts({"patient.age_years": None})["Patient"].startswith("age not known · ")


def test_an_unknown_function_is_said_among_the_facts() -> None:
    # The cautions ask whether there is a syndrome (002 §3.3: carcinoid crisis); the facts a
    # board reads first say it is not known rather than leaving it out.
    assert _facts({"primary.functional_syndrome": None})["Primary"].endswith("function not known")
    assert "non-functional" in _facts({})["Primary"]  # BASE: functional_syndrome none
    assert "function not known" not in _facts({})["Primary"]


def test_the_anatomy_the_liver_directed_options_turn_on_is_among_the_facts() -> None:
    # 003 Hepatic arterial embolization: after a pancreaticoduodenectomy "transarterial
    # therapies are generally contraindicated"; 002 §3.3: "biliary anastomoses"; 000 §3.1:
    # "biliary obstruction"; 001: portal vein thrombosis. Said where stated.
    facts = _facts(
        {
            "anatomy.prior_whipple": True,
            "anatomy.biliary_enteric_anastomosis": True,
            "anatomy.portal_vein_thrombosis": True,
        }
    )
    assert facts["Anatomy"] == "prior Whipple · bilio-enteric anastomosis · portal vein thrombosis"
    # BASE: a resected pancreatic primary; the operation not recorded is the question
    assert _facts({"anatomy.prior_whipple": None})["Anatomy"] == "prior Whipple not known"
    # an ileal primary with nothing stated: no row
    assert "Anatomy" not in _facts(
        {"primary.site": "small_intestine", "anatomy.prior_whipple": None}
    )


def test_a_kidney_value_given_only_as_a_bound_or_an_egfr_is_among_the_key_labs() -> None:
    # A patient on dialysis has an eGFR "< 15" (docs/case-v1-additions.md); NETTER-1's
    # renal limit and, without a creatinine, 002 §3.3's creatinine < 2 for embolisation read
    # it (CKD-EPI 2021), so the key labs a board reads first show it, as given.
    dialysis = _facts(
        {"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": None, "labs.egfr_ml_min_less_than": 15}
    )["Key labs"]
    assert "eGFR < 15 mL/min/1.73 m²" in dialysis
    assert "creatinine not known" in dialysis
    bound = _facts({"labs.creatinine_mg_dl": None, "labs.creatinine_mg_dl_more_than": 4.5})
    assert "creatinine > 4.5 mg/dL" in bound["Key labs"]
    assert "creatinine not known" not in bound["Key labs"]


def test_a_hereditary_syndrome_is_read_with_the_patient() -> None:
    # MEN1 (Thakker 2012: several primaries), VHL and NF1 (Lenders 2014: phaeochromocytoma
    # before a procedure) bring cautions of their own: the board reads the syndrome first
    patient = _facts({"patient.hereditary_syndromes": ["nf1", "men1"]})["Patient"]
    assert patient.endswith("neurofibromatosis type 1 · MEN1")
    assert "MEN1" not in _facts({"patient.hereditary_syndromes": []})["Patient"]
    assert "hereditary" not in _facts({})["Patient"]


def test_a_syndrome_read_from_the_heart_disease_is_said_to_be_so() -> None:
    # Davar 2017: carcinoid heart disease is a complication of the carcinoid syndrome, which
    # nelm reads when no syndrome is given; the board sees that it was not stated
    read = {"primary.functional_syndrome": None, "patient.carcinoid_heart_disease": True}
    primary = _facts(read)["Primary"]
    assert "carcinoid syndrome (not stated; read from the carcinoid heart disease)" in primary
    stated = {**read, "primary.functional_syndrome": "carcinoid"}
    assert "not stated" not in _facts(stated)["Primary"]


def test_treatments_without_an_option_id_are_named_in_words() -> None:
    # case-v1 additions, Prior treatments without an option id: the two values the list
    # takes besides the option ids read as words, not as their codes
    course = _facts({"course.prior_treatments": ["tace", "other_liver_directed"]})["Course"]
    assert course.endswith(
        "prior: Conventional transarterial chemoembolisation (cTACE), "
        "another liver-directed treatment"
    )
    assert "other_liver_directed" not in course and "other liver directed" not in course


def test_a_stated_pregnancy_is_among_the_patient_s_facts() -> None:
    # The warning above every card says no status weighs it (Lutathera SmPC 4.3; ESMO
    # 2008): the patient's line says it too, and says nothing when it is not stated.
    assert "pregnant" in _facts({"patient.pregnant": True})["Patient"]
    assert "pregnant" not in _facts({"patient.pregnant": False})["Patient"]
    assert "pregnant" not in _facts({})["Patient"]
