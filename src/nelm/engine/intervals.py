"""Numbers a report gives as a range or a bound, as the facts conditions read.

A bounded number (``nelm.case.fields.BOUNDED``) given exactly is that number. Given only by
its ``_at_least`` / ``_at_most`` fields it is an :class:`~nelm.engine.conditions.Interval`,
which the conditions decide only when the whole interval lies on one side of a threshold.
Given neither way it stays absent: unknown.
"""

from __future__ import annotations

from collections.abc import Mapping

from nelm.case.document import Value
from nelm.case.fields import BOUNDS
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
    if lo is None and hi is None:
        return None
    return Interval(lo, hi)


def interval_facts(values: Mapping[str, Value]) -> dict[str, Interval]:
    """Every bounded number known only by its bounds, by its own path."""
    out: dict[str, Interval] = {}
    for path, (lo_path, hi_path) in BOUNDS.items():
        if lo_path not in values and hi_path not in values:
            continue  # no bound given: no interval (the common case, checked cheaply)
        interval = interval_of(values, path)
        if interval is not None:
            out[path] = interval
    return out


def interval_text(interval: Interval, unit: str = "") -> str:
    """``4–5``, ``≥ 11``, ``≤ 3 cm``, ``< 3 %``: an interval as a report would write it."""

    def num(x: float) -> str:
        return f"{x:,.0f}" if abs(x) >= 10000 else f"{x:g}"

    lo, hi = interval.lo, interval.hi
    if interval.hi_open:
        assert hi is not None
        text = f"< {num(hi)}" if lo is None else f"≥ {num(lo)} and < {num(hi)}"
    elif lo is not None and hi is not None:
        text = num(lo) if lo == hi else f"{num(lo)}–{num(hi)}"
    elif lo is not None:
        text = f"≥ {num(lo)}"
    else:
        assert hi is not None
        text = f"≤ {num(hi)}"
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit}".rstrip()
