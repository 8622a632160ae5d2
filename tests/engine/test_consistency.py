"""nelm.engine.consistency: contradictions between fields are warnings with their source."""

from __future__ import annotations

from nelm.engine.consistency import contradictions
from nelm.knowledge import load_knowledge


def test_negative_sstr_imaging_with_krenning_uptake_is_a_contradiction() -> None:
    # Krenning score ≥ 2 is uptake at least as high as normal liver, i.e. SSTR-positive
    # (Krenning EP et al., Ann N Y Acad Sci 1994;733:416-424).
    grades = load_knowledge().derivations.grade
    found = contradictions({"imaging.sstr_positive": False, "imaging.krenning_score": 3}, grades)
    assert [c.fields for c in found] == [("imaging.sstr_positive", "imaging.krenning_score")]
    assert found[0].sources


def test_agreeing_fields_give_no_warning() -> None:
    grades = load_knowledge().derivations.grade
    assert (
        contradictions({"imaging.sstr_positive": True, "imaging.krenning_score": 3}, grades) == []
    )


def test_a_new_diagnosis_beside_a_course_already_run_is_a_contradiction() -> None:
    # case-v1 course: new_diagnosis is a course not yet begun; progression on an SSA and a
    # prior systemic line (PRRT, counted by derivations.yaml prior_lines) are a course run.
    knowledge = load_knowledge()
    grades, counted = knowledge.derivations.grade, dict(knowledge.derivations.prior_lines_counted)
    found = contradictions(
        {
            "course.status": "new_diagnosis",
            "course.progressed_on_ssa": True,
            "course.prior_treatments": ("ssa", "prrt"),
        },
        grades,
        counted_lines=counted,
    )
    assert [c.fields for c in found] == [
        ("course.status", "course.progressed_on_ssa", "course.prior_treatments")
    ]
    # A primary resected before the liver metastases were found is no course of treatment
    # for them: a new diagnosis stays consistent.
    assert (
        contradictions(
            {
                "course.status": "new_diagnosis",
                "course.prior_treatments": ("primary_tumor_resection",),
            },
            grades,
            counted_lines=counted,
        )
        == []
    )
    # A liver recurrence after hepatectomy is a course run too: unsettled_words.yaml answers
    # "recurrence" with the course, stable or progressing.
    recurrence = contradictions(
        {"course.status": "new_diagnosis", "course.recurrence_after_liver_resection": True},
        grades,
        counted_lines=counted,
    )
    assert [c.fields for c in recurrence] == [
        ("course.status", "course.recurrence_after_liver_resection")
    ]


def test_a_resected_primary_judged_unremovable_is_a_contradiction() -> None:
    # docs/case-v1-additions.md: primary.surgical_assessment is the surgeons' verdict on
    # removing the primary, which a resected primary no longer needs.
    grades = load_knowledge().derivations.grade
    found = contradictions(
        {"primary.resected": True, "primary.surgical_assessment": "unresectable"}, grades
    )
    assert [c.fields for c in found] == [("primary.resected", "primary.surgical_assessment")]


def test_a_poorly_differentiated_tumour_with_a_low_ki67_is_a_contradiction() -> None:
    # 000 §1: NECs are "poorly differentiated neoplasms of high grade"; 003 Table 1 and WHO
    # 2019: high grade is Ki-67 > 20 %. Ki-67 0.45 read as a fraction is 45 %.
    grades = load_knowledge().derivations.grade
    (found,) = contradictions(
        {"pathology.differentiation": "poor", "pathology.ki67_percent": 5}, grades
    )
    assert found.fields == ("pathology.differentiation", "pathology.ki67_percent")
    assert "Ki-67 is 5 %" in found.message
    (fraction,) = contradictions(
        {"pathology.differentiation": "poor", "pathology.ki67_percent": 0.45}, grades
    )
    assert fraction.fix == "enter 45 if Ki-67 was a fraction"
    # Ki-67 above 20 % agrees; so does a well-differentiated tumour of Ki-67 5 %
    assert (
        contradictions({"pathology.differentiation": "poor", "pathology.ki67_percent": 21}, grades)
        == []
    )
    assert (
        contradictions({"pathology.differentiation": "well", "pathology.ki67_percent": 5}, grades)
        == []
    )


def test_an_egfr_no_creatinine_can_give_is_a_contradiction() -> None:
    # CKD-EPI 2021 (Inker et al., NEJM 2021;385:1737-1749): creatinine 4 mg/dL gives an eGFR
    # of at most 21 (a man of 18: 142 × (4/0.9)^-1.2 × 0.9938^18 = 21.2), so 120 does not
    # fit; a man of 60 with creatinine 1.0 has an eGFR of 86 (142 × 0.9938^60), so 80 fits.
    grades = load_knowledge().derivations.grade
    (found,) = contradictions({"labs.creatinine_mg_dl": 4, "labs.egfr_ml_min": 120}, grades)
    assert found.fields == ("labs.egfr_ml_min", "labs.creatinine_mg_dl")
    assert "an eGFR of 10–21 mL/min/1.73 m² (any adult age, either sex)" in found.message
    fits = {"labs.creatinine_mg_dl": 1.0, "labs.egfr_ml_min": 80, "patient.age_years": 60}
    assert contradictions({**fits, "patient.sex": "male"}, grades) == []
    # a normal creatinine beside an eGFR of 20 (a man of 60: 86 expected) does not fit either
    assert contradictions({**fits, "labs.egfr_ml_min": 20, "patient.sex": "male"}, grades)


