"""The unknown fields that hold up the most uncertain verdicts of a cohort.

``nelm assess`` ends one case with the missing data that would decide its open options. A
cohort's researcher asks the same of the whole cohort: which column, filled in, would
settle the most "uncertain" verdicts. For each case field this counts the uncertain
verdicts (a case and an option) in which the field is unknown (an empty cell) and is read
by one of the option's criteria that is itself unknown. A derived fact a criterion reads
(the WHO grade, the liver-metastasis type, portal drainage) stands for the fields
``nelm.engine.derive`` names as settling it when nothing is known (Ki-67, mitoses and
differentiation for the grade).

The count is per criterion, not per leaf: a field counted may not decide its criterion on
every row (``nelm.engine.conditions.open_leaves`` prunes, case by case, the leaves a known
part of the same criterion has already made irrelevant). It ranks the columns to fill; the
exact list for one case is ``nelm assess``'s.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from nelm.case.fields import OPTION_IDS
from nelm.cohort.compile import CompiledKnowledge, compile_condition
from nelm.engine.derive import derive_grade, derive_liver_type, derive_portal_drainage
from nelm.knowledge.conditions import All, AnyOf, Condition, FirstKnown, Leaf
from nelm.knowledge.model import KnowledgeBase

__all__ = ["open_field_counts", "settled_by"]


def settled_by(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Each derived fact a criterion may read → the case fields that settle it when nothing
    is known (the interpreter's own ``settle_with``), and the eGFR → itself and the
    creatinine."""
    d = kb.derivations
    return {
        "derived.grade": derive_grade({}, d.grade).settle_with,
        "derived.liver_type": derive_liver_type({}, d).settle_with,
        "derived.portal_drainage": derive_portal_drainage({}, d).settle_with,
        # a creatinine gives the eGFR a lower bound (nelm.engine.kidney), and the
        # interpreter names it beside a missing eGFR
        "labs.egfr_ml_min": ("labs.egfr_ml_min", "labs.creatinine_mg_dl"),
    }


def _fields(condition: Condition, derived: dict[str, tuple[str, ...]]) -> Iterator[str]:
    if isinstance(condition, Leaf):
        yield from derived.get(condition.field, (condition.field,))
    elif isinstance(condition, All | AnyOf | FirstKnown):
        for part in condition.parts:
            yield from _fields(part, derived)
    else:
        yield from _fields(condition.part, derived)


def open_field_counts(
    program: CompiledKnowledge, kb: KnowledgeBase, typed: pl.LazyFrame
) -> pl.LazyFrame:
    """One row: per case field, the uncertain verdicts it is unknown in and read by an
    unknown criterion of (columns only for fields some criterion reads)."""
    derived = settled_by(kb)
    per_field: dict[str, list[pl.Expr]] = {}
    for oid in OPTION_IDS:
        ids = program.ids[oid]
        unmet = pl.any_horizontal(pl.col(c).not_() for c in ids).fill_null(False)
        all_met = pl.all_horizontal(pl.col(c) for c in ids).fill_null(False)
        uncertain = ~unmet & ~all_met
        waiting: dict[str, list[pl.Expr]] = {}
        for criterion in kb.options[oid].criteria:
            # The condition itself, not the criterion's column: a relative
            # contraindication that applies is unknown there, yet no field is missing.
            unknown = compile_condition(criterion.condition).is_null()
            for field in dict.fromkeys(_fields(criterion.condition, derived)):
                waiting.setdefault(field, []).append(unknown)
        for field, unknowns in waiting.items():
            held = uncertain & pl.col(field).is_null() & pl.any_horizontal(unknowns)
            per_field.setdefault(field, []).append(held.cast(pl.UInt32))
    return program.facts(typed).select(
        pl.sum_horizontal(parts).sum().cast(pl.Int64).alias(field)
        for field, parts in per_field.items()
    )
