"""The evidence analyses: one function per question, called by every adapter.

``nelm evidence pool`` and ``nelm evidence survival``, the web evidence pages and the REST
API, the reports and the evidence summary of every assessment all call these functions, so
a question (say, 5-year overall survival after TAE) has one answer wherever it is asked:
the same records (``nelm.evidence.selection`` decides which, and lists every record set
aside with its reason), the same estimate, the same evidence-v1 document and the same
titles. Adapters only format what comes back.

numpy, scipy and matplotlib are imported inside the functions that need them.

Where it is: the record selection in :mod:`nelm.evidence.selection`; how records and
sources are named in :mod:`nelm.evidence.labels`; the survival curves in
:mod:`nelm.evidence.survival_analysis`; the pools, their documents and the forest plot
here. Every name in ``__all__`` is importable from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from nelm.errors import InputRejected, Problem, not_one_of
from nelm.evidence.labels import distinct_labels, source_label, who_columns
from nelm.evidence.records import source_text
from nelm.evidence.selection import Selection, is_median_outcome, select_records
from nelm.evidence.survival_analysis import (
    SurvivalAnalysis,
    curve_label,
    survival,
    survival_plot,
    survival_title,
)
from nelm.vocabulary import modality_title, outcome_title, vocabulary

if TYPE_CHECKING:
    from nelm.evidence.forest import ForestRow
    from nelm.evidence.pooling import MedianSummary, PoolResult
    from nelm.evidence.records import EvidenceRecord

__all__ = [
    "DUPLICATE_RULE",
    "METHODS",
    "NO_FILTERS",
    "Filters",
    "PoolAnalysis",
    "SurvivalAnalysis",
    "candidates",
    "check_question",
    "comparator_arms",
    "curve_label",
    "distinct_labels",
    "forest_plot",
    "forest_size",
    "heading",
    "patient_subgroup",
    "patient_subgroup_first",
    "pool",
    "select",
    "source_label",
    "statement_cautions",
    "survival",
    "survival_plot",
    "survival_title",
]

DUPLICATE_RULE: Final = "a table before running text, then the lower seed number, then id"


@dataclass(frozen=True, slots=True)
class Filters:
    """Optional narrowing of the records before selection (``nelm evidence pool`` options)."""

    population: str | None = None
    design: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "design": self.design,
            "year_from": self.year_from,
            "year_to": self.year_to,
        }

    def text(self) -> str:
        return "; ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in self.as_dict().items() if v is not None
        )

    def admits(self, record: EvidenceRecord) -> bool:
        year = record.year
        return (
            (self.population is None or record.population == self.population)
            and (self.design is None or record.design == self.design)
            and (self.year_from is None or (year is not None and year >= self.year_from))
            and (self.year_to is None or (year is not None and year <= self.year_to))
        )


NO_FILTERS: Final = Filters()


def heading(modality: str, outcome: str) -> str:
    """``5-year overall survival after TAE``: the title of an analysis everywhere."""
    title = outcome_title(outcome)
    return f"{title[:1].upper()}{title[1:]} after {modality_title(modality)}"


def candidates(modality: str, outcome: str, filters: Filters = NO_FILTERS) -> list[EvidenceRecord]:
    """The records of ``modality`` with a number for ``outcome`` that pass ``filters``."""
    from nelm.evidence.records import records_for

    return [r for r in records_for(modality=modality, outcome=outcome) if filters.admits(r)]


def select(modality: str, outcome: str, filters: Filters = NO_FILTERS) -> Selection:
    """The records that enter the statistic, and every other one with its reason."""
    from nelm.evidence.records import load_records

    return select_records(
        candidates(modality, outcome, filters),
        outcome,
        siblings=load_records(),
        high_grade_admitted=filters.population is not None,
    )


def statement_cautions(modality: str, outcome: str | None = None) -> list[dict[str, Any]]:
    """What the seed reviews say about ``modality`` across studies (data/statements.yaml),
    for the statistics of ``outcome`` (every statement of the modality when None)."""
    from nelm.evidence.records import seed_statements

    return [
        {
            "text": s.text,
            "quote": s.quote,
            "source": dict(s.source),
            "source_text": source_text(s.source),
        }
        for s in seed_statements()
        if s.modality == modality and (outcome is None or outcome in s.outcomes)
    ]


def _cautions(selection: Selection, modality: str, outcome: str) -> list[str]:
    """Cautions printed beside a statistic: the selection's (patient counts that differ
    between sources, selected subgroups), then the seeds' own statements with their quote."""
    found = list(selection.cautions)
    found += [
        f'{c["text"]} The review\'s words: "{c["quote"]}"'
        for c in statement_cautions(modality, outcome)
    ]
    return found


