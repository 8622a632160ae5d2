"""Thin adapters from the web application to ``nelm.evidence``.

Each function imports the evidence modules inside itself, so the application starts (and
everything but the evidence endpoints works) when the ``evidence`` extra is missing; the
endpoints then answer 503 with :data:`NOT_INSTALLED`.

The analyses are ``nelm.evidence.analyses`` (the command line and the assessment's
evidence summary call the same functions), so every path gives one answer per question.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from nelm.errors import InputRejected, Problem
from nelm.evidence.analyses import source_label
from nelm.evidence.flag_words import flag_sentences, without_flag_codes
from nelm.evidence.records import source_text
from nelm.web.errors import ApiError

if TYPE_CHECKING:
    from nelm.evidence.analyses import PoolAnalysis
    from nelm.evidence.records import EvidenceRecord

__all__ = [
    "NOT_INSTALLED",
    "available",
    "forest_svg",
    "forest_svg_cached",
    "modalities",
    "outcomes",
    "page",
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
    """The evidence records (evidence-v1 dictionaries), each with ``source_text`` ("seed
    000, Table 2") and ``source_label`` ("Ngongoni 2022, Table 2")."""
    return [
        {
            **r.as_dict(),
            "source_text": source_text(r.source),
            "source_label": source_label(r.source),
        }
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


# The 404 names the curve in words ("a os curve" read as a slip).
_CURVE_WORDS = {"os": "an overall-survival", "pfs": "a progression-free-survival"}


def survival_svg(modality: str, kind: str = "os", high_grade: bool = False) -> bytes:
    """Approximate survival curves (Weibull through published medians and rates), SVG;
    high-grade arms (NEC, G3) only when ``high_grade`` asks for them, marked as such."""
    try:
        from nelm.evidence import analyses
    except ImportError as exc:
        raise _unavailable() from exc
    analysis = analyses.survival(modality, kind, high_grade=high_grade)
    if not analysis.drawn:
        raise ApiError(
            404,
            f"No study arm of {modality} reports enough figures for "
            f"{_CURVE_WORDS.get(kind, f'a {kind}')} curve (two or more of median and "
            "landmark rates).",
        )
    return analyses.survival_plot(analysis, "svg")


@lru_cache(maxsize=256)
def forest_svg_cached(modality: str, outcome: str, method: str = "REML") -> bytes:
    """:func:`forest_svg`, remembered (the records do not change while the server runs)."""
    return forest_svg(modality, outcome, method)


@lru_cache(maxsize=128)
def survival_svg_cached(modality: str, kind: str = "os", high_grade: bool = False) -> bytes:
    return survival_svg(modality, kind, high_grade)


# The outcomes an evidence page pools or summarises, in the order a board reads them.
POOL_OUTCOMES = (
    "os_5y_percent",
    "os_3y_percent",
    "os_1y_percent",
    "median_os_months",
    "median_pfs_months",
    "orr_percent",
    "dcr_percent",
    "morbidity_percent",
    "mortality_percent",
    "symptom_response_percent",
)


def _arm_row(record: EvidenceRecord, own: tuple[str, ...]) -> dict[str, Any]:
    """One study arm in a reader's words: design and population named, the source as a
    citation the page's reference list resolves ("000 §4" → Ngongoni 2022, §4)."""
    from nelm.evidence.records import arm_label, outcome_text
    from nelm.evidence.selection import never_pooled_reason
    from nelm.vocabulary import design_title, modality_title, population_title

    source = record.source
    reported = (*record.outcomes, *record.not_reached)
    return {
        **record.as_dict(),
        # each outcome as printed: "81", "not reached" (never a dash, which reads as absent)
        "values": {name: text for name in reported if (text := outcome_text(record, name))},
        "label": arm_label(record),
        "modality_title": modality_title(record.modality),
        "design_title": design_title(record.design),
        "population_title": population_title(record.population),
        "citation": f"{source.get('seed', '')} {source.get('locator', '')}".strip(),
        "reference": source.get("reference") or "",
        "in_subgroup": record.population in own,
        # the extraction's note and flags in words: the codes stay in the API's JSON
        "note": without_flag_codes(record.note) if record.note else None,
        "flag_words": flag_sentences(record.flags),
        # figures no statistic uses, whoever asks (Sahara 2019's OS, which repeats its
        # DFS): marked in their cell, not only in the sentence under the row
        "set_aside": [name for name in reported if never_pooled_reason(record, name)],
    }


_ASK_FOR_POPULATION = re.compile(r"; ask for population \w+ to pool it")
"""The end of ``nelm.evidence.selection``'s reason for a high-grade arm: a hint to the
command line's and the API's users (``--population nen_g3``)."""


def _reason_in_words(record: EvidenceRecord, reason: str) -> str:
    """Why a record is not pooled, in a reader's words: no flag's code, the population
    named ("a high-grade population (grade 3 NEN …)", not "(nen_g3)"), and without the
    hint to ask for that population, which the page has no control for."""
    from nelm.vocabulary import population_title

    reason = _ASK_FOR_POPULATION.sub("", without_flag_codes(reason))
    return reason.replace(f"({record.population})", f"({population_title(record.population)})")


def _citation(record: EvidenceRecord) -> str:
    return f"{record.source.get('seed', '')} {record.source.get('locator', '')}".strip()


def _not_pooled(analysis: PoolAnalysis) -> list[dict[str, str]]:
    """The records of the question that the statistic does not use, each with its reason,
    in a reader's words: the figure's subtitle counts them, the page names them."""
    from nelm.evidence.analyses import DUPLICATE_RULE
    from nelm.evidence.records import arm_label

    selection = analysis.selection
    rows = [
        {
            "label": arm_label(e.record),
            "citation": _citation(e.record),
            "reason": _reason_in_words(e.record, e.reason),
        }
        for e in selection.excluded
    ]
    rows += [
        {
            "label": arm_label(other),
            "citation": _citation(other),
            "reason": f"the same study arm as the row from {_citation(d.used)}, which is "
            f"used: counted once ({DUPLICATE_RULE})",
        }
        for d in selection.duplicates
        for other in d.others
    ]
    return rows


@lru_cache(maxsize=512)
def page(modality: str, primary_site: str | None) -> dict[str, Any]:
    """What the evidence page of ``modality`` shows for a patient with ``primary_site``,
    every number from ``nelm.evidence.analyses`` (remembered: the records do not change
    while the server runs). The template must not change what it is given."""
    try:
        from nelm.evidence import analyses
        from nelm.evidence.records import records_for
    except ImportError as exc:
        raise _unavailable() from exc
    from nelm.vocabulary import population_title

    own = analyses.patient_subgroup(primary_site)
    found = analyses.patient_subgroup_first(records_for(modality=modality), primary_site)
    rows = [_arm_row(r, own) for r in found]
    pools: list[dict[str, Any]] = []
    for outcome in POOL_OUTCOMES:
        if sum(1 for r in found if outcome in r.outcomes and r.n) < 2:
            continue
        try:
            analysis = analyses.pool(modality, outcome)
        except InputRejected:
            continue
        pooled = dict(analysis.document)
        pooled["not_pooled"] = _not_pooled(analysis)
        pooled["cautions"] = [without_flag_codes(c) for c in pooled.get("cautions") or ()]
        if analysis.result is not None:
            # the plot's height at the page's 1000-pixel width, so its place is kept
            width, height = analyses.forest_size(analysis)
            pooled["figure_height"] = round(1000 * height / width)
        pools.append(pooled)
    # The same questions in the patient's own subgroup, where two or more arms report them.
    subgroup_pools: list[dict[str, Any]] = []
    for population in own:
        for outcome in POOL_OUTCOMES:
            try:
                document = analyses.pool(
                    modality, outcome, filters=analyses.Filters(population=population)
                ).document
            except InputRejected:
                continue
            if document["k"] >= 2:
                subgroup_pools.append(
                    {
                        **document,
                        "population_title": population_title(population),
                        "cautions": [without_flag_codes(c) for c in document["cautions"]],
                    }
                )
    curves = {}
    for kind in ("os", "pfs"):
        document = analyses.survival(modality, kind).document
        # A figure without curves is shown when an arm was left out because it is a
        # selected subgroup alone (PRRT: Kaemmerer 2021) or of a high-grade population,
        # so that the page says why.
        if document["curves"] or any(
            s["code"] in ("lone_subgroup", "high_grade") for s in document["skipped"]
        ):
            curves[kind] = dict(document)
    present = {o for r in found for o in (*r.outcomes, *r.not_reached)}
    comparators = [_arm_row(r, own) for r in analyses.comparator_arms(modality)]
    present_cmp = {
        o for r in analyses.comparator_arms(modality) for o in (*r.outcomes, *r.not_reached)
    }
    return {
        "records": rows,
        "statements": analyses.statement_cautions(modality),
        "subgroup": [population_title(p) for p in own],
        "in_subgroup": sum(1 for r in rows if r["in_subgroup"]),
        "pools": pools,
        "subgroup_pools": subgroup_pools,
        "curves": curves,
        "comparators": comparators,
        "outcome_names": [o for o in outcomes() if o in present],
        "comparator_outcomes": [o for o in outcomes() if o in present_cmp],
    }
