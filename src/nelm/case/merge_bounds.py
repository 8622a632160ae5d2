"""Which stored parts of a bounded number a file's newer value contradicts.

A number and its bounds (``ki67_percent``, ``…_at_least``, ``…_at_most``) say one thing:
how large the value is. When a file gives one part and the stored case another, the two
may contradict each other (a stored Ki-67 of 12 % and the file's "30–40 %"); the file's is
the newer statement, so a stored part it contradicts goes. A stored part it does not
contradict stays (a stored count of 3 lesions beside the file's "at least 2"): nothing
the file does not contradict is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from nelm.case.fields import FIELD_BY_PATH, FIELDS, Field

__all__ = ["BOUNDED", "contradicted"]

# each bounded number with its (number, at least, at most) fields
BOUNDED: tuple[tuple[Field, Field, Field], ...] = tuple(
    (
        FIELD_BY_PATH[f.bound_of],
        FIELD_BY_PATH[f.path],
        FIELD_BY_PATH[f.path[: -len("_at_least")] + "_at_most"],
    )
    for f in FIELDS
    if f.bound_of is not None and f.path.endswith("_at_least")
)


def _clash(
    part: int, value: float, number: float | None, low: float | None, high: float | None
) -> bool:
    """Whether ``value`` as part ``part`` (0 the number, 1 at least, 2 at most) contradicts
    the other parts given."""
    if part == 0:
        return (low is not None and value < low) or (high is not None and value > high)
    if part == 1:
        return (number is not None and number < value) or (high is not None and value > high)
    return (number is not None and number > value) or (low is not None and value < low)


def contradicted(
    number_at: Callable[[str], float | None], taken: Mapping[str, object]
) -> Iterator[Field]:
    """The stored parts (read by ``number_at`` from the merged case) that the parts taken
    from the file (``taken``, by path) contradict."""
    for group in BOUNDED:
        given = [f.path in taken for f in group]
        if not any(given):
            continue
        told = [number_at(f.path) if g else None for f, g in zip(group, given, strict=True)]
        for part, spec in enumerate(group):
            value = None if given[part] else number_at(spec.path)
            if value is not None and _clash(part, value, *told):
                yield spec