def patient_subgroup(primary_site: str | None) -> tuple[str, ...]:
    """The study populations a patient with this primary site belongs to (vocabulary.yaml
    ``populations``: a pancreatic primary → ``pnet``; a small-intestinal one → ``si_net``,
    ``midgut_net``); none for an unknown site or one no population names."""
    if not primary_site:
        return ()
    sites = vocabulary().population_sites
    return tuple(p for p, its in sites.items() if primary_site in its)


def patient_subgroup_first(
    records: Sequence[EvidenceRecord], primary_site: str | None
) -> list[EvidenceRecord]:
    """``records`` with the arms of the patient's own subgroup first (order kept within)."""
    own = patient_subgroup(primary_site)
    return sorted(records, key=lambda r: r.population not in own)


def _publication(record: EvidenceRecord) -> tuple[Any, ...] | None:
    reference = record.source.get("reference")
    if not reference:
        return None
    return (record.author, record.year, record.source.get("seed"), reference)


def comparator_arms(modality: str) -> list[EvidenceRecord]:
    """The other arms of the studies that report an arm of ``modality``: arms of another
    modality that the same review cites from the same publication (same first author,
    year and reference), such as NETTER-1's octreotide LAR control arm beside its
    177Lu-Dotatate arm (seed 000 §4, seed 002 §2.3)."""
    from nelm.evidence.records import load_records, records_for

    own = {key for r in records_for(modality=modality) if (key := _publication(r)) is not None}
    return [r for r in load_records() if r.modality != modality and _publication(r) in own]


def _selection_report(selection: Selection, outcome: str) -> dict[str, Any]:
    excluded = [
        {**who_columns(e.record), "value": e.record.outcomes.get(outcome), "reason": e.reason}
        for e in selection.excluded
    ]
    duplicates = [
        {
            "study_key": d.study_key,
            "used": d.used.id,
            "not_used": [r.id for r in d.others],
            "values": {r.id: r.outcomes.get(outcome) for r in (d.used, *d.others)},
            "n": {r.id: r.n for r in (d.used, *d.others)},
            "sources": {r.id: source_text(r.source) for r in (d.used, *d.others)},
            "rule": DUPLICATE_RULE,
        }
        for d in selection.duplicates
    ]
    # ``left_out``: every record not used, with its reason, in one flat list (the web
    # API's earlier key, kept so its readers go on working).
    left_out = [{"id": e.record.id, "reason": e.reason} for e in selection.excluded]
    left_out += [
        {
            "id": r.id,
            "reason": f"same study arm as {d.used.id} (another source; "
            f"{DUPLICATE_RULE}); pooled once",
        }
        for d in selection.duplicates
        for r in d.others
    ]
    return {"excluded": excluded, "duplicates": duplicates, "left_out": left_out}


