"""Patients drawn from the seeds' own rules: each sits on one rule or its boundary.

Each case is plain case-v1 (with the documented case-v1 additions only), thin and partly
qualitative as a published report is: a grade as reported without a Ki-67, a lesion count
as a bound, the surgeons' judgement. The expected verdicts are read from the sentence of the
seed quoted beside them (shared/seeds/<id>_*.txt, section or table), never from a run.
``test_seed_patients.py`` checks them.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class SeedPatient(NamedTuple):
    name: str
    case: dict[str, Any]
    # option -> eligible | uncertain | ineligible
    statuses: dict[str, str]
    # "option.criterion" -> met | not_met | unknown
    criteria: dict[str, str]
    # option -> words of a case-specific caution that must be shown
    cautions: dict[str, str]
    # classification key -> value (grade, liver_type, portal_drainage)
    derived: dict[str, Any]
    # option -> fields its missing list must name (unknown must stay unknown)
    missing: dict[str, list[str]]
    # options that must all be in the plan's first step (empty: not checked)
    first_step: tuple[str, ...]
    source: str


FIT = {"fit_for_major_surgery": True, "carcinoid_heart_disease": False}
NO_EXTRA = {"present": False}
LABS_OK = {
    "bilirubin_mg_dl": 0.7,
    "creatinine_mg_dl": 0.9,
    "ldh_u_l": 210,
    "ast_u_l": 28,
    "platelets_per_ul": 240000,
}
VESSELS_OK = {
    "portal_vein_thrombosis": False,
    "biliary_enteric_anastomosis": False,
    "prior_whipple": False,
    "biliary_obstruction": False,
    "hepatic_encephalopathy": False,
    "gi_shunting_uncorrectable": False,
}
STABLE_8 = {"status": "stable", "months_stable": 8}
TRANSPLANTS = ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos")
TABLE_2 = (
    "001 Table 2: Milan 'Age <55 years ... Involvement of <50% hepatic parenchyma'; ENETS "
    "'Young patients (<55 years) ... Ki67 proliferation index ≤ 10% ... <75% in cases with "
    "refractory hormonal symptoms ... Low serum total bilirubin'; UNOS 'Primary tumor drained "
    "by the portal system ... bilobar NELM, not amenable to resection'"
)
ABLATION = (
    "002 §4: 'Ablative techniques are exclusively used for limited or oligometastatic liver "
    "disease, including scenarios with less than three lesions measuring ≤ 3 cm, or a single "
    "lesion < 5 cm'"
)
TRANSARTERIAL = (
    "001 TAE and TACE: 'Intra-arterial embolization techniques are generally contraindicated "
    "in the presence of portal vein thrombosis, hepatic insufficiency or bilio-enteric "
    "anastomosis'; 003 Hepatic arterial embolization: 'In patients with previous "
    "pancreaticoduodenectomy, transarterial therapies are generally contraindicated'"
)
LAB_LIMITS = (
    "002 §3.3: 'serum creatinine < 2, lactate dehydrogenase < 425 mU/mL, aspartate "
    "transaminase < 100 mL, platelet count > 100,000/mL, serum bilirubin < 2 mg/dL, and "
    "tumor burden < 50% of the liver'"
)
RESECTION = (
    "004 §3.1: 'Patients with type I LMs without extrahepatic metastases in G1 and G2 grades "
    "are recommended to undergo radical resection'; 003 Potentially curative surgery: "
    "'absence of right cardiac dysfunction'"
)


def _transplant_candidate(age: float, **changes: Any) -> dict[str, Any]:
    """An ileal NET resected R0 a year and a half ago, diffuse liver-only disease."""
    case: dict[str, Any] = {
        "case_id": f"seed-transplant-{age}",
        "patient": {"age_years": age, **FIT},
        "primary": {
            "site": "small_intestine",
            "resected": True,
            "resection_margin": "R0",
            "months_since_primary_resection": 18,
            "functional_syndrome": "none",
        },
        "pathology": {"differentiation": "well", "ki67_percent": 8, "mitoses_per_2mm2": 1},
        "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 40},
        "extrahepatic": NO_EXTRA,
        "labs": {"bilirubin_mg_dl": 0.7},
        "course": STABLE_8,
    }
    for path, value in changes.items():
        group, _, key = path.partition("__")
        case[group] = {**case[group], key: value}
    return case


SEED_PATIENTS: list[SeedPatient] = [
    SeedPatient(
        "milan-54-grade-as-reported",
        _transplant_candidate(
            54,
            pathology__ki67_percent=None,
            pathology__mitoses_per_2mm2=None,
            pathology__reported_grade="G2",
            liver__tumor_burden_percent=None,
            liver__tumor_burden_percent_at_most=40,
        ),
        {
            "liver_transplant_milan": "eligible",
            "liver_transplant_unos": "eligible",
            # ENETS asks Ki-67 ≤ 10 %, which "G2" (Ki-67 3–20 %) does not settle
            "liver_transplant_enets": "uncertain",
            "liver_resection": "ineligible",
            "thermal_ablation": "ineligible",
        },
        {
            "liver_transplant_milan.age": "met",
            "liver_transplant_milan.grade": "met",
            "liver_transplant_milan.involvement": "met",
            "liver_transplant_enets.ki67": "unknown",
            "liver_transplant_unos.bilobar_unresectable": "met",
            "liver_resection.liver_type": "not_met",
        },
        {},
        {"grade": "G2", "liver_type": "III", "portal_drainage": True},
        {"liver_transplant_enets": ["pathology.ki67_percent"]},
        TRANSPLANTS,
        TABLE_2 + "; 004 §1: diffuse type III metastases cannot be resected",
    ),
    SeedPatient(
        "milan-age-55",
        _transplant_candidate(55),
        {
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "liver_transplant_unos": "ineligible",
        },
        {
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_enets.age": "not_met",
            "liver_transplant_unos.age": "not_met",
        },
        # 004 §3.1 restates Milan as "age <60 years": a seed conflict, shown
        {"liver_transplant_milan": "004 states the Milan age limit as < 60 years"},
        {},
        {},
        (),
        TABLE_2 + "; 004 §3.1: 'and age <60 years'",
    ),
    SeedPatient(
        "burden-50-refractory-carcinoid",
        _transplant_candidate(
            45,
            primary__functional_syndrome="carcinoid",
            primary__syndrome_refractory=True,
            liver__tumor_burden_percent=50,
        ),
        {
            "liver_transplant_milan": "ineligible",
            "liver_transplant_unos": "ineligible",
            "liver_transplant_enets": "eligible",
            # 001 Debulking surgery: 'uncontrollable functional NENs'; 003: avoid > 75 %
            "cytoreductive_surgery": "eligible",
        },
        {
            "liver_transplant_milan.involvement": "not_met",
            "liver_transplant_unos.involvement": "not_met",
            "liver_transplant_enets.involvement": "met",
            "cytoreductive_surgery.indication": "met",
            "cytoreductive_surgery.involvement": "met",
        },
        {"liver_transplant_milan": "000 writes the transplant limit as ≤ 50 %"},
        {},
        {},
        (),
        TABLE_2 + "; 000 §2.2: 'low hepatic tumor burden (≤50%)'; 003 Cytoreductive "
        "surgery: 'If > 75% of the liver parenchyma is involved ... surgical treatment should "
        "be avoided'",
    ),
    SeedPatient(
        "rectal-primary-not-portal",
        _transplant_candidate(40, primary__site="rectum"),
        {
            "liver_transplant_milan": "ineligible",
            "liver_transplant_unos": "ineligible",
            "liver_transplant_enets": "uncertain",
        },
        {
            "liver_transplant_milan.portal_drainage": "not_met",
            "liver_transplant_unos.portal_drainage": "not_met",
            "liver_transplant_enets.portal_drainage": "unknown",  # relative: not settled
        },
        {},
        {"portal_drainage": False},
        {},
        (),
        "001 Table 2: Milan 'Primary tumor drained by the portal system (pancreas and "
        "intermediate gut: from distal stomach to sigmoid colon)'; the ENETS list names no "
        "drainage, while 000 §2.2 reserves transplantation for 'primary tumors that drain "
        "via the portal system': relative on ENETS, the board's to weigh",
    ),
    SeedPatient(
        "ablation-two-lesions-3cm",
        {
            "case_id": "seed-ablation-2x3",
            "patient": FIT,
            "primary": {"site": "pancreas", "resected": True, "resection_margin": "R0"},
            "pathology": {"differentiation": "well", "ki67_percent": 2, "mitoses_per_2mm2": 1},
            "liver": {
                "lesion_count": 2,
                "largest_lesion_cm": 3,
                "distribution": "unilobar",
                "surgical_assessment": "resectable",
                "near_hilum_or_major_vessels": False,
                "subcapsular": False,
            },
            "extrahepatic": NO_EXTRA,
            "anatomy": {"prior_whipple": False},
        },
        {"thermal_ablation": "eligible", "liver_resection": "eligible"},
        {"thermal_ablation.size_number": "met", "liver_resection.liver_type": "met"},
        {},
        {"grade": "G1", "liver_type": "I"},
        {},
        ("liver_resection",),
        ABLATION + "; " + RESECTION,
    ),
    SeedPatient(
        "ablation-three-lesions-2cm",
        {
            "case_id": "seed-ablation-3x2",
            "primary": {"site": "pancreas", "resected": True},
            "pathology": {"differentiation": "well", "ki67_percent": 2, "mitoses_per_2mm2": 1},
            "liver": {"lesion_count": 3, "largest_lesion_cm": 2, "distribution": "unilobar"},
            "extrahepatic": NO_EXTRA,
        },
        {"thermal_ablation": "ineligible"},
        {"thermal_ablation.size_number": "not_met"},
        {},
        {},
        {},
        (),
        ABLATION + " (three lesions are not 'less than three')",
    ),
    SeedPatient(
        "ablation-single-5cm",
        {
            "case_id": "seed-ablation-1x5",
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G1"},
            "liver": {"lesion_count": 1, "largest_lesion_cm": 5},
            "extrahepatic": NO_EXTRA,
        },
        {"thermal_ablation": "ineligible"},
        {"thermal_ablation.size_number": "not_met"},
        {"thermal_ablation": "microwave ablation gives larger ablation zones"},
        {"grade": "G1", "liver_type": "I"},
        {},
        (),
        ABLATION + " (5 cm is not '< 5 cm'); 002 §4: microwave ablation for larger lesions",
    ),
    SeedPatient(
        "ablation-single-4.9cm",
        {
            "case_id": "seed-ablation-1x4.9",
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G1"},
            "liver": {
                "lesion_count": 1,
                "largest_lesion_cm": 4.9,
                "near_hilum_or_major_vessels": False,
                "subcapsular": False,
            },
            "extrahepatic": NO_EXTRA,
            "anatomy": {"prior_whipple": False},
        },
        {"thermal_ablation": "eligible"},
        {"thermal_ablation.size_number": "met"},
        {},
        {},
        {},
        (),
        ABLATION,
    ),
    SeedPatient(
        "ablation-multiple-small-lesions",
        {
            "case_id": "seed-ablation-multiple",
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G1"},
            # "multiple lesions up to 2 cm": two (< 3) or more (not) — unknown
            "liver": {"lesion_count_at_least": 2, "largest_lesion_cm_at_most": 2},
            "extrahepatic": NO_EXTRA,
        },
        {"thermal_ablation": "uncertain"},
        {"thermal_ablation.size_number": "unknown"},
        {},
        {},
        {"thermal_ablation": ["liver.lesion_count"]},
        (),
        ABLATION + " ('multiple' is two or more: fewer than three is not settled)",
    ),
    SeedPatient(
        "after-whipple-diffuse",
        {
            "case_id": "seed-whipple",
            "patient": {"ecog": 1},
            "primary": {"site": "pancreas", "resected": True, "resection_margin": "R0"},
            "pathology": {"differentiation": "well", "ki67_percent": 6, "mitoses_per_2mm2": 1},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "prior_whipple": True, "biliary_enteric_anastomosis": True},
        },
        {"tae": "ineligible", "tace": "ineligible", "deb_tace": "ineligible", "tare": "eligible"},
        {
            "tae.no_prior_whipple": "not_met",
            "tace.no_bilioenteric_anastomosis": "not_met",
            "tare.portal_vein": "met",
        },
        {"tare": "radioembolisation better suited than TACE/TAE"},
        {"grade": "G2", "liver_type": "III"},
        {},
        (),
        TRANSARTERIAL + "; 002 §3.5: 'radioembolization may be better suited for patients "
        "with bilidigestive anastomosis or a history of Whipple resection'",
    ),
    SeedPatient(
        "portal-vein-thrombosis",
        {
            "case_id": "seed-pvt",
            "patient": {"ecog": 0},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "portal_vein_thrombosis": True},
        },
        {"tae": "ineligible", "tace": "ineligible", "deb_tace": "ineligible", "tare": "ineligible"},
        {"tae.no_portal_vein_occlusion": "not_met", "tare.portal_vein": "not_met"},
        {},
        {},
        {},
        (),
        TRANSARTERIAL + "; 003 Hepatic arterial embolization: 'SIRT is contraindicated in "
        "cases of ... compromised portal veins'",
    ),
    SeedPatient(
        "embolisation-labs-on-the-limits",
        {
            "case_id": "seed-labs-limits",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": {**LABS_OK, "bilirubin_mg_dl": 2.0, "platelets_per_ul": 100000},
            "anatomy": VESSELS_OK,
        },
        {"tae": "ineligible", "tare": "ineligible"},
        {
            "tae.bilirubin": "not_met",
            "tae.platelets": "not_met",
            "tae.creatinine": "met",
            "tare.bilirubin": "not_met",
        },
        {},
        {},
        {},
        (),
        LAB_LIMITS + " (2.0 is not < 2; 100,000 is not > 100,000)",
    ),
    SeedPatient(
        "g3-net-pancreas-progressing",
        {
            "case_id": "seed-g3-net",
            "patient": {"fit_for_major_surgery": True, "carcinoid_heart_disease": False},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 30},
            "imaging": {"sstr_positive": True, "sstr_uptake_vs_liver": "above_liver"},
            "liver": {"distribution": "bilobar_diffuse"},
            "extrahepatic": NO_EXTRA,
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        {
            "liver_resection": "ineligible",
            # 002 §4 'exclusively for G1-G2 NETs' against NANETS's support for G3 NET (002
            # §3): the board's to weigh (relative), not ruled out
            "tae": "uncertain",
            # 004 §3.4: etoposide and platinum for a high proliferative index; 003's poor
            # differentiation relative: the board's to weigh for a G3 NET
            "platinum_etoposide": "uncertain",
            "everolimus": "ineligible",
            "sunitinib": "ineligible",
            # the seeds' criteria met; the labels' kidney and marrow limits wait on labs
            "capecitabine_temozolomide": "uncertain",
        },
        {
            "prrt.sstr": "met",
            # well differentiated: not a NEC (001 Introduction); G1/G2 relative (004 §3.1)
            "liver_resection.grade": "met",
            "liver_resection.g1_g2": "unknown",
            "liver_resection.liver_type": "not_met",
            "tae.grade": "met",
            "tae.g1_g2": "unknown",
            "platinum_etoposide.high_grade": "met",
            "platinum_etoposide.nec": "unknown",
            "capecitabine_temozolomide.indication": "met",
            "capecitabine_temozolomide.renal": "unknown",
            "capecitabine_temozolomide.platelets": "unknown",
        },
        {
            "prrt": "G3 NET: PRRT is used in a subset",
        },
        {"grade": "G3"},
        {},
        (),
        "002 §3: 'For G3 NET, systematic chemotherapy is generally recommended. However, "
        "NANETS guidelines still support the use of liver-directed therapy for G3 NET'; 002 §4 "
        "'exclusively for G1-G2 NETs'; 000 §4: 'PRRT may also be used in a subset of patients "
        "with G3 tumors (Ki67 < 55%)'; 003 Medical therapy: platinum 'for high-grade tumors "
        "with poor differentiation'; capecitabine label 4.1 (creatinine clearance < 30 mL/min) "
        "and temozolomide label 2.1 (platelets < 100 x 10^9/L), with no labs given",
    ),
    SeedPatient(
        "large-cell-nec-unknown-primary",
        {
            "case_id": "seed-nec",
            "primary": {"site": "unknown_primary"},
            "pathology": {
                "differentiation": "poor",
                "nec_subtype": "large_cell",
                "ki67_percent": 70,
            },
            "liver": {"distribution": "bilobar_diffuse"},
        },
        {
            "platinum_etoposide": "eligible",
            # a NEC: the SSA only for a syndrome's hormone control (Kaltsas 2017), and the
            # case does not say whether the tumour is functional
            "ssa": "uncertain",
            # "preferred" is no contraindication: CAPTEM is left to the board for a NEC
            "capecitabine_temozolomide": "uncertain",
            "liver_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
            "tae": "ineligible",
        },
        {"platinum_etoposide.nec": "met", "ssa.not_nec": "unknown"},
        {},
        {"grade": "NEC", "portal_drainage": False},
        {},
        ("platinum_etoposide",),
        "003 Medical therapy: 'For high-grade tumors with poor differentiation, platinum-based "
        "regimes are preferred'; 000 §1: NEC 'generally treated with chemotherapy because of "
        "aggressive tumor biology'; 004 §3.3: SSA for NET; Kaltsas 2017: a carcinoid "
        "syndrome, a glucagonoma or a VIPoma treated with an SSA before any intervention",
    ),
    SeedPatient(
        "ssa-ki67-exactly-10",
        {
            "case_id": "seed-ssa-10",
            "primary": {"site": "small_intestine", "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 10, "mitoses_per_2mm2": 1},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "new_diagnosis"},
        },
        {"ssa": "eligible"},
        {"ssa.indication": "met", "ssa.sstr": "met"},
        {"ssa": "003 describes CLARINET's patients as Ki-67 < 10 %"},
        {"grade": "G2"},
        {},
        (),
        "004 §3.3: SSA 'is applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR "
        "positivity'",
    ),
    SeedPatient(
        "ssa-ki67-12-non-functional",
        {
            "case_id": "seed-ssa-12",
            "primary": {"site": "small_intestine", "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 12, "mitoses_per_2mm2": 1},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "new_diagnosis"},
        },
        {"ssa": "ineligible"},
        {"ssa.indication": "not_met"},
        {},
        {"grade": "G2"},
        {},
        (),
        "004 §3.3: 'Ki-67 ≤ 10%' for the antiproliferative use; no hormonal syndrome to control",
    ),
    SeedPatient(
        "pancreatic-primary-in-place-diffuse-liver",
        {
            "case_id": "seed-primary-in-place",
            "patient": {"age_years": 50, **FIT},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G2"},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "course": STABLE_8,
        },
        {
            "primary_tumor_resection": "eligible",
            "liver_resection": "ineligible",
            "simultaneous_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
        },
        {
            "primary_tumor_resection.liver_unresectable": "met",
            "liver_transplant_milan.primary_removed": "not_met",
        },
        {
            "prrt": "PRRT appears most beneficial after resection of the primary",
            "liver_transplant_milan": "004 restates the Milan criteria with a resectable primary",
        },
        {},
        {},
        (),
        "000 §4: PRRT most beneficial in 'patients who have had primary tumor resection'; "
        "000 §2.1: primary tumour resection in stage IV PNET, median OS 63.6 vs 14.2 months; "
        "001 Table 2 Milan: primary 'already removed with a curative resection'",
    ),
    SeedPatient(
        "surgeons-judge-resectable",
        {
            "case_id": "seed-surgeons-resectable",
            "patient": FIT,
            "primary": {"site": "small_intestine", "resected": True, "resection_margin": "R0"},
            "pathology": {"reported_grade": "G1"},
            "liver": {"surgical_assessment": "resectable"},
            "extrahepatic": NO_EXTRA,
        },
        {"liver_resection": "eligible"},
        {"liver_resection.liver_type": "met", "liver_resection.flr": "met"},
        {},
        {"grade": "G1"},
        {},
        ("liver_resection",),
        RESECTION + "; 001 Isolated surgical resection: 'resectable NELM with an adequate "
        "future liver remnant'",
    ),
    SeedPatient(
        "carcinoid-heart-disease",
        {
            "case_id": "seed-chd",
            "patient": {
                "age_years": 50,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": True,
            },
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "resection_margin": "R0",
                "functional_syndrome": "carcinoid",
            },
            "pathology": {"reported_grade": "G1"},
            "liver": {"surgical_assessment": "resectable"},
            "extrahepatic": NO_EXTRA,
        },
        {
            "liver_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
        },
        {"liver_resection.no_right_heart_dysfunction": "not_met"},
        {},
        {},
        {},
        (),
        RESECTION,
    ),
    SeedPatient(
        "cytoreduction-burden-80",
        _transplant_candidate(
            50,
            primary__functional_syndrome="carcinoid",
            primary__syndrome_refractory=True,
            liver__tumor_burden_percent=80,
        ),
        {"cytoreductive_surgery": "ineligible", "liver_transplant_enets": "ineligible"},
        {
            "cytoreductive_surgery.indication": "met",
            "cytoreductive_surgery.involvement": "not_met",
            "liver_transplant_enets.involvement": "not_met",
        },
        {},
        {},
        {},
        (),
        "003 Cytoreductive surgery: 'If > 75% of the liver parenchyma is involved, prognosis "
        "is considered unfavorable and surgical treatment should be avoided'; 001 Table 2 "
        "ENETS '<75% in cases with refractory hormonal symptoms'",
    ),
    SeedPatient(
        "progressive-functional-midgut",
        {
            "case_id": "seed-functional-midgut",
            "primary": {"site": "small_intestine", "functional_syndrome": "carcinoid"},
            "pathology": {"reported_grade": "G2"},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        # everolimus: RADIANT-4 non-functional only; RADIANT-2 (functional, with octreotide
        # LAR) short of its prespecified significance -- the board's to weigh
        {"everolimus": "uncertain", "sunitinib": "ineligible", "surufatinib": "ineligible"},
        {
            "everolimus.population": "met",
            "everolimus.non_functional": "unknown",
            "sunitinib.pancreatic": "not_met",
            "ssa.indication": "met",
        },
        {},
        {},
        {},
        (),
        "004 §3.4: everolimus in RADIANT-4 'in patients with non-functional pulmonary and "
        "gastrointestinal (GI) NETs'; sunitinib's phase III trial in PNET (003 Targeted "
        "therapies); surufatinib for 'non-functional' NET (004 §3.4); SSA hormone control "
        "(003 Medical therapy)",
    ),
    SeedPatient(
        "progressive-pancreatic-g2",
        {
            "case_id": "seed-pnet-progressing",
            "primary": {"site": "pancreas", "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 12, "mitoses_per_2mm2": 2},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "progressing"},
        },
        # streptozocin: the kidney function is not given, which its label's renal
        # toxicity makes the deciding question
        {"everolimus": "eligible", "sunitinib": "eligible", "streptozocin_5fu": "uncertain"},
        {"everolimus.population": "met", "sunitinib.pancreatic": "met"},
        {"ssa": "a small study suggested SSA still prolongs PFS in pancreatic NET"},
        {"grade": "G2"},
        {"streptozocin_5fu": ["labs.egfr_ml_min"]},
        (),
        "004 §3.4 / 003 Targeted therapies: everolimus (RADIANT-3) and sunitinib in progressive "
        "PNET; 003 Medical therapy: streptozotocin with 5-FU 'in treating G1/G2 PNENs' (its "
        "label: renal toxicity, judged against pre-existing renal disease); "
        "004 §3.3: 'the use of SSA in pNETs with Ki-67>10% could also prolong PFS'",
    ),
]

SEED_PATIENTS += [
    SeedPatient(
        "enets-primary-removed-6-months-ago",
        _transplant_candidate(48, primary__months_since_primary_resection=6),
        {"liver_transplant_enets": "eligible"},
        {"liver_transplant_enets.primary_removed": "met", "liver_transplant_enets.ki67": "met"},
        {},
        {},
        {},
        (),
        "001 Table 2 ENETS: 'Primary tumor removed prior to OLT (at least 6 months)'; "
        "'Ki67 proliferation index ≤ 10%' (Ki-67 8 %)",
    ),
    SeedPatient(
        "milan-r1-primary",
        _transplant_candidate(48, primary__resection_margin="R1"),
        {"liver_transplant_milan": "ineligible", "liver_transplant_unos": "eligible"},
        {
            "liver_transplant_milan.primary_removed": "not_met",
            "liver_transplant_unos.primary_removed": "met",
        },
        {},
        {},
        {},
        (),
        "001 Table 2 Milan: primary 'already removed with a curative resection'; UNOS: "
        "'Resected primary tumor', no margin named",
    ),
    SeedPatient(
        "burden-over-50-as-reported",
        _transplant_candidate(
            48, liver__tumor_burden_percent=None, liver__tumor_burden_percent_at_least=50
        ),
        {"liver_transplant_milan": "ineligible", "liver_transplant_unos": "ineligible"},
        {
            "liver_transplant_milan.involvement": "not_met",
            # < 75 % would need refractory hormonal symptoms; none here
            "liver_transplant_enets.involvement": "not_met",
        },
        {},
        {},
        {},
        (),
        TABLE_2 + " ('over 50 %' is never < 50 %)",
    ),
    SeedPatient(
        "transplant-burden-unknown",
        _transplant_candidate(48, liver__tumor_burden_percent=None),
        {
            "liver_transplant_milan": "uncertain",
            "liver_transplant_enets": "uncertain",
            "liver_transplant_unos": "uncertain",
        },
        {"liver_transplant_milan.involvement": "unknown"},
        {},
        {},
        {"liver_transplant_milan": ["liver.tumor_burden_percent"]},
        (),
        TABLE_2 + " (an unmeasured burden decides none of the sets)",
    ),
    SeedPatient(
        "stable-bone-metastases-embolisation",
        {
            "case_id": "seed-bone-stable",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": {"present": True, "sites": ["bone"], "stable": True},
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
        },
        {
            "tae": "eligible",
            "tace": "eligible",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
        },
        {"tae.liver_dominant": "met", "liver_transplant_milan.no_extrahepatic": "not_met"},
        {},
        {},
        {},
        (),
        "002 §4: locoregional treatments 'when there are metastases primarily affecting the "
        "liver, and the extrahepatic disease remains stable'; 001 Table 2: extrahepatic "
        "disease excluded for transplantation",
    ),
    SeedPatient(
        "hepatic-encephalopathy",
        {
            "case_id": "seed-encephalopathy",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "hepatic_encephalopathy": True},
        },
        {"tae": "ineligible", "tace": "ineligible"},
        {"tae.no_encephalopathy": "not_met"},
        {},
        {},
        {},
        (),
        "000 §3.1: 'Other contraindications include hepatic encephalopathy and biliary "
        "obstruction due to increased risk for biliary necrosis'",
    ),
    SeedPatient(
        "prrt-ki67-55",
        {
            "case_id": "seed-prrt-55",
            "primary": {"site": "pancreas", "resected": True},
            "pathology": {"differentiation": "well", "ki67_percent": 55},
            "imaging": {"sstr_positive": True, "sstr_uptake_vs_liver": "above_liver"},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        {"prrt": "ineligible"},
        {"prrt.ki67": "not_met", "prrt.sstr": "met"},
        {"prrt": "NETTER-2 enrolled Ki-67 up to 55 % inclusive"},
        {"grade": "G3"},
        {},
        (),
        "000 §4: 'PRRT may also be used in a subset of patients with G3 tumors (Ki67 < 55%)'",
    ),
    SeedPatient(
        "debulking-stable-6-months-with-burden-symptoms",
        {
            "case_id": "seed-debulking",
            "patient": FIT,
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G1"},
            "liver": {
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 60,
                "burden_symptoms": True,
            },
            "course": {"status": "stable", "months_stable": 6},
        },
        {"cytoreductive_surgery": "eligible", "liver_resection": "ineligible"},
        {"cytoreductive_surgery.indication": "met", "cytoreductive_surgery.involvement": "met"},
        {},
        {},
        {},
        (),
        "001 Debulking surgery: 'for those with non-functional NENs and stable disease for an "
        "interval of 6 months, with symptomatology attributed to tumor burden'; 003: avoid "
        "> 75 %",
    ),
    SeedPatient(
        "debulking-progressing-no-indication",
        {
            "case_id": "seed-debulking-progressing",
            "patient": FIT,
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G1"},
            "liver": {
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 60,
                "burden_symptoms": True,
            },
            "course": {"status": "progressing", "months_stable": 12},
        },
        {"cytoreductive_surgery": "ineligible"},
        {"cytoreductive_surgery.indication": "not_met"},
        {},
        {},
        {},
        (),
        "001 Debulking surgery: 'non-functional NENs and stable disease' (progressing now is "
        "not stable, whatever the months before)",
    ),
]
