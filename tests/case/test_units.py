"""nelm.case.units: the other units a number may be entered in, and their factors."""

from __future__ import annotations

import pytest

from nelm.case.units import ENTRY_UNITS, entry_unit


@pytest.mark.parametrize(("path", "written", "factor"), [
    # bilirubin: 17.1 µmol/L = 1 mg/dL; creatinine: 88.4 µmol/L = 1 mg/dL (SI conversion
    # factors, e.g. AMA Manual of Style, SI conversion table); albumin 10 g/L = 1 g/dL;
    # platelets 1 × 10⁹/L = 1,000 /µL.
    ("labs.bilirubin_mg_dl", "µmol/L", 1 / 17.1),
    ("labs.creatinine_mg_dl", "µmol/L", 1 / 88.4),
    ("labs.albumin_g_dl", "g/L", 0.1),
    ("labs.platelets_per_ul", "10⁹/L", 1000.0),
])
def test_factors_to_the_contract_unit(path: str, written: str, factor: float) -> None:
    unit = entry_unit(path, written)
    assert unit is not None and unit.factor == pytest.approx(factor)


def test_the_contract_unit_is_always_accepted_with_factor_one() -> None:
    for units in ENTRY_UNITS.values():
        assert units[0].factor == 1.0


def test_an_unknown_unit_is_not_guessed() -> None:
    assert entry_unit("labs.bilirubin_mg_dl", "mg/L") is None
