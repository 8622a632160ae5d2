"""Entry units: the conversion factors are the standard ones (SI ↔ conventional), and the
usual spellings of a unit are recognised."""

from __future__ import annotations

import pytest

from nelm.case.units import ENTRY_UNITS, entry_unit


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
