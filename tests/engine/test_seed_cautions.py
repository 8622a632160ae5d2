"""Where a seed is more permissive than the rule nelm applies, or the seeds disagree, the
other reading is shown as a caution: each caution on both sides of its trigger, with the
sentence it comes from."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

EXTRAHEPATIC_PROGRESSING = {
    "extrahepatic.present": True,
    "extrahepatic.sites": ["bone"],
    "extrahepatic.stable": False,
}

ROWS: list[tuple[str, str, dict[str, Any], bool, str]] = [
    # option, caution id, changes, shown, source
    (
        "thermal_ablation",
        "limited_under_5cm",
        {"liver.lesion_count": 2, "liver.largest_lesion_cm": 4.0},
        True,
        "001 Ablative techniques: RFA 'is generally indicated for limited NELM < 5 cm'",
    ),
    (
        "thermal_ablation",
        "limited_under_5cm",
        {"liver.lesion_count": 2, "liver.largest_lesion_cm": 5.0},
        False,
        "001 Ablative techniques: '< 5 cm'",
    ),
    (
        "thermal_ablation",
        "limited_under_5cm",
        {"liver.lesion_count": 2, "liver.largest_lesion_cm": 2.0},
        False,
        "002 §4 already allows fewer than three lesions ≤ 3 cm: no disagreement to show",
    ),
    (
        "tare",
        "ascites_reserve",
        {"anatomy.ascites": True},
        True,
        "003 Hepatic arterial embolization: 'SIRT is contraindicated in cases of ... inadequate"
        " liver functional reserve', no sign named; nelm applies bilirubin and encephalopathy",
    ),
    (
        "tare",
        "ascites_reserve",
        {"anatomy.ascites": False},
        False,
        "003 Hepatic arterial embolization: no ascites, nothing to weigh",
    ),
    (
        "tace",
        "extrahepatic_progression",
        EXTRAHEPATIC_PROGRESSING,
        True,
        "003 Hepatic arterial embolization: 'Liver-directed therapies may also be proposed in "
        "patients with extrahepatic metastases to control liver disease and symptoms'",
    ),
    (
        "tace",
        "extrahepatic_progression",
        {"extrahepatic.present": True, "extrahepatic.sites": ["bone"], "extrahepatic.stable": True},
        False,
        "002 §4 allows stable extrahepatic disease: no disagreement",
    ),
    (
        "tare",
        "extrahepatic_progression",
        EXTRAHEPATIC_PROGRESSING,
        True,
        "003 Hepatic arterial embolization (as for TACE)",
    ),
    (
        "interferon_alpha",
        "non_functional",
        {"primary.functional_syndrome": "none"},
        True,
        "003 Medical therapy: 'Alpha-interferon may be associated with somatostatin analogs for "
        "palliation or hormonal symptoms, with tumor stabilization occurring in 30-80%'",
    ),
    (
        "interferon_alpha",
        "non_functional",
        {},
        False,
        "a carcinoid syndrome: the hormonal symptoms nelm reads",
    ),
    (
        "thermal_ablation",
        "extrahepatic_progression",
        EXTRAHEPATIC_PROGRESSING,
        True,
        "003 Hepatic arterial embolization: 'Liver-directed therapies may also be proposed in "
        "patients with extrahepatic metastases'; 003's liver-directed therapies include ablation",
    ),
    (
        "cytoreductive_surgery",
        "wider_indication",
        {"liver.burden_symptoms": False},
        True,
        "004 §3.1: 'For patients with type III and partial type II liver metastases who cannot "
        "undergo radical resection, cytoreductive surgery is an alternative treatment'",
    ),
    (
        "cytoreductive_surgery",
        "wider_indication",
        {},
        False,
        "001 Debulking surgery: symptoms attributed to the tumour burden: no disagreement",
    ),
    (
        "cytoreductive_surgery",
        "carcinoid_heart_disease",
        {"patient.carcinoid_heart_disease": True},
        True,
        "003 Potentially curative surgery: 'absence of right cardiac dysfunction' among the "
        "criteria for (curative) surgery, shown for the palliative operation",
    ),
    (
        "primary_tumor_resection",
        "carcinoid_heart_disease",
        {"patient.carcinoid_heart_disease": False},
        False,
        "003 Potentially curative surgery: no right cardiac dysfunction, nothing to show",
    ),
    (
        "primary_tumor_resection",
        "g3",
        {"pathology.ki67_percent": 25},
        True,
        "000 §1: 'well differentiated G3 tumors and NEC ... are generally treated with "
        "chemotherapy because of aggressive tumor biology'",
    ),
    (
        "primary_tumor_resection",
        "g3",
        {"pathology.ki67_percent": 20},
        False,
        "000 §1: Ki-67 20 % is G2 ('from 3 to 20')",
    ),
    (
        "liver_transplant_milan",
        "burden_exactly_50",
        {"liver.tumor_burden_percent": 50},
        True,
        "000 §2.2: 'low hepatic tumor burden (≤ 50%)'; 001 Table 2: '< 50%'",
    ),
    (
        "liver_transplant_unos",
        "burden_exactly_50",
        {"liver.tumor_burden_percent": 49},
        False,
        "000 §2.2 and 001 Table 2 agree below 50 %",
    ),
    (
        "liver_transplant_milan",
        "resectable_primary_004",
        {
            "primary.resected": False,
            "primary.resection_margin": None,
            "primary.months_since_primary_resection": None,
        },
        True,
        "004 §3.1 restates Milan with a 'resectable primary tumor'; 001 Table 2 'already "
        "removed with a curative resection'",
    ),
    (
        "liver_transplant_milan",
        "resectable_primary_004",
        {},
        False,
        "the primary already resected meets both readings",
    ),
    (
        "liver_transplant_unos",
        "gastric_primary",
        {"primary.site": "stomach"},
        True,
        "001 Table 2: 'pancreas and intermediate gut: from distal stomach to sigmoid colon'",
    ),
    (
        "liver_transplant_milan",
        "gastric_primary",
        {"primary.site": "small_intestine"},
        False,
        "001 Table 2: the small intestine is intermediate gut",
    ),
    (
        "liver_resection",
        "type_ii_partial",
        {"liver.distribution": "bilobar_dominant"},
        True,
        "004 §3.1: 'For patients with partial type II, surgical resection remains the mainstay'",
    ),
    (
        "simultaneous_resection",
        "type_ii_partial",
        {"liver.synchronous": True, "primary.resected": False},
        False,
        "a unilobar (type I) pattern: no partial-type-II question",
    ),
    (
        "tare",
        "gi_shunt_embolised",
        {},
        True,
        "003 Hepatic arterial embolization: 'SIRT is contraindicated in cases of aberrant "
        "vessels with shunt to the gastrointestinal tract'",
    ),
    (
        "tare",
        "gi_shunt_embolised",
        {"anatomy.gi_shunting_uncorrectable": None},
        False,
        "not stated: the criterion asks for it, no caution",
    ),
    (
        "deb_tace",
        "lvef",
        {"patient.lvef_percent": 45},
        True,
        "002 §3.3: 'poor left ventricular ejection fraction if utilizing TACE with doxorubicin'",
    ),
    (
        "tace",
        "lvef",
        {"patient.lvef_percent": 50},
        False,
        "002 §3.3: 50 % is not below nelm's reading of 'poor'",
    ),
    (
        "prrt",
        "nec",
        {"pathology.differentiation": "poor", "pathology.ki67_percent": 60},
        True,
        "001 PRRT: dual tracer imaging 'may provide important information for patient selection "
        "for PRRT in ... G3 NEN and NECs'",
    ),
    (
        "prrt",
        "nec",
        {},
        False,
        "a G2 NET: not NEC",
    ),
    (
        "prrt",
        "guidelines_after_ssa",
        {"course.progressed_on_ssa": False, "pathology.ki67_percent": 15},
        True,
        "002 §2.3: 'recommend the use of PRRT only after the progression of disease while on SSAs'",
    ),
    (
        "prrt",
        "guidelines_after_ssa",
        {},
        False,
        "progressed on an SSA: the guidelines' setting",
    ),
    (
        "prrt",
        "ki67_exactly_55",
        {"pathology.ki67_percent": 55, "pathology.differentiation": "well"},
        True,
        "000 §4: 'G3 tumors (Ki67 < 55%)'; NETTER-2 eligibility: Ki-67 10–55 %",
    ),
    (
        "prrt",
        "ki67_exactly_55",
        {"pathology.ki67_percent": 54, "pathology.differentiation": "well"},
        False,
        "below 55 %: both agree",
    ),
    (
        "ssa",
        "ki67_exactly_10",
        {"pathology.ki67_percent": 10},
        True,
        "004 §3.3: 'Ki-67 ≤ 10%'; 003 Medical therapy: CLARINET 'Ki-67% expression <10%'",
    ),
    (
        "ssa",
        "ki67_exactly_10",
        {"pathology.ki67_percent": 9},
        False,
        "below 10 %: both seeds agree",
    ),
    (
        "liver_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 76},
        True,
        "003 Cytoreductive surgery: '> 75% ... surgical treatment should be avoided'",
    ),
    (
        "liver_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 75},
        False,
        "003 Cytoreductive surgery: '> 75%' (75 % itself is not beyond it)",
    ),
    (
        "staged_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 76},
        True,
        "003 Cytoreductive surgery: '> 75% ... surgical treatment should be avoided'",
    ),
    (
        "staged_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 75},
        False,
        "003 Cytoreductive surgery: '> 75%' (75 % itself is not beyond it)",
    ),
    (
        "simultaneous_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 76},
        True,
        "003 Cytoreductive surgery: '> 75% ... surgical treatment should be avoided'",
    ),
    (
        "simultaneous_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 75},
        False,
        "003 Cytoreductive surgery: '> 75%' (75 % itself is not beyond it)",
    ),
    # "surgical treatment should be avoided": of surgery, the primary's resection too
    (
        "primary_tumor_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 76},
        True,
        "003 Cytoreductive surgery: '> 75% ... surgical treatment should be avoided'",
    ),
    (
        "primary_tumor_resection",
        "burden_over_75",
        {"liver.tumor_burden_percent": 75},
        False,
        "003 Cytoreductive surgery: '> 75%' (75 % itself is not beyond it)",
    ),
]


@pytest.mark.parametrize(
    ("option", "caution", "changes", "shown", "source"),
    ROWS,
    ids=[f"{r[0]}.{r[1]}-{r[3]}" for r in ROWS],
)
def test_permissive_seed_is_a_caution(
    option: str, caution: str, changes: dict[str, Any], shown: bool, source: str
) -> None:
    doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
    details = doc["options"][option]["caution_details"]
    texts = [d["text"] for d in details if d["case_specific"]]
    wanted = {
        "limited_under_5cm": "001 is more permissive",
        "burden_over_75": "003 considers the prognosis unfavourable",
        "extrahepatic_progression": "003 allows liver-directed therapy",
        "wider_indication": "004 proposes cytoreductive surgery more widely",
        "carcinoid_heart_disease": "no source makes it a criterion of this palliative operation",
        # platinum-etoposide's G3 disagreement (003 against 004 §3.4) is a relative
        # criterion now, tested in tests/engine/test_rules.py
        "g3": {
            "primary_tumor_resection": "000 groups well-differentiated G3 tumours with NEC",
        }.get(option, ""),
        "burden_exactly_50": "000 writes the transplant limit as ≤ 50 %",
        "resectable_primary_004": "004 restates the Milan criteria with a resectable primary",
        "gastric_primary": "from the distal stomach to the sigmoid colon",
        "type_ii_partial": "partial (limited) type II",
        "gi_shunt_embolised": "confirm on the planning angiogram",
        "lvef": 'nelm\'s reading of "poor"',
        "nec": "001 notes that dual-tracer imaging",
        "guidelines_after_ssa": "recommend PRRT only after progression",
        "ki67_exactly_10": "003 describes CLARINET's patients as Ki-67 < 10 %",
        "ki67_exactly_55": "NETTER-2 enrolled Ki-67 up to 55 % inclusive",
        "non_functional": "for palliation or hormonal symptoms",
        "ascites_reserve": "judge whether the ascites reflects a poor reserve",
    }[caution]
    assert wanted
    assert any(wanted in t for t in texts) is shown, source


def test_prrt_uptake_below_liver_is_ineligible_not_a_caution() -> None:
    """003 Targeted therapies: PRRT for 'strong radiotrace uptake on SRS'; Krenning 1 is
    uptake below normal liver (NETTER-1 required uptake ≥ liver)."""
    doc = assess_mapping(eligible_case("prrt", {"imaging.krenning_score": 1}), with_evidence=False)
    assert doc["options"]["prrt"]["status"] == "ineligible"


@pytest.mark.parametrize(
    ("ecog", "shown"),
    [(3, True), (4, True), (2, False), (None, False)],
)
def test_a_poor_performance_status_is_a_caution_on_surgery_and_prrt(
    ecog: int | None, shown: bool
) -> None:
    """002 §3: "patients are ineligible for hepatic resection due to factors such as
    compromised performance status"; NETTER-1 enrolled Karnofsky ≥ 60 only. ECOG 3 is
    "capable of only limited self-care" (the ECOG scale): shown from 3 up, never from an
    unknown status, and the status itself does not change."""
    for option, words in (
        ("liver_resection", "Performance status ECOG 3–4: a compromised performance status"),
        ("cytoreductive_surgery", "Performance status ECOG 3–4: a compromised performance"),
        # transplantation is liver surgery too (its criteria sets do not say)
        ("liver_transplant_unos", "Performance status ECOG 3–4: a compromised performance"),
        ("prrt", "NETTER-1 enrolled only patients with a Karnofsky score of at least 60"),
        # 003 Hepatic arterial embolization: "Contraindications of TAE and TACE include ...
        # poor performance status"; its SIRT sentence names none, so radioembolisation
        # stays open and says so.
        (
            "tare",
            "poor performance status contraindicates TAE and TACE; the source reviews name no",
        ),
    ):
        base = eligible_case(option)
        doc = assess_mapping(eligible_case(option, {"patient.ecog": ecog}), with_evidence=False)
        texts = [d["text"] for d in doc["options"][option]["caution_details"]]
        assert any(words in t for t in texts) is shown, option
        status = assess_mapping(base, with_evidence=False)["options"][option]["status"]
        assert doc["options"][option]["status"] == status


@pytest.mark.parametrize("option", ["capecitabine_temozolomide", "platinum_etoposide"])
@pytest.mark.parametrize(("ecog", "shown"), [(None, True), (0, False), (2, False), (3, False)])
def test_chemotherapy_without_a_performance_status_says_it_decides(
    option: str, ecog: int | None, shown: bool
) -> None:
    """001 Introduction: "available treatment options vary, depending on the extent of
    hepatic involvement and patients' performance status". With no status given, a
    chemotherapy whose criteria are all met still names it (a liver failing after
    radioembolisation, ECOG not stated, read as settled); a status given says nothing more,
    or (3 and above) the poor-status caution itself."""
    doc = assess_mapping(eligible_case(option, {"patient.ecog": ecog}), with_evidence=False)
    texts = [d["text"] for d in doc["options"][option]["caution_details"]]
    assert any(t.startswith("Performance status not given") for t in texts) is shown
    assert any(t.startswith("Performance status ECOG 3–4") for t in texts) is (ecog == 3)


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({}, True),  # the base: two unilobar lesions (type I), remnant 50 %
        ({"liver.future_liver_remnant_percent": 25}, False),
        ({"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 20}, False),
        (
            {"liver.distribution": "bilobar_diffuse", "liver.surgical_assessment": "resectable"},
            True,
        ),
        ({"liver.surgical_assessment": "unresectable"}, False),
        ({"liver.future_liver_remnant_percent": None}, False),
    ],
)
def test_resectable_disease_is_a_caution_on_milan_and_enets(
    changes: dict[str, Any], shown: bool
) -> None:
    """001 Liver transplantation: transplantation for "highly selected patients with
    unresectable NELM"; 004 §3.1: radical resection for type I. 001 Table 2 lists neither
    criteria set with unresectability, so it is a caution and the status does not move."""
    for option in ("liver_transplant_milan", "liver_transplant_enets"):
        base = assess_mapping(eligible_case(option), with_evidence=False)["options"][option]
        doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
        texts = [d["text"] for d in doc["options"][option]["caution_details"]]
        assert any("The liver disease looks resectable" in t for t in texts) is shown, option
        if not changes:
            assert base["status"] == "eligible"


@pytest.mark.parametrize(
    ("changes", "ruled_out"),
    [
        ({"primary.resected": False, "primary.surgical_assessment": "unresectable"}, True),
        ({"primary.resected": False, "primary.surgical_assessment": "resectable"}, False),
        ({"primary.resected": False}, False),
        ({"primary.surgical_assessment": "unresectable"}, False),  # already resected
    ],
)
def test_a_primary_judged_unremovable_rules_out_curative_liver_surgery(
    changes: dict[str, Any], ruled_out: bool
) -> None:
    """003 Potentially curative surgery: "Concurrent or staged resection of the primary
    lesion and liver metastases"; a primary the surgeons cannot remove leaves liver
    surgery cytoreductive, so the curative resections are ruled out by the criterion
    `primary_removable` (it was a caution beside an eligible curative resection)."""
    for option in ("liver_resection", "staged_resection"):
        doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
        result = doc["options"][option]
        criterion = next(c for c in result["criteria"] if c["id"].endswith("primary_removable"))
        assert (criterion["result"] == "not_met") is ruled_out, option
        assert (result["status"] == "ineligible") is ruled_out, option


@pytest.mark.parametrize(("syndrome", "shown"), [("insulinoma", True), ("carcinoid", False)])
def test_an_ssa_for_an_insulinoma_carries_the_hypoglycaemia_caution(
    syndrome: str, shown: bool
) -> None:
    """Gama et al., Clin Endocrinol 1995;43:117-120: octreotide 'has been used to alleviate
    hypoglycaemia in patients with insulinomas. Transient worsening of fasting
    hypoglycaemia following octreotide has also been described'."""
    doc = assess_mapping(
        eligible_case("ssa", {"primary.functional_syndrome": syndrome}), with_evidence=False
    )
    details = doc["options"]["ssa"]["caution_details"]
    found = [d for d in details if "worsened fasting hypoglycaemia" in d["text"]]
    assert bool(found) is shown
    if found:
        assert found[0]["case_specific"] and found[0]["sources"] == ["Gama-1995"]


