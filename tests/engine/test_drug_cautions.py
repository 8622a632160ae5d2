"""Cautions on systemic drugs from sources beyond the seeds, which never change a status.

Kidney and marrow cautions on platinum–etoposide (knowledge: platinum_etoposide).

The seeds give no kidney or marrow limit for the platinum. Porceddu SV et al., Front Oncol
2020;9:1522, Table 3, lists as making cisplatin unsuitable "Preexisting renal dysfunction
(CCR < 60 mL/min)" and "Platelet count, < 100,000/mm3; ... or hemoglobin <9 g/dL; despite
optimization attempt". The option covers carboplatin too, so these are cautions on the
cisplatin and never change the option's status. An unknown value is said as what to check
before cisplatin (the caution's ``if_unknown``), never as a finding.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

KIDNEY = "eGFR below 60 mL/min: a creatinine clearance below 60 mL/min makes cisplatin"
KIDNEY_UNKNOWN = "Kidney function not settled (no eGFR, or a creatinine whose CKD-EPI estimate"
MARROW = "Platelets below 100,000/µL or haemoglobin below 9 g/dL"
MARROW_UNKNOWN = "Blood count not known in full"


def _platinum(changes: dict[str, Any]) -> tuple[str, list[str]]:
    doc = assess_mapping(eligible_case("platinum_etoposide", changes), with_evidence=False)
    result = doc["options"]["platinum_etoposide"]
    return result["status"], [d["text"] for d in result["caution_details"]]


@pytest.mark.parametrize(
    ("egfr", "creatinine", "shown", "unknown"),
    [
        (59, 0.9, True, False),
        (59.9, 0.9, True, False),
        (60, 0.9, False, False),
        (95, 0.9, False, False),
        # no eGFR: a creatinine of 0.9 mg/dL gives the base case, a woman of 50, an eGFR of
        # 77.9 by CKD-EPI 2021 (142 × (0.9/0.7)^-1.2 × 0.9938^50 × 1.012; Inker 2021): above 60
        (None, 0.9, False, False),
        # 2.0 mg/dL gives her 29.9: below 60, yet only a lower bound (nelm.engine.kidney), so
        # what to check, not a finding
        (None, 2.0, False, True),
        (None, None, False, True),
    ],
)
def test_the_kidney_caution_below_a_clearance_of_60(
    egfr: float | None, creatinine: float | None, shown: bool, unknown: bool
) -> None:
    status, texts = _platinum({"labs.egfr_ml_min": egfr, "labs.creatinine_mg_dl": creatinine})
    assert any(KIDNEY in t for t in texts) is shown
    assert any(KIDNEY_UNKNOWN in t for t in texts) is unknown
    assert status == "eligible"  # carboplatin is in the option: no criterion


@pytest.mark.parametrize(
    ("platelets", "hemoglobin", "shown"),
    [
        (99_000, 12.0, True),
        (100_000, 12.0, False),
        (250_000, 8.9, True),
        (250_000, 9.0, False),
        (None, None, False),
        (None, 12.0, False),  # the platelets unknown: no finding, a check to make
        (None, 8.0, True),  # the haemoglobin alone settles it
    ],
)
def test_the_marrow_caution_below_the_cisplatin_reserve(
    platelets: int | None, hemoglobin: float | None, shown: bool
) -> None:
    status, texts = _platinum(
        {"labs.platelets_per_ul": platelets, "labs.hemoglobin_g_dl": hemoglobin}
    )
    assert any(MARROW in t for t in texts) is shown
    # neither value below its limit and one not known: what to check, not a finding
    unknown = not shown and (platelets is None or hemoglobin is None)
    assert any(MARROW_UNKNOWN in t for t in texts) is unknown
    assert status == "eligible"


def test_everolimus_names_its_use_for_the_hypoglycaemia_of_an_insulinoma() -> None:
    """Matej A et al., Hormones 2016;15:489-499, abstract: the management of hypoglycaemia
    in insulinoma includes "pharmacotherapy (diazoxide, somatostatin analogs, mTOR
    inhibitor – everolimus)". RADIANT-3's progression criterion still decides the status."""
    changes = {"primary.functional_syndrome": "insulinoma", "course.status": "stable"}
    doc = assess_mapping(eligible_case("everolimus", changes), with_evidence=False)
    result = doc["options"]["everolimus"]
    texts = [d["text"] for d in result["caution_details"]]
    assert any("hypoglycaemia of an unresectable insulinoma" in t for t in texts)
    assert result["status"] == "ineligible"  # not progressing (RADIANT-3 eligibility)
    doc = assess_mapping(eligible_case("everolimus", {}), with_evidence=False)
    texts = [d["text"] for d in doc["options"]["everolimus"]["caution_details"]]
    assert not any("insulinoma" in t for t in texts)


