"""Summaries of published medians (months): the n-weighted median of the study medians,
their range and a distribution-free (sign-test) interval for the median of the study
medians. Medians are described, never pooled: see :mod:`nelm.evidence.pooling`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from nelm.errors import InputRejected, Problem
from nelm.evidence.pooling_inputs import LEVEL, MIN_STUDIES, STUDIES_PATH

__all__ = ["MEDIAN_LABEL", "MedianSummary", "summarise_medians"]

MEDIAN_LABEL: Final = (
    "summary of published medians (n-weighted median of the study medians and their "
    "range) — not pooled, not a meta-analytic estimate"
)


@dataclass(frozen=True, slots=True)
class MedianSummary:
    """A description of published medians (months): not a pooled estimate.

    ``weighted_median`` is the n-weighted median of the study medians; ``minimum`` and
    ``maximum`` their range; ``sign_test_ci`` a distribution-free interval for the median
    of the study medians (order statistics of the sign test), ``(None, None)`` when there
    are too few studies for one (k < 6 at 95 %), with its exact ``sign_test_coverage``.
    """

    k: int
    n_total: int
    weighted_median: float
    minimum: float
    maximum: float
    sign_test_ci: tuple[float | None, float | None]
    label: str
    sign_test_coverage: float | None = None
    studies: tuple[tuple[str, int, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "pooled": False,
            "label": self.label,
            "k": self.k,
            "n_total": self.n_total,
            "weighted_median": self.weighted_median,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "sign_test_ci": list(self.sign_test_ci),
            "sign_test_coverage": self.sign_test_coverage,
            "studies": [{"id": i, "n": n, "median": m} for i, n, m in self.studies],
        }


def _weighted_median(values: Sequence[float], weights: Sequence[int]) -> float:
    """The value where the cumulative weight, in sorted order, first reaches half.

    When it reaches exactly half at a value, the midpoint of that value and the next is
    taken (so equal weights give the ordinary median).
    """
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    total = sum(weights)
    cumulative = 0
    for position, i in enumerate(order):
        cumulative += weights[i]
        if 2 * cumulative == total and position + 1 < len(order):
            return (values[i] + values[order[position + 1]]) / 2
        if 2 * cumulative >= total:
            return values[i]
    raise AssertionError("unreachable: weights sum to total")  # pragma: no cover


def _sign_test_ranks(k: int, level: float = LEVEL) -> tuple[int, Fraction] | None:
    """The order statistic ``l`` with ``[x_(l), x_(k+1−l)]`` covering ≥ ``level``.

    ``l`` is the largest rank with ``P(B ≤ l − 1) ≤ (1 − level)/2`` for ``B ~ Bin(k, ½)``
    (exact rational arithmetic); the coverage is ``1 − 2·P(B ≤ l − 1)``.
    """
    alpha_half = (1 - Fraction(str(level))) / 2
    denominator = 2**k
    best: tuple[int, Fraction] | None = None
    tail = Fraction(0)
    for rank in range(1, k // 2 + 1):
        tail += Fraction(math.comb(k, rank - 1), denominator)  # P(B ≤ rank − 1)
        if tail > alpha_half:
            break
        best = (rank, 1 - 2 * tail)
    return best


def summarise_medians(items: Sequence[tuple[str, int, float]]) -> MedianSummary:
    """Describe study medians ``(id, n, median months)``; never pools them.

    Raises :class:`~nelm.errors.InputRejected` for fewer than two studies or an invalid
    ``n`` or median.
    """
    problems: list[Problem] = []
    if len(items) < MIN_STUDIES:
        problems.append(
            Problem(STUDIES_PATH, "at least two studies reporting the outcome", f"{len(items)}")
        )
    for study_id, n, median in items:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            problems.append(Problem(f"{study_id}.n", "a whole number of patients ≥ 1", f"{n!r}"))
        if not math.isfinite(median) or median < 0:
            problems.append(
                Problem(f"{study_id}.median", "a finite number of months ≥ 0", f"{median!r}")
            )
    if problems:
        raise InputRejected(problems)

    values = [float(m) for _, _, m in items]
    weights = [n for _, n, _ in items]
    ordered = sorted(values)
    ranks = _sign_test_ranks(len(values))
    if ranks is None:
        ci: tuple[float | None, float | None] = (None, None)
        coverage = None
    else:
        rank, exact = ranks
        ci = (ordered[rank - 1], ordered[len(values) - rank])
        coverage = float(exact)
    return MedianSummary(
        k=len(items),
        n_total=sum(weights),
        weighted_median=_weighted_median(values, weights),
        minimum=ordered[0],
        maximum=ordered[-1],
        sign_test_ci=ci,
        label=MEDIAN_LABEL,
        sign_test_coverage=coverage,
        studies=tuple((i, n, float(m)) for i, n, m in items),
    )
