"""Where a bounded number's bounds came from, as a criterion's value names it.

A range typed by a person reads "(entered)" in the criteria, as the inputs table and the
board summary call such a value. A range a FHIR record gave must not read as typed: it
names the record's resource, the same words whether the record is assessed directly
(``input_source.provenance``) or read back from a stored case (``value_sources``): "Age
65–66 years (from a birth date of the year only, FHIR record Patient/p1)", "Ki-67 ≤ 2 %
(from the FHIR record Observation/k1)" (docs/case-v1-additions.md).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from nelm.case.fields import BOUNDED
from nelm.case.value_sources import resources_of
from nelm.interop.fhir.patient import partial_birth_date_words

__all__ = ["bounds_origin"]


def _whole(source: str) -> str:
    """Both bounds (or the only one) from one source."""
    resources = resources_of(source)
    words = partial_birth_date_words(source)
    if words is not None:
        return f"{words}, FHIR record {resources}"
    return f"from the FHIR record {resources}"


def _part(source: str | None) -> str:
    return "entered" if source is None else f"from the FHIR record {resources_of(source)}"


_SUFFIXES = (
    ("at_least", "lower bound"),
    ("more_than", "lower bound"),
    ("at_most", "upper bound"),
    ("less_than", "upper bound"),
)


def bounds_origin(present: Collection[str], sources: Mapping[str, str]) -> dict[str, str]:
    """A bounded number's path → where its bounds came from, for each number of which a
    bound in ``present`` (the case's fields with a value) has a source; a number whose
    bounds were all entered has none (its criteria read "(entered)"). Bounds of different
    origins say each: "lower bound entered; upper bound from the FHIR record Patient/p1"
    — one bound typed over the record's must not read as the record's."""
    out: dict[str, str] = {}
    for path in BOUNDED:
        given = [
            (word, sources.get(f"{path}_{suffix}"))
            for suffix, word in _SUFFIXES
            if f"{path}_{suffix}" in present
        ]
        origins = {source for _, source in given}
        if origins == {None} or not origins:
            continue
        if len(origins) == 1:
            (only,) = origins
            assert only is not None
            out[path] = _whole(only)
        else:
            out[path] = "; ".join(f"{word} {_part(source)}" for word, source in given)
    return out
