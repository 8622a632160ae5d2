"""Thin and messy board vignettes (test_messy_input.py): patients as reports state them.

Each vignette quotes what the reports say ("says", in the wording of the published case
reports), encodes it as case-v1 with its additions (ranges, bounds, a reported grade, the
surgeons' judgements, a timeline, units as written) and writes beside it what the seeds and
the interval rule alone decide: a comparison is met when the whole interval satisfies it,
not met when none of it does, unknown when it straddles the threshold
(docs/case-v1-additions.md "Three-valued logic over intervals"). An "uncertain" names the
fields that would decide it; ``not_waiting`` names fields that cannot change the answer and
must not be asked for; ``not_eligible`` is what nelm must not conclude from what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Vignette:
    name: str
    says: str
    case: dict[str, Any]
    # option -> (status, the passage that decides it)
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)
    # option -> the passage; the status must not be "eligible" (a gap must not pass)
    not_eligible: dict[str, str] = field(default_factory=dict)
    # option -> fields an "uncertain" waits on (each must be in the option's missing)
    waits_on: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # option -> fields that cannot change its status (none may be in its missing)
    not_waiting: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # criterion id -> (result, the passage or rule)
    criteria: dict[str, tuple[str, str]] = field(default_factory=dict)
    # criterion id -> words its value must show (a bound as the bound)
    shown: dict[str, str] = field(default_factory=dict)
    # classification key -> expected value
    derived: dict[str, Any] = field(default_factory=dict)
    # grades that must be possible, and grades that must not be
    grade_possible: tuple[str, ...] = ()
    grade_impossible: tuple[str, ...] = ()
    # words one of the assessment's warnings must hold
    warns: tuple[str, ...] = ()
    conflict: bool = False


TRANSARTERIAL = ("tae", "tace", "deb_tace", "tare")
# The options whose G1/G2 rule is absolute (RADIANT, SUN-1111, ALPPS, the transplant
# criteria sets). Resection and liver-directed treatment keep G1/G2 as relative for a G3 NET
# (004 §3.1, 002 §3: the guidelines disagree), ruling out only a NEC.
G12_OPTIONS = (
    "everolimus",
    "sunitinib",
    "surufatinib",
    "staged_resection",
    "liver_transplant_milan",
    "liver_transplant_enets",
    "liver_transplant_unos",
)
G12_RELATIVE = (
    '004 §3.1: G3 liver metastases "still controversy" (ENETS against, ESMO not); 002 §3: '
    '"NANETS guidelines still support the use of liver-directed therapy for G3 NET"; a NEC '
    "is outside both"
)

# Passages (seed file, section / table; quoted in the seeds):
GRADE = (
    "000 §1 (WHO 2019): G1 Ki-67 < 3 % and < 2 mitoses/2 mm²; G2 Ki-67 3-20 % or 2-20 "
    "mitoses; G3 Ki-67 > 20 % or > 20 mitoses; the higher index decides"
)
BURDEN_TA = (
    '002 §3.3: "tumor burden < 50% of the liver" among the "widely used" criteria for '
    'TAE/TACE/TARE; 002 §3: "reasonable ... as a salvage approach when the liver burden ranges '
    "between 10% and 90%\": relative between 50 and 90 %, the board's to weigh"
)
PLATELETS_TA = '002 §3.3: TAE/TACE "platelet count > 100,000/mL"'
ABLATION = (
    '002 §4: ablation for "less than three lesions measuring ≤ 3 cm, or a single lesion < 5 cm"'
)
SSA_KI67 = (
    '004 §3.3: SSA "applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR positivity"'
)
SSA_SYNDROME = (
    '003 Medical therapy: SSAs "are effective in controlling hormonal secretion and tumor growth"'
)
SSA_WITHOUT_SSTR = (
    "Kaltsas 2017 (ENETS pre- and perioperative therapy): the carcinoid syndrome controlled "
    "with a long-acting SSA, the SSTR status not asked first"
)
PRRT_KI67 = '000 §4: PRRT "in a subset of patients with G3 tumors (Ki67 < 55%)"'
PRRT_N1 = "002 §2.3 / NETTER-1: PRRT after progression on a somatostatin analogue"
PRRT_N2 = "NETTER-2 eligibility: first line, Ki-67 10-55 %, no prior systemic therapy but an SSA"
RADIANT4 = '004 §3.4: RADIANT-4 "non-functional pulmonary and gastrointestinal (GI) NETs"'
PNET_ONLY = "003 Targeted therapies / 004 §3.4: sunitinib phase III in pancreatic NET only"
RESECTION = (
    "004 §3.1: radical resection for type I/II liver metastases without extrahepatic "
    "metastases in G1 and G2; the surgeons' judgement (case-v1 additions) read first"
)
FLR = '001 Isolated surgical resection: "adequate future liver remnant (FLR) of at least 30%"'
MILAN = (
    "001 Table 2 (Milan): age < 55, G1/G2, portal drainage, primary resected with clear "
    "margins, no extrahepatic disease, involvement < 50 %, stable ≥ 6 months"
)
ENETS = (
    "001 Table 2 (ENETS): Ki-67 ≤ 10 %, < 50 % (< 75 % with a refractory functional "
    "syndrome), primary removed ≥ 6 months before, stable ≥ 6 months, no extrahepatic disease"
)
UNOS = "001 Table 2 (UNOS): bilobar and not amenable to resection; involvement < 50 %"
CYTO_75 = (
    '003 Cytoreductive surgery: "If > 75% of the liver parenchyma is involved ... surgical '
    'treatment should be avoided"'
)
CYTO_IND = (
    '001 Debulking surgery: "uncontrollable functional NENs or ... non-functional NENs and '
    'stable disease for an interval of 6 months"'
)
PLATINUM = (
    '003 Medical therapy: "For high-grade tumors with poor differentiation, platinum-based" '
    "chemotherapy"
)
CABINET = '004 §3.4: CABINET, NET "whose disease progressed after treatment" other than an SSA'
REPORTED = (
    "case-v1 additions, Derived facts: a reported grade narrows what the indices leave open; "
    "when it contradicts them both stay possible and the conflict is listed"
)
LABS_PRRT = (
    "labs.creatinine_mg_dl",
    "labs.hemoglobin_g_dl",
    "labs.wbc_per_ul",
    "labs.platelets_per_ul",
)

VIGNETTES: tuple[Vignette, ...] = (
    Vignette(
        name="m01-ileal-g2-multiple-over-50-unresectable",
        says=(
            "A 67-year-old man with a G2 NET of the ileum, resected; multiple liver "
            "metastases, the largest 45 mm, replacing more than 50 % of the liver, judged "
            "unresectable by the hepatobiliary surgeons. Progression on octreotide LAR. "
            "68Ga-DOTATATE uptake above the liver. Creatinine 97 µmol/L, Hb 7.8 mmol/L, "
            "WBC 5.9 × 10⁹/L, platelets 210 × 10⁹/L."
        ),
        case={
            "patient": {"age_years": 67, "sex": "male", "ecog": 1},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G2"},
            "imaging": {"sstr_positive": True, "sstr_uptake_vs_liver": "above_liver"},
            "liver": {
                "lesion_count_at_least": 2,
                "largest_lesion_cm": {"value": 45, "unit": "mm"},
                "tumor_burden_percent_at_least": 50,
                "surgical_assessment": "unresectable",
            },
            "extrahepatic": {"present": False},
            "labs": {
                "creatinine_mg_dl": {"value": 97, "unit": "µmol/L"},
                "hemoglobin_g_dl": {"value": 7.8, "unit": "mmol/L"},
                "wbc_per_ul": {"value": 5.9, "unit": "10⁹/L"},
                "platelets_per_ul": {"value": 210, "unit": "10⁹/L"},
            },
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_treatments": ["ssa"],
                "prior_systemic_lines": 1,
            },
        },
        statuses={
            **{
                o: ("uncertain", BURDEN_TA + ": ≥ 50 % has no value below 50")
                for o in TRANSARTERIAL
            },
            "liver_transplant_milan": ("ineligible", MILAN),
            "liver_transplant_unos": ("ineligible", UNOS),
            "liver_resection": ("ineligible", RESECTION + ": judged unresectable"),
            "thermal_ablation": ("ineligible", ABLATION + ": ≥ 2 lesions, the largest 4.5 cm"),
            "cytoreductive_surgery": ("ineligible", CYTO_IND + ": progressing, non-functional"),
            "prrt": ("eligible", PRRT_N1 + "; G2 means Ki-67 ≤ 20 %, below 55 % (000 §4)"),
            "everolimus": ("eligible", RADIANT4),
            "sunitinib": ("ineligible", PNET_ONLY),
            "ssa": ("uncertain", SSA_KI67 + ": a G2 may have Ki-67 up to 20 %"),
        },
        waits_on={"ssa": ("pathology.ki67_percent",)},
        criteria={
            "cytoreductive_surgery.involvement": ("unknown", CYTO_75 + ": ≥ 50 % straddles 75"),
            "tae.burden": ("unknown", BURDEN_TA),
        },
        shown={"tae.burden": "≥ 50"},
        derived={"grade": "G2"},
    ),
    Vignette(
        name="m02-pnet-g1-ki67-under-2-four-to-five-lesions-dated",
        says=(
            "A man in his forties; pancreatic NET G1 (Ki-67 < 2 %), distal pancreatectomy "
            "on 14 February 2023, R0. Four to five metachronous metastases in both lobes, "
            "under 25 % of the liver. No extrahepatic disease. Stable on scans of 2 April "
            "2025 and 20 October 2026. Bilirubin 10 µmol/L. Fit for surgery, no carcinoid "
            "heart disease."
        ),
        case={
            "patient": {
                "age_years_at_least": 40,
                "age_years_at_most": 49,
                "sex": "male",
                "ecog": 0,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": False,
            },
            "primary": {
                "site": "pancreas",
                "resection_margin": "R0",
                "functional_syndrome": "none",
            },
            "pathology": {
                "reported_grade": "G1",
                "ki67_percent_at_most": 2,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count_at_least": 4,
                "lesion_count_at_most": 5,
                "bilobar": True,
                "tumor_burden_percent_at_most": 25,
                "synchronous": False,
            },
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": {"value": 10, "unit": "µmol/L"}},
            "timeline": {
                "as_of": "2026-11-01",
                "diagnosis": "2022-12-01",
                "primary_resection": "2023-02-14",
                "scans": [
                    {"date": "2025-04-02", "finding": "stable"},
                    {"date": "2026-10-20", "finding": "stable"},
                ],
            },
        },
        statuses={
            "liver_transplant_milan": ("eligible", MILAN + "; age 40-49, burden ≤ 25 %"),
            "liver_transplant_enets": ("eligible", ENETS + "; Ki-67 ≤ 2 %, resected 44 months"),
            "liver_transplant_unos": ("uncertain", UNOS + ": bilobar, resectability unknown"),
            "thermal_ablation": ("ineligible", ABLATION + ": 4-5 lesions"),
            "ssa": ("eligible", SSA_KI67 + ": Ki-67 ≤ 2 %"),
            "prrt": ("uncertain", PRRT_N1 + "; " + PRRT_N2 + ": Ki-67 ≤ 2 % is below 10"),
            "liver_resection": ("uncertain", RESECTION + ": bilobar is type II or III"),
            "everolimus": ("ineligible", RADIANT4 + ": progression required; stable"),
        },
        waits_on={
            "prrt": ("course.progressed_on_ssa",),
            "liver_resection": ("liver.distribution",),
        },
        not_waiting={"liver_transplant_enets": ("pathology.ki67_percent",)},
        criteria={
            "liver_transplant_enets.primary_removed": ("met", ENETS + ": Feb 2023 to Nov 2026"),
            "liver_transplant_milan.stable": ("met", MILAN + ": stable ≥ 18 months by the scans"),
        },
        shown={"liver_transplant_enets.ki67": "≤ 2"},
        derived={"grade": "G1", "liver_type": None},
    ),
    Vignette(
        name="m03-pnet-ki67-15-25-flr-25-35-after-conversion",
        says=(
            "A 58-year-old with a well-differentiated pancreatic NET in place, Ki-67 15-25 % "
            "(hot spots), multiple synchronous metastases with a dominant right-lobe lesion; "
            "future liver remnant 25-35 %; the surgeons: resectable after portal vein "
            "embolisation; the primary resectable. New diagnosis. SSTR-PET uptake like the "
            "liver."
        ),
        case={
            "patient": {
                "age_years": 58,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": False,
                "ecog": 0,
            },
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "none",
                "surgical_assessment": "resectable",
            },
            "pathology": {
                "ki67_percent_at_least": 15,
                "ki67_percent_at_most": 25,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True, "sstr_uptake_vs_liver": "like_liver"},
            "liver": {
                "lesion_count_at_least": 2,
                "distribution": "bilobar_dominant",
                "future_liver_remnant_percent_at_least": 25,
                "future_liver_remnant_percent_at_most": 35,
                "surgical_assessment": "resectable_after_conversion",
                "synchronous": True,
            },
            "extrahepatic": {"present": False},
            "course": {"status": "new_diagnosis"},
        },
        statuses={
            "ssa": ("ineligible", SSA_KI67 + ": Ki-67 ≥ 15 %, non-functional"),
            "liver_transplant_enets": ("ineligible", ENETS + ": Ki-67 ≥ 15 %"),
            "liver_transplant_milan": ("ineligible", MILAN + ": primary in place"),
            "prrt": ("uncertain", PRRT_N2 + ": Ki-67 15-25 % lies in 10-55 %; labs not given"),
            "staged_resection": ("uncertain", "001 Staged resections: G3 a contraindication"),
            "everolimus": ("ineligible", RADIANT4 + ": not progressing"),
        },
        not_eligible={"liver_resection": FLR + "; grade G2 or G3 (004 §3.1)"},
        waits_on={
            "prrt": LABS_PRRT,
            "staged_resection": ("pathology.ki67_percent",),
        },
        not_waiting={
            "prrt": ("pathology.ki67_percent", "course.progressed_on_ssa"),
            "ssa": ("pathology.ki67_percent",),
        },
        criteria={
            "prrt.setting": ("met", PRRT_N2),
            "prrt.ki67": ("met", PRRT_KI67),
            "staged_resection.needs_staging": (
                "met",
                "001 Staged resections: FLR deemed insufficient",
            ),
        },
        shown={"prrt.ki67": "15"},
        grade_possible=("G2", "G3"),
        grade_impossible=("G1", "NEC"),
    ),
    Vignette(
        name="m04-reported-g1-contradicted-by-ki67-8-over-70-refractory",
        says=(
            "A 52-year-old with an ileal NET reported as G1 (Ki-67 8 %), resected two years "
            "ago with R1 margins; more than 10 metastases scattered in both lobes, over 70 % "
            "of the liver; carcinoid syndrome refractory to octreotide; stable for over a "
            "year. SSTR-positive."
        ),
        case={
            "patient": {
                "age_years": 52,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": False,
            },
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "months_since_primary_resection": {"value": 2, "unit": "years"},
                "resection_margin": "R1",
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"reported_grade": "G1", "ki67_percent": 8, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count_at_least": 11,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent_at_least": 70,
            },
            "extrahepatic": {"present": False},
            "course": {"status": "stable", "months_stable_at_least": 12},
        },
        statuses={
            "ssa": ("eligible", SSA_KI67 + "; " + SSA_SYNDROME),
            "liver_transplant_milan": ("ineligible", MILAN + ": R1, involvement ≥ 70 %"),
            "liver_transplant_unos": ("ineligible", UNOS + ": involvement ≥ 70 %"),
            **{o: ("uncertain", BURDEN_TA + ": ≥ 70 %") for o in TRANSARTERIAL},
            "thermal_ablation": ("ineligible", ABLATION + ": more than 10 lesions"),
            "liver_resection": ("ineligible", RESECTION + ": diffuse (type III)"),
            "cytoreductive_surgery": ("uncertain", CYTO_75 + ": ≥ 70 % straddles 75"),
            "liver_transplant_enets": ("uncertain", ENETS + ": ≥ 70 % straddles 75"),
        },
        waits_on={
            "cytoreductive_surgery": ("liver.tumor_burden_percent",),
            "liver_transplant_enets": ("liver.tumor_burden_percent",),
        },
        criteria={
            "cytoreductive_surgery.indication": ("met", CYTO_IND + ": refractory syndrome"),
            "cytoreductive_surgery.involvement": ("unknown", CYTO_75),
            "liver_transplant_enets.involvement": ("unknown", ENETS),
            "liver_transplant_enets.stable": ("met", ENETS + ": stable over 12 months"),
            "liver_transplant_enets.primary_removed": ("met", ENETS + ": 24 months"),
        },
        grade_possible=("G1", "G2"),
        conflict=True,
    ),
    Vignette(
        name="m05-reported-g3-ki67-over-60-unknown-primary-bone-suspected",
        says=(
            "A 61-year-old; liver biopsy: neuroendocrine neoplasm G3, Ki-67 > 60 %; primary "
            "not found; multiple lesions in both lobes, FDG-avid; bone lesions suspicious "
            "for metastases; rapidly progressing."
        ),
        case={
            "patient": {"age_years": 61, "ecog": 1},
            "primary": {"site": "unknown_primary"},
            "pathology": {"reported_grade": "G3", "ki67_percent_at_least": 60},
            "imaging": {"fdg_positive": True},
            "liver": {"lesion_count_at_least": 2, "distribution": "bilobar_diffuse"},
            "course": {"status": "rapidly_progressing"},
        },
        statuses={
            "prrt": ("ineligible", PRRT_KI67 + ": > 60 % has no value below 55"),
            # Ki-67 > 60 % fails "Ki-67 ≤ 10%"; a syndrome, not stated, could still indicate it
            "ssa": ("uncertain", SSA_KI67 + "; " + SSA_SYNDROME),
            **{
                o: ("ineligible", GRADE + ": Ki-67 > 20 % is G3 or NEC; G1/G2 required")
                for o in G12_OPTIONS
            },
            # G3 NET (relative) or NEC (ruled out): the differentiation decides
            **{
                o: ("uncertain", GRADE + "; " + G12_RELATIVE)
                for o in ("tae", "tace", "deb_tace", "tare")
            },
            # diffuse bilobar disease: not type I/II, not limited (004 §1; 002 §4)
            "liver_resection": ("ineligible", RESECTION + "; diffuse type III"),
            "thermal_ablation": ("ineligible", ABLATION + "; diffuse type III"),
            # primary not found, but G3 NET or NEC: 004 §3.4 names streptozotocin for a high
            # proliferative index whatever the site (a G3 NET: 003's G1/G2 makes it relative);
            # a NEC rules it out (both seeds: well-differentiated only)
            "streptozocin_5fu": (
                "uncertain",
                "004 §3.4: streptozotocin 'mainly indicated for NETs with high proliferative "
                "index'; 003 Medical therapy: G1/G2 PNENs; G3 NET or NEC",
            ),
            "platinum_etoposide": ("uncertain", PLATINUM + ": G3 NET or NEC"),
        },
        waits_on={
            "platinum_etoposide": ("pathology.differentiation",),
            "ssa": ("primary.functional_syndrome",),
        },
        not_waiting={"ssa": ("pathology.ki67_percent",)},
        criteria={"prrt.ki67": ("not_met", PRRT_KI67)},
        shown={"prrt.ki67": "≥ 60"},
        grade_possible=("G3", "NEC"),
        grade_impossible=("G1", "G2"),
    ),
    Vignette(
        name="m06-ki67-at-most-10-burden-40-60-dated-progression-on-ssa",
        says=(
            "A 70-year-old, not fit for major surgery; ileal NET resected 15 March 2021, "
            "Ki-67 ≤ 10 %, 1 mitosis/2 mm², well differentiated; more than 10 liver "
            "metastases, 40-60 % of the liver; stable para-aortic nodes. Lanreotide from "
            "1 May 2021; progression on CT of 20 August 2026. Creatinine 150 µmol/L, Hb "
            "118 g/L, WBC 4.2 × 10⁹/L, platelets 160 × 10⁹/L, bilirubin 0.8 mg/dL, LDH 300, "
            "AST 40. Krenning 3."
        ),
        case={
            "patient": {"age_years": 70, "ecog": 1, "fit_for_major_surgery": False},
            "primary": {"site": "small_intestine", "functional_syndrome": "none"},
            "pathology": {
                "ki67_percent_at_most": 10,
                "mitoses_per_2mm2": 1,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count_at_least": 11,
                "tumor_burden_percent_at_least": 40,
                "tumor_burden_percent_at_most": 60,
            },
            "extrahepatic": {"present": True, "sites": ["distant_nodes"], "stable": True},
            "labs": {
                "creatinine_mg_dl": {"value": 150, "unit": "µmol/L"},
                "hemoglobin_g_dl": {"value": 118, "unit": "g/L"},
                "wbc_per_ul": {"value": 4.2, "unit": "10⁹/L"},
                "platelets_per_ul": {"value": 160, "unit": "10⁹/L"},
                "bilirubin_mg_dl": 0.8,
                "ldh_u_l": 300,
                "ast_u_l": 40,
            },
            "timeline": {
                "as_of": "2026-11-01",
                "primary_resection": "2021-03-15",
                "treatments": [
                    {"treatment": "ssa", "start": "2021-05-01", "progression": "2026-08-20"}
                ],
                "scans": [{"date": "2026-08-20", "finding": "progression"}],
            },
        },
        statuses={
            # no eGFR: creatinine 150 µmol/L (1.70 mg/dL) gives a woman of 70 an eGFR of 32.1
            # by CKD-EPI 2021 (142 × (1.697/0.7)^-1.2 × 0.9938^70 × 1.012; Inker 2021), the
            # sex not given: below 50, where NETTER-1 had a measured clearance confirm
            "prrt": ("uncertain", PRRT_N1 + "; CKD-EPI 2021 eGFR below 50 without an eGFR"),
            "ssa": ("eligible", SSA_KI67 + ": every value of ≤ 10 % meets ≤ 10 %"),
            "everolimus": ("eligible", RADIANT4 + "; progression on the timeline"),
            "tae": ("uncertain", BURDEN_TA + ": 40-60 % straddles 50"),
            "cytoreductive_surgery": ("ineligible", "not fit for major surgery; progressing"),
            "liver_transplant_milan": ("ineligible", MILAN + ": 70 years, extrahepatic nodes"),
            "liver_transplant_enets": ("ineligible", ENETS),
            "thermal_ablation": ("ineligible", ABLATION + ": more than 10 lesions"),
            "liver_resection": ("ineligible", RESECTION + ": extrahepatic disease, unfit"),
        },
        waits_on={"tae": ("liver.tumor_burden_percent",), "prrt": ("labs.egfr_ml_min",)},
        not_waiting={
            "ssa": ("pathology.ki67_percent",),
            "prrt": ("pathology.ki67_percent",),
        },
        criteria={
            "ssa.indication": ("met", SSA_KI67),
            "tae.burden": ("unknown", BURDEN_TA),
            "tae.grade": ("met", GRADE + ": Ki-67 ≤ 10 % and 1 mitosis: G1 or G2"),
            "prrt.setting": ("met", PRRT_N1 + ": progression within the SSA line"),
        },
        shown={"ssa.indication": "≤ 10", "tae.burden": "40"},
        grade_possible=("G1", "G2"),
        grade_impossible=("G3", "NEC"),
    ),
    Vignette(
        name="m07-pnet-in-her-fifties-resected-3-months-ago",
        says=(
            "A woman in her fifties; pancreatic NET G2, Ki-67 5-8 %; two to three "
            "synchronous metastases in the right lobe, under 25 % of the liver; distal "
            "pancreatectomy 20 July 2026, R0; stable on scans of 2 June and 25 October 2026. "
            "Bilirubin 0.6 mg/dL."
        ),
        case={
            "patient": {
                "age_years_at_least": 50,
                "age_years_at_most": 59,
                "sex": "female",
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": False,
            },
            "primary": {
                "site": "pancreas",
                "resection_margin": "R0",
                "functional_syndrome": "none",
            },
            "pathology": {
                "reported_grade": "G2",
                "ki67_percent_at_least": 5,
                "ki67_percent_at_most": 8,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count_at_least": 2,
                "lesion_count_at_most": 3,
                "distribution": "unilobar",
                "tumor_burden_percent_at_most": 25,
                "synchronous": True,
            },
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": 0.6},
            "timeline": {
                "as_of": "2026-11-01",
                "diagnosis": "2026-06-02",
                "primary_resection": "2026-07-20",
                "scans": [
                    {"date": "2026-06-02", "finding": "stable"},
                    {"date": "2026-10-25", "finding": "stable"},
                ],
            },
        },
        statuses={
            "liver_transplant_enets": ("ineligible", ENETS + ": resected 3.4 months before"),
            "liver_transplant_milan": ("uncertain", MILAN + ": age 50-59, stable ≥ 4.7 months"),
            "liver_transplant_unos": ("ineligible", UNOS + ": one lobe"),
            "ssa": ("eligible", SSA_KI67 + ": Ki-67 5-8 %"),
            "liver_resection": ("uncertain", FLR + ": not given"),
            "simultaneous_resection": ("ineligible", "001 Simultaneous resection: primary removed"),
        },
        waits_on={
            "liver_transplant_milan": ("patient.age_years", "course.months_stable"),
            "liver_resection": ("liver.future_liver_remnant_percent",),
        },
        not_waiting={"liver_resection": ("pathology.ki67_percent", "pathology.mitoses_per_2mm2")},
        criteria={
            "liver_transplant_enets.primary_removed": ("not_met", ENETS),
            "liver_transplant_milan.age": ("unknown", MILAN + ": 50-59 straddles 55"),
            "liver_transplant_milan.stable": ("unknown", MILAN + ": ≥ 4.7 months straddles 6"),
        },
        derived={"grade": "G2", "liver_type": "I"},
    ),
    Vignette(
        name="m08-pnet-in-place-ki67-2-4-lung-nodule-suspected",
        says=(
            "A 63-year-old; well-differentiated pancreatic NET, Ki-67 2-4 %, < 2 mitoses/"
            "2 mm²; four to five synchronous metastases in the left lobe; FLR > 40 %; "
            "surgeons: primary and liver resectable. A 6 mm lung nodule, suspicious, not "
            "characterised."
        ),
        case={
            "patient": {
                "age_years": 63,
                "ecog": 0,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": False,
            },
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "none",
                "surgical_assessment": "resectable",
            },
            "pathology": {
                "ki67_percent_at_least": 2,
                "ki67_percent_at_most": 4,
                "mitoses_per_2mm2_at_most": 1,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count_at_least": 4,
                "lesion_count_at_most": 5,
                "distribution": "unilobar",
                "future_liver_remnant_percent_at_least": 40,
                "synchronous": True,
                "surgical_assessment": "resectable",
            },
        },
        statuses={
            "liver_resection": ("uncertain", RESECTION + ": extrahepatic disease not excluded"),
            "simultaneous_resection": ("uncertain", "001 Simultaneous resection; no extrahepatic"),
            "primary_tumor_resection": (
                "uncertain",
                "001 / 003: primary resection when the liver disease is unresectable or "
                "extrahepatic disease is present",
            ),
            "thermal_ablation": ("ineligible", ABLATION + ": 4-5 lesions"),
            "liver_transplant_milan": ("ineligible", MILAN + ": primary in place"),
            "liver_transplant_enets": ("ineligible", ENETS + ": primary in place"),
        },
        waits_on={
            "liver_resection": ("extrahepatic.present",),
            "simultaneous_resection": ("extrahepatic.present",),
            "primary_tumor_resection": ("extrahepatic.present",),
        },
        not_waiting={
            "liver_resection": (
                "pathology.ki67_percent",
                "pathology.mitoses_per_2mm2",
                "liver.future_liver_remnant_percent",
            ),
        },
        criteria={"liver_resection.grade": ("met", GRADE + ": Ki-67 2-4 %, < 2 mitoses: G1 or G2")},
        grade_possible=("G1", "G2"),
        grade_impossible=("G3", "NEC"),
    ),
    Vignette(
        name="m09-reported-g3-contradicted-by-ki67-5-mitoses-1",
        says=(
            "A 66-year-old; rectal NET reported as G3, Ki-67 5 %, 1 mitosis/2 mm², well "
            "differentiated; multiple bilobar liver metastases; progression on lanreotide."
        ),
        case={
            "patient": {"age_years": 66},
            "primary": {"site": "rectum", "resected": True, "functional_syndrome": "none"},
            "pathology": {
                "reported_grade": "G3",
                "ki67_percent": 5,
                "mitoses_per_2mm2": 1,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count_at_least": 2, "bilobar": True},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_treatments": ["ssa"],
            },
        },
        statuses={
            "ssa": ("eligible", SSA_KI67 + ": Ki-67 5 %"),
            "everolimus": ("uncertain", RADIANT4 + "; G1/G2 contested by the reported G3"),
            # the reported G3 keeps a G3 NET possible: 004 §3.4's "high proliferative index"
            # makes the high grade open and poor differentiation relative (not ruled out)
            "platinum_etoposide": ("uncertain", PLATINUM + "; 004 §3.4: G2 or G3 NET"),
            "liver_transplant_milan": ("ineligible", MILAN + ": rectum drains systemically"),
            "liver_transplant_unos": ("ineligible", UNOS + "; portal drainage"),
        },
        not_waiting={"ssa": ("pathology.ki67_percent",)},
        grade_possible=("G2", "G3"),
        grade_impossible=("NEC",),
        conflict=True,
        warns=("G3",),
    ),
    Vignette(
        name="m10-single-lesion-up-to-3-cm-bilirubin-unit-typo",
        says=(
            "A 48-year-old; pancreatic NET G1 (Ki-67 < 3 %), resected R0; a single "
            "metachronous lesion up to 3 cm in segment VI, not subcapsular, away from the "
            "hilum; stable 9 months. Bilirubin '17' typed in mg/dL (the report: 17 µmol/L); "
            "platelets 95 × 10⁹/L; Hb 7 mmol/L."
        ),
        case={
            "patient": {
                "age_years": 48,
                "ecog": 0,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": False,
            },
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "functional_syndrome": "none",
            },
            "pathology": {
                "reported_grade": "G1",
                "ki67_percent_at_most": 3,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count": 1,
                "largest_lesion_cm_at_most": 3,
                "subcapsular": False,
                "near_hilum_or_major_vessels": False,
                "synchronous": False,
            },
            "anatomy": {"prior_whipple": False},
            "extrahepatic": {"present": False},
            "labs": {
                "bilirubin_mg_dl": 17,
                "platelets_per_ul": {"value": 95, "unit": "10⁹/L"},
                "hemoglobin_g_dl": {"value": 7, "unit": "mmol/L"},
            },
            "course": {"status": "stable", "months_stable": 9},
        },
        statuses={
            "thermal_ablation": ("eligible", ABLATION + ": single lesion ≤ 3 cm"),
            "tae": ("ineligible", PLATELETS_TA + ": 95,000"),
        },
        criteria={
            "thermal_ablation.size_number": ("met", ABLATION),
            "prrt.platelets": ("met", "NETTER-1 eligibility: platelets ≥ 75,000/µL"),
            "prrt.hemoglobin": ("met", "NETTER-1 eligibility: Hb ≥ 8 g/dL; 7 mmol/L = 11.3 g/dL"),
        },
        shown={"thermal_ablation.size_number": "≤ 3"},
        derived={"grade": "G1", "liver_type": "I"},
        warns=("µmol/L",),
    ),
    Vignette(
        name="m11-thin-ileal-g2-over-70-unresectable-refractory-syndrome",
        says=(
            "A 59-year-old with a G2 NET of the ileum in place, multiple liver metastases "
            "replacing more than 70 % of the liver, unresectable; carcinoid syndrome "
            "refractory to octreotide; stable."
        ),
        case={
            "patient": {"age_years": 59},
            "primary": {
                "site": "small_intestine",
                "resected": False,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"reported_grade": "G2"},
            "liver": {
                "lesion_count_at_least": 2,
                "tumor_burden_percent_at_least": 70,
                "surgical_assessment": "unresectable",
            },
            "course": {"status": "stable", "prior_treatments": ["ssa"]},
        },
        statuses={
            "ssa": ("eligible", SSA_SYNDROME + "; " + SSA_WITHOUT_SSTR + "; G2 reported"),
            "cytoreductive_surgery": ("uncertain", CYTO_75 + ": ≥ 70 % straddles 75"),
            **{o: ("uncertain", BURDEN_TA + ": ≥ 70 %") for o in TRANSARTERIAL},
            "liver_transplant_milan": ("ineligible", MILAN),
            "liver_resection": ("ineligible", RESECTION + ": judged unresectable"),
            "primary_tumor_resection": ("uncertain", "major surgery fitness not given"),
        },
        waits_on={
            "cytoreductive_surgery": (
                "liver.tumor_burden_percent",
                "patient.fit_for_major_surgery",
            ),
            "primary_tumor_resection": ("patient.fit_for_major_surgery",),
        },
        not_waiting={
            "ssa": ("pathology.ki67_percent",),
            "cytoreductive_surgery": ("course.months_stable",),
        },
        criteria={
            "ssa.indication": ("met", SSA_SYNDROME),
            "ssa.sstr": ("met", SSA_WITHOUT_SSTR),
            "cytoreductive_surgery.indication": ("met", CYTO_IND),
            "primary_tumor_resection.liver_unresectable": ("met", "surgeons: unresectable"),
        },
        shown={"cytoreductive_surgery.involvement": "≥ 70"},
        derived={"grade": "G2"},
    ),
    Vignette(
        name="m12-over-60-ki67-10-20-first-line-netter2",
        says=(
            "A patient over 60; well-differentiated ileal NET in place, Ki-67 10-20 %, 3 "
            "mitoses/2 mm²; multiple metastases disseminated in both lobes; Krenning 4; new "
            "diagnosis. eGFR 85, Hb 13 g/dL, WBC 6,000, platelets 250,000."
        ),
        case={
            "patient": {"age_years_at_least": 60},
            "primary": {
                "site": "small_intestine",
                "resected": False,
                "functional_syndrome": "none",
            },
            "pathology": {
                "ki67_percent_at_least": 10,
                "ki67_percent_at_most": 20,
                "mitoses_per_2mm2": 3,
                "differentiation": "well",
            },
            "imaging": {"sstr_positive": True, "krenning_score": 4},
            "liver": {"lesion_count_at_least": 2, "distribution": "bilobar_diffuse"},
            "labs": {
                "egfr_ml_min": 85,
                "hemoglobin_g_dl": 13,
                "wbc_per_ul": 6000,
                "platelets_per_ul": 250000,
            },
            "course": {"status": "new_diagnosis"},
        },
        statuses={
            "prrt": ("eligible", PRRT_N2 + ": Ki-67 10-20 %"),
            "ssa": ("uncertain", SSA_KI67 + ": 10-20 % straddles ≤ 10"),
            "liver_transplant_milan": ("ineligible", MILAN + ": over 60"),
            "liver_transplant_enets": ("ineligible", ENETS + ": over 60, primary in place"),
            "everolimus": ("ineligible", RADIANT4 + ": not progressing"),
            "liver_resection": ("ineligible", RESECTION + ": diffuse (type III)"),
        },
        waits_on={"ssa": ("pathology.ki67_percent",)},
        not_waiting={"prrt": ("pathology.ki67_percent", "patient.age_years")},
        criteria={
            "prrt.setting": ("met", PRRT_N2),
            "ssa.indication": ("unknown", SSA_KI67),
            "liver_transplant_milan.age": ("not_met", MILAN),
        },
        shown={"ssa.indication": "10"},
        derived={"grade": "G2"},
    ),
    Vignette(
        name="m13-pnet-ki67-over-20-progressed-on-everolimus-dated",
        says=(
            "A 57-year-old; well-differentiated pancreatic NET in place, Ki-67 > 20 %; "
            "multiple liver metastases; everolimus from 1 September 2025, progression on "
            "CT of 10 September 2026, stopped 15 September 2026."
        ),
        case={
            "patient": {"age_years": 57},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"ki67_percent_at_least": 20, "differentiation": "well"},
            "liver": {"lesion_count_at_least": 2},
            "timeline": {
                "as_of": "2026-11-01",
                "treatments": [
                    {
                        "treatment": "everolimus",
                        "start": "2025-09-01",
                        "stop": "2026-09-15",
                        "best_response": "stable_disease",
                        "progression": "2026-09-10",
                    }
                ],
                "scans": [{"date": "2026-09-10", "finding": "progression"}],
            },
        },
        statuses={
            "cabozantinib": ("eligible", CABINET + ": progressed after everolimus"),
            "ssa": ("ineligible", SSA_KI67 + ": Ki-67 ≥ 20 %"),
            "liver_transplant_enets": ("ineligible", ENETS + ": Ki-67 ≥ 20 %"),
        },
        not_eligible={
            "sunitinib": PNET_ONLY + "; G1/G2 open at Ki-67 ≥ 20 %",
            "streptozocin_5fu": "003 Medical therapy: G1/G2 PNENs; G2 or G3",
        },
        criteria={
            "cabozantinib.progressing": ("met", CABINET + ": the timeline's latest finding"),
            "prrt.ki67": ("unknown", PRRT_KI67 + ": ≥ 20 % straddles 55"),
        },
        grade_possible=("G2", "G3"),
        grade_impossible=("G1", "NEC"),
    ),
    Vignette(
        name="m14-pnet-ki67-over-20-written-strict",
        says=(
            "The patient of m13 as the report writes the index: well-differentiated "
            "pancreatic NET in place, Ki-67 > 20 % (strict, docs/case-v1-additions.md); "
            "multiple liver metastases."
        ),
        case={
            "patient": {"age_years": 57},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"ki67_percent_more_than": 20, "differentiation": "well"},
            "liver": {"lesion_count_at_least": 2},
        },
        statuses={
            # a G3 NET: the transplant sets' G1/G2 rules are not met (001 Table 2); for a
            # resection G1/G2 is relative (the guidelines disagree on G3)
            "liver_resection": ("uncertain", RESECTION + "; " + G12_RELATIVE),
            "liver_transplant_milan": ("ineligible", MILAN + "; G3"),
            "liver_transplant_enets": ("ineligible", ENETS + ": Ki-67 > 20 %"),
            "ssa": ("ineligible", SSA_KI67 + "; no syndrome: Ki-67 > 20 %"),
        },
        criteria={
            "liver_transplant_enets.ki67": ("not_met", ENETS + ": > 20 % is above 10"),
            "prrt.ki67": ("unknown", PRRT_KI67 + ": > 20 % straddles 55"),
        },
        shown={"liver_transplant_enets.ki67": "> 20 %"},
        derived={"grade": "G3"},
        grade_impossible=("G1", "G2", "NEC"),
    ),
    Vignette(
        name="m15-ileal-g1-indices-below-the-cut-offs-burden-under-half",
        says=(
            "A 50-year-old woman; well-differentiated ileal NET, Ki-67 < 3 % and < 2 "
            "mitoses per 2 mm²; liver metastases involving less than 50 % of the liver."
        ),
        case={
            "patient": {"age_years": 50, "sex": "female"},
            "primary": {"site": "small_intestine"},
            "pathology": {
                "ki67_percent_less_than": 3,
                "mitoses_per_2mm2_less_than": 2,
                "differentiation": "well",
            },
            "liver": {"tumor_burden_percent_less_than": 50},
        },
        criteria={
            # "< 3" and "< 2" are the G1 bands themselves (000 §1)
            "liver_transplant_milan.grade": ("met", MILAN + ": G1"),
            # Milan "involvement of < 50 %" (001 Table 2); TAE "< 50 %" (002 §3.3)
            "liver_transplant_milan.involvement": ("met", MILAN + ": < 50 %"),
            "tae.burden": ("met", BURDEN_TA + ": < 50 %"),
        },
        shown={"liver_transplant_milan.involvement": "< 50 %"},
        derived={"grade": "G1"},
        grade_impossible=("G2", "G3", "NEC"),
    ),
)
