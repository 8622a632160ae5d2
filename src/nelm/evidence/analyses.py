"""The evidence analyses: one function per question, called by every adapter.

``nelm evidence pool`` and ``nelm evidence survival``, the web evidence pages and the REST
API, the reports and the evidence summary of every assessment all call these functions, so
a question (say, 5-year overall survival after TAE) has one answer wherever it is asked:
the same records (``nelm.evidence.selection`` decides which, and lists every record set
aside with its reason), the same estimate, the same evidence-v1 document and the same
titles. Adapters only format what comes back.

numpy, scipy and matplotlib are imported inside the functions that need them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from nelm.errors import InputRejected, Problem, not_one_of
from nelm.evidence.records import arm_label, source_text
from nelm.evidence.selection import Selection, is_median_outcome, select_records
from nelm.vocabulary import modality_title, outcome_title, vocabulary

if TYPE_CHECKING:
    from nelm.evidence.forest import ForestRow
    from nelm.evidence.pooling import MedianSummary, PoolResult
    from nelm.evidence.records import EvidenceRecord
    from nelm.evidence.survival import FitRefused, WeibullFit

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
    "forest_plot",
    "heading",
    "patient_subgroup",
    "patient_subgroup_first",
    "pool",
    "select",
    "source_label",
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


def source_label(source: Mapping[str, Any]) -> str:
    """A record's source as a reader names it: ``Ngongoni 2022, Table 2`` (sources.yaml),
    for the plots; the source's own text when the review is not in the reference list."""
    from nelm.knowledge.sources import ReferenceList

    citation = f"{source.get('seed', '')} {source.get('locator', '')}".strip()
    label = ReferenceList().label(citation)
    return label if label != citation else source_text(source)


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


# ------------------------------------------------------------------------ documents


def _who(record: EvidenceRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "study_key": record.study_key,
        "author": record.author,
        "year": record.year,
        "arm": record.arm,
        "label": arm_label(record),
        "source": dict(record.source),
        "source_text": source_text(record.source),
        "source_label": source_label(record.source),
    }


def _reference_mark(record: EvidenceRecord) -> str | None:
    """The study's reference number in the review that reports it: ``ref. 82`` (the
    source column names the review)."""
    import re

    cited = record.source.get("reference") or ""
    found = re.search(r"\d+", str(cited)) or re.search(
        r"\[(\d+)\]", str(record.source.get("row", ""))
    )
    if found is None:
        return None
    return f"ref. {found.group(found.lastindex or 0)}"


def distinct_labels(records: Sequence[EvidenceRecord]) -> dict[str, str]:
    """``arm_label`` of each record, made distinct where two arms would read alike (two
    PRRT papers of Ezziddin 2011 in 000 Table 4): the review's reference number, else n,
    else the study key, is added to each of them."""
    labels = {r.id: arm_label(r) for r in records}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    for record in records:
        label = labels[record.id]
        if counts[label] < 2:
            continue
        mark = _reference_mark(record)
        labels[record.id] = f"{label} · {mark or record.study_key}"
    return labels


