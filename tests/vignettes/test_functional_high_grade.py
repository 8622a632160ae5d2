"""Board vignettes: functional tumours, carcinoid heart disease and high grade.

The vignettes, and the seed passage behind every expectation, are in
``cases_functional_high_grade.py``. An "uncertain" expectation names the fields it waits on,
and nelm must list them; a caution is recognised by a distinctive phrase.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.vignettes.cases_functional_high_grade import VIGNETTES, Vignette
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
def test_each_option_gets_the_status_its_seed_passage_gives(vignette: Vignette) -> None:
    check_statuses(_assess(vignette), vignette.statuses)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.waits_on], ids=lambda v: v.name)
def test_an_uncertain_option_lists_the_fields_that_would_decide_it(vignette: Vignette) -> None:
    check_waits_on(_assess(vignette), vignette.waits_on)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.criteria], ids=lambda v: v.name)
def test_each_criterion_reads_the_patient_as_the_seed_does(vignette: Vignette) -> None:
    options = _assess(vignette)["options"]
    for key, result in vignette.criteria.items():
        option, criterion = key.split(".", 1)
        found = {c["id"]: c["result"] for c in options[option]["criteria"]}
        assert found[f"{option}.{criterion}"] == result, key


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_the_derived_facts_are_those_of_the_seed_tables(vignette: Vignette) -> None:
    check_derived(_assess(vignette), vignette.derived)


@pytest.mark.parametrize("vignette", [v for v in VIGNETTES if v.cautions], ids=lambda v: v.name)
def test_the_case_specific_caution_the_seeds_give_is_shown(vignette: Vignette) -> None:
    check_cautions(_assess(vignette), vignette.cautions)


def test_the_nec_surgery_caution_is_not_shown_for_a_g3_net() -> None:
    # 004 §3.1 gives the G3 NET its own disagreement (ENETS, ESMO, NANETS), which a one-stage
    # resection weighs in its relative G1/G2 criterion; the NEC reading (surgery for "NEC
    # patients with localized lesions") must not be shown for it.
    g3 = next(v for v in VIGNETTES if v.name == "g3_net_ki67_35_progressed_on_ssa")
    option = _assess(g3)["options"]["liver_resection"]
    shown = [d["text"] for d in option["caution_details"]]
    judged = {c["id"]: c for c in option["criteria"]}["liver_resection.g1_g2"]
    assert judged.get("relative_contraindication") is True
    assert "ENETS treats G3 liver metastases as a contraindication" in judged["text"]
    assert not any("NEC: the sources disagree" in text for text in shown)


def test_every_vignette_names_each_option_once() -> None:
    for v in VIGNETTES:
        assert set(v.waits_on) <= {o for o, (s, _) in v.statuses.items() if s == "uncertain"}
        assert len({v.case["case_id"] for v in VIGNETTES}) == len(VIGNETTES)
