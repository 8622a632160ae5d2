"""The plan: ordered by intent, never an ineligible option, and the sequences the seeds give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
INTENT_ORDER = ["curative", "downstaging", "liver_control", "systemic_control", "symptom_control"]


def plan_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return assess_mapping(doc, with_evidence=False)["plan"]  # type: ignore[no-any-return]


def step_index(plan: list[dict[str, Any]], option: str) -> int:
    for i, step in enumerate(plan):
        if option in step["options"]:
            return i
    raise AssertionError(f"{option} not in plan")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_plan_is_ordered_and_never_ineligible(path: Path) -> None:
    doc = assess_mapping(json.loads(path.read_text()), with_evidence=False)
    ranks = [INTENT_ORDER.index(step["intent"]) for step in doc["plan"]]
    assert ranks == sorted(ranks)
    planned = [o for step in doc["plan"] for o in step["options"]]
    assert len(planned) == len(set(planned))
    for option in planned:
        assert doc["options"][option]["status"] != "ineligible"
    assert [s["step"] for s in doc["plan"]] == list(range(1, len(doc["plan"]) + 1))


def test_primary_resection_before_prrt() -> None:
    # 001 PRRT: "resection of the primary tumor followed by PRRT has been safely proposed as
    # an upfront strategy for the treatment of G1-G2 PanNENs with diffuse unresectable NELM"
    plan = plan_of(
        with_changes(
            BASE,
            {
                "primary.resected": False,
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 25,
                "course.progressed_on_ssa": True,
            },
        )
    )
    assert step_index(plan, "primary_tumor_resection") < step_index(plan, "prrt")


def test_downstaging_to_transplant_when_only_the_burden_is_too_high() -> None:
    # 004 §3.1: "Local therapies like TACE and PRRT can reduce tumor burden, converting some
    # patients to resectable status or meeting LT criteria"; Milan needs < 50 % (001 Table 2).
    doc = assess_mapping(
        with_changes(
            BASE,
            {
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 40,
                "liver.tumor_burden_percent": 60,
                "course.progressed_on_ssa": True,
            },
        ),
        with_evidence=False,
    )
    assert doc["options"]["liver_transplant_milan"]["status"] == "ineligible"
    downstaging = [s for s in doc["plan"] if s["intent"] == "downstaging"]
    assert downstaging and "prrt" in downstaging[0]["options"]
    assert "004 §3.1" in downstaging[0]["sources"]


def test_no_downstaging_when_transplant_fails_for_a_fixed_reason() -> None:
    # Age (001 Table 2: < 55 years) is not something downstaging changes.
    doc = assess_mapping(
        with_changes(
            BASE,
            {
                "patient.age_years": 70,
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 40,
                "liver.tumor_burden_percent": 60,
                "course.progressed_on_ssa": True,
            },
        ),
        with_evidence=False,
    )
    assert not [s for s in doc["plan"] if s["intent"] == "downstaging"]


DIFFUSE_STABLE = {
    "liver.distribution": "bilobar_diffuse",
    "liver.lesion_count": 40,
    "course.progressed_on_ssa": True,
}


def _steps(changes: dict[str, Any]) -> list[str]:
    doc = assess_mapping(with_changes(BASE, {**DIFFUSE_STABLE, **changes}), with_evidence=False)
    return [str(s["options"]) for s in doc["plan"] if s["intent"] == "downstaging"]


def test_a_primary_in_place_is_converted_by_its_resection_not_by_downstaging() -> None:
    # 001 Table 2: the transplant criteria need the primary removed first, which resecting
    # it does; TACE and PRRT reduce the burden (004 §3.1), they do not remove the primary.
    only_primary = _steps({"liver.tumor_burden_percent": 30, "primary.resected": False})
    assert only_primary == [str(["primary_tumor_resection"])]
    # Burden too high as well: both steps.
    both = _steps({"liver.tumor_burden_percent": 60, "primary.resected": False})
    assert len(both) == 2 and both[0] == str(["primary_tumor_resection"])
    # Only the burden: downstaging alone.
    only_burden = _steps({"liver.tumor_burden_percent": 60})
    assert len(only_burden) == 1 and "prrt" in only_burden[0]


@pytest.mark.parametrize("site", ["lung", "thymus", "rectum"])
def test_no_primary_resection_toward_a_transplant_for_a_primary_outside_the_portal_system(
    site: str,
) -> None:
    # 000 §2.2: transplantation "is reserved for select patients ... and primary tumors that
    # drain via the portal system"; Milan's site list (001 Table 2) leaves out the rectum,
    # the lung and the thymus. No treatment changes the drainage, so removing such a primary
    # to "reconsider" a transplant is no conversion: the ENETS list, which omits the rule,
    # leaves it to the board (its relative criterion), not to a plan step.
    pancreas = _steps({"liver.tumor_burden_percent": 30, "primary.resected": False})
    assert pancreas == [str(["primary_tumor_resection"])]  # the same case, portal-drained
    changes = {"liver.tumor_burden_percent": 30, "primary.resected": False, "primary.site": site}
    assert _steps(changes) == []


def test_no_conversion_step_while_the_liver_disease_is_resectable() -> None:
    # 004 §3.1: "radical resection is recommended for Type I" metastases; 003 and 001 reserve
    # transplantation for unresectable disease, so a step whose only aim is to make a
    # transplant possible (resect the primary first: 001 Table 2) or to convert the liver
    # (downstaging: 004 §3.1) has nothing to do while a one-stage resection is eligible.
    # Type I, two lesions, remnant ≥ 30 %, primary in place, extrahepatic disease not stated:
    # the transplants are blocked only by the primary still in place, which a conversion step
    # would resect "first".
    in_place = {
        "primary.resected": False,
        "primary.resection_margin": None,
        "primary.months_since_primary_resection": None,
        "liver.synchronous": True,
        "extrahepatic.present": None,
    }
    doc = assess_mapping(with_changes(BASE, in_place), with_evidence=False)
    # Uncertain only for the extrahepatic staging, which the transplants ask for too.
    assert doc["options"]["simultaneous_resection"]["status"] == "uncertain"
    assert doc["options"]["liver_transplant_milan"]["status"] == "ineligible"
    assert "downstaging" not in [s["intent"] for s in doc["plan"]]
    # Type I with a tumour burden over Milan's 50 %: the transplant is blocked by the
    # burden too, still nothing to convert while the resection is eligible.
    burden = assess_mapping(
        with_changes(BASE, {"liver.tumor_burden_percent": 55}), with_evidence=False
    )
    assert burden["options"]["liver_resection"]["status"] == "eligible"
    assert "downstaging" not in [s["intent"] for s in burden["plan"]]


def test_no_primary_resection_step_while_a_staged_resection_is_eligible() -> None:
    # 001 Staged resections for extensive disease: staged resection for a remnant "initially
    # deemed insufficient"; 000 §2.1 debates resecting the primary for metastatic disease
    # "that is not amenable to resection", and the transplant criteria that ask for it first
    # (001 Table 2) are for unresectable NELM (000 §2.2). With a remnant of 29 % and staged
    # resection eligible, neither the primary-first step nor the debated primary resection
    # belongs in the plan.
    doc = assess_mapping(
        with_changes(
            BASE,
            {
                "primary.resected": False,
                "primary.resection_margin": None,
                "primary.months_since_primary_resection": None,
                "liver.future_liver_remnant_percent": 29,
            },
        ),
        with_evidence=False,
    )
    assert doc["options"]["staged_resection"]["status"] == "eligible"
    assert doc["options"]["primary_tumor_resection"]["status"] == "eligible"
    planned = {o for s in doc["plan"] for o in s["options"]}
    assert "staged_resection" in planned
    assert "primary_tumor_resection" not in planned


def test_tare_not_tace_after_whipple() -> None:
    # 002 §3.5: "radioembolization may be better suited for patients with bilidigestive
    # anastomosis or a history of Whipple resection"; 003: transarterial therapies generally
    # contraindicated after pancreaticoduodenectomy.
    doc = assess_mapping(
        with_changes(
            BASE, {"anatomy.prior_whipple": True, "anatomy.biliary_enteric_anastomosis": True}
        ),
        with_evidence=False,
    )
    planned = {o for s in doc["plan"] for o in s["options"]}
    assert "tare" in planned
    assert not {"tace", "tae", "deb_tace"} & planned
    assert any("better suited than TACE/TAE" in c for c in doc["options"]["tare"]["cautions"])


def test_repeat_resection_for_liver_only_recurrence() -> None:
    # 001 Surgery for recurrent NELM: repeat resection feasible in about 45 %.
    doc = assess_mapping(
        with_changes(BASE, {"course.recurrence_after_liver_resection": True}), with_evidence=False
    )
    assert doc["plan"][0]["options"][0] == "liver_resection"
    assert any("repeat resection" in c for c in doc["options"]["liver_resection"]["cautions"])
    assert "repeat resection" in doc["plan"][0]["rationale"]


def test_transplant_not_proposed_when_resection_is_eligible() -> None:
    doc = assess_mapping(BASE, with_evidence=False)
    assert doc["options"]["liver_resection"]["status"] == "eligible"
    assert doc["options"]["liver_transplant_milan"]["status"] == "eligible"
    planned = {o for s in doc["plan"] for o in s["options"]}
    assert "liver_transplant_milan" not in planned


def test_simultaneous_resection_first_for_synchronous_primary() -> None:
    # 001: simultaneous resection for type I or limited bilobar synchronous NELM.
    # Simultaneous, isolated and staged resection are alternatives of one curative step;
    # with the primary in place the simultaneous operation is listed first.
    plan = plan_of(with_changes(BASE, {"primary.resected": False, "liver.synchronous": True}))
    assert plan[0]["intent"] == "curative"
    assert plan[0]["options"][0] == "simultaneous_resection"
    assert plan[0]["options_are"] == "alternatives"


def test_conditional_steps_say_what_would_decide_them() -> None:
    doc = assess_mapping(
        {"case_id": "sparse", "pathology": {"ki67_percent": 12}}, with_evidence=False
    )
    for step in doc["plan"]:
        assert step["conditional"]
        for option in step["options"]:
            assert step["pending"][option]


def _ssa_steps(changes: dict[str, Any]) -> list[tuple[str, str]]:
    doc = assess_mapping(with_changes(BASE, changes), with_evidence=False)
    return [(s["intent"], s["rationale"]) for s in doc["plan"] if "ssa" in s["options"]]


def test_an_ssa_after_progression_is_no_symptom_control_for_a_non_functional_tumour() -> None:
    # 003 Medical therapy: "If treatment with SSAs at standard dose fails, management options
    # include shortening of SSA administration intervals or augmentation of SSA dosage";
    # 002 §2.3: PRRT only after progression on SSAs. The symptom-control step is for hormonal
    # symptoms ("Alpha-interferon may be associated with somatostatin analogs for palliation
    # or hormonal symptoms", 003), which a non-functional tumour does not cause.
    progressed = {"course.status": "progressing", "course.progressed_on_ssa": True}
    non_functional = _ssa_steps(progressed)
    assert len(non_functional) == 1
    intent, rationale = non_functional[0]
    assert intent == "systemic_control"
    assert "shorter interval" in rationale and "Hormonal" not in rationale
    plan = plan_of(with_changes(BASE, progressed))
    assert "symptom_control" not in [s["intent"] for s in plan]
    assert step_index(plan, "prrt") < step_index(plan, "ssa")
    # A carcinoid syndrome: the SSA is there for the hormonal symptoms.
    carcinoid = _ssa_steps({**progressed, "primary.functional_syndrome": "carcinoid"})
    assert [intent for intent, _ in carcinoid] == ["symptom_control"]
    # Not progressing: first-line antiproliferative SSA (004 §3.3), no escalation step.
    assert [i for i, r in _ssa_steps({}) if "shorter interval" in r] == []


def test_chemotherapy_for_a_new_g3_net_is_not_explained_as_progression() -> None:
    # 002 §3: "For G3 NET, systematic chemotherapy is generally recommended"; 003 Medical
    # therapy: chemotherapy "for advanced and unresectable PNETs". A newly diagnosed G3 NET
    # gets CAPTEM without any progression, so the step's reason must say why.
    g3_new = {
        "pathology.ki67_percent": 30,
        "pathology.mitoses_per_2mm2": 5,
        "pathology.differentiation": "well",
        "course.status": "new_diagnosis",
    }
    doc = assess_mapping(with_changes(BASE, g3_new), with_evidence=False)
    assert doc["classification"]["grade"] == "G3"
    step = next(s for s in doc["plan"] if "capecitabine_temozolomide" in s["options"])
    assert "G3 NET" in step["rationale"] and "generally recommended" in step["rationale"]
    assert not step["rationale"].startswith("Progressive disease")


def test_liver_directed_therapy_comes_before_the_ssa_for_a_functional_tumour() -> None:
    # 002 §3: "guidelines such as the European Society of Medical Oncology (ESMO) recommend
    # the use of locoregional regional therapies early in the treatment algorithm for
    # functional tumors to prevent complications such as carcinoid crisis [51]. NANETS also
    # recommends the use of locoregional therapies or chemotherapy for symptomatic NELM over
    # SSAs". Carcinoid syndrome, diffuse liver-only disease: the embolisations come first,
    # and the step says why.
    plan = plan_of(
        with_changes(
            BASE,
            {
                "primary.functional_syndrome": "carcinoid",
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 25,
            },
        )
    )
    liver = step_index(plan, "tae")
    assert liver < step_index(plan, "ssa")
    assert "002 §3" in plan[liver]["sources"]
    assert FUNCTIONAL_EARLY in plan[liver]["rationale"]
    assert "functional_liver_directed_early" in [n["id"] for n in plan[liver]["notes"]]


FUNCTIONAL_EARLY = "ESMO recommends liver-directed treatment early"


@pytest.mark.parametrize("syndrome", ["none", None])
def test_the_functional_reason_for_early_liver_directed_therapy_needs_a_stated_syndrome(
    syndrome: str | None,
) -> None:
    # 002 §3 gives ESMO's early liver-directed therapy "for functional tumors" only. The
    # published non-functional pancreatic NETs (cr02 Revista Medica del Uruguay 37(4);
    # cr06 Tankova, AJMCR 3(7)) were told it as the step's reason all the same.
    plan = plan_of(
        with_changes(
            BASE,
            {
                "primary.functional_syndrome": syndrome,
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 25,
            },
        )
    )
    liver = plan[step_index(plan, "tae")]
    assert "ESMO" not in liver["rationale"] and "002 §3" not in liver["sources"]
    assert "functional_liver_directed_early" not in [n["id"] for n in liver.get("notes", ())]


AFTER_PRRT = "listed after PRRT when PRRT is possible"


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        # 002 §2.3: "NANETS and ENETS, recommend the use of PRRT only after the progression
        # of disease while on SSAs"; 004 §3.5: NETTER-1 "was a second-line treatment".
        ({"course.status": "progressing", "course.progressed_on_ssa": True}, True),
        ({"course.status": "progressing", "course.prior_treatments": ["ssa"]}, True),
        # A new diagnosis has progressed on nothing (published cr06, cr12, cr16 were told
        # it all the same): the step's reason is the drugs' own indication.
        ({"course.status": "new_diagnosis"}, False),
        ({"course.status": "stable", "course.progressed_on_ssa": False}, False),
    ],
)
def test_the_targeted_step_says_it_follows_prrt_only_after_progression_on_an_ssa(
    changes: dict[str, Any], said: bool
) -> None:
    case = with_changes(BASE, {"liver.distribution": "bilobar_diffuse", **changes})
    plan = plan_of(case)
    step = plan[step_index(plan, "capecitabine_temozolomide")]
    assert (AFTER_PRRT in step["rationale"]) is said, step["rationale"]
    assert ({"002 §2.3", "004 §3.5"} <= set(step["sources"])) is said
    assert sum(AFTER_PRRT in s["rationale"] for s in plan) == int(said)


# 002 §3.3: "Periprocedural carcinoid crisis is also a potentially lethal complication of
# interventions directed at NETs (e.g., locoregional therapies or surgery) ... guidelines such
# as ENET and NANETs generally recommend the use of perioperative octreotide
# prophylactically ... infusions of 50–100 µg/hour". The seeds place octreotide around the
# procedure, not an SSA course before it (002 §3: NANETS recommends liver-directed therapy or
# chemotherapy "for symptomatic NELM over SSAs"), so the order stays and the first procedure
# carries the note.
PROPHYLAXIS = "with octreotide given perioperatively against periprocedural carcinoid crisis"


def _notes(plan: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(s["step"], n["id"]) for s in plan for n in s.get("notes", ())]


def test_a_carcinoid_syndrome_puts_octreotide_prophylaxis_on_the_first_procedure() -> None:
    changes = {"primary.functional_syndrome": "carcinoid"}
    with_syndrome = plan_of(with_changes(BASE, changes))
    without = plan_of(with_changes(BASE, {"primary.functional_syndrome": "none"}))
    procedures = {"liver_resection", "staged_resection", "simultaneous_resection", "tace"}
    first = next(s for s in with_syndrome if set(s["options"]) & procedures)
    other = {"ssa_hormone_control", "functional_liver_directed_early"}
    prophylaxis = [(at, nid) for at, nid in _notes(with_syndrome) if nid not in other]
    assert prophylaxis == [(first["step"], "carcinoid_crisis_prophylaxis")]
    (note,) = first["notes"]
    assert PROPHYLAXIS in note["text"] and note["sources"] == ["002 §3.3"]
    assert PROPHYLAXIS in first["rationale"] and "002 §3.3" in first["sources"]
    # nothing reordered: the steps the non-functional tumour shares keep their order
    shared = [s["options"] for s in with_syndrome if s["intent"] != "symptom_control"]
    assert shared == [s["options"] for s in without if s["intent"] != "symptom_control"]
    assert _notes(without) == []


def test_no_prophylaxis_note_when_the_syndrome_is_not_stated() -> None:
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": None}))
    assert _notes(plan) == []  # each procedure's own caution asks instead


def test_the_note_names_every_procedure_with_the_carcinoid_crisis_caution() -> None:
    from nelm.knowledge import load_knowledge

    kb = load_knowledge()
    (note,) = [n for n in kb.plan_notes if n.id == "carcinoid_crisis_prophylaxis"]
    with_caution = {
        oid
        for oid, spec in kb.options.items()
        if any(c.id.endswith(".carcinoid_crisis") for c in spec.cautions)
    }
    assert set(note.before) == with_caution


HORMONE_CONTROL = "also the medical treatment of the hormonal syndrome"


@pytest.mark.parametrize("syndrome", ["carcinoid", "vipoma", "glucagonoma"])
def test_a_functional_tumour_says_why_its_ssa_step_fits(syndrome: str) -> None:
    # 003 Medical therapy: SSAs "are effective in controlling hormonal secretion and tumor
    # growth"; 004 §3.3: "SSA has anti-hormone secretion and tumor growth inhibiting
    # effects". A board gives the SSA to a patient with a syndrome for the syndrome
    # (published case cr20: octreotide escalated for carcinoid heart disease), which the
    # first-line step's growth-control rationale alone does not say.
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": syndrome}))
    first_ssa = next(s for s in plan if "ssa" in s["options"])
    assert "ssa_hormone_control" in [n["id"] for n in first_ssa.get("notes", ())], first_ssa
    assert HORMONE_CONTROL in first_ssa["rationale"]
    assert {"003 Medical therapy", "004 §3.3"} <= set(first_ssa["sources"])
    # said once, on the step where the SSA is first shown
    assert sum(HORMONE_CONTROL in s["rationale"] for s in plan) == 1


def test_a_gastrinoma_s_ssa_is_not_called_its_syndrome_s_treatment() -> None:
    # Jensen 2012 (ENETS, functional pancreatic syndromes): proton-pump inhibitors are the
    # drugs of choice for a gastrinoma's acid hypersecretion; the plan's PPI note says so,
    # and the SSA's own step must not call it the syndrome's medical treatment.
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": "gastrinoma"}))
    notes = [n["id"] for s in plan for n in s.get("notes", ())]
    assert "gastrinoma_acid_control" in notes
    assert not {"ssa_hormone_control", "ssa_hormone_control_not_slow_growing"} & set(notes)
    assert not any(HORMONE_CONTROL in s["rationale"] for s in plan)


@pytest.mark.parametrize("syndrome", ["none", None, "insulinoma"])
def test_no_hormone_note_on_a_tumour_not_stated_functional(syndrome: str | None) -> None:
    # an insulinoma too: octreotide can worsen its hypoglycaemia (Gama 1995), which leaves
    # the SSA out of its treatment (ssa.indication and its insulinoma caution)
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": syndrome}))
    assert not any(HORMONE_CONTROL in s["rationale"] for s in plan)


GLYCAEMIC = "the hypoglycaemia is controlled alongside every step"


def test_an_insulinoma_plan_says_how_the_hypoglycaemia_is_controlled_on_its_first_step() -> None:
    # Matej 2016 (glycaemic control in insulinoma): lifestyle, diazoxide, somatostatin
    # analogues, everolimus, cytoreduction and glucose monitoring; Gama 1995: octreotide
    # worsened fasting hypoglycaemia. Said once, on the first step, whatever it holds.
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": "insulinoma"}))
    assert _notes(plan)[0] == (1, "insulinoma_glycaemic_control")
    assert GLYCAEMIC in plan[0]["rationale"] and "diazoxide" in plan[0]["rationale"]
    assert {"Matej-2016", "Gama-1995"} <= set(plan[0]["sources"])
    assert sum(GLYCAEMIC in s["rationale"] for s in plan) == 1
    for syndrome in ("carcinoid", "none", None):
        other = plan_of(with_changes(BASE, {"primary.functional_syndrome": syndrome}))
        assert not any(GLYCAEMIC in s["rationale"] for s in other)


PROGRESSING = {"course.status": "progressing", "course.months_stable": None}


@pytest.mark.parametrize("refractory", [True, False, None])
def test_a_refractory_insulinoma_lists_everolimus_before_the_ssa_first_line(
    refractory: bool | None,
) -> None:
    # Matej 2016 (glycaemic control in insulinoma): everolimus controls the hypoglycaemia of
    # an unresectable insulinoma apart from tumour progression; Gama 1995: octreotide
    # worsened fasting hypoglycaemia. With the hypoglycaemia refractory to medical therapy
    # the SSA's first line (004 §3.3, slow growth, Ki-67 ≤ 10 %) moves behind the targeted
    # drugs; otherwise, or not stated, the slow-growing tumour keeps the SSA first. The
    # disease is progressing, so that everolimus is in the plan in every variant.
    changes = {
        **PROGRESSING,
        "primary.functional_syndrome": "insulinoma",
        "primary.syndrome_refractory": refractory,
    }
    plan = plan_of(with_changes(BASE, changes))
    everolimus, ssa = step_index(plan, "everolimus"), step_index(plan, "ssa")
    assert (everolimus < ssa) is (refractory is True)
    placed = _notes(plan)
    assert ((plan[everolimus]["step"], "insulinoma_refractory_everolimus") in placed) is (
        refractory is True
    )
    assert ((plan[everolimus]["step"], "after_ssa_first_line") in placed) is (
        refractory is not True
    )
    if refractory:
        assert {"Matej-2016", "Gama-1995"} <= set(plan[everolimus]["sources"])
        assert [s["intent"] for s in plan] == sorted(
            (s["intent"] for s in plan), key=[s["intent"] for s in plan].index
        )


def test_a_hypoglycaemia_refractory_on_everolimus_is_not_told_everolimus_controls_it() -> None:
    # Matej 2016's reason for listing everolimus first is that it controls the
    # hypoglycaemia; a hypoglycaemia still refractory after everolimus was given has not
    # been controlled by it, so the note's reason does not hold for this patient.
    changes = {
        **PROGRESSING,
        "primary.functional_syndrome": "insulinoma",
        "primary.syndrome_refractory": True,
        "course.prior_treatments": ["ssa", "everolimus"],
    }
    plan = plan_of(with_changes(BASE, changes))
    assert "insulinoma_refractory_everolimus" not in [nid for _, nid in _notes(plan)]


def test_a_refractory_carcinoid_syndrome_keeps_the_ssa_first_line() -> None:
    # The move is for an insulinoma only: for a carcinoid syndrome the SSA is the medical
    # treatment of the syndrome (003 Medical therapy; 004 §3.3).
    changes = {
        **PROGRESSING,
        "primary.functional_syndrome": "carcinoid",
        "primary.syndrome_refractory": True,
    }
    plan = plan_of(with_changes(BASE, changes))
    assert step_index(plan, "ssa") < step_index(plan, "everolimus")
    assert "insulinoma_refractory_everolimus" not in [nid for _, nid in _notes(plan)]


PHAEO = "test for one (plasma free or urinary fractionated metanephrines)"


@pytest.mark.parametrize(
    ("syndromes", "said"),
    [
        (["vhl"], True),
        (["nf1"], True),
        (["men1", "nf1"], True),
        (["men1"], False),
        ([], False),
        (None, False),
    ],
)
def test_vhl_or_nf1_puts_phaeochromocytoma_testing_on_the_first_procedure(
    syndromes: list[str] | None, said: bool
) -> None:
    # Lenders 2014 (Endocrine Society PPGL guideline): biochemical testing (plasma free or
    # urinary fractionated metanephrines) in a hereditary predisposition, von Hippel-Lindau
    # disease and neurofibromatosis type 1 among them, and preoperative blockade of a
    # functional tumour. Said once, on the first step holding a procedure; nothing moves.
    plan = plan_of(with_changes(BASE, {"patient.hereditary_syndromes": syndromes}))
    without = plan_of(with_changes(BASE, {"patient.hereditary_syndromes": []}))
    procedures = {"liver_resection", "staged_resection", "simultaneous_resection", "tace"}
    first = next(s for s in plan if set(s["options"]) & procedures)
    placed = [(at, nid) for at, nid in _notes(plan) if nid == "phaeochromocytoma_testing"]
    assert placed == ([(first["step"], "phaeochromocytoma_testing")] if said else [])
    assert (PHAEO in first["rationale"]) is said
    assert [s["options"] for s in plan] == [s["options"] for s in without]


def test_the_phaeochromocytoma_note_names_every_procedure_with_the_caution() -> None:
    from nelm.knowledge import load_knowledge

    kb = load_knowledge()
    (note,) = [n for n in kb.plan_notes if n.id == "phaeochromocytoma_testing"]
    (crisis,) = [n for n in kb.plan_notes if n.id == "carcinoid_crisis_prophylaxis"]
    with_caution = {
        oid
        for oid, spec in kb.options.items()
        if any(c.id.endswith(".phaeochromocytoma") for c in spec.cautions)
    }
    assert set(note.before) == with_caution == set(crisis.before)


def test_a_staged_hepatectomy_is_listed_after_a_one_stage_resection_still_open() -> None:
    # 003 Potentially curative surgery: "Bilobar metastases may be treated with two-step
    # resections" (staged eligible for type II disease); 001 Staged resections: staged
    # strategies are "for patients whose FLR was initially deemed insufficient". With the
    # remnant not known, the one-stage resection waits on it and comes first all the same.
    case = with_changes(
        BASE,
        {
            "liver.distribution": "bilobar_dominant",
            "liver.lesion_count": 2,
            "liver.future_liver_remnant_percent": None,
            "liver.surgical_assessment": None,
        },
    )
    step = next(s for s in plan_of(case) if "staged_resection" in s["options"])
    assert step["statuses"]["staged_resection"] == "eligible"
    assert step["statuses"]["liver_resection"] == "uncertain"
    assert step["options"][-1] == "staged_resection"


def test_a_gastrinoma_plan_puts_acid_control_on_its_first_step() -> None:
    # Jensen 2012 (ENETS, functional pancreatic endocrine tumour syndromes): the acid
    # hypersecretion of Zollinger-Ellison syndrome is controlled with proton-pump
    # inhibitors, the drugs of choice. A precaution, shown beside the step.
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": "gastrinoma"}))
    assert [nid for _, nid in _notes(plan)].count("gastrinoma_acid_control") == 1
    (note,) = [n for n in plan[0].get("notes", ()) if n["id"] == "gastrinoma_acid_control"]
    assert "proton-pump inhibitor" in note["text"] and note["precaution"] is True
    assert note["sources"] == ["Jensen-2012"]
    other = plan_of(with_changes(BASE, {"primary.functional_syndrome": "insulinoma"}))
    assert "gastrinoma_acid_control" not in [nid for _, nid in _notes(other)]


@pytest.mark.parametrize(
    ("complications", "said"),
    [
        (["bowel_obstruction"], True),
        (["intestinal_ischaemia", "mesenteric_fibrosis"], True),
        (["bleeding"], True),
        (["mesenteric_fibrosis"], False),
        (None, False),
    ],
)
def test_a_complicated_primary_is_operated_on_first(
    complications: list[str] | None, said: bool
) -> None:
    # Howe 2017 (NANETS, surgical management of small-bowel NETs): obstruction and
    # mesenteric ischaemia are reasons to remove the primary even with unresectable liver
    # metastases; an obstructing, bleeding, perforated or ischaemic bowel is treated first.
    # Fibrosis alone is no emergency. A precaution on the plan's first step.
    case = with_changes(
        BASE, {"primary.site": "small_intestine", "primary.complications": complications}
    )
    plan = plan_of(case)
    assert ("complicated_primary_first" in [nid for _, nid in _notes(plan)]) is said
    if said:
        (note,) = [n for n in plan[0].get("notes", ()) if n["id"] == "complicated_primary_first"]
        assert note["precaution"] is True and note["sources"] == ["Howe-2017"]
        assert "surgery of the primary" in note["text"]


@pytest.mark.parametrize(("syndrome", "said"), [("vipoma", True), ("glucagonoma", False)])
def test_a_vipoma_plan_puts_fluid_and_potassium_control_on_its_first_step(
    syndrome: str, said: bool
) -> None:
    # Jensen 2012 (ENETS, functional pancreatic endocrine tumour syndromes): a VIPoma's
    # watery diarrhoea is controlled with somatostatin analogues once the fluid and
    # potassium losses are corrected. A precaution beside the first step.
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": syndrome}))
    assert ("vipoma_fluid_control" in [nid for _, nid in _notes(plan)]) is said
    if said:
        (note,) = [n for n in plan[0].get("notes", ()) if n["id"] == "vipoma_fluid_control"]
        assert "potassium" in note["text"] and note["sources"] == ["Jensen-2012"]


@pytest.mark.parametrize(
    ("syndrome", "said"), [("glucagonoma", True), ("vipoma", False), ("none", False), (None, False)]
)
def test_a_glucagonoma_plan_treats_the_syndrome_and_weighs_thromboprophylaxis(
    syndrome: str | None, said: bool
) -> None:
    # Kaltsas 2017 (ENETS, pre- and perioperative therapy): "Patients with a glucagonoma
    # require somatostatin analog treatment and nutritional supplementation"; Wójcik-Giertuga
    # 2023: hormonally active NENs carry a significantly increased thrombotic risk, with no
    # recommendation on prophylaxis established. A precaution beside the first step.
    plan = plan_of(with_changes(BASE, {"primary.functional_syndrome": syndrome}))
    placed = [nid for _, nid in _notes(plan)]
    assert placed.count("glucagonoma_syndrome_control") == (1 if said else 0)
    if said:
        (note,) = [n for n in plan[0]["notes"] if n["id"] == "glucagonoma_syndrome_control"]
        assert note["precaution"] is True
        assert note["sources"] == ["Kaltsas-2017", "Wojcik-Giertuga-2023"]
        assert "nutritional supplementation" in note["text"]
        assert "thromboprophylaxis" in note["text"]


@pytest.mark.parametrize(("heart", "said"), [(True, True), (False, False), (None, False)])
def test_carcinoid_heart_disease_puts_the_heart_before_the_liver(
    heart: bool | None, said: bool
) -> None:
    # Davar 2017 (JACC expert statement): with severe carcinoid valve disease, valve
    # replacement before hepatic surgery, the syndrome controlled with an SSA meanwhile.
    # Said at the first step holding a procedure; unknown heart disease says nothing.
    case = with_changes(
        BASE,
        {"primary.functional_syndrome": "carcinoid", "patient.carcinoid_heart_disease": heart},
    )
    plan = plan_of(case)
    assert ("heart_before_liver" in [nid for _, nid in _notes(plan)]) is said
    if said:
        note = next(n for s in plan for n in s.get("notes", ()) if n["id"] == "heart_before_liver")
        assert "valve replacement" in note["text"] and note["sources"] == ["Davar-2017"]


@pytest.mark.parametrize(
    ("syndrome", "heart", "said"),
    [
        ("carcinoid", None, True),
        ("carcinoid", False, False),
        ("carcinoid", True, False),
        ("none", None, False),
        (None, None, False),
    ],
)
def test_a_carcinoid_syndrome_with_the_heart_not_recorded_asks_for_screening(
    syndrome: str | None, heart: bool | None, said: bool
) -> None:
    # Davar 2017 (JACC expert statement): patients with the carcinoid syndrome are screened
    # for carcinoid heart disease (NT-proBNP, echocardiography); once the heart is recorded,
    # either way, the screening is done and the note is not given (unknown syndrome: none).
    case = with_changes(
        BASE,
        {"primary.functional_syndrome": syndrome, "patient.carcinoid_heart_disease": heart},
    )
    plan = plan_of(case)
    assert ("screen_for_carcinoid_heart_disease" in [nid for _, nid in _notes(plan)]) is said
    if said:
        (note,) = [
            n
            for s in plan
            for n in s.get("notes", ())
            if n["id"] == "screen_for_carcinoid_heart_disease"
        ]
        assert "echocardiography" in note["text"] and note["sources"] == ["Davar-2017"]
        assert note["precaution"] is True


@pytest.mark.parametrize(("site", "said"), [("unknown_primary", True), ("small_intestine", False)])
def test_an_unknown_primary_puts_the_search_for_it_beside_the_first_step(
    site: str, said: bool
) -> None:
    # Hendifar 2019 (NET of unknown primary): 68Ga-SSTR PET/CT and a stepwise work-up find
    # the primary, whose unknown site delays surgery and limits the treatment options; 001
    # Table 2: the transplant criteria need the primary removed. A note, not a precaution.
    plan = plan_of(with_changes(BASE, {"primary.site": site, "primary.resected": None}))
    assert ("search_for_the_primary" in [nid for _, nid in _notes(plan)]) is said
    if said:
        (note,) = [n for n in plan[0].get("notes", ()) if n["id"] == "search_for_the_primary"]
        assert "SSTR PET/CT" in note["text"] and note["sources"] == ["Hendifar-2019"]
        assert not note.get("precaution")


@pytest.mark.parametrize(
    ("pathology", "note_id"),
    [
        (
            {"pathology.differentiation": "poor", "pathology.ki67_percent": 70},
            "search_for_the_primary_nec",
        ),
        ({"pathology.ki67_percent": 30}, "search_for_the_primary"),
    ],
)
def test_a_carcinoma_of_unknown_primary_is_searched_for_with_fdg_pet(
    pathology: dict[str, object], note_id: str
) -> None:
    # 002 §2.1: SSTR PET/CT "may be less sensitive in tumors with higher Ki-6[7]"; 001 PRRT
    # names 18F-FDG PET/CT for "G3 NEN and NECs". A NEC is offered neither the resection nor
    # the transplant the NET's note gives as the reason to search: its own note names the
    # FDG scan; a well-differentiated tumour keeps the SSTR one.
    case = with_changes(
        BASE, {"primary.site": "unknown_primary", "primary.resected": None, **pathology}
    )
    notes = [nid for _, nid in _notes(plan_of(case))]
    other = {"search_for_the_primary", "search_for_the_primary_nec"} - {note_id}
    assert note_id in notes and not other & set(notes)
    if note_id.endswith("_nec"):
        (note,) = [n for n in plan_of(case)[0].get("notes", ()) if n["id"] == note_id]
        assert "18F-FDG PET/CT" in note["text"]
        assert note["sources"] == ["002 §2.1", "001 PRRT", "Hendifar-2019"]


def test_the_primary_s_resection_in_a_systemic_step_is_headed_as_surgery() -> None:
    # assessment-v1-additions.md, Plan steps: `title` heads a step whose intent's title
    # would mislead; the primary's resection (000 §2.1) is surgery, not a drug.
    case = with_changes(
        BASE,
        {
            "patient.age_years": 70,
            "primary.resected": False,
            "liver.distribution": "bilobar_diffuse",
            "liver.surgical_assessment": "unresectable",
        },
    )
    plan = plan_of(case)
    (step,) = [s for s in plan if s["options"] == ["primary_tumor_resection"]]
    assert step["intent"] == "systemic_control"
    assert step["title"] == "Disease control (surgery of the primary)"
    assert all("title" not in s for s in plan if s is not step)


UPFRONT = "resection of the primary followed by PRRT has been proposed as an upfront strategy"


@pytest.mark.parametrize(("site", "said"), [("pancreas", True), ("small_intestine", False)])
def test_the_upfront_primary_then_prrt_strategy_is_said_for_a_pancreatic_net_only(
    site: str, said: bool
) -> None:
    # 001 PRRT: "resection of the primary tumor followed by PRRT has been safely proposed as
    # an upfront strategy for the treatment of G1-G2 PanNENs with diffuse unresectable NELM";
    # 000 §4's "patients who have had primary tumor resection" is the step's own reason.
    # unresectable diffuse disease progressing on an SSA, 70 years old (past the transplant
    # criteria's age): PRRT is the next line, the primary still in place
    case = with_changes(
        BASE,
        {
            "patient.age_years": 70,
            "primary.site": site,
            "primary.resected": False,
            "liver.distribution": "bilobar_diffuse",
            "liver.surgical_assessment": "unresectable",
            "course.status": "progressing",
            "course.progressed_on_ssa": True,
            "course.prior_treatments": ["ssa"],
        },
    )
    plan = plan_of(case)
    (step,) = [s for s in plan if "most beneficial" in s["rationale"]]
    assert step["options"] == ["primary_tumor_resection"]
    assert (UPFRONT in step["rationale"]) is said
    assert sum(UPFRONT in s["rationale"] for s in plan) == (1 if said else 0)


def test_transplant_stays_behind_a_resection_not_yet_decided() -> None:
    # 000 §2.2: transplantation "is reserved for select patients ... with ... unresectable
    # liver metastases"; 001 Liver transplantation: OLT for "highly selected patients with
    # unresectable NELM". Milan and ENETS met (001 Table 2) while the resection waits on the
    # distribution of bilobar disease: the board asks first whether it can be resected.
    case = {
        "schema_version": 1,
        "case_id": "transplant-after-resection-question",
        "patient": {
            "age_years": 45,
            "sex": "female",
            "ecog": 0,
            "fit_for_major_surgery": True,
            "carcinoid_heart_disease": False,
        },
        "primary": {
            "site": "pancreas",
            "resected": True,
            "resection_margin": "R0",
            "months_since_primary_resection": 44,
            "functional_syndrome": "none",
        },
        "pathology": {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"},
        "imaging": {"sstr_positive": True, "krenning_score": 3},
        "liver": {"lesion_count": 5, "bilobar": True, "tumor_burden_percent": 20},
        "extrahepatic": {"present": False},
        "course": {"status": "stable", "months_stable": 18},
    }
    doc = assess_mapping(case, with_evidence=False)
    assert doc["options"]["liver_transplant_milan"]["status"] == "eligible"
    assert doc["options"]["liver_resection"]["status"] == "uncertain"
    plan = doc["plan"]
    assert step_index(plan, "liver_resection") < step_index(plan, "liver_transplant_milan")
    # Once the surgeons judge it unresectable the transplant is the first curative step.
    case["liver"] = {**case["liver"], "surgical_assessment": "unresectable"}
    plan = plan_of(case)
    assert "liver_resection" not in [o for s in plan for o in s["options"]]
    assert plan[0]["options"][0].startswith("liver_transplant_")


@pytest.mark.parametrize(("ki67", "noted"), [(25, True), (15, False)])
def test_a_g3_net_is_told_that_chemotherapy_is_generally_recommended_first(
    ki67: float, noted: bool
) -> None:
    # 002 §3: "For G3 NET, systematic chemotherapy is generally recommended. However,
    # NANETS guidelines still support the use of liver-directed therapy for G3 NET"; 002 §4
    # gives vascular and ablative treatment "exclusively for G1-G2 NETs". The plan keeps its
    # order of intents (assessment-v1: liver-directed before systemic control), so the
    # liver-directed step says it. Ki-67 25 % is G3, 15 % G2 (000 §1: G3 > 20 %).
    plan = plan_of(
        with_changes(
            BASE,
            {
                "pathology.ki67_percent": ki67,
                "pathology.differentiation": "well",
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 25,
            },
        )
    )
    liver = plan[step_index(plan, "tae")]
    notes = {n["id"]: n for n in liver.get("notes", ())}
    assert ("liver_control_g3" in notes) is noted
    if noted:
        assert "systemic chemotherapy is generally recommended" in notes["liver_control_g3"]["text"]
        assert "002 §3" in notes["liver_control_g3"]["sources"]
        # the systemic lines stay after it: the order of intents is the contract's
        assert step_index(plan, "capecitabine_temozolomide") > step_index(plan, "tae")


def test_a_high_grade_not_yet_told_apart_from_a_nec_is_told_it_too() -> None:
    # Ki-67 23 % without the differentiation is a G3 NET or a NEC (000 §1: G3 > 20 %; a
    # NEC is poorly differentiated). 002 §4 gives vascular and ablative treatment for G1-G2
    # NETs and 002 §3 generally recommends chemotherapy for G3; a NEC is outside
    # liver-directed treatment altogether (003 Medical therapy: platinum-based chemotherapy).
    # So the liver-directed step carries the note whichever the tumour proves to be.
    plan = plan_of(
        with_changes(
            BASE,
            {
                "pathology.ki67_percent": 23,
                "pathology.mitoses_per_2mm2": None,
                "pathology.differentiation": None,
                "liver.distribution": "bilobar_diffuse",
                "liver.lesion_count": 25,
            },
        )
    )
    liver = plan[step_index(plan, "tae")]
    assert "liver_control_g3" in [n["id"] for n in liver.get("notes", ())]


def test_chemoembolisation_is_listed_before_radioembolisation() -> None:
    # 002 §3.4: radioembolisation "is typically reserved as a salvage treatment approach";
    # 002 §3.5: a meta-analysis of six cohort studies found "a higher overall survival in
    # TACE when compared to radioembolization". After a Whipple TACE and TAE are ruled out
    # (003 Hepatic arterial embolization), and radioembolisation leads.
    diffuse = {"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 25}
    plan = plan_of(with_changes(BASE, diffuse))
    options = plan[step_index(plan, "tae")]["options"]
    assert options.index("tace") < options.index("tare")
    assert options.index("tae") < options.index("tare")
    after_whipple = plan_of(with_changes(BASE, {**diffuse, "anatomy.prior_whipple": True}))
    step = after_whipple[step_index(after_whipple, "tare")]
    assert "tace" not in step["options"] and "tae" not in step["options"]


@pytest.mark.parametrize("syndrome", ["insulinoma", "gastrinoma"])
def test_no_symptom_control_step_for_a_hormone_the_ssa_does_not_control(syndrome: str) -> None:
    # 003 Medical therapy gives interferon "associated with somatostatin analogs for
    # palliation or hormonal symptoms"; the SSA does not control an insulinoma's
    # hypoglycaemia (octreotide can worsen it: Gama 1995) nor a gastrinoma's acid
    # (proton-pump inhibitors, "the drugs of choice": Jensen 2012). A refractory insulinoma
    # given an SSA read "Symptom control: somatostatin analogue, to which interferon alpha
    # may be added", both ruled out on its cards. Its SSA (Ki-67 ≤ 10 %, 004 §3.3) stays
    # the antiproliferative first line, behind the targeted drugs for a refractory
    # insulinoma (Matej 2016: everolimus controls the hypoglycaemia).
    case = with_changes(
        BASE,
        {
            "primary.functional_syndrome": syndrome,
            "primary.syndrome_refractory": True,
            "course.prior_treatments": ["ssa"],
            "course.status": "stable",
        },
    )
    plan = assess_mapping(case, with_evidence=False)["plan"]
    intents = [(s["intent"], s["options"]) for s in plan]
    assert not [o for intent, o in intents if intent == "symptom_control" and "ssa" in o]
    (ssa,) = [i for i, (_, options) in enumerate(intents) if "ssa" in options]
    if syndrome == "insulinoma":
        assert ssa > step_index(plan, "everolimus")


@pytest.mark.parametrize(
    ("extrahepatic", "sstr", "said"),
    [(True, True, True), (True, None, True), (True, False, False), (False, True, False)],
)
def test_radioembolisation_beside_extrahepatic_disease_names_the_combination_with_prrt(
    extrahepatic: bool, sstr: bool | None, said: bool
) -> None:
    # 001 PRRT: "combining PRRT and RE has been suggested in NEN patients with bulky NELM or
    # those with a predominant liver tumor burden and extrahepatic disease"; 002 §5: "no
    # additive liver toxicity" in 23 patients. Not while SSTR imaging rules PRRT out.
    case = with_changes(
        BASE,
        {
            "extrahepatic.present": extrahepatic,
            "extrahepatic.sites": ["bone"] if extrahepatic else None,
            "extrahepatic.stable": True if extrahepatic else None,
            "imaging.sstr_positive": sstr,
            "imaging.krenning_score": None,
            "imaging.sstr_uptake_vs_liver": None,
        },
    )
    plan = plan_of(case)
    notes = [(i, nid) for i, nid in _notes(plan) if nid == "prrt_with_radioembolisation"]
    assert bool(notes) is said
    if said:
        ((at, _),) = notes
        assert "tare" in plan[at - 1]["options"]  # steps are numbered from 1


@pytest.mark.parametrize(
    ("extrahepatic", "noted"),
    [
        ({"extrahepatic.present": True, "extrahepatic.sites": ["peritoneum"]}, True),
        ({"extrahepatic.present": False}, False),
    ],
)
def test_disease_outside_the_liver_is_said_on_the_liver_directed_step(
    extrahepatic: dict[str, object], noted: bool
) -> None:
    # 001 Introduction: "in cases of extrahepatic metastatic spread, systemic treatment is
    # then clinically indicated"; 002 §4: liver-directed treatment when "the extrahepatic
    # disease remains stable"; 003 Hepatic arterial embolization: "may also be proposed in
    # patients with extrahepatic metastases to control liver disease and symptoms". The
    # order of intents is the contract's, so the liver-directed step says it.
    plan = plan_of(
        with_changes(
            BASE,
            extrahepatic | {"liver.distribution": "bilobar_diffuse", "liver.lesion_count": 25},
        )
    )
    liver = plan[step_index(plan, "tae")]
    notes = {n["id"]: n for n in liver.get("notes", ())}
    assert ("liver_control_extrahepatic" in notes) is noted
    if noted:
        note = notes["liver_control_extrahepatic"]
        assert "systemic treatment" in note["text"]
        assert {"001 Introduction", "002 §4"} <= set(note["sources"])
