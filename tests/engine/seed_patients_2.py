"""More patients drawn from the seeds' own rules (the second set; same format and rules as
``seed_patients.py``): staged and simultaneous resection, the primary with unresectable liver
disease, radioembolisation, PRRT, the systemic drugs by line and primary site, hormone
control, and the order of the plan.

Each case is plain case-v1 (with the documented case-v1 additions only) and thin as a
published report is. The expected verdicts are read from the sentence quoted beside them
(shared/seeds/<id>_*.txt, section or table, or the named trial), never from a run.
"""

from __future__ import annotations

from typing import Any

from tests.engine.seed_patients import FIT, LABS_OK, NO_EXTRA, VESSELS_OK, SeedPatient

PRRT_LABS = {
    **LABS_OK,
    "egfr_ml_min": 85,
    "hemoglobin_g_dl": 12.5,
    "wbc_per_ul": 6200,
}
FLR_30 = (
    "001 Isolated surgical resection: 'Patients with WD-NENs and resectable NELM with an "
    "adequate future liver remnant (FLR) of at least 30% are considered eligible for "
    "curative-intent resection'"
)
STAGED = (
    "001 Staged resections for extensive disease: 'Such procedures can be performed in the "
    "context of a multimodal approach for patients whose FLR was initially deemed "
    "insufficient'; 003 Potentially curative surgery: 'Bilobar metastases may be treated "
    "with two-step resections, and preoperative portal vein embolization may be used'"
)
SIMULTANEOUS = (
    "001 Simultaneous primary and NELM resection: patients 'should be highly selected with "
    "regard to liver involvement (type I or limited bilobar NELM) and thus should not "
    "require extensive or complex liver resections'"
)
TARE_003 = (
    "003 Hepatic arterial embolization: 'SIRT is contraindicated in cases of aberrant vessels "
    "with shunt to the gastrointestinal tract, compromised portal veins, and inadequate liver "
    "functional reserve'"
)
NETTER_1 = (
    "NETTER-1 eligibility (Strosberg 2017, NEJM; cited by 000 §4 and 004 §3.5): excluded "
    "creatinine clearance < 50 mL/min, haemoglobin < 8.0 g/dL, WBC < 2000/mm³, platelets "
    "< 75,000/mm³; uptake on SRS at least that of normal liver; 002 §2.3: 'NANETS and ENETS, "
    "recommend the use of PRRT only after the progression of disease while on SSAs'"
)


def _liver_only(case_id: str, liver: dict[str, Any], **groups: dict[str, Any]) -> dict[str, Any]:
    """A fit patient, an ileal G1 NET resected R0, liver-only disease."""
    case: dict[str, Any] = {
        "case_id": case_id,
        "patient": FIT,
        "primary": {"site": "small_intestine", "resected": True, "resection_margin": "R0"},
        "pathology": {"reported_grade": "G1"},
        "liver": liver,
        "extrahepatic": NO_EXTRA,
    }
    case.update(groups)
    return case


def _progressing(case_id: str, **groups: dict[str, Any]) -> dict[str, Any]:
    """Diffuse liver disease progressing under treatment; the groups given replace the rest."""
    case: dict[str, Any] = {
        "case_id": case_id,
        "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
        "pathology": {"differentiation": "well", "ki67_percent": 6, "mitoses_per_2mm2": 1},
        "imaging": {"sstr_positive": True, "krenning_score": 3},
        "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
        "extrahepatic": NO_EXTRA,
        "course": {"status": "progressing", "progressed_on_ssa": True},
    }
    case.update(groups)
    return case