def _selection_report(selection: Selection, outcome: str) -> dict[str, Any]:
    excluded = [
        {**_who(e.record), "value": e.record.outcomes.get(outcome), "reason": e.reason}
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
            **{k: v for k, v in _who(by_id[study["id"]]).items() if k != "id"},
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
            **{k: v for k, v in _who(by_id[item["id"]]).items() if k != "id"},
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


@dataclass(frozen=True, slots=True)
class SurvivalAnalysis:
    """Every arm of a modality fitted (or refused, with the reason), and the document."""

    modality: str
    kind: str
    fitted: tuple[tuple[EvidenceRecord, WeibullFit | FitRefused], ...]
    document: Mapping[str, Any]

    @property
    def drawn(self) -> int:
        return len(self.document["curves"])


SELECTED_SUBGROUP_MARK: Final = " (selected subgroup)"
HIGH_GRADE_MARK: Final = "HIGH GRADE"
"""Begins the label of a high-grade arm drawn on request: "HIGH GRADE (neuroendocrine
carcinoma) · Feng 2019 · …", so it cannot be read as one of the G1–G2 arms beside it."""


def is_high_grade(record: EvidenceRecord) -> bool:
    """A high-grade population (``nec``, ``nen_g3``): pooled and drawn only when asked for
    (``selection.HIGH_GRADE_POPULATIONS``; 001 Figure 2, 000 §4)."""
    from nelm.evidence.selection import HIGH_GRADE_POPULATIONS

    return record.population in HIGH_GRADE_POPULATIONS


def curve_label(record: EvidenceRecord) -> str:
    """``Mayo 2011 · Surgery · n = 339``; an arm flagged ``selected_subgroup`` says so, and
    a high-grade arm begins with ``HIGH GRADE (neuroendocrine carcinoma)``."""
    from nelm.vocabulary import population_title

    subgroup = SELECTED_SUBGROUP_MARK if "selected_subgroup" in record.flags else ""
    grade = (
        f"{HIGH_GRADE_MARK} ({population_title(record.population)}) · "
        if is_high_grade(record)
        else ""
    )
    return grade + arm_label(record) + subgroup + (f" · n = {record.n}" if record.n else "")


def _range_basis(fit: WeibullFit, follow_up: float | None) -> str:
    last = max(fit.anchors, key=lambda a: a.months)
    if follow_up is not None and follow_up > last.months:
        return f"median follow-up {follow_up:g} mo"
    return last.label


def _survival_document(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]],
    *,
    modality: str,
    kind: str,
    high_grade: bool,
) -> dict[str, Any]:
    from nelm.evidence.survival import WeibullFit
    from nelm.evidence.survival_plot import CAPTION

    curves: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for record, result in fitted:
        who = {
            "id": record.id,
            "study_key": record.study_key,
            "author": record.author,
            "year": record.year,
            "arm": record.arm,
        }
        if not isinstance(result, WeibullFit):
            skipped.append({**who, "code": str(result.code), "reason": result.reason})
            continue
        curves.append(
            {
                **who,
                "label": curve_label(record),
                "design": record.design,
                "population": record.population,
                "n": record.n,
                "shape": round(result.shape, 4),
                "shape_bounds": (
                    None
                    if result.shape_bounds is None
                    else [round(result.shape_bounds[0], 4), round(result.shape_bounds[1], 4)]
                ),
                "scale_months": round(result.scale_months, 2),
                "range_months": [0, round(result.max_months, 2)],
                "range_basis": _range_basis(result, record.follow_up_months),
                "rmse_cloglog": round(result.rmse_cloglog, 4),
                "anchors": [
                    {
                        "label": a.label,
                        "months": a.months,
                        "survival_percent": round(100 * a.survival, 2),
                        "fitted_percent": round(100 * value, 1),
                    }
                    for a, value in zip(result.anchors, result.fitted_at_anchors(), strict=True)
                ],
                "source": dict(record.source),
                "source_text": source_text(record.source),
                "source_label": source_label(record.source),
                "flags": list(record.flags),
                "selected_subgroup": "selected_subgroup" in record.flags,
                "high_grade": is_high_grade(record),
                "misses": list(result.misses()),
                "notes": list(result.notes),
            }
        )
    return {
        "modality": modality,
        "kind": kind,
        "title": survival_title(modality, kind),
        "method": (
            "Weibull S(t) = exp(-(t/scale)^shape), least squares on the "
            "complementary log-log scale through the published median and landmark "
            "rates; drawn from 0 to the last reported time point only"
        ),
        "caption": CAPTION,
        "high_grade_included": high_grade,
        "curves": curves,
        "skipped": skipped,
    }


def survival_title(modality: str, kind: str) -> str:
    """``Overall survival after TACE``."""
    words = vocabulary().survival_kinds.get(kind, kind)
    return f"{words[:1].upper()}{words[1:]} after {modality_title(modality)}"


COMBINATION_NOT_DRAWN: Final = (
    "the modality was given together with another treatment (flag combination_therapy); "
    "drawn, the curve would pass for the modality's survival (not pooled either)"
)


SUBGROUP_NOT_DRAWN: Final = (
    "the figures describe a subgroup of the arm, not the arm (flag subgroup_outcome); "
    "drawn, the curve would pass for the modality's survival"
)


REVIEW_NOT_DRAWN: Final = (
    "a review's or meta-analysis' summary across studies, not one study arm "
    "(docs/methods.md: not pooled either)"
)
_REVIEW_DESIGNS: Final = frozenset({"meta_analysis", "systematic_review"})


def _fit_whole_arm(record: EvidenceRecord, kind: str) -> WeibullFit | FitRefused:
    """A curve only for one study arm's own figures: a review's summary across studies, a
    record that no statistic uses (``selection.never_pooled_reason``) and a subgroup's
    (often favourable) survival are never drawn as if they were an arm's."""
    from nelm.evidence.selection import never_pooled_reason
    from nelm.evidence.survival import FitRefused, RefusalCode, fit_record

    if record.design in _REVIEW_DESIGNS or {"pooled_estimate", "median_of_studies"} & set(
        record.flags
    ):
        return FitRefused(RefusalCode.REVIEW, REVIEW_NOT_DRAWN)
    set_aside = never_pooled_reason(record, kind)
    if set_aside is not None:
        return FitRefused(RefusalCode.SET_ASIDE, set_aside)
    if "subgroup_outcome" in record.flags:
        return FitRefused(RefusalCode.SUBGROUP, SUBGROUP_NOT_DRAWN)
    if "combination_therapy" in record.flags:
        return FitRefused(RefusalCode.COMBINATION, COMBINATION_NOT_DRAWN)
    return fit_record(record, kind)


