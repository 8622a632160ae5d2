"""The plan follows the disease course: after progression on or after a somatostatin
analogue, SSA is no longer the first systemic step."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

# 002 §2.3: "Current guidelines, namely NANETS and ENETS, recommend the use of PRRT only after
# the progression of disease while on SSAs"; 004 §3.5: NETTER-1 "was a second-line treatment".
PROGRESSED_AFTER_SSA: list[dict[str, Any]] = [
    {"course.progressed_on_ssa": True},
    # Progression on SSA not stated as such, but an SSA given and the disease now progressing
    # (cr02: SSA poorly tolerated, then chemotherapy, progression).
    {
        "course.progressed_on_ssa": None,
        "course.prior_treatments": ["ssa"],
        "course.prior_systemic_lines": 2,
        "course.status": "progressing",
    },
    # A rapid progression is a progression after the SSA too.
    {
        "course.progressed_on_ssa": None,
        "course.prior_treatments": ["ssa"],
        "course.prior_systemic_lines": 1,
        "course.status": "rapidly_progressing",
    },
]
UNSTATED = {
    "course.status": None,
    "course.progressed_on_ssa": None,
    "course.prior_treatments": None,
    "course.prior_systemic_lines": None,
}


def _assess(changes: dict[str, Any]) -> dict[str, Any]:
    # Unresectable by the surgeons' judgement so that the systemic steps are in play.
    doc = with_changes(BASE, {"liver.surgical_assessment": "unresectable", **changes})
    return assess_mapping(doc, with_evidence=False)  # type: ignore[no-any-return]


def _first_systemic_with(result: dict[str, Any], option: str) -> int | None:
    steps = [s for s in result["plan"] if s["intent"] == "systemic_control"]
    return next((i for i, s in enumerate(steps) if option in s["options"]), None)


@pytest.mark.parametrize("course", PROGRESSED_AFTER_SSA)
def test_after_progression_on_ssa_prrt_comes_before_ssa(course: dict[str, Any]) -> None:
    result = _assess(course)
    assert result["options"]["prrt"]["status"] != "ineligible"
    prrt = _first_systemic_with(result, "prrt")
    ssa = _first_systemic_with(result, "ssa")
    assert prrt is not None
    # The SSA comes back only after PRRT, as 003 Medical therapy's escalation of a failed
    # standard dose ("shortening of SSA administration intervals or augmentation of SSA
    # dosage"), never as the first-line step.
    if ssa is not None:
        assert ssa > prrt
        step = next(s for s in result["plan"] if "ssa" in s["options"])
        assert "shorter interval" in step["rationale"]
        assert "first line" not in step["rationale"]


@pytest.mark.parametrize(
    "course",
    [
        {},  # the base case: stable, no prior treatment
        UNSTATED,  # nothing stated about the course: unknown keeps the first-line step
        {**UNSTATED, "course.prior_treatments": ["ssa"]},  # progression not stated
        {"course.prior_treatments": ["ssa"], "course.status": "stable"},
        {"course.status": "progressing", "course.prior_treatments": ["everolimus"]},
        {"pathology.ki67_percent": None},  # Ki-67 not given: unknown keeps the step
    ],
)
def test_ssa_stays_first_line_unless_the_case_states_progression_after_it(
    course: dict[str, Any],
) -> None:
    """004 §3.3 and 003 Medical therapy: SSA first line (PROMID, CLARINET); the step is
    dropped only on a stated fact, never on a missing one."""
    result = _assess(course)
    assert result["options"]["ssa"]["status"] != "ineligible"
    ssa_at = _first_systemic_with(result, "ssa")
    assert ssa_at is not None
    prrt_at = _first_systemic_with(result, "prrt")
    assert prrt_at is None or ssa_at < prrt_at


def test_the_other_seed_on_a_failed_ssa_is_shown_as_a_caution() -> None:
    """003 Medical therapy: "If treatment with SSAs at standard dose fails, management options
    include shortening of SSA administration intervals or augmentation of SSA dosage"; the
    plan follows 002 §2.3 / 004 §3.5 (PRRT next) and shows 003 beside it."""
    result = _assess({"course.progressed_on_ssa": True})
    step = next(s for s in result["plan"] if s["options"] == ["prrt"])
    assert "002 §2.3" in step["sources"]
    (note,) = [n for n in step["notes"] if "higher SSA dose" in n["text"]]
    assert note["sources"] == ["003 Medical therapy"]
    # Only after an SSA failed: a newly diagnosed patient never had a standard dose.
    new = _assess({})
    shown = [n["text"] for s in new["plan"] for n in s.get("notes", [])] + [
        s["rationale"] for s in new["plan"]
    ]
    assert not any("higher SSA dose" in text for text in shown)


def test_with_ki67_over_10_an_ssa_is_for_the_syndrome_not_first_line() -> None:
    """004 §3.3: SSA "is applicable to NET patients with slow growth, Ki-67 ≤ 10%"; 003
    Medical therapy: for hormonal symptoms, a somatostatin analogue. A G3 NET (Ki-67 25 %,
    000 §1) with carcinoid syndrome keeps the SSA, in the symptom-control step only."""
    result = _assess({"pathology.ki67_percent": 25, "primary.functional_syndrome": "carcinoid"})
    assert result["options"]["ssa"]["status"] != "ineligible"
    assert _first_systemic_with(result, "ssa") is None
    symptom = [s for s in result["plan"] if s["intent"] == "symptom_control"]
    assert any("ssa" in s["options"] for s in symptom)


def test_after_progression_on_ssa_prrt_stays_ahead_of_an_eligible_targeted_drug() -> None:
    """002 §2.3 (ENETS, NANETS: PRRT after progression on an SSA) and 004 §3.5 (NETTER-1,
    second line): PRRT is the next line, even when it is conditional only on blood counts
    not yet given and a targeted drug (everolimus for a progressing pancreatic NET G2,
    RADIANT-3, 004 §3.4) is already eligible."""
    no_counts = {
        "labs.hemoglobin_g_dl": None,
        "labs.wbc_per_ul": None,
        "labs.platelets_per_ul": None,
        "course.status": "progressing",
        "course.progressed_on_ssa": True,
        "course.prior_treatments": ["ssa"],
        "course.prior_systemic_lines": None,
    }
    result = _assess(no_counts)
    assert result["options"]["everolimus"]["status"] == "eligible"
    assert result["options"]["prrt"]["status"] == "uncertain"
    prrt = _first_systemic_with(result, "prrt")
    everolimus = _first_systemic_with(result, "everolimus")
    assert prrt is not None and everolimus is not None and prrt < everolimus
    step = next(s for s in result["plan"] if "everolimus" in s["options"])
    assert step["moved_behind"] == ["prrt"]
    # SSTR-negative disease rules PRRT out (001 PRRT: "sufficient SSTR expression"): the
    # targeted drugs are then the next line, and nothing is moved.
    result = _assess({**no_counts, "imaging.sstr_positive": False, "imaging.krenning_score": None})
    assert result["options"]["prrt"]["status"] == "ineligible"
    step = next(s for s in result["plan"] if "everolimus" in s["options"])
    assert "moved_behind" not in step


def test_a_slow_growing_net_lists_the_ssa_before_an_eligible_chemotherapy() -> None:
    """004 §3.3: SSA for NET "with slow growth, Ki-67 ≤ 10%, and SSTR positivity" (PROMID,
    CLARINET), the first line; CAPTEM is eligible for an advanced unresectable pancreatic
    NET (004 §3.4) whatever its growth. A new pancreatic NET G2 (Ki-67 5 %) whose SSTR
    imaging is not yet known: the SSA, uncertain only for want of that imaging, comes
    before the eligible chemotherapy, and the plan says why; with Ki-67 15 % it does not."""
    new = {
        "course.status": "new_diagnosis",
        "course.progressed_on_ssa": None,
        "course.prior_systemic_lines": None,
        "imaging.sstr_positive": None,
        "imaging.krenning_score": None,
        "pathology.ki67_percent": 5,
    }
    result = _assess(new)
    assert result["options"]["ssa"]["status"] == "uncertain"
    assert result["options"]["capecitabine_temozolomide"]["status"] == "eligible"
    ssa = _first_systemic_with(result, "ssa")
    captem = _first_systemic_with(result, "capecitabine_temozolomide")
    assert ssa is not None and captem is not None and ssa < captem
    step = next(s for s in result["plan"] if "capecitabine_temozolomide" in s["options"])
    assert "ssa_first_line" in step["moved_behind"]
    assert "listed after the SSA's first line" in step["rationale"]
    # Ki-67 15 %: not the slow growth 004 §3.3 names; the SSA's first-line step does not
    # apply, and nothing is moved behind it
    result = _assess({**new, "pathology.ki67_percent": 15, "pathology.mitoses_per_2mm2": 1})
    step = next(s for s in result["plan"] if "capecitabine_temozolomide" in s["options"])
    assert "ssa_first_line" not in step.get("moved_behind", [])


@pytest.mark.parametrize(("refractory", "first_line"), [(True, False), (False, True), (None, True)])
def test_a_syndrome_refractory_with_an_ssa_given_puts_prrt_before_it(
    refractory: bool | None, first_line: bool
) -> None:
    """001 Introduction gives PRRT for "hormonal syndromes refractory to conventional
    medical treatment"; 003 Medical therapy keeps the SSA for the hormonal symptoms. A
    carcinoid syndrome refractory with an SSA already given: the SSA is no antiproliferative
    first line ahead of PRRT, and stays in the symptom-control step. Refractoriness not
    stated, or a syndrome controlled: the first-line step stays (unknown keeps it)."""
    result = _assess(
        {
            **UNSTATED,
            "primary.functional_syndrome": "carcinoid",
            "primary.syndrome_refractory": refractory,
            "course.prior_treatments": ["ssa"],
        }
    )
    ssa_at = _first_systemic_with(result, "ssa")
    assert (ssa_at is not None) is first_line
    if not first_line:
        assert result["options"]["prrt"]["status"] != "ineligible"
        symptom = [s for s in result["plan"] if s["intent"] == "symptom_control"]
        assert any("ssa" in s["options"] for s in symptom)


@pytest.mark.parametrize("status", ["progressing", "rapidly_progressing"])
def test_a_prrt_already_given_comes_after_the_lines_not_yet_tried(status: str) -> None:
    """The seeds give PRRT after progression on an SSA (002 §2.3; 004 §3.5), a first course;
    none discusses a second. van der Zwan 2019 re-treated only patients who had benefited
    from the first course (progression-free for at least 18 months after it). A disease
    progressing after PRRT and an SSA: everolimus (RADIANT-3, progressing pancreatic NET G2,
    004 §3.4) comes before the PRRT given before, and the plan and the card say what a
    further course is for."""
    result = _assess(
        {
            "course.status": status,
            "course.progressed_on_ssa": True,
            "course.prior_treatments": ["ssa", "prrt"],
            "course.prior_systemic_lines": 2,
        }
    )
    assert result["options"]["everolimus"]["status"] == "eligible"
    assert result["options"]["prrt"]["status"] != "ineligible"
    everolimus = _first_systemic_with(result, "everolimus")
    prrt = _first_systemic_with(result, "prrt")
    assert everolimus is not None and prrt is not None and everolimus < prrt
    prrt_step = next(s for s in result["plan"] if "prrt" in s["options"])
    assert prrt_step["moved_behind"] == ["targeted_and_chemotherapy"]
    assert "prrt_retreatment" in [n["id"] for n in prrt_step["notes"]]
    assert "vanderZwan-2019" in prrt_step["sources"]
    drugs = next(s for s in result["plan"] if "everolimus" in s["options"])
    assert "moved_behind" not in drugs
    assert "listed after PRRT when PRRT is possible" not in drugs["rationale"]
    cautions = [c["text"] for c in result["options"]["prrt"]["caution_details"]]
    assert any(t.startswith("PRRT given before: salvage PRRT") for t in cautions)


def test_without_a_treatment_list_a_progression_on_an_ssa_still_puts_prrt_first() -> None:
    """A list that names PRRT moves it behind; no list leaves the guidelines' order (002
    §2.3: PRRT after progression on an SSA), and says nothing of a second course."""
    result = _assess({**UNSTATED, "course.status": "progressing", "course.progressed_on_ssa": True})
    prrt = _first_systemic_with(result, "prrt")
    everolimus = _first_systemic_with(result, "everolimus")
    assert prrt is not None and everolimus is not None and prrt < everolimus
    assert not any(
        n["id"] == "prrt_retreatment" for s in result["plan"] for n in s.get("notes", ())
    )
