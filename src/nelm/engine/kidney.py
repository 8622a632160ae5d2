"""Kidney function from a creatinine: the CKD-EPI 2021 equation and the eGFR it gives.

A laboratory that measures a creatinine reports the eGFR CKD-EPI gives for it; a case
report or a registry often copies only the creatinine. The criteria that read an eGFR
(PRRT's renal function, capecitabine's limit, cisplatin's) then read the eGFR the equation
gives for that creatinine at the patient's age and sex, the lowest over what is not known
(the oldest adult age, the sex that gives less) — as a lower bound only. NETTER-1 accepted a
calculated clearance at or above its limit and had one below it confirmed by a measured
clearance: an estimate can show that the kidneys are good enough, never that they are not.
An eGFR the case gives, exactly or by bounds, always comes first.

Pure: reads a case's values only. The dataframe engine computes the same bound
(``nelm.cohort.kidney``) with the same arithmetic, term for term.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from nelm.case.document import Value
from nelm.engine.conditions import Interval
from nelm.engine.intervals import interval_of, interval_text

__all__ = [
    "CKD_EPI",
    "CKD_EPI_ADULT_AGE",
    "CKD_EPI_BY_SEX",
    "CKD_EPI_OLDEST_AGE",
    "CkdEpi",
    "age_bounds",
    "ckd_epi",
    "ckd_epi_range",
    "creatinine_estimate",
    "egfr_from_creatinine",
    "estimate_set_aside",
]

# CKD-EPI 2021 creatinine equation, without race (Inker LA et al., N Engl J Med
# 2021;385:1737-1749): eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^-1.200 × 0.9938^age
# (× 1.012 for women); κ 0.7 (women) or 0.9 (men), α -0.241 or -0.302.
CKD_EPI = "Inker LA et al., N Engl J Med 2021;385:1737-1749 (CKD-EPI 2021 equation)"
CKD_EPI_ADULT_AGE = 18.0
"""CKD-EPI 2021 was developed and validated in adults, 18 years and older (``CKD_EPI``)."""
CKD_EPI_OLDEST_AGE = 100.0
"""The oldest age an unknown age is read as, for the lowest eGFR a creatinine can give."""


@dataclass(frozen=True, slots=True)
class CkdEpi:
    """The constants of the CKD-EPI 2021 equation for one sex (``CKD_EPI``), shared by the
    estimate here, the case check (``nelm.engine.consistency``), the cohort engine and
    ``nelm synth``."""

    kappa: float
    alpha: float
    factor: float
    scale: float = 142.0
    exponent_above: float = -1.2
    age_base: float = 0.9938


CKD_EPI_BY_SEX = {"female": CkdEpi(0.7, -0.241, 1.012), "male": CkdEpi(0.9, -0.302, 1.0)}


def ckd_epi(creatinine_mg_dl: float, age: float, female: bool) -> float:
    """The eGFR (mL/min/1.73 m²) CKD-EPI 2021 gives for one creatinine, age and sex.

    Multiplied in this order, with ``**``, as ``nelm.cohort.kidney`` multiplies its columns
    with ``pow``: the two engines get the same float."""
    k = CKD_EPI_BY_SEX["female" if female else "male"]
    ratio = creatinine_mg_dl / k.kappa
    return float(
        k.scale
        * min(ratio, 1.0) ** k.alpha
        * max(ratio, 1.0) ** k.exponent_above
        * k.age_base**age
        * k.factor
    )


def _number(value: Value | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _float(x: float | int | None) -> float | None:
    return None if x is None else float(x)


def age_bounds(values: Mapping[str, Value]) -> tuple[float | None, float | None]:
    """The youngest and oldest age the case allows (None: unbounded): the exact age when
    given, else its bounds (``patient.age_years_at_least`` / ``_at_most``)."""
    age = _number(values.get("patient.age_years"))
    if age is not None:
        return age, age
    return (
        _number(values.get("patient.age_years_at_least")),
        _number(values.get("patient.age_years_at_most")),
    )


@dataclass(frozen=True, slots=True)
class CkdEpiRange:
    """The lowest and highest eGFR a creatinine gives over the ages and sexes the case
    allows, with the words for those ages and sexes."""

    low: float
    high: float
    ages: str
    sexes: str


def ckd_epi_range(
    creatinine: float,
    values: Mapping[str, Value],
    ages: tuple[float | None, float | None] | None = None,
) -> CkdEpiRange | None:
    """The eGFR range CKD-EPI 2021 gives for ``creatinine`` (mg/dL) at the adult ages and
    the sexes the case allows; None for a child (an adults' equation) or no creatinine.

    ``ages`` are the youngest and oldest age the case allows (None: unbounded), by default
    its exact age or inclusive bounds (``age_bounds``). The eGFR falls with age, so it is
    highest at the youngest age and lowest at the oldest; an unknown age is any adult age
    (18 to ``CKD_EPI_OLDEST_AGE``), an unknown sex (or "other") either sex."""
    if creatinine <= 0:
        return None
    lo, hi = age_bounds(values) if ages is None else ages
    if hi is not None and hi < CKD_EPI_ADULT_AGE:
        return None
    youngest = max(lo if lo is not None else CKD_EPI_ADULT_AGE, CKD_EPI_ADULT_AGE)
    oldest = hi if hi is not None else max(CKD_EPI_OLDEST_AGE, youngest)
    sex = values.get("patient.sex")
    sexes = (True,) if sex == "female" else (False,) if sex == "male" else (True, False)
    low = min(ckd_epi(creatinine, oldest, female) for female in sexes)
    high = max(ckd_epi(creatinine, youngest, female) for female in sexes)
    if lo is None and hi is None:
        words = "any adult age"
    else:
        # the ages the equation was taken over: a bound under 18 is raised to it
        words = interval_text(Interval(youngest, hi), "years")
    return CkdEpiRange(low, high, words, str(sex) if sex in ("female", "male") else "either sex")


def _egfr_text(x: float) -> str:
    """An eGFR to one decimal, rounded down: the number shown is never at a limit the
    estimate itself lies below (49.96 is "49.9", not "50.0")."""
    return f"{math.floor(x * 10) / 10:.1f}"


def creatinine_estimate(values: Mapping[str, Value]) -> Interval | None:
    """The least eGFR the creatinine gives by CKD-EPI 2021 over the ages and sexes the case
    allows, as a lower bound, whatever eGFR the case gives (None without a creatinine or an
    upper bound of one, or for a child). The eGFR falls as the creatinine rises, so a
    creatinine known only to lie below a bound ("< 1.0 mg/dL") gives the least at that
    bound. Its ``basis`` says what the equation gives from what (the whole range, when age
    or sex leave one)."""
    creatinine = _number(values.get("labs.creatinine_mg_dl"))
    bounded = None if creatinine is not None else interval_of(values, "labs.creatinine_mg_dl")
    if bounded is not None and bounded.hi is not None:
        creatinine = float(bounded.hi)
    if creatinine is None:
        return None
    # The age's bounds as the criteria read them, a strict one ("> 60") as the number just
    # past it (``interval_of``), as the dataframe engine's folded bound columns hold it.
    age = _number(values.get("patient.age_years"))
    if age is not None:
        ages: tuple[float | None, float | None] = (age, age)
    else:
        bounds = interval_of(values, "patient.age_years")
        ages = (None, None) if bounds is None else (_float(bounds.lo), _float(bounds.hi))
    found = ckd_epi_range(creatinine, values, ages)
    if found is None:
        return None
    who = f"by CKD-EPI 2021 ({found.ages}, {found.sexes})"
    if bounded is not None:
        given = interval_text(bounded, "mg/dL", number=_creatinine_text)
        basis = f"creatinine {given} gives at least {_egfr_text(found.low)} mL/min/1.73 m² {who}"
        return Interval(found.low, None, basis)
    low, high = _egfr_text(found.low), _egfr_text(found.high)
    shown = low if low == high else f"{low}–{high}"
    basis = f"creatinine {_creatinine_text(creatinine)} mg/dL gives {shown} mL/min/1.73 m² {who}"
    return Interval(found.low, None, basis)


def _creatinine_text(x: float) -> str:
    """A creatinine as the equation took it, to three decimals at most: one entered in
    µmol/L (133 µmol/L is 1.5045 mg/dL) is not shown as a rounder number than it gave."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


def egfr_from_creatinine(values: Mapping[str, Value]) -> Interval | None:
    """The eGFR the criteria read when the case does not give it exactly: its bounds, if
    any, with the creatinine's estimate (``creatinine_estimate``) as a further lower bound
    — two lower bounds, the higher holds — unless the estimate lies above the case's upper
    bound (a contradiction: the eGFR given comes first, and ``estimate_set_aside`` keeps
    the estimate for the criteria to show). None when the eGFR is given exactly, or nothing
    is estimated (the case's bounds alone then stand, ``interval_facts``)."""
    if _number(values.get("labs.egfr_ml_min")) is not None:
        return None
    estimate = creatinine_estimate(values)
    if estimate is None or estimate.lo is None:
        return None
    given = interval_of(values, "labs.egfr_ml_min")
    if given is None:
        return replace(estimate, basis=f"not given; {estimate.basis}")
    if given.hi is not None and estimate.lo > given.hi:
        return None
    stated = interval_text(given, "mL/min/1.73 m²")
    if given.lo is not None and given.lo >= estimate.lo:
        basis = f"{stated}; {estimate.basis}"
        return replace(given, basis=basis)
    return Interval(estimate.lo, given.hi, f"{stated}; {estimate.basis}", hi_strict=given.hi_strict)


def estimate_set_aside(values: Mapping[str, Value]) -> Interval | None:
    """The creatinine's estimate where the case gives the eGFR and the criteria read the
    eGFR given without it (exactly, or by an upper bound below the estimate): what the
    criteria show as overridden when the estimate alone would decide otherwise."""
    if _number(values.get("labs.egfr_ml_min")) is None and (
        interval_of(values, "labs.egfr_ml_min") is None or egfr_from_creatinine(values)
    ):
        return None
    return creatinine_estimate(values)


def creatinine_meeting(egfr: float) -> float:
    """The highest creatinine (mg/dL, to 0.01) whose least eGFR by CKD-EPI 2021, at any
    adult age and either sex, is at least ``egfr``: a value worth trying for a missing
    creatinine where a criterion compares the eGFR with ``egfr``
    (``nelm.engine.investigations``). The equation falls as the creatinine rises."""
    lo, hi = 0.01, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        found = ckd_epi_range(mid, {})
        if found is not None and found.low >= egfr:
            lo = mid
        else:
            hi = mid
    return math.floor(lo * 100) / 100
