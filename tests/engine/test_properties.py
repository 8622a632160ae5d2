"""Invariants of the engine over generated cases (fixed seed, no network)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.case import case_from_mapping
from nelm.engine.evaluate import status_of
from nelm.engine.logic import Truth
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
    ("patient.carcinoid_heart_disease", True, frozenset()),
    ("patient.fit_for_major_surgery", False, frozenset(ADVANCED)),
    # Extrahepatic disease makes the liver unresectable: the setting of primary-tumour
    # resection and of chemotherapy for advanced disease (000 §2.1; 003 Medical therapy).
    ("extrahepatic.present", True, frozenset({*ADVANCED, "primary_tumor_resection"})),
    # Poor differentiation is NEC, the indication of platinum-etoposide (003 Medical therapy).
    ("pathology.differentiation", "poor", frozenset({"platinum_etoposide"})),
]
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def _statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {oid: o["status"] for oid, o in assess_mapping(doc, with_evidence=False)["options"]
            .items()}


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


@SETTINGS
@given(case_documents(present=0.9), st.data())
def test_unknown_never_becomes_met(doc: dict[str, Any], data: st.DataObject) -> None:
    """Forgetting fields can only turn a result into unknown, never into its opposite."""
    before = _criteria(doc)
    fewer = copy.deepcopy(doc)
    for body in fewer.values():
        if isinstance(body, dict):
            for name in list(body):
                if data.draw(st.booleans()):
                    del body[name]
    after = _criteria(fewer)
    for cid, result in after.items():
        assert result == before[cid] or result == "unknown", cid


@SETTINGS
@given(case_documents(), st.sampled_from(CONTRAINDICATIONS))
def test_a_contraindication_never_makes_an_option_more_eligible(
        doc: dict[str, Any], finding: tuple[str, Any, frozenset[str]]) -> None:
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
        waits = bool(option["missing"]) or bool(option["judgements"])
        assert waits == (option["status"] == "uncertain"), oid
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
