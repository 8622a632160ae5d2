"""TNM observations as mCODE codes them (TNM Primary Tumor and Regional Nodes Category).

Codes: LOINC 21905-5 Primary tumor.clinical, 21899-0 Primary tumor.pathology, 21906-3
Regional lymph nodes.clinical, 21900-6 Regional lymph nodes.pathology [Class] Cancer (mCODE
STU1–2); SNOMED CT 399504009 cT category, 384625004 pT category, 399534004 cN category,
371494008 pN category (mCODE STU3–4). Values: SNOMED CT "American Joint Committee on Cancer
cT1 … pN1 (qualifier value)" (mCODE's value sets; the HL7 ICHOM breast cancer IG lists
them: cT3 1228938002, pT2 1229852009, cN0 1229967007, pN1 1229951001, cNX 1229966003).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def _mapped(system: str, code: str, answer: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    obs = observation_resource(
        "o1",
        system,
        code,
        effective="2025-01-10",
        valueCodeableConcept={"coding": [{"system": SNOMED, "code": answer}]},
    )
    mapping = bundle_to_case(
        bundle_of(patient_resource("p"), neuroendocrine_marker(), obs),
        assessment_date=dt.date(2025, 1, 15),
    )
    return mapping.document.get("primary", {}), tuple(mapping.notes)


@pytest.mark.parametrize(
    ("system", "code", "answer", "field", "value"),
    [
        (LOINC, "21905-5", "1228938002", "t_category", "T3"),  # clinical T, cT3
        (SNOMED, "384625004", "1229852009", "t_category", "T2"),  # pT category, pT2
        (LOINC, "21906-3", "1229967007", "node_positive", False),  # clinical N, cN0
        (SNOMED, "371494008", "1229951001", "node_positive", True),  # pN category, pN1
    ],
)
def test_tnm_categories_fill_the_case(
    system: str, code: str, answer: str, field: str, value: object
) -> None:
    primary, _ = _mapped(system, code, answer)
    assert primary == {field: value}


@pytest.mark.parametrize(
    ("code", "answer", "field", "value"),
    [
        # AJCC's own code system, as mCODE STU1's TNM value sets code the categories (the
        # MITRE mCODE extraction's example: cT3, cN3); the prefix says clinical or
        # pathological, the category is the same.
        ("21905-5", "cT3", "t_category", "T3"),
        ("21899-0", "pT1a", "t_category", "T1"),
        ("21906-3", "cN3", "node_positive", True),
        ("21900-6", "pN0", "node_positive", False),
    ],
)
def test_ajcc_categories_fill_the_case(code: str, answer: str, field: str, value: object) -> None:
    obs = observation_resource(
        "o1",
        LOINC,
        code,
        effective="2025-01-10",
        valueCodeableConcept={"coding": [{"system": "http://cancerstaging.org", "code": answer}]},
    )
    mapping = bundle_to_case(
        bundle_of(patient_resource("p"), neuroendocrine_marker(), obs),
        assessment_date=dt.date(2025, 1, 15),
    )
    assert mapping.document["primary"] == {field: value}


def test_nx_leaves_the_nodes_unknown_with_a_note() -> None:
    primary, notes = _mapped(LOINC, "21900-6", "1229966003")  # pathological N, cNX
    assert "node_positive" not in primary
    assert any("primary.node_positive not set" in n for n in notes)


def test_an_n_answer_on_a_t_observation_is_not_used() -> None:
    primary, notes = _mapped(LOINC, "21905-5", "1229951001")  # pN1 given as a T category
    assert primary == {}
    assert any("primary.t_category not set" in n for n in notes)
