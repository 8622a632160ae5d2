"""Where a number lies against the bounds of a range, strict or inclusive: shared by the
checks of one document (``nelm.case.cross_field``) and by the merge of a file into a
stored case (``nelm.case.merge_bounds``), so that both read "> 20" and "≥ 20" alike."""

from __future__ import annotations

__all__ = ["apart", "outside"]


def outside(number: float, side: str, bound: float, strict: bool) -> bool:
    """Whether ``number`` lies outside a bound on ``side`` ("lower" or "upper"): below
    "at least 20", or at or below "more than 20"."""
    if side == "lower":
        return number < bound or (strict and number == bound)
    return number > bound or (strict and number == bound)


def apart(low: tuple[float, bool], high: tuple[float, bool]) -> bool:
    """Whether a lower and an upper bound, each (number, strict), leave no number between
    them: "at least 20" and "at most 10", or "more than 20" and "less than 20"."""
    return low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1]))
