"""Whole-patient vignettes for ablation, TAE, TACE, DEB-TACE, TARE and PRRT.

Each vignette (``liver_directed_prrt_cases.py``) carries the statuses its seed passages
give, the criterion each rests on, the fields an uncertain option waits on and the cautions
a board must see; the passage is quoted in the vignette's ``source``. Read through
``case_from_mapping`` and ``assess_case`` as the adapters do.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.vignettes.checks import (
    assessed,
    check_cautions,
    check_criteria,
    check_derived,
    check_waits_on,
)
from tests.vignettes.liver_directed_prrt_cases import VIGNETTES, Vignette


def _assess(vignette: Vignette) -> dict[str, Any]:
    return assessed(vignette.case)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_each_option_gets_the_status_its_seed_passage_gives(vignette: Vignette) -> None:
    options = _assess(vignette)["options"]
    got = {option: options[option]["status"] for option in vignette.statuses}
    assert got == vignette.statuses, vignette.source


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.name for v in VIGNETTES])
def test_the_status_rests_on_the_criterion_the_passage_names(vignette: Vignette) -> None:
    doc = _assess(vignette)
    check_criteria(doc, vignette.criteria, vignette.source)
    check_derived(doc, vignette.derived, vignette.source)


@pytest.mark.parametrize(
    "vignette", [v for v in VIGNETTES if v.missing], ids=[v.name for v in VIGNETTES if v.missing]
)
def test_an_uncertain_option_names_the_fields_that_would_decide_it(vignette: Vignette) -> None:
    check_waits_on(_assess(vignette), vignette.missing, vignette.source)


@pytest.mark.parametrize(
    "vignette", [v for v in VIGNETTES if v.cautions], ids=[v.name for v in VIGNETTES if v.cautions]
)
def test_the_case_specific_caution_the_seeds_call_for_is_shown(vignette: Vignette) -> None:
    check_cautions(_assess(vignette), vignette.cautions, why=vignette.source)


def test_the_vignettes_cover_every_option_and_each_status() -> None:
    # 12–15 patients, each of the six options decided somewhere in each of its states, so
    # the table cannot pass by expecting one status throughout.
    assert 12 <= len(VIGNETTES) <= 15
    for option in ("thermal_ablation", "tae", "tace", "deb_tace", "tare", "prrt"):
        seen = {v.statuses[option] for v in VIGNETTES if option in v.statuses}
        assert seen == {"eligible", "ineligible", "uncertain"}, (option, seen)
