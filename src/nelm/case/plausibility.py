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

from nelm.case.fields import FIELD_BY_PATH
from nelm.case.units import ENTRY_UNITS, as_entered_text, clinical_number, entry_unit
from nelm.yaml_data import load_yaml

__all__ = [
    "Finding",
    "PlausibleRange",
    "Slip",
    "UnitCheck",
    "UnitQuestion",
    "clinical_number",
    "entered_slip_hint",
    "implausible_values",
    "plausible_range",
    "plausible_ranges",
    "slip_hint",
    "unit_questions",
]


@dataclass(frozen=True, slots=True)
class Slip:
    """A usual mistake behind an implausible number, and how to read the number instead.

    Three kinds: a unit (``factor``: the number read in ``unit`` is ``number × factor`` in
    the field's unit); a scale read in bands (``bands``: Karnofsky 70–80 is ECOG 1); a
    calendar year typed where a duration is asked (``year``: the number is a year).
    """

    unit: str  # the unit or scale the number was probably entered in
    shown_unit: str
    factor: float | None = None
    bands: tuple[tuple[float, float, float], ...] = ()  # (from, to inclusive) → value
    year: bool = False
    advice: str = ""  # what to enter instead, when the slip is not a simple conversion

    def reading(self, number: float) -> float | None:
        """The number as the field's value, read through this slip (None: does not apply)."""
        if self.factor is not None:
            return number * self.factor
        for low, high, value in self.bands:
            if low <= number <= high:
                return value
        return None

    def hint(self, number: float, fits: bool) -> str | None:
        if self.year:
            if not (1900 <= number <= 2100 and float(number).is_integer()):
                return None
            return f"is {int(number)} {self.unit}? {self.advice}".rstrip()
        read = self.reading(number)
        if read is None or not fits:
            return None
        text = (
            f"did you mean {self.unit} {clinical_number(number)} = "
            f"{self.shown_unit} {clinical_number(read)}?"
            if self.bands
            else f"did you mean {clinical_number(number)} {self.unit} = "
            f"{clinical_number(read)} {self.shown_unit}?"
        )
        return f"{text} {self.advice}".rstrip()


@dataclass(frozen=True, slots=True)
class UnitCheck:
    """Where a plausible number is as likely a usual value in another unit.

    A bilirubin of 17 "mg/dL" is deep jaundice, and 17 µmol/L is a normal bilirubin: the
    two units overlap, so no range can tell the slip from the disease. A number from
    ``low`` to ``high``, given without its unit, is assessed as given with a warning to
    check the unit (never refused: jaundice is real). The doubt can lie below the
    reference too: a haemoglobin of 8.1 "g/dL" is anaemia, 8.1 mmol/L a normal value."""

    low: float
    high: float
    slip: Slip  # the other unit, and how to read the number in it
    reference: str  # the reference interval in that unit, which the warning names
    as_given: str = ""  # what the number is in the field's unit ("" : far above the reference)
    # Yes/no fields that, when true, explain a value this high in the field's own unit
    # (biliary obstruction or a decompensated liver for a bilirubin), each with the words
    # that say so: the question stays, since the slip is still possible, but the warning
    # says what makes the value likely (the first such field the case records).
    explained_by: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PlausibleRange:
    path: str
    low: float
    high: float
    reference: str
    sources: tuple[str, ...]  # full citations
    slips: tuple[Slip, ...] = ()
    advice: str = ""
    """What to enter instead when a value is outside the range and no slip explains it
    (e.g. a lower bound for "innumerable" lesions)."""
    unit_check: UnitCheck | None = None

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def questions_unit(self, value: float) -> bool:
        """Whether a plausible number given without its unit may be in another one."""
        check = self.unit_check
        return check is not None and check.low <= value <= check.high


def _with_unit(number: float, unit: str) -> str:
    return f"{clinical_number(number)}{unit if unit == '%' else ' ' + unit}".rstrip()


