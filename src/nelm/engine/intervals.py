"""Numbers a report gives as a range or a bound, as the facts conditions read.

A bounded number (``nelm.case.fields.BOUNDED``) given exactly is that number. Given only by
its ``_at_least`` / ``_at_most`` fields (or the strict ``_more_than`` / ``_less_than``) it
is an :class:`~nelm.engine.conditions.Interval`, which the conditions decide only when the
whole interval lies on one side of a threshold. Given neither way it stays absent: unknown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from nelm.case.document import Value
from nelm.case.fields import BOUND_PARTS, BOUNDS, STRICT_BOUNDS
from nelm.engine.conditions import Interval

__all__ = ["interval_facts", "interval_of", "interval_text"]


def _number(value: Value | None) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def interval_of(values: Mapping[str, Value], path: str) -> Interval | None:
    """The interval of a bounded number given only by its bounds (None: exact or unknown)."""
    if _number(values.get(path)) is not None:
        return None
    lo_path, hi_path = BOUNDS[path]
    lo, hi = _number(values.get(lo_path)), _number(values.get(hi_path))
    lo_strict = hi_strict = False
    if path in STRICT_BOUNDS:
        # The validator lets a case give one lower and one upper bound; a strict one is
        # held as the nearest number past it (Interval's docstring).
        above, below = (_number(values.get(p)) for p in STRICT_BOUNDS[path])
        if lo is None and above is not None:
            lo, lo_strict = math.nextafter(above, math.inf), True
        if hi is None and below is not None:
            hi, hi_strict = math.nextafter(below, -math.inf), True
    if lo is None and hi is None:
        return None
    return Interval(lo, hi, lo_strict=lo_strict, hi_strict=hi_strict)


def _stated_bound(interval: Interval, end: str) -> float | int | None:
    """The number a case states for an end (``"lo"`` or ``"hi"``) of the interval: a strict
    end's own number (20 for "> 20"), not the float next to it that the interval holds."""
    if end == "lo":
        lo = interval.lo
        return math.nextafter(lo, -math.inf) if lo is not None and interval.lo_strict else lo
    hi = interval.hi
    return math.nextafter(hi, math.inf) if hi is not None and interval.hi_strict else hi


def interval_facts(values: Mapping[str, Value]) -> dict[str, Interval]:
    """Every bounded number known only by its bounds, by its own path."""
    out: dict[str, Interval] = {}
    for path, parts in BOUND_PARTS.items():
        if not any(p in values for p in parts):
            continue  # no bound given: no interval (the common case, checked cheaply)
        interval = interval_of(values, path)
        if interval is not None:
            out[path] = interval
    return out


def interval_text(
    interval: Interval, unit: str = "", number: Callable[[float], str] | None = None
) -> str:
    """``4–5``, ``≥ 11``, ``≤ 3 cm``, ``< 3 %``: an interval as a report would write it.
    ``number`` writes each end (a bound converted from another unit is rounded as a
    clinician writes it: "> 4.52 mg/dL", not "> 4.52489")."""

    def num(x: float) -> str:
        if number is not None:
            return number(x)
        return f"{x:,.0f}" if abs(x) >= 10000 else f"{x:g}"

    lo, hi = _stated_bound(interval, "lo"), _stated_bound(interval, "hi")
    above = ">" if interval.lo_strict else "≥"
    below = "<" if interval.hi_open or interval.hi_strict else "≤"
    if (interval.hi_open or interval.lo_strict or interval.hi_strict) and None not in (lo, hi):
        assert lo is not None and hi is not None
        text = f"{above} {num(lo)} and {below} {num(hi)}"
    elif lo is not None and hi is not None:
        text = num(lo) if lo == hi else f"{num(lo)}–{num(hi)}"
    elif lo is not None:
        text = f"{above} {num(lo)}"
    else:
        assert hi is not None
        text = f"{below} {num(hi)}"
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit}".rstrip()
