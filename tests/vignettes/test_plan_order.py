"""Board vignettes: the order of the plan on whole patients, against the seeds' algorithms.

The vignettes and the passage behind every expectation are in ``cases_plan_order.py``. Only
what the seeds decide is asserted: an option in the first step, one option's step before
another's, an option kept out of the plan, and the words by which the plan shows a reading
the seeds dispute.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.vignettes.cases_plan_order import VIGNETTES, PlanVignette
from tests.vignettes.checks import assessed

IDS = [v.name for v in VIGNETTES]


def _plan(v: PlanVignette) -> list[dict[str, Any]]:
    return assessed(v.case)["plan"]  # type: ignore[no-any-return]


def _step_of(plan: list[dict[str, Any]]) -> dict[str, int]:
    return {o: s["step"] for s in plan for o in s["options"]}


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.first], ids=lambda v: v.name)
def test_the_first_step_holds_the_option_the_seeds_put_first(vignette: PlanVignette) -> None:
    assert vignette.first is not None
    options, passage = vignette.first
    plan = _plan(vignette)
    assert plan, passage
    assert set(options) & set(plan[0]["options"]), (plan[0]["options"], passage)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.before], ids=lambda v: v.name)
def test_an_option_the_seeds_put_earlier_is_in_an_earlier_step(vignette: PlanVignette) -> None:
    step = _step_of(_plan(vignette))
    for earlier, later, passage in vignette.before:
        assert earlier in step, (earlier, passage)
        assert later in step, (later, passage)
        assert step[earlier] < step[later], (earlier, later, passage)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.absent], ids=lambda v: v.name)
def test_an_option_the_seeds_rule_out_is_not_in_the_plan(vignette: PlanVignette) -> None:
    step = _step_of(_plan(vignette))
    for option, passage in vignette.absent:
        assert option not in step, (option, passage)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.says], ids=lambda v: v.name)
def test_the_plan_shows_the_reading_the_seeds_dispute(vignette: PlanVignette) -> None:
    text = json.dumps(_plan(vignette), ensure_ascii=False)
    for words, passage in vignette.says:
        assert words in text, (words, passage)


def test_every_vignette_asserts_something_about_its_plan() -> None:
    assert len(IDS) == len(set(IDS))
    for v in VIGNETTES:
        assert v.first or v.before or v.absent or v.says, v.name
