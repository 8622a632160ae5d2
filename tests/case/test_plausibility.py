"""Plausible ranges, unit slips, confirmation and contradictions.

Each plausible range is tested just inside and just outside both of its ends. The ends are
set well outside the reference interval named beside them (Merck Manual laboratory values,
ASE/EACVI 2015 for LVEF, KDIGO 2012 for eGFR, RECIST 1.1 for sizes in centimetres), so they
catch slips rather than disease.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case.document import case_from_mapping, require_confirmed
from nelm.case.plausibility import implausible_values, plausible_ranges, slip_hint
from nelm.errors import InputRejected
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

# field, (plausible low, plausible high), reference interval the range is set around
ROWS: list[tuple[str, float, float, str]] = [
    ("patient.age_years", 1, 100, "Allan 2013: NETs from birth; the seeds' adult series"),
    ("patient.lvef_percent", 15, 85, "ASE/EACVI 2015: normal 52–74 %"),
    ("primary.size_cm", 0.2, 25, "RECIST 1.1: centimetres"),
    ("liver.largest_lesion_cm", 0.2, 25, "RECIST 1.1: centimetres"),
    ("liver.future_liver_remnant_percent", 10, 100, "001: FLR ≥ 30 %"),
    ("labs.bilirubin_mg_dl", 0.1, 30, "Merck: 0.3–1.2 mg/dL"),
    ("labs.albumin_g_dl", 1.0, 6.0, "Merck: 3.5–5.0 g/dL"),
    ("labs.creatinine_mg_dl", 0.2, 15, "Merck: 0.6–1.2 mg/dL"),
    ("labs.egfr_ml_min", 3, 160, "KDIGO 2012: G1 ≥ 90 … G5 < 15"),
    ("labs.ldh_u_l", 50, 5000, "Merck: 140–280 U/L"),
    ("labs.ast_u_l", 3, 3000, "Merck: 10–40 U/L"),
    ("labs.platelets_per_ul", 5000, 1500000, "Merck: 150,000–400,000 /µL"),
    ("labs.hemoglobin_g_dl", 4, 20, "Merck: 12–17.5 g/dL"),
    ("labs.wbc_per_ul", 500, 100000, "Merck: 4,000–11,000 /µL"),
    ("anatomy.hepatopulmonary_shunt_percent", 0, 40, "002 §3.5: > 10 % is a caution"),
    ("course.months_stable", 0, 360, "30 years"),
    ("primary.months_since_primary_resection", 0, 600, "50 years"),
    ("pathology.mitoses_per_2mm2", 0, 200, "000 §1: > 20 is G3"),
    # plausible = hard range: every value the contract allows occurs (the references say why)
    ("patient.ecog", 0, 4, "Oken 1982: ECOG 0–4"),
    ("pathology.ki67_percent", 0, 100, "WHO 2019 / 000 §1: G1 < 3 % is real"),
    ("imaging.krenning_score", 0, 4, "Krenning 1994: score 0–4"),
    ("liver.tumor_burden_percent", 0, 100, "a 1 cm lesion is < 1 % of a liver"),
    # counts
    ("liver.lesion_count", 1, 100, "reports write 'multiple'/'innumerable' beyond a few"),
    ("course.prior_systemic_lines", 0, 10, "004 §3.3–3.5: the systemic options for NET"),
]


def test_every_range_is_in_the_table_and_cites_a_source() -> None:
    ranges = plausible_ranges()
    assert set(ranges) == {r[0] for r in ROWS}
    for path, low, high, _ in ROWS:
        assert (ranges[path].low, ranges[path].high) == (low, high)
        assert ranges[path].sources


def test_every_number_of_case_v1_has_a_plausible_range() -> None:
    """The audit of issue 9: no number is left without a plausible range and a reference
    (a bound has the range of the number it bounds)."""
    from nelm.case.fields import FIELDS, Kind
    from nelm.case.plausibility import plausible_range

    numbers = [f.path for f in FIELDS if f.kind in (Kind.NUMBER, Kind.INTEGER)]
    assert [p for p in numbers if plausible_range(p) is None] == []


def _inside_hard_range(path: str, value: float) -> bool:
    from nelm.case.fields import FIELD_BY_PATH

    spec = FIELD_BY_PATH[path]
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and (value <= lo if spec.exclusive_minimum else value < lo):
        return False
    return hi is None or value <= hi


@pytest.mark.parametrize(("path", "low", "high", "reference"), ROWS, ids=[r[0] for r in ROWS])
def test_both_sides_of_each_end(path: str, low: float, high: float, reference: str) -> None:
    from nelm.case.fields import FIELD_BY_PATH

    step = 1 if FIELD_BY_PATH[path].kind.value == "integer" else 0.01 * max(1.0, low)
    for value, flagged in (
        (low, False),
        (high, False),
        (low - step, True),
        (high + max(step, 0.01 * high), True),
    ):
        if FIELD_BY_PATH[path].kind.value == "integer":
            value = int(value)
        if not _inside_hard_range(path, value):
            continue  # rejected as today by the hard range
        found = implausible_values({path: value})
        assert bool(found) is flagged, (path, value, reference)


def test_platelets_entered_in_10e9_per_litre_are_named() -> None:
    """The issue's case: 210 /µL is the usual slip for 210 × 10⁹/L."""
    assert slip_hint("labs.platelets_per_ul", 210) == ("did you mean 210 × 10⁹/L = 210,000 /µL?")
    with pytest.raises(InputRejected) as info:
        require_confirmed(case_from_mapping(with_changes(BASE, {"labs.platelets_per_ul": 210})))
    problem = info.value.problems[0]
    assert problem.path == "labs.platelets_per_ul"
    assert "did you mean 210 × 10⁹/L = 210,000 /µL?" in problem.got