HIGH_GRADE_NOT_DRAWN: Final = (
    "a high-grade population ({population}): not drawn beside G1–G2 NET, as it is not "
    "pooled with them (the seeds' algorithms are for well-differentiated G1/G2 NELM, 001 "
    "Figure 2; 000 §4 reports the G3 PRRT series separately); drawn, marked high grade, "
    "when high-grade arms are asked for"
)


def _high_grade_on_request(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]], high_grade: bool
) -> list[tuple[EvidenceRecord, WeibullFit | FitRefused]]:
    """The pools' rule for a figure: a high-grade arm that could be drawn is drawn only
    when asked for (``high_grade``); otherwise it is listed as not drawn, saying why. An
    arm that could not be drawn anyway keeps its own reason."""
    from nelm.evidence.survival import FitRefused, RefusalCode, WeibullFit

    if high_grade:
        return list(fitted)
    return [
        (
            record,
            FitRefused(
                RefusalCode.HIGH_GRADE,
                HIGH_GRADE_NOT_DRAWN.format(population=record.population),
                result.anchors,
            )
            if isinstance(result, WeibullFit) and is_high_grade(record)
            else result,
        )
        for record, result in fitted
    ]


def _without_lone_subgroups(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]], kind: str
) -> list[tuple[EvidenceRecord, WeibullFit | FitRefused]]:
    """The statistics' rule for a figure: an arm flagged ``selected_subgroup`` whose other
    part of the same study is set aside by a flag is not drawn, since alone it would stand
    for the whole study (Kaemmerer 2021, 000 Table 4: after primary-tumour resection,
    median OS 134 months, beside the shifted second row)."""
    from nelm.evidence.selection import never_pooled_reason, same_study
    from nelm.evidence.survival import FitRefused, RefusalCode

    records = [record for record, _ in fitted]
    kept: list[tuple[EvidenceRecord, WeibullFit | FitRefused]] = []
    for record, result in fitted:
        partner = next(
            (
                other
                for other in records
                if "selected_subgroup" in record.flags
                and "selected_subgroup" in other.flags
                and other.id != record.id
                and same_study(record, other)
                and never_pooled_reason(other, kind) is not None
            ),
            None,
        )
        if partner is None:
            kept.append((record, result))
        else:
            kept.append(
                (
                    record,
                    FitRefused(
                        RefusalCode.LONE_SUBGROUP,
                        "a subgroup of its study selected by a prognostic factor (flag "
                        f"selected_subgroup) whose other part, {arm_label(partner)}, is set "
                        "aside: alone its curve would stand for the study's selected part "
                        "only (not pooled either)",
                    ),
                )
            )
    return kept


def _drawn_once(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]],
) -> tuple[tuple[EvidenceRecord, WeibullFit | FitRefused], ...]:
    """One curve per study arm and per cohort, by the pooling rules (``selection``): of
    the sources of one arm, the one read from a table, then the lower seed number; of a
    cohort published twice (flag ``cohort_overlap``, same first author and n), the most
    recent publication. The others are listed as not drawn, naming the one drawn."""
    from nelm.evidence.selection import preference
    from nelm.evidence.survival import FitRefused, RefusalCode, WeibullFit

    drop: dict[str, FitRefused] = {}
    by_key: dict[str, list[EvidenceRecord]] = {}
    for record, result in fitted:
        if isinstance(result, WeibullFit):
            by_key.setdefault(record.study_key, []).append(record)
    for group in by_key.values():
        ordered = sorted(group, key=preference)
        for other in ordered[1:]:
            drop[other.id] = FitRefused(
                RefusalCode.SAME_ARM,
                f"the same study arm as {ordered[0].id} ({source_text(ordered[0].source)}), "
                "which is drawn: one curve per arm",
            )
    cohorts: dict[tuple[str, int], list[EvidenceRecord]] = {}
    for record, result in fitted:
        if (
            isinstance(result, WeibullFit)
            and record.id not in drop
            and "cohort_overlap" in record.flags
            and record.n is not None
        ):
            cohorts.setdefault((record.author.casefold(), record.n), []).append(record)
    for group in cohorts.values():
        latest = max(group, key=lambda r: (r.year or 0, r.study_key))
        for other in group:
            if other is not latest:
                drop[other.id] = FitRefused(
                    RefusalCode.SAME_COHORT,
                    f"the same cohort as {latest.id} (flag cohort_overlap, same author and "
                    f"n = {other.n}), drawn once as its most recent publication",
                )
    return tuple((record, drop.get(record.id, result)) for record, result in fitted)


