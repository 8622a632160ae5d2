"""Synthetic cohorts: plausible, valid, reproducible rows for tests, demos and benchmarks.

The rows are made by numpy in blocks of ``BLOCK`` rows, block ``k`` from the random
generator seeded with ``(seed, k)``: a cohort depends only on its size, seed and share of
missing values, and any size is made in flat memory.

Where a distribution comes from
-------------------------------
Only a few are given by the seed reviews; the rest are stated assumptions, chosen to be
clinically plausible and to exercise every criterion — this is test data, not epidemiology.

* Liver-metastasis pattern: simple (type I) 20–25 %, complex (type II) 10–15 %, diffuse
  (type III) 60–70 % of cases (004 §1, ENETS types). Drawn as unilobar 22.5 %,
  bilobar dominant 12.5 %, bilobar diffuse 65 %.
* Grade: WHO thresholds Ki-67 < 3 % G1, 3–20 % G2, > 20 % G3 (000 §1). Ki-67 is drawn
  log-normal with median 6 % and log-sd 1 (about 25 % G1, 64 % G2, 12 % G3 by Ki-67 —
  assumed), the mitotic count as Poisson with a mean of half the Ki-67 (assumed).
  Poorly differentiated (NEC): 7 % (assumed), with Ki-67 uniform on 30–95 %.
* Synchronous liver metastases: 60 % (assumed; 40–80 % of pancreatic NETs are metastatic
  at presentation, 003 Background).
* Primary site: small intestine 32 %, pancreas 30 %, unknown primary 10 %, lung 8 %,
  rectum 5 %, stomach 4 %, colon 4 %, duodenum 3 %, appendix 2 %, other 2 % (assumed).
* Extrahepatic disease 35 % (assumed); its sites: distant nodes, bone, peritoneum, lung.
* Laboratory values: normal or log-normal around usual reference ranges (assumed), clipped
  to the contract's limits; then every number to its plausible range
  (``nelm.case.plausibility``), so that no value is implausible.
* Age: its decade as bounds ("in his fifties": at least 50, at most 59) for 15 % of cases
  (assumed), so that where the exact age is missing the bounds alone decide what they can.
* Strict bounds ("Ki-67 > 20 %", "a burden < 50 %"): for each number that need not be
  whole, each side for about 6 % of the rows without an inclusive bound on it (assumed),
  at the WHO cut-off the value lies beyond (Ki-67 > 20 % for a value above 20, < 3 % for
  one below 3; mitoses > 20 and < 2 per 2 mm²: 000 §1), else a little short of the value.
* Missing values: every field except ``case_id`` is left out independently with
  probability ``missing`` (default 20 %), missing completely at random.

Every row is valid (``nelm batch`` rejects none): an NEC subtype only with poor
differentiation, no extrahepatic sites when there is no extrahepatic disease.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from nelm.case.fields import BOUNDED, BOUNDS, FIELD_BY_PATH, FIELDS, STRICT_BOUNDS, Kind
from nelm.case.plausibility import plausible_range
from nelm.cohort.io import Outputs, file_format
from nelm.engine.kidney import CKD_EPI_BY_SEX

__all__ = ["BLOCK", "DEFAULT_MISSING", "synth_block", "synth_frame", "write_synth"]

BLOCK = 100_000
DEFAULT_MISSING = 0.2

_SITES = (
    "small_intestine",
    "pancreas",
    "unknown_primary",
    "lung",
    "rectum",
    "stomach",
    "colon",
    "duodenum",
    "appendix",
    "other",
)
_SITE_P = (0.32, 0.30, 0.10, 0.08, 0.05, 0.04, 0.04, 0.03, 0.02, 0.02)
_DISTRIBUTIONS = ("unilobar", "bilobar_dominant", "bilobar_diffuse")
_DISTRIBUTION_P = (0.225, 0.125, 0.65)  # 004 §1
_EXTRAHEPATIC = {"distant_nodes": 0.5, "bone": 0.45, "peritoneum": 0.2, "lung": 0.15, "other": 0.1}
_PRIOR = {
    "ssa": 0.8,
    "prrt": 0.3,
    "everolimus": 0.25,
    "capecitabine_temozolomide": 0.2,
    "sunitinib": 0.1,
    "tace": 0.2,
}
_SYNDROMES = FIELD_BY_PATH["primary.functional_syndrome"].choices
# The bounded numbers whose bounds the cohort draws: the laboratory values, bounded since
# (a laboratory's "eGFR > 60", "< 15"), are left out so that every column of a seed keeps
# its values and the benchmarks stay comparable; their bounds are checked in both engines
# by tests/cohort/test_agreement_boundaries.py.
_DRAWN_BOUNDED = tuple(path for path in BOUNDED if not path.startswith("labs."))


@dataclass(frozen=True, slots=True)
class _Labels:
    """A categorical column as codes into ``values``; null where not ``known``."""

    values: tuple[str, ...]
    codes: np.ndarray
    known: np.ndarray | None = None

    def is_(self, name: str) -> np.ndarray:
        found: np.ndarray = np.equal(self.codes, self.values.index(name))
        return found

    def only(self, known: np.ndarray) -> _Labels:
        return _Labels(self.values, self.codes, known)

    def series(self, name: str) -> pl.Series:
        labels = pl.Series(name, list(self.values), dtype=pl.String).gather(self.codes)
        return labels if self.known is None else _only(self.known, labels)


def _only(known: np.ndarray, values: pl.Series | np.ndarray) -> pl.Series:
    """``values`` where ``known``, null elsewhere."""
    series = values if isinstance(values, pl.Series) else pl.Series(values)
    return pl.select(pl.when(pl.lit(pl.Series(known))).then(series)).to_series()


class _Draw:
    """Vectorised draws for one block of rows."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.rng, self.n = rng, n

    def bernoulli(self, p: float | np.ndarray) -> np.ndarray:
        return self.rng.random(self.n) < p

    def choice(self, values: tuple[str, ...], p: tuple[float, ...] | list[float]) -> _Labels:
        return _Labels(values, self.rng.choice(len(values), self.n, p=p))

    def rows_choice(self, values: tuple[str, ...], p: np.ndarray) -> _Labels:
        """One value per row from that row's probabilities (``p``: rows × values)."""
        cumulative = np.cumsum(p, axis=1)
        index = (self.rng.random(self.n)[:, None] > cumulative).sum(axis=1)
        return _Labels(values, np.minimum(index, len(values) - 1))

    def lognormal(
        self, median: float, sigma: float, lo: float, hi: float, decimals: int = 1
    ) -> np.ndarray:
        x = self.rng.lognormal(np.log(median), sigma, self.n)
        return np.round(np.clip(x, lo, hi), decimals)

    def normal(
        self, mean: float | np.ndarray, sd: float, lo: float, hi: float, decimals: int = 1
    ) -> np.ndarray:
        return np.round(np.clip(self.rng.normal(mean, sd, self.n), lo, hi), decimals)