def test_haemoglobin_in_g_per_litre_is_named_in_the_hard_rejection() -> None:
    with pytest.raises(InputRejected) as info:
        case_from_mapping(with_changes(BASE, {"labs.hemoglobin_g_dl": 130}))
    assert info.value.problems[0].got == "130 (did you mean 130 g/L = 13 g/dL?)"


def test_creatinine_in_micromol_is_named() -> None:
    with pytest.raises(InputRejected) as info:
        case_from_mapping(with_changes(BASE, {"labs.creatinine_mg_dl": 80}))
    assert "did you mean 80 µmol/L = 0.9 mg/dL?" in info.value.problems[0].got


def test_confirmed_value_is_accepted_and_still_warned_first() -> None:
    doc = with_changes(BASE, {"labs.platelets_per_ul": 210})
    doc["confirmed"] = ["labs.platelets_per_ul"]
    result = assess_mapping(doc, with_evidence=False, require_confirmation=True)
    first = result["warnings"][0]
    assert first.startswith("Platelets (labs.platelets_per_ul) 210 /µL is outside")
    assert first.endswith("Confirmed as entered.")
    warning = result["input_warnings"][0]
    assert warning["kind"] == "implausible" and warning["confirmed"] is True
    assert result["inputs"]["confirmed"] == ["labs.platelets_per_ul"]


def test_unconfirmed_value_is_warned_where_it_cannot_be_confirmed() -> None:
    """A FHIR bundle or a cohort row cannot confirm: accepted, with the warning."""
    result = assess_mapping(with_changes(BASE, {"labs.platelets_per_ul": 210}), with_evidence=False)
    assert result["input_warnings"][0]["confirmed"] is False
    assert "Not confirmed" in result["warnings"][0]


def test_confirmed_must_name_numeric_fields() -> None:
    doc: dict[str, Any] = with_changes(BASE, {})
    doc["confirmed"] = ["patient.sex"]
    with pytest.raises(InputRejected) as info:
        case_from_mapping(doc)
    assert info.value.problems[0].path == "confirmed"


# BASE's burden of 20 % is more than its two lesions of at most 2.5 cm can fill (at most
# 2 × π·2.5³/6 ≈ 16 mL beside 700 mL of liver: 2.3 %; Urata 1995), itself a contradiction:
# the contradiction tests start from a base without it.
CONSISTENT = with_changes(BASE, {"liver.tumor_burden_percent": 2})