@pytest.mark.parametrize(
    ("chd", "status", "shown"),
    [(True, "ineligible", True), (False, "eligible", False), (None, "uncertain", False)],
)
def test_carcinoid_heart_disease_rules_out_transplantation(
    chd: bool | None, status: str, shown: bool
) -> None:
    """003 Potentially curative surgery: "Criteria helping to select patients for surgery
    include ... absence of right cardiac dysfunction"; 003 Liver transplantation: "Liver
    transplantation represents a potentially curative treatment". The transplant criteria
    sets of 001 Table 2 do not name the heart: that reading is shown beside the failed
    criterion. Not stated, the heart leaves transplantation open and is asked for.
    002 §3.3: carcinoid crisis threatens "interventions directed at NETs (e.g., locoregional
    therapies or surgery)"."""
    for option in ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos"):
        doc = assess_mapping(
            eligible_case(option, {"patient.carcinoid_heart_disease": chd}), with_evidence=False
        )
        result = doc["options"][option]
        texts = [d["text"] for d in result["caution_details"]]
        assert any(t.startswith("Carcinoid heart disease: the Milan") for t in texts) is shown
        assert result["status"] == status, option
        assert ("patient.carcinoid_heart_disease" in result["missing"]) is (chd is None)
    carcinoid = assess_mapping(
        eligible_case("liver_transplant_unos", {"primary.functional_syndrome": "carcinoid"}),
        with_evidence=False,
    )
    texts = [d["text"] for d in carcinoid["options"]["liver_transplant_unos"]["caution_details"]]
    assert any("periprocedural carcinoid crisis" in t for t in texts)


