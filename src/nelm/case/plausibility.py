"""Plausible ranges: values that are possible but more likely a slip than a finding.

Every number of case-v1 has a hard range (outside it the value is rejected, by
``nelm.case.document``) and, in ``data/plausibility.yaml``, a plausible range with the
reference it is set from. A value inside the hard range but outside the plausible range is
*implausible*: the interactive adapters (CLI, API, web form) accept it only when the user
confirms it by listing its path in the case document's ``confirmed`` list, and every
assessment shows it as a warning at the top, confirmed or not (a FHIR bundle cannot confirm).

A *slip* is the usual unit mistake behind such a value (a platelet count of 210 entered in
× 10⁹/L where /µL is asked): when the number, read in the slip's unit, converts into the
plausible range, the message names it ("did you mean 210 × 10⁹/L = 210,000 /µL?").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from nelm.case.fields import FIELD_BY_PATH

__all__ = [
    "Finding",
    "PlausibleRange",
    "Slip",
    "clinical_number",
    "implausible_values",
    "plausible_ranges",
    "slip_hint",
]


@dataclass(frozen=True, slots=True)
class Slip:
    unit: str  # the unit the number was probably entered in
    factor: float  # multiply by it to get the field's unit
    shown_unit: str


@dataclass(frozen=True, slots=True)
class PlausibleRange:
    path: str
    low: float
    high: float
    reference: str
    sources: tuple[str, ...]  # full citations
    slips: tuple[Slip, ...] = ()

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class Finding:
    """An implausible value of one case field."""

    path: str
    value: float
    plausible: PlausibleRange
    hint: str | None
    confirmed: bool

    @property
    def message(self) -> str:
        spec = FIELD_BY_PATH[self.path]
        unit = f" {spec.unit}" if spec.unit and spec.unit != "%" else spec.unit
        r = self.plausible
        text = (
            f"{spec.label} ({self.path}) {clinical_number(self.value)}{unit} is outside "
            f"the plausible range {clinical_number(r.low)}–{clinical_number(r.high)}{unit}"
            f" (reference {r.reference})"
        )
        text += f": {self.hint}" if self.hint else "."
        text += (
            " Confirmed as entered."
            if self.confirmed
            else " Not confirmed: check it, or confirm it as entered."
        )
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.path,
            "value": self.value,
            "unit": FIELD_BY_PATH[self.path].unit,
            "plausible_low": self.plausible.low,
            "plausible_high": self.plausible.high,
            "reference": self.plausible.reference,
            "sources": list(self.plausible.sources),
            "hint": self.hint,
            "confirmed": self.confirmed,
            "message": self.message,
        }


@cache
def plausible_ranges() -> dict[str, PlausibleRange]:
    """The plausible range of each number that has one (loaded once)."""
    raw = yaml.safe_load(
        (resources.files("nelm.case") / "data" / "plausibility.yaml").read_text(encoding="utf-8")
    )
    sources: dict[str, str] = raw["sources"]
    out: dict[str, PlausibleRange] = {}
    for path, entry in raw["ranges"].items():
        spec = FIELD_BY_PATH.get(path)
        if spec is None or spec.unit is None:
            raise ValueError(f"plausibility.yaml: {path} is not a case field")
        if not entry.get("sources"):
            raise ValueError(f"plausibility.yaml: {path} cites no source")
        low, high = (float(x) for x in entry["plausible"])
        out[path] = PlausibleRange(
            path,
            low,
            high,
            str(entry["reference"]),
            tuple(sources[key] for key in entry["sources"]),
            tuple(
                Slip(str(s["unit"]), float(s["factor"]), str(s["shown_unit"]))
                for s in entry.get("slips", ())
            ),
        )
    return out


def clinical_number(x: float) -> str:
    """A number at the precision a clinician writes it: 210,000; 13.1; 0.87."""
    magnitude = abs(x)
    if magnitude >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    if magnitude >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2f}".rstrip("0").rstrip(".")


def slip_hint(path: str, value: float) -> str | None:
    """'did you mean …?' when ``value`` read in a usual wrong unit is plausible."""
    r = plausible_ranges().get(path)
    if r is None or r.contains(value):
        return None
    for slip in r.slips:
        converted = value * slip.factor
        if r.contains(converted):
            return (
                f"did you mean {clinical_number(value)} {slip.unit} = "
                f"{clinical_number(converted)} {slip.shown_unit}?"
            )
    return None


def implausible_values(values: Mapping[str, Any], confirmed: Iterable[str] = ()) -> list[Finding]:
    """The values outside their plausible range, in field order."""
    ranges = plausible_ranges()
    confirmed_set = set(confirmed)
    out: list[Finding] = []
    for path, value in values.items():
        r = ranges.get(path)
        if r is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not r.contains(value):
            out.append(Finding(path, value, r, slip_hint(path, value), path in confirmed_set))
    return out
