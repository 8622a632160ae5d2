"""The derived facts of ``nelm.engine.derive`` as polars expressions over whole columns.

The same rules and the same thresholds (``KnowledgeBase.derivations``):

* ``derived.grade`` — the bit mask of the grades still possible (``GRADE_BITS``: G1 = 1,
  G2 = 2, G3 = 4, NEC = 8). Poorly differentiated → NEC. Otherwise the higher of the
  Ki-67 and mitotic grades when both are known; one index alone leaves its grade or any
  higher one possible (the other could raise it); neither leaves G1–G3; an index known
  only by bounds allows every grade its range spans. When the differentiation is not
  given, NEC stays possible (poorly differentiated is NEC whatever the index) wherever G3
  does: NEC is high grade (000 §1, 004 §1). A reported
  grade narrows the mask; when it contradicts it, both stay possible. Never null:
  "nothing known" is the full mask.
* ``derived.liver_type`` — the bit mask of types I/II/III (``LIVER_TYPE_BITS``): a single
  lesion is type I, else the distribution's type, else "bilobar" (II or III) or "not
  bilobar" (I), else all three.
* ``derived.portal_drainage`` — whether the primary site drains to the portal system;
  null when the site is not given.

The agreement tests compare these with the scalar functions on generated data.
"""

from __future__ import annotations

import math

import polars as pl

from nelm.cohort.columns import GRADE_BITS, LIVER_TYPE_BITS
from nelm.cohort.kidney import EGFR_FROM_CREATININE, egfr_from_creatinine
from nelm.cohort.sstr import sstr_columns
from nelm.engine.derive import (
    CARCINOIDS,
    PRIMARY_REMOVED_BY,
    SINCE_RESECTION,
    THORACIC_READING_SITES,
)
from nelm.knowledge.model import Derivations, GradeTable

__all__ = [
    "KI67_FROM_GRADE",
    "LINES_FROM_TREATMENTS",
    "MASK",
    "derived_columns",
    "grade_bound_columns",
    "grade_mask",
    "implied_columns",
    "ki67_from_grade",
    "lines_from_treatments",
    "liver_type_mask",
    "portal_drainage",
]

MASK = pl.UInt8()
"""The integer type of the set-valued derived facts."""

_G1, _G2, _G3, _NEC = (GRADE_BITS[g] for g in ("G1", "G2", "G3", "NEC"))
_G1_TO_G3 = _G1 | _G2 | _G3


def _lit(value: int) -> pl.Expr:
    return pl.lit(value, MASK)


def _index_grade(value: pl.Expr, g1_below: float, g2_max: float) -> pl.Expr:
    """The grade bit one value of an index gives (null when the value is null)."""
    return (
        pl.when(value < g1_below)
        .then(_lit(_G1))
        .when(value <= g2_max)
        .then(_lit(_G2))
        .when(value.is_not_null())
        .then(_lit(_G3))
    )


def _index_range(path: str, g1_below: float, g2_max: float) -> tuple[pl.Expr, pl.Expr]:
    """The lowest and highest grade bits an index allows: its exact value, else its bounds
    (a missing bound: G1 below, G3 above); both null when it is given neither way."""
    exact = pl.col(path)
    lo_value = pl.coalesce(exact, pl.col(f"{path}_at_least"))
    hi_value = pl.coalesce(exact, pl.col(f"{path}_at_most"))
    given = lo_value.is_not_null() | hi_value.is_not_null()
    lo = pl.when(given).then(pl.coalesce(_index_grade(lo_value, g1_below, g2_max), _lit(_G1)))
    hi = pl.when(given).then(pl.coalesce(_index_grade(hi_value, g1_below, g2_max), _lit(_G3)))
    return lo, hi


