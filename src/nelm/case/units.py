"""Units a number may be entered in besides the contract's own, with the factor to it.

A case document may give such a number as ``{"value": 17.1, "unit": "µmol/L"}``: nelm
computes with the converted value (``value × factor``, in the contract's unit) and keeps the
value as entered, shown with the converted value beside it ("17.1 µmol/L (1 mg/dL)").

Conversions (SI and conventional units; Young DS, Implementation of SI units for clinical
laboratory data, Ann Intern Med 1987;106:114-129): bilirubin 17.1 µmol/L = 1 mg/dL;
creatinine 88.4 µmol/L = 1 mg/dL; albumin and haemoglobin 10 g/L = 1 g/dL; haemoglobin
1 mmol/L = 1.611 g/dL; 1 × 10⁹/L = 1 × 10³/µL = 1,000 /µL; enzyme activity 1 µkat/L = 60 U/L
(1 U = 1 µmol/min = 16.67 nkat); a clearance of 1 mL/s = 60 mL/min. Sizes 10 mm = 1 cm;
intervals 1 year = 12 months. Mitoses per 10 high-power fields grade as per 2 mm² (003
Table 1 gives the WHO cut-offs per 10 HPF). A range or bound of a number
(``…_at_least`` / ``…_at_most``) takes the same units as the number.
"""

from __future__ import annotations

from dataclasses import dataclass

from nelm.case.fields import BOUND_PARTS, FIELD_BY_PATH

__all__ = [
    "ENTRY_UNITS",
    "Unit",
    "as_entered_text",
    "clinical_number",
    "entry_unit",
    "field_named_in_unit",
    "typed_number",
    "unit_spelled",
]


@dataclass(frozen=True, slots=True)
class Unit:
    key: str  # the form's key for it
    label: str  # as written in a document and shown
    factor: float  # contract value = entered value × factor


_CM = (Unit("cm", "cm", 1.0), Unit("mm", "mm", 0.1))
_MONTHS = (Unit("months", "months", 1.0), Unit("years", "years", 12.0))
_ENZYME = (Unit("u_l", "U/L", 1.0), Unit("ukat_l", "µkat/L", 60.0))
_CELLS = (
    Unit("per_ul", "/µL", 1.0),
    Unit("g_l", "10⁹/L", 1000.0),
    Unit("k_ul", "10³/µL", 1000.0),
)

_DECLARED: dict[str, tuple[Unit, ...]] = {
    "labs.bilirubin_mg_dl": (Unit("mg_dl", "mg/dL", 1.0), Unit("umol_l", "µmol/L", 1 / 17.1)),
    "labs.creatinine_mg_dl": (Unit("mg_dl", "mg/dL", 1.0), Unit("umol_l", "µmol/L", 1 / 88.4)),
    "labs.albumin_g_dl": (Unit("g_dl", "g/dL", 1.0), Unit("g_l", "g/L", 0.1)),
    "labs.hemoglobin_g_dl": (
        Unit("g_dl", "g/dL", 1.0),
        Unit("g_l", "g/L", 0.1),
        Unit("mmol_l", "mmol/L", 1.611),
    ),
    "labs.platelets_per_ul": _CELLS,
    "labs.wbc_per_ul": _CELLS,
    "labs.ldh_u_l": _ENZYME,
    "labs.ast_u_l": _ENZYME,
    "labs.egfr_ml_min": (
        Unit("ml_min", "mL/min/1.73 m²", 1.0),
        Unit("ml_s", "mL/s/1.73 m²", 60.0),
    ),
    # 003 Table 1 grades by mitoses per 10 high-power fields with the cut-offs WHO gives per
    # 2 mm² (< 2, 2–20, > 20), so a count per 10 HPF grades as it stands (factor 1).
    "pathology.mitoses_per_2mm2": (
        Unit("per_2mm2", "per 2 mm²", 1.0),
        Unit("per_10hpf", "per 10 HPF", 1.0),
    ),
    "primary.size_cm": _CM,
    "liver.largest_lesion_cm": _CM,
    "primary.months_since_primary_resection": _MONTHS,
    "course.months_stable": _MONTHS,
}


def _with_bounds(declared: dict[str, tuple[Unit, ...]]) -> dict[str, tuple[Unit, ...]]:
    out = dict(declared)
    for path, units in declared.items():
        for bound in BOUND_PARTS.get(path, ()):
            out[bound] = units
    return out


ENTRY_UNITS: dict[str, tuple[Unit, ...]] = _with_bounds(_DECLARED)
"""Per field (bounds included), its own unit first, then the units it may be entered in."""

