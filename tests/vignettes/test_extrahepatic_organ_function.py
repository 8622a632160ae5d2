"""Board vignettes: disease outside the liver; liver, kidney and marrow function at their limits.

Each vignette is a whole patient as a tumour board presents it: extrahepatic disease absent,
regional nodes only, distant nodes, bone, lung or peritoneum, stable, progressing, suspected
(not settled) or resectable; laboratory values exactly on a limit, just either side of it,
or in SI units; ECOG, LVEF, age and the future liver remnant at their limits. Every expected
status stands beside the passage that decides it (shared/seeds/<id>_*.txt, section or table,
or a named trial whose eligibility the seeds' words are read through). Only statuses those
passages decide are checked; an uncertain option names the fields it waits on. Where the
seeds disagree the other reading must be shown as a caution.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from tests.vignettes.checks import (
    assessed,
    check_cautions,
    check_criteria,
    check_never_planned_when_ineligible,
    check_statuses,
    check_waits_on,
)


class Vignette(NamedTuple):
    name: str
    case: dict[str, Any]
    # option -> (expected status, the passage that decides it)
    statuses: dict[str, tuple[str, str]]
    # option -> fields its missing list must name (uncertain options only)
    missing: dict[str, list[str]]
    # "option.criterion" -> met | not_met | unknown
    criteria: dict[str, str]
    # option -> words of a case-specific caution that must be shown
    cautions: dict[str, str]
    # option -> words of a caution that must not be shown for this patient
    absent_cautions: dict[str, str] | None = None


FIT = {"ecog": 1, "fit_for_major_surgery": True, "carcinoid_heart_disease": False}
# Every value well inside the limits of 002 §3.3 and NETTER-1, so that one value at a time
# can be moved to its limit.
LABS_OK = {
    "bilirubin_mg_dl": 0.7,
    "albumin_g_dl": 4.1,
    "creatinine_mg_dl": 0.9,
    "egfr_ml_min": 85,
    "ldh_u_l": 180,
    "ast_u_l": 28,
    "platelets_per_ul": 240000,
    "hemoglobin_g_dl": 13.2,
    "wbc_per_ul": 6200,
}
VESSELS_OK = {
    "portal_vein_thrombosis": False,
    "biliary_enteric_anastomosis": False,
    "prior_whipple": False,
    "biliary_obstruction": False,
    "hepatic_encephalopathy": False,
    "ascites": False,
    "gi_shunting_uncorrectable": False,
}
# SSTR imaging that settles both PRRT imaging criteria, and progression on an SSA
SSTR_STRONG = {"sstr_positive": True, "sstr_uptake_vs_liver": "above_liver"}
AFTER_SSA = {
    "status": "progressing",
    "progressed_on_ssa": True,
    "prior_systemic_lines": 1,
    "prior_treatments": ["ssa"],
}

# --- passages -----------------------------------------------------------------------------
RESECT = (
    "004 §3.1: 'Patients with type I LMs without extrahepatic metastases in G1 and G2 grades"
    " are recommended to undergo radical resection'; 003 Potentially curative surgery:"
    " 'absence of distant lymph node metastasis, absence of extrahepatic metastasis, absence"
    " of diffuse peritoneal metastasis'"
)
FLR = (
    "001 Isolated surgical resection: 'resectable NELM with an adequate future liver remnant"
    " (FLR) of at least 30% are considered eligible for curative-intent resection' (30 % is in)"
)
STAGED = "001 Staged resections: 'for patients whose FLR was initially deemed insufficient'"
SIMUL = (
    "001 Simultaneous primary and NELM resection: 'primary NEN and synchronous NELM' ..."
    " 'type I or limited bilobar NELM'"
)
LIVER_DOMINANT = (
    "002 §4: 'vascular and ablative locoregional treatments are recommended exclusively for"
    " G1-G2 NETs when there are metastases primarily affecting the liver, and the extrahepatic"
    " disease remains stable'"
)
LAB_002 = (
    "002 §3.3: 'serum creatinine < 2, lactate dehydrogenase < 425 mU/mL, aspartate"
    " transaminase < 100 mL, platelet count > 100,000/mL, serum bilirubin < 2 mg/dL, and tumor"
    " burden < 50% of the liver'"
)
PERF_003 = (
    "003 Hepatic arterial embolization: 'Contraindications of TAE and TACE include portal vein"
    " occlusion, insufficient liver reserve, and poor performance status' (ECOG 4: bedbound)"
)
PRRT_001 = (
    "001 PRRT: 'lower-grade NELM and extra-hepatic metastases (grades 1 and 2) with sufficient"
    " SSTR expression ... in patients with adequate renal function and bone marrow reserves';"
    " 002 §2.3: PRRT 'only after the progression of disease while on SSAs'"
)
# The seeds give no figure for "adequate": NETTER-1 (Strosberg, N Engl J Med 2017;376:125-35)
# excluded serum creatinine > 150 µmol/L (> 1.7 mg/dL) or creatinine clearance < 50 mL/min,
# haemoglobin < 8.0 g/dL, WBC < 2000/mm³, platelets < 75 × 10³/mm³: each limit itself is in.
NETTER1 = (
    "NETTER-1 eligibility: excluded creatinine > 150 µmol/L or clearance < 50 mL/min,"
    " Hb < 8.0 g/dL, WBC < 2,000/mm³, platelets < 75 × 10³/mm³"
)
TX_T2 = (
    "001 Table 2: Milan 'Age <55 years' ... 'removal of all extra-hepatic tumor deposits prior"
    " to OLT'; ENETS 'Young patients (<55 years)' ... 'Robust exclusion of extrahepatic"
    " disease'; UNOS 'Age <55 years' ... 'No extrahepatic disease'"
)
UNOS_BILOBAR = (
    "001 Table 2 UNOS: 'No extrahepatic disease, bilobar NELM, not amenable to resection'"
)
PTR = (
    "003 Liver transplantation: 'palliative resection of the primary tumor in patients with"
    " PNETs and unresectable liver metastases'"
)

VIGNETTES: list[Vignette] = [
    # 1. Regional nodes at the primary are not extrahepatic disease: 003 excludes *distant*
    #    nodes. Synchronous pancreatic G2, one 4 cm lesion, remnant 60 %.
    Vignette(
        name="e01-pnet-regional-nodes-only-synchronous-type-i",
        case={
            "case_id": "e01",
            "patient": {"age_years": 52, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "node_positive": True,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 6, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {
                "lesion_count": 1,
                "largest_lesion_cm": 4,
                "distribution": "unilobar",
                "tumor_burden_percent": 8,
                "future_liver_remnant_percent": 60,
                "synchronous": True,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
        },
        statuses={
            "liver_resection": ("eligible", RESECT + "; " + FLR),
            "simultaneous_resection": ("eligible", SIMUL + "; " + RESECT),
            # the primary is in place: 001 Table 2 asks it removed for all three sets
            "liver_transplant_milan": ("ineligible", TX_T2 + " (primary not yet removed)"),
            "liver_transplant_unos": ("ineligible", TX_T2 + " (primary not yet removed)"),
        },
        missing={},
        criteria={
            "liver_resection.no_extrahepatic": "met",
            "simultaneous_resection.no_extrahepatic": "met",
            "liver_resection.flr": "met",
        },
        cautions={},
        absent_cautions={"liver_resection": "Extrahepatic disease judged resectable"},
    ),
    # 2. Diffuse peritoneal disease, growing; ileal G1, diffuse liver 30 %, progressed on SSA.
    Vignette(
        name="e02-ileal-g1-peritoneal-progressing-after-ssa",
        case={
            "case_id": "e02",
            "patient": {"age_years": 49, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 30,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": SSTR_STRONG,
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {"present": True, "sites": ["peritoneum"], "stable": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": AFTER_SSA,
        },
        statuses={
            "tae": ("ineligible", LIVER_DOMINANT + " (peritoneal disease progressing)"),
            "tace": ("ineligible", LIVER_DOMINANT),
            "tare": ("ineligible", LIVER_DOMINANT),
            "liver_resection": ("ineligible", RESECT),
            "liver_transplant_milan": ("ineligible", TX_T2),
            "liver_transplant_enets": ("ineligible", TX_T2),
            "liver_transplant_unos": ("ineligible", TX_T2),
            # 001 PRRT names extra-hepatic metastases among its indications
            "prrt": ("eligible", PRRT_001 + "; " + NETTER1),
        },
        missing={},
        criteria={
            "tae.liver_dominant": "not_met",
            "tare.liver_dominant": "not_met",
            "liver_transplant_enets.no_extrahepatic": "not_met",
        },
        # 003 Hepatic arterial embolization: 'Liver-directed therapies may also be proposed in
        # patients with extrahepatic metastases to control liver disease and symptoms'
        cautions={
            "tae": "003 allows liver-directed therapy with extrahepatic metastases",
            "tare": "003 allows liver-directed therapy with extrahepatic metastases",
        },
    ),
    # 3. "Suspected" bone lesion on CT, PET pending: extrahepatic disease not settled.
    #    Resected pancreatic G2, two lesions in one lobe, remnant 55 %, age 48.
    Vignette(
        name="e03-pnet-suspected-bone-lesion-pet-pending",
        case={
            "case_id": "e03",
            "patient": {"age_years": 48, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 14,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 8, "mitoses_per_2mm2": 2, "differentiation": "well"},
            "liver": {
                "lesion_count": 2,
                "largest_lesion_cm": 2.5,
                "distribution": "unilobar",
                "tumor_burden_percent": 12,
                "future_liver_remnant_percent": 55,
                "synchronous": False,
            },
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": {"status": "stable", "months_stable": 8},
        },
        statuses={
            "liver_resection": ("uncertain", RESECT),
            "tae": ("uncertain", LIVER_DOMINANT),
            "thermal_ablation": (
                "uncertain",
                LIVER_DOMINANT + "; 002 §4: 'less than three lesions measuring ≤ 3 cm'",
            ),
            "liver_transplant_enets": ("uncertain", TX_T2),
            # one lobe, remnant 55 %: resectable, so not 'not amenable to resection'
            "liver_transplant_unos": ("ineligible", UNOS_BILOBAR),
        },
        missing={
            "liver_resection": ["extrahepatic.present"],
            "tae": ["extrahepatic.present"],
            "thermal_ablation": ["extrahepatic.present"],
            "liver_transplant_enets": ["extrahepatic.present"],
        },
        criteria={
            "liver_resection.no_extrahepatic": "unknown",
            "liver_transplant_milan.no_extrahepatic": "unknown",
        },
        cautions={},
        absent_cautions={"tae": "Bone metastasis"},
    ),
    # 4. Bone metastases known, their course not stated; pancreatic G2, diffuse 40 %.
    Vignette(
        name="e04-pnet-bone-metastases-course-not-stated",
        case={
            "case_id": "e04",
            "patient": {"age_years": 66, **FIT},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 9, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 40},
            "extrahepatic": {"present": True, "sites": ["bone"]},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
        },
        statuses={
            "tae": ("uncertain", LIVER_DOMINANT),
            "tace": ("uncertain", LIVER_DOMINANT),
            "deb_tace": ("uncertain", LIVER_DOMINANT),
            "tare": ("uncertain", LIVER_DOMINANT),
            "liver_resection": ("ineligible", RESECT),
            "staged_resection": ("ineligible", RESECT),
        },
        missing={
            "tae": ["extrahepatic.stable"],
            "tace": ["extrahepatic.stable"],
            "deb_tace": ["extrahepatic.stable"],
            "tare": ["extrahepatic.stable"],
        },
        criteria={"tae.liver_dominant": "unknown", "liver_resection.no_extrahepatic": "not_met"},
        # 004 §4 (Liu 2022): 'bone metastasis [was an] independent prognostic factor for PFS';
        # 002 §3.2: 'negative prognostic factors after TACE treatment include extrahepatic disease'
        cautions={
            "tae": "Bone metastasis",
            "tace": "Extrahepatic disease is a negative prognostic factor after TACE",
        },
    ),
    # 5. A single resectable lung metastasis, stable, in an otherwise textbook transplant
    #    candidate (ileal G1, diffuse 30 %, primary out R0 a year ago, stable 12 months).
    Vignette(
        name="e05-si-net-transplant-candidate-resectable-lung-metastasis",
        case={
            "case_id": "e05",
            "patient": {"age_years": 45, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 12,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {
                "present": True,
                "sites": ["lung"],
                "resectable": True,
                "stable": True,
            },
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": {"status": "stable", "months_stable": 12},
        },
        statuses={
            # the deposit is there today: Milan asks it removed before OLT, UNOS none, ENETS
            # its robust exclusion (001 Table 2)
            "liver_transplant_milan": ("ineligible", TX_T2),
            "liver_transplant_enets": ("ineligible", TX_T2),
            "liver_transplant_unos": ("ineligible", TX_T2),
            "liver_resection": ("ineligible", RESECT + "; 004 §1: type III"),
            # stable extrahepatic disease: liver-directed therapy stays open (002 §4)
            "tae": ("eligible", LIVER_DOMINANT + "; " + LAB_002),
        },
        missing={},
        criteria={
            "liver_transplant_milan.no_extrahepatic": "not_met",
            "tae.liver_dominant": "met",
        },
        # 001 Table 2 Milan: 'removal of all extra-hepatic tumor deposits prior to OLT'
        cautions={
            "liver_transplant_milan": "Milan and UNOS ask all extrahepatic tumour deposits removed",
            "liver_resection": "Extrahepatic disease judged resectable",
        },
    ),
    # 6. Bilirubin exactly 2 mg/dL, reported as 34.2 µmol/L; pancreatic G2, bilobar
    #    dominant, 30 %, no disease outside the liver.
    Vignette(
        name="e06-pnet-bilirubin-34-umol-exactly-2-mg-dl",
        case={
            "case_id": "e06",
            "patient": {"age_years": 61, **FIT},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 5, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_dominant", "tumor_burden_percent": 30},
            "extrahepatic": {"present": False},
            "labs": {**LABS_OK, "bilirubin_mg_dl": {"value": 34.2, "unit": "µmol/L"}},
            "anatomy": VESSELS_OK,
        },
        statuses={
            # 'serum bilirubin < 2 mg/dL': 2.0 itself is outside
            "tae": ("ineligible", LAB_002),
            "tace": ("ineligible", LAB_002),
            "deb_tace": ("ineligible", LAB_002),
            "tare": ("ineligible", LAB_002 + "; 003: 'inadequate liver functional reserve'"),
        },
        missing={},
        criteria={"tae.bilirubin": "not_met", "tare.bilirubin": "not_met", "tae.creatinine": "met"},
        # 004 §3.2 reads a poor reserve as a reason for TACE, not against it: shown
        cautions={"tae": "Signs of a poor hepatic functional reserve"},
    ),
    # 7. Just inside and exactly on the 002 §3.3 limits, in SI units: bilirubin 32.5 µmol/L
    #    (1.90 mg/dL), creatinine 176 µmol/L (1.99 mg/dL), AST 99, LDH 424, platelets
    #    100 × 10⁹/L (exactly 100,000). No eGFR.
    Vignette(
        name="e07-ileal-g2-labs-on-the-002-limits-si-units",
        case={
            "case_id": "e07",
            "patient": {"age_years": 70, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": SSTR_STRONG,
            "liver": {"distribution": "bilobar_dominant", "tumor_burden_percent": 25},
            "extrahepatic": {"present": False},
            "labs": {
                "bilirubin_mg_dl": {"value": 32.5, "unit": "µmol/L"},
                "creatinine_mg_dl": {"value": 176, "unit": "µmol/L"},
                "ast_u_l": 99,
                "ldh_u_l": 424,
                "platelets_per_ul": {"value": 100, "unit": "10^9/L"},
                "hemoglobin_g_dl": 12.1,
                "wbc_per_ul": 5400,
            },
            "anatomy": VESSELS_OK,
            "course": AFTER_SSA,
        },
        statuses={
            # 'platelet count > 100,000': 100,000 itself is outside
            "tae": ("ineligible", LAB_002),
            "tace": ("ineligible", LAB_002),
            "tare": ("ineligible", LAB_002),
            # creatinine 1.99 mg/dL is above NETTER-1's 1.7; a clearance ≥ 50 mL/min could
            # still show adequate renal function: open until the eGFR is known
            "prrt": ("uncertain", PRRT_001 + "; " + NETTER1),
        },
        missing={"prrt": ["labs.egfr_ml_min"]},
        criteria={
            "tae.bilirubin": "met",
            "tae.creatinine": "met",
            "tae.ast": "met",
            "tae.ldh": "met",
            "tae.platelets": "not_met",
            "prrt.platelets": "met",
            "prrt.renal": "unknown",
        },
        cautions={},
    ),
    # 8. NETTER-1's marrow and kidney limits exactly: Hb 80 g/L, WBC 2.0 × 10⁹/L, platelets
    #    75 × 10⁹/L, eGFR 50 with creatinine 1.9 mg/dL. Ileal G2 after an SSA.
    Vignette(
        name="e08-ileal-g2-marrow-and-kidney-exactly-on-netter1-limits",
        case={
            "case_id": "e08",
            "patient": {"age_years": 74, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 7, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": SSTR_STRONG,
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 35},
            "extrahepatic": {"present": True, "sites": ["distant_nodes"], "stable": False},
            "labs": {
                **LABS_OK,
                "hemoglobin_g_dl": {"value": 80, "unit": "g/L"},
                "wbc_per_ul": {"value": 2.0, "unit": "10^9/L"},
                "platelets_per_ul": {"value": 75, "unit": "10^9/L"},
                "egfr_ml_min": 50,
                "creatinine_mg_dl": 1.9,
            },
            "anatomy": VESSELS_OK,
            "course": AFTER_SSA,
        },
        statuses={
            "prrt": ("eligible", PRRT_001 + "; " + NETTER1 + " (each limit itself is in)"),
            # platelets 75,000 fail 'platelet count > 100,000'; the nodes grow as well
            "tae": ("ineligible", LAB_002 + "; " + LIVER_DOMINANT),
        },
        missing={},
        criteria={
            "prrt.renal": "met",
            "prrt.hemoglobin": "met",
            "prrt.leukocytes": "met",
            "prrt.platelets": "met",
            "tae.creatinine": "met",
            "tae.platelets": "not_met",
        },
        cautions={},
    ),
    # 9. Just below: Hb 7.9 g/dL, eGFR 49 with creatinine 177 µmol/L (2.0 mg/dL).
    Vignette(
        name="e09-ileal-g2-marrow-and-kidney-just-below",
        case={
            "case_id": "e09",
            "patient": {"age_years": 77, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 7, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": SSTR_STRONG,
            "liver": {"distribution": "bilobar_dominant", "tumor_burden_percent": 20},
            "extrahepatic": {"present": False},
            "labs": {
                **LABS_OK,
                "hemoglobin_g_dl": 7.9,
                "egfr_ml_min": 49,
                "creatinine_mg_dl": {"value": 177, "unit": "µmol/L"},
            },
            "anatomy": VESSELS_OK,
            "course": AFTER_SSA,
        },
        statuses={
            "prrt": ("ineligible", PRRT_001 + "; " + NETTER1),
            # 177 µmol/L is 2.002 mg/dL: not 'serum creatinine < 2'
            "tae": ("ineligible", LAB_002),
            "tare": ("ineligible", LAB_002),
        },
        missing={},
        criteria={
            "prrt.renal": "not_met",
            "prrt.hemoglobin": "not_met",
            "tae.creatinine": "not_met",
            "tae.platelets": "met",
        },
        cautions={},
    ),
    # 10. Bedbound (ECOG 4) with an LVEF of 35 %: ileal G1, bilobar dominant 20 %.
    Vignette(
        name="e10-ileal-g1-ecog-4-lvef-35",
        case={
            "case_id": "e10",
            "patient": {
                "age_years": 71,
                "ecog": 4,
                "lvef_percent": 35,
                "fit_for_major_surgery": False,
                "carcinoid_heart_disease": False,
            },
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 0, "differentiation": "well"},
            "imaging": SSTR_STRONG,
            "liver": {"distribution": "bilobar_dominant", "tumor_burden_percent": 20},
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": AFTER_SSA,
        },
        statuses={
            "tae": ("ineligible", PERF_003),
            "tace": ("ineligible", PERF_003),
            "deb_tace": ("ineligible", PERF_003),
            # 001 Introduction: resection 'not indicated in patients with ... comorbidities
            # and/or frailty making surgery unsafe'
            "liver_resection": ("ineligible", "001 Introduction: frailty making surgery unsafe"),
        },
        missing={},
        criteria={"tae.performance_status": "not_met", "liver_resection.fit": "not_met"},
        # 002 §3.3: 'poor left ventricular ejection fraction if utilizing TACE with
        # doxorubicin' (35 % is reduced by any reading: ESC 2021 heart-failure guideline,
        # HFrEF ≤ 40 %); NETTER-1 enrolled Karnofsky ≥ 60 only
        cautions={
            "tace": "Left-ventricular ejection fraction < 50 %",
            "deb_tace": "Left-ventricular ejection fraction < 50 %",
            "prrt": "Performance status ECOG 3–4",
        },
    ),
    # 11. Ascites and albumin 35 g/L (3.5 g/dL exactly), bilirubin 1.2: pancreatic G2.
    Vignette(
        name="e11-pnet-ascites-albumin-35-g-l",
        case={
            "case_id": "e11",
            "patient": {"age_years": 64, **FIT},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 6, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_dominant", "tumor_burden_percent": 35},
            "extrahepatic": {"present": False},
            "labs": {
                **LABS_OK,
                "bilirubin_mg_dl": 1.2,
                "albumin_g_dl": {"value": 35, "unit": "g/L"},
            },
            "anatomy": {**VESSELS_OK, "ascites": True},
        },
        # 002 §3.3 and 003 contraindicate a 'poor liver reserve' without a figure: whether
        # ascites with a bilirubin of 1.2 is one is not settled by the seeds, so the status
        # is not checked here; the prognostic factors of 002 §3.2 must be shown.
        statuses={},
        missing={},
        criteria={"tae.bilirubin": "met"},
        # 002 §3.2: 'negative prognostic factors after TACE treatment include extrahepatic
        # disease, ascites, bilirubin ≥ 2 mg/dL, albumin ≤ 3.5 mg/dL' (3.5 itself is in)
        cautions={
            "tace": "Albumin ≤ 3.5 g/dL is a negative prognostic factor",
            "tae": "Ascites is a negative prognostic factor",
            # 003: SIRT 'is contraindicated in cases of ... inadequate liver functional
            # reserve', with no sign named: the board must weigh the ascites here too
            "tare": "judge whether the ascites reflects a poor reserve",
        },
        absent_cautions={"tace": "Extrahepatic disease is a negative prognostic factor"},
    ),
    # 12. Age exactly 55 in an otherwise complete transplant candidate.
    Vignette(
        name="e12-si-net-transplant-candidate-age-55",
        case={
            "case_id": "e12",
            "patient": {"age_years": 55, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 18,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 3, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 40},
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "course": {"status": "stable", "months_stable": 9},
        },
        statuses={
            # 'Age <55 years' in all three sets: 55 is outside
            "liver_transplant_milan": ("ineligible", TX_T2),
            "liver_transplant_enets": ("ineligible", TX_T2),
            "liver_transplant_unos": ("ineligible", TX_T2),
        },
        missing={},
        criteria={
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.no_extrahepatic": "met",
            "liver_transplant_milan.involvement": "met",
        },
        # 004 §3.1 restates Milan with 'age <60 years'
        cautions={"liver_transplant_milan": "004 states the Milan age limit as < 60"},
        absent_cautions={"liver_transplant_milan": "Age 50–54"},
    ),
    # 13. Age 54: inside every set's limit; 003's best candidates are under 50.
    Vignette(
        name="e13-si-net-transplant-candidate-age-54",
        case={
            "case_id": "e13",
            "patient": {"age_years": 54, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 18,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 3, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 40},
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "course": {"status": "stable", "months_stable": 9},
        },
        statuses={
            "liver_transplant_milan": ("eligible", TX_T2),
            "liver_transplant_enets": ("eligible", TX_T2),
            "liver_transplant_unos": ("eligible", TX_T2 + "; " + UNOS_BILOBAR),
        },
        missing={},
        criteria={"liver_transplant_unos.age": "met", "liver_transplant_enets.bilirubin": "met"},
        # 003 Liver transplantation: 'The best candidates ... young patients (< 50 years old)'
        cautions={"liver_transplant_enets": "Age 50–54"},
        absent_cautions={"liver_transplant_milan": "004 states the Milan age limit as < 60"},
    ),
    # 14. Future liver remnant exactly 30 %: pancreatic G2, two lesions in one lobe.
    Vignette(
        name="e14-pnet-unilobar-remnant-exactly-30",
        case={
            "case_id": "e14",
            "patient": {"age_years": 58, **FIT},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {
                "lesion_count": 2,
                "distribution": "unilobar",
                "tumor_burden_percent": 25,
                "future_liver_remnant_percent": 30,
                "synchronous": False,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
        },
        statuses={
            "liver_resection": ("eligible", RESECT + "; " + FLR),
            # a remnant of 30 % is not insufficient and one lobe needs no two stages
            "staged_resection": ("ineligible", STAGED),
        },
        missing={},
        criteria={"liver_resection.flr": "met", "staged_resection.needs_staging": "not_met"},
        cautions={},
    ),
    # 15. Remnant 29 %: the same liver one point short.
    Vignette(
        name="e15-pnet-unilobar-remnant-29",
        case={
            "case_id": "e15",
            "patient": {"age_years": 58, **FIT},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {
                "lesion_count": 2,
                "distribution": "unilobar",
                "tumor_burden_percent": 25,
                "future_liver_remnant_percent": 29,
                "synchronous": False,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
        },
        statuses={
            "staged_resection": ("eligible", STAGED + "; " + RESECT),
            "primary_tumor_resection": ("ineligible", PTR + " (primary already removed)"),
        },
        missing={},
        criteria={"liver_resection.flr": "not_met", "staged_resection.needs_staging": "met"},
        cautions={},
    ),
]


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_each_status_follows_its_passage(v: Vignette) -> None:
    check_statuses(assessed(v.case), v.statuses)


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_the_status_rests_on_the_criterion_named(v: Vignette) -> None:
    check_criteria(assessed(v.case), v.criteria)


@pytest.mark.parametrize(
    "v", [v for v in VIGNETTES if v.missing], ids=[v.name for v in VIGNETTES if v.missing]
)
def test_an_uncertain_option_names_the_fields_that_decide_it(v: Vignette) -> None:
    for option in v.missing:
        assert v.statuses[option][0] == "uncertain", option
    check_waits_on(assessed(v.case), v.missing)


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_the_cautions_the_seeds_call_for_are_shown_and_no_others(v: Vignette) -> None:
    check_cautions(assessed(v.case), v.cautions, v.absent_cautions)


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_an_ineligible_option_is_never_planned(v: Vignette) -> None:
    check_never_planned_when_ineligible(assessed(v.case), v.statuses)


def test_the_vignettes_cover_each_status_and_each_extrahepatic_state() -> None:
    # so that the table cannot pass by expecting one status or one kind of patient throughout
    statuses = {s for v in VIGNETTES for s, _ in v.statuses.values()}
    assert statuses == {"eligible", "ineligible", "uncertain"}
    states = {
        (
            v.case.get("extrahepatic", {}).get("present"),
            v.case.get("extrahepatic", {}).get("stable"),
        )
        for v in VIGNETTES
    }
    assert {(False, None), (True, False), (True, True), (True, None), (None, None)} <= states
    assert 12 <= len(VIGNETTES) <= 15
