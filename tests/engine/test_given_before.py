"""Treatments the case lists as given: marked on their options, and counted as prior lines.

The criteria read the case as it stands; none of them weighs an earlier course of the same
treatment or the response to it (the seeds give no criteria for a repeat course of PRRT, for
example). So a board sees, on the option itself, that it was given before.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from nelm.cohort.pipeline import process_chunk
from nelm.cohort.reference import reference_chunk
from nelm.engine.evaluate import GIVEN_BEFORE
from nelm.service import assess_mapping
from tests.cohort.test_agreement import assert_same


def test_a_treatment_given_before_is_marked_on_its_option_only() -> None:
    doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "p",
            "primary": {"site": "pancreas"},
            "course": {"status": "progressing", "prior_treatments": ["ssa", "prrt"]},
        },
        with_evidence=False,
    )
    options = doc["options"]
    for given in ("ssa", "prrt"):
        details = options[given]["caution_details"]
        assert details[0] == {
            "text": GIVEN_BEFORE,
            "sources": ["case-history"],
            "case_specific": True,
        }
    marked = [
        o for o, r in options.items() if GIVEN_BEFORE in (d["text"] for d in r["caution_details"])
    ]
    assert sorted(marked) == ["prrt", "ssa"]


def test_progression_on_an_ssa_shows_the_ssa_was_given() -> None:
    # case-v1 course.progressed_on_ssa is "progression on a somatostatin analogue": one was
    # given, whether or not the prior treatments list it (derivations.yaml given_before).
    doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "s",
            "primary": {"site": "small_intestine"},
            "course": {"status": "progressing", "progressed_on_ssa": True},
        },
        with_evidence=False,
    )
    ssa = doc["options"]["ssa"]
    assert ssa["given_before"] is True
    assert ssa["caution_details"][0]["text"].startswith(
        "Given before (Progressed on a somatostatin analogue: yes)"
    )
    assert not any(o.get("given_before") for k, o in doc["options"].items() if k != "ssa")
    # Not progressed, or not known: nothing is marked.
    for course in ({"progressed_on_ssa": False}, {}):
        case = {"schema_version": 1, "case_id": "n", "course": course}
        assert "given_before" not in assess_mapping(case, with_evidence=False)["options"]["ssa"]


# ---------------------------------------------------------------- prior systemic lines
# CABINET (cabozantinib, 004 §3.4) needs a prior systemic therapy other than an SSA and NETTER-2
# "no prior systemic therapy": PRRT and everolimus listed as given are two prior lines,
# whatever the count field says (derivations.yaml prior_lines); an SSA is not counted.


def _lines_case(course: dict[str, object]) -> dict[str, object]:
    return {
        "schema_version": 1,
        "case_id": "l",
        "primary": {"site": "pancreas"},
        "course": {"status": "progressing", **course},
    }


def _criterion(doc: dict[str, Any], option: str, cid: str) -> dict[str, Any]:
    return next(c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.{cid}")


def test_treatments_listed_as_given_are_prior_lines_when_the_count_is_not_given() -> None:
    doc = assess_mapping(_lines_case({"prior_treatments": ["ssa", "prrt", "everolimus"]}))
    prior = _criterion(doc, "cabozantinib", "prior_therapy")
    assert prior["result"] == "met"
    assert prior["value"] == (
        "Prior systemic lines not given; at least 2 by the prior treatments (PRRT, everolimus);"
        " Prior treatments: SSA, PRRT, everolimus"
    )
    assert "course.prior_systemic_lines" not in doc["options"]["cabozantinib"]["missing"]


def test_an_ssa_alone_is_not_counted_as_a_line() -> None:
    doc = assess_mapping(_lines_case({"prior_treatments": ["ssa"]}))
    assert _criterion(doc, "cabozantinib", "prior_therapy")["result"] == "unknown"


def test_one_line_that_was_the_ssa_is_not_a_prior_therapy_for_cabozantinib() -> None:
    # CABINET enrolled patients progressing after an approved therapy other than a
    # somatostatin analogue (everolimus, sunitinib, PRRT): one line, an SSA, is not that.
    doc = assess_mapping(
        _lines_case({"prior_systemic_lines": 1, "prior_treatments": ["ssa"]}), with_evidence=False
    )
    assert _criterion(doc, "cabozantinib", "prior_therapy")["result"] == "not_met"
    assert doc["options"]["cabozantinib"]["status"] == "ineligible"
    # One line and no list: the line may be the SSA or not, and the list would decide.
    doc = assess_mapping(_lines_case({"prior_systemic_lines": 1}), with_evidence=False)
    assert _criterion(doc, "cabozantinib", "prior_therapy")["result"] == "unknown"
    assert "course.prior_treatments" in doc["options"]["cabozantinib"]["missing"]


def test_a_count_below_the_treatments_listed_is_a_contradiction() -> None:
    doc = assess_mapping(
        _lines_case({"prior_systemic_lines": 0, "prior_treatments": ["prrt", "sunitinib"]})
    )
    assert any(
        "Prior systemic lines is 0, but the prior treatments list 2 systemic treatments" in w
        for w in doc["warnings"]
    )
    # The stated count is what the criteria read; the warning asks which is right.
    assert _criterion(doc, "cabozantinib", "prior_therapy")["result"] == "not_met"


def test_the_cohort_engine_counts_the_treatments_alike() -> None:
    rows = [
        {"course.prior_treatments": "ssa;prrt;everolimus"},
        {"course.prior_treatments": "ssa"},
        {"course.prior_treatments": "prrt", "course.prior_systemic_lines": "0"},
        {"course.prior_treatments": "prrt;prrt"},
        {},
    ]
    base = {
        "primary.site": "pancreas",
        "course.status": "progressing",
        "pathology.ki67_percent": "5",
        "pathology.mitoses_per_2mm2": "1",
        "pathology.differentiation": "well",
    }
    columns = ["case_id", *base, "course.prior_treatments", "course.prior_systemic_lines"]
    frame = pl.DataFrame(
        [{"case_id": str(i), **base, **row} for i, row in enumerate(rows)],
        schema={k: pl.String for k in columns},
    )
    compiled = process_chunk(frame, 1)
    assert_same(compiled, reference_chunk(frame, 1))
    # G2 and progressing (CABINET, 004 §3.4): the prior lines decide.
    statuses = compiled.output.get_column("cabozantinib.status").to_list()
    assert statuses == ["eligible", "uncertain", "ineligible", "eligible", "uncertain"]
    reasons = compiled.output.get_column("reasons").struct.field("cabozantinib").to_list()
    assert [r is not None and "prior_therapy" in r for r in reasons] == [
        False,
        False,
        True,
        False,
        False,
    ]


def test_the_plan_and_the_document_say_given_before() -> None:
    from nelm.report.board import board_view
    from nelm.report.view import plan_steps

    case = _lines_case({"prior_treatments": ["ssa", "prrt"]})
    case["pathology"] = {"ki67_percent": 5, "mitoses_per_2mm2": 1, "differentiation": "well"}
    doc = assess_mapping(case, with_evidence=False)
    flagged = sorted(o for o, r in doc["options"].items() if r.get("given_before"))
    assert flagged == ["prrt", "ssa"]
    names = [i["name"] for step in plan_steps(doc) for i in step["items"] if i["id"] == "prrt"]
    assert names and all(n.endswith(", given before") for n in names)
    board = [
        name for step in board_view(doc).plan for oid, name, _ in step.options if oid == "prrt"
    ]
    assert board and all(n.endswith(", given before") for n in board)


def test_the_cds_card_names_an_eligible_option_given_before() -> None:
    from nelm.interop.cds_hooks.cards import _eligible_lines
    from nelm.knowledge.sources import ReferenceList

    case = _lines_case({"prior_treatments": ["cabozantinib"], "prior_systemic_lines": 1})
    case["pathology"] = {"ki67_percent": 5, "mitoses_per_2mm2": 1, "differentiation": "well"}
    doc = assess_mapping(case, with_evidence=False)
    assert doc["options"]["cabozantinib"]["status"] == "eligible"
    heads = [line for line in _eligible_lines(doc, ReferenceList()) if line.startswith("- **")]
    assert any("Cabozantinib" in h and "**, given before" in h for h in heads)


def test_a_transplant_listed_under_one_criteria_set_was_given_under_all() -> None:
    # Milan, ENETS and UNOS (001 Table 2) are three selection sets for one operation: a
    # liver transplantation listed under one of them was given, whichever the board weighs.
    doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "t",
            "course": {"prior_treatments": ["liver_transplant_milan"]},
        },
        with_evidence=False,
    )
    options = doc["options"]
    assert options["liver_transplant_milan"]["caution_details"][0]["text"] == GIVEN_BEFORE
    for other in ("liver_transplant_enets", "liver_transplant_unos"):
        (first, *_) = options[other]["caution_details"]
        assert first["text"].startswith(
            "Given before (a liver transplantation is listed in the prior treatments under "
            "another criteria set)"
        )
        assert options[other]["given_before"] is True
    # another option is not marked by it
    assert not options["liver_resection"].get("given_before")
