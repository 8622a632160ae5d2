"""Board vignettes: functional tumours, carcinoid heart disease and high grade.

Read by ``test_functional_high_grade.py``. Each vignette is a patient as a tumour board
presents it, most of them thin or messy; beside each expectation stands the seed passage that
decides it. Only what the seeds decide is expected: where they are silent or disagree, the
vignette expects nothing (or only the caution that shows the other reading). A Ki-67 given
without a mitotic count leaves the grade open (000 §1: "The higher index is used to classify
grade if there is a discrepancy between the mitotic and Ki67 indices").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Vignette:
    name: str
    case: dict[str, Any]
    # option -> (status, the passage that decides it)
    statuses: dict[str, tuple[str, str]]
    # option -> the fields an "uncertain" waits on (each must be in the option's missing)
    waits_on: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "option.criterion" -> met | not_met | unknown
    criteria: dict[str, str] = field(default_factory=dict)
    # classification key -> expected value
    derived: dict[str, Any] = field(default_factory=dict)
    # option -> words of a case-specific caution that must be shown
    cautions: dict[str, str] = field(default_factory=dict)


YES, NO, OPEN = "eligible", "ineligible", "uncertain"
# Streptozocin beyond G1/G2: 003 shows its efficacy "in treating G1/G2 PNENs", 004 §3.4 names
# it among the drugs "mainly indicated for NETs with high proliferative index": neither rules
# a G3 NET out, so the board weighs it (a relative criterion: uncertain, not ineligible).
STZ_G3 = (
    '003 Medical therapy: "in treating G1/G2 PNENs"; 004 §3.4: "mainly indicated for NETs '
    'with high proliferative index"'
)

# Passages (seed file, section), quoted as printed.
GRADE_000 = (
    '000 §1: G1 "mitotic index < 2 or a Ki67 index < 3", G2 "between 2 and 20 or ... 3 to 20", '
    'G3 "mitotic index or Ki67 index > 20"; "The higher index is used to classify grade"'
)
NEC_000 = (
    '000 §1: "Neuroendocrine carcinomas (NEC) are poorly differentiated neoplasms of high grade"'
)
SSA_004 = (
    '004 §3.3: SSA "applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR positivity"'
)
SSA_003 = (
    '003 Medical therapy: SSAs "are effective in controlling hormonal secretion and tumor growth"'
)
IFN_003 = (
    '003 Medical therapy: "Alpha-interferon may be associated with somatostatin analogs for '
    'palliation or hormonal symptoms"'
)
CRISIS_002 = (
    '002 §3.3: "Periprocedural carcinoid crisis is also a potentially lethal complication of '
    "interventions directed at NETs ... guidelines such as ENET and NANETs generally recommend "
    'the use of perioperative octreotide prophylactically"'
)
LVEF_002 = (
    '002 §3.3: contraindications of TAE/TACE include "poor left ventricular ejection fraction '
    'if utilizing TACE with doxorubicin"'
)
HEART_003 = (
    '003 Potentially curative surgery: "Criteria helping to select patients for surgery include '
    '... absence of right cardiac dysfunction"'
)
CYTO = (
    '003 Cytoreductive surgery: "indicated in patients with symptoms not controllable with '
    'medical or hormonal treatment"; 001 Debulking surgery: "uncontrollable functional NENs"'
)
CYTO_75 = (
    '003 Cytoreductive surgery: "If > 75% of the liver parenchyma is involved, prognosis is '
    'considered unfavorable and surgical treatment should be avoided"'
)
RESECT_004 = (
    '004 §3.1: "Patients with type I LMs without extrahepatic metastases in G1 and G2 grades '
    'are recommended to undergo radical resection"'
)
# 004 §3.1 on G3: "there is still controversy regarding patients with G3 (Ki-67 >20%) liver
# metastases. Contrary to the ENETS, the ... (ESMO) guidelines do not recommend G3 with LMs as
# a contraindication to surgery" -- the G1/G2 rule is relative for a G3 NET (the board's to
# weigh), while a NEC stays outside curative resection (NO_CURE_NEC_001).
RESECT_G3_004 = (
    '004 §3.1: "there is still controversy regarding patients with G3 (Ki-67 >20%) liver '
    'metastases"; ESMO does not hold G3 a contraindication to surgery'
)
NO_CURE_NEC_001 = (
    '001 Introduction: "surgical resection with curative intent is not indicated in patients '
    'with poorly differentiated tumors"'
)
PLAT_003 = (
    '003 Medical therapy: "For high-grade tumors with poor differentiation, platinum-based '
    'regimes are preferred"'
)
PLAT_004 = (
    '004 §3.4: etoposide and platinum "mainly indicated for NETs with high proliferative '
    "index\"; 003's poor differentiation is relative (platinum_etoposide.nec)"
)
PRRT_55 = '000 §4: "PRRT may also be used in a subset of patients with G3 tumors (Ki67 < 55%)"'
PRRT_WD = "000 §4 / NETTER-1, NETTER-2: PRRT for well-differentiated NET (G1–G3), not NEC"
NEC_SURGERY = (
    '004 §3.1: "surgery may be part of comprehensive therapy for NEC patients with localized '
    'lesions, though strict patient selection criteria are required"; 000 §1: surgery for NEC '
    '"shown to improve median overall survival"; against 001 Introduction (NO_CURE_NEC_001)'
)
G3_CHEMO_002 = '002 §3: "For G3 NET, systematic chemotherapy is generally recommended"'
CAPTEM_004 = (
    '004 §3.4: temozolomide ... "mainly indicated for NETs with high proliferative index"; '
    '003: CAPTEM in "metastatic, well-differentiated PNETs"'
)
G12_TARGETED = (
    "004 §3.4: everolimus (RADIANT-3/-4) and surufatinib in well-differentiated G1/G2 NET; "
    '003 Targeted therapies: sunitinib in "well-differentiated" pNET'
)
SURU_NF = (
    '004 §3.4: surufatinib "progressive non-functional and well-differentiated (G1, G2 grade)"'
)
EVE_NF = '004 §3.4: RADIANT-4 "non-functional pulmonary and gastrointestinal (GI) NETs"'
MILAN_T2 = (
    '001 Table 2 Milan: "Confirmed histology of low-grade neuroendocrine tumors (G1/G2)", '
    "age < 55, < 50 % involvement"
)
ENETS_T2 = (
    '001 Table 2 ENETS: "Involvement of <50% hepatic parenchyma or <75% in cases with '
    'refractory hormonal symptoms"; "Well-differentiated NEN (G1/G2) with Ki67 ≤ 10%"'
)
TAE_GRADE_002 = (
    '002 §3: "locoregional therapies are employed for G1/G2 NELM ... or for hormonal symptom '
    'relief"'
)

FIT = {"ecog": 1, "fit_for_major_surgery": True}
LABS = {
    "bilirubin_mg_dl": 0.7,
    "albumin_g_dl": 4.0,
    "creatinine_mg_dl": 0.9,
    "egfr_ml_min": 85,
    "ldh_u_l": 210,
    "ast_u_l": 30,
    "platelets_per_ul": 240000,
    "hemoglobin_g_dl": 12.8,
    "wbc_per_ul": 6200,
}
NO_ANATOMY = {
    "portal_vein_thrombosis": False,
    "biliary_enteric_anastomosis": False,
    "prior_whipple": False,
    "biliary_obstruction": False,
    "ascites": False,
    "hepatic_encephalopathy": False,
}

VIGNETTES: list[Vignette] = [
    # 1. "Ileal NET G2, flushing and diarrhoea despite lanreotide 120 mg, diffuse liver
    #    disease about 40 %; no echo yet." Refractory carcinoid syndrome, heart not known.
    Vignette(
        name="refractory_carcinoid_diffuse_heart_not_known",
        case={
            "case_id": "v-fhg-01",
            "patient": {"age_years": 63, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"ki67_percent": 5, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count_at_least": 11,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 40,
            },
            "extrahepatic": {"present": False},
            "course": {"status": "stable", "prior_treatments": ["ssa"]},
        },
        statuses={
            "ssa": (YES, SSA_004 + "; " + SSA_003),
            "liver_resection": (NO, RESECT_004 + " (type III)"),
            "everolimus": (NO, EVE_NF + " (functional, stable)"),
            "surufatinib": (NO, SURU_NF + " (functional)"),
            "platinum_etoposide": (NO, PLAT_003 + " (well-differentiated G2)"),
        },
        criteria={
            "cytoreductive_surgery.indication": "met",  # CYTO: refractory syndrome
            "cytoreductive_surgery.involvement": "met",  # CYTO_75: 40 %
            "interferon_alpha.syndrome": "met",  # IFN_003
        },
        derived={"grade": "G2", "liver_type": "III"},
        cautions={
            "tae": "octreotide prophylaxis",  # CRISIS_002
            "cytoreductive_surgery": "octreotide prophylaxis",  # CRISIS_002
        },
    ),
    # 2. "Carcinoid heart disease, severe TR, LVEF 40 %; midgut NET G1, diffuse, SSA
    #    controls the flushing; considering embolisation." Heart before embolisation.
    Vignette(
        name="carcinoid_heart_lvef_40_embolisation",
        case={
            "case_id": "v-fhg-02",
            "patient": {
                "age_years": 71,
                "ecog": 2,
                "carcinoid_heart_disease": True,
                "lvef_percent": 40,
            },
            "primary": {
                "site": "midgut",
                "resected": True,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 1, "mitoses_per_2mm2": 0, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {"present": False},
            "labs": LABS,
            "anatomy": NO_ANATOMY,
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        statuses={
            "liver_resection": (NO, HEART_003 + "; " + RESECT_004 + " (type III)"),
            "liver_transplant_milan": (NO, MILAN_T2 + " (age 71)"),
        },
        criteria={
            "liver_resection.no_right_heart_dysfunction": "not_met",  # HEART_003
            "tae.grade": "met",  # TAE_GRADE_002 (G1)
        },
        derived={"grade": "G1", "liver_type": "III", "portal_drainage": True},
        cautions={
            "tace": "ejection fraction",  # LVEF_002
            "deb_tace": "ejection fraction",  # LVEF_002
            "tae": "octreotide prophylaxis",  # CRISIS_002
            "cytoreductive_surgery": "Carcinoid heart disease",  # HEART_003, palliative
        },
    ),
    # 3. "Carcinoid syndrome, controlled on octreotide LAR, G1, diffuse, stable 2 years."
    #    Not refractory: the functional branch of cytoreduction is not met.
    Vignette(
        name="controlled_carcinoid_syndrome_stable",
        case={
            "case_id": "v-fhg-03",
            "patient": {"age_years": 58, **FIT, "carcinoid_heart_disease": False},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 25,
                "burden_symptoms": False,
            },
            "extrahepatic": {"present": False},
            "course": {"status": "stable", "months_stable": 24, "progressed_on_ssa": False},
        },
        statuses={
            "ssa": (YES, SSA_004),
            "cytoreductive_surgery": (NO, CYTO + "; 001: non-functional with symptoms of burden"),
            "everolimus": (NO, "RADIANT-3/-4: progressive disease (stable here)"),
            "liver_transplant_milan": (NO, MILAN_T2 + " (age 58)"),
        },
        derived={"grade": "G1", "liver_type": "III"},
    ),
    # 4. "Malignant insulinoma, recurrent hypoglycaemia on diazoxide; pancreatic tail primary
    #    in place; liver about 60 %, both lobes; Ki-67 12 %, 4 mitoses; 48 years."
    Vignette(
        name="refractory_insulinoma_burden_60",
        case={
            "case_id": "v-fhg-04",
            "patient": {"age_years": 48, **FIT, "carcinoid_heart_disease": False},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "insulinoma",
                "syndrome_refractory": True,
                "hormone": "insulin",
            },
            "pathology": {"ki67_percent": 12, "mitoses_per_2mm2": 4, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 60},
            "extrahepatic": {"present": False},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": False,
                "prior_systemic_lines": 0,
            },
        },
        statuses={
            "everolimus": (YES, "004 §3.4: RADIANT-3, everolimus in progressive pNET (G2)"),
            "sunitinib": (YES, "003 Targeted therapies / 004 §3.4: sunitinib in progressive pNET"),
            "surufatinib": (NO, SURU_NF + " (insulinoma is functional)"),
            "liver_transplant_milan": (NO, MILAN_T2 + " (60 %; primary in place)"),
            "liver_resection": (NO, RESECT_004 + " (type III)"),
            "platinum_etoposide": (NO, PLAT_003 + " (well-differentiated G2)"),
        },
        criteria={
            "cytoreductive_surgery.indication": "met",  # CYTO: refractory syndrome
            "cytoreductive_surgery.involvement": "met",  # CYTO_75: 60 % ≤ 75 %
            "liver_transplant_enets.involvement": "met",  # ENETS_T2: < 75 %, refractory
            "liver_transplant_enets.grade": "met",  # ENETS_T2: G2
            "liver_transplant_enets.ki67": "not_met",  # ENETS_T2: Ki-67 12 % > 10 %
        },
        derived={"grade": "G2", "liver_type": "III", "portal_drainage": True},
        cautions={"ssa": "hypoglycaemia"},
    ),
    # 5. "Duodenal gastrinoma, MEN1, PPI-controlled; G1 (Ki-67 1 %, no mitoses); several
    #    small liver lesions; stable; SSTR-PET avid."
    Vignette(
        name="gastrinoma_men1_g1_several_stable",
        case={
            "case_id": "v-fhg-05",
            "patient": {"age_years": 44, "hereditary_syndromes": ["men1"]},
            "primary": {
                "site": "duodenum",
                "functional_syndrome": "gastrinoma",
                "hormone": "gastrin",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 1, "mitoses_per_2mm2": 0, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 4},
            "liver": {"lesion_count_at_least": 2, "largest_lesion_cm_at_most": 2},
            "course": {"status": "stable"},
        },
        statuses={
            "ssa": (YES, SSA_004),
            "surufatinib": (NO, SURU_NF + " (functional; stable)"),
            "everolimus": (NO, EVE_NF + " (functional duodenal; stable)"),
            "platinum_etoposide": (NO, PLAT_003 + " (G1)"),
            # the syndrome is controlled, but symptoms of the tumour burden (001's second
            # path; 003 asks symptoms "not controllable" on either) are not stated
            "cytoreductive_surgery": (OPEN, CYTO),
        },
        waits_on={"cytoreductive_surgery": ("liver.burden_symptoms", "course.months_stable")},
        criteria={
            # interferon is added to an SSA for hormonal symptoms; a gastrinoma's acid
            # hypersecretion is the proton-pump inhibitors' ("the drugs of choice": Jensen
            # 2012, ENETS), as for the SSA's hormone control
            "interferon_alpha.syndrome": "not_met",
            "interferon_alpha.well_differentiated": "met",
        },
        derived={"grade": "G1", "portal_drainage": True},
    ),
    # 6. "Glucagonoma of the pancreatic tail, necrolytic migratory erythema; two lesions in
    #    the right lobe, surgeons: resectable with the primary; Ki-67 6 %; no mitotic count."
    Vignette(
        name="glucagonoma_synchronous_ki67_only",
        case={
            "case_id": "v-fhg-06",
            "patient": {"age_years": 56, **FIT, "carcinoid_heart_disease": False},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "glucagonoma",
                "surgical_assessment": "resectable",
            },
            "pathology": {"ki67_percent": 6, "differentiation": "well"},
            "liver": {
                "lesion_count": 2,
                "distribution": "unilobar",
                "synchronous": True,
                "surgical_assessment": "resectable",
            },
            "extrahepatic": {"present": False},
        },
        statuses={
            "simultaneous_resection": (OPEN, RESECT_004 + "; " + GRADE_000),
            # G2 or G3 (no mitotic count): a G3 NET would be the board's to weigh
            "platinum_etoposide": (OPEN, PLAT_004 + " (well differentiated, G2 or G3)"),
            "surufatinib": (NO, SURU_NF + " (functional)"),
        },
        waits_on={"simultaneous_resection": ("pathology.mitoses_per_2mm2",)},
        derived={"grade": None, "grade_possible": ["G2", "G3"]},
    ),
    # 7. "Ileal NET, well differentiated, Ki-67 35 %, 12 mitoses; SSTR-PET Krenning 3;
    #    progressing on octreotide; diffuse." G3 NET below 55 %.
    Vignette(
        name="g3_net_ki67_35_progressed_on_ssa",
        case={
            "case_id": "v-fhg-07",
            "patient": {"age_years": 66, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 35, "mitoses_per_2mm2": 12, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {"present": False},
            "labs": LABS,
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        statuses={
            "prrt": (YES, PRRT_55),
            "everolimus": (NO, G12_TARGETED + " (G3)"),
            "surufatinib": (NO, G12_TARGETED + " (G3)"),
            "platinum_etoposide": (OPEN, PLAT_004 + " (well-differentiated G3)"),
            "liver_resection": (NO, RESECT_004 + " (G3, type III)"),
            "liver_transplant_milan": (NO, MILAN_T2 + " (G3)"),
        },
        criteria={
            "prrt.ki67": "met",  # PRRT_55
            "prrt.not_nec": "met",  # PRRT_WD
            "capecitabine_temozolomide.indication": "met",  # CAPTEM_004 (G3)
            "platinum_etoposide.high_grade": "met",  # PLAT_004
            "platinum_etoposide.nec": "unknown",  # relative: a well-differentiated G3 NET
        },
        derived={"grade": "G3", "liver_type": "III"},
        cautions={"prrt": "G3"},
    ),
    # 8. "Pancreatic NET, well differentiated, Ki-67 70 %; SSTR positive; new diagnosis."
    #    G3 NET above 55 %.
    Vignette(
        name="g3_net_ki67_70_pancreas",
        case={
            "case_id": "v-fhg-08",
            "patient": {"age_years": 52},
            "primary": {"site": "pancreas", "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 70, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {"lesion_count_at_least": 2, "bilobar": True},
            "course": {"status": "new_diagnosis"},
        },
        statuses={
            "prrt": (NO, PRRT_55 + " (70 %)"),
            "ssa": (NO, SSA_004 + " (70 %, non-functional)"),
            "everolimus": (NO, G12_TARGETED + " (G3)"),
            "sunitinib": (NO, G12_TARGETED + " (G3)"),
            "streptozocin_5fu": (OPEN, STZ_G3 + " (well-differentiated G3)"),
            "platinum_etoposide": (OPEN, PLAT_004 + " (well-differentiated G3)"),
            "liver_resection": (OPEN, RESECT_G3_004 + " (G3: the board's to weigh)"),
        },
        criteria={
            "prrt.ki67": "not_met",
            "capecitabine_temozolomide.indication": "met",
            "platinum_etoposide.nec": "unknown",  # PLAT_004: relative for a G3 NET
        },
        derived={"grade": "G3"},
    ),
    # 9. "Rectal small-cell NEC, Ki-67 90 %; one 3 cm liver lesion; surgeons: resectable."
    #    A NEC with resectable liver disease.
    Vignette(
        name="rectal_small_cell_nec_resectable_single",
        case={
            "case_id": "v-fhg-09",
            "patient": {"age_years": 61, **FIT, "carcinoid_heart_disease": False},
            "primary": {"site": "rectum", "resected": True, "resection_margin": "R0"},
            "pathology": {
                "ki67_percent": 90,
                "differentiation": "poor",
                "nec_subtype": "small_cell",
            },
            "liver": {
                "lesion_count": 1,
                "largest_lesion_cm": 3,
                "surgical_assessment": "resectable",
                "future_liver_remnant_percent": 70,
            },
            "extrahepatic": {"present": False},
        },
        statuses={
            "liver_resection": (NO, NO_CURE_NEC_001 + "; " + RESECT_004),
            "platinum_etoposide": (YES, PLAT_003 + "; " + NEC_000),
            "prrt": (NO, PRRT_WD + " (NEC)"),
            # A NEC: the SSA only for the hormone control of a carcinoid syndrome, a
            # glucagonoma or a VIPoma, which Kaltsas 2017 (ENETS) gives whatever the grade;
            # the vignette does not say whether the tumour is functional.
            "ssa": (
                OPEN,
                SSA_004
                + " (NEC, Ki-67 90 %); Kaltsas 2017: a syndrome's SSA (function not stated)",
            ),
            "everolimus": (NO, G12_TARGETED + " (NEC)"),
            "thermal_ablation": (NO, TAE_GRADE_002 + " (NEC)"),
            "liver_transplant_milan": (NO, MILAN_T2 + " (NEC; rectum not portal)"),
        },
        derived={"grade": "NEC", "liver_type": "I", "portal_drainage": False},
        # NEC_SURGERY: the seeds disagree on surgery for a NEC with limited liver disease
        cautions={"liver_resection": "NEC: the sources disagree"},
    ),
    # 10. "Unknown primary, Ki-67 25–30 %, differentiation not stated; FDG-PET avid."
    Vignette(
        name="unknown_primary_ki67_25_30_no_differentiation",
        case={
            "case_id": "v-fhg-10",
            "primary": {"site": "unknown_primary"},
            "pathology": {"ki67_percent_at_least": 25, "ki67_percent_at_most": 30},
            "imaging": {"fdg_positive": True},
            "liver": {"lesion_count_at_least": 2},
        },
        statuses={
            "platinum_etoposide": (OPEN, PLAT_003 + "; " + NEC_000),
            "everolimus": (NO, G12_TARGETED + " (G3 or NEC)"),
            "sunitinib": (NO, G12_TARGETED + " (not pancreatic; G3 or NEC)"),
            # G3 NET (relative, RESECT_G3_004) or NEC (NO_CURE_NEC_001): the differentiation decides
            "liver_resection": (OPEN, RESECT_G3_004 + "; " + NO_CURE_NEC_001 + " (G3 or NEC)"),
            "liver_transplant_milan": (NO, MILAN_T2 + " (G3 or NEC)"),
        },
        waits_on={"platinum_etoposide": ("pathology.differentiation",)},
        criteria={"prrt.ki67": "met"},  # PRRT_55: 25–30 % < 55 %
        derived={"grade": None, "grade_possible": ["G3", "NEC"]},
    ),
    # 11. "Outside report: pancreatic NEN 'G3'; no indices, no differentiation; multiple liver
    #     lesions." A reported G3 without indices.
    Vignette(
        name="reported_g3_no_indices_pancreas",
        case={
            "case_id": "v-fhg-11",
            "primary": {"site": "pancreas"},
            "pathology": {"reported_grade": "G3"},
            "liver": {"lesion_count_at_least": 2},
        },
        statuses={
            "platinum_etoposide": (OPEN, PLAT_003 + "; NET G3 or NEC (Rindi 2022)"),
            "everolimus": (NO, G12_TARGETED + " (G3 or NEC)"),
            "streptozocin_5fu": (OPEN, STZ_G3 + " (G3 NET or NEC)"),
            # G3 NET (relative, RESECT_G3_004) or NEC (NO_CURE_NEC_001): the differentiation decides
            "liver_resection": (OPEN, RESECT_G3_004 + "; " + NO_CURE_NEC_001 + " (G3 or NEC)"),
        },
        waits_on={"platinum_etoposide": ("pathology.differentiation",)},
        criteria={"prrt.ki67": "unknown"},  # PRRT_55: no Ki-67 stated
        derived={"grade": None, "grade_possible": ["G3", "NEC"]},
    ),
    # 12. "Gastric large-cell NEC, Ki-67 45 %, SSTR-PET positive (Krenning 3); diffuse."
    #     Ki-67 below 55 % and SSTR uptake do not make a NEC a PRRT candidate.
    Vignette(
        name="gastric_large_cell_nec_sstr_positive_ki67_45",
        case={
            "case_id": "v-fhg-12",
            "patient": {"age_years": 59, **FIT},
            "primary": {"site": "stomach", "functional_syndrome": "none"},
            "pathology": {
                "ki67_percent": 45,
                "differentiation": "poor",
                "nec_subtype": "large_cell",
            },
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {"distribution": "bilobar_diffuse"},
            "labs": LABS,
            "course": {"status": "new_diagnosis"},
        },
        statuses={
            "prrt": (NO, PRRT_WD + " (NEC)"),
            "platinum_etoposide": (YES, PLAT_003),
            "ssa": (NO, SSA_004 + " (NEC, Ki-67 45 %)"),
            "cabozantinib": (NO, "CABINET: well-differentiated NET after progression"),
        },
        criteria={"prrt.ki67": "met", "prrt.not_nec": "not_met"},
        derived={"grade": "NEC", "liver_type": "III"},
    ),
    # 13. "Carcinoid heart disease (tricuspid regurgitation, awaiting valve surgery); 45 years;
    #     ileal G1 resected R0 2 years ago; liver 35 %, diffuse, stable 12 months."
    #     A transplant candidate by the criteria sets, with a right heart disease.
    Vignette(
        name="carcinoid_heart_young_transplant_candidate",
        case={
            "case_id": "v-fhg-13",
            "patient": {"age_years": 45, **FIT, "carcinoid_heart_disease": True},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 24,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": False,
            },
            "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 35},
            "extrahepatic": {"present": False},
            "labs": LABS,
            "course": {"status": "stable", "months_stable": 12},
        },
        statuses={
            "liver_resection": (NO, RESECT_004 + " (type III); " + HEART_003),
        },
        criteria={
            "liver_transplant_milan.age": "met",
            "liver_transplant_milan.grade": "met",
            "liver_transplant_milan.involvement": "met",
            "liver_transplant_milan.stable": "met",
        },
        derived={"grade": "G1", "liver_type": "III", "portal_drainage": True},
        cautions={
            "liver_transplant_milan": "do not name the heart",
            "liver_transplant_enets": "octreotide prophylaxis",  # CRISIS_002
        },
    ),
    # 14. "Ileal NET, Ki-67 4 %, 1 mitosis; several liver lesions; for embolisation" —
    #     nothing said of a syndrome. Whether the tumour is functional is asked, not assumed.
    Vignette(
        name="ileal_g2_function_not_stated_for_embolisation",
        case={
            "case_id": "v-fhg-14",
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"ki67_percent": 4, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "liver": {"lesion_count_at_least": 2, "bilobar": True},
        },
        statuses={
            "interferon_alpha": (OPEN, IFN_003),
            "surufatinib": (OPEN, SURU_NF),
        },
        waits_on={
            "interferon_alpha": ("primary.functional_syndrome",),
            "surufatinib": ("primary.functional_syndrome",),
        },
        derived={"grade": "G2"},
        cautions={"tae": "ask whether the patient has the syndrome"},  # CRISIS_002
    ),
]
