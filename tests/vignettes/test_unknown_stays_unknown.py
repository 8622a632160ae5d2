"""Unknown stays unknown, on every board vignette and published case
(tests/vignettes/unknown_sweep.py; shared/contract/assessment-v1.md "Status rules": an option
is ineligible when a required criterion is not met, eligible when every one is met,
otherwise uncertain, and then ``missing`` lists the fields that would decide it).

Every field of every case is removed in turn; the reverse (a listed field decides) and the
polars compiler's agreement are sampled with a fixed seed. The whole sweep, every listed
field and every removal as a cohort row, is ``tools/unknown_sweep.py``.
"""

from __future__ import annotations

import copy
import random

import pytest

from tests.vignettes import unknown_sweep as sweep

CASES = sweep.all_cases()
SEED = 7


def test_the_sweep_covers_every_vignette_and_published_case() -> None:
    names = [name for name, _ in CASES]
    assert len(names) == len(set(names))
    assert sum(n.startswith("realcases:") for n in names) == 15
    assert len(CASES) >= 130


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_removing_a_field_only_opens(name: str, case: sweep.Case) -> None:
    before = sweep.assessed(case)
    found = [
        v.line()
        for path in sweep.field_groups(case)
        for v in sweep.check_removal(name, case, before, path)
    ]
    assert not found, found


def test_a_listed_field_can_decide_its_option() -> None:
    pairs = sweep.reverse_pairs(CASES)
    sample = random.Random(SEED).sample(pairs, 150)
    found = [v.line() for v in map(lambda p: sweep.check_reverse(*p), sample) if v]
    assert not found, found


def test_the_compiler_agrees_with_the_interpreter_on_the_removals() -> None:
    sample = random.Random(SEED).sample(CASES, 25)
    found = [v.line() for v in sweep.check_cohort(sample)]
    assert not found, found


# The checks themselves: each would fail on an assessment that broke its rule.
G3_NEW = next(case for name, case in CASES if name == "cases_plan_order:g3_net_new")


def test_the_check_catches_a_decided_status_turning_over() -> None:
    before = sweep.assessed(G3_NEW)
    turned = copy.deepcopy(before)
    assert turned["options"]["prrt"]["status"] == "eligible"  # NETTER-2 first line, 004 §3.5
    turned["options"]["prrt"]["status"] = "ineligible"
    kinds = {v.kind for v in sweep.check_removal("x", G3_NEW, turned, "patient.ecog")}
    assert "status" in kinds


def test_the_check_catches_an_uncertain_option_not_naming_the_removed_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    after = sweep.assessed(sweep.removed(G3_NEW, "pathology.ki67_percent"))
    # The Ki-67 index decides PRRT's NETTER-2 branch (Ki-67 10–55 %, 004 §3.5).
    assert after["options"]["prrt"]["status"] == "uncertain"
    after["options"]["prrt"]["missing"].remove("pathology.ki67_percent")
    before = sweep.assessed(G3_NEW)
    monkeypatch.setattr(sweep, "assessed", lambda case: after)
    found = sweep.check_removal("x", G3_NEW, before, "pathology.ki67_percent")
    assert ("prrt", "not listed") in {(v.option, v.kind) for v in found}