def _syndrome_p(site: _Labels) -> np.ndarray:
    """Functional syndrome probabilities per row, by primary site (assumed)."""
    table = {s: [0.0] * len(_SYNDROMES) for s in _SITES}
    order = {name: i for i, name in enumerate(_SYNDROMES)}
    for s in _SITES:
        row = table[s]
        if s in ("pancreas", "duodenum"):
            for name, p in (
                ("insulinoma", 0.04),
                ("gastrinoma", 0.06),
                ("glucagonoma", 0.02),
                ("vipoma", 0.02),
                ("somatostatinoma", 0.01),
                ("other", 0.02),
            ):
                row[order[name]] = p
        elif s in ("small_intestine", "appendix", "colon", "lung", "unknown_primary"):
            row[order["carcinoid"]] = 0.3
        else:
            row[order["other"]] = 0.05
        row[order["none"]] = 1.0 - sum(row)
    matrix: np.ndarray = np.array([table[s] for s in _SITES])
    rows: np.ndarray = matrix[site.codes]
    return rows


def _lists(
    draw: _Draw, probabilities: dict[str, float], present: np.ndarray, fallback: str
) -> pl.Series:
    """A list column: each item drawn with its probability where ``present``, else null.

    A row that draws no item gets ``fallback``, so that no list is empty (an empty list and
    an unknown one read alike from CSV)."""
    names = list(probabilities)
    mask = np.zeros(draw.n, dtype=np.int64)
    for bit, name in enumerate(names):
        mask |= draw.bernoulli(probabilities[name]).astype(np.int64) << bit
    combos = pl.Series(
        [
            [n for b, n in enumerate(names) if m >> b & 1] or [fallback]
            for m in range(1 << len(names))
        ],
        dtype=pl.List(pl.String),
    )
    lists = combos.gather(mask)
    return pl.select(pl.when(pl.lit(pl.Series(present))).then(lists)).to_series()


