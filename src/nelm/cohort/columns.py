"""The columns of a cohort file, in and out, and how one cell becomes a case-document value.

A cohort file has one row per case: ``case_id`` plus the case document's dotted field paths
(``nelm.case.fields``), optionally ``schema_version`` and ``label``. A cell is read in one of
two ways, decided by its column's type:

* **text** (every CSV column, and string columns of Parquet): surrounding ASCII white
  space is dropped and an empty cell is unknown. A number is written as in JSON (``12``, ``0.5``,
  ``1e3``; a leading ``+`` and a bare ``.5`` or ``5.`` are accepted too); a boolean as
  ``true`` or ``false`` (any case); a list as items separated by ``;`` (``bone;lung``), a
  cell holding only ``;`` being the empty list. Anything else stays text, and is then
  rejected by the field's rule, just as a JSON string would be. ``case_id`` and ``label``
  are taken exactly as written.
* **native** (Parquet numbers, booleans and lists): the value as it is.

:func:`row_document` turns one row into the case document that the per-case validator
reads; the vectorised validator (``nelm.cohort.validate``) applies the same rules to whole
columns, and the agreement tests hold the two together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nelm.case.fields import FIELDS, OPTION_IDS, TOP_LEVEL, Field, Kind
from nelm.text import printable

__all__ = [
    "BLANK_TEXT",
    "CASE_ID_SHOWN",
    "FORBIDDEN_TEXT",
    "GRADE_BITS",
    "GRADE_VALUES",
    "INPUT_COLUMNS",
    "INTEGER_TEXT",
    "LIST_SEPARATOR",
    "LIVER_TYPE_BITS",
    "LIVER_TYPE_VALUES",
    "NUMBER_TEXT",
    "OUTPUT_COLUMNS",
    "REJECT_COLUMNS",
    "STAGE_COLUMNS",
    "STAGE_SYSTEMS",
    "STATUSES",
    "STATUS_COLUMNS",
    "TEXT_SPACE",
    "TOP_LEVEL_BY_NAME",
    "cell_value",
    "is_empty_row",
    "row_document",
    "shown_case_id",
    "status_column",
    "text_value",
]

LIST_SEPARATOR = ";"
NUMBER_TEXT = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
"""A number written as text (JSON's grammar, plus a leading ``+`` and ``.5``/``5.``)."""
INTEGER_TEXT = r"^[+-]?[0-9]+$"
"""A number written without a fraction or exponent: a JSON integer."""

TEXT_SPACE = " \t\r\n\x0b\x0c"
"""The characters stripped from both ends of a text cell (ASCII white space)."""
BLANK_TEXT = (
    "^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
)
"""Text that Python's ``str.strip()`` empties: what the validator calls a blank case id."""
FORBIDDEN_TEXT = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]"
"""A character no text of a case may hold (``nelm.text``: the C0 controls but tab and line
breaks, DEL, the C1 controls), as a polars pattern; a polars string holds no surrogate."""

_NUMBER = re.compile(NUMBER_TEXT)
_INTEGER = re.compile(INTEGER_TEXT)

TOP_LEVEL_BY_NAME: dict[str, Field] = {f.path: f for f in TOP_LEVEL}
INPUT_COLUMNS: tuple[str, ...] = ("case_id", "schema_version", "label", *(f.path for f in FIELDS))
"""Every column a cohort file may have; ``case_id`` is required."""

STATUSES: tuple[str, ...] = ("eligible", "ineligible", "uncertain")
GRADE_VALUES: tuple[str, ...] = ("G1", "G2", "G3", "NEC")
LIVER_TYPE_VALUES: tuple[str, ...] = ("I", "II", "III")
GRADE_BITS: dict[str, int] = {g: 1 << i for i, g in enumerate(GRADE_VALUES)}
"""The possible grades as a bit mask: G1 = 1, G2 = 2, G3 = 4, NEC = 8."""
LIVER_TYPE_BITS: dict[str, int] = {t: 1 << i for i, t in enumerate(LIVER_TYPE_VALUES)}
"""The possible liver-metastasis types as a bit mask: I = 1, II = 2, III = 4."""


def status_column(option_id: str) -> str:
    return f"{option_id}.status"