POOR_PERFORMANCE = "Performance status ECOG 3–4: the treatment options depend on the patient's"


@pytest.mark.parametrize("option", ["platinum_etoposide", "capecitabine_temozolomide"])
@pytest.mark.parametrize(("ecog", "shown"), [(2, False), (3, True), (4, True), (None, False)])
def test_a_poor_performance_status_is_shown_on_chemotherapy(
    option: str, ecog: int | None, shown: bool
) -> None:
    """001 Introduction: "available treatment options vary, depending on the extent of
    hepatic involvement and patients' performance status"; the reviews give no limit for
    chemotherapy, so ECOG 3-4 (ECOG 3: "in bed or chair more than 50 % of waking hours",
    Oken 1982) is shown and the status is left as it was."""
    doc = assess_mapping(eligible_case(option, {"patient.ecog": ecog}), with_evidence=False)
    result = doc["options"][option]
    texts = [d["text"] for d in result["caution_details"]]
    assert any(t.startswith(POOR_PERFORMANCE) for t in texts) is shown
    assert result["status"] == "eligible"


def test_prrt_and_interferon_say_what_they_are_given_with() -> None:
    """004 §3.5: NETTER-1 "treated with PRRT in combination with SSA"; 003 Medical therapy:
    "Alpha-interferon may be associated with somatostatin analogs"."""
    prrt = assess_mapping(eligible_case("prrt"), with_evidence=False)["options"]["prrt"]
    assert any("Given with a somatostatin analogue in NETTER-1" in c for c in prrt["cautions"])
    ifn = assess_mapping(eligible_case("interferon_alpha"), with_evidence=False)["options"][
        "interferon_alpha"
    ]
    assert any(
        c.startswith("Given with a somatostatin analogue, to which") for c in ifn["cautions"]
    )


@pytest.mark.parametrize(("syndrome", "insulinoma"), [("insulinoma", True), ("none", False)])
def test_sunitinib_shows_its_label_warnings(syndrome: str, insulinoma: bool) -> None:
    """SUTENT label: boxed warning "Hepatotoxicity ... may be severe, and in some cases
    deaths have been reported"; warnings on cardiovascular events (LVEF decline, heart
    failure) and symptomatic hypoglycaemia, which an insulinoma's adds to. 003 Targeted
    therapies lists only the common side effects. Shown, never changing the status."""
    base = assess_mapping(eligible_case("sunitinib"), with_evidence=False)
    changes = {"primary.functional_syndrome": syndrome}
    doc = assess_mapping(eligible_case("sunitinib", changes), with_evidence=False)
    result = doc["options"]["sunitinib"]
    texts = [d["text"] for d in result["caution_details"]]
    assert any("hepatotoxicity, severe and in some cases fatal" in t for t in texts)
    assert any(t.startswith("Insulinoma: sunitinib can cause") for t in texts) is insulinoma
    assert result["status"] == base["options"]["sunitinib"]["status"]