@dataclass(frozen=True, slots=True)
class Finding:
    """An implausible value of one case field."""

    path: str
    value: float
    plausible: PlausibleRange
    hint: str | None
    confirmed: bool
    entered: tuple[float, str] | None = None
    """The number and unit as entered, when not in the field's own unit."""

    @property
    def shown_value(self) -> str:
        """The value as entered, with the converted value beside it."""
        if self.entered is not None:
            return as_entered_text(self.path, *self.entered)
        return _with_unit(self.value, FIELD_BY_PATH[self.path].unit)

    @property
    def fix(self) -> str:
        """The likely fix: the slip, else the advice, else check or confirm."""
        return self.hint or self.plausible.advice or "check it, or confirm it as entered"

    @property
    def message(self) -> str:
        tail = (
            " Confirmed as entered."
            if self.confirmed
            else " Not confirmed: check it, or confirm it as entered."
        )
        return self.finding_text + tail

    @property
    def finding_text(self) -> str:
        """What is implausible and the likely slip, without what was done about it."""
        spec = FIELD_BY_PATH[self.path]
        unit = f" {spec.unit}" if spec.unit and spec.unit != "%" else spec.unit
        r = self.plausible
        text = (
            f"{spec.label} ({self.path}) {self.shown_value} is outside "
            f"the plausible range {clinical_number(r.low)}–{clinical_number(r.high)}{unit}"
            f" (reference {r.reference})"
        )
        if self.hint:
            text += f": {self.hint}"
        elif r.advice:
            text += f": {r.advice}"
        else:
            text += "."
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.path,
            "value": self.value,
            "unit": FIELD_BY_PATH[self.path].unit,
            **(
                {"entered": {"value": self.entered[0], "unit": self.entered[1]}}
                if self.entered is not None
                else {}
            ),
            "shown": self.shown_value,
            "plausible_low": self.plausible.low,
            "plausible_high": self.plausible.high,
            "reference": self.plausible.reference,
            "sources": list(self.plausible.sources),
            "hint": self.hint,
            "fix": self.fix,
            "confirmed": self.confirmed,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class UnitQuestion:
    """A plausible value given without its unit that may be in another unit
    (``UnitCheck``): assessed as given, with a warning to check the unit."""

    path: str
    value: float
    plausible: PlausibleRange
    confirmed: bool
    explained: str = ""  # the words of what the case holds that explains the value

    @property
    def hint(self) -> str:
        check = self.plausible.unit_check
        assert check is not None
        slip, number = check.slip, self.value
        read = slip.reading(number)
        assert read is not None  # a unit check's slip is a unit: it always reads
        return (
            f"did you mean {clinical_number(number)} {slip.unit} = "
            f"{clinical_number(read)} {slip.shown_unit}?"
        )

    @property
    def finding_text(self) -> str:
        """What is in doubt and the other reading, without what was done about it."""
        check = self.plausible.unit_check
        assert check is not None
        spec = FIELD_BY_PATH[self.path]
        as_given = check.as_given or f"far above the reference {self.plausible.reference}"
        words = self.explained
        explained = f" {words[:1].upper()}{words[1:]};" if words else ""
        return (
            f"{spec.label} ({self.path}) {_with_unit(self.value, spec.unit or '')} is "
            f"{as_given}, and in {check.slip.unit} it would be a common value (reference "
            f"{check.reference}): {self.hint}{explained} {'c' if explained else 'C'}heck "
            "the unit."
        )

    @property
    def message(self) -> str:
        return self.finding_text + (
            " Confirmed as entered." if self.confirmed else " Assessed as given."
        )

    def as_dict(self) -> dict[str, Any]:
        check = self.plausible.unit_check
        assert check is not None
        return {
            "field": self.path,
            "value": self.value,
            "unit": FIELD_BY_PATH[self.path].unit,
            "other_unit": check.slip.unit,
            "shown": _with_unit(self.value, FIELD_BY_PATH[self.path].unit or ""),
            "reference": self.plausible.reference,
            "other_reference": check.reference,
            "sources": list(self.plausible.sources),
            "hint": self.hint,
            "fix": "check the unit",
            "confirmed": self.confirmed,
            "message": self.message,
        }


def _slip(raw: Mapping[str, Any]) -> Slip:
    return Slip(
        unit=str(raw["unit"]),
        shown_unit=str(raw.get("shown_unit", "")),
        factor=float(raw["factor"]) if "factor" in raw else None,
        bands=tuple((float(a), float(b), float(c)) for a, b, c in raw.get("bands", ())),
        year=bool(raw.get("year", False)),
        advice=str(raw.get("advice", "")),
    )