def _pool_document(
    result: PoolResult, selection: Selection, *, modality: str, outcome: str, filters: Filters
) -> dict[str, Any]:
    """The pooled result as plain data: the contract's keys first (evidence-v1.md)."""
    pooled = result.as_dict()
    by_id = {r.id: r for r in selection.used}
    labels = distinct_labels(selection.used)
    studies = [
        {
            **study,
            **{k: v for k, v in who_columns(by_id[study["id"]]).items() if k != "id"},
            "label": labels[study["id"]],
            "reported_percent": by_id[study["id"]].outcomes[outcome],
        }
        for study in pooled.pop("studies")
    ]
    contract = {
        "modality": modality,
        "outcome": outcome,
        "method": pooled.pop("method"),
        "k": pooled.pop("k"),
        "n_total": pooled.pop("n_total"),
        "estimate": pooled.pop("estimate"),
        "ci_low": pooled.pop("ci_low"),
        "ci_high": pooled.pop("ci_high"),
        "pi_low": pooled.pop("pi_low"),
        "pi_high": pooled.pop("pi_high"),
        "tau2": pooled.pop("tau2"),
        "i2": pooled.pop("i2"),
        "q": pooled.pop("q"),
        "q_p": pooled.pop("q_p"),
        "studies": studies,
    }
    notes = list(pooled.pop("notes")) + list(selection.notes)
    return {
        **contract,
        "pooled": True,
        "kind": "pooled_proportion",
        "outcome_title": outcome_title(outcome),
        "title": heading(modality, outcome),
        **pooled,
        "scale": "logit; estimate and intervals back-transformed to percent",
        "filters": filters.as_dict(),
        **_selection_report(selection, outcome),
        "cautions": _cautions(selection, modality, outcome),
        "notes": notes,
    }


def _median_document(
    summary: MedianSummary, selection: Selection, *, modality: str, outcome: str, filters: Filters
) -> dict[str, Any]:
    """The summary of medians as plain data; says ``"pooled": false``."""
    data = summary.as_dict()
    by_id = {r.id: r for r in selection.used}
    labels = distinct_labels(selection.used)
    studies = [
        {
            **item,
            **{k: v for k, v in who_columns(by_id[item["id"]]).items() if k != "id"},
            "label": labels[item["id"]],
        }
        for item in data.pop("studies")
    ]
    return {
        "modality": modality,
        "outcome": outcome,
        "method": "median summary (not pooled)",
        **data,
        "kind": "median_summary",
        "outcome_title": outcome_title(outcome),
        "title": heading(modality, outcome),
        "studies": studies,
        "filters": filters.as_dict(),
        **_selection_report(selection, outcome),
        "cautions": _cautions(selection, modality, outcome),
        "notes": list(selection.notes),
    }


# --------------------------------------------------------------------------- pooling


@dataclass(frozen=True, slots=True)
class PoolAnalysis:
    """One pooled percentage (``result``) or one summary of medians (``summary``)."""

    modality: str
    outcome: str
    filters: Filters
    selection: Selection
    document: Mapping[str, Any]
    result: PoolResult | None = None
    summary: MedianSummary | None = None


def check_question(modality: str, outcome: str, method: str = "REML") -> None:
    """Refuse an unknown modality, outcome or method, naming the parameter."""
    from nelm.evidence.records import MODALITIES, OUTCOMES

    problems: list[Problem] = []
    if modality not in MODALITIES:
        problems.append(not_one_of("modality", modality, MODALITIES))
    if outcome not in OUTCOMES:
        problems.append(not_one_of("outcome", outcome, OUTCOMES))
    if method not in METHODS:
        problems.append(not_one_of("method", method, METHODS))
    if problems:
        raise InputRejected(problems)


METHODS: Final = ("REML", "DL", "PM", "FE")  # nelm.evidence.pooling.METHODS, without numpy


