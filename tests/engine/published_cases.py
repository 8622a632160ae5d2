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
    "G1-G2 NETs when there are metastases primarily affecting the liver'"
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
PRRT_SETTING = (
    "002 §2.3: 'NANETS and ENETS, recommend the use of PRRT only after the progression of "
    "disease while on SSAs'; 004 §3.5: NETTER-2's first line was in 'first-diagnosed "
    "advanced G2/G3 GEP-NETs'"
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
            # SSTR status is not reported: 004 §3.3 asks for it.
            "ssa": "uncertain",
            "liver_transplant_milan": "ineligible",
            "liver_transplant_enets": "ineligible",
            "everolimus": "ineligible",
            "platinum_etoposide": "ineligible",
        },
        {
            "ssa.sstr": "unknown",
            "ssa.indication": "met",
            "liver_transplant_milan.age": "not_met",
            "everolimus.population": "not_met",
            "interferon_alpha.syndrome": "met",
        },
        {},
        {"grade": "G1", "portal_drainage": False},
        {"ssa": ["imaging.sstr_positive"]},
        (),
        SSA_004
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
            "ssa": "ineligible",
            "liver_transplant_milan": "ineligible",
        },
        {
            "thermal_ablation.grade": "not_met",
            "liver_resection.grade": "not_met",
            "ssa.not_nec": "not_met",
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
        + "; 001 Table 2: Milan 'Low-grade NET (G1/G2) confirmed by histology'",
    ),
]