SEED_PATIENTS_2: list[SeedPatient] = [
    SeedPatient(
        "bilobar-remnant-25-staged",
        _liver_only(
            "seed-flr-25",
            {"distribution": "bilobar_dominant", "future_liver_remnant_percent": 25},
        ),
        {"liver_resection": "ineligible", "staged_resection": "eligible"},
        {
            "liver_resection.flr": "not_met",
            "staged_resection.needs_staging": "met",
            "staged_resection.grade": "met",
        },
        {},
        {"liver_type": "II"},
        {},
        ("staged_resection",),
        FLR_30 + "; " + STAGED,
    ),
    SeedPatient(
        "unilobar-remnant-exactly-30",
        _liver_only(
            "seed-flr-30",
            {"distribution": "unilobar", "lesion_count": 2, "future_liver_remnant_percent": 30},
        ),
        # 30 % is 'at least 30%': one stage; no reason to stage a type I resection
        {"liver_resection": "eligible", "staged_resection": "ineligible"},
        {"liver_resection.flr": "met", "staged_resection.needs_staging": "not_met"},
        {},
        {"liver_type": "I"},
        {},
        ("liver_resection",),
        FLR_30 + "; " + STAGED,
    ),
    SeedPatient(
        "g3-bilobar-remnant-20-no-alpps",
        _liver_only(
            "seed-alpps-g3",
            {"distribution": "bilobar_dominant", "future_liver_remnant_percent": 20},
            pathology={"differentiation": "well", "ki67_percent": 25},
        ),
        {"staged_resection": "ineligible", "liver_resection": "ineligible"},
        {"staged_resection.grade": "not_met", "staged_resection.needs_staging": "met"},
        {},
        {"grade": "G3"},
        {},
        (),
        "001 Staged resections for extensive disease: 'the authors consider G3 NENs as a "
        "contraindication for performing ALPPS'",
    ),
    SeedPatient(
        "synchronous-pancreatic-primary-limited-liver",
        {
            "case_id": "seed-simultaneous",
            "patient": {"age_years": 58, **FIT},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G2"},
            "liver": {
                "distribution": "unilobar",
                "lesion_count": 2,
                "synchronous": True,
                "surgical_assessment": "resectable",
            },
            "extrahepatic": NO_EXTRA,
        },
        {
            "simultaneous_resection": "eligible",
            # 000 §2.1: the primary alone is for metastases 'not amenable to resection'
            "primary_tumor_resection": "ineligible",
        },
        {
            "simultaneous_resection.primary_in_situ": "met",
            "simultaneous_resection.synchronous": "met",
            "simultaneous_resection.limited_liver": "met",
            "primary_tumor_resection.liver_unresectable": "not_met",
        },
        {
            "simultaneous_resection": "pancreaticoduodenectomy (Whipple), transarterial",
            "liver_resection": "The primary is still in place",
        },
        {"liver_type": "I"},
        {},
        ("simultaneous_resection",),
        SIMULTANEOUS + "; 003 Potentially curative surgery: 'Concurrent or staged resection "
        "of the primary lesion and liver metastases may be considered'; 003 Hepatic arterial "
        "embolization: 'In patients with previous pancreaticoduodenectomy, transarterial "
        "therapies are generally contraindicated'; 000 §2.1: primary resection with metastatic "
        "disease 'that is not amenable to resection'",
    ),
    SeedPatient(
        "synchronous-primary-with-diffuse-liver",
        {
            "case_id": "seed-simultaneous-diffuse",
            "patient": FIT,
            "primary": {"site": "small_intestine", "resected": False},
            "pathology": {"reported_grade": "G1"},
            "liver": {"distribution": "bilobar_diffuse", "synchronous": True},
            "extrahepatic": NO_EXTRA,
        },
        {"simultaneous_resection": "ineligible", "primary_tumor_resection": "eligible"},
        {
            "simultaneous_resection.limited_liver": "not_met",
            "primary_tumor_resection.liver_unresectable": "met",
        },
        {},
        {"liver_type": "III"},
        {},
        (),
        SIMULTANEOUS + "; 000 §2.1: a National Cancer Database cohort found longer survival "
        "after resection of the primary with metastatic disease not amenable to resection",
    ),
    SeedPatient(
        "primary-in-place-with-bone-metastases",
        {
            "case_id": "seed-primary-extrahepatic",
            "patient": FIT,
            "primary": {"site": "small_intestine", "resected": False},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "unilobar", "synchronous": True},
            "extrahepatic": {"present": True, "sites": ["bone"]},
        },
        {
            "liver_resection": "ineligible",
            "simultaneous_resection": "ineligible",
            "primary_tumor_resection": "eligible",
        },
        {
            "simultaneous_resection.no_extrahepatic": "not_met",
            "primary_tumor_resection.liver_unresectable": "met",
        },
        {},
        {},
        {},
        (),
        "003 Potentially curative surgery: criteria include 'absence of extrahepatic "
        "metastasis'; 000 §2.1: primary resection with metastatic disease 'that is not "
        "amenable to resection'",
    ),
    SeedPatient(
        "radioembolisation-lung-shunt-15",
        {
            "case_id": "seed-tare-lung-shunt",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "hepatopulmonary_shunt_percent": 15},
        },
        # a risk to weigh, named by 004 as a complication, not a contraindication
        {"tare": "eligible"},
        {"tare.portal_vein": "met", "tare.bilirubin": "met", "tare.burden": "met"},
        {"tare": "Lung shunt fraction > 10 %"},
        {},
        {},
        (),
        "004 §3.2: 'Radiation pneumonitis characterized by diffuse interstitial changes can be "
        "induced in 1–6 months when [the lung shunt] >10%'; " + TARE_003,
    ),
    SeedPatient(
        "radioembolisation-gut-shunt-uncorrectable",
        {
            "case_id": "seed-tare-gi-shunt",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": LABS_OK,
            "anatomy": {**VESSELS_OK, "gi_shunting_uncorrectable": True},
        },
        # the shunt to the gut contraindicates SIRT, not bland embolisation
        {"tare": "ineligible", "tae": "eligible"},
        {"tare.no_gi_shunting": "not_met"},
        {},
        {},
        {},
        (),
        TARE_003,
    ),
    SeedPatient(
        "radioembolisation-burden-50",
        {
            "case_id": "seed-tare-burden-50",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 50},
            "extrahepatic": NO_EXTRA,
            "labs": {**LABS_OK, "bilirubin_mg_dl": 1.9},
            "anatomy": VESSELS_OK,
        },
        # 50 is not < 50, one of the "widely used" criteria, inside the 10–90 % salvage
        # range: the board's judgement, not a rule-out
        {"tare": "uncertain", "tae": "uncertain"},
        {
            "tare.burden": "unknown",
            "tare.burden_salvage_limit": "met",
            "tare.bilirubin": "met",
            "tae.burden": "unknown",
        },
        {},
        {},
        {},
        (),
        "002 §3.3: 'Widely used laboratory criteria for eligibility include ... serum bilirubin "
        "< 2 mg/dL, and tumor burden < 50% of the liver' (50 is not < 50; 1.9 is < 2); 002 §3: "
        "'it is reasonable to consider liver-directed locoregional therapies as a salvage "
        "approach when the liver burden ranges between 10% and 90%'",
    ),
    SeedPatient(
        "prrt-after-ssa-with-bone-metastases",
        _progressing(
            "seed-prrt-second-line",
            extrahepatic={"present": True, "sites": ["bone"], "stable": False},
            labs=PRRT_LABS,
        ),
        {"prrt": "eligible", "tae": "ineligible", "liver_resection": "ineligible"},
        {
            "prrt.setting": "met",
            "prrt.uptake": "met",
            "prrt.renal": "met",
            "tae.liver_dominant": "not_met",
        },
        {},
        {"grade": "G2"},
        {},
        ("prrt",),
        NETTER_1 + "; 002 §4: locoregional treatment when 'the extrahepatic disease remains "
        "stable' (progressing bone disease is not)",
    ),
    SeedPatient(
        "prrt-marrow-and-renal-limits",
        _progressing(
            "seed-prrt-limits",
            labs={
                **PRRT_LABS,
                "egfr_ml_min": 45,
                "creatinine_mg_dl": 1.2,
                "hemoglobin_g_dl": 7.9,
                "platelets_per_ul": 75000,
                "wbc_per_ul": 2000,
            },
        ),
        {"prrt": "ineligible"},
        {
            # the filtration rate decides, whatever the creatinine
            "prrt.renal": "not_met",
            "prrt.hemoglobin": "not_met",
            "prrt.platelets": "met",
            "prrt.leukocytes": "met",
        },
        {},
        {},
        {},
        (),
        NETTER_1 + " (eGFR 45 < 50; Hb 7.9 < 8.0; 75,000 and 2,000 are on the limits, not below)",
    ),
    SeedPatient(
        "prrt-krenning-1",
        _progressing(
            "seed-prrt-krenning-1",
            imaging={"krenning_score": 1},
            labs=PRRT_LABS,
        ),
        {"prrt": "ineligible"},
        {"prrt.uptake": "not_met"},
        {},
        {},
        {},
        (),
        NETTER_1 + "; 003 Targeted therapies: PRRT 'in patients with strong radiotrace uptake "
        "on SRS' (Krenning 1: uptake below the liver)",
    ),
    SeedPatient(
        "sstr-negative-progressing",
        _progressing("seed-sstr-negative", imaging={"sstr_positive": False}, labs=PRRT_LABS),
        {"prrt": "ineligible", "ssa": "ineligible", "everolimus": "eligible"},
        {"prrt.sstr": "not_met", "ssa.sstr": "not_met", "everolimus.population": "met"},
        {},
        {},
        {},
        (),
        "004 §3.3: SSA for 'SSTR positivity'; 001 PRRT: 'sufficient SSTR expression'; 004 "
        "§3.4: everolimus (RADIANT-4) 'in patients with non-functional pulmonary and "
        "gastrointestinal (GI) NETs'",
    ),
    SeedPatient(
        "cabozantinib-after-an-ssa-only",
        _progressing(
            "seed-cabo-ssa-only",
            course={
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        ),
        {"cabozantinib": "ineligible"},
        {"cabozantinib.prior_therapy": "not_met"},
        {},
        {},
        {},
        (),
        "CABINET eligibility (Chan 2025, NEJM; cited by 004 §3.4 'whose disease progressed "
        "after treatment'): progression after at least one FDA-approved therapy other than a "
        "somatostatin analogue",
    ),
    SeedPatient(
        "cabozantinib-after-everolimus",
        _progressing(
            "seed-cabo-after-everolimus",
            course={
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 2,
                "prior_treatments": ["ssa", "everolimus"],
            },
        ),
        {"cabozantinib": "eligible"},
        {"cabozantinib.prior_therapy": "met", "cabozantinib.progressing": "met"},
        {},
        {},
        {},
        (),
        "004 §3.4: CABINET 'in 298 patients with NET whose disease progressed after "
        "treatment'; CABINET eligibility: everolimus counts as a prior line",
    ),
    SeedPatient(
        "typical-lung-carcinoid-progressing",
        {
            "case_id": "seed-lung-nf",
            "primary": {"site": "lung", "resected": True, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G1"},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "progressing"},
        },
        {
            "everolimus": "eligible",
            "sunitinib": "ineligible",
            "streptozocin_5fu": "ineligible",
            "interferon_alpha": "ineligible",
        },
        {
            "everolimus.population": "met",
            "sunitinib.pancreatic": "not_met",
            "streptozocin_5fu.pancreatic": "not_met",
            "interferon_alpha.syndrome": "not_met",
        },
        # 003's 'for palliation or hormonal symptoms' read as hormonal palliation: shown
        {"interferon_alpha": "003's sentence reads"},
        {"grade": "G1", "portal_drainage": False},
        {},
        (),
        "004 §3.4: everolimus in RADIANT-4 'in patients with non-functional pulmonary and "
        "gastrointestinal (GI) NETs'; 003 Targeted therapies: sunitinib in progressive PNET; "
        "003 Medical therapy: streptozotocin with 5-FU 'in treating G1/G2 PNENs'; "
        "'Alpha-interferon may be associated with somatostatin analogs for palliation or "
        "hormonal symptoms'",
    ),
    SeedPatient(
        "pancreatic-g3-chemotherapy",
        {
            "case_id": "seed-pnet-g3-chemo",
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 35},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "progressing"},
        },
        {
            # the seeds' criteria met; the labels' kidney and marrow limits wait on labs
            "capecitabine_temozolomide": "uncertain",
            # 003's G1/G2 against 004's high proliferative index: the board's (relative)
            "streptozocin_5fu": "uncertain",
            "sunitinib": "ineligible",
            # 003's poor differentiation against 004's high proliferative index: relative too
            "platinum_etoposide": "uncertain",
        },
        {
            "capecitabine_temozolomide.indication": "met",
            "capecitabine_temozolomide.renal": "unknown",
            "streptozocin_5fu.well_differentiated": "met",
            "streptozocin_5fu.grade": "unknown",
            "platinum_etoposide.high_grade": "met",
            "platinum_etoposide.nec": "unknown",
        },
        {},
        {"grade": "G3"},
        {},
        (),
        "004 §3.4: temozolomide, streptozotocin, etoposide and platinum 'are mainly indicated "
        "for NETs with high proliferative index'; 003 Medical therapy: temozolomide with "
        "capecitabine in 'metastatic, well-differentiated PNETs', streptozotocin 'in treating "
        "G1/G2 PNENs', platinum 'for high-grade tumors with poor differentiation'; "
        "capecitabine label 4.1 and temozolomide label 2.1 (no labs given)",
    ),
    SeedPatient(
        "carcinoid-syndrome-ki67-15",
        {
            "case_id": "seed-carcinoid-ki67-15",
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "functional_syndrome": "carcinoid",
            },
            "pathology": {"differentiation": "well", "ki67_percent": 15, "mitoses_per_2mm2": 2},
            "imaging": {"sstr_positive": True},
            "liver": {"distribution": "bilobar_diffuse"},
            "course": {"status": "stable"},
        },
        # hormone control is not bound to the antiproliferative Ki-67 ≤ 10 %
        {"ssa": "eligible", "interferon_alpha": "eligible"},
        {
            "ssa.indication": "met",
            "interferon_alpha.syndrome": "met",
            "interferon_alpha.well_differentiated": "met",
        },
        {},
        {"grade": "G2"},
        {},
        (),
        "003 Medical therapy: SSAs 'are effective in controlling hormonal secretion and tumor "
        "growth'; 'Alpha-interferon may be associated with somatostatin analogs for "
        "palliation or hormonal symptoms'; 004 §3.3: antiproliferative SSA for 'Ki-67 ≤ 10%'",
    ),
    SeedPatient(
        "refractory-carcinoid-heart-disease-debulking",
        {
            "case_id": "seed-chd-debulking",
            "patient": {
                "age_years": 61,
                "fit_for_major_surgery": True,
                "carcinoid_heart_disease": True,
            },
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "functional_syndrome": "carcinoid",
                "syndrome_refractory": True,
            },
            "pathology": {"reported_grade": "G1"},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 40},
            "extrahepatic": NO_EXTRA,
        },
        # 003 applies 'absence of right cardiac dysfunction' to potentially curative
        # surgery only; for debulking it is a caution
        {"cytoreductive_surgery": "eligible", "liver_transplant_enets": "ineligible"},
        {"cytoreductive_surgery.indication": "met"},
        {"cytoreductive_surgery": "arcinoid heart disease"},
        {},
        {},
        (),
        "003 Potentially curative surgery: 'absence of right cardiac dysfunction'; 001 "
        "Debulking surgery: 'for patients with uncontrollable functional NENs'",
    ),
    SeedPatient(
        "conversion-first-when-potentially-resectable",
        _liver_only(
            "seed-conversion",
            {
                "distribution": "bilobar_dominant",
                "tumor_burden_percent": 35,
                "surgical_assessment": "resectable_after_conversion",
            },
            patient={"ecog": 0, **FIT},
            pathology={"differentiation": "well", "ki67_percent": 4, "mitoses_per_2mm2": 1},
            labs=LABS_OK,
            anatomy=VESSELS_OK,
        ),
        # not resectable now: the remnant criterion fails until the conversion works
        {"tace": "eligible", "liver_resection": "ineligible", "staged_resection": "eligible"},
        {
            "liver_resection.liver_type": "met",
            "liver_resection.flr": "not_met",
            "tace.liver_dominant": "met",
        },
        {},
        {"grade": "G2", "liver_type": "II"},
        {},
        ("tace",),
        "000 §3.1: TAE/TACE 'has the potential to convert a patient who is unresectable to "
        "resectable'; 004 §3.1: neoadjuvant therapy combined with surgery; 001 Concluding "
        "remarks: 'neoadjuvant cytoreduction and bridging to liver surgery for NEN patients "
        "with NELM previously deemed inoperable'",
    ),
    SeedPatient(
        "liver-dominant-unresectable-liver-directed-first",
        {
            "case_id": "seed-liver-dominant",
            "patient": {"ecog": 1},
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"differentiation": "well", "ki67_percent": 5, "mitoses_per_2mm2": 1},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {"distribution": "bilobar_diffuse", "tumor_burden_percent": 30},
            "extrahepatic": NO_EXTRA,
            "labs": LABS_OK,
            "anatomy": VESSELS_OK,
            "course": {"status": "progressing"},
        },
        {"tae": "eligible", "ssa": "eligible", "liver_resection": "ineligible"},
        {"tae.liver_dominant": "met"},
        {},
        {"liver_type": "III"},
        {},
        ("tae",),
        "001 Concluding remarks: interventional radiology liver-targeted modalities "
        "'generally precede systemic treatments in patients with liver-dominant metastatic "
        "NEN disease'",
    ),
    SeedPatient(
        "prrt-not-first-line-for-ki67-5",
        _progressing(
            "seed-prrt-ki67-5-naive",
            labs=PRRT_LABS,
            course={
                "status": "new_diagnosis",
                "progressed_on_ssa": False,
                "prior_systemic_lines": 0,
            },
        ),
        # Ki-67 5 % is below NETTER-2's 10–55 %, and there was no progression on an SSA
        {"prrt": "ineligible", "ssa": "eligible"},
        {"prrt.setting": "not_met", "ssa.indication": "met"},
        {},
        {"grade": "G2"},
        {},
        (),
        "002 §2.3: 'NANETS and ENETS, recommend the use of PRRT only after the progression of "
        "disease while on SSAs'; 004 §3.5: NETTER-2 in 'advanced G2/G3 GEP-NETs' (Ki-67 "
        "10–55 %); 004 §3.3: SSA for 'Ki-67 ≤ 10%'",
    ),
    SeedPatient(
        "prrt-first-line-pancreatic-ki67-15",
        _progressing(
            "seed-prrt-netter2",
            primary={"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            pathology={"differentiation": "well", "ki67_percent": 15, "mitoses_per_2mm2": 3},
            labs=PRRT_LABS,
            course={
                "status": "new_diagnosis",
                "progressed_on_ssa": False,
                "prior_systemic_lines": 0,
            },
        ),
        {"prrt": "eligible"},
        {"prrt.setting": "met", "prrt.ki67": "met", "prrt.uptake": "met"},
        # the guidelines' second line against NETTER-2's first line: shown
        {"prrt": "002 reports that NANETS and ENETS recommend PRRT only after progression"},
        {"grade": "G2"},
        {},
        (),
        "004 §3.5: NETTER-2, 177Lu-DOTATATE first line for 'advanced G2/G3 GEP-NETs' "
        "(Ki-67 10–55 %, newly diagnosed); 002 §2.3: guidelines 'recommend the use of PRRT "
        "only after the progression of disease while on SSAs'",
    ),
    SeedPatient(
        "pancreatic-nec-primary-in-place",
        {
            "case_id": "seed-pnec-primary",
            "patient": FIT,
            "primary": {"site": "pancreas", "resected": False},
            "pathology": {"differentiation": "poor", "ki67_percent": 60},
            "liver": {"distribution": "bilobar_diffuse"},
        },
        # "generally treated with chemotherapy" is no contraindication: left to the board
        {"primary_tumor_resection": "uncertain", "platinum_etoposide": "eligible"},
        {"primary_tumor_resection.not_nec": "unknown", "platinum_etoposide.nec": "met"},
        {"primary_tumor_resection": "shown to improve their median overall survival"},
        {"grade": "NEC"},
        {},
        ("platinum_etoposide",),
        "000 §1: 'Although surgical management for well differentiated G3 tumors and NEC has "
        "recently been shown to improve median overall survival, these distinct subsets of "
        "tumors are generally treated with chemotherapy because of aggressive tumor biology'; "
        "003 Medical therapy: platinum 'for high-grade tumors with poor differentiation'",
    ),
    SeedPatient(
        "pancreatic-g2-resectable-no-chemotherapy-yet",
        {
            "case_id": "seed-pnet-resectable-chemo",
            "patient": FIT,
            "primary": {"site": "pancreas", "resected": True, "resection_margin": "R0"},
            "pathology": {"reported_grade": "G2"},
            "liver": {"distribution": "unilobar", "surgical_assessment": "resectable"},
            "extrahepatic": NO_EXTRA,
            "course": {"status": "progressing"},
        },
        {
            "liver_resection": "eligible",
            "streptozocin_5fu": "ineligible",
            "capecitabine_temozolomide": "ineligible",
        },
        {
            "streptozocin_5fu.advanced": "not_met",
            "streptozocin_5fu.pancreatic": "met",
        },
        {},
        {},
        {},
        ("liver_resection",),
        "003 Medical therapy: 'Systemic chemotherapy is only indicated for advanced and "
        "unresectable PNETs'; 004 §3.1: 'type I LMs without extrahepatic metastases in G1 and "
        "G2 grades are recommended to undergo radical resection'",
    ),
]
