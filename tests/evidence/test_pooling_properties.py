"""Invariants of ``pool_proportions`` on generated studies (Hypothesis, derandomised)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from nelm.evidence.pooling import METHODS, PoolResult, StudyInput, pool_proportions

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)


@st.composite
def study_arms(draw: st.DrawFn) -> StudyInput:
    n = draw(st.integers(min_value=1, max_value=600))
    events = draw(st.integers(min_value=0, max_value=n))
    return StudyInput(id="", n=n, events=events)


@st.composite
def study_sets(draw: st.DrawFn) -> list[StudyInput]:
    arms = draw(st.lists(study_arms(), min_size=2, max_size=16))
    return [replace(arm, id=f"s{i}") for i, arm in enumerate(arms)]


methods = st.sampled_from(METHODS)


def _study_percents(result: PoolResult) -> list[float]:
    """Each study's (continuity-corrected) proportion, in percent."""
    return [100.0 * float(special.expit(s.yi)) for s in result.studies]


@SETTINGS
@given(study_sets(), methods, st.booleans())
def test_deterministic(studies: list[StudyInput], method: str, kh: bool) -> None:
    assert pool_proportions(studies, method, kh) == pool_proportions(studies, method, kh)


@SETTINGS
@given(study_sets())
def test_fixed_effect_estimate_lies_within_the_study_proportions(
    studies: list[StudyInput],
) -> None:
    result = pool_proportions(studies, "FE")
    percents = _study_percents(result)
    assert min(percents) - 1e-9 <= result.estimate <= max(percents) + 1e-9


@SETTINGS
@given(study_sets(), methods, st.booleans())
def test_intervals_contain_the_estimate(studies: list[StudyInput], method: str, kh: bool) -> None:
    result = pool_proportions(studies, method, kh)
    assert result.ci_low <= result.estimate <= result.ci_high
    if method == "FE":
        assert (result.pi_low, result.pi_high) == (None, None)
    else:
        assert result.pi_low is not None
        assert result.pi_high is not None
        assert result.pi_low <= result.ci_low + 1e-12
        assert result.ci_high <= result.pi_high + 1e-12


@SETTINGS
@given(study_sets(), methods, st.booleans())
def test_heterogeneity_statistics_are_in_range(
    studies: list[StudyInput], method: str, kh: bool
) -> None:
    result = pool_proportions(studies, method, kh)
    assert result.tau2 >= 0.0
    assert 0.0 <= result.i2 <= 100.0
    assert result.q >= 0.0
    assert 0.0 <= result.q_p <= 1.0
    assert sum(s.weight_percent for s in result.studies) == pytest.approx(100.0)
    assert all(s.weight_percent > 0 for s in result.studies)
    if method == "FE":
        assert result.tau2 == 0.0


@SETTINGS
@given(study_sets(), methods)
def test_order_of_studies_does_not_matter(studies: list[StudyInput], method: str) -> None:
    forward = pool_proportions(studies, method)
    backward = pool_proportions(studies[::-1], method)
    assert backward.estimate == pytest.approx(forward.estimate, rel=1e-6, abs=1e-6)
    assert backward.tau2 == pytest.approx(forward.tau2, rel=1e-4, abs=1e-6)
