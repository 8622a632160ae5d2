"""Cautions around procedures, each against the sentence of the source it comes from: a
hormonal crisis after PRRT, not the periprocedural carcinoid crisis of instrumentation; PRRT
after radioembolisation; the SSA's Ki-67 > 10 % study, which was of pancreatic NETs."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

PERIPROCEDURAL = "Carcinoid syndrome: risk of periprocedural carcinoid crisis"
AFTER_PRRT = "hormonal crises (a massive release of bioactive substances) followed"
PRIOR_RE = "Radioembolisation given before"
SSA_OVER_10 = "a small study suggested SSA still prolongs PFS in pancreatic NET"


def _cautions(option: str, changes: dict[str, Any]) -> tuple[str, list[str]]:
    doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
    result = doc["options"][option]
    return result["status"], [d["text"] for d in result["caution_details"]]


@pytest.mark.parametrize(
    ("syndrome", "shown", "conditional"),
    [
        ("carcinoid", True, False),
        ("vipoma", True, False),
        ("none", False, False),
        # not stated: asked for, as on the procedures, never said as a finding
        (None, True, True),
    ],
)
def test_prrt_shows_the_hormonal_crises_counted_after_it(
    syndrome: str | None, shown: bool, conditional: bool
) -> None:
    """de Keizer 2008 (Eur J Nucl Med Mol Imaging 35:749): "Six of 479 patients (1%)
    developed severe symptoms because of massive release of bioactive substances after the
    first cycle of 177Lu-octreotate" — hormone-producing carcinoids and VIPomas among them
    (two of the six bronchial carcinoids). 002 §3.3 gives its perioperative octreotide
    prophylaxis for "interventions directed at NETs (e.g., locoregional therapies or
    surgery) where instrumentation may lead to the release": PRRT is neither, so that
    caution is not shown on it."""
    status, texts = _cautions("prrt", {"primary.functional_syndrome": syndrome})
    assert any(AFTER_PRRT in t for t in texts) is shown
    assert any(t.startswith("If the tumour is functional") for t in texts) is conditional
    assert not any(t.startswith(PERIPROCEDURAL) for t in texts)
    assert status == "eligible"


@pytest.mark.parametrize("option", ["tae", "tace", "tare", "liver_resection"])
def test_instrumentation_keeps_the_periprocedural_carcinoid_crisis(option: str) -> None:
    """002 §3.3: "Periprocedural carcinoid crisis is also a potentially lethal complication
    of interventions directed at NETs (e.g., locoregional therapies or surgery)"."""
    _, texts = _cautions(option, {"primary.functional_syndrome": "carcinoid"})
    assert any(t.startswith(PERIPROCEDURAL) for t in texts)
    _, texts = _cautions(option, {"primary.functional_syndrome": "none"})
    assert not any(t.startswith(PERIPROCEDURAL) for t in texts)


IF_CARCINOID = "If the patient has a carcinoid syndrome (the case does not say"


@pytest.mark.parametrize(
    "option", ["tae", "tace", "deb_tace", "tare", "thermal_ablation", "liver_resection"]
)
@pytest.mark.parametrize(
    ("syndrome", "firm", "conditional"),
    [("carcinoid", True, False), (None, False, True), ("none", False, False)],
)
def test_an_unstated_syndrome_shows_the_crisis_as_a_condition(
    option: str, syndrome: str | None, firm: bool, conditional: bool
) -> None:
    """002 §3.3: "Periprocedural carcinoid crisis is also a potentially lethal complication
    of interventions directed at NETs (e.g., locoregional therapies or surgery) ...
    guidelines such as ENET and NANETs generally recommend the use of perioperative
    octreotide prophylactically". A case that does not say whether the tumour is functional
    is not read as free of the syndrome: the caution is shown as the condition to check,
    and the status is untouched."""
    status, texts = _cautions(option, {"primary.functional_syndrome": syndrome})
    assert any(t.startswith(PERIPROCEDURAL) for t in texts) is firm
    assert any(t.startswith(IF_CARCINOID) for t in texts) is conditional
    assert status == "eligible"


OTHER_SYNDROME = 'Functional syndrome recorded as "other": if it is in fact a carcinoid'