def synth_block(seed: int, block: int, n: int, missing: float = DEFAULT_MISSING) -> pl.DataFrame:
    """Rows ``block * BLOCK`` to ``block * BLOCK + n`` of the cohort of ``seed``."""
    rng = np.random.default_rng([seed, block])
    d = _Draw(rng, n)
    c: dict[str, Any] = {}
    first = block * BLOCK
    c["case_id"] = pl.select(
        pl.concat_str(pl.lit(f"synth-{seed}-"), pl.int_range(first, first + n).cast(pl.String))
    ).to_series()

    # patient
    ecog = rng.choice(5, n, p=[0.45, 0.35, 0.13, 0.05, 0.02])
    c["patient.age_years"] = np.round(np.clip(rng.normal(62, 12, n), 18, 95)).astype(np.int64)
    c["patient.sex"] = d.choice(("female", "male", "other"), (0.47, 0.52, 0.01))
    c["patient.ecog"] = ecog
    # never fit at ECOG 4 (totally confined to bed or chair: a contradiction nelm batch lists)
    c["patient.fit_for_major_surgery"] = d.bernoulli(np.array([0.9, 0.75, 0.4, 0.1, 0.0])[ecog])

    # primary
    site = d.choice(_SITES, _SITE_P)
    syndrome = d.rows_choice(_SYNDROMES, _syndrome_p(site))
    carcinoid = syndrome.is_("carcinoid")
    heart = d.bernoulli(np.where(carcinoid, 0.2, 0.03))
    c["patient.carcinoid_heart_disease"] = heart
    c["patient.lvef_percent"] = np.where(
        heart, d.normal(48, 10, 5, 90, 0), d.normal(60, 7, 5, 90, 0)
    )
    # an unknown primary is never resected, measured or staged (a contradiction nelm batch lists)
    found = ~site.is_("unknown_primary")
    resected = d.bernoulli(0.45) & found
    c["primary.site"] = site
    c["primary.resected"] = resected
    c["primary.resection_margin"] = d.choice(("R0", "R1", "R2"), (0.7, 0.25, 0.05)).only(resected)
    c["primary.months_since_primary_resection"] = np.where(
        resected, np.round(rng.exponential(24, n), 1), np.nan
    )
    c["primary.size_cm"] = np.where(found, d.lognormal(2.5, 0.5, 0.1, 50), np.nan)
    c["primary.t_category"] = d.choice(("T1", "T2", "T3", "T4"), (0.2, 0.35, 0.3, 0.15)).only(found)
    c["primary.node_positive"] = d.bernoulli(0.65)
    c["primary.functional_syndrome"] = syndrome
    c["primary.syndrome_refractory"] = ~syndrome.is_("none") & d.bernoulli(0.3)

    # pathology
    poor = d.bernoulli(0.07)
    ki67 = np.where(poor, np.round(rng.uniform(30, 95, n), 1), d.lognormal(6, 1.0, 0.1, 100))
    c["pathology.ki67_percent"] = ki67
    c["pathology.mitoses_per_2mm2"] = rng.poisson(ki67 / 2).astype(np.int64)
    c["pathology.differentiation"] = _Labels(("well", "poor"), poor.astype(np.int64))
    c["pathology.nec_subtype"] = d.choice(("small_cell", "large_cell"), (0.5, 0.5)).only(poor)
    c["pathology.ki67_source"] = d.choice(("primary", "liver_metastasis"), (0.6, 0.4))

    # imaging
    sstr = d.bernoulli(np.where(poor, 0.3, 0.85))
    c["imaging.sstr_positive"] = sstr
    c["imaging.krenning_score"] = np.where(
        sstr, rng.choice([2, 3, 4], n, p=[0.2, 0.4, 0.4]), rng.choice([0, 1], n)
    )
    c["imaging.fdg_positive"] = d.bernoulli(np.where(poor, 0.95, np.where(ki67 > 10, 0.6, 0.2)))

    # liver (004 §1 for the distribution)
    dist = d.choice(_DISTRIBUTIONS, _DISTRIBUTION_P)
    uni, dom = dist.is_("unilobar"), dist.is_("bilobar_dominant")
    c["liver.lesion_count"] = np.where(
        uni, 1 + rng.poisson(1, n), np.where(dom, 3 + rng.poisson(3, n), 10 + rng.poisson(15, n))
    ).astype(np.int64)
    c["liver.largest_lesion_cm"] = np.where(
        uni,
        d.lognormal(3, 0.5, 0.1, 40),
        np.where(dom, d.lognormal(5, 0.5, 0.1, 40), d.lognormal(2.5, 0.5, 0.1, 40)),
    )
    burden = (
        np.where(uni, rng.beta(2, 12, n), np.where(dom, rng.beta(2.5, 6, n), rng.beta(3, 4, n)))
        * 100
    )
    c["liver.distribution"] = dist
    c["liver.tumor_burden_percent"] = np.round(burden, 0)
    c["liver.future_liver_remnant_percent"] = np.where(
        uni,
        d.normal(55, 12, 5, 95, 0),
        np.where(dom, d.normal(38, 12, 5, 95, 0), d.normal(25, 12, 5, 95, 0)),
    )
    c["liver.synchronous"] = d.bernoulli(0.6)
    c["liver.near_hilum_or_major_vessels"] = d.bernoulli(0.25)
    c["liver.subcapsular"] = d.bernoulli(0.3)

    # extrahepatic
    present = d.bernoulli(0.35)
    c["extrahepatic.present"] = present
    c["extrahepatic.sites"] = _lists(d, _EXTRAHEPATIC, present, "distant_nodes")
    c["extrahepatic.resectable"] = _only(present, d.bernoulli(0.25))
    c["extrahepatic.stable"] = _only(present, d.bernoulli(0.5))

    # labs
    c["labs.bilirubin_mg_dl"] = d.lognormal(0.7, 0.5, 0.1, 50)
    c["labs.albumin_g_dl"] = d.normal(4.0, 0.5, 0.5, 7)
    c["labs.creatinine_mg_dl"] = d.lognormal(0.9, 0.3, 0.1, 20, 2)
    # the eGFR of the creatinine by CKD-EPI 2021, give or take 10 % (a contradiction otherwise)
    noise = np.exp(rng.normal(0, 0.1, n))
    egfr = _ckd_epi(c["labs.creatinine_mg_dl"], c["patient.age_years"], c["patient.sex"]) * noise
    c["labs.egfr_ml_min"] = np.round(np.clip(egfr, 0, 200), 0)
    c["labs.ldh_u_l"] = d.lognormal(220, 0.4, 0, 10000, 0)
    c["labs.ast_u_l"] = d.lognormal(30, 0.6, 0, 10000, 0)
    c["labs.platelets_per_ul"] = d.normal(250_000, 70_000, 0, 2_000_000, -3)
    # From 11 g/dL: 7.4-10.9 is as likely a normal value in mmol/L (plausibility.yaml, the
    # unit check), which a column without its unit is warned of; synthetic rows are not.
    c["labs.hemoglobin_g_dl"] = d.normal(13, 1.6, 11, 25)
    c["labs.wbc_per_ul"] = d.normal(7000, 2000, 0, 500_000, -2)

    # anatomy
    whipple = d.bernoulli(np.where(site.is_("pancreas"), 0.12, 0.02))
    c["anatomy.portal_vein_thrombosis"] = d.bernoulli(0.04)
    c["anatomy.biliary_enteric_anastomosis"] = whipple | d.bernoulli(0.01)
    c["anatomy.prior_whipple"] = whipple
    c["anatomy.biliary_obstruction"] = d.bernoulli(0.03)
    c["anatomy.ascites"] = d.bernoulli(0.05)
    c["anatomy.hepatic_encephalopathy"] = d.bernoulli(0.01)
    c["anatomy.hepatopulmonary_shunt_percent"] = d.lognormal(6, 0.6, 0, 100)
    c["anatomy.gi_shunting_uncorrectable"] = d.bernoulli(0.03)

    # course
    status = d.choice(
        ("stable", "progressing", "rapidly_progressing", "new_diagnosis"), (0.45, 0.3, 0.07, 0.18)
    )
    # A new diagnosis has no treatment history (beside one it is a contradiction).
    new = status.is_("new_diagnosis")
    lines = np.where(new, 0, rng.poisson(0.8, n)).astype(np.int64)
    c["course.status"] = status
    c["course.months_stable"] = np.where(
        status.is_("stable"), np.round(rng.exponential(12, n), 1), 0.0
    )
    c["course.progressed_on_ssa"] = d.bernoulli(np.where(lines > 0, 0.5, np.where(new, 0, 0.1)))
    c["course.prior_systemic_lines"] = lines
    c["course.prior_treatments"] = _lists(d, _PRIOR, lines > 0, "ssa")
    c["course.recurrence_after_liver_resection"] = d.bernoulli(0.05)

    c.update(_extent(np.random.default_rng([seed, block, 14]), n, site))
    first_columns = [f.path for f in FIELDS if f.path in c]
    _report_columns(c, d, ki67, dist)
    frame = pl.DataFrame({name: _series(name, values) for name, values in c.items()})
    # Plausible, not only valid: each number within its plausible range (as nelm assess
    # and nelm batch check them: nelm.case.plausibility), so that a synthetic cohort has no
    # implausible value for the warnings file to list.
    frame = frame.with_columns(_within_plausible(frame.schema))
    # From a stream of their own and after every other column, so that each earlier column
    # of a seed keeps its values; drawn from the plausible exact values they bound.
    strict = _strict_bounds(np.random.default_rng([seed, block, 15]), frame)
    frame = frame.with_columns(strict)
    if missing > 0:
        # The masks of the first columns are drawn first, in their order, so that adding
        # report columns left every earlier column of a seed as it was.
        order = first_columns + [p for p in c if p != "case_id" and p not in first_columns]
        order += [s.name for s in strict]
        frame = frame.with_columns(
            pl.when(pl.lit(pl.Series(rng.random(n) >= missing))).then(pl.col(path)).alias(path)
            for path in order
        )
    return frame


