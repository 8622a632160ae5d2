"""Thin adapters from the web application to ``nelm.evidence``.

Each function imports the evidence modules inside itself, so the application starts (and
everything but the evidence endpoints works) when the ``evidence`` extra is missing; the
endpoints then answer 503 with :data:`NOT_INSTALLED`.

The analyses are ``nelm.evidence.analyses`` (the command line and the assessment's
evidence summary call the same functions), so every path gives one answer per question.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from nelm.errors import InputRejected, Problem
from nelm.evidence.records import source_text
from nelm.web.errors import ApiError

if TYPE_CHECKING:
    from nelm.evidence.records import EvidenceRecord

__all__ = [
    "NOT_INSTALLED",
    "available",
    "forest_svg",
    "forest_svg_cached",
    "modalities",
    "outcomes",
    "pool",
    "records",
    "survival_svg",
    "survival_svg_cached",
]

NOT_INSTALLED = (
    "The evidence base is not installed on this server (install nelm with the 'evidence' extra)."
)


def _unavailable() -> ApiError:
    return ApiError(503, NOT_INSTALLED)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the evidence base and its numerical libraries are installed (no import)."""
    from importlib.util import find_spec

    try:
        return all(
            find_spec(name) is not None
            for name in (
                "numpy",
                "scipy",
                "matplotlib",
                "nelm.evidence.records",
                "nelm.evidence.pooling",
            )
        )
    except (ImportError, ValueError):
        return False


def modalities() -> tuple[str, ...]:
    try:
        from nelm.evidence.records import MODALITIES
    except ImportError:
        return ()
    return tuple(MODALITIES)


def outcomes() -> tuple[str, ...]:
    try:
        from nelm.evidence.records import OUTCOMES
    except ImportError:
        return ()
    return tuple(OUTCOMES)


def _records_for(modality: str | None, outcome: str | None) -> tuple[EvidenceRecord, ...]:
    try:
        from nelm.evidence.records import records_for
    except ImportError as exc:
        raise _unavailable() from exc
    return records_for(modality=modality, outcome=outcome)


def records(modality: str | None = None, outcome: str | None = None) -> list[dict[str, Any]]:
    """The evidence records (evidence-v1 dictionaries), each with ``source_text``."""
    return [
        {**r.as_dict(), "source_text": source_text(r.source)}
        for r in _records_for(modality, outcome)
    ]


def pool(
    modality: str, outcome: str, method: str = "REML", knapp_hartung: bool = False
) -> dict[str, Any]:
    """The pooled estimate (percent outcomes) or the summary of medians (median outcomes):
    the same document as ``nelm evidence pool --format json``."""
    try:
        from nelm.evidence import analyses
    except ImportError as exc:
        raise _unavailable() from exc
    analysis = analyses.pool(modality, outcome, method=method, knapp_hartung=knapp_hartung)
    return dict(analysis.document)


def forest_svg(
    modality: str, outcome: str, method: str = "REML", knapp_hartung: bool = False
) -> bytes:
    """The forest plot of a pooled percentage outcome, as SVG."""
    try:
        from nelm.evidence import analyses
    except ImportError as exc:
        raise _unavailable() from exc
    if not outcome.endswith("_percent"):
        raise InputRejected(
            [
                Problem(
                    "outcome",
                    "a percentage outcome (medians are "
                    "summarised, not pooled, and have no forest plot)",
                    outcome,
                )
            ]
        )
    analysis = analyses.pool(modality, outcome, method=method, knapp_hartung=knapp_hartung)
    return analyses.forest_plot(analysis, "svg")


def survival_svg(modality: str, kind: str = "os") -> bytes:
    """Approximate survival curves (Weibull through published medians and rates), SVG."""
    try:
        from nelm.evidence import analyses
    except ImportError as exc:
        raise _unavailable() from exc
    analysis = analyses.survival(modality, kind)
    if not analysis.drawn:
        raise ApiError(
            404,
            f"No study arm of {modality} reports enough figures for a "
            f"{kind} curve (two or more of median and landmark rates).",
        )
    return analyses.survival_plot(analysis, "svg")


@lru_cache(maxsize=256)
def forest_svg_cached(modality: str, outcome: str, method: str = "REML") -> bytes:
    """:func:`forest_svg`, remembered (the records do not change while the server runs)."""
    return forest_svg(modality, outcome, method)


@lru_cache(maxsize=128)
def survival_svg_cached(modality: str, kind: str = "os") -> bytes:
    return survival_svg(modality, kind)
