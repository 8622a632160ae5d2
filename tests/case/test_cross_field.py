"""``nelm.case.cross_field``: statements of one document that cannot all hold (case-v1)."""

from __future__ import annotations

from nelm.case.cross_field import cross_field_problems


def test_a_consistent_document_has_no_problem() -> None:
    values = {
        "liver.lesion_count": 3,
        "liver.distribution": "bilobar_dominant",
        "liver.bilobar": True,
        "pathology.ki67_percent_at_least": 3,
        "pathology.ki67_percent_at_most": 20,
        "pathology.ki67_percent": 5,
    }
    assert cross_field_problems(values) == []


def test_each_contradiction_names_the_field_to_change() -> None:
    """case-v1: a single lesion is type I (unilobar); NEC subtypes belong to poorly
    differentiated histology; no sites without extrahepatic disease; an exact value lies
    within the range given with it; an invasion outside the pancreas extends beyond it."""
    cases = {
        "liver.distribution": {"liver.lesion_count": 1, "liver.distribution": "bilobar_diffuse"},
        "pathology.nec_subtype": {
            "pathology.nec_subtype": "small_cell",
            "pathology.differentiation": "well",
        },
        "extrahepatic.sites": {"extrahepatic.present": False, "extrahepatic.sites": ("bone",)},
        "pathology.ki67_percent": {
            "pathology.ki67_percent": 25,
            "pathology.ki67_percent_at_most": 20,
        },
        "primary.extends_beyond_pancreas": {
            "primary.extends_beyond_pancreas": False,
            "primary.invades_adjacent_organs": True,
        },
        "liver.bilobar": {"liver.bilobar": True, "liver.distribution": "unilobar"},
    }
    for path, values in cases.items():
        problems = cross_field_problems(values)
        assert [p.path for p in problems] == [path], (path, problems)
