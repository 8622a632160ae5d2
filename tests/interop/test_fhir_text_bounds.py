"""A bound or range sent as text without a unit (``valueString`` "<3", "≤ 2", "10-15"):
read as the bound it states for the numbers case-v1 holds with bounds whose unit the
field's code implies (a percentage, a count), exactly as a ``valueQuantity`` with a
``comparator`` or a ``valueRange`` is (docs/fhir-mapping.md, "A number sent as text");
left unknown, and listed or noted, for any other field or text."""

from __future__ import annotations

from typing import Any

import pytest
from tests.interop.test_fhir_observations import _flawed, _map, _obs, _value

from nelm.case.fields import BOUND_PARTS, FIELD_BY_PATH
from nelm.interop.fhir import NELM_OBSERVATION

KI67 = "29593-1"  # LOINC Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain (%)
AT_TEXT = "Bundle.entry[2].resource.valueString"
KI67_BOUNDS = (
    "pathology.ki67_percent_at_least",
    "pathology.ki67_percent_at_most",
    "pathology.ki67_percent_more_than",
    "pathology.ki67_percent_less_than",
)
LESION_BOUNDS = ("liver.lesion_count_at_least", "liver.lesion_count_at_most")


def _read(code: str, system: str, text: str, paths: tuple[str, ...]) -> dict[str, Any]:
    mapping = _map(_obs(code, system, valueString=text))
    return {path: value for path in paths if (value := _value(mapping, path)) is not None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The grade thresholds as the seeds write them: G1 "a Ki67 index < 3", G2 "from 3
        # to 20", G3 "> 20" (seed 000 §1; 003's table, "<3% 3-20% > 20%"). "< 3" is the
        # strict bound, less than 3 (a G1 by its index); "≤ 2" the inclusive one
        # (docs/case-v1-additions.md, "Strict bounds").
        ("<3", {"pathology.ki67_percent_less_than": 3}),
        ("≤ 2", {"pathology.ki67_percent_at_most": 2}),
        ("<=2", {"pathology.ki67_percent_at_most": 2}),
        (">20", {"pathology.ki67_percent_more_than": 20}),
        ("≥ 20", {"pathology.ki67_percent_at_least": 20}),
        ("3-20", {"pathology.ki67_percent_at_least": 3, "pathology.ki67_percent_at_most": 20}),
        ("3 – 20", {"pathology.ki67_percent_at_least": 3, "pathology.ki67_percent_at_most": 20}),
        # the edges of what is read: 1 (a smaller number may be a fraction, below) and the
        # field's range, 0 to 100 %
        ("<1", {"pathology.ki67_percent_less_than": 1}),
        ("≤ 100", {"pathology.ki67_percent_at_most": 100}),
        ("0-1", {"pathology.ki67_percent_at_least": 0, "pathology.ki67_percent_at_most": 1}),
        # with the field's own unit, as before
        ("<3 %", {"pathology.ki67_percent_less_than": 3}),
        ("< 3 percent", {"pathology.ki67_percent_less_than": 3}),
    ],
)
def test_a_ki67_bound_without_a_unit_is_read_as_a_percentage(
    text: str, expected: dict[str, Any]
) -> None:
    mapping = _map(_obs(KI67, valueString=text))
    read = {p: _value(mapping, p) for p in KI67_BOUNDS if _value(mapping, p) is not None}
    assert read == expected
    assert _value(mapping, "pathology.ki67_percent") is None  # a bound is never the number
    assert not mapping.issues
    implied = "pathology.ki67_percent: the text gives no unit; read in %"
    unit_given = "%" in text or "percent" in text
    assert any(implied in note for note in mapping.notes) is not unit_given


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        # nelm-observation liver-tumor-burden and future-liver-remnant are percentages
        ("liver-tumor-burden", "<25", {"liver.tumor_burden_percent_less_than": 25}),
        ("liver-tumor-burden", ">50", {"liver.tumor_burden_percent_more_than": 50}),
        ("future-liver-remnant", "≥ 30", {"liver.future_liver_remnant_percent_at_least": 30}),
    ],
)
def test_other_percentages_held_with_bounds_read_a_bound_without_a_unit(
    code: str, text: str, expected: dict[str, Any]
) -> None:
    field = FIELD_BY_PATH[next(iter(expected))].bound_of
    assert field is not None
    paths = (field, *BOUND_PARTS[field])
    assert _read(code, NELM_OBSERVATION, text, paths) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10-15", {"liver.lesion_count_at_least": 10, "liver.lesion_count_at_most": 15}),
        # a count is whole, as for a comparator (docs/fhir-mapping.md: "> 10" lesions is at
        # least 11): "> 5" is at least 6, "< 3" at most 2; "≥"/"≤" keep the number
        (">5", {"liver.lesion_count_at_least": 6}),
        ("≥ 5", {"liver.lesion_count_at_least": 5}),
        ("<3", {"liver.lesion_count_at_most": 2}),
        ("≤ 3", {"liver.lesion_count_at_most": 3}),
        # the lower edge: one lesion (004 §1: type I is a single lesion)
        ("≥ 1", {"liver.lesion_count_at_least": 1}),
        ("1-2", {"liver.lesion_count_at_least": 1, "liver.lesion_count_at_most": 2}),
    ],
)
def test_a_lesion_count_bound_in_text_is_read(text: str, expected: dict[str, Any]) -> None:
    paths = (*LESION_BOUNDS, "liver.lesion_count")
    assert _read("liver-lesion-count", NELM_OBSERVATION, text, paths) == expected