def pool(
    modality: str,
    outcome: str,
    *,
    method: str = "REML",
    knapp_hartung: bool = False,
    filters: Filters = NO_FILTERS,
) -> PoolAnalysis:
    """Pool a percentage outcome (random effects, logit scale) or summarise a median one.

    Raises :class:`~nelm.errors.InputRejected` for an unknown question and when fewer
    studies remain than the statistic needs (the message says how many).
    """
    check_question(modality, outcome, method)
    from nelm.evidence.pooling import StudyInput, pool_proportions, summarise_medians

    selection = select(modality, outcome, filters)
    if is_median_outcome(outcome):
        summary = summarise_medians([(r.id, r.n or 0, r.outcomes[outcome]) for r in selection.used])
        document = _median_document(
            summary, selection, modality=modality, outcome=outcome, filters=filters
        )
        return PoolAnalysis(modality, outcome, filters, selection, document, summary=summary)
    studies = [StudyInput.from_percent(r.id, r.n or 0, r.outcomes[outcome]) for r in selection.used]
    result = pool_proportions(studies, method=method, knapp_hartung=knapp_hartung)
    document = _pool_document(
        result, selection, modality=modality, outcome=outcome, filters=filters
    )
    return PoolAnalysis(modality, outcome, filters, selection, document, result=result)


def borrowed_n_note(record: EvidenceRecord, label: str) -> str | None:
    """When ``record`` (as used) carries a patient count its own source does not print,
    where the count comes from and what the source prints: the forest plot's ‡ note."""
    from nelm.evidence.records import load_records

    printed = next((r for r in load_records() if r.id == record.id), None)
    if printed is None or printed.n == record.n:
        return None
    givers = "; ".join(
        source_label(r.source)
        for r in load_records()
        if r.study_key == record.study_key and r.id != record.id and r.n == record.n
    )
    own = source_label(record.source)
    prints = f"{own} prints {printed.n}" if printed.n is not None else f"{own} gives no n"
    later = (
        " (a later analysis of the study than the count's source: flag later_analysis)"
        if "later_analysis" in record.flags
        else ""
    )
    return f"{label}: n = {record.n} as {givers} gives it; {prints}{later}."


def _forest_rows(analysis: PoolAnalysis) -> list[ForestRow]:
    """The rows a forest plot of ``analysis`` draws (its result must be a pool)."""
    from nelm.evidence.forest import forest_rows

    assert analysis.result is not None
    used = analysis.selection.used
    labels = distinct_labels(used)
    sources = {r.id: source_label(r.source) for r in used}
    n_notes = {r.id: note for r in used if (note := borrowed_n_note(r, labels[r.id])) is not None}
    return forest_rows(analysis.result, labels, sources, n_notes)


def forest_size(analysis: PoolAnalysis) -> tuple[float, float]:
    """The forest plot's width and height in inches (``forest.figure_size``)."""
    from nelm.evidence.forest import figure_size

    if analysis.result is None:
        raise ValueError("a median summary has no forest plot")
    return figure_size(analysis.result, _forest_rows(analysis))


def forest_plot(analysis: PoolAnalysis, fmt: str) -> bytes:
    """The forest plot of a pooled analysis (``svg`` or ``png``)."""
    from nelm.evidence.forest import render_forest

    if analysis.result is None:
        raise InputRejected(
            [
                Problem(
                    "outcome",
                    "a percentage outcome (medians are "
                    "summarised, not pooled, and have no forest plot)",
                    analysis.outcome,
                )
            ]
        )
    doc = analysis.document
    subtitle = f"{doc['k']} study arms, {doc['n_total']} patients"
    if analysis.filters.text():
        subtitle += f" · {analysis.filters.text()}"
    excluded, duplicates = len(doc["excluded"]), len(doc["duplicates"])
    if excluded:
        subtitle += f" · {excluded} record{'s' if excluded != 1 else ''} excluded"
    if duplicates:
        subtitle += f" · {duplicates} arm{'s' if duplicates != 1 else ''} in two sources"
    if excluded or duplicates:
        subtitle += " (see the text or JSON output)"
    return render_forest(
        analysis.result,
        _forest_rows(analysis),
        fmt,
        title=str(doc["title"]),
        subtitle=subtitle,
    )


# -------------------------------------------------------------------------- survival
