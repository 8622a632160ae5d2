"""What the case knows of a missing number, for the key facts and the lists of missing data.

A number given only by bounds ("in his fifties", "over 70 %", "Ki-67 15-25 %", "4-5
lesions") still leaves the number in the assessment's missing data when the bounds straddle
a criterion's threshold: the exact value is what would decide. The lists a board reads
("Open until known", the missing data, a card's "Obtain …") then say what is known beside
the label, "Age (known: 50–59 years)", "Hepatic tumour burden (known: > 70 %)", so nobody
reads the number as wholly unknown; a bound the timeline gives (months of stable disease
from dated scans) is named the same way. A reported grade the indices contradict is listed
as what would settle the grade although the report states it: the list names the grade
stated ("stated: G3, against the indices"), so nobody is asked for a grade already given.
This module imports no report module: :mod:`nelm.report.view` and
:mod:`nelm.report.board_facts` both use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, STRICT_BOUNDS

__all__ = ["age_words", "known_words", "missing_label", "number_words"]

AGE = "patient.age_years"
REPORTED_GRADE = "pathology.reported_grade"


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
    ("Age (known: 50–59 years)", "Hepatic tumour burden (known: ≥ 70 %)") or states it
    against the indices ("Grade as the pathology report states it (stated: G3, against the
    indices)"); any other field by its label alone."""
    known = _set_aside(doc, path) or _known(doc, path)
    return f"{label(path)} ({known})" if known else label(path)


def known_words(doc: Mapping[str, Any], path: str) -> str | None:
    """What the case's bounds say of a number it does not give ("known: > 70 %"), else
    None."""
    return _known(doc, path)


def _set_aside(doc: Mapping[str, Any], path: str) -> str | None:
    """A stated field the criteria set aside because another contradicts it
    (``classification.set_aside``): "stated: no, against the Krenning score 3"."""
    classification = doc.get("classification") or {}
    for entry in classification.get("set_aside") or ():
        if entry.get("field") == path:
            value = entry.get("value")
            said = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            return f"stated: {said.replace('_', ' ')}, against {entry.get('contradicts')}"
    return None


def _known(doc: Mapping[str, Any], path: str) -> str | None:
    inputs = doc.get("inputs") or {}
    section, _, key = path.partition(".")
    given = inputs.get(section) if isinstance(inputs, Mapping) else None
    given = given if isinstance(given, Mapping) else {}
    if path == REPORTED_GRADE:
        stated = given.get(key)
        return f"stated: {stated}, against the indices" if isinstance(stated, str) else None
    if path not in BOUNDS or given.get(key) is not None:
        return None
    if path == AGE:
        words = age_words(given, None)
        return f"known: {words}" if words else None
    lo, hi = (given.get(b.rpartition(".")[2]) for b in BOUNDS[path])
    above, below = (
        (given.get(b.rpartition(".")[2]) for b in STRICT_BOUNDS[path])
        if path in STRICT_BOUNDS
        else (None, None)
    )
    if lo is None and hi is None and above is None and below is None:
        # Bounds the timeline worked out (months of stable disease from dated scans) are
        # not in the inputs, which keep the timeline itself.
        lo, hi = (_from_timeline(doc, b) for b in BOUNDS[path])
    unit = FIELD_BY_PATH[path].unit
    if above is not None or below is not None:
        words = _strict_words(lo, above, hi, below, unit)
    else:
        words = _interval_words(lo, hi, unit)
    return f"known: {words}" if words else None


def _strict_words(lo: Any, above: Any, hi: Any, below: Any, unit: str) -> str | None:
    """A range with a strict end ("> 20 %", "> 20 % and ≤ 50 %"): each end with its sign."""
    ends = [
        f"{sign} {written}"
        for sign, bound in ((">", above), ("≥", lo), ("<", below), ("≤", hi))
        if (written := _as_written(bound, unit)) is not None
    ]
    return " and ".join(ends) or None


def _from_timeline(doc: Mapping[str, Any], path: str) -> Any:
    derived = (doc.get("classification") or {}).get("from_timeline") or ()
    return next((d.get("value") for d in derived if d.get("field") == path), None)


def _interval_words(lo: Any, hi: Any, unit: str) -> str | None:
    """A bound as the lists print it ("15–25 %", "≥ 70 %", "≤ 3 cm"); one given with its own
    unit ("30 mm") as written."""
    low, high = _as_written(lo, unit), _as_written(hi, unit)
    if low is not None and high is not None:
        if low == high:
            return low
        if low.endswith(f" {unit}") and high.endswith(f" {unit}") and unit:
            return f"{low.removesuffix(f' {unit}')}–{high}"
        return f"{low}–{high}"
    if low is not None:
        return f"≥ {low}"
    return f"≤ {high}" if high is not None else None


def _as_written(bound: Any, unit: str) -> str | None:
    if isinstance(bound, Mapping):  # {"value": 30, "unit": "mm"}: kept as entered
        value, written = bound.get("value"), bound.get("unit")
        return f"{number_words(value)} {written}" if value is not None and written else None
    if isinstance(bound, (int, float)) and not isinstance(bound, bool):
        return f"{number_words(bound)} {unit}".strip()
    return None