@pytest.mark.parametrize(("ecog", "shown"), [(3, True), (4, True), (2, False), (None, False)])
def test_a_poor_performance_status_is_a_caution_on_the_targeted_drugs(
    ecog: int | None, shown: bool
) -> None:
    """The phase 3 trials enrolled ECOG or WHO performance status 0–2 at most (RADIANT-3
    WHO ≤ 2; RADIANT-4, SUN-1111 and SANET 0–1; CABINET ≤ 2): ECOG 3 is "capable of only
    limited self-care". Shown, not applied: the status does not change."""
    for option in ("everolimus", "sunitinib", "surufatinib", "cabozantinib"):
        base = assess_mapping(eligible_case(option), with_evidence=False)
        doc = assess_mapping(eligible_case(option, {"patient.ecog": ecog}), with_evidence=False)
        texts = [d["text"] for d in doc["options"][option]["caution_details"]]
        found = any(t.startswith("Performance status ECOG 3–4: the phase 3 trials") for t in texts)
        assert found is shown, option
        assert doc["options"][option]["status"] == base["options"][option]["status"], option


# The signs of a poor hepatic reserve (ascites, encephalopathy, 002 §3.3's bilirubin of 2)
# and whether the liver-reserve caution is shown: the same rows for surgery and for drugs.
LIVER_RESERVE_ROWS = [
    ({"anatomy.ascites": True}, True),
    ({"anatomy.hepatic_encephalopathy": True}, True),
    ({"labs.bilirubin_mg_dl": 2.0}, True),
    ({"labs.bilirubin_mg_dl": 1.9}, False),
    ({"anatomy.ascites": None, "labs.bilirubin_mg_dl": None}, False),
]