@pytest.mark.parametrize("option", ["tae", "tare", "thermal_ablation", "liver_resection"])
@pytest.mark.parametrize(("syndrome", "shown"), [("other", True), ("gastrinoma", False)])
def test_a_syndrome_of_another_kind_asks_whether_it_is_carcinoid(
    option: str, syndrome: str, shown: bool
) -> None:
    """002 §3.3 names periprocedural carcinoid crisis a complication of "interventions
    directed at NETs": a functional tumour whose syndrome the case names only as "other"
    (a report's "severe functional syndrome") may have a carcinoid syndrome, so the crisis
    is asked about, not dropped as for a non-functional tumour; a named gastrinoma is not
    a carcinoid syndrome."""
    _, texts = _cautions(option, {"primary.functional_syndrome": syndrome})
    assert any(t.startswith(OTHER_SYNDROME) for t in texts) is shown
    assert not any(t.startswith(PERIPROCEDURAL) for t in texts)


SEROTONIN = "Serotonin-secreting tumour without a carcinoid syndrome recorded"


@pytest.mark.parametrize("option", ["tae", "thermal_ablation", "liver_resection"])
@pytest.mark.parametrize(
    ("hormone", "syndrome", "shown"),
    [
        ("serotonin", "none", True),  # raised serotonin "without symptoms"
        ("serotonin", "other", True),
        ("serotonin", "carcinoid", False),  # the syndrome's own caution says it
        # the syndrome not stated: the tumour secretes serotonin all the same (a serotonin
        # rise measured during the ablation of such a metastasis, its syndrome not named)
        ("serotonin", None, True),
        ("gastrin", "none", False),
        (None, "none", False),
    ],
)
def test_a_serotonin_secreting_tumour_without_the_syndrome_shows_the_crisis(
    option: str, hormone: str | None, syndrome: str | None, shown: bool
) -> None:
    """002 §3.3: periprocedural carcinoid crisis is "a potentially lethal complication of
    interventions directed at NETs ... where instrumentation may lead to the release of
    large quantities of vasoactive compounds": a tumour secreting serotonin can release
    them without a recorded syndrome. A caution; the status is untouched."""
    status, texts = _cautions(
        option, {"primary.hormone": hormone, "primary.functional_syndrome": syndrome}
    )
    assert any(t.startswith(SEROTONIN) for t in texts) is shown
    # the syndrome is asked about only while nothing says the tumour secretes serotonin:
    # "the case does not say whether the tumour is functional" beside a stated serotonin
    # would contradict the case
    assert not any(t.startswith(IF_CARCINOID) for t in texts) or hormone != "serotonin"
    assert status == "eligible"


HEART = "Carcinoid heart disease, a complication of the carcinoid syndrome: risk of"


@pytest.mark.parametrize("option", ["tae", "tare", "thermal_ablation"])
@pytest.mark.parametrize(
    ("syndrome", "heart", "firm", "heart_shown", "conditional"),
    [
        # the heart disease says the syndrome is there: read as a carcinoid syndrome (the
        # implied facts), whose own caution speaks
        (None, True, True, False, False),
        (None, False, False, False, True),  # no heart disease says nothing of the syndrome
        (None, None, False, False, True),
        ("carcinoid", True, True, False, False),  # said once, by the syndrome's caution
        ("none", True, False, True, False),  # stated against the heart disease: still shown
    ],
)
def test_carcinoid_heart_disease_brings_the_crisis_caution(
    option: str,
    syndrome: str | None,
    heart: bool | None,
    firm: bool,
    heart_shown: bool,
    conditional: bool,
) -> None:
    """Davar J et al., J Am Coll Cardiol 2017;69:1288-1304: carcinoid heart disease is a
    complication of the carcinoid syndrome; 002 §3.3: "Periprocedural carcinoid crisis is
    also a potentially lethal complication of interventions directed at NETs". A case
    giving the heart disease gets the crisis said firmly, not asked about."""
    _, texts = _cautions(
        option,
        {"primary.functional_syndrome": syndrome, "patient.carcinoid_heart_disease": heart},
    )
    assert any(t.startswith(PERIPROCEDURAL) for t in texts) is firm
    assert any(t.startswith(HEART) for t in texts) is heart_shown
    assert any(t.startswith(IF_CARCINOID) for t in texts) is conditional


def test_the_conditional_crisis_is_a_case_specific_caution() -> None:
    """Shown because of what this case leaves unsaid (002 §3.3), so among the patient's
    cautions, not the general notes of the option."""
    doc = assess_mapping(
        eligible_case("tae", {"primary.functional_syndrome": None}), with_evidence=False
    )
    found = [
        d for d in doc["options"]["tae"]["caution_details"] if d["text"].startswith(IF_CARCINOID)
    ]
    assert [(d["case_specific"], d["sources"]) for d in found] == [(True, ["002 §3.3"])]


