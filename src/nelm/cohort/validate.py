"""Validating a whole chunk of cohort rows at once, by the rules of ``nelm.case.document``.

Every column is checked with polars expressions, one pass over the chunk: the type, the
range (with the exclusive minimum where a field has one), whole numbers, the allowed
values, ``case_id`` (1–128 characters, not blank), ``schema_version`` and ``label``, and the
rules across fields (an NEC subtype only beside poor differentiation, a single lesion only
unilobar, no extrahepatic sites when ``extrahepatic.present`` is false). Text is read the
plain way here: numbers as written, ``true``/``false``, choices exactly, lists without
empty items or spaces.

A row that passes every check is accepted with its typed values. A row that does not is
flagged, and only flagged rows — the rejects, plus text written in a way the plain reading
does not take, such as `` 12 `` or ``TRUE`` — are read again, one by one, as the per-case
validator reads a case document (``columns.row_document`` and ``case_from_mapping``). That
settles them: a rejected row gets one line per problem in the rejects table, with exactly
the message ``nelm assess`` would print; a row written unusually but validly is accepted.
No row is dropped silently.

Columns that the file should not have are a whole-file error (:func:`check_columns`; what
each should be is said by ``nelm.cohort.header``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from nelm.case.document import Case, case_from_mapping
from nelm.case.fields import BOUNDS, FIELD_BY_PATH, FIELDS, STRICT_BOUNDS, Field, Kind
from nelm.cohort.columns import (
    BLANK_TEXT,
    FORBIDDEN_TEXT,
    INPUT_COLUMNS,
    LIST_SEPARATOR,
    REJECT_COLUMNS,
    is_empty_row,
    row_document,
    shown_case_id,
)
from nelm.cohort.header import column_named, unknown_column
from nelm.errors import InputRejected, Problem
from nelm.knowledge.staging import INVASION_FIELDS
from nelm.text import text_problems

__all__ = [
    "FLAG",
    "RAW",
    "REJECTS_SCHEMA",
    "TYPED_SCHEMA",
    "Validation",
    "check_columns",
    "prepare",
    "prepare_casts",
    "read_again",
    "typed_dtype",
    "validate",
    "validation_plan",
]

_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")

RAW = "__raw:"
"""The prefix under which :func:`validation_plan` keeps a chunk's cells as they came."""
FLAG = "__flag"
"""The column of :func:`validation_plan` that flags a row for a second reading."""

REJECTS_SCHEMA: dict[str, pl.DataType] = {
    "case_id": pl.String(),
    "field": pl.String(),
    "reason": pl.String(),
    "row": pl.Int64(),
}
assert tuple(REJECTS_SCHEMA) == REJECT_COLUMNS


def typed_dtype(spec: Field) -> pl.DataType:
    """The column type a valid value of the field is held in."""
    if spec.kind in (Kind.NUMBER, Kind.INTEGER):
        return pl.Float64()
    if spec.kind is Kind.BOOLEAN:
        return pl.Boolean()
    if spec.kind is Kind.CHOICE:
        return pl.Enum(list(spec.choices))
    if spec.kind is Kind.CHOICES:
        return pl.List(pl.String())
    return pl.String()


TYPED_SCHEMA: dict[str, pl.DataType] = {
    "case_id": pl.String(),
    **{f.path: typed_dtype(f) for f in FIELDS},
}
"""The validated frame the compiler reads: one typed column per case field."""


# --------------------------------------------------------------------------- the file