@pytest.mark.parametrize(("changes", "shown"), LIVER_RESERVE_ROWS)
def test_a_poor_liver_reserve_is_a_caution_on_liver_surgery(
    changes: dict[str, Any], shown: bool
) -> None:
    """004 §3.2: TACE is for patients "unable to undergo surgery due to ... insufficient
    hepatic functional reserve"; 002 §3.3: bilirubin < 2 mg/dL is the usual limit for
    liver-directed therapy. Shown, never applied, and never from unknown values."""
    surgery = ("liver_resection", "staged_resection", "cytoreductive_surgery")
    for option in (*surgery, "primary_tumor_resection"):
        base = assess_mapping(eligible_case(option), with_evidence=False)
        doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
        texts = [d["text"] for d in doc["options"][option]["caution_details"]]
        found = any(t.startswith("Signs of a poor hepatic functional reserve") for t in texts)
        assert found is shown, option
        assert doc["options"][option]["status"] == base["options"][option]["status"], option


@pytest.mark.parametrize(("changes", "shown"), LIVER_RESERVE_ROWS)
def test_a_poor_liver_reserve_is_a_caution_on_systemic_drugs(
    changes: dict[str, Any], shown: bool
) -> None:
    """001 Introduction: "available treatment options vary, depending on the extent of
    hepatic involvement and patients' performance status"; the seeds set no liver limit for
    a drug, so a liver failing from tumour (ascites, encephalopathy, bilirubin at 002 §3.3's
    2 mg/dL) is shown on each drug and never changes its status, nor comes from unknowns."""
    drugs = (
        "everolimus",
        "sunitinib",
        "surufatinib",
        "cabozantinib",
        "capecitabine_temozolomide",
        "streptozocin_5fu",
        "platinum_etoposide",
    )
    for option in drugs:
        base = assess_mapping(eligible_case(option), with_evidence=False)
        doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
        texts = [d["text"] for d in doc["options"][option]["caution_details"]]
        found = any("set no liver limit for systemic treatment" in t for t in texts)
        assert found is shown, option
        assert doc["options"][option]["status"] == base["options"][option]["status"], option


