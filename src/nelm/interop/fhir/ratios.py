"""Percentages sent as a fraction or as a ratio: a Ki-67 of 0.15 in UCUM's unity, or 15/100.

* **UCUM's unity** (``1``, or annotations alone such as ``{ratio}``; UCUM §12): the value
  is a pure number and ``%`` is one hundredth of it, so 0.15 is 15 %. A value of 1 or more
  is ambiguous: 15 with unit ``1`` is a percentage sent with the wrong unit or a fraction
  of 1,500 %, and 1 is 100 % or the 1 % of a G1 tumour sent so. It is left unknown and
  listed as a data-quality issue naming the value, never guessed.
* **FHIR R4 Ratio** (``valueRatio``, "a relationship of two Quantity values — expressed as
  a numerator and a denominator", https://hl7.org/fhir/R4/datatypes.html#Ratio): 15/100
  is 15 %, 3 {cells}/20 {cells} is 15 %. Read when both parts hold a number, the
  denominator is above 0, neither part is a bound (``comparator``) and both are in one unit
  (the same UCUM unit once annotations are dropped, or none, or ``1``: a ratio of two
  things counted alike). Anything else is left unknown and listed.

Both are read for the percentages of the mapping (Ki-67, LVEF, tumour burden, FLR, lung
shunt), then checked against the field's range like any other value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from nelm.errors import Problem, describe_value
from nelm.interop.fhir.context import Context, number, range_problem
from nelm.interop.fhir.systems import UCUM, canonical_system
from nelm.interop.fhir.units import is_unity, without_annotations
from nelm.interop.fhir.validate import Entry

__all__ = ["fraction_as_percent", "read_ratio"]


def _checked(
    ctx: Context, entry: Entry, value: float, where: str, path: str, shown: str
) -> float | int | None:
    """``value`` (in %) within the field's range, else None (listed, warned)."""
    value = round(value, 4)
    whole = int(value) if math.isfinite(value) and float(value).is_integer() else value
    problem = range_problem(path, whole, f"{where}", entry.ref, shown, same_unit=False)
    if problem is not None:
        ctx.reject_value(problem, path, entry.ref)
        return None
    return whole


def fraction_as_percent(
    ctx: Context, entry: Entry, raw: float, unit: str, where: str, path: str
) -> float | int | None:
    """A value in UCUM's unity as a percentage: 0.15 → 15; 1 or more is ambiguous (None,
    listed as a data-quality issue)."""
    if raw >= 1:
        ctx.flaw(
            Problem(
                where,
                f"{entry.ref}: for {path} a fraction below 1 in the unit {unit!r} (0.15 is "
                "15 %) or a value in %; a value of 1 or more in the unit 1 may be a "
                "fraction or a percentage sent with the wrong unit",
                f"{raw:g} in the unit {unit!r}",
            ),
            path,
        )
        return None
    value = _checked(ctx, entry, raw * 100, where, path, f"{raw:g} {unit} = {raw * 100:g} %")
    if value is not None:
        ctx.notes.add(f"{path}: read as a fraction (UCUM unit {unit!r}, 0.15 = 15 %)", entry.ref)
    return value


def _part_unit(part: Mapping[str, Any]) -> str:
    """The unit of one part of a ratio, without annotations; "" for none or the unity."""
    code, text, system = part.get("code"), part.get("unit"), part.get("system")
    ucum = not isinstance(system, str) or canonical_system(system) == UCUM
    written = code if isinstance(code, str) and code.strip() and ucum else text
    if not isinstance(written, str) or not written.strip() or is_unity(written):
        return ""
    return without_annotations(written)


def read_ratio(
    ctx: Context, entry: Entry, ratio: Mapping[str, Any], where: str, path: str
) -> float | int | None:
    """A FHIR R4 Ratio as a percentage (numerator ÷ denominator × 100), or None (listed)."""

    def flaw(expected: str, got: str) -> None:
        ctx.flaw(Problem(where, f"{entry.ref}: for {path} {expected}", got), path)

    numerator, denominator = ratio.get("numerator"), ratio.get("denominator")
    if not isinstance(numerator, Mapping) or not isinstance(denominator, Mapping):
        flaw("a ratio with a numerator and a denominator (FHIR R4 Ratio)", "a part missing")
        return None
    top, bottom = number(numerator.get("value")), number(denominator.get("value"))
    if top is None or bottom is None:
        flaw(
            "a ratio of two numbers",
            f"{describe_value(numerator.get('value'))} / "
            f"{describe_value(denominator.get('value'))}",
        )
        return None
    if numerator.get("comparator") or denominator.get("comparator"):
        flaw("a ratio of two numbers, not a bound (comparator)", "a comparator")
        return None
    if bottom <= 0:
        flaw("a ratio whose denominator is above 0", f"{top:g}/{bottom:g}")
        return None
    units = _part_unit(numerator), _part_unit(denominator)
    if units[0] != units[1]:
        flaw(
            "a ratio of two numbers in one unit (15/100, 3 {cells}/20 {cells})",
            " / ".join(describe_value(u) if u else "no unit" for u in units),
        )
        return None
    try:
        percent = top / bottom * 100
    except OverflowError:  # 10**300/1e-300: beyond every range (refused below)
        percent = math.inf
    value = _checked(ctx, entry, percent, where, path, f"{top:g}/{bottom:g} = {percent:g} %")
    if value is not None:
        ctx.notes.add(f"{path}: read from a ratio (valueRatio)", entry.ref)
    return value