def test_a_liver_recurrence_with_no_liver_resection_listed_is_a_contradiction() -> None:
    # case-v1 course: recurrence_after_liver_resection is a recurrence "after an earlier
    # hepatectomy"; a list of prior treatments without one may be incomplete.
    grades = load_knowledge().derivations.grade
    recurrence = {"course.recurrence_after_liver_resection": True}
    (found,) = contradictions({**recurrence, "course.prior_treatments": ("ssa",)}, grades)
    assert found.fix == "the list may be incomplete: add the resection"
    assert (
        contradictions({**recurrence, "course.prior_treatments": ("liver_resection",)}, grades)
        == []
    )
    assert contradictions(recurrence, grades) == []
    # a liver transplantation is a total hepatectomy: a recurrence after it is one too
    transplanted = {**recurrence, "course.prior_treatments": ("liver_transplant_enets",)}
    assert contradictions(transplanted, grades) == []


def test_fitness_for_major_surgery_beside_ecog_4_is_a_contradiction() -> None:
    # ECOG 4: "completely disabled; cannot carry on any selfcare; totally confined to bed or
    # chair" (Oken et al., Am J Clin Oncol 1982); ECOG 3 is left to the surgeons' judgement.
    grades = load_knowledge().derivations.grade
    fit = {"patient.fit_for_major_surgery": True}
    (found,) = contradictions({**fit, "patient.ecog": 4}, grades)
    assert found.fields == ("patient.fit_for_major_surgery", "patient.ecog")
    assert contradictions({**fit, "patient.ecog": 3}, grades) == []
    assert contradictions({"patient.fit_for_major_surgery": False, "patient.ecog": 4}, grades) == []


def test_an_unknown_primary_that_was_resected_or_measured_is_a_contradiction() -> None:
    # case-v1 primary.site: unknown_primary is a carcinoma of unknown primary; a resection,
    # a margin, a T category or a size belong to a primary that was found. An unknown
    # primary has no portal drainage, which Milan and UNOS ask for (001 Table 2), so the
    # miscoding would turn verdicts.
    grades = load_knowledge().derivations.grade
    found = contradictions(
        {
            "primary.site": "unknown_primary",
            "primary.resected": True,
            "primary.t_category": "T2",
        },
        grades,
    )
    assert [c.fields for c in found] == [("primary.site", "primary.resected", "primary.t_category")]
    assert "its resection and a T category (T2)" in found[0].message
    assert "001 Table 2" in found[0].sources
    # an unknown primary alone, or a known site with its resection, is no contradiction
    assert (
        contradictions({"primary.site": "unknown_primary", "primary.resected": False}, grades) == []
    )
    assert contradictions({"primary.site": "pancreas", "primary.resected": True}, grades) == []


def test_no_egfr_is_checked_against_creatinine_for_a_child() -> None:
    # CKD-EPI 2021 (Inker et al., NEJM 2021;385:1737-1749) was developed in adults, 18 and
    # older; a child's GFR is estimated by other equations, so the creatinine of a child of
    # 12 is not held against the eGFR (the same values flag an adult, test above).
    grades = load_knowledge().derivations.grade
    values = {"labs.creatinine_mg_dl": 4, "labs.egfr_ml_min": 120}
    assert contradictions({**values, "patient.age_years": 12}, grades) == []
    assert contradictions({**values, "patient.age_years": 18}, grades)


def test_an_egfr_is_checked_over_the_ages_the_bounds_allow() -> None:
    # CKD-EPI 2021 (Inker et al., NEJM 2021;385:1737-1749), a man with creatinine 4 mg/dL:
    # 142 × (4/0.9)^-1.2 × 0.9938^age is 16.3 at 60 and 15.4 at 69, so "in his sixties"
    # gives 15–16, and an eGFR of 120 does not fit.
    grades = load_knowledge().derivations.grade
    values = {"labs.creatinine_mg_dl": 4, "labs.egfr_ml_min": 120, "patient.sex": "male"}
    sixties = {"patient.age_years_at_least": 60, "patient.age_years_at_most": 69}
    (found,) = contradictions({**values, **sixties}, grades)
    assert "an eGFR of 15–16 mL/min/1.73 m² (60–69 years, male)" in found.message
    # at most 15: a child for certain, whose GFR CKD-EPI does not estimate
    assert contradictions({**values, "patient.age_years_at_most": 15}, grades) == []
    # 15–25 straddles 18: read over its adult ages (18–25), as an unknown age is read over
    # every adult age; at 18 the eGFR is at most 21 (test above), so 120 is flagged
    straddling = {"patient.age_years_at_least": 15, "patient.age_years_at_most": 25}
    (found,) = contradictions({**values, **straddling}, grades)
    assert "(18–25 years, male)" in found.message


def test_a_hormone_of_another_named_syndrome_is_a_contradiction() -> None:
    # Jensen 2012 (ENETS, functional pancreatic endocrine tumour syndromes): each syndrome
    # is defined by its hormone (a gastrinoma by gastrin, a glucagonoma by glucagon).
    grades = load_knowledge().derivations.grade
    found = contradictions(
        {"primary.functional_syndrome": "gastrinoma", "primary.hormone": "glucagon"}, grades
    )
    assert [c.fields for c in found] == [("primary.functional_syndrome", "primary.hormone")]
    assert "glucagon" in found[0].message and "gastrin)" in found[0].message
    assert found[0].sources == ("Jensen-2012",)
    # the defining hormone, a hormone no named syndrome is defined by (ACTH beside
    # "other"), or no syndrome named: nothing to check
    for syndrome, hormone in (
        ("gastrinoma", "gastrin"),
        ("vipoma", "vip"),
        ("other", "acth"),
        ("carcinoid", "calcitonin"),
        (None, "insulin"),
    ):
        values = {"primary.functional_syndrome": syndrome, "primary.hormone": hormone}
        assert contradictions(values, grades) == [], (syndrome, hormone)
