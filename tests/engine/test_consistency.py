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


def test_a_resected_primary_judged_unremovable_is_a_contradiction() -> None:
    # docs/case-v1-additions.md: primary.surgical_assessment is the surgeons' verdict on
    # removing the primary, which a resected primary no longer needs.
    grades = load_knowledge().derivations.grade
    found = contradictions(
        {"primary.resected": True, "primary.surgical_assessment": "unresectable"}, grades
    )
    assert [c.fields for c in found] == [("primary.resected", "primary.surgical_assessment")]