@pytest.mark.parametrize(
    ("changes", "shown", "status"),
    [
        ({"labs.bilirubin_mg_dl": 2.0}, True, "ineligible"),
        ({"anatomy.hepatic_encephalopathy": True}, True, "ineligible"),
        ({"anatomy.ascites": True}, True, None),
        ({"labs.bilirubin_mg_dl": 1.9}, False, None),
        ({"anatomy.ascites": None, "labs.bilirubin_mg_dl": None}, False, "uncertain"),
    ],
)
def test_a_poor_liver_reserve_on_embolisation_shows_004s_other_reading(
    changes: dict[str, Any], shown: bool, status: str | None
) -> None:
    """001 TAE and TACE: embolisation is "generally contraindicated in the presence of ...
    hepatic insufficiency"; 003 Hepatic arterial embolization: "Contraindications of TAE and
    TACE include ... insufficient liver reserve"; 002 §3.3: "serum bilirubin < 2 mg/dL" and
    "poor liver reserve"; 000 §3.1: "hepatic encephalopathy". 004 §3.2 names "insufficient
    hepatic functional reserve" among the reasons TACE is used instead of surgery: shown as a
    caution, never from unknown values, while a bilirubin of 2 or encephalopathy fails the
    option and an unknown bilirubin leaves it uncertain (None: status as without it)."""
    for option in ("tae", "tace", "deb_tace"):
        base = assess_mapping(eligible_case(option), with_evidence=False)
        doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
        result = doc["options"][option]
        texts = [d["text"] for d in result["caution_details"]]
        found = any("004 instead names insufficient hepatic functional reserve" in t for t in texts)
        assert found is shown, option
        expected = status or base["options"][option]["status"]
        assert result["status"] == expected, option
        bilirubin = next(c for c in result["criteria"] if c["id"].endswith("bilirubin"))
        assert bilirubin["text"].startswith("Hepatic reserve not poor"), option
        assert {"001 TAE and TACE", "003 Hepatic arterial embolization"} <= set(
            bilirubin["sources"]
        ), option


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"extrahepatic.present": True, "extrahepatic.resectable": True}, True),
        ({"extrahepatic.present": True, "extrahepatic.resectable": False}, False),
        ({"extrahepatic.present": True}, False),
    ],
)
def test_resectable_extrahepatic_disease_is_a_caution_on_resection_and_transplant(
    changes: dict[str, Any], shown: bool
) -> None:
    """003 Potentially curative surgery selects for the "absence of extrahepatic
    metastasis"; 001 Table 2 asks Milan and UNOS candidates to have "all extra-hepatic tumor
    deposits" removed before transplantation. Resectable deposits are shown on both, never
    applied: the criterion stays not met."""
    for option in ("liver_resection", "liver_transplant_milan", "liver_transplant_unos"):
        doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
        result = doc["options"][option]
        texts = [d["text"] for d in result["caution_details"]]
        assert any(t.startswith("Extrahepatic disease judged resectable") for t in texts) is shown
        assert result["status"] == "ineligible", option


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"course.progressed_on_ssa": False}, True),
        ({"course.progressed_on_ssa": None}, True),  # not known to have progressed on one
        ({"course.progressed_on_ssa": True}, False),  # the ENETS/NANETS setting
        ({"course.progressed_on_ssa": False, "course.status": "new_diagnosis"}, False),
        ({"course.progressed_on_ssa": False, "course.status": None}, False),
    ],
)
def test_first_line_prrt_outside_a_new_diagnosis_is_a_caution(
    changes: dict[str, Any], shown: bool
) -> None:
    """002 §2.3: the guidelines recommend PRRT "only after the progression of disease while
    on SSAs"; the other branch of the setting criterion is NETTER-2, whose trial enrolled
    "newly diagnosed, advanced grade 2-3" GEP-NETs (its title, Lancet 2024). Stable disease
    followed for a year, Ki-67 15 %, no prior systemic line: PRRT stays eligible and says
    that the trial it rests on was of newly diagnosed patients."""
    case = eligible_case("prrt", {"pathology.ki67_percent": 15, **changes})
    option = assess_mapping(case, with_evidence=False)["options"]["prrt"]
    texts = [d["text"] for d in option["caution_details"] if d["case_specific"]]
    assert any("which enrolled newly diagnosed patients" in t for t in texts) is shown
    assert option["status"] == "eligible"


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("rapidly_progressing", True),
        ("progressing", False),
        ("stable", False),
        (None, False),
    ],
)
def test_an_ssa_for_rapid_progression_carries_the_slow_growth_caution(
    status: str | None, shown: bool
) -> None:
    """004 §3.3: SSA "is applicable to NET patients with slow growth, Ki-67 ≤ 10%, and
    SSTR positivity". A rapidly progressing disease is not slow-growing: shown as a
    caution (the status stays, a hormonal syndrome still needs the SSA), never from an
    unknown course."""
    changes: dict[str, Any] = {"course.status": status} if status else {}
    doc = assess_mapping(eligible_case("ssa", changes), with_evidence=False)
    option = doc["options"]["ssa"]
    texts = [d["text"] for d in option["caution_details"] if d["case_specific"]]
    assert any("with slow growth" in t for t in texts) is shown
    assert option["status"] == "eligible"


