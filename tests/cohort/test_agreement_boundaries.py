"""Every threshold of the knowledge base at its boundary, in both engines.

Each row puts one number exactly on a threshold or just either side of it, and gives the
result the cited words decide ("< 55 years": 55 is outside; "at least 30%": 30 is inside),
quoted in the row. The same cases go through the interpreter (``assess_mapping``, as
``nelm assess``) and, as one cohort, through the compiled batch engine (``process_chunk``, as
``nelm batch``), read both as a CSV reader gives them (text) and as Parquet holds them
(native): the criterion's result, the option's status, the grade and the T category of
each staging system must be the ones the words give, in both engines. Cautions are shown
by the interpreter only (the batch writes statuses and reasons): their rows are checked
there. A coverage test fails when a criterion or caution compares a number with a
threshold that no row puts exactly on it.

Units: a value entered in another unit exactly at the converted limit (bilirubin 2 mg/dL =
34.2 µmol/L) decides as the limit itself. A cohort file has no per-value unit (a column
named in another unit is refused, ``nelm.cohort.validate``), so those rows go through the
interpreter.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

import polars as pl
import pytest

from nelm.case.fields import FIELD_BY_PATH, Kind
from nelm.cohort.pipeline import ChunkResult, process_chunk
from nelm.cohort.reference import reference_chunk
from nelm.engine.conditions import leaves_of
from nelm.knowledge import load_knowledge
from nelm.service import assess_mapping
from tests.cohort.test_agreement import assert_same
from tests.engine.cases import BASE, eligible_case, with_changes

M, N, U = "met", "not_met", "unknown"


class Edge(NamedTuple):
    option: str
    criterion: str  # the criterion's local id
    changes: dict[str, Any]
    expected: str  # met | not_met | unknown
    source: str  # the words the expected result follows


EDGES: list[Edge] = []


def edges(option: str, criterion: str, source: str, *rows: tuple[dict[str, Any], str]) -> None:
    EDGES.extend(Edge(option, criterion, changes, expected, source) for changes, expected in rows)


def at(path: str, *pairs: tuple[float, str]) -> list[tuple[dict[str, Any], str]]:
    """Rows moving one field: (value, expected result)."""
    return [({path: value}, expected) for value, expected in pairs]


def age_bounds(lo: float | None, hi: float | None) -> dict[str, Any]:
    """The age given only by its inclusive bounds ("in his fifties", a birth year)."""
    return {
        "patient.age_years": None,
        "patient.age_years_at_least": lo,
        "patient.age_years_at_most": hi,
    }


def aged(*rows: tuple[float | None, float | None, str]) -> list[tuple[dict[str, Any], str]]:
    """Rows giving the age by its bounds: (at least, at most, expected)."""
    return [(age_bounds(lo, hi), expected) for lo, hi, expected in rows]


# --- surgery ------------------------------------------------------------------------------
FLR = "001 Isolated surgical resection: 'an adequate future liver remnant (FLR) of at least 30%'"
FLR_PATH = "liver.future_liver_remnant_percent"
for option in ("liver_resection", "simultaneous_resection"):
    edges(option, "flr", FLR, *at(FLR_PATH, (29.9, N), (30, M), (30.1, M)))
edges(
    "staged_resection",
    "needs_staging",
    f"{FLR}; 001 Staged resections: for patients 'whose FLR was initially deemed insufficient'",
    *at(FLR_PATH, (29.9, M), (30, N)),
)
edges(
    "primary_tumor_resection",
    "liver_unresectable",
    f"{FLR}: below 30 % the liver is not curatively resectable (type I here)",
    *[
        ({"liver.distribution": "unilobar", "liver.lesion_count": 2, FLR_PATH: flr}, expected)
        for flr, expected in ((29.9, M), (30, N))
    ],
)
edges(
    "liver_transplant_unos",
    "bilobar_unresectable",
    f"{FLR}; 001 Table 2 (UNOS): 'bilobar NELM, not amenable to resection'; 004 §1: type II "
    "'with the possibility of surgical resection'",
    *at(FLR_PATH, (29.9, M), (30, N), (30.1, N)),
)
DEBULK = (
    "001 Debulking surgery: 'non-functional NENs and stable disease for an interval of 6 months'"
)
edges("cytoreductive_surgery", "indication", DEBULK, *at("course.months_stable", (5.9, N), (6, M)))
edges(
    "cytoreductive_surgery",
    "involvement",
    "003 Cytoreductive surgery: 'If > 75% of the liver parenchyma is involved ... surgical "
    "treatment should be avoided'",
    *at("liver.tumor_burden_percent", (74.9, M), (75, M), (75.1, N)),
)

# --- transplantation ----------------------------------------------------------------------
for option in ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos"):
    edges(
        option,
        "age",
        "001 Table 2: 'Age <55 years' (Milan, UNOS), 'Young patients (<55 years)' (ENETS)",
        *at("patient.age_years", (54, M), (54.9, M), (55, N), (56, N)),
    )
    edges(
        option,
        "age",
        "001 Table 2: 'Age <55 years'; an age known only by its bounds (a birth year, 'in "
        "his fifties') decides when the whole interval lies on one side of 55",
        *aged((50, 54, M), (50, 54.9, M), (None, 54, M), (54, 55, U), (50, 59, U), (55, 59, N)),
        *aged((55, None, N), (None, 55, U), (65, 66, N)),
    )
    edges(
        option,
        "involvement",
        "001 Table 2: 'Involvement of <50% hepatic parenchyma'",
        *at("liver.tumor_burden_percent", (49.9, M), (50, N), (50.1, N)),
    )
    edges(
        option,
        "stable",
        "001 Table 2: stable disease 'at least 6 months'",
        *at("course.months_stable", (5.9, N), (6, M)),
    )
edges(
    "liver_transplant_enets",
    "ki67",
    "001 Table 2, ENETS: 'Ki67 proliferation index ≤ 10%'",
    *at("pathology.ki67_percent", (9.9, M), (10, M), (10.1, N)),
)
REFRACTORY = {"primary.functional_syndrome": "carcinoid", "primary.syndrome_refractory": True}
edges(
    "liver_transplant_enets",
    "involvement",
    "001 Table 2, ENETS: 'Involvement of <50% hepatic parenchyma or <75% in cases with "
    "refractory hormonal symptoms'",
    *[
        ({**REFRACTORY, "liver.tumor_burden_percent": burden}, expected)
        for burden, expected in ((50, M), (74.9, M), (75, N))
    ],
)
edges(
    "liver_transplant_enets",
    "primary_removed",
    "001 Table 2, ENETS: 'Primary tumor removed prior to OLT (at least 6 months)'",
    *at("primary.months_since_primary_resection", (5.9, N), (6, M)),
)
edges(
    "liver_transplant_enets",
    "bilirubin",
    "001 Table 2, ENETS 'Low serum total bilirubin', read as 002 §3.3 'serum bilirubin < 2 mg/dL'",
    *at("labs.bilirubin_mg_dl", (1.9, M), (2, N), (2.1, N)),
)

# --- liver-directed -----------------------------------------------------------------------
ABLATION = "002 §4: 'less than three lesions measuring ≤ 3 cm, or a single lesion < 5 cm'"
edges(
    "thermal_ablation",
    "size_number",
    ABLATION,
    *[
        ({"liver.lesion_count": count, "liver.largest_lesion_cm": size}, expected)
        for count, size, expected in (
            (2, 2.9, M),
            (2, 3, M),
            (2, 3.1, N),
            (3, 3, N),
            (1, 3.1, M),
            (1, 4.9, M),
            (1, 5, N),
        )
    ],
)
# A burden over 25 % is never the limited disease of 002 §4 (a lesion under 5 cm is under
# 10 % of a small adult liver): not met without the lesions' sizes, open at 25 % itself.
edges(
    "thermal_ablation",
    "size_number",
    ABLATION + "; a burden over 25 % cannot be such disease",
    *[
        ({"liver.lesion_count": None, "liver.largest_lesion_cm": None, **burden}, expected)
        for burden, expected in (
            ({"liver.tumor_burden_percent": 25}, U),
            ({"liver.tumor_burden_percent": 25.1}, N),
        )
    ],
)


def lab_bounds(path: str, *rows: tuple[str, float, str]) -> list[tuple[dict[str, Any], str]]:
    """Rows giving a laboratory value only by one bound ("eGFR > 60", "< 15"): (the bound's
    suffix, its value, expected)."""
    return [({path: None, f"{path}_{side}": value}, expected) for side, value, expected in rows]


LABS = (
    "002 §3.3: 'serum creatinine < 2, lactate dehydrogenase < 425 mU/mL, aspartate "
    "transaminase < 100 mL, platelet count > 100,000/mL, serum bilirubin < 2 mg/dL, and tumor "
    "burden < 50% of the liver'"
)
for option in ("tae", "tare"):
    edges(option, "bilirubin", LABS, *at("labs.bilirubin_mg_dl", (1.9, M), (2, N)))
    edges(option, "creatinine", LABS, *at("labs.creatinine_mg_dl", (1.9, M), (2, N)))
    # given only as a bound, as a laboratory may: "< 2" is within "< 2"; "≤ 2" may be 2
    edges(
        option,
        "creatinine",
        LABS,
        *lab_bounds("labs.creatinine_mg_dl", ("less_than", 2, M), ("at_most", 2, U)),
        *lab_bounds("labs.creatinine_mg_dl", ("at_least", 2, N), ("more_than", 1.9, U)),
    )
    # the bilirubin given only as a bound: a laboratory's "< 1.2" (normal) is below the
    # limit; a jaundiced patient's "> 3" above it; "> 1.9" and "≤ 2" straddle it
    edges(
        option,
        "bilirubin",
        LABS,
        *lab_bounds("labs.bilirubin_mg_dl", ("less_than", 1.2, M), ("less_than", 2, M)),
        *lab_bounds("labs.bilirubin_mg_dl", ("more_than", 3, N), ("at_least", 2, N)),
        *lab_bounds("labs.bilirubin_mg_dl", ("more_than", 1.9, U), ("at_most", 2, U)),
    )
    edges(option, "ldh", LABS, *at("labs.ldh_u_l", (424, M), (424.9, M), (425, N)))
# Without a creatinine, an eGFR below 21 shows it above 2 mg/dL (CKD-EPI 2021, Inker 2021: a
# creatinine of 2.0 gives at least 21.9 mL/min/1.73 m² at any adult age up to 100, either
# sex); 21 or more leaves the creatinine to decide.
for option in ("tae", "tace", "deb_tace", "tare"):
    edges(
        option,
        "creatinine",
        LABS + "; CKD-EPI 2021",
        ({"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": 20.9}, N),
        ({"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": 21}, U),
        ({"labs.creatinine_mg_dl": 1.9, "labs.egfr_ml_min": 21}, M),
    )
    edges(option, "ast", LABS, *at("labs.ast_u_l", (99, M), (99.9, M), (100, N)))
    edges(
        option,
        "platelets",
        LABS,
        *at("labs.platelets_per_ul", (99999, N), (100000, N), (100001, M)),
    )
    # "< 50%" is relative: 002 §3 calls liver-directed therapy a reasonable salvage approach
    # for a burden of 10-90 %, which bounds it (≤ 90 %)
    edges(option, "burden", LABS, *at("liver.tumor_burden_percent", (49.9, M), (50, U), (90.1, U)))
    edges(
        option,
        "burden_salvage_limit",
        "002 §3: 'a salvage approach when the liver burden ranges between 10% and 90%'",
        *at("liver.tumor_burden_percent", (49.9, M), (90, M), (90.1, N)),
    )
edges(
    "tae",
    "performance_status",
    "003 Hepatic arterial embolization: 'poor performance status' contraindicates TAE and "
    "TACE (no figure: ECOG 3 'capable of only limited self-care' is poor)",
    *at("patient.ecog", (2, M), (3, N)),
)

# --- systemic -----------------------------------------------------------------------------
edges(
    "prrt",
    "uptake",
    "NETTER-1 eligibility: uptake at least that of normal liver (Krenning score 2 is uptake "
    "equal to the liver)",
    *at("imaging.krenning_score", (1, N), (2, M)),
)
SSTR = (
    "Krenning scale (Krenning 1994): 0 no uptake, 1 below the liver, 2 like it, 3-4 above it; "
    "statements that contradict each other are read as unknown (nelm.engine.sstr)"
)
S_, K_, U_ = "imaging.sstr_positive", "imaging.krenning_score", "imaging.sstr_uptake_vs_liver"
edges(
    "prrt",
    "sstr",
    SSTR,
    ({S_: False, K_: 3}, U),
    ({S_: False, K_: 2}, U),
    ({S_: False, K_: 1}, N),
    ({S_: True, K_: 0}, U),
    ({S_: False, K_: None, U_: "like_liver"}, U),
    ({S_: None, K_: 3, U_: "below_liver"}, U),
    ({S_: None, K_: 2, U_: "above_liver"}, M),
    ({S_: None, K_: 0, U_: "below_liver"}, N),
    ({S_: None, K_: 0, U_: "like_liver"}, U),
)
edges(
    "prrt",
    "uptake",
    SSTR,
    ({S_: True, K_: 3, U_: "below_liver"}, U),
    ({S_: True, K_: 3, U_: "above_liver"}, M),
    ({S_: True, K_: 1, U_: "above_liver"}, U),
    ({S_: False, K_: 3, U_: "above_liver"}, U),
)
edges(
    "prrt",
    "ki67",
    "000 §4: 'PRRT may also be used in a subset of patients with G3 tumors (Ki67 < 55%)'",
    *at("pathology.ki67_percent", (54.9, M), (55, N)),
)
FIRST_LINE = {"course.progressed_on_ssa": False, "course.prior_systemic_lines": 0}
edges(
    "prrt",
    "setting",
    "NETTER-2 eligibility: Ki-67 ≥ 10 % and ≤ 55 %, no prior systemic therapy (004 §3.5)",
    *[
        ({**FIRST_LINE, "pathology.ki67_percent": ki67}, expected)
        for ki67, expected in ((9.9, N), (10, M), (55, M), (55.1, N))
    ],
)
NETTER1 = (
    "NETTER-1 exclusion: 'serum creatinine > 150 µmol/L (> 1.7 mg/dL), or creatinine "
    "clearance < 50 mL/min', haemoglobin < 8.0 g/dL, WBC < 2000/mm³, platelets < 75 × 10³/mm³"
)
CKD_EPI = (
    "CKD-EPI 2021 (Inker 2021, N Engl J Med 385:1737): eGFR = 142 × min(Scr/κ, 1)^α × "
    "max(Scr/κ, 1)^-1.2 × 0.9938^age (× 1.012 for women; κ 0.7/0.9, α -0.241/-0.302), "
    "read as a lower bound when no eGFR is given; below 50 NETTER-1 had a measured clearance "
    "confirm"
)
edges(
    "prrt",
    "renal",
    NETTER1,
    *at("labs.egfr_ml_min", (49.9, N), (50, M)),
    # an eGFR given decides whatever the creatinine (NETTER-1: a clearance ≥ 50 confirms)
    ({"labs.egfr_ml_min": 50, "labs.creatinine_mg_dl": 1.9}, M),
    # eGFR given only by a bound, no creatinine: a laboratory's "> 60" (often printed so
    # above 60) and "≥ 50" settle the limit; "> 49" and "< 50.1" straddle it; a patient on
    # dialysis, "< 15", is far below it
    *[
        ({**changes, "labs.creatinine_mg_dl": None}, expected)
        for changes, expected in (
            *lab_bounds("labs.egfr_ml_min", ("more_than", 60, M), ("at_least", 50, M)),
            *lab_bounds("labs.egfr_ml_min", ("more_than", 49, U), ("less_than", 50.1, U)),
            *lab_bounds("labs.egfr_ml_min", ("less_than", 50, N), ("at_most", 49.9, N)),
            *lab_bounds("labs.egfr_ml_min", ("less_than", 15, N)),
        )
    ],
    # a lower bound that straddles the limit beside a creatinine (1.0 mg/dL, a woman of 50:
    # at least 68.6 by CKD-EPI 2021, CKD_EPI below): two lower bounds, the higher holds
    ({"labs.egfr_ml_min": None, "labs.egfr_ml_min_more_than": 49}, M),
    # an upper bound the creatinine's estimate exceeds contradicts it: the eGFR given
    # comes first ("< 60" straddles 50)
    ({"labs.egfr_ml_min": None, "labs.egfr_ml_min_less_than": 60}, U),
    # an eGFR given decides, though the creatinine alone would meet the limit
    ({"labs.egfr_ml_min": 45, "labs.creatinine_mg_dl": 1.0}, N),
)
# No eGFR: the creatinine through CKD-EPI 2021 at the patient's age and sex (the base case is
# a woman of 50). Hand-computed from the equation: creatinine 1.30 mg/dL gives 50.1, 1.31
# gives 49.6; 1.7 gives 36.3; a man of 18 with 1.75 gives 57.2; 1.0 mg/dL at any adult age
# gives at least 50.3 for a woman (at 100), 1.01 at least 49.7.
edges(
    "prrt",
    "renal",
    CKD_EPI,
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.30}, M),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.31}, U),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.7}, U),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.71}, U),
    (
        {
            "labs.egfr_ml_min": None,
            "labs.creatinine_mg_dl": 1.75,
            "patient.age_years": 18,
            "patient.sex": "male",
        },
        M,
    ),
    (
        {"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.0, **age_bounds(None, None)},
        M,
    ),
    (
        {"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.01, **age_bounds(None, None)},
        U,
    ),
    # the sex not given: the lower of the two (a woman's, 68.6 at 50 for 1.0 mg/dL)
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.0, "patient.sex": None}, M),
    # a creatinine known by an upper bound gives the least at the bound (the eGFR falls as
    # the creatinine rises): "≤ 1.30" meets 50 for a woman of 50, "< 1.31" does not
    (
        {
            "labs.egfr_ml_min": None,
            **lab_bounds("labs.creatinine_mg_dl", ("at_most", 1.30, M))[0][0],
        },
        M,
    ),
    (
        {
            "labs.egfr_ml_min": None,
            **lab_bounds("labs.creatinine_mg_dl", ("less_than", 1.31, U))[0][0],
        },
        U,
    ),
    (
        {
            "labs.egfr_ml_min": None,
            **lab_bounds("labs.creatinine_mg_dl", ("at_least", 0.5, U))[0][0],
        },
        U,
    ),
    # an adults' equation: nothing is estimated for a child
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 0.5, "patient.age_years": 15}, U),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": None}, U),
)
edges(
    "prrt",
    "setting",
    "NETTER-2 eligibility: no prior systemic therapy other than a somatostatin analogue",
    *[
        (
            {
                **FIRST_LINE,
                "pathology.ki67_percent": 20,
                "course.prior_systemic_lines": lines,
                "course.prior_treatments": ["ssa"],
            },
            expected,
        )
        for lines, expected in ((1, M), (2, N))
    ],
)
edges("prrt", "hemoglobin", NETTER1, *at("labs.hemoglobin_g_dl", (7.9, N), (8, M)))
edges("prrt", "leukocytes", NETTER1, *at("labs.wbc_per_ul", (1999, N), (2000, M)))
edges("prrt", "platelets", NETTER1, *at("labs.platelets_per_ul", (74999, N), (75000, M)))
edges(
    "ssa",
    "indication",
    "004 §3.3: SSA 'is applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR "
    "positivity' (a non-functional tumour here)",
    *at("pathology.ki67_percent", (9.9, M), (10, M), (10.1, N)),
)
edges(
    "cabozantinib",
    "prior_therapy",
    "CABINET eligibility: progression after at least one prior systemic therapy other than "
    "a somatostatin analogue (004 §3.4)",
    ({"course.prior_systemic_lines": 0, "course.prior_treatments": None}, N),
    ({"course.prior_systemic_lines": 1, "course.prior_treatments": ["ssa"]}, N),
    ({"course.prior_systemic_lines": 1, "course.prior_treatments": None}, U),
    ({"course.prior_systemic_lines": 2, "course.prior_treatments": None}, M),
)

edges(
    "capecitabine_temozolomide",
    "renal",
    "capecitabine label 4.1: contraindicated with a creatinine clearance below 30 mL/min",
    *at("labs.egfr_ml_min", (29.9, N), (30, M)),
    *lab_bounds("labs.egfr_ml_min", ("less_than", 30, N), ("at_least", 30, M)),
    *lab_bounds("labs.egfr_ml_min", ("less_than", 15, N)),
    # "> 29.9" straddles 30 alone; beside the base creatinine (1.0 mg/dL, a woman of 50: at
    # least 68.6 by CKD-EPI 2021) the higher lower bound holds
    ({"labs.egfr_ml_min": None, "labs.egfr_ml_min_more_than": 29.9}, M),
    (
        {
            "labs.egfr_ml_min": None,
            "labs.egfr_ml_min_more_than": 29.9,
            "labs.creatinine_mg_dl": None,
        },
        U,
    ),
    # no eGFR: a creatinine of 3.0 mg/dL gives a woman of 50 18.4, below 30: open
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 3.0}, U),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.0}, M),
)
# Streptozocin's label: a judgement in "preexisting renal disease", read as an eGFR of 60
# (KDIGO 2012: below 60 is chronic kidney disease); relative, so below it is open
edges(
    "streptozocin_5fu",
    "renal",
    "streptozocin label, Warnings; KDIGO 2012: a GFR below 60 mL/min/1.73 m² is chronic "
    "kidney disease",
    *at("labs.egfr_ml_min", (59.9, U), (60, M)),
    *lab_bounds("labs.egfr_ml_min", ("less_than", 60, U), ("at_least", 60, M)),
    # no eGFR: the base creatinine (1.0 mg/dL, a woman of 50) gives at least 68.6 by
    # CKD-EPI 2021; 3.0 mg/dL gives 18.4, a lower bound only: open
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 1.0}, M),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 3.0}, U),
)
edges(
    "capecitabine_temozolomide",
    "platelets",
    "temozolomide label 2.1: withheld until the platelets are 100 x 10^9/L or greater",
    *at("labs.platelets_per_ul", (99_999, N), (100_000, M)),
)
edges(
    "capecitabine_temozolomide",
    "advanced",
    f"003 Medical therapy: chemotherapy 'only indicated for advanced and unresectable PNETs'; "
    f"{FLR}: below 30 % the liver is not resectable (type I here)",
    *[
        ({"liver.distribution": "unilobar", "liver.lesion_count": 2, FLR_PATH: flr}, expected)
        for flr, expected in ((29.9, M), (30, N))
    ],
)

# --- derived facts: the grade and the T category ------------------------------------------
# 000 §1: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index < 3. Grade 2 (G2)
# tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20. Grade 3 (G3)
# tumors have a mitotic index or Ki67 index > 20. The higher index is used" (WHO 2019 alike).
GRADES: list[tuple[float, float, str]] = [
    # Ki-67 %, mitoses per 2 mm² (the other index at G1), grade
    (2.9, 1, "G1"),
    (3, 1, "G2"),
    (20, 1, "G2"),
    (20.1, 1, "G3"),
    (1, 1.9, "G1"),
    (1, 2, "G2"),
    (1, 20, "G2"),
    (1, 20.1, "G3"),
]
# 003 Table 2 (ENETS): "T1 tumors <2 cm ..., T2 2-4 cm ..., T3 >4 cm limited to the
# pancreas"; AJCC 7th: "T1 2 cm or less" limited to the pancreas, T2 larger (003 Table 3
# note "T1 <2 cm", "T2 > 2 cm" leaves 2 cm to the AJCC manual).
T_SIZES: list[tuple[float, str, str]] = [
    (1.9, "T1", "T1"),
    (2, "T2", "T1"),
    (2.1, "T2", "T2"),
    (4, "T2", "T2"),
    (4.1, "T3", "T2"),
]
LIMITED_TO_PANCREAS = {"primary.extends_beyond_pancreas": False, "primary.t_category": None}
# WHO 2021 thoracic: typical carcinoid < 2 mitoses per 2 mm², atypical 2–10; above 10 a
# carcinoma's range, which contradicts "atypical carcinoid" (G2 or G3 stay possible: no
# settled grade). Ki-67 2 % beside them: it does not tell typical from atypical.
CARCINOID_MITOSES: list[tuple[float, str, str | None]] = [
    (1.9, "typical_carcinoid", "G1"),
    (2, "atypical_carcinoid", "G2"),
    (10, "atypical_carcinoid", "G2"),
    (10.1, "atypical_carcinoid", None),
]


def _edge_case(edge: Edge) -> dict[str, Any]:
    return eligible_case(edge.option, edge.changes)


def _grade_case(ki67: float, mitoses: float) -> dict[str, Any]:
    return with_changes(
        BASE, {"pathology.ki67_percent": ki67, "pathology.mitoses_per_2mm2": mitoses}
    )


def _carcinoid_case(mitoses: float, reported: str) -> dict[str, Any]:
    return with_changes(
        BASE,
        {
            "primary.site": "lung",
            "pathology.reported_grade": reported,
            "pathology.ki67_percent": 2,
            "pathology.mitoses_per_2mm2": mitoses,
        },
    )


def _stage_case(size: float) -> dict[str, Any]:
    return with_changes(BASE, {**LIMITED_TO_PANCREAS, "primary.size_cm": size})


def _cases() -> list[dict[str, Any]]:
    """Every boundary case, with a row number for a case id (the batch's key)."""
    docs = (
        [_edge_case(e) for e in EDGES]
        + [_grade_case(k, m) for k, m, _ in GRADES]
        + [_stage_case(s) for s, _, _ in T_SIZES]
        + [_carcinoid_case(m, r) for m, r, _ in CARCINOID_MITOSES]
    )
    return [{**doc, "case_id": f"edge-{i}"} for i, doc in enumerate(docs)]


def _cells(doc: dict[str, Any]) -> dict[str, Any]:
    """A case document as one cohort row by column (``section.field``)."""
    row: dict[str, Any] = {"case_id": doc["case_id"]}
    for section, body in doc.items():
        if isinstance(body, dict):
            row.update({f"{section}.{name}": value for name, value in body.items()})
    return row


def _text(value: Any) -> str | None:
    """A cell as a CSV reader gives it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = [_cells(doc) for doc in _cases()]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    text = pl.DataFrame(
        {c: [_text(r.get(c)) for r in rows] for c in columns},
        schema={c: pl.String for c in columns},
    )
    native: list[pl.Series] = []
    for c in columns:
        values = [r.get(c) for r in rows]
        spec = FIELD_BY_PATH.get(c)
        kind = spec.kind if spec is not None else Kind.CHOICE
        dtype: pl.DataType = {
            Kind.NUMBER: pl.Float64(),
            Kind.INTEGER: pl.Int64(),
            Kind.BOOLEAN: pl.Boolean(),
            Kind.CHOICE: pl.String(),
        }.get(kind, pl.List(pl.String()))
        native.append(pl.Series(c, values, dtype=dtype, strict=False))
    return text, pl.DataFrame(native)


@cache
def _batch(reading: str) -> ChunkResult:
    text, native = _frames()
    return process_chunk(text if reading == "text" else native, 1)


@cache
def _assessed(index: int) -> dict[str, Any]:
    return assess_mapping(_cases()[index], with_evidence=False)


def _batch_row(reading: str, index: int) -> dict[str, Any]:
    out = _batch(reading).output
    rows = out.filter(pl.col("case_id") == f"edge-{index}").to_dicts()
    assert len(rows) == 1, f"edge-{index} is not in the batch output"
    return rows[0]


READINGS = ("text", "native")


@pytest.mark.parametrize("reading", READINGS)
def test_the_boundary_cohort_agrees_with_the_interpreter(reading: str) -> None:
    text, native = _frames()
    frame = text if reading == "text" else native
    compiled = _batch(reading)
    assert compiled.rejects.height == 0, compiled.rejects.to_dicts()
    assert_same(compiled, reference_chunk(frame, 1))


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize(
    "index",
    range(len(EDGES)),
    ids=[f"{e.option}.{e.criterion}-{i}-{e.expected}" for i, e in enumerate(EDGES)],
)
def test_a_criterion_at_its_boundary(index: int, reading: str) -> None:
    edge = EDGES[index]
    doc = _assessed(index)
    option = doc["options"][edge.option]
    wanted = f"{edge.option}.{edge.criterion}"
    (criterion,) = [c for c in option["criteria"] if c["id"] == wanted]
    assert criterion["result"] == edge.expected, (edge.source, criterion["value"])
    if edge.expected == N:
        assert option["status"] == "ineligible"
    row = _batch_row(reading, index)
    assert row[f"{edge.option}.status"] == option["status"], edge.source
    reasons = (row["reasons"][edge.option] or "").split(",")
    assert (edge.criterion in reasons) == (edge.expected == N), (edge.source, reasons)


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize(("ki67", "mitoses", "grade"), GRADES)
def test_the_grade_at_the_who_cut_offs(
    ki67: float, mitoses: float, grade: str, reading: str
) -> None:
    index = len(EDGES) + GRADES.index((ki67, mitoses, grade))
    assert _assessed(index)["classification"]["grade"] == grade
    assert _batch_row(reading, index)["grade"] == grade


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize(("size", "enets", "ajcc"), T_SIZES)
def test_the_t_category_at_the_table_sizes(
    size: float, enets: str, ajcc: str, reading: str
) -> None:
    index = len(EDGES) + len(GRADES) + T_SIZES.index((size, enets, ajcc))
    classification = _assessed(index)["classification"]
    assert classification["stage_enets"]["t"] == [enets]
    assert classification["stage_ajcc7"]["t"] == [ajcc]
    row = _batch_row(reading, index)
    assert row["stage_enets_tnm"].split()[0] == enets
    assert row["stage_ajcc7_tnm"].split()[0] == ajcc


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize(("mitoses", "reported", "grade"), CARCINOID_MITOSES)
def test_a_carcinoid_s_grade_at_the_thoracic_mitotic_ranges(
    mitoses: float, reported: str, grade: str | None, reading: str
) -> None:
    index = len(EDGES) + len(GRADES) + len(T_SIZES)
    index += CARCINOID_MITOSES.index((mitoses, reported, grade))
    classification = _assessed(index)["classification"]
    assert classification["grade"] == grade
    assert bool(classification["conflicts"]) is (grade is None)
    assert _batch_row(reading, index)["grade"] == grade


def test_ki67_written_20_0_in_a_cohort_file_is_g2() -> None:
    """000 §1: "a Ki67 index from 3 to 20" is G2; "20.0" in a CSV cell is 20."""
    row = {**_cells({**_grade_case(20, 1), "case_id": "k"}), "pathology.ki67_percent": "20.0"}
    frame = pl.DataFrame(
        {c: [_text(v)] for c, v in row.items()}, schema={c: pl.String for c in row}
    )
    compiled = process_chunk(frame, 1)
    assert compiled.output.get_column("grade").to_list() == ["G2"]
    assert_same(compiled, reference_chunk(frame, 1))


# --- cautions (the interpreter shows them; the batch writes no cautions) -------------------
class CautionEdge(NamedTuple):
    option: str
    caution: str  # the caution's local id
    changes: dict[str, Any]
    shown: bool
    source: str


CAUTION_EDGES: list[CautionEdge] = []


def caution_edges(
    option: str, caution: str, source: str, *rows: tuple[dict[str, Any], bool]
) -> None:
    CAUTION_EDGES.extend(
        CautionEdge(option, caution, changes, shown, source) for changes, shown in rows
    )


def shown_at(path: str, *pairs: tuple[float, bool]) -> list[tuple[dict[str, Any], bool]]:
    return [({path: value}, shown) for value, shown in pairs]


caution_edges(
    "liver_transplant_milan",
    "age_limit_disagreement",
    "004 §3.1: Milan with 'age <60 years', where 001 Table 2 gives 'Age <55 years'",
    *shown_at("patient.age_years", (54.9, False), (55, True), (59.9, True), (60, False)),
)
caution_edges(
    "liver_transplant_milan",
    "age_limit_disagreement",
    "004 §3.1: Milan with 'age <60 years', where 001 Table 2 gives 'Age <55 years': an age "
    "known only to lie within 55–59 is inside both bounds, 60–64 outside",
    (age_bounds(55, 59), True),
    (age_bounds(60, 64), False),
)
caution_edges(
    "liver_transplant_milan",
    "ki67_10",
    "004 §3.1: Milan as 'G1-G2, Ki67<10%'",
    *shown_at("pathology.ki67_percent", (9.9, False), (10, True)),
)
caution_edges(
    "liver_transplant_milan",
    "eltr_predictors",
    "001 Liver transplantation: 'age more than 45 years' predicted a poor outcome (ELTR)",
    *shown_at("patient.age_years", (45, False), (45.1, True)),
    (age_bounds(46, 50), True),
    (age_bounds(40, 45), False),
)
caution_edges(
    "liver_transplant_milan",
    "eltr_predictors_young",
    "001 Liver transplantation: 'hepatomegaly, age more than 45 years, and any amount of "
    "resection concurrent with OLT' predicted a poor outcome (ELTR): the other two at any age",
    *shown_at("patient.age_years", (45, True), (45.1, False)),
    (age_bounds(40, 45), True),
    (age_bounds(46, 50), False),
    (age_bounds(40, 50), False),
)
BEST_AGE = (
    "003 Liver transplantation: 'The best candidates in this setting are young patients "
    "(< 50 years old)', within the 'age < 55 years' of the Milan criteria it lists: 50 is "
    "not under 50; an age not given, or known only to lie across 50, is not shown as 50–54"
)
for option in ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos"):
    caution_edges(
        option,
        "age_50_to_54",
        BEST_AGE,
        *shown_at("patient.age_years", (49.9, False), (50, True), (54.9, True), (55, False)),
        ({"patient.age_years": None}, False),
        (age_bounds(50, 54), True),
        (age_bounds(45, 52), False),
    )
caution_edges(
    "tae",
    "ki67_over_10",
    "004 §4: after TAE with octreotide LAR 'Ki-67 >10% ... were independent prognostic "
    "factors for PFS; while TAE was more efficacious in patients with Ki-67 ≤10%'; a Ki-67 "
    "not given is not shown as over 10",
    *shown_at("pathology.ki67_percent", (10, False), (10.1, True)),
    ({"pathology.ki67_percent": None}, False),
)
TAE_BONE = (
    "004 §4: after TAE with octreotide LAR 'Ki-67 >10% and bone metastasis were independent "
    "prognostic factors for PFS; while TAE was more efficacious in patients with ... no bone "
    "metastasis'; extrahepatic sites not given say nothing of bone"
)
STABLE_ELSEWHERE = {"extrahepatic.present": True, "extrahepatic.stable": True}
caution_edges(
    "tae",
    "bone_metastasis",
    TAE_BONE,
    ({**STABLE_ELSEWHERE, "extrahepatic.sites": ["bone"]}, True),
    ({**STABLE_ELSEWHERE, "extrahepatic.sites": ["lung", "bone"]}, True),
    ({**STABLE_ELSEWHERE, "extrahepatic.sites": ["lung"]}, False),
    ({**STABLE_ELSEWHERE, "extrahepatic.sites": None}, False),
    ({"extrahepatic.present": None, "extrahepatic.sites": None}, False),
    ({"extrahepatic.present": False}, False),
)
TARE_KI67 = (
    "002 §3.5: 'The Ki-67 score ≥ 3% predicted greater response after radioembolization, "
    "while the Ki-67 score < 3% predicted greater benefit with TACE': 3 % is on the "
    "radioembolisation side; a Ki-67 not given shows neither side alone"
)
caution_edges(
    "tare",
    "ki67_3",
    TARE_KI67,
    *shown_at("pathology.ki67_percent", (2.9, False), (3, True), (3.1, True)),
    ({"pathology.ki67_percent": None}, False),
)
caution_edges(
    "tare",
    "ki67_under_3",
    TARE_KI67,
    *shown_at("pathology.ki67_percent", (2.9, True), (3, False), (3.1, False)),
    ({"pathology.ki67_percent": None}, False),
)
caution_edges(
    "liver_transplant_unos",
    "burden_exactly_50",
    "000 §2.2: 'low hepatic tumor burden (≤50%)' against 001 Table 2 '<50%'",
    *shown_at("liver.tumor_burden_percent", (49.9, False), (50, True), (50.1, False)),
)
caution_edges(
    "liver_transplant_milan",
    "resectable_disease",
    "001 Isolated surgical resection: resectable with 'an adequate future liver remnant "
    "(FLR) of at least 30%'",
    *shown_at(FLR_PATH, (29.9, False), (30, True)),
)
caution_edges(
    "prrt",
    "ki67_exactly_55",
    "000 §4: 'G3 tumors (Ki67 < 55%)'; NETTER-2 enrolled Ki-67 up to 55 % inclusive",
    *shown_at("pathology.ki67_percent", (54.9, False), (55, True), (55.1, False)),
)
caution_edges(
    "prrt",
    "netter2_not_new",
    "NETTER-2 eligibility: newly diagnosed, Ki-67 ≥ 10 % and ≤ 55 %",
    *[
        ({**FIRST_LINE, "pathology.ki67_percent": ki67}, shown)
        for ki67, shown in ((9.9, False), (10, True), (55, True), (55.1, False))
    ],
)
caution_edges(
    "ssa",
    "ki67_exactly_10",
    "004 §3.3 'Ki-67 ≤ 10%' against CLARINET's 'Ki-67% expression <10%' (003 Medical therapy)",
    *shown_at("pathology.ki67_percent", (9.9, False), (10, True), (10.1, False)),
)
caution_edges(
    "ssa",
    "ki67_over_10",
    "004 §3.3: 'SSA in pNETs with Ki-67>10% could also prolong PFS'",
    *shown_at("pathology.ki67_percent", (10, False), (10.1, True)),
)
caution_edges(
    "ssa",
    "burden",
    "004 §4: CLARINET 'PFS was halved in patients with liver metastatic load >25%'",
    *shown_at("liver.tumor_burden_percent", (25, False), (25.1, True)),
)
caution_edges(
    "tare",
    "lung_shunt",
    "004 §3.2: radiation pneumonitis when the (hepatopulmonary) shunt is '>10%'",
    *shown_at("anatomy.hepatopulmonary_shunt_percent", (10, False), (10.1, True)),
)
PROGNOSIS = (
    "002 §3.2: 'negative prognostic factors after TACE treatment include ... bilirubin ≥ 2 "
    "mg/dL, albumin ≤ 3.5 mg/dL, tumor burden ≥ 70%, and ... three or more trials of "
    "systemic therapy'"
)
caution_edges(
    "tace", "low_albumin", PROGNOSIS, *shown_at("labs.albumin_g_dl", (3.5, True), (3.6, False))
)
caution_edges(
    "tace",
    "burden_70",
    PROGNOSIS,
    *shown_at("liver.tumor_burden_percent", (69.9, False), (70, True)),
)
caution_edges(
    "tace",
    "three_prior_lines",
    PROGNOSIS,
    *[
        ({"course.prior_systemic_lines": lines, "course.prior_treatments": None}, shown)
        for lines, shown in ((2, False), (3, True))
    ],
)
caution_edges(
    "tace",
    "lvef",
    "002 §3.3: 'poor left ventricular ejection fraction' (no figure; nelm reads < 50 %)",
    *shown_at("patient.lvef_percent", (49.9, True), (50, False)),
)
caution_edges(
    "tace",
    "liver_reserve_004",
    "002 §3.3: 'serum bilirubin < 2 mg/dL' for TAE/TACE: 2 is beyond it",
    *shown_at("labs.bilirubin_mg_dl", (1.9, False), (2, True)),
)
caution_edges(
    "liver_resection",
    "poor_liver_reserve",
    "002 §3.3: 'serum bilirubin < 2 mg/dL' for liver-directed therapy: 2 is beyond it",
    *shown_at("labs.bilirubin_mg_dl", (1.9, False), (2, True)),
)
caution_edges(
    "platinum_etoposide",
    "poor_liver_reserve",
    "002 §3.3's 'serum bilirubin < 2 mg/dL', read on the drugs as a sign of a poor hepatic "
    "reserve (001 Introduction: 'depending on the extent of hepatic involvement')",
    *shown_at("labs.bilirubin_mg_dl", (1.9, False), (2, True)),
)
caution_edges(
    "liver_resection",
    "low_platelets",
    "EASL-EORTC 2012: splenomegaly with 'a platelet count below 100,000', an indirect sign "
    "of portal hypertension (002 §3.3's 'platelet count > 100,000' for embolisation)",
    *shown_at("labs.platelets_per_ul", (99_999, True), (100_000, False)),
)
caution_edges(
    "prrt",
    "marrow_risk",
    "Bergsma 2016: risk factors 'white blood cell (WBC) count <4.0 x 10^9/l, age over 70 years'",
    *shown_at("patient.age_years", (70, False), (70.1, True)),
    *shown_at("labs.wbc_per_ul", (3999, True), (4000, False)),
)
caution_edges(
    "everolimus",
    "hepatic_impairment_dose",
    "AFINITOR label 2.2 (doses by Child-Pugh class), said with 002 §3.3's bilirubin of 2",
    *shown_at("labs.bilirubin_mg_dl", (1.9, False), (2, True)),
)
caution_edges(
    "liver_resection",
    "burden_over_75",
    "003 Cytoreductive surgery: 'If > 75% of the liver parenchyma is involved'",
    *shown_at("liver.tumor_burden_percent", (75, False), (75.1, True)),
)
caution_edges(
    "thermal_ablation",
    "mwa_larger",
    "001 Ablative techniques: 'liver lesions with diameters greater than 3 cm predicted "
    "worsening survival'",
    *shown_at("liver.largest_lesion_cm", (3, False), (3.1, True)),
)
caution_edges(
    "thermal_ablation",
    "limited_under_5cm",
    "001 Ablative techniques: RFA 'for limited NELM < 5 cm', without 002 §4's lesion count",
    *[
        ({"liver.lesion_count": 3, "liver.largest_lesion_cm": size}, shown)
        for size, shown in ((3, True), (4.9, True), (5, False))
    ],
)
caution_edges(
    "thermal_ablation",
    "over_5cm",
    "002 §4: 'a single lesion < 5 cm' (the limit nelm applies); 003 Ablative therapies: "
    "'RFA is less useful for tumors >5 cm' (the other side, shown from 5 cm)",
    *shown_at("liver.largest_lesion_cm", (4.9, False), (5, True)),
)
caution_edges(
    "prrt",
    "creatinine_above_netter",
    NETTER1,
    *shown_at("labs.creatinine_mg_dl", (1.7, False), (1.71, True)),
    # 150 µmol/L is 1.697 mg/dL: inside NETTER-1's "> 150 µmol/L"
    ({"labs.creatinine_mg_dl": {"value": 150, "unit": "µmol/L"}}, False),
    ({"labs.creatinine_mg_dl": {"value": 151, "unit": "µmol/L"}}, True),
)
CISPLATIN = (
    "Porceddu 2020 (Front Oncol 9:1522) Table 3: cisplatin unsuitable with 'Preexisting renal "
    "dysfunction (CCR < 60 mL/min)', 'Platelet count, < 100,000/mm3; ... or hemoglobin <9 g/dL'"
)
caution_edges(
    "platinum_etoposide",
    "cisplatin_kidney",
    CISPLATIN,
    *shown_at("labs.egfr_ml_min", (59.9, True), (60, False)),
    ({"labs.egfr_ml_min": None, "labs.egfr_ml_min_more_than": 60}, False),
    ({"labs.egfr_ml_min": None, "labs.egfr_ml_min_less_than": 15}, True),
)
caution_edges(
    "platinum_etoposide",
    "cisplatin_marrow",
    CISPLATIN,
    *shown_at("labs.platelets_per_ul", (99_999, True), (100_000, False)),
    *shown_at("labs.hemoglobin_g_dl", (8.9, True), (9, False)),
)
POOR_PS = "ECOG 3 is 'capable of only limited self-care' (the ECOG scale): poor from 3 up"
for option, caution in (
    ("tare", "performance_status"),
    ("liver_resection", "poor_performance_status"),
    ("prrt", "performance_status"),
    ("everolimus", "performance_status"),
    ("sunitinib", "performance_status"),
    ("surufatinib", "performance_status"),
    ("cabozantinib", "performance_status"),
    # chemotherapy (shared.yaml poor_performance_chemotherapy; 001 Introduction)
    ("capecitabine_temozolomide", "performance_status"),
    ("streptozocin_5fu", "performance_status"),
    ("platinum_etoposide", "performance_status"),
):
    caution_edges(option, caution, POOR_PS, *shown_at("patient.ecog", (2, False), (3, True)))


@cache
def _caution_texts() -> dict[tuple[str, str], str]:
    kb = load_knowledge()
    return {
        (option, c.id.split(".", 1)[1]): c.text
        for option, spec in kb.options.items()
        for c in spec.cautions
    }


@pytest.mark.parametrize(
    "edge",
    CAUTION_EDGES,
    ids=[f"{e.option}.{e.caution}-{i}-{e.shown}" for i, e in enumerate(CAUTION_EDGES)],
)
def test_a_caution_at_its_boundary(edge: CautionEdge) -> None:
    text = _caution_texts()[(edge.option, edge.caution)]
    doc = assess_mapping(eligible_case(edge.option, edge.changes), with_evidence=False)
    shown = [d["text"] for d in doc["options"][edge.option]["caution_details"]]
    assert (text in shown) == edge.shown, edge.source


# --- units: a value entered in another unit exactly at the converted limit ------------------
UNIT_EDGES: list[Edge] = [
    # bilirubin 17.1 µmol/L = 1 mg/dL (Young DS 1987): 2 mg/dL is 34.2 µmol/L
    Edge("tae", "bilirubin", {"labs.bilirubin_mg_dl": {"value": 34.2, "unit": "µmol/L"}}, N, LABS),
    Edge("tae", "bilirubin", {"labs.bilirubin_mg_dl": {"value": 34.1, "unit": "µmol/L"}}, M, LABS),
    Edge(
        "liver_transplant_enets",
        "bilirubin",
        {"labs.bilirubin_mg_dl": {"value": 34.2, "unit": "umol/L"}},
        N,
        "001 Table 2 'Low serum total bilirubin', read as 002 §3.3 '< 2 mg/dL'",
    ),
    # creatinine 88.4 µmol/L = 1 mg/dL: 115 µmol/L (1.301 mg/dL) gives a woman of 50 an eGFR
    # of 50.05 by CKD-EPI 2021, 116 µmol/L (1.312 mg/dL) 49.5
    Edge(
        "prrt",
        "renal",
        {"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": {"value": 115, "unit": "µmol/L"}},
        M,
        CKD_EPI,
    ),
    Edge(
        "prrt",
        "renal",
        {"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": {"value": 116, "unit": "µmol/L"}},
        U,
        CKD_EPI,
    ),
    Edge(
        "prrt",
        "renal",
        {"labs.egfr_ml_min": {"value": 0.83, "unit": "mL/s/1.73 m²"}},  # 49.8 mL/min
        N,
        NETTER1,
    ),
    # 10⁹/L = 10³/µL: "platelet count > 100,000" (002 §3.3), "≥ 75,000" (NETTER-1)
    Edge("tae", "platelets", {"labs.platelets_per_ul": {"value": 100, "unit": "10⁹/L"}}, N, LABS),
    Edge(
        "prrt", "platelets", {"labs.platelets_per_ul": {"value": 75, "unit": "10⁹/L"}}, M, NETTER1
    ),
    Edge("prrt", "hemoglobin", {"labs.hemoglobin_g_dl": {"value": 80, "unit": "g/L"}}, M, NETTER1),
    # 10 mm = 1 cm
    *[
        Edge(
            "thermal_ablation",
            "size_number",
            {"liver.lesion_count": count, "liver.largest_lesion_cm": {"value": mm, "unit": "mm"}},
            expected,
            ABLATION,
        )
        for count, mm, expected in ((2, 30, M), (2, 31, N), (1, 49, M), (1, 50, N))
    ],
    # 1 year = 12 months
    Edge(
        "liver_transplant_enets",
        "stable",
        {"course.months_stable": {"value": 0.5, "unit": "years"}},
        M,
        "001 Table 2: stable disease 'at least 6 months'",
    ),
    Edge(
        "liver_transplant_enets",
        "primary_removed",
        {"primary.months_since_primary_resection": {"value": 0.5, "unit": "years"}},
        M,
        "001 Table 2, ENETS: 'Primary tumor removed prior to OLT (at least 6 months)'",
    ),
]


@pytest.mark.parametrize(
    "edge",
    UNIT_EDGES,
    ids=[f"{e.option}.{e.criterion}-{i}-{e.expected}" for i, e in enumerate(UNIT_EDGES)],
)
def test_a_value_in_another_unit_at_the_converted_limit(edge: Edge) -> None:
    doc = assess_mapping(eligible_case(edge.option, edge.changes), with_evidence=False)
    wanted = f"{edge.option}.{edge.criterion}"
    (criterion,) = [c for c in doc["options"][edge.option]["criteria"] if c["id"] == wanted]
    assert criterion["result"] == edge.expected, (edge.source, criterion["value"])


# --- every threshold has its rows ---------------------------------------------------------
def _thresholds(condition: Any) -> set[tuple[str, float]]:
    return {
        (leaf.field, float(leaf.operand))
        for leaf in leaves_of(condition)
        if leaf.op in ("lt", "le", "gt", "ge")
    }


def _on(rows: list[Edge] | list[CautionEdge]) -> set[tuple[str, str, float]]:
    """(local id, field, value) of every row that sets a number."""
    found: set[tuple[str, str, float]] = set()
    for row in rows:
        local = row.criterion if isinstance(row, Edge) else row.caution
        for path, value in row.changes.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.add((local, path, float(value)))
    return found


def test_every_threshold_of_a_criterion_or_caution_has_a_row_on_it() -> None:
    """Adding a numeric threshold without a row exactly on it fails here. A criterion or
    caution shared by several options is covered by a row on any of them."""
    kb = load_knowledge()
    on_criteria, on_cautions = _on(EDGES), _on(CAUTION_EDGES)
    missing: list[str] = []
    for spec in kb.options.values():
        for c in spec.criteria:
            local = c.id.split(".", 1)[1]
            for path, value in _thresholds(c.condition):
                if (local, path, value) not in on_criteria:
                    missing.append(f"criterion {c.id}: {path} at {value:g}")
        for caution in spec.cautions:
            if caution.condition is None:
                continue
            local = caution.id.split(".", 1)[1]
            for path, value in _thresholds(caution.condition):
                if (local, path, value) not in on_cautions:
                    missing.append(f"caution {caution.id}: {path} at {value:g}")
    assert not sorted(set(missing)), sorted(set(missing))


def test_every_threshold_lies_inside_the_plausible_range_of_its_field() -> None:
    """A case on a boundary is accepted as it is, without a confirmation: every threshold
    a criterion, caution or derivation compares with is a value case-v1 accepts and the
    plausibility table (docs/plausibility.md) does not question."""
    from nelm.case.plausibility import plausible_range

    kb = load_knowledge()
    found: set[tuple[str, float]] = set()
    for spec in kb.options.values():
        for c in spec.criteria:
            found |= _thresholds(c.condition)
        for caution in spec.cautions:
            if caution.condition is not None:
                found |= _thresholds(caution.condition)
    g = kb.derivations.grade
    found |= {
        ("pathology.ki67_percent", g.ki67_g1_below),
        ("pathology.ki67_percent", g.ki67_g2_max),
        ("pathology.mitoses_per_2mm2", g.mitoses_g1_below),
        ("pathology.mitoses_per_2mm2", g.mitoses_g2_max),
        ("pathology.mitoses_per_2mm2", g.carcinoid_mitoses_g2_max),
    }
    outside = []
    for path, value in sorted(found):
        spec = FIELD_BY_PATH[path]
        plausible = plausible_range(path)
        if spec.minimum is not None and value < spec.minimum:
            outside.append(f"{path} {value:g} below the hard range")
        if spec.maximum is not None and value > spec.maximum:
            outside.append(f"{path} {value:g} above the hard range")
        if plausible is not None and not plausible.contains(value):
            outside.append(f"{path} {value:g} outside the plausible range")
    assert not outside, outside
