"""Every option, each criterion on both sides of its threshold and with its field unknown.

Each row names the sentence of the source the expected result comes from. The base case of
each option (``cases.ELIGIBLE_FROM``) is eligible, so a row also checks the option's status:
a met criterion keeps it eligible, a failed one makes it ineligible, an unknown one makes it
uncertain and lists the deciding field as missing.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import DIFFUSE, ELIGIBLE_FROM, eligible_case


class Rule(NamedTuple):
    option: str
    criterion: str
    changes: dict[str, Any]
    expected: str  # met | not_met | unknown | relative (unknown: a relative contraindication)
    source: str


M, N, U, R = "met", "not_met", "unknown", "relative"
G3 = {"pathology.ki67_percent": 25}
G3_WELL = G3 | {"pathology.differentiation": "well"}
# NEC: "poorly differentiated neoplasms of high grade" (000 §1; 004 §1: "NEC, G3, Ki-67 >
# 20%"). Beside the base case's low indices "poor" alone would contradict them.
NEC = {"pathology.differentiation": "poor", "pathology.ki67_percent": 60}
POOR_BUT_LOW = {  # G2 by both indices (000 §1): a conflict with "poor"
    "pathology.differentiation": "poor",
    "pathology.ki67_percent": 5,
    "pathology.mitoses_per_2mm2": 1,
}
NO_GRADE = {"pathology.ki67_percent": None, "pathology.mitoses_per_2mm2": None}

SURGERY_GRADE = "004 §3.1: 'type I LMs without extrahepatic metastases in G1 and G2 grades are recommended to undergo radical resection'"
# 004 §3.1 on G3: 'there is still controversy ... Contrary to the ENETS, the ... (ESMO)
# guidelines do not recommend G3 with LMs as a contraindication to surgery' -- relative.
G3_SURGERY = (
    SURGERY_GRADE + "; 'Contrary to the ENETS, the European Society of Medical Oncology (ESMO) "
    "guidelines do not recommend G3 with LMs as a contraindication to surgery'"
)
NOT_NEC_SURGERY = "001 Introduction: 'surgical resection with curative intent is not indicated in patients with poorly differentiated tumors'"
FLR = "001 Isolated surgical resection: 'adequate future liver remnant (FLR) of at least 30%'"
EXTRA = "003 Potentially curative surgery: 'absence of extrahepatic metastasis'"
FIT = "001 Introduction: not indicated with 'comorbidities and/or frailty making surgery unsafe'"
FIT_ROWS = (
    ({"patient.fit_for_major_surgery": False}, N),
    ({"patient.fit_for_major_surgery": None}, U),
)
HEART = "003 Potentially curative surgery: 'absence of right cardiac dysfunction'"
TYPES = "004 §3.1 / §1: type I and partial type II resectable; diffuse type III cannot be resected"
MILAN = "001 Table 2, Milan"
ENETS = "001 Table 2, ENETS"
UNOS = "001 Table 2, UNOS"
ABL = "002 §4: 'less than three lesions measuring ≤ 3 cm, or a single lesion < 5 cm'"
RFA_SITE = "001 Ablative techniques: 'contraindicated for NELM around vital structures in the liver hilum, superficial NELM, or ... a previous Whipple procedure'"
LABS = "002 §3.3: 'creatinine < 2, lactate dehydrogenase < 425, aspartate transaminase < 100, platelet count > 100,000, serum bilirubin < 2 mg/dL, and tumor burden < 50%'"
VASC = "002 §4: 'vascular and ablative locoregional treatments are recommended exclusively for G1-G2 NETs ... extrahepatic disease remains stable'"
VASC_G3 = (
    VASC
    + "; 002 §3: 'NANETS guidelines still support the use of liver-directed therapy for G3 NET' -- relative"
)
PVT = "001 TAE and TACE: 'contraindicated in the presence of portal vein thrombosis, hepatic insufficiency or bilio-enteric anastomosis'"
WHIPPLE = "003 Hepatic arterial embolization: 'In patients with previous pancreaticoduodenectomy, transarterial therapies are generally contraindicated'"
HE = "000 §3.1: 'Other contraindications include hepatic encephalopathy and biliary obstruction'"
SIRT = "003 Hepatic arterial embolization: 'SIRT is contraindicated in cases of aberrant vessels with shunt to the gastrointestinal tract, compromised portal veins, and inadequate liver functional reserve'"
PRRT_IND = (
    "001 PRRT: 'sufficient SSTR expression ... adequate renal function and bone marrow reserves'"
)
PRRT_KI = "000 §4: 'PRRT may also be used in a subset of patients with G3 tumors (Ki67 < 55%)'"
PRRT_SET = "002 §2.3: 'recommend the use of PRRT only after the progression of disease while on SSAs'; 004 §3.5 NETTER-2 first line in 'advanced G2/G3 GEP-NETs'"
NETTER1 = "NETTER-1 eligibility: creatinine ≤ 150 µmol/L or clearance ≥ 50 mL/min, Hb ≥ 8 g/dL, WBC ≥ 2000/µL, platelets ≥ 75,000/µL"
# NETTER-1 excluded "either serum creatinine > 150 µmol/L (> 1.7 mg/dL), or creatinine
# clearance < 50 mL/min", a measured clearance ≥ 50 mL/min confirming eligibility: a
# filtration rate below 50 fails even beside a normal creatinine.
NETTER1_RENAL = "NETTER-1 exclusion: 'either serum creatinine > 150 µmol/L, or creatinine clearance < 50 mL/min'; a clearance ≥ 50 mL/min confirms eligibility"
SSA = "004 §3.3: 'applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR positivity'"
CHEMO = "003 Medical therapy: 'Systemic chemotherapy is only indicated for advanced and unresectable PNETs'"

RULES: list[Rule] = []


def rules(option: str, criterion: str, source: str, *rows: tuple[dict[str, Any], str]) -> None:
    RULES.extend(Rule(option, criterion, changes, expected, source) for changes, expected in rows)


# --- surgery ------------------------------------------------------------------------------
for opt in ("liver_resection", "simultaneous_resection"):
    rules(
        opt,
        "grade",
        NOT_NEC_SURGERY,
        ({"pathology.ki67_percent": 20}, M),
        (G3_WELL, M),
        (NEC, N),
        (NO_GRADE | {"pathology.differentiation": None}, U),
    )
    rules(
        opt,
        "g1_g2",
        G3_SURGERY,
        ({"pathology.ki67_percent": 20}, M),
        ({"pathology.ki67_percent": 20.5}, R),
        ({"pathology.mitoses_per_2mm2": 21}, R),
        (NO_GRADE, U),
    )
    rules(
        opt,
        "flr",
        FLR,
        ({"liver.future_liver_remnant_percent": 30}, M),
        ({"liver.future_liver_remnant_percent": 29.9}, N),
        ({"liver.future_liver_remnant_percent": None}, U),
    )
    rules(
        opt,
        "no_extrahepatic",
        EXTRA,
        ({"extrahepatic.present": True, "extrahepatic.sites": ["bone"]}, N),
        ({"extrahepatic.present": None}, U),
    )
    rules(opt, "fit", FIT, *FIT_ROWS)
    rules(
        opt,
        "no_right_heart_dysfunction",
        HEART,
        ({"patient.carcinoid_heart_disease": True}, N),
        ({"patient.carcinoid_heart_disease": None}, U),
    )
rules(
    "liver_resection",
    "liver_type",
    TYPES,
    ({"liver.distribution": "bilobar_dominant", "liver.lesion_count": 5}, M),
    ({"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 20}, N),
    ({"liver.distribution": None, "liver.lesion_count": 1}, M),
    ({"liver.distribution": None, "liver.lesion_count": 4}, U),
)
rules(
    "simultaneous_resection",
    "primary_in_situ",
    "001 Simultaneous primary and NELM resection: the primary is resected with the liver "
    "metastases, so it must be known (case-v1: unknown_primary is a primary not found)",
    ({"primary.resected": True}, N),
    ({"primary.resected": None}, U),
    ({"primary.site": "unknown_primary"}, N),
)
rules(
    "simultaneous_resection",
    "synchronous",
    "003 Potentially curative surgery: 'In cases of synchronous metastases, simultaneous resection "
    "... has been reported'; 001 reports series of synchronous NELM and calls 1 or 2 stages "
    "'ill-determined', excluding nothing else: relative",
    ({"liver.synchronous": False}, R),
    ({"liver.synchronous": None}, U),
)
rules(
    "simultaneous_resection",
    "limited_liver",
    "001 Simultaneous primary and NELM resection: 'type I or limited bilobar NELM'",
    ({"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 12}, N),
)
rules(
    "staged_resection",
    "grade",
    "001 Staged resections: 'the authors consider G3 NENs as a contraindication for performing ALPPS'",
    (G3 | {"pathology.differentiation": "well"}, N),
    ({"pathology.ki67_percent": 19}, M),
)
rules(
    "staged_resection",
    "needs_staging",
    "001 Staged resections: 'patients whose FLR was initially deemed insufficient'",
    ({"liver.future_liver_remnant_percent": 30}, N),
    (
        {
            "liver.future_liver_remnant_percent": 30,
            "liver.distribution": "bilobar_dominant",
            "liver.lesion_count": 6,
        },
        M,
    ),
    ({"liver.future_liver_remnant_percent": None}, U),
)
rules(
    "cytoreductive_surgery",
    "involvement",
    "003 Cytoreductive surgery: 'If > 75% of the liver parenchyma is involved ... surgical treatment should be avoided'",
    ({"liver.tumor_burden_percent": 75}, M),
    ({"liver.tumor_burden_percent": 76}, N),
    ({"liver.tumor_burden_percent": None}, U),
)
rules(
    "cytoreductive_surgery",
    "indication",
    "001 Debulking surgery: 'uncontrollable functional NENs or ... non-functional NENs and stable disease for an interval of 6 months, with symptomatology attributed to tumor burden'",
    ({"course.months_stable": 6}, M),
    ({"course.months_stable": 5}, N),
    # Stable, but without symptoms from the tumour burden: no indication in 001 or 003
    # ("indicated in patients with symptoms not controllable with medical or hormonal
    # treatment"); not stated: unknown.
    ({"liver.burden_symptoms": False}, N),
    ({"liver.burden_symptoms": None}, U),
    # Progressing now: not "stable disease" (001), so a non-functional tumour has no
    # indication left.
    ({"course.status": "progressing", "course.months_stable": None}, N),
    ({"course.status": "rapidly_progressing"}, N),
    (
        {
            "course.months_stable": 5,
            "primary.syndrome_refractory": True,
            "primary.functional_syndrome": "carcinoid",
        },
        M,
    ),
    # No syndrome, so no refractory syndrome: 001 names "uncontrollable functional NENs".
    ({"course.months_stable": 5, "primary.syndrome_refractory": None}, N),
    ({"course.months_stable": 5, "primary.syndrome_refractory": True}, N),
    (
        {
            "course.months_stable": None,
            "primary.syndrome_refractory": None,
            "primary.functional_syndrome": None,
        },
        U,
    ),
)
rules(
    "primary_tumor_resection",
    "liver_unresectable",
    "003 Liver transplantation: palliative resection of the primary with unresectable liver metastases",
    ({"liver.distribution": "unilobar", "liver.lesion_count": 2}, N),
    ({"liver.distribution": None, "liver.lesion_count": 3}, U),
)
# "generally treated with chemotherapy" (000 §1) is usual practice, no contraindication: a
# NEC is left to the board, a well-differentiated G3 NET (the other side of the edge) meets
# it, and an unknown grade stays unknown.
rules(
    "primary_tumor_resection",
    "not_nec",
    "000 §1: NEC 'generally treated with chemotherapy because of aggressive tumor biology'",
    (NEC, R),
    (G3 | {"pathology.differentiation": "well"}, M),
    (NO_GRADE | {"pathology.differentiation": None}, U),
)

# --- transplantation ----------------------------------------------------------------------
for opt, src in (
    ("liver_transplant_milan", MILAN),
    ("liver_transplant_enets", ENETS),
    ("liver_transplant_unos", UNOS),
):
    rules(
        opt,
        "age",
        f"{src}: age < 55 years",
        ({"patient.age_years": 54.9}, M),
        ({"patient.age_years": 55}, N),
        ({"patient.age_years": None}, U),
    )
    rules(
        opt,
        "involvement",
        f"{src}: involvement of < 50% hepatic parenchyma",
        ({"liver.tumor_burden_percent": 49.9}, M),
        ({"liver.tumor_burden_percent": 50}, N),
        ({"liver.tumor_burden_percent": None}, U),
    )
    rules(
        opt,
        "stable",
        f"{src}: stable disease for at least 6 months",
        ({"course.months_stable": 6}, M),
        ({"course.months_stable": 5.9}, N),
        ({"course.months_stable": 8, "course.status": "progressing"}, N),
        ({"course.months_stable": None}, U),
    )
    rules(
        opt,
        "no_extrahepatic",
        f"{src}: no extrahepatic disease",
        ({"extrahepatic.present": True}, N),
        ({"extrahepatic.present": None}, U),
    )
for opt in ("liver_transplant_milan", "liver_transplant_unos"):
    rules(
        opt,
        "portal_drainage",
        "001 Table 2: 'Primary tumor drained by the portal system'",
        ({"primary.site": "rectum"}, N),
        ({"primary.site": "lung"}, N),
        ({"primary.site": "small_intestine"}, M),
        ({"primary.site": None}, U),
    )
# 000 §2.2 reserves transplantation for "primary tumors that drain via the portal system"
# (003: Mazzaferro's portal territory), but the ENETS list of 001 Table 2 names no portal
# drainage: relative, the board's to weigh, for a lung or rectal primary.
rules(
    "liver_transplant_enets",
    "portal_drainage",
    "000 §2.2: 'primary tumors that drain via the portal system'; 001 Table 2, ENETS: not listed",
    ({"primary.site": "lung"}, R),
    ({"primary.site": "rectum"}, R),
    ({"primary.site": "pancreas"}, M),
    ({"primary.site": None}, U),
)
rules(
    "liver_transplant_milan",
    "grade",
    f"{MILAN}: low-grade NET (G1/G2)",
    (G3 | {"pathology.differentiation": "well"}, N),
    (NO_GRADE, U),
)
rules(
    "liver_transplant_milan",
    "primary_removed",
    "003 Liver transplantation: 'primary tumor already resected with clear margins'",
    ({"primary.resection_margin": "R1"}, N),
    ({"primary.resected": False}, N),
    ({"primary.resection_margin": None}, U),
)
rules(
    "liver_transplant_enets",
    "ki67",
    f"{ENETS}: Ki67 proliferation index ≤ 10%",
    ({"pathology.ki67_percent": 10}, M),
    ({"pathology.ki67_percent": 10.5}, N),
    ({"pathology.ki67_percent": None}, U),
)
rules(
    "liver_transplant_enets",
    "involvement",
    f"{ENETS}: '< 75% in cases with refractory hormonal symptoms'",
    (
        {
            "liver.tumor_burden_percent": 70,
            "primary.syndrome_refractory": True,
            "primary.functional_syndrome": "carcinoid",
        },
        M,
    ),
    (
        {
            "liver.tumor_burden_percent": 75,
            "primary.syndrome_refractory": True,
            "primary.functional_syndrome": "carcinoid",
        },
        N,
    ),
    # 'refractory hormonal symptoms' cannot hold without a hormonal syndrome.
    ({"liver.tumor_burden_percent": 70, "primary.syndrome_refractory": None}, N),
    (
        {
            "liver.tumor_burden_percent": 70,
            "primary.syndrome_refractory": None,
            "primary.functional_syndrome": None,
        },
        U,
    ),
)
rules(
    "liver_transplant_enets",
    "primary_removed",
    f"{ENETS}: primary tumour removed prior to OLT (at least 6 months)",
    ({"primary.months_since_primary_resection": 6}, M),
    ({"primary.months_since_primary_resection": 5}, N),
    ({"primary.months_since_primary_resection": None}, U),
)
rules(
    "liver_transplant_enets",
    "bilirubin",
    f"{ENETS}: low serum total bilirubin",
    ({"labs.bilirubin_mg_dl": 2.0}, N),
    ({"labs.bilirubin_mg_dl": None}, U),
)
# Bilobar is not unresectable by itself: type II metastases come "with the possibility of
# surgical resection" (004 §1), type III "cannot be surgically resected" (004 §1), and a
# remnant of at least 30 % is adequate (001 Isolated surgical resection). The surgeons'
# own judgement comes first.
rules(
    "liver_transplant_unos",
    "bilobar_unresectable",
    f"{UNOS}: 'bilobar NELM, not amenable to resection'; 004 §1; 001 Isolated surgical resection",
    ({"liver.distribution": "unilobar"}, N),
    ({"liver.distribution": None}, U),
    ({"liver.future_liver_remnant_percent": 29.9}, M),
    ({"liver.future_liver_remnant_percent": 30}, N),
    ({"liver.future_liver_remnant_percent": None}, U),
    ({**DIFFUSE, "liver.future_liver_remnant_percent": 50}, M),
    ({"liver.future_liver_remnant_percent": 50, "liver.surgical_assessment": "unresectable"}, M),
    ({**DIFFUSE, "liver.surgical_assessment": "resectable"}, N),
)
rules(
    "liver_transplant_unos",
    "primary_removed",
    f"{UNOS}: resected primary tumor",
    ({"primary.resected": False}, N),
)

# --- ablation -----------------------------------------------------------------------------
rules(
    "thermal_ablation",
    "size_number",
    ABL,
    ({"liver.lesion_count": 2, "liver.largest_lesion_cm": 3.0}, M),
    ({"liver.lesion_count": 2, "liver.largest_lesion_cm": 3.1}, N),
    ({"liver.lesion_count": 3, "liver.largest_lesion_cm": 2.0}, N),
    ({"liver.lesion_count": 1, "liver.largest_lesion_cm": 4.9}, M),
    ({"liver.lesion_count": 1, "liver.largest_lesion_cm": 5.0}, N),
    ({"liver.lesion_count": 2, "liver.largest_lesion_cm": None}, U),
)
rules(
    "thermal_ablation",
    "size_number",
    "002 §2.2: type 3 is 'multifocal diffuse bilobular disease'; 002 §4: ablation is "
    "'exclusively used for limited or oligometastatic liver disease'",
    ({"liver.distribution": "bilobar_diffuse"}, N),
    ({"liver.distribution": "bilobar_diffuse", "liver.lesion_count": None}, N),
    ({"liver.distribution": "bilobar_dominant"}, M),
    ({"liver.lesion_count": None, "liver.largest_lesion_cm": None}, U),
    # Type not settled: the two lesions ≤ 3 cm decide alone (002 §4).
    ({"liver.distribution": None}, M),
    ({"liver.distribution": None, "liver.largest_lesion_cm": None}, U),
)
UNSIZED = {"liver.lesion_count": None, "liver.largest_lesion_cm": None}
rules(
    "thermal_ablation",
    "size_number",
    "002 §4: 'less than three lesions measuring ≤ 3 cm, or a single lesion < 5 cm' -- at most "
    "a 5 cm sphere, 65 cm³, under 10 % of a small adult liver (800 cm³): a burden over 25 % "
    "(Nigri 2018's bands) is never limited disease",
    (UNSIZED | {"liver.tumor_burden_percent": 80}, N),
    (UNSIZED | {"liver.tumor_burden_percent": 26}, N),
    (UNSIZED | {"liver.tumor_burden_percent": 25}, U),
    (UNSIZED | {"liver.tumor_burden_percent": 5}, U),
    ({"liver.tumor_burden_percent": 5}, M),
)
# "usually" (001) and "may be" (003) contraindicated: relative, left to the board.
rules(
    "thermal_ablation",
    "not_hilar",
    RFA_SITE,
    ({"liver.near_hilum_or_major_vessels": True}, R),
    ({"liver.near_hilum_or_major_vessels": None}, U),
)
rules(
    "thermal_ablation",
    "not_subcapsular",
    f"{RFA_SITE}; 003 Ablative therapies: 'RFA may be contraindicated ... at the liver surface'",
    ({"liver.subcapsular": True}, R),
    ({"liver.subcapsular": None}, U),
)
rules(
    "thermal_ablation",
    "no_prior_whipple",
    RFA_SITE,
    ({"anatomy.prior_whipple": True}, R),
    ({"anatomy.prior_whipple": None}, U),
)
rules(
    "thermal_ablation",
    "grade",
    VASC_G3,
    (G3 | {"pathology.differentiation": "well"}, M),
    (NEC, N),
    (NO_GRADE | {"pathology.differentiation": None}, U),
)
rules(
    "thermal_ablation",
    "g1_g2",
    VASC_G3,
    ({"pathology.ki67_percent": 20}, M),
    (G3 | {"pathology.differentiation": "well"}, R),
    (NO_GRADE, U),
)
rules(
    "thermal_ablation",
    "liver_dominant",
    VASC,
    ({"extrahepatic.present": True, "extrahepatic.stable": True}, M),
    ({"extrahepatic.present": True, "extrahepatic.stable": False}, N),
    ({"extrahepatic.present": True}, U),
)
# 003 Hepatic arterial embolization: "especially for functioning tumors with symptoms not
# controlled by medical therapy ... Liver-directed therapies may also be proposed in patients
# with extrahepatic metastases to control liver disease and symptoms"; 001 Introduction:
# "hormonal syndromes refractory to conventional medical treatment".
REFRACTORY_EXTRAHEPATIC = {
    "extrahepatic.present": True,
    "extrahepatic.stable": False,
    "primary.functional_syndrome": "carcinoid",
}
LDT_SYMPTOMS = "003 Hepatic arterial embolization: 'may also be proposed in patients with extrahepatic metastases to control liver disease and symptoms'"
for opt in ("thermal_ablation", "tae", "tace", "deb_tace", "tare"):
    rules(
        opt,
        "liver_dominant",
        LDT_SYMPTOMS,
        (REFRACTORY_EXTRAHEPATIC | {"primary.syndrome_refractory": True}, M),
        (REFRACTORY_EXTRAHEPATIC | {"primary.syndrome_refractory": False}, N),
        (REFRACTORY_EXTRAHEPATIC | {"primary.syndrome_refractory": None}, U),
        (
            REFRACTORY_EXTRAHEPATIC
            | {"primary.functional_syndrome": None, "primary.syndrome_refractory": True},
            U,
        ),
    )

# --- transarterial ------------------------------------------------------------------------
for opt in ("tae", "tace", "deb_tace", "tare"):
    rules(
        opt,
        "bilirubin",
        LABS,
        ({"labs.bilirubin_mg_dl": 1.99}, M),
        ({"labs.bilirubin_mg_dl": 2.0}, N),
        ({"labs.bilirubin_mg_dl": None}, U),
    )
    rules(
        opt,
        "creatinine",
        LABS,
        ({"labs.creatinine_mg_dl": 2.0}, N),
        ({"labs.creatinine_mg_dl": None}, U),
        # CKD-EPI 2021 (Inker 2021): a creatinine of 2.0 mg/dL gives at least 21.9 mL/min/
        # 1.73 m² at any adult age up to 100 and either sex, so an eGFR of 12 (dialysis)
        # means a creatinine above 2; an eGFR of 40 leaves it open; a creatinine decides
        ({"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": 12}, N),
        ({"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": 40}, U),
        (
            {
                "labs.creatinine_mg_dl": None,
                "labs.egfr_ml_min": None,
                "labs.egfr_ml_min_at_most": 15,
            },
            N,
        ),
        ({"labs.creatinine_mg_dl": 1.0, "labs.egfr_ml_min": 95}, M),
    )
    rules(
        opt,
        "ldh",
        LABS,
        ({"labs.ldh_u_l": 424}, M),
        ({"labs.ldh_u_l": 425}, N),
        ({"labs.ldh_u_l": None}, U),
    )
    rules(opt, "ast", LABS, ({"labs.ast_u_l": 99}, M), ({"labs.ast_u_l": 100}, N))
    rules(
        opt,
        "platelets",
        LABS,
        ({"labs.platelets_per_ul": 100001}, M),
        ({"labs.platelets_per_ul": 100000}, N),
        ({"labs.platelets_per_ul": None}, U),
    )
    rules(
        opt,
        "burden",
        LABS,
        ({"liver.tumor_burden_percent": 49}, M),
        # relative: 002 §3 calls liver-directed therapy a reasonable salvage approach for a
        # burden of 10-90 %; the board weighs it
        ({"liver.tumor_burden_percent": 50}, R),
        ({"liver.tumor_burden_percent": None}, U),
    )
    rules(
        opt,
        "burden_salvage_limit",
        "002 §3: 'a salvage approach when the liver burden ranges between 10% and 90%'",
        ({"liver.tumor_burden_percent": 90}, M),
        ({"liver.tumor_burden_percent": 91}, N),
        ({"liver.tumor_burden_percent": None}, U),
    )
    rules(
        opt,
        "grade",
        VASC_G3,
        ({"pathology.ki67_percent": 20}, M),
        (G3 | {"pathology.differentiation": "well"}, M),
        (NEC, N),
    )
    rules(
        opt,
        "g1_g2",
        VASC_G3,
        ({"pathology.ki67_percent": 20}, M),
        (G3 | {"pathology.differentiation": "well"}, R),
        (NO_GRADE, U),
    )
    rules(
        opt,
        "liver_dominant",
        VASC,
        ({"extrahepatic.present": True, "extrahepatic.stable": False}, N),
    )
for opt in ("tae", "tace", "deb_tace"):
    rules(
        opt,
        "no_portal_vein_occlusion",
        PVT,
        ({"anatomy.portal_vein_thrombosis": True}, N),
        ({"anatomy.portal_vein_thrombosis": None}, U),
    )
    rules(
        opt,
        "no_bilioenteric_anastomosis",
        PVT,
        ({"anatomy.biliary_enteric_anastomosis": True}, N),
        ({"anatomy.biliary_enteric_anastomosis": None}, U),
    )
    rules(opt, "no_prior_whipple", WHIPPLE, ({"anatomy.prior_whipple": True}, N))
    rules(
        opt,
        "no_encephalopathy",
        HE,
        ({"anatomy.hepatic_encephalopathy": True}, N),
        ({"anatomy.hepatic_encephalopathy": None}, U),
    )
    rules(opt, "no_biliary_obstruction", HE, ({"anatomy.biliary_obstruction": True}, N))
    rules(
        opt,
        "performance_status",
        "003 Hepatic arterial embolization: contraindicated with 'poor performance status'",
        ({"patient.ecog": 2}, M),
        ({"patient.ecog": 3}, N),
        ({"patient.ecog": None}, U),
    )
rules(
    "tare",
    "no_gi_shunting",
    SIRT,
    ({"anatomy.gi_shunting_uncorrectable": True}, N),
    ({"anatomy.gi_shunting_uncorrectable": None}, U),
)
rules("tare", "portal_vein", SIRT, ({"anatomy.portal_vein_thrombosis": True}, N))
# hepatic encephalopathy read as a sign of the "inadequate liver functional reserve" 003 names
rules(
    "tare",
    "no_encephalopathy",
    SIRT + "; " + HE,
    ({"anatomy.hepatic_encephalopathy": True}, N),
    ({"anatomy.hepatic_encephalopathy": None}, U),
)
# the same sentence of 000 §3.1 names biliary obstruction (000 §3 counts radioembolisation
# among the embolotherapies)
rules(
    "tare",
    "no_biliary_obstruction",
    HE,
    ({"anatomy.biliary_obstruction": True}, N),
    ({"anatomy.biliary_obstruction": None}, U),
)

# --- PRRT, SSA ----------------------------------------------------------------------------
rules(
    "prrt",
    "sstr",
    PRRT_IND,
    ({"imaging.sstr_positive": False, "imaging.krenning_score": None}, N),
    # Negative beside the base's Krenning score 3: the two contradict each other (Krenning
    # scale) and are set aside (nelm.engine.sstr)
    ({"imaging.sstr_positive": False}, U),
    # Not stated: the base's Krenning score 3 (uptake above the liver) says positive.
    ({"imaging.sstr_positive": None}, M),
    ({"imaging.sstr_positive": None, "imaging.krenning_score": None}, U),
)
rules(
    "prrt",
    "uptake",
    "003 Targeted therapies: 'patients with strong radiotrace uptake on SRS'; 001 PRRT: "
    "'sufficient SSTR expression'; NETTER-1: uptake ≥ normal liver (Krenning ≥ 2)",
    ({"imaging.krenning_score": 2}, M),
    ({"imaging.krenning_score": 1}, N),
    ({"imaging.krenning_score": None}, U),
    ({"imaging.krenning_score": None, "imaging.sstr_uptake_vs_liver": "like_liver"}, M),
    ({"imaging.krenning_score": None, "imaging.sstr_uptake_vs_liver": "below_liver"}, N),
)
# Imaging stated only as positive: 004 §3.5's "somatostatin receptor-positive" names the
# approval's population, not the uptake 003 ("strong radiotrace uptake") and 001 ("sufficient
# SSTR expression") select on; "positive" is met, the uptake stays open.
rules(
    "prrt",
    "uptake",
    "003 Targeted therapies: 'strong radiotrace uptake'; 004 §3.5: approved for "
    "'receptor-positive' GEP-NETs, which does not grade the uptake",
    (
        {
            "imaging.sstr_positive": True,
            "imaging.krenning_score": None,
            "imaging.sstr_uptake_vs_liver": None,
        },
        U,
    ),
)
rules(
    "prrt",
    "ki67",
    PRRT_KI,
    ({"pathology.ki67_percent": 54.9}, M),
    ({"pathology.ki67_percent": 55}, N),
    ({"pathology.ki67_percent": None}, U),
)
rules("prrt", "not_nec", PRRT_KI, (NEC, N))
# "Poorly differentiated" beside indices of G2 contradicts 000 §1 (NEC is high grade): both
# stay possible, so a criterion that needs a NET is unknown, never met or not met.
rules("ssa", "not_nec", "000 §1; 004 §1: NEC is high grade", (POOR_BUT_LOW, U))
rules("platinum_etoposide", "nec", "000 §1; 004 §1: NEC is high grade", (POOR_BUT_LOW, U))
rules(
    "prrt",
    "setting",
    PRRT_SET,
    ({"course.progressed_on_ssa": False}, N),
    ({"course.progressed_on_ssa": None}, U),
    # 001 Introduction: the non-surgical modalities, PRRT among them, are "frequently
    # considered ... for WD-NENs with ... hormonal syndromes refractory to conventional
    # medical treatment"
    (
        {
            "course.progressed_on_ssa": False,
            "primary.functional_syndrome": "insulinoma",
            "primary.syndrome_refractory": True,
        },
        M,
    ),
    (
        {
            "course.progressed_on_ssa": False,
            "primary.functional_syndrome": "carcinoid",
            "primary.syndrome_refractory": False,
        },
        N,
    ),
    ({"course.progressed_on_ssa": False, "pathology.ki67_percent": 10}, M),
    (
        {
            "course.progressed_on_ssa": False,
            "pathology.ki67_percent": 10,
            "course.prior_systemic_lines": 1,
        },
        N,
    ),
    # NETTER-2 eligibility: besides patients naive to systemic therapy, the trial took
    # patients already given an SSA, without progression on it: one line that was the SSA
    # keeps the branch open.
    (
        {
            "course.progressed_on_ssa": False,
            "pathology.ki67_percent": 10,
            "course.prior_systemic_lines": 1,
            "course.prior_treatments": ["ssa"],
        },
        M,
    ),
    # One line besides the SSA: a systemic therapy NETTER-2 did not allow.
    (
        {
            "course.progressed_on_ssa": False,
            "pathology.ki67_percent": 10,
            "course.prior_systemic_lines": 1,
            "course.prior_treatments": ["ssa", "everolimus"],
        },
        N,
    ),
    # One line, treatments not listed: the line may be the SSA.
    (
        {
            "course.progressed_on_ssa": False,
            "pathology.ki67_percent": 10,
            "course.prior_systemic_lines": 1,
            "course.prior_treatments": None,
        },
        U,
    ),
    # NETTER-2 enrolled gastroenteropancreatic NETs (004 §3.5): not a lung primary, and an
    # unknown site leaves the first-line branch open.
    ({"course.progressed_on_ssa": False, "pathology.ki67_percent": 10, "primary.site": "lung"}, N),
    (
        {"course.progressed_on_ssa": False, "pathology.ki67_percent": 10, "primary.site": "rectum"},
        M,
    ),
    ({"course.progressed_on_ssa": False, "pathology.ki67_percent": 10, "primary.site": None}, U),
    # 001 PRRT: efficacy confirmed in pancreatic NENs "also in the setting of patients heavily
    # pretreated with chemotherapy"; 001 Introduction: "WD-NENs with progressive, unresectable
    # NELM"; 004 §3.5: approved "for treatment of progressive" SSTR-positive GEP-NETs.
    # Progression after chemotherapy, not on the SSA (published: SSA stopped for intolerance):
    (
        {
            "course.progressed_on_ssa": False,
            "course.status": "progressing",
            "course.prior_systemic_lines": 2,
            "course.prior_treatments": ["ssa", "capecitabine_temozolomide"],
        },
        M,
    ),
    # Two lines, only the SSA listed: the other line was not the SSA.
    (
        {
            "course.progressed_on_ssa": False,
            "course.status": "progressing",
            "course.prior_systemic_lines": 2,
            "course.prior_treatments": ["ssa"],
        },
        M,
    ),
    # Chemotherapy given, the disease stable since: not progression.
    (
        {
            "course.progressed_on_ssa": False,
            "course.status": "stable",
            "course.prior_systemic_lines": 1,
            "course.prior_treatments": ["capecitabine_temozolomide"],
        },
        N,
    ),
    # Chemotherapy given, the course not stated: open.
    (
        {
            "course.progressed_on_ssa": False,
            "course.status": None,
            "course.months_stable": None,
            "course.prior_systemic_lines": 1,
            "course.prior_treatments": ["capecitabine_temozolomide"],
        },
        U,
    ),
)
rules(
    "prrt",
    "renal",
    NETTER1_RENAL,
    ({"labs.creatinine_mg_dl": 1.7, "labs.egfr_ml_min": 40}, N),
    ({"labs.creatinine_mg_dl": 1.0, "labs.egfr_ml_min": 49}, N),
    ({"labs.creatinine_mg_dl": 1.8, "labs.egfr_ml_min": 50}, M),
    ({"labs.creatinine_mg_dl": 1.8, "labs.egfr_ml_min": 49}, N),
    # No eGFR: the least the creatinine gives by CKD-EPI 2021 (Inker 2021: 142 ×
    # min(Scr/0.7, 1)^-0.241 × max(Scr/0.7, 1)^-1.2 × 0.9938^age × 1.012 for the base case, a
    # woman of 50): 1.0 mg/dL gives 68.6, at or above 50; 1.7 gives 36.3 and 1.8 gives 33.9,
    # below it, where NETTER-1 had a measured clearance confirm: open.
    ({"labs.creatinine_mg_dl": 1.0, "labs.egfr_ml_min": None}, M),
    ({"labs.creatinine_mg_dl": 1.7, "labs.egfr_ml_min": None}, U),
    ({"labs.creatinine_mg_dl": 1.8, "labs.egfr_ml_min": None}, U),
    ({"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": 50}, M),
    ({"labs.creatinine_mg_dl": None, "labs.egfr_ml_min": None}, U),
)
rules(
    "prrt",
    "hemoglobin",
    NETTER1,
    ({"labs.hemoglobin_g_dl": 8}, M),
    ({"labs.hemoglobin_g_dl": 7.9}, N),
    ({"labs.hemoglobin_g_dl": None}, U),
)
rules("prrt", "leukocytes", NETTER1, ({"labs.wbc_per_ul": 1999}, N))
rules(
    "prrt",
    "platelets",
    NETTER1,
    ({"labs.platelets_per_ul": 75000}, M),
    ({"labs.platelets_per_ul": 74999}, N),
)
rules(
    "ssa",
    "indication",
    SSA,
    ({"pathology.ki67_percent": 10}, M),
    ({"pathology.ki67_percent": 10.1}, N),
    ({"pathology.ki67_percent": 15, "primary.functional_syndrome": "carcinoid"}, M),
    ({"pathology.ki67_percent": None, "pathology.mitoses_per_2mm2": 1}, U),
    # 003 Medical therapy: SSAs are "effective in controlling hormonal secretion", with no
    # list of syndromes; insulinoma is the exception (octreotide can worsen the
    # hypoglycaemia: Gama 1995, the option's caution).
    ({"pathology.ki67_percent": 15, "primary.functional_syndrome": "other"}, M),
    ({"pathology.ki67_percent": 15, "primary.functional_syndrome": "insulinoma"}, N),
    # Jensen 2012 (ENETS, functional pancreatic syndromes): a gastrinoma's acid
    # hypersecretion is controlled with proton-pump inhibitors, "the drugs of choice"; the
    # SSA's indication is then its antiproliferative one alone.
    ({"pathology.ki67_percent": 15, "primary.functional_syndrome": "gastrinoma"}, N),
    ({"pathology.ki67_percent": 8, "primary.functional_syndrome": "gastrinoma"}, M),
)
rules(
    "ssa",
    "sstr",
    SSA,
    ({"imaging.sstr_positive": False, "imaging.krenning_score": None}, N),
    ({"imaging.sstr_positive": False}, U),  # against the Krenning score 3: set aside
    ({"imaging.sstr_positive": None}, M),  # Krenning score 3: positive
    ({"imaging.sstr_positive": None, "imaging.krenning_score": None}, U),
)
SSA_UNKNOWN_SSTR = {"imaging.sstr_positive": None, "imaging.krenning_score": None}
rules(
    "ssa",
    "sstr",
    "Kaltsas 2017 (ENETS, pre- and perioperative therapy): long-acting SSAs control the "
    "carcinoid syndrome; patients with a glucagonoma or a VIPoma require SSA treatment",
    (SSA_UNKNOWN_SSTR | {"primary.functional_syndrome": "carcinoid"}, M),
    (SSA_UNKNOWN_SSTR | {"primary.functional_syndrome": "glucagonoma"}, M),
    (SSA_UNKNOWN_SSTR | {"primary.functional_syndrome": "vipoma"}, M),
    # the guideline names these three; another syndrome still waits on the SSTR status
    (SSA_UNKNOWN_SSTR | {"primary.functional_syndrome": "gastrinoma"}, U),
    (SSA_UNKNOWN_SSTR | {"primary.functional_syndrome": "other"}, U),
    (
        {
            "imaging.sstr_positive": False,
            "imaging.krenning_score": None,
            "primary.functional_syndrome": "carcinoid",
        },
        M,
    ),
)

# --- targeted drugs and chemotherapy ------------------------------------------------------
for opt in ("everolimus", "sunitinib", "surufatinib", "cabozantinib"):
    rules(
        opt,
        "progressing",
        "004 §3.4 / RADIANT-3, SUN-1111, SANET, CABINET: progressive disease",
        ({"course.status": "stable"}, N),
        ({"course.status": None}, U),
        ({"course.status": "rapidly_progressing"}, M),
    )
rules(
    "everolimus",
    "progressing",
    "Matej 2016 (glycaemic control in insulinoma): everolimus controls the hypoglycaemia of an "
    "unresectable insulinoma apart from tumour progression, when medical therapy does not",
    (
        {
            "course.status": "stable",
            "primary.functional_syndrome": "insulinoma",
            "primary.syndrome_refractory": True,
        },
        M,
    ),
    (
        {
            "course.status": "stable",
            "primary.functional_syndrome": "insulinoma",
            "primary.syndrome_refractory": False,
        },
        N,
    ),
    (
        {
            "course.status": "stable",
            "primary.functional_syndrome": "insulinoma",
            "primary.syndrome_refractory": None,
        },
        U,
    ),
    # another syndrome refractory to medical therapy is not the hypoglycaemia
    (
        {
            "course.status": "stable",
            "primary.functional_syndrome": "gastrinoma",
            "primary.syndrome_refractory": True,
        },
        N,
    ),
)
rules(
    "everolimus",
    "population",
    "004 §3.4: RADIANT-3 pancreatic NET; RADIANT-4 'non-functional pulmonary and gastrointestinal (GI) NETs'",
    ({"primary.site": "small_intestine"}, M),
    ({"primary.site": "small_intestine", "primary.functional_syndrome": "carcinoid"}, M),
    # case-v1 additions: "midgut" is the small intestine, appendix or proximal colon, all
    # gastrointestinal
    ({"primary.site": "midgut"}, M),
    ({"primary.site": "thymus"}, N),
)
rules(
    "everolimus",
    "non_functional",
    "RADIANT-4 (004 §3.4): 'non-functional pulmonary and gastrointestinal (GI) NETs'; "
    "RADIANT-2 (Pavel 2011): with carcinoid syndrome, PFS 16.4 vs 11.3 months, short of its "
    "prespecified significance -- relative; RADIANT-3 pancreatic NET whatever its function",
    ({"primary.site": "small_intestine"}, M),
    ({"primary.site": "small_intestine", "primary.functional_syndrome": "carcinoid"}, R),
    ({"primary.site": "pancreas", "primary.functional_syndrome": "insulinoma"}, M),
    ({"primary.site": "small_intestine", "primary.functional_syndrome": None}, U),
)
rules(
    "sunitinib",
    "pancreatic",
    "003 Targeted therapies: phase III in PNET",
    ({"primary.site": "small_intestine"}, N),
    ({"primary.site": None}, U),
)
rules(
    "surufatinib",
    "advanced",
    "004 §3.4: surufatinib for ep-NET 'that cannot be surgically resected'",
    # type I, adequate remnant, fit, no extrahepatic disease: resectable
    ({"liver.distribution": "unilobar", "liver.lesion_count": 2}, N),
    ({"liver.surgical_assessment": "unresectable"}, M),
)
rules(
    "surufatinib",
    "non_functional",
    "004 §3.4: 'approved for ... progressive non-functional and well-differentiated (G1, G2 grade) ep-NET'",
    ({"primary.functional_syndrome": "carcinoid"}, N),
)
rules(
    "cabozantinib",
    "prior_therapy",
    "004 §3.4: CABINET 'patients with NET whose disease progressed after treatment'; CABINET "
    "eligibility: after an approved therapy other than a somatostatin analogue",
    ({"course.prior_systemic_lines": 0}, N),
    ({"course.prior_systemic_lines": None, "course.prior_treatments": None}, U),
    # The one line was the SSA: not the CABINET population.
    ({"course.prior_treatments": ["ssa"]}, N),
    # One line, treatments not listed: an SSA or not (boards differ on counting it).
    ({"course.prior_treatments": None}, U),
    # Two lines: at least one of them is not the SSA.
    ({"course.prior_treatments": None, "course.prior_systemic_lines": 2}, M),
    # PRRT listed as given: a prior line other than an SSA, with or without a count.
    ({"course.prior_treatments": ["ssa", "prrt"], "course.prior_systemic_lines": None}, M),
    ({"course.prior_treatments": ["capecitabine_temozolomide"]}, M),
    # A regimen with no option id (CAPOX) given with the SSA: the one line was not the SSA
    # alone (docs/case-v1-additions.md, Prior treatments without an option id).
    ({"course.prior_treatments": ["ssa", "other_systemic_therapy"]}, M),
)
for opt in ("capecitabine_temozolomide", "streptozocin_5fu"):
    rules(
        opt,
        "advanced",
        CHEMO,
        ({"liver.distribution": "unilobar", "liver.lesion_count": 2}, N),
        (
            {
                "liver.distribution": "unilobar",
                "liver.lesion_count": 2,
                "patient.fit_for_major_surgery": False,
            },
            M,
        ),
        # The surgeons' "unresectable" is the unresectability 003 asks for; their
        # "resectable" outweighs a diffuse pattern (sources.yaml, surgical-assessment).
        (
            {
                "liver.distribution": "unilobar",
                "liver.lesion_count": 2,
                "liver.surgical_assessment": "unresectable",
            },
            M,
        ),
        (
            {
                "liver.distribution": "unilobar",
                "liver.lesion_count": 2,
                "liver.surgical_assessment": "resectable_after_conversion",
            },
            M,
        ),
        ({"liver.surgical_assessment": "resectable"}, N),
    )
rules(
    "capecitabine_temozolomide",
    "advanced",
    "002 §2.3: 'For G3 NET, systematic chemotherapy is generally recommended' (and 004 §3.1 "
    "recommends resection for G1/G2 only), so a G3 NET with resectable metastases is not "
    "left without either",
    ({"liver.distribution": "unilobar", "liver.lesion_count": 2} | G3, M),
    (
        {"liver.surgical_assessment": "resectable", "pathology.differentiation": "well"} | G3,
        M,
    ),
)
rules(
    "capecitabine_temozolomide",
    "advanced",
    "000 §1: 'well differentiated G3 tumors and NEC ... are generally treated with "
    "chemotherapy because of aggressive tumor biology': a NEC with resectable metastases "
    "does not wait on the surgeons either",
    ({"liver.surgical_assessment": "resectable"} | NEC, M),
    ({"liver.distribution": "unilobar", "liver.lesion_count": 2} | NEC, M),
)
rules(
    "streptozocin_5fu",
    "pancreatic",
    "003 Medical therapy: 'streptozotocin with 5-FU and/or epirubicin in treating G1/G2 PNENs'; "
    "004 §3.4: 'temozolomide, streptozotocin, etoposide, and platinum, which are mainly "
    "indicated for NETs with high proliferative index' (no site named)",
    ({"primary.site": "small_intestine"}, N),
    # A well-differentiated G3 NET of the stomach: 004's high proliferative index.
    ({"primary.site": "stomach"} | G3_WELL, M),
    # The site not given: a pancreatic primary would meet it (the base case's G1/G2).
    ({"primary.site": None}, U),
)
rules(
    "capecitabine_temozolomide",
    "indication",
    "004 §3.4: chemotherapy 'mainly indicated for NETs with high proliferative index'",
    # "mainly", not "only": a relative indication, left to the board.
    ({"primary.site": "small_intestine"}, R),
    ({"primary.site": "small_intestine"} | G3, M),
    ({"primary.site": None}, U),
)
rules(
    "platinum_etoposide",
    "nec",
    "003 Medical therapy: 'For high-grade tumors with poor differentiation, platinum-based "
    "regimes are preferred'; relative, as 004 §3.4 names etoposide and platinum for NETs "
    "'with high proliferative index'",
    ({"pathology.differentiation": "well"}, R),
    ({"pathology.differentiation": "well"} | G3, R),
    ({"pathology.differentiation": None, "pathology.ki67_percent": 30}, U),
    (NEC, M),
)
rules(
    "platinum_etoposide",
    "high_grade",
    "004 §3.4: etoposide and platinum 'mainly indicated for NETs with high proliferative "
    "index'; 000 §1: G3 'Ki67 index > 20', NEC 'poorly differentiated neoplasms of high grade'",
    # G2 by both indices (000 §1: Ki-67 "from 3 to 20", mitoses "between 2 and 20")
    (
        {
            "pathology.differentiation": "well",
            "pathology.ki67_percent": 5,
            "pathology.mitoses_per_2mm2": 3,
        },
        N,
    ),
    ({"pathology.differentiation": "well"} | G3, M),
    (NEC, M),
    # well differentiated with no index: G1, G2 or G3
    (NO_GRADE | {"pathology.differentiation": "well"}, U),
)
# The labels, not the seeds, give CAPTEM's kidney and marrow limits: capecitabine is
# contraindicated below a creatinine clearance of 30 mL/min (label 4.1; the eGFR read in its
# place, else the least a creatinine gives by CKD-EPI 2021), temozolomide withheld below 100,000 platelets/µL (label 2.1).
rules(
    "capecitabine_temozolomide",
    "renal",
    "capecitabine label 4.1: 'contraindicated in patients with severe renal impairment "
    "(creatinine clearance below 30 mL/min)'",
    ({"labs.egfr_ml_min": 30}, M),
    ({"labs.egfr_ml_min": 29}, N),
    # no eGFR: a creatinine of 0.8 mg/dL gives the base case, a woman of 50, at least 89 by
    # CKD-EPI 2021 (Inker 2021), 3.0 mg/dL gives 18.4, below 30 and only a lower bound: open
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 0.8}, M),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 3.0}, U),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": None}, U),
)
# Streptozocin's label: renal toxicity "dose-related and cumulative and may be severe or
# fatal", and "preexisting renal disease requires a judgment ... of potential benefit as
# opposed to the known risk of serious renal damage": relative, read as an eGFR of 60
# (KDIGO 2012: a GFR below 60 mL/min/1.73 m² is chronic kidney disease).
rules(
    "streptozocin_5fu",
    "renal",
    "streptozocin label, Warnings; KDIGO 2012: GFR < 60 is chronic kidney disease (relative)",
    ({"labs.egfr_ml_min": 60}, M),
    ({"labs.egfr_ml_min": 59}, R),
    # no eGFR: a creatinine of 0.8 mg/dL gives the base case, a woman of 50, at least 89 by
    # CKD-EPI 2021 (Inker 2021); 3.0 mg/dL gives 18.4, a lower bound only: open
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 0.8}, M),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": 3.0}, U),
    ({"labs.egfr_ml_min": None, "labs.creatinine_mg_dl": None}, U),
)
rules(
    "capecitabine_temozolomide",
    "platelets",
    "temozolomide label 2.1: 'withhold ... until ... a platelet count of 100 x 10^9/L or greater'",
    ({"labs.platelets_per_ul": 100000}, M),
    ({"labs.platelets_per_ul": 99000}, N),
    ({"labs.platelets_per_ul": None}, U),
)
rules(
    "platinum_etoposide",
    "nec",
    "000 §1: NEC 'are categorized as small cell or large cell NEC' (poorly differentiated)",
    ({"pathology.differentiation": None, "pathology.nec_subtype": "small_cell"}, M),
    ({"pathology.differentiation": None, "pathology.nec_subtype": "large_cell"}, M),
)
rules(
    "interferon_alpha",
    "syndrome",
    "003 Medical therapy: 'Alpha-interferon may be associated with somatostatin analogs for palliation or hormonal symptoms'",
    ({"primary.functional_syndrome": "none"}, N),
    ({"primary.functional_syndrome": None}, U),
    ({"primary.functional_syndrome": "carcinoid"}, M),
    # given with an SSA, which an insulinoma's hypoglycaemia leaves out (octreotide can
    # worsen it: Gama 1995; the SSA's indication)
    ({"primary.functional_syndrome": "insulinoma"}, N),
    # nor a gastrinoma, whose SSA is ruled out too: proton-pump inhibitors are the drugs of
    # choice for its acid hypersecretion (Jensen 2012, ENETS; the SSA's indication)
    ({"primary.functional_syndrome": "gastrinoma"}, N),
)
rules(
    "interferon_alpha",
    "ssa_to_add_to",
    "003 Medical therapy: 'Alpha-interferon may be associated with somatostatin analogs', the "
    "option being that addition; an SSA needs SSTR-positive disease, or for the hormone control "
    "of a carcinoid syndrome, glucagonoma or VIPoma neither that nor the grade asked first "
    "(Kaltsas 2017), and otherwise not a NEC (004 §3.3): the SSA's own sstr and not_nec "
    "criteria",
    ({"imaging.sstr_positive": True}, M),
    # the base case's carcinoid syndrome: the SSA is given without the SSTR status
    (
        {
            "imaging.sstr_positive": False,
            "imaging.krenning_score": None,
            "pathology.sstr_ihc_positive": None,
        },
        M,
    ),
    # another syndrome (an ectopic ACTH, a gastrinoma) on SSTR-negative disease: its SSA is
    # ineligible, and there is nothing to add interferon to
    (
        {
            "imaging.sstr_positive": False,
            "imaging.krenning_score": None,
            "pathology.sstr_ihc_positive": None,
            "primary.functional_syndrome": "other",
        },
        N,
    ),
    (
        {
            "imaging.sstr_positive": None,
            "imaging.krenning_score": None,
            "pathology.sstr_ihc_positive": None,
            "primary.functional_syndrome": "gastrinoma",
        },
        U,
    ),
    ({"imaging.sstr_positive": None, "pathology.sstr_ihc_positive": True}, M),
    (
        {
            "imaging.sstr_positive": None,
            "imaging.krenning_score": None,
            "pathology.sstr_ihc_positive": None,
        },
        M,
    ),
    # 004 §3.3: the SSA's antiproliferative use is for a well-differentiated NET ("not
    # NEC"): a NEC with another syndrome has no SSA to add interferon to, SSTR-positive or
    # not; the base case's carcinoid syndrome has its SSA whatever the grade (Kaltsas 2017)
    ({"imaging.sstr_positive": True, "primary.functional_syndrome": "other"} | NEC, N),
    ({"imaging.sstr_positive": True} | NEC, M),
)


# Transplantation is a major operation: fitness applies as to resection (001 Introduction,
# "comorbidities and/or frailty making surgery unsafe"; the transplant criteria sets of
# 001 Table 2 take it for granted).
for opt in ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos"):
    rules(opt, "fit", FIT, *FIT_ROWS)
    # 003 Liver transplantation: "a potentially curative treatment", so the selection
    # criteria of 003 Potentially curative surgery apply, the heart among them.
    rules(
        opt,
        "no_right_heart_dysfunction",
        HEART + "; 003 Liver transplantation: 'a potentially curative treatment'",
        ({"patient.carcinoid_heart_disease": True}, N),
        ({"patient.carcinoid_heart_disease": False}, M),
        ({"patient.carcinoid_heart_disease": None}, U),
    )


# 003 Potentially curative surgery: "Concurrent or staged resection of the primary lesion and
# liver metastases"; 001 Simultaneous primary and NELM resection: curative intent takes the
# primary out too. Only the surgeons' judgement that it cannot be removed rules the curative
# resections out; a primary in place without that judgement counts as removable, and with
# neither the primary's status nor the judgement known the criterion is open.
NO_RESECTION_SAID = {  # nothing from which the primary's resection could be read either
    "primary.resected": None,
    "primary.resection_margin": None,
    "primary.months_since_primary_resection": None,
}
for opt in ("liver_resection", "staged_resection"):
    rules(
        opt,
        "primary_removable",
        "003 Potentially curative surgery; 001 Simultaneous primary and NELM resection",
        ({"primary.resected": False, "primary.surgical_assessment": "unresectable"}, N),
        ({"primary.resected": False, "primary.surgical_assessment": None}, M),
        ({"primary.resected": False, "primary.surgical_assessment": "resectable"}, M),
        ({"primary.resected": True, "primary.surgical_assessment": None}, M),
        ({**NO_RESECTION_SAID, "primary.surgical_assessment": None}, U),
        # judged unremovable, the primary is still in place (it cannot have been removed):
        # the resection not said, it is read as not resected (implied facts)
        ({**NO_RESECTION_SAID, "primary.surgical_assessment": "unresectable"}, N),
    )


# --- the shared criteria of the remaining options (each criterion has at least one row) ---
for opt in ("staged_resection", "cytoreductive_surgery", "primary_tumor_resection"):
    rules(opt, "fit", FIT, *FIT_ROWS)
rules(
    "staged_resection",
    "no_right_heart_dysfunction",
    HEART,
    ({"patient.carcinoid_heart_disease": True}, N),
    ({"patient.carcinoid_heart_disease": None}, U),
)
rules(
    "staged_resection",
    "no_extrahepatic",
    EXTRA,
    ({"extrahepatic.present": True, "extrahepatic.sites": ["bone"]}, N),
    ({"extrahepatic.present": None}, U),
)
rules(
    "staged_resection",
    "liver_type",
    "001 Staged resections for extensive disease; 004 §1: diffuse type III cannot be resected",
    ({"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 20}, N),
)
rules(
    "cytoreductive_surgery",
    "grade",
    NOT_NEC_SURGERY,
    (G3_WELL, M),
    (NEC, N),
    (NO_GRADE | {"pathology.differentiation": None}, U),
)
rules("cytoreductive_surgery", "g1_g2", G3_SURGERY, (G3_WELL, R), (NO_GRADE, U))
rules(
    "primary_tumor_resection",
    "primary_in_situ",
    "000 §2.1: resection of the primary tumour; an unknown primary cannot be resected",
    ({"primary.resected": True}, N),
    ({"primary.site": "unknown_primary"}, N),
    ({"primary.resected": None}, U),
)
rules(
    "liver_transplant_enets",
    "grade",
    f"{ENETS}: well-differentiated NEN G1/G2",
    (G3_WELL, N),
    (NO_GRADE, U),
)
rules(
    "liver_transplant_unos",
    "low_grade",
    "000 §2.2: low-grade tumours for transplantation",
    (G3_WELL, N),
    (NO_GRADE, U),
)
rules(
    "ssa",
    "not_nec",
    "004 §3.3: SSA for well-differentiated NET; Kaltsas 2017 (ENETS): the carcinoid syndrome, "
    "the glucagonoma and the VIPoma are treated with an SSA before any intervention",
    (NEC, N),
    (NEC | {"primary.functional_syndrome": "carcinoid"}, M),
    (NEC | {"primary.functional_syndrome": "vipoma"}, M),
    (NEC | {"primary.functional_syndrome": "insulinoma"}, N),
    (NEC | {"primary.functional_syndrome": None}, U),
)
rules(
    "everolimus",
    "grade",
    "RADIANT-3/RADIANT-4 eligibility: low or intermediate grade",
    (G3_WELL, N),
    (NEC, N),
)
rules(
    "sunitinib", "grade", "SUN-1111 eligibility: well-differentiated pancreatic NET", (G3_WELL, N)
)
rules("surufatinib", "grade", "004 §3.4: 'well-differentiated (G1, G2 grade) ep-NET'", (G3_WELL, N))
rules("cabozantinib", "not_nec", "CABINET eligibility: well-differentiated NET", (NEC, N))
# "preferred" (003) is no contraindication: a NEC is left to the board, a well-differentiated
# G3 NET (the other side of the edge) meets it, and an unknown grade stays unknown.
rules(
    "capecitabine_temozolomide",
    "not_nec",
    "003 Medical therapy: 'For high-grade tumors with poor differentiation, platinum-based regimes are preferred'",
    (NEC, R),
    (G3_WELL, M),
    (NO_GRADE | {"pathology.differentiation": None}, U),
)
# 003's G1/G2 is where efficacy was shown, and 004 §3.4 names streptozotocin for NETs "with
# high proliferative index": a G3 NET is left to the board (relative). Neither seed names it
# for a NEC (well_differentiated).
rules(
    "streptozocin_5fu",
    "grade",
    "003 Medical therapy: 'streptozotocin with 5-FU and/or epirubicin in treating G1/G2 PNENs'",
    (G3_WELL, R),
    ({"pathology.ki67_percent": 20}, M),
)
rules(
    "streptozocin_5fu",
    "well_differentiated",
    "003 Medical therapy: G1/G2 PNENs; 004 §3.4: 'NETs with high proliferative index'",
    (NEC, N),
    (G3_WELL, M),
)
# 003 gives interferon without a grade; G1/G2 is the scope of 001 Figure 2 ("Treatment
# algorithm for well-differentiated (G1/G2) neuroendocrine liver metastases"), which rules
# nothing out beyond it: relative. Ki-67 20 % is G2 and 25 % G3 (000 §1: G2 3–20 %).
rules(
    "interferon_alpha",
    "well_differentiated",
    "001 Figure 2: 'Treatment algorithm for well-differentiated (G1/G2) neuroendocrine liver metastases'; 003 Medical therapy names no grade",
    ({"pathology.ki67_percent": 20}, M),
    (G3_WELL, R),
    # a NEC: relative here too, but its option is ruled out by ssa_to_add_to (the SSA's
    # not_nec criterion, above), which the relative row's check of the status would miss
    (NO_GRADE, U),
)


def _find(doc: dict[str, Any], option: str, criterion: str) -> dict[str, Any]:
    wanted = f"{option}.{criterion}"
    for crit in doc["options"][option]["criteria"]:
        if crit["id"] == wanted:
            return crit  # type: ignore[no-any-return]
    raise AssertionError(f"no criterion {wanted}")


@pytest.mark.parametrize("option", sorted(ELIGIBLE_FROM))
def test_base_case_is_eligible(option: str) -> None:
    doc = assess_mapping(eligible_case(option), with_evidence=False)
    failing = [c["id"] for c in doc["options"][option]["criteria"] if c["result"] != "met"]
    assert doc["options"][option]["status"] == "eligible", failing


@pytest.mark.parametrize(
    "rule", RULES, ids=[f"{r.option}.{r.criterion}-{i}-{r.expected}" for i, r in enumerate(RULES)]
)
def test_rule(rule: Rule) -> None:
    doc = assess_mapping(eligible_case(rule.option, rule.changes), with_evidence=False)
    criterion = _find(doc, rule.option, rule.criterion)
    option = doc["options"][rule.option]
    if rule.expected == "relative":
        assert criterion["result"] == "unknown", (rule.source, criterion["value"])
        assert criterion.get("relative_contraindication") is True
        assert option["status"] == "uncertain"
        assert criterion["text"] in option["judgements"]
        return
    assert "relative_contraindication" not in criterion
    assert criterion["result"] == rule.expected, (rule.source, criterion["value"])
    others_met = all(c["result"] == "met" for c in option["criteria"] if c is not criterion)
    if rule.expected == "not_met":
        assert option["status"] == "ineligible"
        assert rule.option not in {o for step in doc["plan"] for o in step["options"]}
    elif rule.expected == "unknown":
        assert option["status"] in ("uncertain", "ineligible")
        if option["status"] == "uncertain":
            assert option["missing"], "an uncertain option must say what would decide it"
            removed = {p for p, v in rule.changes.items() if v is None}
            if removed:
                assert removed & set(option["missing"]), option["missing"]
    elif others_met:
        assert option["status"] == "eligible"


def test_every_option_has_rule_rows() -> None:
    assert {r.option for r in RULES} == set(ELIGIBLE_FROM)


def test_every_criterion_has_a_rule_row() -> None:
    """Adding a criterion (or an option) without its test rows fails here."""
    from nelm.knowledge import load_knowledge

    tested = {f"{r.option}.{r.criterion}" for r in RULES}
    untested = [
        c.id
        for spec in load_knowledge().options.values()
        for c in spec.criteria
        if c.id not in tested
    ]
    assert not untested, f"criteria without a row in tests/engine/test_rules.py: {untested}"
