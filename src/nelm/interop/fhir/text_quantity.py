"""A result a laboratory or pathology system keeps as text (``valueString``) read as the
Quantity or Range it spells ("15%", "< 2 %", "5-10 %", "1.2 mg/dL"), and the data-quality
issues about that Quantity placed at the text it came from."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from nelm.interop.fhir.collect import Issue

__all__ = ["is_bound", "issues_at_text", "largest_limit", "spelt_value", "with_unit"]

# A number and its unit, a bound or a range, written as a system sends a result it keeps
# as text. Anything else in the text ("about 15", "15% (hot spot)", "1,2 mg/dL") is not
# read.
_NUMBER = r"(\d+(?:\.\d+)?)"
# a unit: "%", "mg/dL", "mL/min/1.73m2" (never a digit, sign or decimal mark first, so that
# "1,2 %" and "5-10-15 %" are not read), or a power of ten "10*3/uL", "10^9/L"
_UNIT = r"([^\d\s<>=≤≥\-–,.][^<>=≤≥]*?|10[*^]\d+/[^<>=≤≥\s]+)?"
_TEXT_QUANTITY = re.compile(rf"\s*(<=|>=|<|>|≤|≥)?\s*{_NUMBER}\s*{_UNIT}\s*")
_TEXT_RANGE = re.compile(rf"\s*{_NUMBER}\s*(?:-|–|to)\s*{_NUMBER}\s*{_UNIT}\s*")
_COMPARATORS = {"≤": "<=", "≥": ">="}


def spelt_value(text: str) -> dict[str, Any] | None:
    """``{"valueRange": …}`` or ``{"valueQuantity": …}`` as the text spells it, else None."""
    # a range first: "5 to 10 %" must not be 5 in a unit "to 10 %"
    if (found := _TEXT_RANGE.fullmatch(text)) is not None:
        low, high, unit = found.groups()
        limit = {"unit": unit} if unit else {}
        return {
            "valueRange": {
                "low": {"value": _typed(low), **limit},
                "high": {"value": _typed(high), **limit},
            }
        }
    if (found := _TEXT_QUANTITY.fullmatch(text)) is not None:
        comparator, value, unit = found.groups()
        quantity: dict[str, Any] = {"value": _typed(value), **({"unit": unit} if unit else {})}
        if comparator:
            quantity["comparator"] = _COMPARATORS.get(comparator, comparator)
        return {"valueQuantity": quantity}
    return None


def is_bound(spelt: Mapping[str, Any]) -> bool:
    """True when ``spelt`` (from :func:`spelt_value`) is a bound or a range, not a number."""
    quantity = spelt.get("valueQuantity")
    return "valueRange" in spelt or (isinstance(quantity, Mapping) and "comparator" in quantity)


def largest_limit(spelt: Mapping[str, Any]) -> float | int:
    """The largest number ``spelt`` (from :func:`spelt_value`) holds."""
    values: list[float | int] = [quantity["value"] for quantity in _limits(spelt)]
    return max(values)


def with_unit(spelt: Mapping[str, Any], unit: str) -> dict[str, Any]:
    """``spelt`` (from :func:`spelt_value`) with ``unit`` on each limit written without
    one; a limit that has its own unit keeps it, to be checked as any other."""
    if "valueRange" in spelt:
        limits = spelt["valueRange"]
        return {"valueRange": {key: _with_unit(limits[key], unit) for key in limits}}
    return {"valueQuantity": _with_unit(spelt["valueQuantity"], unit)}


def _with_unit(quantity: Mapping[str, Any], unit: str) -> dict[str, Any]:
    return dict(quantity) if "unit" in quantity else {**quantity, "unit": unit}


def _limits(spelt: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if "valueRange" in spelt:
        return list(spelt["valueRange"].values())
    return [spelt["valueQuantity"]]


def issues_at_text(issues: list[Issue], first: int, base: str) -> None:
    """The issues from ``first`` on about the Quantity or Range a ``valueString`` spelt,
    placed at ``{base}.valueString``: that Quantity is no element of the record (its value,
    unit and limits are all in the one string), so a path such as
    ``valueString.valueQuantity.unit`` would name an element no integrator can find."""
    spelt = (f"{base}.valueQuantity", f"{base}.valueRange")
    for index in range(first, len(issues)):
        if issues[index].path.startswith(spelt):
            issues[index] = dataclasses.replace(issues[index], path=f"{base}.valueString")


def _typed(text: str) -> float | int:
    """A number as JSON would have given it: whole without a decimal point."""
    return float(text) if "." in text else int(text)
