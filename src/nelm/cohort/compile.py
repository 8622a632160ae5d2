"""The knowledge base compiled to polars expressions, one column per criterion and status.

The conditions themselves are compiled by ``nelm.cohort.conditions`` (shared with the
staging expressions of ``nelm.cohort.staging``); its docstring gives the leaf rules.

A compiled condition yields a nullable boolean per row: ``true`` met, ``false`` not met,
``null`` unknown. The connectives map onto polars directly because polars combines
nullable booleans by Kleene's strong three-valued logic (S. C. Kleene, *Introduction to
Metamathematics*, 1952, §64), the same logic as ``nelm.engine.logic``: ``all`` is false if
any part is false, else null if any part is null; ``any`` is true if any part is true, else
null if any part is null; ``not`` keeps null. The tests check every truth table.

Leaves:

* numbers ``lt le gt ge eq ne in not_in``, booleans and choices ``eq ne in not_in``: the
  comparison, null when the field is unknown;
* lists ``contains``: ``list.contains``;
* the set-valued derived facts (``derived.grade``, ``derived.liver_type``, bit masks of the
  values still possible): ``eq``/``in`` is met when the mask is a subset of the allowed
  values, not met when disjoint from them, unknown otherwise; ``ne``/``not_in`` is its
  negation — exactly ``_leaf_truth`` of the interpreter.

Each criterion becomes a column, and each option's status follows from its criteria by the
contract's rule (any not met → ineligible; all met → eligible; else uncertain), all as
expressions over whole columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from nelm.case.fields import OPTION_IDS
from nelm.cohort.bounds import strict_bounds_folded
from nelm.cohort.columns import (
    GRADE_BITS,
    GRADE_VALUES,
    LIST_SEPARATOR,
    LIVER_TYPE_BITS,
    LIVER_TYPE_VALUES,
    OUTPUT_COLUMNS,
    STAGE_COLUMNS,
    STATUSES,
    status_column,
)
from nelm.cohort.conditions import compile_condition
from nelm.cohort.derive import derived_columns, grade_bound_columns, implied_columns
from nelm.knowledge.model import Criterion, KnowledgeBase

__all__ = [
    "BASE_SCHEMA",
    "INPUT_ROW",
    "STATUS",
    "CompiledKnowledge",
    "compile_condition",
    "compile_knowledge",
    "mask_names",
]


def mask_names(bits: dict[str, int]) -> dict[int, str]:
    """Every mask with the values it holds, ``;``-separated in the bits' order."""
    names: dict[int, str] = {}
    for mask in range(1 << len(bits)):
        names[mask] = LIST_SEPARATOR.join(v for v, bit in bits.items() if mask & bit)
    return names


def names_dtype(bits: dict[str, int]) -> pl.Enum:
    """The type of a column of ``;``-separated mask values: an Enum of every mask's text
    but the empty mask's (no derived fact is ever empty: "nothing known" is the full mask)."""
    return pl.Enum([name for mask, name in mask_names(bits).items() if mask])


STATUS = pl.Enum(list(STATUSES))
INPUT_ROW = "row"
"""The result column of the input's data row, counted from 1 as in the rejects file."""
BASE_SCHEMA: dict[str, pl.DataType] = {
    "case_id": pl.String(),
    "grade": pl.Enum(list(GRADE_VALUES)),
    "grade_possible": names_dtype(GRADE_BITS),
    "liver_type": pl.Enum(list(LIVER_TYPE_VALUES)),
    "portal_drainage": pl.Boolean(),
    **{c: pl.String() for c in STAGE_COLUMNS},  # in the schema: Enums (stage_dtypes)
    **{status_column(o): STATUS for o in OPTION_IDS},
}
"""The result columns but ``reasons``; it and the stage columns have types that follow the
knowledge base (``CompiledKnowledge.schema``)."""
assert (*BASE_SCHEMA, "reasons") == OUTPUT_COLUMNS

# --------------------------------------------------------------------------- options


def _settled(column: str, bits: dict[str, int], dtype: pl.DataType) -> pl.Expr:
    """The value of a mask with one bit set; null while several are possible."""
    table: list[str | None] = [None] * (1 << len(bits))
    for value, bit in bits.items():
        table[bit] = value
    return pl.lit(pl.Series(table, dtype=dtype)).gather(pl.col(column))


def _names(column: str, bits: dict[str, int]) -> pl.Expr:
    """Every value a mask holds, ``;``-separated (an Enum, ``names_dtype``)."""
    table = [name if mask else None for mask, name in mask_names(bits).items()]
    return pl.lit(pl.Series(table, dtype=names_dtype(bits))).gather(pl.col(column))


_TABLE_BITS = 16
"""Options with at most this many criteria look their reasons text up in a table of every
combination; larger ones join the ids of their unmet criteria row by row (as text)."""


