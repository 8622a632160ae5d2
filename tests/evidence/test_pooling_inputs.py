"""Inputs of ``pool_proportions``: events from percentages, validation, the output keys."""

from __future__ import annotations

import pytest

from nelm.errors import InputRejected
from nelm.evidence.pooling import StudyInput, events_from_percent, pool_proportions


@pytest.mark.parametrize(
    ("percent", "n", "events"),
    [
        (12.5, 20, 3),  # 2.5 → 3 (half up; Python's round(2.5) is 2)
        (50.0, 5, 3),  # 2.5 → 3
        (33.3, 15, 5),  # 4.995 → 5
        (61.0, 170, 104),  # 103.7 → 104
        (0.0, 40, 0),
        (100.0, 12, 12),
        (1.2, 170, 2),  # 2.04 → 2
        (14.5, 10, 1),  # 1.45 → 1 (the decimal as written, not 1.4500000000000002)
    ],
)
def test_events_from_percent_rounds_half_up(percent: float, n: int, events: int) -> None:
    assert events_from_percent(percent, n) == events


def test_from_percent_rejects_an_impossible_percentage() -> None:
    with pytest.raises(InputRejected) as caught:
        StudyInput.from_percent("smith-2001", 40, 104.0)
    assert str(caught.value) == "smith-2001.percent: a percentage from 0 to 100, got 104.0"


def test_fewer_than_two_studies_is_never_pooled() -> None:
    for studies in ([], [StudyInput("a", 40, 12)]):
        with pytest.raises(InputRejected) as caught:
            pool_proportions(studies)
        assert str(caught.value) == (
            f"modality/outcome: at least two studies reporting the outcome, got {len(studies)}"
        )


def test_counts_out_of_range_are_named() -> None:
    with pytest.raises(InputRejected) as caught:
        pool_proportions([StudyInput("a", 0, 0), StudyInput("b", 10, 11), StudyInput("c", 5, 2)])
    assert [p.message for p in caught.value.problems] == [
        "a.n: a whole number of patients ≥ 1, got 0",
        "b.events: a whole number from 0 to n = 10, got 11",
    ]


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(InputRejected) as caught:
        pool_proportions([StudyInput("a", 40, 12), StudyInput("b", 55, 30)], method="HS")
    assert str(caught.value) == "method: one of REML, DL, PM, FE, got 'HS'"


def test_as_dict_has_the_contract_keys() -> None:
    """evidence-v1.md: method, k, n_total, estimate, ci_*, pi_*, tau2, i2, q, q_p, studies."""
    result = pool_proportions([StudyInput("a", 40, 12), StudyInput("b", 55, 30)])
    data = result.as_dict()
    for key in (
        "method",
        "k",
        "n_total",
        "estimate",
        "ci_low",
        "ci_high",
        "pi_low",
        "pi_high",
        "tau2",
        "i2",
        "q",
        "q_p",
        "studies",
    ):
        assert key in data
    assert data["k"] == 2
    assert data["n_total"] == 95
    assert [{k: s[k] for k in ("id", "n", "events")} for s in data["studies"]] == [
        {"id": "a", "n": 40, "events": 12},
        {"id": "b", "n": 55, "events": 30},
    ]
    assert all("weight_percent" in s for s in data["studies"])


def test_zero_event_study_is_corrected_and_noted() -> None:
    result = pool_proportions([StudyInput("none", 15, 0), StudyInput("b", 22, 3)])
    assert result.studies[0].continuity_corrected
    assert not result.studies[1].continuity_corrected
    assert result.notes[0].startswith("0.5 added to events and non-events of none")
