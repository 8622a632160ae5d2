"""The age as far as the case knows it, for the key facts and for the lists of missing data.

An age given only by bounds (``patient.age_years_at_least`` / ``_at_most``, "in his
fifties") still leaves ``patient.age_years`` in the assessment's missing data when the
bounds straddle a criterion's threshold: the exact age is what would decide. The lists a
board reads ("Open until known", the missing data, a card's "Obtain …") then say what is
known beside the label, "Age (known: 50–59 years)", so nobody reads the age as wholly
unknown. This module imports no other report module: :mod:`nelm.report.view` and
:mod:`nelm.report.board_facts` both use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["age_words", "missing_label", "number_words"]

AGE = "patient.age_years"


def number_words(value: Any) -> str:
    """A number as the pages print it: 60.0 as "60", 12500 as "12,500"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def age_words(patient: Mapping[str, Any], exact: Any) -> str | None:
    """The age exactly, else as the report or a partial birth date bounds it ("55–59
    years", "≥ 61 years"): what the criteria on age read. None: nothing is known."""
    n = number_words
    if exact is not None:
        return f"{n(exact)} years"
    lo, hi = patient.get("age_years_at_least"), patient.get("age_years_at_most")
    if lo is not None and hi is not None:
        return f"{n(lo)} years" if lo == hi else f"{n(lo)}–{n(hi)} years"
    if lo is not None:
        return f"≥ {n(lo)} years"
    return f"≤ {n(hi)} years" if hi is not None else None


def missing_label(doc: Mapping[str, Any], path: str, label: Callable[[str], str]) -> str:
    """The label of a missing field, with what is known of it when the case bounds it
    ("Age (known: 50–59 years)"); any other field, or an age without bounds, by its label
    alone."""
    if path != AGE:
        return label(path)
    patient = (doc.get("inputs") or {}).get("patient")
    if not isinstance(patient, Mapping) or patient.get("age_years") is not None:
        return label(path)
    known = age_words(patient, None)
    return f"{label(path)} (known: {known})" if known else label(path)
