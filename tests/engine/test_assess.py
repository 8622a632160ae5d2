"""nelm.engine.assess: the assessment document, and unknown that stays unknown."""

from __future__ import annotations

from nelm.case.fields import OPTION_IDS
from nelm.service import assess_mapping
from nelm.vocabulary import vocabulary
from tests.engine.cases import BASE


def test_an_empty_case_makes_no_option_eligible() -> None:
    # shared/contract/case-v1.md: absent fields are unknown, never false or zero; so with
    # nothing known no option can be eligible and every open one says what is missing.
    doc = assess_mapping({"case_id": "empty"}, with_evidence=False)
    assert tuple(doc["options"]) == OPTION_IDS
    statuses = {o["status"] for o in doc["options"].values()}
    assert "eligible" not in statuses
    for option in doc["options"].values():
        if option["status"] == "uncertain":
            assert option["missing"]
    assert doc["missing_data"]


def test_every_option_carries_its_name_intent_and_a_known_status() -> None:
    doc = assess_mapping(BASE, with_evidence=False)
    words = vocabulary()
    for oid, option in doc["options"].items():
        assert option["name"] == words.option[oid].name
        assert option["intent"] in words.intent_ids
        assert option["status"] in words.status
        for criterion in option["criteria"]:
            assert criterion["result"] in words.result
            assert criterion["sources"]


def test_a_child_is_assessed_without_confirmation_and_with_the_sources_age_named() -> None:
    # Children do have metastatic NET (Allan B et al., Eur J Pediatr Surg 2013;23:394-399:
    # SEER, birth to 19 years, 13.5 % with distant metastases), so 12 years is no slip to be
    # confirmed; the seed reviews' series are adults, which the board is told.
    doc = assess_mapping(
        {**BASE, "case_id": "child", "patient": {**BASE["patient"], "age_years": 12}},
        require_confirmation=True,
    )
    assert not any("patient.age_years" in w["fields"] for w in doc["input_warnings"])
    assert (
        "A patient of 12 years: the criteria, thresholds and evidence shown here come from "
        "series of adults (the five source reviews), none from children."
    ) in doc["warnings"]
    adult = assess_mapping({**BASE, "case_id": "adult"})
    assert not any("A patient of" in w for w in adult["warnings"])


def test_a_carcinoid_grade_for_a_digestive_primary_is_said() -> None:
    # Rindi 2022 (WHO 2022 overview): typical and atypical carcinoid are the low- and
    # intermediate-grade NETs of the lung and thymus; a digestive NET is graded by Ki-67 and
    # mitoses (000 §1). Reported for a pancreatic primary it is read as G1, and said.
    from nelm.service import assess_mapping

    def warnings(site: str) -> list[str]:
        doc = assess_mapping(
            {
                "schema_version": 1,
                "case_id": "tc",
                "primary": {"site": site},
                "pathology": {"reported_grade": "typical_carcinoid"},
            },
            with_evidence=False,
        )
        assert doc["classification"]["grade"] == "G1"
        return [w for w in doc["warnings"] if "WHO grading of lung and thymic NETs" in w]

    assert len(warnings("pancreas")) == 1
    assert "primary in the pancreas: read as G1" in warnings("pancreas")[0]
    assert warnings("lung") == [] and warnings("thymus") == []