STATUS_COLUMNS: tuple[str, ...] = tuple(status_column(o) for o in OPTION_IDS)
STAGE_SYSTEMS: tuple[str, ...] = ("enets", "ajcc7")
"""The staging systems of ``knowledge/data/staging.yaml``, in its order (003 Tables 2, 3)."""
STAGE_COLUMNS: tuple[str, ...] = tuple(
    f"stage_{s}{suffix}" for s in STAGE_SYSTEMS for suffix in ("", "_possible", "_tnm")
)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "case_id",
    "grade",
    "grade_possible",
    "liver_type",
    "portal_drainage",
    *STAGE_COLUMNS,
    *STATUS_COLUMNS,
    "reasons",
)
"""The result file's columns: ``grade`` and ``liver_type`` are the settled values (empty
while more than one is possible, as in assessment-v1), ``grade_possible`` the values still
possible (``G3;NEC``), per staging system the settled stage (``stage_enets``), the stages
still possible (``IIIB;IV``) and the TNM (``T2 N0/N1 M1``), all empty when the system does not
stage the primary (nelm.engine.staging), one status per option in the contract's order,
and ``reasons`` the ids of every criterion not met (which is why each ineligible option is
ineligible)."""
REJECT_COLUMNS: tuple[str, ...] = ("case_id", "field", "reason", "row")
"""The rejects file: the case, the field path, the validator's message, and the 1-based
data row of the input (the header not counted)."""


def text_value(spec: Field, text: str) -> Any:
    """The document value a text cell stands for (``None``: unknown)."""
    if spec.path in ("case_id", "label"):
        return text
    stripped = text.strip(TEXT_SPACE)
    if not stripped:
        return None
    if spec.kind in (Kind.NUMBER, Kind.INTEGER):
        if _INTEGER.match(stripped):
            return int(stripped)
        if _NUMBER.match(stripped):
            return float(stripped)
        return stripped
    if spec.kind is Kind.BOOLEAN:
        lowered = stripped.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return stripped
    if spec.kind is Kind.CHOICES:
        items = (item.strip(TEXT_SPACE) for item in stripped.split(LIST_SEPARATOR))
        return [item for item in items if item]
    return stripped


def cell_value(spec: Field, cell: Any, *, text: bool) -> Any:
    """The document value of one cell, read as text or natively (``None``: unknown)."""
    if cell is None:
        return None
    if text and isinstance(cell, str):
        return text_value(spec, cell)
    return cell


def is_empty_row(row: Mapping[str, Any]) -> bool:
    """A row with nothing in it: every cell empty or blank (a blank line of a CSV file, a
    line of separators only, a Parquet row of nulls). It is no case: skipped and counted,
    never rejected as a case without an id."""
    return all(
        cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row.values()
    )


CASE_ID_SHOWN = 128
"""The most characters of a case id written beside a rejected row's problems (the
contract's longest id); a longer one, itself rejected, is cut short with "…"."""


def shown_case_id(cell: Any) -> str | None:
    """A row's case id as the rejects and warnings files show it: as given, a longer one
    than any valid id cut short (a runaway cell of megabytes would otherwise be copied
    onto every line of the row), a control character as its escape (``\\u001b``), nothing
    when the cell is not text."""
    if not isinstance(cell, str):
        return None
    # a control character written as \u001b: an escape sequence copied into the file
    # would be run by the terminal that shows it
    return printable(cell if len(cell) <= CASE_ID_SHOWN else cell[:CASE_ID_SHOWN] + "…")


def row_document(row: Mapping[str, Any], text_columns: frozenset[str]) -> dict[str, Any]:
    """One cohort row as a case document (sections in the fields' order; unknown omitted)."""
    doc: dict[str, Any] = {}
    for name in ("schema_version", "case_id", "label"):
        if name in row:
            value = cell_value(TOP_LEVEL_BY_NAME[name], row[name], text=name in text_columns)
            if value is not None:
                doc[name] = value
    for spec in FIELDS:
        if spec.path not in row:
            continue
        value = cell_value(spec, row[spec.path], text=spec.path in text_columns)
        if value is not None:
            doc.setdefault(spec.section, {})[spec.name] = value
    return doc