@pytest.mark.parametrize(
    ("prior", "shown"),
    [
        (["ssa", "tare"], True),
        (["ssa", "tace"], False),  # the seeds' concern is radioembolisation's
        (["ssa"], False),
        (None, False),
    ],
)
def test_prrt_after_radioembolisation_shows_the_cumulative_hepatotoxicity_concern(
    prior: list[str] | None, shown: bool
) -> None:
    """001 PRRT: "Despite concerns about cumulative hepatotoxicity, RE following PRRT was a
    safe sequence as a salvage option"; 002 §5: "no additive liver toxicity when
    radioembolization was used with PRRT" (23 cases); 000 §4: PRRT weighed against its
    "potential for increasing interaction with other treatment modalities ... such as
    radioembolization". A caution, never a criterion: the status stays."""
    status, texts = _cautions("prrt", {"course.prior_treatments": prior})
    assert any(t.startswith(PRIOR_RE) for t in texts) is shown
    assert status == "eligible"


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"pathology.ki67_percent": 15}, True),
        ({"pathology.ki67_percent": 10}, False),  # within 004's "Ki-67 ≤ 10%"
        ({"pathology.ki67_percent": 15, "primary.site": "small_intestine"}, False),
        ({"pathology.ki67_percent": 15, "primary.site": None}, False),
    ],
)
def test_the_ssa_ki67_over_10_study_is_shown_for_pancreatic_nets(
    changes: dict[str, Any], shown: bool
) -> None:
    """004 §3.3: "Small sample study confirmed that the use of SSA in pNETs with
    Ki-67>10% could also prolong PFS of patients": a pancreatic population, so not shown
    for a small-intestinal NET (nor for a primary not stated)."""
    base = {"primary.functional_syndrome": "carcinoid"}  # the SSA stays assessed
    _, texts = _cautions("ssa", {**base, **changes})
    assert any(SSA_OVER_10 in t for t in texts) is shown


ELTR = "Age > 45 years, hepatomegaly and any resection concurrent with transplantation"
IF_OVER_45 = "If the patient is over 45 years (the age is not known to be 45 or under)"


@pytest.mark.parametrize(
    ("age", "firm", "conditional"),
    [
        ({"patient.age_years": 50}, True, False),
        ({"patient.age_years": 40}, False, False),
        ({"patient.age_years": None}, False, True),
        # a range across 45 (case-v1 bounds) is as open as no age at all
        (
            {
                "patient.age_years": None,
                "patient.age_years_at_least": 40,
                "patient.age_years_at_most": 49,
            },
            False,
            True,
        ),
    ],
)
def test_the_eltr_age_caution_is_asked_when_the_age_is_not_known(
    age: dict[str, Any], firm: bool, conditional: bool
) -> None:
    """001 Liver transplantation: the ELTR "identified hepatomegaly, age more than 45 years,
    and any amount of resection concurrent with OLT as predictors of a poor outcome"."""
    _, texts = _cautions("liver_transplant_milan", age)
    assert any(t.startswith(ELTR) for t in texts) is firm
    assert any(t.startswith(IF_OVER_45) for t in texts) is conditional


