"""The derived facts of ``nelm.engine.derive`` as polars expressions over whole columns.

The same rules and the same thresholds (``KnowledgeBase.derivations``):

* ``derived.grade`` — the bit mask of the grades still possible (``GRADE_BITS``: G1 = 1,
  G2 = 2, G3 = 4, NEC = 8). Poorly differentiated → NEC. Otherwise the higher of the
  Ki-67 and mitotic grades when both are known; one index alone leaves its grade or any
  higher one possible (the other could raise it); neither leaves G1–G3. When the
  differentiation is not given, NEC stays possible (poorly differentiated is NEC whatever
  the index). Never null: "nothing known" is the full mask.
* ``derived.liver_type`` — the bit mask of types I/II/III (``LIVER_TYPE_BITS``): a single
  lesion is type I, else the distribution's type, else all three.
* ``derived.portal_drainage`` — whether the primary site drains to the portal system;
  null when the site is not given.

The agreement tests compare these with the scalar functions on generated data.
"""

from __future__ import annotations

import polars as pl

from nelm.cohort.columns import GRADE_BITS, LIVER_TYPE_BITS
from nelm.knowledge.model import Derivations, GradeTable

__all__ = ["MASK", "derived_columns", "grade_mask", "liver_type_mask", "portal_drainage"]

MASK = pl.UInt8()
"""The integer type of the set-valued derived facts."""

_G1, _G2, _G3, _NEC = (GRADE_BITS[g] for g in ("G1", "G2", "G3", "NEC"))
_G1_TO_G3 = _G1 | _G2 | _G3


def _lit(value: int) -> pl.Expr:
    return pl.lit(value, MASK)


def _index_grade(value: pl.Expr, g1_below: float, g2_max: float) -> pl.Expr:
    """The grade bit one index gives (null when the index is not given)."""
    return (pl.when(value < g1_below).then(_lit(_G1))
            .when(value <= g2_max).then(_lit(_G2))
            .when(value.is_not_null()).then(_lit(_G3)))


def grade_mask(t: GradeTable) -> pl.Expr:
    """``derived.grade`` as a mask, from Ki-67, mitotic count and differentiation."""
    ki67 = pl.col("pathology.ki67_percent")
    mitoses = pl.col("pathology.mitoses_per_2mm2")
    differentiation = pl.col("pathology.differentiation")
    by_ki67 = _index_grade(ki67, t.ki67_g1_below, t.ki67_g2_max)
    by_mitoses = _index_grade(mitoses, t.mitoses_g1_below, t.mitoses_g2_max)
    # The bits grow with the grade, so the higher grade is the larger bit. With one index
    # known, that grade or any higher one is possible (the other index could raise it):
    # G1 → 7, G2 → 6, G3 → 4, which is 8 − bit.
    known = pl.max_horizontal(by_ki67, by_mitoses)
    graded = (pl.when(by_ki67.is_not_null() & by_mitoses.is_not_null()).then(known)
              .when(known.is_not_null()).then(_lit(_G3 << 1) - known)
              .otherwise(_lit(_G1_TO_G3)))
    with_nec = pl.when(differentiation.is_null()).then(graded | _lit(_NEC)).otherwise(graded)
    return (pl.when(differentiation == "poor").then(_lit(_NEC)).otherwise(with_nec)
            .cast(MASK))


def liver_type_mask(d: Derivations) -> pl.Expr:
    """``derived.liver_type`` as a mask, from lesion count and distribution."""
    count = pl.col("liver.lesion_count")
    distribution = pl.col("liver.distribution")
    expr = _lit(sum(LIVER_TYPE_BITS.values()))
    for name, kind in reversed(d.liver_type_by_distribution.items()):
        expr = pl.when(distribution == name).then(_lit(LIVER_TYPE_BITS[kind])).otherwise(expr)
    return pl.when(count == 1).then(_lit(LIVER_TYPE_BITS["I"])).otherwise(expr).cast(MASK)


def portal_drainage(d: Derivations) -> pl.Expr:
    """``derived.portal_drainage``: true, false, or null when the site is not given."""
    site = pl.col("primary.site")
    return pl.when(site.is_not_null()).then(site.is_in(sorted(d.portal_sites)))


def derived_columns(d: Derivations) -> list[pl.Expr]:
    """The three derived facts, named as conditions read them (``derived.*``)."""
    return [
        grade_mask(d.grade).alias("derived.grade"),
        liver_type_mask(d).alias("derived.liver_type"),
        portal_drainage(d).alias("derived.portal_drainage"),
    ]