def check_columns(names: Sequence[str], ignored: Collection[str] = ()) -> None:
    """Reject a file whose header has an unknown or repeated column, or no ``case_id``;
    the ``ignored`` columns (``nelm.cohort.header.ignored_columns``) are left out.

    A first line none of whose cells names a column is no header (a file saved without
    one, whose first line is a patient's row): it is refused in one message that shows
    none of its cells, so that no patient's values reach a terminal or a log."""
    named = [n for n in names if n.strip()]
    if named and not any(n in INPUT_COLUMNS or n.strip() in INPUT_COLUMNS for n in named):
        raise InputRejected(
            [
                Problem(
                    "line 1",
                    "a header line naming the columns: case_id and case field paths such as "
                    "pathology.ki67_percent (docs/cohorts.md)",
                    f"a line of {len(names):,} cells none of which names a column (not shown: "
                    "it may be a patient's row)",
                )
            ]
        )
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name.strip():
            # a separator at the end of the header, as spreadsheets often write one
            problems.append(
                Problem(
                    f"column {position}",
                    "a column with a name (a separator at the end of the header line leaves "
                    "an empty one: remove it)",
                    "a column without a name",
                )
            )
            continue
        if name in seen:
            problems.append(Problem(column_named(name), "each column once", "a repeated column"))
        seen.add(name)
        if name not in INPUT_COLUMNS and name not in ignored:
            problems.append(unknown_column(name))
    if "case_id" not in seen:
        problems.append(Problem("case_id", "a case_id column", "a file without one"))
    if problems:
        raise InputRejected(problems)


def prepare_casts(schema: pl.Schema) -> list[pl.Expr]:
    """The casts that bring a file's column types to those the rules know: text, numbers,
    booleans, lists.

    Categorical text becomes plain text, decimals become floats; any other type (dates,
    structs, binary) is a whole-file error.
    """
    casts: list[pl.Expr] = []
    problems: list[Problem] = []
    for name, dtype in schema.items():
        if isinstance(dtype, pl.Categorical | pl.Enum):
            casts.append(pl.col(name).cast(pl.String))
        elif isinstance(dtype, pl.Decimal):
            casts.append(pl.col(name).cast(pl.Float64))
        elif isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Categorical | pl.Enum):
            casts.append(pl.col(name).cast(pl.List(pl.String)))
        elif not (
            dtype == pl.String
            or dtype == pl.Boolean
            or dtype == pl.Null
            or dtype.is_numeric()
            or isinstance(dtype, pl.List)
        ):
            problems.append(
                Problem(
                    name,
                    "a column of text, numbers, booleans or lists",
                    f"a column of type {dtype}",
                )
            )
    if problems:
        raise InputRejected(problems)
    return casts


def prepare(raw: pl.DataFrame) -> pl.DataFrame:
    """A chunk with the column types the rules know (:func:`prepare_casts`)."""
    casts = prepare_casts(raw.schema)
    return raw.with_columns(casts) if casts else raw


# --------------------------------------------------------------------------- the rules
#
# Each rule gives (value, wrong): the typed value of a cell and whether it fails (null:
# it does not, as for an empty cell). A cell that is wrong flags its row; the value then
# does not matter.