def _span(lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    """The mask of every grade from bit ``lo`` to bit ``hi`` (the bits grow with the grade):
    ``2·hi − lo``."""
    return (hi * 2 - lo).cast(MASK)


def _reported_mask(differentiation: pl.Expr) -> pl.Expr:
    """The grades ``pathology.reported_grade`` allows (``reported_grades`` of the
    interpreter); null when no grade is reported."""
    reported = pl.col("pathology.reported_grade")
    g3 = (
        pl.when(differentiation == "well")
        .then(_lit(_G3))
        .when(differentiation == "poor")
        .then(_lit(_NEC))
        .otherwise(_lit(_G3 | _NEC))
    )
    return (
        pl.when(reported.is_in(["G1", "typical_carcinoid"]))
        .then(_lit(_G1))
        .when(reported.is_in(["G2", "atypical_carcinoid"]))
        .then(_lit(_G2))
        .when(reported == "G3")
        .then(g3)
        .when(reported == "NEC")
        .then(_lit(_NEC))
    )


def _differentiation() -> pl.Expr:
    """The differentiation the grade reads: as stated, else poorly differentiated when an
    NEC subtype is given (``differentiation_of`` of the interpreter; 000 §1: NEC "are
    categorized as small cell or large cell NEC")."""
    return pl.coalesce(
        pl.col("pathology.differentiation"),
        pl.when(pl.col("pathology.nec_subtype").is_in(["small_cell", "large_cell"])).then(
            pl.lit("poor")
        ),
    )


def grade_mask(t: GradeTable) -> pl.Expr:
    """``derived.grade`` as a mask, from Ki-67, mitotic count (exact or bounded),
    differentiation (or an NEC subtype) and the reported grade."""
    differentiation = _differentiation()
    k_lo, k_hi = _index_range("pathology.ki67_percent", t.ki67_g1_below, t.ki67_g2_max)
    m_lo, m_hi = _index_range("pathology.mitoses_per_2mm2", t.mitoses_g1_below, t.mitoses_g2_max)
    # A reported typical or atypical carcinoid (``_carcinoid_ki67`` of the interpreter): the
    # mitoses against the thoracic ranges, the Ki-67 only against the G3 cut-off.
    site = pl.col("primary.site")
    chest = site.is_null() | site.is_in([s for s in THORACIC_READING_SITES if s is not None])
    carcinoid = (pl.col("pathology.reported_grade").is_in(list(CARCINOIDS)) & chest).fill_null(
        False
    )
    c_lo, c_hi = _index_range(
        "pathology.mitoses_per_2mm2", t.mitoses_g1_below, t.carcinoid_mitoses_g2_max
    )
    m_lo = pl.when(carcinoid).then(c_lo).otherwise(m_lo)
    m_hi = pl.when(carcinoid).then(c_hi).otherwise(m_hi)
    k_lo = pl.when(carcinoid & (k_lo <= _G2)).then(_lit(_G1)).otherwise(k_lo)
    k_hi = pl.when(carcinoid & (k_hi < _G2)).then(_lit(_G2)).otherwise(k_hi)
    # The higher index decides: the grade lies between the larger of the lowest grades and
    # the larger of the highest. An index not given allows G1–G3, so one index alone
    # leaves its grade or any higher one possible; neither leaves G1–G3.
    lo = pl.max_horizontal(pl.coalesce(k_lo, _lit(_G1)), pl.coalesce(m_lo, _lit(_G1)))
    hi = pl.max_horizontal(pl.coalesce(k_hi, _lit(_G3)), pl.coalesce(m_hi, _lit(_G3)))
    graded = _span(lo, hi)
    # Differentiation not given: NEC stays possible where G3 does (NEC is high grade).
    high = (graded & _lit(_G3)) != 0
    with_nec = pl.when(differentiation.is_null() & high).then(graded | _lit(_NEC)).otherwise(graded)
    # Poorly differentiated: NEC; beside indices that rule out a high grade, a conflict that
    # leaves both possible (``_poorly_differentiated`` of the interpreter).
    by_indices = (
        pl.when((differentiation == "poor") & high)
        .then(_lit(_NEC))
        .when(differentiation == "poor")
        .then(graded | _lit(_NEC))
        .otherwise(with_nec)
    )
    stated = _reported_mask(differentiation)
    narrowed = by_indices & stated
    # A reported grade narrows; contradicting the indices, both stay possible.
    return (
        pl.when(stated.is_null())
        .then(by_indices)
        .when(narrowed != 0)
        .then(narrowed)
        .otherwise(by_indices | stated)
        .cast(MASK)
    )


def liver_type_mask(d: Derivations) -> pl.Expr:
    """``derived.liver_type`` as a mask, from lesion count (or an upper bound of one),
    distribution and "bilobar" without a pattern."""
    single = (pl.col("liver.lesion_count") == 1) | (
        pl.col("liver.lesion_count").is_null() & (pl.col("liver.lesion_count_at_most") == 1)
    )
    distribution = pl.col("liver.distribution")
    bilobar = pl.col("liver.bilobar")
    table = d.liver_type_by_distribution
    both = _lit(
        LIVER_TYPE_BITS[table["bilobar_dominant"]] | LIVER_TYPE_BITS[table["bilobar_diffuse"]]
    )
    expr = (
        pl.when(bilobar)
        .then(both)
        .when(bilobar.not_())
        .then(_lit(LIVER_TYPE_BITS[table["unilobar"]]))
        .otherwise(_lit(sum(LIVER_TYPE_BITS.values())))
    )
    for name, kind in reversed(table.items()):
        expr = pl.when(distribution == name).then(_lit(LIVER_TYPE_BITS[kind])).otherwise(expr)
    return (
        pl.when(single.fill_null(False)).then(_lit(LIVER_TYPE_BITS["I"])).otherwise(expr).cast(MASK)
    )


def portal_drainage(d: Derivations) -> pl.Expr:
    """``derived.portal_drainage``: true, false, or null when the site is not given."""
    site = pl.col("primary.site")
    return pl.when(site.is_not_null()).then(site.is_in(sorted(d.portal_sites)))


KI67_FROM_GRADE = "derived.ki67_from_grade"
"""The column of the Ki-67 upper bound a reported grade implies (null: none)."""


def ki67_from_grade(t: GradeTable) -> pl.Expr:
    """The upper bound of the Ki-67 index a reported G1 (< 3 %) or G2 (≤ 20 %) implies when
    it is the settled grade, the index is not given and the tumour is not called poorly
    differentiated (``ki67_from_reported_grade`` of the interpreter). Reads
    ``derived.grade``; the conditions take the lower of it and ``…_at_most``.

    G1's bound is strict: it is held as the largest float below 3, which every comparison
    reads exactly as "< 3" (no float lies between the two), so the conditions need no open
    end of their own (the interpreter's interval has one, ``Interval.hi_open``)."""
    reported = pl.col("pathology.reported_grade")
    grade = pl.col("derived.grade")
    open_index = pl.col("pathology.ki67_percent").is_null() & (
        _differentiation() != "poor"
    ).fill_null(True)
    return (
        pl.when(open_index & (reported == "G1") & (grade == _lit(_G1)))
        .then(pl.lit(math.nextafter(float(t.ki67_g1_below), -math.inf)))
        .when(open_index & (reported == "G2") & (grade == _lit(_G2)))
        .then(pl.lit(float(t.ki67_g2_max)))
    )


def derived_columns(d: Derivations) -> list[pl.Expr]:
    """The derived facts, named as conditions read them (``derived.*``): the grade, liver
    type and portal drainage, then the Ki-67 bound that reads the grade."""
    return [
        grade_mask(d.grade).alias("derived.grade"),
        liver_type_mask(d).alias("derived.liver_type"),
        portal_drainage(d).alias("derived.portal_drainage"),
    ]


LINES_FROM_TREATMENTS = "derived.lines_from_treatments"
"""The column of the least number of prior systemic lines the treatments show (null: none)."""


def lines_from_treatments(d: Derivations) -> pl.Expr:
    """The number of distinct counted treatments (``Derivations.prior_lines_counted``) in
    ``course.prior_treatments`` when ``course.prior_systemic_lines`` is not given and it is
    at least one (``lines_from_treatments`` of the interpreter); else null."""
    if not d.prior_lines_counted:
        return pl.lit(None, pl.Int64)
    counted = [option for option, _ in d.prior_lines_counted]
    # The distinct counted treatments of each list, in one pass over its items: under half
    # the cost of one list.contains per counted option.
    element = pl.element()
    count = (
        pl.col("course.prior_treatments")
        .list.eval(element.filter(element.is_in(counted)).n_unique())
        .list.first()
    )
    return pl.when(pl.col("course.prior_systemic_lines").is_null() & (count > 0)).then(count)


def implied_columns(d: Derivations) -> list[pl.Expr]:
    """The fields a case implies when it does not state them, written over their own
    columns (``implied_facts`` of the interpreter): the primary resected when its margin or
    the time since its resection is given, or its resection is a prior treatment, and not
    resected for an unknown primary otherwise, nor for one the surgeons judge unremovable,
    nor at a new diagnosis with synchronous liver
    metastases and no treatment listed;
    extrahepatic disease present when sites are listed; SSTR imaging positive with a
    Krenning score ≥ 2 or uptake like or above the liver, negative with a Krenning score
    of 0, and SSTR statements that contradict each other read as unknown
    (``nelm.cohort.sstr``); at a new diagnosis with no history listed (an SSA or a counted
    line among the prior treatments, prior lines, or a liver recurrence), no progression on
    an SSA, no prior line and no syndrome refractory to medical therapy; a carcinoid
    syndrome with carcinoid heart disease and no syndrome given. The criteria read
    them; the staging, like the interpreter's, reads the fields as given (it is computed
    before these)."""
    since = pl.any_horizontal(pl.col(p).is_not_null() for p in SINCE_RESECTION)
    prior = pl.col("course.prior_treatments")
    # one pass over the lists (a list.contains per treatment costs three times more)
    removed = (
        prior.list.eval(pl.element().is_in(list(PRIMARY_REMOVED_BY))).list.any().fill_null(False)
    )
    resected = pl.col("primary.resection_margin").is_not_null() | since | removed
    history = ["ssa", *(option for option, _ in d.prior_lines_counted)]
    treated = prior.list.eval(pl.element().is_in(history)).list.any().fill_null(False)
    new_untreated = (
        (pl.col("course.status") == "new_diagnosis").fill_null(False)
        & (pl.col("course.prior_systemic_lines") >= 1).fill_null(False).not_()
        & pl.col("course.recurrence_after_liver_resection").fill_null(False).not_()
        & treated.not_()
    )
    # found with the primary at a new diagnosis, no treatment listed: the primary is in place
    synchronous_untreated = pl.col("liver.synchronous").fill_null(False) & (
        prior.list.len().fill_null(0) == 0
    )
    return [
        pl.coalesce(pl.col("course.progressed_on_ssa"), pl.when(new_untreated).then(False)).alias(
            "course.progressed_on_ssa"
        ),
        pl.coalesce(pl.col("course.prior_systemic_lines"), pl.when(new_untreated).then(0)).alias(
            "course.prior_systemic_lines"
        ),
        pl.coalesce(
            pl.col("primary.syndrome_refractory"), pl.when(new_untreated).then(False)
        ).alias("primary.syndrome_refractory"),
        pl.coalesce(
            pl.col("primary.resected"),
            pl.when(resected)
            .then(True)
            .when(pl.col("primary.site") == "unknown_primary")
            .then(False)
            .when(pl.col("primary.surgical_assessment") == "unresectable")
            .then(False)
            .when(new_untreated & synchronous_untreated)
            .then(False),
        ).alias("primary.resected"),
        pl.coalesce(
            pl.col("extrahepatic.present"),
            pl.when(pl.col("extrahepatic.sites").list.len() > 0).then(True),
        ).alias("extrahepatic.present"),
        # carcinoid heart disease, a complication of the carcinoid syndrome (Davar 2017)
        pl.coalesce(
            pl.col("primary.functional_syndrome"),
            pl.when(pl.col("patient.carcinoid_heart_disease")).then(pl.lit("carcinoid")),
        ).alias("primary.functional_syndrome"),
        *sstr_columns(),
    ]


def grade_bound_columns(d: Derivations) -> list[pl.Expr]:
    """Bounds the case implies without stating them: the Ki-67 bound reads the derived
    grade, so these are computed after the derived facts; the eGFR a creatinine gives reads
    the folded bound columns (``nelm.cohort.kidney``)."""
    return [
        ki67_from_grade(d.grade).alias(KI67_FROM_GRADE),
        lines_from_treatments(d).alias(LINES_FROM_TREATMENTS),
        egfr_from_creatinine().alias(EGFR_FROM_CREATININE),
    ]
