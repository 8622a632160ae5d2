"""Board vignettes for the order of the plan (test_plan_order.py).

Each vignette is a whole patient; beside it stands only what the seeds decide about its plan:
which options the first step must hold, which option's step must come before which, and
which options must not be in the plan, each with the passage that decides it. Where the seeds
are silent or disagree (the first line for a G3 NET, an SSA or liver-directed therapy first
for a non-functional tumour) nothing is asserted about the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Labs that leave no procedure or drug waiting on a blood value.
LABS: dict[str, Any] = {
    "bilirubin_mg_dl": 0.8,
    "albumin_g_dl": 4.0,
    "creatinine_mg_dl": 0.9,
    "egfr_ml_min": 85,
    "platelets_per_ul": 230000,
    "ast_u_l": 30,
    "ldh_u_l": 200,
    "hemoglobin_g_dl": 13.5,
    "wbc_per_ul": 6500,
}
NO_ANATOMY: dict[str, Any] = {
    "portal_vein_thrombosis": False,
    "biliary_enteric_anastomosis": False,
    "prior_whipple": False,
    "biliary_obstruction": False,
    "ascites": False,
    "hepatic_encephalopathy": False,
}
FIT: dict[str, Any] = {
    "sex": "female",
    "ecog": 0,
    "fit_for_major_surgery": True,
    "carcinoid_heart_disease": False,
    "lvef_percent": 60,
}
TRANSPLANTS = ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos")
RESECTIONS = ("liver_resection", "staged_resection", "simultaneous_resection")


@dataclass(frozen=True)
class PlanVignette:
    name: str
    case: dict[str, Any]
    # Options of which at least one must be in the first step, and the passage.
    first: tuple[tuple[str, ...], str] | None = None
    # (earlier, later, passage): both in the plan, the earlier one's step before the later's.
    before: tuple[tuple[str, str, str], ...] = ()
    # (option, passage): not in the plan at all.
    absent: tuple[tuple[str, str], ...] = ()
    # Words the plan's text must carry (a seed's other reading, a note), and the passage.
    says: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# Passages (seed file, section), quoted.
TYPE_I = (
    '004 §3.1: "Patients with type I LMs without extrahepatic metastases in G1 and G2 grades '
    'are recommended to undergo radical resection"'
)
FLR_30 = (
    '001 Isolated surgical resection: "resectable NELM with an adequate future liver remnant '
    '(FLR) of at least 30% are considered eligible for curative-intent resection"'
)
STAGED = (
    '001 Staged resections for extensive disease: staged procedures "for patients whose FLR '
    'was initially deemed insufficient"'
)
LT_UNRESECTABLE = (
    '000 §2.2: transplantation "reserved for select patients ... unresectable liver metastases"'
)
LT_NO_EXTRAHEPATIC = (
    '002 §2.2: ENETS transplant criteria "include well-differentiated low-grade disease and '
    'the absence of extrahepatic disease"'
)
MILAN = (
    '004 §3.1: Milan criteria "histologically high-differentiated NETs (G1-G2, Ki67<10%) ... '
    'age <60 years"'
)
OLT_CURATIVE = (
    '001 Concluding remarks: "OLT, under strict criteria, represents a potentially curative '
    'treatment option rather than a palliative option"'
)
CYTOREDUCTION_TYPE_III = (
    '004 §3.1: "For patients with type III and partial type II liver metastases who cannot '
    'undergo radical resection, cytoreductive surgery is an alternative"'
)
PRRT_AFTER_SSA = (
    '002 §2.3: "NANETS and ENETS, recommend the use of PRRT only after the progression of '
    'disease while on SSAs"; 004 §3.5: NETTER-1 "was a second-line treatment"'
)
FUNCTIONAL_EARLY = (
    '002 §3: ESMO recommends locoregional therapies "early in the treatment algorithm for '
    'functional tumors"; "NANETS also recommends the use of locoregional therapies or '
    'chemotherapy for symptomatic NELM over SSAs"'
)
CRISIS = (
    '002 §3.3: "guidelines such as ENET and NANETs generally recommend the use of '
    'perioperative octreotide prophylactically"'
)
SSA_HORMONES = '003 Medical therapy: SSAs "are effective in controlling hormonal secretion"'
G3_CHEMO = '002 §3: "For G3 NET, systematic chemotherapy is generally recommended"'
NEC_PLATINUM = (
    '003 Medical therapy: "For high-grade tumors with poor differentiation, platinum-based '
    'regimes are preferred"'
)
PRRT_KI67_55 = (
    '000 §4: PRRT "most beneficial in ... well-differentiated tumors with a Ki67 < 20 (G1/G2)" '
    'and "may also be used in a subset of patients with G3 tumors (Ki67 < 55%)"'
)
PRIMARY_THEN_PRRT = (
    '000 §4: PRRT "most beneficial in ... patients who have had primary tumor resection"; 001 '
    'PRRT: "resection of the primary tumor followed by PRRT ... upfront strategy for the '
    'treatment of G1-G2 PanNENs with diffuse unresectable NELM"'
)
DOWNSTAGING = (
    '004 §3.1: "For initially unresectable NETLM, a staged strategy of \\"downstaging therapy '
    '+ surgery/LT\\" can be considered. Local therapies like TACE and PRRT can reduce tumor '
    'burden, converting some patients to resectable status"'
)
NO_TAE_AFTER_WHIPPLE = (
    '001 TAE and TACE: "Intra-arterial embolization techniques are generally contraindicated '
    'in the presence of ... bilio-enteric anastomosis"; 002 §3.3: contraindications of '
    'TAE/TACE include "history of pancreaticoduodenectomy"'
)
LIVER_DOMINANT = (
    '001 Concluding remarks: liver-targeted modalities "generally precede systemic treatments '
    'in patients with liver-dominant metastatic NEN disease"; 002 §3: NANETS recommends '
    'transarterial therapy "with liver-dominant bulky disease"'
)
LIVER_ORDER_DEBATED = (
    '002 §2.3: "Under certain guidelines, they are used as a second line to SSA or systematic '
    'therapy"; 004 §4: the order "is still controversial"'
)

VIGNETTES: list[PlanVignette] = [
    # 1. Resectable: ileal NET G2, two lesions in one lobe, remnant 65 %, nothing outside.
    PlanVignette(
        name="resectable_type_i_g2",
        case={
            "case_id": "v-plan-01",
            "patient": {"age_years": 58, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 14,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 5, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 2,
                "largest_lesion_cm": 3.0,
                "distribution": "unilobar",
                "tumor_burden_percent": 8,
                "future_liver_remnant_percent": 65,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "stable", "months_stable": 6},
        },
        first=(("liver_resection",), TYPE_I),
        before=(
            ("liver_resection", "tace", TYPE_I),
            ("liver_resection", "ssa", TYPE_I),
        ),
        absent=tuple((t, LT_UNRESECTABLE) for t in TRANSPLANTS),
    ),
    # 2. Type II, remnant 22 %: a one-stage resection is out, a staged one is the aim.
    PlanVignette(
        name="type_ii_remnant_below_30",
        case={
            "case_id": "v-plan-02",
            "patient": {"age_years": 55, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 10,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 8, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 5,
                "largest_lesion_cm": 6.0,
                "distribution": "bilobar_dominant",
                "tumor_burden_percent": 30,
                "future_liver_remnant_percent": 22,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "stable", "months_stable": 6},
        },
        first=(("staged_resection",), STAGED),
        before=(("staged_resection", "tace", STAGED),),
        absent=(("liver_resection", FLR_30),),
    ),
    # 3. Diffuse type III, G1, 42 years, primary out 18 months, stable a year: transplant.
    PlanVignette(
        name="diffuse_type_iii_g1_young",
        case={
            "case_id": "v-plan-03",
            "patient": {"age_years": 42, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 18,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 1, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 30,
                "largest_lesion_cm": 2.5,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 30,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "stable", "months_stable": 12},
        },
        first=(("liver_transplant_milan",), MILAN + "; " + OLT_CURATIVE),
        before=(("liver_transplant_milan", "tace", OLT_CURATIVE),),
        absent=(("liver_resection", CYTOREDUCTION_TYPE_III),),
    ),
    # 4. Judged unresectable, pancreatic G2, SSTR-positive, bone deposits, progressing on SSA.
    PlanVignette(
        name="unresectable_g2_progressing_on_ssa",
        case={
            "case_id": "v-plan-04",
            "patient": {"age_years": 61, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 30,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 8, "mitoses_per_2mm2": 4, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 20,
                "largest_lesion_cm": 4.0,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 40,
                "surgical_assessment": "unresectable",
            },
            "extrahepatic": {"present": True, "sites": ["bone"], "stable": True},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        before=(
            ("prrt", "everolimus", PRRT_AFTER_SSA),
            ("prrt", "sunitinib", PRRT_AFTER_SSA),
            ("prrt", "ssa", PRRT_AFTER_SSA),
        ),
        says=(("second line after an SSA", LIVER_ORDER_DEBATED),),
        absent=(
            *(
                (r, "liver.surgical_assessment: the surgeons judge it unresectable")
                for r in RESECTIONS
            ),
            *((t, LT_NO_EXTRAHEPATIC) for t in TRANSPLANTS),
        ),
    ),
    # 5. Carcinoid syndrome, diffuse bilobar disease, ileal G1, 68 years.
    PlanVignette(
        name="carcinoid_syndrome_diffuse",
        case={
            "case_id": "v-plan-05",
            "patient": {"age_years": 68, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 20,
                "functional_syndrome": "carcinoid",
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 4},
            "liver": {
                "lesion_count": 25,
                "largest_lesion_cm": 3.5,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 35,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "stable", "months_stable": 4},
        },
        before=(("tace", "ssa", FUNCTIONAL_EARLY),),
        absent=(("liver_resection", CYTOREDUCTION_TYPE_III),),
        says=(("perioperatively", CRISIS), ("Hormonal symptoms", SSA_HORMONES)),
    ),
    # 6. Well-differentiated pancreatic NET G3, Ki-67 35 %, new diagnosis.
    PlanVignette(
        name="g3_net_new",
        case={
            "case_id": "v-plan-06",
            "patient": {"age_years": 57, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 3,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 35, "mitoses_per_2mm2": 12, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 15,
                "largest_lesion_cm": 4.0,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 30,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "new_diagnosis"},
        },
        absent=tuple((t, MILAN) for t in TRANSPLANTS[:1]),
        says=(("generally recommended", G3_CHEMO),),
    ),
    # 7. Pancreatic large-cell NEC, Ki-67 70 %, diffuse liver disease.
    PlanVignette(
        name="nec_pancreas",
        case={
            "case_id": "v-plan-07",
            "patient": {"age_years": 63, **FIT},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {
                "ki67_percent": 70,
                "mitoses_per_2mm2": 40,
                "differentiation": "poor",
                "nec_subtype": "large_cell",
            },
            "imaging": {"sstr_positive": False},
            "liver": {
                "lesion_count": 12,
                "largest_lesion_cm": 5.0,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 35,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "new_diagnosis"},
        },
        first=(("platinum_etoposide",), NEC_PLATINUM),
        absent=(
            ("prrt", PRRT_KI67_55),
            *((t, MILAN) for t in TRANSPLANTS[:1]),
        ),
    ),
    # 8. Ki-67 30 %, differentiation not stated: NET G3 or NEC.
    PlanVignette(
        name="ki67_over_20_differentiation_unknown",
        case={
            "case_id": "v-plan-08",
            "patient": {"age_years": 59, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 6,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 30},
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count": 10,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 25,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "progressing"},
        },
        absent=tuple((t, MILAN) for t in TRANSPLANTS[:1]),
    ),
    # 9. Pancreatic G2, primary in place, diffuse unresectable liver disease, progressed on SSA.
    PlanVignette(
        name="primary_in_place_before_prrt",
        case={
            "case_id": "v-plan-09",
            "patient": {"age_years": 54, **FIT},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 6, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 25,
                "largest_lesion_cm": 3.0,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 60,
                "surgical_assessment": "unresectable",
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        before=(("primary_tumor_resection", "prrt", PRIMARY_THEN_PRRT),),
        absent=tuple((r, CYTOREDUCTION_TYPE_III) for r in RESECTIONS[:2]),
    ),
    # 10. Type II, remnant 25 %, the surgeons: resectable after conversion.
    PlanVignette(
        name="resectable_after_conversion",
        case={
            "case_id": "v-plan-10",
            "patient": {"age_years": 52, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 8,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 6, "mitoses_per_2mm2": 2, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 6,
                "largest_lesion_cm": 7.0,
                "distribution": "bilobar_dominant",
                "tumor_burden_percent": 30,
                "future_liver_remnant_percent": 25,
                "surgical_assessment": "resectable_after_conversion",
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "stable", "months_stable": 6},
        },
        first=(("tace", "prrt"), DOWNSTAGING),
        before=(("tace", "staged_resection", DOWNSTAGING),),
    ),
    # 11. Whipple (bilio-enteric anastomosis), multifocal bilobar disease, progressing.
    PlanVignette(
        name="prior_whipple_multifocal",
        case={
            "case_id": "v-plan-11",
            "patient": {"age_years": 60, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 40,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 2, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 15,
                "largest_lesion_cm": 3.0,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 30,
                "surgical_assessment": "unresectable",
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": {**NO_ANATOMY, "prior_whipple": True, "biliary_enteric_anastomosis": True},
            "course": {"status": "progressing"},
        },
        absent=(
            ("tae", NO_TAE_AFTER_WHIPPLE),
            ("tace", NO_TAE_AFTER_WHIPPLE),
            ("deb_tace", NO_TAE_AFTER_WHIPPLE),
        ),
    ),
    # 12. Malignant insulinoma with hypoglycaemia not controlled, diffuse liver disease.
    PlanVignette(
        name="insulinoma_hypoglycaemia",
        case={
            "case_id": "v-plan-12",
            "patient": {"age_years": 49, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 12,
                "functional_syndrome": "insulinoma",
                "syndrome_refractory": True,
            },
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 2, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 12,
                "largest_lesion_cm": 3.0,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 25,
            },
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "stable", "months_stable": 3},
        },
        before=(("tace", "ssa", FUNCTIONAL_EARLY),),
        absent=(("liver_resection", CYTOREDUCTION_TYPE_III),),
    ),
]


def _extrahepatic(name: str, stable: bool, status: str) -> PlanVignette:
    return PlanVignette(
        name=name,
        case={
            "case_id": f"v-plan-{name}",
            "patient": {"age_years": 56, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 24,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 6, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 20,
                "largest_lesion_cm": 3.5,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 30,
                "surgical_assessment": "unresectable",
            },
            "extrahepatic": {"present": True, "sites": ["bone"], "stable": stable},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": status},
        },
        # No SSA given yet: PRRT comes after it (002 §2.3), whatever the extrahepatic course.
        before=(("ssa", "prrt", PRRT_AFTER_SSA),),
        absent=(
            *((t, LT_NO_EXTRAHEPATIC) for t in TRANSPLANTS),
            # Progressing outside the liver, the disease is no longer liver-dominant.
            *(() if stable else tuple((o, LIVER_DOMINANT) for o in ("tace", "tae", "tare"))),
        ),
        # Stable outside the liver, liver-directed treatment stays first, and the plan says
        # that some guidelines put it after an SSA or systemic therapy.
        says=(("second line after an SSA", LIVER_ORDER_DEBATED),) if stable else (),
    )


def _without_labs(v: PlanVignette) -> PlanVignette:
    """The same patient before the blood counts are back: PRRT only conditional."""
    case = {k: val for k, val in v.case.items() if k != "labs"}
    return PlanVignette(
        name=v.name + "_no_labs",
        case={**case, "case_id": case["case_id"] + "-no-labs"},
        before=v.before,
        absent=v.absent,
    )


# 13 and 14. Bone deposits besides diffuse liver disease, stable and progressing. 15. Vignette
# 4 with no labs given: PRRT still comes before the targeted drugs it may only be conditional.
VIGNETTES += [
    _extrahepatic("extrahepatic_stable", stable=True, status="stable"),
    _extrahepatic("extrahepatic_progressing", stable=False, status="progressing"),
    _without_labs(VIGNETTES[3]),
]