@pytest.mark.parametrize("option", ["tae", "tace", "deb_tace"])
def test_the_embolisation_complications_carry_the_seeds_figures(option: str) -> None:
    """001 TAE and TACE: post-embolisation syndrome "in up to 90% of treated patients";
    002 §3.2: "Serious adverse events have been reported in 2–6% of patients receiving
    TACE"; 000 §3.2: "the rate of severe toxicities is similar among the three methods
    (8–11%)" — not "rare"."""
    doc = assess_mapping(eligible_case(option), with_evidence=False)
    texts = [d["text"] for d in doc["options"][option]["caution_details"]]
    (found,) = [t for t in texts if t.startswith("Post-embolisation syndrome")]
    assert "up to 90 %" in found and "2–6 %" in found and "8–11 %" in found
    assert "rare" not in found


def test_radioembolisation_names_the_mortality_of_sinusoidal_obstruction() -> None:
    """004 §3.2: "hepatic sinusoidal obstruction syndrome ... can emerge 4–8 weeks after
    SIRT. Death can occur in severe cases, with a high mortality rate of up to 30%";
    002 §3.5: serious adverse events "not significantly different from TACE, with reported
    incidence < 10%"."""
    doc = assess_mapping(eligible_case("tare"), with_evidence=False)
    texts = [d["text"] for d in doc["options"]["tare"]["caution_details"]]
    (found,) = [t for t in texts if t.startswith("Concern about long-term hepatotoxicity")]
    assert "4–8 weeks" in found and "up to 30 %" in found and "under 10 %" in found