@pytest.mark.parametrize(
    ("changes", "shown"),
    [({"anatomy.ascites": True}, True), ({"labs.bilirubin_mg_dl": 2.5}, True), ({}, False)],
)
def test_everolimus_gives_its_label_doses_for_a_failing_liver(
    changes: dict[str, Any], shown: bool
) -> None:
    """AFINITOR label 2.2: 7.5 mg daily for Child-Pugh class A, 5 mg for class B, and for
    class C "If the desired benefit outweighs the risk, a dose of 2.5 mg daily may be used
    but must not be exceeded". Case-v1 holds no Child-Pugh class: said with the signs of a
    poor hepatic reserve, never changing the status."""
    base = assess_mapping(eligible_case("everolimus"), with_evidence=False)
    doc = assess_mapping(eligible_case("everolimus", changes), with_evidence=False)
    result = doc["options"]["everolimus"]
    texts = [d["text"] for d in result["caution_details"]]
    assert any("Child-Pugh class A" in t and "2.5 mg" in t for t in texts) is shown
    assert result["status"] == base["options"]["everolimus"]["status"]


@pytest.mark.parametrize("option", ["prrt", "capecitabine_temozolomide"])
def test_a_clearance_limit_read_through_the_egfr_says_so(option: str) -> None:
    # NETTER-1 excluded a Cockcroft-Gault creatinine clearance < 50 mL/min; the capecitabine
    # label contraindicates one < 30 mL/min. Cockcroft & Gault 1976: (140 - age) x weight /
    # (72 x creatinine), x 0.85 for a woman: at 87 years, 60 kg and 1.0 mg/dL, 38 mL/min,
    # where CKD-EPI 2021 gives an eGFR of 54 (Inker 2021) — the criterion reads the eGFR.
    doc = assess_mapping(eligible_case(option), with_evidence=False)
    texts = [d["text"] for d in doc["options"][option]["caution_details"]]
    (said,) = [t for t in texts if "Cockcroft-Gault creatinine clearance" in t]
    assert "(140 − age) × weight (kg) / (72 × creatinine in mg/dL)" in said
    assert "× 0.85 for a woman" in said


NETTER2_NOT_NEW = "Without progression on a somatostatin analogue, PRRT rests on NETTER-2"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (None, True),  # the list not given: NETTER-2 may be the basis
        (["ssa"], True),  # an SSA alone keeps NETTER-2's branch open
        (["prrt"], False),  # a further course: no NETTER-2 patient had PRRT before
        (["ssa", "everolimus"], False),
    ],
)
def test_the_netter2_caution_is_for_a_first_course_only(
    given: list[str] | None, shown: bool
) -> None:
    # NETTER-2 eligibility: no prior systemic therapy other than a somatostatin analogue;
    # a PRRT course or a targeted drug listed as given closes that branch of the setting,
    # so the caution on it would speak of a basis the option does not have.
    changes = {
        "course.status": "progressing",
        "course.progressed_on_ssa": False,
        "pathology.ki67_percent": 15,
        "course.prior_treatments": given,
        "course.prior_systemic_lines": None,
    }
    doc = assess_mapping(eligible_case("prrt", changes), with_evidence=False)
    texts = [d["text"] for d in doc["options"]["prrt"]["caution_details"]]
    assert any(t.startswith(NETTER2_NOT_NEW) for t in texts) is shown


OBSTRUCTED = "Biliary obstruction: the liver's function once the duct is drained decides"


@pytest.mark.parametrize("option", ["platinum_etoposide", "capecitabine_temozolomide"])
@pytest.mark.parametrize(("obstruction", "shown"), [(True, True), (False, False), (None, False)])
def test_an_obstructed_bile_duct_asks_for_the_liver_s_function_before_chemotherapy(
    option: str, obstruction: bool | None, shown: bool
) -> None:
    """001 Introduction: "available treatment options vary, depending on the extent of
    hepatic involvement and patients' performance status"; the reviews give systemic
    treatment no liver limit. A small cell carcinoma of the liver with obstructive jaundice
    (Shah 2022, Case Rep Oncol 15:668) read "eligible" for chemotherapy with nothing asking
    for the liver's function: the obstruction is said whatever the bilirubin, and the
    status is left as it was."""
    doc = assess_mapping(
        eligible_case(option, {"anatomy.biliary_obstruction": obstruction}), with_evidence=False
    )
    result = doc["options"][option]
    texts = [d["text"] for d in result["caution_details"]]
    assert any(t.startswith(OBSTRUCTED) for t in texts) is shown
    assert result["status"] == "eligible"


