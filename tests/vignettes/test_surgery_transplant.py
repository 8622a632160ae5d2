"""Tumour-board vignettes for the surgical and transplant options, read against the seeds.

Each vignette is a whole patient as a board presents it, most of them thin or messy. Every
expected status stands beside the seed passage that decides it (shared/seeds/<id>_*.txt,
section or table); only statuses the seeds decide are checked. An "uncertain" expectation
names the fields it waits on, and the test checks that the option's ``missing`` lists them.
Cautions are checked where the seeds disagree and nelm must show the other reading.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from tests.vignettes.checks import (
    assessed,
    check_cautions,
    check_criteria,
    check_derived,
    check_never_planned_when_ineligible,
    check_statuses,
    check_waits_on,
)


class Vignette(NamedTuple):
    name: str
    case: dict[str, Any]
    # option -> (expected status, the seed passage that decides it)
    statuses: dict[str, tuple[str, str]]
    # option -> fields its missing list must name (uncertain options only)
    missing: dict[str, list[str]]
    # "option.criterion" -> met | not_met | unknown
    criteria: dict[str, str]
    # option -> words of a case-specific caution that must be shown
    cautions: dict[str, str]
    # classification key -> value
    derived: dict[str, Any]
    # options that must be in the plan's first step (empty: not checked)
    first_step: tuple[str, ...] = ()
    # option -> words of a caution that must not be shown for this patient
    absent_cautions: dict[str, str] | None = None


FIT = {"fit_for_major_surgery": True, "carcinoid_heart_disease": False}

# 001 = 001 Surgical treatment options; Table 2 = 001 Table 2 (OLT selection criteria)
RESECT_004 = (
    "004 §3.1: 'type I LMs without extrahepatic metastases in G1 and G2 grades ..."
    " radical resection'"
)
FLR_001 = "001 Isolated surgical resection: 'resectable NELM with an adequate FLR of at least 30%'"
EXTRA_003 = "003 Potentially curative surgery: 'absence of extrahepatic metastasis'"
HEART_003 = "003 Potentially curative surgery: 'absence of right cardiac dysfunction'"
STAGED_001 = "001 Staged resections: 'patients whose FLR was initially deemed insufficient'"
SIMUL_001 = "001 Simultaneous resection: synchronous primary, 'type I or limited bilobar NELM'"
TYPE3_004 = "004 §3.1: 'type III and partial type II ... who cannot undergo radical resection'"
CYTO_001 = (
    "001 Debulking surgery: 'uncontrollable functional NENs or ... non-functional NENs and"
    " stable disease for an interval of 6 months, with symptomatology attributed to tumor"
    " burden'; 003 Cytoreductive surgery: 'symptoms not controllable with medical or hormonal"
    " treatment'"
)
CYTO_75_003 = (
    "003 Cytoreductive surgery: 'If > 75% of the liver parenchyma is involved ... surgical"
    " treatment should be avoided'"
)
PTR_003 = (
    "003 Liver transplantation: 'palliative resection of the primary tumor in patients with"
    " PNETs and unresectable liver metastases'"
)
MILAN_T2 = (
    "001 Table 2 Milan: age <55, G1/G2, portal drainage, primary removed with curative"
    " resection, <50%, stable ≥6 months"
)
ENETS_T2 = (
    "001 Table 2 ENETS: <55, G1/G2 Ki67 ≤10%, <50% (or <75% refractory), primary removed"
    " ≥6 months, stable ≥6 months, no extrahepatic, low bilirubin"
)
UNOS_T2 = (
    "001 Table 2 UNOS: <55, portal drainage, <50%, resected primary, stable ≥6 months, no"
    " extrahepatic, bilobar not amenable to resection"
)

VIGNETTES: list[Vignette] = [
    Vignette(
        name="v01-complete-resectable-unilobar-pnet",
        case={
            "case_id": "v01",
            "patient": {"age_years": 62, "ecog": 0, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 14,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 8, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {
                "lesion_count": 3,
                "distribution": "unilobar",
                "tumor_burden_percent": 15,
                "future_liver_remnant_percent": 45,
                "synchronous": False,
                "burden_symptoms": False,
            },
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": 0.6},
            "course": {"status": "stable", "months_stable": 10},
        },
        statuses={
            "liver_resection": ("eligible", RESECT_004 + "; " + FLR_001),
            "staged_resection": ("ineligible", STAGED_001 + " (FLR 45 %, one lobe)"),
            "simultaneous_resection": ("ineligible", SIMUL_001 + " (primary already removed)"),
            "primary_tumor_resection": ("ineligible", PTR_003 + " (primary already removed)"),
            "cytoreductive_surgery": (
                "ineligible",
                CYTO_001 + " (non-functional, no burden symptoms)",
            ),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (age 62)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (age 62)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (age 62)"),
        },
        missing={},
        criteria={"liver_transplant_milan.age": "not_met", "liver_resection.flr": "met"},
        # 004 §3.1 proposes cytoreduction for unresectable type II/III without symptoms
        cautions={"cytoreductive_surgery": "004 proposes cytoreductive surgery more widely"},
        derived={"grade": "G2", "liver_type": "I", "portal_drainage": True},
        first_step=("liver_resection",),
        # the primary is out: neither the in-situ caution nor the Whipple one applies
        absent_cautions={
            "staged_resection": "The primary is still in place",
            "primary_tumor_resection": "pancreaticoduodenectomy",
        },
    ),
    Vignette(
        name="v02-young-resected-si-net-diffuse-stable",
        case={
            "case_id": "v02",
            "patient": {"age_years": 44, "ecog": 0, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 24,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 35,
                "synchronous": False,
            },
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": 0.8},
            "course": {"status": "stable", "months_stable": 12},
        },
        statuses={
            "liver_transplant_milan": ("eligible", MILAN_T2),
            "liver_transplant_enets": ("eligible", ENETS_T2),
            "liver_transplant_unos": ("eligible", UNOS_T2 + " (diffuse: not amenable)"),
            "liver_resection": ("ineligible", TYPE3_004),
            "staged_resection": ("ineligible", TYPE3_004),
            "simultaneous_resection": ("ineligible", SIMUL_001 + " (primary removed, diffuse)"),
            "primary_tumor_resection": ("ineligible", PTR_003 + " (primary already removed)"),
            # controlled syndrome, stable 12 months: the burden symptoms decide (001 Debulking)
            "cytoreductive_surgery": ("uncertain", CYTO_001),
        },
        missing={"cytoreductive_surgery": ["liver.burden_symptoms"]},
        criteria={"liver_transplant_unos.bilobar_unresectable": "met"},
        # 002 §3.3 / ENETS, NANETS: octreotide prophylaxis for carcinoid syndrome
        cautions={"liver_transplant_milan": "carcinoid crisis"},
        derived={"grade": "G2", "liver_type": "III", "portal_drainage": True},
    ),
    Vignette(
        name="v03-thin-g2-no-ki67-multiple-bilobar-synchronous",
        case={
            "case_id": "v03",
            "patient": {"age_years": 58},
            "primary": {"site": "pancreas", "resected": False},
            "pathology": {"reported_grade": "G2"},
            "liver": {"bilobar": True, "synchronous": True},
            "extrahepatic": {"present": False},
        },
        statuses={
            # bilobar without a pattern: dominant (type II, resectable if limited) or diffuse
            "liver_resection": ("uncertain", RESECT_004 + "; 004 §1 types"),
            "simultaneous_resection": ("uncertain", SIMUL_001),
            "primary_tumor_resection": ("uncertain", PTR_003),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (age 58, primary in place)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (age 58)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (age 58)"),
        },
        missing={
            "liver_resection": ["patient.fit_for_major_surgery", "patient.carcinoid_heart_disease"],
            "simultaneous_resection": ["patient.fit_for_major_surgery"],
            "primary_tumor_resection": ["patient.fit_for_major_surgery"],
        },
        criteria={
            "simultaneous_resection.primary_in_situ": "met",
            "simultaneous_resection.synchronous": "met",
        },
        cautions={
            # 004 §3.1 restates Milan as age < 60 and a resectable primary: the other reading
            "liver_transplant_milan": "004 states the Milan age limit as < 60",
            # 001 Staged resections: the primary went with the first stage in 87 %
            "staged_resection": "The primary is still in place",
        },
        derived={"grade": "G2", "portal_drainage": True},
    ),
    Vignette(
        name="v04-progressing-on-ssa-diffuse-refractory-carcinoid-bone",
        case={
            "case_id": "v04",
            "patient": {"age_years": 66, "ecog": 1, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": False,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 60},
            "extrahepatic": {"present": True, "sites": ["bone"], "resectable": False},
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        statuses={
            "liver_resection": ("ineligible", RESECT_004 + "; " + EXTRA_003),
            "staged_resection": ("ineligible", EXTRA_003),
            "simultaneous_resection": ("ineligible", EXTRA_003),
            # refractory functional syndrome, 60 % ≤ 75 %
            "cytoreductive_surgery": ("eligible", CYTO_001 + "; " + CYTO_75_003),
            "primary_tumor_resection": ("eligible", PTR_003 + "; 000 §2.1"),
            "liver_transplant_milan": ("ineligible", MILAN_T2),
            "liver_transplant_enets": ("ineligible", ENETS_T2),
            "liver_transplant_unos": ("ineligible", UNOS_T2),
        },
        missing={},
        criteria={
            "cytoreductive_surgery.indication": "met",
            "primary_tumor_resection.liver_unresectable": "met",
        },
        cautions={"cytoreductive_surgery": "extrahepatic extent of disease"},
        derived={"grade": "G1", "liver_type": "III"},
    ),
    Vignette(
        name="v05-prior-whipple-metachronous-unilobar-progressing",
        case={
            "case_id": "v05",
            "patient": {"age_years": 52, "ecog": 0, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 30,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 12, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "liver": {
                "lesion_count": 2,
                "distribution": "unilobar",
                "tumor_burden_percent": 5,
                "future_liver_remnant_percent": 55,
                "synchronous": False,
                "burden_symptoms": False,
            },
            "extrahepatic": {"present": False},
            "anatomy": {"prior_whipple": True, "biliary_enteric_anastomosis": True},
            "labs": {"bilirubin_mg_dl": 0.5},
            "course": {"status": "progressing", "months_stable": 0},
        },
        statuses={
            "liver_resection": ("eligible", RESECT_004 + "; " + FLR_001),
            "staged_resection": ("ineligible", STAGED_001 + " (FLR 55 %)"),
            "simultaneous_resection": ("ineligible", SIMUL_001 + " (primary removed)"),
            "primary_tumor_resection": ("ineligible", PTR_003 + " (primary removed)"),
            "cytoreductive_surgery": ("ineligible", CYTO_001),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (progressing)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (Ki-67 12 %, progressing)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (progressing, type I)"),
        },
        missing={},
        criteria={
            "liver_transplant_enets.ki67": "not_met",
            "liver_transplant_milan.stable": "not_met",
        },
        # 004 §3.1 restates Milan with Ki-67 < 10 %
        cautions={"liver_transplant_milan": "Ki-67 ≥ 10 %"},
        derived={"grade": "G2", "liver_type": "I"},
        first_step=("liver_resection",),
    ),
    Vignette(
        name="v06-insulinoma-synchronous-single-lesion-surgeons-resectable",
        case={
            "case_id": "v06",
            "patient": {"age_years": 45, "ecog": 0, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "insulinoma",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 1, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {
                "lesion_count": 1,
                "distribution": "unilobar",
                "synchronous": True,
                "surgical_assessment": "resectable",
            },
            "extrahepatic": {"present": False},
        },
        statuses={
            "liver_resection": ("eligible", RESECT_004),
            "simultaneous_resection": ("eligible", SIMUL_001),
            "staged_resection": ("ineligible", STAGED_001 + " (resectable in one stage)"),
            "primary_tumor_resection": ("ineligible", PTR_003 + " (liver resectable)"),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (primary in place)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (primary in place)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (primary in place, type I)"),
        },
        missing={},
        criteria={"liver_transplant_milan.primary_removed": "not_met"},
        cautions={
            # curative intent needs the primary out too (003 Potentially curative surgery)
            "liver_resection": "The primary is still in place",
            # 004 §3.1 restates Milan with a "resectable primary tumor"
            "liver_transplant_milan": "004 restates the Milan criteria with a resectable primary",
        },
        derived={"grade": "G1", "liver_type": "I"},
    ),
    Vignette(
        name="v07-g3-net-unilobar-surgeons-resectable",
        case={
            "case_id": "v07",
            "patient": {"age_years": 50, "ecog": 0, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 12,
            },
            "pathology": {"ki67_percent": 30, "differentiation": "well"},
            "liver": {"distribution": "unilobar", "surgical_assessment": "resectable"},
            "extrahepatic": {"present": False},
        },
        statuses={
            # 004 §3.1: G1/G2 recommended, but "still controversy" for G3 (ENETS against,
            # ESMO not, NANETS would consider a radical resection): the board's to weigh
            "liver_resection": ("uncertain", RESECT_004 + "; G3 relative"),
            "staged_resection": (
                "ineligible",
                "001 Staged: 'G3 NENs as a contraindication for performing ALPPS'",
            ),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (G3)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (G3)"),
            "liver_transplant_unos": ("ineligible", "000 §2.2: 'low grade (G1/G2) tumor'"),
        },
        missing={},
        criteria={"liver_resection.grade": "met", "liver_resection.g1_g2": "unknown"},
        # the staged resection keeps its G1/G2 rule (ALPPS) and shows the disagreement
        cautions={"staged_resection": "ESMO"},
        derived={"grade": "G3", "liver_type": "I"},
    ),
    Vignette(
        name="v08-unknown-primary-bilobar-dominant-flr-25",
        case={
            "case_id": "v08",
            "patient": {"age_years": 48, "ecog": 0, **FIT},
            "primary": {"site": "unknown_primary", "resected": False},
            "pathology": {"ki67_percent": 5, "mitoses_per_2mm2": 2, "differentiation": "well"},
            "liver": {
                "distribution": "bilobar_dominant",
                "future_liver_remnant_percent": 25,
                "tumor_burden_percent": 30,
            },
            "extrahepatic": {"present": False},
            "course": {"status": "stable", "months_stable": 8},
        },
        statuses={
            "liver_resection": ("ineligible", FLR_001 + " (FLR 25 %)"),
            "staged_resection": ("eligible", STAGED_001),
            "simultaneous_resection": ("ineligible", SIMUL_001 + " (primary not found)"),
            "primary_tumor_resection": ("ineligible", "000 §2.1 (no primary to remove)"),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (primary not removed)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (primary not removed)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (primary not resected)"),
        },
        missing={},
        criteria={"liver_resection.flr": "not_met", "staged_resection.needs_staging": "met"},
        # 003 Potentially curative surgery: "Concurrent or staged resection of the primary
        # lesion and liver metastases": a staged resection too needs the primary found
        cautions={
            "liver_resection": "The primary has not been found",
            "staged_resection": "The primary has not been found",
        },
        absent_cautions={"staged_resection": "The primary is still in place"},
        derived={"grade": "G2", "liver_type": "II", "portal_drainage": False},
    ),
    Vignette(
        name="v09-carcinoid-heart-disease-resectable-si-net",
        case={
            "case_id": "v09",
            "patient": {
                "age_years": 60,
                "ecog": 1,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": True,
            },
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 18,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 3, "differentiation": "well"},
            "liver": {
                "lesion_count": 2,
                "distribution": "unilobar",
                "future_liver_remnant_percent": 60,
            },
            "extrahepatic": {"present": False},
        },
        statuses={
            "liver_resection": ("ineligible", HEART_003),
            "staged_resection": ("ineligible", HEART_003),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (age 60)"),
        },
        missing={},
        criteria={
            "liver_resection.no_right_heart_dysfunction": "not_met",
            "liver_resection.flr": "met",
        },
        cautions={"liver_resection": "carcinoid crisis"},
        # Ki-67 3 % without a mitotic count: "The higher index is used to classify grade if
        # there is a discrepancy" (000 §1), so the count could still raise it to G3
        derived={"grade": None, "grade_possible": ["G2", "G3"], "liver_type": "I"},
    ),
    Vignette(
        name="v10-young-rectal-net-diffuse-stable",
        case={
            "case_id": "v10",
            "patient": {"age_years": 40, "ecog": 0, **FIT},
            "primary": {
                "site": "rectum",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 36,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 40},
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": 0.6},
            "course": {"status": "stable", "months_stable": 18},
        },
        statuses={
            # "Primary tumor drained by the portal system (... from distal stomach to
            # sigmoid colon)"
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (rectum: not portal)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (rectum: not portal)"),
            # the ENETS list names no portal drainage, but 000 §2.2 reserves
            # transplantation for "primary tumors that drain via the portal system":
            # relative on ENETS, for the board to weigh
            "liver_transplant_enets": ("uncertain", ENETS_T2 + "; 000 §2.2 (relative)"),
            "liver_resection": ("ineligible", TYPE3_004),
        },
        missing={},
        criteria={"liver_transplant_milan.portal_drainage": "not_met"},
        cautions={},
        derived={"grade": "G1", "liver_type": "III", "portal_drainage": False},
    ),
    Vignette(
        name="v11-ki67-10-burden-50-stable-4-months",
        case={
            "case_id": "v11",
            "patient": {"age_years": 53, "ecog": 0, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 8,
                "functional_syndrome": "none",
            },
            "pathology": {"ki67_percent": 10, "mitoses_per_2mm2": 4, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 50},
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": 1.0},
            "course": {"status": "stable", "months_stable": 4},
        },
        statuses={
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (50 % is not < 50 %; 4 months)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (stable 4 months)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (stable 4 months)"),
            # non-functional, stable < 6 months (001 Debulking)
            "cytoreductive_surgery": ("ineligible", CYTO_001),
            "primary_tumor_resection": ("ineligible", PTR_003 + " (primary removed)"),
        },
        missing={},
        criteria={
            "liver_transplant_enets.ki67": "met",
            "liver_transplant_milan.involvement": "not_met",
            "liver_transplant_enets.stable": "not_met",
        },
        cautions={
            # 000 §2.2 writes ≤ 50 %; 004 §3.1 writes Milan's Ki-67 as < 10 %
            "liver_transplant_milan": "000 writes the transplant limit as ≤ 50 %",
        },
        derived={"grade": "G2", "liver_type": "III"},
    ),
    Vignette(
        name="v12-messy-months-stable-margin-bilirubin-missing",
        case={
            "case_id": "v12",
            "patient": {"age_years": 35, "ecog": 0, **FIT},
            "primary": {"site": "colon", "resected": True, "months_since_primary_resection": 10},
            "pathology": {"ki67_percent": 1, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 20},
            "extrahepatic": {"present": False},
            "course": {"status": "stable"},
        },
        statuses={
            "liver_transplant_milan": ("uncertain", MILAN_T2),
            "liver_transplant_enets": ("uncertain", ENETS_T2),
            "liver_transplant_unos": ("uncertain", UNOS_T2),
            "liver_resection": ("ineligible", TYPE3_004),
        },
        missing={
            "liver_transplant_milan": ["course.months_stable", "primary.resection_margin"],
            "liver_transplant_enets": ["course.months_stable", "labs.bilirubin_mg_dl"],
            "liver_transplant_unos": ["course.months_stable"],
        },
        criteria={"liver_transplant_unos.primary_removed": "met"},
        cautions={},
        derived={"grade": "G1", "liver_type": "III", "portal_drainage": True},
    ),
    Vignette(
        name="v13-synchronous-type-ii-stable-distant-nodes",
        case={
            "case_id": "v13",
            "patient": {"age_years": 57, "ecog": 0, **FIT},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 6, "differentiation": "well"},
            "liver": {
                "distribution": "bilobar_dominant",
                "future_liver_remnant_percent": 35,
                "synchronous": True,
            },
            "extrahepatic": {"present": True, "sites": ["distant_nodes"], "stable": True},
        },
        statuses={
            # "absence of distant lymph node metastasis, absence of extrahepatic metastasis"
            "liver_resection": ("ineligible", EXTRA_003),
            "staged_resection": ("ineligible", EXTRA_003),
            "simultaneous_resection": ("ineligible", EXTRA_003),
            "primary_tumor_resection": ("eligible", PTR_003),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (extrahepatic)"),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (extrahepatic)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (extrahepatic)"),
        },
        missing={},
        criteria={
            "liver_resection.no_extrahepatic": "not_met",
            "primary_tumor_resection.liver_unresectable": "met",
        },
        # 003 Hepatic arterial embolization: "In patients with previous
        # pancreaticoduodenectomy, transarterial therapies are generally contraindicated"
        cautions={"primary_tumor_resection": "pancreaticoduodenectomy"},
        # Ki-67 6 % alone: G2 or G3 until the mitotic count is known (000 §1)
        derived={"grade": None, "grade_possible": ["G2", "G3"], "liver_type": "II"},
    ),
    Vignette(
        name="v14-refractory-vipoma-burden-80",
        case={
            "case_id": "v14",
            "patient": {"age_years": 50, "ecog": 1, **FIT},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "vipoma",
                "syndrome_refractory": True,
            },
            "pathology": {"ki67_percent": 5, "mitoses_per_2mm2": 2, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 80},
            "extrahepatic": {"present": False},
        },
        statuses={
            "cytoreductive_surgery": ("ineligible", CYTO_75_003),
            "primary_tumor_resection": ("eligible", PTR_003),
            "liver_transplant_enets": ("ineligible", ENETS_T2 + " (80 % ≥ 75 %)"),
            "liver_transplant_milan": ("ineligible", MILAN_T2),
            "liver_resection": ("ineligible", TYPE3_004),
        },
        missing={},
        criteria={
            "cytoreductive_surgery.indication": "met",
            "cytoreductive_surgery.involvement": "not_met",
        },
        cautions={},
        derived={"grade": "G2", "liver_type": "III"},
    ),
    Vignette(
        name="v15-refractory-carcinoid-burden-60-young",
        case={
            "case_id": "v15",
            "patient": {"age_years": 45, "ecog": 0, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 12,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 60},
            "extrahepatic": {"present": False},
            "labs": {"bilirubin_mg_dl": 0.9},
            "course": {"status": "stable", "months_stable": 9},
        },
        statuses={
            # "<75% in cases with refractory hormonal symptoms" is ENETS only
            "liver_transplant_enets": ("eligible", ENETS_T2),
            "liver_transplant_milan": ("ineligible", MILAN_T2 + " (60 %)"),
            "liver_transplant_unos": ("ineligible", UNOS_T2 + " (60 %)"),
            "cytoreductive_surgery": ("eligible", CYTO_001 + "; " + CYTO_75_003),
        },
        missing={},
        criteria={
            "liver_transplant_enets.involvement": "met",
            "liver_transplant_milan.involvement": "not_met",
        },
        cautions={},
        derived={"grade": "G1", "liver_type": "III", "portal_drainage": True},
    ),
]


@pytest.mark.parametrize("v", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_vignette_statuses_follow_the_seeds(v: Vignette) -> None:
    doc = assessed(v.case)
    check_statuses(doc, v.statuses)
    for option in v.missing:
        assert v.statuses[option][0] == "uncertain", option
    check_waits_on(doc, v.missing)
    check_criteria(doc, v.criteria)
    check_cautions(doc, v.cautions, v.absent_cautions)
    check_derived(doc, v.derived)
    if v.first_step:
        assert set(v.first_step) <= set(doc["plan"][0]["options"]), doc["plan"][0]
    check_never_planned_when_ineligible(doc, v.statuses)
