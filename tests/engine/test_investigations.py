"""The to-do list: missing fields grouped into investigations, ranked by what they decide.

Expected values come from the criteria's sources: liver resection needs an FLR ≥ 30 % (001
Isolated surgical resection), so volumetry decides it both ways and, resection being the
plan's first curative step (001), can change the first step.
"""

from __future__ import annotations

from typing import Any

from nelm.knowledge import load_knowledge
from nelm.service import assess_mapping
from tests.engine.cases import eligible_case


def _todo(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in doc["investigations"]}


def test_every_case_field_has_one_investigation() -> None:
    from nelm.case.fields import FIELD_BY_PATH

    owners: dict[str, list[str]] = {}
    for inv in load_knowledge().investigations:
        assert inv.sources, inv.id
        for f in inv.fields:
            owners.setdefault(f, []).append(inv.id)
    assert set(owners) == set(FIELD_BY_PATH)
    assert all(len(v) == 1 for v in owners.values())


def test_volumetry_decides_resection_both_ways_and_the_first_step() -> None:
    doc = assess_mapping(
        eligible_case("liver_resection", {"liver.future_liver_remnant_percent": None}),
        with_evidence=False,
    )
    todo = _todo(doc)
    # The surgeons' own judgement of resectability (surgical review) is read before the FLR
    # (case-v1 liver.surgical_assessment), so it decides too.
    assert set(todo) == {"volumetry", "surgical_review"}
    item = todo["volumetry"]
    assert item["fields"] == ["liver.future_liver_remnant_percent"]
    assert item["could_become"]["liver_resection"] == ["eligible", "ineligible"]
    assert item["first_step_could_change"] is True
    assert item["sources"] == ["001 Isolated surgical resection"]


def test_nothing_to_do_when_nothing_is_missing() -> None:
    doc = assess_mapping(eligible_case("liver_resection"), with_evidence=False)
    assert doc["investigations"] == []


def test_a_decisive_investigation_ranks_before_one_that_cannot_move_the_plan() -> None:
    """Resection is eligible (001), so the lab panel, whose platelet count decides only the
    transarterial options here (002 §3.3: platelets > 100,000; PRRT is already ineligible
    without progression on an SSA, 002 §2.3) and CAPTEM, still open while the grade may be
    G3 (temozolomide label 2.1: platelets ≥ 100,000), cannot change the first plan step.
    The mitotic count (000 §1) can change the grade and with it the resection's status, G2
    making it eligible; a G3 leaves it for the board to weigh (004 §3.1: the guidelines
    disagree on surgery for G3), still the first step, so the pathology review ranks first
    without moving the first step."""
    doc = assess_mapping(
        eligible_case(
            "liver_resection", {"labs.platelets_per_ul": None, "pathology.mitoses_per_2mm2": None}
        ),
        with_evidence=False,
    )
    ids = [item["id"] for item in doc["investigations"]]
    assert ids[0] == "pathology_review"
    todo = _todo(doc)
    assert todo["pathology_review"]["could_become"]["liver_resection"] == ["eligible"]
    assert todo["pathology_review"]["first_step_could_change"] is False
    assert todo["laboratory_panel"]["first_step_could_change"] is False
    assert set(todo["laboratory_panel"]["could_change"]) == {
        "tae",
        "tace",
        "deb_tace",
        "tare",
        "capecitabine_temozolomide",
    }


def test_could_change_only_uncertain_options_through_their_missing_fields() -> None:
    doc = assess_mapping(
        {"case_id": "thin", "primary": {"site": "pancreas"}, "course": {"status": "progressing"}},
        with_evidence=False,
    )
    missing = {item["field"] for item in doc["missing_data"]}
    for item in doc["investigations"]:
        assert set(item["fields"]) <= missing
        for oid in item["could_change"]:
            option = doc["options"][oid]
            assert option["status"] == "uncertain"
            assert set(option["missing"]) & set(item["fields"])
