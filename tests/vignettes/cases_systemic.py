"""Board vignettes for the systemic options and the derived facts (test_systemic_derived.py).

Each vignette is a patient as a tumour board presents it, often thin; what the seeds decide
for it is written beside it, with the passage that decides it. A Ki-67 given without a
mitotic count does not settle the grade: 000 §1 grades by the higher of the two indices, so
the options that ask for G1/G2 wait on the mitotic count (001 Introduction, which grades on
Ki-67 alone, is shown in the grade's explanation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SYSTEMIC = (
    "ssa",
    "interferon_alpha",
    "everolimus",
    "sunitinib",
    "surufatinib",
    "cabozantinib",
    "capecitabine_temozolomide",
    "streptozocin_5fu",
    "platinum_etoposide",
)


@dataclass(frozen=True)
class Vignette:
    name: str
    case: dict[str, Any]
    # option -> (status, the passage that decides it)
    statuses: dict[str, tuple[str, str]]
    # option -> the fields an "uncertain" waits on (each must be in the option's missing)
    waits_on: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # options left "uncertain" by a relative criterion not met (the board decides)
    relative: tuple[str, ...] = ()
    # classification key -> expected value, and the passage
    derived: dict[str, Any] = field(default_factory=dict)
    # option -> words of a case-specific caution that must be shown
    cautions: dict[str, str] = field(default_factory=dict)


# Passages (seed file, section; quoted in the seeds):
SSA_4 = (
    '004 §3.3: SSA "applicable to NET patients with slow growth, Ki-67 ≤ 10%, and SSTR positivity"'
)
SSA_HORMONE = (
    '003 Medical therapy: SSAs "are effective in controlling hormonal secretion and tumor growth"'
)
IFN = (
    '003 Medical therapy: "Alpha-interferon may be associated with somatostatin analogs '
    'for palliation or hormonal symptoms"'
)
EVE_P = "004 §3.4 / 003 Targeted therapies: RADIANT-3, everolimus in (progressive) pNET"
EVE_GI = '004 §3.4: RADIANT-4 "non-functional pulmonary and gastrointestinal (GI) NETs"'
EVE_G12 = "RADIANT-3/-4 eligibility: low or intermediate grade (G1/G2), progression required"
SUN = (
    "003 Targeted therapies / 004 §3.4: sunitinib phase III in (progressive, "
    "well-differentiated) pNET"
)
SURU = (
    '004 §3.4: surufatinib "progressive non-functional and well-differentiated (G1, G2 grade)" '
    'NET that "cannot be surgically resected"'
)
CABO = (
    '004 §3.4: CABINET, NET "whose disease progressed after treatment"; '
    "CABINET eligibility: after a therapy other than an SSA"
)
CAPTEM = (
    '003 Medical therapy: CAPTEM in "metastatic, well-differentiated PNETs"; '
    '004 §3.4: "mainly indicated for NETs with high proliferative index"'
)
CHEMO_ADV = (
    '003 Medical therapy: "Systemic chemotherapy is only indicated for advanced and '
    'unresectable PNETs"'
)
STZ = '003 Medical therapy: "streptozotocin with 5-fluorouracil ... in treating G1/G2 PNENs"'
# The labels, not the seeds, give CAPTEM's kidney and marrow limits: a vignette without labs
# leaves CAPTEM open on them.
CAPTEM_LABS = (
    "capecitabine label 4.1: contraindicated below a creatinine clearance of 30 mL/min; "
    "temozolomide label 2.1: withheld below 100 x 10^9 platelets/L (no labs given)"
)
# 003's G1/G2 is where streptozotocin's efficacy was shown; 004 §3.4 names it for NETs "with
# high proliferative index": a G3 NET is the board's to weigh (relative).
STZ_KIDNEY = (
    "streptozocin label, Warnings: renal toxicity 'dose-related and cumulative', a judgement "
    "in 'preexisting renal disease' (no kidney function given: open)"
)
STZ_G3 = STZ + '; 004 §3.4: "mainly indicated for NETs with high proliferative index"'
# 004 §3.4 names etoposide and platinum for NETs "with high proliferative index": a high grade
# is required, poor differentiation relative (a G3 NET is the board's to weigh).
PLAT_HIGH = (
    '004 §3.4: etoposide and platinum "mainly indicated for NETs with high proliferative index"'
)
PLAT = (
    '003 Medical therapy: "For high-grade tumors with poor differentiation, platinum-based '
    'regimes are preferred"; 000 §1: NEC "poorly differentiated neoplasms of high grade"'
)
# The grade (000 §1): "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index < 3.
# Grade 2 (G2) tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20.
# Grade 3 (G3) tumors have a mitotic index or Ki67 index > 20. The higher index is used to
# classify grade if there is a discrepancy". The liver type: 004 §1 simple (type I, one lobe
# or two adjacent segments), complex (type II), diffuse (type III). Portal drainage: 001
# Table 2 "pancreas and intermediate gut: from distal stomach to sigmoid colon".
GRADE_OPEN = (
    '000 §1: "The higher index is used to classify grade": with no mitotic count, '
    "Ki-67 alone leaves a higher grade open"
)

YES, NO, OPEN = "eligible", "ineligible", "uncertain"

VIGNETTES: list[Vignette] = [
    # 1. Complete: pancreatic NET G2, diffuse bilobar, progressing on lanreotide.
    Vignette(
        name="pnet_g2_diffuse_progressed_on_ssa",
        case={
            "case_id": "v-sys-01",
            "patient": {"age_years": 62, "sex": "female", "ecog": 1, "fit_for_major_surgery": True},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 8, "mitoses_per_2mm2": 3, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 20,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 30,
            },
            "extrahepatic": {"present": False},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        statuses={
            "ssa": (YES, SSA_4),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (YES, EVE_P),
            "sunitinib": (YES, SUN),
            "surufatinib": (YES, SURU + " (type III: unresectable)"),
            "cabozantinib": (NO, CABO + " (only an SSA before)"),
            "capecitabine_temozolomide": (OPEN, CAPTEM + "; " + CAPTEM_LABS),
            "streptozocin_5fu": (OPEN, STZ + "; " + STZ_KIDNEY),
            "platinum_etoposide": (NO, PLAT),
        },
        derived={"grade": "G2", "liver_type": "III", "portal_drainage": True},
        cautions={"ssa": "Progressed on SSA"},
    ),
    # 2. Thin: ileal "G2" carcinoid syndrome, Ki-67 not given, "multiple" lesions, stable.
    Vignette(
        name="ileal_reported_g2_carcinoid_multiple_stable",
        case={
            "case_id": "v-sys-02",
            "primary": {"site": "small_intestine", "functional_syndrome": "carcinoid"},
            "pathology": {"reported_grade": "G2"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count_at_least": 2},
            "course": {"status": "stable"},
        },
        statuses={
            "ssa": (YES, SSA_HORMONE + " (carcinoid syndrome: hormone control)"),
            "interferon_alpha": (YES, IFN),
            "everolimus": (NO, EVE_GI + " (functional; and stable)"),
            "sunitinib": (NO, SUN + " (not pancreatic)"),
            "surufatinib": (NO, SURU + " (functional)"),
            "cabozantinib": (NO, CABO + " (stable)"),
            "streptozocin_5fu": (NO, STZ + " (not pancreatic)"),
            "platinum_etoposide": (NO, PLAT + " (G2 NET)"),
        },
        derived={"grade": "G2", "liver_type": None, "portal_drainage": True},
    ),
    # 3. Pancreatic large-cell NEC, Ki-67 70 %, new diagnosis.
    Vignette(
        name="pancreatic_large_cell_nec_new",
        case={
            "case_id": "v-sys-03",
            "patient": {"ecog": 1},
            "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "none"},
            "pathology": {
                "ki67_percent": 70,
                "differentiation": "poor",
                "nec_subtype": "large_cell",
            },
            "imaging": {"sstr_positive": False, "fdg_positive": True},
            "liver": {"lesion_count_at_least": 2, "distribution": "bilobar_diffuse"},
            "course": {"status": "new_diagnosis", "prior_systemic_lines": 0},
        },
        statuses={
            "ssa": (NO, SSA_4 + " (SSTR-negative NEC)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (NO, EVE_G12),
            "sunitinib": (NO, SUN + "; SUN-1111 eligibility: well-differentiated"),
            "surufatinib": (NO, SURU),
            "cabozantinib": (NO, CABO + " (NEC; nothing before)"),
            "streptozocin_5fu": (NO, STZ),
            "platinum_etoposide": (YES, PLAT),
        },
        relative=("capecitabine_temozolomide",),
        derived={"grade": "NEC", "liver_type": "III", "portal_drainage": True},
    ),
    # 4. Rectal NET, mitoses 5 per 2 mm² and no Ki-67, one liver lesion, progressing.
    Vignette(
        name="rectal_mitoses_only_single_lesion",
        case={
            "case_id": "v-sys-04",
            "primary": {"site": "rectum", "functional_syndrome": "none"},
            "pathology": {"mitoses_per_2mm2": 5, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count": 1, "largest_lesion_cm": 3},
            "course": {"status": "progressing", "prior_systemic_lines": 0},
        },
        statuses={
            "ssa": (OPEN, SSA_4 + " (Ki-67 not given)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (OPEN, EVE_G12 + " (G2 or G3: Ki-67 may raise it)"),
            "sunitinib": (NO, SUN + " (not pancreatic)"),
            "cabozantinib": (NO, CABO + " (no prior line)"),
            # not pancreatic, and G2 or G3 by the mitoses alone: 004 §3.4's high proliferative
            # index (any site) is open
            "streptozocin_5fu": (OPEN, STZ_G3 + " (not pancreatic; G2 or G3)"),
            # mitoses 5 without a Ki-67: G2 or G3 (000 §1), so the high grade is open
            "platinum_etoposide": (OPEN, PLAT_HIGH + " (G2 or G3 by the mitoses alone)"),
        },
        waits_on={"ssa": ("pathology.ki67_percent",), "everolimus": ("pathology.ki67_percent",)},
        derived={
            "grade": None,
            "grade_possible": ["G2", "G3"],
            "liver_type": "I",
            "portal_drainage": False,
        },
    ),
    # 5. After a Whipple: pancreatic-head NET Ki-67 15 %, progressed on SSA then everolimus,
    #    bone metastases progressing.
    Vignette(
        name="post_whipple_pnet_after_everolimus_bone",
        case={
            "case_id": "v-sys-05",
            "patient": {"ecog": 1},
            "primary": {"site": "pancreas", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 15, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count": 6, "distribution": "bilobar_dominant"},
            "extrahepatic": {"present": True, "sites": ["bone"], "stable": False},
            "anatomy": {"prior_whipple": True, "biliary_enteric_anastomosis": True},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 2,
                "prior_treatments": ["ssa", "everolimus"],
            },
        },
        statuses={
            "ssa": (NO, SSA_4 + " (Ki-67 15 %, non-functional)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            # G1/G2 only: Ki-67 15 % without a mitotic count leaves G3 open (GRADE_OPEN)
            "everolimus": (OPEN, EVE_G12 + "; " + GRADE_OPEN),
            "sunitinib": (OPEN, SUN + "; " + GRADE_OPEN),
            "surufatinib": (OPEN, SURU + "; " + GRADE_OPEN),
            "cabozantinib": (YES, CABO + " (after everolimus)"),
            "capecitabine_temozolomide": (OPEN, CAPTEM + "; " + CHEMO_ADV + "; " + CAPTEM_LABS),
            "streptozocin_5fu": (OPEN, STZ + "; " + GRADE_OPEN),
            # Ki-67 15 % without a mitotic count: G2 or G3 (000 §1)
            "platinum_etoposide": (OPEN, PLAT_HIGH + " (G2 or G3 by Ki-67 alone)"),
        },
        waits_on={
            "everolimus": ("pathology.mitoses_per_2mm2",),
            "sunitinib": ("pathology.mitoses_per_2mm2",),
            "surufatinib": ("pathology.mitoses_per_2mm2",),
            "streptozocin_5fu": ("pathology.mitoses_per_2mm2",),
        },
        derived={
            "grade": None,
            "grade_possible": ["G2", "G3"],
            "liver_type": "II",
            "portal_drainage": True,
        },
        cautions={"ssa": "Ki-67 > 10 %"},
    ),
    # 6. Insulinoma G1, "several" liver lesions, resectability not stated, stable.
    Vignette(
        name="insulinoma_g1_several_lesions_stable",
        case={
            "case_id": "v-sys-06",
            "primary": {"site": "pancreas", "functional_syndrome": "insulinoma"},
            "pathology": {"ki67_percent": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count_at_least": 2},
            "course": {"status": "stable"},
        },
        statuses={
            "ssa": (YES, SSA_4 + " (Ki-67 1 %)"),
            # added to an SSA (003), which an insulinoma's hypoglycaemia leaves out (Gama 1995)
            "interferon_alpha": (NO, IFN + " (insulinoma)"),
            # stable, but an insulinoma: its hypoglycaemia, if refractory to medical therapy,
            # is an indication apart from progression (Matej 2016), and the case does not say
            "everolimus": (
                OPEN,
                EVE_G12 + " (stable); Matej 2016: everolimus controls the hypoglycaemia of an "
                "unresectable insulinoma apart from tumour progression (refractory not stated)",
            ),
            "sunitinib": (NO, SUN + " (stable)"),
            "surufatinib": (NO, SURU + " (functional)"),
            "cabozantinib": (NO, CABO + " (stable)"),
            "capecitabine_temozolomide": (OPEN, CHEMO_ADV + " (resectability not stated)"),
            "streptozocin_5fu": (OPEN, CHEMO_ADV + " (resectability not stated)"),
            # Ki-67 1 % without a mitotic count leaves G1 to G3 open (000 §1)
            "platinum_etoposide": (OPEN, PLAT_HIGH + " (grade open without a mitotic count)"),
        },
        waits_on={
            "capecitabine_temozolomide": ("liver.distribution", "extrahepatic.present"),
            "streptozocin_5fu": ("liver.distribution", "extrahepatic.present"),
            "everolimus": ("primary.syndrome_refractory",),
        },
        derived={
            "grade": None,
            "grade_possible": ["G1", "G2", "G3"],
            "liver_type": None,
            "portal_drainage": True,
        },
        cautions={"ssa": "Insulinoma"},
    ),
    # 7. Gastric well-differentiated G3 NET, Ki-67 35 %, progressing, no prior line.
    Vignette(
        name="gastric_g3_net_progressing",
        case={
            "case_id": "v-sys-07",
            "primary": {"site": "stomach", "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 35, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count": 12, "distribution": "bilobar_diffuse"},
            "course": {"status": "progressing", "prior_systemic_lines": 0},
        },
        statuses={
            "ssa": (NO, SSA_4 + " (Ki-67 35 %, non-functional)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (NO, EVE_G12 + " (G3)"),
            "sunitinib": (NO, SUN + " (not pancreatic)"),
            "surufatinib": (NO, SURU + " (G3)"),
            "cabozantinib": (NO, CABO + " (no prior line)"),
            "capecitabine_temozolomide": (
                OPEN,
                CAPTEM + " (high proliferative index); " + CAPTEM_LABS,
            ),
            # gastric, but G3: 004 §3.4 names streptozotocin for a high proliferative index
            # whatever the site; 003's G1/G2 leaves a G3 NET to the board (relative)
            "streptozocin_5fu": (OPEN, STZ_G3 + " (gastric G3 NET)"),
            "platinum_etoposide": (OPEN, PLAT_HIGH + " (well-differentiated G3)"),
        },
        derived={"grade": "G3", "liver_type": "III", "portal_drainage": True},
    ),
    # 8. VIPoma, Ki-67 20 % but 25 mitoses per 2 mm²: the higher index grades it G3.
    Vignette(
        name="vipoma_discordant_indices_g3",
        case={
            "case_id": "v-sys-08",
            "patient": {"fit_for_major_surgery": True},
            "primary": {"site": "pancreas", "functional_syndrome": "vipoma"},
            "pathology": {"ki67_percent": 20, "mitoses_per_2mm2": 25, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "liver": {
                "lesion_count": 8,
                "distribution": "bilobar_dominant",
                "surgical_assessment": "unresectable",
            },
            "extrahepatic": {"present": False},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_systemic_lines": 1,
                "prior_treatments": ["ssa"],
            },
        },
        statuses={
            "ssa": (YES, SSA_HORMONE + " (VIPoma: hormone control)"),
            "everolimus": (NO, EVE_G12 + " (G3)"),
            "sunitinib": (NO, "SUN-1111 eligibility: well-differentiated G1/G2 (G3)"),
            "surufatinib": (NO, SURU + " (G3, functional)"),
            "cabozantinib": (NO, CABO + " (only an SSA before)"),
            "capecitabine_temozolomide": (OPEN, CAPTEM + "; " + CAPTEM_LABS),
            "platinum_etoposide": (OPEN, PLAT_HIGH + " (well-differentiated G3)"),
        },
        # streptozocin: STZ_G3, a G3 NET left to the board
        relative=("interferon_alpha", "streptozocin_5fu"),
        derived={"grade": "G3", "liver_type": "II", "portal_drainage": True},
    ),
    # 9. Thinnest: "pancreatic NET with liver metastases".
    Vignette(
        name="pnet_nothing_else",
        case={"case_id": "v-sys-09", "primary": {"site": "pancreas"}},
        statuses={
            "ssa": (OPEN, SSA_4),
            "interferon_alpha": (OPEN, IFN),
            "everolimus": (OPEN, EVE_P),
            "sunitinib": (OPEN, SUN),
            "surufatinib": (OPEN, SURU),
            "cabozantinib": (OPEN, CABO),
            "capecitabine_temozolomide": (OPEN, CAPTEM),
            "streptozocin_5fu": (OPEN, STZ),
            "platinum_etoposide": (OPEN, PLAT),
        },
        waits_on={
            "ssa": ("imaging.sstr_positive", "pathology.ki67_percent", "pathology.differentiation"),
            "interferon_alpha": ("primary.functional_syndrome",),
            "everolimus": ("course.status", "pathology.ki67_percent"),
            "sunitinib": ("course.status", "pathology.ki67_percent"),
            "surufatinib": ("course.status", "primary.functional_syndrome"),
            "cabozantinib": ("course.status", "course.prior_systemic_lines"),
            "capecitabine_temozolomide": ("liver.distribution",),
            "streptozocin_5fu": ("pathology.ki67_percent", "liver.distribution"),
            "platinum_etoposide": ("pathology.differentiation",),
        },
        derived={"grade": None, "liver_type": None, "portal_drainage": True},
    ),
    # 10. Unknown primary, Ki-67 4 %, SSTR on immunohistochemistry only, nodes stable.
    Vignette(
        name="unknown_primary_ihc_sstr_nodes",
        case={
            "case_id": "v-sys-10",
            "primary": {"site": "unknown_primary", "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 4, "differentiation": "well", "sstr_ihc_positive": True},
            "liver": {"lesion_count": 5, "distribution": "bilobar_dominant"},
            "extrahepatic": {"present": True, "sites": ["distant_nodes"], "stable": True},
            "course": {"status": "progressing", "prior_systemic_lines": 0},
        },
        statuses={
            "ssa": (YES, SSA_4 + " (SSTR on immunohistochemistry)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (OPEN, EVE_GI + "; " + EVE_G12 + "; " + GRADE_OPEN),
            "sunitinib": (NO, SUN + " (not pancreatic)"),
            "surufatinib": (OPEN, SURU + "; " + GRADE_OPEN),
            "cabozantinib": (NO, CABO + " (no prior line)"),
            # not pancreatic: its indication turns on a G3 (high proliferative index)
            "capecitabine_temozolomide": (OPEN, CAPTEM + "; " + GRADE_OPEN),
            # not pancreatic; G2 or G3 by Ki-67 alone: the high proliferative index is open
            "streptozocin_5fu": (OPEN, STZ_G3 + "; " + GRADE_OPEN),
            # Ki-67 4 % without a mitotic count: G2 or G3 (000 §1)
            "platinum_etoposide": (OPEN, PLAT_HIGH + " (G2 or G3 by Ki-67 alone)"),
        },
        waits_on={
            "everolimus": ("pathology.mitoses_per_2mm2",),
            "surufatinib": ("pathology.mitoses_per_2mm2",),
            "capecitabine_temozolomide": ("pathology.mitoses_per_2mm2",),
            "streptozocin_5fu": ("pathology.mitoses_per_2mm2",),
        },
        derived={
            "grade": None,
            "grade_possible": ["G2", "G3"],
            "liver_type": "II",
            "portal_drainage": False,
        },
    ),
    # 11. Lung atypical carcinoid (no Ki-67), three lesions in one lobe, progressing.
    Vignette(
        name="lung_atypical_carcinoid_unilobar",
        case={
            "case_id": "v-sys-11",
            "primary": {"site": "lung", "functional_syndrome": "none"},
            "pathology": {"reported_grade": "atypical_carcinoid"},
            "imaging": {"sstr_positive": True},
            "liver": {"lesion_count": 3, "distribution": "unilobar"},
            "course": {"status": "progressing"},
        },
        statuses={
            "ssa": (OPEN, SSA_4 + " (Ki-67 not given)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (YES, EVE_GI),
            "sunitinib": (NO, SUN + " (not pancreatic)"),
            "streptozocin_5fu": (NO, STZ + " (not pancreatic)"),
            "platinum_etoposide": (NO, PLAT),
        },
        waits_on={"ssa": ("pathology.ki67_percent",)},
        derived={"grade": "G2", "liver_type": "I", "portal_drainage": False},
    ),
    # 12. Ileal NET with Ki-67 of exactly 10 %, diffuse liver disease, stable.
    Vignette(
        name="ileal_ki67_exactly_10_stable",
        case={
            "case_id": "v-sys-12",
            "primary": {"site": "small_intestine", "resected": True, "functional_syndrome": "none"},
            "pathology": {"ki67_percent": 10, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True, "krenning_score": 3},
            "liver": {
                "lesion_count": 30,
                "distribution": "bilobar_diffuse",
                "tumor_burden_percent": 20,
            },
            "extrahepatic": {"present": False},
            "course": {"status": "stable", "prior_systemic_lines": 0},
        },
        statuses={
            "ssa": (YES, SSA_4 + " (≤ 10 %)"),
            "interferon_alpha": (NO, IFN + " (non-functional)"),
            "everolimus": (NO, EVE_G12 + " (stable)"),
            "sunitinib": (NO, SUN),
            "surufatinib": (NO, SURU + " (stable)"),
            "cabozantinib": (NO, CABO),
            "streptozocin_5fu": (NO, STZ + " (not pancreatic)"),
            "platinum_etoposide": (NO, PLAT),
        },
        relative=("capecitabine_temozolomide",),
        derived={"grade": "G2", "liver_type": "III", "portal_drainage": True},
        cautions={"ssa": "Ki-67 of 10 %"},
    ),
    # 13. Gastrinoma, Ki-67 2.5 %, after SSA and PRRT (lines not counted), progressing.
    Vignette(
        name="gastrinoma_after_prrt_lines_not_counted",
        case={
            "case_id": "v-sys-13",
            "primary": {"site": "pancreas", "functional_syndrome": "gastrinoma"},
            "pathology": {"ki67_percent": 2.5, "mitoses_per_2mm2": 1, "differentiation": "well"},
            "imaging": {"sstr_positive": True},
            "course": {
                "status": "progressing",
                "progressed_on_ssa": True,
                "prior_treatments": ["ssa", "prrt"],
            },
        },
        statuses={
            "ssa": (YES, SSA_4),
            # added to an SSA for hormonal symptoms, which for a gastrinoma proton-pump
            # inhibitors control ("the drugs of choice": Jensen 2012, ENETS)
            "interferon_alpha": (NO, IFN + "; Jensen 2012: PPIs for a gastrinoma"),
            "everolimus": (YES, EVE_P),
            "sunitinib": (YES, SUN),
            "surufatinib": (NO, SURU + " (functional)"),
            "cabozantinib": (YES, CABO + " (after PRRT)"),
            "capecitabine_temozolomide": (OPEN, CHEMO_ADV + " (liver not described)"),
            "streptozocin_5fu": (OPEN, CHEMO_ADV + " (liver not described)"),
            "platinum_etoposide": (NO, PLAT),
        },
        waits_on={
            "capecitabine_temozolomide": ("liver.distribution", "extrahepatic.present"),
            "streptozocin_5fu": ("liver.distribution", "extrahepatic.present"),
        },
        derived={"grade": "G1", "portal_drainage": True},
    ),
    # 14. Poorly differentiated small-cell carcinoma of the colon with a reported Ki-67 15 %.
    Vignette(
        name="colon_small_cell_poor_low_ki67",
        case={
            "case_id": "v-sys-14",
            "primary": {"site": "colon", "functional_syndrome": "none"},
            "pathology": {
                "ki67_percent": 15,
                "differentiation": "poor",
                "nec_subtype": "small_cell",
            },
            "liver": {"lesion_count": 4, "distribution": "bilobar_dominant"},
            "course": {"status": "new_diagnosis", "prior_systemic_lines": 0},
        },
        statuses={
            "ssa": (NO, SSA_4 + " (NEC)"),
            "everolimus": (NO, EVE_G12),
            "sunitinib": (NO, SUN),
            "surufatinib": (NO, SURU),
            "cabozantinib": (NO, CABO),
            "streptozocin_5fu": (NO, STZ),
            "platinum_etoposide": (YES, PLAT),
        },
        derived={"grade": "NEC", "liver_type": "II", "portal_drainage": True},
    ),
]
