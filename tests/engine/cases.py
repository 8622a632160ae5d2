"""Case builders shared by the engine tests.

``BASE`` is a complete, unremarkable case: a 50-year-old with a resected, well-differentiated
pancreatic NET G2 and limited unilobar liver metastases. ``ELIGIBLE_FROM`` gives, per option,
the few changes that make that option eligible, so that a test can move one field across a
threshold and watch the option change.
"""

from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "case_id": "test",
    "patient": {
        "age_years": 50,
        "sex": "female",
        "ecog": 0,
        "fit_for_major_surgery": True,
        "carcinoid_heart_disease": False,
        "lvef_percent": 60,
    },
    "primary": {
        "site": "pancreas",
        "resected": True,
        "resection_margin": "R0",
        "months_since_primary_resection": 12,
        "size_cm": 3,
        "t_category": "T2",
        "node_positive": False,
        "functional_syndrome": "none",
        "syndrome_refractory": False,
    },
    "pathology": {
        "ki67_percent": 5,
        "mitoses_per_2mm2": 1,
        "differentiation": "well",
        "ki67_source": "liver_metastasis",
    },
    "imaging": {"sstr_positive": True, "krenning_score": 3, "fdg_positive": False},
    "liver": {
        "lesion_count": 2,
        "largest_lesion_cm": 2.5,
        "distribution": "unilobar",
        "tumor_burden_percent": 20,
        "future_liver_remnant_percent": 50,
        "synchronous": False,
        "near_hilum_or_major_vessels": False,
        "subcapsular": False,
        "burden_symptoms": False,
    },
    "extrahepatic": {"present": False},
    "labs": {
        "bilirubin_mg_dl": 0.8,
        "albumin_g_dl": 4.0,
        "creatinine_mg_dl": 0.9,
        "egfr_ml_min": 90,
        "ldh_u_l": 200,
        "ast_u_l": 30,
        "platelets_per_ul": 200000,
        "hemoglobin_g_dl": 13.0,
        "wbc_per_ul": 6000,
    },
    "anatomy": {
        "portal_vein_thrombosis": False,
        "biliary_enteric_anastomosis": False,
        "prior_whipple": False,
        "biliary_obstruction": False,
        "ascites": False,
        "hepatic_encephalopathy": False,
        "hepatopulmonary_shunt_percent": 5,
        "gi_shunting_uncorrectable": False,
    },
    "course": {
        "status": "stable",
        "months_stable": 12,
        "progressed_on_ssa": False,
        "prior_systemic_lines": 0,
        "prior_treatments": [],
        "recurrence_after_liver_resection": False,
    },
}

DIFFUSE = {"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 20}
# The primary still in place: no resection margin and no time since its resection (either
# would say it was resected).
IN_PLACE = {
    "primary.resected": False,
    "primary.resection_margin": None,
    "primary.months_since_primary_resection": None,
}

ELIGIBLE_FROM: dict[str, dict[str, Any]] = {
    "liver_resection": {},
    "staged_resection": {"liver.future_liver_remnant_percent": 25},
    "simultaneous_resection": {**IN_PLACE, "liver.synchronous": True},
    # 001 Debulking surgery: a non-functional NEN stable for 6 months "with symptomatology
    # attributed to tumor burden".
    "cytoreductive_surgery": {"liver.burden_symptoms": True},
    "primary_tumor_resection": {**IN_PLACE, **DIFFUSE},
    "liver_transplant_milan": {},
    "liver_transplant_enets": {},
    # UNOS: "bilobar NELM, not amenable to resection" (001 Table 2); type II with a remnant
    # below the adequate 30 % (001 Isolated surgical resection) is not resectable in one stage.
    "liver_transplant_unos": {
        "liver.distribution": "bilobar_dominant",
        "liver.future_liver_remnant_percent": 25,
    },
    "thermal_ablation": {},
    "tae": {},
    "tace": {},
    "deb_tace": {},
    "tare": {},
    "prrt": {"course.progressed_on_ssa": True},
    "ssa": {},
    "everolimus": {"course.status": "progressing"},
    "sunitinib": {"course.status": "progressing"},
    # 004 §3.4: surufatinib for ep-NET "that cannot be surgically resected".
    "surufatinib": {"course.status": "progressing", **DIFFUSE},
    # CABINET: progression after a therapy other than a somatostatin analogue (everolimus).
    "cabozantinib": {
        "course.status": "progressing",
        "course.prior_systemic_lines": 1,
        "course.prior_treatments": ["everolimus"],
    },
    "capecitabine_temozolomide": DIFFUSE,
    "streptozocin_5fu": DIFFUSE,
    "platinum_etoposide": {"pathology.differentiation": "poor", "pathology.ki67_percent": 60},
    "interferon_alpha": {"primary.functional_syndrome": "carcinoid"},
}


def with_changes(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` with dotted-path changes applied; ``None`` removes the field."""
    out = copy.deepcopy(doc)
    for path, value in changes.items():
        section, name = path.split(".", 1)
        body = out.setdefault(section, {})
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    return out


def eligible_case(option: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    return with_changes(with_changes(BASE, ELIGIBLE_FROM[option]), changes or {})