@cache
def plausible_ranges() -> dict[str, PlausibleRange]:
    """The plausible range of each number that has one (loaded once)."""
    raw = load_yaml(
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
        slips = tuple(_slip(s) for s in entry.get("slips", ()))
        out[path] = PlausibleRange(
            path,
            low,
            high,
            str(entry["reference"]),
            tuple(sources[key] for key in entry["sources"]),
            slips,
            str(entry.get("advice", "")),
            _unit_check(path, entry.get("unit_check"), slips, high),
        )
    return out


def _unit_check(
    path: str, raw: Mapping[str, Any] | None, slips: tuple[Slip, ...], high: float
) -> UnitCheck | None:
    """The doubt runs from ``from`` to ``to`` (the plausible range's top when not given)."""
    if raw is None:
        return None
    slip = next((s for s in slips if s.unit == raw["unit"] and s.factor is not None), None)
    if slip is None:
        raise ValueError(f"plausibility.yaml: {path}'s unit check names no unit slip")
    low, top = float(raw["from"]), float(raw.get("to", high))
    if not low <= top <= high:
        raise ValueError(f"plausibility.yaml: {path}'s unit check must lie in its range")
    explained: list[tuple[str, str]] = []
    for by in raw.get("explained_by") or ():
        field = str(by["field"])
        if field not in FIELD_BY_PATH:
            raise ValueError(f"plausibility.yaml: {path}'s explained_by names no case field")
        explained.append((field, str(by["words"])))
    return UnitCheck(
        low,
        top,
        slip,
        str(raw["reference"]),
        str(raw.get("as_given", "")),
        tuple(explained),
    )


def plausible_range(path: str) -> PlausibleRange | None:
    """The plausible range of a field; a bound (``…_at_least``/``…_at_most``) has the range
    of the number it bounds."""
    ranges = plausible_ranges()
    found = ranges.get(path)
    if found is None:
        spec = FIELD_BY_PATH.get(path)
        if spec is not None and spec.bound_of is not None:
            found = ranges.get(spec.bound_of)
    return found


def slip_hint(path: str, value: float) -> str | None:
    """'did you mean …?' when ``value`` read in a usual wrong unit is plausible."""
    r = plausible_range(path)
    if r is None or r.contains(value):
        return None
    for slip in r.slips:
        read = slip.reading(value)
        hint = slip.hint(value, read is not None and r.contains(read))
        if hint:
            return hint
    return None


def entered_slip_hint(path: str, number: float, written: str) -> str | None:
    """For a number entered with its unit: 'did you mean …?' naming another unit of the
    field in which the number is plausible (210,000 entered in 10⁹/L: /µL)."""
    r = plausible_range(path)
    chosen = entry_unit(path, written)
    if r is None or chosen is None or r.contains(number * chosen.factor):
        return None
    spec = FIELD_BY_PATH[path]
    for unit in ENTRY_UNITS.get(path, ()):
        if unit is chosen or not r.contains(number * unit.factor):
            continue
        if unit.factor == 1.0:
            return f"did you mean {_with_unit(number, unit.label)}?"
        return (
            f"did you mean {clinical_number(number)} {unit.label} = "
            f"{_with_unit(number * unit.factor, spec.unit)}?"
        )
    return None


def implausible_values(
    values: Mapping[str, Any],
    confirmed: Iterable[str] = (),
    entered: Mapping[str, tuple[float, str]] | None = None,
) -> list[Finding]:
    """The values outside their plausible range, in field order; ``entered`` gives the
    number and unit as entered for those not entered in the field's own unit."""
    confirmed_set = set(confirmed)
    entered = entered or {}
    out: list[Finding] = []
    for path, value in values.items():
        r = plausible_range(path)
        if r is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not r.contains(value):
            typed = entered.get(path)
            hint = entered_slip_hint(path, *typed) if typed else slip_hint(path, value)
            out.append(Finding(path, value, r, hint, path in confirmed_set, typed))
    return out


def unit_questions(
    values: Mapping[str, Any],
    confirmed: Iterable[str] = (),
    entered: Mapping[str, tuple[float, str]] | None = None,
) -> list[UnitQuestion]:
    """The plausible values given without their unit that may be in another one
    (``UnitCheck``), in field order; a number entered with another unit (``entered``)
    said its unit and is not questioned."""
    confirmed_set = set(confirmed)
    entered = entered or {}
    out: list[UnitQuestion] = []
    for path, value in values.items():
        r = plausible_range(path)
        if r is None or r.unit_check is None or path in entered:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if r.questions_unit(value):
            explained = next(
                (words for field, words in r.unit_check.explained_by if values.get(field) is True),
                "",
            )
            out.append(UnitQuestion(path, value, r, path in confirmed_set, explained))
    return out