@pytest.mark.parametrize(("ki67", "shown"), [(25, True), (20, False)])
def test_g3_disagreement_is_a_caution_on_a_staged_resection(ki67: float, shown: bool) -> None:
    """004 §3.1: "there is still controversy regarding patients with G3 (Ki-67 >20%) liver
    metastases. Contrary to the ENETS, the European Society of Medical Oncology (ESMO)
    guidelines do not recommend G3 with LMs as a contraindication to surgery". A staged
    hepatectomy keeps its G1/G2 rule (001: G3 contraindicates ALPPS), so the disagreement
    is a caution beside it; 20 % itself is G2 (000 §1: G2 "a Ki67 index from 3 to 20")."""
    changes = {"pathology.ki67_percent": ki67, "pathology.mitoses_per_2mm2": 1}
    doc = assess_mapping(eligible_case("staged_resection", changes), with_evidence=False)
    option = doc["options"]["staged_resection"]
    texts = [d["text"] for d in option["caution_details"] if d["case_specific"]]
    assert any("ENETS treats G3 liver metastases as a contraindication" in t for t in texts) is (
        shown
    )
    assert option["status"] == ("ineligible" if shown else "eligible")


@pytest.mark.parametrize("option", ["liver_resection", "simultaneous_resection"])
@pytest.mark.parametrize(("ki67", "weighed"), [(25, True), (20, False)])
def test_a_g3_net_leaves_a_one_stage_resection_to_the_board(
    option: str, ki67: float, weighed: bool
) -> None:
    """The same passage of 004 §3.1 (ENETS against ESMO, NANETS considering a radical
    resection) leaves a well-differentiated G3 NET's one-stage resection for the board to
    weigh: uncertain with the disagreement as its reason, not ruled out, and no separate
    caution repeating it."""
    changes = {"pathology.ki67_percent": ki67, "pathology.mitoses_per_2mm2": 1}
    doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
    result = doc["options"][option]
    judged = " ".join(result.get("judgements") or ())
    assert ("ENETS treats G3 liver metastases as a contraindication" in judged) is weighed
    assert result["status"] == ("uncertain" if weighed else "eligible")
    texts = [d["text"] for d in result["caution_details"]]
    assert not any("ENETS treats G3" in t for t in texts)


