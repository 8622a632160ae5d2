"""SSTR imaging over whole columns, as ``nelm.engine.sstr`` and ``implied_facts`` read it
for one case: statements that contradict each other become null (unknown) for the
criteria, and a Krenning score or an uptake implies the imaging's result only where they
do not contradict each other (or both say positive)."""

from __future__ import annotations

import polars as pl

from nelm.engine.sstr import AT_LEAST_LIVER, KRENNING_VS_LIVER, SCORE, SSTR, UPTAKE

__all__ = ["sstr_columns"]


def sstr_columns() -> list[pl.Expr]:
    """The three SSTR columns as the criteria read them (``imaging.sstr_positive`` with
    what the score or the uptake implies when it is not given)."""
    sstr, score, uptake = pl.col(SSTR), pl.col(SCORE), pl.col(UPTAKE)
    high = (score >= 2).fill_null(False)
    none = (score == 0).fill_null(False)
    like = uptake.is_in(AT_LEAST_LIVER).fill_null(False)
    expected = score.replace_strict(KRENNING_VS_LIVER, default=None, return_dtype=pl.String)
    # the score against the uptake (nelm.engine.sstr.krenning_disagrees_with_uptake)
    score_uptake = (
        pl.when(none).then(like).otherwise(expected != uptake.cast(pl.String)).fill_null(False)
    )
    sstr_score = (((sstr == False) & high) | ((sstr == True) & none)).fill_null(False)  # noqa: E712
    sstr_uptake = ((sstr == False) & like).fill_null(False)  # noqa: E712
    agree = score_uptake.not_() | (high & like)
    implied = (
        pl.when(agree & (high | (like & none.not_())))
        .then(True)
        .when(agree & none & like.not_())
        .then(False)
    )
    return [
        pl.when(sstr_score | sstr_uptake)
        .then(None)
        .otherwise(pl.coalesce(sstr, implied))
        .alias(SSTR),
        pl.when(sstr_score | score_uptake).then(None).otherwise(score).alias(SCORE),
        pl.when(sstr_uptake | score_uptake).then(None).otherwise(uptake).alias(UPTAKE),
    ]
