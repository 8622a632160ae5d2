"""``nelm.case.typed_values``: one raw value against its field (case-v1 types and ranges),
and the hint a rejected text value gets. Whole documents are in test_validation.py."""

from __future__ import annotations

import pytest

from nelm.case.fields import FIELD_BY_PATH
from nelm.case.typed_values import coerce


@pytest.mark.parametrize(
    ("path", "raw", "kept"),
    [
        ("pathology.ki67_percent", 12, 12),  # case-v1: a number 0–100
        ("liver.lesion_count", 3.0, 3),  # a whole number written as 3.0 is 3
        ("extrahepatic.present", True, True),
        ("liver.distribution", "unilobar", "unilobar"),
        ("extrahepatic.sites", ["bone", "bone", "lung"], ("bone", "lung")),  # once each
    ],
)
def test_a_value_of_the_fields_type_is_kept(path: str, raw: object, kept: object) -> None:
    value, problem = coerce(FIELD_BY_PATH[path], raw)
    assert problem is None and value == kept


@pytest.mark.parametrize(
    ("path", "raw", "hint"),
    [
        # case-v1: numbers are JSON numbers, in the field's unit
        ("pathology.ki67_percent", "12%", "write the number alone, without its unit: 12"),
        # a value copied with the field's name before it (data/key_words.yaml names Ki-67
        # "ki67" and "mib1"): the same hint, after saying the field names it already
        (
            "pathology.ki67_percent",
            "Ki-67 15%",
            "the field names it already; write the number alone, without its unit: 15",
        ),
        (
            "pathology.ki67_percent",
            "MIB-1: 15-20%",
            "the field names it already; a range: write pathology.ki67_percent_at_least: 15 "
            "and pathology.ki67_percent_at_most: 20",
        ),
        # "< 2 %" is strict: less than 2, as the report says (docs/case-v1-additions.md)
        ("pathology.ki67_percent", "<2", "a bound: write pathology.ki67_percent_less_than: 2"),
        ("liver.lesion_count", "multiple", "write liver.lesion_count_at_least: 2"),
        ("liver.lesion_count", "4-5", "liver.lesion_count_at_least: 4 and"),
        # case-v1: yes/no fields are JSON booleans; unknown is the field left out
        ("extrahepatic.present", "yes", "write true"),
        ("extrahepatic.present", "unknown", "not known: leave it out"),
        # a suspicion is not a finding: the field stays out until staging settles it
        ("extrahepatic.present", "suspected", "not settled: leave it out"),
        ("extrahepatic.stable", "Equivocal", "not settled: leave it out"),
        # choices are written as case-v1 spells them
        ("liver.distribution", "Bilobar diffuse", "did you mean bilobar_diffuse?"),
    ],
)
def test_a_rejected_text_names_what_to_write(path: str, raw: str, hint: str) -> None:
    value, problem = coerce(FIELD_BY_PATH[path], raw)
    assert value is None and problem is not None
    assert problem.path == path and hint in problem.got


def test_a_number_outside_the_field_range_is_rejected_not_clipped() -> None:
    """case-v1: Ki-67 is a percentage, 0–100."""
    value, problem = coerce(FIELD_BY_PATH["pathology.ki67_percent"], 120)
    assert value is None and problem is not None and "between 0 and 100" in problem.expected