CONTRADICTIONS: list[tuple[dict[str, Any], tuple[str, ...] | None, str]] = [
    (
        {"imaging.sstr_positive": False, "imaging.krenning_score": 3},
        ("imaging.sstr_positive", "imaging.krenning_score"),
        "Krenning 3 is uptake above normal liver: positive (Krenning 1994)",
    ),
    (
        {"imaging.sstr_positive": False, "imaging.krenning_score": 1},
        None,
        "Krenning 1, below liver, fits a negative study",
    ),
    (
        {"pathology.reported_grade": "G1", "pathology.ki67_percent": 25},
        ("pathology.reported_grade", "pathology.ki67_percent", "pathology.mitoses_per_2mm2"),
        "000 §1: Ki-67 > 20 is G3",
    ),
    (
        {
            "pathology.reported_grade": "G1",
            "pathology.ki67_percent": 2,
            "pathology.mitoses_per_2mm2": 1,
        },
        None,
        "000 §1: Ki-67 < 3 and mitoses < 2 is G1",
    ),
    (
        {"pathology.reported_grade": "NEC", "pathology.differentiation": "well"},
        ("pathology.reported_grade", "pathology.differentiation"),
        "000 §1: NEC is poorly differentiated",
    ),
    (
        {
            "pathology.reported_grade": "NEC",
            "pathology.differentiation": "poor",
            "pathology.ki67_percent": 60,
        },
        None,
        "NEC with poor differentiation is consistent",
    ),
    (
        {"primary.functional_syndrome": "none", "primary.syndrome_refractory": True},
        ("primary.functional_syndrome", "primary.syndrome_refractory"),
        "001 Debulking surgery: a refractory syndrome needs a syndrome",
    ),
    (
        {"primary.functional_syndrome": "none", "patient.carcinoid_heart_disease": True},
        ("primary.functional_syndrome", "patient.carcinoid_heart_disease"),
        "Davar 2017: carcinoid heart disease is a complication of the carcinoid syndrome",
    ),
    (
        {"primary.functional_syndrome": "carcinoid", "patient.carcinoid_heart_disease": True},
        None,
        "Davar 2017: a carcinoid syndrome with its heart disease is consistent",
    ),
]


@pytest.mark.parametrize(
    ("changes", "fields", "source"), CONTRADICTIONS, ids=[c[2] for c in CONTRADICTIONS]
)
def test_contradictions_on_both_sides(
    changes: dict[str, Any], fields: tuple[str, ...] | None, source: str
) -> None:
    result = assess_mapping(with_changes(CONSISTENT, changes), with_evidence=False)
    found = [w for w in result["input_warnings"] if w["kind"] == "contradiction"]
    if fields is None:
        assert found == [], source
    else:
        assert [tuple(w["fields"]) for w in found] == [fields], source
        first = result["warnings"][0]
        assert first.startswith(found[0]["message"]), source
        assert all(path in first for path in fields), source  # the warning names the fields


def test_a_value_keeps_the_unit_it_was_entered_in() -> None:
    """Creatinine 88.4 µmol/L = 1 mg/dL; platelets 1 × 10⁹/L = 1,000 /µL (SI conversions,
    nelm.case.units): computed converted, given back and shown as entered."""
    from nelm.report.view import format_value

    doc = with_changes(
        BASE,
        {
            "labs.creatinine_mg_dl": {"value": 88.4, "unit": "µmol/L"},
            "labs.platelets_per_ul": {"value": 210, "unit": "10^9/L"},
        },
    )
    case = case_from_mapping(doc)
    assert case.values["labs.creatinine_mg_dl"] == 1
    assert case.values["labs.platelets_per_ul"] == 210000
    back = case.to_document()["labs"]
    assert back["platelets_per_ul"] == {"value": 210, "unit": "10⁹/L"}
    assert format_value("labs.platelets_per_ul", back["platelets_per_ul"]) == (
        "210 10⁹/L (210,000 /µL)"
    )
    assert format_value("labs.creatinine_mg_dl", back["creatinine_mg_dl"]) == (
        "88.4 µmol/L (1 mg/dL)"
    )
    require_confirmed(case)  # 210,000 /µL is plausible: nothing to confirm


def test_an_unknown_unit_is_rejected_naming_the_units_accepted() -> None:
    with pytest.raises(InputRejected) as info:
        case_from_mapping(
            with_changes(BASE, {"labs.creatinine_mg_dl": {"value": 1, "unit": "mmol/L"}})
        )
    problem = info.value.problems[0]
    assert problem.path == "labs.creatinine_mg_dl"
    assert "mg/dL, µmol/L" in problem.expected
