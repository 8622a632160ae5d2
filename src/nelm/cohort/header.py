"""A cohort file's header: what a column nelm does not read should be, and the columns a run
is told to leave out (``nelm batch --ignore-columns``).

A registry writes its own headers: ``bilirubin (umol/L)``, ``Ki-67 (%)``, ``comment``. None
is read in a field's place. A header naming a field with its unit in brackets is answered
with the field's column and, when the unit is not the field's, the conversion to make
first: renamed as it is, a bilirubin in µmol/L (normal up to about 20) would be read as
mg/dL (jaundice). A column that names no field may be left out, but only by name: a typo
in a field's name must never drop that field without a word.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Collection, Sequence

from nelm.case.fields import FIELD_BY_PATH, SECTIONS, Kind
from nelm.case.synonyms import field_named_by
from nelm.case.units import Unit, entry_unit, field_named_in_unit, unit_spelled
from nelm.cohort.columns import INPUT_COLUMNS
from nelm.errors import InputRejected, Problem
from nelm.text import printable

__all__ = ["column_named", "ignored_columns", "unknown_column"]

NAME_SHOWN = 60
"""The most characters of a column's name a message shows."""
_UNIT_SHOWN = 20

_UNIT_IN_BRACKETS = re.compile(r"^(?P<name>.*?\S)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]\s*$")
"""``bilirubin (umol/L)``, ``Ki-67 [%]``: a name, then its unit in round or square brackets."""


def column_named(name: str) -> str:
    """A column's name as a message shows it: quoted when spaces begin or end it (else
    `` case_id`` reads as case_id), cut short when long, a control character escaped."""
    shown = name if len(name) <= NAME_SHOWN else f"{name[:NAME_SHOWN]}… ({len(name):,} characters)"
    shown = printable(shown)
    return f'"{shown}"' if name != name.strip() else shown


def _field_named(name: str) -> str | None:
    """The case field a column name (without its unit) most likely means, if any."""
    if name in FIELD_BY_PATH:
        return name
    section, _, key = name.rpartition(".")
    return field_named_by(section if section in SECTIONS else None, key)


def _conversion(unit: Unit) -> str:
    """How a value in ``unit`` becomes the field's: "÷ 17.1", "× 12"."""
    if unit.factor < 1:
        return f"÷ {1 / unit.factor:.4g}"
    return f"× {unit.factor:.4g}"


def _in_other_unit(path: str, unit: Unit) -> str:
    own = FIELD_BY_PATH[path].unit
    return (
        f"the column {path}, in {own}: convert the values from {unit.label} to {own} "
        f"({_conversion(unit)}) and name it {path}; no column is read in {unit.label}"
    )


def _with_unit(path: str, written: str) -> str | None:
    """What a column naming the number field ``path`` with the unit ``written`` should be;
    None when the field has no unit (a count, a score): then the name alone is the hint."""
    spec = FIELD_BY_PATH[path]
    own = spec.unit
    if spec.kind not in (Kind.NUMBER, Kind.INTEGER) or not own:
        return None
    unit = entry_unit(path, written)
    if unit is not None and unit.factor != 1.0:
        return _in_other_unit(path, unit)
    if unit is not None or unit_spelled(written).lower() == own.lower():
        return f"the column {path}, whose unit is {own} too: name it {path}"
    shown = printable(written.strip()[:_UNIT_SHOWN])
    return (
        f"the column {path}, in {own}: convert the values to {own} and name it {path} "
        f"({shown} is no unit nelm converts to {own})"
    )


def _ignore_hint(name: str) -> str:
    """How to leave the column out, when the option can name it."""
    if "," in name or len(name) > NAME_SHOWN or printable(name) != name:
        return "remove the column"
    return f"remove the column, or leave it out with --ignore-columns {shlex.quote(name.strip())}"


def unknown_column(name: str) -> Problem:
    """The problem with a column the file should not have, saying what it should be."""
    shown = column_named(name)
    if name.strip() in INPUT_COLUMNS:
        return Problem(
            shown,
            f"a known column: {name.strip()}, without the spaces around it",
            "an unknown column",
        )
    in_unit = field_named_in_unit(name)
    if in_unit is not None:
        path, unit = in_unit
        return Problem(shown, _in_other_unit(path, unit), f"a column named in {unit.label}")
    bracketed = _UNIT_IN_BRACKETS.match(name)
    if bracketed is not None:
        field = _field_named(bracketed["name"])
        advice = _with_unit(field, bracketed["unit"]) if field is not None else None
        if advice is not None:
            return Problem(shown, advice, "a column named with its unit")
    # "Grade (WHO 2019)": the bracketed words are no unit, the name before them names a field
    named = _field_named(name) or (_field_named(bracketed["name"]) if bracketed else None)
    if named is None:
        close = difflib.get_close_matches(name, INPUT_COLUMNS, n=1)
        named = close[0] if close else None
    if named is not None:
        return Problem(shown, f"a known column (did you mean {named}?)", "an unknown column")
    return Problem(
        shown,
        "a known column: case_id, schema_version, label or a case field path such as "
        f"pathology.ki67_percent; {_ignore_hint(name)}",
        "an unknown column",
    )


def ignored_columns(header: Sequence[str], wanted: Collection[str]) -> tuple[str, ...]:
    """The header's columns a run leaves out, as the header spells them: each one asked for
    (spaces around a name not counted) must be in the header and must not be a column nelm
    reads, since leaving out a field's column would make the field unknown unseen."""
    problems: list[Problem] = []
    out: list[str] = []
    for item in wanted:
        name = item.strip()
        if not name:
            continue
        if name in INPUT_COLUMNS:
            problems.append(
                Problem(
                    "--ignore-columns",
                    "columns nelm does not read (to leave a field unknown, remove its column "
                    "from the file)",
                    f"{name}, a column nelm reads",
                )
            )
            continue
        found = [column for column in header if column.strip() == name]
        if not found:
            problems.append(
                Problem(
                    "--ignore-columns",
                    "names of columns of the file's header",
                    f"{column_named(name)}, which is not one",
                )
            )
        out.extend(c for c in found if c not in out)
    if problems:
        raise InputRejected(problems)
    return tuple(out)
