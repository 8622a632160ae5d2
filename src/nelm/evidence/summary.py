"""The evidence summary each option carries in an assessment.

The estimates are ``nelm.evidence.analyses.pool`` (the call ``nelm evidence pool`` and the
API make), so the assessment names the same studies and gives the same numbers.

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

from nelm.errors import InputRejected

__all__ = ["compute_summaries", "summary_for_option"]

_POOLED = ("os_5y_percent", "orr_percent")


def _analysis(option: str, outcome: str) -> Mapping[str, Any] | None:
    """``nelm.evidence.analyses.pool`` (the CLI's and the API's call), or None when too few
    studies remain for the statistic (no value is invented)."""
    from nelm.evidence.analyses import pool

    try:
        return pool(option, outcome).document
    except InputRejected:
        return None


def _pooled(option: str, outcome: str) -> dict[str, Any] | None:
    doc = _analysis(option, outcome)
    if doc is None:
        return None
    return {
        "estimate": round(doc["estimate"], 1),
        "ci": [round(doc["ci_low"], 1), round(doc["ci_high"], 1)],
        "pi": None
        if doc["pi_low"] is None or doc["pi_high"] is None
        else [round(doc["pi_low"], 1), round(doc["pi_high"], 1)],
        "k": doc["k"],
        "n": doc["n_total"],
        "i2": round(doc["i2"], 1),
        "method": "random effects (REML), logit scale",
        "record_ids": [s["id"] for s in doc["studies"]],
    }


def _medians(option: str) -> dict[str, Any] | None:
    doc = _analysis(option, "median_os_months")
    if doc is None:
        return None
    return {
        "median": round(doc["weighted_median"], 1),
        "range": [doc["minimum"], doc["maximum"]],
        "k": doc["k"],
        "n": doc["n_total"],
        "label": "n-weighted median of study medians (a summary, not a pooled estimate)",
        "record_ids": [s["id"] for s in doc["studies"]],
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
    summary["statements"] = _statements(option)
    summary["text"] = _text(summary)
    summary["nec_arms"] = _nec_arms(records)
    return summary


# Populations that are, or include, neuroendocrine carcinoma (evidence-v1 ``population``).
_NEC_POPULATIONS = {"nec": "NEC", "nen_g3": "G3 NEN: NET G3 and NEC"}


def _nec_arms(records: Any) -> list[dict[str, Any]]:
    """The option's study arms of NEC (or of G3 NEN, NEC among them), each as a line the
    assessment can show beside figures that come from well-differentiated series."""
    from nelm.evidence.records import arm_label, outcome_text

    arms: list[dict[str, Any]] = []
    for r in records:
        if r.population not in _NEC_POPULATIONS:
            continue
        outcomes = [
            f"{words} {shown}{unit}"
            for name, words, unit in (
                ("median_os_months", "median OS", " months"),
                ("os_5y_percent", "5-year OS", "%"),
                ("orr_percent", "response", "%"),
            )
            if (shown := outcome_text(r, name)) is not None
        ]
        people = f"{r.n} patients" if r.n is not None else "patients not numbered"
        arms.append(
            {
                "record_id": r.id,
                "text": f"{arm_label(r)} ({_NEC_POPULATIONS[r.population]}, {people}"
                + "".join(f", {o}" for o in outcomes)
                + f"; {_cited(r.source)})",
            }
        )
    return arms


def _cited(source: Mapping[str, str]) -> str:
    """``000 Table 1``: the seed and place, as the assessment cites the seeds elsewhere."""
    seed, locator = source.get("seed"), source.get("locator", "")
    if seed:
        return f"{seed} {locator}".strip()
    return ", ".join(p for p in (source.get("citation", ""), locator) if p)


def _statements(option: str) -> list[dict[str, Any]]:
    """What the seed reviews say about the option across studies (data/statements.yaml)."""
    from nelm.evidence.analyses import statement_cautions

    return [
        {"text": c["text"], "quote": c["quote"], "source": c["source"]}
        for c in statement_cautions(option)
    ]


def _text(s: Mapping[str, Any]) -> str:
    statements = " ".join(str(c["text"]) for c in s.get("statements") or ())
    if not s["studies"]:
        if statements:
            return (
                "No single study arm of this option is recorded in the five source "
                f"reviews. The reviews say: {statements}"
            )
        return "No study of this option is recorded in the five source reviews."
    arms = f"{s['studies']} study arm{'s' if s['studies'] != 1 else ''}"
    if s["arms_without_n"] == s["studies"]:
        parts = [f"{arms} (patient numbers not given in the sources)"]
    elif s["arms_without_n"]:
        given = s["studies"] - s["arms_without_n"]
        which = "the one that gives" if given == 1 else f"the {given} that give"
        parts = [f"{arms}, {s['patients']:,} patients in {which} a number"]
    else:
        parts = [f"{arms}, {s['patients']:,} patients"]
    os5 = s.get("os_5y_percent")
    if os5:
        parts.append(
            f"pooled 5-year OS {os5['estimate']:g}% (95% CI {os5['ci'][0]:g}–"
            f"{os5['ci'][1]:g}, k={os5['k']})"
        )
    orr = s.get("orr_percent")
    if orr:
        parts.append(
            f"pooled response {orr['estimate']:g}% (95% CI {orr['ci'][0]:g}–"
            f"{orr['ci'][1]:g}, k={orr['k']})"
        )
    med = s.get("median_os_months")
    if med:
        parts.append(
            f"median OS {med['range'][0]:g}–{med['range'][1]:g} months "
            f"(n-weighted median {med['median']:g}, k={med['k']})"
        )
    text = "; ".join(parts)
    return f"{text}. The reviews say: {statements}" if statements else text


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
