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
