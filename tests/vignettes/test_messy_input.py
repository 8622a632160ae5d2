"""Thin and messy board vignettes: whole patients as reports state them.

The vignettes, what the reports say and the seed passage behind every expectation are in
``cases_messy.py``. A comparison with a threshold is decided only when the whole interval a
report gives lies on one side of it (docs/case-v1-additions.md "Three-valued logic over
intervals"); an "uncertain" names the fields that would decide it, and no field that cannot
change the answer is asked for. The cases without a timeline or units as written (which
cohort files do not take) also run through the polars engine, which must agree.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl
import pytest

from nelm.cohort.pipeline import process_chunk
from nelm.cohort.reference import reference_chunk
from nelm.report.board import board_view
from tests.cohort.test_agreement import assert_same
from tests.cohort.test_agreement_boundaries import _cells, _text
from tests.vignettes.cases_messy import VIGNETTES, Vignette
from tests.vignettes.checks import assessed, check_waits_on

IDS = [v.name for v in VIGNETTES]


@cache
def _assessed(name: str) -> dict[str, Any]:
    (v,) = [v for v in VIGNETTES if v.name == name]
    return assessed({"case_id": v.name, **v.case})


def _criteria(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for o in doc["options"].values() for c in o["criteria"]}


@pytest.mark.parametrize("v", VIGNETTES, ids=IDS)
def test_each_option_gets_the_status_its_passage_and_the_interval_rule_give(v: Vignette) -> None:
    options = _assessed(v.name)["options"]
    for option, (status, passage) in v.statuses.items():
        assert options[option]["status"] == status, (option, passage)
    for option, passage in v.not_eligible.items():
        assert options[option]["status"] != "eligible", (option, passage)


@pytest.mark.parametrize("v", [v for v in VIGNETTES if v.waits_on], ids=lambda v: v.name)
def test_an_uncertain_option_lists_the_fields_that_would_decide_it(v: Vignette) -> None:
    check_waits_on(_assessed(v.name), v.waits_on)


@pytest.mark.parametrize("v", [v for v in VIGNETTES if v.not_waiting], ids=lambda v: v.name)
def test_no_field_that_cannot_change_the_answer_is_asked_for(v: Vignette) -> None:
    options = _assessed(v.name)["options"]
    for option, fields in v.not_waiting.items():
        asked = set(fields) & set(options[option]["missing"])
        assert not asked, (option, sorted(asked))


@pytest.mark.parametrize("v", [v for v in VIGNETTES if v.criteria], ids=lambda v: v.name)
def test_a_criterion_is_decided_only_when_the_whole_interval_lies_on_one_side(
    v: Vignette,
) -> None:
    criteria = _criteria(_assessed(v.name))
    for cid, (result, passage) in v.criteria.items():
        assert criteria[cid]["result"] == result, (cid, criteria[cid]["value"], passage)


@pytest.mark.parametrize("v", [v for v in VIGNETTES if v.shown], ids=lambda v: v.name)
def test_a_bound_is_shown_as_the_bound(v: Vignette) -> None:
    criteria = _criteria(_assessed(v.name))
    for cid, words in v.shown.items():
        assert words in criteria[cid]["value"], (cid, criteria[cid]["value"])


@pytest.mark.parametrize("v", VIGNETTES, ids=IDS)
def test_the_derived_facts_follow_the_grading_and_the_reported_grade(v: Vignette) -> None:
    classification = _assessed(v.name)["classification"]
    for key, value in v.derived.items():
        assert classification[key] == value, key
    possible = set(classification["grade_possible"])
    assert set(v.grade_possible) <= possible, (v.grade_possible, possible)
    assert not set(v.grade_impossible) & possible, (v.grade_impossible, possible)
    # a reported grade the indices contradict: both stay possible, the conflict is listed
    assert bool(classification["conflicts"]) == v.conflict


@pytest.mark.parametrize("v", [v for v in VIGNETTES if v.warns], ids=lambda v: v.name)
def test_the_warning_the_input_calls_for_is_given(v: Vignette) -> None:
    doc = _assessed(v.name)
    said = " ".join(str(w) for w in doc["warnings"] + doc.get("input_warnings", []))
    for words in v.warns:
        assert words in said, words


@pytest.mark.parametrize("v", [v for v in VIGNETTES if v.waits_on], ids=lambda v: v.name)
def test_the_open_lists_say_what_is_known_of_a_bounded_field(v: Vignette) -> None:
    # docs/case-v1-additions.md "Ranges and bounds": the lists a reader acts on say what is
    # known beside a field the bounds leave open
    doc = _assessed(v.name)
    cards = {o.id: o.missing for o in board_view(doc).options}
    for option, fields in v.waits_on.items():
        for path in fields:
            section, _, key = path.partition(".")
            given = v.case.get(section, {})
            if any(f"{key}_at_{b}" in given for b in ("least", "most")):
                assert any("(known: " in label for label in cards[option]), (option, path)


def _cohort_ready(v: Vignette) -> bool:
    # cohort files take the typed fields only: no timeline, no unit objects
    sections = [s for s in v.case.values() if isinstance(s, dict)]
    return "timeline" not in v.case and not any(
        isinstance(value, dict) for s in sections for value in s.values()
    )


def test_the_polars_engine_agrees_on_the_messy_vignettes() -> None:
    chosen = [v for v in VIGNETTES if _cohort_ready(v)]
    assert len(chosen) >= 5
    rows = [_cells({**v.case, "case_id": v.name}) for v in chosen]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    frame = pl.DataFrame(
        {c: [_text(r.get(c)) for r in rows] for c in columns},
        schema={c: pl.String for c in columns},
    )
    compiled = process_chunk(frame, 1)
    assert compiled.rejects.height == 0, compiled.rejects.to_dicts()
    assert_same(compiled, reference_chunk(frame, 1))
    out = {row["case_id"]: row for row in compiled.output.to_dicts()}
    for v in chosen:
        for option, (status, passage) in v.statuses.items():
            assert out[v.name][f"{option}.status"] == status, (v.name, option, passage)