RE_SIDE = "Ki-67 ≥ 3 %: a Ki-67 of 3 % or more predicted a greater response to radioembolisation"
TACE_SIDE = "Ki-67 < 3 %: a Ki-67 below 3 % predicted a greater benefit from TACE"
BOTH_SIDES = "Ki-67 not known to be below 3 % or at least 3 %:"
NO_KI67 = {"pathology.ki67_percent": None}


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"pathology.ki67_percent": 2.9}, TACE_SIDE),
        ({"pathology.ki67_percent": 3}, RE_SIDE),  # "≥ 3%": 3 is the radioembolisation side
        ({"pathology.ki67_percent": 15}, RE_SIDE),
        (NO_KI67, BOTH_SIDES),
        # bounds wholly on one side decide it; across 3 they do not
        (
            {
                **NO_KI67,
                "pathology.ki67_percent_at_least": 1,
                "pathology.ki67_percent_at_most": 2,
            },
            TACE_SIDE,
        ),
        (
            {
                **NO_KI67,
                "pathology.ki67_percent_at_least": 2,
                "pathology.ki67_percent_at_most": 5,
            },
            BOTH_SIDES,
        ),
        # A reported G1 means "a Ki67 index < 3" (000 §1): the TACE side.
        ({**NO_KI67, "pathology.reported_grade": "G1"}, TACE_SIDE),
        # ... also beside a stated "at most 3", which alone would leave both sides
        (
            {
                **NO_KI67,
                "pathology.reported_grade": "G1",
                "pathology.ki67_percent_at_most": 3,
            },
            TACE_SIDE,
        ),
        ({**NO_KI67, "pathology.ki67_percent_at_most": 3}, BOTH_SIDES),
        # A reported G2 may be a G2 by its mitoses alone ("The higher index is used to
        # classify grade", 000 §1), its Ki-67 below 3: both sides.
        ({**NO_KI67, "pathology.reported_grade": "G2"}, BOTH_SIDES),
    ],
)
def test_radioembolisation_shows_the_side_of_3_percent_the_ki67_falls_on(
    changes: dict[str, Any], shown: str
) -> None:
    """002 §3.5: "The Ki-67 score ≥ 3% predicted greater response after radioembolization,
    while the Ki-67 score < 3% predicted greater benefit with TACE". One side when the Ki-67
    places the case, both when it does not."""
    _, texts = _cautions("tare", changes)
    found = {
        prefix
        for prefix in (RE_SIDE, TACE_SIDE, BOTH_SIDES)
        if any(t.startswith(prefix) for t in texts)
    }
    assert found == {shown}


UNNAMED = "A systemic therapy given before is recorded without an option of its own"


@pytest.mark.parametrize(
    ("prior", "shown"),
    [
        (["ssa", "other_systemic_therapy"], True),
        (["other_systemic_therapy", "platinum_etoposide"], False),  # its regimen is named
        (["ssa"], False),
        (None, False),
    ],
)
def test_an_unnamed_prior_chemotherapy_asks_whether_it_was_platinum(
    prior: list[str] | None, shown: bool
) -> None:
    """003 Medical therapy: "For high-grade tumors with poor differentiation, platinum-based
    regimes are preferred" -- the first line of a NEC. A chemotherapy given before whose
    regimen the case does not name may have been it: the caution asks, the status stays."""
    status, texts = _cautions("platinum_etoposide", {"course.prior_treatments": prior})
    assert any(t.startswith(UNNAMED) for t in texts) is shown
    assert status == "eligible"


OVER_5CM = "Lesion of 5 cm or more: nelm applies 002 §4's limit"


@pytest.mark.parametrize(
    ("size", "count", "shown", "status"),
    [
        (5, 1, True, "ineligible"),
        (12, 1, True, "ineligible"),
        (4.9, 1, False, "eligible"),
        (2, 2, False, "eligible"),
    ],
)
def test_a_lesion_over_the_ablation_limit_shows_the_sources_that_allow_it(
    size: float, count: int, shown: bool, status: str
) -> None:
    """002 §4 gives ablation "exclusively" for "less than three lesions measuring ≤ 3 cm,
    or a single lesion < 5 cm" (nelm's criterion); 003 Ablative therapies: "RFA is less
    useful for tumors >5 cm, even if repeat ablation sessions are possible", and effective
    for hormone secretion "even if the tumor size represents a limiting factor"; 001
    Ablative techniques: stereotactic RFA "especially in larger tumors (> 5 cm)". The seeds
    disagree: the limit is applied and the other side shown beside it."""
    got, texts = _cautions(
        "thermal_ablation", {"liver.largest_lesion_cm": size, "liver.lesion_count": count}
    )
    assert any(t.startswith(OVER_5CM) for t in texts) is shown
    assert got == status


ABSCESS = "Bilio-enteric anastomosis or a prior Whipple procedure: 001 holds RFA usually"


@pytest.mark.parametrize(
    ("whipple", "anastomosis", "shown"),
    [(True, None, True), (None, True, True), (False, False, False), (None, None, False)],
)
def test_ablation_after_a_whipple_names_the_abscess(
    whipple: bool | None, anastomosis: bool | None, shown: bool
) -> None:
    """001 Ablative techniques: "RFA is usually contraindicated ... if the patient has had a
    previous Whipple procedure", and liver abscess is among its complications; a case that
    gives the Whipple alone is shown it as one that gives the anastomosis is."""
    _, texts = _cautions(
        "thermal_ablation",
        {"anatomy.prior_whipple": whipple, "anatomy.biliary_enteric_anastomosis": anastomosis},
    )
    assert any(t.startswith(ABSCESS) for t in texts) is shown
