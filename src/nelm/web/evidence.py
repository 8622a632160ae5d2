"""Thin adapters from the web application to ``nelm.evidence``.

Each function imports the evidence modules inside itself, so the application starts (and
everything but the evidence endpoints works) when the ``evidence`` extra is missing; the
endpoints then answer 503 with :data:`NOT_INSTALLED`.

Pooling takes one record per study arm (``study_key``): when two sources report the
same arm, the first in the records' file order enters the model and the others are
listed under ``left_out`` with the reason — none is dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from nelm.errors import InputRejected, Problem
from nelm.evidence.records import arm_label, source_text
from nelm.web.errors import ApiError

if TYPE_CHECKING:
    from nelm.evidence.records import EvidenceRecord

__all__ = ["KINDS", "NOT_INSTALLED", "available", "forest_svg", "forest_svg_cached", "modalities",
           "outcomes", "pool", "records", "survival_svg",
           "survival_svg_cached"]

NOT_INSTALLED = ("The evidence base is not installed on this server (install nelm with the "
                 "'evidence' extra).")
KINDS = ("os", "pfs")
_MEDIANS = ("median_os_months", "median_pfs_months", "median_ttp_months", "median_dss_months")


def _unavailable() -> ApiError:
    return ApiError(503, NOT_INSTALLED)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the evidence base and its numerical libraries are installed (no import)."""
    from importlib.util import find_spec

    try:
        return all(find_spec(name) is not None for name in (
            "numpy", "scipy", "matplotlib", "nelm.evidence.records", "nelm.evidence.pooling"))
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
    return [{**r.as_dict(), "source_text": source_text(r.source)}
            for r in _records_for(modality, outcome)]


def _one_per_arm(found: Sequence[EvidenceRecord], outcome: str
                 ) -> tuple[list[EvidenceRecord], list[dict[str, str]]]:
    chosen: dict[str, EvidenceRecord] = {}
    left_out: list[dict[str, str]] = []
    for record in found:
        if record.n is None or record.n < 1:
            left_out.append({"id": record.id, "reason": "number of patients not reported"})
        elif record.study_key in chosen:
            left_out.append({"id": record.id, "reason": (
                f"same study arm as {chosen[record.study_key].id} (another source); "
                "pooled once")})
        else:
            chosen[record.study_key] = record
    return list(chosen.values()), left_out


def pool(modality: str, outcome: str, method: str = "REML",
         knapp_hartung: bool = False) -> dict[str, Any]:
    """The pooled estimate (percent outcomes) or the summary of medians (median outcomes)."""
    try:
        from nelm.evidence.pooling import StudyInput, pool_proportions, summarise_medians
    except ImportError as exc:
        raise _unavailable() from exc
    found = _records_for(modality, outcome)
    used, left_out = _one_per_arm(found, outcome)
    labels = {r.id: {"label": arm_label(r), "source": source_text(r.source)} for r in used}
    base: dict[str, Any] = {"modality": modality, "outcome": outcome, "left_out": left_out}
    if outcome in _MEDIANS:
        summary = summarise_medians([(r.id, int(r.n or 0), float(r.outcomes[outcome]))
                                     for r in used])
        return {**base, "kind": "median_summary", **_median_dict(summary),
                "studies": [{"id": r.id, "n": r.n, "median": r.outcomes[outcome],
                             **labels[r.id]} for r in used]}
    if not outcome.endswith("_percent"):
        raise InputRejected([Problem("outcome", "a percentage or median outcome", outcome)])
    studies = [StudyInput.from_percent(r.id, int(r.n or 0), float(r.outcomes[outcome]))
               for r in used]
    result = pool_proportions(studies, method=method, knapp_hartung=knapp_hartung)
    doc = result.as_dict()
    doc["studies"] = [{**s, **labels.get(str(s["id"]), {})} for s in doc["studies"]]
    return {**base, "kind": "pooled_proportion", **doc}


def _median_dict(summary: Any) -> dict[str, Any]:
    as_dict = getattr(summary, "as_dict", None)
    if callable(as_dict):
        result = as_dict()
        assert isinstance(result, dict)
        return result
    return {"k": summary.k, "n_total": summary.n_total,
            "weighted_median": summary.weighted_median, "label": summary.label}


def forest_svg(modality: str, outcome: str, method: str = "REML",
               knapp_hartung: bool = False) -> bytes:
    """The forest plot of a pooled percentage outcome, as SVG."""
    try:
        from nelm.evidence.forest import forest_rows, render_forest
        from nelm.evidence.pooling import StudyInput, pool_proportions
    except ImportError as exc:
        raise _unavailable() from exc
    if not outcome.endswith("_percent"):
        raise InputRejected([Problem("outcome", "a percentage outcome (medians are "
                                     "summarised, not pooled, and have no forest plot)",
                                     outcome)])
    used, _ = _one_per_arm(_records_for(modality, outcome), outcome)
    studies = [StudyInput.from_percent(r.id, int(r.n or 0), float(r.outcomes[outcome]))
               for r in used]
    result = pool_proportions(studies, method=method, knapp_hartung=knapp_hartung)
    rows = forest_rows(result, labels={r.id: arm_label(r) for r in used},
                       sources={r.id: source_text(r.source) for r in used})
    title = f"{outcome.replace('_', ' ')} — {modality.replace('_', ' ')}"
    return render_forest(result, rows, "svg", title=title,
                         subtitle=f"Random effects ({method}), logit scale")


def survival_svg(modality: str, kind: str = "os") -> bytes:
    """Approximate survival curves (Weibull through published medians and rates), SVG."""
    try:
        from nelm.evidence.survival import WeibullFit, fit_record
        from nelm.evidence.survival_plot import (
            CurveSpec,
            modality_title,
            render_survival_plot,
        )
    except ImportError as exc:
        raise _unavailable() from exc
    if kind not in KINDS:
        raise InputRejected([Problem("kind", f"must be one of {', '.join(KINDS)}", kind)])
    specs = []
    for record in _records_for(modality, None):
        fit = fit_record(record, kind)
        if isinstance(fit, WeibullFit):
            specs.append(CurveSpec(fit, arm_label(record) + (f" · n = {record.n}" if record.n
                                                            else ""),
                                   source_text(record.source)))
    if not specs:
        raise ApiError(404, f"No study arm of {modality} reports enough figures for a "
                            f"{kind} curve (two or more of median and landmark rates).")
    title = ("Overall survival" if kind == "os" else "Progression-free survival")
    return render_survival_plot(specs, "svg", title=f"{title} after {modality_title(modality)}",
                                subtitle="Weibull curves through published medians and "
                                         "landmark rates (approximation)", kind=kind)


@lru_cache(maxsize=256)
def forest_svg_cached(modality: str, outcome: str, method: str = "REML") -> bytes:
    """:func:`forest_svg`, remembered (the records do not change while the server runs)."""
    return forest_svg(modality, outcome, method)


@lru_cache(maxsize=128)
def survival_svg_cached(modality: str, kind: str = "os") -> bytes:
    return survival_svg(modality, kind)
