"""Implausible values in a cohort: assessed as given, and listed in the warnings file.

A case document's implausible value must be confirmed by an interactive client; a cohort
row cannot be, so ``nelm batch`` assesses it as given and lists it, with the slip it most
likely is ("did you mean 210 × 10⁹/L = 210,000 /µL?"), in ``<stem>.warnings.csv`` beside
the results: a registry exported in another unit would otherwise change verdicts silently
(platelets of 210 /µL fail the PRRT marrow criterion). The ranges and slips are those of
``nelm assess`` (``nelm.case.plausibility``). So are the contradictions between fields
that can turn a verdict unseen (``COVERED``: an eGFR no creatinine can give, SSTR imaging
against its Krenning score, a reported grade against the measured one, a poorly
differentiated tumour with a low Ki-67, fitness beside ECOG 4, an unknown primary given as
resected or measured, which reads as no portal drainage); the others of
``nelm assess`` (``nelm.engine.consistency``) are not checked here.

Every engine finds the rows the same way (whole-column tests, ``suspect``) and words them
the same way: an implausible value by ``implausible_values``, each distinct (field, value)
once, so that a column entirely in the wrong unit costs a few hundred messages, not one
per row; a contradiction by ``contradictions`` itself, for the marked rows only. The
masks find exactly the rows those functions flag (the agreement tests hold them to the
reference engine, which asks the functions of every row).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from nelm.case.fields import FIELD_BY_PATH, FIELDS, Kind
from nelm.case.plausibility import (
    Finding,
    UnitQuestion,
    implausible_values,
    plausible_range,
    unit_questions,
)
from nelm.cohort.columns import BLANK_TEXT, CASE_ID_SHOWN, FORBIDDEN_TEXT
from nelm.cohort.io import InputFile
from nelm.cohort.validate import REJECTS_SCHEMA
from nelm.engine.consistency import CKD_EPI_SLACK, Contradiction, contradictions
from nelm.engine.derive import PRIMARY_REMOVED_BY, SINCE_RESECTION
from nelm.engine.kidney import CKD_EPI_ADULT_AGE, CKD_EPI_BY_SEX, CKD_EPI_OLDEST_AGE
from nelm.knowledge.loader import load_knowledge

__all__ = [
    "CHECKED",
    "COVERED",
    "COVERED_FIRST",
    "WARNINGS_SCHEMA",
    "case_warning_lines",
    "checked_lines",
    "finding_reason",
    "outside",
    "repeated_ids",
    "suspect",
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


def repeated_ids(source: InputFile) -> pl.DataFrame:
    """The warnings on the rows whose case id is on more than one row, in row order (none
    when the file has no ``case_id`` column): each row is taken as a case of its own, and
    the warnings file says so after the other warnings (a registry that exported a patient
    twice, with different values, would otherwise give two verdicts unremarked). Only the
    ids a case may have (1 to 128 characters, not blank): another is rejected as such, and
    a runaway cell is not copied onto a line per row.

    Each engine writes these lines into its warnings file before the run's files are put
    in place, so that a run stopped at any moment never leaves a warnings file without them
    beside its results."""
    none = pl.DataFrame(schema=WARNINGS_SCHEMA)
    if "case_id" not in source.columns:
        return none
    try:
        scan = source.scan().select(pl.col("case_id").cast(pl.String))
        # The hashes on more than one row, first: a superset of the repeated ids, few (a
        # 64-bit hash), found at a third of the cost of comparing every id's text (0.09 s
        # instead of 0.26 s of CPU per million rows), and holding 8 bytes a row where the
        # ids' text would be held whole (0.5 GB more at 10,000,000 rows: ``nelm batch``
        # looks for them while it evaluates). Whether an id may be a case's is a property
        # of its text alone, so an id is repeated among the ids kept exactly when it is
        # repeated in the file.
        hashes = scan.select(pl.col("case_id").hash()).collect(engine="streaming")
        repeated = hashes.filter(pl.col("case_id").is_duplicated()).get_column("case_id")
        if repeated.is_empty():
            return none
        ids = (
            scan.with_row_index("row", offset=1)
            .filter(pl.col("case_id").hash().is_in(repeated.unique().implode()))
            .filter(
                pl.col("case_id").str.len_chars().is_between(1, CASE_ID_SHOWN)
                & ~pl.col("case_id").str.contains(BLANK_TEXT)
                & ~pl.col("case_id").str.contains(FORBIDDEN_TEXT)
            )
            .filter(pl.col("case_id").is_duplicated())
            .collect()
        )
    except (pl.exceptions.PolarsError, OSError):  # the run itself read the file: rare
        return none
    if ids.is_empty():
        return none
    rows_of = ids.group_by("case_id", maintain_order=True).agg(pl.col("row"))
    return ids.join(rows_of.rename({"row": "rows"}), on="case_id").select(
        "case_id",
        pl.lit("case_id").alias("field"),
        pl.format(
            "The case id {} is on rows {}: each row is taken as a case of its own "
            "(assessed, or rejected with its reasons in the rejects file); check whether "
            "they are one patient.",
            pl.col("case_id"),
            pl.col("rows").cast(pl.List(pl.String)).list.join(", "),
        ).alias("reason"),
        pl.col("row").cast(pl.Int64),
    )


def outside(columns: Iterable[str] | None = None) -> pl.Expr:
    """True for a row with at least one value outside its plausible range, or inside it
    where the unit is in doubt (``UnitCheck``: a cohort's column has no unit of its own);
    unknown values are never outside."""
    present = set(columns) if columns is not None else set(CHECKED)
    tests = []
    for path in CHECKED:
        if path not in present:
            continue
        r = plausible_range(path)
        assert r is not None
        if r.unit_check is None:
            tests.append(~pl.col(path).is_between(r.low, r.high))
        else:  # outside the range, or inside the zone where the unit is in doubt
            check = r.unit_check
            tests.append(
                ~pl.col(path).is_between(r.low, r.high)
                | pl.col(path).is_between(check.low, check.high)
            )
    # unknown (null) is never outside: Kleene's "or" leaves a row of nulls null, then false
    return pl.any_horizontal(tests).fill_null(False) if tests else pl.lit(False)


def finding_reason(finding: Finding | UnitQuestion) -> str:
    if isinstance(finding, UnitQuestion):
        return f"{finding.finding_text} Assessed as given."
    return f"{finding.finding_text} Assessed as given: check it."


def _value_findings(values: Mapping[str, Any]) -> list[Finding | UnitQuestion]:
    """The implausible values and the values whose unit is in doubt, in field order."""
    found: list[Finding | UnitQuestion] = [*implausible_values(values), *unit_questions(values)]
    return sorted(found, key=lambda f: _ORDER[f.path])


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
        found = _value_findings({field: _as_typed(field, value)})
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
    grades = load_knowledge().derivations.grade
    lines: list[tuple[str | None, str, str, int]] = [
        (case_id, f.path, finding_reason(f), row)
        for f in _value_findings({p: values[p] for p in CHECKED if p in values})
    ]
    return lines + [
        (case_id, c.fields[0], contradiction_reason(c), row)
        for c in covered(contradictions(values, grades))
    ]


def _as_typed(path: str, value: float) -> float | int:
    """A number as a case holds it (``nelm.case.typed_values``): a whole number of an
    integer field as an int, -0.0 as 0."""
    integer = FIELD_BY_PATH[path].kind is Kind.INTEGER
    value = value + 0.0 if value == 0 else value
    return int(value) if integer and value.is_integer() else value


COVERED: frozenset[tuple[str, ...]] = frozenset(
    {
        ("labs.egfr_ml_min", "labs.creatinine_mg_dl"),
        ("imaging.sstr_positive", "imaging.krenning_score"),
        ("pathology.reported_grade", "pathology.ki67_percent", "pathology.mitoses_per_2mm2"),
        ("pathology.differentiation", "pathology.ki67_percent"),
        ("patient.fit_for_major_surgery", "patient.ecog"),
    }
)
"""The contradictions ``nelm batch`` lists, by the fields each names."""
COVERED_FIRST = frozenset({"primary.site"})
"""... and those it lists whatever fields follow the first (an unknown primary beside
its resection, margin, time since resection, T category or size)."""


def _grade_of(column: str, g1_below: float, g2_max: float) -> pl.Expr:
    value = pl.col(column)  # unknown stays unknown: no branch is taken for a null
    return (
        pl.when(value < g1_below).then(1).when(value <= g2_max).then(2).when(value > g2_max).then(3)
    )


def _creatinine_part(log_creatinine: pl.Expr, female: bool) -> pl.Expr:
    """CKD-EPI 2021's creatinine term, as ``nelm.engine.consistency`` computes it:
    min(Scr/κ, 1)^α · max(Scr/κ, 1)^-1.200 (× 1.012 for women), written as one exponential
    of log Scr (min and max leave one power of Scr/κ), which keeps the whole-column test
    cheap."""
    k = CKD_EPI_BY_SEX["female" if female else "male"]
    log_ratio = log_creatinine - math.log(k.kappa)
    exponent = (
        pl.when(log_ratio < 0).then(log_ratio * k.alpha).otherwise(log_ratio * k.exponent_above)
    )
    return exponent.exp() * k.factor


def _age_part(age: pl.Expr) -> pl.Expr:
    return (age * math.log(CKD_EPI_BY_SEX["male"].age_base)).exp()


def _contradicted() -> pl.Expr:
    """True for a row with a contradiction of ``COVERED`` (the rules of
    ``nelm.engine.consistency``, written over whole columns)."""
    t = load_knowledge().derivations.grade
    col = pl.col
    sstr, krenning = col("imaging.sstr_positive"), col("imaging.krenning_score")
    ki67, mitoses = col("pathology.ki67_percent"), col("pathology.mitoses_per_2mm2")
    poor = col("pathology.differentiation") == "poor"
    measured = pl.max_horizontal(
        _grade_of("pathology.ki67_percent", t.ki67_g1_below, t.ki67_g2_max),
        _grade_of("pathology.mitoses_per_2mm2", t.mitoses_g1_below, t.mitoses_g2_max),
    )
    reported = col("pathology.reported_grade").replace_strict(
        {"G1": 1, "G2": 2, "G3": 3}, default=None, return_dtype=pl.Int8
    )
    # Ki-67 0.25 for 25 %: the fraction read as a percentage gives the reported grade
    as_percent = ki67 * 100
    fraction = (
        (ki67 > 0)
        & (ki67 < 1)
        & (
            pl.when(as_percent < t.ki67_g1_below)
            .then(1)
            .when(as_percent <= t.ki67_g2_max)
            .then(2)
            .when(as_percent > t.ki67_g2_max)
            .then(3)
            == reported
        )
    )
    creatinine, egfr = col("labs.creatinine_mg_dl"), col("labs.egfr_ml_min")
    egfr_above = pl.coalesce(col("labs.egfr_ml_min_at_least"), col("labs.egfr_ml_min_more_than"))
    egfr_below = pl.coalesce(col("labs.egfr_ml_min_at_most"), col("labs.egfr_ml_min_less_than"))
    sex = col("patient.sex")
    # The age's bounds: the exact age when given, else patient.age_years_at_least / _at_most
    # (null: unbounded), read as ``nelm.engine.consistency`` reads them: the adult ages the
    # patient may have, any adult age when unknown.
    age = col("patient.age_years")
    age_lo = pl.coalesce(age, col("patient.age_years_at_least"))
    age_hi = pl.coalesce(age, col("patient.age_years_at_most"))
    young = pl.max_horizontal(age_lo.fill_null(CKD_EPI_ADULT_AGE), pl.lit(CKD_EPI_ADULT_AGE))
    old = age_hi.fill_null(pl.max_horizontal(young, pl.lit(CKD_EPI_OLDEST_AGE)))
    female_possible = sex.is_null() | (sex == "female") | (sex == "other")
    male_possible = sex.is_null() | (sex == "male") | (sex == "other")
    log_creatinine = creatinine.log()
    as_female = pl.when(female_possible).then(_creatinine_part(log_creatinine, True))
    as_male = pl.when(male_possible).then(_creatinine_part(log_creatinine, False))
    # 142 × the creatinine term × 0.9938^age: highest at the youngest age, lowest at the oldest
    scale = CKD_EPI_BY_SEX["male"].scale
    highest = scale * pl.max_horizontal(as_female, as_male) * _age_part(young)
    lowest = scale * pl.min_horizontal(as_female, as_male) * _age_part(old)
    rules = [
        ((sstr == False) & (krenning >= 2)) | ((sstr == True) & (krenning == 0)),  # noqa: E712
        reported.is_not_null()
        & ~poor.fill_null(False)
        & (
            (measured > reported)
            | ((measured < reported) & ((ki67.is_not_null() & mitoses.is_not_null()) | fraction))
        ),
        poor & (ki67 <= t.ki67_g2_max),
        (col("patient.ecog") == 4) & (col("patient.fit_for_major_surgery") == True),  # noqa: E712
        (creatinine > 0)
        & (age_hi.is_null() | (age_hi >= CKD_EPI_ADULT_AGE))  # an adults' equation
        & (
            (egfr > highest * CKD_EPI_SLACK)
            | (egfr < lowest / CKD_EPI_SLACK)
            # an eGFR given by bounds only: rows the interpreter may flag (a superset: a
            # strict bound is compared as if inclusive)
            | (egfr.is_null() & (egfr_above >= highest * CKD_EPI_SLACK))
            | (egfr.is_null() & (egfr_below <= lowest / CKD_EPI_SLACK))
        ),
        _unknown_primary_described(),
    ]
    return pl.any_horizontal(rule.fill_null(False) for rule in rules)


def _unknown_primary_described() -> pl.Expr:
    """An unknown primary beside what only a found one has (``nelm.engine.consistency``)."""
    col = pl.col
    prior = col("course.prior_treatments")
    found = pl.any_horizontal(
        col("primary.resected") == True,  # noqa: E712
        *(col(p).is_not_null() for p in ("primary.resection_margin", *SINCE_RESECTION)),
        col("primary.t_category").is_not_null(),
        col("primary.size_cm").is_not_null(),
        # one pass over the lists (a list.contains per treatment costs three times more)
        prior.list.eval(pl.element().is_in(list(PRIMARY_REMOVED_BY))).list.any(),
    )
    return (col("primary.site") == "unknown_primary") & found


def suspect(columns: Iterable[str] | None = None) -> pl.Expr:
    """True for a row with an implausible value or a contradiction ``nelm batch`` lists."""
    return outside(columns) | _contradicted()


def covered(found: Iterable[Contradiction]) -> list[Contradiction]:
    return [c for c in found if c.fields in COVERED or c.fields[0] in COVERED_FIRST]


def contradiction_reason(found: Contradiction) -> str:
    fix = found.fix if found.fix.lower() not in found.message.lower() else ""
    return f"{found.message}" + (f" ({fix}.)" if fix else "") + " Assessed as given."


def contradiction_lines(rows: pl.DataFrame, row_column: str, row_offset: int = 0) -> pl.DataFrame:
    """The covered contradictions of ``rows`` (typed rows with their row number), one line
    per contradiction, named by its first field."""
    grades = load_knowledge().derivations.grade
    lines: list[tuple[str | None, str, str, int]] = []
    for row in rows.iter_rows(named=True):
        values = {
            k: _as_value(k, v) for k, v in row.items() if k in FIELD_BY_PATH and v is not None
        }
        number = int(row[row_column]) + row_offset
        lines += [
            (row["case_id"], c.fields[0], contradiction_reason(c), number)
            for c in covered(contradictions(values, grades))
        ]
    return pl.DataFrame(lines, schema=WARNINGS_SCHEMA, orient="row")


def _as_value(path: str, value: Any) -> Any:
    """A typed cell as the case document holds it (the typed frame keeps whole numbers
    as floats: a Krenning score of 2.0 is the case's 2)."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float):
        return _as_typed(path, value)
    return value


def checked_lines(rows: pl.DataFrame, row_column: str, row_offset: int = 0) -> pl.DataFrame:
    """Every warning of ``rows`` (the ones ``suspect`` marks): in row order, a row's
    implausible values (in field order) before its contradictions."""
    return pl.concat(
        [
            warning_lines(rows, row_column, row_offset),
            contradiction_lines(rows, row_column, row_offset),
        ]
    ).sort("row", maintain_order=True)