SURGERY_NEC = "Surgery may be part of multimodal treatment for selected NEC with limited liver"


@pytest.mark.parametrize(
    ("liver", "shown", "as_question"),
    [
        # 002 §2.2: type I a single metastasis, type III "multifocal diffuse bilobular";
        # the base case states neither, nor a burden.
        ({"liver.distribution": None, "liver.lesion_count": 1}, True, False),
        ({"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 30}, False, False),
        ({"liver.distribution": None, "liver.lesion_count": None}, True, True),
    ],
)
def test_surgery_for_a_nec_is_said_only_where_the_liver_disease_may_be_limited(
    liver: dict[str, Any], shown: bool, as_question: bool
) -> None:
    # 004 §3.1: "surgery may be part of comprehensive therapy for NEC patients with
    # localized lesions" -- never said of a diffuse (type III) liver; with the pattern not
    # known it is said, naming what is not known.
    _, cautions = _platinum(liver)
    said = [c for c in cautions if c.startswith(SURGERY_NEC)]
    assert bool(said) is shown
    if shown:
        assert ("is not settled" in said[0]) is as_question


@pytest.mark.parametrize(
    ("pathology", "shown"),
    [
        # 000 §1: a well-differentiated G3 NET is not a NEC ("poorly differentiated
        # neoplasms of high grade"); 004 §3.1 speaks of "NEC patients with localized lesions".
        ({"pathology.differentiation": "well", "pathology.ki67_percent": 30}, False),
        ({"pathology.differentiation": "poor", "pathology.ki67_percent": 60}, True),
        # Ki-67 30 % without the differentiation: a G3 NET or a NEC, so it is said.
        ({"pathology.differentiation": None, "pathology.ki67_percent": 30}, True),
    ],
)
def test_surgery_for_a_nec_is_not_said_of_a_well_differentiated_tumour(
    pathology: dict[str, Any], shown: bool
) -> None:
    _, cautions = _platinum({"liver.distribution": None, "liver.lesion_count": 1, **pathology})
    assert any(c.startswith(SURGERY_NEC) for c in cautions) is shown


NEC_SSA = "Neuroendocrine carcinoma with a hormonal syndrome: the SSA is given here for the"


@pytest.mark.parametrize(
    ("changes", "status", "shown"),
    [
        # Kaltsas 2017 (ENETS): the carcinoid syndrome, the glucagonoma and the VIPoma are
        # treated with an SSA before any intervention; 004 §3.3 gives its antiproliferative
        # use "to NET patients with slow growth, Ki-67 ≤ 10%": for a NEC, the syndrome only.
        (
            {
                "pathology.differentiation": "poor",
                "pathology.ki67_percent": 60,
                "primary.functional_syndrome": "carcinoid",
            },
            "eligible",
            True,
        ),
        (
            {
                "pathology.differentiation": "poor",
                "pathology.ki67_percent": 60,
                "primary.functional_syndrome": "vipoma",
            },
            "eligible",
            True,
        ),
        # A well-differentiated NET with a carcinoid syndrome: nothing to say.
        ({"primary.functional_syndrome": "carcinoid"}, "eligible", False),
        # A non-functional NEC: no SSA (004 §3.3), and no caution.
        (
            {
                "pathology.differentiation": "poor",
                "pathology.ki67_percent": 60,
                "primary.functional_syndrome": "none",
            },
            "ineligible",
            False,
        ),
    ],
)
def test_a_nec_s_somatostatin_analogue_is_for_its_syndrome(
    changes: dict[str, Any], status: str, shown: bool
) -> None:
    doc = assess_mapping(eligible_case("ssa", changes), with_evidence=False)
    ssa = doc["options"]["ssa"]
    assert ssa["status"] == status
    texts = [d["text"] for d in ssa["caution_details"]]
    assert any(t.startswith(NEC_SSA) for t in texts) is shown