_ALIASES = {
    "umol/l": "µmol/L",
    "μmol/l": "µmol/L",
    "10^9/l": "10⁹/L",
    "x10^9/l": "10⁹/L",
    "×10^9/l": "10⁹/L",
    "×10⁹/l": "10⁹/L",
    "giga/l": "10⁹/L",
    "g/l(cells)": "10⁹/L",
    "10^3/ul": "10³/µL",
    "10^3/µl": "10³/µL",
    "x10^3/ul": "10³/µL",
    "k/ul": "10³/µL",
    "k/µl": "10³/µL",
    "/ul": "/µL",
    "/μl": "/µL",
    "ukat/l": "µkat/L",
    "μkat/l": "µkat/L",
    "iu/l": "U/L",
    "ml/min": "mL/min/1.73 m²",
    "ml/min/1.73m2": "mL/min/1.73 m²",
    "ml/min/1.73m²": "mL/min/1.73 m²",
    "ml/s": "mL/s/1.73 m²",
    "ml/s/1.73m2": "mL/s/1.73 m²",
    "ml/s/1.73m²": "mL/s/1.73 m²",
    "/2mm2": "per 2 mm²",
    "/2mm²": "per 2 mm²",
    "per2mm2": "per 2 mm²",
    "per2mm²": "per 2 mm²",
    "/10hpf": "per 10 HPF",
    "per10hpf": "per 10 HPF",
    "/10hpfs": "per 10 HPF",
    "per10hpfs": "per 10 HPF",
    "month": "months",
    "year": "years",
    "y": "years",
    "yr": "years",
    "yrs": "years",
    "yearsold": "years",
    "yo": "years",
    "y/o": "years",
    "y.o.": "years",
    "mos": "months",
    "mo": "months",
}


def unit_spelled(written: str) -> str:
    """The unit ``written`` spells, in nelm's label (``umol/L`` → µmol/L, ``yrs`` → years);
    ``written`` itself when it is no usual spelling."""
    return _ALIASES.get(written.strip().lower().replace(" ", ""), written.strip())


def field_named_in_unit(path: str) -> tuple[str, Unit] | None:
    """The field a path names in another unit it may be entered in, with that unit:
    ``labs.bilirubin_umol_l`` → (``labs.bilirubin_mg_dl``, µmol/L), ``liver.largest_lesion_mm``
    → (``liver.largest_lesion_cm``, mm), ``course.years_stable`` → (``course.months_stable``,
    years). Only to name the field; a value is never read in its place."""
    section, _, name = path.partition(".")
    for field_path, units in ENTRY_UNITS.items():
        field_section, field_name = field_path.split(".", 1)
        if field_section != section:
            continue
        own = f"_{units[0].key}_"
        for unit in units[1:]:
            # "umol_l" is also written "umol": bilirubin_umol, creatinine_umol
            spellings = {unit.key, unit.key.removesuffix("_l")} - {"g"}
            for spelling in spellings:
                named = f"_{field_name}_".replace(own, f"_{spelling}_").strip("_")
                if named != field_name and name.lower() == named:
                    return field_path, unit
    return None


def entry_unit(path: str, written: str) -> Unit | None:
    """The unit ``written`` names for the field, by label, key or a usual spelling."""
    wanted = unit_spelled(written)
    for unit in ENTRY_UNITS.get(path, ()):
        if wanted in (unit.label, unit.key) or wanted.lower() == unit.label.lower():
            return unit
    return None


def clinical_number(x: float) -> str:
    """A number at the precision a clinician writes it: 210,000; 13.1; 0.87."""
    magnitude = abs(x)
    if magnitude >= 100 or float(x).is_integer():
        return _unsigned_zero(f"{x:,.0f}")
    if magnitude >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return _unsigned_zero(f"{x:.2f}".rstrip("0").rstrip("."))


def _unsigned_zero(text: str) -> str:
    """Zero for "-0": a registry's "-0", or a tiny negative value rounded, is no negative
    number a clinician would write (and every engine must show the same text)."""
    return "0" if text == "-0" else text


def typed_number(x: float) -> str:
    """A number as it was typed (no rounding beyond six significant digits)."""
    if float(x).is_integer() and abs(x) >= 10000:
        return f"{x:,.0f}"
    return _unsigned_zero(f"{x:g}")


def as_entered_text(path: str, number: float, written: str) -> str:
    """A number kept in the unit it was entered in, with the value nelm computes with beside
    it at clinical precision: "210 10⁹/L (210,000 /µL)", "30 mm (3 cm)"."""
    shown = f"{typed_number(number)} {written}"
    unit = entry_unit(path, written)
    spec = FIELD_BY_PATH.get(path)
    if unit is None or spec is None or unit.factor == 1.0:
        return shown
    converted = clinical_number(number * unit.factor)
    return f"{shown} ({converted}{spec.unit if spec.unit == '%' else ' ' + spec.unit})"
