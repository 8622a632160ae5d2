"""What enters a pool of percentages or a summary of medians: one study arm (events out
of n, also from a published percentage), the checks every arm passes, and the coverage of
every interval reported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from nelm.errors import InputRejected, Problem

__all__ = [
    "LEVEL",
    "MIN_STUDIES",
    "STUDIES_PATH",
    "StudyInput",
    "check_studies",
    "events_from_percent",
]

LEVEL: Final = 0.95
"""Coverage of every interval reported by the pools and the summaries of medians."""

STUDIES_PATH: Final = "modality/outcome"
MIN_STUDIES: Final = 2


def events_from_percent(percent: float, n: int) -> int:
    """Events behind a published percentage: ``round(percent × n / 100)``, halves up.

    Python's ``round`` rounds halves to even (``round(2.5) == 2``), and binary floating
    point cannot hold most published decimals exactly, so the product is formed in
    decimal arithmetic from the percentage as written (``repr``) and rounded half up:
    12.5 % of 20 is 2.5 → 3 events; 33.3 % of 15 is 4.995 → 5 events.
    """
    try:
        exact = Decimal(repr(float(percent))) * n / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, OverflowError) as exc:
        raise InputRejected([Problem("percent", "a finite percentage", repr(percent))]) from exc


@dataclass(frozen=True, slots=True)
class StudyInput:
    """One study arm to pool: ``events`` out of ``n`` patients."""

    id: str
    n: int
    events: int

    @classmethod
    def from_percent(cls, id: str, n: int, percent: float) -> StudyInput:
        """The arm from a published percentage (see :func:`events_from_percent`)."""
        if not math.isfinite(percent) or not 0.0 <= percent <= 100.0:
            raise InputRejected(
                [Problem(f"{id}.percent", "a percentage from 0 to 100", repr(percent))]
            )
        return cls(id=id, n=n, events=events_from_percent(percent, n))


def check_studies(studies: Sequence[StudyInput]) -> None:
    problems: list[Problem] = []
    if len(studies) < MIN_STUDIES:
        problems.append(
            Problem(STUDIES_PATH, "at least two studies reporting the outcome", f"{len(studies)}")
        )
    for study in studies:
        if isinstance(study.n, bool) or not isinstance(study.n, int) or study.n < 1:
            problems.append(
                Problem(f"{study.id}.n", "a whole number of patients ≥ 1", f"{study.n!r}")
            )
        elif (
            isinstance(study.events, bool)
            or not isinstance(study.events, int)
            or not 0 <= study.events <= study.n
        ):
            problems.append(
                Problem(
                    f"{study.id}.events",
                    f"a whole number from 0 to n = {study.n}",
                    f"{study.events!r}",
                )
            )
    if problems:
        raise InputRejected(problems)