def _number_rule(spec: Field, col: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    if not (dtype == pl.String or dtype.is_numeric()):
        return pl.lit(None, pl.Float64), col.is_not_null()
    # polars reads exactly the finite numbers of columns.NUMBER_TEXT as numbers (a test
    # holds it to that); "inf", "nan" and stray spaces are flagged.
    number = col.cast(pl.Float64, strict=False)
    whole = dtype.is_integer()  # native whole numbers: finite, no fraction
    fine: list[pl.Expr] = [] if whole else [number.is_finite()]
    if spec.kind is Kind.INTEGER and not whole:
        fine.append(number == number.floor())
    if spec.minimum is not None:
        fine.append((number > spec.minimum) if spec.exclusive_minimum else (number >= spec.minimum))
    if spec.maximum is not None:
        fine.append(number <= spec.maximum)
    ok = pl.all_horizontal(fine) if fine else pl.lit(True)
    if dtype == pl.String:  # text that is not a number reads as null: wrong
        return number, col.is_not_null() & ok.fill_null(False).not_()
    # A native number is null only where the cell is empty: null, not wrong (FLAG).
    return number, ok.not_()


def _boolean_rule(col: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    if dtype == pl.Boolean:
        return col, pl.lit(False)
    if dtype == pl.String:
        value = pl.when(col.is_in(_TRUE)).then(True).when(col.is_in(_FALSE)).then(False)
        return value, col.is_not_null() & value.is_null()
    return pl.lit(None, pl.Boolean), col.is_not_null()


def _choice_rule(spec: Field, col: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    enum = typed_dtype(spec)
    if dtype == pl.String:
        value = col.cast(enum, strict=False)
        return value, col.is_not_null() & value.is_null()
    return pl.lit(None, enum), col.is_not_null()


def _choices_rule(spec: Field, col: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    choices = list(spec.choices)
    if dtype == pl.String:
        one = "(?:" + "|".join(re.escape(c) for c in choices) + ")"
        plain = f"^{one}(?:{re.escape(LIST_SEPARATOR)}{one})*$"
        return col.str.split(LIST_SEPARATOR), col.is_not_null() & ~col.str.contains(plain)
    if isinstance(dtype, pl.List) and dtype.inner == pl.String:
        outside = col.list.eval(pl.element().is_in(choices).fill_null(False).not_()).list.any()
        return col, outside
    if isinstance(dtype, pl.List):  # items that are not text: only an empty list is valid
        empty = pl.when(col.is_not_null()).then(pl.lit([], pl.List(pl.String)))
        return empty, col.list.len() > 0
    return pl.lit(None, pl.List(pl.String)), col.is_not_null()


def _field_rule(spec: Field, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    col = pl.col(RAW + spec.path)
    if dtype == pl.Null:
        return pl.lit(None, typed_dtype(spec)), pl.lit(False)
    if spec.kind in (Kind.NUMBER, Kind.INTEGER):
        return _number_rule(spec, col, dtype)
    if spec.kind is Kind.BOOLEAN:
        return _boolean_rule(col, dtype)
    if spec.kind is Kind.CHOICE:
        return _choice_rule(spec, col, dtype)
    return _choices_rule(spec, col, dtype)


def _top_level_rule(name: str, dtype: pl.DataType) -> pl.Expr:
    """Whether the cell of ``case_id``, ``schema_version`` or ``label`` fails."""
    col = pl.col(RAW + name)
    if name == "case_id":
        if dtype != pl.String:
            return pl.lit(True)  # missing, or not text
        length = col.str.len_chars()
        return (
            col.is_null()
            | (length > 128)
            | col.str.contains(BLANK_TEXT)
            | col.str.contains(FORBIDDEN_TEXT)
        )
    if name == "label":
        if dtype != pl.String:
            return col.is_not_null()
        return (col.str.len_chars() > 500) | col.str.contains(FORBIDDEN_TEXT)
    # schema_version: absent or 1 (1.0 is 1, as in JSON)
    if dtype == pl.String or dtype.is_numeric():
        return col.is_not_null() & (col.cast(pl.Float64, strict=False) != 1).fill_null(True)
    return col.is_not_null()


def _cross_rules(schema: Collection[str]) -> list[pl.Expr]:
    """The rules across fields, over typed values (``schema``: the file's columns)."""
    return [
        pl.col("pathology.nec_subtype").is_not_null()
        & (pl.col("pathology.differentiation") == "well"),
        ((pl.col("liver.lesion_count") == 1) | (pl.col("liver.lesion_count_at_most") == 1))
        & pl.col("liver.distribution").is_in(["bilobar_dominant", "bilobar_diffuse"]),
        (pl.col("extrahepatic.present") == False)  # noqa: E712 - a column, not a bool
        & (pl.col("extrahepatic.sites").list.len() > 0),
        *_bound_rules(schema),
        (pl.col("liver.bilobar") & (pl.col("liver.distribution") == "unilobar")),
        (
            pl.col("liver.bilobar").not_()
            & pl.col("liver.distribution").is_in(["bilobar_dominant", "bilobar_diffuse"])
        ),
        (
            pl.col("liver.bilobar")
            & ((pl.col("liver.lesion_count") == 1) | (pl.col("liver.lesion_count_at_most") == 1))
        ),
        (
            pl.col("primary.unresectable_reason").is_not_null()
            & (pl.col("primary.surgical_assessment") == "resectable")
        ),
        (pl.col("primary.extends_beyond_pancreas") == False)  # noqa: E712 - a column
        & pl.any_horizontal(pl.col(p) == True for p in INVASION_FIELDS),  # noqa: E712
    ]


def _bound_rules(schema: Collection[str]) -> list[pl.Expr]:
    """A bound above the other, or an exact value outside its bounds (rows read again)."""
    rules = []
    for path, (lo_path, hi_path) in BOUNDS.items():
        exact, lo, hi = pl.col(path), pl.col(lo_path), pl.col(hi_path)
        rules += [lo > hi, exact < lo, exact > hi]
        # a strict bound's rules only when the file has its column (most have neither)
        if path in STRICT_BOUNDS and any(p in schema for p in STRICT_BOUNDS[path]):
            # two bounds on one side, an empty range, a strict bound at the field's limit:
            # the document validator words each (``cross_field``)
            above, below = (pl.col(p) for p in STRICT_BOUNDS[path])
            spec = FIELD_BY_PATH[path]
            rules += [
                above.is_not_null() & lo.is_not_null(),
                below.is_not_null() & hi.is_not_null(),
            ]
            low, high = pl.coalesce(lo, above), pl.coalesce(hi, below)
            rules += [
                low > high,
                (low == high) & (above.is_not_null() | below.is_not_null()),
                exact <= above,
                exact >= below,
            ]
            if spec.maximum is not None:
                rules.append(above >= spec.maximum)
            if spec.minimum is not None:
                rules.append(below <= spec.minimum)
    return rules


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True, slots=True)
class Validation:
    """A validated chunk: the accepted rows, typed (``TYPED_SCHEMA``, in input order), the
    rejects table (``REJECTS_SCHEMA``, one line per problem), and how many rows the
    column rules flagged for a second reading."""

    typed: pl.DataFrame
    rejects: pl.DataFrame
    rejected_rows: int
    flagged_rows: int
    rows: pl.Series | None = None
    """The 1-based row number of each accepted row (None: every row, from the first)."""
    empty_rows: tuple[int, ...] = ()
    """The 1-based row numbers of the rows with nothing in them: neither accepted nor
    rejected (``columns.is_empty_row``)."""


def validation_plan(prepared: pl.LazyFrame, schema: pl.Schema) -> pl.LazyFrame:
    """The validation of a prepared file or chunk as one lazy query, row for row.

    Its columns: the typed values (``TYPED_SCHEMA``, null where a cell is wrong), the cells
    as they came under ``RAW + name``, and ``FLAG``, true for a row that a column rule or a
    rule across fields flags for a second reading. ``schema`` is the prepared columns' types.
    One query, so that polars can run it on every core and stream a file through it.
    """
    parsed: list[pl.Expr] = []
    flags: list[pl.Expr] = [
        _top_level_rule(n, schema.get(n, pl.Null()))
        for n in ("schema_version", "case_id", "label")
        if n in schema or n == "case_id"
    ]
    for spec in FIELDS:
        if spec.path in schema:
            value, wrong = _field_rule(spec, schema[spec.path])
            flags.append(wrong)
        else:
            value = pl.lit(None, typed_dtype(spec))
        parsed.append(value.alias(spec.path))
    case_id = (
        pl.col(RAW + "case_id") if schema.get("case_id") == pl.String else pl.lit(None, pl.String)
    )
    return (
        prepared.select(pl.col(name).alias(RAW + name) for name in schema)
        .with_columns(
            case_id.alias("case_id"),
            *parsed,
            # A rule that gives null (an empty cell) is not broken; Kleene's "or" then
            # gives null unless some rule is broken, so one fill is every rule's fill.
            pl.any_horizontal(flags).fill_null(False).alias(FLAG),
        )
        .with_columns(pl.any_horizontal(pl.col(FLAG), *_cross_rules(schema)).fill_null(False))
    )


def validate(raw: pl.DataFrame, first_row: int = 1) -> Validation:
    """Validate a prepared chunk whose first data row is number ``first_row`` (1-based)."""
    frame = validation_plan(raw.lazy(), raw.schema).select(*TYPED_SCHEMA, FLAG).collect()
    flagged = frame.get_column(FLAG)
    typed = frame.drop(FLAG)
    if not flagged.any():
        return Validation(typed, pl.DataFrame(schema=REJECTS_SCHEMA), 0, 0)
    positions = flagged.arg_true()
    rejects, rescued, kept, empty = read_again(raw[positions], positions.to_list(), first_row)
    accepted = typed.filter(~flagged)
    positions_kept = pl.int_range(0, raw.height, eager=True, dtype=pl.UInt32).filter(~flagged)
    if rescued.height:
        positions_kept = pl.concat([positions_kept, pl.Series(kept, dtype=pl.UInt32)])
        order = positions_kept.arg_sort()
        accepted = pl.concat([accepted, rescued])[order]
        positions_kept = positions_kept[order]
    rows = (positions_kept.cast(pl.Int64) + first_row).alias("row")
    rejected = len(positions) - rescued.height - len(empty)
    return Validation(accepted, rejects, rejected, len(positions), rows, tuple(empty))


def case_of_row(row: dict[str, Any], text_columns: frozenset[str]) -> Case:
    """One cohort row validated as a case document, or InputRejected with every problem:
    :func:`nelm.case.document.case_from_mapping`'s, and text that breaks the rule of
    :mod:`nelm.text` (a control character), which a case file meets when it is parsed and
    a row would otherwise not meet at all."""
    doc = row_document(row, text_columns)
    problems = text_problems(doc)
    try:
        case = case_from_mapping(doc)
    except InputRejected as exc:
        named = {p.path for p in problems}
        raise InputRejected(problems + [p for p in exc.problems if p.path not in named]) from None
    if problems:
        raise InputRejected(problems)
    return case


def read_again(
    rows: pl.DataFrame, positions: list[int], first_row: int
) -> tuple[pl.DataFrame, pl.DataFrame, list[int], list[int]]:
    """The flagged rows, read one by one as case documents by the per-case validator.

    Returns the rejects table, the typed rows that turned out valid, their positions, and
    the row numbers (1-based) of the rows with nothing in them, neither rejected nor kept.
    """
    text_columns = frozenset(n for n, t in rows.schema.items() if t == pl.String)
    lines: list[tuple[str | None, str, str, int]] = []
    valid: list[dict[str, Any]] = []
    kept: list[int] = []
    empty: list[int] = []
    for position, row in zip(positions, rows.iter_rows(named=True), strict=True):
        if is_empty_row(row):
            empty.append(first_row + position)
            continue
        try:
            case = case_of_row(row, text_columns)
        except InputRejected as exc:
            shown = shown_case_id(row.get("case_id"))
            lines += [(shown, p.path, p.message, first_row + position) for p in exc.problems]
            continue
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in case.values.items()}
        valid.append({"case_id": case.case_id, **values})
        kept.append(position)
    rejects = pl.DataFrame(lines, schema=REJECTS_SCHEMA, orient="row")
    typed = (
        pl.DataFrame(valid, schema=TYPED_SCHEMA, strict=False)
        if valid
        else pl.DataFrame(schema=TYPED_SCHEMA)
    )
    return rejects, typed, kept, empty
