"""Invariants of the engine over generated cases (fixed seed, no network)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.case import case_from_mapping
from nelm.engine.conditions import Interval, Leaf, evaluate
from nelm.engine.derive import SINCE_RESECTION, counted_lines, implied_facts
from nelm.engine.evaluate import status_of
from nelm.engine.kidney import creatinine_estimate
from nelm.engine.logic import Truth
from nelm.engine.sstr import set_aside
from nelm.knowledge import load_knowledge
from nelm.service import assess_mapping
from tests.strategies import case_documents

RANK = {"ineligible": 0, "uncertain": 1, "eligible": 2}
# Findings the seeds name as contraindications, with the options for which the same finding
# is instead part of the indication (so it may make them more eligible).
ADVANCED = {"capecitabine_temozolomide", "streptozocin_5fu"}  # 003: "advanced and unresectable"
CONTRAINDICATIONS: list[tuple[str, Any, frozenset[str]]] = [
    ("anatomy.portal_vein_thrombosis", True, frozenset()),
    ("anatomy.prior_whipple", True, frozenset()),
    ("anatomy.biliary_enteric_anastomosis", True, frozenset()),
    ("anatomy.hepatic_encephalopathy", True, frozenset()),
    ("anatomy.biliary_obstruction", True, frozenset()),
    ("anatomy.gi_shunting_uncorrectable", True, frozenset()),
    # Carcinoid heart disease is a complication of the carcinoid syndrome (Davar 2017), read
    # as one when no syndrome is given: the syndrome's SSA and interferon (003 Medical therapy).
    ("patient.carcinoid_heart_disease", True, frozenset({"ssa", "interferon_alpha"})),
    ("patient.fit_for_major_surgery", False, frozenset(ADVANCED)),
    # Extrahepatic disease makes the liver unresectable: the setting of primary-tumour
    # resection and of chemotherapy for advanced disease (000 §2.1; 003 Medical therapy).
    ("extrahepatic.present", True, frozenset({*ADVANCED, "primary_tumor_resection"})),
    # Poor differentiation is NEC, the indication of platinum-etoposide (003 Medical therapy).
    ("pathology.differentiation", "poor", frozenset({"platinum_etoposide"})),
]
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def _statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {
        oid: o["status"] for oid, o in assess_mapping(doc, with_evidence=False)["options"].items()
    }


def _criteria(doc: dict[str, Any]) -> dict[str, str]:
    out = {}
    for option in assess_mapping(doc, with_evidence=False)["options"].values():
        for c in option["criteria"]:
            out[c["id"]] = c["result"]
    return out


@SETTINGS
@given(case_documents())
def test_deterministic(doc: dict[str, Any]) -> None:
    first = json.dumps(assess_mapping(doc, with_evidence=False), sort_keys=True)
    second = json.dumps(assess_mapping(copy.deepcopy(doc), with_evidence=False), sort_keys=True)
    assert first == second


def _criteria_and_conflicts(doc: dict[str, Any]) -> tuple[dict[str, str], set[str], bool]:
    """Each criterion's result, the criteria whose sources disagree, and whether the
    classification reports a conflict (the grade stated against the indices)."""
    result = assess_mapping(doc, with_evidence=False)
    out, conflicting = {}, set()
    for option in result["options"].values():
        for c in option["criteria"]:
            out[c["id"]] = c["result"]
            if "override" in c:
                conflicting.add(c["id"])
    return out, conflicting, bool(result["classification"]["conflicts"])


# A yes/no field and the fields that imply it when it is not stated (implied_facts).
IMPLIED_BY = {
    "primary.resected": (
        "primary.resection_margin",
        *SINCE_RESECTION,  # the time since resection, exact or by any of its bounds
        "course.prior_treatments",
        "primary.site",  # an unknown primary has not been removed (implied_facts)
        "primary.surgical_assessment",  # one the surgeons judge unremovable is in place
    ),
    "extrahepatic.present": ("extrahepatic.sites",),
    "imaging.sstr_positive": ("imaging.krenning_score", "imaging.sstr_uptake_vs_liver"),
    # carcinoid heart disease, a complication of the carcinoid syndrome (Davar 2017)
    "primary.functional_syndrome": ("patient.carcinoid_heart_disease",),
}


def _drop_contrary_implications(doc: dict[str, Any]) -> None:
    """Where the case states a yes/no field against what its other fields imply, or two
    implying fields disagree (a Krenning score of 0 beside uptake like the liver), the case
    contradicts itself and forgetting one side lets the other decide: drop the implying
    fields."""
    values = case_from_mapping(doc).values
    for path, implying in IMPLIED_BY.items():
        readings = {values[path]} if values.get(path) is not None else set()
        for field in implying:
            if values.get(field) is not None:
                alone = implied_facts({field: values[field]})
                readings |= {v for p, v, _ in alone if p == path}
        if len(readings) > 1:
            for field in implying:
                section, name = field.split(".", 1)
                doc.get(section, {}).pop(name, None)
    # A new diagnosis beside a history (progression on an SSA, prior lines, an SSA or a
    # counted line listed) contradicts itself: the new diagnosis alone would imply no
    # progression and no prior line, which forgetting the history would let it do.
    counted = dict(load_knowledge().derivations.prior_lines_counted)
    status = values.get("course.status")
    if status is not None:
        read = {(p, v) for p, v, _ in implied_facts(values, counted)}
        for path, value, _ in implied_facts({"course.status": status}):
            stated = values.get(path)
            if (stated is None and (path, value) not in read) or (
                stated is not None and stated != value
            ):
                doc.get("course", {}).pop("status", None)
    # Fewer prior lines than the treatments listed (derivations.yaml prior_lines): forgetting
    # the count lets the treatments bound it from below.
    lines = values.get("course.prior_systemic_lines")
    if isinstance(lines, int | float) and lines < len(counted_lines(values, counted)):
        doc.get("course", {}).pop("prior_treatments", None)
    # CKD-EPI 2021 is an adult equation (nelm.engine.kidney): a child's age withholds the eGFR
    # a creatinine gives, which forgetting the age would let it give, against an eGFR given
    # exactly too (a child's eGFR of 40 beside a creatinine of 0.6 mg/dL, which gives 80 or
    # more at any adult age: forgetting the age and the eGFR let the creatinine meet PRRT's
    # eGFR ≥ 50; with an adult's age the two disagree openly, an override).
    ageless = {k: v for k, v in values.items() if not k.startswith("patient.age_years")}
    if creatinine_estimate(values) is None and creatinine_estimate(ageless) is not None:
        for name in [n for n in doc.get("patient", {}) if n.startswith("age_years")]:
            doc["patient"].pop(name)


@SETTINGS
@given(case_documents(present=0.9), st.data())
def test_unknown_never_becomes_met(doc: dict[str, Any], data: st.DataObject) -> None:
    """Forgetting fields can only turn a result into unknown, never into its opposite.

    Forgetting an exact value that has bounds leaves the interval around it, which decides
    no more than the value did. Where one statement of the case overrides another (the
    surgeons' judgement over the anatomy: an ``override`` on the criterion) or contradicts it
    (a reported grade, or "poorly differentiated", against the indices: a conflict in the
    classification), forgetting the overriding side lets the other decide: such criteria
    are left out here, and a grade conflict is removed by dropping the reported grade, then
    the differentiation, then an NEC subtype (read as poorly differentiated). Likewise a
    yes/no field stated against what other fields imply (``resected: false`` beside a
    resection margin), two fields implying opposite values,
    a count of prior lines below the treatments listed, a new diagnosis beside a
    treatment history, or SSTR statements set aside against each other are contradictions:
    the implying
    fields are dropped first, since forgetting one side lets the other decide. A child's age
    withholds the eGFR a creatinine gives (CKD-EPI 2021 is for adults): it is dropped too."""
    _drop_contrary_implications(doc)
    # SSTR statements that contradict each other are set aside (nelm.engine.sstr): forgetting
    # one side lets the other decide, so the score and the uptake are dropped first.
    if set_aside(case_from_mapping(doc).values):
        for name in ("krenning_score", "sstr_uptake_vs_liver"):
            doc.get("imaging", {}).pop(name, None)
    before, conflicting, grade_conflict = _criteria_and_conflicts(doc)
    # An NEC subtype reads as poorly differentiated (000 §1: NEC "are categorized as small
    # cell or large cell NEC"), so it is dropped with the differentiation.
    for statement in ("reported_grade", "differentiation", "nec_subtype"):
        if grade_conflict:
            doc.get("pathology", {}).pop(statement, None)
            before, conflicting, grade_conflict = _criteria_and_conflicts(doc)
    fewer = copy.deepcopy(doc)
    for body in fewer.values():
        if isinstance(body, dict):
            for name in list(body):
                if data.draw(st.booleans()):
                    del body[name]
    after = _criteria(fewer)
    for cid, result in after.items():
        if cid not in conflicting:
            # the documents in full: the generated examples depend on the constants of the
            # modules a worker has imported (Hypothesis's local constants), so a failure
            # seen in one run may not recur in another
            assert result == before[cid] or result == "unknown", (cid, doc, fewer)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(
    st.one_of(st.none(), st.integers(-5, 105)),
    st.one_of(st.none(), st.integers(-5, 105)),
    st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne", "in", "not_in"]),
    st.integers(0, 100),
    st.integers(0, 100),
)
def test_an_interval_decides_only_what_every_value_in_it_decides(
    lo: int | None, hi: int | None, op: str, threshold: int, other: int
) -> None:
    """Met (not met) for [lo, hi] only if met (not met) at every point of it, and unknown
    only if two points of it disagree: a straddling interval stays unknown."""
    if lo is None and hi is None:
        return
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    operand: Any = (threshold, other) if op in ("in", "not_in") else threshold
    leaf = Leaf("liver.tumor_burden_percent", op, operand)  # type: ignore[arg-type]
    low = lo if lo is not None else -1000
    high = hi if hi is not None else 1000
    # Every integer point of the interval where a result can change, and its ends.
    points = {low, high} | {
        p + d for p in (threshold, other) for d in (-1, 0, 1) if low <= p + d <= high
    }
    at_points = {evaluate(leaf, {leaf.field: p}) for p in points}
    got = evaluate(leaf, {leaf.field: Interval(lo, hi)})
    if got is Truth.UNKNOWN:
        assert at_points == {Truth.MET, Truth.NOT_MET}
    else:
        assert at_points == {got}


@SETTINGS
@given(case_documents(), st.sampled_from(CONTRAINDICATIONS))
def test_a_contraindication_never_makes_an_option_more_eligible(
    doc: dict[str, Any], finding: tuple[str, Any, frozenset[str]]
) -> None:
    path, value, indicated = finding
    section, name = path.split(".")
    worse = copy.deepcopy(doc)
    worse.setdefault(section, {})[name] = value
    pathology = worse.get("pathology", {})
    if value == "poor":
        pathology.pop("nec_subtype", None)
    if path == "extrahepatic.present":
        worse["extrahepatic"].pop("sites", None)
    before, after = _statuses(doc), _statuses(worse)
    for oid in before:
        if oid not in indicated:
            assert RANK[after[oid]] <= RANK[before[oid]], (oid, path)


@SETTINGS
@given(case_documents())
def test_document_is_consistent(doc: dict[str, Any]) -> None:
    result = assess_mapping(doc, with_evidence=False)
    assert list(result["options"]) == list(load_knowledge().options)
    for oid, option in result["options"].items():
        truths = [Truth(c["result"]) for c in option["criteria"]]
        assert option["status"] == status_of(truths)
        # An uncertain option waits on missing data or on the board's judgement of a
        # relative contraindication (001 Ablative techniques: "usually contraindicated").
        # (An ineligible option may list a relative contraindication beside the absolute
        # one that decides it.)
        if option["status"] == "uncertain":
            assert option["missing"] or option["judgements"], oid
        else:
            assert not option["missing"], oid
        for c in option["criteria"]:
            assert c["sources"]
    for step in result["plan"]:
        for oid in step["options"]:
            assert result["options"][oid]["status"] != "ineligible"
    for item in result["missing_data"]:
        for oid in item["decides"]:
            assert result["options"][oid]["status"] == "uncertain"
    json.dumps(result)


@SETTINGS
@given(case_documents())
def test_generated_documents_are_valid(doc: dict[str, Any]) -> None:
    case_from_mapping(doc)
