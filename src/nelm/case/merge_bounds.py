"""Which stored parts of a bounded number a file's newer value contradicts.

A number and its bounds (``ki67_percent``, ``…_at_least``, ``…_at_most``, the strict
``…_more_than`` and ``…_less_than``) say one thing:
how large the value is. When a file gives one part and the stored case another, the two
may contradict each other (a stored Ki-67 of 12 % and the file's "30–40 %"); the file's is
the newer statement, so a stored part it contradicts goes. A stored part it does not
contradict stays (a stored count of 3 lesions beside the file's "at least 2"): nothing
the file does not contradict is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from nelm.case.bound_order import apart, outside
from nelm.case.fields import BOUND_PARTS, FIELD_BY_PATH, Field

__all__ = ["BOUNDED", "contradicted"]

# each bounded number with its fields: the number, then (field, side, strict) per bound
_SIDES = {"at_least": ("lower", False), "at_most": ("upper", False)}
_SIDES.update(more_than=("lower", True), less_than=("upper", True))
BOUNDED: tuple[tuple[Field, tuple[tuple[Field, str, bool], ...]], ...] = tuple(
    (
        FIELD_BY_PATH[number],
        tuple((FIELD_BY_PATH[p], *_SIDES[p[len(number) + 1 :]]) for p in BOUND_PARTS[number]),
    )
    for number in BOUND_PARTS
)


def _clash(
    value: float,
    part: tuple[str, bool] | None,
    number: float | None,
    told: list[tuple[str, float, bool]],
) -> bool:
    """Whether a stored ``value`` (the number when ``part`` is None, else a bound of that
    side and strictness) contradicts what the file told (its number and its bounds)."""
    if part is None:
        return any(outside(value, side, b, strict) for side, b, strict in told)
    side, strict = part
    if number is not None and outside(number, side, value, strict):
        return True
    for other_side, b, other_strict in told:
        if other_side == side:
            return True  # one bound on each side: the file's newer one replaces it
        low, high = (
            ((value, strict), (b, other_strict))
            if side == "lower"
            else ((b, other_strict), (value, strict))
        )
        if apart(low, high):
            return True
    return False


def contradicted(
    number_at: Callable[[str], float | None], taken: Mapping[str, object]
) -> Iterator[Field]:
    """The stored parts (read by ``number_at`` from the merged case) that the parts taken
    from the file (``taken``, by path) contradict."""
    for number_spec, bounds in BOUNDED:
        paths = [number_spec.path, *(b[0].path for b in bounds)]
        if not any(p in taken for p in paths):
            continue
        number = number_at(number_spec.path) if number_spec.path in taken else None
        told = [
            (side, value, strict)
            for spec, side, strict in bounds
            if spec.path in taken and (value := number_at(spec.path)) is not None
        ]
        stored = number_at(number_spec.path) if number_spec.path not in taken else None
        if stored is not None and _clash(stored, None, number, told):
            yield number_spec
        for spec, side, strict in bounds:
            value = None if spec.path in taken else number_at(spec.path)
            if value is not None and _clash(value, (side, strict), number, told):
                yield spec
