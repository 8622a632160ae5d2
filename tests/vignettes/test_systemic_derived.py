"""Board vignettes: the systemic options and the derived facts of whole patients.

The vignettes and the seed passage behind every expected status are in
``cases_systemic.py``. An "uncertain" expectation names the fields it waits on, and nelm must
list them; an option left to the board by a relative criterion must say so.
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.service import assess_case
from tests.vignettes.cases_systemic import SYSTEMIC, VIGNETTES, Vignette

IDS = [v.name for v in VIGNETTES]


def _assess(v: Vignette) -> dict[str, Any]:
    return assess_case(case_from_mapping(v.case), with_evidence=False).to_document()


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_each_systemic_option_gets_the_status_its_seed_passage_gives(vignette: Vignette) -> None:
    options = _assess(vignette)["options"]
    for option, (status, passage) in vignette.statuses.items():
        assert options[option]["status"] == status, (option, passage)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_an_uncertain_option_lists_the_fields_that_would_decide_it(vignette: Vignette) -> None:
    options = _assess(vignette)["options"]
    for option, fields in vignette.waits_on.items():
        assert options[option]["status"] == "uncertain", option
        missing = set(options[option]["missing"])
        assert set(fields) <= missing, (option, sorted(set(fields) - missing))


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.relative], ids=lambda v: v.name)
def test_an_option_left_to_the_board_by_a_relative_criterion_says_so(vignette: Vignette) -> None:
    options = _assess(vignette)["options"]
    for option in vignette.relative:
        assert options[option]["status"] == "uncertain", option
        flagged = [c for c in options[option]["criteria"] if c.get("relative_contraindication")]
        assert flagged, option
        assert not any(c["result"] == "not_met" for c in options[option]["criteria"]), option


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_the_derived_facts_are_those_of_the_seed_tables(vignette: Vignette) -> None:
    classification = _assess(vignette)["classification"]
    for key, value in vignette.derived.items():
        assert classification[key] == value, key


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.cautions], ids=lambda v: v.name)
def test_the_case_specific_caution_the_seeds_give_is_shown(vignette: Vignette) -> None:
    options = _assess(vignette)["options"]
    for option, words in vignette.cautions.items():
        shown = [d["text"] for d in options[option]["caution_details"] if d["case_specific"]]
        assert any(words in text for text in shown), (option, words)


def test_every_vignette_decides_or_names_each_option_it_expects() -> None:
    # Each expectation is about an option this file covers, and none is set twice.
    for v in VIGNETTES:
        named = list(v.statuses) + list(v.relative)
        assert set(named) <= set(SYSTEMIC), v.name
        assert len(named) == len(set(named)), v.name
        assert set(v.waits_on) <= {o for o, (s, _) in v.statuses.items() if s == "uncertain"}
