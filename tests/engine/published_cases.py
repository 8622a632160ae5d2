"""Patients from published case reports and small series of neuroendocrine liver metastases
that the knowledge base was not written from (the fifteen in shared/real-cases are others).

Each case holds only what its report states, in plain case-v1 (with the documented case-v1
additions): absent is not stated. What a report says that case-v1 cannot hold, and what the
treating team did, is in the comment above the case. The expected verdicts are only those a
seed sentence decides (shared/seeds/<id>_*.txt, section or table, or the named trial), quoted
in ``source``; never read from a run. The team's choice is a fact about the patient, not a
ground truth. ``test_published_cases.py`` checks them, in the format of ``seed_patients.py``.
"""

from __future__ import annotations

from tests.engine.seed_patients import SeedPatient

TABLE_2 = (
    "001 Table 2: Milan 'Age <55 years ... Primary tumor drained by the portal system'; ENETS "
    "'Young patients (<55 years) ... Primary tumor removed prior to OLT (at least 6 months)'"
)
RESECTION_004 = (
    "004 §3.1: 'Patients with type I LMs without extrahepatic metastases in G1 and G2 grades "
    "are recommended to undergo radical resection'"
)
LOCOREGIONAL_G1_G2 = (
    "002 §4: 'vascular and ablative locoregional treatments are recommended exclusively for "
    "G1-G2 NETs when there are metastases primarily affecting the liver'; 002 §3: 'NANETS "
    "guidelines still support the use of liver-directed therapy for G3 NET' (relative)"
)
NEC_CHEMO = (
    "003 Chemotherapy: 'For high-grade tumors with poor differentiation, platinum-based "
    "regimes are preferred. Response rates of 42-67% have been obtained combining cisplatin "
    "and etoposide'"
)
SSA_004 = (
    "004 §3.3: SSA 'is applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR "
    "positivity'"
)
SSA_SYNDROME = (
    "Kaltsas 2017 (ENETS pre- and perioperative therapy): long-acting SSAs control the "
    "carcinoid syndrome, given without the SSTR status or the grade asked first"
)
PRRT_SETTING = (
    "002 §2.3: 'NANETS and ENETS, recommend the use of PRRT only after the progression of "
    "disease while on SSAs'; 004 §3.5: NETTER-2's first line was in 'first-diagnosed "
    "advanced G2/G3 GEP-NETs'"
)

TRANSPLANT_HEART = (
    "003 Potentially curative surgery: 'Criteria helping to select patients for surgery include "
    "... absence of right cardiac dysfunction'"
)
ABLATION_002 = (
    "002 §4: 'Ablative techniques are exclusively used for limited or oligometastatic liver "
    "disease, including scenarios with less than three lesions measuring ≤ 3 cm, or a single "
    "lesion < 5 cm'"
)
RADIANT_4 = (
    "004 §3.4: everolimus in RADIANT-4 'in patients with non-functional pulmonary and "
    "gastrointestinal (GI) NETs'; RADIANT-2 (Pavel 2011) with carcinoid syndrome short of "
    "its prespecified significance (relative)"
)

