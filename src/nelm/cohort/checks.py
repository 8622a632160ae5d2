"""Implausible values in a cohort: assessed as given, and listed in the warnings file.

A case document's implausible value must be confirmed by an interactive client; a cohort
row cannot be, so ``nelm batch`` assesses it as given and lists it, with the slip it most
likely is ("did you mean 210 × 10⁹/L = 210,000 /µL?"), in ``<stem>.warnings.csv`` beside
the results: a registry exported in another unit would otherwise change verdicts silently
(platelets of 210 /µL fail the PRRT marrow criterion). The ranges and slips are those of
``nelm assess`` (``nelm.case.plausibility``); the contradictions between fields that
``nelm assess`` also shows are not checked here.

Every engine finds the rows the same way (one whole-column test per field, ``outside``)
and words them the same way (``warning_lines``): each distinct (field, value) once, by
``implausible_values``, so that a column entirely in the wrong unit costs a few hundred
messages, not one per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from nelm.case.fields import FIELD_BY_PATH, FIELDS, Kind
from nelm.case.plausibility import Finding, implausible_values, plausible_range
from nelm.cohort.validate import REJECTS_SCHEMA

__all__ = [
    "CHECKED",
    "WARNINGS_SCHEMA",
    "case_warning_lines",
    "finding_reason",
    "outside",
    "warning_lines",
    "warnings_path",
]

CHECKED: tuple[str, ...] = tuple(
    f.path
    for f in FIELDS
    if f.kind in (Kind.NUMBER, Kind.INTEGER) and plausible_range(f.path) is not None
)
"""The number columns that have a plausible range (bounds included), in field order."""
_ORDER = {path: i for i, path in enumerate(CHECKED)}

WARNINGS_SCHEMA = REJECTS_SCHEMA
"""One line per implausible value: case id, field, reason, row (1-based, as in rejects)."""


def warnings_path(output: str | Path) -> Path:
    """``results.parquet`` → ``results.warnings.csv``."""
    out = Path(output)
    return out.with_name(f"{out.stem}.warnings.csv")


def outside(columns: Iterable[str] | None = None) -> pl.Expr:
    """True for a row with at least one value outside its plausible range (unknown
    values are never outside)."""
    present = set(columns) if columns is not None else set(CHECKED)
    tests = []
    for path in CHECKED:
        if path not in present:
            continue
        r = plausible_range(path)
        assert r is not None
        tests.append(~pl.col(path).is_between(r.low, r.high))
    # unknown (null) is never outside: Kleene's "or" leaves a row of nulls null, then false
    return pl.any_horizontal(tests).fill_null(False) if tests else pl.lit(False)


def finding_reason(finding: Finding) -> str:
    return f"{finding.finding_text} Assessed as given: check it."


def warning_lines(rows: pl.DataFrame, row_column: str, row_offset: int = 0) -> pl.DataFrame:
    """The warnings of ``rows`` (those ``outside`` marks, with ``case_id``, the checked
    columns and their row number in ``row_column``, plus ``row_offset`` for a 1-based
    number), one line per implausible value, by row and field."""
    if not rows.height:
        return pl.DataFrame(schema=WARNINGS_SCHEMA)
    checked = [p for p in CHECKED if p in rows.columns]
    long = (
        rows.select(
            pl.col("case_id"),
            (pl.col(row_column).cast(pl.Int64) + row_offset).alias("row"),
            *(pl.col(p).cast(pl.Float64) for p in checked),
        )
        .unpivot(index=["case_id", "row"], variable_name="field", value_name="value")
        .drop_nulls("value")
    )
    pairs = long.select("field", "value").unique()
    reasons: dict[tuple[str, float], str] = {}
    for field, value in pairs.iter_rows():
        found = implausible_values({field: _as_typed(field, value)})
        if found:
            reasons[(field, value)] = finding_reason(found[0])
    if not reasons:
        return pl.DataFrame(schema=WARNINGS_SCHEMA)
    table = pl.DataFrame(
        [(f, v, text) for (f, v), text in reasons.items()],
        schema={"field": pl.String(), "value": pl.Float64(), "reason": pl.String()},
        orient="row",
    )
    return (
        long.join(table, on=["field", "value"])
        .with_columns(pl.col("field").replace_strict(_ORDER, return_dtype=pl.Int32).alias("order"))
        .sort("row", "order")
        .select(*WARNINGS_SCHEMA)
    )


def case_warning_lines(
    case_id: str, values: Mapping[str, Any], row: int
) -> list[tuple[str | None, str, str, int]]:
    """The same lines for one case already read (the reference engine)."""
    return [
        (case_id, f.path, finding_reason(f), row)
        for f in implausible_values({p: values[p] for p in CHECKED if p in values})
    ]


def _as_typed(path: str, value: float) -> float | int:
    integer = FIELD_BY_PATH[path].kind is Kind.INTEGER
    return int(value) if integer and value.is_integer() else value
