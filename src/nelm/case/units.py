"""Units a number may be entered in besides the contract's own, with the factor to it.

A case document may give such a number as ``{"value": 17.1, "unit": "µmol/L"}``: nelm
computes with the converted value (``value × factor``, in the contract's unit) and keeps the
value as entered, shown with the converted value beside it ("17.1 µmol/L (1 mg/dL)").
Conversions: bilirubin 17.1 µmol/L = 1 mg/dL; creatinine 88.4 µmol/L = 1 mg/dL; albumin and
haemoglobin 10 g/L = 1 g/dL; haemoglobin 1 mmol/L = 1.611 g/dL; 1 × 10⁹/L = 1,000 /µL.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ENTRY_UNITS", "Unit", "entry_unit"]


@dataclass(frozen=True, slots=True)
class Unit:
    key: str  # the form's key for it
    label: str  # as written in a document and shown
    factor: float  # contract value = entered value × factor


ENTRY_UNITS: dict[str, tuple[Unit, ...]] = {
    "labs.bilirubin_mg_dl": (Unit("mg_dl", "mg/dL", 1.0), Unit("umol_l", "µmol/L", 1 / 17.1)),
    "labs.creatinine_mg_dl": (Unit("mg_dl", "mg/dL", 1.0), Unit("umol_l", "µmol/L", 1 / 88.4)),
    "labs.albumin_g_dl": (Unit("g_dl", "g/dL", 1.0), Unit("g_l", "g/L", 0.1)),
    "labs.hemoglobin_g_dl": (
        Unit("g_dl", "g/dL", 1.0),
        Unit("g_l", "g/L", 0.1),
        Unit("mmol_l", "mmol/L", 1.611),
    ),
    "labs.platelets_per_ul": (Unit("per_ul", "/µL", 1.0), Unit("g_l", "10⁹/L", 1000.0)),
    "labs.wbc_per_ul": (Unit("per_ul", "/µL", 1.0), Unit("g_l", "10⁹/L", 1000.0)),
}
"""Per field, its own unit first, then the units it may be entered in."""

_ALIASES = {
    "umol/l": "µmol/L",
    "μmol/l": "µmol/L",
    "10^9/l": "10⁹/L",
    "x10^9/l": "10⁹/L",
    "giga/l": "10⁹/L",
    "/ul": "/µL",
    "/μl": "/µL",
}


def entry_unit(path: str, written: str) -> Unit | None:
    """The unit ``written`` names for the field, by label, key or a usual spelling."""
    wanted = _ALIASES.get(written.strip().lower().replace(" ", ""), written.strip())
    for unit in ENTRY_UNITS.get(path, ()):
        if wanted in (unit.label, unit.key):
            return unit
    return None
