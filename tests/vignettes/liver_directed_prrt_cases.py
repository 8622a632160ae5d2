"""Tumour-board vignettes for ablation, the transarterial therapies and PRRT.

Each patient is presented as a board would see it: a few complete, most thin or messy (a
grade without its Ki-67, "multiple" lesions, a lab missing, a prior Whipple, a functional
syndrome, progression on an SSA, extrahepatic disease stable or not). The expected statuses
were written from the seeds (shared/seeds/<id>_*.txt, section or table quoted beside each)
before nelm was run on the case; only statuses the seeds decide are listed, and an
"uncertain" names the case fields that would decide it. ``test_liver_directed_prrt.py``
checks them.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Vignette(NamedTuple):
    name: str
    case: dict[str, Any]
    # option -> eligible | uncertain | ineligible
    statuses: dict[str, str]
    # "option.criterion" -> met | not_met | unknown: the criterion the status rests on
    criteria: dict[str, str]
    # option -> fields its missing list must name (unknown stays unknown)
    missing: dict[str, list[str]]
    # option -> words of a case-specific caution that must be shown
    cautions: dict[str, str]
    # classification key -> value
    derived: dict[str, Any]
    source: str


TRANSARTERIAL = ("tae", "tace", "deb_tace")
LIVER_DIRECTED = ("thermal_ablation", *TRANSARTERIAL, "tare")

LABS_OK = {
    "bilirubin_mg_dl": 0.6,
    "albumin_g_dl": 4.1,
    "creatinine_mg_dl": 0.9,
    "egfr_ml_min": 82,
    "ldh_u_l": 190,
    "ast_u_l": 31,
    "platelets_per_ul": 235000,
    "hemoglobin_g_dl": 13.0,
    "wbc_per_ul": 6100,
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
FIT = {"ecog": 1, "fit_for_major_surgery": True, "carcinoid_heart_disease": False}

Q_002_4 = (
    "002 §4: 'vascular and ablative locoregional treatments are recommended exclusively for "
    "G1-G2 NETs when there are metastases primarily affecting the liver, and the extrahepatic "
    "disease remains stable. Ablative techniques are exclusively used for limited or "
    "oligometastatic liver disease, including scenarios with less than three lesions "
    "measuring ≤ 3 cm, or a single lesion < 5 cm'"
)
Q_002_33 = (
    "002 §3.3: 'serum creatinine < 2, lactate dehydrogenase < 425 mU/mL, aspartate "
    "transaminase < 100 mL, platelet count > 100,000/mL, serum bilirubin < 2 mg/dL, and tumor "
    "burden < 50% of the liver ... other important contraindications of TAE/TACE include "
    "portal vein occlusion, biliary anastomoses, poor liver reserve, history of "
    "pancreaticoduodenectomy'"
)
Q_003_SIRT = (
    "003 Hepatic arterial embolization: 'SIRT is contraindicated in cases of aberrant vessels "
    "with shunt to the gastrointestinal tract, compromised portal veins, and inadequate liver "
    "functional reserve'"
)
Q_001_PRRT = (
    "001 PRRT: 'lower-grade NELM and extra-hepatic metastases (grades 1 and 2) with "
    "sufficient SSTR expression on diagnostic SSTR scintigraphy in patients with adequate "
    "renal function and bone marrow reserves'; 002 §2.3: 'NANETS and ENETS, recommend the "
    "use of PRRT only after the progression of disease while on SSAs'"
)


VIGNETTES: list[Vignette] = [
    # 1. Complete: ileal G2, two small lesions in one lobe, newly diagnosed, no SSA yet.
    Vignette(
        "ileal-g2-two-small-lesions-new",
        {
            "case_id": "v-ld-01",
            "patient": {"age_years": 61, **FIT, "ecog": 0, "lvef_percent": 62},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 8, "mitoses_per_2mm2": 1},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 2,
                "largest_lesion_cm": 2.5,
                "distribution": "unilobar",
                "tumor_burden_percent": 5,
                "near_hilum_or_major_vessels": False,
                "subcapsular": False,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": {
                "status": "new_diagnosis",
                "prior_systemic_lines": 0,
                "progressed_on_ssa": False,
            },
        },
        {
            "thermal_ablation": "eligible",  # 002 §4: fewer than three lesions ≤ 3 cm
            "tae": "eligible",  # 002 §3.3 criteria all met, no contraindication named
            "tace": "eligible",
            "deb_tace": "eligible",
            "tare": "eligible",  # 003: no GI shunt, portal vein patent, reserve adequate
            # 002 §2.3: only after progression on an SSA; NETTER-2's first line is Ki-67 ≥ 10
            "prrt": "ineligible",
        },
        {"thermal_ablation.size_number": "met", "prrt.setting": "not_met"},
        {},
        {},
        {"grade": "G2", "liver_type": "I"},
        Q_002_4 + "; " + Q_002_33 + "; " + Q_003_SIRT + "; " + Q_001_PRRT,
    ),
    # 2. Thin: "G2 pancreatic NET, multiple bilobar liver metastases (at least five)"; no
    # Ki-67, no labs, nothing said of SSTR imaging or disease outside the liver.
    Vignette(
        "pnet-g2-multiple-bilobar-thin",
        {
            "case_id": "v-ld-02",
            "primary": {"site": "pancreas"},
            "pathology": {"reported_grade": "G2"},
            "liver": {"lesion_count_at_least": 5, "bilobar": True},
        },
        {
            "thermal_ablation": "ineligible",  # 002 §4: five lesions are not "less than three"
            "tae": "uncertain",
            "tace": "uncertain",
            "deb_tace": "uncertain",
            "tare": "uncertain",
            "prrt": "uncertain",
        },
        {"thermal_ablation.size_number": "not_met", "tae.grade": "met"},
        {
            "tae": [
                "labs.bilirubin_mg_dl",
                "liver.tumor_burden_percent",
                "anatomy.portal_vein_thrombosis",
                "extrahepatic.present",
            ],
            "tare": ["anatomy.gi_shunting_uncorrectable", "labs.bilirubin_mg_dl"],
            "prrt": ["imaging.sstr_positive"],
        },
        {},
        {"grade": "G2"},
        Q_002_4 + "; " + Q_002_33 + "; " + Q_003_SIRT + "; " + Q_001_PRRT,
    ),
    # 3. Pancreatic head NET after a Whipple, diffuse liver disease, progressing on an SSA.
    Vignette(
        "pnet-after-whipple-diffuse",
        {
            "case_id": "v-ld-03",
            "patient": {"age_years": 58, **FIT},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {
                "differentiation": "well",
                "ki67_percent": 5,
                "mitoses_per_2mm2": 2,
                "ki67_source": "liver_metastasis",
            },
            "imaging": {"sstr_positive": True, "sstr_uptake_vs_liver": "above_liver"},
            "liver": {
                "lesion_count": 14,
                "largest_lesion_cm": 3.5,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 30,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "prior_whipple": True, "biliary_enteric_anastomosis": True},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        {
            "thermal_ablation": "ineligible",  # 002 §4: fourteen diffuse lesions
            # 002 §3.3 "history of pancreaticoduodenectomy"; 003 "generally contraindicated"
            "tae": "ineligible",
            "tace": "ineligible",
            "deb_tace": "ineligible",
            # 002 §3.5 "radioembolization may be better suited ... history of Whipple
            # resection"; 003 disagrees for all transarterial therapies: a caution
            "tare": "eligible",
            "prrt": "eligible",  # 001 PRRT, 002 §2.3: progression on the SSA
        },
        {"tae.no_prior_whipple": "not_met", "tace.no_bilioenteric_anastomosis": "not_met"},
        {},
        {"tare": "003 holds transarterial therapies generally contraindicated"},
        {"grade": "G2", "liver_type": "III"},
        Q_002_33 + "; 002 §3.5: 'radioembolization may be better suited for patients with "
        "bilidigestive anastomosis or a history of Whipple resection'; 003 Hepatic arterial "
        "embolization: 'In patients with previous pancreaticoduodenectomy, transarterial "
        "therapies are generally contraindicated'; " + Q_001_PRRT,
    ),
    # 4. Well-differentiated G3 pancreatic NET (Ki-67 30 %) progressing on an SSA.
    Vignette(
        "pnet-g3-progressed-on-ssa",
        {
            "case_id": "v-ld-04",
            "patient": {"age_years": 55, **FIT},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 30},
            "imaging": {"sstr_positive": True, "krenning_score": 3, "fdg_positive": True},
            "liver": {
                "lesion_count": 9,
                "largest_lesion_cm": 4,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 40,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        {
            # 002 §4 "exclusively for G1-G2" against NANETS's support for liver-directed
            # therapy for G3 NET (002 §3): the board's to weigh for a well-differentiated G3
            "tae": "uncertain",
            "tace": "uncertain",
            "deb_tace": "uncertain",
            "tare": "uncertain",
            # 002 §4: "less than three lesions measuring ≤ 3 cm, or a single lesion < 5 cm"
            "thermal_ablation": "ineligible",
            # 000 §4: "PRRT may also be used in a subset of patients with G3 tumors (Ki67 <
            # 55%)"; 002 §2.3: after progression on an SSA
            "prrt": "eligible",
        },
        {
            "tae.grade": "met",
            "tae.g1_g2": "unknown",
            "tare.grade": "met",
            "tare.g1_g2": "unknown",
            "thermal_ablation.size_number": "not_met",
            "prrt.ki67": "met",
        },
        {},
        {"prrt": "G3 NET"},
        {"grade": "G3"},
        Q_002_4 + "; 002 §3: 'NANETS guidelines still support the use of liver-directed "
        "therapy for G3 NET'; 000 §4: 'PRRT may also be used in a subset of patients with G3 "
        "tumors (Ki67 < 55%)'",
    ),
    # 5. Large-cell NEC of the pancreas, Ki-67 70 %, many liver metastases.
    Vignette(
        "pancreatic-nec-ki67-70",
        {
            "case_id": "v-ld-05",
            "patient": {"age_years": 67, "ecog": 1},
            "primary": {"site": "pancreas"},
            "pathology": {
                "differentiation": "poor",
                "nec_subtype": "large_cell",
                "ki67_percent": 70,
            },
            "liver": {"lesion_count_at_least": 10, "distribution": "bilobar_diffuse"},
        },
        {
            **{o: "ineligible" for o in LIVER_DIRECTED},  # 002 §4: G1-G2 only
            "prrt": "ineligible",  # 000 §4: G3 with Ki-67 < 55 % only
        },
        {"prrt.ki67": "not_met", "prrt.not_nec": "not_met"},
        {},
        # 001 PRRT: dual tracer "may provide important information for patient selection for
        # PRRT in ... G3 NEN and NECs": shown as a caution
        {"prrt": "dual-tracer imaging (FDG and SSTR) may inform"},
        {"grade": "NEC"},
        Q_002_4 + "; 000 §4: 'PRRT may also be used in a subset of patients with G3 tumors "
        "(Ki67 < 55%)'; 001 PRRT: 'dual tracer ... may provide important information for "
        "patient selection for PRRT in the heterogeneous complex high-grade disease group of "
        "G3 NEN and NECs'",
    ),
    # 6. Ileal G1, diffuse liver disease, stable mesenteric/para-aortic nodes; octreoscan
    # "positive" without a Krenning score; LDH not sent.
    Vignette(
        "ileal-g1-octreoscan-positive-no-ldh",
        {
            "case_id": "v-ld-06",
            "patient": {"age_years": 70, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 2, "mitoses_per_2mm2": 1},
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count": 12,
                "largest_lesion_cm": 3,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 20,
            },
            "extrahepatic": {"present": True, "sites": ["distant_nodes"], "stable": True},
            "labs": {k: v for k, v in LABS_OK.items() if k != "ldh_u_l"},
            "anatomy": VESSELS_OK,
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        {
            "thermal_ablation": "ineligible",  # 002 §4: twelve lesions
            "tae": "uncertain",  # 002 §3.3: LDH < 425 not known
            "tace": "uncertain",
            "deb_tace": "uncertain",
            "tare": "uncertain",
            # 001 "sufficient SSTR expression", 003 "strong radiotrace uptake": "positive"
            # does not say how strong
            "prrt": "uncertain",
        },
        {"tae.liver_dominant": "met", "tae.ldh": "unknown", "prrt.uptake": "unknown"},
        {
            "tae": ["labs.ldh_u_l"],
            "tace": ["labs.ldh_u_l"],
            "deb_tace": ["labs.ldh_u_l"],
            "tare": ["labs.ldh_u_l"],
            "prrt": ["imaging.krenning_score"],
        },
        {},
        {"grade": "G1", "liver_type": "III"},
        Q_002_4 + "; " + Q_002_33 + "; 003 Targeted therapies: 'Radiolabeled somatostatin "
        "analogs represent a new treatment option in patients with strong radiotrace uptake "
        "on SRS'; " + Q_001_PRRT,
    ),
    # 7. Ileal G2 (Ki-67 12 %), diffuse liver disease, bone metastases progressing.
    Vignette(
        "ileal-g2-bone-progressing",
        {
            "case_id": "v-ld-07",
            "patient": {"age_years": 64, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 12, "mitoses_per_2mm2": 4},
            "imaging": {"sstr_positive": True, "sstr_uptake_vs_liver": "above_liver"},
            "liver": {
                "lesion_count": 20,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 40,
            },
            "extrahepatic": {"present": True, "sites": ["bone"], "stable": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        {
            # 002 §4: "the extrahepatic disease remains stable"
            **{o: "ineligible" for o in LIVER_DIRECTED},
            "prrt": "eligible",  # 001 PRRT "extra-hepatic metastases"; 002 §2.3
        },
        {"tae.liver_dominant": "not_met", "tare.liver_dominant": "not_met"},
        {},
        {"tae": "Bone metastasis", "tace": "003 allows liver-directed therapy"},
        {"grade": "G2"},
        Q_002_4 + "; 003 Hepatic arterial embolization: 'Liver-directed therapies may also be "
        "proposed in patients with extrahepatic metastases to control liver disease and "
        "symptoms'; " + Q_001_PRRT,
    ),
    # 8. Carcinoid syndrome not controlled, one 4.2 cm lesion against the hilum.
    Vignette(
        "carcinoid-single-hilar-lesion",
        {
            "case_id": "v-ld-08",
            "patient": {"age_years": 52, **FIT},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"differentiation": "well", "ki67_percent": 1, "mitoses_per_2mm2": 0},
            "liver": {
                "lesion_count": 1,
                "largest_lesion_cm": 4.2,
                "near_hilum_or_major_vessels": True,
                "subcapsular": False,
                "tumor_burden_percent": 8,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
        },
        {
            # 002 §4 single lesion < 5 cm met; 001 "RFA is usually contraindicated for NELM
            # around vital structures in the liver hilum": relative, so open
            "thermal_ablation": "uncertain",
            "tae": "eligible",
            "tace": "eligible",
            "deb_tace": "eligible",
            "tare": "eligible",
        },
        {"thermal_ablation.size_number": "met", "thermal_ablation.not_hilar": "unknown"},
        {},
        {
            "thermal_ablation": "microwave ablation is less prone to heat sink",
            "tae": "periprocedural carcinoid crisis",
            "tare": "periprocedural carcinoid crisis",
        },
        {"grade": "G1", "liver_type": "I"},
        Q_002_4 + "; 001 Ablative techniques: 'RFA is usually contraindicated for NELM around "
        "vital structures in the liver hilum'; 002 §4: MWA 'a viable option for neuroendocrine "
        "liver metastases in challenging anatomical locations'; 002 §3.3: 'Periprocedural "
        "carcinoid crisis is also a potentially lethal complication of interventions directed "
        "at NETs'",
    ),
    # 9. Pancreatic G2, diffuse disease, portal vein thrombosis on CT.
    Vignette(
        "pnet-g2-portal-vein-thrombosis",
        {
            "case_id": "v-ld-09",
            "patient": {"age_years": 66, **FIT},
            "primary": {"site": "pancreas", "resected": False},
            "pathology": {"differentiation": "well", "ki67_percent": 4, "mitoses_per_2mm2": 1},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 45},
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "portal_vein_thrombosis": True},
        },
        {
            # 000 §3.1 "insufficient portal inflow"; 001 "portal vein thrombosis"; 002 §3.3
            # "portal vein occlusion"; 003 "compromised portal veins" (SIRT)
            "tae": "ineligible",
            "tace": "ineligible",
            "deb_tace": "ineligible",
            "tare": "ineligible",
            "thermal_ablation": "ineligible",  # 002 §4: diffuse (type III) disease
        },
        {"tae.no_portal_vein_occlusion": "not_met", "tare.portal_vein": "not_met"},
        {},
        {},
        {"liver_type": "III"},
        "001 TAE and TACE: 'Intra-arterial embolization techniques are generally "
        "contraindicated in the presence of portal vein thrombosis'; "
        + Q_002_33
        + "; "
        + Q_003_SIRT,
    ),
    # 10. Bulky ileal G2: 60 % of the liver, bilirubin 2.4 mg/dL, ascites.
    Vignette(
        "ileal-g2-bulky-poor-reserve",
        {
            "case_id": "v-ld-10",
            "patient": {"age_years": 73, "ecog": 2},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"differentiation": "well", "ki67_percent": 6, "mitoses_per_2mm2": 2},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 60},
            "extrahepatic": {"present": False},
            "labs": {**LABS_OK, "bilirubin_mg_dl": 2.4, "albumin_g_dl": 3.1},
            "anatomy": {**VESSELS_OK, "ascites": True},
        },
        {
            # 002 §3.3: bilirubin < 2 mg/dL and burden < 50 %; 003 "inadequate liver
            # functional reserve" (SIRT)
            "tae": "ineligible",
            "tace": "ineligible",
            "deb_tace": "ineligible",
            "tare": "ineligible",
        },
        {
            "tae.bilirubin": "not_met",
            # 60 % is not < 50 %, a "widely used" criterion (002 §3.3), inside the 10–90 %
            # of 002 §3's salvage: relative, the board's to weigh; the bilirubin decides
            "tae.burden": "unknown",
            "tare.bilirubin": "not_met",
            "tare.burden": "unknown",
        },
        {},
        # 004 §3.2 reads poor reserve as a reason for TACE
        {"tace": "004 instead names insufficient hepatic functional reserve"},
        {},
        Q_002_33 + "; " + Q_003_SIRT + "; 004 §3.2: 'TACE is mainly applied to NETLM patients "
        "who are unwilling to accept or unable to undergo surgery due to ... insufficient "
        "hepatic functional reserve'",
    ),
    # 11. Ileal G1, ECOG 3, carcinoid heart disease with LVEF 40 %.
    Vignette(
        "ileal-g1-ecog3-low-lvef",
        {
            "case_id": "v-ld-11",
            "patient": {
                "age_years": 78,
                "ecog": 3,
                "lvef_percent": 40,
                "carcinoid_heart_disease": True,
                "fit_for_major_surgery": False,
            },
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "functional_syndrome": "carcinoid",
            },
            "pathology": {"differentiation": "well", "ki67_percent": 2, "mitoses_per_2mm2": 1},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
        },
        {
            # 003: "Contraindications of TAE and TACE include ... poor performance status"
            "tae": "ineligible",
            "tace": "ineligible",
            "deb_tace": "ineligible",
            # the seeds name no performance limit for SIRT (003 lists its own three)
            "tare": "eligible",
        },
        {"tae.performance_status": "not_met"},
        {},
        {
            "tare": "the source reviews name no performance limit for radioembolisation",
            "tace": "poor LVEF contraindicates TACE with doxorubicin",
        },
        {},
        "003 Hepatic arterial embolization: 'Contraindications of TAE and TACE include portal "
        "vein occlusion, insufficient liver reserve, and poor performance status'; "
        + Q_003_SIRT
        + "; 002 §3.3: 'poor left ventricular ejection fraction if utilizing TACE with "
        "doxorubicin'",
    ),
    # 12. Ileal G2 (Ki-67 15 %), bulky dominant right-lobe disease progressing fast, lung
    # shunt fraction 12 % on the planning scan.
    Vignette(
        "ileal-g2-rapid-bulky-lung-shunt",
        {
            "case_id": "v-ld-12",
            "patient": {"age_years": 59, **FIT},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 15, "mitoses_per_2mm2": 3},
            "liver": {
                "lesion_count": 6,
                "largest_lesion_cm": 7,
                "distribution": "bilobar_dominant",
                "tumor_burden_percent": 35,
            },
            "extrahepatic": {"present": False},
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "hepatopulmonary_shunt_percent": 12},
            "course": {"status": "rapidly_progressing"},
        },
        {
            "thermal_ablation": "ineligible",  # 002 §4: six lesions, 7 cm
            "tae": "eligible",
            "tare": "eligible",
        },
        {"thermal_ablation.size_number": "not_met"},
        {},
        {
            "tare": "Rapidly progressing disease",  # 002 §3.5
            "tae": "Ki-67 > 10 %",  # 004 §4
        },
        {"grade": "G2", "liver_type": "II"},
        Q_002_4 + "; 002 §3.5: 'Merits for preferring radioembolization over TACE may also "
        "depend on ... when the disease is progressing rapidly'; 004 §4: 'Ki-67 >10% and bone "
        "metastasis were independent prognostic factors for PFS'; 004 §3.2 lung shunt > 10 %",
    ),
    # 13. Thin: "NET liver metastases, primary not found, SSTR-PET positive, multiple
    # lesions, progressing on lanreotide" - no grade, no size, nothing else.
    Vignette(
        "unknown-primary-grade-not-stated",
        {
            "case_id": "v-ld-13",
            "primary": {"site": "unknown_primary"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count_at_least": 2},
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        {
            # the grade decides every one of them (002 §4; 000 §4 and 001 PRRT)
            **{o: "uncertain" for o in LIVER_DIRECTED},
            "prrt": "uncertain",
        },
        {"tae.grade": "unknown", "thermal_ablation.size_number": "unknown", "prrt.setting": "met"},
        {
            "thermal_ablation": ["pathology.ki67_percent", "liver.largest_lesion_cm"],
            "tae": ["pathology.ki67_percent"],
            "tare": ["pathology.ki67_percent"],
            "prrt": ["pathology.ki67_percent"],
        },
        {},
        {"grade": None},
        Q_002_4 + "; " + Q_001_PRRT,
    ),
    # 14. Rectal NET "G1" per the outside report (no Ki-67 given), two lesions of 2 cm in
    # one lobe; the staging CT of the chest and bones is not reported.
    Vignette(
        "rectal-g1-two-lesions-staging-unstated",
        {
            "case_id": "v-ld-14",
            "patient": {"age_years": 48, **FIT},
            "primary": {"site": "rectum", "resected": True},
            "pathology": {"reported_grade": "G1"},
            "liver": {
                "lesion_count": 2,
                "largest_lesion_cm": 2,
                "distribution": "unilobar",
                "near_hilum_or_major_vessels": False,
                "subcapsular": False,
                "tumor_burden_percent": 3,
            },
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
        },
        {
            # 002 §4: limited disease met, but whether the disease is liver-dominant is open
            "thermal_ablation": "uncertain",
            "tare": "uncertain",
            "prrt": "uncertain",
        },
        {"thermal_ablation.size_number": "met", "thermal_ablation.liver_dominant": "unknown"},
        {
            "thermal_ablation": ["extrahepatic.present"],
            "tae": ["extrahepatic.present"],
            "prrt": ["imaging.sstr_positive"],
        },
        # 002 §3.5: a G1 is Ki-67 < 3 % (WHO), the side that favours TACE
        {"tare": "Ki-67 < 3 %"},
        {"grade": "G1", "liver_type": "I"},
        Q_002_4
        + "; 002 §3.5: 'the Ki-67 score < 3% predicted greater benefit with TACE'; "
        + Q_001_PRRT,
    ),
    # 15. Pancreatic G2 with hepatic encephalopathy (bilirubin 1.8 mg/dL) and a biliary
    # stent for obstruction.
    Vignette(
        "pnet-g2-encephalopathy-biliary-obstruction",
        {
            "case_id": "v-ld-15",
            "patient": {"age_years": 69, "ecog": 2},
            "primary": {"site": "pancreas", "resected": False},
            "pathology": {"differentiation": "well", "ki67_percent": 5, "mitoses_per_2mm2": 2},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {"present": False},
            "labs": {**LABS_OK, "bilirubin_mg_dl": 1.8},
            "anatomy": {**VESSELS_OK, "hepatic_encephalopathy": True, "biliary_obstruction": True},
        },
        {
            # 000 §3.1: "Other contraindications include hepatic encephalopathy and biliary
            # obstruction due to increased risk for biliary necrosis"
            "tae": "ineligible",
            "tace": "ineligible",
            "deb_tace": "ineligible",
            # 003: SIRT contraindicated with "inadequate liver functional reserve", of which
            # hepatic encephalopathy is a sign even with a bilirubin < 2 mg/dL (000 §3 counts
            # radioembolisation among the embolotherapies its §3.1 contraindications name)
            "tare": "ineligible",
        },
        {
            "tae.no_encephalopathy": "not_met",
            "tae.no_biliary_obstruction": "not_met",
            "tare.bilirubin": "met",
            "tare.no_encephalopathy": "not_met",
        },
        {},
        {},
        {"grade": "G2"},
        "000 §3.1: 'Other contraindications include hepatic encephalopathy and biliary "
        "obstruction due to increased risk for biliary necrosis'; " + Q_003_SIRT,
    ),
]
