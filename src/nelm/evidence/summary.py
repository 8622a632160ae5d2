"""The evidence summary each option carries in an assessment.

For an option: how many distinct study arms and patients the records hold, the pooled
5-year overall survival and objective response (random effects, REML, logit scale) where
at least two studies report them, and the median overall survival as a summary of medians
(n-weighted median and range — never pooled). The records behind it are listed by id.

Computing this needs numpy and scipy, which ``nelm assess`` should not import; the summaries
are therefore computed by ``tools/build_evidence_summaries.py`` into
``data/summaries.json`` and read from there. A test recomputes them and fails if the file
is stale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["compute_summaries", "summary_for_option"]

_POOLED = ("os_5y_percent", "orr_percent")


def _pooled(option: str, outcome: str) -> dict[str, Any] | None:
    from nelm.errors import InputRejected
    from nelm.evidence.pooling import StudyInput, pool_proportions
    from nelm.evidence.records import records_for
    from nelm.evidence.selection import select_records

    selection = select_records(records_for(modality=option, outcome=outcome), outcome)
    studies = [StudyInput.from_percent(r.id, r.n, r.outcomes[outcome])
               for r in selection.used if r.n is not None]
    try:
        result = pool_proportions(studies, method="REML")
    except InputRejected:
        return None  # fewer than two studies: no pooled value, and none is invented
    return {
        "estimate": round(result.estimate, 1),
        "ci": [round(result.ci_low, 1), round(result.ci_high, 1)],
        "pi": None if result.pi_low is None or result.pi_high is None
        else [round(result.pi_low, 1), round(result.pi_high, 1)],
        "k": result.k,
        "n": result.n_total,
        "i2": round(result.i2, 1),
        "method": "random effects (REML), logit scale",
        "record_ids": [s.id for s in result.studies],
    }


def _medians(option: str) -> dict[str, Any] | None:
    from nelm.errors import InputRejected
    from nelm.evidence.pooling import summarise_medians
    from nelm.evidence.records import records_for
    from nelm.evidence.selection import select_records

    outcome = "median_os_months"
    selection = select_records(records_for(modality=option, outcome=outcome), outcome)
    items = [(r.id, r.n, r.outcomes[outcome]) for r in selection.used if r.n is not None]
    try:
        summary = summarise_medians(items)
    except InputRejected:
        return None
    return {
        "median": round(summary.weighted_median, 1),
        "range": [summary.minimum, summary.maximum],
        "k": summary.k,
        "n": summary.n_total,
        "label": "n-weighted median of study medians (a summary, not a pooled estimate)",
        "record_ids": [item[0] for item in items],
    }


def _summary(option: str) -> dict[str, Any]:
    from nelm.evidence.records import records_for

    records = records_for(modality=option)
    first_per_arm: dict[str, int | None] = {}
    for record in records:
        first_per_arm.setdefault(record.study_key, record.n)
    summary: dict[str, Any] = {
        "studies": len(first_per_arm),
        "patients": sum(n for n in first_per_arm.values() if n is not None),
        "arms_without_n": sum(1 for n in first_per_arm.values() if n is None),
        "record_ids": [r.id for r in records],
        "median_os_months": _medians(option),
    }
    for outcome in _POOLED:
        summary[outcome] = _pooled(option, outcome)
    summary["text"] = _text(summary)
    return summary


def _text(s: Mapping[str, Any]) -> str:
    if not s["studies"]:
        return "No study of this option is recorded in the five source reviews."
    arms = f"{s['studies']} study arm{'s' if s['studies'] != 1 else ''}"
    if s["arms_without_n"] == s["studies"]:
        parts = [f"{arms} (patient numbers not given in the sources)"]
    elif s["arms_without_n"]:
        parts = [f"{arms}, {s['patients']:,} patients in the {s['studies'] - s['arms_without_n']}"
                 " that give a number"]
    else:
        parts = [f"{arms}, {s['patients']:,} patients"]
    os5 = s.get("os_5y_percent")
    if os5:
        parts.append(f"pooled 5-year OS {os5['estimate']:g}% (95% CI {os5['ci'][0]:g}–"
                     f"{os5['ci'][1]:g}, k={os5['k']})")
    orr = s.get("orr_percent")
    if orr:
        parts.append(f"pooled response {orr['estimate']:g}% (95% CI {orr['ci'][0]:g}–"
                     f"{orr['ci'][1]:g}, k={orr['k']})")
    med = s.get("median_os_months")
    if med:
        parts.append(f"median OS {med['range'][0]:g}–{med['range'][1]:g} months "
                     f"(n-weighted median {med['median']:g}, k={med['k']})")
    return "; ".join(parts)


def compute_summaries() -> dict[str, dict[str, Any]]:
    """Every option's summary, computed from the records (needs numpy and scipy)."""
    from nelm.case.fields import OPTION_IDS

    return {option: _summary(option) for option in OPTION_IDS}


@cache
def _stored() -> dict[str, dict[str, Any]]:
    path = resources.files("nelm.evidence") / "data" / "summaries.json"
    loaded: dict[str, dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return loaded


def summary_for_option(option: str) -> Mapping[str, Any]:
    """The stored summary of ``option`` (see the module docstring)."""
    return _stored()[option]
