"""Which of the fields that would settle the WHO grade can change one grade criterion.

``derive_grade`` names the fields that would settle the grade (its ``settle_with``): the
indices not given, or given only as a range, and the differentiation while NEC is open. A
criterion asks less of the grade than that: "G1 or G2" is not decided by whether a Ki-67
between 0 and 3 % is G1 or G2. Listing such an index would send the board after a value
that cannot change the criterion, so each index is kept only where one of its values, with
at most one other of those fields given a value, changes the criterion's result.

The grade is rebuilt here from the indices' grade bands exactly as ``derive_grade`` builds
it (000 §1: the higher index decides; poorly differentiated is NEC, which is high grade;
without a stated differentiation NEC stays possible wherever G3 does): the tests compare
the two on every band and differentiation. Only without a reported grade: a reported grade
narrows the indices' grades in ways a value of two other fields can undo, so with one the
fields are all kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

__all__ = ["INDEX_FIELDS", "GradeInputs", "grade_fields_that_matter", "grade_from_bands"]

_GRADES = ("G1", "G2", "G3")
_ANY = (0, len(_GRADES) - 1)
INDEX_FIELDS = ("pathology.ki67_percent", "pathology.mitoses_per_2mm2")
_DIFFERENTIATION = "pathology.differentiation"

Band = tuple[int, int]
"""The grades an index allows, as (lowest, highest) positions in G1, G2, G3."""


@dataclass(frozen=True, slots=True)
class GradeInputs:
    """What the grade was derived from: each index's band (an index not given allows all
    three grades) and the differentiation (None: not given)."""

    ki67: Band
    mitoses: Band
    differentiation: str | None


def grade_from_bands(ki67: Band, mitoses: Band, differentiation: str | None) -> frozenset[str]:
    """The grades possible, as ``derive_grade`` gives them without a reported grade."""
    lo, hi = max(ki67[0], mitoses[0]), max(ki67[1], mitoses[1])
    graded = {_GRADES[i] for i in range(lo, hi + 1)}
    if differentiation == "poor":
        return frozenset({"NEC"} if "G3" in graded else {*graded, "NEC"})
    if differentiation is None and "G3" in graded:
        return frozenset({*graded, "NEC"})
    return frozenset(graded)


def _truth(possible: frozenset[str], allowed: frozenset[str]) -> str:
    return "met" if possible <= allowed else "not met" if possible.isdisjoint(allowed) else "?"


def _states(band: Band) -> list[Band]:
    """The band as given, then each grade it allows given exactly."""
    return [band, *((g, g) for g in range(band[0], band[1] + 1))] if band[0] != band[1] else [band]


def _differentiations(given: str | None) -> list[str | None]:
    return [given] if given is not None else [None, "well", "poor"]


@lru_cache(maxsize=4096)  # few distinct inputs: 7 bands per index, 3 differentiations
def _index_matters(inputs: GradeInputs, field: str, allowed: frozenset[str]) -> bool:
    own, other = (
        (inputs.ki67, inputs.mitoses) if field == INDEX_FIELDS[0] else (inputs.mitoses, inputs.ki67)
    )
    if own[0] == own[1]:
        return False
    for other_state, differentiation in product(
        _states(other), _differentiations(inputs.differentiation)
    ):
        # At most one other field given a value: the other index or the differentiation.
        if other_state != other and differentiation != inputs.differentiation:
            continue
        results = {
            _truth(grade_from_bands(state, other_state, differentiation), allowed)
            for state in _states(own)
        }
        if len(results) > 1:
            return True
    return False


def grade_fields_that_matter(
    settle_with: tuple[str, ...], inputs: GradeInputs | None, allowed: frozenset[str]
) -> tuple[str, ...]:
    """``settle_with`` without the indices no value of which can change whether the grade
    is one of ``allowed``; all of it when ``inputs`` is None (a reported grade)."""
    if inputs is None:
        return settle_with
    return tuple(
        f for f in settle_with if f not in INDEX_FIELDS or _index_matters(inputs, f, allowed)
    )
