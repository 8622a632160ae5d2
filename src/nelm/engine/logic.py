"""Kleene's strong three-valued logic: met, not met, unknown.

Unknown is a value of its own. It never becomes met by accident: ``all`` is not met if any
part is not met, else unknown if any part is unknown; ``any`` is met if any part is met, else
unknown if any part is unknown; ``not`` keeps unknown unknown. This is also what polars does
with nullable booleans, which lets the cohort compiler reuse the same meaning.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["Truth", "all_of", "any_of", "negate"]


class Truth(Enum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool) -> Truth:
        return cls.MET if value else cls.NOT_MET


def all_of(parts: Iterable[Truth]) -> Truth:
    result = Truth.MET
    for part in parts:
        if part is Truth.NOT_MET:
            return Truth.NOT_MET
        if part is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def any_of(parts: Iterable[Truth]) -> Truth:
    result = Truth.NOT_MET
    for part in parts:
        if part is Truth.MET:
            return Truth.MET
        if part is Truth.UNKNOWN:
            result = Truth.UNKNOWN
    return result


def negate(part: Truth) -> Truth:
    if part is Truth.UNKNOWN:
        return part
    return Truth.NOT_MET if part is Truth.MET else Truth.MET
