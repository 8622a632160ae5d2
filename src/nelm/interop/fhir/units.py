"""Unit conversion for FHIR Quantity values: UCUM codes (and common spellings) → case units.

Each *quantity kind* names the unit the case document uses (case-v1) and the units it
accepts, with the factor that converts a value in that unit into the case unit
(``case_value = value × factor``). The factors and where they come from:

* bilirubin, total — case unit mg/dL; 17.1 µmol/L = 1 mg/dL.
* creatinine — case unit mg/dL; 88.4 µmol/L = 1 mg/dL.
  (Both, and haemoglobin's 1.611, are the conversion factors of Young 1987, the same the
  case document uses for a value entered in µmol/L or mmol/L: ``nelm.case.units``. One
  table, so that a record and a typed case decide alike at a threshold such as bilirubin
  2 mg/dL = 34.2 µmol/L.)
* albumin — case unit g/dL. 1 g/L = 0.1 g/dL (1 dL = 0.1 L); 1 g/100 mL = 1 g/dL.
* haemoglobin — case unit g/dL. SI laboratories report the iron-based monomer
  (¼ tetramer): 1 mmol/L = 1.611 g/dL (Young 1987).
* platelets and leukocytes — case unit per µL. 1 L = 10⁶ µL, so 10⁹/L = 10³/µL and
  10³/µL (= "K/µL") = 1000 per µL; 1 mm³ = 1 µL.
* enzymes (LDH, AST) — case unit U/L. 1 U = 1 µmol/min and 1 kat = 1 mol/s, so
  1 µkat = 60 U; 1 µkat/L = 60 U/L.
* eGFR — case unit mL/min/1.73 m². 1 mL/s = 60 mL/min.
* lengths — case unit cm. 1 mm = 0.1 cm.
* mitotic count — case unit mitoses per 2 mm² (WHO 2019/2022). Per mm² × 2;
  per 10 mm² × 0.2. A count per 10 high-power fields is read as it stands: 003 Table 1
  grades per 10 HPF with the cut-offs WHO gives per 2 mm² (< 2, 2–20, > 20), though the
  area of a field depends on the microscope (10 fields are 2 mm² at a field diameter of
  0.5 mm). A count per single field has no such reading and is refused.
* percentages — "%" (UCUM) and the spellings laboratories send instead: "percent",
  "Percent", "pct", and an annotation alone that names it, "{percent}" (factor 1). A
  percentage sent as a fraction in UCUM's unity "1" (0.15 for 15 %) is read by the
  caller (``is_unity``; nelm.interop.fhir.observations), since whether 1.5 means 150 %
  or 1.5 % cannot be told from the unit.

UCUM annotations (a text in curly braces, ``%{tot}``, ``{cells}/uL``) carry no meaning of
their own (UCUM §12, "Curly braces": an annotation alone is the unity 1): a unit not in the
table is looked up again without them, so ``%{positive}`` is ``%``.

A unit is looked up first as written, then with spaces removed, the micro sign (µ, μ)
written ``u``, ``²``/``³`` written 2/3 and the litre written ``L`` (UCUM accepts ``l``
and ``L``), so ``µmol/L``, ``umol/l`` and ``umol/L`` are one unit. Letter case is kept
otherwise: ``G/L`` (giga per litre) is not ``g/L`` (grams per litre). A unit that is not
in the table is refused: the caller turns :class:`UnitError` into a
:class:`~nelm.errors.Problem` naming the resource.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from nelm.case.units import entry_unit
from nelm.errors import UnitError

__all__ = [
    "KINDS",
    "QuantityKind",
    "UnitError",
    "convert",
    "is_unity",
    "normalize_unit",
    "without_annotations",
]


@dataclass(frozen=True, slots=True)
class QuantityKind:
    """What is measured, the case unit, and every accepted unit with its factor."""

    name: str
    case_unit: str
    factors: Mapping[str, float]

    def accepted(self) -> str:
        """The accepted UCUM spellings, for error messages (the first few, "…" for more)."""
        spellings = list(self.factors)
        return ", ".join(spellings[:6]) + (", …" if len(spellings) > 6 else "")

    def factor(self, unit: str) -> float | None:
        if unit in self.factors:
            return self.factors[unit]
        if "%" in self.factors and "".join(unit.split()).casefold() in PERCENT_ANNOTATIONS:
            return self.factors["%"]  # "{percent}" (is_unity)
        plain = without_annotations(unit)
        if plain != unit and plain.strip() and plain in self.factors:
            return self.factors[plain]  # "%{tot}" is "%" (UCUM §12)
        wanted = normalize_unit(unit)
        for written, factor in self.factors.items():
            if normalize_unit(written) == wanted:
                return factor
        # A unit written all in capitals ("MG/DL", as HL7 v2 interfaces often send it) is
        # taken when it matches one accepted unit of this kind whatever the case: within a
        # kind no two accepted units differ only in case (a test checks it). Mixed or
        # lower case is UCUM's own and stays exact (g/L, grams, is no G/L, a count).
        if unit != unit.upper():
            return None
        found = {
            factor
            for written, factor in self.factors.items()
            if normalize_unit(written).casefold() == wanted.casefold()
        }
        return found.pop() if len(found) == 1 else None


# An annotation alone that names the per cent: laboratory interfaces write "{percent}" for
# "%". Read as the unity it would make 0.5 % a fraction, 50 % (a Ki-67 of G1 read as G3).
PERCENT_ANNOTATIONS = frozenset({"{percent}", "{%}", "{pct}", "{percentage}"})
_LITRES = frozenset({"l", "dl", "ml", "ul", "nl", "cl"})
_ANNOTATION = re.compile(r"\{[^{}]*\}")


def without_annotations(unit: str) -> str:
    """``unit`` without its UCUM annotations (``%{Ki67}`` → ``%``, ``{ratio}`` → ``""``)."""
    return _ANNOTATION.sub("", unit).strip()


def is_unity(unit: str) -> bool:
    """True for UCUM's dimensionless unity: ``1``, or annotations alone (``{ratio}``,
    ``1{fraction}``; UCUM §12: an annotation alone stands for the unit 1), except an
    annotation that names the per cent (``{percent}``), which is ``%``."""
    if "".join(unit.split()).casefold() in PERCENT_ANNOTATIONS:
        return False
    plain = without_annotations(unit)
    return plain in ("", "1") and (plain == "1" or plain != unit.strip())


def normalize_unit(unit: str) -> str:
    """Spaces out, µ/μ → u, ²/³ → 2/3, litre as ``L``: the loose form used for lookups."""
    text = "".join(unit.split())
    for micro in ("µ", "μ"):
        text = text.replace(micro, "u")
    text = text.replace("²", "2").replace("³", "3")
    return re.sub(r"[A-Za-z]+", lambda m: m[0][:-1] + "L" if m[0] in _LITRES else m[0], text)


def _case_factor(path: str, label: str) -> float:
    """The factor the case document uses for a value of ``path`` entered in ``label``."""
    unit = entry_unit(path, label)
    if unit is None:  # pragma: no cover - the case table lists these units
        raise LookupError(f"{path} has no entry unit {label}")
    return unit.factor


_BILIRUBIN_UMOL = _case_factor("labs.bilirubin_mg_dl", "µmol/L")  # µmol/L → mg/dL
_CREATININE_UMOL = _case_factor("labs.creatinine_mg_dl", "µmol/L")
_HEMOGLOBIN_MMOL = _case_factor("labs.hemoglobin_g_dl", "mmol/L")  # mmol/L → g/dL

_PER_UL = {  # the common forms first: an error message names the first few
    "/uL": 1.0,
    "10*3/uL": 1e3,
    "10*9/L": 1e3,
    "G/L": 1e3,  # giga per litre (used in France and Germany)
    "10*6/L": 1.0,
    "/mm3": 1.0,
    "{cells}/uL": 1.0,
    "10^3/uL": 1e3,
    "x10E3/uL": 1e3,
    "K/uL": 1e3,
    "10*3/mm3": 1e3,
    "K/mm3": 1e3,  # thousands per mm³ (MEDITECH's spelling)
    "10^9/L": 1e3,
    "x10^9/L": 1e3,
    "x10E9/L": 1e3,
    "Gpt/L": 1e3,  # "Gigapartikel" per litre (German laboratories)
    "/L": 1e-6,
}

KINDS: dict[str, QuantityKind] = {
    kind.name: kind
    for kind in (
        QuantityKind(
            "percent",
            "%",
            {"%": 1.0, "percent": 1.0, "Percent": 1.0, "PERCENT": 1.0, "pct": 1.0},
        ),
        QuantityKind(
            "bilirubin",
            "mg/dL",
            {
                "mg/dL": 1.0,
                "umol/L": _BILIRUBIN_UMOL,
                "mmol/L": _BILIRUBIN_UMOL * 1000,
                "mg/L": 0.1,
            },
        ),
        QuantityKind(
            "albumin",
            "g/dL",
            {
                "g/dL": 1.0,
                "g/L": 0.1,
                "g/100mL": 1.0,
                "g/(100.mL)": 1.0,
                "mg/dL": 0.001,
            },
        ),
        QuantityKind(
            "creatinine",
            "mg/dL",
            {
                "mg/dL": 1.0,
                "umol/L": _CREATININE_UMOL,
                "mmol/L": _CREATININE_UMOL * 1000,
                "mg/L": 0.1,
            },
        ),
        QuantityKind(
            "egfr",
            "mL/min/1.73 m²",
            {
                "mL/min/{1.73_m2}": 1.0,
                "mL/min/1.73m2": 1.0,
                "mL/min/1.73.m2": 1.0,
                "mL/min/(1.73.m2)": 1.0,
                "mL/min/1.73_m2": 1.0,
                "mL/s/{1.73_m2}": 60.0,
                "mL/s/1.73m2": 60.0,
            },
        ),
        QuantityKind(
            "enzyme",
            "U/L",
            {
                "U/L": 1.0,
                "[IU]/L": 1.0,
                "IU/L": 1.0,
                "U/mL": 1000.0,
                "ukat/L": 60.0,
                "nkat/L": 0.06,
            },
        ),
        QuantityKind("count", "/µL", dict(_PER_UL)),
        QuantityKind(
            "hemoglobin",
            "g/dL",
            {
                "g/dL": 1.0,
                "g/L": 0.1,
                "g/100mL": 1.0,
                "g/(100.mL)": 1.0,
                "mmol/L": _HEMOGLOBIN_MMOL,
                "mg/dL": 0.001,
            },
        ),
        QuantityKind("length", "cm", {"cm": 1.0, "mm": 0.1, "m": 100.0}),
        QuantityKind(
            "mitoses",
            "per 2 mm²",
            {
                "/(2.mm2)": 1.0,
                "{mitoses}/(2.mm2)": 1.0,
                "/2mm2": 1.0,
                "{mitoses}/2mm2": 1.0,
                "/mm2": 2.0,
                "{mitoses}/mm2": 2.0,
                "/(10.mm2)": 0.2,
                "{mitoses}/(10.mm2)": 0.2,
                "/10.[HPF]": 1.0,
                "/(10.[HPF])": 1.0,
                "{mitoses}/10.[HPF]": 1.0,
                "{mitoses}/(10.[HPF])": 1.0,
            },
        ),
    )
}


def convert(kind: str, value: float, unit: str | None) -> float:
    """``value`` in ``unit`` expressed in the case unit of ``kind``; raise UnitError."""
    spec = KINDS[kind]
    if unit is None or not unit.strip():
        raise UnitError(f"a unit for this value ({spec.accepted()})")
    factor = spec.factor(unit)
    if factor is None:
        raise UnitError(f"a unit convertible to {spec.case_unit} ({spec.accepted()})")
    try:
        return value * factor
    except OverflowError:  # an int too large for a float: out of every range
        return math.copysign(math.inf, value)
