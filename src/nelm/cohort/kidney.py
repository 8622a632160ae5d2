"""The least eGFR a creatinine gives by CKD-EPI 2021, as a column: the interpreter's
``nelm.engine.kidney.egfr_from_creatinine``.

Where a row gives no exact eGFR, the criteria that read one read this lower bound beside
the eGFR's own bounds, as the interpreter's ``egfr_from_creatinine`` combines them
(``nelm.cohort.conditions``). The arithmetic is the interpreter's term for term —
142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^-1.2 × 0.9938^age × the sex factor, multiplied left
to right with ``pow`` — so that the two engines get the same float and decide a row the
same way even at a limit. It reads the facts stage's folded bound columns
(``nelm.cohort.bounds``): a strict age bound is the number just past it, as the
interpreter's ``interval_of`` holds it.
"""

from __future__ import annotations

import polars as pl

from nelm.case.fields import BOUNDS
from nelm.engine.kidney import CKD_EPI_ADULT_AGE, CKD_EPI_BY_SEX, CKD_EPI_OLDEST_AGE

__all__ = ["EGFR_FROM_CREATININE", "egfr_from_creatinine"]

EGFR_FROM_CREATININE = "derived.egfr_from_creatinine"
"""The column of the least eGFR the creatinine gives (null: an eGFR is given, or none can
be estimated)."""


def _ckd_epi(creatinine: pl.Expr, age: pl.Expr, sex: str) -> pl.Expr:
    """CKD-EPI 2021 for one sex, in the interpreter's order of operations
    (``nelm.engine.kidney.ckd_epi``)."""
    k = CKD_EPI_BY_SEX[sex]
    ratio = creatinine / k.kappa
    return (
        pl.lit(k.scale)
        * pl.min_horizontal(ratio, pl.lit(1.0)).pow(k.alpha)
        * pl.max_horizontal(ratio, pl.lit(1.0)).pow(k.exponent_above)
        * pl.lit(k.age_base).pow(age)
        * pl.lit(k.factor)
    )


def egfr_from_creatinine() -> pl.Expr:
    """The least eGFR the row's creatinine gives over the adult ages and the sexes it
    allows (``creatinine_estimate``), where it gives no exact eGFR, a creatinine (or an
    upper bound of one) above zero and no age below 18; the leaf combines it with the
    eGFR's bounds."""
    age_at_least, age_at_most = BOUNDS["patient.age_years"]
    # the exact creatinine, else its upper bound (the eGFR is least at the highest value)
    _, creatinine_at_most = BOUNDS["labs.creatinine_mg_dl"]
    creatinine = pl.coalesce(
        pl.col("labs.creatinine_mg_dl").cast(pl.Float64),
        pl.col(creatinine_at_most).cast(pl.Float64),
    )
    age = pl.col("patient.age_years").cast(pl.Float64)
    age_lo = pl.coalesce(age, pl.col(age_at_least).cast(pl.Float64))
    age_hi = pl.coalesce(age, pl.col(age_at_most).cast(pl.Float64))
    youngest = pl.max_horizontal(age_lo.fill_null(CKD_EPI_ADULT_AGE), pl.lit(CKD_EPI_ADULT_AGE))
    oldest = age_hi.fill_null(pl.max_horizontal(youngest, pl.lit(CKD_EPI_OLDEST_AGE)))
    sex = pl.col("patient.sex")
    as_female = pl.when(sex.is_null() | (sex != "male")).then(
        _ckd_epi(creatinine, oldest, "female")
    )
    as_male = pl.when(sex.is_null() | (sex != "female")).then(_ckd_epi(creatinine, oldest, "male"))
    estimable = (
        pl.col("labs.egfr_ml_min").is_null()
        & (creatinine > 0)
        & (age_hi.is_null() | (age_hi >= CKD_EPI_ADULT_AGE))
    )
    return pl.when(estimable).then(pl.min_horizontal(as_female, as_male))
