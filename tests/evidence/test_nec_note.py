"""For a NEC, an option's evidence summary says what its figures are series of.

The summaries pool mostly well-differentiated NET; 000 §1 gives a NEC a median OS of
11.3 months against 35.9 for a G3 pancreatic NET, so figures such as the primary's
resection's pooled 5-year OS are not a NEC's. The NEC arms the seeds record are named.
"""

from __future__ import annotations

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

NEC = {"pathology.differentiation": "poor", "pathology.ki67_percent": 60}


def test_the_primary_resection_of_a_nec_names_its_one_nec_arm() -> None:
    # 000 Table 1, Feng 2019: primary resected, 50 patients, median OS 12 months; the
    # reference title is "metastatic pancreatic neuroendocrine carcinoma".
    doc = assess_mapping(eligible_case("primary_tumor_resection", NEC))
    evidence = doc["options"]["primary_tumor_resection"]["evidence"]
    assert evidence["grade_note"].startswith("This case is a NEC")
    assert (
        "Feng 2019 · PT resected (NEC, 50 patients, median OS 12 months; 000 Table 1)"
        in (evidence["grade_note"])
    )
    assert evidence["text"].startswith(evidence["grade_note"])


def test_an_option_without_a_nec_arm_says_none_is_of_nec() -> None:
    doc = assess_mapping(eligible_case("tace", NEC))
    evidence = doc["options"]["tace"]["evidence"]
    assert "none of these study arms is a series of NEC" in evidence["grade_note"]


def test_a_well_differentiated_case_has_no_note() -> None:
    doc = assess_mapping(eligible_case("primary_tumor_resection"))
    evidence = doc["options"]["primary_tumor_resection"]["evidence"]
    assert "grade_note" not in evidence
    assert not evidence["text"].startswith("This case is a NEC")


def test_a_grade_not_settled_has_no_note() -> None:
    # G3 NET or NEC (Ki-67 60 %, differentiation not given): not said of either
    doc = assess_mapping(eligible_case("primary_tumor_resection", {"pathology.ki67_percent": 60}))
    assert "grade_note" not in doc["options"]["primary_tumor_resection"]["evidence"]