def _mask_type(n: int) -> pl.DataType:
    for dtype, bits in ((pl.UInt8(), 8), (pl.UInt16(), 16), (pl.UInt32(), 32), (pl.UInt64(), 64)):
        if n <= bits:
            return dtype
    raise ValueError(f"an option with {n} criteria: at most 64 are supported")


_ENUM_MAX = 255
"""The most texts of a reasons table written as an Enum (its codes fit in a byte)."""


def _tables(ids: dict[str, tuple[str, ...]]) -> dict[str, pl.Series]:
    """Per option, the local ids of the criteria each mask marks as not met, comma-separated,
    as a series indexed by mask: an Enum whose categories are the texts of masks 1, 2, 3…
    (a categorical beyond ``_ENUM_MAX`` of them), null at mask 0 (one query for all;
    options whose criteria have the same local ids, such as the three embolisations, share
    one table)."""
    local = {oid: tuple(cid.split(".", 1)[1] for cid in own) for oid, own in ids.items()}
    distinct = list(dict.fromkeys(local.values()))
    exprs = []
    for number, own in enumerate(distinct):
        mask = pl.int_range(1, 1 << len(own), dtype=pl.UInt32)
        parts = [
            pl.when((mask & pl.lit(1 << i, pl.UInt32)) != 0).then(pl.lit(name))
            for i, name in enumerate(own)
        ]
        joined = pl.concat_str(parts, separator=",", ignore_nulls=True)
        exprs.append(joined.implode().alias(str(number)))
    if not exprs:
        return {}
    texts = pl.select(exprs)
    shared = []
    for number in range(len(distinct)):
        categories = texts.get_column(str(number)).explode()
        indexed = pl.concat([pl.Series([None], dtype=pl.String), categories])
        # A long table as a categorical: polars writes an Enum's every category into the
        # result file's schema and into each row group's dictionary, 2.4 MB even for ten rows
        # with the embolisations' 16,383 texts; a categorical's dictionary holds only the
        # texts the rows use, at the same speed (docs/benchmarks-cohort.md).
        long = categories.len() > _ENUM_MAX
        shared.append(indexed.cast(pl.Categorical() if long else pl.Enum(categories)))
    return {oid: shared[distinct.index(own)].alias(oid) for oid, own in local.items()}


