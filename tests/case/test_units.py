"""Entry units: the conversion factors are the standard ones (SI ↔ conventional), and the
usual spellings of a unit are recognised."""

from __future__ import annotations

import pytest

from nelm.case.units import ENTRY_UNITS, clinical_number, entry_unit, typed_number


@pytest.mark.parametrize(
    ("path", "written", "entered", "contract"),
    [
        # bilirubin: 1 mg/dL = 17.1 µmol/L (molar mass 584.7 g/mol)
        ("labs.bilirubin_mg_dl", "µmol/L", 17.1, 1.0),
        # creatinine: 1 mg/dL = 88.4 µmol/L (molar mass 113.1 g/mol)
        ("labs.creatinine_mg_dl", "umol/l", 88.4, 1.0),
        # albumin and haemoglobin: 10 g/L = 1 g/dL
        ("labs.albumin_g_dl", "g/L", 35.0, 3.5),
        ("labs.hemoglobin_g_dl", "g/L", 130.0, 13.0),
        # haemoglobin: 1 mmol/L (as the monomer, 16.1 g/mol ×1000) = 1.611 g/dL
        ("labs.hemoglobin_g_dl", "mmol/L", 10.0, 16.11),
        # cell counts: 1 × 10⁹/L = 1,000 /µL
        ("labs.platelets_per_ul", "10^9/L", 210.0, 210_000.0),
        ("labs.wbc_per_ul", "x10^9/l", 4.5, 4_500.0),
        # 1 × 10³/µL = 1 × 10⁹/L = 1,000 /µL (the "K/µL" of many analysers)
        ("labs.platelets_per_ul", "K/µL", 210.0, 210_000.0),
        # enzyme activity: 1 µkat/L = 60 U/L (1 U = 1 µmol/min = 16.67 nkat; Young 1987)
        ("labs.ldh_u_l", "µkat/L", 3.5, 210.0),
        ("labs.ast_u_l", "ukat/l", 0.5, 30.0),
        # clearance: 1 mL/s = 60 mL/min
        ("labs.egfr_ml_min", "mL/s/1.73 m2", 1.5, 90.0),
        # sizes: 10 mm = 1 cm; a bound takes the units of its number
        ("liver.largest_lesion_cm", "mm", 35.0, 3.5),
        ("liver.largest_lesion_cm_at_most", "mm", 30.0, 3.0),
        ("primary.size_cm", "mm", 18.0, 1.8),
        # intervals: 1 year = 12 months ("> 5 years" in a report)
        ("primary.months_since_primary_resection_at_least", "years", 5.0, 60.0),
        ("course.months_stable", "year", 2.0, 24.0),
        # mitoses per 10 HPF grade with the cut-offs of per 2 mm² (003 Table 1: "< 2/10 HPF,
        # 2-20/10 HPF, > 20/10 HPF", WHO's < 2, 2–20, > 20 per 2 mm²): read as they stand
        ("pathology.mitoses_per_2mm2", "/10 HPF", 3.0, 3.0),
        ("pathology.mitoses_per_2mm2_less_than", "per 10 hpf", 2.0, 2.0),
        # the kidney values' bounds take their units ("creatinine > 400 µmol/L")
        ("labs.creatinine_mg_dl_more_than", "µmol/L", 442.0, 5.0),
    ],
)
def test_an_entered_unit_converts_to_the_contract_unit(
    path: str, written: str, entered: float, contract: float
) -> None:
    unit = entry_unit(path, written)
    assert unit is not None
    assert entered * unit.factor == pytest.approx(contract, rel=1e-3)


def test_each_field_lists_its_own_unit_first() -> None:
    for units in ENTRY_UNITS.values():
        assert units[0].factor == 1.0


@pytest.mark.parametrize(
    ("path", "written"),
    [
        ("labs.platelets_per_ul", "mg/dL"),  # a unit of another quantity
        ("labs.bilirubin_mg_dl", "furlongs"),
        ("patient.age_years", "µmol/L"),  # a field with no entry units
    ],
)
def test_a_unit_the_field_cannot_take_is_not_recognised(path: str, written: str) -> None:
    assert entry_unit(path, written) is None


@pytest.mark.parametrize(
    ("path", "number", "unit", "shown"),
    [
        # as entered, the converted value beside it at clinical precision
        ("labs.bilirubin_mg_dl", 20, "µmol/L", "20 µmol/L (1.17 mg/dL)"),
        ("labs.hemoglobin_g_dl", 131, "g/L", "131 g/L (13.1 g/dL)"),
        ("labs.platelets_per_ul", 210, "10⁹/L", "210 10⁹/L (210,000 /µL)"),
        ("liver.largest_lesion_cm_at_most", 30, "mm", "30 mm (3 cm)"),
        ("course.months_stable", 1.5, "years", "1.5 years (18 months)"),
        ("labs.creatinine_mg_dl", 1.1, "mg/dL", "1.1 mg/dL"),  # the field's own unit
    ],
)
def test_a_number_is_shown_as_entered_with_the_converted_value(
    path: str, number: float, unit: str, shown: str
) -> None:
    from nelm.case.units import as_entered_text

    assert as_entered_text(path, number, unit) == shown


def test_every_field_with_entry_units_has_a_plausible_range_for_its_slips() -> None:
    """A number entered in the wrong one of its units is caught by the plausible range."""
    from nelm.case.plausibility import plausible_range

    assert [p for p in ENTRY_UNITS if plausible_range(p) is None] == []


@pytest.mark.parametrize("zero", [-0.0, -0.001, 0.0])
def test_zero_is_never_shown_with_a_sign(zero: float) -> None:
    # A registry cell "-0" is the number 0 (IEEE 754 negative zero compares equal to 0):
    # nelm batch's polars and reference engines must word its warning alike, and no
    # clinician writes "-0 /µL".
    assert clinical_number(zero) == "0"
    assert typed_number(-0.0) == "0"
    assert clinical_number(-5) == "-5"