def _ckd_epi(creatinine: np.ndarray, age: np.ndarray, sex: _Labels) -> np.ndarray:
    """CKD-EPI 2021 (Inker et al., N Engl J Med 2021), as ``nelm.engine.consistency``."""
    female = sex.is_("female")
    f, m = CKD_EPI_BY_SEX["female"], CKD_EPI_BY_SEX["male"]
    ratio = creatinine / np.where(female, f.kappa, m.kappa)
    return (
        m.scale
        * np.minimum(ratio, 1.0) ** np.where(female, f.alpha, m.alpha)
        * np.maximum(ratio, 1.0) ** m.exponent_above
        * m.age_base**age
        * np.where(female, f.factor, m.factor)
    )


def _within_plausible(schema: pl.Schema) -> list[pl.Expr]:
    out = []
    for path, dtype in schema.items():
        r = plausible_range(path)
        if r is None or not dtype.is_numeric():
            continue
        low, high = (
            (math.ceil(r.low), math.floor(r.high)) if dtype.is_integer() else (r.low, r.high)
        )
        out.append(pl.col(path).clip(low, high))
    return out


def _report_columns(c: dict[str, Any], d: _Draw, ki67: np.ndarray, dist: _Labels) -> None:
    """The fields that say what a report says: a reported grade, bounds around the exact
    numbers, "bilobar" without a pattern, the surgeons' judgements, symptoms of the tumour
    burden (all sparse)."""
    n, rng = d.n, d.rng
    # The grade the report states is the measured one (the higher of Ki-67's and the mitotic
    # count's; NEC when poorly differentiated): a contradicting one is a warning of nelm
    # batch. The two draws of an earlier version stay, so later columns keep their values.
    mitoses = c["pathology.mitoses_per_2mm2"]
    grade = np.maximum(
        np.where(ki67 < 3, 0, np.where(ki67 <= 20, 1, 2)),
        np.where(mitoses < 2, 0, np.where(mitoses <= 20, 1, 2)),
    )
    grade = np.where(c["pathology.differentiation"].is_("poor"), 3, grade)
    d.bernoulli(0.9), rng.choice(6, n)
    reported = grade
    c["pathology.reported_grade"] = _Labels(
        FIELD_BY_PATH["pathology.reported_grade"].choices, reported
    ).only(d.bernoulli(0.3))
    for path in _DRAWN_BOUNDED:
        if path == "patient.age_years":
            continue  # its bounds are its decade, drawn at the end (below)
        exact = c[path]
        spec = FIELD_BY_PATH[path]
        below = np.round(rng.exponential(3, n), 0 if spec.kind is Kind.INTEGER else 1)
        above = np.round(rng.exponential(3, n), 0 if spec.kind is Kind.INTEGER else 1)
        lo = spec.minimum if spec.minimum is not None else -np.inf
        hi = spec.maximum if spec.maximum is not None else np.inf
        has_lo, has_hi = d.bernoulli(0.15), d.bernoulli(0.15)
        at_least = np.clip(exact - below, lo + (0.1 if spec.exclusive_minimum else 0), hi)
        at_most = np.clip(exact + above, lo, hi)
        c[f"{path}_at_least"] = np.where(has_lo, at_least, np.nan)
        c[f"{path}_at_most"] = np.where(has_hi, at_most, np.nan)
        if spec.kind is Kind.INTEGER:
            c[f"{path}_at_least"] = _only(
                has_lo & ~np.isnan(at_least), np.nan_to_num(at_least).astype(np.int64)
            )
            c[f"{path}_at_most"] = _only(
                has_hi & ~np.isnan(at_most), np.nan_to_num(at_most).astype(np.int64)
            )
    c["liver.bilobar"] = _only(d.bernoulli(0.2), ~dist.is_("unilobar"))
    c["liver.surgical_assessment"] = d.choice(
        FIELD_BY_PATH["liver.surgical_assessment"].choices, (0.3, 0.2, 0.5)
    ).only(d.bernoulli(0.2))
    c["primary.surgical_assessment"] = d.choice(
        FIELD_BY_PATH["primary.surgical_assessment"].choices, (0.8, 0.2)
    ).only(d.bernoulli(0.15))
    # Drawn last, so that every column before keeps its values for a given seed.
    c["liver.burden_symptoms"] = _only(d.bernoulli(0.3), d.bernoulli(0.4))
    # The age's decade, as a case report writes "in his fifties" (docs/case-v1-additions.md):
    # beside the exact age, or alone where the exact age is drawn missing.
    decade = d.bernoulli(0.15)
    age = c["patient.age_years"]
    c["patient.age_years_at_least"] = _only(decade, age // 10 * 10)
    c["patient.age_years_at_most"] = _only(decade, age // 10 * 10 + 9)


# The WHO cut-offs as reports write them beside a grade: Ki-67 "< 3 %" (G1) and "> 20 %"
# (G3), mitoses "< 2" and "> 20" per 2 mm² (000 §1; 003 Table 1).
_CUT_OFFS = {"pathology.ki67_percent": (3.0, 20.0), "pathology.mitoses_per_2mm2": (2.0, 20.0)}


def _strict_bounds(rng: np.random.Generator, frame: pl.DataFrame) -> list[pl.Series]:
    """The strict bounds of a report ("Ki-67 > 20 %", "a burden < 50 %"; sparse): each
    side for about 6 % of the rows that have no inclusive bound on it, never excluding
    the exact value (at the WHO cut-off it lies beyond, ``_CUT_OFFS``, else a little short
    of it), within the number's plausible and allowed range. The age keeps its decade
    (``_report_columns``)."""
    n = frame.height
    out: list[pl.Series] = []
    for path in _DRAWN_BOUNDED:
        if path == "patient.age_years" or path not in STRICT_BOUNDS:
            continue
        above_path, below_path = STRICT_BOUNDS[path]
        spec, plausible = FIELD_BY_PATH[path], plausible_range(path)
        if plausible is None:  # every bounded number has one (plausibility.yaml)
            raise LookupError(f"no plausible range for {path}")
        floor = max(plausible.low, spec.minimum if spec.minimum is not None else -np.inf)
        ceiling = min(plausible.high, spec.maximum if spec.maximum is not None else np.inf)
        exact = frame.get_column(path).cast(pl.Float64).to_numpy()
        more = np.round(exact - np.round(rng.exponential(3, n), 1) - 0.1, 1)
        less = np.round(exact + np.round(rng.exponential(3, n), 1) + 0.1, 1)
        if path in _CUT_OFFS:
            low_cut, high_cut = _CUT_OFFS[path]
            more = np.where(exact > high_cut, high_cut, more)
            less = np.where(exact < low_cut, low_cut, less)
        lower_free = frame.get_column(BOUNDS[path][0]).is_null().to_numpy()
        upper_free = frame.get_column(BOUNDS[path][1]).is_null().to_numpy()
        with np.errstate(invalid="ignore"):  # a structurally missing value is NaN: no bound
            has_more = (rng.random(n) < 0.06) & lower_free & (more < exact)
            has_more &= (more >= floor) & (more < ceiling)
            has_less = (rng.random(n) < 0.06) & upper_free & (less > exact)
            has_less &= (less > floor) & (less <= ceiling)
        out.append(pl.Series(above_path, np.where(has_more, more, np.nan), nan_to_null=True))
        out.append(pl.Series(below_path, np.where(has_less, less, np.nan), nan_to_null=True))
    return out


def _extent(rng: np.random.Generator, n: int, site: _Labels) -> dict[str, pl.Series]:
    """The local extent of a pancreatic primary (assumed shares; null for other sites).

    Drawn from a stream of its own so that the other columns of a seed stay as they were.
    An invasion is drawn only beside an extension beyond the pancreas (case-v1)."""
    d = _Draw(rng, n)
    pancreas = pl.Series(site.is_("pancreas"))
    beyond = d.bernoulli(0.45)
    columns = {"primary.extends_beyond_pancreas": beyond}
    for name, p in (
        ("duodenum_or_bile_duct", 0.35),
        ("adjacent_organs", 0.25),
        ("celiac_axis_or_sma", 0.1),
        ("other_large_vessels", 0.25),
    ):
        columns[f"primary.invades_{name}"] = beyond & d.bernoulli(p)
    return {
        name: pl.select(pl.when(pl.lit(pancreas)).then(pl.lit(pl.Series(values))))
        .to_series()
        .alias(name)
        for name, values in columns.items()
    }


def _series(name: str, values: Any) -> pl.Series:
    if isinstance(values, _Labels):
        return values.series(name)
    if isinstance(values, pl.Series):
        return values.alias(name)
    if name == "case_id":
        return pl.Series(name, values, dtype=pl.String)
    spec = FIELD_BY_PATH[name]
    if spec.kind is Kind.CHOICES:
        return pl.Series(name, values, dtype=pl.List(pl.String))
    if spec.kind is Kind.BOOLEAN:
        return pl.Series(name, values, dtype=pl.Boolean, strict=False)
    if spec.kind is Kind.CHOICE:
        return pl.Series(name, values, dtype=pl.String)
    if spec.kind is Kind.INTEGER or (isinstance(values, np.ndarray) and values.dtype.kind == "i"):
        return pl.Series(name, values, dtype=pl.Int64)
    return pl.Series(name, values, dtype=pl.Float64, nan_to_null=True)


def synth_frame(n: int, seed: int, missing: float = DEFAULT_MISSING) -> pl.DataFrame:
    """The first ``n`` rows of the cohort of ``seed``, in memory."""
    blocks = [
        synth_block(seed, k, min(BLOCK, n - k * BLOCK), missing)
        for k in range((n + BLOCK - 1) // BLOCK)
    ]
    return pl.concat(blocks) if blocks else synth_block(seed, 0, 0, missing)


def write_synth(path: str | Path, n: int, seed: int, missing: float = DEFAULT_MISSING) -> int:
    """Write the first ``n`` rows of the cohort of ``seed`` to CSV or Parquet (by suffix)."""
    file_format(path, "-o")
    schema = dict(synth_block(seed, 0, 0, missing).schema)
    with Outputs() as outputs:
        sink = outputs.open(path, schema)
        for k in range((n + BLOCK - 1) // BLOCK):
            sink.write(synth_block(seed, k, min(BLOCK, n - k * BLOCK), missing))
        outputs.commit()
    return n