@pytest.mark.parametrize(
    ("site", "shown"), [("lung", True), ("thymus", True), ("pancreas", False), (None, False)]
)
def test_a_thoracic_primary_is_a_caution_on_simultaneous_resection(
    site: str | None, shown: bool
) -> None:
    """001 Simultaneous primary and NELM resection reports series of pancreatic ("7 of 19
    patients with panNENs") and small-intestinal NENs and one of "different NEN primaries";
    none a thoracic operation beside the hepatectomy. Shown, never applied."""
    option = "simultaneous_resection"
    base = assess_mapping(eligible_case(option), with_evidence=False)
    doc = assess_mapping(eligible_case(option, {"primary.site": site}), with_evidence=False)
    texts = [d["text"] for d in doc["options"][option]["caution_details"]]
    assert any(t.startswith("Thoracic primary (lung or thymus)") for t in texts) is shown
    if site == "pancreas":
        assert doc["options"][option]["status"] == base["options"][option]["status"]


@pytest.mark.parametrize(
    ("site", "shown"), [("other", True), ("lung", False), ("small_intestine", False), (None, False)]
)
def test_a_primary_at_another_site_is_a_caution_on_simultaneous_resection(
    site: str | None, shown: bool
) -> None:
    """001 Simultaneous primary and NELM resection: pancreatic and small-intestinal series
    and one of "36 patients with different NEN primaries"; "other" holds the middle ear and
    the breast as well as the oesophagus, so one operation is left to where it lies."""
    option = "simultaneous_resection"
    doc = assess_mapping(eligible_case(option, {"primary.site": site}), with_evidence=False)
    texts = [d["text"] for d in doc["options"][option]["caution_details"]]
    assert any(t.startswith("Primary at another site") for t in texts) is shown


@pytest.mark.parametrize(
    ("assessment", "shown"), [(None, True), ("resectable", True), ("unresectable", False)]
)
def test_prrt_proposes_removing_the_primary_first_only_when_it_can_be_removed(
    assessment: str | None, shown: bool
) -> None:
    # 001 PRRT / 000 §4: PRRT appears most beneficial after resection of the primary. A
    # primary the surgeons judge unremovable (case-v1 primary.surgical_assessment) is ruled
    # out for resection on its own card, so the advice does not apply; not given, the
    # primary counts as removable.
    case = eligible_case(
        "prrt", {"primary.resected": False, "primary.surgical_assessment": assessment}
    )
    doc = assess_mapping(case, with_evidence=False)
    texts = [d["text"] for d in doc["options"]["prrt"]["caution_details"]]
    assert any("most beneficial after resection of the primary" in t for t in texts) is shown
    if not shown:
        assert doc["options"]["primary_tumor_resection"]["status"] == "ineligible"