PUBLISHED_CASES: list[SeedPatient] = [
    # Akabane M, Okubo S, Kinowaki K, Matsumura M, Shindoh J, Hashimoto M. Liver metastasis
    # from rectal neuroendocrine neoplasm detected 15 years after primary resection. Surg Case
    # Rep 2022;8:212. doi:10.1186/s40792-022-01569-5,
    # https://surgicalcasereports.springeropen.com/articles/10.1186/s40792-022-01569-5
    # States: woman, low anterior resection of a grade 1 rectal NEN (pT1b, ly1, v1); 15 years
    # later a 7-mm mass in segment 6 with tracer uptake on PET/CT (tracer not said in the
    # abstract); the resected lesion was grade 2 (known only after the decision). Age at the
    # decision not stated (50 at some point of the follow-up). Team: laparoscopic hepatectomy.
    SeedPatient(
        "akabane-rectal-single-7mm-after-15-years",
        {
            "case_id": "pc-akabane-rectal-15y",
            "patient": {"sex": "female"},
            "primary": {
                "site": "rectum",
                "resected": True,
                "months_since_primary_resection": 180,
                "t_category": "T1",
            },
            "pathology": {"reported_grade": "G1"},
            "liver": {"lesion_count": 1, "largest_lesion_cm": 0.7},
        },
        {
            # Extrahepatic disease and fitness are not stated: the resection waits on them.
            "liver_resection": "uncertain",
            "liver_transplant_milan": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "liver_resection.grade": "met",
            "liver_resection.liver_type": "met",
            "liver_resection.no_extrahepatic": "unknown",
            "thermal_ablation.size_number": "met",
            "liver_transplant_milan.portal_drainage": "not_met",
        },
        {},
        {"grade": "G1", "liver_type": "I", "portal_drainage": False},
        {"liver_resection": ["extrahepatic.present", "patient.fit_for_major_surgery"]},
        ("liver_resection",),
        RESECTION_004
        + "; 002 §4: ablation for 'a single lesion < 5 cm'; "
        + TABLE_2
        + "; "
        + NEC_CHEMO,
    ),
    # Metastatic recurrence of a typical pulmonary carcinoid with carcinoid syndrome 12 years
    # after resection, a case report (Hindawi, 2017; authors and journal not in the stored
    # page). doi:10.1155/2017/1564819, https://dx.doi.org/10.1155/2017/1564819
    # States: 68-year-old man; thoracoscopic left upper lobectomy for typical carcinoid
    # pT1N0M0, 1 mitosis per 2 mm², margins and nodes free; 12 years later multiple
    # hyperechoic liver lesions, biopsy metastatic typical carcinoid, carcinoid syndrome.
    # SSTR imaging and Ki-67 are not in the abstract. Team: octreotide LAR.
    SeedPatient(
        "lung-typical-carcinoid-liver-recurrence-with-syndrome",
        {
            "case_id": "pc-lung-typical-carcinoid-12y",
            "patient": {"age_years": 68, "sex": "male"},
            "primary": {
                "site": "lung",
                "resected": True,
                "resection_margin": "R0",
                "months_since_primary_resection": 144,
                "t_category": "T1",
                "node_positive": False,
                "functional_syndrome": "carcinoid",
            },
            "pathology": {"reported_grade": "typical_carcinoid", "mitoses_per_2mm2": 1},
            "liver": {"lesion_count_at_least": 2},
        },
        {
            # SSTR status is not reported; for a carcinoid syndrome the SSA is given without
            # it (Kaltsas 2017), G1 by the typical carcinoid (000 §1): the team's octreotide
            "ssa": "eligible",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            # a functional lung NET: outside RADIANT-4, inside RADIANT-2, which missed its
            # prespecified significance: the board's to weigh (relative)
            "everolimus": "uncertain",
            "platinum_etoposide": "ineligible",
        },
        {
            "ssa.sstr": "met",
            "ssa.indication": "met",
            "liver_transplant_milan.age": "not_met",
            "everolimus.population": "met",
            "everolimus.non_functional": "unknown",
            "interferon_alpha.syndrome": "met",
        },
        {},
        {"grade": "G1", "portal_drainage": False},
        {},
        (),
        SSA_SYNDROME
        + "; 003 Medical therapy: SSAs 'are effective in controlling hormonal secretion'; "
        + TABLE_2
        + "; 004 §3.4: everolimus in RADIANT-4 'in patients with non-functional pulmonary and "
        "gastrointestinal (GI) NETs'; " + NEC_CHEMO,
    ),
    # Abdalla MFJ, Almeida GCS, Fernandes Junior HJ (as the companion version,
    # doi:10.15761/MCRR.1000139, lists them). 177-Lutecio-DOTATE in the treatment of
    # neuroendocrine rectal tumors with liver metastasis: case report. Brazilian Journal of
    # Oncology 2020;16:e-20200026. doi:10.5935/2526-8732.20200026,
    # https://www.thieme-connect.com/products/ejournals/html/10.5935/2526-8732.20200026
    # States: 35-year-old woman; rectal NET resected; liver recurrence treated with
    # segmentectomies, embolisation (type not said) and octreotide; the metastases persisted.
    # Grade, SSTR imaging and extent are not in the abstract. Team: 177Lu-DOTATATE.
    SeedPatient(
        "abdalla-rectal-net-recurrence-prrt",
        {
            "case_id": "pc-abdalla-rectal-prrt",
            "patient": {"age_years": 35, "sex": "female"},
            "primary": {"site": "rectum", "resected": True},
            "course": {
                "prior_treatments": ["liver_resection", "ssa"],
                "recurrence_after_liver_resection": True,
            },
        },
        {
            "prrt": "uncertain",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_unos": "ineligible",
            "sunitinib": "ineligible",
        },
        {
            "prrt.sstr": "unknown",
            "liver_transplant_milan.portal_drainage": "not_met",
            "sunitinib.pancreatic": "not_met",
        },
        {},
        {"portal_drainage": False},
        {"prrt": ["imaging.sstr_positive"]},
        (),
        TABLE_2 + "; 003 PRRT: radiolabelled SSAs for SSTR-expressing tumours; 004 §3.4: sunitinib "
        "'in patients with locally advanced or metastatic pNETs'",
    ),
    # Bulleri A, Paolocchi A, Zangani M, et al. Atypical bronchial carcinoid. Eurorad 2011,
    # case 8994. http://www.eurorad.org/eurorad/case.php?id=8994
    # States: 37-year-old woman with diarrhoea and cramps; multiple liver lesions; right
    # upper lobe obstruction; OctreoScan uptake in liver and lung; liver biopsy atypical
    # carcinoid, well differentiated. Team: right upper lobectomy, then somatostatin analogues.
    SeedPatient(
        "eurorad-atypical-bronchial-carcinoid-synchronous",
        {
            "case_id": "pc-eurorad-atypical-bronchial",
            "patient": {"age_years": 37, "sex": "female"},
            "primary": {"site": "lung", "resected": False},
            "pathology": {"reported_grade": "atypical_carcinoid", "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "prrt": "ineligible",
            "everolimus": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "liver_transplant_enets.primary_removed": "not_met",
            "prrt.setting": "not_met",
            "prrt.sstr": "met",
            "ssa.sstr": "met",
            "everolimus.progressing": "not_met",
        },
        {},
        {"grade": "G2", "portal_drainage": False},
        {},
        (),
        TABLE_2
        + "; "
        + PRRT_SETTING
        + "; RADIANT-4 eligibility (Yao 2016, Lancet; cited by 004 §3.4): progressive disease; "
        + NEC_CHEMO,
    ),
    # Wang W, Seeruttun SR, Fang C, Zhou Z. Comprehensive treatment of a functional pancreatic
    # neuroendocrine tumor with multifocal liver metastases. Chin J Cancer Res (PMC4153935).
    # http://cjcr.amegroups.com/article/view/4378/5293 (PMC4153935)
    # States: 64-year-old man, pain and diarrhoea for 3 years; primary in the pancreatic tail,
    # multifocal liver metastases on PET/CT; "stage IV functional G1 pNET" (the hormone is
    # not named in the abstract, so the syndrome is left out). Team: omeprazole, SSA and
    # interferon alpha, then ablation/iodine seeds for the primary and TACE, RFA and
    # microwave ablation for the liver.
    SeedPatient(
        "wang-functional-g1-pnet-multifocal",
        {
            "case_id": "pc-wang-functional-g1-pnet",
            "patient": {"age_years": 64, "sex": "male"},
            "primary": {"site": "pancreas", "resected": False},
            "pathology": {"reported_grade": "G1"},
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {
            "liver_transplant_milan": "ineligible",
            "prrt": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.primary_removed": "not_met",
            "prrt.setting": "not_met",
            # "functional" without the hormone: the syndrome stays unknown
            "interferon_alpha.syndrome": "unknown",
            "ssa.not_nec": "met",
        },
        {},
        {"grade": "G1", "portal_drainage": True},
        {},
        (),
        TABLE_2 + "; " + PRRT_SETTING + "; " + NEC_CHEMO + "; " + SSA_004,
    ),
    # Hori T, Takaori K, Kawaguchi M, et al. Non-functioning pancreatic neuroendocrine tumor
    # accompanied with multiple liver metastases: remorseful case and literature review.
    # JOP 2014;15(6). http://www.serena.unina.it/index.php/jop/article/view/2861
    # States: 39-year-old man, asymptomatic, non-functioning PNET of the head, 2.5 cm; small
    # but multiple liver metastases; no extrahepatic metastases. Grade not in the abstract.
    # Team: control the liver first (TACE and arterial infusion, then chemotherapy and
    # biotherapy), the primary to be resected after.
    SeedPatient(
        "hori-nonfunctioning-pnet-head-multiple-small",
        {
            "case_id": "pc-hori-nf-pnet-head",
            "patient": {"age_years": 39, "sex": "male"},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "size_cm": 2.5,
                "functional_syndrome": "none",
            },
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "extrahepatic": {"present": False},
            "course": {"status": "new_diagnosis"},
        },
        {
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "everolimus": "ineligible",
            "liver_resection": "uncertain",
        },
        {
            "liver_resection.grade": "unknown",
            "liver_resection.no_extrahepatic": "met",
            "liver_transplant_milan.primary_removed": "not_met",
            "liver_transplant_milan.age": "met",
            "liver_transplant_milan.portal_drainage": "met",
            "everolimus.progressing": "not_met",
        },
        {},
        {"grade": None, "portal_drainage": True},
        {"liver_resection": ["pathology.ki67_percent"]},
        (),
        RESECTION_004
        + "; "
        + TABLE_2
        + "; RADIANT-3 eligibility (Yao 2011, NEJM; cited by 004 §3.4): progressive disease",
    ),
    # Journal of Medicine and Life 2018, issue 1: metastatic neuroendocrine pancreatic tumor,
    # case report (authors not in the stored page). https://medandlife.org/all-issues/2018/issue-1-2018/original-article-issue-1-2018/metastatic-neuroendocrine-pancreatic-tumor-case-report
    # States: 62-year-old man, locally invasive pancreatic-body mass, intra-abdominal nodes
    # (regional or distant not said) and liver nodules; liver biopsy "neuroendocrine tumor
    # with a 10-15% Ki67"; mitoses and differentiation not stated. Bone metastasis came 18
    # months later. Team: oxaliplatin-capecitabine, then octreotide LAR added.
    SeedPatient(
        "medlife-pnet-ki67-10-to-15",
        {
            "case_id": "pc-medlife-pnet-bone",
            "patient": {"age_years": 62, "sex": "male"},
            "primary": {"site": "pancreas", "resected": False},
            "pathology": {
                "ki67_percent_at_least": 10,
                "ki67_percent_at_most": 15,
                "ki67_source": "liver_metastasis",
            },
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {"liver_transplant_milan": "ineligible", "ssa": "uncertain"},
        {
            # 10-15 % straddles the SSA's Ki-67 ≤ 10 %
            "ssa.indication": "unknown",
            "liver_transplant_milan.age": "not_met",
        },
        {},
        # Ki-67 3-20 % is G2 only if the mitotic count is not higher: 000 §1 'The higher
        # index is used to classify grade if there is a discrepancy'
        {"grade": None, "portal_drainage": True},
        {"ssa": ["pathology.ki67_percent"]},
        (),
        SSA_004
        + "; 000 §1: 'Grade 2 (G2) tumors have a mitotic index between 2 and 20 or a Ki67 index "
        "from 3 to 20 ... The higher index is used to classify grade if there is a "
        "discrepancy'; " + TABLE_2,
    ),
    # High-grade neuroendocrine carcinoma of the colon, long-term survival in advanced
    # disease (PMID 20839076; authors and journal not in the stored page).
    # https://pubmed.ncbi.nlm.nih.gov/20839076/
    # States: 72-year-old man; poorly differentiated hepatic-flexure mass; right
    # hemicolectomy with biopsy of a liver lesion; high-grade NEC in both; an isolated
    # FDG-avid liver metastasis; treated as extensive-stage small-cell carcinoma of the
    # colon. Team: platinum-etoposide, then radiofrequency ablation of the liver lesion
    # (repeated), disease-free at 7 years.
    SeedPatient(
        "colon-small-cell-nec-isolated-liver-metastasis",
        {
            "case_id": "pc-colon-nec-oligometastasis",
            "patient": {"age_years": 72, "sex": "male"},
            "primary": {"site": "colon", "resected": True},
            "pathology": {
                "reported_grade": "NEC",
                "differentiation": "poor",
                "nec_subtype": "small_cell",
            },
            "imaging": {"fdg_positive": True},
            "liver": {"lesion_count": 1, "synchronous": True},
        },
        {
            "platinum_etoposide": "eligible",
            # The team's ablation is outside the seeds: 002 §4 keeps it to G1-G2 NETs.
            "thermal_ablation": "ineligible",
            "liver_resection": "ineligible",
            # a NEC: the SSA only for the hormone control of a syndrome (Kaltsas 2017), and
            # the report states none either way
            "ssa": "uncertain",
            "liver_transplant_milan": "ineligible",
        },
        {
            "thermal_ablation.grade": "not_met",
            "liver_resection.grade": "not_met",
            "ssa.not_nec": "unknown",
            "liver_transplant_milan.grade": "not_met",
        },
        {},
        {"grade": "NEC", "differentiation": "poor", "liver_type": "I"},
        {},
        ("platinum_etoposide",),
        NEC_CHEMO
        + "; "
        + LOCOREGIONAL_G1_G2
        + "; "
        + RESECTION_004
        + "; "
        + SSA_004
        + "; "
        + SSA_SYNDROME
        + "; 001 Table 2: Milan 'Low-grade NET (G1/G2) confirmed by histology'",
    ),
    # Cardiac magnetic resonance for diagnosis of neuroendocrine tumor metastases to the right
    # and left ventricles with carcinoid heart disease. Case Reports in Cardiology 2019, article
    # 8746413 (authors not in the stored page). doi:10.1155/2019/8746413,
    # https://www.hindawi.com/journals/cric/2019/8746413/
    # States: 76-year-old man, small-bowel NET with hepatic metastases (number not said);
    # cardiac MRI showed right and left ventricular myocardial metastases and carcinoid heart
    # disease with severe tricuspid regurgitation. Grade, syndrome and SSTR imaging are not in
    # the abstract. Team: bioprosthetic tricuspid valve replacement and debulking of the
    # myocardial metastases; the liver burden stayed stable at 9 months.
    SeedPatient(
        "cric-small-bowel-net-carcinoid-heart-disease-myocardial",
        {
            "case_id": "pc-cric-si-net-chd",
            "patient": {"age_years": 76, "sex": "male", "carcinoid_heart_disease": True},
            "primary": {"site": "small_intestine"},
            "liver": {"lesion_count_at_least": 2},
            "extrahepatic": {"present": True, "sites": ["other"]},
        },
        {
            "liver_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
            "sunitinib": "ineligible",
        },
        {
            "liver_resection.no_right_heart_dysfunction": "not_met",
            "liver_resection.no_extrahepatic": "not_met",
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.portal_drainage": "met",
            # the heart disease is a complication of the carcinoid syndrome (Davar 2017),
            # whose SSA is given without the SSTR status or the grade asked first (Kaltsas
            # 2017)
            "ssa.sstr": "met",
            "ssa.indication": "met",
            "ssa.not_nec": "met",
        },
        {},
        {"grade": None, "portal_drainage": True},
        {},
        (),
        RESECTION_004
        + "; "
        + TRANSPLANT_HEART
        + "; 001 Table 2: Milan 'Age <55 years ... Primary tumor drained by the portal system "
        "(pancreas and intermediate gut: from distal stomach to sigmoid colon)'; 004 §3.4: "
        "sunitinib 'in patients with locally advanced or metastatic pNETs'; " + SSA_004 + "; "
        "Davar 2017: carcinoid heart disease is a complication of the carcinoid syndrome; "
        "Kaltsas 2017: the SSA for a carcinoid syndrome without the SSTR status or the grade "
        "asked first",
    ),
    # Challenges in the diagnosis and management of the carcinoid heart disease. Romanian
    # Journal of Cardiology (authors and year not in the stored page).
    # https://www.romanianjournalcardiology.ro/arhiva/challenges-in-the-diagnosis-and-management-of-the-carcinoid-heart-disease/
    # States: 38-year-old woman, carcinoid syndrome of unknown primary, liver metastases
    # growing in size and number ("evolutive"); new severe tricuspid regurgitation and
    # moderate pulmonary stenosis from carcinoid heart disease. Grade, SSTR imaging and
    # extrahepatic staging are not in the abstract. Team: conservative treatment.
    SeedPatient(
        "rjc-unknown-primary-carcinoid-syndrome-heart-disease",
        {
            "case_id": "pc-rjc-unknown-primary-chd",
            "patient": {"age_years": 38, "sex": "female", "carcinoid_heart_disease": True},
            "primary": {"site": "unknown_primary", "functional_syndrome": "carcinoid"},
            "liver": {"lesion_count_at_least": 2},
            "course": {"status": "progressing"},
        },
        {
            "liver_resection": "ineligible",
            "liver_transplant_enets": "ineligible",
            # functional (carcinoid syndrome): RADIANT-4 non-functional only, RADIANT-2 short
            # of significance: the board's to weigh, the grade still open
            "everolimus": "uncertain",
        },
        {
            "liver_resection.no_right_heart_dysfunction": "not_met",
            "liver_transplant_enets.stable": "not_met",
            "liver_transplant_enets.age": "met",
            "everolimus.population": "met",
            "everolimus.non_functional": "unknown",
            "interferon_alpha.syndrome": "met",
            "ssa.indication": "met",
            # a carcinoid syndrome: the SSA without the SSTR status or the grade (Kaltsas
            # 2017)
            "ssa.sstr": "met",
            "ssa.not_nec": "met",
        },
        {},
        {"grade": None},
        {},
        (),
        TRANSPLANT_HEART
        + "; 001 Table 2: ENETS 'Young patients (<55 years) ... Stable disease for at least 6 "
        "months'; "
        + RADIANT_4
        + "; 003 Medical therapy: 'Alpha-interferon may be associated with somatostatin analogs "
        "for palliation or hormonal symptoms'; SSAs 'are effective in controlling hormonal "
        "secretion'; " + SSA_004 + "; " + SSA_SYNDROME,
    ),
    # Liu Q, Duan JH, Zheng YM, Luo J, Cai XP, Tan HY. Rare malignant insulinoma with multiple
    # liver metastases derived from ectopic pancreas: 3-year follow-up and literature review.
    # OncoTargets and Therapy 2018;11:1813-1819. doi:10.2147/OTT.S154991,
    # https://www.dovepress.com/rare-malignant-insulinoma-with-multiple-liver-metastases-derived-from--peer-reviewed-article-OTT
    # States: middle-aged woman (age not given), recurrent hypoglycaemia for 6 years with raised
    # insulin and C-peptide; multiple liver lesions (largest 4.3 cm); a 3.5-cm lesion of the
    # proximal jejunum, the primary on 68Ga-exendin-4 PET/CT; enlarged nodes around the
    # pancreas (regional or distant not said); liver biopsy well-differentiated NET G1. SSTR
    # imaging is not reported. Team: everolimus with octreotide LAR, then octreotide alone.
    SeedPatient(
        "liu-ectopic-insulinoma-jejunum-multiple-liver-metastases",
        {
            "case_id": "pc-liu-ectopic-insulinoma",
            "patient": {"sex": "female"},
            "primary": {
                "site": "small_intestine",
                "resected": False,
                "size_cm": 3.5,
                "functional_syndrome": "insulinoma",
            },
            "pathology": {
                "reported_grade": "G1",
                "differentiation": "well",
                "ki67_source": "liver_metastasis",
            },
            "liver": {"lesion_count_at_least": 2, "largest_lesion_cm": 4.3},
        },
        {
            "thermal_ablation": "ineligible",
            "liver_transplant_milan": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "thermal_ablation.size_number": "not_met",
            "liver_transplant_milan.primary_removed": "not_met",
            # interferon is added to an SSA (003), which an insulinoma leaves out (Gama 1995)
            "interferon_alpha.syndrome": "not_met",
            "ssa.sstr": "unknown",
        },
        # SSA in insulinoma: Gama 1995 (octreotide can worsen fasting hypoglycaemia)
        {"ssa": "Insulinoma"},
        {"grade": "G1", "differentiation": "well", "portal_drainage": True},
        {"ssa": ["imaging.sstr_positive"]},
        (),
        ABLATION_002
        + "; 001 Table 2: Milan 'Primary tumor ... already removed with a curative resection'; "
        + NEC_CHEMO
        + "; 003 Medical therapy: interferon 'for palliation or hormonal symptoms'; Gama 1995: "
        "octreotide and fasting hypoglycaemia in insulinoma",
    ),
    # A subcentimeter duodenal neuroendocrine neoplasm with a liver metastasis upgraded to G3:
    # a case report. Surgical Case Reports 2021 (authors not in the stored page).
    # doi:10.1186/s40792-021-01155-1,
    # https://surgicalcasereports.springeropen.com/articles/10.1186/s40792-021-01155-1
    # States: 52-year-old woman; 8-mm duodenal NEN, open partial duodenectomy with lymph-node
    # dissection: Ki-67 13.5 % (G2) in the hot spot, node metastasis; one liver lesion on
    # MRI. Encoded as the board saw it before the hepatectomy. Team: laparoscopic partial
    # hepatectomy; the liver specimen then showed Ki-67 27.5 % (NET G3), alive at 14 months.
    SeedPatient(
        "duodenal-subcentimetre-net-single-liver-metastasis",
        {
            "case_id": "pc-duodenal-subcm-liver-met",
            "patient": {"age_years": 52, "sex": "female"},
            "primary": {
                "site": "duodenum",
                "resected": True,
                "size_cm": 0.8,
                "node_positive": True,
            },
            "pathology": {"ki67_percent": 13.5, "ki67_source": "primary"},
            "liver": {"lesion_count": 1},
        },
        {
            "liver_resection": "uncertain",
            "liver_transplant_enets": "ineligible",
            "liver_transplant_unos": "ineligible",
        },
        {
            "liver_resection.liver_type": "met",
            # Ki-67 13.5 % with no mitotic count: at least G2, G3 not excluded
            "liver_resection.grade": "unknown",
            "liver_transplant_enets.ki67": "not_met",
            "liver_transplant_unos.bilobar_unresectable": "not_met",
            "liver_transplant_milan.age": "met",
            "liver_transplant_milan.portal_drainage": "met",
        },
        {},
        {"grade": None, "liver_type": "I", "portal_drainage": True},
        {
            "liver_resection": [
                "pathology.mitoses_per_2mm2",
                "extrahepatic.present",
                "patient.fit_for_major_surgery",
            ]
        },
        ("liver_resection",),
        RESECTION_004
        + "; 004 §1: type I is a single metastasis; 000 §1: 'Grade 2 (G2) tumors have a mitotic "
        "index between 2 and 20 or a Ki67 index from 3 to 20 ... The higher index is used to "
        "classify grade if there is a discrepancy'; 001 Table 2: ENETS 'Ki67 proliferation index "
        "≤ 10%'; UNOS 'bilobar NELM, not amenable to resection'; Milan 'Age <55 years ... "
        "Primary tumor drained by the portal system'",
    ),
    # Therapeutic dilemmas in GEP-NET: a case study. Endocrine Abstracts 2014;35:MTE7 (meet-
    # the-expert session; authors not in the stored page).
    # https://endocrine-abstracts.org/ea/0035/abstracts/meet-the-expert-sessions/1/ea0035mte7
    # States: man aged 68; non-functioning pancreatic NET G1 with liver, bone and nodal
    # metastases; body-tail pancreatectomy with wedge resection of the right liver lobe and
    # splenectomy, chemotherapy and radiofrequency ablation; slow progression in the liver;
    # 68Ga PET showed SSTR in some liver, bone and nodal lesions, 18FDG uptake in many. Team:
    # PRRT declined because of the FDG uptake; cold SSA and intra-arterial 90Y-DOTATATE
    # ("radioembolisation"), then an mTOR inhibitor on further progression.
    SeedPatient(
        "ea-pnet-g1-bone-fdg-avid-after-hepatectomy-and-rfa",
        {
            "case_id": "pc-ea-pnet-g1-fdg-sirt",
            "patient": {"age_years": 68, "sex": "male"},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"reported_grade": "G1"},
            "imaging": {"sstr_positive": True, "fdg_positive": True},
            "liver": {"lesion_count_at_least": 2},
            "extrahepatic": {"present": True, "sites": ["bone"]},
            "course": {
                "status": "progressing",
                "prior_treatments": ["liver_resection", "thermal_ablation"],
                "recurrence_after_liver_resection": True,
            },
        },
        {
            "liver_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
            "everolimus": "eligible",
            "platinum_etoposide": "ineligible",
            "interferon_alpha": "ineligible",
        },
        {
            "liver_resection.no_extrahepatic": "not_met",
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.no_extrahepatic": "not_met",
            # "positive" does not say the uptake reaches that of normal liver
            "prrt.uptake": "unknown",
            "everolimus.population": "met",
            "everolimus.progressing": "met",
        },
        {},
        {"grade": "G1", "portal_drainage": True},
        {},
        (),
        RESECTION_004
        + "; 001 Table 2: Milan 'Age <55 years ... removal of all extra-hepatic tumor deposits "
        "prior to OLT'; 001 PRRT: 'sufficient SSTR expression on diagnostic SSTR scintigraphy'; "
        "RADIANT-3 eligibility (Yao 2011, NEJM; cited by 004 §3.4): progressive low- or "
        "intermediate-grade pancreatic NET; "
        + NEC_CHEMO
        + "; 003 Medical therapy: interferon 'for palliation or hormonal symptoms'",
    ),
    # Ji R, Zuo S, Qiu S, Li P, Chan A, Sharr W, Lo CM. Combined associating liver partition and
    # portal vein ligation for staged hepatectomy (ALPPS) followed by left trisectionectomy and
    # Whipple operation for PNET. Gland Surgery 2018 (accepted Nov 2017).
    # doi:10.21037/gs.2017.11.15, http://gs.amegroups.com/article/view/17601/18497
    # States: pancreatic NET with multiple liver metastases. Age, grade and extrahepatic
    # staging are not in the abstract. Team: ALPPS (then left trisectionectomy) and a Whipple
    # operation in one stage.
    SeedPatient(
        "ji-pnet-multiple-liver-metastases-alpps-whipple",
        {
            "case_id": "pc-ji-pnet-alpps-whipple",
            "primary": {"site": "pancreas", "resected": False},
            "liver": {"lesion_count_at_least": 2},
        },
        {
            "staged_resection": "uncertain",
            "simultaneous_resection": "uncertain",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "liver_transplant_unos": "ineligible",
        },
        {
            "simultaneous_resection.primary_in_situ": "met",
            "staged_resection.grade": "unknown",
            "liver_transplant_unos.primary_removed": "not_met",
            "liver_transplant_milan.portal_drainage": "met",
        },
        {},
        {"grade": None, "portal_drainage": True},
        {"staged_resection": ["pathology.ki67_percent"]},
        (),
        RESECTION_004
        + "; 001 Staged resections for extensive disease and Simultaneous primary and NELM "
        "resection; 001 Table 2: Milan 'Primary tumor drained by the portal system ... already "
        "removed'; ENETS 'Primary tumor removed prior to OLT'; UNOS 'Resected primary tumor'",
    ),
    # Nakajima Y, Takagi H, Sohara N, et al. Living-related liver transplantation for multiple
    # liver metastases from rectal carcinoid tumor: a case report. World J Gastroenterol
    # 2006;12(11):1805-1809. doi:10.3748/wjg.v12.i11.1805,
    # https://wjgnet.com/1007-9327/full/v12/i11/1805.htm
    # States: 42-year-old woman, multiple liver tumours; rectal submucosal carcinoid removed
    # endoscopically with a positive margin; two courses of transcatheter arterial chemotherapy
    # ineffective; then the rectal tumour and involved nodes resected. Grade not stated
    # ("carcinoid"). Team: living-related liver transplantation one month after the rectal
    # operation.
    SeedPatient(
        "nakajima-rectal-carcinoid-living-related-transplant",
        {
            "case_id": "pc-nakajima-rectal-ldlt",
            "patient": {"age_years": 42, "sex": "female"},
            "primary": {
                "site": "rectum",
                "resected": True,
                "months_since_primary_resection": 1,
                "node_positive": True,
            },
            "liver": {"lesion_count_at_least": 2},
        },
        {
            # The team's transplant is outside all three criteria sets of 001 Table 2.
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "liver_transplant_unos": "ineligible",
        },
        {
            "liver_transplant_milan.portal_drainage": "not_met",
            "liver_transplant_unos.portal_drainage": "not_met",
            "liver_transplant_enets.primary_removed": "not_met",
            "liver_transplant_unos.primary_removed": "met",
            # "a curative resection": the margin of the rectal operation is not stated
            "liver_transplant_milan.primary_removed": "unknown",
            "liver_transplant_milan.age": "met",
        },
        {},
        {"grade": None, "portal_drainage": False},
        {},
        (),
        "001 Table 2: Milan 'Primary tumor drained by the portal system (pancreas and "
        "intermediate gut: from distal stomach to sigmoid colon) already removed with a curative "
        "resection'; ENETS 'Primary tumor removed prior to OLT (at least 6 months)'; UNOS "
        "'Primary tumor drained by the portal system ... Resected primary tumor'",
    ),
    # Khaled I, Soliman H, Farid A, Dorgham A. A rare presentation of an obstructing metastatic
    # neuroendocrine carcinoma of the distal ileum: a case report. Asian Journal of Case
    # Reports in Surgery. https://journalajcrs.com/index.php/AJCRS/article/view/30134
    # States: 60-year-old woman, obstructing 2.4-cm terminal-ileal lesion, segmental resection
    # with its mesentery; 1 of 4 nodes positive; a cirrhotic liver with multiple metastases
    # (seen at laparotomy, confirmed on MRI); "grade II invasive neuroendocrine carcinoma",
    # encoded as reported grade G2 without differentiation (case-v1 has no field for
    # cirrhosis). The team's liver treatment is not in the abstract.
    SeedPatient(
        "khaled-ileal-grade-2-multiple-liver-metastases-cirrhotic-liver",
        {
            "case_id": "pc-khaled-ileal-g2",
            "patient": {"age_years": 60, "sex": "female"},
            "primary": {
                "site": "small_intestine",
                "resected": True,
                "size_cm": 2.4,
                "node_positive": True,
            },
            "pathology": {"reported_grade": "G2"},
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
        },
        {
            "liver_resection": "uncertain",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_unos": "ineligible",
        },
        {
            "liver_resection.grade": "met",
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.portal_drainage": "met",
            "liver_transplant_unos.primary_removed": "met",
        },
        {},
        {"grade": "G2", "portal_drainage": True},
        {"liver_resection": ["extrahepatic.present", "patient.fit_for_major_surgery"]},
        (),
        RESECTION_004
        + "; 001 Table 2: Milan and UNOS 'Age <55 years ... Primary tumor drained by the portal "
        "system'; UNOS 'Resected primary tumor'",
    ),
    # Repeat hepatectomy for liver metastases from bile duct neuroendocrine tumor: a case
    # report. Surg Case Rep 2020;6(1):204. doi:10.1186/s40792-020-00967-x (authors not in the
    # stored page). https://pubmed.ncbi.nlm.nih.gov/32770496
    # States: 75-year-old man at the first operation (age at this decision not stated);
    # extended left hepatectomy, extrahepatic bile-duct resection and hepaticojejunostomy for
    # a NET G2 of the common bile duct; two later hepatectomies for liver metastases (NET G2);
    # then four liver metastases, a somatostatin analogue for a year ("the size of tumors
    # increased slightly, the number did not change" -- not encoded as progression: no
    # response criteria are named). Encoded at the decision before the fourth hepatectomy.
    # A bile-duct primary is site "other". Team: limited liver resections (seven metastases,
    # NET G2, on pathology), then a fourth hepatectomy.
    SeedPatient(
        "bile-duct-net-g2-liver-recurrence-after-hepaticojejunostomy",
        {
            "case_id": "pc-bile-duct-net-repeat-hepatectomy",
            "patient": {"sex": "male"},
            "primary": {"site": "other", "resected": True},
            "pathology": {"reported_grade": "G2"},
            "liver": {"lesion_count": 4},
            "anatomy": {"biliary_enteric_anastomosis": True},
            "course": {
                "prior_treatments": ["liver_resection", "ssa"],
                "recurrence_after_liver_resection": True,
            },
        },
        {
            # Distribution, extrahepatic disease and fitness are not stated.
            "liver_resection": "uncertain",
            "tace": "ineligible",
            "tae": "ineligible",
            "thermal_ablation": "ineligible",
            "liver_transplant_milan": "ineligible",
        },
        {
            "liver_resection.grade": "met",
            "liver_resection.liver_type": "unknown",
            "tace.no_bilioenteric_anastomosis": "not_met",
            "tae.no_bilioenteric_anastomosis": "not_met",
            "thermal_ablation.size_number": "not_met",
            "liver_transplant_milan.portal_drainage": "not_met",
        },
        {},
        {"grade": "G2", "portal_drainage": False},
        {"liver_resection": ["liver.distribution", "extrahepatic.present"]},
        ("liver_resection",),
        RESECTION_004 + "; 001 TAE and TACE: 'Intra-arterial embolization techniques are generally "
        "contraindicated in the presence of portal vein thrombosis, hepatic insufficiency or "
        "bilio-enteric anastomosis'; "
        + ABLATION_002
        + "; 001 Table 2: Milan 'Primary tumor drained by the portal system'; 001 Surgery for "
        "recurrent NELM (repeat resection, plan step 1)",
    ),
    # Gastric neuroendocrine neoplasm with liver metastases: a case report. Translational
    # Gastroenterology and Hepatology (authors and year not in the stored excerpt).
    # https://tgh.amegroups.org/article/view/3604/html
    # States: 39-year-old woman; gastric mass and "multiple liver space-occupying lesions" on a
    # check-up CT; gastroscopic biopsy well-differentiated NEN G1, "Ki-67<2%"; MRI "multiple
    # liver metastases and multiple perigastric lymph node metastases" (regional nodes, so
    # node_positive; distant disease not stated). No symptoms. The team's choice is not in
    # the stored excerpt.
    SeedPatient(
        "gastric-net-g1-ki67-below-2-multiple-liver-metastases",
        {
            "case_id": "pc-gastric-net-g1-multiple-liver",
            "patient": {"age_years": 39, "sex": "female"},
            "primary": {"site": "stomach", "resected": False, "node_positive": True},
            "pathology": {
                "reported_grade": "G1",
                "differentiation": "well",
                "ki67_percent_at_most": 2,
            },
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
        },
        {
            "ssa": "uncertain",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "platinum_etoposide": "ineligible",
            "sunitinib": "ineligible",
        },
        {
            "liver_resection.grade": "met",
            "ssa.sstr": "unknown",
            "liver_transplant_milan.age": "met",
            "liver_transplant_milan.portal_drainage": "met",
            "liver_transplant_milan.primary_removed": "not_met",
            # G1: not of a high proliferative index (004 §3.4); poor differentiation relative
            "platinum_etoposide.high_grade": "not_met",
            "platinum_etoposide.nec": "unknown",
        },
        {},
        {"grade": "G1", "portal_drainage": True},
        {"ssa": ["imaging.sstr_positive"]},
        (),
        "000 §1: G1 'Ki67 index < 3', G3 'Ki67 index > 20'; "
        + SSA_004
        + "; 001 Table 2: Milan 'Age <55 years ... Primary tumor drained by the portal system'; "
        "Milan and ENETS 'Primary tumor removed prior to OLT'; "
        + NEC_CHEMO
        + "; 004 §3.4: sunitinib 'in patients with locally advanced or metastatic pNETs'",
    ),
    # Anand B, Kurian SS. Neuroendocrine neoplasm of liver with intratumoral discordance of
    # mitotic and Ki-67 proliferation index. J Curr Res Sci Med 2020;6:152-154.
    # https://www.jcrsmed.org/text.asp?2020/6/2/152/304196
    # States: 70-year-old woman, backache; multiple liver lesions with lesions in the sacral
    # bone, the adrenal and the pancreatic tail (primary not named); liver core biopsy NEN,
    # Ki-67 "30%-40%" (encoded as the range), mitoses 3/10 high-power fields (not per 2 mm²,
    # so not encoded); differentiation not stated. A pathology report: no treatment given.
    SeedPatient(
        "liver-nen-ki67-30-to-40-bone-adrenal",
        {
            "case_id": "pc-anand-liver-nen-ki67-range",
            "patient": {"age_years": 70, "sex": "female"},
            "pathology": {
                "ki67_percent_at_least": 30,
                "ki67_percent_at_most": 40,
                "ki67_source": "liver_metastasis",
            },
            "liver": {"lesion_count_at_least": 2},
            "extrahepatic": {"present": True, "sites": ["bone", "other"]},
        },
        {
            "liver_resection": "ineligible",
            # G3 NET (G1/G2 relative: 002 §4 against NANETS in 002 §3) or NEC (ruled out):
            # the differentiation decides, as does the stability of the bone disease
            "tace": "uncertain",
            "thermal_ablation": "uncertain",
            "liver_transplant_enets": "ineligible",
            # Well-differentiated G3 NET or NEC: the report does not say, so it stays open.
            "platinum_etoposide": "uncertain",
        },
        {
            "liver_resection.grade": "unknown",
            "liver_resection.no_extrahepatic": "not_met",
            "tace.grade": "unknown",
            "tace.liver_dominant": "unknown",
            "liver_transplant_enets.ki67": "not_met",
            "platinum_etoposide.nec": "unknown",
        },
        {},
        {},
        {
            "platinum_etoposide": ["pathology.differentiation"],
            "tace": ["pathology.differentiation", "extrahepatic.stable"],
        },
        (),
        "000 §1: 'Grade 3 (G3) tumors have a mitotic index or Ki67 index > 20'; "
        + RESECTION_004
        + "; "
        + LOCOREGIONAL_G1_G2
        + "; 001 Table 2: ENETS 'Ki67 proliferation index ≤ 10%'; "
        + NEC_CHEMO,
    ),
    # Yang K, Cheng YS, Yang JJ, Jiang X, Guo JX. Primary hepatic neuroendocrine tumor with
    # multiple liver metastases: a case report with review of the literature. World J
    # Gastroenterol 2015;21(10):3132-3138. doi:10.3748/wjg.v21.i10.3132
    # States: multiple hepatic masses, largest 6.4 cm; enlarged porta hepatis and slightly
    # enlarged retroperitoneal nodes (not called metastases, so extrahepatic is not encoded);
    # biopsy "grade 2 well-differentiated neuroendocrine carcinoma"; no extrahepatic primary
    # found (site "other"). Age and sex not in the stored excerpt. Team: TACE (oxaliplatin,
    # gelatin sponge, lipiodol).
    SeedPatient(
        "yang-primary-hepatic-net-g2-multiple-tace",
        {
            "case_id": "pc-yang-primary-hepatic-net",
            "primary": {"site": "other", "resected": False},
            "pathology": {"reported_grade": "G2", "differentiation": "well"},
            "liver": {"lesion_count_at_least": 2, "largest_lesion_cm": 6.4},
        },
        {
            # Labs, portal vein, extrahepatic disease are not stated: TACE waits on them.
            "tace": "uncertain",
            "thermal_ablation": "ineligible",
            "liver_transplant_milan": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "tace.grade": "met",
            "tace.no_bilioenteric_anastomosis": "unknown",
            "thermal_ablation.size_number": "not_met",
            "liver_transplant_milan.portal_drainage": "not_met",
            # G2: not of a high proliferative index (004 §3.4); poor differentiation relative
            "platinum_etoposide.high_grade": "not_met",
            "platinum_etoposide.nec": "unknown",
        },
        {},
        {"grade": "G2", "portal_drainage": False},
        {"tace": ["anatomy.portal_vein_thrombosis"]},
        (),
        LOCOREGIONAL_G1_G2
        + "; 001 TAE and TACE: contraindicated 'in the presence of portal vein thrombosis, "
        "hepatic insufficiency or bilio-enteric anastomosis'; "
        + ABLATION_002
        + "; 001 Table 2: Milan 'Primary tumor drained by the portal system'; "
        + NEC_CHEMO,
    ),
    # Jadhav A, Ayyat M, Serafini FM. Presentation, diagnosis, and treatment of a sporadic
    # gastrinoma with liver metastases. Ann Surg Case Rep Images 2024;1(3):1025.
    # https://annscri.org/articles/SCR-1025.html
    # States: 59-year-old woman, anaemia and an upper GI bleed; sporadic pancreatic
    # gastrinoma with "more than 12 liver metastases" (encoded as at least 13). Grade, SSTR
    # imaging and extrahepatic disease are not in the stored abstract; the authors' stated
    # principle is resection of the primary "along with as many metastatic lesions as
    # possible" (cytoreduction); the operation done is not in the stored excerpt.
    SeedPatient(
        "jadhav-pancreatic-gastrinoma-more-than-12-liver-metastases",
        {
            "case_id": "pc-jadhav-gastrinoma",
            "patient": {"age_years": 59, "sex": "female"},
            "primary": {
                "site": "pancreas",
                "resected": False,
                "functional_syndrome": "gastrinoma",
                "hormone": "gastrin",
            },
            "liver": {"lesion_count_at_least": 13, "synchronous": True},
        },
        {
            "thermal_ablation": "ineligible",
            "liver_transplant_milan": "ineligible",
            "surufatinib": "ineligible",
            # Grade unknown: neither well-differentiated nor NEC is settled.
            "platinum_etoposide": "uncertain",
        },
        {
            "thermal_ablation.size_number": "not_met",
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.portal_drainage": "met",
            "surufatinib.non_functional": "not_met",
            "liver_resection.grade": "unknown",
        },
        {},
        {"portal_drainage": True},
        {"liver_resection": ["pathology.ki67_percent"]},
        (),
        ABLATION_002
        + "; 001 Table 2: Milan 'Age <55 years ... Primary tumor drained by the portal system'; "
        "004 §3.4: surufatinib in SANET-p/SANET-ep for non-functional NETs; " + RESECTION_004,
    ),
    # Wang Y, Zhao D. Pancreatic neuroendocrine cancer with liver metastases and multiple
    # peritoneal metastases: report of one case. Transl Gastroenterol Hepatol 2016.
    # doi:10.21037/tgh.2016.07.05, https://tgh.amegroups.org/article/view/3616/html
    # States: 59-year-old man, loose stools 4-5 times a day and 5 kg weight loss, no flushing;
    # CT a mass in the pancreatic head, multiple liver metastases and multiple masses in the
    # omentum, mesentery, abdomen and pelvis, considered metastases. Grade and the team's
    # choice are beyond the stored excerpt.
    SeedPatient(
        "wang-pnet-head-liver-and-peritoneal-metastases",
        {
            "case_id": "pc-wang-pnet-peritoneal",
            "patient": {"age_years": 59, "sex": "male"},
            "primary": {"site": "pancreas", "resected": False},
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "extrahepatic": {"present": True, "sites": ["peritoneum"]},
        },
        {
            "liver_resection": "ineligible",
            "simultaneous_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
        },
        {
            "liver_resection.no_extrahepatic": "not_met",
            "liver_resection.grade": "unknown",
            "liver_transplant_milan.no_extrahepatic": "not_met",
            "liver_transplant_milan.portal_drainage": "met",
        },
        {},
        {"portal_drainage": True},
        {"prrt": ["imaging.sstr_positive"]},
        (),
        RESECTION_004
        + "; 003 Potentially curative surgery: 'absence of extrahepatic metastasis, absence of "
        "diffuse peritoneal metastasis'; 001 Table 2: Milan 'Age <55 years ... Primary tumor "
        "drained by the portal system'; Milan and ENETS exclude extrahepatic disease",
    ),
    # Melhorn P, Raderer M, Mazal P, Kozakowski N, Kiesewetter B. NEC versus NET G3 - is
    # there a grey zone? Case report of pancreatic NET G3 with rapid disease progression.
    # memo 2024. doi:10.1007/s12254-024-00976-8,
    # https://link.springer.com/article/10.1007/s12254-024-00976-8
    # States: 49-year-old man, ECOG 0, a 3.6-cm mass of the pancreatic body, "multiple
    # hepatic lesions, measuring up to 1 cm"; EUS biopsy of the pancreas: NET G3, Ki-67 up
    # to 50 %. "Surgery was not indicated." Team: cisplatin/etoposide first line "on account
    # of the high proliferation rate", progression at the first restaging, CAPTEM second.
    SeedPatient(
        "melhorn-pancreatic-net-g3-ki67-50",
        {
            "case_id": "pc-melhorn-pnet-g3",
            "patient": {"age_years": 49, "sex": "male", "ecog": 0},
            "primary": {"site": "pancreas", "size_cm": 3.6},
            "pathology": {
                "differentiation": "well",
                "ki67_percent": 50,
                "reported_grade": "G3",
                "ki67_source": "primary",
            },
            "liver": {
                "lesion_count_at_least": 2,
                "largest_lesion_cm_at_most": 1,
                "synchronous": True,
            },
            "course": {"status": "new_diagnosis"},
        },
        {
            "liver_transplant_milan": "ineligible",
            "staged_resection": "ineligible",
            "everolimus": "ineligible",
            # the team's choice: relative for a well-differentiated G3 NET (003 against 004)
            "platinum_etoposide": "uncertain",
        },
        {
            "liver_transplant_milan.grade": "not_met",
            # a new diagnosis, nothing given, metastases found with the primary: in place
            "liver_transplant_milan.primary_removed": "not_met",
            "platinum_etoposide.high_grade": "met",
            "platinum_etoposide.nec": "unknown",
            # NETTER-2: first line, Ki-67 10-55 %
            "prrt.setting": "met",
        },
        {},
        {"grade": "G3", "portal_drainage": True},
        {},
        (),
        "000 §1: G3 'mitotic index or Ki67 index > 20'; 001 Table 2: Milan 'Confirmed "
        "histology of low-grade neuroendocrine tumors (G1/G2)', 'Primary tumor ... already "
        "removed with a curative resection'; RADIANT-3 eligibility (G1/G2); "
        + NEC_CHEMO
        + "; 004 §3.4 names etoposide and platinum for NETs with a high proliferative index "
        "(relative); " + PRRT_SETTING,
    ),
    # Vaduganathan M, Nagarur A, Kerr DA, Lauter KB, Padmanabhan A, Raghavan S, Pallais JC,
    # Fenves AZ. Metastatic pancreatic neuroendocrine tumor with ectopic adrenocorticotropic
    # hormone production (journal and year not in the retrieved text).
    # States: 71-year-old man, hypertension, hypokalaemia, cortisol not suppressed by
    # dexamethasone; small pancreatic-head mass with scattered liver metastases; EUS and
    # liver biopsies well-differentiated NET; "These lesions did not show significant uptake
    # on octreotide scan." Team: medical management, hepatic artery chemoembolisation, then
    # bilateral adrenalectomy; died of postoperative complications.
    SeedPatient(
        "vaduganathan-ectopic-acth-pnet-sstr-negative",
        {
            "case_id": "pc-vaduganathan-acth",
            "patient": {"age_years": 71, "sex": "male"},
            "primary": {"site": "pancreas", "functional_syndrome": "other", "hormone": "acth"},
            "pathology": {"differentiation": "well"},
            "imaging": {"sstr_positive": False},
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {
            "ssa": "ineligible",
            "prrt": "ineligible",
            # interferon is added to an SSA: with none to add it to, it is not given
            "interferon_alpha": "ineligible",
            "tace": "uncertain",
        },
        {
            "ssa.sstr": "not_met",
            "prrt.sstr": "not_met",
            "interferon_alpha.ssa_to_add_to": "not_met",
        },
        {},
        {"portal_drainage": True},
        {},
        (),
        "004 §3.3: SSA 'applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR "
        "positivity'; 001 PRRT: sufficient SSTR expression; 003 Medical therapy: "
        "'Alpha-interferon may be associated with somatostatin analogs for palliation or "
        "hormonal symptoms'",
    ),
    # Glucagonoma case report, Frontiers in Oncology 2024 (Department of Hepatobiliary
    # Surgery, Shandong Provincial Hospital; title and authors not in the retrieved text).
    # doi:10.3389/fonc.2024.1437102
    # States: 40-year-old man, 7.6-cm mass of the pancreatic body and tail, multiple liver
    # lesions of varying sizes, NET G2 on liver biopsy, necrolytic migratory erythema,
    # glucagon 1138.3 pg/L. Team: distal pancreatectomy, splenectomy and partial liver
    # resection; the rash crusted within 5 days; the liver lesions progressed later.
    SeedPatient(
        "glucagonoma-g2-synchronous-liver-metastases",
        {
            "case_id": "pc-glucagonoma-g2-2024",
            "patient": {"age_years": 40, "sex": "male"},
            "primary": {
                "site": "pancreas",
                "size_cm": 7.6,
                "functional_syndrome": "glucagonoma",
                "hormone": "glucagon",
            },
            "pathology": {"reported_grade": "G2"},
            "liver": {"lesion_count_at_least": 2, "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {
            # the glucagonoma's SSA, given without the SSTR status (Kaltsas 2017)
            "ssa": "eligible",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "liver_transplant_unos": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "liver_transplant_milan.primary_removed": "not_met",
            "liver_transplant_enets.primary_removed": "not_met",
            "simultaneous_resection.primary_in_situ": "met",
        },
        {},
        {"grade": "G2", "portal_drainage": True},
        {},
        (),
        "Kaltsas 2017 (ENETS pre- and perioperative therapy): a glucagonoma requires SSA "
        "treatment and nutritional supplementation; 001 Table 2: Milan 'Primary tumor ... "
        "already removed with a curative resection', ENETS 'Primary tumor removed prior to OLT "
        "(at least 6 months)'; " + NEC_CHEMO,
    ),
    # Malignant insulinoma in type 2 diabetes, a case report, Hindawi 2011 (title, authors
    # and journal not in the retrieved text). doi:10.1155/2011/124078
    # States: 67-year-old woman, type 2 diabetes, coma from "breakthrough hyperinsulinism";
    # pancreatic tumour with large-volume right-sided liver metastases, NET on biopsy;
    # medical management "rapidly failed". Team: one-step R0 distal pancreatectomy,
    # splenectomy and right hepatectomy; free of disease at 9 months.
    SeedPatient(
        "insulinoma-right-sided-liver-metastases-one-step",
        {
            "case_id": "pc-insulinoma-one-step-2011",
            "patient": {"age_years": 67, "sex": "female"},
            "primary": {
                "site": "pancreas",
                "functional_syndrome": "insulinoma",
                "hormone": "insulin",
                "syndrome_refractory": True,
            },
            "liver": {"distribution": "unilobar", "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {
            "liver_transplant_milan": "ineligible",
            # an insulinoma's SSA can worsen the hypoglycaemia, and interferon is added to it
            "interferon_alpha": "ineligible",
        },
        {
            "simultaneous_resection.primary_in_situ": "met",
            "simultaneous_resection.synchronous": "met",
            # the refractory hypoglycaemia meets everolimus's progression criterion
            "everolimus.progressing": "met",
        },
        {},
        {"liver_type": "I", "portal_drainage": True},
        {},
        (),
        "004 §1 / 002 §2.2: type I liver metastases confined to one lobe; 001 Simultaneous "
        "primary and NELM resection (synchronous); Matej 2016: everolimus controls the "
        "hypoglycaemia of an unresectable insulinoma; 003 Medical therapy: interferon "
        "'associated with somatostatin analogs'; 001 Table 2: Milan 'Age <55 years'",
    ),
    # Lutetium in the treatment of metastatic neuroendocrine tumour in a patient on
    # maintenance hemodialysis - a case report. ISN World Congress of Nephrology 2025,
    # abstract WCN25-AB-1879 (authors not in the retrieved text).
    # https://events.theisn.org/event/session/view/28160
    # States: 38-year-old woman, end-stage kidney disease on haemodialysis for 4 years;
    # multiple liver masses found by chance; liver biopsy well-differentiated G2 NET, Ki-67
    # 8-10 %; 68Ga-DOTATATE PET/CT: SSTR-expressing lesions in the liver and the jejunum;
    # octreotide poorly tolerated. Team: three cycles of 177Lu-DOTATATE with dialysis within
    # 24 h of each; nadir platelets 15,000/µL after the first.
    SeedPatient(
        "lutetium-on-haemodialysis",
        {
            "case_id": "pc-lutetium-haemodialysis",
            "patient": {"age_years": 38, "sex": "female"},
            "primary": {"site": "small_intestine"},
            "pathology": {
                "differentiation": "well",
                "reported_grade": "G2",
                "ki67_percent_at_least": 8,
                "ki67_percent_at_most": 10,
                "ki67_source": "liver_metastasis",
            },
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count_at_least": 2},
            "labs": {"egfr_ml_min_less_than": 15},
            "course": {"prior_treatments": ["ssa"]},
        },
        {
            # the trial's renal limit (NETTER-1: creatinine clearance >= 50 mL/min)
            "prrt": "ineligible",
            # no creatinine given: an eGFR below 15 is a creatinine above 2 mg/dL at any
            # adult age (CKD-EPI 2021 gives at least 21.9 for 2.0), 002 §3.3's limit
            "tae": "ineligible",
            "tace": "ineligible",
            "tare": "ineligible",
            # capecitabine: contraindicated below a clearance of 30 mL/min (label)
            "capecitabine_temozolomide": "ineligible",
        },
        {
            "prrt.renal": "not_met",
            "tace.creatinine": "not_met",
            "tare.creatinine": "not_met",
        },
        {},
        {"grade": "G2", "portal_drainage": True},
        {},
        (),
        "NETTER-1 eligibility: creatinine clearance >= 50 mL/min; 002 §3.3: 'serum creatinine "
        "< 2' among the widely used criteria for embolisation, read through CKD-EPI 2021 (Inker "
        "2021); capecitabine label: contraindicated with a creatinine clearance below 30 mL/min",
    ),
    # Tandem PRRT in a G3 pancreatic NEN, a letter, Pol Arch Intern Med (Military Institute
    # of Medicine, Warsaw; title and authors not in the retrieved text).
    # doi:10.20452/pamw.16576
    # States: 65-year-old woman; non-functioning pancreatic NEN G3, Ki-67 23 % (EUS biopsy),
    # differentiation not stated; 3 x 3.5 x 4 cm mass "tightly surrounding the abdominal part
    # of the aorta and the abdominal arteries", disqualifying any surgery; 68Ga-DOTATATE:
    # high uptake in the primary, liver segment II, the left femur and the sacrum. Team:
    # lanreotide with four courses of 177Lu/90Y-DOTATATE; chromogranin A fell.
    SeedPatient(
        "g3-pancreatic-nen-bone-tandem-prrt",
        {
            "case_id": "pc-g3-pnen-tandem-prrt",
            "patient": {"age_years": 65, "sex": "female"},
            "primary": {
                "site": "pancreas",
                "size_cm": 4,
                "functional_syndrome": "none",
                "surgical_assessment": "unresectable",
                "unresectable_reason": "vascular_involvement",
            },
            "pathology": {"ki67_percent": 23, "reported_grade": "G3"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count": 1, "synchronous": True},
            "extrahepatic": {"present": True, "sites": ["bone"]},
            "course": {"status": "new_diagnosis"},
        },
        {
            "liver_resection": "ineligible",
            "primary_tumor_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
            # the team's PRRT: open on the uptake's strength and the blood counts
            "prrt": "uncertain",
            "everolimus": "ineligible",
        },
        {
            "liver_resection.no_extrahepatic": "not_met",
            "primary_tumor_resection.primary_in_situ": "not_met",
            # NETTER-2: first line for Ki-67 10-55 %
            "prrt.setting": "met",
            "prrt.not_nec": "unknown",
        },
        {},
        {"grade_possible": ["G3", "NEC"], "liver_type": "I", "portal_drainage": True},
        {"prrt": ["pathology.differentiation"]},
        (),
        "004 §3.1 / 003 Potentially curative surgery: 'absence of extrahepatic metastasis'; "
        "surgeons' judgement of the primary (case-v1 primary.surgical_assessment); "
        + PRRT_SETTING
        + "; 000 §4: PRRT for well-differentiated tumours (a NEC not excluded without the "
        "differentiation); RADIANT-3 eligibility (G1/G2)",
    ),
    # Lucandri G, et al. Extended surgical resection for nonfunctioning duodenal
    # neuroendocrine tumor. J Surg Case Rep 2022;2022(9):rjac391. doi:10.1093/jscr/rjac391
    # States: 68-year-old man; non-functioning NET of the descending, pre-ampullary duodenum,
    # an extensive mass involving the right colon; a single pericholecystic liver metastasis
    # found with it. Grade, liver lesion size, SSTR imaging and fitness are not in the
    # abstract. Team: extended (multivisceral) resection of the primary, a
    # pancreaticoduodenectomy, with the liver metastasis in one operation.
    SeedPatient(
        "duodenal-net-invading-colon-single-metastasis",
        {
            "case_id": "pc-duodenal-extended-resection",
            "patient": {"age_years": 68, "sex": "male"},
            "primary": {
                "site": "duodenum",
                "functional_syndrome": "none",
                "invades_adjacent_organs": True,
            },
            "liver": {"lesion_count": 1, "synchronous": True},
            "course": {"status": "new_diagnosis"},
        },
        {
            # the transplant sets ask for an age under 55 and the primary removed first
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "liver_transplant_unos": "ineligible",
            # the team's operation: open on the grade, the extrahepatic staging and fitness
            "simultaneous_resection": "uncertain",
        },
        {
            "liver_transplant_milan.age": "not_met",
            "liver_transplant_milan.primary_removed": "not_met",
            "simultaneous_resection.primary_in_situ": "met",
            "simultaneous_resection.synchronous": "met",
        },
        {},
        {"liver_type": "I", "portal_drainage": True},
        {"simultaneous_resection": ["patient.fit_for_major_surgery", "extrahepatic.present"]},
        ("simultaneous_resection",),
        "001 Table 2: Milan 'Age <55 years' and the primary removed with a curative resection "
        "before transplantation; 'Primary tumor drained by the portal system'; 001 "
        "Simultaneous primary and NELM resection: for synchronous disease with the primary in "
        "place, in patients 'generally fit and without severe comorbidities'; 004 §1: a single "
        "metastasis is type I",
    ),
    # Engelsman AF, van Duijvendijk P, Groenemeijer BE, et al. Tricuspid valve regurgitation
    # as a presenting symptom of metastasized carcinoid tumor. Case Rep Gastroenterol
    # 2012;6:643-649. doi:10.1159/000343594
    # States: 66-year-old woman; liver metastases of a carcinoid of the ileocaecal junction
    # (site "midgut"); raised chromogranin A and urinary 5-HIAA; right heart failure with
    # severe tricuspid regurgitation, carcinoid heart disease. Grade, SSTR imaging and the
    # liver's extent are not in the abstract. Team's treatment not in the abstract; the
    # authors warn that the regurgitation risks massive blood loss in liver surgery.
    SeedPatient(
        "ileocaecal-carcinoid-tricuspid-regurgitation",
        {
            "case_id": "pc-ileocaecal-carcinoid-heart",
            "patient": {"age_years": 66, "sex": "female", "carcinoid_heart_disease": True},
            "primary": {"site": "midgut", "hormone": "serotonin"},
        },
        {
            "liver_resection": "ineligible",
            "liver_transplant_milan": "ineligible",
            # hormone control of the carcinoid syndrome the heart disease comes from, whatever
            # the grade (Kaltsas 2017)
            "ssa": "eligible",
        },
        {
            "liver_resection.no_right_heart_dysfunction": "not_met",
            "ssa.indication": "met",
            "ssa.sstr": "met",
            "ssa.not_nec": "met",
        },
        {"liver_resection": "Carcinoid syndrome"},
        {"portal_drainage": True},
        {},
        (),
        "003 Potentially curative surgery: 'absence of right cardiac dysfunction'; Davar 2017: "
        "carcinoid heart disease is a complication of the carcinoid syndrome; 003 Medical "
        "therapy: SSAs 'are effective in controlling hormonal secretion'; Kaltsas 2017: the SSA "
        "for a carcinoid syndrome without the SSTR status or the grade asked first; 004 §3.3: "
        "SSA for well-differentiated NET; 001 Table 2: 'Age <55 years'",
    ),
]
