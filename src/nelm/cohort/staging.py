"""The ENETS and AJCC 7th stages of ``nelm.engine.staging`` as polars expressions.

Per system, three bit masks over whole columns, null when the system does not stage the
primary (a site other than the pancreas, or no site given):

* ``derived.stage_<id>.t`` — the T categories still possible, bit ``i`` for the system's
  ``i``-th T value. A category is possible when one of its conditions is not "not met"
  (``fill_null(True)``), read over the extent fields closed under "an invasion is an
  extension beyond the pancreas", exactly as :func:`nelm.engine.staging.normalised`;
* ``derived.stage.n`` and ``derived.stage.m`` — N0/N1 and M0/M1 (M0 stays possible until the
  liver disease is stated), shared by both systems.

The result columns (``stage_<id>``, ``stage_<id>_possible``, ``stage_<id>_tnm``) depend on
those three masks only, so each is looked up in a table of every combination, worked out
once from the system's rows (the stages whose row meets the possible T, N and M). They are
what the interpreter's :class:`~nelm.engine.staging.Stage` gives, and the agreement tests hold
the two together.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import polars as pl

from nelm.cohort.columns import LIST_SEPARATOR, STAGE_SYSTEMS
from nelm.cohort.conditions import compile_condition
from nelm.knowledge.conditions import All, AnyOf, Condition, FirstKnown, Leaf, Not
from nelm.knowledge.staging import (
    BEYOND_FIELD,
    INVASION_FIELDS,
    M_VALUES,
    N_VALUES,
    StagingSystem,
    StagingTables,
)

__all__ = ["stage_columns", "stage_dtypes", "stage_masks"]

_PREFIX = "__extent:"
_MASK = pl.UInt8()


def _extent(path: str) -> pl.Expr:
    """An extent field, closed under the implication (see ``normalised``)."""
    beyond = pl.col(BEYOND_FIELD)
    if path == BEYOND_FIELD:
        invaded = pl.any_horizontal(pl.col(p) == True for p in INVASION_FIELDS)  # noqa: E712
        return pl.when(invaded.fill_null(False)).then(True).otherwise(beyond)
    return pl.when(beyond == False).then(False).otherwise(pl.col(path))  # noqa: E712


def _renamed(condition: Condition) -> Condition:
    """The condition reading the closed extent columns instead of the raw ones."""
    if isinstance(condition, Leaf):
        if condition.field == BEYOND_FIELD or condition.field in INVASION_FIELDS:
            return Leaf(_PREFIX + condition.field, condition.op, condition.operand)
        return condition
    if isinstance(condition, All | AnyOf | FirstKnown):
        parts = tuple(_renamed(p) for p in condition.parts)
        return type(condition)(parts)
    return Not(_renamed(condition.part))


def _possible(condition: Condition) -> pl.Expr:
    return compile_condition(_renamed(condition)).fill_null(True)


def _mask(bits: list[tuple[int, pl.Expr]]) -> pl.Expr:
    return pl.sum_horizontal(
        pl.when(e).then(pl.lit(b, _MASK)).otherwise(pl.lit(0, _MASK)) for b, e in bits
    ).cast(_MASK)


def _t_mask(system: StagingSystem) -> pl.Expr:
    bits = []
    for i, t in enumerate(system.t_values):
        rules = [_possible(r.when) for r in system.t_rules if r.t == t]
        bits.append((1 << i, pl.any_horizontal(rules)))
    return _mask(bits)


def _bits(values: frozenset[str], order: tuple[str, ...]) -> int:
    return sum(1 << i for i, v in enumerate(order) if v in values)


def stage_masks(tables: StagingTables) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """The closed extent columns, then every mask (``derived.stage*``), for two steps of
    ``with_columns``."""
    if tuple(s.id for s in tables.systems) != STAGE_SYSTEMS:
        raise ValueError(f"the staging systems must be {STAGE_SYSTEMS}")
    extent = [_extent(p).alias(_PREFIX + p) for p in (BEYOND_FIELD, *INVASION_FIELDS)]
    applies = pl.col("primary.site").is_in(sorted(tables.sites)).fill_null(False)
    n = _mask([(1 << i, _possible(tables.n[v])) for i, v in enumerate(N_VALUES)])
    m1_stated = compile_condition(_renamed(tables.m1_when)).fill_null(False)
    m = _mask([(1, m1_stated.not_()), (2, pl.lit(True))])
    masks = [
        pl.when(applies).then(n).alias("derived.stage.n"),
        pl.when(applies).then(m).alias("derived.stage.m"),
    ]
    for system in tables.systems:
        t_col = pl.when(applies).then(_t_mask(system))
        masks.append(t_col.alias(f"derived.stage_{system.id}.t"))
    return extent, masks


def _names(mask: int, order: tuple[str, ...], sep: str) -> str:
    """The values a mask holds, in order, joined by ``sep`` ("" for none)."""
    return sep.join(v for i, v in enumerate(order) if mask >> i & 1)


@dataclass(frozen=True, slots=True)
class _Tables:
    """A system's result columns for every (T, N, M) combination of masks, indexed by
    ``t << 4 | n << 2 | m``: the settled stage, the possible ones and the TNM."""

    settled: pl.Series
    possible: pl.Series
    tnm: pl.Series


_N_BITS, _M_BITS = len(N_VALUES), len(M_VALUES)


@functools.cache  # one system's tables serve both its expressions and its types
def _tables(system: StagingSystem) -> _Tables:
    """Every combination worked out once, in Python, from the system's rows: a row's stage
    is possible when the possible T, N and M each meet it (nelm.engine.staging)."""
    rows = [
        (row.stage, _bits(row.t, system.t_values), _bits(row.n, N_VALUES), _bits(row.m, M_VALUES))
        for row in system.rows
    ]
    settled: list[str | None] = []
    possible: list[str] = []
    tnm: list[str] = []
    for t in range(1 << len(system.t_values)):
        for n in range(1 << _N_BITS):
            for m in range(1 << _M_BITS):
                stages = [stage for stage, rt, rn, rm in rows if t & rt and n & rn and m & rm]
                settled.append(stages[0] if len(stages) == 1 else None)
                possible.append(LIST_SEPARATOR.join(stages))  # the rows' order
                tnm.append(
                    " ".join(
                        (
                            _names(t, system.t_values, "/"),
                            _names(n, N_VALUES, "/"),
                            _names(m, M_VALUES, "/"),
                        )
                    )
                )
    return _Tables(_enum_table(settled), _enum_table(possible), _enum_table(tnm))


def _enum_table(values: list[str | None] | list[str]) -> pl.Series:
    """A table as an Enum of its distinct values (in the table's order): gathered and
    written as small integer codes with one dictionary, not as text per row, which halves
    the cost of writing these columns (docs/benchmarks-cohort.md)."""
    categories = list(dict.fromkeys(v for v in values if v is not None))
    return pl.Series(values, dtype=pl.String).cast(pl.Enum(categories))


def stage_dtypes(tables: StagingTables) -> dict[str, pl.DataType]:
    """The types of the result columns (``stage_columns``): Enums of the texts each
    system's table can give."""
    dtypes: dict[str, pl.DataType] = {}
    for system in tables.systems:
        table = _tables(system)
        sid = system.id
        dtypes[f"stage_{sid}"] = table.settled.dtype
        dtypes[f"stage_{sid}_possible"] = table.possible.dtype
        dtypes[f"stage_{sid}_tnm"] = table.tnm.dtype
    return dtypes


def stage_columns(tables: StagingTables) -> list[pl.Expr]:
    """The result columns: per system the settled stage, the possible ones and the TNM,
    each looked up from the system's table by the row's T, N and M masks (null, as the
    masks are, when the system does not stage the primary)."""
    out = []
    n, m = pl.col("derived.stage.n"), pl.col("derived.stage.m")
    for system in tables.systems:
        t = pl.col(f"derived.stage_{system.id}.t")
        index = (
            t.cast(pl.UInt32) * (1 << (_N_BITS + _M_BITS))
            + n.cast(pl.UInt32) * (1 << _M_BITS)
            + m.cast(pl.UInt32)
        )
        table = _tables(system)
        sid = system.id
        out += [
            pl.lit(table.settled).gather(index).alias(f"stage_{sid}"),
            pl.lit(table.possible).gather(index).alias(f"stage_{sid}_possible"),
            pl.lit(table.tnm).gather(index).alias(f"stage_{sid}_tnm"),
        ]
    return out