@dataclass(frozen=True, slots=True)
class CompiledKnowledge:
    """Every criterion of every option as an expression, and the output they make.

    Evaluation is one query over a validated chunk: the derived facts; one column per
    criterion (named by its id); per option a bit mask of its criteria not met; then the
    result columns. An option is ineligible when its mask is not zero, eligible when all its
    criteria are met, uncertain otherwise. ``reasons`` holds, per option, the ids of its
    criteria not met (``fit,liver_type``), looked up from the mask.
    """

    derived: tuple[pl.Expr, ...]
    criteria: tuple[tuple[str, str, pl.Expr], ...]  # (option id, criterion id, expression)
    ids: dict[str, tuple[str, ...]]  # option id → its criterion ids
    tables: dict[str, pl.Series]  # option id → reasons text by mask (``_tables``)
    schema: dict[str, pl.DataType]
    """The result columns and their types: ``BASE_SCHEMA`` and ``reasons``, a struct with
    one field per option (the texts of its unmet criteria: an Enum, or a categorical for
    the options with more than ``_ENUM_MAX`` texts)."""
    staging: tuple[tuple[pl.Expr, ...], tuple[pl.Expr, ...], tuple[pl.Expr, ...]]
    """The stage expressions (``nelm.cohort.staging``): closed extent columns, masks, and
    the result columns."""
    after_derived: tuple[pl.Expr, ...] = ()
    """Columns that read the derived facts (the Ki-67 bound of a reported grade)."""
    implied: tuple[pl.Expr, ...] = ()
    """Yes/no fields the case implies, written over their columns after the staging
    extent has read them as given (``implied_columns``)."""

    def criterion_columns(self) -> list[pl.Expr]:
        """One nullable-boolean column per criterion, named by the criterion id."""
        return [expr.alias(cid) for _, cid, expr in self.criteria]

    def unmet_masks(self) -> list[pl.Expr]:
        """Per option, bit ``i`` set when its ``i``-th criterion is not met."""
        out = []
        for oid, ids in self.ids.items():
            dtype = _mask_type(len(ids))
            bits = [
                pl.when(pl.col(cid).not_()).then(pl.lit(1 << i, dtype)).otherwise(pl.lit(0, dtype))
                for i, cid in enumerate(ids)
            ]
            out.append(pl.sum_horizontal(bits).cast(dtype).alias(f"__unmet:{oid}"))
        return out

    def _status(self, option_id: str) -> pl.Expr:
        unmet = pl.col(f"__unmet:{option_id}") != 0
        all_met = pl.all_horizontal(pl.col(c) for c in self.ids[option_id]).fill_null(False)
        return (
            pl.when(unmet)
            .then(pl.lit("ineligible", STATUS))
            .when(all_met)
            .then(pl.lit("eligible", STATUS))
            .otherwise(pl.lit("uncertain", STATUS))
        )

    def _reason(self, option_id: str) -> pl.Expr:
        mask = pl.col(f"__unmet:{option_id}")
        table = self.tables.get(option_id)
        if table is not None:
            return pl.lit(table).gather(mask)
        # Too many criteria for a table of every combination: the ids joined row by row.
        ids = self.ids[option_id]
        dtype = _mask_type(len(ids))
        parts = [
            pl.when((mask & pl.lit(1 << i, dtype)) != 0).then(pl.lit(cid.split(".", 1)[1]))
            for i, cid in enumerate(ids)
        ]
        return pl.when(mask != 0).then(pl.concat_str(parts, separator=",", ignore_nulls=True))

    def facts(self, typed: pl.LazyFrame) -> pl.LazyFrame:
        """Validated rows with the derived facts, the implied fields written over their
        columns and one column per criterion: what :meth:`plan` and the count of open
        fields (``nelm.cohort.open_fields``) read."""
        extent, masks, _ = self.staging
        return (
            typed.with_columns(strict_bounds_folded())
            .with_columns(self.derived)
            .with_columns([*extent, *self.after_derived])
            .with_columns([*masks, *self.implied])
            .with_columns(self.criterion_columns())
        )

    def plan(self, typed: pl.LazyFrame) -> pl.LazyFrame:
        """The result rows (``schema``) of validated rows (``TYPED_SCHEMA`` and their input
        ``row``, 1-based), as one lazy query: what :meth:`evaluate` collects for a chunk and
        ``nelm batch`` streams."""
        stage_out = self.staging[2]
        return (
            self.facts(typed)
            .with_columns(self.unmet_masks())
            .select(
                pl.col("case_id"),
                _settled("derived.grade", GRADE_BITS, BASE_SCHEMA["grade"]).alias("grade"),
                _names("derived.grade", GRADE_BITS).alias("grade_possible"),
                _settled("derived.liver_type", LIVER_TYPE_BITS, BASE_SCHEMA["liver_type"]).alias(
                    "liver_type"
                ),
                pl.col("derived.portal_drainage").alias("portal_drainage"),
                *stage_out,
                *(self._status(o).alias(status_column(o)) for o in OPTION_IDS),
                pl.struct(self._reason(o).alias(o) for o in OPTION_IDS).alias("reasons"),
                pl.col(INPUT_ROW).cast(pl.Int64),
            )
        )

    def evaluate(self, typed: pl.DataFrame) -> pl.DataFrame:
        """The result rows of a validated chunk (``schema``)."""
        return self.plan(typed.lazy()).collect()


def _criterion_expr(criterion: Criterion) -> pl.Expr:
    """A criterion's column; a relative contraindication that applies is unknown, not false
    (``nelm.engine.evaluate.criterion_truth``)."""
    expr = compile_condition(criterion.condition)
    if criterion.relative:
        return pl.when(expr.not_()).then(pl.lit(None, pl.Boolean)).otherwise(expr)
    return expr


def compile_knowledge(kb: KnowledgeBase) -> CompiledKnowledge:
    """Compile every option's criteria and the derivations of ``kb``."""
    missing = [o for o in OPTION_IDS if o not in kb.options]
    if missing:
        raise ValueError(f"the knowledge base lacks options {missing}")
    criteria = tuple(
        (oid, criterion.id, _criterion_expr(criterion))
        for oid in OPTION_IDS
        for criterion in kb.options[oid].criteria
    )
    ids = {oid: tuple(c.id for c in kb.options[oid].criteria) for oid in OPTION_IDS}
    tables = _tables({oid: own for oid, own in ids.items() if len(own) <= _TABLE_BITS})
    fields = {o: tables[o].dtype if o in tables else pl.String() for o in OPTION_IDS}
    # Imported here: only a cohort run with staging tables needs the stage expressions.
    from nelm.cohort.staging import stage_columns, stage_dtypes, stage_masks

    stages = stage_dtypes(kb.derivations.staging)
    # ``row`` last: the input's data row (1-based, as in the rejects file), so that the
    # results join back to the input even where a case id is on several rows.
    schema = {**BASE_SCHEMA, **stages, "reasons": pl.Struct(fields), "row": pl.Int64()}
    extent, masks = stage_masks(kb.derivations.staging)
    staging = (tuple(extent), tuple(masks), tuple(stage_columns(kb.derivations.staging)))
    return CompiledKnowledge(
        tuple(derived_columns(kb.derivations)),
        criteria,
        ids,
        tables,
        schema,
        staging,
        tuple(grade_bound_columns(kb.derivations)),
        tuple(implied_columns(kb.derivations)),
    )