def survival(modality: str, kind: str = "os", *, high_grade: bool = False) -> SurvivalAnalysis:
    """Fit a Weibull curve to every arm of ``modality`` that reports two or more anchors.

    High-grade arms (``nec``, ``nen_g3``) are drawn only when ``high_grade`` asks for them,
    as the pools use them only when their population is asked for; drawn, they are marked
    (``HIGH GRADE`` label, their own line style and key entry)."""
    from nelm.evidence.records import MODALITIES, records_for
    from nelm.evidence.survival import KINDS

    problems: list[Problem] = []
    if modality not in MODALITIES:
        problems.append(not_one_of("modality", modality, MODALITIES))
    if kind not in KINDS:
        problems.append(not_one_of("kind", kind, KINDS))
    if problems:
        raise InputRejected(problems)
    records = sorted(
        records_for(modality=modality), key=lambda r: (r.year or 0, r.author, r.study_key, r.id)
    )
    fitted = _drawn_once(
        _without_lone_subgroups(
            _high_grade_on_request(
                [(record, _fit_whole_arm(record, kind)) for record in records], high_grade
            ),
            kind,
        )
    )
    document = _survival_document(fitted, modality=modality, kind=kind, high_grade=high_grade)
    return SurvivalAnalysis(modality, kind, fitted, document)


# Why an arm is not drawn, in a few words for a figure's subtitle (the CLI and the JSON
# give each arm's full reason), in the order a reader looks for them.
NOT_DRAWN_WORDS: Final = {
    "no_anchor": "without a survival figure",
    "one_anchor": "with one figure only",
    "single_time": "with figures at one time only",
    "boundary_survival": "with only 0% or 100% figures",
    "contradictory": "with contradictory figures",
    "non_monotone": "with figures rising over time",
    "non_positive_shape": "with no falling curve",
    "contradicts_not_reached": "contradicting a median not reached",
    "mean_not_median": "with a mean as the median",
    "imprecise": "with figures too close to fix a shape",
    "invalid_value": "with an invalid value",
    "subgroup_outcome": "with subgroup-only figures",
    "lone_subgroup": "a selected subgroup whose other part is set aside",
    "combination_therapy": "given with another treatment",
    "high_grade": "high-grade (NEC, G3), drawn only when asked for",
    "review_summary": "from reviews",
    "set_aside": "set aside by a flag",
    "same_arm": "repeated in another source",
    "same_cohort": "from a republished cohort",
}


def not_drawn_text(skipped: Sequence[Mapping[str, Any]]) -> str:
    """``Not drawn: 14 without a survival figure, 6 with one figure only, 2 from reviews``."""
    counts: dict[str, int] = {}
    for item in skipped:
        counts[str(item["code"])] = counts.get(str(item["code"]), 0) + 1
    if not counts:
        return ""
    order = list(NOT_DRAWN_WORDS)
    parts = [
        f"{count} {NOT_DRAWN_WORDS.get(code, code)}"
        for code, count in sorted(
            counts.items(), key=lambda c: order.index(c[0]) if c[0] in order else len(order)
        )
    ]
    return "Not drawn: " + ", ".join(parts)


def survival_plot(analysis: SurvivalAnalysis, fmt: str) -> bytes:
    """The approximate curves of ``analysis`` drawn as ``svg`` or ``png``."""
    from nelm.evidence.survival import WeibullFit
    from nelm.evidence.survival_plot import CurveSpec, render_survival_plot

    drawn = [(r, f) for r, f in analysis.fitted if isinstance(f, WeibullFit)]
    specs = [
        CurveSpec(result, curve_label(record), source_label(record.source), is_high_grade(record))
        for record, result in drawn
    ]
    subtitle = (
        f"Weibull curves through published medians and landmark rates · "
        f"{len(specs)} study arm{'s' if len(specs) != 1 else ''} drawn"
    )
    subgroups = sum(1 for r, _ in drawn if "selected_subgroup" in r.flags)
    if subgroups and subgroups == len(drawn):
        who = f"not {modality_title(analysis.modality)} patients in general"
        subtitle += (
            f" · the only curve drawn is a selected subgroup, {who}"
            if subgroups == 1
            else f" · every curve drawn is a selected subgroup, {who}"
        )
    elif subgroups:
        subtitle += f" · {subgroups} of them a selected subgroup"
    graded = sum(1 for spec in specs if spec.high_grade)
    if graded:
        subtitle += (
            f" · {graded} of them HIGH GRADE (NEC, G3), drawn as asked and dotted: "
            "not comparable with the G1–G2 arms"
        )
    not_drawn = not_drawn_text(analysis.document["skipped"])
    if not_drawn:
        subtitle += f" · {not_drawn}"
    return render_survival_plot(
        specs, fmt, title=str(analysis.document["title"]), subtitle=subtitle, kind=analysis.kind
    )