@pytest.mark.parametrize("text", ["<1", "≥ 0"])
def test_a_lesion_count_bound_out_of_its_range_is_listed(text: str) -> None:
    # at most 0 or at least 0 lesions: below the field's minimum of 1, listed at the text
    mapping = _map(_obs("liver-lesion-count", NELM_OBSERVATION, valueString=text))
    path = LESION_BOUNDS[1] if text.startswith("<") else LESION_BOUNDS[0]
    _flawed(mapping, path)
    [issue] = [i for i in mapping.issue_list if i.field == path]
    assert issue.path == AT_TEXT


@pytest.mark.parametrize("text", ["5", "about 10", "10-15 cm", "<3 mg/dL", "many"])
def test_a_lesion_count_in_other_text_stays_unknown_and_noted(text: str) -> None:
    mapping = _map(_obs("liver-lesion-count", NELM_OBSERVATION, valueString=text))
    for path in (*LESION_BOUNDS, "liver.lesion_count"):
        assert _value(mapping, path) is None
    assert any("liver.lesion_count not set" in note for note in mapping.notes)


@pytest.mark.parametrize(
    ("code", "system", "text", "path"),
    [
        # below 1 a bare number may be a fraction (0.5 = 50 %, UCUM's unity, ratios.py)
        (KI67, "http://loinc.org", "<0.5", "pathology.ki67_percent_less_than"),
        (KI67, "http://loinc.org", "0.1-0.2", "pathology.ki67_percent_at_least"),
        # a plain number is no bound: its unit is not assumed (test_fhir_value_string)
        (KI67, "http://loinc.org", "15", "pathology.ki67_percent"),
        # the mitotic count's area is not implied (per mm², per 2 mm² or per 10 mm²)
        ("mitotic-count", NELM_OBSERVATION, "<2", "pathology.mitoses_per_2mm2_less_than"),
        # a length may be in cm or mm
        ("largest-liver-lesion", NELM_OBSERVATION, "<2", "liver.largest_lesion_cm_less_than"),
        ("largest-liver-lesion", NELM_OBSERVATION, "2-3", "liver.largest_lesion_cm_at_least"),
    ],
)
def test_a_bound_whose_unit_is_not_implied_stays_unknown_and_listed(
    code: str, system: str, text: str, path: str
) -> None:
    mapping = _map(_obs(code, system, valueString=text))
    issue = _flawed(mapping, path)
    assert f"got no unit ({AT_TEXT})" in issue


def test_a_bound_with_a_unit_that_is_not_the_field_s_stays_unknown() -> None:
    issue = _flawed(_map(_obs(KI67, valueString="<3 mg/dL")), "pathology.ki67_percent_less_than")
    assert f'got "mg/dL" ({AT_TEXT})' in issue


def test_a_laboratory_bound_in_text_stays_unknown() -> None:
    # LOINC 1751-7 albumin: a laboratory value without bound fields holds no bounds
    # (docs/fhir-mapping.md)
    mapping = _map(_obs("1751-7", valueString="<3"))
    assert _value(mapping, "labs.albumin_g_dl") is None
    assert not mapping.issues
    bound = "labs.albumin_g_dl not set: the value is a bound (<, ≤, ≥, >), not a number"
    assert any(bound in note for note in mapping.notes)


def test_a_bilirubin_bound_is_read_into_its_bound_field() -> None:
    # LOINC 1975-2 bilirubin has bounds (docs/case-v1-additions.md): a laboratory's
    # "< 2 mg/dL" is the strict upper bound, as the kidney values' are
    mapping = _map(_obs("1975-2", valueString="<2 mg/dL"))
    assert _value(mapping, "labs.bilirubin_mg_dl") is None
    assert _value(mapping, "labs.bilirubin_mg_dl_less_than") == 2
    assert not mapping.issues
