"""Board vignettes: the systemic options and the derived facts of whole patients.

The vignettes and the seed passage behind every expected status are in
``cases_systemic.py``. An "uncertain" expectation names the fields it waits on, and nelm must
list them; an option left to the board by a relative criterion must say so.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.vignettes.cases_systemic import SYSTEMIC, VIGNETTES, Vignette
from tests.vignettes.checks import (
    assessed,
    check_cautions,
    check_derived,
    check_statuses,
    check_waits_on,
)

IDS = [v.name for v in VIGNETTES]


def _assess(v: Vignette) -> dict[str, Any]:
    return assessed(v.case)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_each_systemic_option_gets_the_status_its_seed_passage_gives(vignette: Vignette) -> None:
    check_statuses(_assess(vignette), vignette.statuses)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_an_uncertain_option_lists_the_fields_that_would_decide_it(vignette: Vignette) -> None:
    check_waits_on(_assess(vignette), vignette.waits_on)


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
    check_derived(_assess(vignette), vignette.derived)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.cautions], ids=lambda v: v.name)
def test_the_case_specific_caution_the_seeds_give_is_shown(vignette: Vignette) -> None:
    check_cautions(_assess(vignette), vignette.cautions)


def test_every_vignette_decides_or_names_each_option_it_expects() -> None:
    # Each expectation is about an option this file covers, and none is set twice.
    for v in VIGNETTES:
        named = list(v.statuses) + list(v.relative)
        assert set(named) <= set(SYSTEMIC), v.name
        assert len(named) == len(set(named)), v.name
        assert set(v.waits_on) <= {o for o, (s, _) in v.statuses.items() if s == "uncertain"}
