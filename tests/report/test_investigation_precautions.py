"""A precaution of an investigation is said where the investigation is asked for: the
liver biopsy of the pathology review, for a patient with carcinoid syndrome, carries the
octreotide cover and resuscitation that a biopsy of a carcinoid liver metastasis may need.

Sources: 002 §3.3, "Periprocedural carcinoid crisis is also a potentially lethal
complication of interventions directed at NETs", where "instrumentation may lead to the
release of large quantities of vasoactive compounds"; Bissonnette 1990 (Radiology
174:751), a fatal crisis right after a fine-needle biopsy of a carcinoid liver metastasis
in a patient with carcinoid syndrome ("an intravenous access line should be established
before biopsy", "Medication with a somatostatin analogue before biopsy is performed is
suggested", "Catecholamine administration should be avoided"); Jang 2021 (J Vasc Interv
Radiol 32:745), no crisis in 106 image-guided core biopsies of NETs."""

from __future__ import annotations

import html
from typing import Any

import pytest

from nelm.report.html import render_html
from nelm.report.summary import render_summary_html
from nelm.report.text import render_text
from nelm.service import assess_mapping

PRECAUTION = "Carcinoid syndrome: a biopsy of a liver metastasis is an intervention"


def _case(**primary: Any) -> dict[str, Any]:
    # the grade not given: the pathology review (on a liver biopsy) is on the to-do list
    return {
        "case_id": "biopsy-1",
        "patient": {"sex": "male"},
        "primary": {"site": "small_intestine", **primary},
        "liver": {"lesion_count_at_least": 1},
    }


def _pathology_review(doc: dict[str, Any]) -> dict[str, Any]:
    (item,) = [i for i in doc["investigations"] if i["id"] == "pathology_review"]
    return item


@pytest.mark.parametrize(
    ("primary", "said"),
    [
        ({"functional_syndrome": "carcinoid"}, True),
        # a serotonin-secreting tumour releases the same compounds, its syndrome stated or not
        ({"hormone": "serotonin"}, True),
        ({"functional_syndrome": "none"}, False),
        ({"functional_syndrome": "gastrinoma", "hormone": "gastrin"}, False),
        ({}, False),
    ],
)
def test_the_biopsy_carries_the_crisis_precaution(primary: dict[str, str], said: bool) -> None:
    item = _pathology_review(assess_mapping(_case(**primary), with_evidence=False))
    texts = [p["text"] for p in item.get("precautions", ())]
    assert any(t.startswith(PRECAUTION) for t in texts) is said
    if said:
        (precaution,) = item["precautions"]
        assert precaution["sources"] == ["Bissonnette-1990", "Jang-2021", "002 §3.3"]
        assert "no catecholamines" in precaution["text"]


def test_every_report_says_it_beside_the_biopsy() -> None:
    doc = assess_mapping(_case(functional_syndrome="carcinoid"), with_evidence=False)
    text = " ".join(render_text(doc, width=100).split())
    assert f"⚠ {PRECAUTION}" in text
    assert text.index("Pathology review") < text.index(PRECAUTION)
    page = html.unescape(render_html(doc))
    assert f"Precaution:</strong> {PRECAUTION}" in page
    summary = html.unescape(render_summary_html(doc))
    assert f"Precaution:</strong> {PRECAUTION}" in summary


def test_a_case_that_gives_the_grade_has_no_biopsy_to_precede() -> None:
    case = _case(functional_syndrome="carcinoid")
    case["pathology"] = {"ki67_percent": 2, "mitoses_per_2mm2": 1, "differentiation": "well"}
    doc = assess_mapping(case, with_evidence=False)
    assert "pathology_review" not in [i["id"] for i in doc["investigations"]]
    assert PRECAUTION not in render_text(doc, width=100)
