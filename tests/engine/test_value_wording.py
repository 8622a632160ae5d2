"""How a criterion's value reads when the field's label already names its unit."""

from __future__ import annotations

from nelm.service import assess_mapping


def _value(case: dict[str, object], criterion: str) -> str:
    option = criterion.split(".", 1)[0]
    doc = assess_mapping(case, with_evidence=False)
    for c in doc["options"][option]["criteria"]:
        if c["id"] == criterion:
            return str(c["value"])
    raise AssertionError(criterion)


def test_months_since_resection_is_not_followed_by_the_unit_again() -> None:
    case = {
        "case_id": "months-wording",
        "primary": {"site": "rectum", "resected": True, "months_since_primary_resection": 1},
    }
    value = _value(case, "liver_transplant_enets.primary_removed")
    assert "Months since primary resection: 1" in value
    assert "1 months" not in value


def test_a_label_without_its_unit_still_shows_the_unit() -> None:
    case = {"case_id": "cm-wording", "liver": {"lesion_count": 1, "largest_lesion_cm": 4}}
    assert "4 cm" in _value(case, "thermal_ablation.size_number")
